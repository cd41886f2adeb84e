package model

import (
	"cmp"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"time"
)

// hostBuild is one host assembled from the data sources of its agent address.
type hostBuild struct {
	row      *HostRow // without what the publisher adds: group, ENC data, DupName
	addr     netip.Addr
	hostname string
	proven   bool        // has reported for more than one polling interval: worth an ENC lookup
	primary  *sourceView // the host_descr source; nil for a device known only by its agent address
	members  []*sourceView
	fresh    []bool                         // by member: still reporting
	series   [len(groupSeries)]seriesPoints // the host's series its group adds up (groupSeries)
	mcHits   float64                        // memcache hits/s and gets/s of the members still reporting (NaN: none)
	mcGets   float64
	until    time.Time // when the row changes next with time alone (a member or the host going stale)
}

// seriesPoints is a series with the bin of its last point.
type seriesPoints struct {
	pts  []float64
	last int64
}

// buildHosts turns the data sources of one agent address, sorted by class and index, into hosts. A host is a
// host_descr source (a physical host, or a VM or container with host_parent), identified by its agent address
// and UUID; applications, interfaces and other counters join the host named by their host_parent, else the
// agent's physical host, else a device host standing for the agent address.
func buildHosts(addr netip.Addr, vs []*sourceView, now time.Time, defInterval time.Duration, b binner) []*hostBuild {
	var out []*hostBuild
	var byKey []keyHost // host_descr sources and the hosts they went to, in vs's order
	idx := uuidIndex{hosts: &out}
	host := func(class, index uint32) *hostBuild {
		i, ok := slices.BinarySearchFunc(byKey, sourceKey{addr, class, index}, func(k keyHost, t sourceKey) int {
			if c := cmp.Compare(k.key.class, t.class); c != 0 {
				return c
			}
			return cmp.Compare(k.key.index, t.index)
		})
		if !ok {
			return nil
		}
		return byKey[i].h
	}
	var machine *hostBuild
	for _, v := range vs {
		if v.role != roleHost {
			continue
		}
		if v.uuid != ([16]byte{}) {
			if h := idx.find(v.uuid); h != nil {
				// The same machine under a new data source index (a VM restarted): one host, whose primary is
				// the source that reported last.
				if v.seen.After(h.primary.seen) {
					h.primary = v
					h.members = append([]*sourceView{v}, h.members...)
				} else {
					h.members = append(h.members, v)
				}
				byKey = append(byKey, keyHost{v.key, h})
				continue
			}
		}
		h := &hostBuild{row: new(HostRow), addr: addr, primary: v, members: []*sourceView{v}}
		byKey = append(byKey, keyHost{v.key, h})
		out = append(out, h)
		idx.added(h)
		if !v.hasParent && (machine == nil || (machine.primary.key.class != 2 && v.key.class == 2)) {
			machine = h
		}
	}
	var device *hostBuild
	for _, v := range vs {
		if v.role == roleHost {
			continue
		}
		h := host(v.parentClass, v.parentIndex)
		if !v.hasParent || h == nil {
			h = machine
		}
		if h == nil {
			if device == nil {
				device = &hostBuild{row: new(HostRow), addr: addr}
				out = append(out, device)
			}
			h = device
		}
		h.members = append(h.members, v)
	}
	for _, h := range out {
		if h.primary != nil && h.primary.hasParent {
			if parent := host(h.primary.parentClass, h.primary.parentIndex); parent != nil && parent != h {
				h.row.Parent = hostID(parent)
			}
		}
	}
	for _, h := range out {
		h.fill(now, defInterval, b)
	}
	return out
}

// keyHost is a host_descr data source and the host it went to.
type keyHost struct {
	key sourceKey
	h   *hostBuild
}

// uuidIndex finds the host of a UUID among the hosts built so far: by scanning while they are few (most
// addresses have one), by a map past that.
type uuidIndex struct {
	hosts *[]*hostBuild
	m     map[[16]byte]*hostBuild
}

const uuidScan = 16

func (x *uuidIndex) find(u [16]byte) *hostBuild {
	if x.m != nil {
		return x.m[u]
	}
	for _, h := range *x.hosts {
		if h.primary.uuid == u {
			return h
		}
	}
	return nil
}

func (x *uuidIndex) added(h *hostBuild) {
	switch n := len(*x.hosts); {
	case n > uuidScan && x.m == nil:
		x.m = make(map[[16]byte]*hostBuild, 2*n)
		for _, o := range *x.hosts {
			if o.primary.uuid != ([16]byte{}) {
				x.m[o.primary.uuid] = o
			}
		}
	case x.m != nil && h.primary.uuid != ([16]byte{}):
		x.m[h.primary.uuid] = h
	}
}

// hostID is the stable identity of a host: its agent address and UUID, or the data source without a UUID,
// or the bare agent address for a device host.
func hostID(h *hostBuild) string {
	if h.primary == nil {
		return h.addr.String()
	}
	return h.primary.id
}

// osNames are host_descr os_name values (sflow_host.txt, plus 13 for the jmx agent's java).
var osNames = [...]string{"unknown", "other", "linux", "windows", "darwin", "hpux", "aix", "dragonfly", "freebsd",
	"netbsd", "openbsd", "osf", "solaris", "java"}

// fill computes the host's row: identity, state, apps, current values and series.
func (h *hostBuild) fill(now time.Time, defInterval time.Duration, b binner) {
	r := h.row
	r.ID = hostID(h)
	r.Agent = h.addr
	h.fresh = make([]bool, len(h.members))
	var last time.Time
	var interval time.Duration
	for i, m := range h.members {
		iv := m.interval
		if iv <= 0 {
			iv = defInterval
		}
		h.fresh[i] = h.after(now, m.seen.Add(staleIntervals*iv))
		if m.seen.After(last) {
			last, interval = m.seen, iv
		}
	}
	named := h.primary
	if p := h.primary; p != nil {
		last = p.seen
		interval = p.interval
		if interval <= 0 {
			interval = defInterval
		}
		h.hostname = p.hostname
		r.Name = p.hostname
		r.UUID, r.OS = p.uuidText, p.os
		if r.Name == "" {
			r.Name = r.UUID
		}
	} else {
		// No host_descr of its own: a JVM agent may still name the machine.
		for _, m := range h.members {
			if m.hostname != "" {
				h.hostname, r.Name, named = m.hostname, m.hostname, m
				break
			}
		}
	}
	if named != nil {
		// Two counter samples of one sequence with the agent's time moving between them (its polling interval
		// measured): not a name seen in one (perhaps forged) datagram. It is the agent's time, as the interval
		// is, so that a capture replayed fast proves its hosts as it did when it was recorded.
		h.proven = named.interval > 0
	}
	if r.Name == "" {
		r.Name = h.addr.String()
	}
	r.LastSeen = last
	switch {
	case !h.after(now, last.Add(goneIntervals*interval)):
		r.State = HostGone
	case !h.after(now, last.Add(staleIntervals*interval)):
		r.State = HostStale
	}
	r.Apps = h.apps()

	// Current values: the host's own figures come from its primary source (or the first member that has
	// them); application and interface figures add up over the members still reporting.
	own := func(m metric) float64 {
		for i, v := range h.members {
			if v.role != roleApp && v.role != roleIface && h.fresh[i] {
				if x := v.value(m); !math.IsNaN(x) {
					return x
				}
			}
		}
		return math.NaN()
	}
	sum := func(m metric, role sourceRole, any bool) float64 {
		var s runSum
		for i, v := range h.members {
			if h.fresh[i] && (any || v.role == role) {
				s.add(v.value(m), 1)
			}
		}
		return s.total()
	}
	r.CPU = own(mCPU)
	r.Load1 = own(mLoad1)
	r.MemUsedPct = own(mMemUsedPct)
	r.MemTotal = own(mMemTotal)
	r.DiskRead = own(mDiskRead)
	r.DiskWrite = own(mDiskWrite)
	r.DiskUsedPct = own(mDiskUsedPct)
	r.NetIn, r.NetOut = own(mNetIn), own(mNetOut)
	if math.IsNaN(r.NetIn) && math.IsNaN(r.NetOut) {
		r.NetIn, r.NetOut = sum(mIfIn, roleIface, false), sum(mIfOut, roleIface, false)
	}
	r.HTTPRate = sum(mHTTPRequests, 0, true)
	r.HTTP5xxPct = ratioPct(sum(mHTTP5xx, 0, true), r.HTTPRate)
	r.MemcacheOps = sum(mMemcacheOps, 0, true)
	h.mcHits, h.mcGets = sum(mMemcacheHits, 0, true), sum(mMemcacheGets, 0, true)
	r.MemcacheGets = h.mcGets
	r.MemcacheHit = ratioPct(h.mcHits, r.MemcacheGets)
	r.JVMHeapUsed = sum(mJVMHeapUsed, 0, true)
	r.JVMGCRate = sum(mJVMGC, 0, true)
	r.JVM = h.jvmRow()
	if h.isDevice() {
		r.Device = h.deviceInfo()
	}

	h.buildSeries(b)
}

// after reports whether now is not past t, and keeps the instant after t as the host's next change when it is
// the earliest yet.
func (h *hostBuild) after(now, t time.Time) bool {
	if now.After(t) {
		return false
	}
	if t = t.Add(1); h.until.IsZero() || t.Before(h.until) {
		h.until = t
	}
	return true
}

// apps lists the applications attached to the host: "http:80", "memcache", "jvm", "app:NAME".
func (h *hostBuild) apps() []string {
	var out []string
	for _, v := range h.members {
		if v.role != roleApp {
			continue
		}
		switch {
		case v.http:
			if v.key.class == 3 && v.key.index > 0 && v.key.index < 65536 {
				out = append(out, "http:"+strconv.FormatUint(uint64(v.key.index), 10))
			} else {
				out = append(out, "http")
			}
		case v.memcache:
			out = append(out, "memcache")
		case v.jvm:
			out = append(out, "jvm")
		case v.appName != "":
			out = append(out, "app:"+v.appName)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// buildSeries combines the members' series into the host's: a metric reported by several members adds up
// (averages average), interfaces go under if.<ifIndex>. (and add up to net.* when the host reports no
// host_net_io), and the memcache hit ratio is recomputed from its parts. A series of one member is that
// member's points as they are (shared, not copied).
func (h *hostBuild) buildSeries(b binner) {
	var shared, ifTotals [numMetrics]contributors
	var series [numMetrics]seriesPoints // the host's own, by metric (interfaces excluded)
	type ifSeries struct {
		index uint32
		m     metric
		sp    seriesPoints
	}
	var ifs []ifSeries
	for _, v := range h.members {
		for _, mp := range v.metrics {
			m, sp := mp.m, seriesPoints{mp.pts, mp.last}
			switch {
			case sp.pts == nil || metricInfos[m].derived:
			case v.role == roleIface && m >= mIfIn:
				ifs = append(ifs, ifSeries{v.key.index, m, sp})
				ifTotals[m].add(sp)
			case v.role != roleIface && m < mIfIn:
				shared[m].add(sp)
			}
		}
	}
	if shared[mNetIn].n == 0 && shared[mNetOut].n == 0 {
		shared[mNetIn], shared[mNetOut] = ifTotals[mIfIn], ifTotals[mIfOut]
	}
	for m := range shared {
		series[m] = shared[m].combine(b.points, metricInfos[m].average)
	}
	if hits, gets := series[mMemcacheHits], series[mMemcacheGets]; hits.pts != nil && gets.pts != nil {
		series[mMemcacheHitPct] = ratioSeries(hits, gets, b.points)
	}
	for i, m := range groupSeries {
		h.series[i] = series[m]
	}
	n := len(ifs)
	for _, sp := range series {
		if sp.pts != nil {
			n++
		}
	}
	h.row.Series = make([]NamedSeries, 0, n)
	for m, sp := range series {
		if sp.pts != nil {
			info := metricInfos[m]
			h.row.Series = append(h.row.Series, NamedSeries{Name: info.name, Unit: info.unit, Points: sp.pts,
				Last: b.start(sp.last)})
		}
	}
	// Interface data sources are unique per ifIndex at one agent: their series pass through as they are.
	for _, s := range ifs {
		info := metricInfos[s.m]
		name := "if." + strconv.FormatUint(uint64(s.index), 10) + "." + info.name
		h.row.Series = append(h.row.Series, NamedSeries{Name: name, Unit: info.unit, Points: s.sp.pts,
			Last: b.start(s.sp.last)})
	}
	slices.SortFunc(h.row.Series, func(a, b NamedSeries) int { return cmp.Compare(a.Name, b.Name) })
}

// contributors are the series of one metric of a host's members: most have one, kept without a slice.
type contributors struct {
	n     int
	first seriesPoints
	all   []seriesPoints // when more than one
}

func (c *contributors) add(sp seriesPoints) {
	switch c.n++; c.n {
	case 1:
		c.first = sp
	case 2:
		c.all = []seriesPoints{c.first, sp}
	default:
		c.all = append(c.all, sp)
	}
}

// combine returns the one series as it is, or the sum (or mean) of several.
func (c *contributors) combine(points int, average bool) seriesPoints {
	switch c.n {
	case 0:
		return seriesPoints{}
	case 1:
		return c.first
	}
	return combineSeries(c.all, points, average)
}

// combineSeries adds up (or averages) series point by point, aligned on the newest of their last bins.
func combineSeries(list []seriesPoints, points int, average bool) seriesPoints {
	last := list[0].last
	for _, s := range list[1:] {
		last = max(last, s.last)
	}
	sums := make([]runSum, points)
	for _, s := range list {
		off := int(last - s.last)
		for i, v := range s.pts[min(off, len(s.pts)):] { // every series has the same number of points
			sums[i].add(v, 1)
		}
	}
	out := make([]float64, points)
	for i, s := range sums {
		if average {
			out[i] = s.mean()
		} else {
			out[i] = s.total()
		}
	}
	return seriesPoints{out, last}
}

// ratioSeries is 100·num/den point by point, aligned on the newer of their last bins.
func ratioSeries(num, den seriesPoints, points int) seriesPoints {
	last := max(num.last, den.last)
	out := make([]float64, points)
	for i := range out {
		bin := last - int64(points-1-i)
		out[i] = ratioPct(num.at(bin), den.at(bin))
	}
	return seriesPoints{out, last}
}

// at returns the point of bin, NaN outside the series.
func (s seriesPoints) at(bin int64) float64 {
	i := len(s.pts) - 1 - int(s.last-bin)
	if bin > s.last || i < 0 {
		return math.NaN()
	}
	return s.pts[i]
}

// compareHosts orders host rows by group, then name, then ID.
func compareHosts(a, b *HostRow) int {
	if c := compareGroups(a.Group, b.Group); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// compareGroups sorts group names with Unclassified last.
func compareGroups(a, b string) int {
	if (a == Unclassified) != (b == Unclassified) {
		if a == Unclassified {
			return 1
		}
		return -1
	}
	return cmp.Compare(a, b)
}

// ownerIndex maps addresses, MACs and data sources to the hosts they belong to, for the top-N tables. It is
// kept up to date host by host: a host that changes takes back its entries and makes them again.
type ownerIndex struct {
	byIP     map[netip.Addr]*hostEntry
	byMAC    map[[6]byte]*hostEntry
	bySource map[sourceKey]*hostEntry
}

func newOwnerIndex() ownerIndex {
	return ownerIndex{
		byIP:     make(map[netip.Addr]*hostEntry),
		byMAC:    make(map[[6]byte]*hostEntry),
		bySource: make(map[sourceKey]*hostEntry),
	}
}

// add makes e the owner of its sources, addresses and MACs; the agent address belongs to the machine (or
// device) host of the address, not to its VMs.
func (o *ownerIndex) add(e *hostEntry) {
	h := e.build
	if h.row.Parent == "" && (h.primary == nil || !h.primary.hasParent) {
		if cur := o.byIP[h.addr]; cur == nil || cur.build.addr != h.addr {
			o.byIP[h.addr] = e
		}
	}
	for _, v := range h.members {
		o.bySource[v.key] = e
		for _, ip := range v.localIPs {
			o.byIP[ip.Unmap()] = e
		}
		if v.role == roleHost {
			for _, mac := range v.macs {
				o.byMAC[mac] = e
			}
		}
	}
}

// remove takes back what add gave e (what another host took over since stays that host's).
func (o *ownerIndex) remove(e *hostEntry) {
	h := e.build
	drop := func(m map[netip.Addr]*hostEntry, k netip.Addr) {
		if m[k] == e {
			delete(m, k)
		}
	}
	drop(o.byIP, h.addr)
	for _, v := range h.members {
		if o.bySource[v.key] == e {
			delete(o.bySource, v.key)
		}
		for _, ip := range v.localIPs {
			drop(o.byIP, ip.Unmap())
		}
		for _, mac := range v.macs {
			if o.byMAC[mac] == e {
				delete(o.byMAC, mac)
			}
		}
	}
}

// host returns the host an address belongs to, trying the MAC it was seen with when the address is unknown.
func (o *ownerIndex) host(ip netip.Addr, mac [6]byte, hasMAC bool) *hostEntry {
	if h := o.byIP[ip.Unmap()]; h != nil {
		return h
	}
	if hasMAC {
		return o.byMAC[mac]
	}
	return nil
}

// server returns the host of the data source that reported an application flow; a source the model no longer
// (or not yet) tracks stands for its agent's machine.
func (o *ownerIndex) server(k sourceKey) *hostEntry {
	if h := o.bySource[k]; h != nil {
		return h
	}
	return o.byIP[k.addr]
}
