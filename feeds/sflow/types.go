// Package sflow decodes and encodes sFlow v5 datagrams, reads and writes them as pcap, and receives them on UDP.
//
// Ownership: Decoder.Decode fills a caller-owned *Datagram in place. Every []byte in it (strings, sampled
// headers, raw record bodies) is a sub-slice of the buffer passed to Decode; it is valid only while that buffer is
// unchanged. Copy what you keep. The typed records are stored in the Datagram and reached through its accessors
// (d.HostCPU(r), d.SampledHeader(r), ...); the pointers they return are valid until the next Decode into d.
package sflow

import (
	"net/netip"
)

// SampleKind says what a sample is, independent of compact or expanded encoding.
type SampleKind uint8

const (
	SampleKindUnknown SampleKind = iota
	SampleKindFlow
	SampleKindCounters
	SampleKindDiscard
)

// RecordType identifies the decoded structure a Record holds. It already includes the sample kind, so
// flow 0:1 (sampled_header) and counter 0:1 (if_counters) are different types.
type RecordType uint8

const (
	RecUnknown RecordType = iota // skipped by length; Data holds the raw body

	// flow records
	RecSampledHeader   // flow 0:1
	RecSampledEthernet // flow 0:2, also 1021/1022 tunnels
	RecSampledIPv4     // flow 0:3, also 1023/1024 tunnels
	RecSampledIPv6     // flow 0:4, also 1025/1026 tunnels
	RecExtSwitch       // flow 0:1001
	RecExtRouter       // flow 0:1002
	RecExtGateway      // flow 0:1003
	RecExtUser         // flow 0:1004
	RecExtURL          // flow 0:1005
	RecU32             // flow 1027-1030, 1036, 1039, 1040: one u32 (decap offset, VNI, queue, delay, depth)
	RecExtACL          // flow 0:1037
	RecString          // flow 1038 function, 1042 linux drop reason: one string
	RecHWTrap          // flow 0:1041
	RecTimestamp       // flow 0:1043
	RecSocket          // flow 2100-2103 (IPv4/IPv6, proxy or not)
	RecMemcacheOp      // flow 0:2200
	RecHTTPRequest     // flow 0:2206 and deprecated 0:2201
	RecProxyRequest    // flow 0:2207
	RecAppOperation    // flow 0:2202
	RecAppContext      // flow 0:2203
	RecAppActor        // flow 0:2204 initiator, 0:2205 target
	RecTCPInfo         // flow 0:2209
	RecEntities        // flow 0:2210
	RecExtMPLS         // flow 0:1006
	RecExtNAT          // flow 0:1007
	RecExtMPLSTunnel   // flow 0:1008 mpls_tunnel, 0:1009 mpls_vc: the same layout
	RecExtMPLSFTN      // flow 0:1010
	RecExtVLANTunnel   // flow 0:1012
	RecExtWifiPayload  // flow 0:1013
	RecExtWifiRx       // flow 0:1014
	RecExtWifiTx       // flow 0:1015

	// counter records
	RecIfCounters       // counter 0:1
	RecEthernetCounters // counter 0:2
	RecVLANCounters     // counter 0:5
	RecLACPCounters     // counter 0:7
	RecProcessor        // counter 0:1001
	RecOpenFlowPort     // counter 0:1004
	RecPortName         // counter 0:1005
	RecHostDescr        // counter 0:2000
	RecHostAdapters     // counter 0:2001
	RecHostParent       // counter 0:2002
	RecHostCPU          // counter 0:2003
	RecHostMemory       // counter 0:2004
	RecHostDiskIO       // counter 0:2005
	RecHostNetIO        // counter 0:2006 (also virt_net_io 2104: same layout)
	RecMIB2IP           // counter 0:2007
	RecMIB2ICMP         // counter 0:2008
	RecMIB2TCP          // counter 0:2009
	RecMIB2UDP          // counter 0:2010
	RecVirtNode         // counter 0:2100
	RecVirtCPU          // counter 0:2101
	RecVirtMemory       // counter 0:2102
	RecVirtDiskIO       // counter 0:2103
	RecJVMRuntime       // counter 0:2105
	RecJVMStatistics    // counter 0:2106
	RecMemcacheCounters // counter 0:2204 and legacy 0:2200 (Legacy set)
	RecHTTPCounters     // counter 0:2201
	RecAppOperations    // counter 0:2202
	RecAppResources     // counter 0:2203
	RecAppWorkers       // counter 0:2206
	RecOVSDP            // counter 0:2207
	RecBroadcomTables   // counter 4413:3
	RecSFP              // counter 0:10
	RecPFC              // counter 0:11

	numRecordTypes

	lastFlowRecord = RecExtWifiTx // flow records are RecSampledHeader..lastFlowRecord
)

// Datagram is one decoded sample_datagram_v5. Decode resets and refills it; reuse it across calls.
type Datagram struct {
	Version        uint32
	AgentAddr      netip.Addr
	SubAgentID     uint32
	SequenceNumber uint32
	Uptime         uint32 // ms since the agent booted
	NumSamples     uint32 // as declared on the wire

	Samples []Sample // the samples that could be framed, in wire order

	// UnknownSamples and UnknownRecords count what was skipped by length because this package does not know it.
	UnknownSamples int
	UnknownRecords int
	// Errors lists every problem found; the rest was still decoded where the framing allowed. Decode returns
	// the first of them. An error with Format "datagram" (unreadable header) is alone: nothing was decoded.
	Errors []DecodeError

	records []Record
	store   recordStore
}

// Sample is one sample record of a datagram.
type Sample struct {
	Kind       SampleKind
	Enterprise uint32
	Format     uint32 // data_format & 0xFFF
	Expanded   bool   // 0:3 / 0:4 encoding; also set for 0:5, whose source id is always two words
	Length     uint32 // sample_data length on the wire
	Offset     int    // byte offset of the sample_record in the datagram

	SequenceNumber uint32
	SourceIDClass  uint32 // 0 ifIndex, 1 VLAN, 2 physical, 3 logical
	SourceIDIndex  uint32

	// Flow and discard samples.
	SamplingRate uint32 // 1-in-N (flow)
	SamplePool   uint32 // (flow)
	Drops        uint32
	Input        Interface
	Output       Interface
	DropReason   uint32 // discard samples (sflow_drops.txt reason)

	NumRecords uint32   // as declared on the wire
	Records    []Record // the records that could be framed, in wire order
	Err        *DecodeError
	// Data is the raw sample body (for unknown samples, and for re-encoding).
	Data []byte

	recStart, recEnd int
}

// Interface is an input or output port with its format (compact: top two bits; expanded: explicit word).
type Interface struct {
	Format uint32 // IfFormatIndex, IfFormatDiscarded, IfFormatMultiple; others possible on the wire
	Value  uint32
}

// Record is one flow or counter record. Use the Datagram's typed accessor for its Type.
type Record struct {
	Type       RecordType
	Enterprise uint32
	Format     uint32
	Length     uint32 // body length on the wire
	Offset     int    // byte offset of the record's data_format word in the datagram
	Data       []byte // the raw body
	idx        int32  // index in the typed store for Type
}

// DecodeError says where decoding failed. Use errors.As to get it from Decode's error.
type DecodeError struct {
	Offset int    // byte offset in the datagram where the bad structure starts
	Format string // what was being decoded: "datagram", "sample 0:1", "flow 0:2206", "counter 0:2003", ...
	Seq    uint32 // the sample's sequence number, or the datagram's for datagram-level errors
	Err    error  // ErrTruncated, ErrBadLength, ErrBadVersion, ErrBadAddress, ...
}

// ---------------------------------------------------------------- flow records

// SampledHeader is flow 0:1 with the sampled packet header decoded (Packet).
type SampledHeader struct {
	Protocol    uint32 // header_protocol (1 Ethernet, 11 IPv4, 12 IPv6, ...)
	FrameLength uint32 // original length on the wire, including FCS
	Stripped    uint32 // bytes removed before sampling
	Header      []byte
	Packet      PacketSummary
}

// PacketSummary is what fleettop reads from a sampled header. Zero fields were absent or truncated.
type PacketSummary struct {
	Decoded   bool // at least the first layer decoded
	Truncated bool // the header ended inside a layer
	SrcMAC    [6]byte
	DstMAC    [6]byte
	HasMAC    bool
	EtherType uint16 // innermost ethertype seen before the IP layer
	VLANs     [2]uint16
	NumVLANs  uint8 // 0, 1, or 2 (QinQ: VLANs[0] outer)
	Priority  uint8 // PCP of the outer tag

	IPVersion  uint8 // 0, 4 or 6
	SrcIP      netip.Addr
	DstIP      netip.Addr
	IPProtocol uint8
	TOS        uint8  // IPv4 TOS or IPv6 traffic class
	TTL        uint8  // or hop limit
	IPLength   uint16 // IPv4 total length, or IPv6 payload length + 40
	IPID       uint16
	FragOffset uint16
	FlowLabel  uint32 // IPv6

	SrcPort  uint16
	DstPort  uint16
	TCPFlags uint8
	ICMPType uint8
	ICMPCode uint8
}

// SampledEthernet is flow 0:2 (and the L2 tunnel records).
type SampledEthernet struct {
	Length uint32
	SrcMAC [6]byte
	DstMAC [6]byte
	Type   uint32
}

// SampledIP is flow 0:3 / 0:4 (and the IPv4/IPv6 tunnel records). Priority is TOS for IPv4.
type SampledIP struct {
	Length   uint32
	Protocol uint32
	SrcIP    netip.Addr
	DstIP    netip.Addr
	SrcPort  uint32
	DstPort  uint32
	TCPFlags uint32
	Priority uint32
}

// ExtSwitch is flow 0:1001. 0xFFFFFFFF = unknown (errata).
type ExtSwitch struct {
	SrcVLAN, SrcPriority, DstVLAN, DstPriority uint32
}

// ExtRouter is flow 0:1002.
type ExtRouter struct {
	NextHop    netip.Addr
	SrcMaskLen uint32
	DstMaskLen uint32
}

// ExtGateway is flow 0:1003. The AS path and communities stay in wire form; iterate with ASPath/Community.
type ExtGateway struct {
	NextHop      netip.Addr
	AS           uint32
	SrcAS        uint32
	SrcPeerAS    uint32
	NumSegments  uint32
	ASPathRaw    []byte // the dst_as_path segments as on the wire (validated)
	Communities  []byte // NumCommunities × u32 (validated)
	NumCommunity uint32
	LocalPref    uint32
}

// ExtUser is flow 0:1004.
type ExtUser struct {
	SrcCharset uint32
	SrcUser    []byte
	DstCharset uint32
	DstUser    []byte
}

// ExtURL is flow 0:1005.
type ExtURL struct {
	Direction uint32 // 1 src, 2 dst
	URL       []byte
	Host      []byte
}

// U32Record is a record with a single u32 body (decap offsets, VNIs, egress queue, transit delay, queue depth).
type U32Record struct{ Value uint32 }

// ExtACL is flow 0:1037.
type ExtACL struct {
	Number    uint32
	Name      []byte
	Direction uint32
}

// StringRecord is a record with a single string body (1038 function symbol, 1042 linux drop reason).
type StringRecord struct{ Value []byte }

// HWTrap is flow 0:1041.
type HWTrap struct{ Group, Trap []byte }

// Timestamp is flow 0:1043: ns since the epoch.
type Timestamp struct{ Nanos uint64 }

// Socket is flow 2100-2103. Proxy is true for the proxy_socket records (2102/2103).
type Socket struct {
	Proxy      bool
	Protocol   uint32
	LocalIP    netip.Addr
	RemoteIP   netip.Addr
	LocalPort  uint32
	RemotePort uint32
}

// MemcacheOp is flow 0:2200 memcache_operation.
type MemcacheOp struct {
	Protocol   uint32
	Cmd        uint32
	Key        []byte
	NKeys      uint32
	ValueBytes uint32
	DurationUS uint32
	Status     uint32
}

// HTTPRequest is flow 0:2206 http_request, or the deprecated 0:2201 (Legacy: no XFF, no ReqBytes).
type HTTPRequest struct {
	Legacy     bool
	Method     uint32
	Protocol   uint32 // major*1000+minor
	URI        []byte
	Host       []byte
	Referer    []byte
	UserAgent  []byte
	XFF        []byte
	AuthUser   []byte
	MimeType   []byte
	ReqBytes   uint64
	RespBytes  uint64
	DurationUS uint32
	Status     int32
}

// ProxyRequest is flow 0:2207 extended_proxy_request (the rewritten URI and host).
type ProxyRequest struct {
	URI  []byte
	Host []byte
}

// AppContext is the context of application records (flow 0:2203, and inside 0:2202).
type AppContext struct {
	Application []byte
	Operation   []byte
	Attributes  []byte
}

// AppOperation is flow 0:2202 app_operation.
type AppOperation struct {
	Context     AppContext
	StatusDescr []byte
	ReqBytes    uint64
	RespBytes   uint64
	DurationUS  uint32
	Status      uint32
}

// AppActor is flow 0:2204 app_initiator (Target false) or 0:2205 app_target (Target true).
type AppActor struct {
	Target bool
	Actor  []byte
}

// TCPInfo is flow 0:2209.
type TCPInfo struct {
	Dirn, SndMSS, RcvMSS, Unacked, Lost, Retrans, PMTU, RTT, RTTVar, SndCwnd, Reordering, MinRTT uint32
}

// Entities is flow 0:2210.
type Entities struct {
	SrcClass, SrcIndex, DstClass, DstIndex uint32
}

// ExtMPLS is flow 0:1006 extended_mpls. The label stacks stay in wire form, top of the stack first, each entry
// an RFC 3032 label stack entry: label<<12 | exp<<9 | bottom-of-stack<<8 | TTL.
type ExtMPLS struct {
	NextHop  netip.Addr
	InStack  Words
	OutStack Words
}

// ExtNAT is flow 0:1007 extended_nat: the translated addresses.
type ExtNAT struct{ Src, Dst netip.Addr }

// ExtMPLSTunnel is flow 0:1008 extended_mpls_tunnel (tunnel_lsp_name, tunnel_id, tunnel_cos) or 0:1009
// extended_mpls_vc (vc_instance_name, vll_vc_id, vc_label_cos): the same layout, told apart by Record.Format.
type ExtMPLSTunnel struct {
	Name []byte
	ID   uint32
	COS  uint32
}

// ExtMPLSFTN is flow 0:1010 extended_mpls_FTN (mplsFTNDescr, mplsFTNMask).
type ExtMPLSFTN struct {
	Descr []byte
	Mask  uint32
}

// ExtVLANTunnel is flow 0:1012 extended_vlantunnel: the stripped 802.1Q tags in wire form, outermost first,
// each TPID<<16 | TCI.
type ExtVLANTunnel struct{ Stack Words }

// ExtWifiPayload is flow 0:1013 extended_wifi_payload: the cipher suite (OUI<<8 | suite type) and the
// unencrypted payload as a sampled header (its Packet decoded as for flow 0:1).
type ExtWifiPayload struct {
	CipherSuite uint32
	Header      SampledHeader
}

// ExtWifiRx is flow 0:1014 extended_wifi_rx.
type ExtWifiRx struct {
	SSID             []byte
	BSSID            [6]byte
	Version          uint32 // 1 802.11a, 2 b, 3 g, 4 n
	Channel          uint32
	Speed            uint64 // bit/s
	RSNI             uint32
	RCPI             uint32
	PacketDurationUS uint32
}

// ExtWifiTx is flow 0:1015 extended_wifi_tx.
type ExtWifiTx struct {
	SSID              []byte
	BSSID             [6]byte
	Version           uint32 // 1 802.11a, 2 b, 3 g, 4 n
	Transmissions     uint32 // 0 unknown, 1 sent at the first attempt, n: n-1 retransmissions
	PacketDurationUS  uint32
	RetransDurationUS uint32
	Channel           uint32
	Speed             uint64 // bit/s
	PowerMW           uint32
}

// ---------------------------------------------------------------- counter records

// IfCounters is counter 0:1 generic interface counters.
type IfCounters struct {
	Index            uint32
	Type             uint32
	Speed            uint64
	Direction        uint32
	Status           uint32
	InOctets         uint64
	InUcastPkts      uint32
	InMulticastPkts  uint32
	InBroadcastPkts  uint32
	InDiscards       uint32
	InErrors         uint32
	InUnknownProtos  uint32
	OutOctets        uint64
	OutUcastPkts     uint32
	OutMulticastPkts uint32
	OutBroadcastPkts uint32
	OutDiscards      uint32
	OutErrors        uint32
	PromiscuousMode  uint32
}

// EthernetCounters is counter 0:2.
type EthernetCounters struct {
	AlignmentErrors, FCSErrors, SingleCollisionFrames, MultipleCollisionFrames, SQETestErrors,
	DeferredTransmissions, LateCollisions, ExcessiveCollisions, InternalMacTransmitErrors,
	CarrierSenseErrors, FrameTooLongs, InternalMacReceiveErrors, SymbolErrors uint32
}

// VLANCounters is counter 0:5.
type VLANCounters struct {
	VLANID        uint32
	Octets        uint64
	UcastPkts     uint32
	MulticastPkts uint32
	BroadcastPkts uint32
	Discards      uint32
}

// LACPCounters is counter 0:7.
type LACPCounters struct {
	ActorSystemID         [6]byte
	PartnerSystemID       [6]byte
	AttachedAggID         uint32
	ActorAdminPortState   uint8
	ActorOperPortState    uint8
	PartnerAdminPortState uint8
	PartnerOperPortState  uint8
	LACPDUsRx, MarkerPDUsRx, MarkerResponsePDUsRx, UnknownRx, IllegalRx,
	LACPDUsTx, MarkerPDUsTx, MarkerResponsePDUsTx uint32
}

// Processor is counter 0:1001. CPU figures are hundredths of a percent, -1 unknown.
type Processor struct {
	CPU5s, CPU1m, CPU5m int32
	TotalMemory         uint64
	FreeMemory          uint64
}

// OpenFlowPort is counter 0:1004.
type OpenFlowPort struct {
	DatapathID uint64
	PortNo     uint32
}

// PortName is counter 0:1005.
type PortName struct{ Name []byte }

// HostDescr is counter 0:2000.
type HostDescr struct {
	Hostname    []byte
	UUID        [16]byte
	MachineType uint32
	OSName      uint32
	OSRelease   []byte
}

// HostAdapters is counter 0:2001, kept in wire form; iterate with Adapters.
type HostAdapters struct {
	NumAdapters uint32
	Raw         []byte // validated adapter list
}

// HostParent is counter 0:2002.
type HostParent struct {
	ContainerType  uint32 // data source class
	ContainerIndex uint32
}

// HostCPU is counter 0:2003. Times are cumulative ms; Len80 says whether steal/guest/guest_nice were present.
type HostCPU struct {
	LoadOne, LoadFive, LoadFifteen float32
	ProcRun, ProcTotal, CPUNum, CPUSpeed, Uptime,
	User, Nice, System, Idle, WIO, Intr, SoftIntr, Interrupts, Contexts uint32
	Steal, Guest, GuestNice uint32
	Len80                   bool
}

// HostMemory is counter 0:2004.
type HostMemory struct {
	Total, Free, Shared, Buffers, Cached, SwapTotal, SwapFree uint64
	PageIn, PageOut, SwapIn, SwapOut                          uint32
}

// HostDiskIO is counter 0:2005.
type HostDiskIO struct {
	Total        uint64
	Free         uint64
	PartMaxUsed  int32 // hundredths of a percent, -1 unknown
	Reads        uint32
	BytesRead    uint64
	ReadTime     uint32
	Writes       uint32
	BytesWritten uint64
	WriteTime    uint32
}

// HostNetIO is counter 0:2006 host_net_io and 0:2104 virt_net_io (Virt set).
type HostNetIO struct {
	Virt                       bool
	BytesIn                    uint64
	PktsIn, ErrsIn, DropsIn    uint32
	BytesOut                   uint64
	PktsOut, ErrsOut, DropsOut uint32
}

// MIB2IP is counter 0:2007 (19 u32 in spec order: ipForwarding ... ipFragCreates).
type MIB2IP struct{ V [19]uint32 }

// MIB2ICMP is counter 0:2008 (25 u32 in spec order).
type MIB2ICMP struct{ V [25]uint32 }

// MIB2TCP is counter 0:2009 (15 u32 in spec order).
type MIB2TCP struct{ V [15]uint32 }

// MIB2UDP is counter 0:2010 (7 u32 in spec order).
type MIB2UDP struct{ V [7]uint32 }

// VirtNode is counter 0:2100.
type VirtNode struct {
	MHz, CPUs          uint32
	Memory, MemoryFree uint64
	NumDomains         uint32
}

// VirtCPU is counter 0:2101.
type VirtCPU struct{ State, CPUTime, NrVirtCPU uint32 }

// VirtMemory is counter 0:2102.
type VirtMemory struct{ Memory, MaxMemory uint64 }

// VirtDiskIO is counter 0:2103.
type VirtDiskIO struct {
	Capacity, Allocation, Available uint64
	RdReq                           uint32
	RdBytes                         uint64
	WrReq                           uint32
	WrBytes                         uint64
	Errs                            uint32
}

// JVMRuntime is counter 0:2105.
type JVMRuntime struct{ Name, Vendor, Version []byte }

// JVMStatistics is counter 0:2106. Len108 says whether FDOpen/FDMax were present.
type JVMStatistics struct {
	HeapInitial, HeapUsed, HeapCommitted, HeapMax                 uint64
	NonHeapInitial, NonHeapUsed, NonHeapCommitted, NonHeapMax     uint64
	GCCount, GCTime, ClassesLoaded, ClassesTotal, ClassesUnloaded uint32
	CompilationTime, ThreadsLive, ThreadsDaemon, ThreadsStarted   uint32
	FDOpen, FDMax                                                 uint32
	Len108                                                        bool
}

// MemcacheCounters is counter 0:2204, or the legacy 0:2200 layout (Legacy set; fields it lacks stay 0, and
// Uptime, RUsageUser, RUsageSystem, CmdGet, AcceptingConns are only in the legacy layout).
type MemcacheCounters struct {
	Legacy bool
	CmdSet, CmdTouch, CmdFlush, GetHits, GetMisses, DeleteHits, DeleteMisses, IncrHits, IncrMisses,
	DecrHits, DecrMisses, CASHits, CASMisses, CASBadval, AuthCmds, AuthErrors, Threads, ConnYields,
	ListenDisabledNum, CurrConnections, RejectedConnections, TotalConnections, ConnectionStructures,
	Evictions, Reclaimed, CurrItems, TotalItems uint32
	BytesRead, BytesWritten, Bytes uint64
	LimitMaxbytes                  uint64
	// legacy-only
	Uptime, RUsageUser, RUsageSystem, CmdGet, AcceptingConns uint32
}

// HTTPCounters is counter 0:2201.
type HTTPCounters struct {
	MethodOption, MethodGet, MethodHead, MethodPost, MethodPut, MethodDelete, MethodTrace, MethodConnect,
	MethodOther, Status1XX, Status2XX, Status3XX, Status4XX, Status5XX, StatusOther uint32
}

// AppOperations is counter 0:2202.
type AppOperations struct {
	Application []byte
	Success, Other, Timeout, InternalError, BadRequest, Forbidden, TooLarge, NotImplemented, NotFound,
	Unavailable, Unauthorized uint32
}

// AppResources is counter 0:2203.
type AppResources struct {
	UserTime, SystemTime             uint32
	MemUsed, MemMax                  uint64
	FDOpen, FDMax, ConnOpen, ConnMax uint32
}

// AppWorkers is counter 0:2206.
type AppWorkers struct{ Active, Idle, Max, ReqDelayed, ReqDropped uint32 }

// OVSDP is counter 0:2207.
type OVSDP struct{ Hits, Misses, Lost, MaskHits, Flows, Masks uint32 }

// BroadcomTables is counter 4413:3 (36 u32 in sflowtool's order).
type BroadcomTables struct{ V [36]uint32 }

// SFP is counter 0:10 sfp (optical module): the module and its active lanes, kept in wire form; read them with
// Lanes.At.
type SFP struct {
	ModuleID      uint32
	TotalLanes    uint32 // lanes in the module
	SupplyVoltage uint32 // mV
	Temperature   int32  // thousandths of a degree Celsius
	Lanes         SFPLanes
}

// SFPLane is one sfp_lane of an SFP record.
type SFPLane struct {
	Index         uint32 // from 1
	TxBiasCurrent uint32 // µA
	TxPower       uint32 // µW
	TxPowerMin    uint32 // µW
	TxPowerMax    uint32 // µW
	TxWavelength  uint32 // nm
	RxPower       uint32 // µW
	RxPowerMin    uint32 // µW
	RxPowerMax    uint32 // µW
	RxWavelength  uint32 // nm
}

// PFC is counter 0:11 pfc (priority flow control).
type PFC struct {
	Requests        uint32 // ieee8021PfcRequests
	Indications     uint32 // ieee8021PfcIndications
	PauseDurationUS uint32
	StormDetected   uint32 // times the watchdog timer expired
	StormRestored   uint32 // times a queue was restored to a healthy state
}
