package sflow

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/netip"
)

// ErrNotEncodable is wrapped by AppendDatagram's errors: the Datagram holds a value the wire layout it selects
// cannot carry (an IPv6 address in an IPv4 field, a 25-bit index in a compact sample, a legacy-only counter in a
// current record, a record of the wrong sample kind, ...).
var ErrNotEncodable = errors.New("value cannot be encoded")

// AppendDatagram appends d as a sample_datagram_v5 to dst and returns the extended buffer. It does not allocate
// when dst has room (only its errors do).
//
// It is the inverse of Decoder.Decode. Counts and lengths are computed, never taken from NumSamples, NumRecords or
// Length. The wire layout of each sample and record follows from its value:
//   - samples: Kind and Expanded choose 0:1/0:3 (flow), 0:2/0:4 (counters), 0:5 (discard); a sample of unknown
//     Kind is written as Enterprise:Format with Data verbatim;
//   - records: Type chooses the structure, reached through d's accessor. Where the value tells layouts apart it
//     decides: HostCPU.Len80 (68/80 bytes), JVMStatistics.Len108 (100/108), MemcacheCounters.Legacy (2200/2204),
//     HTTPRequest.Legacy (2201/2206), HostNetIO.Virt (2104/2006), AppActor.Target (2205/2204), Socket.Proxy with
//     the address family of LocalIP (2100-2103). Where it cannot, Record.Format decides, 0 meaning the plain
//     format: SampledEthernet 2/1021/1022, SampledIPv4 3/1023/1024, SampledIPv6 4/1025/1026, and (no default)
//     U32 1027-1030/1036/1039/1040 and String 1038/1042. RecUnknown records are written as Enterprise:Format
//     with Data verbatim.
//
// An invalid (zero) netip.Addr in an address union is written as address type 0 (UNKNOWN).
func AppendDatagram(dst []byte, d *Datagram) ([]byte, error) {
	if d.Version != 0 && d.Version != Version5 {
		return dst, fmt.Errorf("encode datagram: version %d: %w", d.Version, ErrNotEncodable)
	}
	dst = appendU32(dst, Version5)
	dst = appendAddress(dst, d.AgentAddr)
	dst = appendU32(dst, d.SubAgentID)
	dst = appendU32(dst, d.SequenceNumber)
	dst = appendU32(dst, d.Uptime)
	dst = appendU32(dst, uint32(len(d.Samples)))
	for i := range d.Samples {
		var err error
		if dst, err = appendSample(dst, d, &d.Samples[i]); err != nil {
			return dst, fmt.Errorf("encode datagram seq %d, sample %d: %w", d.SequenceNumber, i, err)
		}
	}
	return dst, nil
}

// appendSample appends one sample_record (data_format, length, body).
func appendSample(dst []byte, d *Datagram, s *Sample) ([]byte, error) {
	var format uint32
	switch s.Kind {
	case SampleKindFlow:
		format = SampleFlow
		if s.Expanded {
			format = SampleFlowExpanded
		}
	case SampleKindCounters:
		format = SampleCounters
		if s.Expanded {
			format = SampleCountersExpand
		}
	case SampleKindDiscard:
		format = SampleDiscardedPacket
	default:
		if len(s.Data) > math.MaxUint32 || s.Enterprise > 0xFFFFF || s.Format > 0xFFF {
			return dst, fmt.Errorf("unknown sample %d:%d with %d bytes: %w", s.Enterprise, s.Format, len(s.Data),
				ErrNotEncodable)
		}
		dst = appendU32(dst, s.Enterprise<<12|s.Format&0xFFF)
		return appendOpaque(dst, s.Data), nil
	}
	dst = appendU32(dst, format)
	lenAt := len(dst)
	dst = appendU32(dst, 0)
	dst = appendU32(dst, s.SequenceNumber)

	compact := !s.Expanded && s.Kind != SampleKindDiscard
	if compact {
		if s.SourceIDClass > 0xFF || s.SourceIDIndex > 0xFFFFFF {
			return dst, fmt.Errorf("sample 0:%d: source id %d:%d does not fit the compact form: %w",
				format, s.SourceIDClass, s.SourceIDIndex, ErrNotEncodable)
		}
		dst = appendU32(dst, s.SourceIDClass<<24|s.SourceIDIndex)
	} else {
		dst = appendU32(dst, s.SourceIDClass)
		dst = appendU32(dst, s.SourceIDIndex)
	}

	switch format {
	case SampleFlow, SampleFlowExpanded:
		dst = appendU32(dst, s.SamplingRate)
		dst = appendU32(dst, s.SamplePool)
		dst = appendU32(dst, s.Drops)
		for _, itf := range [2]Interface{s.Input, s.Output} {
			if compact {
				if itf.Format > 3 || itf.Value > 0x3FFFFFFF {
					return dst, fmt.Errorf("sample 0:%d: interface %d/%d does not fit the compact form: %w",
						format, itf.Format, itf.Value, ErrNotEncodable)
				}
				dst = appendU32(dst, itf.Format<<30|itf.Value)
			} else {
				dst = appendU32(dst, itf.Format)
				dst = appendU32(dst, itf.Value)
			}
		}
	case SampleDiscardedPacket:
		if s.Input.Format != IfFormatIndex || s.Output.Format != IfFormatIndex {
			return dst, fmt.Errorf("sample 0:5: discard interfaces are plain ifIndex values, got formats %d/%d: %w",
				s.Input.Format, s.Output.Format, ErrNotEncodable)
		}
		dst = appendU32(dst, s.Drops)
		dst = appendU32(dst, s.Input.Value)
		dst = appendU32(dst, s.Output.Value)
		dst = appendU32(dst, s.DropReason)
	}

	dst = appendU32(dst, uint32(len(s.Records)))
	for i := range s.Records {
		var err error
		if dst, err = appendRecord(dst, d, s.Kind, &s.Records[i]); err != nil {
			return dst, fmt.Errorf("sample 0:%d seq %d, record %d: %w", format, s.SequenceNumber, i, err)
		}
	}
	putLength(dst, lenAt)
	return dst, nil
}

// putLength back-patches the u32 length word at lenAt with the number of bytes written after it.
func putLength(b []byte, lenAt int) {
	binary.BigEndian.PutUint32(b[lenAt:], uint32(len(b)-lenAt-4))
}

// isFlowRecord says whether t belongs in flow and discard samples (true) or counters samples (false).
func isFlowRecord(t RecordType) bool { return t >= RecSampledHeader && t <= lastFlowRecord }

// appendRecord appends one flow_record or counter_record (data_format, length, body).
func appendRecord(dst []byte, d *Datagram, kind SampleKind, r *Record) ([]byte, error) {
	if r.Type == RecUnknown {
		if len(r.Data) > math.MaxUint32 || r.Enterprise > 0xFFFFF || r.Format > 0xFFF {
			return dst, fmt.Errorf("unknown record %d:%d with %d bytes: %w", r.Enterprise, r.Format, len(r.Data),
				ErrNotEncodable)
		}
		dst = appendU32(dst, r.Enterprise<<12|r.Format&0xFFF)
		return appendOpaque(dst, r.Data), nil
	}
	if r.Type >= numRecordTypes {
		return dst, fmt.Errorf("record type %d: %w", r.Type, ErrNotEncodable)
	}
	if isFlowRecord(r.Type) != (kind != SampleKindCounters) {
		return dst, fmt.Errorf("record type %d in a sample of kind %d: %w", r.Type, kind, ErrNotEncodable)
	}
	at := len(dst)
	dst = appendU32(dst, 0) // data_format, patched once the body chose it
	dst = appendU32(dst, 0) // length
	dst, enterprise, format, err := appendRecordBody(dst, d, r)
	if err != nil {
		what := "counter"
		if isFlowRecord(r.Type) {
			what = "flow"
		}
		return dst, fmt.Errorf("%s %d:%d: %w", what, enterprise, format, err)
	}
	binary.BigEndian.PutUint32(dst[at:], enterprise<<12|format)
	putLength(dst, at+4)
	return dst, nil
}

// pickFormat returns the record's Format when it is one of allowed, def when it is 0, and an error otherwise.
func pickFormat(r *Record, def uint32, allowed ...uint32) (uint32, error) {
	if r.Format == 0 && def != 0 {
		return def, nil
	}
	for _, f := range allowed {
		if r.Format == f {
			return f, nil
		}
	}
	return r.Format, fmt.Errorf("format %d is not a layout of record type %d: %w", r.Format, r.Type, ErrNotEncodable)
}

// errNoValue reports a typed record whose value is missing from the datagram's store.
func errNoValue(r *Record) error {
	return fmt.Errorf("record type %d has no value in this datagram: %w", r.Type, ErrNotEncodable)
}

// appendRecordBody appends the typed body of r and returns the enterprise and format it was written as.
func appendRecordBody(b []byte, d *Datagram, r *Record) (_ []byte, enterprise, format uint32, err error) {
	switch r.Type {
	case RecSampledHeader:
		v := d.SampledHeader(r)
		if v == nil {
			return b, 0, FlowSampledHeader, errNoValue(r)
		}
		b = appendU32(b, v.Protocol)
		b = appendU32(b, v.FrameLength)
		b = appendU32(b, v.Stripped)
		return appendOpaque(b, v.Header), 0, FlowSampledHeader, nil

	case RecSampledEthernet:
		v := d.SampledEthernet(r)
		format, err = pickFormat(r, FlowSampledEthernet, FlowSampledEthernet, FlowExtL2TunnelEgress, FlowExtL2TunnelIngress)
		if err != nil {
			return b, 0, format, err
		}
		if v == nil {
			return b, 0, format, errNoValue(r)
		}
		b = appendU32(b, v.Length)
		b = appendMAC(b, v.SrcMAC)
		b = appendMAC(b, v.DstMAC)
		return appendU32(b, v.Type), 0, format, nil

	case RecSampledIPv4, RecSampledIPv6:
		var v *SampledIP
		size := 4
		if r.Type == RecSampledIPv4 {
			v = d.SampledIPv4(r)
			format, err = pickFormat(r, FlowSampledIPv4, FlowSampledIPv4, FlowExtIPv4TunnelEgr, FlowExtIPv4TunnelIngr)
		} else {
			v = d.SampledIPv6(r)
			size = 16
			format, err = pickFormat(r, FlowSampledIPv6, FlowSampledIPv6, FlowExtIPv6TunnelEgr, FlowExtIPv6TunnelIngr)
		}
		if err != nil {
			return b, 0, format, err
		}
		if v == nil {
			return b, 0, format, errNoValue(r)
		}
		b = appendU32(b, v.Length)
		b = appendU32(b, v.Protocol)
		if b, err = appendFixedIP(b, v.SrcIP, size, "SrcIP"); err != nil {
			return b, 0, format, err
		}
		if b, err = appendFixedIP(b, v.DstIP, size, "DstIP"); err != nil {
			return b, 0, format, err
		}
		b = appendU32(b, v.SrcPort)
		b = appendU32(b, v.DstPort)
		b = appendU32(b, v.TCPFlags)
		return appendU32(b, v.Priority), 0, format, nil

	case RecExtSwitch:
		v := d.ExtSwitch(r)
		if v == nil {
			return b, 0, FlowExtSwitch, errNoValue(r)
		}
		return appendU32s(b, v.SrcVLAN, v.SrcPriority, v.DstVLAN, v.DstPriority), 0, FlowExtSwitch, nil

	case RecExtRouter:
		v := d.ExtRouter(r)
		if v == nil {
			return b, 0, FlowExtRouter, errNoValue(r)
		}
		b = appendAddress(b, v.NextHop)
		return appendU32s(b, v.SrcMaskLen, v.DstMaskLen), 0, FlowExtRouter, nil

	case RecExtGateway:
		v := d.ExtGateway(r)
		if v == nil {
			return b, 0, FlowExtGateway, errNoValue(r)
		}
		if err := checkASPath(v.ASPathRaw, v.NumSegments); err != nil {
			return b, 0, FlowExtGateway, err
		}
		if uint64(len(v.Communities)) != 4*uint64(v.NumCommunity) {
			return b, 0, FlowExtGateway, fmt.Errorf("%d community bytes for %d communities: %w",
				len(v.Communities), v.NumCommunity, ErrNotEncodable)
		}
		b = appendAddress(b, v.NextHop)
		b = appendU32s(b, v.AS, v.SrcAS, v.SrcPeerAS, v.NumSegments)
		b = append(b, v.ASPathRaw...)
		b = appendU32(b, v.NumCommunity)
		b = append(b, v.Communities...)
		return appendU32(b, v.LocalPref), 0, FlowExtGateway, nil

	case RecExtUser:
		v := d.ExtUser(r)
		if v == nil {
			return b, 0, FlowExtUser, errNoValue(r)
		}
		b = appendU32(b, v.SrcCharset)
		b = appendOpaque(b, v.SrcUser)
		b = appendU32(b, v.DstCharset)
		return appendOpaque(b, v.DstUser), 0, FlowExtUser, nil

	case RecExtURL:
		v := d.ExtURL(r)
		if v == nil {
			return b, 0, FlowExtURL, errNoValue(r)
		}
		b = appendU32(b, v.Direction)
		b = appendOpaque(b, v.URL)
		return appendOpaque(b, v.Host), 0, FlowExtURL, nil

	case RecU32:
		v := d.U32(r)
		format, err = pickFormat(r, 0, FlowExtDecapEgress, FlowExtDecapIngress, FlowExtVNIEgress, FlowExtVNIIngress,
			FlowEgressQueue, FlowTransitDelay, FlowQueueDepth)
		if err != nil {
			return b, 0, format, err
		}
		if v == nil {
			return b, 0, format, errNoValue(r)
		}
		return appendU32(b, v.Value), 0, format, nil

	case RecExtACL:
		v := d.ExtACL(r)
		if v == nil {
			return b, 0, FlowExtACL, errNoValue(r)
		}
		b = appendU32(b, v.Number)
		b = appendOpaque(b, v.Name)
		return appendU32(b, v.Direction), 0, FlowExtACL, nil

	case RecString:
		v := d.String(r)
		format, err = pickFormat(r, 0, FlowExtFunction, FlowLinuxDropReason)
		if err != nil {
			return b, 0, format, err
		}
		if v == nil {
			return b, 0, format, errNoValue(r)
		}
		return appendOpaque(b, v.Value), 0, format, nil

	case RecHWTrap:
		v := d.HWTrap(r)
		if v == nil {
			return b, 0, FlowHWTrap, errNoValue(r)
		}
		b = appendOpaque(b, v.Group)
		return appendOpaque(b, v.Trap), 0, FlowHWTrap, nil

	case RecTimestamp:
		v := d.Timestamp(r)
		if v == nil {
			return b, 0, FlowTimestamp, errNoValue(r)
		}
		return appendU64(b, v.Nanos), 0, FlowTimestamp, nil

	case RecSocket:
		v := d.Socket(r)
		if v == nil {
			return b, 0, FlowExtSocketIPv4, errNoValue(r)
		}
		size := 4
		format = socketFormat(v)
		if v.LocalIP.Is6() {
			size = 16
		}
		b = appendU32(b, v.Protocol)
		if b, err = appendFixedIP(b, v.LocalIP, size, "LocalIP"); err != nil {
			return b, 0, format, err
		}
		if b, err = appendFixedIP(b, v.RemoteIP, size, "RemoteIP"); err != nil {
			return b, 0, format, err
		}
		return appendU32s(b, v.LocalPort, v.RemotePort), 0, format, nil

	case RecMemcacheOp:
		v := d.MemcacheOp(r)
		if v == nil {
			return b, 0, FlowMemcacheOperation, errNoValue(r)
		}
		b = appendU32s(b, v.Protocol, v.Cmd)
		b = appendOpaque(b, v.Key)
		return appendU32s(b, v.NKeys, v.ValueBytes, v.DurationUS, v.Status), 0, FlowMemcacheOperation, nil

	case RecHTTPRequest:
		v := d.HTTPRequest(r)
		if v == nil {
			return b, 0, FlowHTTPRequest, errNoValue(r)
		}
		format = FlowHTTPRequest
		if v.Legacy {
			format = FlowHTTPRequestLegacy
			if len(v.XFF) != 0 || v.ReqBytes != 0 {
				return b, 0, format, fmt.Errorf("legacy http_request has no XFF or ReqBytes: %w", ErrNotEncodable)
			}
		}
		b = appendU32s(b, v.Method, v.Protocol)
		b = appendOpaque(b, v.URI)
		b = appendOpaque(b, v.Host)
		b = appendOpaque(b, v.Referer)
		b = appendOpaque(b, v.UserAgent)
		if !v.Legacy {
			b = appendOpaque(b, v.XFF)
		}
		b = appendOpaque(b, v.AuthUser)
		b = appendOpaque(b, v.MimeType)
		if !v.Legacy {
			b = appendU64(b, v.ReqBytes)
		}
		b = appendU64(b, v.RespBytes)
		return appendU32s(b, v.DurationUS, uint32(v.Status)), 0, format, nil

	case RecProxyRequest:
		v := d.ProxyRequest(r)
		if v == nil {
			return b, 0, FlowExtProxyRequest, errNoValue(r)
		}
		b = appendOpaque(b, v.URI)
		return appendOpaque(b, v.Host), 0, FlowExtProxyRequest, nil

	case RecAppOperation:
		v := d.AppOperation(r)
		if v == nil {
			return b, 0, FlowAppOperation, errNoValue(r)
		}
		b = appendAppContext(b, &v.Context)
		b = appendOpaque(b, v.StatusDescr)
		b = appendU64(b, v.ReqBytes)
		b = appendU64(b, v.RespBytes)
		return appendU32s(b, v.DurationUS, v.Status), 0, FlowAppOperation, nil

	case RecAppContext:
		v := d.AppContext(r)
		if v == nil {
			return b, 0, FlowAppParentContext, errNoValue(r)
		}
		return appendAppContext(b, v), 0, FlowAppParentContext, nil

	case RecAppActor:
		v := d.AppActor(r)
		if v == nil {
			return b, 0, FlowAppInitiator, errNoValue(r)
		}
		format = FlowAppInitiator
		if v.Target {
			format = FlowAppTarget
		}
		return appendOpaque(b, v.Actor), 0, format, nil

	case RecTCPInfo:
		v := d.TCPInfo(r)
		if v == nil {
			return b, 0, FlowTCPInfo, errNoValue(r)
		}
		return appendU32s(b, v.Dirn, v.SndMSS, v.RcvMSS, v.Unacked, v.Lost, v.Retrans, v.PMTU, v.RTT, v.RTTVar,
			v.SndCwnd, v.Reordering, v.MinRTT), 0, FlowTCPInfo, nil

	case RecEntities:
		v := d.Entities(r)
		if v == nil {
			return b, 0, FlowEntities, errNoValue(r)
		}
		return appendU32s(b, v.SrcClass, v.SrcIndex, v.DstClass, v.DstIndex), 0, FlowEntities, nil
	}
	return appendRareFlowBody(b, d, r)
}

// appendRareFlowBody is appendRecordBody for the MPLS, NAT, VLAN tunnel and 802.11 flow records.
func appendRareFlowBody(b []byte, d *Datagram, r *Record) (_ []byte, enterprise, format uint32, err error) {
	switch r.Type {
	case RecExtMPLS:
		v := d.ExtMPLS(r)
		if v == nil {
			return b, 0, FlowExtMPLS, errNoValue(r)
		}
		b = appendAddress(b, v.NextHop)
		if b, err = appendWords(b, v.InStack, "InStack"); err != nil {
			return b, 0, FlowExtMPLS, err
		}
		b, err = appendWords(b, v.OutStack, "OutStack")
		return b, 0, FlowExtMPLS, err

	case RecExtNAT:
		v := d.ExtNAT(r)
		if v == nil {
			return b, 0, FlowExtNAT, errNoValue(r)
		}
		return appendAddress(appendAddress(b, v.Src), v.Dst), 0, FlowExtNAT, nil

	case RecExtMPLSTunnel:
		v := d.ExtMPLSTunnel(r)
		format, err = pickFormat(r, FlowExtMPLSTunnel, FlowExtMPLSTunnel, FlowExtMPLSVC)
		if err != nil {
			return b, 0, format, err
		}
		if v == nil {
			return b, 0, format, errNoValue(r)
		}
		b = appendOpaque(b, v.Name)
		return appendU32s(b, v.ID, v.COS), 0, format, nil

	case RecExtMPLSFTN:
		v := d.ExtMPLSFTN(r)
		if v == nil {
			return b, 0, FlowExtMPLSFTN, errNoValue(r)
		}
		b = appendOpaque(b, v.Descr)
		return appendU32(b, v.Mask), 0, FlowExtMPLSFTN, nil

	case RecExtVLANTunnel:
		v := d.ExtVLANTunnel(r)
		if v == nil {
			return b, 0, FlowExtVLANTunnel, errNoValue(r)
		}
		b, err = appendWords(b, v.Stack, "Stack")
		return b, 0, FlowExtVLANTunnel, err

	case RecExtWifiPayload:
		v := d.ExtWifiPayload(r)
		if v == nil {
			return b, 0, FlowExtWifiPayload, errNoValue(r)
		}
		b = appendU32s(b, v.CipherSuite, v.Header.Protocol, v.Header.FrameLength, v.Header.Stripped)
		return appendOpaque(b, v.Header.Header), 0, FlowExtWifiPayload, nil

	case RecExtWifiRx:
		v := d.ExtWifiRx(r)
		if v == nil {
			return b, 0, FlowExtWifiRx, errNoValue(r)
		}
		b = appendOpaque(b, v.SSID)
		b = appendMAC(b, v.BSSID)
		b = appendU32s(b, v.Version, v.Channel)
		b = appendU64(b, v.Speed)
		return appendU32s(b, v.RSNI, v.RCPI, v.PacketDurationUS), 0, FlowExtWifiRx, nil

	case RecExtWifiTx:
		v := d.ExtWifiTx(r)
		if v == nil {
			return b, 0, FlowExtWifiTx, errNoValue(r)
		}
		b = appendOpaque(b, v.SSID)
		b = appendMAC(b, v.BSSID)
		b = appendU32s(b, v.Version, v.Transmissions, v.PacketDurationUS, v.RetransDurationUS, v.Channel)
		b = appendU64(b, v.Speed)
		return appendU32(b, v.PowerMW), 0, FlowExtWifiTx, nil
	}
	return appendCounterBody(b, d, r)
}

// appendWords writes a u32 list<> kept in wire form: its count and its words.
func appendWords(b []byte, w Words, field string) ([]byte, error) {
	if len(w)%4 != 0 || uint64(len(w)/4) > math.MaxUint32 {
		return b, fmt.Errorf("%s: %d bytes is not a list of u32: %w", field, len(w), ErrNotEncodable)
	}
	b = appendU32(b, uint32(len(w)/4))
	return append(b, w...), nil
}

// appendCounterBody is appendRecordBody for counter records.
func appendCounterBody(b []byte, d *Datagram, r *Record) (_ []byte, enterprise, format uint32, err error) {
	switch r.Type {
	case RecIfCounters:
		v := d.IfCounters(r)
		if v == nil {
			return b, 0, CounterGenericInterface, errNoValue(r)
		}
		b = appendU32s(b, v.Index, v.Type)
		b = appendU64(b, v.Speed)
		b = appendU32s(b, v.Direction, v.Status)
		b = appendU64(b, v.InOctets)
		b = appendU32s(b, v.InUcastPkts, v.InMulticastPkts, v.InBroadcastPkts, v.InDiscards, v.InErrors,
			v.InUnknownProtos)
		b = appendU64(b, v.OutOctets)
		return appendU32s(b, v.OutUcastPkts, v.OutMulticastPkts, v.OutBroadcastPkts, v.OutDiscards, v.OutErrors,
			v.PromiscuousMode), 0, CounterGenericInterface, nil

	case RecEthernetCounters:
		v := d.EthernetCounters(r)
		if v == nil {
			return b, 0, CounterEthernet, errNoValue(r)
		}
		return appendU32s(b, v.AlignmentErrors, v.FCSErrors, v.SingleCollisionFrames, v.MultipleCollisionFrames,
			v.SQETestErrors, v.DeferredTransmissions, v.LateCollisions, v.ExcessiveCollisions,
			v.InternalMacTransmitErrors, v.CarrierSenseErrors, v.FrameTooLongs, v.InternalMacReceiveErrors,
			v.SymbolErrors), 0, CounterEthernet, nil

	case RecVLANCounters:
		v := d.VLANCounters(r)
		if v == nil {
			return b, 0, CounterVLAN, errNoValue(r)
		}
		b = appendU32(b, v.VLANID)
		b = appendU64(b, v.Octets)
		return appendU32s(b, v.UcastPkts, v.MulticastPkts, v.BroadcastPkts, v.Discards), 0, CounterVLAN, nil

	case RecLACPCounters:
		v := d.LACPCounters(r)
		if v == nil {
			return b, 0, CounterLACP, errNoValue(r)
		}
		b = appendMAC(b, v.ActorSystemID)
		b = appendMAC(b, v.PartnerSystemID)
		b = appendU32(b, v.AttachedAggID)
		b = append(b, v.ActorAdminPortState, v.ActorOperPortState, v.PartnerAdminPortState, v.PartnerOperPortState)
		return appendU32s(b, v.LACPDUsRx, v.MarkerPDUsRx, v.MarkerResponsePDUsRx, v.UnknownRx, v.IllegalRx,
			v.LACPDUsTx, v.MarkerPDUsTx, v.MarkerResponsePDUsTx), 0, CounterLACP, nil

	case RecProcessor:
		v := d.Processor(r)
		if v == nil {
			return b, 0, CounterProcessor, errNoValue(r)
		}
		b = appendU32s(b, uint32(v.CPU5s), uint32(v.CPU1m), uint32(v.CPU5m))
		b = appendU64(b, v.TotalMemory)
		return appendU64(b, v.FreeMemory), 0, CounterProcessor, nil

	case RecOpenFlowPort:
		v := d.OpenFlowPort(r)
		if v == nil {
			return b, 0, CounterOpenFlowPort, errNoValue(r)
		}
		b = appendU64(b, v.DatapathID)
		return appendU32(b, v.PortNo), 0, CounterOpenFlowPort, nil

	case RecPortName:
		v := d.PortName(r)
		if v == nil {
			return b, 0, CounterPortName, errNoValue(r)
		}
		return appendOpaque(b, v.Name), 0, CounterPortName, nil

	case RecHostDescr:
		v := d.HostDescr(r)
		if v == nil {
			return b, 0, CounterHostDescr, errNoValue(r)
		}
		b = appendOpaque(b, v.Hostname)
		b = append(b, v.UUID[:]...) // fixed 16 bytes, no length word (what every agent sends)
		b = appendU32s(b, v.MachineType, v.OSName)
		return appendOpaque(b, v.OSRelease), 0, CounterHostDescr, nil

	case RecHostAdapters:
		v := d.HostAdapters(r)
		if v == nil {
			return b, 0, CounterHostAdapters, errNoValue(r)
		}
		if err := checkAdapters(v.Raw, v.NumAdapters); err != nil {
			return b, 0, CounterHostAdapters, err
		}
		b = appendU32(b, v.NumAdapters)
		return append(b, v.Raw...), 0, CounterHostAdapters, nil

	case RecHostParent:
		v := d.HostParent(r)
		if v == nil {
			return b, 0, CounterHostParent, errNoValue(r)
		}
		return appendU32s(b, v.ContainerType, v.ContainerIndex), 0, CounterHostParent, nil

	case RecHostCPU:
		v := d.HostCPU(r)
		if v == nil {
			return b, 0, CounterHostCPU, errNoValue(r)
		}
		if !v.Len80 && (v.Steal != 0 || v.Guest != 0 || v.GuestNice != 0) {
			return b, 0, CounterHostCPU, fmt.Errorf("68-byte host_cpu has no steal/guest/guest_nice: %w", ErrNotEncodable)
		}
		b = appendU32s(b, math.Float32bits(v.LoadOne), math.Float32bits(v.LoadFive), math.Float32bits(v.LoadFifteen),
			v.ProcRun, v.ProcTotal, v.CPUNum, v.CPUSpeed, v.Uptime, v.User, v.Nice, v.System, v.Idle, v.WIO, v.Intr,
			v.SoftIntr, v.Interrupts, v.Contexts)
		if v.Len80 {
			b = appendU32s(b, v.Steal, v.Guest, v.GuestNice)
		}
		return b, 0, CounterHostCPU, nil

	case RecHostMemory:
		v := d.HostMemory(r)
		if v == nil {
			return b, 0, CounterHostMemory, errNoValue(r)
		}
		b = appendU64s(b, v.Total, v.Free, v.Shared, v.Buffers, v.Cached, v.SwapTotal, v.SwapFree)
		return appendU32s(b, v.PageIn, v.PageOut, v.SwapIn, v.SwapOut), 0, CounterHostMemory, nil

	case RecHostDiskIO:
		v := d.HostDiskIO(r)
		if v == nil {
			return b, 0, CounterHostDiskIO, errNoValue(r)
		}
		b = appendU64s(b, v.Total, v.Free)
		b = appendU32s(b, uint32(v.PartMaxUsed), v.Reads)
		b = appendU64(b, v.BytesRead)
		b = appendU32s(b, v.ReadTime, v.Writes)
		b = appendU64(b, v.BytesWritten)
		return appendU32(b, v.WriteTime), 0, CounterHostDiskIO, nil

	case RecHostNetIO:
		v := d.HostNetIO(r)
		format = CounterHostNetIO
		if v == nil {
			return b, 0, format, errNoValue(r)
		}
		if v.Virt {
			format = CounterVirtNetIO
		}
		b = appendU64(b, v.BytesIn)
		b = appendU32s(b, v.PktsIn, v.ErrsIn, v.DropsIn)
		b = appendU64(b, v.BytesOut)
		return appendU32s(b, v.PktsOut, v.ErrsOut, v.DropsOut), 0, format, nil

	case RecMIB2IP:
		v := d.MIB2IP(r)
		if v == nil {
			return b, 0, CounterMIB2IP, errNoValue(r)
		}
		return appendU32s(b, v.V[:]...), 0, CounterMIB2IP, nil

	case RecMIB2ICMP:
		v := d.MIB2ICMP(r)
		if v == nil {
			return b, 0, CounterMIB2ICMP, errNoValue(r)
		}
		return appendU32s(b, v.V[:]...), 0, CounterMIB2ICMP, nil

	case RecMIB2TCP:
		v := d.MIB2TCP(r)
		if v == nil {
			return b, 0, CounterMIB2TCP, errNoValue(r)
		}
		return appendU32s(b, v.V[:]...), 0, CounterMIB2TCP, nil

	case RecMIB2UDP:
		v := d.MIB2UDP(r)
		if v == nil {
			return b, 0, CounterMIB2UDP, errNoValue(r)
		}
		return appendU32s(b, v.V[:]...), 0, CounterMIB2UDP, nil

	case RecVirtNode:
		v := d.VirtNode(r)
		if v == nil {
			return b, 0, CounterVirtNode, errNoValue(r)
		}
		b = appendU32s(b, v.MHz, v.CPUs)
		b = appendU64s(b, v.Memory, v.MemoryFree)
		return appendU32(b, v.NumDomains), 0, CounterVirtNode, nil

	case RecVirtCPU:
		v := d.VirtCPU(r)
		if v == nil {
			return b, 0, CounterVirtCPU, errNoValue(r)
		}
		return appendU32s(b, v.State, v.CPUTime, v.NrVirtCPU), 0, CounterVirtCPU, nil

	case RecVirtMemory:
		v := d.VirtMemory(r)
		if v == nil {
			return b, 0, CounterVirtMemory, errNoValue(r)
		}
		return appendU64s(b, v.Memory, v.MaxMemory), 0, CounterVirtMemory, nil

	case RecVirtDiskIO:
		v := d.VirtDiskIO(r)
		if v == nil {
			return b, 0, CounterVirtDiskIO, errNoValue(r)
		}
		b = appendU64s(b, v.Capacity, v.Allocation, v.Available)
		b = appendU32(b, v.RdReq)
		b = appendU64(b, v.RdBytes)
		b = appendU32(b, v.WrReq)
		b = appendU64(b, v.WrBytes)
		return appendU32(b, v.Errs), 0, CounterVirtDiskIO, nil

	case RecJVMRuntime:
		v := d.JVMRuntime(r)
		if v == nil {
			return b, 0, CounterJVMRuntime, errNoValue(r)
		}
		b = appendOpaque(b, v.Name)
		b = appendOpaque(b, v.Vendor)
		return appendOpaque(b, v.Version), 0, CounterJVMRuntime, nil

	case RecJVMStatistics:
		v := d.JVMStatistics(r)
		if v == nil {
			return b, 0, CounterJVMStatistics, errNoValue(r)
		}
		if !v.Len108 && (v.FDOpen != 0 || v.FDMax != 0) {
			return b, 0, CounterJVMStatistics, fmt.Errorf("100-byte jvm_statistics has no fd counts: %w", ErrNotEncodable)
		}
		b = appendU64s(b, v.HeapInitial, v.HeapUsed, v.HeapCommitted, v.HeapMax, v.NonHeapInitial, v.NonHeapUsed,
			v.NonHeapCommitted, v.NonHeapMax)
		b = appendU32s(b, v.GCCount, v.GCTime, v.ClassesLoaded, v.ClassesTotal, v.ClassesUnloaded, v.CompilationTime,
			v.ThreadsLive, v.ThreadsDaemon, v.ThreadsStarted)
		if v.Len108 {
			b = appendU32s(b, v.FDOpen, v.FDMax)
		}
		return b, 0, CounterJVMStatistics, nil

	case RecMemcacheCounters:
		v := d.MemcacheCounters(r)
		if v == nil {
			return b, 0, CounterMemcache, errNoValue(r)
		}
		if v.Legacy {
			return appendMemcacheLegacy(b, v)
		}
		if v.Uptime != 0 || v.RUsageUser != 0 || v.RUsageSystem != 0 || v.CmdGet != 0 || v.AcceptingConns != 0 {
			return b, 0, CounterMemcache, fmt.Errorf("memcache_counters 2204 has no uptime/rusage/cmd_get/accepting_conns: %w",
				ErrNotEncodable)
		}
		b = appendU32s(b, v.CmdSet, v.CmdTouch, v.CmdFlush, v.GetHits, v.GetMisses, v.DeleteHits, v.DeleteMisses,
			v.IncrHits, v.IncrMisses, v.DecrHits, v.DecrMisses, v.CASHits, v.CASMisses, v.CASBadval, v.AuthCmds,
			v.AuthErrors, v.Threads, v.ConnYields, v.ListenDisabledNum, v.CurrConnections, v.RejectedConnections,
			v.TotalConnections, v.ConnectionStructures, v.Evictions, v.Reclaimed, v.CurrItems, v.TotalItems)
		return appendU64s(b, v.BytesRead, v.BytesWritten, v.Bytes, v.LimitMaxbytes), 0, CounterMemcache, nil

	case RecHTTPCounters:
		v := d.HTTPCounters(r)
		if v == nil {
			return b, 0, CounterHTTP, errNoValue(r)
		}
		return appendU32s(b, v.MethodOption, v.MethodGet, v.MethodHead, v.MethodPost, v.MethodPut, v.MethodDelete,
			v.MethodTrace, v.MethodConnect, v.MethodOther, v.Status1XX, v.Status2XX, v.Status3XX, v.Status4XX,
			v.Status5XX, v.StatusOther), 0, CounterHTTP, nil

	case RecAppOperations:
		v := d.AppOperations(r)
		if v == nil {
			return b, 0, CounterAppOperations, errNoValue(r)
		}
		b = appendOpaque(b, v.Application)
		return appendU32s(b, v.Success, v.Other, v.Timeout, v.InternalError, v.BadRequest, v.Forbidden, v.TooLarge,
			v.NotImplemented, v.NotFound, v.Unavailable, v.Unauthorized), 0, CounterAppOperations, nil

	case RecAppResources:
		v := d.AppResources(r)
		if v == nil {
			return b, 0, CounterAppResources, errNoValue(r)
		}
		b = appendU32s(b, v.UserTime, v.SystemTime)
		b = appendU64s(b, v.MemUsed, v.MemMax)
		return appendU32s(b, v.FDOpen, v.FDMax, v.ConnOpen, v.ConnMax), 0, CounterAppResources, nil

	case RecAppWorkers:
		v := d.AppWorkers(r)
		if v == nil {
			return b, 0, CounterAppWorkers, errNoValue(r)
		}
		return appendU32s(b, v.Active, v.Idle, v.Max, v.ReqDelayed, v.ReqDropped), 0, CounterAppWorkers, nil

	case RecOVSDP:
		v := d.OVSDP(r)
		if v == nil {
			return b, 0, CounterOVSDP, errNoValue(r)
		}
		return appendU32s(b, v.Hits, v.Misses, v.Lost, v.MaskHits, v.Flows, v.Masks), 0, CounterOVSDP, nil

	case RecBroadcomTables:
		v := d.BroadcomTables(r)
		if v == nil {
			return b, EnterpriseBroadcom, CounterBroadcomTables, errNoValue(r)
		}
		return appendU32s(b, v.V[:]...), EnterpriseBroadcom, CounterBroadcomTables, nil

	case RecSFP:
		v := d.SFP(r)
		if v == nil {
			return b, 0, CounterSFP, errNoValue(r)
		}
		if len(v.Lanes)%SFPLaneLen != 0 || uint64(len(v.Lanes)/SFPLaneLen) > math.MaxUint32 {
			return b, 0, CounterSFP, fmt.Errorf("%d lane bytes is not a list of %d-byte lanes: %w", len(v.Lanes),
				SFPLaneLen, ErrNotEncodable)
		}
		b = appendU32s(b, v.ModuleID, v.TotalLanes, v.SupplyVoltage, uint32(v.Temperature), uint32(v.Lanes.Len()))
		return append(b, v.Lanes...), 0, CounterSFP, nil

	case RecPFC:
		v := d.PFC(r)
		if v == nil {
			return b, 0, CounterPFC, errNoValue(r)
		}
		return appendU32s(b, v.Requests, v.Indications, v.PauseDurationUS, v.StormDetected, v.StormRestored), 0,
			CounterPFC, nil
	}
	return b, r.Enterprise, r.Format, fmt.Errorf("record type %d: %w", r.Type, ErrNotEncodable)
}

// appendMemcacheLegacy writes the pre-2204 memcache_counters layout (0:2200) of the memcached sFlow patch.
func appendMemcacheLegacy(b []byte, v *MemcacheCounters) (_ []byte, enterprise, format uint32, err error) {
	if v.CmdTouch != 0 || v.RejectedConnections != 0 || v.Reclaimed != 0 || v.LimitMaxbytes > math.MaxUint32 {
		return b, 0, CounterMemcacheLegacy,
			fmt.Errorf("legacy memcache_counters has no cmd_touch/rejected/reclaimed and a 32-bit limit_maxbytes: %w",
				ErrNotEncodable)
	}
	b = appendU32s(b, v.Uptime, v.RUsageUser, v.RUsageSystem, v.CurrConnections, v.TotalConnections,
		v.ConnectionStructures, v.CmdGet, v.CmdSet, v.CmdFlush, v.GetHits, v.GetMisses, v.DeleteMisses, v.DeleteHits,
		v.IncrMisses, v.IncrHits, v.DecrMisses, v.DecrHits, v.CASMisses, v.CASHits, v.CASBadval, v.AuthCmds,
		v.AuthErrors)
	b = appendU64s(b, v.BytesRead, v.BytesWritten)
	b = appendU32s(b, uint32(v.LimitMaxbytes), v.AcceptingConns, v.ListenDisabledNum, v.Threads, v.ConnYields)
	b = appendU64(b, v.Bytes)
	return appendU32s(b, v.CurrItems, v.TotalItems, v.Evictions), 0, CounterMemcacheLegacy, nil
}

// checkASPath verifies that raw holds exactly n dst_as_path segments {type u32; as<> u32 list}.
func checkASPath(raw []byte, n uint32) error {
	for i := uint32(0); i < n; i++ {
		if len(raw) < 8 {
			return fmt.Errorf("as path: segment %d of %d missing: %w", i, n, ErrNotEncodable)
		}
		count := uint64(binary.BigEndian.Uint32(raw[4:]))
		if uint64(len(raw)-8) < 4*count {
			return fmt.Errorf("as path: segment %d claims %d ASNs: %w", i, count, ErrNotEncodable)
		}
		raw = raw[8+4*count:]
	}
	if len(raw) != 0 {
		return fmt.Errorf("as path: %d bytes after %d segments: %w", len(raw), n, ErrNotEncodable)
	}
	return nil
}

// checkAdapters verifies that raw holds exactly n host adapters {ifIndex u32; mac<> of 8-byte macs}.
func checkAdapters(raw []byte, n uint32) error {
	for i := uint32(0); i < n; i++ {
		if len(raw) < 8 {
			return fmt.Errorf("adapters: adapter %d of %d missing: %w", i, n, ErrNotEncodable)
		}
		count := uint64(binary.BigEndian.Uint32(raw[4:]))
		if uint64(len(raw)-8) < 8*count {
			return fmt.Errorf("adapters: adapter %d claims %d MACs: %w", i, count, ErrNotEncodable)
		}
		raw = raw[8+8*count:]
	}
	if len(raw) != 0 {
		return fmt.Errorf("adapters: %d bytes after %d adapters: %w", len(raw), n, ErrNotEncodable)
	}
	return nil
}

// appendAppContext writes the application context {application; operation; attributes}.
func appendAppContext(b []byte, c *AppContext) []byte {
	b = appendOpaque(b, c.Application)
	b = appendOpaque(b, c.Operation)
	return appendOpaque(b, c.Attributes)
}

func appendU32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }

func appendU64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }

func appendU32s(b []byte, vs ...uint32) []byte {
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

func appendU64s(b []byte, vs ...uint64) []byte {
	for _, v := range vs {
		b = binary.BigEndian.AppendUint64(b, v)
	}
	return b
}

// appendOpaque writes an XDR variable-length opaque or string: length, bytes, zero padding to 4.
func appendOpaque(b []byte, p []byte) []byte {
	b = appendU32(b, uint32(len(p)))
	b = append(b, p...)
	return appendPad(b, len(p))
}

// appendPad writes the zero bytes that round n up to a multiple of 4.
func appendPad(b []byte, n int) []byte {
	var zero [3]byte
	return append(b, zero[:(4-n%4)%4]...)
}

// appendMAC writes an XDR mac: 6 bytes and 2 bytes of padding.
func appendMAC(b []byte, m [6]byte) []byte {
	return append(append(b, m[:]...), 0, 0)
}

// appendAddress writes an address union: type 1 + 4 bytes, type 2 + 16 bytes, or type 0 for an invalid Addr.
func appendAddress(b []byte, a netip.Addr) []byte {
	switch {
	case a.Is4():
		b = appendU32(b, AddressIPv4)
		v := a.As4()
		return append(b, v[:]...)
	case a.Is6():
		b = appendU32(b, AddressIPv6)
		v := a.As16()
		return append(b, v[:]...)
	}
	return appendU32(b, AddressUnknown)
}

// appendFixedIP writes a bare ip_v4 (size 4) or ip_v6 (size 16) field.
func appendFixedIP(b []byte, a netip.Addr, size int, field string) ([]byte, error) {
	switch {
	case size == 4 && a.Is4():
		v := a.As4()
		return append(b, v[:]...), nil
	case size == 16 && a.Is6():
		v := a.As16()
		return append(b, v[:]...), nil
	}
	return b, fmt.Errorf("%s %v is not a %d-byte address: %w", field, a, size, ErrNotEncodable)
}
