package graphite

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// lineCarbon plays carbon's plaintext receiver on a real loopback socket: it records every line it reads.
type lineCarbon struct {
	ln      net.Listener
	mu      sync.Mutex
	lines   []string
	accepts int
	changed chan struct{}
	wg      sync.WaitGroup
	// afterLines, when > 0, makes the server close a connection once it has read that many lines on it.
	afterLines int
}

func listenLineCarbon(t *testing.T, addr string, afterLines int) *lineCarbon {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	s := &lineCarbon{ln: ln, changed: make(chan struct{}, 1), afterLines: afterLines}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.close)
	return s
}

func (s *lineCarbon) addr() string { return s.ln.Addr().String() }

func (s *lineCarbon) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.accepts++
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			sc := bufio.NewScanner(conn)
			n := 0
			for sc.Scan() {
				s.mu.Lock()
				s.lines = append(s.lines, sc.Text())
				s.mu.Unlock()
				select {
				case s.changed <- struct{}{}:
				default:
				}
				n++
				if s.afterLines > 0 && n >= s.afterLines {
					return
				}
			}
		}()
	}
}

// close stops accepting and ends every connection.
func (s *lineCarbon) close() {
	s.ln.Close()
	s.wg.Wait()
}

func (s *lineCarbon) snapshot() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

// waitLines waits until the server has read at least n lines or the deadline passes.
func (s *lineCarbon) waitLines(t *testing.T, n int, within time.Duration) []string {
	t.Helper()
	deadline := time.After(within)
	for {
		if got := s.snapshot(); len(got) >= n {
			return got
		}
		select {
		case <-s.changed:
		case <-deadline:
			got := s.snapshot()
			t.Fatalf("carbon got %d lines, want %d; last: %q", len(got), n, tail(got, 3))
			return nil
		}
	}
}

func tail(s []string, n int) []string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func waitHealth(t *testing.T, c *Carbon, what string, cond func(CarbonHealth) bool) CarbonHealth {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		h := c.Health()
		if cond(h) {
			return h
		}
		if time.Now().After(deadline) {
			t.Fatalf("carbon health never became %s: %+v", what, h)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func closeCarbon(t *testing.T, c *Carbon) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Close(ctx)
}

// seqPoints makes n points of one path, value i*0.5 at base + i*10 s.
func seqPoints(path string, base int64, from, n int) []Point {
	pts := make([]Point, 0, n)
	for i := from; i < from+n; i++ {
		pts = append(pts, Point{Path: path, Value: float64(i) * 0.5, Time: time.Unix(base+int64(i)*10, 0)})
	}
	return pts
}

func seqLines(path string, base int64, from, n int) []string {
	var out []string
	for _, p := range seqPoints(path, base, from, n) {
		out = append(out, strings.TrimSuffix(string(appendPlaintext(nil, queued{p.Path, p.Value, p.Time.Unix()})), "\n"))
	}
	return out
}

func equalLines(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d\n got tail %q\nwant tail %q", len(got), len(want), tail(got, 3), tail(want, 3))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestCarbonPlaintextDeliversInOrder(t *testing.T) {
	srv := listenLineCarbon(t, "127.0.0.1:0", 0)
	c := NewCarbon(srv.addr(), CarbonOptions{BatchSize: 100, FlushInterval: 20 * time.Millisecond})
	const n = 1234
	pts := seqPoints("fleet.web01.cpu", 1_700_000_000, 0, n)
	for i := 0; i < n; i += 7 {
		c.Send(pts[i:min(i+7, n)]...)
	}
	got := srv.waitLines(t, n, 10*time.Second)
	equalLines(t, got, seqLines("fleet.web01.cpu", 1_700_000_000, 0, n))
	h := waitHealth(t, c, "all sent", func(h CarbonHealth) bool { return h.Sent == n })
	if !h.Connected || h.Buffered != 0 || h.Dropped != 0 || h.LastFlush.IsZero() {
		t.Errorf("health after delivery: %+v", h)
	}
	if err := closeCarbon(t, c); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if h := c.Health(); h.Connected {
		t.Errorf("connected after Close: %+v", h)
	}
}

func TestCarbonFlushesPartialBatchWithoutClose(t *testing.T) {
	srv := listenLineCarbon(t, "127.0.0.1:0", 0)
	c := NewCarbon(srv.addr(), CarbonOptions{BatchSize: 10_000, FlushInterval: 30 * time.Millisecond})
	defer closeCarbon(t, c)
	c.Send(Point{Path: "a.b", Value: 1, Time: time.Unix(100, 0)}, Point{Path: "a.c", Value: -2.25, Time: time.Unix(110, 0)})
	equalLines(t, srv.waitLines(t, 2, 10*time.Second), []string{"a.b 1 100", "a.c -2.25 110"})
}

func TestCarbonCloseFlushes(t *testing.T) {
	srv := listenLineCarbon(t, "127.0.0.1:0", 0)
	// a flush interval that never comes: only Close can write these
	c := NewCarbon(srv.addr(), CarbonOptions{BatchSize: 1000, FlushInterval: time.Hour})
	waitHealth(t, c, "connected", func(h CarbonHealth) bool { return h.Connected })
	c.Send(seqPoints("x.y", 1000, 0, 5)...)
	if err := closeCarbon(t, c); err != nil {
		t.Fatalf("Close: %v", err)
	}
	equalLines(t, srv.waitLines(t, 5, 10*time.Second), seqLines("x.y", 1000, 0, 5))
	if err := closeCarbon(t, c); err != nil {
		t.Errorf("second Close: %v", err)
	}
	c.Send(Point{Path: "late", Value: 1})
	if h := c.Health(); h.Dropped != 1 {
		t.Errorf("Send after Close: dropped = %d, want 1", h.Dropped)
	}
}

func TestCarbonDropsOldestWhileDown(t *testing.T) {
	addr := closedAddr(t)
	c := NewCarbon(addr, CarbonOptions{BufferSize: 10, BatchSize: 4, FlushInterval: 10 * time.Millisecond,
		BackoffMin: 10 * time.Millisecond, BackoffMax: 40 * time.Millisecond})
	defer closeCarbon(t, c)
	h := waitHealth(t, c, "failed", func(h CarbonHealth) bool { return h.LastError != nil })
	if h.Connected {
		t.Fatalf("connected to a closed port: %+v", h)
	}
	c.Send(seqPoints("m", 0, 0, 25)...)
	h = c.Health()
	if h.Dropped != 15 || h.Buffered != 10 {
		t.Fatalf("while down: dropped %d buffered %d, want 15 and 10", h.Dropped, h.Buffered)
	}
	// carbon comes back on the same address: the newest 10 arrive, in order
	srv := listenLineCarbon(t, addr, 0)
	equalLines(t, srv.waitLines(t, 10, 10*time.Second), seqLines("m", 0, 15, 10))
	h = waitHealth(t, c, "drained", func(h CarbonHealth) bool { return h.Buffered == 0 && h.Sent == 10 })
	if !h.Connected || h.Dropped != 15 {
		t.Errorf("after recovery: %+v", h)
	}
}

func TestCarbonBackoffDoublesToCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { // the clock stands still: the wait is exactly backoff plus jitter
		c := &Carbon{opt: CarbonOptions{BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second}.withDefaults()}
		s := &sender{backoff: c.opt.BackoffMin}
		want := []time.Duration{100, 200, 400, 800, 1000, 1000}
		for i, w := range want {
			w *= time.Millisecond
			before := time.Now()
			c.failed(s, errors.New("refused"))
			wait := s.retryAt.Sub(before)
			// the wait is the backoff plus up to 20% jitter
			if wait < w || wait > w+w/5 {
				t.Errorf("failure %d: retry after %v, want %v..%v", i+1, wait, w, w+w/5)
			}
		}
		if c.health.LastError == nil || c.health.Connected {
			t.Errorf("health after failures: %+v", c.health)
		}
	})
}

func TestCarbonReconnectsAfterServerCloses(t *testing.T) {
	// carbon reads one line per connection and hangs up, the rest of the batch dies in its socket buffer:
	// the client must notice, queue the batch again and deliver it on the next connection
	srv := listenLineCarbon(t, "127.0.0.1:0", 1)
	addr := srv.addr()
	c := NewCarbon(addr, CarbonOptions{BatchSize: 100, FlushInterval: 10 * time.Millisecond,
		BackoffMin: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond, ResendWindow: time.Minute})
	defer closeCarbon(t, c)
	waitHealth(t, c, "connected", func(h CarbonHealth) bool { return h.Connected })
	c.Send(seqPoints("r", 0, 0, 50)...)
	srv.waitLines(t, 1, 10*time.Second)
	h := waitHealth(t, c, "requeued", func(h CarbonHealth) bool { return h.Requeued >= 50 })
	srv.close()
	srv2 := listenLineCarbon(t, addr, 0)
	// requeued batches may repeat; all 50 must be there, in order, at the end
	srv2.waitLines(t, 50, 10*time.Second)
	waitHealth(t, c, "drained", func(h CarbonHealth) bool { return h.Buffered == 0 && h.Connected })
	got := srv2.snapshot()
	equalLines(t, got[len(got)-50:], seqLines("r", 0, 0, 50))
	if h.Reconnects == 0 && c.Health().Reconnects == 0 {
		t.Errorf("no reconnect counted: %+v", c.Health())
	}
}

func TestCarbonCloseGivesUpAtDeadline(t *testing.T) {
	c := NewCarbon(closedAddr(t), CarbonOptions{BackoffMin: 10 * time.Millisecond, BackoffMax: 20 * time.Millisecond})
	c.Send(seqPoints("lost", 0, 0, 7)...)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Close(ctx) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "7 points undelivered") {
			t.Fatalf("Close = %v, want an error counting 7 undelivered points", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("Close error %v should wrap the deadline and name the last failure", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return after its context ended")
	}
}

func TestCarbonRejectsInvalidPoints(t *testing.T) {
	srv := listenLineCarbon(t, "127.0.0.1:0", 0)
	c := NewCarbon(srv.addr(), CarbonOptions{FlushInterval: 10 * time.Millisecond})
	defer closeCarbon(t, c)
	bad := []Point{
		{Path: ""},
		{Path: "has space", Value: 1},
		{Path: "has\nnewline", Value: 1},
		{Path: "tab\there", Value: 1},
		{Path: "nul\x00", Value: 1},
		{Path: "bad\xffutf8", Value: 1},
		{Path: strings.Repeat("a", MaxPathLen+1), Value: 1},
		{Path: "nan", Value: math.NaN()},
		{Path: "inf", Value: math.Inf(-1)},
	}
	good := []Point{
		{Path: "ok.café", Value: 3, Time: time.Unix(50, 0)},
		{Path: "tagged.metric;dc=dc1", Value: 1e21, Time: time.Unix(60, 0)},
	}
	c.Send(append(bad, good...)...)
	equalLines(t, srv.waitLines(t, 2, 10*time.Second), []string{"ok.café 3 50", "tagged.metric;dc=dc1 1e+21 60"})
	h := c.Health()
	if h.Rejected != uint64(len(bad)) || !strings.Contains(h.LastReject, "not finite") {
		t.Errorf("rejected %d (last %q), want %d ending with the infinite value", h.Rejected, h.LastReject, len(bad))
	}
}

func TestCarbonZeroTimeMeansNow(t *testing.T) {
	srv := listenLineCarbon(t, "127.0.0.1:0", 0)
	c := NewCarbon(srv.addr(), CarbonOptions{FlushInterval: 10 * time.Millisecond})
	defer closeCarbon(t, c)
	before := time.Now().Unix()
	c.Send(Point{Path: "now", Value: 1})
	after := time.Now().Unix()
	line := srv.waitLines(t, 1, 10*time.Second)[0]
	var ts int64
	if _, err := fmt.Sscanf(line, "now 1 %d", &ts); err != nil || ts < before || ts > after {
		t.Errorf("line %q: want a timestamp in [%d, %d] (%v)", line, before, after, err)
	}
}

// TestCarbonPickleFramesOverTCP sends with the pickle protocol to a socket reading carbon's framing, then has
// CPython unpickle every frame.
func TestCarbonPickleFramesOverTCP(t *testing.T) {
	py := systemPython(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	framesCh := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			framesCh <- nil
			return
		}
		defer conn.Close()
		var all []byte
		var hdr [4]byte
		for {
			if _, err := io.ReadFull(conn, hdr[:]); err != nil {
				break
			}
			n := binary.BigEndian.Uint32(hdr[:])
			if n > PickleMaxMessage {
				break
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(conn, body); err != nil {
				break
			}
			all = append(append(all, hdr[:]...), body...)
		}
		framesCh <- all
	}()
	c := NewCarbon(ln.Addr().String(), CarbonOptions{Protocol: Pickle, BatchSize: 7, FlushInterval: 10 * time.Millisecond})
	c.Send(seqPoints("pk.x", 1_700_000_000, 0, 20)...)
	if err := closeCarbon(t, c); err != nil {
		t.Fatalf("Close: %v", err)
	}
	frames := <-framesCh
	cmd := exec.Command(py, "-c", `
import pickle, struct, sys
data = sys.stdin.buffer.read()
while data:
    (n,) = struct.unpack('>I', data[:4])
    for path, (ts, value) in pickle.loads(data[4:4+n]):
        print(path, int(ts), value)
    data = data[4+n:]
`)
	cmd.Stdin = bytes.NewReader(frames)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	var want []string
	for _, p := range seqPoints("pk.x", 1_700_000_000, 0, 20) {
		want = append(want, fmt.Sprintf("%s %d %s", p.Path, p.Time.Unix(), strconv.FormatFloat(p.Value, 'f', 1, 64)))
	}
	equalLines(t, strings.Split(strings.TrimSpace(string(out)), "\n"), want)
	if h := c.Health(); h.Sent != 20 || h.Protocol != Pickle {
		t.Errorf("health: %+v", h)
	}
}

func TestCarbonCloseCutsBlockedWrite(t *testing.T) {
	// carbon accepts and never reads: once the socket buffers fill, a write blocks
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if conn, err := ln.Accept(); err == nil {
			accepted <- conn
		}
	}()
	c := NewCarbon(ln.Addr().String(), CarbonOptions{BufferSize: 1 << 20, BatchSize: 5000,
		FlushInterval: time.Millisecond, WriteTimeout: time.Minute})
	defer func() {
		select {
		case conn := <-accepted:
			conn.Close()
		default:
		}
	}()
	path := "blocked." + strings.Repeat("x", 200)
	// 100k points of ~230 bytes outgrow loopback's socket buffers several times over
	for i := 0; i < 20; i++ {
		c.Send(seqPoints(path, 0, i*5000, 5000)...)
	}
	// wait until the sender is stuck: Sent stops moving while points remain
	waitHealth(t, c, "stuck", func(h CarbonHealth) bool {
		before := h.Sent
		time.Sleep(100 * time.Millisecond)
		h = c.Health()
		return h.Sent == before && h.Buffered > 0 && h.Sent > 0
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Close(ctx) }()
	select {
	case err := <-done:
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Close = %v, want the deadline and a count of undelivered points", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for a blocked write instead of its context")
	}
}
