package sflow

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// orderSink records the sequence numbers each agent's datagrams reached it in.
type orderSink struct {
	mu   sync.Mutex
	seen map[netip.Addr][]uint32
}

func (s *orderSink) Ingest(d *Datagram, _ netip.AddrPort, _ time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen[d.AgentAddr] = append(s.seen[d.AgentAddr], d.SequenceNumber)
}

func (s *orderSink) Reject(netip.AddrPort, error, time.Time) {}

// With several workers, each agent's datagrams still reach the sink in arrival order.
func TestPipelineKeepsAgentOrder(t *testing.T) {
	src := make(chan *Packet, 4096)
	var d Datagram
	const agents, each = 8, 300
	for i := 0; i < each; i++ {
		for a := 0; a < agents; a++ {
			d.Reset()
			d.AgentAddr = netip.AddrFrom4([4]byte{10, 0, 0, byte(a + 1)})
			d.SequenceNumber = uint32(i + 1)
			b, err := AppendDatagram(nil, &d)
			if err != nil {
				t.Fatal(err)
			}
			src <- &Packet{Buf: b, Src: netip.MustParseAddrPort("127.0.0.1:9")}
		}
	}
	close(src)
	sink := &orderSink{seen: map[netip.Addr][]uint32{}}
	Serve(context.Background(), src, sink, PipelineOptions{Workers: 4})
	if len(sink.seen) != agents {
		t.Fatalf("%d agents reached the sink, want %d", len(sink.seen), agents)
	}
	for a, seqs := range sink.seen {
		if len(seqs) != each {
			t.Errorf("agent %v: %d datagrams, want %d", a, len(seqs), each)
		}
		for i := 1; i < len(seqs); i++ {
			if seqs[i] != seqs[i-1]+1 {
				t.Fatalf("agent %v: sequence %d after %d", a, seqs[i], seqs[i-1])
			}
		}
	}
}
