package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/fleettop/fleettop/internal/atomicfile"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/model/tree"
	"github.com/fleettop/fleettop/themes"
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

// dashboard runs the UI on st's model until the user quits or ctx ends.
// banner, when set, is shown in the status line (the demo's current incident); seed lines run on the command
// line first (windows for the kiosk to show).
func dashboard(ctx context.Context, st *stack, lf *liveFlags, kiosk time.Duration, notices []string,
	banner func() string, seed ...string) error {
	cat, errs := themes.LoadUser(os.Getenv)
	for _, e := range errs {
		notices = append(notices, e.Error())
	}
	if w := st.listenerWarning(); w != "" {
		notices = append(notices, w)
	}
	histPath, _ := query.DefaultHistoryPath() // no history file is no reason not to start
	con, err := newConsole(st.fleet, st.web, "", histPath)
	if err != nil {
		return err
	}
	notices = append(notices, con.notices...)
	for _, line := range seed {
		if _, err := con.Exec(line); err != nil {
			notices = append(notices, fmt.Sprintf("%s: %v", line, err))
		}
	}
	opt := ui.Options{Theme: lf.theme, Themes: cat, Mouse: lf.mouse, ASCII: lf.ascii, Refresh: lf.refresh,
		Kiosk: kiosk, Notices: notices, Banner: banner}
	return ui.Run(ctx, st.fleet, con, con, opt, nil, nil)
}

func (st *stack) listenerWarning() string {
	if st.listener == nil {
		return ""
	}
	return st.listener.Stats().Warning
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
	st, err := newStack(&lf, nil)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop: %v\n", err)
		return exitUsage
	}
	if err := st.listen(ctx, &lf); err != nil {
		fmt.Fprintf(stderr, "fleettop: %v\n", err)
		return exitError
	}
	st.run(ctx, time.Second, lf.carbonStep)
	err = dashboard(ctx, st, &lf, 0, nil, nil)
	cancel()
	if cerr := st.close(); err == nil {
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
	fleet := sim.New(sim.Options{Seed: *seed, Hosts: *hosts, Start: time.Now()})
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
	st, err := newStack(&lf, enc.NewStaticSource(fleet.ENC()))
	if err != nil {
		fmt.Fprintf(stderr, "fleettop demo: %v\n", err)
		return exitUsage
	}
	if err := st.listen(ctx, &lf); err != nil {
		fmt.Fprintf(stderr, "fleettop demo: %v\n", err)
		return exitError
	}
	st.run(ctx, time.Second, lf.carbonStep)
	sendErr := make(chan error, 1)
	go func() {
		s := sim.Sender{To: st.listener.LocalAddr().String()}
		_, err := s.Run(ctx, fleet)
		sendErr <- err
	}()
	var every time.Duration
	if *kiosk {
		every = *kioskEvery
	}
	notices := []string{fmt.Sprintf("demo: %d simulated hosts sending sFlow to %s", *hosts, st.listener.LocalAddr())}
	banner := func() string {
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
	err = dashboard(ctx, st, &lf, every, notices, banner, lines...)
	cancel()
	if serr := <-sendErr; err == nil && serr != nil && !errors.Is(serr, context.Canceled) {
		err = serr
	}
	if cerr := st.close(); err == nil {
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
	st, err := newStack(&lf, nil)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop replay: %v\n", err)
		return exitUsage
	}
	rp, err := openReplay(rest[0], *port)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop replay: %v\n", err)
		return exitError
	}
	defer rp.close()
	rp.speed = *speed
	if *headless {
		err = rp.run(ctx, st)
		if err == nil {
			st.settleENC(ctx, rp.clock())
		}
		if err == nil && *snapJSON != "" {
			err = writeSnapshotJSON(ctx, *snapJSON, st.fleet.Publish(rp.clock()))
		}
		if err == nil {
			s := st.fleet.Snapshot()
			fmt.Fprintln(stdout, healthLine(s))
		}
	} else {
		go func() { _ = rp.run(ctx, st) }()
		err = dashboard(ctx, st, &lf, 0, []string{"replaying " + rest[0]}, nil)
		cancel()
	}
	if cerr := st.close(); err == nil {
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

  TIME dgrams/s=R datagrams=N drops=N lost=N duplicates=N restarts=N sample_drops=N lost_samples=N errors=N agents=N hosts=N stale=N groups=N [disallowed=N] [refused_agents=N refused_sources=N refused_series=N] enc=... carbon=... age=D [STALE]

drops are datagrams the ingest queue dropped; lost, duplicates and restarts come
from the agents' datagram sequence numbers; sample_drops is what the agents' own
drops counters gained, lost_samples the gaps in their flow-sample sequences.
refused_* count what the bounds on the model's state (--max-*) turned away. age is
how old the snapshot is; STALE when it is older than two publishing intervals.

--snapshot-json writes the model as JSON on exit and on SIGUSR1. --carbon pushes the
metric tree to carbon every --carbon-interval.

flags:
`

func runCollect(args []string, stdout, stderr io.Writer) int {
	var lf liveFlags
	fs := newFlagSet("collect", collectUsage, stderr)
	lf.register(fs, ":6343")
	interval := fs.Duration("interval", 10*time.Second, "time between health lines")
	snapJSON := fs.String("snapshot-json", "", "write the model snapshot as JSON to FILE on exit and on SIGUSR1")
	duration := fs.Duration("duration", 0, "stop after this long (0: run until interrupted)")
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
	st, err := newStack(&lf, nil)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop collect: %v\n", err)
		return exitUsage
	}
	if st.recorder != nil {
		st.recorder.onError = func(err error) { fmt.Fprintf(stderr, "fleettop collect: %v\n", err) }
	}
	if err := st.listen(ctx, &lf); err != nil {
		fmt.Fprintf(stderr, "fleettop collect: %v\n", err)
		return exitError
	}
	if w := st.listenerWarning(); w != "" {
		fmt.Fprintf(stderr, "fleettop collect: warning: %s\n", w)
	}
	fmt.Fprintf(stderr, "fleettop collect: listening on %s\n", st.listener.LocalAddr())
	st.run(ctx, publishEvery, lf.carbonStep)

	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	defer signal.Stop(usr1)
	tick := time.NewTicker(*interval)
	defer tick.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			fmt.Fprintln(stdout, liveLine(st.fleet.Snapshot(), time.Now(), publishEvery))
		case <-usr1:
			if *snapJSON != "" {
				if err := writeSnapshotJSON(ctx, *snapJSON, st.fleet.Publish(time.Now())); err != nil {
					fmt.Fprintf(stderr, "fleettop collect: %v\n", err)
				}
			}
		}
	}
	final, runErr := st.stop(*snapJSON)
	fmt.Fprintln(stdout, healthLine(final))
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

// healthLine is collect's one-line summary of a snapshot.
func healthLine(s *model.Snapshot) string {
	h := s.Health
	line := fmt.Sprintf("%s dgrams/s=%.1f datagrams=%d drops=%d lost=%d duplicates=%d restarts=%d sample_drops=%d "+
		"lost_samples=%d errors=%d agents=%d hosts=%d stale=%d groups=%d",
		s.Time.UTC().Format(time.RFC3339), h.DatagramsPerSec, h.Datagrams, h.QueueDrops, h.Lost, h.Duplicates,
		h.Restarts, h.SampleDrops, h.LostSamples, h.DecodeErrors, h.Agents, h.Hosts, h.StaleHosts, h.Groups)
	if h.Disallowed > 0 {
		line += fmt.Sprintf(" disallowed=%d", h.Disallowed)
	}
	if n := h.RefusedAgents + h.RefusedSources + h.RefusedSeries; n > 0 {
		line += fmt.Sprintf(" refused_agents=%d refused_sources=%d refused_series=%d", h.RefusedAgents,
			h.RefusedSources, h.RefusedSeries)
	}
	if h.ENC.Configured {
		line += fmt.Sprintf(" enc=%q", h.ENC.Summary)
	}
	if h.Carbon.Configured {
		line += fmt.Sprintf(" carbon=%q", h.Carbon.Summary)
	}
	return line
}

// stop ends collect: it drains what the sockets already took, then publishes the final state and writes it to
// snapJSON (unless empty), all within stopWithin: what does not fit is not written (the previous file stays)
// and said so in the error.
func (st *stack) stop(snapJSON string) (*model.Snapshot, error) {
	ctx, cancel := context.WithTimeout(context.Background(), stopWithin)
	defer cancel()
	err := st.close()
	final := st.fleet.Publish(time.Now())
	if snapJSON != "" {
		if werr := writeSnapshotJSON(ctx, snapJSON, final); werr != nil && err == nil {
			err = fmt.Errorf("final snapshot not written: %w", werr)
		}
	}
	return final, err
}

// liveLine is collect's health line of the latest snapshot at now: the line, the snapshot's age, and STALE
// when no snapshot was published for more than two publishing intervals.
func liveLine(s *model.Snapshot, now time.Time, every time.Duration) string {
	age := now.Sub(s.Time)
	if s.Time.IsZero() {
		age = 0
	}
	line := healthLine(s) + " age=" + age.Round(time.Millisecond).String()
	if age > 2*every {
		line += " STALE"
	}
	return line
}

// writeSnapshotJSON writes s atomically (a reader never sees half a file) as it encodes it; when ctx ends
// first the file is left as it was.
func writeSnapshotJSON(ctx context.Context, path string, s *model.Snapshot) error {
	err := atomicfile.WriteFunc(path, 0o644, func(w io.Writer) error { return s.WriteJSONContext(ctx, w) })
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// pushLoop sends carbon what changed in the metric tree since the last push, every interval: the model fills
// a counter's step when its next sample arrives, so sending only the latest values would leave gaps.
func pushLoop(ctx context.Context, fleet *model.Fleet, c *graphite.Carbon, every time.Duration) {
	if every <= 0 {
		every = 10 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var buf []graphite.Point
	var prev *model.Snapshot
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s := fleet.Snapshot()
			if s == nil || (prev != nil && s.Version == prev.Version) {
				continue
			}
			buf = tree.AppendChanges(buf[:0], prev, s)
			prev = s
			c.Send(buf...)
		}
	}
}
