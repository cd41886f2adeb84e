// The typed record storage of a Datagram: one slice per RecordType, reused across Decode calls.

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
