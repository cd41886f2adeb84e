package sim

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

type emitted struct {
	b      []byte
	socket int
}

func captureFrom(t *testing.T, f *Fleet, end time.Time, step time.Duration) []emitted {
	t.Helper()
	var out []emitted
	for now := f.Now().Add(step); ; now = now.Add(step) {
		if now.After(end) {
			now = end
		}
		if err := f.TickFrom(now, func(b []byte, s int) error {
			out = append(out, emitted{bytes.Clone(b), s})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !now.Before(end) {
			return out
		}
	}
}

// Every sample of a data source has a sample_pool of its own, growing by about the sampling rate per sample.
func TestSamplePoolPerSample(t *testing.T) {
	dgs := capture(t, New(Options{Seed: 3, Hosts: 24, Start: testStart}), testStart.Add(20*time.Second), time.Second)
	type src struct {
		seqs, pools []uint32
		rate        uint32
	}
	sources := map[string]*src{}
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	for _, b := range dgs {
		if err := dec.Decode(b, &d); err != nil {
			t.Fatal(err)
		}
		for _, s := range d.Samples {
			if s.Kind != sflow.SampleKindFlow {
				continue
			}
			k := fmt.Sprintf("%v/%d %d:%d", d.AgentAddr, d.SubAgentID, s.SourceIDClass, s.SourceIDIndex)
			if sources[k] == nil {
				sources[k] = &src{rate: s.SamplingRate}
			}
			sources[k].seqs = append(sources[k].seqs, s.SequenceNumber)
			sources[k].pools = append(sources[k].pools, s.SamplePool)
		}
	}
	checked := 0
	for k, s := range sources {
		for i := 1; i < len(s.seqs); i++ {
			if s.seqs[i] != s.seqs[i-1]+1 || s.pools[i] <= s.pools[i-1] {
				t.Fatalf("%s: sample %d (pool %d) after %d (pool %d): want the next number and a larger pool", k,
					s.seqs[i], s.pools[i], s.seqs[i-1], s.pools[i-1])
			}
		}
		if n := len(s.seqs); n >= 100 {
			checked++
			per := float64(s.pools[n-1]-s.pools[0]) / float64(n-1)
			if per < 0.75*float64(s.rate) || per > 1.25*float64(s.rate) {
				t.Errorf("%s: pool grows %.0f per sample over %d samples, sampling rate %d", k, per, n, s.rate)
			}
		}
	}
	if checked < 5 {
		t.Fatalf("only %d data sources with 100 samples", checked)
	}
}

func TestImpairments(t *testing.T) {
	opt := Options{Seed: 5, Hosts: 12, Start: testStart}
	end := testStart.Add(30 * time.Second)
	clean := capture(t, New(opt), end, 100*time.Millisecond)

	t.Run("deterministic", func(t *testing.T) {
		o := opt
		o.Impair = Impairments{Loss: 0.05, Duplicate: 0.05, Reorder: 0.1, RemoveSample: 0.05, DropSample: 0.05,
			RestartEvery: 10 * time.Second}
		a := captureFrom(t, New(o), end, 100*time.Millisecond)
		b := captureFrom(t, New(o), end, 1300*time.Millisecond)
		if !slices.EqualFunc(a, b, func(x, y emitted) bool { return bytes.Equal(x.b, y.b) && x.socket == y.socket }) {
			t.Fatal("the same impaired fleet sent other datagrams at another tick cadence")
		}
	})
	t.Run("loss", func(t *testing.T) {
		o := opt
		o.Impair.Loss = 0.1
		got := capture(t, New(o), end, 100*time.Millisecond)
		i := 0 // got must be clean with holes
		for _, b := range clean {
			if i < len(got) && bytes.Equal(got[i], b) {
				i++
			}
		}
		lost := len(clean) - len(got)
		if i != len(got) || lost < len(clean)/20 || lost > len(clean)/5 {
			t.Fatalf("%d of %d datagrams lost, %d of the rest in order: want about 10 %%", lost, len(clean), i)
		}
	})
	t.Run("duplicates and reordering", func(t *testing.T) {
		o := opt
		o.Impair.Duplicate, o.Impair.Reorder = 0.1, 0.2
		got := capture(t, New(o), end, 100*time.Millisecond)
		count := map[string]int{}
		for _, b := range got {
			count[string(b)]++
		}
		dups, moved := 0, 0
		for i, b := range clean {
			n := count[string(b)]
			if n < 1 || n > 2 {
				t.Fatalf("a datagram arrived %d times", n)
			}
			dups += n - 1
			if i < len(got) && !bytes.Equal(got[i], b) {
				moved++
			}
		}
		if len(got) != len(clean)+dups || dups < len(clean)/20 || moved == 0 {
			t.Fatalf("%d datagrams for %d sent, %d duplicates, %d out of place", len(got), len(clean), dups, moved)
		}
	})
	t.Run("restarts", func(t *testing.T) {
		o := opt
		o.Impair.RestartEvery = 10 * time.Second
		got := captureFrom(t, New(o), end, 100*time.Millisecond)
		dec := sflow.NewDecoder()
		var d sflow.Datagram
		type key struct {
			agent string
			sock  int
		}
		first := map[key]bool{}
		restarts := 0
		for _, e := range got {
			if err := dec.Decode(e.b, &d); err != nil {
				t.Fatal(err)
			}
			k := key{fmt.Sprintf("%v/%d", d.AgentAddr, d.SubAgentID), e.socket}
			if e.socket > 0 && !first[k] {
				restarts++
				if d.SequenceNumber != 1 || d.Uptime >= 10_000 {
					t.Fatalf("%s's first datagram from socket %d: sequence %d, uptime %d ms", k.agent, e.socket,
						d.SequenceNumber, d.Uptime)
				}
			}
			first[k] = true
		}
		if restarts < len(New(opt).agents) {
			t.Fatalf("%d restarts in 30 s of %d agents restarting every 10 s", restarts, len(New(opt).agents))
		}
	})
}

func TestImpairmentsValidate(t *testing.T) {
	for _, im := range []Impairments{{Loss: -0.1}, {Duplicate: 1.5}, {RestartEvery: time.Second}, {RestartEvery: -1}} {
		if im.Validate() == nil {
			t.Errorf("%+v accepted", im)
		}
	}
	if err := (Impairments{Loss: 1, RestartEvery: MinRestartEvery}).Validate(); err != nil {
		t.Errorf("valid impairments refused: %v", err)
	}
}
