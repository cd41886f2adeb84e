package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fleettop/fleettop/internal/app"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/ui"
)

func init() {
	register("live", "live dashboard on UDP :6343 (the default)", runLive)
	register("demo", "the dashboard on a built-in simulated fleet", runDemo)
	register("replay", "replay a pcap capture through the dashboard (or headless)", runReplay)
	register("collect", "headless ingest, health lines, carbon push", runCollect)
}

// signalContext is cancelled on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// uiOptions are the dashboard's options the flags chose.
func (lf *liveFlags) uiOptions() ui.Options {
	return ui.Options{Theme: lf.theme, Mouse: lf.mouse, ASCII: lf.ascii, Refresh: lf.refresh}
}

const liveUsage = `usage: fleettop [live] [flags]

The live dashboard: receive sFlow v5 on --listen, join hosts with the ENC, show the fleet.

flags:
`

func runLive(args []string, _, stderr io.Writer) int {
	var lf liveFlags
	fs := newFlagSet("live", liveUsage, stderr)
	lf.register(fs, ":6343")
	rest, code := parseFlags(fs, args, &lf, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "fleettop: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	ctx, cancel := signalContext()
	defer cancel()
	a, err := newApp(&lf, nil)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop: %v\n", err)
		return exitUsage
	}
	if err := a.IngestOrSubscribe(ctx, time.Second); err != nil {
		fmt.Fprintf(stderr, "fleettop: %v\n", err)
		a.Close()
		return exitError
	}
	err = a.Dashboard(ctx, lf.uiOptions())
	cancel()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "fleettop: %v\n", err)
		return exitError
	}
	return exitOK
}

const demoUsage = `usage: fleettop demo [--kiosk] [--print-enc DIR] [flags]

The dashboard on a built-in simulated fleet: about 60 hosts in six appTypes (web,
imageserver, memcached, search, security, db) and their switches send real sFlow
datagrams over loopback UDP into fleettop's own listener, with an ENC for them and
scripted incidents every few minutes. --kiosk cycles panes and views unattended.

flags:
`

func runDemo(args []string, _, stderr io.Writer) int {
	var lf liveFlags
	fs := newFlagSet("demo", demoUsage, stderr)
	lf.register(fs, "127.0.0.1:0")
	kiosk := fs.Bool("kiosk", false, "cycle through panes and views unattended (booth theme unless --theme)")
	kioskEvery := fs.Duration("kiosk-every", 8*time.Second, "time on each pane in --kiosk")
	printENC := fs.String("print-enc", "", "write the demo fleet's ENC as CERTNAME.yaml files into DIR and exit")
	hosts := fs.Int("hosts", sim.DefaultHosts, "servers in the simulated fleet")
	seed := fs.Int64("seed", 1, "seed of the simulated fleet")
	rest, code := parseFlags(fs, args, &lf, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "fleettop demo: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	start := time.Now()
	fleet := sim.New(sim.Options{Seed: *seed, Hosts: *hosts, Start: start.Add(-app.DemoWarmup)})
	if *printENC != "" {
		if err := fleet.WriteENC(*printENC); err != nil {
			fmt.Fprintf(stderr, "fleettop demo: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stderr, "wrote %d ENC nodes to %s\n", len(fleet.ENC()), *printENC)
		return exitOK
	}
	ctx, cancel := signalContext()
	defer cancel()
	a, err := newApp(&lf, enc.NewStaticSource(fleet.ENC()))
	if err != nil {
		fmt.Fprintf(stderr, "fleettop demo: %v\n", err)
		return exitUsage
	}
	// the first frame filled at once: the minute before start played straight into the model
	if err := a.WarmUp(ctx, fleet, start); err != nil {
		fmt.Fprintf(stderr, "fleettop demo: %v\n", err)
		a.Close()
		return exitError
	}
	if err := a.Listen(ctx); err != nil {
		fmt.Fprintf(stderr, "fleettop demo: %v\n", err)
		return exitError
	}
	a.Start(ctx, time.Second)
	sendErr := make(chan error, 1)
	go func() {
		s := sim.Sender{To: a.ListenAddr().String()}
		_, err := s.Run(ctx, fleet)
		sendErr <- err
	}()
	opt := lf.uiOptions()
	if *kiosk {
		opt.Kiosk = *kioskEvery
	}
	opt.Notices = []string{fmt.Sprintf("demo: %d simulated hosts sending sFlow to %s", *hosts, a.ListenAddr())}
	opt.Banner = func() string {
		if inc := fleet.IncidentAt(time.Now()); inc.Name != "" {
			return "incident: " + inc.Name
		}
		return ""
	}
	var lines []string
	if *kiosk {
		// windows for the kiosk to cycle through when no views are saved yet
		lines = []string{
			`draw groupByNode(fleet.*.*.cpu.utilisation,1,"averageSeries") in cpu from -10min`,
			`draw groupByNode(fleet.*.*.net.bytes_in,1,"sumSeries") in traffic from -10min`,
		}
	}
	err = a.Dashboard(ctx, opt, lines...)
	cancel()
	if serr := <-sendErr; err == nil && serr != nil && !errors.Is(serr, context.Canceled) {
		err = serr
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "fleettop demo: %v\n", err)
		return exitError
	}
	return exitOK
}

const replayUsage = `usage: fleettop replay [--speed N] [--headless] [--snapshot-json FILE] [flags] FILE.pcap

Feed a capture (classic pcap or pcapng, UDP to --port) through the decoder and the
model with its original timing, N times faster with --speed N, or as fast as
possible with --speed 0. The model's clock is the capture's, so rates are the
capture's whatever the speed. --headless prints health lines instead of the
dashboard and, with --snapshot-json, writes the final model.

flags:
`

func runReplay(args []string, stdout, stderr io.Writer) int {
	var lf liveFlags
	fs := newFlagSet("replay", replayUsage, stderr)
	lf.register(fs, "")
	speed := fs.Float64("speed", 1, "replay speed: 1 original timing, N times faster, 0 as fast as possible")
	port := fs.Int("port", sflow.DefaultPort, "UDP destination port of the sFlow in the capture")
	headless := fs.Bool("headless", false, "no dashboard: health lines on stdout")
	snapJSON := fs.String("snapshot-json", "", "write the final model snapshot as JSON to FILE")
	rest, code := parseFlags(fs, args, &lf, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 || *speed < 0 {
		fs.Usage()
		return exitUsage
	}
	ctx, cancel := signalContext()
	defer cancel()
	a, err := newApp(&lf, nil)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop replay: %v\n", err)
		return exitUsage
	}
	rp, err := app.OpenReplay(rest[0], *port)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop replay: %v\n", err)
		return exitError
	}
	defer rp.Close()
	rp.Speed = *speed
	if *headless {
		err = rp.Run(ctx, a.Fleet())
		if err == nil {
			a.SettleENC(ctx, rp.Clock())
		}
		if err == nil && *snapJSON != "" {
			err = a.Fleet().Publish(rp.Clock()).WriteJSONFileContext(ctx, *snapJSON)
		}
		if err == nil {
			fmt.Fprintln(stdout, app.HealthLine(a.Fleet().Snapshot()))
		}
	} else {
		go func() { _ = rp.Run(ctx, a.Fleet()) }()
		opt := lf.uiOptions()
		opt.Notices = []string{"replaying " + rest[0]}
		err = a.Dashboard(ctx, opt)
		cancel()
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "fleettop replay: %v\n", err)
		return exitError
	}
	return exitOK
}

const collectUsage = `usage: fleettop collect [--interval D] [--snapshot-json FILE] [--duration D] [flags]

Headless: the same ingest and model as the dashboard, with one health line per
--interval on stdout:

  TIME dgrams/s=R datagrams=N drops=N kernel_drops=N lost=N duplicates=N restarts=N sample_drops=N lost_samples=N errors=N agents=N hosts=N stale=N groups=N [recv_buffer=BYTES [recv_buffer_warning=...]] [disallowed=N] [refused_agents=N refused_sources=N refused_series=N] [FEED="..." [FEED_error="..."]] age=D [STALE]

drops are datagrams the ingest queue dropped, kernel_drops those the kernel dropped
before they were read (a full socket receive buffer: recv_buffer is what the kernel
granted, recv_buffer_warning the sysctl that raises it when it granted less than
asked); each configured feed (enc, graphite, carbon, nats) says how it goes, and
why not when it fails. lost, duplicates and restarts come
from the agents' datagram sequence numbers; sample_drops is what the agents' own
drops counters gained, lost_samples the gaps in their flow-sample sequences.
refused_* count what the bounds on the model's state (--max-*) turned away. age is
how old the snapshot is; STALE when it is older than two publishing intervals.

--snapshot-json writes the model as JSON on exit and on SIGUSR1. --carbon pushes the
metric tree to carbon every --carbon-interval.

--script runs command lines first, for thresholds (threshold NAME TARGET > V for D, or
load VIEW to take a saved view's); each event they raise or clear is a line on stdout:

  TIME raised|cleared THRESHOLD GROUP[/HOST] SERIES=VALUE OP LINE (clears at C)

and, with --on-event CMD, runs CMD with the event as JSON on stdin.

flags:
`

func runCollect(args []string, stdout, stderr io.Writer) int {
	var lf liveFlags
	fs := newFlagSet("collect", collectUsage, stderr)
	lf.register(fs, ":6343")
	interval := fs.Duration("interval", 10*time.Second, "time between health lines")
	snapJSON := fs.String("snapshot-json", "", "write the model snapshot as JSON to FILE on exit and on SIGUSR1")
	duration := fs.Duration("duration", 0, "stop after this long (0: run until interrupted)")
	script := fs.String("script", "", "command lines to run first (threshold definitions, `load VIEW`); their thresholds' events are printed")
	rest, code := parseFlags(fs, args, &lf, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 || *interval <= 0 {
		fs.Usage()
		return exitUsage
	}
	ctx, cancel := signalContext()
	defer cancel()
	if *duration > 0 {
		var c2 context.CancelFunc
		ctx, c2 = context.WithTimeout(ctx, *duration)
		defer c2()
	}
	stdout, stderr = &lockedWriter{w: stdout}, &lockedWriter{w: stderr} // events come from another goroutine
	var a *app.App
	cfg, err := lf.appConfig(nil)
	if err == nil {
		cfg.OnRecordError = func(err error) { fmt.Fprintf(stderr, "fleettop collect: %v\n", err) }
		cfg.OnEvent.OnError = cfg.OnRecordError
		a, err = app.New(cfg)
	}
	if err != nil {
		fmt.Fprintf(stderr, "fleettop collect: %v\n", err)
		return exitUsage
	}
	if err := a.IngestOrSubscribe(ctx, publishEvery); err != nil {
		fmt.Fprintf(stderr, "fleettop collect: %v\n", err)
		a.Close()
		return exitError
	}
	if w := a.ListenWarning(); w != "" {
		fmt.Fprintf(stderr, "fleettop collect: warning: %s\n", w)
	}
	if addr := a.ListenAddr(); addr.IsValid() {
		fmt.Fprintf(stderr, "fleettop collect: listening on %s\n", addr)
	}
	if err := collectEvents(ctx, a, *script, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "fleettop collect: %v\n", err)
		a.Close()
		return exitError
	}

	usr1 := make(chan os.Signal, 1)
	notifySnapshotSignal(usr1)
	defer signal.Stop(usr1)
	tick := time.NewTicker(*interval)
	defer tick.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			fmt.Fprintln(stdout, app.LiveHealthLine(a.Snapshot(), time.Now(), publishEvery))
		case <-usr1:
			if *snapJSON != "" {
				if err := a.PublishNow().WriteJSONFileContext(ctx, *snapJSON); err != nil {
					fmt.Fprintf(stderr, "fleettop collect: %v\n", err)
				}
			}
		}
	}
	final, runErr := stopCollect(a, *snapJSON)
	fmt.Fprintln(stdout, app.HealthLine(final))
	if runErr != nil {
		fmt.Fprintf(stderr, "fleettop collect: %v\n", runErr)
		return exitError
	}
	return exitOK
}

// publishEvery is how often collect publishes a snapshot.
const publishEvery = time.Second

// stopWithin bounds collect's shutdown after SIGTERM: draining, the final snapshot and its JSON.
const stopWithin = 1500 * time.Millisecond

// stopCollect ends collect: it drains what the sockets already took, then publishes the final state (or the
// collectors' last merge) and writes it to snapJSON (unless empty), all within stopWithin: what does not fit is
// not written (the previous file stays) and said so in the error.
func stopCollect(a *app.App, snapJSON string) (*model.Snapshot, error) {
	ctx, cancel := context.WithTimeout(context.Background(), stopWithin)
	defer cancel()
	final := a.FinalSnapshot()
	err := a.Close()
	if final == nil {
		final = a.Fleet().Publish(time.Now()) // with what the sockets took until they closed
	}
	if snapJSON != "" {
		if werr := final.WriteJSONFileContext(ctx, snapJSON); werr != nil && err == nil {
			err = fmt.Errorf("final snapshot not written: %w", werr)
		}
	}
	return final, err
}
