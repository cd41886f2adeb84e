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

// publisher builds Snapshots; one publish runs at a time.
type publisher struct {
	mu      sync.Mutex
	f       *Fleet
	version uint64
	rates   []countAt              // recent datagram totals, for datagrams/s
	fields  map[*enc.Node][]string // Fields() per ENC node, kept while the node is in use
}

type countAt struct {
	t time.Time
	n uint64
}

// rateSpan is how far back datagrams/s looks.
const rateSpan = 5 * time.Second

func (p *publisher) init(f *Fleet) {
	p.f = f
	p.fields = make(map[*enc.Node][]string)
}

// sourceView is a copy of a source's state taken under its shard's lock.
type sourceView struct {
	key         sourceKey
	role        sourceRole
	hostname    string
	uuid        [16]byte
	osName      uint32
	osRelease   string
	hasParent   bool
	parentClass uint32
	parentIndex uint32
	jvm, http   bool
	memcache    bool
	appName     string
	localIPs    []netip.Addr
	macs        [][6]byte
	seen        time.Time
	interval    time.Duration
	cur         [numMetrics]float64
	series      [numMetrics][]float64
}

// collected is everything copied out of the shards for one snapshot.
type collected struct {
	agents  []AgentRow
	sources []*sourceView
	totals  struct {
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
// clock the Ingest times come from. It is called by Run; tests and replays call it directly.
func (f *Fleet) Publish(now time.Time) *Snapshot {
	p := &f.pub
	p.mu.Lock()
	defer p.mu.Unlock()

	c := f.collect(now)
	groupBy := f.GroupBy()
	var res NodeResolver
	if box := f.resolver.Load(); box != nil {
		res = box.r
	}
	points := int(f.opt.History / f.opt.Step)
	hb := buildHosts(c.sources, now, f.opt.PollInterval, points)
	encHealth := p.classify(hb, res, groupBy)

	s := &Snapshot{
		Version: p.version + 1,
		Time:    now,
		Window:  f.opt.Window,
		Step:    f.opt.Step,
		GroupBy: groupBy,
		Agents:  c.agents,
	}
	p.version++
	s.Fields = p.fieldNames(hb)
	s.Hosts = hostRows(hb)
	lastBin, horizon := f.horizon(hb, now)
	s.Horizon = time.Unix(0, (horizon+1)*int64(f.opt.Step))
	s.Groups = groupRows(hb, points, points-int(lastBin-horizon))

	s.WindowStart, s.WindowEnd = c.windowStart, c.windowEnd
	if span := c.windowEnd.Sub(c.windowStart).Seconds(); span > 0 {
		owners := newOwnerIndex(hb)
		s.TalkersBySrc = talkerRows(&c.bySrc, span, owners, true, false)
		s.TalkersByDst = talkerRows(&c.byDst, span, owners, false, true)
		s.TalkersByPair = talkerRows(&c.byPair, span, owners, true, true)
		s.URLs = urlRows(&c.urls, span, owners)
		s.Keys = keyRows(&c.keys, span, owners)
		f.publishFlowIndex(owners, hb, c.windowStart, c.windowEnd)
		s.Bounds = c.bounds(span)
	}

	s.Health = p.health(c, now, s, encHealth, res != nil)
	f.snap.Store(s)
	return s
}

// horizon returns the bin now falls in and the newest bin every reporting host has reported to: a host's
// counters fill the steps since its previous poll only when its next poll arrives, so sums across hosts are
// complete only up to there.
func (f *Fleet) horizon(hb []*hostBuild, now time.Time) (lastBin, horizon int64) {
	lastBin = f.binner.bin(now)
	horizon = lastBin
	for _, h := range hb {
		if h.row.State == HostOK && !h.row.LastSeen.IsZero() {
			horizon = min(horizon, f.binner.bin(h.row.LastSeen))
		}
	}
	return lastBin, horizon
}

// collect sweeps every shard and copies its state out, holding each shard's lock only for its own part.
func (f *Fleet) collect(now time.Time) *collected {
	c := &collected{}
	points := int(f.opt.History / f.opt.Step)
	lastBin := f.binner.bin(now)
	for _, sh := range f.shards {
		sh.mu.Lock()
		sh.sweep(now, f.opt)
		for _, ag := range sh.agents {
			c.agents = append(c.agents, ag.row(now))
		}
		for _, src := range sh.sources {
			c.sources = append(c.sources, src.view(points, lastBin))
		}
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
	for _, ts := range f.tables {
		ts.mu.Lock()
		c.bySrc.read(ts.bySrc, at, n, mergeTalker)
		c.byDst.read(ts.byDst, at, n, mergeTalker)
		c.byPair.read(ts.byPair, at, n, mergeTalker)
		c.urls.read(ts.urls, at, n, mergeURL)
		c.keys.read(ts.keys, at, n, mergeKey)
		ts.mu.Unlock()
	}
	// Every window moved to now and has the same buckets: the rates are over their complete buckets, from the
	// first datagram on. The table shards' keys are disjoint: their tops rank together.
	c.bySrc.top, c.byDst.top, c.byPair.top = topk.Rank(c.bySrc.top, n), topk.Rank(c.byDst.top, n), topk.Rank(c.byPair.top, n)
	c.urls.top, c.keys.top = topk.Rank(c.urls.top, n), topk.Rank(c.keys.top, n)
	c.windowStart, c.windowEnd = f.tables[0].urls.Span()
	if first := f.firstData.Load(); first != 0 && time.Unix(0, first).After(c.windowStart) {
		c.windowStart = time.Unix(0, first)
		if c.windowStart.After(c.windowEnd) {
			c.windowStart = c.windowEnd
		}
	}
	slices.SortFunc(c.agents, func(a, b AgentRow) int {
		if x := a.Addr.Compare(b.Addr); x != 0 {
			return x
		}
		return cmp.Compare(a.SubAgent, b.SubAgent)
	})
	return c
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

// sweep forgets sources, agents and flow sources that stopped reporting.
func (sh *shard) sweep(now time.Time, opt Options) {
	for k, src := range sh.sources {
		if now.Sub(src.seen()) > removeIntervals*src.pollInterval(opt.PollInterval) {
			delete(sh.sources, k)
		}
	}
	for k, ag := range sh.agents {
		if now.Sub(ag.lastSeen) > opt.AgentTTL {
			delete(sh.agents, k)
			continue
		}
		for fk, fs := range ag.flows {
			if now.Sub(fs.lastSeen) > opt.AgentTTL {
				delete(ag.flows, fk)
			}
		}
	}
}

// view copies the source for publishing: its identity, current values and the last points of its series.
func (s *source) view(points int, lastBin int64) *sourceView {
	v := &sourceView{
		key: s.key, role: s.role(), hostname: s.hostname, uuid: s.uuid, osName: s.osName,
		osRelease: s.osRelease, hasParent: s.hasParent, parentClass: s.parentClass, parentIndex: s.parentIndex,
		jvm: s.jvm, http: s.http, memcache: s.memcache, appName: s.appName,
		localIPs: slices.Clone(s.localIPs[:s.nLocalIPs]), macs: slices.Clone(s.macs[:s.nMACs]),
		seen: s.seen(), interval: s.interval, cur: s.cur,
	}
	pub := &s.published
	if pub.version == s.version && pub.lastBin == lastBin && s.version > 0 {
		v.series = pub.series
		return v
	}
	for m, r := range s.rings {
		if r == nil {
			continue
		}
		pts := make([]float64, points)
		r.Read(pts, lastBin)
		v.series[m] = pts
	}
	pub.version, pub.lastBin, pub.series = s.version, lastBin, v.series
	return v
}

// health fills the status-line figures.
func (p *publisher) health(c *collected, now time.Time, s *Snapshot, encHealth FeedHealth, encOn bool) Health {
	f := p.f
	rejected, disallowed := f.rejected.Load(), f.disallowed.Load()
	h := Health{
		Datagrams:      c.totals.datagrams + rejected + disallowed,
		QueueDrops:     f.queueDrops.Load(),
		Lost:           uint64(max(c.totals.lost, 0)),
		Duplicates:     c.totals.duplicates,
		Restarts:       uint64(max(c.totals.restarts, 0)),
		SampleDrops:    c.totals.sampleDrops,
		LostSamples:    uint64(max(c.totals.lostSamples, 0)),
		DecodeErrors:   c.totals.decodeErrors + rejected,
		UnknownRecords: c.totals.unknownRecords,
		Disallowed:     disallowed,
		Agents:         len(s.Agents),
		Hosts:          len(s.Hosts),
		Groups:         len(s.Groups),
		RecvBuffer:     int(f.recvBuffer.Load()),
	}
	for i := range s.Hosts {
		if s.Hosts[i].State != HostOK {
			h.StaleHosts++
		}
	}
	// datagrams/s over the last rateSpan, from the totals of earlier publishes.
	p.rates = append(p.rates, countAt{now, h.Datagrams})
	for len(p.rates) > 2 && now.Sub(p.rates[1].t) >= rateSpan {
		p.rates = p.rates[1:]
	}
	if first := p.rates[0]; now.Sub(first.t) > 0 && h.Datagrams >= first.n {
		h.DatagramsPerSec = float64(h.Datagrams-first.n) / now.Sub(first.t).Seconds()
	}
	if encOn {
		h.ENC = encHealth
	}
	if fn := f.graphite.Load(); fn != nil {
		h.Graphite = (*fn)()
	}
	if fn := f.carbon.Load(); fn != nil {
		h.Carbon = (*fn)()
	}
	return h
}

// classify looks up every named host in the ENC (never waiting) and sets its group, and sums up the answers
// for the ENC's health.
func (p *publisher) classify(hb []*hostBuild, res NodeResolver, groupBy string) FeedHealth {
	counts := map[enc.State]int{}
	for _, h := range hb {
		h.row.Group = Unclassified
		switch {
		case res == nil:
			continue
		case h.hostname == "":
			h.row.ENCStatus = "no hostname"
			continue
		}
		node, st := res.Get(h.hostname)
		counts[st.State]++
		h.row.ENCStatus = st.State.String()
		if st.Err != nil && st.State != enc.NotFound {
			h.row.ENCStatus += ": " + st.Err.Error()
		}
		if node == nil {
			continue
		}
		h.node = node
		h.row.Classes = node.Classes
		h.row.Environment = node.Environment
		h.row.Params = node.ParamStrings() // computed once per answer and shared: read-only
		if v, ok := node.Field(groupBy); ok && v != "" {
			h.row.Group = v
		}
	}
	if res == nil {
		return FeedHealth{}
	}
	eh := res.Health()
	failed := counts[enc.Failed] + counts[enc.TimedOut]
	fh := FeedHealth{
		Configured: true,
		OK:         failed == 0,
		Summary: fmt.Sprintf("%d ok, %d not found, %d failed, %d pending", counts[enc.OK]+counts[enc.Stale],
			counts[enc.NotFound], failed, counts[enc.Pending]),
	}
	if eh.LastError != nil {
		fh.LastError = eh.LastError.Error()
	}
	return fh
}

// fieldNames returns the ENC fields of every classified host, sorted, keeping a cache per node.
func (p *publisher) fieldNames(hb []*hostBuild) []string {
	used := make(map[*enc.Node]bool)
	set := make(map[string]bool)
	for _, h := range hb {
		if h.node == nil {
			continue
		}
		fs, ok := p.fields[h.node]
		if !ok {
			fs = h.node.Fields()
			p.fields[h.node] = fs
		}
		used[h.node] = true
		for _, k := range fs {
			set[k] = true
		}
	}
	for n := range p.fields {
		if !used[n] {
			delete(p.fields, n)
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// nanSum adds the non-NaN values; NaN when there are none.
type nanSum struct {
	sum float64
	n   int
}

func (s *nanSum) add(v float64) {
	if !math.IsNaN(v) {
		s.sum += v
		s.n++
	}
}

func (s nanSum) total() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.sum
}

func (s nanSum) mean() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.sum / float64(s.n)
}

// ratioPct returns 100*num/den, NaN when den is not positive or either is NaN.
func ratioPct(num, den float64) float64 {
	if math.IsNaN(num) || math.IsNaN(den) || den <= 0 {
		return math.NaN()
	}
	return 100 * num / den
}
