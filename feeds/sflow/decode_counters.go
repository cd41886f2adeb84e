package sflow

import (
	"math"
)

// decodeCounterRecord decodes the counter record formats this package knows; others are RecUnknown. Fixed
// structures accept a longer body (fields added later) and ignore its tail.
func decodeCounterRecord(st *recordStore, dataFormat uint32, b []byte) (RecordType, int32, error) {
	if dataFormat == EnterpriseBroadcom<<12|CounterBroadcomTables {
		if len(b) < CounterBroadcomTablesLen {
			return RecBroadcomTables, -1, ErrTruncated
		}
		v, i := st.newBroadcomTables()
		u32sAt(v.V[:], b, 0)
		return RecBroadcomTables, i, nil
	}
	if dataFormat>>12 != 0 {
		return RecUnknown, -1, nil
	}
	switch dataFormat {
	case CounterGenericInterface:
		if len(b) < 88 {
			return RecIfCounters, -1, ErrTruncated
		}
		v, i := st.newIfCounters()
		v.Index, v.Type, v.Speed, v.Direction = be32(b, 0), be32(b, 4), be64(b, 8), be32(b, 16)
		v.Status, v.InOctets, v.InUcastPkts, v.InMulticastPkts = be32(b, 20), be64(b, 24), be32(b, 32), be32(b, 36)
		v.InBroadcastPkts, v.InDiscards, v.InErrors = be32(b, 40), be32(b, 44), be32(b, 48)
		v.InUnknownProtos, v.OutOctets, v.OutUcastPkts = be32(b, 52), be64(b, 56), be32(b, 64)
		v.OutMulticastPkts, v.OutBroadcastPkts, v.OutDiscards = be32(b, 68), be32(b, 72), be32(b, 76)
		v.OutErrors, v.PromiscuousMode = be32(b, 80), be32(b, 84)
		return RecIfCounters, i, nil

	case CounterEthernet:
		if len(b) < 52 {
			return RecEthernetCounters, -1, ErrTruncated
		}
		v, i := st.newEthernetCounters()
		v.AlignmentErrors, v.FCSErrors, v.SingleCollisionFrames = be32(b, 0), be32(b, 4), be32(b, 8)
		v.MultipleCollisionFrames, v.SQETestErrors, v.DeferredTransmissions = be32(b, 12), be32(b, 16), be32(b, 20)
		v.LateCollisions, v.ExcessiveCollisions, v.InternalMacTransmitErrors = be32(b, 24), be32(b, 28), be32(b, 32)
		v.CarrierSenseErrors, v.FrameTooLongs, v.InternalMacReceiveErrors = be32(b, 36), be32(b, 40), be32(b, 44)
		v.SymbolErrors = be32(b, 48)
		return RecEthernetCounters, i, nil

	case CounterVLAN:
		if len(b) < 28 {
			return RecVLANCounters, -1, ErrTruncated
		}
		v, i := st.newVLANCounters()
		v.VLANID, v.Octets, v.UcastPkts, v.MulticastPkts = be32(b, 0), be64(b, 4), be32(b, 12), be32(b, 16)
		v.BroadcastPkts, v.Discards = be32(b, 20), be32(b, 24)
		return RecVLANCounters, i, nil

	case CounterLACP:
		if len(b) < 56 {
			return RecLACPCounters, -1, ErrTruncated
		}
		v, i := st.newLACPCounters()
		v.ActorSystemID, v.PartnerSystemID, v.AttachedAggID = macAt(b, 0), macAt(b, 8), be32(b, 16)
		v.ActorAdminPortState, v.ActorOperPortState, v.PartnerAdminPortState = b[20], b[21], b[22]
		v.PartnerOperPortState, v.LACPDUsRx, v.MarkerPDUsRx = b[23], be32(b, 24), be32(b, 28)
		v.MarkerResponsePDUsRx, v.UnknownRx, v.IllegalRx = be32(b, 32), be32(b, 36), be32(b, 40)
		v.LACPDUsTx, v.MarkerPDUsTx, v.MarkerResponsePDUsTx = be32(b, 44), be32(b, 48), be32(b, 52)
		return RecLACPCounters, i, nil

	case CounterSFP:
		c := xdrCursor{rest: b}
		id, total, voltage, temperature := c.u32(), c.u32(), c.u32(), c.i32()
		n := c.count(SFPLaneLen)
		lanes := c.fixed(SFPLaneLen * int(n))
		if c.err != nil {
			return RecSFP, -1, c.err
		}
		v, i := st.newSFP()
		v.ModuleID, v.TotalLanes, v.SupplyVoltage, v.Temperature, v.Lanes = id, total, voltage, temperature, lanes
		return RecSFP, i, nil

	case CounterPFC:
		if len(b) < 20 {
			return RecPFC, -1, ErrTruncated
		}
		v, i := st.newPFC()
		v.Requests, v.Indications, v.PauseDurationUS = be32(b, 0), be32(b, 4), be32(b, 8)
		v.StormDetected, v.StormRestored = be32(b, 12), be32(b, 16)
		return RecPFC, i, nil

	case CounterProcessor:
		if len(b) < 28 {
			return RecProcessor, -1, ErrTruncated
		}
		v, i := st.newProcessor()
		v.CPU5s, v.CPU1m, v.CPU5m = int32(be32(b, 0)), int32(be32(b, 4)), int32(be32(b, 8))
		v.TotalMemory, v.FreeMemory = be64(b, 12), be64(b, 20)
		return RecProcessor, i, nil

	case CounterOpenFlowPort:
		if len(b) < 12 {
			return RecOpenFlowPort, -1, ErrTruncated
		}
		v, i := st.newOpenFlowPort()
		v.DatapathID, v.PortNo = be64(b, 0), be32(b, 8)
		return RecOpenFlowPort, i, nil

	case CounterPortName:
		c := xdrCursor{rest: b}
		name := c.opaque()
		if c.err != nil {
			return RecPortName, -1, c.err
		}
		v, i := st.newPortName()
		v.Name = name
		return RecPortName, i, nil

	case CounterHostDescr:
		c := xdrCursor{rest: b}
		hostname := c.opaque()
		uuid := c.fixed(16) // no length prefix in any implementation (SFLOW.md §2)
		machineType, osName := c.u32(), c.u32()
		osRelease := c.opaque()
		if c.err != nil {
			return RecHostDescr, -1, c.err
		}
		v, i := st.newHostDescr()
		v.Hostname, v.UUID, v.OSRelease = hostname, [16]byte(uuid), osRelease
		v.MachineType, v.OSName = machineType, osName
		return RecHostDescr, i, nil

	case CounterHostAdapters:
		c := xdrCursor{rest: b}
		n := c.count(8) // an adapter is at least its ifIndex and its (zero) MAC count
		start := c.rest
		for range n {
			c.u32() // ifIndex
			macs := c.count(8)
			c.skip(8 * int(macs))
			if c.err != nil {
				break
			}
		}
		if c.err != nil {
			return RecHostAdapters, -1, c.err
		}
		v, i := st.newHostAdapters()
		v.NumAdapters, v.Raw = n, c.consumed(start)
		return RecHostAdapters, i, nil

	case CounterHostParent:
		if len(b) < 8 {
			return RecHostParent, -1, ErrTruncated
		}
		v, i := st.newHostParent()
		v.ContainerType, v.ContainerIndex = be32(b, 0), be32(b, 4)
		return RecHostParent, i, nil

	case CounterHostCPU:
		if len(b) < HostCPULenV1 {
			return RecHostCPU, -1, ErrTruncated
		}
		v, i := st.newHostCPU()
		v.LoadOne, v.LoadFive, v.LoadFifteen, v.ProcRun = f32At(b, 0), f32At(b, 4), f32At(b, 8), be32(b, 12)
		v.ProcTotal, v.CPUNum, v.CPUSpeed, v.Uptime = be32(b, 16), be32(b, 20), be32(b, 24), be32(b, 28)
		v.User, v.Nice, v.System, v.Idle, v.WIO = be32(b, 32), be32(b, 36), be32(b, 40), be32(b, 44), be32(b, 48)
		v.Intr, v.SoftIntr, v.Interrupts, v.Contexts = be32(b, 52), be32(b, 56), be32(b, 60), be32(b, 64)
		if len(b) >= HostCPULenV2 {
			v.Steal, v.Guest, v.GuestNice, v.Len80 = be32(b, 68), be32(b, 72), be32(b, 76), true
		}
		return RecHostCPU, i, nil

	case CounterHostMemory:
		if len(b) < 72 {
			return RecHostMemory, -1, ErrTruncated
		}
		v, i := st.newHostMemory()
		v.Total, v.Free, v.Shared, v.Buffers = be64(b, 0), be64(b, 8), be64(b, 16), be64(b, 24)
		v.Cached, v.SwapTotal, v.SwapFree, v.PageIn = be64(b, 32), be64(b, 40), be64(b, 48), be32(b, 56)
		v.PageOut, v.SwapIn, v.SwapOut = be32(b, 60), be32(b, 64), be32(b, 68)
		return RecHostMemory, i, nil

	case CounterHostDiskIO:
		if len(b) < 52 {
			return RecHostDiskIO, -1, ErrTruncated
		}
		v, i := st.newHostDiskIO()
		v.Total, v.Free, v.PartMaxUsed, v.Reads = be64(b, 0), be64(b, 8), int32(be32(b, 16)), be32(b, 20)
		v.BytesRead, v.ReadTime, v.Writes, v.BytesWritten = be64(b, 24), be32(b, 32), be32(b, 36), be64(b, 40)
		v.WriteTime = be32(b, 48)
		return RecHostDiskIO, i, nil

	case CounterHostNetIO, CounterVirtNetIO:
		if len(b) < 40 {
			return RecHostNetIO, -1, ErrTruncated
		}
		v, i := st.newHostNetIO()
		v.Virt, v.BytesIn, v.PktsIn, v.ErrsIn = dataFormat == CounterVirtNetIO, be64(b, 0), be32(b, 8), be32(b, 12)
		v.DropsIn, v.BytesOut, v.PktsOut, v.ErrsOut = be32(b, 16), be64(b, 20), be32(b, 28), be32(b, 32)
		v.DropsOut = be32(b, 36)
		return RecHostNetIO, i, nil

	case CounterMIB2IP:
		if len(b) < 19*4 {
			return RecMIB2IP, -1, ErrTruncated
		}
		v, i := st.newMIB2IP()
		u32sAt(v.V[:], b, 0)
		return RecMIB2IP, i, nil

	case CounterMIB2ICMP:
		if len(b) < 25*4 {
			return RecMIB2ICMP, -1, ErrTruncated
		}
		v, i := st.newMIB2ICMP()
		u32sAt(v.V[:], b, 0)
		return RecMIB2ICMP, i, nil

	case CounterMIB2TCP:
		if len(b) < 15*4 {
			return RecMIB2TCP, -1, ErrTruncated
		}
		v, i := st.newMIB2TCP()
		u32sAt(v.V[:], b, 0)
		return RecMIB2TCP, i, nil

	case CounterMIB2UDP:
		if len(b) < 7*4 {
			return RecMIB2UDP, -1, ErrTruncated
		}
		v, i := st.newMIB2UDP()
		u32sAt(v.V[:], b, 0)
		return RecMIB2UDP, i, nil

	case CounterVirtNode:
		if len(b) < 28 {
			return RecVirtNode, -1, ErrTruncated
		}
		v, i := st.newVirtNode()
		v.MHz, v.CPUs, v.Memory, v.MemoryFree = be32(b, 0), be32(b, 4), be64(b, 8), be64(b, 16)
		v.NumDomains = be32(b, 24)
		return RecVirtNode, i, nil

	case CounterVirtCPU:
		if len(b) < 12 {
			return RecVirtCPU, -1, ErrTruncated
		}
		v, i := st.newVirtCPU()
		v.State, v.CPUTime, v.NrVirtCPU = be32(b, 0), be32(b, 4), be32(b, 8)
		return RecVirtCPU, i, nil

	case CounterVirtMemory:
		if len(b) < 16 {
			return RecVirtMemory, -1, ErrTruncated
		}
		v, i := st.newVirtMemory()
		v.Memory, v.MaxMemory = be64(b, 0), be64(b, 8)
		return RecVirtMemory, i, nil

	case CounterVirtDiskIO:
		if len(b) < 52 {
			return RecVirtDiskIO, -1, ErrTruncated
		}
		v, i := st.newVirtDiskIO()
		v.Capacity, v.Allocation, v.Available, v.RdReq = be64(b, 0), be64(b, 8), be64(b, 16), be32(b, 24)
		v.RdBytes, v.WrReq, v.WrBytes, v.Errs = be64(b, 28), be32(b, 36), be64(b, 40), be32(b, 48)
		return RecVirtDiskIO, i, nil

	case CounterJVMRuntime:
		c := xdrCursor{rest: b}
		name := c.opaque()
		vendor := c.opaque()
		version := c.opaque()
		if c.err != nil {
			return RecJVMRuntime, -1, c.err
		}
		v, i := st.newJVMRuntime()
		v.Name, v.Vendor, v.Version = name, vendor, version
		return RecJVMRuntime, i, nil

	case CounterJVMStatistics:
		if len(b) < JVMStatsLen1 {
			return RecJVMStatistics, -1, ErrTruncated
		}
		v, i := st.newJVMStatistics()
		v.HeapInitial, v.HeapUsed, v.HeapCommitted, v.HeapMax = be64(b, 0), be64(b, 8), be64(b, 16), be64(b, 24)
		v.NonHeapInitial, v.NonHeapUsed, v.NonHeapCommitted = be64(b, 32), be64(b, 40), be64(b, 48)
		v.NonHeapMax, v.GCCount, v.GCTime, v.ClassesLoaded = be64(b, 56), be32(b, 64), be32(b, 68), be32(b, 72)
		v.ClassesTotal, v.ClassesUnloaded, v.CompilationTime = be32(b, 76), be32(b, 80), be32(b, 84)
		v.ThreadsLive, v.ThreadsDaemon, v.ThreadsStarted = be32(b, 88), be32(b, 92), be32(b, 96)
		if len(b) >= JVMStatsLen2 {
			v.FDOpen, v.FDMax, v.Len108 = be32(b, 100), be32(b, 104), true
		}
		return RecJVMStatistics, i, nil

	case CounterMemcacheLegacy:
		if len(b) < 144 {
			return RecMemcacheCounters, -1, ErrTruncated
		}
		v, i := st.newMemcacheCounters()
		v.Legacy, v.Uptime, v.RUsageUser, v.RUsageSystem = true, be32(b, 0), be32(b, 4), be32(b, 8)
		v.CurrConnections, v.TotalConnections, v.ConnectionStructures = be32(b, 12), be32(b, 16), be32(b, 20)
		v.CmdGet, v.CmdSet, v.CmdFlush, v.GetHits = be32(b, 24), be32(b, 28), be32(b, 32), be32(b, 36)
		v.GetMisses, v.DeleteMisses, v.DeleteHits, v.IncrMisses = be32(b, 40), be32(b, 44), be32(b, 48), be32(b, 52)
		v.IncrHits, v.DecrMisses, v.DecrHits, v.CASMisses = be32(b, 56), be32(b, 60), be32(b, 64), be32(b, 68)
		v.CASHits, v.CASBadval, v.AuthCmds, v.AuthErrors = be32(b, 72), be32(b, 76), be32(b, 80), be32(b, 84)
		v.BytesRead, v.BytesWritten, v.LimitMaxbytes = be64(b, 88), be64(b, 96), uint64(be32(b, 104))
		v.AcceptingConns, v.ListenDisabledNum, v.Threads = be32(b, 108), be32(b, 112), be32(b, 116)
		v.ConnYields, v.Bytes, v.CurrItems, v.TotalItems = be32(b, 120), be64(b, 124), be32(b, 132), be32(b, 136)
		v.Evictions = be32(b, 140)
		return RecMemcacheCounters, i, nil

	case CounterMemcache:
		if len(b) < 140 {
			return RecMemcacheCounters, -1, ErrTruncated
		}
		v, i := st.newMemcacheCounters()
		v.CmdSet, v.CmdTouch, v.CmdFlush, v.GetHits = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12)
		v.GetMisses, v.DeleteHits, v.DeleteMisses, v.IncrHits = be32(b, 16), be32(b, 20), be32(b, 24), be32(b, 28)
		v.IncrMisses, v.DecrHits, v.DecrMisses, v.CASHits = be32(b, 32), be32(b, 36), be32(b, 40), be32(b, 44)
		v.CASMisses, v.CASBadval, v.AuthCmds, v.AuthErrors = be32(b, 48), be32(b, 52), be32(b, 56), be32(b, 60)
		v.Threads, v.ConnYields, v.ListenDisabledNum = be32(b, 64), be32(b, 68), be32(b, 72)
		v.CurrConnections, v.RejectedConnections, v.TotalConnections = be32(b, 76), be32(b, 80), be32(b, 84)
		v.ConnectionStructures, v.Evictions, v.Reclaimed = be32(b, 88), be32(b, 92), be32(b, 96)
		v.CurrItems, v.TotalItems, v.BytesRead = be32(b, 100), be32(b, 104), be64(b, 108)
		v.BytesWritten, v.Bytes, v.LimitMaxbytes = be64(b, 116), be64(b, 124), be64(b, 132)
		return RecMemcacheCounters, i, nil

	case CounterHTTP:
		if len(b) < 60 {
			return RecHTTPCounters, -1, ErrTruncated
		}
		v, i := st.newHTTPCounters()
		v.MethodOption, v.MethodGet, v.MethodHead, v.MethodPost = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12)
		v.MethodPut, v.MethodDelete, v.MethodTrace = be32(b, 16), be32(b, 20), be32(b, 24)
		v.MethodConnect, v.MethodOther, v.Status1XX = be32(b, 28), be32(b, 32), be32(b, 36)
		v.Status2XX, v.Status3XX, v.Status4XX, v.Status5XX = be32(b, 40), be32(b, 44), be32(b, 48), be32(b, 52)
		v.StatusOther = be32(b, 56)
		return RecHTTPCounters, i, nil

	case CounterAppOperations:
		c := xdrCursor{rest: b}
		app := c.opaque()
		nums := c.fixed(44)
		if c.err != nil {
			return RecAppOperations, -1, c.err
		}
		v, i := st.newAppOperations()
		v.Application, v.Success, v.Other, v.Timeout = app, be32(nums, 0), be32(nums, 4), be32(nums, 8)
		v.InternalError, v.BadRequest, v.Forbidden = be32(nums, 12), be32(nums, 16), be32(nums, 20)
		v.TooLarge, v.NotImplemented, v.NotFound = be32(nums, 24), be32(nums, 28), be32(nums, 32)
		v.Unavailable, v.Unauthorized = be32(nums, 36), be32(nums, 40)
		return RecAppOperations, i, nil

	case CounterAppResources:
		if len(b) < 40 {
			return RecAppResources, -1, ErrTruncated
		}
		v, i := st.newAppResources()
		v.UserTime, v.SystemTime, v.MemUsed, v.MemMax = be32(b, 0), be32(b, 4), be64(b, 8), be64(b, 16)
		v.FDOpen, v.FDMax, v.ConnOpen, v.ConnMax = be32(b, 24), be32(b, 28), be32(b, 32), be32(b, 36)
		return RecAppResources, i, nil

	case CounterAppWorkers:
		if len(b) < 20 {
			return RecAppWorkers, -1, ErrTruncated
		}
		v, i := st.newAppWorkers()
		v.Active, v.Idle, v.Max, v.ReqDelayed = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12)
		v.ReqDropped = be32(b, 16)
		return RecAppWorkers, i, nil

	case CounterOVSDP:
		if len(b) < 24 {
			return RecOVSDP, -1, ErrTruncated
		}
		v, i := st.newOVSDP()
		v.Hits, v.Misses, v.Lost, v.MaskHits, v.Flows = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12), be32(b, 16)
		v.Masks = be32(b, 20)
		return RecOVSDP, i, nil
	}
	return RecUnknown, -1, nil
}

func f32At(b []byte, o int) float32 { return math.Float32frombits(be32(b, o)) }
