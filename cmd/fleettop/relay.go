package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/fleettop/fleettop/feeds/relay"
	"github.com/fleettop/fleettop/feeds/sflow"
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

// relayFlags are relay's flags.
type relayFlags struct {
	listen, to, metrics string
	sockets, queue      int
}

func runRelay(args []string, _, stderr io.Writer) int {
	var rf relayFlags
	fs := newFlagSet("relay", relayUsage, stderr)
	fs.StringVar(&rf.listen, "listen", ":6343", "UDP address to receive sFlow on")
	fs.StringVar(&rf.to, "to", "", "comma-separated HOST:PORT of the collectors")
	fs.StringVar(&rf.metrics, "metrics", "", "serve Prometheus /metrics and /healthz on ADDR")
	fs.IntVar(&rf.sockets, "sockets", 1, "UDP sockets bound with SO_REUSEPORT")
	fs.IntVar(&rf.queue, "queue", 16384, "datagrams waiting to be relayed before drops are counted")
	rest, code := parseFlags(fs, args, nil, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 || rf.to == "" {
		fs.Usage()
		return exitUsage
	}
	ctx, cancel := signalContext()
	defer cancel()
	r, err := startRelay(ctx, rf)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop relay: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "fleettop relay: listening on %s, relaying to %s\n", r.listener.LocalAddr(), rf.to)
	<-ctx.Done()
	if err := r.close(); err != nil {
		fmt.Fprintf(stderr, "fleettop relay: %v\n", err)
		return exitError
	}
	return exitOK
}

// runningRelay is a relay at work: its listener, its splitter and the goroutine between them.
type runningRelay struct {
	listener *sflow.Listener
	split    *relay.Splitter
	metrics  *metricsServer
	wg       sync.WaitGroup
}

// startRelay listens and relays until close.
func startRelay(ctx context.Context, rf relayFlags) (_ *runningRelay, err error) {
	var targets []*relay.Target
	for _, s := range strings.Split(rf.to, ",") {
		t, err := relay.ParseTarget(ctx, strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("--to: %w", err)
		}
		if len(t.Agents) > 0 {
			return nil, fmt.Errorf("--to %q: the relay splits by hash; agent= is for --forward", s)
		}
		targets = append(targets, t)
	}
	r := &runningRelay{}
	if r.split, err = relay.NewSplitter(targets); err != nil {
		return nil, err
	}
	if r.listener, err = sflow.Listen(sflow.ListenerOptions{Addr: rf.listen, Sockets: rf.sockets, QueueLen: rf.queue}); err != nil {
		r.split.Close()
		return nil, err
	}
	if rf.metrics != "" {
		l := r.listener
		reg := prometheus.NewRegistry()
		reg.MustRegister(targetCollector{targets, "fleettop_relayed"},
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fleettop_received_datagrams_total",
				Help: "Datagrams read from the UDP sockets."}, func() float64 { return float64(l.Stats().Received) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fleettop_queue_drops_total",
				Help: "Datagrams dropped because the relay queue was full."}, func() float64 { return float64(l.Stats().QueueDrops) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fleettop_relay_unparsed_total",
				Help: "Datagrams without a readable agent address, relayed by UDP source."}, func() float64 { return float64(r.split.Unparsed()) }))
		if r.metrics, err = serveMetrics(rf.metrics, reg, func() error { return nil }); err != nil {
			r.listener.Close()
			r.split.Close()
			return nil, err
		}
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for p := range r.listener.Packets() {
			r.split.Send(p.Buf, p.Src)
			p.Release()
		}
	}()
	return r, nil
}

// close stops listening, relays what was queued and closes the sockets.
func (r *runningRelay) close() error {
	err := r.listener.Close()
	r.wg.Wait()
	if r.metrics != nil {
		if merr := r.metrics.close(); err == nil {
			err = merr
		}
	}
	if serr := r.split.Close(); err == nil {
		err = serr
	}
	return err
}
