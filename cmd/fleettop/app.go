package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/internal/xdg"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/tree"
)

// liveFlags are the flags every ingesting mode shares (live, demo, replay, collect, run).
type liveFlags struct {
	listen     string
	sockets    int
	recvBuffer int
	workers    int
	queue      int
	allow      string
	encCmd     string
	encFile    string
	encDomain  string
	encTimeout time.Duration
	encLimits  enc.Limits
	encQueue   int
	encCache   int
	groupBy    string
	window     time.Duration
	carbon     string
	carbonProt string
	carbonStep time.Duration
	carbonPfx  string // "" for tree.CollectorPrefix of this host
	carbonIncl string // space-separated globs
	carbonExcl string
	carbonRank int
	graphite   string
	record     string
	config     string

	// the dashboard's
	theme   string
	ascii   bool
	mouse   bool
	refresh time.Duration

	step time.Duration // spacing of the model's series points; tests shorten it (default model.DefaultStep)
}

func (lf *liveFlags) register(fs *flag.FlagSet, listenDefault string) {
	fs.StringVar(&lf.listen, "listen", listenDefault, "UDP address to receive sFlow on (IPv4 and IPv6)")
	fs.IntVar(&lf.sockets, "sockets", 0, "UDP sockets bound with SO_REUSEPORT (0: one per 4 CPUs where the system can)")
	fs.IntVar(&lf.recvBuffer, "recv-buffer", sflow.DefaultRecvBuffer, "receive buffer of each UDP socket, bytes (Linux grants at most net.core.rmem_max, root any)")
	fs.IntVar(&lf.workers, "workers", runtime.GOMAXPROCS(0), "decoding goroutines")
	fs.IntVar(&lf.queue, "queue", sflow.DefaultQueueLen, "datagrams waiting for the decoders before drops are counted")
	fs.StringVar(&lf.allow, "allow", "", "comma-separated CIDRs of agents to accept (default: all)")
	fs.StringVar(&lf.encCmd, "enc-cmd", "", "Puppet ENC command, run as `CMD [ARGS...] CERTNAME` (split at spaces as Puppet's external_nodes; YAML on stdout)")
	fs.StringVar(&lf.encFile, "enc-file", "", "YAML file mapping certnames to ENC nodes, or a directory of CERTNAME.yaml")
	fs.StringVar(&lf.encDomain, "enc-domain", "", "domain appended to short host names before ENC lookups")
	fs.DurationVar(&lf.encTimeout, "enc-timeout", 10*time.Second, "time limit of one ENC lookup")
	fs.IntVar(&lf.encLimits.MaxBytes, "enc-max-bytes", enc.DefaultMaxBytes, "largest ENC answer read, in bytes")
	fs.IntVar(&lf.encLimits.MaxValues, "enc-max-values", enc.DefaultMaxValues, "most YAML values in one ENC answer")
	fs.IntVar(&lf.encQueue, "enc-queue", enc.DefaultMaxQueue, "ENC lookups waiting at most (new hosts and refreshes each); more are refused and counted")
	fs.IntVar(&lf.encCache, "enc-cache", enc.DefaultMaxEntries, "host names the ENC cache holds at most")
	fs.StringVar(&lf.groupBy, "group-by", model.DefaultGroupBy, "ENC field hosts are grouped by (classes, environment, or a parameter)")
	fs.DurationVar(&lf.window, "window", model.DefaultWindow, "sliding window of the top-N tables")
	fs.StringVar(&lf.carbon, "carbon", "", "push aggregates to carbon at HOST:PORT")
	fs.StringVar(&lf.carbonProt, "carbon-protocol", "plaintext", "carbon protocol: plaintext or pickle")
	fs.DurationVar(&lf.carbonStep, "carbon-interval", 10*time.Second, "how often aggregates are pushed to carbon")
	fs.StringVar(&lf.carbonPfx, "carbon-prefix", "", "path prefix of every series pushed to carbon (default fleettop.SHORT-HOSTNAME)")
	fs.StringVar(&lf.carbonIncl, "carbon-include", strings.Join(tree.DefaultCarbonInclude, " "),
		"space-separated path globs of the metric tree to push to carbon; each selects a node and all below it\n"+
			"(\"*\" for everything; add \"fleet\" for every host's series, \"agents\" for the sFlow agents)")
	fs.StringVar(&lf.carbonExcl, "carbon-exclude", "", "space-separated path globs of the metric tree not to push to carbon")
	fs.IntVar(&lf.carbonRank, "carbon-ranks", tree.DefaultCarbonRanks, "push the top-N tables to carbon as this many fixed rank slots\n"+
		"(talkers.src.rank.01 ...); 0 pushes their rows under their own addresses, URLs and keys")
	fs.StringVar(&lf.graphite, "graphite", "", "graphite-web URL for remote targets and completion (http://host:port)")
	fs.StringVar(&lf.record, "record", "", "write every received datagram to this pcap file")
	fs.StringVar(&lf.config, "config", "", "YAML config file of flag values (default $XDG_CONFIG_HOME/fleettop/config.yaml)")
	fs.StringVar(&lf.theme, "theme", "", "dashboard theme: dark, light, booth, mono or a user theme")
	fs.BoolVar(&lf.ascii, "ascii", false, "ASCII glyphs only (no block or box characters)")
	fs.BoolVar(&lf.mouse, "mouse", false, "report mouse events")
	fs.DurationVar(&lf.refresh, "refresh", 0, "data refresh of the dashboard (default 1s, 2s over ssh)")
}

// parseFlags parses args into fs and then fills every flag the command line left unset from the config file.
// It returns the positional arguments, or an exit code ≥ 0 when the run should stop.
func parseFlags(fs *flag.FlagSet, args []string, lf *liveFlags, stderr io.Writer) ([]string, int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitUsage
	}
	if lf != nil {
		if err := applyConfig(fs, lf.config); err != nil {
			fmt.Fprintf(stderr, "fleettop: %v\n", err)
			return nil, exitUsage
		}
	}
	return fs.Args(), -1
}

// defaultConfigPath is $XDG_CONFIG_HOME/fleettop/config.yaml, or ~/.config/fleettop/config.yaml (see
// internal/xdg); "" without a home directory.
func defaultConfigPath() string {
	path, err := xdg.Env(os.Getenv).Config("config.yaml")
	if err != nil {
		return ""
	}
	return path
}

// applyConfig reads a YAML mapping of flag names to values; flags given on the command line win. A missing
// default file is fine; a missing named file, an unknown key or a bad value is an error naming the file.
func applyConfig(fs *flag.FlagSet, path string) error {
	explicit := path != ""
	if !explicit {
		path = defaultConfigPath()
		if path == "" {
			return nil
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("config: %w", err)
	}
	var values map[string]any
	if err := yaml.Unmarshal(data, &values); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "config" {
			return fmt.Errorf("config %s: a config file cannot name another", path)
		}
		if fs.Lookup(k) == nil {
			return fmt.Errorf("config %s: unknown setting %q for this command", path, k)
		}
		if set[k] {
			continue
		}
		if err := fs.Set(k, fmt.Sprint(values[k])); err != nil {
			return fmt.Errorf("config %s: %s: %w", path, k, err)
		}
	}
	return nil
}

// stack is the ingest side of fleettop wired together: model, ENC, carbon, graphite-web, recorder.
type stack struct {
	fleet    *model.Fleet
	resolver *enc.Resolver
	carbon   *graphite.Carbon
	series   *tree.CarbonSeries // what carbon gets
	web      *graphite.Web
	recorder *recorder
	listener *sflow.Listener

	wg    sync.WaitGroup
	stops []context.CancelFunc // of the goroutines listen and run started
}

// goCtx derives the context of goroutines the stack starts, so that close stops them whatever the caller's ctx.
func (st *stack) goCtx(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	st.stops = append(st.stops, cancel)
	return ctx
}

// newStack builds the model and its feeds from the flags; src is an ENC source to use when no --enc-* flag
// is given (the demo's), or nil. On error, whatever it had started is stopped again.
func newStack(lf *liveFlags, encSrc enc.Source) (_ *stack, err error) {
	opt := model.Options{Window: lf.window, GroupBy: lf.groupBy, Step: lf.step}
	if lf.allow != "" {
		for _, s := range strings.Split(lf.allow, ",") {
			p, err := netip.ParsePrefix(strings.TrimSpace(s))
			if err != nil {
				a, aerr := netip.ParseAddr(strings.TrimSpace(s))
				if aerr != nil {
					return nil, fmt.Errorf("--allow %q: %w", s, err)
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			opt.Allow = append(opt.Allow, p)
		}
	}
	st := &stack{fleet: model.NewFleet(opt)}
	defer func() {
		if err != nil {
			_ = st.close()
		}
	}()

	switch {
	case lf.encCmd != "" && lf.encFile != "":
		return nil, errors.New("--enc-cmd and --enc-file are exclusive")
	case lf.encCmd != "":
		var esrc *enc.ExecSource
		if esrc, err = enc.ParseExecCommand(lf.encCmd); err != nil {
			return nil, fmt.Errorf("--enc-cmd: %w", err)
		}
		esrc.Limits = lf.encLimits
		encSrc = esrc
	case lf.encFile != "":
		var fsrc *enc.FileSource
		fsrc, err = enc.NewFileSource(lf.encFile, lf.encLimits)
		if err != nil {
			return nil, fmt.Errorf("--enc-file: %w", err)
		}
		encSrc = fsrc
	}
	if encSrc != nil {
		fleet := st.fleet
		st.resolver = enc.NewResolver(encSrc, enc.Options{Timeout: lf.encTimeout, Domain: lf.encDomain,
			MaxQueue: lf.encQueue, MaxEntries: lf.encCache, OnResult: func(string, *enc.Node, enc.Status) { fleet.Kick() }})
		st.fleet.SetENC(st.resolver)
	}
	if lf.carbon != "" {
		prot := graphite.Plaintext
		switch lf.carbonProt {
		case "plaintext", "":
		case "pickle":
			prot = graphite.Pickle
		default:
			return nil, fmt.Errorf("--carbon-protocol %q: want plaintext or pickle", lf.carbonProt)
		}
		if st.series, err = lf.carbonSeries(); err != nil {
			return nil, err
		}
		st.carbon = graphite.NewCarbon(lf.carbon, graphite.CarbonOptions{Protocol: prot})
		c := st.carbon
		st.fleet.SetCarbonHealth(func() model.FeedHealth { return carbonHealth(c.Health()) })
	}
	if lf.graphite != "" {
		var w *graphite.Web
		w, err = graphite.NewWeb(lf.graphite, graphite.WebOptions{})
		if err != nil {
			return nil, fmt.Errorf("--graphite: %w", err)
		}
		st.web = w
		st.fleet.SetGraphiteHealth(func() model.FeedHealth { return webHealth(w.Health()) })
	}
	if lf.record != "" {
		var r *recorder
		r, err = newRecorder(lf.record)
		if err != nil {
			return nil, err
		}
		st.recorder = r
	}
	return st, nil
}

// carbonSeries is the choice of series for carbon the --carbon-* flags make.
func (lf *liveFlags) carbonSeries() (*tree.CarbonSeries, error) {
	prefix := lf.carbonPfx
	if prefix == "" {
		host, _ := os.Hostname() // "" gives fleettop.unknown
		prefix = tree.CollectorPrefix(host)
	}
	var include []string // nil: tree.DefaultCarbonInclude, also for an empty --carbon-include
	if globs := strings.Fields(lf.carbonIncl); len(globs) > 0 {
		include = globs
	}
	s, err := tree.NewCarbonSeries(prefix, include, strings.Fields(lf.carbonExcl), lf.carbonRank)
	if err != nil {
		return nil, fmt.Errorf("--carbon-*: %w", err)
	}
	return s, nil
}

// settleENC publishes at now until every host's ENC lookup has an answer (at most 10 s), so that a headless
// run's final snapshot does not depend on how fast the classifier was.
func (st *stack) settleENC(ctx context.Context, now time.Time) {
	if st.resolver == nil {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		st.fleet.Publish(now) // asks the resolver for every host it has not asked yet
		if h := st.resolver.Health(); h.InFlight == 0 && h.Queued == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// listen binds the UDP listener and starts the decoding pipeline into the model.
func (st *stack) listen(ctx context.Context, lf *liveFlags) error {
	l, err := sflow.Listen(sflow.ListenerOptions{Addr: lf.listen, Sockets: lf.sockets, QueueLen: lf.queue,
		RecvBuffer: lf.recvBuffer})
	if err != nil {
		return err
	}
	st.listener = l
	st.fleet.SetRecvBuffer(l.Stats().RecvBuffer)
	ctx = st.goCtx(ctx)
	opt := sflow.PipelineOptions{Workers: lf.workers}
	if st.recorder != nil {
		opt.Record = st.recorder.packet
	}
	st.wg.Add(2)
	go func() {
		defer st.wg.Done()
		l.Serve(ctx, st.fleet, opt)
	}()
	go func() {
		// the listener's drop counter is the truth; the model shows it
		defer st.wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				st.fleet.SetQueueDrops(l.Stats().QueueDrops)
			}
		}
	}()
	return nil
}

// run starts the snapshot publisher and the carbon pusher; they stop with ctx.
func (st *stack) run(ctx context.Context, publish time.Duration, carbonEvery time.Duration) {
	ctx = st.goCtx(ctx)
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		st.fleet.Run(ctx, publish)
	}()
	if st.carbon != nil {
		st.wg.Add(1)
		go func() {
			defer st.wg.Done()
			pushLoop(ctx, st.fleet, &carbonPusher{carbon: st.carbon, series: st.series}, carbonEvery)
		}()
	}
}

// close stops everything: the listener first (nothing new arrives), then the feeds, flushing carbon and the
// recording.
func (st *stack) close() error {
	var errs []error
	if st.listener != nil {
		errs = append(errs, st.listener.Close())
	}
	for _, stop := range st.stops {
		stop()
	}
	st.wg.Wait()
	if st.carbon != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, st.carbon.Close(ctx))
		cancel()
	}
	if st.resolver != nil {
		st.resolver.Close()
	}
	if st.recorder != nil {
		errs = append(errs, st.recorder.close())
	}
	return errors.Join(errs...)
}

// recorder writes received datagrams to a pcap file (--record); workers call it concurrently. The first write
// error (a full disk) stops the recording at once: it is kept for health, passed to onError once, and the file
// stays readable up to the last datagram written whole.
type recorder struct {
	path    string
	f       *os.File
	w       *sflow.PcapWriter
	n       uint64 // datagrams handed to the writer
	dropped uint64 // datagrams not handed to the writer after the error
	err     error
	mu      sync.Mutex
	dst     netip.AddrPort
	onError func(error) // called once, outside the lock, on the first write error; optional
}

func newRecorder(path string) (*recorder, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--record: %w", err)
	}
	w, err := sflow.NewPcapWriter(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("--record: %w", err)
	}
	return &recorder{path: path, f: f, w: w, dst: netip.MustParseAddrPort("127.0.0.1:6343")}, nil
}

// recordFlushEvery is how many datagrams the recorder buffers at most before writing them out.
const recordFlushEvery = 256

func (r *recorder) packet(p *sflow.Packet) {
	dst := r.dst
	if p.Src.Addr().Is6() {
		dst = netip.AddrPortFrom(netip.IPv6Loopback(), dst.Port())
	}
	r.mu.Lock()
	if r.err != nil {
		r.dropped++
		r.mu.Unlock()
		return
	}
	err := r.w.WriteDatagram(p.Buf, p.Src, dst, p.Time)
	if err == nil {
		r.n++
		if r.n%recordFlushEvery == 0 {
			err = r.w.Flush()
		}
	}
	failed := err != nil && r.w.Err() != nil // a write error, not a datagram the writer refused
	if failed {
		r.err = fmt.Errorf("recording to %s stopped after %d datagrams: %w", r.path, r.w.Written(), err)
		r.dropped++
	}
	onError, first := r.onError, r.err
	r.mu.Unlock()
	if failed && onError != nil {
		onError(first)
	}
}

// health is the recording's state for the status line: recording and how much, or the error that stopped it.
func (r *recorder) health() model.FeedHealth {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := model.FeedHealth{Configured: true, OK: r.err == nil}
	if r.err != nil {
		h.Summary = fmt.Sprintf("%s: stopped after %d datagrams, %d not recorded", r.path, r.w.Written(), r.dropped)
		h.LastError = r.err.Error()
	} else {
		h.Summary = fmt.Sprintf("%s: %d datagrams", r.path, r.n)
	}
	return h
}

func (r *recorder) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.w.Close()
	if r.err != nil {
		err = r.err // reported when it happened too; the file ends at the last whole datagram
	}
	return errors.Join(err, r.f.Sync(), r.f.Close())
}

func carbonHealth(h graphite.CarbonHealth) model.FeedHealth {
	fh := model.FeedHealth{Configured: true, OK: h.Connected}
	if h.Connected {
		fh.Summary = fmt.Sprintf("%s up, %d sent, %d dropped", h.Addr, h.Sent, h.Dropped)
	} else {
		fh.Summary = fmt.Sprintf("%s down, %d buffered, %d dropped", h.Addr, h.Buffered, h.Dropped)
	}
	if h.LastError != nil {
		fh.LastError = h.LastError.Error()
	}
	return fh
}

func webHealth(h graphite.WebHealth) model.FeedHealth {
	fh := model.FeedHealth{Configured: true, OK: h.OK || h.Requests == 0}
	switch {
	case h.Requests == 0:
		fh.Summary = "idle"
	case h.OK:
		fh.Summary = fmt.Sprintf("ok (%s)", h.LastDuration.Round(time.Millisecond))
	default:
		fh.Summary = "failing"
	}
	if h.LastError != nil {
		fh.LastError = h.LastError.Error()
	}
	return fh
}
