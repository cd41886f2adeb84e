package model

import (
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/internal/health"
)

// Snapshot is an immutable, versioned picture of the fleet. The model publishes a new one at a bounded rate;
// readers (the UI, collect, tests) must not modify it. All rates are per second, already scaled by sampling rate.
type Snapshot struct {
	Version uint64
	Time    time.Time     // when it was taken
	Window  time.Duration // the top-N sliding window
	// WindowStart and WindowEnd are the exact span the top-N tables cover: their rates are what arrived in
	// [WindowStart, WindowEnd) divided by its length.
	WindowStart, WindowEnd time.Time
	// Horizon is where the series stop being complete: every reporting host's counters have reached the
	// steps before it. Group series are NaN from there on; a sum of host series should stop there too.
	Horizon time.Time
	Step    time.Duration // spacing of the points in every History slice
	GroupBy string        // the ENC field hosts are grouped by
	Fields  []string      // ENC fields seen on any host (for the group-by picker), sorted

	Health Health

	Groups []GroupRow // sorted by name, "unclassified" last
	Hosts  []*HostRow // sorted by group, then name; rows that did not change are shared between snapshots
	// Devices are the network devices (switches: agents with interface counters only), sorted by name.
	Devices []*HostRow

	TalkersBySrc  []TalkerRow // sorted by Bytes desc
	TalkersByDst  []TalkerRow
	TalkersByPair []TalkerRow
	URLs          []URLRow // sorted by Rate desc
	Keys          []KeyRow // sorted by Rate desc

	Agents []*AgentRow // sorted by address, sub-agent; shared between snapshots like Hosts

	// Bounds are what merging the top-N tables with other collectors' needs (internal/cluster).
	Bounds TableBounds

	// Rewound is set in a Snapshot Fleet.Rewind rebuilt for a past second (Time): its hosts' series reach past
	// Time, and Aligned cuts them there. GroupsAt and AgentsAt are when its Groups and Agents were kept.
	Rewound  bool      `json:"-"`
	GroupsAt time.Time `json:"-"`
	AgentsAt time.Time `json:"-"`
}

// AlignedSeries returns copies of a host's series whose points all end at the snapshot's step (Aligned).
func (s *Snapshot) AlignedSeries(series []NamedSeries) []NamedSeries {
	out := make([]NamedSeries, len(series))
	for i := range series {
		out[i] = NamedSeries{Name: series[i].Name, Unit: series[i].Unit, Points: s.Aligned(&series[i])}
	}
	return out
}

// Aligned returns the points of a host series that end at the snapshot's step: ns.Points when it ends there,
// else a copy moved back by the steps not reported yet, which are NaN. In a Rewound snapshot a series that
// reaches past its step is moved the other way: its newest points dropped, NaN before its oldest.
func (s *Snapshot) Aligned(ns *NamedSeries) []float64 {
	if s.Step <= 0 || ns.Last.IsZero() {
		return ns.Points
	}
	shift := int(floorDiv(s.Time.UnixNano(), int64(s.Step)) - floorDiv(ns.Last.UnixNano(), int64(s.Step)))
	if shift < 0 && s.Rewound {
		return shiftBack(ns.Points, -shift)
	}
	if shift <= 0 {
		return ns.Points
	}
	out := make([]float64, len(ns.Points))
	copy(out, ns.Points[min(shift, len(ns.Points)):])
	for i := max(len(out)-shift, 0); i < len(out); i++ {
		out[i] = math.NaN()
	}
	return out
}

// Unclassified is the group of hosts without ENC data (or without the group-by field).
const Unclassified = "unclassified"

// Health is the ingest and feed health shown in the status line.
type Health struct {
	Datagrams       uint64  // received in total
	DatagramsPerSec float64 // over the last few seconds
	QueueDrops      uint64  // read but never decoded: the decoding workers had stopped (a full queue makes the readers wait)
	KernelDrops     uint64  // dropped by the kernel before the listener read them (a full receive buffer)
	Lost            uint64  // datagrams missing from agents' sequence numbers
	Duplicates      uint64  // datagrams received again (not counted again)
	Restarts        uint64  // agent restarts seen (uptime or sequence going back, on any UDP port)
	SampleDrops     uint64  // what the agents' flow sample `drops` counters gained
	LostSamples     uint64  // flow samples missing from data sources' sequence numbers
	DecodeErrors    uint64  // malformed datagrams or samples
	UnknownRecords  uint64
	Disallowed      uint64 // datagrams from agents outside --allow
	RefusedAgents   uint64 // datagrams of new agent rows over Options.MaxAgents or MaxAgentsPerSender
	RefusedSources  uint64 // samples of new data sources or hosts over Options.MaxSources, MaxHosts, ...
	RefusedSeries   uint64 // values not kept as a series: over Options.MaxSeries
	Agents          int
	Hosts           int
	Devices         int // network devices (Snapshot.Devices), not counted in Hosts
	StaleHosts      int
	Groups          int
	RecvBuffer      int // socket receive buffer granted by the kernel, bytes (0 if not a socket)
	// RecvBufferWarning is set when the kernel granted less receive buffer than asked for: how much, and the
	// sysctl that raises it.
	RecvBufferWarning string

	ENC      FeedHealth
	Graphite FeedHealth // pull (render/find)
	Carbon   FeedHealth // push
	Cluster  FeedHealth // NATS: publishing this collector's summaries, or the collectors a merged view comes from
	// Views is the dashboard's store of saved views when shared over NATS (not the fleet's state: not in JSON).
	Views FeedHealth `json:"-"`
}

// FeedHealth is the state of an external feed (ENC, Graphite, carbon, NATS) as the feed reports it.
type FeedHealth = health.Status

// HostState says whether a host still reports.
type HostState uint8

const (
	HostOK    HostState = iota
	HostStale           // missed a few polling intervals
	HostGone            // about to be dropped from the model
)

// GroupRow is one group of hosts under the current group-by field.
type GroupRow struct {
	Name       string
	Hosts      int
	StaleHosts int

	CPU         float64 // mean utilisation of its hosts, percent
	NetIn       float64 // bytes/s, summed
	NetOut      float64 // bytes/s, summed
	HTTPRate    float64 // requests/s, summed
	HTTP5xxPct  float64 // percent of requests
	MemcacheOps float64 // ops/s, summed
	MemcacheHit float64 // get hit ratio, percent (NaN when no gets)
	DiskRead    float64 // bytes/s
	DiskWrite   float64 // bytes/s
	MemUsedPct  float64 // mean
	JVMHeapUsed float64 // bytes, summed
	JVM         JVMGroup
	History     GroupHistory
}

// GroupHistory holds the last points of a group's series, oldest first, one point per Snapshot.Step.
// Missing points are NaN.
type GroupHistory struct {
	CPU, NetIn, NetOut, HTTPRate, HTTP5xxPct, MemcacheOps, MemcacheHit []float64
	JVMGCTimePct, JVMHeapPct                                           []float64 // GC time and heap used, % (JVMGroup)
}

// HostRow is one host (a physical or virtual machine) with the applications attached to it.
type HostRow struct {
	ID        string // stable identity: agent address, sub-agent and data source (or UUID)
	Name      string // host_descr hostname (UUID as fallback)
	UUID      string
	Agent     netip.Addr
	Group     string
	State     HostState
	LastSeen  time.Time
	DupName   bool   // another agent claims the same hostname
	Parent    string // ID of the host this VM is attached to, if any
	OS        string
	Apps      []string // "http:80", "memcache", "jvm", ...
	ENCStatus string   // "ok", "pending", "not found", "failed: ...", "stale: ..."

	Classes     []string
	Environment string
	Params      map[string]string // ENC parameters, rendered as text; shared between hosts with the same answer: read-only

	CPU         float64 // percent
	Load1       float64
	MemUsedPct  float64
	MemTotal    float64 // bytes
	DiskRead    float64 // bytes/s
	DiskWrite   float64
	DiskUsedPct float64
	NetIn       float64 // bytes/s
	NetOut      float64
	HTTPRate    float64
	HTTP5xxPct  float64
	MemcacheOps float64
	MemcacheHit float64
	JVMHeapUsed float64
	JVMGCRate   float64 // collections/s
	// MemcacheGets is the gets/s MemcacheHit is a ratio of: what weighs it when hosts are merged.
	MemcacheGets float64

	Series []NamedSeries // the host's charts for drill-down

	JVM    *JVMRow     // its JVMs; nil when it has none reporting
	Device *DeviceInfo // a network device (devices.go): listed in Snapshot.Devices, not Hosts
}

// NamedSeries is one chartable series of a host, oldest point first, one point per Snapshot.Step.
type NamedSeries struct {
	Name   string // metric name relative to the host, e.g. "cpu.utilisation", "net.bytes_in"
	Unit   string // "%", "B/s", "req/s", ...
	Points []float64
	// Last is the start of the step of the last point. The steps after it, up to the snapshot's, have no
	// point yet (the host's next poll fills them): Snapshot.Aligned lines a series up with the snapshot.
	Last time.Time `json:"-"`
}

// TalkerRow is one entry of a top-talkers table. For by-source tables Dst is invalid, and vice versa.
type TalkerRow struct {
	Src, Dst           netip.Addr
	SrcGroup, DstGroup string
	SrcHost, DstHost   string // host names when the address belongs to a known host
	Protocol           uint8  // most frequent IP protocol
	SrcPort, DstPort   uint16 // most frequent ports (0 when mixed or none)
	Bytes              float64
	Packets            float64
	Share              float64 // fraction of all bytes in the window
	ErrBytes           float64 // Space-Saving over-estimate bound, bytes/s
}

// URLRow is one entry of the hottest-URLs table.
type URLRow struct {
	Host    string // HTTP Host header
	Path    string
	Server  string // ID of the host whose server reported it (the one with most requests)
	Group   string
	Rate    float64    // requests/s
	Status  [6]float64 // fraction of requests by class: [0] other, [1] 1xx ... [5] 5xx
	MeanMS  float64
	P95MS   float64
	Share   float64
	ErrRate float64
}

// KeyRow is one entry of the hottest-memcache-keys table.
type KeyRow struct {
	Key      string // printable, non-printable bytes escaped as \xNN
	Server   string
	Group    string
	Rate     float64                    // ops/s
	HitRatio float64                    // fraction of gets that hit; NaN when no gets
	Cmds     [len(MemcacheCmds)]float64 // fraction of ops by memcache cmd, in the order of MemcacheCmds
	Share    float64
	ErrRate  float64
}

// AgentRow is one sFlow agent (address, sub-agent) as ingest sees it: what it sent and what of it was lost.
type AgentRow struct {
	Addr            netip.Addr
	SubAgent        uint32
	Datagrams       uint64  // received, duplicates included
	DatagramsPerSec float64 // over the 10 to 20 s up to its last datagram (0 once silent for 20 s)
	Samples         uint64
	Lost            uint64 // datagrams missing from its sequence numbers
	Duplicates      uint64 // datagrams received again (their samples are not counted again)
	Restarts        uint64 // by uptime or sequence going back, from any UDP source port
	DecodeErrors    uint64
	UnknownRecords  uint64
	SampleDrops     uint64 // what its flow samples' `drops` counters gained since first seen
	LostSamples     uint64 // flow samples missing from its data sources' sequence numbers
	// DeclaredRate is the sampling rate its flow samples declare (weighted by samples when sources differ);
	// EffectiveRate is what they stand for: Δsample_pool / samples received. Above DeclaredRate when samples
	// are lost or dropped. 0 before two flow samples of a source arrived.
	DeclaredRate  float64
	EffectiveRate float64
	LastSeen      time.Time
}

// MemcacheCmds names the memcache commands in the order of KeyRow.Cmds (sflow.MemcacheCmdNames in lower case):
// what the dashboard needs of the sFlow memcache structures without importing the decoder.
var MemcacheCmds = func() (n [len(sflow.MemcacheCmdNames)]string) {
	for i, s := range sflow.MemcacheCmdNames {
		n[i] = strings.ToLower(s)
	}
	return n
}()
