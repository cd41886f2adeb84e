package sim

import (
	"math"
	"math/rand/v2"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// appCounters are an application agent's cumulative counters.
type appCounters struct {
	// mod-sflow
	methods          [sflow.HTTPMethodConnect + 1]cum
	status           [6]cum // 1XX..5XX, other
	delayed, dropped cum
	// memcached
	gets, getHits, getMisses, sets, touches, delHits, delMisses, incrHits, incrMisses cum
	conns, yields, evictions, reclaimed, bytesIn, bytesOut, rusageUser, rusageSys     cum
	// jmx
	gcCount, gcTime, compileMs, threadsStarted, classesUnloaded, cpuMs cum
}

// HTTP status classes: what a request's answer looks like, normally and in an ErrorSurge. The counters and the
// samples use the same fractions.
var (
	statusNormal = [6]float64{0, 0.905, 0.07, 0.023, 0.002, 0}
	statusSurge  = [6]float64{0, 0.905 * 0.68, 0.07 * 0.68, 0.023 * 0.68, 0.32, 0}
	// methodShare is the mix of request methods, indexed by http_method.
	methodShare = [sflow.HTTPMethodConnect + 1]float64{sflow.HTTPMethodOptions: 0.003, sflow.HTTPMethodGet: 0.9,
		sflow.HTTPMethodHead: 0.02, sflow.HTTPMethodPost: 0.065, sflow.HTTPMethodPut: 0.008,
		sflow.HTTPMethodDelete: 0.004}
)

// httpFlows plays one second of mod-sflow: the requests served, 1-in-N of them sampled as http_request +
// socket records in compact flow samples of data source 3:<port>.
func (f *Fleet) httpFlows(a *agent, ms int64, inc *plan) error {
	h := a.host
	surge := inc.kind == ErrorSurge && h.app == inc.app
	total := poisson(a.rng, f.opRate(h, ms, inc))
	shares := a.accountHTTP(float64(total), surge)
	n := poisson(a.rng, float64(total)/float64(h.prof.sampling))
	for range n {
		if err := f.httpSample(a, surge, shares); err != nil {
			return err
		}
	}
	return nil
}

// accountHTTP adds requests to the agent's counters and returns the status shares they were answered with.
func (a *agent) accountHTTP(requests float64, surge bool) *[6]float64 {
	a.pool.tick(requests)
	shares := &statusNormal
	if surge {
		shares = &statusSurge
		a.app.dropped.add(requests * 0.05)
		a.app.delayed.add(requests * 0.2)
	} else {
		a.app.delayed.add(requests * 0.001)
	}
	for i, s := range shares {
		a.app.status[i].add(requests * s)
	}
	for m, s := range methodShare {
		a.app.methods[m].add(requests * s)
	}
	return shares
}

// httpSample sends one sampled request.
func (f *Fleet) httpSample(a *agent, surge bool, shares *[6]float64) error {
	h, r, t := a.host, a.rng, &f.text
	var kind content
	var size uint64
	t.uri, kind, size = f.appendURI(t.uri[:0], h.app, a.zipf.Uint64())

	method := uint32(sflow.HTTPMethodGet)
	switch x := r.Float64(); {
	case kind == contentAPI && x < 0.3:
		method = sflow.HTTPMethodPost
	case kind == contentAPI && x < 0.32:
		method = sflow.HTTPMethodPut
	case kind == contentAPI && x < 0.33:
		method = sflow.HTTPMethodDelete
	case kind == contentAPI && x < 0.34:
		method = sflow.HTTPMethodOptions
	case x > 0.98:
		method = sflow.HTTPMethodHead
	}
	status := drawStatus(r, shares, kind, surge)

	respBytes := size
	switch {
	case status == 304 || method == sflow.HTTPMethodHead:
		respBytes = 0
	case status == 206:
		respBytes = size / 4
	case status >= 400:
		respBytes = 300 + uint64(r.IntN(400))
	}
	durUS := baseDuration(kind, size) * math.Exp(0.6*r.NormFloat64())
	if surge && status >= 500 {
		durUS *= 3 + 5*r.Float64()
	}
	reqBytes := uint64(350 + len(t.uri) + r.IntN(300))
	if method == sflow.HTTPMethodPost || method == sflow.HTTPMethodPut {
		reqBytes += 200 + uint64(r.IntN(4000))
	}
	protocol := uint32(1001) // HTTP/1.1
	if r.IntN(10) < 3 {
		protocol = 2000
	}

	clientRank := a.clients.Uint64()
	client := f.client(clientRank, h.Addr6.IsValid())
	local, remote := h.Addr, client
	if client.Is6() {
		local = h.Addr6
	}
	t.xff = t.xff[:0]
	if h.app == iImage {
		// Images are fetched by the CDN's edges on behalf of the client.
		remote = f.client(uint64(clientPool)+clientRank%64, false)
		t.xff = client.AppendTo(t.xff)
		local = h.Addr
	}
	t.referer = t.referer[:0]
	if x := r.IntN(10); x < 6 {
		t.referer = append(t.referer, "https://www.example.com"...)
		t.referer, _, _ = f.appendURI(t.referer, iWeb, uint64(x))
	} else if x < 8 {
		t.referer = append(t.referer, "https://www.google.com/"...)
	}

	pool := a.pool.sample(h.prof.sampling, a.flowSeq)
	if f.imp.dropSample(&a.drops) {
		return nil
	}
	a.flowSeq++
	s := f.pk.sample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: a.flowSeq,
		SourceIDClass: sflow.DSClassLogical, SourceIDIndex: h.prof.appPort, SamplingRate: h.prof.sampling,
		SamplePool: pool, Drops: a.drops, Output: sflow.Interface{Value: sflow.IfIndexInternal}})
	d := &f.pk.d
	d.AddHTTPRequest(s, sflow.HTTPRequest{Method: method, Protocol: protocol, URI: t.uri, Host: h.vhost,
		Referer: t.referer, UserAgent: userAgents[r.IntN(len(userAgents))], XFF: t.xff,
		MimeType: mimeTypes[kind], ReqBytes: reqBytes, RespBytes: respBytes, DurationUS: uint32(durUS),
		Status: int32(status)})
	d.AddSocket(s, sflow.Socket{Protocol: protoTCP, LocalIP: local, RemoteIP: remote, LocalPort: h.prof.appPort,
		RemotePort: ephemeral(r)})
	return f.pk.commit()
}

// drawStatus draws an HTTP status with the class shares given.
func drawStatus(r *rand.Rand, shares *[6]float64, kind content, surge bool) int {
	x := r.Float64()
	class := 1 // 2XX, should rounding leave x past the last share
	for c, s := range shares {
		if x < s {
			class = c
			break
		}
		x -= s
	}
	y := r.Float64()
	switch class { // an index of shares: 0 1XX, 1 2XX, 2 3XX, 3 4XX, 4 5XX
	case 1:
		if kind == contentJPEG && y < 0.05 {
			return 206
		}
		return 200
	case 2:
		if kind == contentPage || kind == contentAPI {
			return []int{301, 302, 302, 304}[r.IntN(4)]
		}
		return 304
	case 3:
		switch {
		case y < 0.8:
			return 404
		case y < 0.9:
			return 403
		}
		return 400
	case 4:
		if surge {
			switch {
			case y < 0.55:
				return 503
			case y < 0.75:
				return 500
			case y < 0.9:
				return 502
			}
			return 504
		}
		return []int{500, 502, 503}[r.IntN(3)]
	}
	return 200
}

// baseDuration is the median service time of a request, in µs.
func baseDuration(kind content, size uint64) float64 {
	switch kind {
	case contentPage:
		return 45_000
	case contentAPI:
		return 15_000
	case contentJPEG, contentWebP, contentPNG:
		return 4_000 + float64(size)/50 // 50 MB/s from disk or page cache
	}
	return 600
}

// ephemeral is a client's source port.
func ephemeral(r *rand.Rand) uint32 { return 32768 + uint32(r.IntN(28232)) }

// workerMax is Apache's MaxRequestWorkers.
const workerMax = 512

// httpCounters sends mod-sflow's counters sample: http_counters, app_workers and host_parent (2:1).
func (f *Fleet) httpCounters(a *agent, ms int64, inc *plan) error {
	h := a.host
	surge := inc.kind == ErrorSurge && h.app == inc.app
	rate := f.opRate(h, ms, inc)
	active := rate * baseDuration(contentPage, 0) / 1e6 * 0.6
	if surge {
		active *= 8
	}
	act := uint32(min(max(active*(1+0.1*noise(h.noise^2, ms)), 1), workerMax))
	idle := min(uint32(64), workerMax-act)
	m := &a.app.methods
	st := &a.app.status
	a.ctrSeq++
	s := f.pk.sample(sflow.Sample{Kind: sflow.SampleKindCounters, SequenceNumber: a.ctrSeq,
		SourceIDClass: sflow.DSClassLogical, SourceIDIndex: h.prof.appPort})
	d := &f.pk.d
	d.AddHTTPCounters(s, sflow.HTTPCounters{MethodOption: m[sflow.HTTPMethodOptions].u32(),
		MethodGet: m[sflow.HTTPMethodGet].u32(), MethodHead: m[sflow.HTTPMethodHead].u32(),
		MethodPost: m[sflow.HTTPMethodPost].u32(), MethodPut: m[sflow.HTTPMethodPut].u32(),
		MethodDelete: m[sflow.HTTPMethodDelete].u32(), MethodTrace: m[sflow.HTTPMethodTrace].u32(),
		MethodConnect: m[sflow.HTTPMethodConnect].u32(), MethodOther: m[sflow.HTTPMethodOther].u32(),
		Status1XX: st[0].u32(), Status2XX: st[1].u32(), Status3XX: st[2].u32(), Status4XX: st[3].u32(),
		Status5XX: st[4].u32(), StatusOther: st[5].u32()})
	d.AddAppWorkers(s, sflow.AppWorkers{Active: act, Idle: idle, Max: workerMax,
		ReqDelayed: a.app.delayed.u32(), ReqDropped: a.app.dropped.u32()})
	d.AddHostParent(s, sflow.HostParent{ContainerType: sflow.DSClassPhysical, ContainerIndex: 1})
	return f.pk.commit()
}

// The mix of memcache commands.
const (
	mcGetShare    = 0.80
	mcGetsShare   = 0.03
	mcSetShare    = 0.12
	mcDeleteShare = 0.02
	mcIncrShare   = 0.02
	mcTouchShare  = 0.01
)

// memcacheFlows plays one second of a memcached with the sFlow patch: its operations, 1-in-N sampled as
// memcache_operation + socket records in compact flow samples of data source 3:65537.
func (f *Fleet) memcacheFlows(a *agent, ms int64, inc *plan) error {
	h := a.host
	total := float64(poisson(a.rng, f.opRate(h, ms, inc)))
	hot := inc.kind == HotKey && inc.host == h.idx
	hitRatio, hotHit := h.hitBase, 0.0
	if hot {
		hotHit = hotKeyHitRatio(inc, ms)
		hitRatio = (1-hotKeyShare)*h.hitBase + hotKeyShare*hotHit
	}
	a.accountMemcache(total, hitRatio, hot, f.cpuBusy(h, ms, inc))
	n := poisson(a.rng, total/float64(h.prof.sampling))
	for range n {
		if err := f.memcacheSample(a, hot, inc, hotHit); err != nil {
			return err
		}
	}
	return nil
}

// accountMemcache adds operations (one second's worth, or the backlog since boot) to the agent's counters.
func (a *agent) accountMemcache(ops, hitRatio float64, hot bool, busy float64) {
	h, c := a.host, &a.app
	a.pool.tick(ops)
	if hot {
		c.evictions.add(ops * 0.02)
	} else {
		c.evictions.add(ops * 0.0005)
	}
	gets := ops * (mcGetShare + mcGetsShare)
	c.gets.add(gets)
	c.getHits.add(gets * hitRatio)
	c.getMisses.add(gets * (1 - hitRatio))
	c.sets.add(ops * mcSetShare)
	c.delHits.add(ops * mcDeleteShare * 0.7)
	c.delMisses.add(ops * mcDeleteShare * 0.3)
	c.incrHits.add(ops * mcIncrShare * 0.97)
	c.incrMisses.add(ops * mcIncrShare * 0.03)
	c.touches.add(ops * mcTouchShare)
	c.conns.add(ops * 0.0002)
	c.yields.add(ops * 0.00001)
	c.reclaimed.add(ops * 0.0001)
	c.bytesIn.add(ops * 90)
	c.bytesOut.add(gets * hitRatio * 2_500)
	seconds := ops / h.prof.rate
	c.rusageUser.add(busy * float64(h.cores) * 1000 * 0.5 * seconds)
	c.rusageSys.add(busy * float64(h.cores) * 1000 * 0.3 * seconds)
}

// memcacheSample sends one sampled memcache operation.
func (f *Fleet) memcacheSample(a *agent, hot bool, inc *plan, hotHit float64) error {
	h, r, t := a.host, a.rng, &f.text
	isHot := hot && r.Float64() < hotKeyShare
	var valueSize uint32
	if isHot {
		t.key, valueSize = hotKeyName(t.key[:0], inc.keyID), 120
	} else {
		t.key, valueSize = f.appendKey(t.key[:0], h.n, len(f.byApp[iMemcached]), a.zipf.Uint64())
	}
	hitRatio := h.hitBase
	if isHot {
		hitRatio = hotHit
	}
	op := sflow.MemcacheOp{Protocol: sflow.MemcacheProtoBinary, NKeys: 1, Key: t.key,
		DurationUS: uint32(20 + r.IntN(100) + int(valueSize/1000))}
	if h.ascii {
		op.Protocol = sflow.MemcacheProtoASCII
	}
	switch op.Cmd = drawCommand(r, isHot); op.Cmd {
	case sflow.MemcacheCmdGet, sflow.MemcacheCmdGets:
		if r.IntN(10) == 0 {
			op.NKeys = uint32(2 + r.IntN(19))
		}
		op.Status = sflow.MemcacheStatusNotFound
		if r.Float64() < hitRatio {
			op.Status, op.ValueBytes = sflow.MemcacheStatusOK, valueSize
		}
	case sflow.MemcacheCmdSet:
		op.Status, op.ValueBytes = sflow.MemcacheStatusStored, valueSize
	case sflow.MemcacheCmdDelete:
		op.Status = sflow.MemcacheStatusDeleted
		if r.IntN(10) < 3 {
			op.Status = sflow.MemcacheStatusNotFound
		}
	case sflow.MemcacheCmdIncr:
		op.Status, op.ValueBytes = sflow.MemcacheStatusOK, 8
	default:
		op.Status = sflow.MemcacheStatusOK
	}
	if isHot {
		op.DurationUS *= 3
	}

	clients := f.byApp[iWeb]
	if r.IntN(10) < 3 {
		clients = f.byApp[iImage]
	}
	peer := clients[r.IntN(len(clients))]
	proto := uint32(protoTCP)
	if r.IntN(50) == 0 {
		proto = protoUDP
	}

	pool := a.pool.sample(h.prof.sampling, a.flowSeq)
	if f.imp.dropSample(&a.drops) {
		return nil
	}
	a.flowSeq++
	s := f.pk.sample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: a.flowSeq,
		SourceIDClass: sflow.DSClassLogical, SourceIDIndex: dsMemcache, SamplingRate: h.prof.sampling,
		SamplePool: pool, Drops: a.drops, Output: sflow.Interface{Value: sflow.IfIndexInternal}}) // "I am the server"
	d := &f.pk.d
	d.AddMemcacheOp(s, op)
	d.AddSocket(s, sflow.Socket{Protocol: proto, LocalIP: h.Addr, RemoteIP: peer.Addr, LocalPort: 11211,
		RemotePort: ephemeral(r)})
	return f.pk.commit()
}

// drawCommand draws a memcache command from the mix; the hot key is only read (85%) and refilled (15%).
func drawCommand(r *rand.Rand, hot bool) uint32 {
	x := r.Float64()
	if hot {
		if x < 0.85 {
			return sflow.MemcacheCmdGet
		}
		return sflow.MemcacheCmdSet
	}
	for _, c := range [...]struct {
		cmd   uint32
		share float64
	}{{sflow.MemcacheCmdGet, mcGetShare}, {sflow.MemcacheCmdGets, mcGetsShare}, {sflow.MemcacheCmdSet, mcSetShare},
		{sflow.MemcacheCmdDelete, mcDeleteShare}, {sflow.MemcacheCmdIncr, mcIncrShare}} {
		if x < c.share {
			return c.cmd
		}
		x -= c.share
	}
	return sflow.MemcacheCmdTouch
}

// memcacheCounters sends memcached's counters sample: memcache_counters (2204), or the pre-2204 layout (2200)
// from hosts running the older patch.
func (f *Fleet) memcacheCounters(a *agent, ms int64, inc *plan) error {
	h, c := a.host, &a.app
	load := f.load(h, ms)
	limit := uint64(h.memGB-8) << 30
	if h.legacy {
		limit = 3 << 30 // a 32-bit limit_maxbytes
	}
	v := sflow.MemcacheCounters{Legacy: h.legacy, CmdSet: c.sets.u32(), GetHits: c.getHits.u32(),
		GetMisses: c.getMisses.u32(), DeleteHits: c.delHits.u32(), DeleteMisses: c.delMisses.u32(),
		IncrHits: c.incrHits.u32(), IncrMisses: c.incrMisses.u32(), Threads: 4, ConnYields: c.yields.u32(),
		CurrConnections: uint32(300 + 400*load), TotalConnections: c.conns.u32(),
		ConnectionStructures: uint32(330 + 400*load), Evictions: c.evictions.u32(),
		CurrItems: uint32(float64(limit) / 2_600), TotalItems: c.sets.u32(),
		BytesRead: c.bytesIn.v, BytesWritten: c.bytesOut.v, Bytes: limit / 100 * 92, LimitMaxbytes: limit}
	if h.legacy {
		v.Uptime = uint32((ms - a.bootMs) / 1000)
		v.RUsageUser, v.RUsageSystem = c.rusageUser.u32(), c.rusageSys.u32()
		v.CmdGet, v.AcceptingConns = c.gets.u32(), 1
	} else {
		v.CmdTouch, v.Reclaimed = c.touches.u32(), c.reclaimed.u32()
	}
	a.ctrSeq++
	s := f.pk.sample(sflow.Sample{Kind: sflow.SampleKindCounters, SequenceNumber: a.ctrSeq,
		SourceIDClass: sflow.DSClassLogical, SourceIDIndex: dsMemcache})
	f.pk.d.AddMemcacheCounters(s, v)
	return f.pk.commit()
}

var (
	jvmName    = []byte("OpenJDK 64-Bit Server VM")
	jvmVendor  = []byte("Eclipse Adoptium")
	jvmVersion = []byte("17.0.11+9")
	jvmRelease = []byte("17.0.11")
)

// jvmCounters sends jmx-sflow-agent's counters sample for data source 3:200000, alone in its datagram:
// host_descr (os_name java), host_parent, virt_cpu, virt_memory, jvm_runtime and jvm_statistics.
func (f *Fleet) jvmCounters(a *agent, ms int64, inc *plan) error {
	h, c := a.host, &a.app
	dt := float64(ms-a.lastCtrMs) / 1000
	if !a.started {
		a.started, dt = true, float64(ms-a.bootMs)/1000
	}
	a.lastCtrMs = ms
	load := f.load(h, ms)
	busy := f.cpuBusy(h, ms, inc)
	c.cpuMs.add(busy * float64(h.cores) * 1000 * 0.85 * dt)
	c.gcCount.add(dt * (0.2 + 0.6*load))
	c.gcTime.add(dt * (0.2 + 0.6*load) * 18)
	c.compileMs.add(dt * 2)
	c.threadsStarted.add(dt * 0.5)
	c.classesUnloaded.add(dt * 0.001)

	heapMax := uint64(min(31, h.memGB/2)) << 30
	committed := heapMax / 4 * 3
	// Heap use is a sawtooth: allocation fills it, a collection empties it.
	period := float64(45_000 + int64(mix(h.noise, 5)%30_000))
	phase := math.Mod(float64(ms)/period+unit(h.noise), 1)
	heapUsed := uint64(float64(committed) * (0.3 + 0.5*phase))
	nonHeapUsed := uint64(170<<20) + uint64(20<<20*unit(mix(h.noise, 6)))
	threads := uint32(120 + 80*load)

	a.ctrSeq++
	s := f.pk.sample(sflow.Sample{Kind: sflow.SampleKindCounters, SequenceNumber: a.ctrSeq,
		SourceIDClass: sflow.DSClassLogical, SourceIDIndex: dsJVM})
	d := &f.pk.d
	d.AddHostDescr(s, sflow.HostDescr{Hostname: h.name, UUID: h.jvmUUID, MachineType: 3, OSName: sflow.OSJava,
		OSRelease: jvmRelease})
	d.AddHostParent(s, sflow.HostParent{ContainerType: sflow.DSClassPhysical, ContainerIndex: 1})
	d.AddVirtCPU(s, sflow.VirtCPU{State: 1, CPUTime: c.cpuMs.u32(), NrVirtCPU: uint32(h.cores)})
	d.AddVirtMemory(s, sflow.VirtMemory{Memory: heapUsed + nonHeapUsed, MaxMemory: heapMax + 256<<20})
	d.AddJVMRuntime(s, sflow.JVMRuntime{Name: jvmName, Vendor: jvmVendor, Version: jvmVersion})
	classes := uint32(21_000 + mix(h.noise, 8)%2_000)
	d.AddJVMStatistics(s, sflow.JVMStatistics{HeapInitial: heapMax, HeapUsed: heapUsed, HeapCommitted: committed,
		HeapMax: heapMax, NonHeapInitial: 7_667_712, NonHeapUsed: nonHeapUsed, NonHeapCommitted: nonHeapUsed + 24<<20,
		GCCount: c.gcCount.u32(), GCTime: c.gcTime.u32(), ClassesLoaded: classes,
		ClassesTotal: classes + c.classesUnloaded.u32(), ClassesUnloaded: c.classesUnloaded.u32(),
		CompilationTime: c.compileMs.u32(), ThreadsLive: threads, ThreadsDaemon: threads * 3 / 5,
		ThreadsStarted: 400 + c.threadsStarted.u32(), FDOpen: 900 + threads*2, FDMax: 65_535, Len108: true})
	return f.pk.commit()
}
