package graphite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// Point is one value of one series for carbon. Path must already be a carbon path, dotted, its elements
// sanitised by the caller: Send refuses (and counts) a path that is empty, longer than MaxPathLen, not UTF-8 or
// holds whitespace or control bytes, and a value that is NaN or infinite. A zero Time means "now" at Send;
// carbon keeps whole seconds.
type Point struct {
	Path  string
	Value float64
	Time  time.Time
}

// CarbonOptions tune a Carbon client; zero fields take the defaults shown.
type CarbonOptions struct {
	Protocol      Protocol      // Plaintext
	BufferSize    int           // 100000 points held while carbon is slow or away; beyond it the oldest go
	BatchSize     int           // 500 points per write
	FlushInterval time.Duration // 1s: the longest a point waits for its batch to fill
	DialTimeout   time.Duration // 5s
	WriteTimeout  time.Duration // 10s per batch
	BackoffMin    time.Duration // 100ms: first wait after a failed dial or write
	BackoffMax    time.Duration // 30s: the wait doubles up to this
	// ResendWindow is how far back points already written are queued again when the connection turns out
	// dead (default 2s; negative disables; at most BufferSize points). Carbon's protocols have no
	// acknowledgement: the kernel accepts writes after carbon has gone, and a carbon-cache that stops cleanly
	// still loses the points its writer had not yet stored (its last second or so; measured: ~100 points of a
	// 200/s stream without this). carbon-cache stores a point by (path, timestamp), so a repeat is harmless;
	// disable it in front of an aggregator that sums.
	ResendWindow time.Duration
}

func (o CarbonOptions) withDefaults() CarbonOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.BufferSize <= 0 {
		o.BufferSize = 100_000
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	def(&o.FlushInterval, time.Second)
	def(&o.DialTimeout, 5*time.Second)
	def(&o.WriteTimeout, 10*time.Second)
	def(&o.BackoffMin, 100*time.Millisecond)
	def(&o.BackoffMax, 30*time.Second)
	if o.BackoffMax < o.BackoffMin {
		o.BackoffMax = o.BackoffMin
	}
	if o.ResendWindow == 0 {
		o.ResendWindow = 2 * time.Second
	}
	return o
}

// CarbonHealth is a Carbon client's state for the status line.
type CarbonHealth struct {
	Addr        string
	Protocol    Protocol
	Connected   bool
	LastError   error // the latest dial or write failure, kept after recovery
	LastErrorAt time.Time
	LastFlush   time.Time // the latest successful write
	Sent        uint64    // points written to carbon, repeats after a reconnect included
	Requeued    uint64    // points queued again because their connection died (see ResendWindow)
	Dropped     uint64    // points discarded: the oldest when the buffer was full, and those sent after Close
	Rejected    uint64    // points refused by Send: bad path or non-finite value
	LastReject  string    // why the latest point was refused
	Buffered    int       // points waiting to be written
	Reconnects  uint64    // successful dials after the first

	// LastWrite is how long the latest successful write took.
	LastWrite time.Duration
}

// Carbon sends points to carbon in the background: Send never blocks on the network. Points wait in a bounded
// buffer, go out in batches, and survive carbon restarts: the sender reconnects with capped exponential
// backoff, and while carbon is away the buffer keeps the newest BufferSize points, counting the rest as dropped.
type Carbon struct {
	addr string
	opt  CarbonOptions

	wake     chan struct{} // Send → sender: there is something to look at
	closing  chan struct{}
	stopped  chan struct{}
	closeCtx context.Context // set before closing is closed
	closeErr error           // set before stopped is closed
	once     sync.Once
	// runCtx ends when Close's context does: it cuts short a dial or write in progress.
	runCtx context.Context
	abort  context.CancelFunc

	mu           sync.Mutex
	queue        *ring
	pendingSince time.Time // when the oldest unsent point arrived in an empty queue
	closed       bool
	health       CarbonHealth
	dials        uint64
}

// NewCarbon starts a client for carbon at addr (host:port): 2003 for Plaintext, 2004 for Pickle on a default
// carbon-cache. It connects in the background; call Close to flush and stop it.
func NewCarbon(addr string, opt CarbonOptions) *Carbon {
	opt = opt.withDefaults()
	runCtx, abort := context.WithCancel(context.Background())
	c := &Carbon{
		runCtx:  runCtx,
		abort:   abort,
		addr:    addr,
		opt:     opt,
		wake:    make(chan struct{}, 1),
		closing: make(chan struct{}),
		stopped: make(chan struct{}),
		queue:   newRing(opt.BufferSize),
		health:  CarbonHealth{Addr: addr, Protocol: opt.Protocol},
	}
	go c.run()
	return c
}

// Send queues points for carbon. Invalid points (see Point) are counted as rejected and skipped; when the
// buffer is full the oldest buffered points make room. Safe for concurrent use.
func (c *Carbon) Send(points ...Point) {
	now := time.Now()
	c.mu.Lock()
	if c.closed {
		c.health.Dropped += uint64(len(points))
		c.mu.Unlock()
		return
	}
	wasEmpty := c.queue.len() == 0
	for _, p := range points {
		if err := validatePoint(p.Path, p.Value); err != nil {
			c.health.Rejected++
			c.health.LastReject = fmt.Sprintf("%.80q: %v", p.Path, err)
			continue
		}
		ts := now.Unix()
		if !p.Time.IsZero() {
			ts = p.Time.Unix()
		}
		if c.queue.push(queued{path: p.Path, value: p.Value, ts: ts}) {
			c.health.Dropped++
		}
	}
	if wasEmpty && c.queue.len() > 0 {
		c.pendingSince = now
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Health returns a copy of the client's state.
func (c *Carbon) Health() CarbonHealth {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.health
	h.Buffered = c.queue.len()
	return h
}

// Close writes what is buffered, waiting for carbon until ctx is done, then stops the client; a dial or
// write in progress when ctx ends is cut short. It returns an error naming how many points were not
// delivered, if any. Later calls return the same result.
func (c *Carbon) Close(ctx context.Context) error {
	c.once.Do(func() {
		c.closeCtx = ctx
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		close(c.closing)
	})
	select {
	case <-c.stopped:
	case <-ctx.Done():
		c.abort()
		<-c.stopped
	}
	c.abort()
	return c.closeErr
}

// connection is one TCP connection to carbon and the goroutine that watches it for the peer going away.
type connection struct {
	net.Conn
	dead      chan struct{} // closed when a read fails: carbon never writes, so any read result means it is gone
	stopAbort func() bool   // unhooks the write interruption tied to runCtx
}

func (conn *connection) close() {
	conn.stopAbort()
	conn.Close()
}

func (c *Carbon) dial() (*connection, error) {
	ctx, cancel := context.WithTimeout(c.runCtx, c.opt.DialTimeout)
	defer cancel()
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return nil, fmt.Errorf("carbon %s: %w", c.addr, err)
	}
	conn := &connection{Conn: nc, dead: make(chan struct{})}
	// a deadline in the past makes a blocked Write return at once
	conn.stopAbort = context.AfterFunc(c.runCtx, func() { nc.SetWriteDeadline(time.Unix(1, 0)) })
	go func() {
		var b [64]byte
		for {
			if _, err := nc.Read(b[:]); err != nil {
				close(conn.dead)
				return
			}
		}
	}()
	return conn, nil
}

// sender is the state of the run goroutine.
type sender struct {
	conn    *connection
	backoff time.Duration
	retryAt time.Time
	batch   []queued
	wire    []byte
	resend  resendLog
}

func (c *Carbon) run() {
	s := &sender{backoff: c.opt.BackoffMin, resend: resendLog{limit: c.opt.BufferSize}}
	defer close(c.stopped)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		now := time.Now()
		if s.conn == nil && !now.Before(s.retryAt) {
			c.connect(s)
		}
		if s.conn != nil && c.due(now) {
			c.flush(s)
		}

		var dead chan struct{}
		if s.conn != nil {
			dead = s.conn.dead
		}
		// Since Go 1.23 Reset and Stop leave no stale tick in timer.C.
		if wait, ok := c.nextWake(s, time.Now()); ok {
			timer.Reset(wait)
		} else {
			timer.Stop()
		}
		select {
		case <-c.closing:
			c.drain(s)
			return
		case <-dead:
			c.lost(s, fmt.Errorf("carbon %s: connection closed by carbon", c.addr))
		case <-c.wake:
		case <-timer.C:
		}
	}
}

// due reports whether the buffered points should be written now: a full batch, or the oldest has waited a
// FlushInterval.
func (c *Carbon) due(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.queue.len()
	return n >= c.opt.BatchSize || (n > 0 && now.Sub(c.pendingSince) >= c.opt.FlushInterval)
}

// nextWake is how long the sender may sleep before it has something to do, and false when only a Send, a
// dead connection or Close can give it work.
func (c *Carbon) nextWake(s *sender, now time.Time) (time.Duration, bool) {
	if s.conn == nil {
		return max(s.retryAt.Sub(now), 0), true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.queue.len()
	switch {
	case n >= c.opt.BatchSize:
		return 0, true
	case n > 0:
		return max(c.pendingSince.Add(c.opt.FlushInterval).Sub(now), 0), true
	}
	return 0, false
}

func (c *Carbon) connect(s *sender) {
	conn, err := c.dial()
	if err != nil {
		c.failed(s, err)
		return
	}
	s.conn = conn
	c.mu.Lock()
	c.health.Connected = true
	if c.dials > 0 {
		c.health.Reconnects++
	}
	c.dials++
	c.mu.Unlock()
}

// failed records err and schedules the next dial after the current backoff, with jitter so that many clients
// restarted together do not reconnect in step.
func (c *Carbon) failed(s *sender, err error) {
	now := time.Now()
	c.mu.Lock()
	// A dial or write cut short by Close's deadline says nothing about carbon: keep the failure before it.
	if c.runCtx == nil || c.runCtx.Err() == nil || c.health.LastError == nil {
		c.health.LastError = err
		c.health.LastErrorAt = now
	}
	c.health.Connected = false
	c.mu.Unlock()
	jitter := time.Duration(rand.Int64N(int64(s.backoff)/5 + 1))
	s.retryAt = now.Add(s.backoff + jitter)
	s.backoff = min(2*s.backoff, c.opt.BackoffMax)
}

// lost drops the connection after a failure and queues again what may have died with it.
func (c *Carbon) lost(s *sender, err error) {
	if s.conn != nil {
		s.conn.close()
		s.conn = nil
	}
	// batches whose copies were let go would be pushed out by the kept ones anyway: count them as dropped
	again, gone := s.resend.drain(time.Now().Add(-c.opt.ResendWindow))
	again = append(again, s.batch...) // the batch whose write failed, if any
	s.batch = s.batch[:0]
	c.mu.Lock()
	c.health.Dropped += uint64(gone)
	if len(again) > 0 {
		if c.queue.len() == 0 {
			c.pendingSince = time.Now()
		}
		c.health.Dropped += uint64(c.queue.pushFront(again))
		c.health.Requeued += uint64(len(again))
	}
	c.mu.Unlock()
	c.failed(s, err)
}

// flush writes every buffered point in batches while the connection holds.
func (c *Carbon) flush(s *sender) {
	for s.conn != nil {
		c.mu.Lock()
		s.batch = c.queue.take(s.batch, c.opt.BatchSize)
		c.mu.Unlock()
		if len(s.batch) == 0 {
			return
		}
		if err := c.write(s); err != nil {
			c.lost(s, err)
			return
		}
	}
}

// write sends s.batch on s.conn and hands it to s.resend.
func (c *Carbon) write(s *sender) error {
	start := time.Now()
	if err := s.conn.SetWriteDeadline(start.Add(c.opt.WriteTimeout)); err != nil {
		return fmt.Errorf("carbon %s: %w", c.addr, err)
	}
	// checked after setting the deadline: an abort before it would otherwise be overwritten
	if err := c.runCtx.Err(); err != nil {
		return fmt.Errorf("carbon %s: closing: %w", c.addr, err)
	}
	s.wire = s.wire[:0]
	switch c.opt.Protocol {
	case Pickle:
		for rest := s.batch; len(rest) > 0; {
			var n int
			s.wire, n = appendPickle(s.wire, rest, PickleMaxMessage)
			rest = rest[n:]
		}
	default:
		for _, p := range s.batch {
			s.wire = appendPlaintext(s.wire, p)
		}
	}
	if _, err := s.conn.Write(s.wire); err != nil {
		return fmt.Errorf("carbon %s: write %d points: %w", c.addr, len(s.batch), err)
	}
	select {
	case <-s.conn.dead:
		// carbon went away before or while we wrote: the kernel took the bytes but nobody will read them
		return fmt.Errorf("carbon %s: connection closed by carbon", c.addr)
	default:
	}
	after := time.Now()
	c.mu.Lock()
	c.health.Sent += uint64(len(s.batch))
	c.health.LastFlush, c.health.LastWrite = after, after.Sub(start)
	c.mu.Unlock()
	s.backoff = c.opt.BackoffMin

	if c.opt.ResendWindow > 0 {
		s.resend.add(after, s.batch)
		s.resend.expire(after.Add(-c.opt.ResendWindow))
		s.batch = s.resend.batch()
	}
	s.batch = s.batch[:0]
	return nil
}

// drain is Close's part in the sender: write everything buffered, reconnecting as needed, until the queue is
// empty or Close's context is done.
func (c *Carbon) drain(s *sender) {
	ctx := c.closeCtx
	s.retryAt = time.Time{} // one immediate attempt, whatever the backoff had reached
	for {
		c.mu.Lock()
		n := c.queue.len()
		c.mu.Unlock()
		if n == 0 || ctx.Err() != nil {
			break
		}
		if s.conn == nil {
			if wait := time.Until(s.retryAt); wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
				case <-t.C:
				}
				t.Stop()
				continue
			}
			c.connect(s)
			continue
		}
		c.flush(s)
	}
	if s.conn != nil {
		s.conn.close()
		s.conn = nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.health.Connected = false
	if n := c.queue.len(); n > 0 {
		// the loop above only leaves points behind once ctx is done
		c.closeErr = fmt.Errorf("carbon %s: closed with %d points undelivered: %w (last error: %v)",
			c.addr, n, ctx.Err(), c.health.LastError)
	}
}
