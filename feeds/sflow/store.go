// The typed record storage of a Datagram and its accessors, one per RecordType.

package sflow

// recordStore holds the typed records of one Datagram, one slice per type, reused across Decode calls. Its new*
// methods append a zero literal, which the compiler zeroes in place; appending a zeroed variable would have it
// zero the variable and then copy it, per record decoded.
type recordStore struct {
	sampledHeader    []SampledHeader
	sampledEthernet  []SampledEthernet
	sampledIPv4      []SampledIP
	sampledIPv6      []SampledIP
	extSwitch        []ExtSwitch
	extRouter        []ExtRouter
	extGateway       []ExtGateway
	extUser          []ExtUser
	extURL           []ExtURL
	u32              []U32Record
	extACL           []ExtACL
	str              []StringRecord
	hwTrap           []HWTrap
	timestamp        []Timestamp
	socket           []Socket
	memcacheOp       []MemcacheOp
	httpRequest      []HTTPRequest
	proxyRequest     []ProxyRequest
	appOperation     []AppOperation
	appContext       []AppContext
	appActor         []AppActor
	tcpInfo          []TCPInfo
	entities         []Entities
	ifCounters       []IfCounters
	ethernetCounters []EthernetCounters
	vlanCounters     []VLANCounters
	lacpCounters     []LACPCounters
	processor        []Processor
	openFlowPort     []OpenFlowPort
	portName         []PortName
	hostDescr        []HostDescr
	hostAdapters     []HostAdapters
	hostParent       []HostParent
	hostCPU          []HostCPU
	hostMemory       []HostMemory
	hostDiskIO       []HostDiskIO
	hostNetIO        []HostNetIO
	mib2IP           []MIB2IP
	mib2ICMP         []MIB2ICMP
	mib2TCP          []MIB2TCP
	mib2UDP          []MIB2UDP
	virtNode         []VirtNode
	virtCPU          []VirtCPU
	virtMemory       []VirtMemory
	virtDiskIO       []VirtDiskIO
	jvmRuntime       []JVMRuntime
	jvmStatistics    []JVMStatistics
	memcacheCounters []MemcacheCounters
	httpCounters     []HTTPCounters
	appOperations    []AppOperations
	appResources     []AppResources
	appWorkers       []AppWorkers
	ovsDP            []OVSDP
	broadcomTables   []BroadcomTables
	// rare holds the records few agents send (MPLS, NAT, VLAN tunnels, 802.11, optics, PFC), emptied only
	// after one was decoded, so that datagrams without them do not pay for emptying their slices.
	rare     rareStore
	rareUsed bool
}

// reset empties every typed slice, keeping capacity.
func (s *recordStore) reset() {
	s.sampledHeader = s.sampledHeader[:0]
	s.sampledEthernet = s.sampledEthernet[:0]
	s.sampledIPv4 = s.sampledIPv4[:0]
	s.sampledIPv6 = s.sampledIPv6[:0]
	s.extSwitch = s.extSwitch[:0]
	s.extRouter = s.extRouter[:0]
	s.extGateway = s.extGateway[:0]
	s.extUser = s.extUser[:0]
	s.extURL = s.extURL[:0]
	s.u32 = s.u32[:0]
	s.extACL = s.extACL[:0]
	s.str = s.str[:0]
	s.hwTrap = s.hwTrap[:0]
	s.timestamp = s.timestamp[:0]
	s.socket = s.socket[:0]
	s.memcacheOp = s.memcacheOp[:0]
	s.httpRequest = s.httpRequest[:0]
	s.proxyRequest = s.proxyRequest[:0]
	s.appOperation = s.appOperation[:0]
	s.appContext = s.appContext[:0]
	s.appActor = s.appActor[:0]
	s.tcpInfo = s.tcpInfo[:0]
	s.entities = s.entities[:0]
	s.ifCounters = s.ifCounters[:0]
	s.ethernetCounters = s.ethernetCounters[:0]
	s.vlanCounters = s.vlanCounters[:0]
	s.lacpCounters = s.lacpCounters[:0]
	s.processor = s.processor[:0]
	s.openFlowPort = s.openFlowPort[:0]
	s.portName = s.portName[:0]
	s.hostDescr = s.hostDescr[:0]
	s.hostAdapters = s.hostAdapters[:0]
	s.hostParent = s.hostParent[:0]
	s.hostCPU = s.hostCPU[:0]
	s.hostMemory = s.hostMemory[:0]
	s.hostDiskIO = s.hostDiskIO[:0]
	s.hostNetIO = s.hostNetIO[:0]
	s.mib2IP = s.mib2IP[:0]
	s.mib2ICMP = s.mib2ICMP[:0]
	s.mib2TCP = s.mib2TCP[:0]
	s.mib2UDP = s.mib2UDP[:0]
	s.virtNode = s.virtNode[:0]
	s.virtCPU = s.virtCPU[:0]
	s.virtMemory = s.virtMemory[:0]
	s.virtDiskIO = s.virtDiskIO[:0]
	s.jvmRuntime = s.jvmRuntime[:0]
	s.jvmStatistics = s.jvmStatistics[:0]
	s.memcacheCounters = s.memcacheCounters[:0]
	s.httpCounters = s.httpCounters[:0]
	s.appOperations = s.appOperations[:0]
	s.appResources = s.appResources[:0]
	s.appWorkers = s.appWorkers[:0]
	s.ovsDP = s.ovsDP[:0]
	s.broadcomTables = s.broadcomTables[:0]
	if s.rareUsed {
		s.rare.reset()
		s.rareUsed = false
	}
}

// SampledHeader returns the record's SampledHeader, or nil if r is not a RecSampledHeader.
func (d *Datagram) SampledHeader(r *Record) *SampledHeader {
	if r.Type != RecSampledHeader || int(r.idx) >= len(d.store.sampledHeader) {
		return nil
	}
	return &d.store.sampledHeader[r.idx]
}

// newSampledHeader appends a zeroed SampledHeader for a record being decoded and returns it with its index.
func (s *recordStore) newSampledHeader() (*SampledHeader, int32) {
	s.sampledHeader = append(s.sampledHeader, SampledHeader{})
	return &s.sampledHeader[len(s.sampledHeader)-1], int32(len(s.sampledHeader) - 1)
}

// SampledEthernet returns the record's SampledEthernet, or nil if r is not a RecSampledEthernet.
func (d *Datagram) SampledEthernet(r *Record) *SampledEthernet {
	if r.Type != RecSampledEthernet || int(r.idx) >= len(d.store.sampledEthernet) {
		return nil
	}
	return &d.store.sampledEthernet[r.idx]
}

// newSampledEthernet appends a zeroed SampledEthernet for a record being decoded and returns it with its index.
func (s *recordStore) newSampledEthernet() (*SampledEthernet, int32) {
	s.sampledEthernet = append(s.sampledEthernet, SampledEthernet{})
	return &s.sampledEthernet[len(s.sampledEthernet)-1], int32(len(s.sampledEthernet) - 1)
}

// SampledIPv4 returns the record's SampledIP, or nil if r is not a RecSampledIPv4.
func (d *Datagram) SampledIPv4(r *Record) *SampledIP {
	if r.Type != RecSampledIPv4 || int(r.idx) >= len(d.store.sampledIPv4) {
		return nil
	}
	return &d.store.sampledIPv4[r.idx]
}

// newSampledIPv4 appends a zeroed SampledIP for a record being decoded and returns it with its index.
func (s *recordStore) newSampledIPv4() (*SampledIP, int32) {
	s.sampledIPv4 = append(s.sampledIPv4, SampledIP{})
	return &s.sampledIPv4[len(s.sampledIPv4)-1], int32(len(s.sampledIPv4) - 1)
}

// SampledIPv6 returns the record's SampledIP, or nil if r is not a RecSampledIPv6.
func (d *Datagram) SampledIPv6(r *Record) *SampledIP {
	if r.Type != RecSampledIPv6 || int(r.idx) >= len(d.store.sampledIPv6) {
		return nil
	}
	return &d.store.sampledIPv6[r.idx]
}

// newSampledIPv6 appends a zeroed SampledIP for a record being decoded and returns it with its index.
func (s *recordStore) newSampledIPv6() (*SampledIP, int32) {
	s.sampledIPv6 = append(s.sampledIPv6, SampledIP{})
	return &s.sampledIPv6[len(s.sampledIPv6)-1], int32(len(s.sampledIPv6) - 1)
}

// ExtSwitch returns the record's ExtSwitch, or nil if r is not a RecExtSwitch.
func (d *Datagram) ExtSwitch(r *Record) *ExtSwitch {
	if r.Type != RecExtSwitch || int(r.idx) >= len(d.store.extSwitch) {
		return nil
	}
	return &d.store.extSwitch[r.idx]
}

// newExtSwitch appends a zeroed ExtSwitch for a record being decoded and returns it with its index.
func (s *recordStore) newExtSwitch() (*ExtSwitch, int32) {
	s.extSwitch = append(s.extSwitch, ExtSwitch{})
	return &s.extSwitch[len(s.extSwitch)-1], int32(len(s.extSwitch) - 1)
}

// ExtRouter returns the record's ExtRouter, or nil if r is not a RecExtRouter.
func (d *Datagram) ExtRouter(r *Record) *ExtRouter {
	if r.Type != RecExtRouter || int(r.idx) >= len(d.store.extRouter) {
		return nil
	}
	return &d.store.extRouter[r.idx]
}

// newExtRouter appends a zeroed ExtRouter for a record being decoded and returns it with its index.
func (s *recordStore) newExtRouter() (*ExtRouter, int32) {
	s.extRouter = append(s.extRouter, ExtRouter{})
	return &s.extRouter[len(s.extRouter)-1], int32(len(s.extRouter) - 1)
}

// ExtGateway returns the record's ExtGateway, or nil if r is not a RecExtGateway.
func (d *Datagram) ExtGateway(r *Record) *ExtGateway {
	if r.Type != RecExtGateway || int(r.idx) >= len(d.store.extGateway) {
		return nil
	}
	return &d.store.extGateway[r.idx]
}

// newExtGateway appends a zeroed ExtGateway for a record being decoded and returns it with its index.
func (s *recordStore) newExtGateway() (*ExtGateway, int32) {
	s.extGateway = append(s.extGateway, ExtGateway{})
	return &s.extGateway[len(s.extGateway)-1], int32(len(s.extGateway) - 1)
}

// ExtUser returns the record's ExtUser, or nil if r is not a RecExtUser.
func (d *Datagram) ExtUser(r *Record) *ExtUser {
	if r.Type != RecExtUser || int(r.idx) >= len(d.store.extUser) {
		return nil
	}
	return &d.store.extUser[r.idx]
}

// newExtUser appends a zeroed ExtUser for a record being decoded and returns it with its index.
func (s *recordStore) newExtUser() (*ExtUser, int32) {
	s.extUser = append(s.extUser, ExtUser{})
	return &s.extUser[len(s.extUser)-1], int32(len(s.extUser) - 1)
}

// ExtURL returns the record's ExtURL, or nil if r is not a RecExtURL.
func (d *Datagram) ExtURL(r *Record) *ExtURL {
	if r.Type != RecExtURL || int(r.idx) >= len(d.store.extURL) {
		return nil
	}
	return &d.store.extURL[r.idx]
}

// newExtURL appends a zeroed ExtURL for a record being decoded and returns it with its index.
func (s *recordStore) newExtURL() (*ExtURL, int32) {
	s.extURL = append(s.extURL, ExtURL{})
	return &s.extURL[len(s.extURL)-1], int32(len(s.extURL) - 1)
}

// U32 returns the record's U32Record, or nil if r is not a RecU32.
func (d *Datagram) U32(r *Record) *U32Record {
	if r.Type != RecU32 || int(r.idx) >= len(d.store.u32) {
		return nil
	}
	return &d.store.u32[r.idx]
}

// newU32 appends a zeroed U32Record for a record being decoded and returns it with its index.
func (s *recordStore) newU32() (*U32Record, int32) {
	s.u32 = append(s.u32, U32Record{})
	return &s.u32[len(s.u32)-1], int32(len(s.u32) - 1)
}

// ExtACL returns the record's ExtACL, or nil if r is not a RecExtACL.
func (d *Datagram) ExtACL(r *Record) *ExtACL {
	if r.Type != RecExtACL || int(r.idx) >= len(d.store.extACL) {
		return nil
	}
	return &d.store.extACL[r.idx]
}

// newExtACL appends a zeroed ExtACL for a record being decoded and returns it with its index.
func (s *recordStore) newExtACL() (*ExtACL, int32) {
	s.extACL = append(s.extACL, ExtACL{})
	return &s.extACL[len(s.extACL)-1], int32(len(s.extACL) - 1)
}

// String returns the record's StringRecord, or nil if r is not a RecString.
func (d *Datagram) String(r *Record) *StringRecord {
	if r.Type != RecString || int(r.idx) >= len(d.store.str) {
		return nil
	}
	return &d.store.str[r.idx]
}

// newString appends a zeroed StringRecord for a record being decoded and returns it with its index.
func (s *recordStore) newString() (*StringRecord, int32) {
	s.str = append(s.str, StringRecord{})
	return &s.str[len(s.str)-1], int32(len(s.str) - 1)
}

// HWTrap returns the record's HWTrap, or nil if r is not a RecHWTrap.
func (d *Datagram) HWTrap(r *Record) *HWTrap {
	if r.Type != RecHWTrap || int(r.idx) >= len(d.store.hwTrap) {
		return nil
	}
	return &d.store.hwTrap[r.idx]
}

// newHWTrap appends a zeroed HWTrap for a record being decoded and returns it with its index.
func (s *recordStore) newHWTrap() (*HWTrap, int32) {
	s.hwTrap = append(s.hwTrap, HWTrap{})
	return &s.hwTrap[len(s.hwTrap)-1], int32(len(s.hwTrap) - 1)
}

// Timestamp returns the record's Timestamp, or nil if r is not a RecTimestamp.
func (d *Datagram) Timestamp(r *Record) *Timestamp {
	if r.Type != RecTimestamp || int(r.idx) >= len(d.store.timestamp) {
		return nil
	}
	return &d.store.timestamp[r.idx]
}

// newTimestamp appends a zeroed Timestamp for a record being decoded and returns it with its index.
func (s *recordStore) newTimestamp() (*Timestamp, int32) {
	s.timestamp = append(s.timestamp, Timestamp{})
	return &s.timestamp[len(s.timestamp)-1], int32(len(s.timestamp) - 1)
}

// Socket returns the record's Socket, or nil if r is not a RecSocket.
func (d *Datagram) Socket(r *Record) *Socket {
	if r.Type != RecSocket || int(r.idx) >= len(d.store.socket) {
		return nil
	}
	return &d.store.socket[r.idx]
}

// newSocket appends a zeroed Socket for a record being decoded and returns it with its index.
func (s *recordStore) newSocket() (*Socket, int32) {
	s.socket = append(s.socket, Socket{})
	return &s.socket[len(s.socket)-1], int32(len(s.socket) - 1)
}

// MemcacheOp returns the record's MemcacheOp, or nil if r is not a RecMemcacheOp.
func (d *Datagram) MemcacheOp(r *Record) *MemcacheOp {
	if r.Type != RecMemcacheOp || int(r.idx) >= len(d.store.memcacheOp) {
		return nil
	}
	return &d.store.memcacheOp[r.idx]
}

// newMemcacheOp appends a zeroed MemcacheOp for a record being decoded and returns it with its index.
func (s *recordStore) newMemcacheOp() (*MemcacheOp, int32) {
	s.memcacheOp = append(s.memcacheOp, MemcacheOp{})
	return &s.memcacheOp[len(s.memcacheOp)-1], int32(len(s.memcacheOp) - 1)
}

// HTTPRequest returns the record's HTTPRequest, or nil if r is not a RecHTTPRequest.
func (d *Datagram) HTTPRequest(r *Record) *HTTPRequest {
	if r.Type != RecHTTPRequest || int(r.idx) >= len(d.store.httpRequest) {
		return nil
	}
	return &d.store.httpRequest[r.idx]
}

// newHTTPRequest appends a zeroed HTTPRequest for a record being decoded and returns it with its index.
func (s *recordStore) newHTTPRequest() (*HTTPRequest, int32) {
	s.httpRequest = append(s.httpRequest, HTTPRequest{})
	return &s.httpRequest[len(s.httpRequest)-1], int32(len(s.httpRequest) - 1)
}

// ProxyRequest returns the record's ProxyRequest, or nil if r is not a RecProxyRequest.
func (d *Datagram) ProxyRequest(r *Record) *ProxyRequest {
	if r.Type != RecProxyRequest || int(r.idx) >= len(d.store.proxyRequest) {
		return nil
	}
	return &d.store.proxyRequest[r.idx]
}

// newProxyRequest appends a zeroed ProxyRequest for a record being decoded and returns it with its index.
func (s *recordStore) newProxyRequest() (*ProxyRequest, int32) {
	s.proxyRequest = append(s.proxyRequest, ProxyRequest{})
	return &s.proxyRequest[len(s.proxyRequest)-1], int32(len(s.proxyRequest) - 1)
}

// AppOperation returns the record's AppOperation, or nil if r is not a RecAppOperation.
func (d *Datagram) AppOperation(r *Record) *AppOperation {
	if r.Type != RecAppOperation || int(r.idx) >= len(d.store.appOperation) {
		return nil
	}
	return &d.store.appOperation[r.idx]
}

// newAppOperation appends a zeroed AppOperation for a record being decoded and returns it with its index.
func (s *recordStore) newAppOperation() (*AppOperation, int32) {
	s.appOperation = append(s.appOperation, AppOperation{})
	return &s.appOperation[len(s.appOperation)-1], int32(len(s.appOperation) - 1)
}

// AppContext returns the record's AppContext, or nil if r is not a RecAppContext.
func (d *Datagram) AppContext(r *Record) *AppContext {
	if r.Type != RecAppContext || int(r.idx) >= len(d.store.appContext) {
		return nil
	}
	return &d.store.appContext[r.idx]
}

// newAppContext appends a zeroed AppContext for a record being decoded and returns it with its index.
func (s *recordStore) newAppContext() (*AppContext, int32) {
	s.appContext = append(s.appContext, AppContext{})
	return &s.appContext[len(s.appContext)-1], int32(len(s.appContext) - 1)
}

// AppActor returns the record's AppActor, or nil if r is not a RecAppActor.
func (d *Datagram) AppActor(r *Record) *AppActor {
	if r.Type != RecAppActor || int(r.idx) >= len(d.store.appActor) {
		return nil
	}
	return &d.store.appActor[r.idx]
}

// newAppActor appends a zeroed AppActor for a record being decoded and returns it with its index.
func (s *recordStore) newAppActor() (*AppActor, int32) {
	s.appActor = append(s.appActor, AppActor{})
	return &s.appActor[len(s.appActor)-1], int32(len(s.appActor) - 1)
}

// TCPInfo returns the record's TCPInfo, or nil if r is not a RecTCPInfo.
func (d *Datagram) TCPInfo(r *Record) *TCPInfo {
	if r.Type != RecTCPInfo || int(r.idx) >= len(d.store.tcpInfo) {
		return nil
	}
	return &d.store.tcpInfo[r.idx]
}

// newTCPInfo appends a zeroed TCPInfo for a record being decoded and returns it with its index.
func (s *recordStore) newTCPInfo() (*TCPInfo, int32) {
	s.tcpInfo = append(s.tcpInfo, TCPInfo{})
	return &s.tcpInfo[len(s.tcpInfo)-1], int32(len(s.tcpInfo) - 1)
}

// Entities returns the record's Entities, or nil if r is not a RecEntities.
func (d *Datagram) Entities(r *Record) *Entities {
	if r.Type != RecEntities || int(r.idx) >= len(d.store.entities) {
		return nil
	}
	return &d.store.entities[r.idx]
}

// newEntities appends a zeroed Entities for a record being decoded and returns it with its index.
func (s *recordStore) newEntities() (*Entities, int32) {
	s.entities = append(s.entities, Entities{})
	return &s.entities[len(s.entities)-1], int32(len(s.entities) - 1)
}

// IfCounters returns the record's IfCounters, or nil if r is not a RecIfCounters.
func (d *Datagram) IfCounters(r *Record) *IfCounters {
	if r.Type != RecIfCounters || int(r.idx) >= len(d.store.ifCounters) {
		return nil
	}
	return &d.store.ifCounters[r.idx]
}

// newIfCounters appends a zeroed IfCounters for a record being decoded and returns it with its index.
func (s *recordStore) newIfCounters() (*IfCounters, int32) {
	s.ifCounters = append(s.ifCounters, IfCounters{})
	return &s.ifCounters[len(s.ifCounters)-1], int32(len(s.ifCounters) - 1)
}

// EthernetCounters returns the record's EthernetCounters, or nil if r is not a RecEthernetCounters.
func (d *Datagram) EthernetCounters(r *Record) *EthernetCounters {
	if r.Type != RecEthernetCounters || int(r.idx) >= len(d.store.ethernetCounters) {
		return nil
	}
	return &d.store.ethernetCounters[r.idx]
}

// newEthernetCounters appends a zeroed EthernetCounters for a record being decoded and returns it with its index.
func (s *recordStore) newEthernetCounters() (*EthernetCounters, int32) {
	s.ethernetCounters = append(s.ethernetCounters, EthernetCounters{})
	return &s.ethernetCounters[len(s.ethernetCounters)-1], int32(len(s.ethernetCounters) - 1)
}

// VLANCounters returns the record's VLANCounters, or nil if r is not a RecVLANCounters.
func (d *Datagram) VLANCounters(r *Record) *VLANCounters {
	if r.Type != RecVLANCounters || int(r.idx) >= len(d.store.vlanCounters) {
		return nil
	}
	return &d.store.vlanCounters[r.idx]
}

// newVLANCounters appends a zeroed VLANCounters for a record being decoded and returns it with its index.
func (s *recordStore) newVLANCounters() (*VLANCounters, int32) {
	s.vlanCounters = append(s.vlanCounters, VLANCounters{})
	return &s.vlanCounters[len(s.vlanCounters)-1], int32(len(s.vlanCounters) - 1)
}

// LACPCounters returns the record's LACPCounters, or nil if r is not a RecLACPCounters.
func (d *Datagram) LACPCounters(r *Record) *LACPCounters {
	if r.Type != RecLACPCounters || int(r.idx) >= len(d.store.lacpCounters) {
		return nil
	}
	return &d.store.lacpCounters[r.idx]
}

// newLACPCounters appends a zeroed LACPCounters for a record being decoded and returns it with its index.
func (s *recordStore) newLACPCounters() (*LACPCounters, int32) {
	s.lacpCounters = append(s.lacpCounters, LACPCounters{})
	return &s.lacpCounters[len(s.lacpCounters)-1], int32(len(s.lacpCounters) - 1)
}

// Processor returns the record's Processor, or nil if r is not a RecProcessor.
func (d *Datagram) Processor(r *Record) *Processor {
	if r.Type != RecProcessor || int(r.idx) >= len(d.store.processor) {
		return nil
	}
	return &d.store.processor[r.idx]
}

// newProcessor appends a zeroed Processor for a record being decoded and returns it with its index.
func (s *recordStore) newProcessor() (*Processor, int32) {
	s.processor = append(s.processor, Processor{})
	return &s.processor[len(s.processor)-1], int32(len(s.processor) - 1)
}

// OpenFlowPort returns the record's OpenFlowPort, or nil if r is not a RecOpenFlowPort.
func (d *Datagram) OpenFlowPort(r *Record) *OpenFlowPort {
	if r.Type != RecOpenFlowPort || int(r.idx) >= len(d.store.openFlowPort) {
		return nil
	}
	return &d.store.openFlowPort[r.idx]
}

// newOpenFlowPort appends a zeroed OpenFlowPort for a record being decoded and returns it with its index.
func (s *recordStore) newOpenFlowPort() (*OpenFlowPort, int32) {
	s.openFlowPort = append(s.openFlowPort, OpenFlowPort{})
	return &s.openFlowPort[len(s.openFlowPort)-1], int32(len(s.openFlowPort) - 1)
}

// PortName returns the record's PortName, or nil if r is not a RecPortName.
func (d *Datagram) PortName(r *Record) *PortName {
	if r.Type != RecPortName || int(r.idx) >= len(d.store.portName) {
		return nil
	}
	return &d.store.portName[r.idx]
}

// newPortName appends a zeroed PortName for a record being decoded and returns it with its index.
func (s *recordStore) newPortName() (*PortName, int32) {
	s.portName = append(s.portName, PortName{})
	return &s.portName[len(s.portName)-1], int32(len(s.portName) - 1)
}

// HostDescr returns the record's HostDescr, or nil if r is not a RecHostDescr.
func (d *Datagram) HostDescr(r *Record) *HostDescr {
	if r.Type != RecHostDescr || int(r.idx) >= len(d.store.hostDescr) {
		return nil
	}
	return &d.store.hostDescr[r.idx]
}

// newHostDescr appends a zeroed HostDescr for a record being decoded and returns it with its index.
func (s *recordStore) newHostDescr() (*HostDescr, int32) {
	s.hostDescr = append(s.hostDescr, HostDescr{})
	return &s.hostDescr[len(s.hostDescr)-1], int32(len(s.hostDescr) - 1)
}

// HostAdapters returns the record's HostAdapters, or nil if r is not a RecHostAdapters.
func (d *Datagram) HostAdapters(r *Record) *HostAdapters {
	if r.Type != RecHostAdapters || int(r.idx) >= len(d.store.hostAdapters) {
		return nil
	}
	return &d.store.hostAdapters[r.idx]
}

// newHostAdapters appends a zeroed HostAdapters for a record being decoded and returns it with its index.
func (s *recordStore) newHostAdapters() (*HostAdapters, int32) {
	s.hostAdapters = append(s.hostAdapters, HostAdapters{})
	return &s.hostAdapters[len(s.hostAdapters)-1], int32(len(s.hostAdapters) - 1)
}

// HostParent returns the record's HostParent, or nil if r is not a RecHostParent.
func (d *Datagram) HostParent(r *Record) *HostParent {
	if r.Type != RecHostParent || int(r.idx) >= len(d.store.hostParent) {
		return nil
	}
	return &d.store.hostParent[r.idx]
}

// newHostParent appends a zeroed HostParent for a record being decoded and returns it with its index.
func (s *recordStore) newHostParent() (*HostParent, int32) {
	s.hostParent = append(s.hostParent, HostParent{})
	return &s.hostParent[len(s.hostParent)-1], int32(len(s.hostParent) - 1)
}

// HostCPU returns the record's HostCPU, or nil if r is not a RecHostCPU.
func (d *Datagram) HostCPU(r *Record) *HostCPU {
	if r.Type != RecHostCPU || int(r.idx) >= len(d.store.hostCPU) {
		return nil
	}
	return &d.store.hostCPU[r.idx]
}

// newHostCPU appends a zeroed HostCPU for a record being decoded and returns it with its index.
func (s *recordStore) newHostCPU() (*HostCPU, int32) {
	s.hostCPU = append(s.hostCPU, HostCPU{})
	return &s.hostCPU[len(s.hostCPU)-1], int32(len(s.hostCPU) - 1)
}

// HostMemory returns the record's HostMemory, or nil if r is not a RecHostMemory.
func (d *Datagram) HostMemory(r *Record) *HostMemory {
	if r.Type != RecHostMemory || int(r.idx) >= len(d.store.hostMemory) {
		return nil
	}
	return &d.store.hostMemory[r.idx]
}

// newHostMemory appends a zeroed HostMemory for a record being decoded and returns it with its index.
func (s *recordStore) newHostMemory() (*HostMemory, int32) {
	s.hostMemory = append(s.hostMemory, HostMemory{})
	return &s.hostMemory[len(s.hostMemory)-1], int32(len(s.hostMemory) - 1)
}

// HostDiskIO returns the record's HostDiskIO, or nil if r is not a RecHostDiskIO.
func (d *Datagram) HostDiskIO(r *Record) *HostDiskIO {
	if r.Type != RecHostDiskIO || int(r.idx) >= len(d.store.hostDiskIO) {
		return nil
	}
	return &d.store.hostDiskIO[r.idx]
}

// newHostDiskIO appends a zeroed HostDiskIO for a record being decoded and returns it with its index.
func (s *recordStore) newHostDiskIO() (*HostDiskIO, int32) {
	s.hostDiskIO = append(s.hostDiskIO, HostDiskIO{})
	return &s.hostDiskIO[len(s.hostDiskIO)-1], int32(len(s.hostDiskIO) - 1)
}

// HostNetIO returns the record's HostNetIO, or nil if r is not a RecHostNetIO.
func (d *Datagram) HostNetIO(r *Record) *HostNetIO {
	if r.Type != RecHostNetIO || int(r.idx) >= len(d.store.hostNetIO) {
		return nil
	}
	return &d.store.hostNetIO[r.idx]
}

// newHostNetIO appends a zeroed HostNetIO for a record being decoded and returns it with its index.
func (s *recordStore) newHostNetIO() (*HostNetIO, int32) {
	s.hostNetIO = append(s.hostNetIO, HostNetIO{})
	return &s.hostNetIO[len(s.hostNetIO)-1], int32(len(s.hostNetIO) - 1)
}

// MIB2IP returns the record's MIB2IP, or nil if r is not a RecMIB2IP.
func (d *Datagram) MIB2IP(r *Record) *MIB2IP {
	if r.Type != RecMIB2IP || int(r.idx) >= len(d.store.mib2IP) {
		return nil
	}
	return &d.store.mib2IP[r.idx]
}

// newMIB2IP appends a zeroed MIB2IP for a record being decoded and returns it with its index.
func (s *recordStore) newMIB2IP() (*MIB2IP, int32) {
	s.mib2IP = append(s.mib2IP, MIB2IP{})
	return &s.mib2IP[len(s.mib2IP)-1], int32(len(s.mib2IP) - 1)
}

// MIB2ICMP returns the record's MIB2ICMP, or nil if r is not a RecMIB2ICMP.
func (d *Datagram) MIB2ICMP(r *Record) *MIB2ICMP {
	if r.Type != RecMIB2ICMP || int(r.idx) >= len(d.store.mib2ICMP) {
		return nil
	}
	return &d.store.mib2ICMP[r.idx]
}

// newMIB2ICMP appends a zeroed MIB2ICMP for a record being decoded and returns it with its index.
func (s *recordStore) newMIB2ICMP() (*MIB2ICMP, int32) {
	s.mib2ICMP = append(s.mib2ICMP, MIB2ICMP{})
	return &s.mib2ICMP[len(s.mib2ICMP)-1], int32(len(s.mib2ICMP) - 1)
}

// MIB2TCP returns the record's MIB2TCP, or nil if r is not a RecMIB2TCP.
func (d *Datagram) MIB2TCP(r *Record) *MIB2TCP {
	if r.Type != RecMIB2TCP || int(r.idx) >= len(d.store.mib2TCP) {
		return nil
	}
	return &d.store.mib2TCP[r.idx]
}

// newMIB2TCP appends a zeroed MIB2TCP for a record being decoded and returns it with its index.
func (s *recordStore) newMIB2TCP() (*MIB2TCP, int32) {
	s.mib2TCP = append(s.mib2TCP, MIB2TCP{})
	return &s.mib2TCP[len(s.mib2TCP)-1], int32(len(s.mib2TCP) - 1)
}

// MIB2UDP returns the record's MIB2UDP, or nil if r is not a RecMIB2UDP.
func (d *Datagram) MIB2UDP(r *Record) *MIB2UDP {
	if r.Type != RecMIB2UDP || int(r.idx) >= len(d.store.mib2UDP) {
		return nil
	}
	return &d.store.mib2UDP[r.idx]
}

// newMIB2UDP appends a zeroed MIB2UDP for a record being decoded and returns it with its index.
func (s *recordStore) newMIB2UDP() (*MIB2UDP, int32) {
	s.mib2UDP = append(s.mib2UDP, MIB2UDP{})
	return &s.mib2UDP[len(s.mib2UDP)-1], int32(len(s.mib2UDP) - 1)
}

// VirtNode returns the record's VirtNode, or nil if r is not a RecVirtNode.
func (d *Datagram) VirtNode(r *Record) *VirtNode {
	if r.Type != RecVirtNode || int(r.idx) >= len(d.store.virtNode) {
		return nil
	}
	return &d.store.virtNode[r.idx]
}

// newVirtNode appends a zeroed VirtNode for a record being decoded and returns it with its index.
func (s *recordStore) newVirtNode() (*VirtNode, int32) {
	s.virtNode = append(s.virtNode, VirtNode{})
	return &s.virtNode[len(s.virtNode)-1], int32(len(s.virtNode) - 1)
}

// VirtCPU returns the record's VirtCPU, or nil if r is not a RecVirtCPU.
func (d *Datagram) VirtCPU(r *Record) *VirtCPU {
	if r.Type != RecVirtCPU || int(r.idx) >= len(d.store.virtCPU) {
		return nil
	}
	return &d.store.virtCPU[r.idx]
}

// newVirtCPU appends a zeroed VirtCPU for a record being decoded and returns it with its index.
func (s *recordStore) newVirtCPU() (*VirtCPU, int32) {
	s.virtCPU = append(s.virtCPU, VirtCPU{})
	return &s.virtCPU[len(s.virtCPU)-1], int32(len(s.virtCPU) - 1)
}

// VirtMemory returns the record's VirtMemory, or nil if r is not a RecVirtMemory.
func (d *Datagram) VirtMemory(r *Record) *VirtMemory {
	if r.Type != RecVirtMemory || int(r.idx) >= len(d.store.virtMemory) {
		return nil
	}
	return &d.store.virtMemory[r.idx]
}

// newVirtMemory appends a zeroed VirtMemory for a record being decoded and returns it with its index.
func (s *recordStore) newVirtMemory() (*VirtMemory, int32) {
	s.virtMemory = append(s.virtMemory, VirtMemory{})
	return &s.virtMemory[len(s.virtMemory)-1], int32(len(s.virtMemory) - 1)
}

// VirtDiskIO returns the record's VirtDiskIO, or nil if r is not a RecVirtDiskIO.
func (d *Datagram) VirtDiskIO(r *Record) *VirtDiskIO {
	if r.Type != RecVirtDiskIO || int(r.idx) >= len(d.store.virtDiskIO) {
		return nil
	}
	return &d.store.virtDiskIO[r.idx]
}

// newVirtDiskIO appends a zeroed VirtDiskIO for a record being decoded and returns it with its index.
func (s *recordStore) newVirtDiskIO() (*VirtDiskIO, int32) {
	s.virtDiskIO = append(s.virtDiskIO, VirtDiskIO{})
	return &s.virtDiskIO[len(s.virtDiskIO)-1], int32(len(s.virtDiskIO) - 1)
}

// JVMRuntime returns the record's JVMRuntime, or nil if r is not a RecJVMRuntime.
func (d *Datagram) JVMRuntime(r *Record) *JVMRuntime {
	if r.Type != RecJVMRuntime || int(r.idx) >= len(d.store.jvmRuntime) {
		return nil
	}
	return &d.store.jvmRuntime[r.idx]
}

// newJVMRuntime appends a zeroed JVMRuntime for a record being decoded and returns it with its index.
func (s *recordStore) newJVMRuntime() (*JVMRuntime, int32) {
	s.jvmRuntime = append(s.jvmRuntime, JVMRuntime{})
	return &s.jvmRuntime[len(s.jvmRuntime)-1], int32(len(s.jvmRuntime) - 1)
}

// JVMStatistics returns the record's JVMStatistics, or nil if r is not a RecJVMStatistics.
func (d *Datagram) JVMStatistics(r *Record) *JVMStatistics {
	if r.Type != RecJVMStatistics || int(r.idx) >= len(d.store.jvmStatistics) {
		return nil
	}
	return &d.store.jvmStatistics[r.idx]
}

// newJVMStatistics appends a zeroed JVMStatistics for a record being decoded and returns it with its index.
func (s *recordStore) newJVMStatistics() (*JVMStatistics, int32) {
	s.jvmStatistics = append(s.jvmStatistics, JVMStatistics{})
	return &s.jvmStatistics[len(s.jvmStatistics)-1], int32(len(s.jvmStatistics) - 1)
}

// MemcacheCounters returns the record's MemcacheCounters, or nil if r is not a RecMemcacheCounters.
func (d *Datagram) MemcacheCounters(r *Record) *MemcacheCounters {
	if r.Type != RecMemcacheCounters || int(r.idx) >= len(d.store.memcacheCounters) {
		return nil
	}
	return &d.store.memcacheCounters[r.idx]
}

// newMemcacheCounters appends a zeroed MemcacheCounters for a record being decoded and returns it with its index.
func (s *recordStore) newMemcacheCounters() (*MemcacheCounters, int32) {
	s.memcacheCounters = append(s.memcacheCounters, MemcacheCounters{})
	return &s.memcacheCounters[len(s.memcacheCounters)-1], int32(len(s.memcacheCounters) - 1)
}

// HTTPCounters returns the record's HTTPCounters, or nil if r is not a RecHTTPCounters.
func (d *Datagram) HTTPCounters(r *Record) *HTTPCounters {
	if r.Type != RecHTTPCounters || int(r.idx) >= len(d.store.httpCounters) {
		return nil
	}
	return &d.store.httpCounters[r.idx]
}

// newHTTPCounters appends a zeroed HTTPCounters for a record being decoded and returns it with its index.
func (s *recordStore) newHTTPCounters() (*HTTPCounters, int32) {
	s.httpCounters = append(s.httpCounters, HTTPCounters{})
	return &s.httpCounters[len(s.httpCounters)-1], int32(len(s.httpCounters) - 1)
}

// AppOperations returns the record's AppOperations, or nil if r is not a RecAppOperations.
func (d *Datagram) AppOperations(r *Record) *AppOperations {
	if r.Type != RecAppOperations || int(r.idx) >= len(d.store.appOperations) {
		return nil
	}
	return &d.store.appOperations[r.idx]
}

// newAppOperations appends a zeroed AppOperations for a record being decoded and returns it with its index.
func (s *recordStore) newAppOperations() (*AppOperations, int32) {
	s.appOperations = append(s.appOperations, AppOperations{})
	return &s.appOperations[len(s.appOperations)-1], int32(len(s.appOperations) - 1)
}

// AppResources returns the record's AppResources, or nil if r is not a RecAppResources.
func (d *Datagram) AppResources(r *Record) *AppResources {
	if r.Type != RecAppResources || int(r.idx) >= len(d.store.appResources) {
		return nil
	}
	return &d.store.appResources[r.idx]
}

// newAppResources appends a zeroed AppResources for a record being decoded and returns it with its index.
func (s *recordStore) newAppResources() (*AppResources, int32) {
	s.appResources = append(s.appResources, AppResources{})
	return &s.appResources[len(s.appResources)-1], int32(len(s.appResources) - 1)
}

// AppWorkers returns the record's AppWorkers, or nil if r is not a RecAppWorkers.
func (d *Datagram) AppWorkers(r *Record) *AppWorkers {
	if r.Type != RecAppWorkers || int(r.idx) >= len(d.store.appWorkers) {
		return nil
	}
	return &d.store.appWorkers[r.idx]
}

// newAppWorkers appends a zeroed AppWorkers for a record being decoded and returns it with its index.
func (s *recordStore) newAppWorkers() (*AppWorkers, int32) {
	s.appWorkers = append(s.appWorkers, AppWorkers{})
	return &s.appWorkers[len(s.appWorkers)-1], int32(len(s.appWorkers) - 1)
}

// OVSDP returns the record's OVSDP, or nil if r is not a RecOVSDP.
func (d *Datagram) OVSDP(r *Record) *OVSDP {
	if r.Type != RecOVSDP || int(r.idx) >= len(d.store.ovsDP) {
		return nil
	}
	return &d.store.ovsDP[r.idx]
}

// newOVSDP appends a zeroed OVSDP for a record being decoded and returns it with its index.
func (s *recordStore) newOVSDP() (*OVSDP, int32) {
	s.ovsDP = append(s.ovsDP, OVSDP{})
	return &s.ovsDP[len(s.ovsDP)-1], int32(len(s.ovsDP) - 1)
}

// BroadcomTables returns the record's BroadcomTables, or nil if r is not a RecBroadcomTables.
func (d *Datagram) BroadcomTables(r *Record) *BroadcomTables {
	if r.Type != RecBroadcomTables || int(r.idx) >= len(d.store.broadcomTables) {
		return nil
	}
	return &d.store.broadcomTables[r.idx]
}

// newBroadcomTables appends a zeroed BroadcomTables for a record being decoded and returns it with its index.
func (s *recordStore) newBroadcomTables() (*BroadcomTables, int32) {
	s.broadcomTables = append(s.broadcomTables, BroadcomTables{})
	return &s.broadcomTables[len(s.broadcomTables)-1], int32(len(s.broadcomTables) - 1)
}

// ExtMPLS returns the record's ExtMPLS, or nil if r is not a RecExtMPLS.
func (d *Datagram) ExtMPLS(r *Record) *ExtMPLS {
	if r.Type != RecExtMPLS || int(r.idx) >= len(d.store.rare.extMPLS) {
		return nil
	}
	return &d.store.rare.extMPLS[r.idx]
}

// newExtMPLS appends a zeroed ExtMPLS for a record being decoded and returns it with its index.
func (s *recordStore) newExtMPLS() (*ExtMPLS, int32) {
	s.rareUsed = true
	s.rare.extMPLS = append(s.rare.extMPLS, ExtMPLS{})
	return &s.rare.extMPLS[len(s.rare.extMPLS)-1], int32(len(s.rare.extMPLS) - 1)
}

// ExtNAT returns the record's ExtNAT, or nil if r is not a RecExtNAT.
func (d *Datagram) ExtNAT(r *Record) *ExtNAT {
	if r.Type != RecExtNAT || int(r.idx) >= len(d.store.rare.extNAT) {
		return nil
	}
	return &d.store.rare.extNAT[r.idx]
}

// newExtNAT appends a zeroed ExtNAT for a record being decoded and returns it with its index.
func (s *recordStore) newExtNAT() (*ExtNAT, int32) {
	s.rareUsed = true
	s.rare.extNAT = append(s.rare.extNAT, ExtNAT{})
	return &s.rare.extNAT[len(s.rare.extNAT)-1], int32(len(s.rare.extNAT) - 1)
}

// ExtMPLSTunnel returns the record's ExtMPLSTunnel, or nil if r is not a RecExtMPLSTunnel.
func (d *Datagram) ExtMPLSTunnel(r *Record) *ExtMPLSTunnel {
	if r.Type != RecExtMPLSTunnel || int(r.idx) >= len(d.store.rare.extMPLSTunnel) {
		return nil
	}
	return &d.store.rare.extMPLSTunnel[r.idx]
}

// newExtMPLSTunnel appends a zeroed ExtMPLSTunnel for a record being decoded and returns it with its index.
func (s *recordStore) newExtMPLSTunnel() (*ExtMPLSTunnel, int32) {
	s.rareUsed = true
	s.rare.extMPLSTunnel = append(s.rare.extMPLSTunnel, ExtMPLSTunnel{})
	return &s.rare.extMPLSTunnel[len(s.rare.extMPLSTunnel)-1], int32(len(s.rare.extMPLSTunnel) - 1)
}

// ExtMPLSFTN returns the record's ExtMPLSFTN, or nil if r is not a RecExtMPLSFTN.
func (d *Datagram) ExtMPLSFTN(r *Record) *ExtMPLSFTN {
	if r.Type != RecExtMPLSFTN || int(r.idx) >= len(d.store.rare.extMPLSFTN) {
		return nil
	}
	return &d.store.rare.extMPLSFTN[r.idx]
}

// newExtMPLSFTN appends a zeroed ExtMPLSFTN for a record being decoded and returns it with its index.
func (s *recordStore) newExtMPLSFTN() (*ExtMPLSFTN, int32) {
	s.rareUsed = true
	s.rare.extMPLSFTN = append(s.rare.extMPLSFTN, ExtMPLSFTN{})
	return &s.rare.extMPLSFTN[len(s.rare.extMPLSFTN)-1], int32(len(s.rare.extMPLSFTN) - 1)
}

// ExtVLANTunnel returns the record's ExtVLANTunnel, or nil if r is not a RecExtVLANTunnel.
func (d *Datagram) ExtVLANTunnel(r *Record) *ExtVLANTunnel {
	if r.Type != RecExtVLANTunnel || int(r.idx) >= len(d.store.rare.extVLANTunnel) {
		return nil
	}
	return &d.store.rare.extVLANTunnel[r.idx]
}

// newExtVLANTunnel appends a zeroed ExtVLANTunnel for a record being decoded and returns it with its index.
func (s *recordStore) newExtVLANTunnel() (*ExtVLANTunnel, int32) {
	s.rareUsed = true
	s.rare.extVLANTunnel = append(s.rare.extVLANTunnel, ExtVLANTunnel{})
	return &s.rare.extVLANTunnel[len(s.rare.extVLANTunnel)-1], int32(len(s.rare.extVLANTunnel) - 1)
}

// ExtWifiPayload returns the record's ExtWifiPayload, or nil if r is not a RecExtWifiPayload.
func (d *Datagram) ExtWifiPayload(r *Record) *ExtWifiPayload {
	if r.Type != RecExtWifiPayload || int(r.idx) >= len(d.store.rare.extWifiPayload) {
		return nil
	}
	return &d.store.rare.extWifiPayload[r.idx]
}

// newExtWifiPayload appends a zeroed ExtWifiPayload for a record being decoded and returns it with its index.
func (s *recordStore) newExtWifiPayload() (*ExtWifiPayload, int32) {
	s.rareUsed = true
	s.rare.extWifiPayload = append(s.rare.extWifiPayload, ExtWifiPayload{})
	return &s.rare.extWifiPayload[len(s.rare.extWifiPayload)-1], int32(len(s.rare.extWifiPayload) - 1)
}

// ExtWifiRx returns the record's ExtWifiRx, or nil if r is not a RecExtWifiRx.
func (d *Datagram) ExtWifiRx(r *Record) *ExtWifiRx {
	if r.Type != RecExtWifiRx || int(r.idx) >= len(d.store.rare.extWifiRx) {
		return nil
	}
	return &d.store.rare.extWifiRx[r.idx]
}

// newExtWifiRx appends a zeroed ExtWifiRx for a record being decoded and returns it with its index.
func (s *recordStore) newExtWifiRx() (*ExtWifiRx, int32) {
	s.rareUsed = true
	s.rare.extWifiRx = append(s.rare.extWifiRx, ExtWifiRx{})
	return &s.rare.extWifiRx[len(s.rare.extWifiRx)-1], int32(len(s.rare.extWifiRx) - 1)
}

// ExtWifiTx returns the record's ExtWifiTx, or nil if r is not a RecExtWifiTx.
func (d *Datagram) ExtWifiTx(r *Record) *ExtWifiTx {
	if r.Type != RecExtWifiTx || int(r.idx) >= len(d.store.rare.extWifiTx) {
		return nil
	}
	return &d.store.rare.extWifiTx[r.idx]
}

// newExtWifiTx appends a zeroed ExtWifiTx for a record being decoded and returns it with its index.
func (s *recordStore) newExtWifiTx() (*ExtWifiTx, int32) {
	s.rareUsed = true
	s.rare.extWifiTx = append(s.rare.extWifiTx, ExtWifiTx{})
	return &s.rare.extWifiTx[len(s.rare.extWifiTx)-1], int32(len(s.rare.extWifiTx) - 1)
}

// SFP returns the record's SFP, or nil if r is not a RecSFP.
func (d *Datagram) SFP(r *Record) *SFP {
	if r.Type != RecSFP || int(r.idx) >= len(d.store.rare.sfp) {
		return nil
	}
	return &d.store.rare.sfp[r.idx]
}

// newSFP appends a zeroed SFP for a record being decoded and returns it with its index.
func (s *recordStore) newSFP() (*SFP, int32) {
	s.rareUsed = true
	s.rare.sfp = append(s.rare.sfp, SFP{})
	return &s.rare.sfp[len(s.rare.sfp)-1], int32(len(s.rare.sfp) - 1)
}

// PFC returns the record's PFC, or nil if r is not a RecPFC.
func (d *Datagram) PFC(r *Record) *PFC {
	if r.Type != RecPFC || int(r.idx) >= len(d.store.rare.pfc) {
		return nil
	}
	return &d.store.rare.pfc[r.idx]
}

// newPFC appends a zeroed PFC for a record being decoded and returns it with its index.
func (s *recordStore) newPFC() (*PFC, int32) {
	s.rareUsed = true
	s.rare.pfc = append(s.rare.pfc, PFC{})
	return &s.rare.pfc[len(s.rare.pfc)-1], int32(len(s.rare.pfc) - 1)
}

// rareStore is the part of recordStore for the records few agents send.
type rareStore struct {
	extMPLS        []ExtMPLS
	extNAT         []ExtNAT
	extMPLSTunnel  []ExtMPLSTunnel
	extMPLSFTN     []ExtMPLSFTN
	extVLANTunnel  []ExtVLANTunnel
	extWifiPayload []ExtWifiPayload
	extWifiRx      []ExtWifiRx
	extWifiTx      []ExtWifiTx
	sfp            []SFP
	pfc            []PFC
}

// reset empties every typed slice, keeping capacity.
func (s *rareStore) reset() {
	s.extMPLS = s.extMPLS[:0]
	s.extNAT = s.extNAT[:0]
	s.extMPLSTunnel = s.extMPLSTunnel[:0]
	s.extMPLSFTN = s.extMPLSFTN[:0]
	s.extVLANTunnel = s.extVLANTunnel[:0]
	s.extWifiPayload = s.extWifiPayload[:0]
	s.extWifiRx = s.extWifiRx[:0]
	s.extWifiTx = s.extWifiTx[:0]
	s.sfp = s.sfp[:0]
	s.pfc = s.pfc[:0]
}
