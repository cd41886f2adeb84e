package sflow

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
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

// smallPacket is the size class most datagrams fit in (SFL_MAX_DATAGRAM_SIZE 1500, jumbo-frame agents 9000).
const smallPacket = 9216

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
	RecvBuffer int    // bytes to ask for, default DefaultRecvBuffer
	Sockets    int    // sockets sharing the port (SO_REUSEPORT; Linux and FreeBSD only), each with its reader, default 1
	QueueLen   int    // datagrams waiting for the workers, default 16384
}

// ListenerStats are the listener's counters.
type ListenerStats struct {
	Received   uint64 // datagrams read from the sockets
	Bytes      uint64
	QueueDrops uint64 // dropped because the queue was full
	ReadErrors uint64
	RecvBuffer int    // receive buffer the kernel granted (per socket), bytes
	Warning    string // set when the kernel granted less than asked, with the sysctl that fixes it
}

// Listener reads sFlow datagrams from UDP sockets into a bounded queue. A full queue drops and counts; the
// socket readers never block on the consumers.
type Listener struct {
	conns   []*net.UDPConn
	queue   chan *Packet
	pool    sync.Pool
	wg      sync.WaitGroup
	closed  atomic.Bool
	granted int
	warning string

	received, bytes, drops, readErrors atomic.Uint64
}

// Listen binds the sockets and starts their readers.
func Listen(opt ListenerOptions) (*Listener, error) {
	if opt.Addr == "" {
		opt.Addr = ":6343"
	}
	if opt.RecvBuffer <= 0 {
		opt.RecvBuffer = DefaultRecvBuffer
	}
	if opt.Sockets <= 0 {
		opt.Sockets = 1
	}
	if opt.QueueLen <= 0 {
		opt.QueueLen = 16384
	}
	l := &Listener{queue: make(chan *Packet, opt.QueueLen)}
	l.pool.New = func() any { return &Packet{Buf: make([]byte, 0, smallPacket), l: l} }

	lc := net.ListenConfig{}
	if opt.Sockets > 1 {
		if reusePortOption == nil {
			return nil, fmt.Errorf("%d sockets on one port: %w", opt.Sockets, errNoReusePort)
		}
		lc.Control = func(_, _ string, c syscall.RawConn) error {
			var serr error
			if err := c.Control(func(fd uintptr) { serr = reusePortOption(fd) }); err != nil {
				return err
			}
			return serr
		}
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
	if l.granted < opt.RecvBuffer {
		l.warning = fmt.Sprintf("receive buffer is %d KiB, asked for %d KiB: %s", l.granted>>10,
			opt.RecvBuffer>>10, recvBufferHint(opt.RecvBuffer))
	}
	for _, c := range l.conns {
		l.wg.Add(1)
		go l.read(c)
	}
	return l, nil
}

func (l *Listener) read(conn *net.UDPConn) {
	defer l.wg.Done()
	scratch := make([]byte, maxDatagram)
	for {
		n, src, err := conn.ReadFromUDPAddrPort(scratch)
		if err != nil {
			if l.closed.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			l.readErrors.Add(1)
			continue
		}
		now := time.Now()
		l.received.Add(1)
		l.bytes.Add(uint64(n))
		var p *Packet
		if n <= smallPacket {
			p = l.pool.Get().(*Packet)
			p.Buf = append(p.Buf[:0], scratch[:n]...)
		} else {
			p = &Packet{Buf: append([]byte(nil), scratch[:n]...), l: l}
		}
		p.Src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
		p.Time = now
		select {
		case l.queue <- p:
		default:
			l.drops.Add(1)
			p.Release()
		}
	}
}

// Packets is the queue the workers read. It is closed after Close once the readers have stopped.
func (l *Listener) Packets() <-chan *Packet { return l.queue }

// LocalAddr is the address the first socket is bound to.
func (l *Listener) LocalAddr() netip.AddrPort {
	return l.conns[0].LocalAddr().(*net.UDPAddr).AddrPort()
}

// Stats returns the listener's counters.
func (l *Listener) Stats() ListenerStats {
	return ListenerStats{
		Received:   l.received.Load(),
		Bytes:      l.bytes.Load(),
		QueueDrops: l.drops.Load(),
		ReadErrors: l.readErrors.Load(),
		RecvBuffer: l.granted,
		Warning:    l.warning,
	}
}

// Close stops the readers and closes the queue; datagrams still queued can be drained from Packets.
func (l *Listener) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	l.closeConns()
	l.wg.Wait()
	close(l.queue)
	return nil
}

func (l *Listener) closeConns() {
	for _, c := range l.conns {
		_ = c.Close()
	}
}

// errNoReusePort is Listen's answer to several sockets where the system cannot share a port among them.
var errNoReusePort = errors.New("this system cannot spread one UDP port over several sockets (SO_REUSEPORT on Linux, SO_REUSEPORT_LB on FreeBSD)")
