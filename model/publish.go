package model

import (
	"cmp"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/model/topk"
)

// publisher builds Snapshots; one publish runs at a time. It keeps what it built last and redoes only what
// changed: the hosts of agent addresses whose data sources changed (or whose hosts go stale with time), the
// ENC answers that changed, the group figures those hosts add to, the agent rows that changed.
type publisher struct {
	mu      sync.Mutex
	f       *Fleet
	version uint64
	rates   []countAt // recent datagram totals, for datagrams/s

	machines map[netip.Addr]*agentHosts
	due      dueHeap      // machines by when time alone changes one of their hosts
	entries  []*hostEntry // every host, in no order (for the ENC's rotating re-check)
	touched  []*hostEntry // hosts to compose again this publish
	owners   ownerIndex
	names    map[string][]*hostEntry // hosts by name (DupName)
	groups   map[string]*groupAcc
	order    []string // group names, sorted; nil when the set changed
	hosts    []*HostRow
	devices  []*HostRow // network devices (devices.go)
	agents   []*AgentRow
	lastBins map[int64]int // hosts still reporting, by the bin of their LastSeen (Snapshot.Horizon)
	stale    int

	res      NodeResolver // the resolver and group-by field the ENC answers were taken with
	groupBy  string
	encCount [enc.Stale + 1]int      // hosts by the state of their ENC answer
	pending  map[*hostEntry]struct{} // hosts trusted with a lookup whose answer is pending
	cursor   int                     // of the rotating re-check in entries
	nodes    map[*enc.Node]*nodeUse  // ENC answers in use by published rows
	fields   []string                // their fields, sorted; nil when the set changed
}

// nodeUse counts the rows showing one ENC answer.
type nodeUse struct {
	rows   int
	fields []string
}

type countAt struct {
	t time.Time
	n uint64
}

// rateSpan is how far back datagrams/s looks.
const rateSpan = 5 * time.Second

// sweepEvery is how often the shards are swept for what stopped reporting.
const sweepEvery = 10 * time.Second

// encRecheck is how many publishes it takes to ask the ENC again about every host whose answer is settled:
// answers change when the resolver refreshes them.
const encRecheck = 30

func (p *publisher) init(f *Fleet) {
	p.f = f
	p.machines = make(map[netip.Addr]*agentHosts)
	p.owners = newOwnerIndex()
	p.names = make(map[string][]*hostEntry)
	p.groups = make(map[string]*groupAcc)
	p.lastBins = make(map[int64]int)
	p.pending = make(map[*hostEntry]struct{})
	p.nodes = make(map[*enc.Node]*nodeUse)
	p.groupBy = f.GroupBy()
}

// sourceView is a copy of a source's state taken under its shard's lock when it changed; immutable after.
type sourceView struct {
	key         sourceKey
	role        sourceRole
	hostname    string
	uuid        [16]byte
	id          string
	uuidText    string
	os          string
	hasParent   bool
	parentClass uint32
	parentIndex uint32
	jvm, http   bool
	memcache    bool
	appName     string
	localIPs    []netip.Addr
	macs        [][6]byte
	firstSeen   time.Time
	lastSeen    time.Time // last counter sample
	seen        time.Time // last sample of any kind
	interval    time.Duration
	metrics     []metricPoints // the metrics with a current value or a series, in metric order

	ifc ifaceFigures // an interface's (devices.go)
}

// metricPoints is one metric of a source view: its current value (NaN: not reported in the last sample) and
// its series (nil: none), the last point in bin last.
type metricPoints struct {
	m    metric
	cur  float64
	pts  []float64
	last int64
}

// value returns the current value of m, NaN when there is none.
func (v *sourceView) value(m metric) float64 {
	for i := range v.metrics {
		if v.metrics[i].m == m {
			return v.metrics[i].cur
		}
	}
	return math.NaN()
}

// machineViews are the views of every data source of an agent address that changed (none: all are gone).
type machineViews struct {
	addr  netip.Addr
	views []*sourceView
}

// collected is everything copied out of the shards for one snapshot.
type collected struct {
	machines   []machineViews
	agentEdits []edit[AgentRow]
	totals     struct {
		datagrams, samples, sampleDrops, decodeErrors, unknownRecords, duplicates uint64
		lost, restarts, lostSamples                                               int64
	}
	bySrc, byDst, byPair table[talkerAux]
	urls                 table[urlAux]
	keys                 table[keyAux]
	windowStart          time.Time // the tables cover [windowStart, windowEnd)
	windowEnd            time.Time
}

// table is one top-N table read from every table shard.
type table[A any] struct {
	top      []topk.Entry[A] // ranked; Count is the guaranteed lower bound, Count+Err the upper
	total    float64         // exact total weight of the window
	unlisted float64         // upper bound on the weight of a key that is not listed
}

// read adds one table shard's part: its top n keys and its totals, moving its window to now first.
func (t *table[A]) read(w *topk.Window[A], now time.Time, n int, merge func(dst, src *A)) {
	w.Advance(now)
	t.top = append(t.top, w.Top(n, merge)...)
	total, unlisted := w.Totals()
	t.total += total
	t.unlisted += unlisted
}

// Publish builds a snapshot of the fleet as of now, makes it the latest and returns it. now must be on the
// clock the Ingest times come from. It is called by Run; tests and replays call it directly. Its work is in
// proportion to what changed since the last one, and it holds each ingest shard's lock only to copy what
// changed there.
func (f *Fleet) Publish(now time.Time) *Snapshot {
	p := &f.pub
	p.mu.Lock()
	defer p.mu.Unlock()

	c := f.collect(now)
	p.update(c, now)

	points := f.binner.points
	lastBin := f.binner.bin(now)
	horizon := lastBin
	for b := range p.lastBins {
		horizon = min(horizon, b)
	}
	p.version++
	s := &Snapshot{
		Version: p.version,
		Time:    now,
		Window:  f.opt.Window,
		Step:    f.opt.Step,
		GroupBy: p.groupBy,
		Agents:  p.agents,
		Hosts:   p.hosts,
		Devices: p.devices,
		Fields:  p.fieldNames(),
		Horizon: f.binner.start(horizon + 1),
	}
	if p.order == nil {
		p.order = sortedGroupNames(p.groups)
	}
	s.Groups = make([]GroupRow, len(p.order))
	for i, name := range p.order {
		s.Groups[i] = p.groups[name].row(points, lastBin, points-int(lastBin-horizon))
	}

	s.WindowStart, s.WindowEnd = c.windowStart, c.windowEnd
	if span := c.windowEnd.Sub(c.windowStart).Seconds(); span > 0 {
		owners := &p.owners
		s.TalkersBySrc = talkerRows(&c.bySrc, span, owners, true, false)
		s.TalkersByDst = talkerRows(&c.byDst, span, owners, false, true)
		s.TalkersByPair = talkerRows(&c.byPair, span, owners, true, true)
		s.URLs = urlRows(&c.urls, span, owners)
		s.Keys = keyRows(&c.keys, span, owners)
		f.publishFlowIndex(c.windowStart, c.windowEnd)
		s.Bounds = c.bounds(span)
	}

	s.Health = p.health(c, now, s)
	f.snap.Store(s)
	f.rewind.capture(s)
	return s
}

// update brings the publisher's hosts, groups and agent rows up to date with what was collected at now.
func (p *publisher) update(c *collected, now time.Time) {
	var res NodeResolver
	if box := p.f.resolver.Load(); box != nil {
		res = box.r
	}
	groupBy := p.f.GroupBy()
	all := res != p.res || groupBy != p.groupBy // every host's answer is to be taken again
	p.res, p.groupBy = res, groupBy

	for _, mv := range c.machines {
		m := p.machines[mv.addr]
		if m == nil {
			if len(mv.views) == 0 {
				continue
			}
			m = &agentHosts{addr: mv.addr, heapIdx: -1}
			p.machines[mv.addr] = m
		}
		p.rebuild(m, mv.views, now)
	}
	for len(p.due) > 0 && !p.due[0].until.After(now) {
		m := p.due[0]
		p.rebuild(m, m.views, now)
	}

	// The ENC: the hosts rebuilt, those whose lookup is pending, and a share of the rest in turn.
	for _, e := range p.touched {
		if !e.removed {
			p.classify(e)
		}
	}
	switch {
	case all:
		for _, e := range p.entries {
			p.classify(e)
		}
	default:
		for e := range p.pending {
			p.classify(e)
		}
		n := min(len(p.entries), max(1, (len(p.entries)+encRecheck-1)/encRecheck))
		for range n {
			p.cursor = (p.cursor + 1) % len(p.entries)
			p.classify(p.entries[p.cursor])
		}
	}

	for i := 0; i < len(p.touched); i++ { // renaming one host may touch others of its name
		p.rename(p.touched[i])
	}
	var edits, devEdits []edit[HostRow]
	for _, e := range p.touched {
		edits, devEdits = routeEdit(p.compose(e), edits, devEdits)
		e.touched, e.oldRow = false, nil
	}
	p.touched = p.touched[:0]
	if len(edits) > 0 {
		p.hosts = applyEdits(p.hosts, edits, compareHosts)
	}
	if len(devEdits) > 0 {
		p.devices = applyEdits(p.devices, devEdits, compareHosts)
	}
	if len(c.agentEdits) > 0 {
		p.agents = applyEdits(p.agents, c.agentEdits, compareAgents)
	}
}

// classify takes the ENC's answer for e's host name (never waiting; a lookup only for a host that has
// reported for more than one interval) and touches e when it changed.
func (p *publisher) classify(e *hostEntry) {
	var node *enc.Node
	var st enc.Status
	asked, errText, status, group := false, "", "", Unclassified
	switch {
	case p.res == nil:
	case e.build.hostname == "":
		status = "no hostname"
	default:
		if e.build.proven {
			node, st = p.res.Get(e.build.hostname)
		} else {
			node, st = p.res.Peek(e.build.hostname)
		}
		asked = true
		if st.Err != nil && st.State != enc.NotFound {
			errText = st.Err.Error()
		}
		status = e.encStatus
		if !e.encAsked || st.State != e.encState || errText != e.encErr {
			status = st.State.String()
			if errText != "" {
				status += ": " + errText
			}
		}
		if node != nil {
			if v, ok := node.Field(p.groupBy); ok && v != "" {
				group = v
			}
		}
	}
	if node != e.node || status != e.encStatus || group != e.encGroup {
		p.touch(e)
	}
	if e.encAsked {
		p.encCount[e.encState]--
	}
	if asked {
		p.encCount[st.State]++
	}
	if asked && st.State == enc.Pending && e.build.proven {
		p.pending[e] = struct{}{}
	} else {
		delete(p.pending, e)
	}
	e.node, e.encState, e.encAsked, e.encErr, e.encStatus, e.encGroup = node, st.State, asked, errText, status, group
}

// rename keeps the hosts by name up to date for e, touching the hosts whose DupName changes with it.
func (p *publisher) rename(e *hostEntry) {
	name := ""
	if !e.removed {
		name = e.build.row.Name
	}
	if name == e.name {
		return
	}
	if e.name != "" {
		list := p.names[e.name]
		if i := indexOf(list, e); i >= 0 {
			list = slices.Delete(list, i, i+1)
		}
		if len(list) == 0 {
			delete(p.names, e.name)
		} else {
			p.names[e.name] = list
		}
		if len(list) == 1 {
			p.touch(list[0])
		}
	}
	if name != "" {
		list := append(p.names[name], e)
		p.names[name] = list
		if len(list) == 2 {
			p.touch(list[0])
		}
	}
	e.name = name
}

// compose makes e's published row again (none when it is removed), moving what it adds to its group, and
// returns the edit of the host list.
func (p *publisher) compose(e *hostEntry) edit[HostRow] {
	old := e.oldRow
	if old != nil {
		p.count(old, -1)
	}
	if e.group != nil {
		e.group.apply(&e.contrib, -1)
		if e.group.hosts == 0 {
			delete(p.groups, e.group.name)
			p.order = nil
		}
		e.group = nil
	}
	p.useNode(e, -1)
	if e.removed {
		delete(p.pending, e)
		if e.encAsked {
			p.encCount[e.encState]--
			e.encAsked = false
		}
		p.dropEntry(e)
		e.row = nil
		return edit[HostRow]{old: old}
	}
	r := e.build.row
	if e.published { // shared by snapshots already: changed on a copy
		r = new(HostRow)
		*r = *e.build.row
	}
	e.published = true
	r.Group, r.ENCStatus = e.encGroup, e.encStatus
	r.Classes, r.Environment, r.Params = nil, "", nil
	if e.node != nil {
		r.Classes, r.Environment = e.node.Classes, e.node.Environment
		r.Params = e.node.ParamStrings() // computed once per answer and shared: read-only
	}
	r.DupName = len(p.names[r.Name]) > 1
	e.row = r
	p.useNode(e, 1)
	p.count(r, 1)
	if r.Device != nil { // no group counts a device
		r.Group = ""
		return p.listed(e, old, r)
	}
	g := p.groups[r.Group]
	if g == nil {
		g = newGroupAcc(r.Group, p.f.binner.points)
		p.groups[r.Group] = g
		p.order = nil
	}
	e.contrib = contribution(r, e.build)
	g.apply(&e.contrib, 1)
	e.group = g
	return p.listed(e, old, r)
}

// listed enters a new host in the publisher's entries and returns the edit of the host list.
func (p *publisher) listed(e *hostEntry, old, r *HostRow) edit[HostRow] {
	if old == nil {
		e.idx = len(p.entries)
		p.entries = append(p.entries, e)
	}
	return edit[HostRow]{old: old, new: r}
}

// count adds (sign 1) or takes back (-1) a published row's part in the fleet's figures: stale hosts and the
// horizon.
func (p *publisher) count(r *HostRow, sign int) {
	if r.Device != nil {
		return // devices are neither hosts nor in the group series' horizon
	}
	if r.State != HostOK {
		p.stale += sign
		return
	}
	if r.LastSeen.IsZero() {
		return
	}
	b := p.f.binner.bin(r.LastSeen)
	if p.lastBins[b] += sign; p.lastBins[b] <= 0 {
		delete(p.lastBins, b)
	}
}

// useNode counts e's row as showing e's ENC answer (sign 1), or no more showing the one it showed (-1).
func (p *publisher) useNode(e *hostEntry, sign int) {
	if sign < 0 {
		if n := e.rowNode; n != nil {
			u := p.nodes[n]
			if u.rows--; u.rows == 0 {
				delete(p.nodes, n)
				p.fields = nil
			}
			e.rowNode = nil
		}
		return
	}
	n := e.node
	if n == nil {
		return
	}
	u := p.nodes[n]
	if u == nil {
		u = &nodeUse{fields: n.Fields()}
		p.nodes[n] = u
		p.fields = nil
	}
	u.rows++
	e.rowNode = n
}

// dropEntry forgets a removed host.
func (p *publisher) dropEntry(e *hostEntry) {
	if e.idx < 0 || e.idx >= len(p.entries) || p.entries[e.idx] != e {
		return
	}
	last := p.entries[len(p.entries)-1]
	p.entries[e.idx], last.idx = last, e.idx
	p.entries[len(p.entries)-1] = nil
	p.entries = p.entries[:len(p.entries)-1]
	e.idx = -1
}

// fieldNames returns the ENC fields of every classified host, sorted; the same slice while the answers in use
// are the same.
func (p *publisher) fieldNames() []string {
	if p.fields != nil {
		return p.fields
	}
	set := make(map[string]bool)
	for _, u := range p.nodes {
		for _, k := range u.fields {
			set[k] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	p.fields = out
	return out
}

// compareAgents orders agent rows by address, then sub-agent.
func compareAgents(a, b *AgentRow) int {
	if x := a.Addr.Compare(b.Addr); x != 0 {
		return x
	}
	return cmp.Compare(a.SubAgent, b.SubAgent)
}

// collect sweeps every shard now and then, and copies out what changed in it, holding each shard's lock only
// for its own part.
func (f *Fleet) collect(now time.Time) *collected {
	c := &collected{}
	for _, sh := range f.shards {
		sh.mu.Lock()
		sh.ops.apply(f.tables) // what ingest has batched joins the tables read below
		if now.Sub(sh.swept) >= sweepEvery || now.Before(sh.swept) {
			sh.sweep(now, f.opt)
			sh.swept = now
		}
		for addr := range sh.dirty {
			mv := machineViews{addr: addr}
			if as := sh.addrs[addr]; as != nil {
				for _, src := range as.srcs {
					mv.views = append(mv.views, src.view(f.binner.points))
				}
			}
			c.machines = append(c.machines, mv)
		}
		clear(sh.dirty)
		c.agentEdits = sh.agentRows(now, c.agentEdits)
		t := &c.totals
		t.datagrams += sh.datagrams
		t.samples += sh.samples
		t.lost += sh.lost
		t.duplicates += sh.duplicates
		t.restarts += sh.restarts
		t.lostSamples += sh.lostSamples
		t.sampleDrops += sh.sampleDrops
		t.decodeErrors += sh.decodeErrors
		t.unknownRecords += sh.unknownRecords
		sh.mu.Unlock()
	}
	// Ingest may have moved some windows past now (a clock a little ahead of the publisher's): all tables are
	// read at the newest bucket any of them has, so they cover the same span.
	at := now
	for _, ts := range f.tables {
		ts.mu.Lock()
		for _, t := range [...]time.Time{ts.bySrc.Newest(), ts.byDst.Newest(), ts.byPair.Newest(), ts.urls.Newest(),
			ts.keys.Newest()} {
			if t.After(at) {
				at = t
			}
		}
		ts.mu.Unlock()
	}
	n := f.opt.TopN
	for i, ts := range f.tables {
		ts.mu.Lock()
		c.bySrc.read(ts.bySrc, at, n, mergeTalker)
		c.byDst.read(ts.byDst, at, n, mergeTalker)
		c.byPair.read(ts.byPair, at, n, mergeTalker)
		c.urls.read(ts.urls, at, n, mergeURL)
		c.keys.read(ts.keys, at, n, mergeKey)
		if i == 0 {
			// Under the lock: a worker's datagram may be moving the window on.
			c.windowStart, c.windowEnd = ts.urls.Span()
		}
		ts.mu.Unlock()
	}
	// Every window moved to now and has the same buckets: the rates are over their complete buckets, from the
	// first datagram on. The table shards' keys are disjoint: their tops rank together.
	c.bySrc.top, c.byDst.top, c.byPair.top = topk.Rank(c.bySrc.top, n), topk.Rank(c.byDst.top, n), topk.Rank(c.byPair.top, n)
	c.urls.top, c.keys.top = topk.Rank(c.urls.top, n), topk.Rank(c.keys.top, n)
	if first := f.firstData.Load(); first != 0 && time.Unix(0, first).After(c.windowStart) {
		c.windowStart = time.Unix(0, first)
		if c.windowStart.After(c.windowEnd) {
			c.windowStart = c.windowEnd
		}
	}
	return c
}

// agentRows appends the edits of the Agents table: the rows of agent rows that changed, of those whose
// datagram rate fell to 0 (warm until 2 meter windows after their last datagram), and of those forgotten.
func (sh *shard) agentRows(now time.Time, edits []edit[AgentRow]) []edit[AgentRow] {
	for _, ag := range sh.dirtyAgents {
		if !ag.warm && !ag.gone {
			ag.warm = true
			sh.warmAgents = append(sh.warmAgents, ag)
		}
	}
	sh.dirtyAgents = sh.dirtyAgents[:0]
	warm := sh.warmAgents[:0]
	for _, ag := range sh.warmAgents {
		if ag.gone {
			continue
		}
		cooled := now.Sub(ag.lastSeen) >= 2*meterWindow
		if ag.dirty || cooled {
			r := ag.row(now)
			edits = append(edits, edit[AgentRow]{old: ag.pubRow, new: &r})
			ag.pubRow, ag.dirty = &r, false
		}
		if cooled {
			ag.warm = false
		} else {
			warm = append(warm, ag)
		}
	}
	clear(sh.warmAgents[len(warm):])
	sh.warmAgents = warm
	for _, r := range sh.goneAgents {
		edits = append(edits, edit[AgentRow]{old: r})
	}
	clear(sh.goneAgents)
	sh.goneAgents = sh.goneAgents[:0]
	return edits
}

// row is the agent's line of the Agents table.
func (ag *agent) row(now time.Time) AgentRow {
	declared, effective := ag.sampling()
	return AgentRow{
		Addr: ag.key.addr, SubAgent: ag.key.sub, Datagrams: ag.datagrams, DatagramsPerSec: ag.rate.perSec(now),
		Samples: ag.samples, Lost: uint64(max(ag.lost, 0)), Duplicates: ag.duplicates,
		Restarts: uint64(max(ag.restarts, 0)), DecodeErrors: ag.decodeErrors, UnknownRecords: ag.unknownRecords,
		SampleDrops: ag.sampleDrops, LostSamples: uint64(max(ag.lostSamples, 0)), DeclaredRate: declared,
		EffectiveRate: effective, LastSeen: ag.lastSeen,
	}
}

// sweep forgets sources, agents and flow sources that stopped reporting, and sooner those that reported only
// once.
func (sh *shard) sweep(now time.Time, opt Options) {
	l := sh.lim
	for _, src := range sh.sources {
		age := now.Sub(src.seen())
		once := src.lastFlow.IsZero() && !src.lastSeen.After(src.firstSeen)
		if age > removeIntervals*src.pollInterval(opt.PollInterval) || once && age > l.unproven {
			sh.removeSource(src)
		}
	}
	for k, ag := range sh.agents {
		age := now.Sub(ag.lastSeen)
		if age > opt.AgentTTL || ag.datagrams <= 1 && age > l.unproven {
			delete(sh.agents, k)
			l.releaseAgent(ag)
			ag.gone = true
			if ag.pubRow != nil {
				sh.goneAgents = append(sh.goneAgents, ag.pubRow)
			}
			continue
		}
		for fk, fs := range ag.flows {
			if now.Sub(time.Unix(0, fs.lastSeen)) > opt.AgentTTL {
				delete(ag.flows, fk)
				ag.lastFlow = nil
				l.flowSources.Add(-1)
			}
		}
	}
}

// view returns the source as the publisher sees it: the copy taken when it last changed, or a new one. The
// series' points are shared with the source, which never writes them again.
func (s *source) view(points int) *sourceView {
	if s.pubView != nil && s.pubVersion == s.version {
		return s.pubView
	}
	v := &sourceView{
		key: s.key, role: s.role(), hostname: s.hostname, uuid: s.uuid, id: s.id, uuidText: s.uuidText, os: s.os,
		hasParent: s.hasParent, parentClass: s.parentClass, parentIndex: s.parentIndex,
		jvm: s.jvm, http: s.http, memcache: s.memcache, appName: s.appName,
		localIPs: slices.Clone(s.localIPs[:s.nLocalIPs]), macs: slices.Clone(s.macs[:s.nMACs]),
		firstSeen: s.firstSeen, lastSeen: s.lastSeen, seen: s.seen(), interval: s.interval, ifc: s.ifc,
	}
	n := 0
	for m, i := range s.seriesOf {
		if i != 0 || !math.IsNaN(s.cur[m]) {
			n++
		}
	}
	v.metrics = make([]metricPoints, 0, n)
	for m, i := range s.seriesOf {
		mp := metricPoints{m: metric(m), cur: s.cur[m]}
		if i != 0 {
			r := &s.ser[i-1]
			mp.pts, mp.last = r.view(points), r.newest
		} else if math.IsNaN(mp.cur) {
			continue
		}
		v.metrics = append(v.metrics, mp)
	}
	s.pubView, s.pubVersion = v, s.version
	return v
}

// health fills the status-line figures.
func (p *publisher) health(c *collected, now time.Time, s *Snapshot) Health {
	f := p.f
	rejected, disallowed := f.rejected.Load(), f.disallowed.Load()
	l := f.lim
	h := Health{
		Datagrams:      c.totals.datagrams + rejected + disallowed + l.refusedAgents.Load(),
		Lost:           uint64(max(c.totals.lost, 0)),
		Duplicates:     c.totals.duplicates,
		Restarts:       uint64(max(c.totals.restarts, 0)),
		SampleDrops:    c.totals.sampleDrops,
		LostSamples:    uint64(max(c.totals.lostSamples, 0)),
		DecodeErrors:   c.totals.decodeErrors + rejected,
		UnknownRecords: c.totals.unknownRecords,
		Disallowed:     disallowed,
		RefusedAgents:  l.refusedAgents.Load(),
		RefusedSources: l.refusedSources.Load(),
		RefusedSeries:  l.refusedSeries.Load(),
		Agents:         len(s.Agents),
		Hosts:          len(s.Hosts),
		Devices:        len(s.Devices),
		StaleHosts:     p.stale,
		Groups:         len(s.Groups),
	}
	f.listenerHealth(&h)
	// datagrams/s over the last rateSpan, from the totals of earlier publishes.
	p.rates = append(p.rates, countAt{now, h.Datagrams})
	for len(p.rates) > 2 && now.Sub(p.rates[1].t) >= rateSpan {
		p.rates = p.rates[1:]
	}
	if first := p.rates[0]; now.Sub(first.t) > 0 && h.Datagrams >= first.n {
		h.DatagramsPerSec = float64(h.Datagrams-first.n) / now.Sub(first.t).Seconds()
	}
	if p.res != nil {
		h.ENC = p.encHealth()
	}
	f.feedHealth(&h)
	return h
}

// encHealth is the resolver's own health, with the hosts' ENC answers summed up as its summary and state.
func (p *publisher) encHealth() FeedHealth {
	n := &p.encCount
	failed := n[enc.Failed] + n[enc.TimedOut]
	good := n[enc.OK] + n[enc.Stale] + n[enc.NotFound] // answered: "not found" is an answer too
	fh := p.res.FeedHealth()
	fh.OK = failed == 0
	fh.Good, fh.Total = int(good), int(good+failed)
	fh.Summary = fmt.Sprintf("%d ok, %d not found, %d failed, %d pending", n[enc.OK]+n[enc.Stale], n[enc.NotFound],
		failed, n[enc.Pending])
	return fh
}

// ratioPct returns 100*num/den, NaN when den is not positive or either is NaN.
func ratioPct(num, den float64) float64 {
	if math.IsNaN(num) || math.IsNaN(den) || den <= 0 {
		return math.NaN()
	}
	return 100 * num / den
}
