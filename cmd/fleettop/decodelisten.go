package main

import (
	"context"
	"fmt"
	"io"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sflowtool"
)

// listenInput decodes the datagrams arriving on the UDP address addr (sflowtool -p) and prints them as
// decodeInput does, each flushed as it is printed, until ctx ends. Its error says the address could not be
// bound or the output could not be written.
func listenInput(ctx context.Context, addr string, stdout, stderr io.Writer, cfg decodeConfig) (decodeStats, error) {
	cfg.FlushEach = true
	p, err := newDatagramPrinter(stdout, stderr, cfg)
	if err != nil {
		return decodeStats{}, err
	}
	l, err := sflow.Listen(sflow.ListenerOptions{Addr: addr})
	if err != nil {
		return decodeStats{}, err
	}
	// The address actually bound (":0" picks a port), for the user and for tests.
	fmt.Fprintf(stderr, "fleettop decode: listening on udp %s\n", l.LocalAddr())
	if w := l.Stats().Warning; w != "" {
		fmt.Fprintf(stderr, "fleettop decode: %s\n", w)
	}
	stopped := context.AfterFunc(ctx, func() { l.Close() })
	defer stopped()
	var werr error
	l.Handle(context.Background(), 1, func() func(*sflow.Packet) {
		return func(pkt *sflow.Packet) {
			if werr == nil {
				werr = p.datagram(sflowtool.Meta{Source: pkt.Src}, pkt.Buf)
				if werr != nil {
					l.Close() // drain what is queued, print nothing more
				}
			}
			pkt.Release()
		}
	})
	if drops := l.Stats().QueueDrops; drops > 0 {
		fmt.Fprintf(stderr, "fleettop decode: %d datagrams dropped: the output could not keep up\n", drops)
	}
	return p.stats, werr
}
