package model

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

// truth is what the top-N tables should show, computed by the test from the decoded datagrams alone: the
// sampling-scaled weight of every key, per second of ingest time.
type truth struct {
	secs map[int64]*truthSecond
}

type truthSecond struct {
	src, dst, pair, urls, keys map[string]float64
}

func newTruth() *truth { return &truth{secs: make(map[int64]*truthSecond)} }

func (tr *truth) second(ts time.Time) *truthSecond {
	s := ts.Unix()
	ts2 := tr.secs[s]
	if ts2 == nil {
		ts2 = &truthSecond{src: map[string]float64{}, dst: map[string]float64{}, pair: map[string]float64{},
			urls: map[string]float64{}, keys: map[string]float64{}}
		tr.secs[s] = ts2
	}
	return ts2
}

// add accounts one decoded datagram the way sFlow defines it: a flow sample stands for SamplingRate packets
// (or requests, or operations); a talker's weight is its frame length times that.
func (tr *truth) add(d *sflow.Datagram, ts time.Time) {
	sec := tr.second(ts)
	for i := range d.Samples {
		s := &d.Samples[i]
		if s.Kind != sflow.SampleKindFlow {
			continue
		}
		w := float64(max(s.SamplingRate, 1))
		talked := false
		var fallback *sflow.SampledIP
		for j := range s.Records {
			r := &s.Records[j]
			switch r.Type {
			case sflow.RecSampledHeader:
				h := d.SampledHeader(r)
				if h != nil && !talked && h.Packet.IPVersion != 0 && h.Packet.SrcIP.IsValid() && h.Packet.DstIP.IsValid() {
					sec.talk(h.Packet.SrcIP, h.Packet.DstIP, float64(h.FrameLength)*w, w)
					talked = true
				}
			case sflow.RecSampledIPv4:
				fallback = d.SampledIPv4(r)
			case sflow.RecSampledIPv6:
				fallback = d.SampledIPv6(r)
			case sflow.RecHTTPRequest:
				h := d.HTTPRequest(r)
				path, _, _ := bytes.Cut(h.URI, []byte("?"))
				path, _, _ = bytes.Cut(path, []byte("#"))
				host := bytes.ToLower(h.Host)
				sec.urls[string(host[:min(len(host), maxURLHost)])+"\x00"+string(path[:min(len(path), maxURLPath)])] += w
			case sflow.RecMemcacheOp:
				m := d.MemcacheOp(r)
				sec.keys[string(m.Key[:min(len(m.Key), maxMemKey)])] += w
			}
		}
		if !talked && fallback != nil && fallback.SrcIP.IsValid() && fallback.DstIP.IsValid() {
			sec.talk(fallback.SrcIP, fallback.DstIP, float64(fallback.Length)*w, w)
		}
	}
}

func (s *truthSecond) talk(src, dst netip.Addr, bytes, pkts float64) {
	if bytes <= 0 {
		bytes = pkts
	}
	s.src[src.Unmap().String()] += bytes
	s.dst[dst.Unmap().String()] += bytes
	s.pair[src.Unmap().String()+">"+dst.Unmap().String()] += bytes
}

// over sums one table over the seconds in [from, to), which must be whole seconds.
func (tr *truth) over(from, to time.Time, table func(*truthSecond) map[string]float64) map[string]float64 {
	out := make(map[string]float64)
	for s := from.Unix(); s < to.Unix(); s++ {
		if sec := tr.secs[s]; sec != nil {
			for k, v := range table(sec) {
				out[k] += v
			}
		}
	}
	return out
}

// shownRow is one row of a top-N table as shown: its key in the truth's spelling and its value per second.
type shownRow struct {
	key   string
	value float64
	err   float64
}

func shownTables(s *Snapshot) map[string][]shownRow {
	out := make(map[string][]shownRow)
	for _, r := range s.TalkersBySrc {
		out["src"] = append(out["src"], shownRow{r.Src.String(), r.Bytes, r.ErrBytes})
	}
	for _, r := range s.TalkersByDst {
		out["dst"] = append(out["dst"], shownRow{r.Dst.String(), r.Bytes, r.ErrBytes})
	}
	for _, r := range s.TalkersByPair {
		out["pair"] = append(out["pair"], shownRow{r.Src.String() + ">" + r.Dst.String(), r.Bytes, r.ErrBytes})
	}
	for _, r := range s.URLs {
		out["urls"] = append(out["urls"], shownRow{r.Host + "\x00" + r.Path, r.Rate, r.ErrRate})
	}
	for _, r := range s.Keys {
		out["keys"] = append(out["keys"], shownRow{r.Key, r.Rate, r.ErrRate})
	}
	return out
}

var truthTables = map[string]func(*truthSecond) map[string]float64{
	"src":  func(s *truthSecond) map[string]float64 { return s.src },
	"dst":  func(s *truthSecond) map[string]float64 { return s.dst },
	"pair": func(s *truthSecond) map[string]float64 { return s.pair },
	"urls": func(s *truthSecond) map[string]float64 { return s.urls },
	"keys": func(s *truthSecond) map[string]float64 { return s.keys },
}

// tableError is how one table's top rows compare with the truth.
type tableError struct {
	worst   float64 // largest relative error of a shown top-n row
	worstAt string
	recall  int // how many of the true top n are among the shown top n
	n       int
}

func compareTable(shown []shownRow, exact map[string]float64, span float64, n int) tableError {
	te := tableError{n: min(n, len(exact))}
	inShown := make(map[string]bool)
	for i, r := range shown[:min(n, len(shown))] {
		inShown[r.key] = true
		want := exact[r.key] / span
		e := math.Abs(r.value-want) / want
		if want == 0 {
			e = math.Inf(1)
		}
		if e > te.worst {
			te.worst, te.worstAt = e, fmt.Sprintf("row %d %q shown %.6g want %.6g ±%.3g", i+1, r.key, r.value, want, r.err)
		}
	}
	keys := make([]string, 0, len(exact))
	for k := range exact {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(exact[b], exact[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, k := range keys[:te.n] {
		if inShown[k] {
			te.recall++
		}
	}
	return te
}

// writeSimCapture records the simulated fleet of the given size for the given virtual time as a pcap, ticking
// it every 20 ms (each datagram stamped with its tick), and returns the file's path.
func writeSimCapture(t testing.TB, hosts int, dur time.Duration) string {
	path := filepath.Join(t.TempDir(), fmt.Sprintf("fleet-%d.pcap", hosts))
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := sflow.NewPcapWriter(out)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1_700_000_000, 0)
	fl := sim.New(sim.Options{Seed: 7, Hosts: hosts, Start: start})
	dst := netip.MustParseAddrPort("127.0.0.1:6343")
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	for at := 20 * time.Millisecond; at <= dur; at += 20 * time.Millisecond {
		now := start.Add(at)
		err := fl.Tick(now, func(buf []byte) error {
			if err := dec.Decode(buf, &d); err != nil {
				return err
			}
			return w.WriteDatagram(buf, netip.AddrPortFrom(d.AgentAddr, 6343), dst, now)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// replayCapture reads a capture, computes the truth from its decoded datagrams, feeds it through the decoding
// pipeline with the given number of workers (agents pinned to workers, as live) into a new Fleet, and
// publishes once at the capture's end.
func replayCapture(t testing.TB, path string, workers int) (*Snapshot, *truth) {
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r, err := sflow.OpenPcap(in, 6343)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFleet(Options{})
	tr := newTruth()
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	ch := make(chan *sflow.Packet, 4096)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sflow.Serve(context.Background(), ch, f, sflow.PipelineOptions{Workers: workers})
	}()
	var last time.Time
	for {
		buf, src, ts, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		buf = bytes.Clone(buf)
		if err := dec.Decode(buf, &d); err != nil && sflow.IsDatagramError(err) {
			t.Fatal(err)
		}
		tr.add(&d, ts)
		ch <- &sflow.Packet{Buf: buf, Src: src, Time: ts}
		last = ts
	}
	close(ch)
	<-done
	return f.Publish(last), tr
}

// The top-20 rows of every table are within 2 % of a truth the test computes from the decoded datagrams over
// the exact window the snapshot declares, the true top 20 are all shown, and the tables are the same whatever
// the number of CPUs and workers, run after run.
func TestTopNMatchesTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("replays a 600-host fleet six times")
	}
	check := func(t *testing.T, snap *Snapshot, tr *truth) {
		from, to := snap.WindowStart, snap.WindowEnd
		if from.Nanosecond() != 0 || to.Nanosecond() != 0 || to.Sub(from) != snap.Window {
			t.Fatalf("window [%v, %v): want whole seconds spanning %v", from, to, snap.Window)
		}
		span := to.Sub(from).Seconds()
		shown := shownTables(snap)
		for _, name := range []string{"src", "dst", "pair", "urls", "keys"} {
			te := compareTable(shown[name], tr.over(from, to, truthTables[name]), span, 20)
			t.Logf("%-4s worst top-20 error %.3f%%, recall %d/%d %s", name, 100*te.worst, te.recall, te.n, te.worstAt)
			if te.n < 20 || te.recall != te.n || te.worst > 0.02 {
				t.Errorf("%s: worst error %.3f%%, recall %d/%d (want ≤ 2%%, 20/20): %s", name, 100*te.worst, te.recall,
					te.n, te.worstAt)
			}
		}
	}
	t.Run("hosts=60", func(t *testing.T) {
		snap, tr := replayCapture(t, writeSimCapture(t, 60, 80*time.Second), 2)
		check(t, snap, tr)
	})
	t.Run("hosts=600", func(t *testing.T) {
		path := writeSimCapture(t, 600, 80*time.Second)
		var first map[string][]shownRow
		procs, runs := []int{1, 2, 4}, 2
		if raceEnabled { // the matrix in full runs without the race detector in .ci/run
			procs, runs = []int{4}, 1
		}
		for _, procs := range procs {
			for run := range runs {
				t.Run(fmt.Sprintf("GOMAXPROCS=%d/run=%d", procs, run), func(t *testing.T) {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
					snap, tr := replayCapture(t, path, procs)
					check(t, snap, tr)
					rows := shownTables(snap)
					for name := range rows {
						rows[name] = rows[name][:min(20, len(rows[name]))]
					}
					if first == nil {
						first = rows
					} else if !reflect.DeepEqual(rows, first) {
						t.Errorf("top-20 rows differ from the first run's")
					}
				})
			}
		}
	})
}
