package sim

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// seqKey is one sequence a collector follows: an agent's datagrams, or one data source's samples of a kind.
type seqKey struct {
	agent  netip.Addr
	sub    uint32
	kind   sflow.SampleKind
	class  uint32
	index  uint32
	isDgrm bool
}

// Sent round after round, a loop's every sequence goes on by one from datagram to datagram, and uptimes never
// go back: a collector sees neither loss nor restarts.
func TestLoopRenumbersEveryRound(t *testing.T) {
	f := New(Options{Seed: 3, Hosts: 12, Start: time.Unix(1767225600, 0)})
	lp, err := RecordLoop(f, 12*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if lp.Len() < 100 {
		t.Fatalf("a 12 s recording of 12 hosts has %d datagrams", lp.Len())
	}
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	last := map[seqKey]uint32{}
	uptime := map[seqKey]uint32{}
	checked := 0
	for _, list := range lp.lists {
		for round := uint32(0); round < 3; round++ {
			for _, i := range list {
				lp.renumber(i, round)
				if err := dec.Decode(lp.dgrams[i], &d); err != nil {
					t.Fatalf("round %d datagram %d: %v", round, i, err)
				}
				ag := seqKey{agent: d.AgentAddr, sub: d.SubAgentID, isDgrm: true}
				if prev, ok := last[ag]; ok && d.SequenceNumber != prev+1 {
					t.Fatalf("round %d: agent %v/%d datagram %d after %d", round, d.AgentAddr, d.SubAgentID, d.SequenceNumber, prev)
				}
				if up, ok := uptime[ag]; ok && d.Uptime < up {
					t.Fatalf("round %d: agent %v uptime %d after %d", round, d.AgentAddr, d.Uptime, up)
				}
				last[ag], uptime[ag] = d.SequenceNumber, d.Uptime
				for _, s := range d.Samples {
					k := seqKey{agent: d.AgentAddr, sub: d.SubAgentID, kind: s.Kind, class: s.SourceIDClass, index: s.SourceIDIndex}
					if prev, ok := last[k]; ok && s.SequenceNumber != prev+1 {
						t.Fatalf("round %d: %+v sample %d after %d", round, k, s.SequenceNumber, prev)
					}
					last[k] = s.SequenceNumber
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no samples checked")
	}
}

// A recording written to a capture and read back is the same loop.
func TestLoopPcapRoundTrip(t *testing.T) {
	f := New(Options{Seed: 4, Hosts: 6, Start: time.Unix(1767225600, 0)})
	lp, err := RecordLoop(f, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	lp.renumber(0, 5) // WritePcap writes the recording, not a later round
	var b bytes.Buffer
	if err := lp.WritePcap(&b, netip.MustParseAddrPort("127.0.0.1:6343")); err != nil {
		t.Fatal(err)
	}
	back, err := ReadLoop(&b, sflow.DefaultPort)
	if err != nil {
		t.Fatal(err)
	}
	if back.Len() != lp.Len() || back.span != lp.span {
		t.Fatalf("read back %d datagrams spanning %d ms, wrote %d spanning %d ms", back.Len(), back.span, lp.Len(), lp.span)
	}
	for i := range lp.dgrams {
		if !bytes.Equal(back.dgrams[i], lp.dgrams[i]) || !back.times[i].Equal(lp.times[i].Truncate(time.Microsecond)) {
			t.Fatalf("datagram %d differs", i)
		}
	}
}

func TestLoopRefusesWhatItCannotRenumber(t *testing.T) {
	good, err := sflow.AppendDatagram(nil, &sflow.Datagram{AgentAddr: netip.MustParseAddr("10.0.0.1")})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1767225600, 0)
	for name, b := range map[string][]byte{
		"netflow":   {0, 5, 0, 1, 0, 0, 0, 0},
		"short":     good[:20],
		"v4":        append([]byte{0, 0, 0, 4}, good[4:]...),
		"samples":   append(append([]byte(nil), good[:len(good)-4]...), 0, 0, 0, 1), // one sample announced, none there
		"truncated": append(append([]byte(nil), good[:len(good)-4]...), 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0),
	} {
		if _, err := newLoop([][]byte{b}, []time.Time{now}); !errors.Is(err, errNotSFlow) {
			t.Errorf("%s: %v, want errNotSFlow", name, err)
		}
	}
	if _, err := newLoop(nil, nil); err == nil {
		t.Error("an empty loop: no error")
	}
	if _, err := ReadLoop(bytes.NewReader(nil), sflow.DefaultPort); err == nil {
		t.Error("an empty capture: no error")
	}
}

// RunLoop sends what it says it sent, every datagram an sFlow datagram, at the rate asked.
func TestRunLoopOverLoopback(t *testing.T) {
	c := listenUDP(t, "udp4", "127.0.0.1:0")
	f := New(Options{Seed: 5, Hosts: 12, Start: time.Unix(1767225600, 0)})
	lp, err := RecordLoop(f, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Sender{To: c.addr(), Rate: 20000, Duration: 200 * time.Millisecond}.RunLoop(context.Background(), lp)
	if err != nil {
		t.Fatal(err)
	}
	n, size, bad := c.settle()
	if n != st.Datagrams || size != st.Bytes || bad != 0 {
		t.Errorf("sent %d datagrams (%d bytes), received %d (%d bytes, %d bad)", st.Datagrams, st.Bytes, n, size, bad)
	}
	// 4000 at 20000/s in 200 ms, give or take a batch per socket at the start
	if st.Datagrams < 2000 || st.Datagrams > 4000+loopSockets*loopBatch {
		t.Errorf("sent %d datagrams in %v at 20000/s", st.Datagrams, st.Elapsed)
	}
	if st.Datagrams <= uint64(lp.Len()) {
		t.Errorf("sent %d of a loop of %d: the test wants more than one round", st.Datagrams, lp.Len())
	}
	if _, err := (Sender{To: "192.0.2.1:6343"}).RunLoop(context.Background(), lp); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("remote destination: %v, want ErrNotLoopback", err)
	}
}

func FuzzLoopFields(f *testing.F) {
	fl := New(Options{Seed: 6, Hosts: 6, Start: time.Unix(1767225600, 0)})
	_ = fl.Tick(time.Unix(1767225602, 0), func(b []byte) error {
		f.Add(append([]byte(nil), b...))
		return nil
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		fields, err := seqFields(nil, b)
		if err != nil {
			return
		}
		for _, fd := range fields {
			if fd.off+4 > len(b) || fd.key[1] > len(b) {
				t.Fatalf("field %+v outside the %d bytes", fd, len(b))
			}
		}
	})
}
