package app

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/fleettop/fleettop/feeds/relay"
	"github.com/fleettop/fleettop/feeds/sflow"
)

// RelayConfig is what `fleettop relay` runs with.
type RelayConfig struct {
	Listen  string // UDP address to receive sFlow on
	To      string // comma-separated HOST:PORT of the collectors
	Metrics string // address to serve /metrics and /healthz on; "" for none
	Sockets int    // UDP sockets bound with SO_REUSEPORT
	Queue   int    // datagrams waiting to be relayed; when full, the socket reader waits
}

// Relay is a relay at work: its listener, its splitter and the goroutine between them.
type Relay struct {
	listener *sflow.Listener
	split    *relay.Splitter
	metrics  *metricsServer
	wg       sync.WaitGroup
}

// StartRelay listens and relays each datagram to one of cfg.To, by a hash of its agent, until Close.
func StartRelay(ctx context.Context, cfg RelayConfig) (_ *Relay, err error) {
	var targets []*relay.Target
	for _, s := range strings.Split(cfg.To, ",") {
		t, err := relay.ParseTarget(ctx, strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("--to: %w", err)
		}
		if len(t.Agents) > 0 {
			return nil, fmt.Errorf("--to %q: the relay splits by hash; agent= is for --forward", s)
		}
		targets = append(targets, t)
	}
	r := &Relay{}
	if r.split, err = relay.NewSplitter(targets); err != nil {
		return nil, err
	}
	if r.listener, err = sflow.Listen(sflow.ListenerOptions{Addr: cfg.Listen, Sockets: cfg.Sockets, QueueLen: cfg.Queue}); err != nil {
		r.split.Close()
		return nil, err
	}
	if cfg.Metrics != "" {
		l := r.listener
		reg := prometheus.NewRegistry()
		reg.MustRegister(targetCollector{targets, "fleettop_relayed"},
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fleettop_received_datagrams_total",
				Help: "Datagrams read from the UDP sockets."}, func() float64 { return float64(l.Stats().Received) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fleettop_queue_drops_total",
				Help: "Datagrams read but never relayed because the relay had stopped (a full queue makes the reader wait)."}, func() float64 { return float64(l.Stats().QueueDrops) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fleettop_relay_unparsed_total",
				Help: "Datagrams without a readable agent address, relayed by UDP source."}, func() float64 { return float64(r.split.Unparsed()) }))
		if r.metrics, err = serveMetrics(cfg.Metrics, reg, func() error { return nil }); err != nil {
			r.listener.Close()
			r.split.Close()
			return nil, err
		}
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		// one handler keeps the datagrams in the order they arrived
		r.listener.Handle(context.Background(), 1, func() func(*sflow.Packet) {
			return func(p *sflow.Packet) {
				r.split.Send(p.Buf, p.Src)
				p.Release()
			}
		})
	}()
	return r, nil
}

// ListenAddr is the address the relay receives on.
func (r *Relay) ListenAddr() netip.AddrPort { return r.listener.LocalAddr() }

// Close stops listening, relays what was queued and closes the sockets.
func (r *Relay) Close() error {
	err := r.listener.Close()
	r.wg.Wait()
	if r.metrics != nil {
		err = errors.Join(err, r.metrics.close())
	}
	return errors.Join(err, r.split.Close())
}
