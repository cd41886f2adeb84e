package model

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of the bounds on the model's state (Options.Max*). They hold a fleet of 20,000 hosts, each with
// an hsflowd, a few applications and a few interfaces, with room to spare; see the README's Limits. Network
// devices (devices.go) are bounded by what they are made of: one per agent address (MaxAgents), each listing at
// most MaxSourcesPerAgent interfaces.
const (
	DefaultMaxAgents          = 100_000   // agent rows (address, sub-agent)
	DefaultMaxAgentsPerSender = 65_536    // agent rows one UDP sender may claim (a relay, or `fleettop sim`, sends for all)
	DefaultMaxSources         = 150_000   // counter data sources; flow data sources are counted apart
	DefaultMaxSourcesPerAgent = 4_096     // data sources of one agent address (and flow sources of one agent row)
	DefaultMaxHosts           = 50_000    // data sources that report host_descr
	DefaultMaxHostsPerAgent   = 1_024     // of one agent address (VMs of a hypervisor, containers)
	DefaultMaxSeries          = 1_000_000 // per-metric series of all data sources (a simulated host has about 20)
)

// unprovenIntervals is how many polling intervals an agent row or data source that reported only once is
// kept: what one forged datagram creates goes away long before the usual time-outs.
const unprovenIntervals = 5

func (o *Options) fillLimits() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxAgents, DefaultMaxAgents)
	def(&o.MaxAgentsPerSender, DefaultMaxAgentsPerSender)
	def(&o.MaxSources, DefaultMaxSources)
	def(&o.MaxSourcesPerAgent, DefaultMaxSourcesPerAgent)
	def(&o.MaxHosts, DefaultMaxHosts)
	def(&o.MaxHostsPerAgent, DefaultMaxHostsPerAgent)
	def(&o.MaxSeries, DefaultMaxSeries)
}

// Per-item memory of the model's state, from the sizes of its structures with their maps, views, rows and
// caches, rounded up, for MemoryBound.
const (
	agentBytes      = 1_500 // an agent row, its streams, its published row
	flowSourceBytes = 250
	sourceBytes     = 4_500 // a data source with its view and, for a host, its row and the publisher's caches
	seriesExtra     = 200   // a series besides its buffer: its view and its place in a row
)

// MemoryBound is the most heap the model's state can take with these options (defaults filled in): every
// bound reached at once, with the top-N tables full and the rewind full (RewindBytes). What snapshots held by
// readers keep alive comes on top (one or two snapshots' worth of rows: a fraction of it).
func (o Options) MemoryBound() int64 {
	o.fill()
	points := int(o.History / o.Step)
	b := int64(o.MaxAgents)*agentBytes +
		int64(o.MaxSources)*(sourceBytes+flowSourceBytes) +
		int64(o.MaxSeries)*int64(seriesBytes(points)+seriesExtra)
	return b + o.TablesBytes() + o.RewindBytes()
}

// TablesBytes is the memory of the top-N tables at capacity: per table shard and table, (Buckets+2) ×
// capacity counters (the pair table has Capacity, the four others half of it), each with its key, summary
// and index entry: about 300 B for a talker (measured by TestMillionTalkersMemoryBounded), up to 900 B for a
// URL and 500 B for a memcache key, whose keys are longer.
func (o Options) TablesBytes() int64 {
	o.fill()
	half := int64(max(o.Capacity/2, 1))
	perBucket := int64(o.Capacity)*300 + half*(300+300+900+500)
	return int64(o.TableShards) * int64(o.Buckets+2) * perBucket
}

// limits holds the bounds and the counts they apply to, shared by every shard.
type limits struct {
	opt         Options
	unproven    time.Duration
	agents      atomic.Int64
	sources     atomic.Int64
	flowSources atomic.Int64
	hosts       atomic.Int64
	series      atomic.Int64

	refusedAgents  atomic.Uint64 // datagrams of agent rows refused
	refusedSources atomic.Uint64 // samples of data sources (or hosts) refused
	refusedSeries  atomic.Uint64 // values not kept as series

	mu      sync.Mutex
	senders map[netip.Addr]int // agent rows by the UDP sender that created them
}

func newLimits(opt Options) *limits {
	return &limits{opt: opt, unproven: unprovenIntervals * opt.PollInterval, senders: make(map[netip.Addr]int)}
}

// take counts one more against max, unless the count has reached it.
func take(c *atomic.Int64, max int) bool {
	for {
		v := c.Load()
		if v >= int64(max) {
			return false
		}
		if c.CompareAndSwap(v, v+1) {
			return true
		}
	}
}

// takeAgent admits a new agent row claimed by sender.
func (l *limits) takeAgent(sender netip.Addr) bool {
	if !take(&l.agents, l.opt.MaxAgents) {
		return false
	}
	l.mu.Lock()
	ok := l.senders[sender] < l.opt.MaxAgentsPerSender
	if ok {
		l.senders[sender]++
	}
	l.mu.Unlock()
	if !ok {
		l.agents.Add(-1)
	}
	return ok
}

// releaseAgent gives back what an agent row that is forgotten held.
func (l *limits) releaseAgent(ag *agent) {
	l.agents.Add(-1)
	l.flowSources.Add(-int64(len(ag.flows)))
	l.mu.Lock()
	if l.senders[ag.sender]--; l.senders[ag.sender] <= 0 {
		delete(l.senders, ag.sender)
	}
	l.mu.Unlock()
}

// addrSources are the data sources of one agent address, in no order.
type addrSources struct {
	srcs  []*source
	hosts int // of them with a host slot
}

// sourceFor returns the data source of key, creating it when the bounds allow (host: it reports host_descr);
// nil when it is refused.
func (sh *shard) sourceFor(key sourceKey, now time.Time, host bool) *source {
	if src := sh.sources[key]; src != nil {
		return src
	}
	l := sh.lim
	as := sh.addrs[key.addr]
	if as != nil && len(as.srcs) >= l.opt.MaxSourcesPerAgent || !take(&l.sources, l.opt.MaxSources) {
		l.refusedSources.Add(1)
		return nil
	}
	if as == nil {
		as = &addrSources{}
	}
	src := newSource(key, now)
	if host && !sh.takeHost(src, as) {
		l.sources.Add(-1)
		return nil
	}
	sh.addrs[key.addr] = as
	as.srcs = append(as.srcs, src)
	sh.sources[key] = src
	sh.changed(src)
	return src
}

// takeHost gives src a host slot (it reports host_descr) when the bounds allow; as is its address's sources.
func (sh *shard) takeHost(src *source, as *addrSources) bool {
	l := sh.lim
	if as.hosts >= l.opt.MaxHostsPerAgent || !take(&l.hosts, l.opt.MaxHosts) {
		l.refusedSources.Add(1)
		return false
	}
	as.hosts++
	src.hostSlot = true
	return true
}

// removeSource forgets a data source and gives back what it held.
func (sh *shard) removeSource(src *source) {
	l := sh.lim
	delete(sh.sources, src.key)
	as := sh.addrs[src.key.addr]
	if i := indexOf(as.srcs, src); i >= 0 {
		as.srcs[i] = as.srcs[len(as.srcs)-1]
		as.srcs[len(as.srcs)-1] = nil
		as.srcs = as.srcs[:len(as.srcs)-1]
	}
	if src.hostSlot {
		as.hosts--
		l.hosts.Add(-1)
	}
	if len(as.srcs) == 0 {
		delete(sh.addrs, src.key.addr)
	}
	l.sources.Add(-1)
	l.series.Add(-int64(len(src.ser)))
	sh.dirty[src.key.addr] = struct{}{}
}

func indexOf[T comparable](s []T, v T) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// changed marks src as changed since the last publish.
func (sh *shard) changed(src *source) {
	// A source changed since the last publish took its view has its address in dirty already (publish takes
	// the views of every source of a dirty address, and only then clears it).
	if src.version == src.pubVersion {
		sh.dirty[src.key.addr] = struct{}{}
	}
	src.version++
}

// agentFor returns the agent row of k, creating it when the bounds allow; sender is the UDP source the
// datagram came from. Nil when it is refused.
func (sh *shard) agentFor(k agentKey, sender netip.Addr, now time.Time) *agent {
	if ag := sh.agents[k]; ag != nil {
		return ag
	}
	if !sender.IsValid() {
		sender = k.addr
	}
	sender = sender.Unmap()
	if !sh.lim.takeAgent(sender) {
		return nil
	}
	ag := &agent{key: k, sender: sender, firstSeen: now}
	sh.agents[k] = ag
	return ag
}
