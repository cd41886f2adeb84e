package model

import (
	"context"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/internal/health"
	"github.com/fleettop/fleettop/model/topk"
)

// Options configure a Fleet. Zero fields take the defaults below.
type Options struct {
	Window       time.Duration  // top-N sliding window (DefaultWindow)
	Buckets      int            // complete time buckets the window is cut into (DefaultBuckets)
	Capacity     int            // Space-Saving counters per table, bucket and table shard (DefaultCapacity)
	TableShards  int            // independently locked parts of the top-N tables, at most 64 (DefaultTableShards)
	TopN         int            // rows per top-N table in a Snapshot (DefaultTopN)
	Step         time.Duration  // spacing of the points of every series (DefaultStep)
	History      time.Duration  // how far back series reach (DefaultHistory)
	GroupBy      string         // ENC field hosts are grouped by (DefaultGroupBy)
	Allow        []netip.Prefix // agents allowed to report; empty allows all
	Shards       int            // independently locked parts of the state (default: 2 per CPU, at most 8)
	PollInterval time.Duration  // counter polling interval assumed until measured (DefaultPollInterval)
	AgentTTL     time.Duration  // agents and flow sources silent this long are forgotten (DefaultAgentTTL)
	FlowRecords  int            // recent table updates kept for the per-host views (DefaultFlowRecords)
	// Rewind is how far back Fleet.Rewind reaches, one frame a second (DefaultRewind); negative keeps none.
	// A zero History reaches as far back: Rewind's hosts have figures only as far back as their series.
	Rewind time.Duration

	// Bounds on the state input can create (limits.go has the defaults). A new agent row, data source, host
	// or series beyond one is refused and counted (Health.Refused*); what is known already is never evicted
	// for it. What reported only once is forgotten after 5 polling intervals.
	MaxAgents          int // agent rows (address, sub-agent)
	MaxAgentsPerSender int // agent rows created by datagrams from one UDP source address
	MaxSources         int // counter data sources; and, counted apart, flow data sources
	MaxSourcesPerAgent int // data sources of one agent address; flow data sources of one agent row
	MaxHosts           int // data sources reporting host_descr
	MaxHostsPerAgent   int // data sources reporting host_descr at one agent address
	MaxSeries          int // per-metric series of all data sources (each History/Step points)
}

// Defaults for zero Options fields.
const (
	DefaultWindow       = 60 * time.Second
	DefaultBuckets      = 60
	DefaultCapacity     = 1024
	DefaultTableShards  = 4
	DefaultTopN         = 50
	DefaultStep         = 5 * time.Second
	DefaultHistory      = 15 * time.Minute
	DefaultGroupBy      = "appType"
	DefaultPollInterval = 30 * time.Second
	DefaultAgentTTL     = 15 * time.Minute
)

// How a host that stops reporting ages out, in polling intervals since it was last heard from.
const (
	staleIntervals  = 3  // shown as HostStale
	goneIntervals   = 6  // shown as HostGone
	removeIntervals = 10 // dropped from the model
)

func (o *Options) fill() {
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.Buckets <= 0 {
		o.Buckets = DefaultBuckets
	}
	if o.Capacity <= 0 {
		o.Capacity = DefaultCapacity
	}
	if o.TableShards <= 0 {
		o.TableShards = DefaultTableShards
	}
	o.TableShards = min(o.TableShards, 64)
	if o.TopN <= 0 {
		o.TopN = DefaultTopN
	}
	if o.Step <= 0 {
		o.Step = DefaultStep
	}
	if o.History <= 0 {
		o.History = max(DefaultHistory, o.Rewind) // the rewind's hosts come from the series
	}
	if o.GroupBy == "" {
		o.GroupBy = DefaultGroupBy
	}
	if o.Shards <= 0 {
		o.Shards = min(2*runtime.GOMAXPROCS(0), 8)
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.AgentTTL <= 0 {
		o.AgentTTL = DefaultAgentTTL
	}
	if o.FlowRecords <= 0 {
		o.FlowRecords = DefaultFlowRecords
	}
	if o.Rewind == 0 {
		o.Rewind = DefaultRewind
	}
	o.Rewind = max(o.Rewind, 0)
	o.fillLimits()
}

// NodeResolver is what the model needs of an ENC: a lookup by host name that never waits (enc.Resolver).
// Peek answers from what is known without starting a lookup: the model uses it for hosts that have not yet
// reported for more than one polling interval, so that forged host names cost no classifier runs.
type NodeResolver interface {
	Get(host string) (*enc.Node, enc.Status)
	Peek(host string) (*enc.Node, enc.Status)
	health.Feed
}

// Fleet is the state of the monitored fleet. Ingest may be called from many goroutines at once; Snapshot never
// waits for ingest.
type Fleet struct {
	opt    Options
	binner binner
	lim    *limits
	shards []*shard
	tables []*tableShard

	groupBy    atomic.Pointer[string]
	resolver   atomic.Pointer[resolverBox]
	feeds      [numFeeds]atomic.Pointer[feedBox]
	listener   atomic.Pointer[listenerBox]
	snap       atomic.Pointer[Snapshot]
	kick       chan struct{}
	disallowed atomic.Uint64
	rejected   atomic.Uint64 // datagrams the decoder could not read at all
	firstData  atomic.Int64  // unix ns of the first datagram ingested, 0 before

	pub publisher // guarded by its own mutex

	flowIdx atomic.Pointer[flowIndex] // the latest publish's table window, for HostFlows (flowquery.go)
	rewind  *rewind                   // the frames of the last Options.Rewind (rewind.go)
}

type resolverBox struct{ r NodeResolver }

// A Fleet is where the decoding pipeline delivers.
var _ sflow.Sink = (*Fleet)(nil)

// shard is one independently locked part of the fleet: the agents whose address hashes to it, with their data
// sources. The top-N tables are sharded by key instead (tableShard).
type shard struct {
	mu      sync.Mutex
	lim     *limits
	agents  map[agentKey]*agent
	sources map[sourceKey]*source
	addrs   map[netip.Addr]*addrSources
	ops     tableOps  // table updates not applied yet: the datagram being ingested, and a batch before it
	app     *source   // the application source an earlier flow sample of the datagram being ingested found
	flows   flowStore // recent pair, URL and key updates, for HostFlows (flowstore.go)

	// What changed since the last publish: addresses whose data sources did, agent rows that did (and those
	// whose datagram rate may still change: warm).
	dirty       map[netip.Addr]struct{}
	dirtyAgents []*agent
	warmAgents  []*agent
	goneAgents  []*AgentRow // published rows of agent rows forgotten
	swept       time.Time   // when the shard was last swept

	// Totals that outlive the agents they came from.
	datagrams      uint64
	samples        uint64
	lost           int64
	duplicates     uint64
	restarts       int64
	lostSamples    int64
	sampleDrops    uint64
	decodeErrors   uint64
	unknownRecords uint64

	_ [64]byte // keep shards' hot fields on separate cache lines
}

// NewFleet returns an empty fleet.
func NewFleet(opt Options) *Fleet {
	opt.fill()
	f := &Fleet{
		opt:    opt,
		binner: binner{step: int64(opt.Step), points: int(opt.History / opt.Step)},
		lim:    newLimits(opt),
		kick:   make(chan struct{}, 1),
		rewind: newRewind(opt.Rewind),
	}
	f.opt.Allow = append([]netip.Prefix(nil), opt.Allow...)
	for range opt.Shards {
		sh := &shard{
			lim:     f.lim,
			agents:  make(map[agentKey]*agent),
			sources: make(map[sourceKey]*source),
			addrs:   make(map[netip.Addr]*addrSources),
			dirty:   make(map[netip.Addr]struct{}),
			ops:     tableOps{keys: make([]byte, 0, 4096), n: opt.TableShards},
			flows:   newFlowStore(opt),
		}
		f.shards = append(f.shards, sh)
	}
	for range opt.TableShards {
		f.tables = append(f.tables, newTableShard(opt))
	}
	g := opt.GroupBy
	f.groupBy.Store(&g)
	f.snap.Store(&Snapshot{GroupBy: g, Window: opt.Window, Step: opt.Step})
	f.pub.init(f)
	return f
}

// Options returns the options in effect (defaults filled in).
func (f *Fleet) Options() Options { return f.opt }

func (f *Fleet) shardFor(addr netip.Addr) *shard {
	a := addr.As16()
	h := topk.Hash(a[:]) // two multiplies, where a byte-wise hash took sixteen in a row
	return f.shards[h%uint64(len(f.shards))]
}

// allowed applies --allow to a datagram: both its transport source and the agent address it claims must be
// allowed (either may be unknown: a capture without sources, a datagram too broken to name its agent).
func (f *Fleet) allowed(agentAddr netip.Addr, src netip.AddrPort) bool {
	if len(f.opt.Allow) == 0 {
		return true
	}
	known := false
	for _, a := range [...]netip.Addr{src.Addr(), agentAddr} {
		if !a.IsValid() {
			continue
		}
		known = true
		if !f.allowedAddr(a.Unmap()) {
			return false
		}
	}
	return known
}

func (f *Fleet) allowedAddr(a netip.Addr) bool {
	for _, p := range f.opt.Allow {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Ingest aggregates one decoded datagram received from src at now. It copies what it keeps, so d and the
// buffer it was decoded from may be reused once it returns. Malformed samples listed in d.Errors count as
// decode errors of the agent; the rest of d is used.
func (f *Fleet) Ingest(d *sflow.Datagram, src netip.AddrPort, now time.Time) {
	if !f.allowed(d.AgentAddr, src) {
		f.disallowed.Add(1)
		return
	}
	if f.firstData.Load() == 0 {
		f.firstData.CompareAndSwap(0, now.UnixNano())
	}
	sh := f.shardFor(d.AgentAddr)
	sh.mu.Lock()
	sh.ops.begin(now)
	if sh.ingest(d, src, now, f.binner) {
		sh.flows.add(&sh.ops, now)
		if sh.ops.full() {
			sh.ops.apply(f.tables)
		}
	} else {
		f.lim.refusedAgents.Add(1)
	}
	sh.mu.Unlock()
}

// Reject counts a datagram the decoder could not read at all (sflow.Sink).
func (f *Fleet) Reject(src netip.AddrPort, err error, now time.Time) {
	if !f.allowed(netip.Addr{}, src) {
		f.disallowed.Add(1)
		return
	}
	f.rejected.Add(1)
}

// SetGroupBy switches the ENC field hosts are grouped by; the next Snapshot uses it, and a running Run
// publishes one at once.
func (f *Fleet) SetGroupBy(field string) {
	if field == "" {
		field = DefaultGroupBy
	}
	f.groupBy.Store(&field)
	f.Kick()
}

// GroupBy returns the ENC field hosts are grouped by.
func (f *Fleet) GroupBy() string { return *f.groupBy.Load() }

// SetENC sets the resolver hosts' ENC nodes come from (nil: none).
func (f *Fleet) SetENC(r NodeResolver) {
	if r == nil {
		f.resolver.Store(nil)
		return
	}
	f.resolver.Store(&resolverBox{r})
}

// Snapshot returns the latest published snapshot (never nil). It does not wait for anything.
func (f *Fleet) Snapshot() *Snapshot { return f.snap.Load() }

// Kick asks a running Run to publish now instead of at its next tick.
func (f *Fleet) Kick() {
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

// Run publishes a snapshot every interval (and when kicked) until ctx is done. Publishing is bounded to the
// interval and to one at a time, whatever the ingest rate.
func (f *Fleet) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			f.Publish(now)
		case <-f.kick:
			f.Publish(time.Now())
		}
	}
}

// ingest aggregates one datagram from src; the shard is locked. A duplicate datagram is counted as such and
// nothing else of it: its samples were counted when it first arrived. It returns false, having done nothing,
// when the datagram's agent row is new and over a bound.
func (sh *shard) ingest(d *sflow.Datagram, src netip.AddrPort, now time.Time, b binner) bool {
	ag := sh.agentFor(agentKey{d.AgentAddr, d.SubAgentID}, src.Addr(), now)
	if ag == nil {
		return false
	}
	sh.app = nil
	sh.touch(ag, now)
	ag.datagrams++
	sh.datagrams++
	lost, restarts, v := ag.observe(src.Port(), d.SequenceNumber, d.Uptime, now)
	ag.lost += lost
	sh.lost += lost
	ag.restarts += restarts
	sh.restarts += restarts
	if v == seqDuplicate {
		ag.duplicates++
		sh.duplicates++
		return true
	}
	ag.samples += uint64(len(d.Samples))
	sh.samples += uint64(len(d.Samples))
	if n := malformedSamples(d); n > 0 {
		ag.decodeErrors += n
		sh.decodeErrors += n
	}
	if n := uint64(d.UnknownRecords + d.UnknownSamples); n > 0 {
		ag.unknownRecords += n
		sh.unknownRecords += n
	}
	for i := range d.Samples {
		s := &d.Samples[i]
		switch s.Kind {
		case sflow.SampleKindFlow:
			sh.flowSample(d, s, now, ag)
		case sflow.SampleKindCounters:
			sh.counterSample(d, s, now, b)
		}
	}
	return true
}

// counterSample applies a counters sample to its data source, creating it when the bounds allow. A source
// over the bound on hosts is kept without its host_descr.
func (sh *shard) counterSample(d *sflow.Datagram, s *sflow.Sample, now time.Time, b binner) {
	key := sourceKey{addr: d.AgentAddr, class: s.SourceIDClass, index: s.SourceIDIndex}
	host := hasHostDescr(s)
	src := sh.sourceFor(key, now, host)
	if src == nil {
		return
	}
	if host && !src.hostSlot {
		host = sh.takeHost(src, sh.addrs[key.addr])
	}
	if src.counterSample(d, s, now, b, sh.lim, host) {
		sh.changed(src)
	}
}

func hasHostDescr(s *sflow.Sample) bool {
	for i := range s.Records {
		if s.Records[i].Type == sflow.RecHostDescr {
			return true
		}
	}
	return false
}

// malformedSamples counts the samples of d that had a decoding error (one sample may list several errors, for
// itself and its records); an error outside every sample counts once.
func malformedSamples(d *sflow.Datagram) uint64 {
	if len(d.Errors) == 0 {
		return 0
	}
	n := uint64(0)
	for i := range d.Samples {
		if d.Samples[i].Err != nil {
			n++
		}
	}
	return max(n, 1)
}

// touch records that the agent row was heard from at now, for the next publish.
func (sh *shard) touch(ag *agent, now time.Time) {
	if now.After(ag.lastSeen) {
		ag.lastSeen = now
	}
	if !ag.dirty {
		ag.dirty = true
		sh.dirtyAgents = append(sh.dirtyAgents, ag)
	}
}
