package app

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/internal/onevent"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/tree"
)

// App is the ingest side of fleettop wired together: the model and its feeds (sFlow listener, ENC, carbon,
// graphite-web, recorder, and the NATS cluster). New builds it, Listen binds the listener, Start runs the publisher and the carbon
// push, Close stops everything in order.
type App struct {
	cfg      Config
	fleet    *model.Fleet
	resolver *enc.Resolver
	carbon   *graphite.Carbon
	series   *tree.CarbonSeries // what carbon gets
	web      *graphite.Web
	recorder *recorder
	listener *sflow.Listener
	cl       clusterParts
	onEvent  *onevent.Runner // the --on-event command; nil without

	wg    sync.WaitGroup
	stops []context.CancelFunc // of the goroutines Listen and Start started
}

// New builds the model and its feeds from cfg. On error, whatever it had started is stopped again.
func New(cfg Config) (_ *App, err error) {
	b := cfg.Bounds
	a := &App{cfg: cfg, fleet: model.NewFleet(model.Options{Window: cfg.Window, GroupBy: cfg.GroupBy, Step: cfg.Step,
		Allow: cfg.Allow, MaxAgents: b.MaxAgents, MaxAgentsPerSender: b.MaxAgentsPerSender, MaxSources: b.MaxSources,
		MaxSourcesPerAgent: b.MaxSourcesPerAgent, MaxHosts: b.MaxHosts, MaxHostsPerAgent: b.MaxHostsPerAgent,
		MaxSeries: b.MaxSeries, Rewind: cfg.Rewind})}
	defer func() {
		if err != nil {
			_ = a.Close()
		}
	}()
	if e := cfg.ENC; e.Source != nil {
		fleet := a.fleet
		a.resolver = enc.NewResolver(e.Source, enc.Options{Timeout: e.Timeout, Domain: e.Domain, MaxQueue: e.Queue,
			MaxEntries: e.Cache, OnResult: func(string, *enc.Node, enc.Status) { fleet.Kick() }})
		a.fleet.SetENC(a.resolver)
	}
	if c := cfg.Carbon; c.Addr != "" {
		if c.Series == nil {
			return nil, errors.New("carbon: no choice of series")
		}
		a.series = c.Series
		a.carbon = graphite.NewCarbon(c.Addr, graphite.CarbonOptions{Protocol: c.Protocol})
		a.fleet.SetFeed(model.FeedCarbon, a.carbon)
	}
	if cfg.Graphite != "" {
		if a.web, err = graphite.NewWeb(cfg.Graphite, graphite.WebOptions{}); err != nil {
			return nil, fmt.Errorf("graphite: %w", err)
		}
		a.fleet.SetFeed(model.FeedGraphite, a.web)
	}
	if cfg.Record != "" {
		if a.recorder, err = newRecorder(cfg.Record); err != nil {
			return nil, err
		}
		a.recorder.onError = cfg.OnRecordError
	}
	if err := a.openForward(); err != nil {
		return nil, err
	}
	if err := a.startOnEvent(); err != nil {
		return nil, err
	}
	return a, nil
}

// Fleet is the model.
func (a *App) Fleet() *model.Fleet { return a.fleet }

// goCtx derives the context of goroutines the App starts, so that Close stops them whatever the caller's ctx.
func (a *App) goCtx(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	a.stops = append(a.stops, cancel)
	return ctx
}

// SettleENC publishes at now until every host's ENC lookup has an answer (at most 10 s), so that a headless
// run's final snapshot does not depend on how fast the classifier was.
func (a *App) SettleENC(ctx context.Context, now time.Time) {
	if a.resolver == nil {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		a.fleet.Publish(now) // asks the resolver for every host it has not asked yet
		if h := a.resolver.Health(); h.InFlight == 0 && h.Queued == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Listen binds the UDP listener on Config.Listen and starts the decoding pipeline into the model.
func (a *App) Listen(ctx context.Context) error {
	l, err := sflow.Listen(sflow.ListenerOptions{Addr: a.cfg.Listen, Sockets: a.cfg.Sockets, QueueLen: a.cfg.Queue,
		RecvBuffer: a.cfg.RecvBuffer, BeforeRead: a.cfg.beforeRead})
	if err != nil {
		return err
	}
	a.listener = l
	a.fleet.SetListener(l) // its drop counters are read at every publish
	ctx = a.goCtx(ctx)
	opt := sflow.PipelineOptions{Workers: a.cfg.Workers}
	if a.recorder != nil {
		opt.Record = a.recorder.packet
	}
	if f := a.cl.forwarder; f != nil {
		rec := opt.Record
		opt.Record = func(p *sflow.Packet) {
			if rec != nil {
				rec(p)
			}
			f.Send(p.Buf)
		}
	}
	var sink sflow.Sink = a.fleet
	if a.cfg.Clock != nil {
		sink = clockedSink{a.fleet, a.cfg.Clock}
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		l.Serve(ctx, sink, opt)
	}()
	return nil
}

// clockedSink stamps each datagram with its clock instead of the arrival time (Config.Clock).
type clockedSink struct {
	sflow.Sink
	now func() time.Time
}

func (s clockedSink) Ingest(d *sflow.Datagram, src netip.AddrPort, _ time.Time) {
	s.Sink.Ingest(d, src, s.now())
}
func (s clockedSink) Reject(src netip.AddrPort, err error, _ time.Time) {
	s.Sink.Reject(src, err, s.now())
}

// ListenAddr is the address the listener is bound to (":0" picks a port); the zero AddrPort before Listen.
func (a *App) ListenAddr() netip.AddrPort {
	if a.listener == nil {
		return netip.AddrPort{}
	}
	return a.listener.LocalAddr()
}

// ListenWarning is what the listener has to say about its sockets (a receive buffer smaller than asked for),
// or "".
func (a *App) ListenWarning() string {
	if a.listener == nil {
		return ""
	}
	return a.listener.Stats().Warning
}

// Start runs the snapshot publisher (every publish) and the carbon push; they stop with ctx or Close.
func (a *App) Start(ctx context.Context, publish time.Duration) {
	ctx = a.goCtx(ctx)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.fleet.Run(ctx, publish)
	}()
	if a.carbon != nil {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			pushLoop(ctx, a.fleet, &carbonPusher{carbon: a.carbon, series: a.series}, a.cfg.Carbon.Every)
		}()
	}
}

// Close stops everything: the listener first (nothing new arrives), then the feeds, flushing carbon and the
// recording.
func (a *App) Close() error {
	var errs []error
	if a.listener != nil {
		errs = append(errs, a.listener.Close())
	}
	for _, stop := range a.stops {
		stop()
	}
	a.wg.Wait()
	a.closeOnEvent()
	errs = append(errs, a.closeCluster())
	if a.carbon != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, a.carbon.Close(ctx))
		cancel()
	}
	if a.resolver != nil {
		a.resolver.Close()
	}
	if a.recorder != nil {
		errs = append(errs, a.recorder.close())
	}
	return errors.Join(errs...)
}
