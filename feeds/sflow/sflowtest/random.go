// Package sflowtest draws random sFlow v5 datagrams for tests and fuzz targets: valid datagrams of every sample
// and record kind package sflow knows, which encode without error and decode back to the same values. It is a
// test helper; the product binary does not import it.
package sflowtest

import (
	"math/rand/v2"
	"net/netip"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// The record types package sflow knows, in its order: flow records are RecSampledHeader..lastFlowRecord, counter
// records RecIfCounters..lastCounterRecord. TestRoundTripRandomDatagrams fails when a new one is never drawn.
const (
	lastFlowRecord    = sflow.RecExtWifiTx
	lastCounterRecord = sflow.RecPFC
)

// RandomDatagram returns a valid datagram of random content drawn from r: up to 6 samples of every kind (flow,
// counters, discard, and now and then one this package does not know), compact or expanded where the values fit,
// each with up to 6 records of random types among all the flow or counter records the package knows (and now
// and then an unknown one), strings within their spec limits, addresses of the family each field needs. What it
// returns encodes without error and decodes back to the same values. The same r state gives the same datagram.
func RandomDatagram(r *rand.Rand) *sflow.Datagram {
	d := new(sflow.Datagram)
	FillRandomDatagram(r, d)
	return d
}

// FillRandomDatagram is RandomDatagram into an existing Datagram (reset first), reusing its allocations.
func FillRandomDatagram(r *rand.Rand, d *sflow.Datagram) {
	d.Reset()
	d.AgentAddr = randAddr(r)
	d.SubAgentID = r.Uint32()
	d.SequenceNumber = r.Uint32()
	d.Uptime = r.Uint32()
	for n := r.IntN(7); n > 0; n-- {
		randSample(r, d)
	}
}

// randSample appends one random sample with its records to d.
func randSample(r *rand.Rand, d *sflow.Datagram) {
	s := sflow.Sample{SequenceNumber: r.Uint32(), Expanded: r.IntN(2) == 0}
	switch k := r.IntN(20); {
	case k < 9:
		s.Kind = sflow.SampleKindFlow
	case k < 17:
		s.Kind = sflow.SampleKindCounters
	case k < 19:
		s.Kind = sflow.SampleKindDiscard
		s.Expanded = true // the discard layout has explicit source id words
	default:
		// A sample this package does not know: a vendor's enterprise, any body.
		s.Expanded, s.SequenceNumber = false, 0
		s.Enterprise = 1 + r.Uint32N(0xFFFFF)
		s.Format = r.Uint32N(0x1000)
		s.Data = randBytes(r, 64, true)
		d.AddSample(s)
		return
	}
	if s.Expanded {
		s.SourceIDClass, s.SourceIDIndex = r.Uint32(), r.Uint32()
	} else {
		s.SourceIDClass, s.SourceIDIndex = r.Uint32N(256), r.Uint32N(1<<24)
	}
	switch s.Kind {
	case sflow.SampleKindFlow:
		s.SamplingRate, s.SamplePool, s.Drops = r.Uint32(), r.Uint32(), r.Uint32()
		if s.Expanded {
			s.Input = sflow.Interface{Format: r.Uint32(), Value: r.Uint32()}
			s.Output = sflow.Interface{Format: r.Uint32(), Value: r.Uint32()}
		} else {
			s.Input = sflow.Interface{Format: r.Uint32N(4), Value: r.Uint32N(1 << 30)}
			s.Output = sflow.Interface{Format: r.Uint32N(4), Value: r.Uint32N(1 << 30)}
		}
	case sflow.SampleKindDiscard:
		s.Drops, s.DropReason = r.Uint32(), r.Uint32()
		s.Input, s.Output = sflow.Interface{Value: r.Uint32()}, sflow.Interface{Value: r.Uint32()}
	}
	sp := d.AddSample(s)
	for n := r.IntN(7); n > 0; n-- {
		if r.IntN(12) == 0 {
			d.AddUnknownRecord(sp, 5000+r.Uint32N(0xFFFFF-5000), r.Uint32N(0x1000), randBytes(r, 48, true))
			continue
		}
		if s.Kind == sflow.SampleKindCounters {
			randCounterRecord(r, d, sp)
		} else {
			randFlowRecord(r, d, sp)
		}
	}
}

// randFlowRecord appends one random flow record of a random known type to s.
func randFlowRecord(r *rand.Rand, d *sflow.Datagram, s *sflow.Sample) {
	switch sflow.RecordType(1 + r.IntN(int(lastFlowRecord))) {
	case sflow.RecSampledHeader:
		d.AddSampledHeader(s, randSampledHeader(r))
	case sflow.RecSampledEthernet:
		rec := d.AddSampledEthernet(s, sflow.SampledEthernet{Length: r.Uint32(), SrcMAC: randMAC(r), DstMAC: randMAC(r),
			Type: r.Uint32()})
		rec.Format = pickOf(r, sflow.FlowSampledEthernet, sflow.FlowExtL2TunnelEgress, sflow.FlowExtL2TunnelIngress)
	case sflow.RecSampledIPv4:
		rec := d.AddSampledIPv4(s, randSampledIP(r, false))
		rec.Format = pickOf(r, sflow.FlowSampledIPv4, sflow.FlowExtIPv4TunnelEgr, sflow.FlowExtIPv4TunnelIngr)
	case sflow.RecSampledIPv6:
		rec := d.AddSampledIPv6(s, randSampledIP(r, true))
		rec.Format = pickOf(r, sflow.FlowSampledIPv6, sflow.FlowExtIPv6TunnelEgr, sflow.FlowExtIPv6TunnelIngr)
	case sflow.RecExtSwitch:
		d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: r.Uint32N(4096), SrcPriority: r.Uint32N(8), DstVLAN: r.Uint32(),
			DstPriority: r.Uint32()})
	case sflow.RecExtRouter:
		d.AddExtRouter(s, sflow.ExtRouter{NextHop: randAddrOrNone(r), SrcMaskLen: r.Uint32N(129), DstMaskLen: r.Uint32N(129)})
	case sflow.RecExtGateway:
		g := sflow.ExtGateway{NextHop: randAddrOrNone(r), AS: r.Uint32(), SrcAS: r.Uint32(), SrcPeerAS: r.Uint32(),
			LocalPref: r.Uint32()}
		for n := r.IntN(4); n > 0; n-- {
			asns := make([]uint32, r.IntN(6))
			for i := range asns {
				asns[i] = r.Uint32()
			}
			g.AddASPathSegment(1+r.Uint32N(2), asns...)
		}
		for n := r.IntN(5); n > 0; n-- {
			g.AddCommunity(r.Uint32())
		}
		d.AddExtGateway(s, g)
	case sflow.RecExtUser:
		d.AddExtUser(s, sflow.ExtUser{SrcCharset: 106, SrcUser: randBytes(r, 64, false), DstCharset: r.Uint32(),
			DstUser: randBytes(r, 64, false)})
	case sflow.RecExtURL:
		d.AddExtURL(s, sflow.ExtURL{Direction: 1 + r.Uint32N(2), URL: randBytes(r, 255, false),
			Host: randBytes(r, 64, false)})
	case sflow.RecU32:
		d.AddU32(s, pickOf(r, sflow.FlowExtDecapEgress, sflow.FlowExtDecapIngress, sflow.FlowExtVNIEgress,
			sflow.FlowExtVNIIngress, sflow.FlowEgressQueue, sflow.FlowTransitDelay, sflow.FlowQueueDepth),
			sflow.U32Record{Value: r.Uint32()})
	case sflow.RecExtACL:
		d.AddExtACL(s, sflow.ExtACL{Number: r.Uint32(), Name: randBytes(r, 64, false), Direction: r.Uint32N(3)})
	case sflow.RecString:
		d.AddString(s, pickOf(r, sflow.FlowExtFunction, sflow.FlowLinuxDropReason),
			sflow.StringRecord{Value: randBytes(r, 64, false)})
	case sflow.RecHWTrap:
		d.AddHWTrap(s, sflow.HWTrap{Group: randBytes(r, 32, false), Trap: randBytes(r, 32, false)})
	case sflow.RecTimestamp:
		d.AddTimestamp(s, sflow.Timestamp{Nanos: r.Uint64()})
	case sflow.RecSocket:
		six := r.IntN(2) == 0
		d.AddSocket(s, sflow.Socket{Proxy: r.IntN(2) == 0, Protocol: pickOf(r, 6, 17), LocalIP: randAddrOf(r, six),
			RemoteIP: randAddrOf(r, six), LocalPort: r.Uint32N(65536), RemotePort: r.Uint32N(65536)})
	case sflow.RecMemcacheOp:
		d.AddMemcacheOp(s, sflow.MemcacheOp{Protocol: r.Uint32N(3), Cmd: r.Uint32N(17), Key: randBytes(r, 255, false),
			NKeys: r.Uint32(), ValueBytes: r.Uint32(), DurationUS: r.Uint32(), Status: r.Uint32N(10)})
	case sflow.RecHTTPRequest:
		v := sflow.HTTPRequest{Legacy: r.IntN(3) == 0, Method: r.Uint32N(9), Protocol: pickOf(r, 1000, 1001, 2000),
			URI: randBytes(r, 255, false), Host: randBytes(r, 64, false), Referer: randBytes(r, 255, false),
			UserAgent: randBytes(r, 128, false), AuthUser: randBytes(r, 32, false), MimeType: randBytes(r, 64, false),
			RespBytes: r.Uint64(), DurationUS: r.Uint32(), Status: int32(r.Uint32())}
		if !v.Legacy {
			v.XFF, v.ReqBytes = randBytes(r, 64, false), r.Uint64()
		}
		d.AddHTTPRequest(s, v)
	case sflow.RecProxyRequest:
		d.AddProxyRequest(s, sflow.ProxyRequest{URI: randBytes(r, 255, false), Host: randBytes(r, 64, false)})
	case sflow.RecAppOperation:
		d.AddAppOperation(s, sflow.AppOperation{Context: randAppContext(r), StatusDescr: randBytes(r, 64, false),
			ReqBytes: r.Uint64(), RespBytes: r.Uint64(), DurationUS: r.Uint32(), Status: r.Uint32N(11)})
	case sflow.RecAppContext:
		d.AddAppContext(s, randAppContext(r))
	case sflow.RecAppActor:
		d.AddAppActor(s, sflow.AppActor{Target: r.IntN(2) == 0, Actor: randBytes(r, 64, false)})
	case sflow.RecTCPInfo:
		var v sflow.TCPInfo
		fillU32s(r, &v.Dirn, &v.SndMSS, &v.RcvMSS, &v.Unacked, &v.Lost, &v.Retrans, &v.PMTU, &v.RTT, &v.RTTVar,
			&v.SndCwnd, &v.Reordering, &v.MinRTT)
		d.AddTCPInfo(s, v)
	case sflow.RecEntities:
		var v sflow.Entities
		fillU32s(r, &v.SrcClass, &v.SrcIndex, &v.DstClass, &v.DstIndex)
		d.AddEntities(s, v)
	case sflow.RecExtMPLS:
		d.AddExtMPLS(s, sflow.ExtMPLS{NextHop: randAddrOrNone(r), InStack: randWords(r, 4), OutStack: randWords(r, 4)})
	case sflow.RecExtNAT:
		d.AddExtNAT(s, sflow.ExtNAT{Src: randAddrOrNone(r), Dst: randAddrOrNone(r)})
	case sflow.RecExtMPLSTunnel:
		d.AddExtMPLSTunnel(s, pickOf(r, sflow.FlowExtMPLSTunnel, sflow.FlowExtMPLSVC),
			sflow.ExtMPLSTunnel{Name: randBytes(r, 100, false), ID: r.Uint32(), COS: r.Uint32N(8)})
	case sflow.RecExtMPLSFTN:
		d.AddExtMPLSFTN(s, sflow.ExtMPLSFTN{Descr: randBytes(r, 100, false), Mask: r.Uint32()})
	case sflow.RecExtVLANTunnel:
		d.AddExtVLANTunnel(s, sflow.ExtVLANTunnel{Stack: randWords(r, 3)})
	case sflow.RecExtWifiPayload:
		d.AddExtWifiPayload(s, sflow.ExtWifiPayload{CipherSuite: 0x000FAC00 | r.Uint32N(7), Header: randSampledHeader(r)})
	case sflow.RecExtWifiRx:
		d.AddExtWifiRx(s, sflow.ExtWifiRx{SSID: randBytes(r, 32, false), BSSID: randMAC(r), Version: 1 + r.Uint32N(4),
			Channel: r.Uint32N(200), Speed: r.Uint64(), RSNI: r.Uint32(), RCPI: r.Uint32(), PacketDurationUS: r.Uint32()})
	case sflow.RecExtWifiTx:
		d.AddExtWifiTx(s, sflow.ExtWifiTx{SSID: randBytes(r, 32, false), BSSID: randMAC(r), Version: 1 + r.Uint32N(4),
			Transmissions: r.Uint32N(8), PacketDurationUS: r.Uint32(), RetransDurationUS: r.Uint32(),
			Channel: r.Uint32N(200), Speed: r.Uint64(), PowerMW: r.Uint32()})
	}
}

// randWords is a list of up to max random words (label or VLAN stack entries).
func randWords(r *rand.Rand, max int) sflow.Words {
	vs := make([]uint32, r.IntN(max+1))
	fillU32Array(r, vs)
	return sflow.NewWords(vs...)
}

// randCounterRecord appends one random counter record of a random known type to s.
func randCounterRecord(r *rand.Rand, d *sflow.Datagram, s *sflow.Sample) {
	switch sflow.RecordType(int(sflow.RecIfCounters) + r.IntN(int(lastCounterRecord-sflow.RecIfCounters+1))) {
	case sflow.RecIfCounters:
		v := sflow.IfCounters{Speed: r.Uint64(), InOctets: r.Uint64(), OutOctets: r.Uint64()}
		fillU32s(r, &v.Index, &v.Type, &v.Direction, &v.Status, &v.InUcastPkts, &v.InMulticastPkts,
			&v.InBroadcastPkts, &v.InDiscards, &v.InErrors, &v.InUnknownProtos, &v.OutUcastPkts, &v.OutMulticastPkts,
			&v.OutBroadcastPkts, &v.OutDiscards, &v.OutErrors, &v.PromiscuousMode)
		d.AddIfCounters(s, v)
	case sflow.RecEthernetCounters:
		var v sflow.EthernetCounters
		fillU32s(r, &v.AlignmentErrors, &v.FCSErrors, &v.SingleCollisionFrames, &v.MultipleCollisionFrames,
			&v.SQETestErrors, &v.DeferredTransmissions, &v.LateCollisions, &v.ExcessiveCollisions,
			&v.InternalMacTransmitErrors, &v.CarrierSenseErrors, &v.FrameTooLongs, &v.InternalMacReceiveErrors,
			&v.SymbolErrors)
		d.AddEthernetCounters(s, v)
	case sflow.RecVLANCounters:
		v := sflow.VLANCounters{VLANID: r.Uint32N(4096), Octets: r.Uint64()}
		fillU32s(r, &v.UcastPkts, &v.MulticastPkts, &v.BroadcastPkts, &v.Discards)
		d.AddVLANCounters(s, v)
	case sflow.RecLACPCounters:
		v := sflow.LACPCounters{ActorSystemID: randMAC(r), PartnerSystemID: randMAC(r), AttachedAggID: r.Uint32(),
			ActorAdminPortState: uint8(r.Uint32()), ActorOperPortState: uint8(r.Uint32()),
			PartnerAdminPortState: uint8(r.Uint32()), PartnerOperPortState: uint8(r.Uint32())}
		fillU32s(r, &v.LACPDUsRx, &v.MarkerPDUsRx, &v.MarkerResponsePDUsRx, &v.UnknownRx, &v.IllegalRx,
			&v.LACPDUsTx, &v.MarkerPDUsTx, &v.MarkerResponsePDUsTx)
		d.AddLACPCounters(s, v)
	case sflow.RecProcessor:
		d.AddProcessor(s, sflow.Processor{CPU5s: randPercent(r), CPU1m: randPercent(r), CPU5m: randPercent(r),
			TotalMemory: r.Uint64(), FreeMemory: r.Uint64()})
	case sflow.RecOpenFlowPort:
		d.AddOpenFlowPort(s, sflow.OpenFlowPort{DatapathID: r.Uint64(), PortNo: r.Uint32()})
	case sflow.RecPortName:
		d.AddPortName(s, sflow.PortName{Name: randBytes(r, 255, false)})
	case sflow.RecHostDescr:
		v := sflow.HostDescr{Hostname: randBytes(r, 64, false), MachineType: r.Uint32N(13), OSName: r.Uint32N(14),
			OSRelease: randBytes(r, 32, false)}
		for i := range v.UUID {
			v.UUID[i] = byte(r.Uint32())
		}
		d.AddHostDescr(s, v)
	case sflow.RecHostAdapters:
		var v sflow.HostAdapters
		for n := r.IntN(4); n > 0; n-- {
			macs := make([][6]byte, r.IntN(3))
			for i := range macs {
				macs[i] = randMAC(r)
			}
			v.AddAdapter(r.Uint32(), macs...)
		}
		d.AddHostAdapters(s, v)
	case sflow.RecHostParent:
		d.AddHostParent(s, sflow.HostParent{ContainerType: r.Uint32N(4), ContainerIndex: r.Uint32()})
	case sflow.RecHostCPU:
		v := sflow.HostCPU{LoadOne: randLoad(r), LoadFive: randLoad(r), LoadFifteen: randLoad(r), Len80: r.IntN(3) > 0}
		fillU32s(r, &v.ProcRun, &v.ProcTotal, &v.CPUNum, &v.CPUSpeed, &v.Uptime, &v.User, &v.Nice, &v.System,
			&v.Idle, &v.WIO, &v.Intr, &v.SoftIntr, &v.Interrupts, &v.Contexts)
		if v.Len80 {
			fillU32s(r, &v.Steal, &v.Guest, &v.GuestNice)
		}
		d.AddHostCPU(s, v)
	case sflow.RecHostMemory:
		v := sflow.HostMemory{Total: r.Uint64(), Free: r.Uint64(), Shared: r.Uint64(), Buffers: r.Uint64(),
			Cached: r.Uint64(), SwapTotal: r.Uint64(), SwapFree: r.Uint64()}
		fillU32s(r, &v.PageIn, &v.PageOut, &v.SwapIn, &v.SwapOut)
		d.AddHostMemory(s, v)
	case sflow.RecHostDiskIO:
		d.AddHostDiskIO(s, sflow.HostDiskIO{Total: r.Uint64(), Free: r.Uint64(), PartMaxUsed: randPercent(r),
			Reads: r.Uint32(), BytesRead: r.Uint64(), ReadTime: r.Uint32(), Writes: r.Uint32(),
			BytesWritten: r.Uint64(), WriteTime: r.Uint32()})
	case sflow.RecHostNetIO:
		v := sflow.HostNetIO{Virt: r.IntN(2) == 0, BytesIn: r.Uint64(), BytesOut: r.Uint64()}
		fillU32s(r, &v.PktsIn, &v.ErrsIn, &v.DropsIn, &v.PktsOut, &v.ErrsOut, &v.DropsOut)
		d.AddHostNetIO(s, v)
	case sflow.RecMIB2IP:
		var v sflow.MIB2IP
		fillU32Array(r, v.V[:])
		d.AddMIB2IP(s, v)
	case sflow.RecMIB2ICMP:
		var v sflow.MIB2ICMP
		fillU32Array(r, v.V[:])
		d.AddMIB2ICMP(s, v)
	case sflow.RecMIB2TCP:
		var v sflow.MIB2TCP
		fillU32Array(r, v.V[:])
		d.AddMIB2TCP(s, v)
	case sflow.RecMIB2UDP:
		var v sflow.MIB2UDP
		fillU32Array(r, v.V[:])
		d.AddMIB2UDP(s, v)
	case sflow.RecVirtNode:
		d.AddVirtNode(s, sflow.VirtNode{MHz: r.Uint32(), CPUs: r.Uint32(), Memory: r.Uint64(), MemoryFree: r.Uint64(),
			NumDomains: r.Uint32()})
	case sflow.RecVirtCPU:
		d.AddVirtCPU(s, sflow.VirtCPU{State: r.Uint32N(7), CPUTime: r.Uint32(), NrVirtCPU: r.Uint32()})
	case sflow.RecVirtMemory:
		d.AddVirtMemory(s, sflow.VirtMemory{Memory: r.Uint64(), MaxMemory: r.Uint64()})
	case sflow.RecVirtDiskIO:
		d.AddVirtDiskIO(s, sflow.VirtDiskIO{Capacity: r.Uint64(), Allocation: r.Uint64(), Available: r.Uint64(),
			RdReq: r.Uint32(), RdBytes: r.Uint64(), WrReq: r.Uint32(), WrBytes: r.Uint64(), Errs: r.Uint32()})
	case sflow.RecJVMRuntime:
		d.AddJVMRuntime(s, sflow.JVMRuntime{Name: randBytes(r, 64, false), Vendor: randBytes(r, 32, false),
			Version: randBytes(r, 32, false)})
	case sflow.RecJVMStatistics:
		v := sflow.JVMStatistics{HeapInitial: r.Uint64(), HeapUsed: r.Uint64(), HeapCommitted: r.Uint64(),
			HeapMax: r.Uint64(), NonHeapInitial: r.Uint64(), NonHeapUsed: r.Uint64(), NonHeapCommitted: r.Uint64(),
			NonHeapMax: r.Uint64(), Len108: r.IntN(2) == 0}
		fillU32s(r, &v.GCCount, &v.GCTime, &v.ClassesLoaded, &v.ClassesTotal, &v.ClassesUnloaded,
			&v.CompilationTime, &v.ThreadsLive, &v.ThreadsDaemon, &v.ThreadsStarted)
		if v.Len108 {
			fillU32s(r, &v.FDOpen, &v.FDMax)
		}
		d.AddJVMStatistics(s, v)
	case sflow.RecMemcacheCounters:
		d.AddMemcacheCounters(s, randMemcacheCounters(r))
	case sflow.RecHTTPCounters:
		var v sflow.HTTPCounters
		fillU32s(r, &v.MethodOption, &v.MethodGet, &v.MethodHead, &v.MethodPost, &v.MethodPut, &v.MethodDelete,
			&v.MethodTrace, &v.MethodConnect, &v.MethodOther, &v.Status1XX, &v.Status2XX, &v.Status3XX,
			&v.Status4XX, &v.Status5XX, &v.StatusOther)
		d.AddHTTPCounters(s, v)
	case sflow.RecAppOperations:
		v := sflow.AppOperations{Application: randBytes(r, 32, false)}
		fillU32s(r, &v.Success, &v.Other, &v.Timeout, &v.InternalError, &v.BadRequest, &v.Forbidden, &v.TooLarge,
			&v.NotImplemented, &v.NotFound, &v.Unavailable, &v.Unauthorized)
		d.AddAppOperations(s, v)
	case sflow.RecAppResources:
		v := sflow.AppResources{MemUsed: r.Uint64(), MemMax: r.Uint64()}
		fillU32s(r, &v.UserTime, &v.SystemTime, &v.FDOpen, &v.FDMax, &v.ConnOpen, &v.ConnMax)
		d.AddAppResources(s, v)
	case sflow.RecAppWorkers:
		var v sflow.AppWorkers
		fillU32s(r, &v.Active, &v.Idle, &v.Max, &v.ReqDelayed, &v.ReqDropped)
		d.AddAppWorkers(s, v)
	case sflow.RecOVSDP:
		var v sflow.OVSDP
		fillU32s(r, &v.Hits, &v.Misses, &v.Lost, &v.MaskHits, &v.Flows, &v.Masks)
		d.AddOVSDP(s, v)
	case sflow.RecBroadcomTables:
		var v sflow.BroadcomTables
		fillU32Array(r, v.V[:])
		d.AddBroadcomTables(s, v)
	case sflow.RecSFP:
		v := sflow.SFP{ModuleID: r.Uint32(), TotalLanes: r.Uint32N(9), SupplyVoltage: r.Uint32N(5000),
			Temperature: int32(r.Uint32N(100000)) - 20000, Lanes: sflow.SFPLanes{}}
		for i := range r.IntN(5) {
			l := sflow.SFPLane{Index: uint32(i + 1)}
			fillU32s(r, &l.TxBiasCurrent, &l.TxPower, &l.TxPowerMin, &l.TxPowerMax, &l.TxWavelength, &l.RxPower,
				&l.RxPowerMin, &l.RxPowerMax, &l.RxWavelength)
			v.AddLane(l)
		}
		d.AddSFP(s, v)
	case sflow.RecPFC:
		var v sflow.PFC
		fillU32s(r, &v.Requests, &v.Indications, &v.PauseDurationUS, &v.StormDetected, &v.StormRestored)
		d.AddPFC(s, v)
	}
}

// randMemcacheCounters fills the fields of the layout it picks (legacy 2200 or 2204) and leaves the others 0.
func randMemcacheCounters(r *rand.Rand) sflow.MemcacheCounters {
	v := sflow.MemcacheCounters{Legacy: r.IntN(3) == 0, BytesRead: r.Uint64(), BytesWritten: r.Uint64(), Bytes: r.Uint64()}
	fillU32s(r, &v.CmdSet, &v.CmdFlush, &v.GetHits, &v.GetMisses, &v.DeleteHits, &v.DeleteMisses, &v.IncrHits,
		&v.IncrMisses, &v.DecrHits, &v.DecrMisses, &v.CASHits, &v.CASMisses, &v.CASBadval, &v.AuthCmds,
		&v.AuthErrors, &v.Threads, &v.ConnYields, &v.ListenDisabledNum, &v.CurrConnections, &v.TotalConnections,
		&v.ConnectionStructures, &v.Evictions, &v.CurrItems, &v.TotalItems)
	if v.Legacy {
		v.LimitMaxbytes = uint64(r.Uint32())
		fillU32s(r, &v.Uptime, &v.RUsageUser, &v.RUsageSystem, &v.CmdGet, &v.AcceptingConns)
	} else {
		v.LimitMaxbytes = r.Uint64()
		fillU32s(r, &v.CmdTouch, &v.RejectedConnections, &v.Reclaimed)
	}
	return v
}

// randSampledHeader is mostly a realistic Ethernet frame built by BuildSampledHeader, sometimes raw bytes of
// any protocol (which the header decoder must survive).
func randSampledHeader(r *rand.Rand) sflow.SampledHeader {
	if r.IntN(4) == 0 {
		return sflow.SampledHeader{Protocol: r.Uint32N(20), FrameLength: r.Uint32(), Stripped: r.Uint32N(8),
			Header: randBytes(r, 128, false)}
	}
	six := r.IntN(3) == 0
	p := sflow.PacketSpec{SrcMAC: randMAC(r), DstMAC: randMAC(r), SrcIP: randAddrOf(r, six), DstIP: randAddrOf(r, six),
		Protocol: uint8(pickOf(r, 6, 17, 1)), SrcPort: uint16(r.Uint32()), DstPort: uint16(r.Uint32()),
		TCPFlags: uint8(r.Uint32()), TOS: uint8(r.Uint32()), TTL: uint8(1 + r.Uint32N(255)),
		IPID: uint16(r.Uint32()), PayloadLen: r.IntN(1400), RawIP: r.IntN(5) == 0, SnapLen: 64 + r.IntN(129)}
	if six && p.Protocol == 1 {
		p.Protocol = 58
	}
	if n := r.IntN(4); n > 0 && !p.RawIP {
		p.VLANs = make([]uint16, min(n, 2))
		for i := range p.VLANs {
			p.VLANs[i] = uint16(1 + r.Uint32N(4094))
		}
	}
	h, err := sflow.BuildSampledHeader(p)
	if err != nil { // cannot happen for the specs drawn above; stay valid anyway
		return sflow.SampledHeader{Protocol: sflow.HeaderProtocolEthernet}
	}
	return h
}

func randSampledIP(r *rand.Rand, six bool) sflow.SampledIP {
	return sflow.SampledIP{Length: r.Uint32(), Protocol: r.Uint32N(256), SrcIP: randAddrOf(r, six),
		DstIP: randAddrOf(r, six), SrcPort: r.Uint32N(65536), DstPort: r.Uint32N(65536), TCPFlags: r.Uint32N(256),
		Priority: r.Uint32N(256)}
}

func randAppContext(r *rand.Rand) sflow.AppContext {
	return sflow.AppContext{Application: randBytes(r, 32, false), Operation: randBytes(r, 32, false),
		Attributes: randBytes(r, 255, false)}
}

// randBytes returns up to max random bytes (a multiple of 4 when aligned); empty strings are common on the wire.
func randBytes(r *rand.Rand, max int, aligned bool) []byte {
	n := r.IntN(max + 1)
	if r.IntN(5) == 0 {
		n = 0
	}
	if aligned {
		n &^= 3
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func randMAC(r *rand.Rand) (m [6]byte) {
	for i := range m {
		m[i] = byte(r.Uint32())
	}
	return m
}

func randAddr(r *rand.Rand) netip.Addr { return randAddrOf(r, r.IntN(3) == 0) }

// randAddrOrNone is an address of either family, or the zero Addr (address type 0) now and then.
func randAddrOrNone(r *rand.Rand) netip.Addr {
	if r.IntN(8) == 0 {
		return netip.Addr{}
	}
	return randAddr(r)
}

func randAddrOf(r *rand.Rand, six bool) netip.Addr {
	if six {
		var a [16]byte
		for i := range a {
			a[i] = byte(r.Uint32())
		}
		a[0] = 0x20 // global unicast: never mistaken for an IPv4-mapped address
		return netip.AddrFrom16(a)
	}
	var a [4]byte
	for i := range a {
		a[i] = byte(r.Uint32())
	}
	return netip.AddrFrom4(a)
}

// randPercent is hundredths of a percent, or -1 (unknown).
func randPercent(r *rand.Rand) int32 {
	if r.IntN(5) == 0 {
		return -1
	}
	return int32(r.Uint32N(10001))
}

// randLoad is a load average with two decimals, or -1 (unknown).
func randLoad(r *rand.Rand) float32 {
	if r.IntN(5) == 0 {
		return -1
	}
	return float32(r.Uint32N(100000)) / 100
}

func pickOf(r *rand.Rand, choices ...uint32) uint32 { return choices[r.IntN(len(choices))] }

func fillU32s(r *rand.Rand, ps ...*uint32) {
	for _, p := range ps {
		*p = r.Uint32()
	}
}

func fillU32Array(r *rand.Rand, vs []uint32) {
	for i := range vs {
		vs[i] = r.Uint32()
	}
}
