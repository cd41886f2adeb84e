package sim

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// udpCounter counts and decodes the datagrams a test UDP socket on loopback receives.
type udpCounter struct {
	conn *net.UDPConn
	mu   sync.Mutex
	n    uint64
	size uint64
	bad  int
	last time.Time
	done chan struct{}
}

func listenUDP(t *testing.T, network, addr string) *udpCounter {
	t.Helper()
	conn, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.MustParseAddrPort(addr)))
	if err != nil {
		t.Skipf("no %s socket on %s: %v", network, addr, err)
	}
	if err := conn.SetReadBuffer(8 << 20); err != nil {
		t.Logf("receive buffer: %v", err)
	}
	c := &udpCounter{conn: conn, done: make(chan struct{})}
	t.Cleanup(func() {
		conn.Close()
		<-c.done
	})
	go func() {
		defer close(c.done)
		buf := make([]byte, 65536)
		dec := sflow.NewDecoder()
		var d sflow.Datagram
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			bad := dec.Decode(buf[:n], &d) != nil
			c.mu.Lock()
			c.n++
			c.size += uint64(n)
			c.last = time.Now()
			if bad {
				c.bad++
			}
			c.mu.Unlock()
		}
	}()
	return c
}

func (c *udpCounter) addr() string { return c.conn.LocalAddr().String() }

// settle waits until nothing has arrived for a while and returns the counts.
func (c *udpCounter) settle() (n, size uint64, bad int) {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		c.mu.Lock()
		quiet := time.Since(c.last) > 300*time.Millisecond
		n, size, bad = c.n, c.size, c.bad
		c.mu.Unlock()
		if quiet {
			break
		}
	}
	return n, size, bad
}

func TestSendLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("sends the fleet in real time for seconds")
	}
	for _, tc := range []struct{ name, network, listen string }{
		{"ipv4", "udp4", "127.0.0.1:0"},
		{"ipv6", "udp6", "[::1]:0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rx := listenUDP(t, tc.network, tc.listen)
			f := New(Options{Seed: 1, Hosts: 30, Start: testStart})
			st, err := Send(context.Background(), f, rx.addr(), 0, 1500*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			n, size, bad := rx.settle()
			t.Logf("%v; virtual %v", st, st.Virtual)
			if st.Datagrams < 20 || n != st.Datagrams || size != st.Bytes || bad > 0 {
				t.Fatalf("sent %d datagrams (%d bytes), received %d (%d bytes), %d did not decode",
					st.Datagrams, st.Bytes, n, size, bad)
			}
			if st.Elapsed < 1400*time.Millisecond || st.Elapsed > 3*time.Second {
				t.Errorf("ran %v for a 1.5 s duration", st.Elapsed)
			}
			if st.Virtual <= 0 || st.Virtual > st.Elapsed+sendStep {
				t.Errorf("virtual time %v ran ahead of the wall clock (%v)", st.Virtual, st.Elapsed)
			}
			if !f.Now().Equal(testStart.Add(st.Virtual)) {
				t.Errorf("fleet at %v after sending %v from %v", f.Now(), st.Virtual, testStart)
			}
		})
	}
}

func TestSendRateLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("measures a send rate over seconds of wall time")
	}
	rx := listenUDP(t, "udp4", "127.0.0.1:0")
	f := New(Options{Seed: 1, Hosts: 300, Start: testStart}) // about 500 datagrams/s
	const rate = 100
	st, err := Sender{To: rx.addr(), Rate: rate, Duration: 2 * time.Second}.Run(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	n, _, _ := rx.settle()
	t.Logf("%v; virtual %v", st, st.Virtual)
	if n != st.Datagrams {
		t.Errorf("sent %d, received %d", st.Datagrams, n)
	}
	if st.Rate() > rate*1.1 || st.Rate() < rate/2 {
		t.Errorf("sent %.1f datagrams/s with a limit of %d", st.Rate(), rate)
	}
	if st.Virtual > st.Elapsed*3/4 {
		t.Errorf("virtual time %v for %v of sending: the limit should slow it down", st.Virtual, st.Elapsed)
	}
}

func TestSendStopsWithContext(t *testing.T) {
	if testing.Short() {
		t.Skip("sends until a 0.7 s deadline of wall time: run without -short")
	}
	rx := listenUDP(t, "udp4", "127.0.0.1:0")
	f := New(Options{Seed: 1, Hosts: 12, Start: testStart, Cycle: MinCycle})
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	type result struct {
		st  Stats
		err error
	}
	done := make(chan result)
	go func() {
		st, err := Send(ctx, f, rx.addr(), 0, 0)
		done <- result{st, err}
	}()
	// A banner reads the clock and the incident while the fleet is being played.
	var r result
	for waiting := true; waiting; {
		select {
		case r = <-done:
			waiting = false
		default:
			if inc := f.Incident(); inc.Kind != Calm || f.Now().Before(testStart) {
				t.Errorf("at %v: %v, want the calm start of the script", f.Now(), inc.Kind)
			}
			time.Sleep(time.Millisecond)
		}
	}
	if r.err != nil || r.st.Datagrams == 0 || r.st.Elapsed > 2*time.Second {
		t.Fatalf("%v, %v: want a normal end at the context's deadline", r.st, r.err)
	}
}

func TestSendRefusesRemote(t *testing.T) {
	f := New(Options{Seed: 1, Hosts: 6})
	for _, to := range []string{"192.0.2.1:6343", "[2001:db8::1]:6343", "10.10.0.1:6343"} {
		st, err := Send(context.Background(), f, to, 0, time.Second)
		if !errors.Is(err, ErrNotLoopback) || st.Datagrams != 0 {
			t.Errorf("Send to %s: %v, %v; want ErrNotLoopback before sending", to, st, err)
		}
	}
	if _, err := (Sender{To: "127.0.0.1:6343", Rate: -1}).Run(context.Background(), f); err == nil {
		t.Error("a negative rate was accepted")
	}
	if !f.Now().Equal(f.Options().Start) {
		t.Errorf("a refused Send moved the fleet's clock to %v", f.Now())
	}
}

func TestResolveTarget(t *testing.T) {
	for _, tc := range []struct {
		to          string
		allowRemote bool
		want        string // "" for an error
		notLoopback bool
	}{
		{to: "127.0.0.1:6343", want: "127.0.0.1:6343"},
		{to: "127.8.9.10:9", want: "127.8.9.10:9"},
		{to: "[::1]:6343", want: "[::1]:6343"},
		{to: "[::ffff:127.0.0.1]:6343", want: "127.0.0.1:6343"},
		{to: ":6343", want: "127.0.0.1:6343"},
		{to: "localhost:6343", want: "127.0.0.1:6343"},
		{to: "192.0.2.1:6343", notLoopback: true},
		{to: "0.0.0.0:6343", notLoopback: true},
		{to: "192.0.2.1:6343", allowRemote: true, want: "192.0.2.1:6343"},
		{to: "127.0.0.1", want: ""},
		{to: "127.0.0.1:0", want: ""},
		{to: "127.0.0.1:65536", want: ""},
		{to: "127.0.0.1:-1", want: ""},
		{to: "", want: ""},
	} {
		got, err := ResolveTarget(context.Background(), tc.to, tc.allowRemote)
		switch {
		case tc.notLoopback:
			if !errors.Is(err, ErrNotLoopback) {
				t.Errorf("%q: %v, %v; want ErrNotLoopback", tc.to, got, err)
			}
		case tc.want == "":
			if err == nil {
				t.Errorf("%q: %v, want an error", tc.to, got)
			}
		case err != nil || got.String() != tc.want:
			t.Errorf("%q: %v, %v; want %s", tc.to, got, err, tc.want)
		}
	}
}
