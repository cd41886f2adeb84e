package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/fleettop/fleettop/feeds/relay"
	"github.com/fleettop/fleettop/internal/health"
	"github.com/fleettop/fleettop/model"
)

// metricsServer serves /metrics (the Prometheus text format) and /healthz.
type metricsServer struct {
	srv  *http.Server
	addr net.Addr
	done chan error
}

// serveMetrics listens on addr and serves reg's metrics and health's answer until close.
func serveMetrics(addr string, reg *prometheus.Registry, health func() error) (*metricsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if err := health(); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	m := &metricsServer{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, addr: ln.Addr(),
		done: make(chan error, 1)}
	go func() { m.done <- m.srv.Serve(ln) }()
	return m, nil
}

func (m *metricsServer) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := m.srv.Shutdown(ctx)
	if serr := <-m.done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// startMetrics serves the App's metrics on addr (nothing when empty).
func (a *App) startMetrics(addr string) error {
	if addr == "" {
		return nil
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	sc := snapshotCollector{snap: a.Snapshot}
	if a.listener != nil {
		l := a.listener
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fleettop_received_datagrams_total",
			Help: "Datagrams read from the UDP sockets."}, func() float64 { return float64(l.Stats().Received) }))
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "fleettop_read_errors_total",
			Help: "Errors reading the UDP sockets."}, func() float64 { return float64(l.Stats().ReadErrors) }))
		sc.listener = l
	}
	reg.MustRegister(sc)
	if f := a.cl.forwarder; f != nil {
		reg.MustRegister(targetCollector{f.Targets, "fleettop_forwarded"})
	}
	if p := a.cl.pub; p != nil {
		lat := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "fleettop_publish_seconds",
			Help: "Time from a publish to NATS to its last acknowledgement.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 13)})
		fails := prometheus.NewCounter(prometheus.CounterOpts{Name: "fleettop_publish_failures_total",
			Help: "Publishes to NATS that failed or were not acknowledged in time."})
		bytes := prometheus.NewCounter(prometheus.CounterOpts{Name: "fleettop_published_bytes_total",
			Help: "Bytes of summaries published to NATS."})
		reg.MustRegister(lat, fails, bytes)
		p.OnPublish = func(d time.Duration, n int, err error) {
			lat.Observe(d.Seconds())
			bytes.Add(float64(n))
			if err != nil {
				fails.Inc()
			}
		}
	}
	m, err := serveMetrics(addr, reg, a.healthz)
	if err != nil {
		return err
	}
	a.cl.metrics = m
	return nil
}

// healthz fails when the snapshot is older than 10 s or NATS is down.
func (a *App) healthz() error {
	s := a.Snapshot()
	if s == nil || s.Time.IsZero() || time.Since(s.Time) > 10*time.Second {
		return errors.New("no recent snapshot")
	}
	if c := s.Health.Cluster; c.Configured && !c.OK {
		return fmt.Errorf("%s: %s", c.Summary, c.LastError)
	}
	return nil
}

var (
	descDatagrams = prometheus.NewDesc("fleettop_datagrams_total", "Datagrams received (duplicates, rejected and disallowed included).", nil, nil)
	descQueue     = prometheus.NewDesc("fleettop_queue_drops_total", "Datagrams read but never decoded because the decoding workers had stopped (a full queue makes the readers wait: see fleettop_kernel_drops_total).", nil, nil)
	descKernel    = prometheus.NewDesc("fleettop_kernel_drops_total", "Datagrams the kernel dropped before they were read (a full socket receive buffer).", nil, nil)
	descRcvbuf    = prometheus.NewDesc("fleettop_receive_buffer_bytes", "Receive buffer the kernel granted each UDP socket (raise net.core.rmem_max for more).", nil, nil)
	descLost      = prometheus.NewDesc("fleettop_lost_datagrams_total", "Datagrams missing from the agents' sequence numbers.", nil, nil)
	descDecode    = prometheus.NewDesc("fleettop_decode_errors_total", "Malformed datagrams or samples.", nil, nil)
	descDisallow  = prometheus.NewDesc("fleettop_disallowed_datagrams_total", "Datagrams from agents outside --allow.", nil, nil)
	descHosts     = prometheus.NewDesc("fleettop_hosts", "Hosts in the model, by state.", []string{"state"}, nil)
	descAgents    = prometheus.NewDesc("fleettop_agents", "sFlow agents in the model.", nil, nil)
	descAgentDg   = prometheus.NewDesc("fleettop_agent_datagrams_total", "Datagrams received from an agent.", []string{"agent", "sub_agent"}, nil)
	descAgentLost = prometheus.NewDesc("fleettop_agent_lost_datagrams_total", "Datagrams of an agent missing from its sequence numbers.", []string{"agent", "sub_agent"}, nil)
	descAgentErr  = prometheus.NewDesc("fleettop_agent_decode_errors_total", "Malformed samples of an agent.", []string{"agent", "sub_agent"}, nil)
	descFeedUp    = prometheus.NewDesc("fleettop_feed_up", "1 when a configured feed (sflow, enc, graphite, carbon, nats) is healthy.", []string{"feed"}, nil)
	descFeedDur   = prometheus.NewDesc("fleettop_feed_last_duration_seconds", "How long a configured feed's latest operation took.", []string{"feed"}, nil)
	descFeedOps   = prometheus.NewDesc("fleettop_feed_operations_total", "A configured feed's operations (lookups, requests, points, publishes) by result.", []string{"feed", "result"}, nil)
)

// snapshotCollector reads the latest snapshot at every scrape: its figures are the dashboard's. Per-agent
// series are as many as the agents the model keeps (they age out after Options.AgentTTL). The listener's own
// health (its reads) is read at the scrape too.
type snapshotCollector struct {
	snap     func() *model.Snapshot
	listener health.Feed // nil when subscribing
}

func (snapshotCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descDatagrams, descQueue, descKernel, descRcvbuf, descLost, descDecode,
		descDisallow, descHosts, descAgents, descAgentDg, descAgentLost, descAgentErr, descFeedUp, descFeedDur,
		descFeedOps} {
		ch <- d
	}
}

func (c snapshotCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.snap()
	if s == nil {
		return
	}
	h := &s.Health
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	counter(descDatagrams, h.Datagrams)
	counter(descQueue, h.QueueDrops)
	counter(descKernel, h.KernelDrops)
	ch <- prometheus.MustNewConstMetric(descRcvbuf, prometheus.GaugeValue, float64(h.RecvBuffer))
	counter(descLost, h.Lost)
	counter(descDecode, h.DecodeErrors)
	counter(descDisallow, h.Disallowed)
	ch <- prometheus.MustNewConstMetric(descHosts, prometheus.GaugeValue, float64(h.Hosts-h.StaleHosts), "ok")
	ch <- prometheus.MustNewConstMetric(descHosts, prometheus.GaugeValue, float64(h.StaleHosts), "stale")
	ch <- prometheus.MustNewConstMetric(descAgents, prometheus.GaugeValue, float64(len(s.Agents)))
	for _, a := range s.Agents {
		addr, sub := a.Addr.String(), fmt.Sprint(a.SubAgent)
		counter(descAgentDg, a.Datagrams, addr, sub)
		counter(descAgentLost, a.Lost, addr, sub)
		counter(descAgentErr, a.DecodeErrors, addr, sub)
	}
	for _, f := range h.Feeds() {
		feedMetrics(ch, f.Name, f.FeedHealth)
	}
	if c.listener != nil {
		feedMetrics(ch, "sflow", c.listener.FeedHealth())
	}
}

// feedMetrics sends a configured feed's state, its latest operation's duration and its operations by result.
func feedMetrics(ch chan<- prometheus.Metric, name string, f health.Status) {
	if !f.Configured {
		return
	}
	up := 0.0
	if f.OK {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(descFeedUp, prometheus.GaugeValue, up, name)
	ch <- prometheus.MustNewConstMetric(descFeedDur, prometheus.GaugeValue, f.LastDuration.Seconds(), name)
	ch <- prometheus.MustNewConstMetric(descFeedOps, prometheus.CounterValue, float64(f.Succeeded), name, "ok")
	ch <- prometheus.MustNewConstMetric(descFeedOps, prometheus.CounterValue, float64(f.Failed), name, "failed")
}

// targetCollector counts what went to each forwarding or relay target.
type targetCollector struct {
	targets []*relay.Target
	prefix  string
}

func (c targetCollector) descs() (sent, errs *prometheus.Desc) {
	return prometheus.NewDesc(c.prefix+"_datagrams_total", "Datagrams sent to a target.", []string{"target"}, nil),
		prometheus.NewDesc(c.prefix+"_errors_total", "Sends to a target that failed.", []string{"target"}, nil)
}

func (c targetCollector) Describe(ch chan<- *prometheus.Desc) {
	sent, errs := c.descs()
	ch <- sent
	ch <- errs
}

func (c targetCollector) Collect(ch chan<- prometheus.Metric) {
	sentD, errsD := c.descs()
	for _, t := range c.targets {
		sent, errs := t.Sent()
		ch <- prometheus.MustNewConstMetric(sentD, prometheus.CounterValue, float64(sent), t.To.String())
		ch <- prometheus.MustNewConstMetric(errsD, prometheus.CounterValue, float64(errs), t.To.String())
	}
}
