package sim

import (
	"math"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// hostCounters are the cumulative counters hsflowd reads from /proc, kept per host.
type hostCounters struct {
	started                                               bool
	lastMs                                                int64
	user, nice, system, idle, wio, intr, sintr            cum // ms of CPU time
	interrupts, contexts                                  cum
	pageIn, pageOut, swapIn, swapOut                      cum
	reads, writes, bytesRead, bytesWritten                cum
	readTime, writeTime                                   cum
	bytesIn, bytesOut, pktsIn, pktsOut, dropsIn           cum
	tcpActive, tcpPassive, tcpFails, tcpResets, tcpRetran cum
	udpIn, udpOut, udpNoPorts, icmpIn, icmpOut            cum
}

// hostCounters sends hsflowd's expanded counters sample for the physical host (2:1): host_descr, adapters,
// cpu, memory, disk, network and the MIB-2 IP, ICMP, TCP and UDP groups.
func (f *Fleet) hostCounters(a *agent, ms int64, inc *plan) error {
	h := a.host
	c := &h.ctr
	uptimeS := float64(ms-a.bootMs) / 1000
	dt := float64(ms-c.lastMs) / 1000
	if !c.started {
		// Counters have been running since boot: start them where an average day would have left them.
		c.started, dt = true, uptimeS
	}
	c.lastMs = ms

	busy := f.cpuBusy(h, ms, inc)
	cpuMs := float64(h.cores) * dt * 1000
	wio := 0.02
	if h.app == iDB {
		wio = 0.07
	}
	sintr := 0.05
	if h.app == iMemcached {
		sintr = 0.12
	}
	c.user.add(cpuMs * busy * (0.72 - wio - sintr))
	c.system.add(cpuMs * busy * 0.2)
	c.nice.add(cpuMs * busy * 0.01)
	c.wio.add(cpuMs * busy * wio)
	c.intr.add(cpuMs * busy * 0.07)
	c.sintr.add(cpuMs * busy * sintr)
	c.idle.add(cpuMs * (1 - busy))

	send, recv := f.sendBps(h, ms, inc), f.recvBps(h, ms, inc)
	ppsOut, ppsIn := send/h.pktSize, recv/400
	c.interrupts.add(dt * (1500*float64(h.cores) + (ppsIn+ppsOut)/8))
	c.contexts.add(dt * (4000*float64(h.cores) + h.prof.rate*f.load(h, ms)*3))
	c.bytesOut.add(send * dt)
	c.bytesIn.add(recv * dt)
	c.pktsOut.add(ppsOut * dt)
	c.pktsIn.add(ppsIn * dt)
	c.dropsIn.add(ppsIn * dt * 1e-6)
	conns := ppsIn / 40 // connections per second
	c.tcpPassive.add(conns * dt)
	c.tcpActive.add(conns * dt * 0.2)
	c.tcpFails.add(conns * dt * 0.001)
	c.tcpResets.add(conns * dt * 0.004)
	c.tcpRetran.add(ppsOut * dt * 0.002)
	c.udpIn.add(dt * 30)
	c.udpOut.add(dt * 30)
	c.udpNoPorts.add(dt * 0.5)
	c.icmpIn.add(dt * 2)
	c.icmpOut.add(dt * 2)

	diskRate := h.prof.diskWrites * f.load(h, ms)
	c.writes.add(diskRate * dt)
	c.reads.add(diskRate * 0.6 * dt)
	c.bytesWritten.add(diskRate * 24_000 * dt)
	c.bytesRead.add(diskRate * 0.6 * 48_000 * dt)
	c.writeTime.add(diskRate * 0.6 * dt)
	c.readTime.add(diskRate * 0.6 * 0.3 * dt)
	c.pageOut.add(diskRate * 6 * dt)
	c.pageIn.add(diskRate * 0.6 * 12 * dt)
	c.swapOut.add(dt * 0.01)
	c.swapIn.add(dt * 0.01)

	total := uint64(h.memGB) << 30
	used := 0.35 + 0.2*busy
	switch h.app {
	case iMemcached:
		used = 0.86
	case iDB:
		used = 0.78
	case iSearch:
		used = 0.62
	}
	spare := float64(total) * (1 - used)
	diskTotal := uint64(960) << 30
	if h.app == iDB {
		diskTotal = 8 << 40
	}
	fillFrac := 0.35 + 0.1*unit(mix(h.noise, 7)) + uptimeS/(3e8)
	diskFree := uint64(float64(diskTotal) * (1 - fillFrac))

	// load averages follow the busy fraction with 1, 5 and 15 minute lags.
	loadAt := func(lag int64) float32 {
		p := f.planAt(ms - lag)
		return float32(math.Round(float64(h.cores)*f.cpuBusy(h, ms-lag, &p)*100) / 100)
	}

	a.ctrSeq++
	s := f.pk.sample(sflow.Sample{Kind: sflow.SampleKindCounters, Expanded: true, SequenceNumber: a.ctrSeq,
		SourceIDClass: sflow.DSClassPhysical, SourceIDIndex: 1})
	d := &f.pk.d
	d.AddHostDescr(s, sflow.HostDescr{Hostname: h.name, UUID: h.uuid, MachineType: 3, OSName: sflow.OSLinux,
		OSRelease: h.release})
	d.AddHostAdapters(s, h.adapters)
	load1 := loadAt(0)
	d.AddHostCPU(s, sflow.HostCPU{LoadOne: load1, LoadFive: loadAt(150_000), LoadFifteen: loadAt(450_000),
		ProcRun: uint32(math.Ceil(float64(load1))), ProcTotal: uint32(280 + 8*h.cores + int(20*noise(h.noise^1, ms))),
		CPUNum: uint32(h.cores), CPUSpeed: uint32(h.cpuMHz), Uptime: uint32(uptimeS),
		User: c.user.u32(), Nice: c.nice.u32(), System: c.system.u32(), Idle: c.idle.u32(), WIO: c.wio.u32(),
		Intr: c.intr.u32(), SoftIntr: c.sintr.u32(), Interrupts: c.interrupts.u32(), Contexts: c.contexts.u32(),
		Len80: true})
	d.AddHostMemory(s, sflow.HostMemory{Total: total, Free: uint64(spare * 0.45), Shared: total / 200,
		Buffers: total / 100, Cached: uint64(spare * 0.5), SwapTotal: 8 << 30, SwapFree: 8<<30 - 64<<20,
		PageIn: c.pageIn.u32(), PageOut: c.pageOut.u32(), SwapIn: c.swapIn.u32(), SwapOut: c.swapOut.u32()})
	d.AddHostDiskIO(s, sflow.HostDiskIO{Total: diskTotal, Free: diskFree,
		PartMaxUsed: int32(min(fillFrac+0.12, 0.99) * 10_000), Reads: c.reads.u32(), BytesRead: c.bytesRead.v,
		ReadTime: c.readTime.u32(), Writes: c.writes.u32(), BytesWritten: c.bytesWritten.v,
		WriteTime: c.writeTime.u32()})
	d.AddHostNetIO(s, sflow.HostNetIO{BytesIn: c.bytesIn.v, PktsIn: c.pktsIn.u32(), DropsIn: c.dropsIn.u32(),
		BytesOut: c.bytesOut.v, PktsOut: c.pktsOut.u32()})
	icmpIn, icmpOut := c.icmpIn.u32(), c.icmpOut.u32()
	ipIn := c.pktsIn.u32()
	d.AddMIB2IP(s, sflow.MIB2IP{V: [19]uint32{2, 64, ipIn, 0, 0, 0, 0, c.dropsIn.u32(), ipIn, c.pktsOut.u32()}})
	d.AddMIB2ICMP(s, sflow.MIB2ICMP{V: [25]uint32{0: icmpIn, 2: icmpIn / 2, 7: icmpIn / 2, 12: icmpOut,
		14: icmpOut / 2, 20: icmpOut / 2}})
	estab := uint32(conns*8) + 20
	d.AddMIB2TCP(s, sflow.MIB2TCP{V: [15]uint32{1, 200, 120_000, sflow.Unavailable32, c.tcpActive.u32(),
		c.tcpPassive.u32(), c.tcpFails.u32(), c.tcpResets.u32(), estab, ipIn - c.udpIn.u32() - icmpIn,
		c.pktsOut.u32() - c.udpOut.u32() - icmpOut, c.tcpRetran.u32(), 0, c.tcpResets.u32() * 3, 0}})
	d.AddMIB2UDP(s, sflow.MIB2UDP{V: [7]uint32{c.udpIn.u32(), c.udpNoPorts.u32(), 0, c.udpOut.u32()}})
	return f.pk.commit()
}
