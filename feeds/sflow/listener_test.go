package sflow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"
)

func sendUDP(t *testing.T, to string, payloads ...[]byte) {
	t.Helper()
	c, err := net.Dial("udp", to)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, p := range payloads {
		if _, err := c.Write(p); err != nil {
			t.Fatal(err)
		}
	}
}

// rawPacket is a copy of a datagram as the listener handed it to the pipeline.
type rawPacket struct {
	buf  []byte
	src  netip.AddrPort
	time time.Time
}

// nopSink discards what the pipeline decodes.
type nopSink struct{}

func (nopSink) Ingest(*Datagram, netip.AddrPort, time.Time) {}
func (nopSink) Reject(netip.AddrPort, error, time.Time)     {}

// serveRaw runs l.Serve with workers workers until the test ends, sending a copy of every datagram to the
// returned channel (which holds 1024) before it is decoded. The test closes l first.
func serveRaw(t *testing.T, l *Listener, workers int) <-chan rawPacket {
	t.Helper()
	out := make(chan rawPacket, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Serve(context.Background(), nopSink{}, PipelineOptions{Workers: workers, Record: func(p *Packet) {
			out <- rawPacket{buf: bytes.Clone(p.Buf), src: p.Src, time: p.Time}
		}})
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
	})
	return out
}

func TestListenerReceivesOnLoopback(t *testing.T) {
	l, err := Listen(ListenerOptions{Addr: "127.0.0.1:0", RecvBuffer: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	got := serveRaw(t, l, 1)
	want := [][]byte{[]byte("first datagram"), bytes.Repeat([]byte{0xAB}, 1400),
		bytes.Repeat([]byte{2}, smallPacket), bytes.Repeat([]byte{3}, smallPacket+1), bytes.Repeat([]byte{1}, 20000)}
	sendUDP(t, l.LocalAddr().String(), want...)
	for i, w := range want {
		select {
		case p := <-got:
			if !bytes.Equal(p.buf, w) {
				t.Errorf("datagram %d: got %d bytes, want %d", i, len(p.buf), len(w))
			}
			if !p.src.Addr().Is4() || p.src.Addr().String() != "127.0.0.1" || p.src.Port() == 0 {
				t.Errorf("datagram %d: source %v, want 127.0.0.1 (unmapped) and a port", i, p.src)
			}
			if p.time.IsZero() {
				t.Errorf("datagram %d: no receive time", i)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("datagram %d not received", i)
		}
	}
	st := l.Stats()
	if st.Received != uint64(len(want)) || st.QueueDrops != 0 || st.KernelDrops != 0 {
		t.Errorf("stats %+v, want %d received, 0 dropped", st, len(want))
	}
	if st.RecvBuffer <= 0 {
		t.Errorf("granted receive buffer not reported: %d", st.RecvBuffer)
	}
}

// A full queue makes its reader wait, not drop: what arrives meanwhile waits in the socket's receive buffer, and
// every datagram is decoded once the worker moves again, in order. (The old behaviour, dropping from the queue,
// decoded the first four of these and dropped 46.)
func TestListenerQueueFullWaitsAndLosesNothing(t *testing.T) {
	l, err := Listen(ListenerOptions{Addr: "127.0.0.1:0", QueueLen: 4, RecvBuffer: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	var decoded []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Serve(context.Background(), nopSink{}, PipelineOptions{Record: func(p *Packet) {
			<-release // a stuck worker
			decoded = append(decoded, string(p.Buf))
		}})
	}()
	const n = 50
	payloads := make([][]byte, n)
	want := make([]string, n)
	for i := range payloads {
		payloads[i] = []byte(fmt.Sprintf("datagram %d", i))
		want[i] = string(payloads[i])
	}
	sendUDP(t, l.LocalAddr().String(), payloads...)
	deadline := time.Now().Add(5 * time.Second)
	for l.Stats().Received < 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := l.Stats(); st.Received < 4 || st.Received > 4+4 {
		t.Fatalf("with the worker stuck the reader took %d datagrams, want the queue's 4 (and one batch of at most 4 waiting)", st.Received)
	}
	close(release)
	for l.Stats().Received < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	l.Close()
	<-done
	st := l.Stats()
	if st.Received != n || st.QueueDrops != 0 || st.KernelDrops != 0 {
		t.Errorf("received %d, queue drops %d, kernel drops %d; want %d, 0, 0", st.Received, st.QueueDrops, st.KernelDrops, n)
	}
	if fmt.Sprint(decoded) != fmt.Sprint(want) {
		t.Errorf("decoded %q, want all %d in order", decoded, n)
	}
}

func TestListenerReusePortSockets(t *testing.T) {
	l, err := Listen(ListenerOptions{Addr: "127.0.0.1:0", Sockets: 3, RecvBuffer: 1 << 20})
	if reusePortOption == nil {
		// a system that cannot spread a port over sockets says so instead of leaving two of them idle
		if !errors.Is(err, errNoReusePort) {
			t.Fatalf("Listen with 3 sockets: %v, want errNoReusePort", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(l.conns) != 3 || l.Stats().Sockets != 3 {
		t.Fatalf("%d sockets (stats: %d), want 3", len(l.conns), l.Stats().Sockets)
	}
	port := l.LocalAddr().Port()
	for _, c := range l.conns {
		if p := c.LocalAddr().(*net.UDPAddr).Port; p != int(port) {
			t.Errorf("socket bound to port %d, want %d", p, port)
		}
	}
	got := serveRaw(t, l, 2)
	// Different source ports hash to different sockets; all datagrams must arrive whichever socket gets them.
	for i := 0; i < 20; i++ {
		sendUDP(t, l.LocalAddr().String(), []byte{byte(i)})
	}
	seen := map[byte]bool{}
	timeout := time.After(5 * time.Second)
	for len(seen) < 20 {
		select {
		case p := <-got:
			seen[p.buf[0]] = true
		case <-timeout:
			t.Fatalf("received %d of 20", len(seen))
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// Serve returns once the listener is closed, also when Close came first.
func TestListenerServeEndsWithClose(t *testing.T) {
	for _, closeFirst := range []bool{false, true} {
		l, err := Listen(ListenerOptions{Addr: "127.0.0.1:0"})
		if err != nil {
			t.Fatal(err)
		}
		if closeFirst {
			l.Close()
		}
		done := make(chan struct{})
		go func() {
			l.Serve(context.Background(), nopSink{}, PipelineOptions{Workers: 3})
			close(done)
		}()
		l.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("close first %v: Serve still running after Close", closeFirst)
		}
	}
}

func TestListenerBadAddress(t *testing.T) {
	if _, err := Listen(ListenerOptions{Addr: "127.0.0.1:notaport"}); err == nil {
		t.Fatal("want an error for a bad port")
	}
}
