package sflow

import (
	"bytes"
	"errors"
	"fmt"
	"net"
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

func TestListenerReceivesOnLoopback(t *testing.T) {
	l, err := Listen(ListenerOptions{Addr: "127.0.0.1:0", RecvBuffer: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want := [][]byte{[]byte("first datagram"), bytes.Repeat([]byte{0xAB}, 1400), bytes.Repeat([]byte{1}, 20000)}
	sendUDP(t, l.LocalAddr().String(), want...)
	for i, w := range want {
		select {
		case p := <-l.Packets():
			if !bytes.Equal(p.Buf, w) {
				t.Errorf("datagram %d: got %d bytes, want %d", i, len(p.Buf), len(w))
			}
			if !p.Src.Addr().Is4() || p.Src.Addr().String() != "127.0.0.1" {
				t.Errorf("datagram %d: source %v, want 127.0.0.1 (unmapped)", i, p.Src)
			}
			if p.Time.IsZero() {
				t.Errorf("datagram %d: no receive time", i)
			}
			p.Release()
		case <-time.After(5 * time.Second):
			t.Fatalf("datagram %d not received", i)
		}
	}
	st := l.Stats()
	if st.Received != 3 || st.QueueDrops != 0 {
		t.Errorf("stats %+v, want 3 received, 0 dropped", st)
	}
	if st.RecvBuffer <= 0 {
		t.Errorf("granted receive buffer not reported: %d", st.RecvBuffer)
	}
}

// A full queue drops and counts; the reader keeps reading (it never blocks on the consumers).
func TestListenerQueueFullDropsAndCounts(t *testing.T) {
	l, err := Listen(ListenerOptions{Addr: "127.0.0.1:0", QueueLen: 4, RecvBuffer: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	const n = 50
	payloads := make([][]byte, n)
	for i := range payloads {
		payloads[i] = []byte(fmt.Sprintf("datagram %d", i))
	}
	sendUDP(t, l.LocalAddr().String(), payloads...)
	deadline := time.Now().Add(5 * time.Second)
	for l.Stats().Received < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	st := l.Stats()
	if st.Received != n {
		t.Fatalf("received %d of %d datagrams on loopback", st.Received, n)
	}
	if st.QueueDrops != n-4 {
		t.Errorf("queue drops = %d, want %d (queue of 4, nobody reading)", st.QueueDrops, n-4)
	}
	if got := len(l.Packets()); got != 4 {
		t.Errorf("queued = %d, want 4", got)
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
	if len(l.conns) != 3 {
		t.Fatalf("%d sockets, want 3", len(l.conns))
	}
	port := l.LocalAddr().Port()
	for _, c := range l.conns {
		if p := c.LocalAddr().(*net.UDPAddr).Port; p != int(port) {
			t.Errorf("socket bound to port %d, want %d", p, port)
		}
	}
	// Different source ports hash to different sockets; all datagrams must arrive whichever socket gets them.
	for i := 0; i < 20; i++ {
		sendUDP(t, l.LocalAddr().String(), []byte{byte(i)})
	}
	got := 0
	timeout := time.After(5 * time.Second)
	for got < 20 {
		select {
		case p := <-l.Packets():
			p.Release()
			got++
		case <-timeout:
			t.Fatalf("received %d of 20", got)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-l.Packets(); ok {
		t.Error("queue still open after Close")
	}
}

func TestListenerBadAddress(t *testing.T) {
	if _, err := Listen(ListenerOptions{Addr: "127.0.0.1:notaport"}); err == nil {
		t.Fatal("want an error for a bad port")
	}
}
