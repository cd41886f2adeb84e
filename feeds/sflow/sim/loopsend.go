package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// loopBatch is how many datagrams RunLoop hands the kernel in one system call (sendmmsg on Linux) at most.
const loopBatch = 64

// batchWriter is what ipv4.PacketConn and ipv6.PacketConn have in common.
type batchWriter interface {
	WriteBatch(ms []ipv4.Message, flags int) (int, error)
}

// RunLoop sends lp's datagrams round after round to s.To, in batches of up to 64 per system call from 8 UDP
// sockets (each agent always from the same one), at s.Rate datagrams per second (0: as fast as the sockets
// take them) until ctx is done or s.Duration has passed. Stats.Virtual is the recorded time the datagrams
// sent stand for.
func (s Sender) RunLoop(ctx context.Context, lp *Loop) (Stats, error) {
	var st Stats
	if s.Rate < 0 {
		return st, fmt.Errorf("send rate %v: want 0 (as fast as possible) or more", s.Rate)
	}
	to, err := ResolveTarget(ctx, s.To, s.AllowRemote)
	if err != nil {
		return st, err
	}
	dst := net.UDPAddrFromAddrPort(to)
	type sock struct {
		w     batchWriter
		list  []int
		pos   int
		round uint32
		msgs  []ipv4.Message
	}
	var socks []*sock
	defer func() {
		for _, k := range socks {
			k.w.(interface{ Close() error }).Close()
		}
	}()
	for _, list := range lp.lists {
		if len(list) == 0 {
			continue
		}
		var w batchWriter
		if to.Addr().Is4() {
			c, err := net.ListenUDP("udp4", nil)
			if err != nil {
				return st, fmt.Errorf("open a UDP socket: %w", err)
			}
			w = ipv4.NewPacketConn(c)
		} else {
			c, err := net.ListenUDP("udp6", nil)
			if err != nil {
				return st, fmt.Errorf("open a UDP socket: %w", err)
			}
			w = ipv6.NewPacketConn(c)
		}
		// the same datagram must not be in one batch twice: it is renumbered in place
		msgs := make([]ipv4.Message, min(loopBatch, len(list)))
		for i := range msgs {
			msgs[i] = ipv4.Message{Buffers: make([][]byte, 1), Addr: dst}
		}
		socks = append(socks, &sock{w: w, list: list, msgs: msgs})
	}

	start := time.Now()
	var deadline time.Time
	if s.Duration > 0 {
		deadline = start.Add(s.Duration)
	}
	pace := pacer{}
	if s.Rate > 0 {
		pace.interval = time.Duration(float64(time.Second) / s.Rate)
	}
	finish := func(err error) (Stats, error) {
		st.Elapsed = time.Since(start)
		st.Virtual = time.Duration(float64(st.Datagrams) / float64(lp.Len()) * float64(lp.span) * float64(time.Millisecond))
		return st, err
	}
	for {
		for _, k := range socks {
			if ctx.Err() != nil || !deadline.IsZero() && !time.Now().Before(deadline) {
				return finish(nil)
			}
			n := len(k.msgs)
			if !pace.waitN(ctx, deadline, n) {
				return finish(nil)
			}
			for i := range n {
				idx := k.list[k.pos]
				lp.renumber(idx, k.round)
				k.msgs[i].Buffers[0] = lp.dgrams[idx]
				st.Bytes += uint64(len(lp.dgrams[idx]))
				if k.pos++; k.pos == len(k.list) {
					k.pos = 0
					k.round++
				}
			}
			for sent := 0; sent < n; {
				m, err := k.w.WriteBatch(k.msgs[sent:n], 0)
				if err != nil {
					if errors.Is(err, context.Canceled) {
						return finish(nil)
					}
					return finish(fmt.Errorf("send to %v: %w", to, err))
				}
				sent += m
			}
			st.Datagrams += uint64(n)
		}
	}
}
