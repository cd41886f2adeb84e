package main

import (
	"fmt"
	"io"

	"github.com/fleettop/fleettop/internal/app"
)

func init() {
	register("relay", "split agents across collectors: re-send datagrams unchanged by agent hash", runRelay)
}

const relayUsage = `usage: fleettop relay [--listen ADDR] --to HOST:PORT,HOST:PORT,... [--metrics ADDR]

Receive sFlow on --listen and re-send each datagram, unchanged, to one of the --to
collectors, chosen by a stable (rendezvous) hash of the agent address inside the
datagram: one agent always lands on the same collector, and adding or removing a
collector moves only the agents it gains or loses. Datagrams without a readable
agent address go by their UDP source address.

flags:
`

func runRelay(args []string, _, stderr io.Writer) int {
	var rc app.RelayConfig
	fs := newFlagSet("relay", relayUsage, stderr)
	fs.StringVar(&rc.Listen, "listen", ":6343", "UDP address to receive sFlow on")
	fs.StringVar(&rc.To, "to", "", "comma-separated HOST:PORT of the collectors")
	fs.StringVar(&rc.Metrics, "metrics", "", "serve Prometheus /metrics and /healthz on ADDR")
	fs.IntVar(&rc.Sockets, "sockets", 1, "UDP sockets bound with SO_REUSEPORT")
	fs.IntVar(&rc.Queue, "queue", 16384, "datagrams waiting to be relayed; when full, the socket reader waits and the kernel buffers (and drops, counted, beyond its receive buffer)")
	rest, code := parseFlags(fs, args, nil, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 || rc.To == "" {
		fs.Usage()
		return exitUsage
	}
	ctx, cancel := signalContext()
	defer cancel()
	r, err := app.StartRelay(ctx, rc)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop relay: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "fleettop relay: listening on %s, relaying to %s\n", r.ListenAddr(), rc.To)
	<-ctx.Done()
	if err := r.Close(); err != nil {
		fmt.Fprintf(stderr, "fleettop relay: %v\n", err)
		return exitError
	}
	return exitOK
}
