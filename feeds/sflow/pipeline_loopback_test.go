package sflow_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sflowtest"
)

// countingSink records what the pipeline hands it, copying as the Sink contract requires.
type countingSink struct {
	mu       sync.Mutex
	seqs     map[uint32]int
	samples  int
	rejected []error
}

func (s *countingSink) Ingest(d *sflow.Datagram, _ netip.AddrPort, _ time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seqs == nil {
		s.seqs = map[uint32]int{}
	}
	s.seqs[d.SequenceNumber]++
	s.samples += len(d.Samples)
}

func (s *countingSink) Reject(_ netip.AddrPort, err error, _ time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected = append(s.rejected, err)
}

// Datagrams sent to a real socket come out of the pipeline decoded, once each; garbage is rejected, not lost.
func TestPipelineOverLoopback(t *testing.T) {
	l, err := sflow.Listen(sflow.ListenerOptions{Addr: "127.0.0.1:0", RecvBuffer: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var sink countingSink
	var recorded int
	var recMu sync.Mutex
	done := make(chan struct{})
	go func() {
		l.Serve(context.Background(), &sink, sflow.PipelineOptions{Workers: 2, Record: func(*sflow.Packet) {
			recMu.Lock()
			recorded++
			recMu.Unlock()
		}})
		close(done)
	}()

	r := rand.New(rand.NewPCG(7, 7))
	const n = 200
	var payloads [][]byte
	wantSamples := 0
	for i := 0; i < n; i++ {
		d := sflowtest.RandomDatagram(r)
		d.SequenceNumber = uint32(i + 1)
		b, err := sflow.AppendDatagram(nil, d)
		if err != nil {
			t.Fatal(err)
		}
		wantSamples += len(d.Samples)
		payloads = append(payloads, b)
	}
	payloads = append(payloads, []byte{0, 5, 0, 1, 0, 0, 0, 0}) // NetFlow v5 on the sFlow port
	for i := 0; i < len(payloads); i += 20 {
		end := min(i+20, len(payloads))
		sflow.SendUDP(t, l.LocalAddr().String(), payloads[i:end]...)
		time.Sleep(time.Millisecond) // stay well under the receive buffer
	}
	deadline := time.Now().Add(10 * time.Second)
	for l.Stats().Received < uint64(len(payloads)) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	l.Close()
	<-done

	if len(sink.seqs) != n {
		t.Errorf("ingested %d distinct datagrams, want %d", len(sink.seqs), n)
	}
	for seq, c := range sink.seqs {
		if c != 1 {
			t.Errorf("datagram %d ingested %d times", seq, c)
		}
	}
	if sink.samples != wantSamples {
		t.Errorf("samples = %d, want %d", sink.samples, wantSamples)
	}
	if len(sink.rejected) != 1 || !errors.Is(sink.rejected[0], sflow.ErrBadVersion) {
		t.Errorf("rejected = %v, want one ErrBadVersion", sink.rejected)
	}
	if recorded != len(payloads) {
		t.Errorf("recorded %d datagrams, want %d", recorded, len(payloads))
	}
}
