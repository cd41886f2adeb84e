package sflow

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// DefaultRecvBuffer is the socket receive buffer the listener asks the kernel for: a burst of datagrams from a
// whole fleet must wait there while the readers are busy.
const DefaultRecvBuffer = 32 << 20

// maxDatagram is the largest UDP payload; sFlow agents send at most 1500 bytes but some relays do not.
const maxDatagram = 65535

// smallPacket is the size of the pooled buffers datagrams are read into: hsflowd and the other agents send at
// most 1400 bytes by default (SFL_DEFAULT_DATAGRAM_SIZE), 1500 at most on a plain Ethernet path. A larger
// (jumbo-frame) datagram gets a buffer of its own size.
const smallPacket = 2048

// DefaultQueueLen is how many datagrams may wait for the decoding workers: 128 MiB of pooled buffers at most,
// a second and more of a fleet sending 50,000 datagrams/s, for the workers' pauses (a snapshot being
// published) to pass without a drop where the kernel grants only a small receive buffer. A full queue makes
// its reader wait.
const DefaultQueueLen = 65536

// DefaultBatch is how many datagrams a reader takes from its socket in one system call (recvmmsg on Linux) at
// most, and so the most one decoding queue receives at once from it.
const DefaultBatch = 64

// Packet is one received datagram. Buf is pooled: call Release when done with it (and with everything decoded
// from it, since decoded strings point into Buf).
type Packet struct {
	Buf  []byte
	Src  netip.AddrPort
	Time time.Time
	l    *Listener
}

// Release gives the packet's buffer back to its listener's pool.
func (p *Packet) Release() {
	if p.l != nil && cap(p.Buf) == smallPacket {
		p.Buf = p.Buf[:0]
		p.l.pool.Put(p)
	}
}

// ListenerOptions configures a Listener. Zero values take the defaults.
type ListenerOptions struct {
	Addr       string // host:port, default ":6343" (IPv4 and IPv6)
	RecvBuffer int    // bytes to ask for per socket, default DefaultRecvBuffer
	// Sockets is how many sockets share the port (SO_REUSEPORT on Linux, SO_REUSEPORT_LB on FreeBSD), each with
	// its reader; the kernel spreads the agents over them by source address and port. Default: one per four
	// CPUs where the system can share a port, else one.
	Sockets  int
	QueueLen int // datagrams received and not yet decoded before the readers wait, default DefaultQueueLen
	Batch    int // datagrams read in one system call at most, default DefaultBatch

	// BeforeRead, when set, is called by each reader before each read: a test hook, to stall the readers so
	// that the sockets' receive buffers fill and the kernel drops.
	BeforeRead func()
}

// ListenerStats are the listener's counters.
type ListenerStats struct {
	Received   uint64 // datagrams read from the sockets
	Bytes      uint64
	QueueDrops uint64 // read but never decoded: the decoding workers had stopped (a full queue makes its reader wait)
	// KernelDrops is what the kernel dropped for the sockets (a full receive buffer, mostly): its count for each
	// socket as of the latest datagram read from it (SO_RXQ_OVFL, the drops column of /proc/net/udp), on Linux;
	// 0 elsewhere.
	KernelDrops uint64
	ReadErrors  uint64
	Sockets     int    // sockets sharing the port
	RecvBuffer  int    // receive buffer the kernel granted (per socket), bytes
	Warning     string // set when the kernel granted less than asked, with the sysctl that fixes it
}

// Listener reads sFlow datagrams from UDP sockets and hands them to decoding workers (Serve, Handle) through
// bounded queues, in batches. A reader whose worker's queue is full waits for room instead of reading on: what
// arrives meanwhile waits in the socket's receive buffer, and what does not fit there the kernel drops and
// counts (KernelDrops). Reading a datagram only to drop it would take CPU from the workers just when they
// lack it (scripts/compare-collectors.sh 200000: of 2 million datagrams offered in 10 s, 1.10 million decoded
// when the readers dropped from full queues, 1.68 million when they wait).
type Listener struct {
	conns    []*net.UDPConn
	batch    int
	queueLen int
	hook     func()
	pool     sync.Pool // *Packet with a smallPacket buffer
	batches  sync.Pool // *batch
	granted  int
	warning  string
	served   atomic.Bool
	closed   atomic.Bool
	readers  sync.WaitGroup
	queues   []*queue
	queuesMu sync.Mutex    // Close waits with it for Serve to have made the queues
	stop     chan struct{} // closed when the workers stop: readers waiting for room drop what they hold
	stopOnce sync.Once

	received, bytes, drops, readErrors atomic.Uint64
	kernelDrops                        []atomic.Uint64 // per socket
	lastReadErr                        atomic.Pointer[string]
	failing                            atomic.Bool // the latest read of a socket failed
}

// batch is datagrams a reader hands one worker at once.
type batch struct{ pkts []*Packet }

// queue is one worker's bounded queue of batches; n counts the datagrams in them and in the batch the worker
// is decoding. The worker signals room on space after each batch.
type queue struct {
	ch    chan *batch
	n     atomic.Int64
	space chan struct{}
}

// Listen binds the sockets. Nothing is read from them before Serve.
func Listen(opt ListenerOptions) (*Listener, error) {
	if opt.Addr == "" {
		opt.Addr = ":6343"
	}
	if opt.RecvBuffer <= 0 {
		opt.RecvBuffer = DefaultRecvBuffer
	}
	if opt.Sockets <= 0 {
		opt.Sockets = 1
		if reusePortOption != nil {
			opt.Sockets = max(1, runtime.GOMAXPROCS(0)/4)
		}
	}
	if opt.QueueLen <= 0 {
		opt.QueueLen = DefaultQueueLen
	}
	if opt.Batch <= 0 {
		opt.Batch = DefaultBatch
	}
	l := &Listener{batch: opt.Batch, queueLen: opt.QueueLen, hook: opt.BeforeRead, stop: make(chan struct{})}
	l.pool.New = func() any { return &Packet{Buf: make([]byte, 0, smallPacket), l: l} }
	l.batches.New = func() any { return &batch{pkts: make([]*Packet, 0, opt.Batch)} }

	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) { serr = socketOptions(fd, opt.Sockets > 1) }); err != nil {
			return err
		}
		return serr
	}}
	if opt.Sockets > 1 && reusePortOption == nil {
		return nil, fmt.Errorf("%d sockets on one port: %w", opt.Sockets, errNoReusePort)
	}
	for i := 0; i < opt.Sockets; i++ {
		pc, err := lc.ListenPacket(context.Background(), "udp", opt.Addr)
		if err != nil {
			l.closeConns()
			return nil, fmt.Errorf("listen on udp %s: %w", opt.Addr, err)
		}
		conn := pc.(*net.UDPConn)
		l.conns = append(l.conns, conn)
		if opt.Sockets > 1 && i == 0 {
			// the other sockets must bind the port the first one got (":0" in tests)
			opt.Addr = conn.LocalAddr().String()
		}
		l.granted = setRecvBuffer(conn, opt.RecvBuffer)
	}
	l.kernelDrops = make([]atomic.Uint64, len(l.conns))
	if l.granted < opt.RecvBuffer {
		l.warning = fmt.Sprintf("receive buffer is %d KiB, asked for %d KiB: %s", l.granted>>10,
			opt.RecvBuffer>>10, recvBufferHint(opt.RecvBuffer))
	}
	return l, nil
}

// socketOptions sets what every listening socket needs: the drop counter in each datagram's control message
// where there is one, and the shared port when reuse.
func socketOptions(fd uintptr, reuse bool) error {
	if reuse {
		if err := reusePortOption(fd); err != nil {
			return err
		}
	}
	return dropCounterOption(fd)
}

// Serve reads the sockets and decodes what arrives with opt.Workers workers (default 1) into sink until ctx is
// done or the listener is closed and every queued datagram decoded. Each reader hashes a datagram's agent
// (address and sub-agent) to its worker, so each agent's datagrams from one UDP source reach the sink in the
// order they arrived: sequence and uptime accounting rely on it. Serve or Handle may be called once.
func (l *Listener) Serve(ctx context.Context, sink Sink, opt PipelineOptions) {
	if opt.Decoder == nil {
		opt.Decoder = NewDecoder
	}
	l.Handle(ctx, opt.Workers, func() func(*Packet) {
		dec := opt.Decoder()
		var d Datagram
		return func(p *Packet) { handle(dec, p, &d, sink, opt.Record) }
	})
}

// Handle is Serve with a handler of its own for each of workers goroutines (default 1), made by newHandler in
// that goroutine; the handler is called with every datagram the goroutine is given and must Release it.
func (l *Listener) Handle(ctx context.Context, workers int, newHandler func() func(*Packet)) {
	if l.served.Swap(true) {
		panic("sflow: Listener.Serve or Handle called twice")
	}
	workers = max(workers, 1)
	l.queuesMu.Lock()
	if l.closed.Load() {
		l.queuesMu.Unlock()
		return
	}
	per := max(l.queueLen/workers, 1)
	l.batch = min(l.batch, per) // a reader holds at most one worker's queue's worth
	l.queues = make([]*queue, workers)
	for i := range l.queues {
		// every batch holds at least one datagram, so a channel of per batches never blocks within the bound
		l.queues[i] = &queue{ch: make(chan *batch, per), space: make(chan struct{}, 1)}
	}
	for i, c := range l.conns {
		r, err := newReader(l, c, &l.kernelDrops[i])
		if err != nil {
			l.readFailed(err)
			continue
		}
		l.readers.Add(1)
		go l.read(r)
	}
	l.queuesMu.Unlock()

	var wg sync.WaitGroup
	for _, q := range l.queues {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.work(ctx, q, newHandler())
		}()
	}
	wg.Wait()
	l.stopOnce.Do(func() { close(l.stop) }) // no worker takes anything any more
}

// read is one socket's reader: it reads batches of datagrams and hands each worker its part of a batch at once.
func (l *Listener) read(r reader) {
	defer l.readers.Done()
	per := max(l.queueLen/len(l.queues), 1)
	pending := make([]*batch, len(l.queues))
	for {
		if l.hook != nil {
			l.hook()
		}
		pkts, err := r.read()
		if err != nil {
			if l.closed.Load() || errors.Is(err, net.ErrClosed) {
				r.close()
				return
			}
			l.readFailed(err)
			continue
		}
		if l.failing.Load() {
			l.failing.Store(false)
		}
		var size uint64
		for _, p := range pkts {
			size += uint64(len(p.Buf))
			w := 0
			if len(pending) > 1 {
				w = int(agentHash(p) % uint32(len(pending)))
			}
			if pending[w] == nil {
				pending[w] = l.batches.Get().(*batch)
			}
			pending[w].pkts = append(pending[w].pkts, p)
		}
		l.received.Add(uint64(len(pkts)))
		l.bytes.Add(size)
		for w, b := range pending {
			if b != nil {
				pending[w] = nil
				l.enqueue(l.queues[w], b, per)
			}
		}
	}
}

// enqueue hands b to q, waiting while q holds per datagrams or more (a batch always goes to an empty queue).
// Once the workers have stopped, it drops b and counts it.
func (l *Listener) enqueue(q *queue, b *batch, per int) {
	n := int64(len(b.pkts))
	for {
		cur := q.n.Load()
		if cur == 0 || cur+n <= int64(per) {
			if q.n.CompareAndSwap(cur, cur+n) {
				break
			}
			continue
		}
		select {
		case <-q.space:
		case <-l.stop:
			l.drops.Add(uint64(n))
			for _, p := range b.pkts {
				p.Release()
			}
			b.pkts = b.pkts[:0]
			l.batches.Put(b)
			return
		}
	}
	select {
	case q.ch <- b: // never waits: the channel has room for per batches of one datagram at least
	case <-l.stop:
	}
}

// work is one worker goroutine of Handle.
func (l *Listener) work(ctx context.Context, q *queue, h func(*Packet)) {
	for {
		select {
		case <-ctx.Done():
			return
		case b, ok := <-q.ch:
			if !ok {
				return
			}
			for i, p := range b.pkts {
				h(p)
				b.pkts[i] = nil
			}
			q.n.Add(-int64(len(b.pkts)))
			select {
			case q.space <- struct{}{}:
			default:
			}
			b.pkts = b.pkts[:0]
			l.batches.Put(b)
		}
	}
}

// LocalAddr is the address the first socket is bound to.
func (l *Listener) LocalAddr() netip.AddrPort {
	return l.conns[0].LocalAddr().(*net.UDPAddr).AddrPort()
}

// Stats returns the listener's counters.
func (l *Listener) Stats() ListenerStats {
	st := ListenerStats{
		Received:   l.received.Load(),
		Bytes:      l.bytes.Load(),
		QueueDrops: l.drops.Load(),
		ReadErrors: l.readErrors.Load(),
		Sockets:    len(l.conns),
		RecvBuffer: l.granted,
		Warning:    l.warning,
	}
	for i := range l.kernelDrops {
		st.KernelDrops += l.kernelDrops[i].Load()
	}
	return st
}

// Close stops the readers; Serve returns once its workers have decoded what was queued (or its ctx is done).
func (l *Listener) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	l.queuesMu.Lock()
	defer l.queuesMu.Unlock()
	l.closeConns()
	l.readers.Wait()
	for _, q := range l.queues {
		close(q.ch)
	}
	return nil
}

func (l *Listener) closeConns() {
	for _, c := range l.conns {
		_ = c.Close()
	}
}

// errNoReusePort is Listen's answer to several sockets where the system cannot share a port among them.
var errNoReusePort = errors.New("this system cannot spread one UDP port over several sockets (SO_REUSEPORT on Linux, SO_REUSEPORT_LB on FreeBSD)")

// reader reads datagrams from one socket (listener_linux.go, listener_other.go).
type reader interface {
	// read blocks until datagrams arrive and returns them (the slice is valid until the next read, the packets
	// are the caller's); nil and no error after an interrupted system call.
	read() ([]*Packet, error)
	// close releases what the reader holds once its socket is closed.
	close()
}
