package model

import (
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// sourceKey identifies a data source of an agent: the unit counters are reported for (a host, a VM, an
// application, an interface). It leaves the sub-agent out: the same data source keeps its identity whichever
// sub-agent of the machine reports it.
type sourceKey struct {
	addr  netip.Addr
	class uint32
	index uint32
}

// sourceRole says what a data source is, as far as its records tell.
type sourceRole uint8

const (
	roleOther sourceRole = iota // counters nobody claims (switch CPU, LAG...): attached to the machine
	roleHost                    // host_descr: a physical host, or a VM or container when it has host_parent
	roleIface                   // an interface (ds class 0)
	roleApp                     // an application: mod-sflow, memcached, JVM, hsflowd app
)

const (
	maxLocalIPs = 8  // socket local addresses remembered per source, to map talkers to hosts
	maxMACs     = 16 // host_adapters MACs remembered per source
)

// source is the counter state of one data source.
type source struct {
	key sourceKey
	sub uint32 // sub-agent of the last counter sample

	hasDescr    bool
	hostname    string
	uuid        [16]byte
	osName      uint32
	osRelease   string
	id          string // the identity of the host it is the primary source of (hostID)
	uuidText    string
	os          string // OS name and release as shown
	hasParent   bool
	parentClass uint32
	parentIndex uint32
	jvm         bool
	http        bool
	memcache    bool
	appName     string
	localIPs    [maxLocalIPs]netip.Addr
	nLocalIPs   int
	macs        [maxMACs][6]byte
	nMACs       int
	hostMemory  bool // reports host_memory, which beats virt_memory and processor

	ifc ifaceFigures // an interface's own figures (devices.go)

	firstSeen  time.Time
	lastSeen   time.Time // last counter sample
	lastFlow   time.Time // last application flow sample (sources of app flows before their counters come)
	interval   time.Duration
	lastUptime uint32
	haveSeq    bool
	seq        uint32

	base baselines

	cur [numMetrics]float64 // latest values; NaN when not reported
	// The series of the metrics reported, side by side in one slice (ser[seriesOf[m]-1]; 0 for none): filling
	// a sample's series walks one block instead of a pointer per metric.
	seriesOf [numMetrics]uint8
	ser      []series // each counted against Options.MaxSeries

	hostSlot bool // counted against the bounds on hosts (it reports host_descr)

	// version counts changes; the publisher keeps the view it took last (pubView) while it does not change.
	version    uint64
	pubVersion uint64
	pubView    *sourceView
}

// A source's series are numbered in a uint8 (source.seriesOf).
var _ [255 - numMetrics]struct{}

// baselines are the previous counter records of a source, for deltas. A zero have* means no baseline.
type baselines struct {
	cpu       sflow.HostCPU
	haveCPU   bool
	disk      sflow.HostDiskIO
	haveDisk  bool
	net       sflow.HostNetIO
	haveNet   bool
	http      sflow.HTTPCounters
	haveHTTP  bool
	mc        sflow.MemcacheCounters
	haveMC    bool
	jvm       sflow.JVMStatistics
	haveJVM   bool
	vcpu      sflow.VirtCPU
	haveVCPU  bool
	vdisk     sflow.VirtDiskIO
	haveVDisk bool
	ifc       sflow.IfCounters
	haveIf    bool
}

func newSource(key sourceKey, now time.Time) *source {
	s := &source{key: key, firstSeen: now}
	for i := range s.cur {
		s.cur[i] = math.NaN()
	}
	return s
}

// role classifies the source from what it has reported.
func (s *source) role() sourceRole {
	switch {
	case s.hasDescr && !s.jvm:
		return roleHost
	case s.jvm || s.http || s.memcache || s.appName != "":
		return roleApp
	case s.key.class == sflow.DSClassIfIndex:
		return roleIface
	}
	return roleOther
}

// seen returns when the source last reported anything.
func (s *source) seen() time.Time {
	if s.lastFlow.After(s.lastSeen) {
		return s.lastFlow
	}
	return s.lastSeen
}

// pollInterval returns the measured counter polling interval, or def before two samples came.
func (s *source) pollInterval(def time.Duration) time.Duration {
	if s.interval > 0 {
		return s.interval
	}
	return def
}

// measureInterval averages iv, the time between two samples of one continuous sequence, into the polling
// interval. It is the agent's time (its uptime) where the agent sends one, not the time between arrivals: a
// capture replayed faster than it was made (or a burst after a stall) must not make the interval short, which
// would make every host stale, and then dropped, moments after the datagrams stop.
func (s *source) measureInterval(iv time.Duration) {
	if iv <= 0 {
		return
	}
	if s.interval == 0 {
		s.interval = iv
	} else {
		s.interval = (3*s.interval + iv) / 4
	}
}

// binner converts times to series bin numbers.
type binner struct {
	step   int64 // ns
	points int   // points of every series
}

func (b binner) bin(t time.Time) int64 { return floorDiv(t.UnixNano(), b.step) }

// start returns when bin begins.
func (b binner) start(bin int64) time.Time { return time.Unix(0, bin*b.step) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// span is the range of bins a counter sample's values stand for: from the bin after the previous sample to
// the bin of this one.
type span struct{ first, last int64 }

// counterSample applies one counters sample of the source, creating series within lim; its host_descr only
// when descr. It returns false when the sample was one applied already.
func (s *source) counterSample(d *sflow.Datagram, smp *sflow.Sample, now time.Time, b binner, lim *limits,
	descr bool) bool {
	if s.haveSeq && s.sub == d.SubAgentID && smp.SequenceNumber == s.seq {
		return false // the same sample again (a duplicated datagram)
	}
	// A sample sequence that goes back means the agent reset its counters; another sub-agent has its own.
	continuous := s.haveSeq && s.sub == d.SubAgentID && smp.SequenceNumber-s.seq < 1<<31
	var dt float64 // seconds since the previous sample
	if continuous {
		if up := d.Uptime - s.lastUptime; up > 0 && up < 1<<31 && d.Uptime > s.lastUptime {
			dt = float64(up) / 1000
		} else {
			dt = now.Sub(s.lastSeen).Seconds()
		}
		if dt <= 0 {
			continuous = false
		}
	}
	if !continuous {
		s.base = baselines{}
	}
	if continuous {
		s.measureInterval(time.Duration(dt * float64(time.Second)))
	}
	sp := span{first: b.bin(now), last: b.bin(now)}
	if !s.lastSeen.IsZero() && now.After(s.lastSeen) {
		if prev := b.bin(s.lastSeen); prev < sp.last {
			sp.first = prev + 1
		}
	}
	s.lastSeen = now
	s.sub = d.SubAgentID
	s.seq = smp.SequenceNumber
	s.haveSeq = true
	s.lastUptime = d.Uptime

	u := update{src: s, sp: sp, dt: dt, points: b.points, lim: lim}
	for i := range smp.Records {
		r := &smp.Records[i]
		switch r.Type {
		case sflow.RecHostDescr:
			if descr {
				s.descr(d.HostDescr(r))
			}
		case sflow.RecHostParent:
			if p := d.HostParent(r); p != nil {
				s.hasParent, s.parentClass, s.parentIndex = true, p.ContainerType, p.ContainerIndex
			}
		case sflow.RecHostAdapters:
			s.adapters(d.HostAdapters(r))
		case sflow.RecHostCPU:
			u.hostCPU(d.HostCPU(r))
		case sflow.RecHostMemory:
			u.hostMemory(d.HostMemory(r))
		case sflow.RecHostDiskIO:
			u.hostDisk(d.HostDiskIO(r))
		case sflow.RecHostNetIO:
			u.netIO(d.HostNetIO(r))
		case sflow.RecVirtCPU:
			u.virtCPU(d.VirtCPU(r))
		case sflow.RecVirtMemory:
			u.virtMemory(d.VirtMemory(r))
		case sflow.RecVirtDiskIO:
			u.virtDisk(d.VirtDiskIO(r))
		case sflow.RecHTTPCounters:
			s.http = true
			u.httpCounters(d.HTTPCounters(r))
		case sflow.RecMemcacheCounters:
			s.memcache = true
			u.memcacheCounters(d.MemcacheCounters(r))
		case sflow.RecJVMRuntime:
			s.jvm = true
		case sflow.RecJVMStatistics:
			s.jvm = true
			u.jvmStatistics(d.JVMStatistics(r))
		case sflow.RecAppOperations:
			if a := d.AppOperations(r); a != nil {
				s.appName = keepString(s.appName, a.Application, 32)
			}
		case sflow.RecIfCounters:
			u.ifCounters(d.IfCounters(r))
		case sflow.RecPortName:
			if p := d.PortName(r); p != nil {
				s.ifc.name = keepString(s.ifc.name, p.Name, maxIfName)
			}
		case sflow.RecProcessor:
			u.processor(d.Processor(r))
		}
	}
	return true
}

func (s *source) descr(h *sflow.HostDescr) {
	if h == nil {
		return
	}
	s.hasDescr = true
	s.hostname = keepString(s.hostname, h.Hostname, 64)
	if h.UUID != s.uuid || s.id == "" {
		s.uuid = h.UUID
		s.uuidText, s.id = "", s.key.addr.String()+"/"+strconv.FormatUint(uint64(s.key.class), 10)+":"+
			strconv.FormatUint(uint64(s.key.index), 10)
		if s.uuid != ([16]byte{}) {
			s.uuidText = sflow.UUIDString(s.uuid)
			s.id = s.key.addr.String() + "/" + s.uuidText
		}
	}
	if release := keepString(s.osRelease, h.OSRelease, 32); h.OSName != s.osName || release != s.osRelease ||
		s.os == "" {
		s.osName, s.osRelease, s.os = h.OSName, release, ""
		if int(s.osName) < len(osNames) && s.osName != 0 {
			s.os = osNames[s.osName]
		}
		if s.osRelease != "" {
			s.os += " " + s.osRelease
		}
	}
	if h.OSName == sflow.OSJava {
		s.jvm = true
	}
}

func (s *source) adapters(a *sflow.HostAdapters) {
	if a == nil {
		return
	}
	s.nMACs = 0
	for _, macs := range a.Adapters() {
		for i := range macs.Len() {
			if s.nMACs == maxMACs {
				return
			}
			s.macs[s.nMACs] = macs.At(i)
			s.nMACs++
		}
	}
}

// addLocalIP remembers an address the source's application serves on (socket local_ip).
func (s *source) addLocalIP(ip netip.Addr) {
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsLoopback() {
		return
	}
	for i := range s.nLocalIPs {
		if s.localIPs[i] == ip {
			return
		}
	}
	if s.nLocalIPs < maxLocalIPs {
		s.localIPs[s.nLocalIPs] = ip
		s.nLocalIPs++
	}
}

// keepString returns old when b spells it (no allocation), else a printable copy of b cut to max bytes.
func keepString(old string, b []byte, max int) string {
	if len(b) > max {
		b = b[:max]
	}
	if string(b) == old {
		return old
	}
	return printable(b)
}

// update applies the records of one counters sample to its source.
type update struct {
	src    *source
	sp     span
	dt     float64 // seconds since the previous sample; 0 when there is no previous sample to difference
	points int
	lim    *limits
}

// set records a value of metric m for the sample's span; ok false clears the current value.
func (u *update) set(m metric, v float64, ok bool) {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		u.src.cur[m] = math.NaN()
		return
	}
	u.src.cur[m] = v
	i := u.src.seriesOf[m]
	if i == 0 {
		if !take(&u.lim.series, u.lim.opt.MaxSeries) {
			u.lim.refusedSeries.Add(1)
			return
		}
		u.src.ser = append(u.src.ser, series{})
		i = uint8(len(u.src.ser))
		u.src.seriesOf[m] = i
	}
	u.src.ser[i-1].fill(u.sp.first, u.sp.last, v, u.points)
}

// rate records a counter delta as a per-second rate.
func (u *update) rate(m metric, delta float64, ok bool) {
	if !ok || u.dt <= 0 {
		u.set(m, 0, false)
		return
	}
	u.set(m, delta/u.dt, true)
}

func (u *update) rate32(m metric, prev, cur uint32, have bool) {
	d, st := delta32(prev, cur)
	u.rate(m, d, have && st == deltaOK)
}

func (u *update) rate64(m metric, prev, cur uint64, have bool) {
	d, st := delta64(prev, cur)
	u.rate(m, d, have && st == deltaOK)
}

func (u *update) hostCPU(c *sflow.HostCPU) {
	if c == nil {
		return
	}
	b := &u.src.base
	pct, ok := cpuUtilisation(&b.cpu, c)
	u.set(mCPU, pct, b.haveCPU && ok && u.dt > 0)
	u.set(mLoad1, float64(c.LoadOne), c.LoadOne >= 0)
	b.cpu, b.haveCPU = *c, true
}

func (u *update) hostMemory(m *sflow.HostMemory) {
	if m == nil {
		return
	}
	u.src.hostMemory = true
	total, ok := gauge64(m.Total)
	u.set(mMemTotal, total, ok)
	if !ok || total == 0 {
		u.set(mMemUsedPct, 0, false)
		return
	}
	free, ok := gauge64(m.Free)
	used := total - free
	// Buffers and page cache are reclaimable: not "used" (as free(1) counts it), when the agent knows them.
	for _, v := range [...]uint64{m.Buffers, m.Cached} {
		if g, known := gauge64(v); known {
			used -= g
		}
	}
	u.set(mMemUsedPct, 100*max(used, 0)/total, ok)
}

func (u *update) hostDisk(k *sflow.HostDiskIO) {
	if k == nil {
		return
	}
	b := &u.src.base
	u.rate64(mDiskRead, b.disk.BytesRead, k.BytesRead, b.haveDisk)
	u.rate64(mDiskWrite, b.disk.BytesWritten, k.BytesWritten, b.haveDisk)
	total, okT := gauge64(k.Total)
	free, okF := gauge64(k.Free)
	switch {
	case okT && okF && total > 0 && free <= total:
		u.set(mDiskUsedPct, 100*(total-free)/total, true)
	case k.PartMaxUsed >= 0:
		u.set(mDiskUsedPct, float64(k.PartMaxUsed)/100, true)
	default:
		u.set(mDiskUsedPct, 0, false)
	}
	b.disk, b.haveDisk = *k, true
}

func (u *update) netIO(n *sflow.HostNetIO) {
	if n == nil {
		return
	}
	b := &u.src.base
	u.rate64(mNetIn, b.net.BytesIn, n.BytesIn, b.haveNet)
	u.rate64(mNetOut, b.net.BytesOut, n.BytesOut, b.haveNet)
	b.net, b.haveNet = *n, true
}

func (u *update) virtCPU(c *sflow.VirtCPU) {
	if c == nil {
		return
	}
	b := &u.src.base
	d, st := delta32(b.vcpu.CPUTime, c.CPUTime)
	ok := b.haveVCPU && st == deltaOK && u.dt > 0 && c.NrVirtCPU > 0 && c.NrVirtCPU != sflow.Unavailable32
	pct := 0.0
	if ok {
		pct = 100 * d / (u.dt * 1000 * float64(c.NrVirtCPU))
	}
	// A host with host_cpu has the better figure; virt_cpu is a VM's or a JVM's own.
	if !b.haveCPU {
		u.set(mCPU, pct, ok)
	}
	b.vcpu, b.haveVCPU = *c, true
}

func (u *update) virtMemory(m *sflow.VirtMemory) {
	if m == nil || u.src.hostMemory {
		return // a host with host_memory reports the better figure
	}
	mem, ok1 := gauge64(m.Memory)
	limit, ok2 := gauge64(m.MaxMemory)
	if !u.src.jvm {
		u.set(mMemTotal, limit, ok2 && limit > 0)
	}
	u.set(mMemUsedPct, 100*mem/limit, ok1 && ok2 && limit > 0 && !u.src.jvm)
}

func (u *update) virtDisk(k *sflow.VirtDiskIO) {
	if k == nil {
		return
	}
	b := &u.src.base
	u.rate64(mDiskRead, b.vdisk.RdBytes, k.RdBytes, b.haveVDisk)
	u.rate64(mDiskWrite, b.vdisk.WrBytes, k.WrBytes, b.haveVDisk)
	capacity, ok1 := gauge64(k.Capacity)
	alloc, ok2 := gauge64(k.Allocation)
	u.set(mDiskUsedPct, 100*alloc/capacity, ok1 && ok2 && capacity > 0)
	b.vdisk, b.haveVDisk = *k, true
}

func (u *update) httpCounters(h *sflow.HTTPCounters) {
	if h == nil {
		return
	}
	b := &u.src.base
	p := &b.http
	have := b.haveHTTP
	methods := [...]struct {
		m         metric
		prev, cur uint32
	}{
		{mHTTPOptions, p.MethodOption, h.MethodOption}, {mHTTPGet, p.MethodGet, h.MethodGet},
		{mHTTPHead, p.MethodHead, h.MethodHead}, {mHTTPPost, p.MethodPost, h.MethodPost},
		{mHTTPPut, p.MethodPut, h.MethodPut}, {mHTTPDelete, p.MethodDelete, h.MethodDelete},
		{mHTTPTrace, p.MethodTrace, h.MethodTrace}, {mHTTPConnect, p.MethodConnect, h.MethodConnect},
		{mHTTPMethodOther, p.MethodOther, h.MethodOther},
		{mHTTPStatusOther, p.StatusOther, h.StatusOther}, {mHTTP1xx, p.Status1XX, h.Status1XX},
		{mHTTP2xx, p.Status2XX, h.Status2XX}, {mHTTP3xx, p.Status3XX, h.Status3XX},
		{mHTTP4xx, p.Status4XX, h.Status4XX}, {mHTTP5xx, p.Status5XX, h.Status5XX},
	}
	var total deltaSum
	for i, c := range methods {
		u.rate32(c.m, c.prev, c.cur, have)
		if i >= 9 { // the status classes add up to all requests
			total.add32(c.prev, c.cur)
		}
	}
	sum, ok := total.value()
	u.rate(mHTTPRequests, sum, have && ok)
	b.http, b.haveHTTP = *h, true
}

func (u *update) memcacheCounters(m *sflow.MemcacheCounters) {
	if m == nil {
		return
	}
	b := &u.src.base
	p := &b.mc
	have := b.haveMC
	var gets, hits, ops deltaSum
	hits.add32(p.GetHits, m.GetHits)
	gets.add32(p.GetHits, m.GetHits)
	gets.add32(p.GetMisses, m.GetMisses)
	for _, c := range [...][2]uint32{
		{p.GetHits, m.GetHits}, {p.GetMisses, m.GetMisses}, {p.CmdSet, m.CmdSet}, {p.CmdTouch, m.CmdTouch},
		{p.CmdFlush, m.CmdFlush}, {p.DeleteHits, m.DeleteHits}, {p.DeleteMisses, m.DeleteMisses},
		{p.IncrHits, m.IncrHits}, {p.IncrMisses, m.IncrMisses}, {p.DecrHits, m.DecrHits},
		{p.DecrMisses, m.DecrMisses}, {p.CASHits, m.CASHits}, {p.CASMisses, m.CASMisses},
		{p.CASBadval, m.CASBadval},
	} {
		ops.add32(c[0], c[1])
	}
	g, okG := gets.value()
	h, okH := hits.value()
	o, okO := ops.value()
	u.rate(mMemcacheGets, g, have && okG)
	u.rate(mMemcacheHits, h, have && okH)
	u.rate(mMemcacheOps, o, have && okO)
	items, ok := gauge32(m.CurrItems)
	u.set(mMemcacheItems, items, ok)
	conns, ok := gauge32(m.CurrConnections)
	u.set(mMemcacheConns, conns, ok)
	b.mc, b.haveMC = *m, true
}

func (u *update) jvmStatistics(j *sflow.JVMStatistics) {
	if j == nil {
		return
	}
	b := &u.src.base
	used, ok := gauge64(j.HeapUsed)
	u.set(mJVMHeapUsed, used, ok)
	limit, ok := gauge64(j.HeapMax)
	u.set(mJVMHeapMax, limit, ok && limit > 0) // the jmx agent sends 0 for "unknown"
	u.rate32(mJVMGC, b.jvm.GCCount, j.GCCount, b.haveJVM)
	u.rate32(mJVMGCTime, b.jvm.GCTime, j.GCTime, b.haveJVM)
	threads, ok := gauge32(j.ThreadsLive)
	u.set(mJVMThreads, threads, ok)
	committed, ok := gauge64(j.HeapCommitted)
	u.set(mJVMCommitted, committed, ok)
	fds, ok := gauge32(j.FDOpen)
	u.set(mJVMFDs, fds, ok && j.Len108) // the 92-byte record of older agents has no file descriptors
	b.jvm, b.haveJVM = *j, true
}

func (u *update) ifCounters(c *sflow.IfCounters) {
	if c == nil {
		return
	}
	b := &u.src.base
	p := &b.ifc
	u.rate64(mIfIn, p.InOctets, c.InOctets, b.haveIf)
	u.rate64(mIfOut, p.OutOctets, c.OutOctets, b.haveIf)
	var errs deltaSum
	errs.add32(p.InErrors, c.InErrors)
	errs.add32(p.OutErrors, c.OutErrors)
	errs.add32(p.InDiscards, c.InDiscards)
	errs.add32(p.OutDiscards, c.OutDiscards)
	e, ok := errs.value()
	u.rate(mIfErrors, e, b.haveIf && ok)
	in, out := u.src.cur[mIfIn], u.src.cur[mIfOut]
	speed, ok := gauge64(c.Speed)
	u.set(mIfUtilisation, 100*8*max(in, out)/speed, ok && speed > 0 && !math.IsNaN(in) && !math.IsNaN(out))
	u.ifaceFigures(p, c, b.haveIf)
	b.ifc, b.haveIf = *c, true
}

func (u *update) processor(p *sflow.Processor) {
	if p == nil || u.src.base.haveCPU || u.src.hostMemory {
		return // a host's host_cpu and host_memory are the better figures
	}
	u.set(mCPU, float64(p.CPU5s)/100, p.CPU5s >= 0)
	total, ok1 := gauge64(p.TotalMemory)
	free, ok2 := gauge64(p.FreeMemory)
	ok := ok1 && ok2 && total > 0 && free <= total
	u.set(mMemTotal, total, ok1 && total > 0)
	u.set(mMemUsedPct, 100*(total-free)/total, ok)
}
