package sflow

import (
	"encoding/binary"
	"slices"
)

// Building datagrams by hand, for the encoder's callers: the demo fleet, the load generator and tests.
//
//	d.Reset()
//	d.AgentAddr = netip.MustParseAddr("192.0.2.1")
//	s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters, SourceIDClass: 2, SourceIDIndex: 1})
//	d.AddHostCPU(s, sflow.HostCPU{CPUNum: 4, Len80: true})
//	buf, err := sflow.AppendDatagram(buf[:0], d)

// Reset empties d for building, keeping its allocations: no samples, no records, no errors, Version 5 and every
// other header field zero.
func (d *Datagram) Reset() {
	*d = Datagram{
		Version: Version5,
		Samples: d.Samples[:0],
		Errors:  d.Errors[:0],
		records: d.records[:0],
		store:   d.store,
	}
	d.store.reset()
}

// AddSample appends a copy of s, without records, to d.Samples and returns it; NumSamples follows, and so do
// Enterprise and Format for the known kinds (a discard sample is always Expanded). Add records
// to it with the typed adders (AddHostCPU, AddSampledHeader, ...), which keep each sample's Records and
// NumRecords up to date and may be called for any sample of d in any order.
//
// The returned pointer and the *Record the adders return point into d's slices: they are valid until the next
// AddSample (for the *Sample) or the next adder call (for the *Record). Byte slices inside the values are kept,
// not copied. Passing a *Sample that is not an element of d.Samples is a programming error and panics.
func (d *Datagram) AddSample(s Sample) *Sample {
	// Enterprise and Format of a known kind follow from Kind and Expanded, as Decode would set them.
	switch s.Kind {
	case SampleKindFlow:
		s.Enterprise, s.Format = 0, pick(s.Expanded, SampleFlowExpanded, SampleFlow)
	case SampleKindCounters:
		s.Enterprise, s.Format = 0, pick(s.Expanded, SampleCountersExpand, SampleCounters)
	case SampleKindDiscard:
		s.Enterprise, s.Format, s.Expanded = 0, SampleDiscardedPacket, true
	}
	n := len(d.records)
	s.recStart, s.recEnd = n, n
	s.Records = d.records[n:n:n]
	s.NumRecords = 0
	d.Samples = append(d.Samples, s)
	d.NumSamples = uint32(len(d.Samples))
	if s.Kind == SampleKindUnknown {
		d.UnknownSamples++
	}
	return &d.Samples[len(d.Samples)-1]
}

// addRecord inserts r at the end of sample s's range of d.records and re-slices every sample's Records.
func (d *Datagram) addRecord(s *Sample, r Record) *Record {
	i := -1
	for j := range d.Samples {
		if &d.Samples[j] == s {
			i = j
			break
		}
	}
	if i < 0 {
		panic("sflow: record added to a sample that is not in this datagram (stale *Sample after AddSample?)")
	}
	at := s.recEnd
	d.records = slices.Insert(d.records, at, r)
	s.recEnd++
	s.NumRecords = uint32(s.recEnd - s.recStart)
	for j := i + 1; j < len(d.Samples); j++ {
		d.Samples[j].recStart++
		d.Samples[j].recEnd++
	}
	for j := range d.Samples {
		x := &d.Samples[j]
		x.Records = d.records[x.recStart:x.recEnd:x.recEnd]
	}
	if r.Type == RecUnknown {
		d.UnknownRecords++
	}
	return &d.records[at]
}

// AddUnknownRecord appends a record this package does not know: enterprise:format with body data, written
// verbatim (and padded to 4 bytes) by AppendDatagram.
func (d *Datagram) AddUnknownRecord(s *Sample, enterprise, format uint32, data []byte) *Record {
	return d.addRecord(s, Record{Type: RecUnknown, Enterprise: enterprise, Format: format, Data: data, idx: -1})
}

// AddU32 appends a one-u32 flow record; format is one of FlowExtDecapEgress, FlowExtDecapIngress,
// FlowExtVNIEgress, FlowExtVNIIngress, FlowEgressQueue, FlowTransitDelay, FlowQueueDepth.
func (d *Datagram) AddU32(s *Sample, format uint32, v U32Record) *Record {
	p, idx := d.store.newU32()
	*p = v
	return d.addRecord(s, Record{Type: RecU32, Format: format, idx: idx})
}

// AddString appends a one-string flow record; format is FlowExtFunction or FlowLinuxDropReason.
func (d *Datagram) AddString(s *Sample, format uint32, v StringRecord) *Record {
	p, idx := d.store.newString()
	*p = v
	return d.addRecord(s, Record{Type: RecString, Format: format, idx: idx})
}

// AddASPathSegment appends a dst_as_path segment (typ 1 AS_SET, 2 AS_SEQUENCE) to g's wire-form AS path.
func (g *ExtGateway) AddASPathSegment(typ uint32, asns ...uint32) {
	g.ASPathRaw = binary.BigEndian.AppendUint32(g.ASPathRaw, typ)
	g.ASPathRaw = appendU32(g.ASPathRaw, uint32(len(asns)))
	g.ASPathRaw = appendU32s(g.ASPathRaw, asns...)
	g.NumSegments++
}

// NewWords returns vs as a wire-form u32 list (a label stack, a VLAN tag stack).
func NewWords(vs ...uint32) Words { return Words(appendU32s(make([]byte, 0, 4*len(vs)), vs...)) }

// AddCommunity appends a BGP community to g's wire-form community list.
func (g *ExtGateway) AddCommunity(c uint32) {
	g.Communities = appendU32(g.Communities, c)
	g.NumCommunity++
}

// AddAdapter appends an adapter (ifIndex and its MAC addresses) to a's wire-form adapter list.
func (a *HostAdapters) AddAdapter(ifIndex uint32, macs ...[6]byte) {
	a.Raw = appendU32(a.Raw, ifIndex)
	a.Raw = appendU32(a.Raw, uint32(len(macs)))
	for _, m := range macs {
		a.Raw = appendMAC(a.Raw, m)
	}
	a.NumAdapters++
}

// socketFormat is the wire format of a socket record: by proxy-ness and by the family of the local address.
func socketFormat(v *Socket) uint32 {
	f := uint32(FlowExtSocketIPv4)
	if v.LocalIP.Is6() {
		f = FlowExtSocketIPv6
	}
	if v.Proxy {
		f += FlowExtProxySocketIPv4 - FlowExtSocketIPv4
	}
	return f
}

// pick returns a if cond, else b.
func pick(cond bool, a, b uint32) uint32 {
	if cond {
		return a
	}
	return b
}

// AddSampledHeader appends a flow 0:1 sampled_header record to s. See AddSample for the rules.
func (d *Datagram) AddSampledHeader(s *Sample, v SampledHeader) *Record {
	p, idx := d.store.newSampledHeader()
	*p = v
	return d.addRecord(s, Record{Type: RecSampledHeader, Enterprise: 0, Format: FlowSampledHeader, idx: idx})
}

// AddSampledEthernet appends a flow 0:2 sampled_ethernet (set the returned Record's Format for the 1021/1022 tunnel records) record to s. See AddSample for the rules.
func (d *Datagram) AddSampledEthernet(s *Sample, v SampledEthernet) *Record {
	p, idx := d.store.newSampledEthernet()
	*p = v
	return d.addRecord(s, Record{Type: RecSampledEthernet, Enterprise: 0, Format: FlowSampledEthernet, idx: idx})
}

// AddSampledIPv4 appends a flow 0:3 sampled_ipv4 (set the returned Record's Format for the 1023/1024 tunnel records) record to s. See AddSample for the rules.
func (d *Datagram) AddSampledIPv4(s *Sample, v SampledIP) *Record {
	p, idx := d.store.newSampledIPv4()
	*p = v
	return d.addRecord(s, Record{Type: RecSampledIPv4, Enterprise: 0, Format: FlowSampledIPv4, idx: idx})
}

// AddSampledIPv6 appends a flow 0:4 sampled_ipv6 (set the returned Record's Format for the 1025/1026 tunnel records) record to s. See AddSample for the rules.
func (d *Datagram) AddSampledIPv6(s *Sample, v SampledIP) *Record {
	p, idx := d.store.newSampledIPv6()
	*p = v
	return d.addRecord(s, Record{Type: RecSampledIPv6, Enterprise: 0, Format: FlowSampledIPv6, idx: idx})
}

// AddExtSwitch appends a flow 0:1001 extended_switch record to s. See AddSample for the rules.
func (d *Datagram) AddExtSwitch(s *Sample, v ExtSwitch) *Record {
	p, idx := d.store.newExtSwitch()
	*p = v
	return d.addRecord(s, Record{Type: RecExtSwitch, Enterprise: 0, Format: FlowExtSwitch, idx: idx})
}

// AddExtRouter appends a flow 0:1002 extended_router record to s. See AddSample for the rules.
func (d *Datagram) AddExtRouter(s *Sample, v ExtRouter) *Record {
	p, idx := d.store.newExtRouter()
	*p = v
	return d.addRecord(s, Record{Type: RecExtRouter, Enterprise: 0, Format: FlowExtRouter, idx: idx})
}

// AddExtGateway appends a flow 0:1003 extended_gateway (build its AS path and communities with AddASPathSegment and AddCommunity) record to s. See AddSample for the rules.
func (d *Datagram) AddExtGateway(s *Sample, v ExtGateway) *Record {
	p, idx := d.store.newExtGateway()
	*p = v
	return d.addRecord(s, Record{Type: RecExtGateway, Enterprise: 0, Format: FlowExtGateway, idx: idx})
}

// AddExtUser appends a flow 0:1004 extended_user record to s. See AddSample for the rules.
func (d *Datagram) AddExtUser(s *Sample, v ExtUser) *Record {
	p, idx := d.store.newExtUser()
	*p = v
	return d.addRecord(s, Record{Type: RecExtUser, Enterprise: 0, Format: FlowExtUser, idx: idx})
}

// AddExtURL appends a flow 0:1005 extended_url record to s. See AddSample for the rules.
func (d *Datagram) AddExtURL(s *Sample, v ExtURL) *Record {
	p, idx := d.store.newExtURL()
	*p = v
	return d.addRecord(s, Record{Type: RecExtURL, Enterprise: 0, Format: FlowExtURL, idx: idx})
}

// AddExtACL appends a flow 0:1037 extended_acl record to s. See AddSample for the rules.
func (d *Datagram) AddExtACL(s *Sample, v ExtACL) *Record {
	p, idx := d.store.newExtACL()
	*p = v
	return d.addRecord(s, Record{Type: RecExtACL, Enterprise: 0, Format: FlowExtACL, idx: idx})
}

// AddHWTrap appends a flow 0:1041 hw_trap record to s. See AddSample for the rules.
func (d *Datagram) AddHWTrap(s *Sample, v HWTrap) *Record {
	p, idx := d.store.newHWTrap()
	*p = v
	return d.addRecord(s, Record{Type: RecHWTrap, Enterprise: 0, Format: FlowHWTrap, idx: idx})
}

// AddTimestamp appends a flow 0:1043 timestamp record to s. See AddSample for the rules.
func (d *Datagram) AddTimestamp(s *Sample, v Timestamp) *Record {
	p, idx := d.store.newTimestamp()
	*p = v
	return d.addRecord(s, Record{Type: RecTimestamp, Enterprise: 0, Format: FlowTimestamp, idx: idx})
}

// AddSocket appends a flow 2100-2103 extended_(proxy_)socket_ipv4/ipv6, chosen by v.Proxy and the family of v.LocalIP record to s. See AddSample for the rules.
func (d *Datagram) AddSocket(s *Sample, v Socket) *Record {
	p, idx := d.store.newSocket()
	*p = v
	return d.addRecord(s, Record{Type: RecSocket, Enterprise: 0, Format: socketFormat(&v), idx: idx})
}

// AddMemcacheOp appends a flow 0:2200 memcache_operation record to s. See AddSample for the rules.
func (d *Datagram) AddMemcacheOp(s *Sample, v MemcacheOp) *Record {
	p, idx := d.store.newMemcacheOp()
	*p = v
	return d.addRecord(s, Record{Type: RecMemcacheOp, Enterprise: 0, Format: FlowMemcacheOperation, idx: idx})
}

// AddHTTPRequest appends a flow 0:2206 http_request, or 0:2201 when v.Legacy record to s. See AddSample for the rules.
func (d *Datagram) AddHTTPRequest(s *Sample, v HTTPRequest) *Record {
	p, idx := d.store.newHTTPRequest()
	*p = v
	return d.addRecord(s, Record{Type: RecHTTPRequest, Enterprise: 0, Format: pick(v.Legacy, FlowHTTPRequestLegacy, FlowHTTPRequest), idx: idx})
}

// AddProxyRequest appends a flow 0:2207 extended_proxy_request record to s. See AddSample for the rules.
func (d *Datagram) AddProxyRequest(s *Sample, v ProxyRequest) *Record {
	p, idx := d.store.newProxyRequest()
	*p = v
	return d.addRecord(s, Record{Type: RecProxyRequest, Enterprise: 0, Format: FlowExtProxyRequest, idx: idx})
}

// AddAppOperation appends a flow 0:2202 app_operation record to s. See AddSample for the rules.
func (d *Datagram) AddAppOperation(s *Sample, v AppOperation) *Record {
	p, idx := d.store.newAppOperation()
	*p = v
	return d.addRecord(s, Record{Type: RecAppOperation, Enterprise: 0, Format: FlowAppOperation, idx: idx})
}

// AddAppContext appends a flow 0:2203 app_parent_context record to s. See AddSample for the rules.
func (d *Datagram) AddAppContext(s *Sample, v AppContext) *Record {
	p, idx := d.store.newAppContext()
	*p = v
	return d.addRecord(s, Record{Type: RecAppContext, Enterprise: 0, Format: FlowAppParentContext, idx: idx})
}

// AddAppActor appends a flow 0:2204 app_initiator, or 0:2205 app_target when v.Target record to s. See AddSample for the rules.
func (d *Datagram) AddAppActor(s *Sample, v AppActor) *Record {
	p, idx := d.store.newAppActor()
	*p = v
	return d.addRecord(s, Record{Type: RecAppActor, Enterprise: 0, Format: pick(v.Target, FlowAppTarget, FlowAppInitiator), idx: idx})
}

// AddTCPInfo appends a flow 0:2209 tcp_info record to s. See AddSample for the rules.
func (d *Datagram) AddTCPInfo(s *Sample, v TCPInfo) *Record {
	p, idx := d.store.newTCPInfo()
	*p = v
	return d.addRecord(s, Record{Type: RecTCPInfo, Enterprise: 0, Format: FlowTCPInfo, idx: idx})
}

// AddEntities appends a flow 0:2210 entities record to s. See AddSample for the rules.
func (d *Datagram) AddEntities(s *Sample, v Entities) *Record {
	p, idx := d.store.newEntities()
	*p = v
	return d.addRecord(s, Record{Type: RecEntities, Enterprise: 0, Format: FlowEntities, idx: idx})
}

// AddIfCounters appends a counter 0:1 if_counters record to s. See AddSample for the rules.
func (d *Datagram) AddIfCounters(s *Sample, v IfCounters) *Record {
	p, idx := d.store.newIfCounters()
	*p = v
	return d.addRecord(s, Record{Type: RecIfCounters, Enterprise: 0, Format: CounterGenericInterface, idx: idx})
}

// AddEthernetCounters appends a counter 0:2 ethernet_counters record to s. See AddSample for the rules.
func (d *Datagram) AddEthernetCounters(s *Sample, v EthernetCounters) *Record {
	p, idx := d.store.newEthernetCounters()
	*p = v
	return d.addRecord(s, Record{Type: RecEthernetCounters, Enterprise: 0, Format: CounterEthernet, idx: idx})
}

// AddVLANCounters appends a counter 0:5 vlan_counters record to s. See AddSample for the rules.
func (d *Datagram) AddVLANCounters(s *Sample, v VLANCounters) *Record {
	p, idx := d.store.newVLANCounters()
	*p = v
	return d.addRecord(s, Record{Type: RecVLANCounters, Enterprise: 0, Format: CounterVLAN, idx: idx})
}

// AddLACPCounters appends a counter 0:7 lacp_counters record to s. See AddSample for the rules.
func (d *Datagram) AddLACPCounters(s *Sample, v LACPCounters) *Record {
	p, idx := d.store.newLACPCounters()
	*p = v
	return d.addRecord(s, Record{Type: RecLACPCounters, Enterprise: 0, Format: CounterLACP, idx: idx})
}

// AddProcessor appends a counter 0:1001 processor record to s. See AddSample for the rules.
func (d *Datagram) AddProcessor(s *Sample, v Processor) *Record {
	p, idx := d.store.newProcessor()
	*p = v
	return d.addRecord(s, Record{Type: RecProcessor, Enterprise: 0, Format: CounterProcessor, idx: idx})
}

// AddOpenFlowPort appends a counter 0:1004 of_port record to s. See AddSample for the rules.
func (d *Datagram) AddOpenFlowPort(s *Sample, v OpenFlowPort) *Record {
	p, idx := d.store.newOpenFlowPort()
	*p = v
	return d.addRecord(s, Record{Type: RecOpenFlowPort, Enterprise: 0, Format: CounterOpenFlowPort, idx: idx})
}

// AddPortName appends a counter 0:1005 port_name record to s. See AddSample for the rules.
func (d *Datagram) AddPortName(s *Sample, v PortName) *Record {
	p, idx := d.store.newPortName()
	*p = v
	return d.addRecord(s, Record{Type: RecPortName, Enterprise: 0, Format: CounterPortName, idx: idx})
}

// AddHostDescr appends a counter 0:2000 host_descr record to s. See AddSample for the rules.
func (d *Datagram) AddHostDescr(s *Sample, v HostDescr) *Record {
	p, idx := d.store.newHostDescr()
	*p = v
	return d.addRecord(s, Record{Type: RecHostDescr, Enterprise: 0, Format: CounterHostDescr, idx: idx})
}

// AddHostAdapters appends a counter 0:2001 host_adapters (build it with AddAdapter) record to s. See AddSample for the rules.
func (d *Datagram) AddHostAdapters(s *Sample, v HostAdapters) *Record {
	p, idx := d.store.newHostAdapters()
	*p = v
	return d.addRecord(s, Record{Type: RecHostAdapters, Enterprise: 0, Format: CounterHostAdapters, idx: idx})
}

// AddHostParent appends a counter 0:2002 host_parent record to s. See AddSample for the rules.
func (d *Datagram) AddHostParent(s *Sample, v HostParent) *Record {
	p, idx := d.store.newHostParent()
	*p = v
	return d.addRecord(s, Record{Type: RecHostParent, Enterprise: 0, Format: CounterHostParent, idx: idx})
}

// AddHostCPU appends a counter 0:2003 host_cpu (80 bytes when v.Len80, else 68) record to s. See AddSample for the rules.
func (d *Datagram) AddHostCPU(s *Sample, v HostCPU) *Record {
	p, idx := d.store.newHostCPU()
	*p = v
	return d.addRecord(s, Record{Type: RecHostCPU, Enterprise: 0, Format: CounterHostCPU, idx: idx})
}

// AddHostMemory appends a counter 0:2004 host_memory record to s. See AddSample for the rules.
func (d *Datagram) AddHostMemory(s *Sample, v HostMemory) *Record {
	p, idx := d.store.newHostMemory()
	*p = v
	return d.addRecord(s, Record{Type: RecHostMemory, Enterprise: 0, Format: CounterHostMemory, idx: idx})
}

// AddHostDiskIO appends a counter 0:2005 host_disk_io record to s. See AddSample for the rules.
func (d *Datagram) AddHostDiskIO(s *Sample, v HostDiskIO) *Record {
	p, idx := d.store.newHostDiskIO()
	*p = v
	return d.addRecord(s, Record{Type: RecHostDiskIO, Enterprise: 0, Format: CounterHostDiskIO, idx: idx})
}

// AddHostNetIO appends a counter 0:2006 host_net_io, or 0:2104 virt_net_io when v.Virt record to s. See AddSample for the rules.
func (d *Datagram) AddHostNetIO(s *Sample, v HostNetIO) *Record {
	p, idx := d.store.newHostNetIO()
	*p = v
	return d.addRecord(s, Record{Type: RecHostNetIO, Enterprise: 0, Format: pick(v.Virt, CounterVirtNetIO, CounterHostNetIO), idx: idx})
}

// AddMIB2IP appends a counter 0:2007 mib2_ip_group record to s. See AddSample for the rules.
func (d *Datagram) AddMIB2IP(s *Sample, v MIB2IP) *Record {
	p, idx := d.store.newMIB2IP()
	*p = v
	return d.addRecord(s, Record{Type: RecMIB2IP, Enterprise: 0, Format: CounterMIB2IP, idx: idx})
}

// AddMIB2ICMP appends a counter 0:2008 mib2_icmp_group record to s. See AddSample for the rules.
func (d *Datagram) AddMIB2ICMP(s *Sample, v MIB2ICMP) *Record {
	p, idx := d.store.newMIB2ICMP()
	*p = v
	return d.addRecord(s, Record{Type: RecMIB2ICMP, Enterprise: 0, Format: CounterMIB2ICMP, idx: idx})
}

// AddMIB2TCP appends a counter 0:2009 mib2_tcp_group record to s. See AddSample for the rules.
func (d *Datagram) AddMIB2TCP(s *Sample, v MIB2TCP) *Record {
	p, idx := d.store.newMIB2TCP()
	*p = v
	return d.addRecord(s, Record{Type: RecMIB2TCP, Enterprise: 0, Format: CounterMIB2TCP, idx: idx})
}

// AddMIB2UDP appends a counter 0:2010 mib2_udp_group record to s. See AddSample for the rules.
func (d *Datagram) AddMIB2UDP(s *Sample, v MIB2UDP) *Record {
	p, idx := d.store.newMIB2UDP()
	*p = v
	return d.addRecord(s, Record{Type: RecMIB2UDP, Enterprise: 0, Format: CounterMIB2UDP, idx: idx})
}

// AddVirtNode appends a counter 0:2100 virt_node record to s. See AddSample for the rules.
func (d *Datagram) AddVirtNode(s *Sample, v VirtNode) *Record {
	p, idx := d.store.newVirtNode()
	*p = v
	return d.addRecord(s, Record{Type: RecVirtNode, Enterprise: 0, Format: CounterVirtNode, idx: idx})
}

// AddVirtCPU appends a counter 0:2101 virt_cpu record to s. See AddSample for the rules.
func (d *Datagram) AddVirtCPU(s *Sample, v VirtCPU) *Record {
	p, idx := d.store.newVirtCPU()
	*p = v
	return d.addRecord(s, Record{Type: RecVirtCPU, Enterprise: 0, Format: CounterVirtCPU, idx: idx})
}

// AddVirtMemory appends a counter 0:2102 virt_memory record to s. See AddSample for the rules.
func (d *Datagram) AddVirtMemory(s *Sample, v VirtMemory) *Record {
	p, idx := d.store.newVirtMemory()
	*p = v
	return d.addRecord(s, Record{Type: RecVirtMemory, Enterprise: 0, Format: CounterVirtMemory, idx: idx})
}

// AddVirtDiskIO appends a counter 0:2103 virt_disk_io record to s. See AddSample for the rules.
func (d *Datagram) AddVirtDiskIO(s *Sample, v VirtDiskIO) *Record {
	p, idx := d.store.newVirtDiskIO()
	*p = v
	return d.addRecord(s, Record{Type: RecVirtDiskIO, Enterprise: 0, Format: CounterVirtDiskIO, idx: idx})
}

// AddJVMRuntime appends a counter 0:2105 jvm_runtime record to s. See AddSample for the rules.
func (d *Datagram) AddJVMRuntime(s *Sample, v JVMRuntime) *Record {
	p, idx := d.store.newJVMRuntime()
	*p = v
	return d.addRecord(s, Record{Type: RecJVMRuntime, Enterprise: 0, Format: CounterJVMRuntime, idx: idx})
}

// AddJVMStatistics appends a counter 0:2106 jvm_statistics (108 bytes when v.Len108, else 100) record to s. See AddSample for the rules.
func (d *Datagram) AddJVMStatistics(s *Sample, v JVMStatistics) *Record {
	p, idx := d.store.newJVMStatistics()
	*p = v
	return d.addRecord(s, Record{Type: RecJVMStatistics, Enterprise: 0, Format: CounterJVMStatistics, idx: idx})
}

// AddMemcacheCounters appends a counter 0:2204 memcache_counters, or the legacy 0:2200 layout when v.Legacy record to s. See AddSample for the rules.
func (d *Datagram) AddMemcacheCounters(s *Sample, v MemcacheCounters) *Record {
	p, idx := d.store.newMemcacheCounters()
	*p = v
	return d.addRecord(s, Record{Type: RecMemcacheCounters, Enterprise: 0, Format: pick(v.Legacy, CounterMemcacheLegacy, CounterMemcache), idx: idx})
}

// AddHTTPCounters appends a counter 0:2201 http_counters record to s. See AddSample for the rules.
func (d *Datagram) AddHTTPCounters(s *Sample, v HTTPCounters) *Record {
	p, idx := d.store.newHTTPCounters()
	*p = v
	return d.addRecord(s, Record{Type: RecHTTPCounters, Enterprise: 0, Format: CounterHTTP, idx: idx})
}

// AddAppOperations appends a counter 0:2202 app_operations record to s. See AddSample for the rules.
func (d *Datagram) AddAppOperations(s *Sample, v AppOperations) *Record {
	p, idx := d.store.newAppOperations()
	*p = v
	return d.addRecord(s, Record{Type: RecAppOperations, Enterprise: 0, Format: CounterAppOperations, idx: idx})
}

// AddAppResources appends a counter 0:2203 app_resources record to s. See AddSample for the rules.
func (d *Datagram) AddAppResources(s *Sample, v AppResources) *Record {
	p, idx := d.store.newAppResources()
	*p = v
	return d.addRecord(s, Record{Type: RecAppResources, Enterprise: 0, Format: CounterAppResources, idx: idx})
}

// AddAppWorkers appends a counter 0:2206 app_workers record to s. See AddSample for the rules.
func (d *Datagram) AddAppWorkers(s *Sample, v AppWorkers) *Record {
	p, idx := d.store.newAppWorkers()
	*p = v
	return d.addRecord(s, Record{Type: RecAppWorkers, Enterprise: 0, Format: CounterAppWorkers, idx: idx})
}

// AddOVSDP appends a counter 0:2207 ovs_dp_stats record to s. See AddSample for the rules.
func (d *Datagram) AddOVSDP(s *Sample, v OVSDP) *Record {
	p, idx := d.store.newOVSDP()
	*p = v
	return d.addRecord(s, Record{Type: RecOVSDP, Enterprise: 0, Format: CounterOVSDP, idx: idx})
}

// AddBroadcomTables appends a counter 4413:3 broadcom tables record to s. See AddSample for the rules.
func (d *Datagram) AddBroadcomTables(s *Sample, v BroadcomTables) *Record {
	p, idx := d.store.newBroadcomTables()
	*p = v
	return d.addRecord(s, Record{Type: RecBroadcomTables, Enterprise: EnterpriseBroadcom, Format: CounterBroadcomTables, idx: idx})
}

// AddExtMPLS appends a flow 0:1006 extended_mpls record to s. See AddSample for the rules.
func (d *Datagram) AddExtMPLS(s *Sample, v ExtMPLS) *Record {
	p, idx := d.store.newExtMPLS()
	*p = v
	return d.addRecord(s, Record{Type: RecExtMPLS, Format: FlowExtMPLS, idx: idx})
}

// AddExtNAT appends a flow 0:1007 extended_nat record to s. See AddSample for the rules.
func (d *Datagram) AddExtNAT(s *Sample, v ExtNAT) *Record {
	p, idx := d.store.newExtNAT()
	*p = v
	return d.addRecord(s, Record{Type: RecExtNAT, Format: FlowExtNAT, idx: idx})
}

// AddExtMPLSTunnel appends a flow 0:1008 extended_mpls_tunnel record to s, or with format FlowExtMPLSVC a
// 0:1009 extended_mpls_vc. See AddSample for the rules.
func (d *Datagram) AddExtMPLSTunnel(s *Sample, format uint32, v ExtMPLSTunnel) *Record {
	p, idx := d.store.newExtMPLSTunnel()
	*p = v
	return d.addRecord(s, Record{Type: RecExtMPLSTunnel, Format: format, idx: idx})
}

// AddExtMPLSFTN appends a flow 0:1010 extended_mpls_FTN record to s. See AddSample for the rules.
func (d *Datagram) AddExtMPLSFTN(s *Sample, v ExtMPLSFTN) *Record {
	p, idx := d.store.newExtMPLSFTN()
	*p = v
	return d.addRecord(s, Record{Type: RecExtMPLSFTN, Format: FlowExtMPLSFTN, idx: idx})
}

// AddExtVLANTunnel appends a flow 0:1012 extended_vlantunnel record to s. See AddSample for the rules.
func (d *Datagram) AddExtVLANTunnel(s *Sample, v ExtVLANTunnel) *Record {
	p, idx := d.store.newExtVLANTunnel()
	*p = v
	return d.addRecord(s, Record{Type: RecExtVLANTunnel, Format: FlowExtVLANTunnel, idx: idx})
}

// AddExtWifiPayload appends a flow 0:1013 extended_wifi_payload record to s. See AddSample for the rules.
func (d *Datagram) AddExtWifiPayload(s *Sample, v ExtWifiPayload) *Record {
	p, idx := d.store.newExtWifiPayload()
	*p = v
	return d.addRecord(s, Record{Type: RecExtWifiPayload, Format: FlowExtWifiPayload, idx: idx})
}

// AddExtWifiRx appends a flow 0:1014 extended_wifi_rx record to s. See AddSample for the rules.
func (d *Datagram) AddExtWifiRx(s *Sample, v ExtWifiRx) *Record {
	p, idx := d.store.newExtWifiRx()
	*p = v
	return d.addRecord(s, Record{Type: RecExtWifiRx, Format: FlowExtWifiRx, idx: idx})
}

// AddExtWifiTx appends a flow 0:1015 extended_wifi_tx record to s. See AddSample for the rules.
func (d *Datagram) AddExtWifiTx(s *Sample, v ExtWifiTx) *Record {
	p, idx := d.store.newExtWifiTx()
	*p = v
	return d.addRecord(s, Record{Type: RecExtWifiTx, Format: FlowExtWifiTx, idx: idx})
}

// AddSFP appends a counter 0:10 sfp record (build its lanes with AddLane) to s. See AddSample for the rules.
func (d *Datagram) AddSFP(s *Sample, v SFP) *Record {
	p, idx := d.store.newSFP()
	*p = v
	return d.addRecord(s, Record{Type: RecSFP, Format: CounterSFP, idx: idx})
}

// AddPFC appends a counter 0:11 pfc record to s. See AddSample for the rules.
func (d *Datagram) AddPFC(s *Sample, v PFC) *Record {
	p, idx := d.store.newPFC()
	*p = v
	return d.addRecord(s, Record{Type: RecPFC, Format: CounterPFC, idx: idx})
}

// AddLane appends a lane to v's wire-form lane list.
func (v *SFP) AddLane(l SFPLane) {
	v.Lanes = appendU32s(v.Lanes, l.Index, l.TxBiasCurrent, l.TxPower, l.TxPowerMin, l.TxPowerMax, l.TxWavelength,
		l.RxPower, l.RxPowerMin, l.RxPowerMax, l.RxWavelength)
}
