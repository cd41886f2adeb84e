package sflowtool

import (
	"github.com/fleettop/fleettop/feeds/sflow"
)

// counterRecord prints a counters sample's record after its counterBlock_tag. It reports false for a record it
// has no keys for.
func (w *Writer) counterRecord(d *sflow.Datagram, r *sflow.Record) bool {
	e := &w.e
	switch r.Type {
	case sflow.RecIfCounters:
		v := d.IfCounters(r)
		if v == nil {
			return false
		}
		e.flow.ifCounters = v
		e.u32("ifIndex", v.Index)
		e.u32("networkType", v.Type)
		e.u64("ifSpeed", v.Speed)
		e.u32("ifDirection", v.Direction)
		e.u32("ifStatus", v.Status)
		e.u64("ifInOctets", v.InOctets)
		e.u32("ifInUcastPkts", v.InUcastPkts)
		e.u32("ifInMulticastPkts", v.InMulticastPkts)
		e.u32("ifInBroadcastPkts", v.InBroadcastPkts)
		e.u32("ifInDiscards", v.InDiscards)
		e.u32("ifInErrors", v.InErrors)
		e.u32("ifInUnknownProtos", v.InUnknownProtos)
		e.u64("ifOutOctets", v.OutOctets)
		e.u32("ifOutUcastPkts", v.OutUcastPkts)
		e.u32("ifOutMulticastPkts", v.OutMulticastPkts)
		e.u32("ifOutBroadcastPkts", v.OutBroadcastPkts)
		e.u32("ifOutDiscards", v.OutDiscards)
		e.u32("ifOutErrors", v.OutErrors)
		e.u32("ifPromiscuousMode", v.PromiscuousMode)
	case sflow.RecEthernetCounters:
		v := d.EthernetCounters(r)
		if v == nil {
			return false
		}
		e.u32("dot3StatsAlignmentErrors", v.AlignmentErrors)
		e.u32("dot3StatsFCSErrors", v.FCSErrors)
		e.u32("dot3StatsSingleCollisionFrames", v.SingleCollisionFrames)
		e.u32("dot3StatsMultipleCollisionFrames", v.MultipleCollisionFrames)
		e.u32("dot3StatsSQETestErrors", v.SQETestErrors)
		e.u32("dot3StatsDeferredTransmissions", v.DeferredTransmissions)
		e.u32("dot3StatsLateCollisions", v.LateCollisions)
		e.u32("dot3StatsExcessiveCollisions", v.ExcessiveCollisions)
		e.u32("dot3StatsInternalMacTransmitErrors", v.InternalMacTransmitErrors)
		e.u32("dot3StatsCarrierSenseErrors", v.CarrierSenseErrors)
		e.u32("dot3StatsFrameTooLongs", v.FrameTooLongs)
		e.u32("dot3StatsInternalMacReceiveErrors", v.InternalMacReceiveErrors)
		e.u32("dot3StatsSymbolErrors", v.SymbolErrors)
	case sflow.RecVLANCounters:
		v := d.VLANCounters(r)
		if v == nil {
			return false
		}
		e.u32("in_vlan", v.VLANID)
		e.u64("octets", v.Octets)
		e.u32("ucastPkts", v.UcastPkts)
		e.u32("multicastPkts", v.MulticastPkts)
		e.u32("broadcastPkts", v.BroadcastPkts)
		e.u32("discards", v.Discards)
	case sflow.RecLACPCounters:
		v := d.LACPCounters(r)
		if v == nil {
			return false
		}
		e.mac("actorSystemID", v.ActorSystemID[:])
		e.mac("partnerSystemID", v.PartnerSystemID[:])
		e.u32("attachedAggID", v.AttachedAggID)
		e.u32("actorAdminPortState", uint32(v.ActorAdminPortState))
		e.u32("actorOperPortState", uint32(v.ActorOperPortState))
		e.u32("partnerAdminPortState", uint32(v.PartnerAdminPortState))
		e.u32("partnerOperPortState", uint32(v.PartnerOperPortState))
		e.u32("LACPDUsRx", v.LACPDUsRx)
		e.u32("markerPDUsRx", v.MarkerPDUsRx)
		e.u32("markerResponsePDUsRx", v.MarkerResponsePDUsRx)
		e.u32("unknownRx", v.UnknownRx)
		e.u32("illegalRx", v.IllegalRx)
		e.u32("LACPDUsTx", v.LACPDUsTx)
		e.u32("markerPDUsTx", v.MarkerPDUsTx)
		e.u32("markerResponsePDUsTx", v.MarkerResponsePDUsTx)
	case sflow.RecProcessor:
		v := d.Processor(r)
		if v == nil {
			return false
		}
		e.percentage("5s_cpu", uint32(v.CPU5s))
		e.percentage("1m_cpu", uint32(v.CPU1m))
		e.percentage("5m_cpu", uint32(v.CPU5m))
		e.u64("total_memory_bytes", v.TotalMemory)
		e.u64("free_memory_bytes", v.FreeMemory)
	case sflow.RecOpenFlowPort:
		v := d.OpenFlowPort(r)
		if v == nil {
			return false
		}
		b := e.num[:16] // "%016x"
		for i, id := 15, v.DatapathID; i >= 0; i, id = i-1, id>>4 {
			b[i] = hexLower[id&15]
		}
		e.raw("openflow_datapath_id", b)
		e.u32("openflow_port", v.PortNo)
	case sflow.RecPortName:
		v := d.PortName(r)
		if v == nil {
			return false
		}
		e.wireIfAny("ifName", v.Name)
	case sflow.RecHostDescr:
		v := d.HostDescr(r)
		if v == nil {
			return false
		}
		e.wireIfAny("hostname", v.Hostname)
		e.raw("UUID", appendUUID(e.num[:0], v.UUID[:]))
		e.u32("machine_type", v.MachineType)
		e.u32("os_name", v.OSName)
		e.wireIfAny("os_release", v.OSRelease)
	case sflow.RecHostAdapters:
		v := d.HostAdapters(r)
		if v == nil {
			return false
		}
		w.adapters(v)
	case sflow.RecHostParent:
		v := d.HostParent(r)
		if v == nil {
			return false
		}
		e.u32("parent_dsClass", v.ContainerType)
		e.u32("parent_dsIndex", v.ContainerIndex)
	case sflow.RecHostCPU:
		v := d.HostCPU(r)
		if v == nil {
			return false
		}
		e.float3("cpu_load_one", v.LoadOne)
		e.float3("cpu_load_five", v.LoadFive)
		e.float3("cpu_load_fifteen", v.LoadFifteen)
		e.u32("cpu_proc_run", v.ProcRun)
		e.u32("cpu_proc_total", v.ProcTotal)
		e.u32("cpu_num", v.CPUNum)
		e.u32("cpu_speed", v.CPUSpeed)
		e.u32("cpu_uptime", v.Uptime)
		e.u32("cpu_user", v.User)
		e.u32("cpu_nice", v.Nice)
		e.u32("cpu_system", v.System)
		e.u32("cpu_idle", v.Idle)
		e.u32("cpu_wio", v.WIO)
		e.u32("cpuintr", v.Intr)
		e.u32("cpu_sintr", v.SoftIntr)
		e.u32("cpuinterrupts", v.Interrupts)
		e.u32("cpu_contexts", v.Contexts)
		if v.Len80 {
			e.u32("cpu_steal", v.Steal)
			e.u32("cpu_guest", v.Guest)
			e.u32("cpu_guest_nice", v.GuestNice)
		}
	case sflow.RecHostMemory:
		v := d.HostMemory(r)
		if v == nil {
			return false
		}
		e.u64("mem_total", v.Total)
		e.u64("mem_free", v.Free)
		e.u64("mem_shared", v.Shared)
		e.u64("mem_buffers", v.Buffers)
		e.u64("mem_cached", v.Cached)
		e.u64("swap_total", v.SwapTotal)
		e.u64("swap_free", v.SwapFree)
		e.u32("page_in", v.PageIn)
		e.u32("page_out", v.PageOut)
		e.u32("swap_in", v.SwapIn)
		e.u32("swap_out", v.SwapOut)
	case sflow.RecHostDiskIO:
		v := d.HostDiskIO(r)
		if v == nil {
			return false
		}
		e.u64("disk_total", v.Total)
		e.u64("disk_free", v.Free)
		e.percentage("disk_partition_max_used", uint32(v.PartMaxUsed))
		e.u32("disk_reads", v.Reads)
		e.u64("disk_bytes_read", v.BytesRead)
		e.u32("disk_read_time", v.ReadTime)
		e.u32("disk_writes", v.Writes)
		e.u64("disk_bytes_written", v.BytesWritten)
		e.u32("disk_write_time", v.WriteTime)
	case sflow.RecHostNetIO:
		v := d.HostNetIO(r)
		if v == nil {
			return false
		}
		p := "nio_"
		if v.Virt {
			p = "vnio_"
		}
		e.pushPrefix(p)
		e.u64("bytes_in", v.BytesIn)
		e.u32("pkts_in", v.PktsIn)
		e.u32("errs_in", v.ErrsIn)
		e.u32("drops_in", v.DropsIn)
		e.u64("bytes_out", v.BytesOut)
		e.u32("pkts_out", v.PktsOut)
		e.u32("errs_out", v.ErrsOut)
		e.u32("drops_out", v.DropsOut)
		e.popPrefix()
	case sflow.RecMIB2IP:
		v := d.MIB2IP(r)
		if v == nil {
			return false
		}
		e.u32List(mib2IPNames[:], v.V[:])
	case sflow.RecMIB2ICMP:
		v := d.MIB2ICMP(r)
		if v == nil {
			return false
		}
		e.u32List(mib2ICMPNames[:], v.V[:])
	case sflow.RecMIB2TCP:
		v := d.MIB2TCP(r)
		if v == nil {
			return false
		}
		e.u32List(mib2TCPNames[:], v.V[:])
	case sflow.RecMIB2UDP:
		v := d.MIB2UDP(r)
		if v == nil {
			return false
		}
		e.u32List(mib2UDPNames[:], v.V[:])
	case sflow.RecVirtNode:
		v := d.VirtNode(r)
		if v == nil {
			return false
		}
		e.u32("vnode_mhz", v.MHz)
		e.u32("vnode_cpus", v.CPUs)
		e.u64("vnode_memory", v.Memory)
		e.u64("vnode_memory_free", v.MemoryFree)
		e.u32("vnode_num_domains", v.NumDomains)
	case sflow.RecVirtCPU:
		v := d.VirtCPU(r)
		if v == nil {
			return false
		}
		e.u32("vcpu_state", v.State)
		e.u32("vcpu_cpu_mS", v.CPUTime)
		e.u32("vcpu_cpuCount", v.NrVirtCPU)
	case sflow.RecVirtMemory:
		v := d.VirtMemory(r)
		if v == nil {
			return false
		}
		e.u64("vmem_memory", v.Memory)
		e.u64("vmem_maxMemory", v.MaxMemory)
	case sflow.RecVirtDiskIO:
		v := d.VirtDiskIO(r)
		if v == nil {
			return false
		}
		e.u64("vdsk_capacity", v.Capacity)
		e.u64("vdsk_allocation", v.Allocation)
		e.u64("vdsk_available", v.Available)
		e.u32("vdsk_rd_req", v.RdReq)
		e.u64("vdsk_rd_bytes", v.RdBytes)
		e.u32("vdsk_wr_req", v.WrReq)
		e.u64("vdsk_wr_bytes", v.WrBytes)
		e.u32("vdsk_errs", v.Errs)
	case sflow.RecJVMRuntime:
		v := d.JVMRuntime(r)
		if v == nil {
			return false
		}
		e.wireIfAny("jvm_name", v.Name)
		e.wireIfAny("jvm_vendor", v.Vendor)
		e.wireIfAny("jvm_version", v.Version)
	case sflow.RecJVMStatistics:
		v := d.JVMStatistics(r)
		if v == nil {
			return false
		}
		w.jvmStatistics(v)
	case sflow.RecMemcacheCounters:
		v := d.MemcacheCounters(r)
		if v == nil {
			return false
		}
		if v.Legacy {
			w.memcacheLegacy(v)
		} else {
			w.memcache(v)
		}
	case sflow.RecHTTPCounters:
		v := d.HTTPCounters(r)
		if v == nil {
			return false
		}
		e.u32("http_method_option_count", v.MethodOption)
		e.u32("http_method_get_count", v.MethodGet)
		e.u32("http_method_head_count", v.MethodHead)
		e.u32("http_method_post_count", v.MethodPost)
		e.u32("http_method_put_count", v.MethodPut)
		e.u32("http_method_delete_count", v.MethodDelete)
		e.u32("http_method_trace_count", v.MethodTrace)
		e.u32("http_methd_connect_count", v.MethodConnect) // sflowtool's spelling
		e.u32("http_method_other_count", v.MethodOther)
		e.u32("http_status_1XX_count", v.Status1XX)
		e.u32("http_status_2XX_count", v.Status2XX)
		e.u32("http_status_3XX_count", v.Status3XX)
		e.u32("http_status_4XX_count", v.Status4XX)
		e.u32("http_status_5XX_count", v.Status5XX)
		e.u32("http_status_other_count", v.StatusOther)
	case sflow.RecAppOperations:
		v := d.AppOperations(r)
		if v == nil {
			return false
		}
		e.wireIfAny("application", v.Application)
		e.u32("status_OK", v.Success)
		e.u32("errors_OTHER", v.Other)
		e.u32("errors_TIMEOUT", v.Timeout)
		e.u32("errors_INTERNAL_ERROR", v.InternalError)
		e.u32("errors_BAD_REQUEST", v.BadRequest)
		e.u32("errors_FORBIDDEN", v.Forbidden)
		e.u32("errors_TOO_LARGE", v.TooLarge)
		e.u32("errors_NOT_IMPLEMENTED", v.NotImplemented)
		e.u32("errors_NOT_FOUND", v.NotFound)
		e.u32("errors_UNAVAILABLE", v.Unavailable)
		e.u32("errors_UNAUTHORIZED", v.Unauthorized)
	case sflow.RecAppResources:
		v := d.AppResources(r)
		if v == nil {
			return false
		}
		e.u32("user_time", v.UserTime)
		e.u32("system_time", v.SystemTime)
		e.u64("memory_used", v.MemUsed)
		e.u64("memory_max", v.MemMax)
		e.u32("files_open", v.FDOpen)
		e.u32("files_max", v.FDMax)
		e.u32("connections_open", v.ConnOpen)
		e.u32("connections_max", v.ConnMax)
	case sflow.RecAppWorkers:
		v := d.AppWorkers(r)
		if v == nil {
			return false
		}
		e.u32("workers_active", v.Active)
		e.u32("workers_idle", v.Idle)
		e.u32("workers_max", v.Max)
		e.u32("requests_delayed", v.ReqDelayed)
		e.u32("requests_dropped", v.ReqDropped)
	case sflow.RecOVSDP:
		v := d.OVSDP(r)
		if v == nil {
			return false
		}
		e.u32("OVS_dp_hits", v.Hits)
		e.u32("OVS_dp_misses", v.Misses)
		e.u32("OVS_dp_lost", v.Lost)
		e.u32("OVS_dp_mask_hits", v.MaskHits)
		e.u32("OVS_dp_flows", v.Flows)
		e.u32("OVS_dp_masks", v.Masks)
	case sflow.RecBroadcomTables:
		v := d.BroadcomTables(r)
		if v == nil {
			return false
		}
		e.u32List(broadcomTableNames[:], v.V[:])
	case sflow.RecSFP:
		v := d.SFP(r)
		if v == nil {
			return false
		}
		w.sfp(v)
	case sflow.RecPFC:
		v := d.PFC(r)
		if v == nil {
			return false
		}
		e.u32("PFC_requests", v.Requests)
		e.u32("PFC_indications", v.Indications)
		e.u32("PFC_pause_duration", v.PauseDurationUS)
		e.u32("PFC_storm_detected", v.StormDetected)
		e.u32("PFC_storm_restored", v.StormRestored)
	case sflow.RecUnknown:
		return w.rawCounterRecord(r)
	default:
		return false
	}
	return true
}

func (e *emitter) u32List(names []string, values []uint32) {
	for i, n := range names {
		if i < len(values) {
			e.u32(n, values[i])
		}
	}
}

// adapters is sflowtool's readCounters_adaptors: numbered keys in text, nested lists in JSON.
func (w *Writer) adapters(v *sflow.HostAdapters) {
	e := &w.e
	if e.json {
		e.open("adaptor_list", '[')
	}
	var i uint32
	for ifIndex, macs := range v.Adapters() {
		if e.json {
			e.open("", '{')
			e.u32("ifIndex", ifIndex)
			e.u32("MACs", uint32(macs.Len()))
			e.open("mac_list", '[')
			for j := range macs.Len() {
				// sflowtool's own layout of this list: a space after each MAC, commas before all but the first.
				if j > 0 {
					e.w.WriteByte(',')
				}
				m := macs.At(j)
				e.w.WriteByte('"')
				e.w.Write(appendMAC(e.num[:0], m[:]))
				e.w.WriteString(`" `)
			}
			e.close(']')
			e.close('}')
			i++
			continue
		}
		e.pushPrefix(adaptorPrefix(i))
		e.u32("ifIndex", ifIndex)
		e.u32("MACs", uint32(macs.Len()))
		e.pushPrefix("MAC_")
		for j := range macs.Len() {
			m := macs.At(j)
			e.mac(itoa(uint32(j)), m[:])
		}
		e.popPrefix()
		e.popPrefix()
		i++
	}
	if e.json {
		e.close(']')
	}
}

func (w *Writer) jvmStatistics(v *sflow.JVMStatistics) {
	e := &w.e
	e.u64("heap_mem_initial", v.HeapInitial)
	e.u64("heap_mem_used", v.HeapUsed)
	e.u64("heap_mem_committed", v.HeapCommitted)
	e.u64("heap_mem_max", v.HeapMax)
	e.u64("non_heap_mem_initial", v.NonHeapInitial)
	e.u64("non_heap_mem_used", v.NonHeapUsed)
	e.u64("non_heap_mem_committed", v.NonHeapCommitted)
	e.u64("non_heap_mem_max", v.NonHeapMax)
	e.u32("gc_count", v.GCCount)
	e.u32("gc_mS", v.GCTime)
	e.u32("classes_loaded", v.ClassesLoaded)
	e.u32("classes_total", v.ClassesTotal)
	e.u32("classes_unloaded", v.ClassesUnloaded)
	e.u32("compilation_mS", v.CompilationTime)
	e.u32("threads_live", v.ThreadsLive)
	e.u32("threads_daemon", v.ThreadsDaemon)
	e.u32("threads_started", v.ThreadsStarted)
	if v.Len108 {
		e.u32("fds_open", v.FDOpen)
		e.u32("fds_max", v.FDMax)
	}
}

// memcacheLegacy is sflowtool's readCounters_memcache (format 2200, misses before hits).
func (w *Writer) memcacheLegacy(v *sflow.MemcacheCounters) {
	e := &w.e
	e.pushPrefix("memcache_")
	e.u32("uptime", v.Uptime)
	e.u32("rusage_user", v.RUsageUser)
	e.u32("rusage_system", v.RUsageSystem)
	e.u32("curr_connections", v.CurrConnections)
	e.u32("total_connections", v.TotalConnections)
	e.u32("connection_structures", v.ConnectionStructures)
	e.u32("cmd_get", v.CmdGet)
	e.u32("cmd_set", v.CmdSet)
	e.u32("cmd_flush", v.CmdFlush)
	e.u32("get_hits", v.GetHits)
	e.u32("get_misses", v.GetMisses)
	e.u32("delete_misses", v.DeleteMisses)
	e.u32("delete_hits", v.DeleteHits)
	e.u32("incr_misses", v.IncrMisses)
	e.u32("incr_hits", v.IncrHits)
	e.u32("decr_misses", v.DecrMisses)
	e.u32("decr_hits", v.DecrHits)
	e.u32("cas_misses", v.CASMisses)
	e.u32("cas_hits", v.CASHits)
	e.u32("cas_badval", v.CASBadval)
	e.u32("auth_cmds", v.AuthCmds)
	e.u32("auth_errors", v.AuthErrors)
	e.u64("bytes_read", v.BytesRead)
	e.u64("bytes_written", v.BytesWritten)
	e.u64("limit_maxbytes", v.LimitMaxbytes)
	e.u32("accepting_conns", v.AcceptingConns)
	e.u32("listen_disabled_num", v.ListenDisabledNum)
	e.u32("threads", v.Threads)
	e.u32("conn_yields", v.ConnYields)
	e.u64("bytes", v.Bytes)
	e.u32("curr_items", v.CurrItems)
	e.u32("total_items", v.TotalItems)
	e.u32("evictions", v.Evictions)
	e.popPrefix()
}

// memcache is sflowtool's readCounters_memcache2 (format 2204).
func (w *Writer) memcache(v *sflow.MemcacheCounters) {
	e := &w.e
	e.pushPrefix("memcache_")
	e.u32("cmd_set", v.CmdSet)
	e.u32("cmd_touch", v.CmdTouch)
	e.u32("cmd_flush", v.CmdFlush)
	e.u32("get_hits", v.GetHits)
	e.u32("get_misses", v.GetMisses)
	e.u32("delete_hits", v.DeleteHits)
	e.u32("delete_misses", v.DeleteMisses)
	e.u32("incr_hits", v.IncrHits)
	e.u32("incr_misses", v.IncrMisses)
	e.u32("decr_hits", v.DecrHits)
	e.u32("decr_misses", v.DecrMisses)
	e.u32("cas_hits", v.CASHits)
	e.u32("cas_misses", v.CASMisses)
	e.u32("cas_badval", v.CASBadval)
	e.u32("auth_cmds", v.AuthCmds)
	e.u32("auth_errors", v.AuthErrors)
	e.u32("threads", v.Threads)
	e.u32("conn_yields", v.ConnYields)
	e.u32("listen_disabled_num", v.ListenDisabledNum)
	e.u32("curr_connections", v.CurrConnections)
	e.u32("rejected_connections", v.RejectedConnections)
	e.u32("total_connections", v.TotalConnections)
	e.u32("connection_structures", v.ConnectionStructures)
	e.u32("evictions", v.Evictions)
	e.u32("reclaimed", v.Reclaimed)
	e.u32("curr_items", v.CurrItems)
	e.u32("total_items", v.TotalItems)
	e.u64("bytes_read", v.BytesRead)
	e.u64("bytes_written", v.BytesWritten)
	e.u64("bytes", v.Bytes)
	e.u64("limit_maxbytes", v.LimitMaxbytes)
	e.popPrefix()
}
