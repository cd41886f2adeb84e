package sflow

// The numbers of the sFlow v5 specifications, with the specifications' names, in one table.
// A data_format is enterprise<<12 | format; enterprise 0 is sflow.org's.

// Version is the only datagram version this package decodes.
const Version5 = 5

// Agent address types (address union).
const (
	AddressUnknown = 0
	AddressIPv4    = 1
	AddressIPv6    = 2
)

// Sample data formats (enterprise 0).
const (
	SampleFlow            = 1 // flow_sample
	SampleCounters        = 2 // counters_sample
	SampleFlowExpanded    = 3 // flow_sample_expanded
	SampleCountersExpand  = 4 // counters_sample_expanded
	SampleDiscardedPacket = 5 // discarded_packet (sflow_drops.txt)
)

// Flow record formats (enterprise 0). The same numbers mean other things in counter samples.
const (
	FlowSampledHeader      = 1
	FlowSampledEthernet    = 2
	FlowSampledIPv4        = 3
	FlowSampledIPv6        = 4
	FlowExtSwitch          = 1001
	FlowExtRouter          = 1002
	FlowExtGateway         = 1003
	FlowExtUser            = 1004
	FlowExtURL             = 1005
	FlowExtMPLS            = 1006
	FlowExtNAT             = 1007
	FlowExtMPLSTunnel      = 1008
	FlowExtMPLSVC          = 1009
	FlowExtMPLSFTN         = 1010
	FlowExtMPLSLDPFEC      = 1011
	FlowExtVLANTunnel      = 1012
	FlowExtWifiPayload     = 1013
	FlowExtWifiRx          = 1014
	FlowExtWifiTx          = 1015
	FlowExtNATPort         = 1020
	FlowExtL2TunnelEgress  = 1021
	FlowExtL2TunnelIngress = 1022
	FlowExtIPv4TunnelEgr   = 1023
	FlowExtIPv4TunnelIngr  = 1024
	FlowExtIPv6TunnelEgr   = 1025
	FlowExtIPv6TunnelIngr  = 1026
	FlowExtDecapEgress     = 1027
	FlowExtDecapIngress    = 1028
	FlowExtVNIEgress       = 1029
	FlowExtVNIIngress      = 1030
	FlowEgressQueue        = 1036
	FlowExtACL             = 1037
	FlowExtFunction        = 1038
	FlowTransitDelay       = 1039
	FlowQueueDepth         = 1040
	FlowHWTrap             = 1041
	FlowLinuxDropReason    = 1042
	FlowTimestamp          = 1043
	FlowExtSocketIPv4      = 2100
	FlowExtSocketIPv6      = 2101
	FlowExtProxySocketIPv4 = 2102
	FlowExtProxySocketIPv6 = 2103
	FlowMemcacheOperation  = 2200
	FlowHTTPRequestLegacy  = 2201 // deprecated draft http_request: no xff, no req_bytes
	FlowAppOperation       = 2202
	FlowAppParentContext   = 2203
	FlowAppInitiator       = 2204
	FlowAppTarget          = 2205
	FlowHTTPRequest        = 2206
	FlowExtProxyRequest    = 2207
	FlowTCPInfo            = 2209
	FlowEntities           = 2210
)

// Counter record formats (enterprise 0, except where named).
const (
	CounterGenericInterface = 1
	CounterEthernet         = 2
	CounterTokenRing        = 3
	CounterVG               = 4
	CounterVLAN             = 5
	CounterIEEE80211        = 6
	CounterLACP             = 7
	CounterSFP              = 10
	CounterPFC              = 11
	CounterProcessor        = 1001
	CounterOpenFlowPort     = 1004
	CounterPortName         = 1005
	CounterHostDescr        = 2000
	CounterHostAdapters     = 2001
	CounterHostParent       = 2002
	CounterHostCPU          = 2003
	CounterHostMemory       = 2004
	CounterHostDiskIO       = 2005
	CounterHostNetIO        = 2006
	CounterMIB2IP           = 2007
	CounterMIB2ICMP         = 2008
	CounterMIB2TCP          = 2009
	CounterMIB2UDP          = 2010
	CounterVirtNode         = 2100
	CounterVirtCPU          = 2101
	CounterVirtMemory       = 2102
	CounterVirtDiskIO       = 2103
	CounterVirtNetIO        = 2104
	CounterJVMRuntime       = 2105
	CounterJVMStatistics    = 2106
	CounterMemcacheLegacy   = 2200 // pre-2204 layout (memcached sFlow patch)
	CounterHTTP             = 2201
	CounterAppOperations    = 2202
	CounterAppResources     = 2203
	CounterMemcache         = 2204
	CounterAppWorkers       = 2206
	CounterOVSDP            = 2207

	EnterpriseBroadcom       = 4413
	CounterBroadcomTables    = 3 // enterprise 4413
	CounterBroadcomTablesLen = 36 * 4
)

// Fixed body sizes that have two accepted lengths.
const (
	HostCPULenV1 = 68 // before Dec 2014
	HostCPULenV2 = 80 // + steal, guest, guest_nice
	JVMStatsLen1 = 100
	JVMStatsLen2 = 108 // + fd_open, fd_max
)

// Element sizes of the lists in wire form.
const (
	SFPLaneLen = 40 // sfp_lane: 10 u32
)

// Header protocols (sampled_header.protocol).
const (
	HeaderProtocolEthernet = 1
	HeaderProtocolIPv4     = 11
	HeaderProtocolIPv6     = 12
)

// Interface formats (top two bits of a compact input/output, or the explicit format word of expanded samples).
const (
	IfFormatIndex     = 0 // value = ifIndex; 0 unknown, 0x3FFFFFFF internal
	IfFormatDiscarded = 1 // value = drop reason
	IfFormatMultiple  = 2 // value = number of outputs, 0 = unknown > 1
	IfIndexInternal   = 0x3FFFFFFF
)

// Data source classes (top 8 bits of a compact source_id).
const (
	DSClassIfIndex  = 0
	DSClassVLAN     = 1
	DSClassPhysical = 2
	DSClassLogical  = 3
)

// http_method (sflow_http.txt).
const (
	HTTPMethodOther   = 0
	HTTPMethodOptions = 1
	HTTPMethodGet     = 2
	HTTPMethodHead    = 3
	HTTPMethodPost    = 4
	HTTPMethodPut     = 5
	HTTPMethodDelete  = 6
	HTTPMethodTrace   = 7
	HTTPMethodConnect = 8
)

// memcache protocol, command and status (sflow_memcache.txt).
const (
	MemcacheProtoOther  = 0
	MemcacheProtoASCII  = 1
	MemcacheProtoBinary = 2

	MemcacheCmdOther   = 0
	MemcacheCmdSet     = 1
	MemcacheCmdAdd     = 2
	MemcacheCmdReplace = 3
	MemcacheCmdAppend  = 4
	MemcacheCmdPrepend = 5
	MemcacheCmdCAS     = 6
	MemcacheCmdGet     = 7
	MemcacheCmdGets    = 8
	MemcacheCmdIncr    = 9
	MemcacheCmdDecr    = 10
	MemcacheCmdDelete  = 11
	MemcacheCmdStats   = 12
	MemcacheCmdFlush   = 13
	MemcacheCmdVersion = 14
	MemcacheCmdQuit    = 15
	MemcacheCmdTouch   = 16

	MemcacheStatusUnknown     = 0
	MemcacheStatusOK          = 1
	MemcacheStatusError       = 2
	MemcacheStatusClientError = 3
	MemcacheStatusServerError = 4
	MemcacheStatusStored      = 5
	MemcacheStatusNotStored   = 6
	MemcacheStatusExists      = 7
	MemcacheStatusNotFound    = 8
	MemcacheStatusDeleted     = 9
)

// MemcacheCmdNames maps a memcache cmd to its spec name.
var MemcacheCmdNames = [...]string{"OTHER", "SET", "ADD", "REPLACE", "APPEND", "PREPEND", "CAS", "GET", "GETS",
	"INCR", "DECR", "DELETE", "STATS", "FLUSH", "VERSION", "QUIT", "TOUCH"}

// HTTPMethodNames maps an http_method to its spec name.
var HTTPMethodNames = [...]string{"OTHER", "OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT"}

// AppStatusNames maps an app_operation status to its spec name (sflow_application.txt).
var AppStatusNames = [...]string{"SUCCESS", "OTHER", "TIMEOUT", "INTERNAL_ERROR", "BAD_REQUEST", "FORBIDDEN",
	"TOO_LARGE", "NOT_IMPLEMENTED", "NOT_FOUND", "UNAVAILABLE", "UNAUTHORIZED"}

// OS names (host_descr.os_name); 13 is what jmx-sflow-agent sends for Java.
const (
	OSUnknown = 0
	OSLinux   = 2
	OSWindows = 3
	OSJava    = 13
)

// Unavailable counter values: a counter an agent cannot supply is sent as the type's maximum.
const (
	Unavailable32 = 0xFFFFFFFF
	Unavailable64 = 0xFFFFFFFFFFFFFFFF
)
