package model

import (
	"cmp"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
)

// hostBuild is one host being assembled for a snapshot from its data sources.
type hostBuild struct {
	row      HostRow
	addr     netip.Addr
	hostname string
	primary  *sourceView   // the host_descr source; nil for a device known only by its agent address
	members  []*sourceView // every source whose values the host shows, primary first
	node     *enc.Node
	fresh    map[*sourceView]bool
	series   [numMetrics][]float64 // the host's own series by metric (interfaces excluded)
}

// buildHosts turns data sources into hosts. A host is a host_descr source (a physical host, or a VM or
// container with host_parent), identified by its agent address and UUID; applications, interfaces and other
// counters join the host named by their host_parent, else the agent's physical host, else a device host
// standing for the agent address.
func buildHosts(views []*sourceView, now time.Time, defInterval time.Duration, points int) []*hostBuild {
	byAddr := make(map[netip.Addr][]*sourceView)
	for _, v := range views {
		byAddr[v.key.addr] = append(byAddr[v.key.addr], v)
	}
	addrs := make([]netip.Addr, 0, len(byAddr))
	for a := range byAddr {
		addrs = append(addrs, a)
	}
	slices.SortFunc(addrs, netip.Addr.Compare)

	var out []*hostBuild
	for _, addr := range addrs {
		vs := byAddr[addr]
		slices.SortFunc(vs, func(a, b *sourceView) int {
			if c := cmp.Compare(a.key.class, b.key.class); c != 0 {
				return c
			}
			return cmp.Compare(a.key.index, b.key.index)
		})
		first := len(out)
		hosts := make(map[sourceKey]*hostBuild) // by the key of any host_descr source it absorbed
		byUUID := make(map[[16]byte]*hostBuild)
		var machine *hostBuild
		for _, v := range vs {
			if v.role != roleHost {
				continue
			}
			if v.uuid != ([16]byte{}) {
				if h := byUUID[v.uuid]; h != nil {
					// The same machine under a new data source index (a VM restarted): one host, whose
					// primary is the source that reported last.
					if v.seen.After(h.primary.seen) {
						h.primary = v
						h.members = append([]*sourceView{v}, h.members...)
					} else {
						h.members = append(h.members, v)
					}
					hosts[v.key] = h
					continue
				}
			}
			h := &hostBuild{addr: addr, primary: v, members: []*sourceView{v}}
			hosts[v.key] = h
			if v.uuid != ([16]byte{}) {
				byUUID[v.uuid] = h
			}
			out = append(out, h)
			if !v.hasParent && (machine == nil || (machine.primary.key.class != 2 && v.key.class == 2)) {
				machine = h
			}
		}
		var device *hostBuild
		for _, v := range vs {
			if v.role == roleHost {
				continue
			}
			h := hosts[sourceKey{addr, v.parentClass, v.parentIndex}]
			if !v.hasParent || h == nil {
				h = machine
			}
			if h == nil {
				if device == nil {
					device = &hostBuild{addr: addr}
					out = append(out, device)
				}
				h = device
			}
			h.members = append(h.members, v)
		}
		for _, h := range out[first:] {
			if h.primary != nil && h.primary.hasParent {
				if parent := hosts[sourceKey{addr, h.primary.parentClass, h.primary.parentIndex}]; parent != nil && parent != h {
					h.row.Parent = hostID(parent)
				}
			}
		}
	}
	names := make(map[string]int)
	for _, h := range out {
		h.fill(now, defInterval, points)
		names[h.row.Name]++
	}
	for _, h := range out {
		h.row.DupName = names[h.row.Name] > 1
	}
	return out
}

// hostID is the stable identity of a host: its agent address and UUID, or the data source without a UUID,
// or the bare agent address for a device host.
func hostID(h *hostBuild) string {
	if h.primary == nil {
		return h.addr.String()
	}
	if h.primary.uuid != ([16]byte{}) {
		return h.addr.String() + "/" + sflow.UUIDString(h.primary.uuid)
	}
	return h.addr.String() + "/" + strconv.FormatUint(uint64(h.primary.key.class), 10) + ":" +
		strconv.FormatUint(uint64(h.primary.key.index), 10)
}

// osNames are host_descr os_name values (sflow_host.txt, plus 13 for the jmx agent's java).
var osNames = [...]string{"unknown", "other", "linux", "windows", "darwin", "hpux", "aix", "dragonfly", "freebsd",
	"netbsd", "openbsd", "osf", "solaris", "java"}

// fill computes the host's row: identity, state, apps, current values and series.
func (h *hostBuild) fill(now time.Time, defInterval time.Duration, points int) {
	r := &h.row
	r.ID = hostID(h)
	r.Agent = h.addr
	h.fresh = make(map[*sourceView]bool, len(h.members))
	var last time.Time
	var interval time.Duration
	for _, m := range h.members {
		iv := m.interval
		if iv <= 0 {
			iv = defInterval
		}
		h.fresh[m] = now.Sub(m.seen) <= staleIntervals*iv
		if m.seen.After(last) {
			last, interval = m.seen, iv
		}
	}
	if p := h.primary; p != nil {
		last = p.seen
		interval = p.interval
		if interval <= 0 {
			interval = defInterval
		}
		h.hostname = p.hostname
		r.Name = p.hostname
		if p.uuid != ([16]byte{}) {
			r.UUID = sflow.UUIDString(p.uuid)
		}
		if r.Name == "" {
			r.Name = r.UUID
		}
		if int(p.osName) < len(osNames) && p.osName != 0 {
			r.OS = osNames[p.osName]
		}
		if p.osRelease != "" {
			r.OS += " " + p.osRelease
		}
	}
	if h.primary == nil {
		// No host_descr of its own: a JVM agent may still name the machine.
		for _, m := range h.members {
			if m.hostname != "" {
				h.hostname, r.Name = m.hostname, m.hostname
				break
			}
		}
	}
	if r.Name == "" {
		r.Name = h.addr.String()
	}
	r.LastSeen = last
	switch age := now.Sub(last); {
	case age > goneIntervals*interval:
		r.State = HostGone
	case age > staleIntervals*interval:
		r.State = HostStale
	}
	r.Apps = h.apps()

	// Current values: the host's own figures come from its primary source (or the first member that has
	// them); application and interface figures add up over the members still reporting.
	own := func(m metric) float64 {
		for _, v := range h.members {
			if v.role != roleApp && v.role != roleIface && h.fresh[v] && !math.IsNaN(v.cur[m]) {
				return v.cur[m]
			}
		}
		return math.NaN()
	}
	sum := func(m metric, roles ...sourceRole) float64 {
		var s nanSum
		for _, v := range h.members {
			if h.fresh[v] && (len(roles) == 0 || slices.Contains(roles, v.role)) {
				s.add(v.cur[m])
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
		r.NetIn, r.NetOut = sum(mIfIn, roleIface), sum(mIfOut, roleIface)
	}
	r.HTTPRate = sum(mHTTPRequests)
	r.HTTP5xxPct = ratioPct(sum(mHTTP5xx), r.HTTPRate)
	r.MemcacheOps = sum(mMemcacheOps)
	r.MemcacheGets = sum(mMemcacheGets)
	r.MemcacheHit = ratioPct(sum(mMemcacheHits), r.MemcacheGets)
	r.JVMHeapUsed = sum(mJVMHeapUsed)
	r.JVMGCRate = sum(mJVMGC)

	h.buildSeries(points)
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
// host_net_io), and the memcache hit ratio is recomputed from its parts.
func (h *hostBuild) buildSeries(points int) {
	// Most metrics come from one member: its series is used as it is. Only shared ones are summed.
	var byMetric, ifTotals [numMetrics][]nanSum
	var single [numMetrics][]float64
	var contributors [numMetrics]int
	for _, v := range h.members {
		if v.role == roleIface {
			continue
		}
		for m, pts := range v.series {
			if pts != nil && m < int(mIfIn) && !metricInfos[m].derived {
				contributors[m]++
				single[m] = pts
			}
		}
	}
	type ifMetric struct {
		index uint32
		m     metric
	}
	ifSeries := make(map[ifMetric][]float64)
	acc := func(dst *[]nanSum, pts []float64) {
		if *dst == nil {
			*dst = make([]nanSum, points)
		}
		for i, v := range pts {
			(*dst)[i].add(v)
		}
	}
	for _, v := range h.members {
		for m, pts := range v.series {
			info := metricInfos[m]
			switch {
			case pts == nil || info.derived:
			case v.role == roleIface && metric(m) >= mIfIn:
				ifSeries[ifMetric{v.key.index, metric(m)}] = pts
				acc(&ifTotals[m], pts)
			case metric(m) < mIfIn && contributors[m] > 1:
				acc(&byMetric[m], pts)
			}
		}
	}
	if contributors[mNetIn] == 0 && contributors[mNetOut] == 0 {
		byMetric[mNetIn], byMetric[mNetOut] = ifTotals[mIfIn], ifTotals[mIfOut]
	}
	finish := func(sums []nanSum, average bool) []float64 {
		out := make([]float64, points)
		for i, s := range sums {
			if average {
				out[i] = s.mean()
			} else {
				out[i] = s.total()
			}
		}
		return out
	}
	for m, sums := range byMetric {
		switch {
		case sums != nil:
			h.series[m] = finish(sums, metricInfos[m].average)
		case contributors[m] == 1:
			h.series[m] = single[m]
		}
	}
	if hits, gets := h.series[mMemcacheHits], h.series[mMemcacheGets]; hits != nil && gets != nil {
		ratio := make([]float64, points)
		for i := range ratio {
			ratio[i] = ratioPct(hits[i], gets[i])
		}
		h.series[mMemcacheHitPct] = ratio
	}
	for m, pts := range h.series {
		if pts != nil {
			info := metricInfos[m]
			h.row.Series = append(h.row.Series, NamedSeries{Name: info.name, Unit: info.unit, Points: pts})
		}
	}
	// Interface data sources are unique per ifIndex at one agent: their series pass through as they are.
	for k, pts := range ifSeries {
		info := metricInfos[k.m]
		name := "if." + strconv.FormatUint(uint64(k.index), 10) + "." + info.name
		h.row.Series = append(h.row.Series, NamedSeries{Name: name, Unit: info.unit, Points: pts})
	}
	slices.SortFunc(h.row.Series, func(a, b NamedSeries) int { return cmp.Compare(a.Name, b.Name) })
}

// hostRows returns the rows sorted by group, then name, then ID.
func hostRows(hb []*hostBuild) []HostRow {
	rows := make([]HostRow, len(hb))
	for i, h := range hb {
		rows[i] = h.row
	}
	slices.SortFunc(rows, func(a, b HostRow) int {
		if c := compareGroups(a.Group, b.Group); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return rows
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

// groupRows aggregates the hosts of each group: current figures over the hosts still reporting, history
// over every host's series.
func groupRows(hb []*hostBuild, points, complete int) []GroupRow {
	byGroup := make(map[string][]*hostBuild)
	for _, h := range hb {
		byGroup[h.row.Group] = append(byGroup[h.row.Group], h)
	}
	rows := make([]GroupRow, 0, len(byGroup))
	for name, hosts := range byGroup {
		g := GroupRow{Name: name, Hosts: len(hosts)}
		var cpu, netIn, netOut, http, http5xx, mcOps, mcHits, mcGets, diskR, diskW, mem, heap nanSum
		for _, h := range hosts {
			if h.row.State != HostOK {
				g.StaleHosts++
				continue
			}
			r := &h.row
			cpu.add(r.CPU)
			netIn.add(r.NetIn)
			netOut.add(r.NetOut)
			http.add(r.HTTPRate)
			http5xx.add(r.HTTP5xxPct * r.HTTPRate / 100)
			mcOps.add(r.MemcacheOps)
			diskR.add(r.DiskRead)
			diskW.add(r.DiskWrite)
			mem.add(r.MemUsedPct)
			heap.add(r.JVMHeapUsed)
			for _, v := range h.members {
				if h.fresh[v] {
					mcHits.add(v.cur[mMemcacheHits])
					mcGets.add(v.cur[mMemcacheGets])
				}
			}
		}
		g.CPU = cpu.mean()
		g.NetIn = netIn.total()
		g.NetOut = netOut.total()
		g.HTTPRate = http.total()
		g.HTTP5xxPct = ratioPct(http5xx.total(), g.HTTPRate)
		g.MemcacheOps = mcOps.total()
		g.MemcacheHit = ratioPct(mcHits.total(), mcGets.total())
		g.DiskRead = diskR.total()
		g.DiskWrite = diskW.total()
		g.MemUsedPct = mem.mean()
		g.JVMHeapUsed = heap.total()
		g.History = groupHistory(hosts, points, complete)
		rows = append(rows, g)
	}
	slices.SortFunc(rows, func(a, b GroupRow) int { return compareGroups(a.Name, b.Name) })
	return rows
}

// groupHistory combines the hosts' series point by point; the points from complete on are NaN: not every host
// has reported those steps yet (Snapshot.Horizon).
func groupHistory(hosts []*hostBuild, points, complete int) GroupHistory {
	combine := func(m metric, mean bool) []float64 {
		out := make([]float64, points)
		for i := range out {
			if i >= complete {
				out[i] = math.NaN() // not every host has reported this step yet
				continue
			}
			var s nanSum
			for _, h := range hosts {
				if pts := h.series[m]; pts != nil {
					s.add(pts[i])
				}
			}
			if mean {
				out[i] = s.mean()
			} else {
				out[i] = s.total()
			}
		}
		return out
	}
	ratio := func(num, den []float64) []float64 {
		out := make([]float64, points)
		for i := range out {
			out[i] = ratioPct(num[i], den[i])
		}
		return out
	}
	g := GroupHistory{
		CPU:         combine(mCPU, true),
		NetIn:       combine(mNetIn, false),
		NetOut:      combine(mNetOut, false),
		HTTPRate:    combine(mHTTPRequests, false),
		MemcacheOps: combine(mMemcacheOps, false),
	}
	g.HTTP5xxPct = ratio(combine(mHTTP5xx, false), g.HTTPRate)
	g.MemcacheHit = ratio(combine(mMemcacheHits, false), combine(mMemcacheGets, false))
	return g
}

// ownerIndex maps addresses, MACs and data sources to the hosts they belong to, for the top-N tables.
type ownerIndex struct {
	byIP     map[netip.Addr]*hostBuild
	byMAC    map[[6]byte]*hostBuild
	bySource map[sourceKey]*hostBuild
}

func newOwnerIndex(hb []*hostBuild) *ownerIndex {
	o := &ownerIndex{
		byIP:     make(map[netip.Addr]*hostBuild),
		byMAC:    make(map[[6]byte]*hostBuild),
		bySource: make(map[sourceKey]*hostBuild),
	}
	// The agent address belongs to the machine (or device) host, not to its VMs.
	for _, h := range hb {
		if h.row.Parent == "" && (h.primary == nil || !h.primary.hasParent) {
			if _, taken := o.byIP[h.addr]; !taken {
				o.byIP[h.addr] = h
			}
		}
	}
	for _, h := range hb {
		for _, v := range h.members {
			o.bySource[v.key] = h
			for _, ip := range v.localIPs {
				o.byIP[ip.Unmap()] = h
			}
			if v.role == roleHost {
				for _, mac := range v.macs {
					o.byMAC[mac] = h
				}
			}
		}
	}
	return o
}

// host returns the host an address belongs to, trying the MAC it was seen with when the address is unknown.
func (o *ownerIndex) host(ip netip.Addr, mac [6]byte, hasMAC bool) *hostBuild {
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
func (o *ownerIndex) server(k sourceKey) *hostBuild {
	if h := o.bySource[k]; h != nil {
		return h
	}
	return o.byIP[k.addr]
}
