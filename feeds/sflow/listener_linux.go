package sflow

import (
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is struct mmsghdr of recvmmsg(2); Go pads it to the alignment of Msghdr as C does.
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
}

// oobSize is room for the one control message asked for: SO_RXQ_OVFL's uint32.
var oobSize = unix.CmsgSpace(4)

// mmsgReader reads up to a batch of datagrams per recvmmsg(2) straight into pooled packets: the packet a
// datagram landed in is handed on and its slot gets a fresh one, so nothing is copied. Each slot has a second,
// overflow buffer for the rare datagram larger than a pooled buffer (then copied into one of its own size).
// Source addresses are decoded from the raw sockaddrs without allocating.
type mmsgReader struct {
	l     *Listener
	rc    syscall.RawConn
	slots []*Packet
	hdrs  []mmsghdr
	iovs  []unix.Iovec // two per slot: the packet's buffer, the overflow
	over  []byte       // the slots' overflow buffers, back to back
	names []unix.RawSockaddrInet6
	oob   []byte
	out   []*Packet

	// what the syscall in recv returned
	n     int
	errno syscall.Errno
	recv  func(fd uintptr) bool

	drops     *atomic.Uint64 // the kernel's count for the socket, widened past 32 bits
	lastDrops uint32
}

// newReader makes the reader of conn; drops receives the kernel's drop count for the socket.
func newReader(l *Listener, conn *net.UDPConn, drops *atomic.Uint64) (reader, error) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	n := l.batch
	r := &mmsgReader{l: l, rc: rc, slots: make([]*Packet, n), hdrs: make([]mmsghdr, n),
		iovs: make([]unix.Iovec, 2*n), over: make([]byte, n*(maxDatagram-smallPacket)),
		names: make([]unix.RawSockaddrInet6, n), oob: make([]byte, n*oobSize), out: make([]*Packet, 0, n),
		drops: drops}
	for i := range r.slots {
		r.fill(i)
		ov := r.over[i*(maxDatagram-smallPacket) : (i+1)*(maxDatagram-smallPacket)]
		r.iovs[2*i+1].Base = &ov[0]
		r.iovs[2*i+1].SetLen(len(ov))
		h := &r.hdrs[i].hdr
		h.Name = (*byte)(unsafe.Pointer(&r.names[i]))
		h.Iov = &r.iovs[2*i]
		h.SetIovlen(2)
		h.Control = &r.oob[i*oobSize]
	}
	r.recv = func(fd uintptr) bool {
		n, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&r.hdrs[0])), uintptr(len(r.hdrs)),
			unix.MSG_DONTWAIT, 0, 0)
		if e == unix.EAGAIN {
			return false // wait until the socket is readable
		}
		r.n, r.errno = int(n), e
		return true
	}
	return r, nil
}

// fill puts a fresh pooled packet into slot i.
func (r *mmsgReader) fill(i int) {
	p := r.l.pool.Get().(*Packet)
	r.slots[i] = p
	buf := p.Buf[:smallPacket]
	r.iovs[2*i].Base = &buf[0]
	r.iovs[2*i].SetLen(smallPacket)
}

// read blocks until at least one datagram is there and returns those read (valid until the next read; the
// packets themselves are the caller's).
func (r *mmsgReader) read() ([]*Packet, error) {
	for i := range r.hdrs {
		h := &r.hdrs[i].hdr
		h.Namelen = unix.SizeofSockaddrInet6
		h.SetControllen(oobSize)
		h.Flags = 0
	}
	r.n, r.errno = 0, 0
	if err := r.rc.Read(r.recv); err != nil {
		return nil, err
	}
	if r.errno != 0 {
		if r.errno == unix.EINTR {
			return nil, nil
		}
		return nil, r.errno
	}
	now := time.Now()
	out := r.out[:0]
	for i := range r.n {
		p := r.slots[i]
		size := int(r.hdrs[i].n)
		if size <= smallPacket {
			p.Buf = p.Buf[:size]
		} else {
			big := make([]byte, size)
			copy(big, p.Buf[:smallPacket])
			copy(big[smallPacket:], r.over[i*(maxDatagram-smallPacket):])
			p.Buf = big
		}
		p.Src = sockaddrPort(&r.names[i], r.hdrs[i].hdr.Namelen)
		p.Time = now
		if r.hdrs[i].hdr.Controllen > 0 {
			r.controlMessage(r.oob[i*oobSize : (i+1)*oobSize])
		}
		out = append(out, p)
		r.fill(i)
	}
	r.out = out
	return out, nil
}

// controlMessage takes the kernel's drop count from a datagram's SO_RXQ_OVFL control message: how many the
// socket had dropped when that datagram was queued.
func (r *mmsgReader) controlMessage(b []byte) {
	if len(b) < unix.CmsgLen(4) {
		return
	}
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	if h.Level != unix.SOL_SOCKET || h.Type != unix.SO_RXQ_OVFL || int(h.Len) < unix.CmsgLen(4) {
		return
	}
	v := *(*uint32)(unsafe.Pointer(&b[unix.CmsgLen(0)]))
	if d := v - r.lastDrops; d > 0 && d < 1<<31 { // a count from before a larger one (reordered) adds nothing
		r.drops.Add(uint64(d))
		r.lastDrops = v
	}
}

// close releases the packets in the slots.
func (r *mmsgReader) close() {
	for i, p := range r.slots {
		p.Release()
		r.slots[i] = nil
	}
}

// sockaddrPort decodes a sockaddr_in or sockaddr_in6 (an IPv4-mapped address unmapped).
func sockaddrPort(sa *unix.RawSockaddrInet6, n uint32) netip.AddrPort {
	port := func(p *uint16) uint16 {
		b := (*[2]byte)(unsafe.Pointer(p))
		return uint16(b[0])<<8 | uint16(b[1])
	}
	switch {
	case sa.Family == unix.AF_INET && n >= unix.SizeofSockaddrInet4:
		sa4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa4.Addr), port(&sa4.Port))
	case sa.Family == unix.AF_INET6 && n >= unix.SizeofSockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), port(&sa.Port))
	}
	return netip.AddrPort{}
}

// dropCounterOption asks the kernel to attach the socket's drop count to every datagram read (SO_RXQ_OVFL).
func dropCounterOption(fd uintptr) error {
	if err := unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RXQ_OVFL, 1); err != nil {
		return fmt.Errorf("SO_RXQ_OVFL: %w", err)
	}
	return nil
}
