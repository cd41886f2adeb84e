package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/internal/app"
	"github.com/fleettop/fleettop/internal/natskv"
	"github.com/fleettop/fleettop/internal/onevent"
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
	rewind     time.Duration
	bounds     model.Options // the Max* fields only
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
	views      string // a directory or nats://HOST:PORT[/BUCKET]

	// the dashboard's
	theme   string
	ascii   bool
	mouse   bool
	refresh time.Duration

	step time.Duration // spacing of the model's series points; tests shorten it (default model.DefaultStep)

	cl clusterFlags // NATS, forwarding, /metrics

	onEvent        string        // command run per threshold event
	onEventTimeout time.Duration // of one run
}

func (lf *liveFlags) register(fs *flag.FlagSet, listenDefault string) {
	fs.StringVar(&lf.listen, "listen", listenDefault, "UDP address to receive sFlow on (IPv4 and IPv6)")
	fs.IntVar(&lf.sockets, "sockets", 0, "UDP sockets bound with SO_REUSEPORT (0: one per 4 CPUs where the system can)")
	fs.IntVar(&lf.recvBuffer, "recv-buffer", sflow.DefaultRecvBuffer, "receive buffer of each UDP socket, bytes (Linux grants at most net.core.rmem_max, root any)")
	fs.IntVar(&lf.workers, "workers", runtime.GOMAXPROCS(0), "decoding goroutines")
	fs.IntVar(&lf.queue, "queue", sflow.DefaultQueueLen, "datagrams waiting for the decoders; when full, the socket readers wait and the kernel buffers (and drops, counted, beyond its receive buffer)")
	fs.StringVar(&lf.allow, "allow", "", "comma-separated CIDRs of agents to accept: both the UDP source and the agent address in the datagram must be in one (default: all)")
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
	fs.DurationVar(&lf.rewind, "rewind", model.DefaultRewind, "how far back a paused dashboard can step (arrow keys, [ and ]; a frame a second, about 45 kB each; 0: none)")
	b := &lf.bounds
	fs.IntVar(&b.MaxAgents, "max-agents", model.DefaultMaxAgents, "agent rows (address, sub-agent) kept at most; new ones beyond are refused and counted")
	fs.IntVar(&b.MaxAgentsPerSender, "max-agents-per-sender", model.DefaultMaxAgentsPerSender, "agent rows one UDP source address may create")
	fs.IntVar(&b.MaxSources, "max-sources", model.DefaultMaxSources, "data sources kept at most (counter sources; flow sources apart)")
	fs.IntVar(&b.MaxSourcesPerAgent, "max-sources-per-agent", model.DefaultMaxSourcesPerAgent, "data sources of one agent address")
	fs.IntVar(&b.MaxHosts, "max-hosts", model.DefaultMaxHosts, "hosts (data sources with host_descr) kept at most")
	fs.IntVar(&b.MaxHostsPerAgent, "max-hosts-per-agent", model.DefaultMaxHostsPerAgent, "hosts of one agent address (VMs, containers)")
	fs.IntVar(&b.MaxSeries, "max-series", model.DefaultMaxSeries, "per-metric series kept at most (each 15 min of points)")
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
	fs.StringVar(&lf.views, "views", "", "where saved views are kept: a directory (default $XDG_CONFIG_HOME/fleettop/views),\n"+
		"or nats://HOST:PORT[/BUCKET] for a JetStream key-value bucket the team shares (default bucket fleettop)")
	fs.StringVar(&lf.config, "config", "", "YAML config file of flag values (default $XDG_CONFIG_HOME/fleettop/config.yaml)")
	fs.StringVar(&lf.theme, "theme", "", "dashboard theme: dark, light, booth, mono or a user theme")
	fs.BoolVar(&lf.ascii, "ascii", false, "ASCII glyphs only (no block or box characters)")
	fs.BoolVar(&lf.mouse, "mouse", true, "mouse: click focuses a pane and selects a row, the wheel scrolls (=false: the terminal selects text)")
	fs.DurationVar(&lf.refresh, "refresh", 0, "data refresh of the dashboard (default 1s, 2s over ssh)")
	lf.cl.register(fs)
	fs.StringVar(&lf.onEvent, "on-event", "", "command run for each threshold event with the event as JSON on stdin\n"+
		"(split into words as a shell would, run without one; one at a time, at most 64 waiting)")
	fs.DurationVar(&lf.onEventTimeout, "on-event-timeout", onevent.DefaultTimeout, "time limit of one --on-event run; past it the command is killed")
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

// appConfig is the App's config the flags chose: the flags' strings parsed and checked, with errors naming the
// flags. encSrc is the ENC to use when no --enc-* flag is given (the demo's), or nil.
func (lf *liveFlags) appConfig(encSrc enc.Source) (app.Config, error) {
	cfg := app.Config{Listen: lf.listen, Sockets: lf.sockets, RecvBuffer: lf.recvBuffer, Workers: lf.workers, Queue: lf.queue,
		GroupBy: lf.groupBy, Window: lf.window, Step: lf.step, Bounds: lf.bounds, Graphite: lf.graphite, Record: lf.record,
		Rewind: cmp.Or(lf.rewind, -1), ENC: app.ENCConfig{Source: encSrc, Timeout: lf.encTimeout, Domain: lf.encDomain, Queue: lf.encQueue,
			Cache: lf.encCache}}
	if lf.rewind < 0 {
		return cfg, fmt.Errorf("--rewind %v: a duration of 0 or more (0 keeps none)", lf.rewind)
	}
	if lf.allow != "" {
		for _, s := range strings.Split(lf.allow, ",") {
			p, err := netip.ParsePrefix(strings.TrimSpace(s))
			if err != nil {
				a, aerr := netip.ParseAddr(strings.TrimSpace(s))
				if aerr != nil {
					return cfg, fmt.Errorf("--allow %q: %w", s, err)
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			cfg.Allow = append(cfg.Allow, p)
		}
	}
	switch {
	case lf.encCmd != "" && lf.encFile != "":
		return cfg, errors.New("--enc-cmd and --enc-file are exclusive")
	case lf.encCmd != "":
		esrc, err := enc.ParseExecCommand(lf.encCmd)
		if err != nil {
			return cfg, fmt.Errorf("--enc-cmd: %w", err)
		}
		esrc.Limits = lf.encLimits
		cfg.ENC.Source = esrc
	case lf.encFile != "":
		fsrc, err := enc.NewFileSource(lf.encFile, lf.encLimits)
		if err != nil {
			return cfg, fmt.Errorf("--enc-file: %w", err)
		}
		cfg.ENC.Source = fsrc
	}
	if lf.carbon != "" {
		cfg.Carbon = app.CarbonConfig{Addr: lf.carbon, Every: lf.carbonStep}
		switch lf.carbonProt {
		case "plaintext", "":
			cfg.Carbon.Protocol = graphite.Plaintext
		case "pickle":
			cfg.Carbon.Protocol = graphite.Pickle
		default:
			return cfg, fmt.Errorf("--carbon-protocol %q: want plaintext or pickle", lf.carbonProt)
		}
		var err error
		if cfg.Carbon.Series, err = lf.carbonSeries(); err != nil {
			return cfg, err
		}
	}
	var err error
	if cfg.Cluster, err = lf.cl.clusterConfig(lf.record != ""); err != nil {
		return cfg, err
	}
	if lf.onEvent != "" {
		if cfg.OnEvent.Command, err = onevent.Split(lf.onEvent); err != nil {
			return cfg, fmt.Errorf("--on-event: %w", err)
		}
		if lf.onEventTimeout <= 0 {
			return cfg, errors.New("--on-event-timeout: want a positive duration")
		}
		cfg.OnEvent.Timeout = lf.onEventTimeout
	}
	if cfg.Views = lf.views; natskv.IsURL(lf.views) {
		if _, _, err := natskv.ParseURL(lf.views); err != nil {
			return cfg, fmt.Errorf("--views: %w", err)
		}
	}
	return cfg, nil
}

// newApp builds the App the flags ask for; its errors are usage errors.
func newApp(lf *liveFlags, encSrc enc.Source) (*app.App, error) {
	cfg, err := lf.appConfig(encSrc)
	if err != nil {
		return nil, err
	}
	return app.New(cfg)
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
