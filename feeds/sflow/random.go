package sflow

import (
	"math/rand/v2"
	"net/netip"
)

// RandomDatagram returns a valid datagram of random content drawn from r: up to 6 samples of every kind (flow,
// counters, discard, and now and then one this package does not know), compact or expanded where the values fit,
// each with up to 6 records of random types among all the flow or counter records the package knows (and now
// and then an unknown one), strings within their spec limits, addresses of the family each field needs. What it
// returns encodes without error and decodes back to the same values. Tests, fuzz seeds and the load generator
// use it; the same r state gives the same datagram.
func RandomDatagram(r *rand.Rand) *Datagram {
	d := new(Datagram)
	FillRandomDatagram(r, d)
	return d
}

// FillRandomDatagram is RandomDatagram into an existing Datagram (reset first), reusing its allocations.
func FillRandomDatagram(r *rand.Rand, d *Datagram) {
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
func randSample(r *rand.Rand, d *Datagram) {
	s := Sample{SequenceNumber: r.Uint32(), Expanded: r.IntN(2) == 0}
	switch k := r.IntN(20); {
	case k < 9:
		s.Kind = SampleKindFlow
	case k < 17:
		s.Kind = SampleKindCounters
	case k < 19:
		s.Kind = SampleKindDiscard
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
	case SampleKindFlow:
		s.SamplingRate, s.SamplePool, s.Drops = r.Uint32(), r.Uint32(), r.Uint32()
		if s.Expanded {
			s.Input = Interface{Format: r.Uint32(), Value: r.Uint32()}
			s.Output = Interface{Format: r.Uint32(), Value: r.Uint32()}
		} else {
			s.Input = Interface{Format: r.Uint32N(4), Value: r.Uint32N(1 << 30)}
			s.Output = Interface{Format: r.Uint32N(4), Value: r.Uint32N(1 << 30)}
		}
	case SampleKindDiscard:
		s.Drops, s.DropReason = r.Uint32(), r.Uint32()
		s.Input, s.Output = Interface{Value: r.Uint32()}, Interface{Value: r.Uint32()}
	}
	sp := d.AddSample(s)
	for n := r.IntN(7); n > 0; n-- {
		if r.IntN(12) == 0 {
			d.AddUnknownRecord(sp, 5000+r.Uint32N(0xFFFFF-5000), r.Uint32N(0x1000), randBytes(r, 48, true))
			continue
		}
		if s.Kind == SampleKindCounters {
			randCounterRecord(r, d, sp)
		} else {
			randFlowRecord(r, d, sp)
		}
	}
}

// randFlowRecord appends one random flow record of a random known type to s.
func randFlowRecord(r *rand.Rand, d *Datagram, s *Sample) {
	switch RecordType(1 + r.IntN(int(lastFlowRecord))) {
	case RecSampledHeader:
		d.AddSampledHeader(s, randSampledHeader(r))
	case RecSampledEthernet:
		rec := d.AddSampledEthernet(s, SampledEthernet{Length: r.Uint32(), SrcMAC: randMAC(r), DstMAC: randMAC(r),
			Type: r.Uint32()})
		rec.Format = pickOf(r, FlowSampledEthernet, FlowExtL2TunnelEgress, FlowExtL2TunnelIngress)
	case RecSampledIPv4:
		rec := d.AddSampledIPv4(s, randSampledIP(r, false))
		rec.Format = pickOf(r, FlowSampledIPv4, FlowExtIPv4TunnelEgr, FlowExtIPv4TunnelIngr)
	case RecSampledIPv6:
		rec := d.AddSampledIPv6(s, randSampledIP(r, true))
		rec.Format = pickOf(r, FlowSampledIPv6, FlowExtIPv6TunnelEgr, FlowExtIPv6TunnelIngr)
	case RecExtSwitch:
		d.AddExtSwitch(s, ExtSwitch{SrcVLAN: r.Uint32N(4096), SrcPriority: r.Uint32N(8), DstVLAN: r.Uint32(),
			DstPriority: r.Uint32()})
	case RecExtRouter:
		d.AddExtRouter(s, ExtRouter{NextHop: randAddrOrNone(r), SrcMaskLen: r.Uint32N(129), DstMaskLen: r.Uint32N(129)})
	case RecExtGateway:
		g := ExtGateway{NextHop: randAddrOrNone(r), AS: r.Uint32(), SrcAS: r.Uint32(), SrcPeerAS: r.Uint32(),
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
	case RecExtUser:
		d.AddExtUser(s, ExtUser{SrcCharset: 106, SrcUser: randBytes(r, 64, false), DstCharset: r.Uint32(),
			DstUser: randBytes(r, 64, false)})
	case RecExtURL:
		d.AddExtURL(s, ExtURL{Direction: 1 + r.Uint32N(2), URL: randBytes(r, 255, false), Host: randBytes(r, 64, false)})
	case RecU32:
		d.AddU32(s, pickOf(r, FlowExtDecapEgress, FlowExtDecapIngress, FlowExtVNIEgress, FlowExtVNIIngress,
			FlowEgressQueue, FlowTransitDelay, FlowQueueDepth), U32Record{Value: r.Uint32()})
	case RecExtACL:
		d.AddExtACL(s, ExtACL{Number: r.Uint32(), Name: randBytes(r, 64, false), Direction: r.Uint32N(3)})
	case RecString:
		d.AddString(s, pickOf(r, FlowExtFunction, FlowLinuxDropReason), StringRecord{Value: randBytes(r, 64, false)})
	case RecHWTrap:
		d.AddHWTrap(s, HWTrap{Group: randBytes(r, 32, false), Trap: randBytes(r, 32, false)})
	case RecTimestamp:
		d.AddTimestamp(s, Timestamp{Nanos: r.Uint64()})
	case RecSocket:
		six := r.IntN(2) == 0
		d.AddSocket(s, Socket{Proxy: r.IntN(2) == 0, Protocol: pickOf(r, 6, 17), LocalIP: randAddrOf(r, six),
			RemoteIP: randAddrOf(r, six), LocalPort: r.Uint32N(65536), RemotePort: r.Uint32N(65536)})
	case RecMemcacheOp:
		d.AddMemcacheOp(s, MemcacheOp{Protocol: r.Uint32N(3), Cmd: r.Uint32N(17), Key: randBytes(r, 255, false),
			NKeys: r.Uint32(), ValueBytes: r.Uint32(), DurationUS: r.Uint32(), Status: r.Uint32N(10)})
	case RecHTTPRequest:
		v := HTTPRequest{Legacy: r.IntN(3) == 0, Method: r.Uint32N(9), Protocol: pickOf(r, 1000, 1001, 2000),
			URI: randBytes(r, 255, false), Host: randBytes(r, 64, false), Referer: randBytes(r, 255, false),
			UserAgent: randBytes(r, 128, false), AuthUser: randBytes(r, 32, false), MimeType: randBytes(r, 64, false),
			RespBytes: r.Uint64(), DurationUS: r.Uint32(), Status: int32(r.Uint32())}
		if !v.Legacy {
			v.XFF, v.ReqBytes = randBytes(r, 64, false), r.Uint64()
		}
		d.AddHTTPRequest(s, v)
	case RecProxyRequest:
		d.AddProxyRequest(s, ProxyRequest{URI: randBytes(r, 255, false), Host: randBytes(r, 64, false)})
	case RecAppOperation:
		d.AddAppOperation(s, AppOperation{Context: randAppContext(r), StatusDescr: randBytes(r, 64, false),
			ReqBytes: r.Uint64(), RespBytes: r.Uint64(), DurationUS: r.Uint32(), Status: r.Uint32N(11)})
	case RecAppContext:
		d.AddAppContext(s, randAppContext(r))
	case RecAppActor:
		d.AddAppActor(s, AppActor{Target: r.IntN(2) == 0, Actor: randBytes(r, 64, false)})
	case RecTCPInfo:
		var v TCPInfo
		fillU32s(r, &v.Dirn, &v.SndMSS, &v.RcvMSS, &v.Unacked, &v.Lost, &v.Retrans, &v.PMTU, &v.RTT, &v.RTTVar,
			&v.SndCwnd, &v.Reordering, &v.MinRTT)
		d.AddTCPInfo(s, v)
	case RecEntities:
		var v Entities
		fillU32s(r, &v.SrcClass, &v.SrcIndex, &v.DstClass, &v.DstIndex)
		d.AddEntities(s, v)
	case RecExtMPLS:
		d.AddExtMPLS(s, ExtMPLS{NextHop: randAddrOrNone(r), InStack: randWords(r, 4), OutStack: randWords(r, 4)})
	case RecExtNAT:
		d.AddExtNAT(s, ExtNAT{Src: randAddrOrNone(r), Dst: randAddrOrNone(r)})
	case RecExtMPLSTunnel:
		d.AddExtMPLSTunnel(s, pickOf(r, FlowExtMPLSTunnel, FlowExtMPLSVC), ExtMPLSTunnel{Name: randBytes(r, 100, false),
			ID: r.Uint32(), COS: r.Uint32N(8)})
	case RecExtMPLSFTN:
		d.AddExtMPLSFTN(s, ExtMPLSFTN{Descr: randBytes(r, 100, false), Mask: r.Uint32()})
	case RecExtVLANTunnel:
		d.AddExtVLANTunnel(s, ExtVLANTunnel{Stack: randWords(r, 3)})
	case RecExtWifiPayload:
		d.AddExtWifiPayload(s, ExtWifiPayload{CipherSuite: 0x000FAC00 | r.Uint32N(7), Header: randSampledHeader(r)})
	case RecExtWifiRx:
		d.AddExtWifiRx(s, ExtWifiRx{SSID: randBytes(r, 32, false), BSSID: randMAC(r), Version: 1 + r.Uint32N(4),
			Channel: r.Uint32N(200), Speed: r.Uint64(), RSNI: r.Uint32(), RCPI: r.Uint32(), PacketDurationUS: r.Uint32()})
	case RecExtWifiTx:
		d.AddExtWifiTx(s, ExtWifiTx{SSID: randBytes(r, 32, false), BSSID: randMAC(r), Version: 1 + r.Uint32N(4),
			Transmissions: r.Uint32N(8), PacketDurationUS: r.Uint32(), RetransDurationUS: r.Uint32(),
			Channel: r.Uint32N(200), Speed: r.Uint64(), PowerMW: r.Uint32()})
	}
}

// randWords is a list of up to max random words (label or VLAN stack entries).
func randWords(r *rand.Rand, max int) Words {
	vs := make([]uint32, r.IntN(max+1))
	fillU32Array(r, vs)
	return NewWords(vs...)
}

// randCounterRecord appends one random counter record of a random known type to s.
func randCounterRecord(r *rand.Rand, d *Datagram, s *Sample) {
	switch RecordType(int(RecIfCounters) + r.IntN(int(numRecordTypes-RecIfCounters))) {
	case RecIfCounters:
		v := IfCounters{Speed: r.Uint64(), InOctets: r.Uint64(), OutOctets: r.Uint64()}
		fillU32s(r, &v.Index, &v.Type, &v.Direction, &v.Status, &v.InUcastPkts, &v.InMulticastPkts,
			&v.InBroadcastPkts, &v.InDiscards, &v.InErrors, &v.InUnknownProtos, &v.OutUcastPkts, &v.OutMulticastPkts,
			&v.OutBroadcastPkts, &v.OutDiscards, &v.OutErrors, &v.PromiscuousMode)
		d.AddIfCounters(s, v)
	case RecEthernetCounters:
		var v EthernetCounters
		fillU32s(r, &v.AlignmentErrors, &v.FCSErrors, &v.SingleCollisionFrames, &v.MultipleCollisionFrames,
			&v.SQETestErrors, &v.DeferredTransmissions, &v.LateCollisions, &v.ExcessiveCollisions,
			&v.InternalMacTransmitErrors, &v.CarrierSenseErrors, &v.FrameTooLongs, &v.InternalMacReceiveErrors,
			&v.SymbolErrors)
		d.AddEthernetCounters(s, v)
	case RecVLANCounters:
		v := VLANCounters{VLANID: r.Uint32N(4096), Octets: r.Uint64()}
		fillU32s(r, &v.UcastPkts, &v.MulticastPkts, &v.BroadcastPkts, &v.Discards)
		d.AddVLANCounters(s, v)
	case RecLACPCounters:
		v := LACPCounters{ActorSystemID: randMAC(r), PartnerSystemID: randMAC(r), AttachedAggID: r.Uint32(),
			ActorAdminPortState: uint8(r.Uint32()), ActorOperPortState: uint8(r.Uint32()),
			PartnerAdminPortState: uint8(r.Uint32()), PartnerOperPortState: uint8(r.Uint32())}
		fillU32s(r, &v.LACPDUsRx, &v.MarkerPDUsRx, &v.MarkerResponsePDUsRx, &v.UnknownRx, &v.IllegalRx,
			&v.LACPDUsTx, &v.MarkerPDUsTx, &v.MarkerResponsePDUsTx)
		d.AddLACPCounters(s, v)
	case RecProcessor:
		d.AddProcessor(s, Processor{CPU5s: randPercent(r), CPU1m: randPercent(r), CPU5m: randPercent(r),
			TotalMemory: r.Uint64(), FreeMemory: r.Uint64()})
	case RecOpenFlowPort:
		d.AddOpenFlowPort(s, OpenFlowPort{DatapathID: r.Uint64(), PortNo: r.Uint32()})
	case RecPortName:
		d.AddPortName(s, PortName{Name: randBytes(r, 255, false)})
	case RecHostDescr:
		v := HostDescr{Hostname: randBytes(r, 64, false), MachineType: r.Uint32N(13), OSName: r.Uint32N(14),
			OSRelease: randBytes(r, 32, false)}
		for i := range v.UUID {
			v.UUID[i] = byte(r.Uint32())
		}
		d.AddHostDescr(s, v)
	case RecHostAdapters:
		var v HostAdapters
		for n := r.IntN(4); n > 0; n-- {
			macs := make([][6]byte, r.IntN(3))
			for i := range macs {
				macs[i] = randMAC(r)
			}
			v.AddAdapter(r.Uint32(), macs...)
		}
		d.AddHostAdapters(s, v)
	case RecHostParent:
		d.AddHostParent(s, HostParent{ContainerType: r.Uint32N(4), ContainerIndex: r.Uint32()})
	case RecHostCPU:
		v := HostCPU{LoadOne: randLoad(r), LoadFive: randLoad(r), LoadFifteen: randLoad(r), Len80: r.IntN(3) > 0}
		fillU32s(r, &v.ProcRun, &v.ProcTotal, &v.CPUNum, &v.CPUSpeed, &v.Uptime, &v.User, &v.Nice, &v.System,
			&v.Idle, &v.WIO, &v.Intr, &v.SoftIntr, &v.Interrupts, &v.Contexts)
		if v.Len80 {
			fillU32s(r, &v.Steal, &v.Guest, &v.GuestNice)
		}
		d.AddHostCPU(s, v)
	case RecHostMemory:
		v := HostMemory{Total: r.Uint64(), Free: r.Uint64(), Shared: r.Uint64(), Buffers: r.Uint64(),
			Cached: r.Uint64(), SwapTotal: r.Uint64(), SwapFree: r.Uint64()}
		fillU32s(r, &v.PageIn, &v.PageOut, &v.SwapIn, &v.SwapOut)
		d.AddHostMemory(s, v)
	case RecHostDiskIO:
		d.AddHostDiskIO(s, HostDiskIO{Total: r.Uint64(), Free: r.Uint64(), PartMaxUsed: randPercent(r),
			Reads: r.Uint32(), BytesRead: r.Uint64(), ReadTime: r.Uint32(), Writes: r.Uint32(),
			BytesWritten: r.Uint64(), WriteTime: r.Uint32()})
	case RecHostNetIO:
		v := HostNetIO{Virt: r.IntN(2) == 0, BytesIn: r.Uint64(), BytesOut: r.Uint64()}
		fillU32s(r, &v.PktsIn, &v.ErrsIn, &v.DropsIn, &v.PktsOut, &v.ErrsOut, &v.DropsOut)
		d.AddHostNetIO(s, v)
	case RecMIB2IP:
		var v MIB2IP
		fillU32Array(r, v.V[:])
		d.AddMIB2IP(s, v)
	case RecMIB2ICMP:
		var v MIB2ICMP
		fillU32Array(r, v.V[:])
		d.AddMIB2ICMP(s, v)
	case RecMIB2TCP:
		var v MIB2TCP
		fillU32Array(r, v.V[:])
		d.AddMIB2TCP(s, v)
	case RecMIB2UDP:
		var v MIB2UDP
		fillU32Array(r, v.V[:])
		d.AddMIB2UDP(s, v)
	case RecVirtNode:
		d.AddVirtNode(s, VirtNode{MHz: r.Uint32(), CPUs: r.Uint32(), Memory: r.Uint64(), MemoryFree: r.Uint64(),
			NumDomains: r.Uint32()})
	case RecVirtCPU:
		d.AddVirtCPU(s, VirtCPU{State: r.Uint32N(7), CPUTime: r.Uint32(), NrVirtCPU: r.Uint32()})
	case RecVirtMemory:
		d.AddVirtMemory(s, VirtMemory{Memory: r.Uint64(), MaxMemory: r.Uint64()})
	case RecVirtDiskIO:
		d.AddVirtDiskIO(s, VirtDiskIO{Capacity: r.Uint64(), Allocation: r.Uint64(), Available: r.Uint64(),
			RdReq: r.Uint32(), RdBytes: r.Uint64(), WrReq: r.Uint32(), WrBytes: r.Uint64(), Errs: r.Uint32()})
	case RecJVMRuntime:
		d.AddJVMRuntime(s, JVMRuntime{Name: randBytes(r, 64, false), Vendor: randBytes(r, 32, false),
			Version: randBytes(r, 32, false)})
	case RecJVMStatistics:
		v := JVMStatistics{HeapInitial: r.Uint64(), HeapUsed: r.Uint64(), HeapCommitted: r.Uint64(),
			HeapMax: r.Uint64(), NonHeapInitial: r.Uint64(), NonHeapUsed: r.Uint64(), NonHeapCommitted: r.Uint64(),
			NonHeapMax: r.Uint64(), Len108: r.IntN(2) == 0}
		fillU32s(r, &v.GCCount, &v.GCTime, &v.ClassesLoaded, &v.ClassesTotal, &v.ClassesUnloaded,
			&v.CompilationTime, &v.ThreadsLive, &v.ThreadsDaemon, &v.ThreadsStarted)
		if v.Len108 {
			fillU32s(r, &v.FDOpen, &v.FDMax)
		}
		d.AddJVMStatistics(s, v)
	case RecMemcacheCounters:
		d.AddMemcacheCounters(s, randMemcacheCounters(r))
	case RecHTTPCounters:
		var v HTTPCounters
		fillU32s(r, &v.MethodOption, &v.MethodGet, &v.MethodHead, &v.MethodPost, &v.MethodPut, &v.MethodDelete,
			&v.MethodTrace, &v.MethodConnect, &v.MethodOther, &v.Status1XX, &v.Status2XX, &v.Status3XX,
			&v.Status4XX, &v.Status5XX, &v.StatusOther)
		d.AddHTTPCounters(s, v)
	case RecAppOperations:
		v := AppOperations{Application: randBytes(r, 32, false)}
		fillU32s(r, &v.Success, &v.Other, &v.Timeout, &v.InternalError, &v.BadRequest, &v.Forbidden, &v.TooLarge,
			&v.NotImplemented, &v.NotFound, &v.Unavailable, &v.Unauthorized)
		d.AddAppOperations(s, v)
	case RecAppResources:
		v := AppResources{MemUsed: r.Uint64(), MemMax: r.Uint64()}
		fillU32s(r, &v.UserTime, &v.SystemTime, &v.FDOpen, &v.FDMax, &v.ConnOpen, &v.ConnMax)
		d.AddAppResources(s, v)
	case RecAppWorkers:
		var v AppWorkers
		fillU32s(r, &v.Active, &v.Idle, &v.Max, &v.ReqDelayed, &v.ReqDropped)
		d.AddAppWorkers(s, v)
	case RecOVSDP:
		var v OVSDP
		fillU32s(r, &v.Hits, &v.Misses, &v.Lost, &v.MaskHits, &v.Flows, &v.Masks)
		d.AddOVSDP(s, v)
	case RecBroadcomTables:
		var v BroadcomTables
		fillU32Array(r, v.V[:])
		d.AddBroadcomTables(s, v)
	case RecSFP:
		v := SFP{ModuleID: r.Uint32(), TotalLanes: r.Uint32N(9), SupplyVoltage: r.Uint32N(5000),
			Temperature: int32(r.Uint32N(100000)) - 20000, Lanes: SFPLanes{}}
		for i := range r.IntN(5) {
			l := SFPLane{Index: uint32(i + 1)}
			fillU32s(r, &l.TxBiasCurrent, &l.TxPower, &l.TxPowerMin, &l.TxPowerMax, &l.TxWavelength, &l.RxPower,
				&l.RxPowerMin, &l.RxPowerMax, &l.RxWavelength)
			v.AddLane(l)
		}
		d.AddSFP(s, v)
	case RecPFC:
		var v PFC
		fillU32s(r, &v.Requests, &v.Indications, &v.PauseDurationUS, &v.StormDetected, &v.StormRestored)
		d.AddPFC(s, v)
	}
}

// randMemcacheCounters fills the fields of the layout it picks (legacy 2200 or 2204) and leaves the others 0.
func randMemcacheCounters(r *rand.Rand) MemcacheCounters {
	v := MemcacheCounters{Legacy: r.IntN(3) == 0, BytesRead: r.Uint64(), BytesWritten: r.Uint64(), Bytes: r.Uint64()}
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
func randSampledHeader(r *rand.Rand) SampledHeader {
	if r.IntN(4) == 0 {
		return SampledHeader{Protocol: r.Uint32N(20), FrameLength: r.Uint32(), Stripped: r.Uint32N(8),
			Header: randBytes(r, 128, false)}
	}
	six := r.IntN(3) == 0
	p := PacketSpec{SrcMAC: randMAC(r), DstMAC: randMAC(r), SrcIP: randAddrOf(r, six), DstIP: randAddrOf(r, six),
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
	h, err := BuildSampledHeader(p)
	if err != nil { // cannot happen for the specs drawn above; stay valid anyway
		return SampledHeader{Protocol: HeaderProtocolEthernet}
	}
	return h
}

func randSampledIP(r *rand.Rand, six bool) SampledIP {
	return SampledIP{Length: r.Uint32(), Protocol: r.Uint32N(256), SrcIP: randAddrOf(r, six),
		DstIP: randAddrOf(r, six), SrcPort: r.Uint32N(65536), DstPort: r.Uint32N(65536), TCPFlags: r.Uint32N(256),
		Priority: r.Uint32N(256)}
}

func randAppContext(r *rand.Rand) AppContext {
	return AppContext{Application: randBytes(r, 32, false), Operation: randBytes(r, 32, false),
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
