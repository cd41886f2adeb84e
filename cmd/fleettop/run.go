package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/app"
)

func init() {
	register("run", "run command-line verbs from a script (or -) without the UI", runRun)
}

const runUsage = `usage: fleettop run [--replay FILE.pcap | --demo D] [--views DIR|nats://HOST:PORT[/BUCKET]] [--graphite URL] [flags] SCRIPT|-

Run command-line verbs (create, draw, add, change, save, load, views, find, url, ...)
from SCRIPT or standard input without the dashboard, printing what each prints.
Lines starting with # are comments; the run stops at the first failing line and
names it (exit status 1). SIGTERM, SIGINT or --timeout stop it between lines.

Local series come from the model, filled first from a capture (--replay, at full
speed, on the capture's clock) or from D of the demo fleet's simulated time
(--demo 20m); remote targets from --graphite. Time ranges (-20min) count back from
the model's clock.

flags:
`

func runRun(args []string, stdout, stderr io.Writer) int {
	var lf liveFlags
	fs := newFlagSet("run", runUsage, stderr)
	lf.register(fs, "")
	replayFile := fs.String("replay", "", "fill the model from this capture first")
	demo := fs.Duration("demo", 0, "fill the model with this much simulated time of the demo fleet first")
	seed := fs.Int64("seed", 1, "seed of the demo fleet (with --demo)")
	timeout := fs.Duration("timeout", 10*time.Minute, "time limit of the script (0: none); SIGTERM stops it too")
	rest, code := parseFlags(fs, args, &lf, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 || (*replayFile != "" && *demo > 0) {
		fs.Usage()
		return exitUsage
	}
	var script io.Reader = os.Stdin
	dir := ""
	if rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			fmt.Fprintf(stderr, "fleettop run: %v\n", err)
			return exitError
		}
		defer f.Close()
		script, dir = f, filepath.Dir(rest[0])
	}

	ctx, cancel := signalContext()
	defer cancel()
	var simFleet *sim.Fleet
	var encSrc enc.Source
	if *demo > 0 {
		simFleet = sim.New(sim.Options{Seed: *seed, Start: time.Unix(1767225600, 0)}) // 2026-01-01 UTC
		encSrc = enc.NewStaticSource(simFleet.ENC())
	}
	a, err := newApp(&lf, encSrc)
	if err != nil {
		fmt.Fprintf(stderr, "fleettop run: %v\n", err)
		return exitUsage
	}
	defer a.Close()
	con, err := a.NewConsole(app.ConsoleOptions{Timeout: 15 * time.Second})
	if err != nil {
		fmt.Fprintf(stderr, "fleettop run: %v\n", err)
		return exitError
	}
	for _, n := range con.Notices() {
		fmt.Fprintf(stderr, "fleettop run: warning: %s\n", n)
	}
	switch {
	case *replayFile != "":
		rp, err := app.OpenReplay(*replayFile, sflow.DefaultPort)
		if err != nil {
			fmt.Fprintf(stderr, "fleettop run: %v\n", err)
			return exitError
		}
		rp.Speed = 0
		rp.OnPublish = con.Refresh
		err = rp.Run(ctx, a.Fleet())
		rp.Close()
		if err != nil {
			fmt.Fprintf(stderr, "fleettop run: replay: %v\n", err)
			return exitError
		}
		a.Fleet().Publish(rp.Clock())
	case simFleet != nil:
		if err := app.Simulate(ctx, simFleet, a.Fleet(), *demo, con.Refresh); err != nil {
			fmt.Fprintf(stderr, "fleettop run: demo: %v\n", err)
			return exitError
		}
	}
	if *timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeout(ctx, *timeout)
		defer stop()
	}
	if err := con.RunScript(ctx, script, dir, stdout); err != nil {
		fmt.Fprintf(stderr, "fleettop run: %v\n", err)
		return exitError
	}
	return exitOK
}
