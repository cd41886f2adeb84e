// Package sim generates the sFlow v5 datagrams of a simulated website fleet (host counters, HTTP, memcache, JVM and
// switch samples, with a daily load and scripted incidents) deterministically from a seed and a virtual clock,
// and sends them over UDP.
package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sync/atomic"
	"time"
)

// Limits and defaults of Options.
const (
	DefaultHosts        = 60
	MinHosts            = numApps // one per appType
	MaxHosts            = 20_000
	DefaultCycle        = 4 * time.Minute
	MinCycle            = 20 * time.Second
	DefaultDay          = 12 * time.Minute
	MinDay              = time.Minute
	DefaultPollInterval = 5 * time.Second

	// MaxDatagram is the largest datagram the fleet sends (sflow.h SFL_DEFAULT_DATAGRAM_SIZE).
	MaxDatagram = 1400

	// MaxCatchUp is how far one Tick may move the virtual clock: a bound on the work of one call.
	MaxCatchUp = time.Hour
)

// Options shape a Fleet. Zero values take the defaults.
type Options struct {
	Seed int64
	// Hosts is the number of servers, split among the appTypes like a large website (60: 20 web, 10
	// imageserver, 10 memcached, 8 search, 4 security, 8 db); it is raised to MinHosts and capped at MaxHosts.
	// Switches come on top: one per 16 servers.
	Hosts int
	// Start is the virtual time of the fleet's first instant. It only labels time: the datagrams depend on the
	// seed and on the time elapsed since Start, not on Start itself.
	Start time.Time
	// Cycle is the length of the incident script, which repeats (default 4 min, at least MinCycle).
	Cycle time.Duration
	// Day is the length of the compressed day of the diurnal load (default 12 min, at least MinDay).
	Day time.Duration
	// PollInterval is how often hosts and their applications send counters, in whole seconds (default 5 s,
	// 1 s to 60 s); JVMs and switches send theirs every twice that.
	PollInterval time.Duration
	// Impair injects loss, duplicates, reordering, removed and dropped samples and restarts. New clamps
	// probabilities into [0, 1] and a RestartEvery below MinRestartEvery up to it; Impairments.Validate says
	// what a caller should refuse instead.
	Impair Impairments
}

// Fleet is a simulated fleet of sFlow agents driven by a virtual clock. Tick is not safe for concurrent use;
// Now, Incident and IncidentAt are.
type Fleet struct {
	opt      Options
	start    time.Time
	cycleMs  int64
	dayMs    int64
	hosts    []*host
	byApp    [numApps][]*host
	switches []*switchDev
	agents   []*agent // in the order they tick within each virtual second

	round  int64 // the virtual second being played
	next   int   // the next agent to tick in it
	lastMs int64 // virtual ms of the last Tick
	nowMs  atomic.Int64

	pk   packer
	imp  impairer
	text textScratch
}

// Agent tick period: agents flush their flow samples every second, as hsflowd and mod-sflow do.
const tickMs = 1000

// New builds the fleet opt describes. The same Options give the same fleet and the same datagrams.
func New(opt Options) *Fleet {
	if opt.Hosts == 0 {
		opt.Hosts = DefaultHosts
	}
	opt.Hosts = min(max(opt.Hosts, MinHosts), MaxHosts)
	if opt.Cycle == 0 {
		opt.Cycle = DefaultCycle
	}
	opt.Cycle = max(opt.Cycle, MinCycle)
	if opt.Day == 0 {
		opt.Day = DefaultDay
	}
	opt.Day = max(opt.Day, MinDay)
	if opt.PollInterval == 0 {
		opt.PollInterval = DefaultPollInterval
	}
	opt.PollInterval = min(max(opt.PollInterval.Round(time.Second), time.Second), time.Minute)
	im := &opt.Impair
	for _, p := range []*float64{&im.Loss, &im.Duplicate, &im.Reorder, &im.RemoveSample, &im.DropSample} {
		if !(*p >= 0) { // NaN too
			*p = 0
		}
		*p = min(*p, 1)
	}
	if im.RestartEvery > 0 {
		im.RestartEvery = max(im.RestartEvery, MinRestartEvery)
	} else {
		im.RestartEvery = 0
	}

	f := &Fleet{opt: opt, start: opt.Start, cycleMs: opt.Cycle.Milliseconds(), dayMs: opt.Day.Milliseconds(),
		lastMs: -1}
	f.imp.init(opt.Seed, opt.Impair)
	f.buildLayout()
	f.buildAgents()
	f.pk.init(&f.imp)
	return f
}

// Options returns the options the fleet runs with, defaults applied.
func (f *Fleet) Options() Options { return f.opt }

// Now returns the virtual time of the latest Tick (Start before the first).
func (f *Fleet) Now() time.Time { return f.timeOf(max(f.nowMs.Load(), 0)) }

func (f *Fleet) msOf(t time.Time) int64    { return t.Sub(f.start).Milliseconds() }
func (f *Fleet) timeOf(ms int64) time.Time { return f.start.Add(time.Duration(ms) * time.Millisecond) }

// Tick is TickFrom for a sender with one socket for every agent.
func (f *Fleet) Tick(now time.Time, emit func(datagram []byte) error) error {
	return f.TickFrom(now, func(b []byte, _ int) error { return emit(b) })
}

// TickFrom produces every datagram that falls due in the virtual interval since the previous Tick, up to and
// including now, calling emit with each in order. The slice passed to emit is reused: copy it to keep it. The
// datagrams are a function of the seed and the virtual time only: ticking every 10 ms or once a minute yields
// the same bytes.
//
// A now at or before the previous Tick's does nothing. A now more than MaxCatchUp after it is an error. An error
// from emit ends the Tick once the agent whose datagram was refused has finished its second: that datagram and
// the agent's others of that second are lost (their sequence numbers are used, as by an agent whose socket
// failed), and the next Tick goes on from there.
//
// socket is the index of the UDP socket the agent process sends from: 0, one more after each restart
// (Impairments.RestartEvery), so that a sender with a socket per index sends a restarted agent's datagrams from
// a new source port, as a restarted agent does.
func (f *Fleet) TickFrom(now time.Time, emit func(datagram []byte, socket int) error) error {
	nowMs := f.msOf(now)
	if nowMs <= f.lastMs {
		return nil
	}
	if gap := time.Duration(nowMs-f.lastMs) * time.Millisecond; gap > MaxCatchUp {
		return fmt.Errorf("sim tick at %v: %v after the fleet's clock (%v), more than %v in one step",
			now, gap, f.Now(), MaxCatchUp)
	}
	for {
		a := f.agents[f.next]
		at := f.round*tickMs + a.phase
		if at > nowMs {
			break
		}
		if f.next++; f.next == len(f.agents) {
			f.next = 0
			f.round++
		}
		if err := f.tickAgent(a, at, emit); err != nil {
			f.lastMs = at
			f.nowMs.Store(at)
			return err
		}
	}
	f.lastMs = nowMs
	f.nowMs.Store(nowMs)
	return nil
}

// agentKind is which kind of sFlow agent an agent imitates.
type agentKind uint8

const (
	agentHost     agentKind = iota // hsflowd: expanded host counters, sub-agent 100000
	agentHTTP                      // mod-sflow: compact HTTP flow samples and counters, sub-agent 0
	agentMemcache                  // memcached's sFlow: compact memcache samples and counters, sub-agent 0
	agentJVM                       // jmx-sflow-agent: compact counters, one sample per datagram, sub-agent 200000
	agentSwitch                    // a switch: sampled headers and port counters
)

// Sub-agent ids the real agents use (SFLOW.md §3).
const (
	subAgentHsflowd = 100000
	subAgentJMX     = 200000
	dsMemcache      = 65537 // memcached's hard-coded logical data source index
	dsJVM           = 200000
)

// agent is one sFlow agent: an address and sub-agent with its datagram sequence, boot time and schedule.
type agent struct {
	kind      agentKind
	addr      netip.Addr
	subAgent  uint32
	phase     int64 // ms into each virtual second at which it sends
	poll      int64 // counters every poll ticks
	pollPhase int64
	bootMs    int64 // virtual ms at which it booted (before Start)
	id        uint64
	seq       uint32
	rng       *rand.Rand
	host      *host
	sw        *switchDev
	zipf      *rand.Zipf // mod-sflow: URL rank; memcached: key rank
	clients   *rand.Zipf // Internet client rank
	flowSeq   uint32
	ctrSeq    uint32
	pool      samplePool
	drops     uint32 // flow samples dropped for lack of resources (Impairments.DropSample)
	app       appCounters
	lastCtrMs int64
	started   bool // its application counters hold what it counted since boot

	// Impairments.
	socket     int    // restarts so far: the index of the socket it sends from
	restartAt  int64  // virtual ms of its next restart; 0 before the first is drawn
	held       []byte // a datagram held back to arrive after the next one (Reorder), nil when none
	heldBuf    []byte // held's reused storage
	heldSocket int
}

// buildAgents creates the agents of every host and switch and orders them by their phase.
func (f *Fleet) buildAgents() {
	poll := int64(f.opt.PollInterval / time.Second)
	add := func(kind agentKind, addr netip.Addr, sub uint32, h *host, sw *switchDev, pollEvery int64) *agent {
		id := uint64(len(f.agents))
		r := rand.New(rand.NewPCG(uint64(f.opt.Seed), mix(uint64(kind), id, 0xa6e7)))
		a := &agent{kind: kind, id: id, addr: addr, subAgent: sub, host: h, sw: sw, rng: r,
			phase: int64(r.IntN(tickMs)), poll: pollEvery, pollPhase: int64(r.IntN(int(pollEvery))),
			bootMs: -int64(3_600_000 + r.IntN(45*86_400_000))}
		a.drops = f.initialDrops(id)
		f.agents = append(f.agents, a)
		return a
	}
	for _, h := range f.hosts {
		hsflowd := add(agentHost, h.Addr, subAgentHsflowd, h, nil, poll)
		var app *agent
		switch h.prof.app {
		case appHTTP:
			app = add(agentHTTP, h.Addr, 0, h, nil, poll)
			app.zipf = rand.NewZipf(app.rng, 1.1, 1, uriCatalogue-1)
			app.clients = rand.NewZipf(app.rng, 1.2, 2, clientPool-1)
		case appMemcache:
			app = add(agentMemcache, h.Addr, 0, h, nil, poll)
			app.zipf = rand.NewZipf(app.rng, 1.05, 1, keysPerHost-1)
		case appJVM:
			app = add(agentJVM, h.Addr, subAgentJMX, h, nil, 2*poll)
		}
		if app != nil && app.bootMs < hsflowd.bootMs {
			app.bootMs = hsflowd.bootMs + 90_000 // started by the init system after the host booted
		}
	}
	for _, sw := range f.switches {
		a := add(agentSwitch, sw.Addr, 0, nil, sw, 2*poll)
		a.clients = rand.NewZipf(a.rng, 1.2, 2, clientPool-1)
		for _, p := range sw.ports {
			p.drops = f.initialDrops(a.id<<16 | uint64(p.ifIndex))
		}
	}
	slices.SortStableFunc(f.agents, func(x, y *agent) int { return cmp.Compare(x.phase, y.phase) })
}

// tickAgent plays one agent's second ending at ms: the flow samples of that second, and its counters when due.
func (f *Fleet) tickAgent(a *agent, ms int64, emit func([]byte, int) error) error {
	k := floorDiv(ms, tickMs) // the agent's tick number: its first is at its phase in second 0
	f.restartDue(a, ms)
	inc := f.planAt(ms)
	silent := inc.kind == SilentHost && a.host != nil && a.host.idx == inc.host
	f.pk.begin(a, uint32(ms-a.bootMs), silent, emit)
	countersDue := k%a.poll == a.pollPhase
	if !a.started && (a.kind == agentHTTP || a.kind == agentMemcache) {
		// The application has been serving since it booted: its counters start where that left them.
		a.started = true
		backlog := 0.6 * a.host.prof.rate * a.host.weight * float64(ms-a.bootMs) / 1000
		if a.kind == agentHTTP {
			a.accountHTTP(backlog, false)
		} else {
			a.accountMemcache(backlog, a.host.hitBase, false, a.host.prof.cpuBusy*0.6)
		}
	}
	var err error
	switch a.kind {
	case agentHost:
		if countersDue {
			err = f.hostCounters(a, ms, &inc)
		}
	case agentHTTP:
		if k > 0 {
			err = f.httpFlows(a, ms, &inc)
		}
		if err == nil && countersDue {
			err = f.httpCounters(a, ms, &inc)
		}
	case agentMemcache:
		if k > 0 {
			err = f.memcacheFlows(a, ms, &inc)
		}
		if err == nil && countersDue {
			err = f.memcacheCounters(a, ms, &inc)
		}
	case agentJVM:
		if countersDue {
			err = f.jvmCounters(a, ms, &inc)
		}
	case agentSwitch:
		if k > 0 {
			err = f.switchFlows(a, ms, &inc)
		}
		if err == nil && countersDue {
			err = f.switchCounters(a, ms, &inc)
		}
	}
	if err == nil {
		err = f.pk.flush()
	}
	if err == nil {
		err = f.pk.err
	}
	if err == nil && !silent {
		err = f.imp.release(a, emit)
	}
	return err
}
