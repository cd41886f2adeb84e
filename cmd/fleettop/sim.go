package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/atomicfile"
)

func init() {
	register("sim", "send a simulated fleet's sFlow to HOST:PORT", runSim)
}

const simUsage = `usage: fleettop sim --to HOST:PORT [flags]

Send the sFlow of the demo's simulated fleet to a collector in real time: a load
generator for another fleettop, sflowtool or any sFlow v5 collector. The fleet is
--hosts servers in six appTypes (web, imageserver, memcached, search, security,
db) and their switches: hsflowd host counters, mod-sflow HTTP samples, memcached
operations, JVM counters and sampled packet headers, with a daily load and an
incident every minute. The same --seed sends the same datagrams.

Agents are told apart by the agent address inside each datagram (10.x.y.z); the
datagrams themselves go only to --to, whose HOST must resolve to loopback
addresses unless --allow-remote is given. --rate caps the datagrams per second;
below the fleet's natural rate the simulated time slows down rather than
dropping datagrams.

--loss, --duplicate, --reorder, --remove-samples, --drop-samples and --restart-every
impair what is sent, deterministically from --seed, to show a collector's loss
accounting: a restarted agent starts its sequence numbers and uptime again and
sends from a new UDP source port.

--loop D records D of the fleet first and then sends it round after round at
--rate (0: as fast as the sockets take it), in sendmmsg batches from 8 sockets:
a load generator faster than real time. Each round renumbers every agent's
datagram and sample sequence numbers and moves its uptime on, so a collector sees
no loss and no restarts however often the recording repeats. --pcap FILE does
the same with the sFlow datagrams (to port 6343) of a capture, and --loop D
--write-pcap FILE writes the recording to a capture instead of sending it.

When it stops (after --duration, or on interrupt) it prints one line:

  sent N datagrams (B bytes) in D (R/s)

B counts UDP payload bytes, D is a Go duration, R the datagrams per second.
Exit status: 0 when it ran, 1 when it could not send, 2 for a usage error.

flags:
`

// simConfig is what `fleettop sim` was asked for.
type simConfig struct {
	Sender    sim.Sender
	Hosts     int
	Seed      int64
	Impair    sim.Impairments
	Loop      time.Duration // record this much of the fleet and send it in a loop
	Pcap      string        // send this capture's datagrams in a loop
	WritePcap string        // write the --loop recording here instead of sending
}

// parseSim reads the sim flags. When they do not make a run it says why on stderr and returns the exit code;
// otherwise the code is -1.
func parseSim(args []string, stderr io.Writer) (simConfig, int) {
	var c simConfig
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Sender.To, "to", "", "send to HOST:PORT (required)")
	fs.IntVar(&c.Hosts, "hosts", sim.DefaultHosts, fmt.Sprintf("servers in the fleet (%d to %d)", sim.MinHosts, sim.MaxHosts))
	fs.Float64Var(&c.Sender.Rate, "rate", 0, "at most this many datagrams per second (0: the fleet's natural rate)")
	fs.DurationVar(&c.Sender.Duration, "duration", 0, "stop after this long (0: run until interrupted)")
	fs.Int64Var(&c.Seed, "seed", 1, "the fleet's random seed")
	fs.BoolVar(&c.Sender.AllowRemote, "allow-remote", false, "allow a HOST that is not a loopback address")
	im := &c.Impair
	fs.Float64Var(&im.Loss, "loss", 0, "probability P that a datagram is lost (0 to 1)")
	fs.Float64Var(&im.Duplicate, "duplicate", 0, "probability P that a datagram arrives twice")
	fs.Float64Var(&im.Reorder, "reorder", 0, "probability P that a datagram arrives after the agent's next one")
	fs.Float64Var(&im.RemoveSample, "remove-samples", 0, "probability P that a flow sample is removed after it was numbered (a sequence gap)")
	fs.Float64Var(&im.DropSample, "drop-samples", 0, "probability P that an agent drops a flow sample and counts it in drops")
	fs.DurationVar(&im.RestartEvery, "restart-every", 0, fmt.Sprintf("restart each agent once every D, from a new UDP source port (0: never; at least %v)", sim.MinRestartEvery))
	fs.DurationVar(&c.Loop, "loop", 0, "record D of the fleet, then send it round after round, renumbered, at --rate (0: as fast as possible)")
	fs.StringVar(&c.Pcap, "pcap", "", "send the sFlow datagrams of this capture round after round, as --loop")
	fs.StringVar(&c.WritePcap, "write-pcap", "", "with --loop: write the recording to this capture file instead of sending it")
	fs.Usage = func() {
		fmt.Fprint(stderr, simUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, exitOK
		}
		return c, exitUsage // flag has printed the error and the usage
	}
	var problem string
	switch {
	case fs.NArg() > 0:
		problem = fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case c.Sender.To == "" && c.WritePcap == "":
		problem = "--to HOST:PORT is required"
	case c.WritePcap != "" && (c.Loop == 0 || c.Sender.To != "" || c.Pcap != ""):
		problem = "--write-pcap FILE needs --loop D, and no --to or --pcap"
	case c.Loop < 0 || c.Loop > sim.MaxCatchUp:
		problem = fmt.Sprintf("--loop %v: want 0 (off) up to %v", c.Loop, sim.MaxCatchUp)
	case c.Loop > 0 && c.Pcap != "":
		problem = "--loop and --pcap are exclusive"
	case (c.Loop > 0 || c.Pcap != "") && c.Impair != (sim.Impairments{}):
		problem = "a loop repeats its impairments every round: --loss, --duplicate, --reorder, --remove-samples, --drop-samples and --restart-every do not go with --loop or --pcap"
	case c.Hosts < sim.MinHosts || c.Hosts > sim.MaxHosts:
		problem = fmt.Sprintf("--hosts %d: want %d to %d", c.Hosts, sim.MinHosts, sim.MaxHosts)
	case c.Sender.Rate < 0:
		problem = fmt.Sprintf("--rate %v: want 0 or more", c.Sender.Rate)
	case c.Sender.Duration < 0:
		problem = fmt.Sprintf("--duration %v: want 0 or more", c.Sender.Duration)
	case c.Impair.Validate() != nil:
		problem = c.Impair.Validate().Error()
	default:
		return c, -1
	}
	fmt.Fprintf(stderr, "fleettop sim: %s\nRun 'fleettop sim -h' for the flags.\n", problem)
	return c, exitUsage
}

func runSim(args []string, stdout, stderr io.Writer) int {
	c, code := parseSim(args, stderr)
	if code >= 0 {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := sim.New(sim.Options{Seed: c.Seed, Hosts: c.Hosts, Start: time.Now(), Impair: c.Impair})
	var st sim.Stats
	var err error
	switch {
	case c.Loop > 0 || c.Pcap != "":
		var lp *sim.Loop
		if lp, err = simLoop(f, c); err == nil && c.WritePcap != "" {
			err = writeLoop(lp, c.WritePcap)
			if err == nil {
				fmt.Fprintf(stdout, "wrote %d datagrams (%v of the fleet) to %s\n", lp.Len(), c.Loop, c.WritePcap)
				return exitOK
			}
		} else if err == nil {
			st, err = c.Sender.RunLoop(ctx, lp)
		}
	default:
		st, err = c.Sender.Run(ctx, f)
	}
	if st.Datagrams > 0 || err == nil {
		fmt.Fprintln(stdout, st)
	}
	if err != nil {
		fmt.Fprintf(stderr, "fleettop sim: %v\n", err)
		if errors.Is(err, sim.ErrNotLoopback) {
			fmt.Fprintln(stderr, "fleettop sim: pass --allow-remote to send beyond this machine")
		}
		return exitError
	}
	return exitOK
}

// simLoop is the recording --loop or --pcap asks for.
func simLoop(f *sim.Fleet, c simConfig) (*sim.Loop, error) {
	if c.Pcap == "" {
		return sim.RecordLoop(f, c.Loop)
	}
	file, err := os.Open(c.Pcap)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	lp, err := sim.ReadLoop(file, sflow.DefaultPort)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Pcap, err)
	}
	return lp, nil
}

// writeLoop writes lp to path as a capture to 127.0.0.1:6343, atomically.
func writeLoop(lp *sim.Loop, path string) error {
	var b bytes.Buffer
	if err := lp.WritePcap(&b, netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), sflow.DefaultPort)); err != nil {
		return err
	}
	return atomicfile.Write(path, b.Bytes(), 0o644)
}
