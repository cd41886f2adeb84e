//go:build !linux

package sflow

import (
	"net"
	"net/netip"
	"sync/atomic"
	"time"
)

// udpReader reads one datagram per system call into a scratch buffer and copies it into a pooled packet: the
// portable reader, where there is no recvmmsg and no way to tell a datagram cut short by a small buffer.
type udpReader struct {
	l       *Listener
	conn    *net.UDPConn
	scratch []byte
	out     [1]*Packet
}

// newReader makes the reader of conn; the system reports no drop count, so drops stays 0.
func newReader(l *Listener, conn *net.UDPConn, _ *atomic.Uint64) (reader, error) {
	return &udpReader{l: l, conn: conn, scratch: make([]byte, maxDatagram)}, nil
}

// read blocks until a datagram is there and returns it.
func (r *udpReader) read() ([]*Packet, error) {
	n, src, err := r.conn.ReadFromUDPAddrPort(r.scratch)
	if err != nil {
		return nil, err
	}
	var p *Packet
	if n <= smallPacket {
		p = r.l.pool.Get().(*Packet)
		p.Buf = append(p.Buf[:0], r.scratch[:n]...)
	} else {
		p = &Packet{Buf: append([]byte(nil), r.scratch[:n]...), l: r.l}
	}
	p.Src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
	p.Time = time.Now()
	r.out[0] = p
	return r.out[:], nil
}

func (r *udpReader) close() {}

// dropCounterOption does nothing: only Linux counts a socket's drops for it.
func dropCounterOption(uintptr) error { return nil }
