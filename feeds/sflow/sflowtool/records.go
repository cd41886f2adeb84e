package sflowtool

import (
	"encoding/binary"
	"strconv"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// flowRecord prints a flow or discard sample's record after its flowBlock_tag. It reports false for a record it
// has no keys for (then the caller prints sflowtool's "skipping unknown" line).
func (w *Writer) flowRecord(d *sflow.Datagram, r *sflow.Record) bool {
	e := &w.e
	switch r.Type {
	case sflow.RecSampledHeader:
		h := d.SampledHeader(r)
		if h == nil {
			return false
		}
		w.sampledHeader(h)
	case sflow.RecSampledEthernet:
		v := d.SampledEthernet(r)
		if v == nil {
			return false
		}
		prefix := tunnelPrefix(r.Format)
		e.flow.setEthernet(v.SrcMAC, v.DstMAC, v.Type)
		w.flowSampleType(prefix, "ETHERNET")
		e.pushPrefix(prefix)
		e.u32("ethernet_type", v.Type)
		e.u32("ethernet_len", v.Length)
		e.mac("ethernet_src", v.SrcMAC[:])
		e.mac("ethernet_dst", v.DstMAC[:])
		e.popPrefix()
	case sflow.RecSampledIPv4, sflow.RecSampledIPv6:
		v, kind := d.SampledIPv4(r), "IPV4"
		if r.Type == sflow.RecSampledIPv6 {
			v, kind = d.SampledIPv6(r), "IPV6"
		}
		if v == nil {
			return false
		}
		w.sampledIP(tunnelPrefix(r.Format), kind, v)
	case sflow.RecExtSwitch:
		v := d.ExtSwitch(r)
		if v == nil {
			return false
		}
		e.flow.inVLAN, e.flow.outVLAN = v.SrcVLAN, v.DstVLAN
		e.str("extendedType", "SWITCH")
		e.u32("in_vlan", v.SrcVLAN)
		e.u32("in_priority", v.SrcPriority)
		e.u32("out_vlan", v.DstVLAN)
		e.u32("out_priority", v.DstPriority)
	case sflow.RecExtRouter:
		v := d.ExtRouter(r)
		if v == nil {
			return false
		}
		e.str("extendedType", "ROUTER")
		e.addr("nextHop", v.NextHop)
		e.u32("srcSubnetMask", v.SrcMaskLen)
		e.u32("dstSubnetMask", v.DstMaskLen)
	case sflow.RecExtGateway:
		v := d.ExtGateway(r)
		if v == nil {
			return false
		}
		w.gateway(v)
	case sflow.RecExtUser:
		v := d.ExtUser(r)
		if v == nil {
			return false
		}
		e.str("extendedType", "USER")
		e.u32("src_user_charset", v.SrcCharset)
		e.u32("dst_user_charset", v.DstCharset)
		e.wire("src_user", v.SrcUser)
		e.wire("dst_user", v.DstUser)
	case sflow.RecExtURL:
		v := d.ExtURL(r)
		if v == nil {
			return false
		}
		e.str("extendedType", "URL")
		e.u32("url_direction", v.Direction)
		e.wire("url", v.URL)
		e.wire("host", v.Host)
	case sflow.RecU32:
		v := d.U32(r)
		if v == nil {
			return false
		}
		return w.u32Record(r.Format, v.Value)
	case sflow.RecExtACL:
		v := d.ExtACL(r)
		if v == nil {
			return false
		}
		// sflowtool skips extended_acl; these keys are fleettop's own.
		e.str("extendedType", "acl")
		e.u32("acl_number", v.Number)
		e.wireIfAny("acl_name", v.Name)
		e.u32("acl_direction", v.Direction)
	case sflow.RecString:
		v := d.String(r)
		if v == nil {
			return false
		}
		switch r.Format {
		case sflow.FlowExtFunction:
			e.str("extendedType", "function")
			e.wireIfAny("symbol", v.Value)
		case sflow.FlowLinuxDropReason:
			e.str("extendedType", "linux_reason")
			e.wireIfAny("linux_drop_reason", v.Value)
		default:
			return false
		}
	case sflow.RecHWTrap:
		v := d.HWTrap(r)
		if v == nil {
			return false
		}
		e.str("extendedType", "hw_trap")
		e.wireIfAny("hw_trap_group", v.Group)
		e.wireIfAny("hw_trap_name", v.Trap)
	case sflow.RecTimestamp:
		v := d.Timestamp(r)
		if v == nil {
			return false
		}
		// sflowtool does not know format 1043; these keys are fleettop's own.
		e.str("extendedType", "timestamp")
		e.u64("timestamp_nS", v.Nanos)
	case sflow.RecSocket:
		v := d.Socket(r)
		if v == nil {
			return false
		}
		return w.socket(r.Format, v)
	case sflow.RecMemcacheOp:
		v := d.MemcacheOp(r)
		if v == nil {
			return false
		}
		e.str("flowSampleType", "memcache")
		e.u32("memcache_op_protocol", v.Protocol)
		e.u32("memcache_op_cmd", v.Cmd)
		if len(v.Key) > 0 {
			e.begin("memcache_op_key")
			e.w.Write(appendURLEncoded(e.scratch(3*len(v.Key)), v.Key))
			e.finish()
		}
		e.u32("memcache_op_nkeys", v.NKeys)
		e.u32("memcache_op_value_bytes", v.ValueBytes)
		e.u32("memcache_op_duration_uS", v.DurationUS)
		e.u32("memcache_op_status", v.Status)
	case sflow.RecHTTPRequest:
		v := d.HTTPRequest(r)
		if v == nil {
			return false
		}
		w.httpRequest(v)
	case sflow.RecProxyRequest:
		v := d.ProxyRequest(r)
		if v == nil {
			return false
		}
		// sflowtool skips extended_proxy_request; these keys are fleettop's own.
		e.str("extendedType", "proxy_request")
		e.wireIfAny("proxy_http_uri", v.URI)
		e.wireIfAny("proxy_http_host", v.Host)
	case sflow.RecAppOperation:
		v := d.AppOperation(r)
		if v == nil {
			return false
		}
		e.str("flowSampleType", "applicationOperation")
		e.wireIfAny("application", v.Context.Application)
		e.wireIfAny("operation", v.Context.Operation)
		e.wireIfAny("attributes", v.Context.Attributes)
		e.wireIfAny("status_descr", v.StatusDescr)
		e.u64("request_bytes", v.ReqBytes)
		e.u64("response_bytes", v.RespBytes)
		e.u32("duration_uS", v.DurationUS)
		if int(v.Status) < len(sflow.AppStatusNames) {
			e.str("status", sflow.AppStatusNames[v.Status])
		} else {
			b := append(e.num[:0], "<out-of-range="...)
			b = appendU32(b, v.Status)
			e.raw("status", append(b, '>'))
		}
	case sflow.RecAppContext:
		v := d.AppContext(r)
		if v == nil {
			return false
		}
		e.wireIfAny("server_context_application", v.Application)
		e.wireIfAny("server_context_operation", v.Operation)
		e.wireIfAny("server_context_attributes", v.Attributes)
	case sflow.RecAppActor:
		v := d.AppActor(r)
		if v == nil {
			return false
		}
		if v.Target {
			e.wireIfAny("actor_target", v.Actor)
		} else {
			e.wireIfAny("actor_initiator", v.Actor)
		}
	case sflow.RecTCPInfo:
		v := d.TCPInfo(r)
		if v == nil {
			return false
		}
		w.tcpInfo(v)
	case sflow.RecEntities:
		v := d.Entities(r)
		if v == nil {
			return false
		}
		e.str("extendedType", "entities")
		e.u32("entities_src_class", v.SrcClass)
		e.u32("entities_src_index", v.SrcIndex)
		e.u32("entities_dst_class", v.DstClass)
		e.u32("entities_dst_index", v.DstIndex)
	case sflow.RecUnknown:
		return w.rawFlowRecord(r)
	default:
		return w.rareFlowRecord(d, r)
	}
	return true
}

// sampledHeader is sflowtool's readFlowSample_header: the record's fields, then what the header's bytes decode
// to.
func (w *Writer) sampledHeader(h *sflow.SampledHeader) {
	e := &w.e
	e.flow.packetSize, e.flow.stripped = h.FrameLength, h.Stripped
	e.str("flowSampleType", "HEADER")
	e.u32("headerProtocol", h.Protocol)
	e.u32("sampledPacketSize", h.FrameLength)
	e.u32("strippedBytes", h.Stripped)
	e.u64("headerLen", uint64(len(h.Header)))
	e.hexDash("headerBytes", h.Header)
	sampledHeaderFields(e, h.Protocol, h.FrameLength, h.Stripped, h.Header)
}

// tunnelPrefix is the key prefix sflowtool gives the tunnel records that reuse sampled_ethernet/ipv4/ipv6.
func tunnelPrefix(format uint32) string {
	switch format {
	case sflow.FlowExtL2TunnelEgress:
		return "tunnel_l2_out_"
	case sflow.FlowExtL2TunnelIngress:
		return "tunnel_l2_in_"
	case sflow.FlowExtIPv4TunnelEgr:
		return "tunnel_ipv4_out_"
	case sflow.FlowExtIPv4TunnelIngr:
		return "tunnel_ipv4_in_"
	case sflow.FlowExtIPv6TunnelEgr:
		return "tunnel_ipv6_out_"
	case sflow.FlowExtIPv6TunnelIngr:
		return "tunnel_ipv6_in_"
	}
	return ""
}

// flowSampleType writes the flowSampleType key with its value prefixed ("tunnel_ipv4_in_IPV4").
func (w *Writer) flowSampleType(prefix, kind string) {
	b := append(w.e.num[:0], prefix...)
	w.e.raw("flowSampleType", append(b, kind...))
}

// sampledIP is sflowtool's readFlowSample_IPv4/IPv6.
func (w *Writer) sampledIP(prefix, kind string, v *sflow.SampledIP) {
	e := &w.e
	e.flow.setSampledIP(v, kind == "IPV4")
	w.flowSampleType(prefix, kind)
	e.pushPrefix(prefix)
	e.u32("sampledPacketSize", v.Length)
	e.u32("IPSize", v.Length)
	if kind == "IPV4" {
		e.addr("srcIP", v.SrcIP)
		e.addr("dstIP", v.DstIP)
		e.u32("IPProtocol", v.Protocol)
		e.u32("IPTOS", v.Priority)
	} else {
		e.addr("srcIP6", v.SrcIP)
		e.addr("dstIP6", v.DstIP)
		e.u32("IPProtocol", v.Protocol)
		e.u32("priority", v.Priority)
	}
	switch v.Protocol {
	case ipProtoICMP:
		e.u32("ICMPType", v.DstPort)
	case ipProtoTCP:
		e.u32("TCPSrcPort", v.SrcPort)
		e.u32("TCPDstPort", v.DstPort)
		e.u32("TCPFlags", v.TCPFlags)
	case ipProtoUDP:
		e.u32("UDPSrcPort", v.SrcPort)
		e.u32("UDPDstPort", v.DstPort)
	}
	e.popPrefix()
}

// gateway is sflowtool's readExtendedGateway. Its dst_as_path joins the ASNs of a segment with '-', puts AS_SET
// segments in parentheses and writes the segments one after the other; an empty segment adds nothing (and
// leaves dst_as 0 when it is the last, dst_peer_as 0 when it is the first).
func (w *Writer) gateway(v *sflow.ExtGateway) {
	e := &w.e
	e.str("extendedType", "GATEWAY")
	e.addr("bgp_nexthop", v.NextHop)
	e.u32("my_as", v.AS)
	e.u32("src_as", v.SrcAS)
	e.u32("src_peer_as", v.SrcPeerAS)
	var dstAS, dstPeerAS uint32
	if v.NumSegments > 0 {
		e.begin("dst_as_path")
		raw := v.ASPathRaw
		for seg := uint32(0); seg < v.NumSegments && len(raw) >= 8; seg++ {
			segType := binary.BigEndian.Uint32(raw)
			n := binary.BigEndian.Uint32(raw[4:])
			raw = raw[8:]
			if n == 0 { // an empty segment prints nothing, not even an AS_SET's parentheses
				continue
			}
			if segType == 1 { // AS_SET
				e.w.WriteByte('(')
			}
			for i := uint32(0); i < n && len(raw) >= 4; i++ {
				as := binary.BigEndian.Uint32(raw)
				raw = raw[4:]
				if i > 0 {
					e.w.WriteByte('-')
				}
				e.w.Write(appendU32(e.num[:0], as))
				if seg == 0 && i == 0 {
					dstPeerAS = as
				}
				if seg == v.NumSegments-1 && i == n-1 {
					dstAS = as
				}
			}
			if segType == 1 {
				e.w.WriteByte(')')
			}
		}
		e.finish()
	}
	e.u32("dst_as", dstAS)
	e.u32("dst_peer_as", dstPeerAS)
	if v.NumCommunity > 0 {
		e.begin("BGP_communities")
		for i := 0; i+4 <= len(v.Communities); i += 4 {
			if i > 0 {
				e.w.WriteByte('-')
			}
			e.w.Write(appendU32(e.num[:0], binary.BigEndian.Uint32(v.Communities[i:])))
		}
		e.finish()
	}
	e.u32("BGP_localpref", v.LocalPref)
}

// u32Record prints the records whose body is one u32.
func (w *Writer) u32Record(format, value uint32) bool {
	e := &w.e
	switch format {
	case sflow.FlowExtDecapEgress, sflow.FlowExtDecapIngress:
		prefix := "out_"
		if format == sflow.FlowExtDecapIngress {
			prefix = "in_"
		}
		w.extendedType(prefix, "decap")
		e.pushPrefix(prefix)
		e.u32("decap_inner_header_offset", value)
		e.popPrefix()
	case sflow.FlowExtVNIEgress, sflow.FlowExtVNIIngress:
		prefix := "out_"
		if format == sflow.FlowExtVNIIngress {
			prefix = "in_"
		}
		w.extendedType(prefix, "VNI")
		e.pushPrefix(prefix)
		e.u32("VNI", value)
		e.popPrefix()
	case sflow.FlowEgressQueue:
		e.str("extendedType", "egress_queue")
		e.u32("egress_queue_id", value)
	case sflow.FlowTransitDelay:
		e.str("extendedType", "transit_delay")
		e.u32("transit_delay_nS", value)
	case sflow.FlowQueueDepth:
		e.str("extendedType", "queue_depth")
		e.u32("queue_depth_bytes", value)
	default:
		return false
	}
	return true
}

func (w *Writer) extendedType(prefix, kind string) {
	b := append(w.e.num[:0], prefix...)
	w.e.raw("extendedType", append(b, kind...))
}

// socket prints the extended_socket and extended_proxy_socket records (2100-2103).
func (w *Writer) socket(format uint32, v *sflow.Socket) bool {
	var name string
	switch format {
	case sflow.FlowExtSocketIPv4:
		name = "socket4"
	case sflow.FlowExtSocketIPv6:
		name = "socket6"
	case sflow.FlowExtProxySocketIPv4:
		name = "proxy_socket4"
	case sflow.FlowExtProxySocketIPv6:
		name = "proxy_socket6"
	default:
		return false
	}
	e := &w.e
	if !v.Proxy {
		e.flow.setSocket(v.LocalIP, v.RemoteIP)
	}
	e.str("extendedType", name)
	e.pushPrefix(name)
	e.u32("_ip_protocol", v.Protocol)
	e.addr("_local_ip", v.LocalIP)
	e.addr("_remote_ip", v.RemoteIP)
	e.u32("_local_port", v.LocalPort)
	e.u32("_remote_port", v.RemotePort)
	e.popPrefix()
	return true
}

// httpRequest is sflowtool's readFlowSample_http: empty strings are not printed, and the deprecated 2201 layout
// has no xff and no request bytes.
func (w *Writer) httpRequest(v *sflow.HTTPRequest) {
	e := &w.e
	e.flow.http = v
	e.str("flowSampleType", "http")
	e.u32("http_method", v.Method)
	e.u32("http_protocol", v.Protocol)
	e.wireIfAny("http_uri", v.URI)
	e.wireIfAny("http_host", v.Host)
	e.wireIfAny("http_referrer", v.Referer)
	e.wireIfAny("http_useragent", v.UserAgent)
	if !v.Legacy {
		e.wireIfAny("http_xff", v.XFF)
	}
	e.wireIfAny("http_authuser", v.AuthUser)
	e.wireIfAny("http_mimetype", v.MimeType)
	if !v.Legacy {
		e.u64("http_request_bytes", v.ReqBytes)
	}
	e.u64("http_bytes", v.RespBytes)
	e.u32("http_duration_uS", v.DurationUS)
	// sflowtool prints the signed status with %u.
	e.u32("http_status", uint32(v.Status))
}

// tcpInfo is sflowtool's readExtendedTCPInfo.
func (w *Writer) tcpInfo(v *sflow.TCPInfo) {
	e := &w.e
	switch v.Dirn {
	case 0:
		e.str("tcpinfo_direction", "unknown")
	case 1:
		e.str("tcpinfo_direction", "received")
	case 2:
		e.str("tcpinfo_direction", "sent")
	default:
		e.str("tcpinfo_direction", "<bad value>")
	}
	e.u32("tcpinfo_send_mss", v.SndMSS)
	e.u32("tcpinfo_receive_mss", v.RcvMSS)
	e.u32("tcpinfo_unacked_pkts", v.Unacked)
	e.u32("tcpinfo_lost_pkts", v.Lost)
	e.u32("tcpinfo_retrans_pkts", v.Retrans)
	e.u32("tcpinfo_path_mtu", v.PMTU)
	e.u32("tcpinfo_rtt_uS", v.RTT)
	e.u32("tcpinfo_rtt_uS_var", v.RTTVar)
	e.u32("tcpinfo_send_congestion_win", v.SndCwnd)
	e.u32("tcpinfo_reordering", v.Reordering)
	e.u32("tcpinfo_rtt_uS_min", v.MinRTT)
}

// rawFlowRecord prints flow records the decoder leaves raw but sflowtool decodes, from their bytes.
func (w *Writer) rawFlowRecord(r *sflow.Record) bool {
	if r.Enterprise != 0 {
		return false
	}
	e := &w.e
	b := r.Data
	switch r.Format {
	case flowExtNATPort:
		if len(b) != 8 {
			return false
		}
		e.str("extendedType", "NAT PORT")
		e.u32("nat_src_port", binary.BigEndian.Uint32(b))
		e.u32("nat_dst_port", binary.BigEndian.Uint32(b[4:]))
	case flowExtMPLSLDPFEC:
		if len(b) != 4 {
			return false
		}
		e.u32("mpls_fec_addr_prefix_len", binary.BigEndian.Uint32(b))
	default:
		return false
	}
	return true
}

// Flow formats sflowtool decodes that the decoder leaves raw.
const (
	flowExtMPLSLDPFEC = 1011
	flowExtNATPort    = 1020
)

// wireIfAny prints a wire string only when it is not empty, as sflowtool does for most strings.
func (e *emitter) wireIfAny(key string, v []byte) {
	if len(v) > 0 {
		e.wire(key, v)
	}
}

// hexDash writes headerBytes: upper-case hex pairs joined by '-'.
func (e *emitter) hexDash(key string, p []byte) {
	e.begin(key)
	e.w.Write(appendHexDash(e.scratch(3*len(p)), p, hexUpper))
	e.finish()
}

// scratch returns an empty slice with room for n bytes: the writer's free buffer when it is large enough (after
// a flush if need be), so that formatting a long value does not allocate.
func (e *emitter) scratch(n int) []byte {
	if e.w.Available() < n && e.w.Buffered() > 0 {
		e.w.Flush()
	}
	return e.w.AvailableBuffer()
}

// itoa is strconv.Itoa for the small indexes in adaptor keys, without allocating for the common ones.
func itoa(i uint32) string {
	if int(i) < len(smallIndexes) {
		return smallIndexes[i]
	}
	return strconv.FormatUint(uint64(i), 10)
}

// adaptorPrefix is "adaptor_<i>_".
func adaptorPrefix(i uint32) string {
	if int(i) < len(adaptorPrefixes) {
		return adaptorPrefixes[i]
	}
	return "adaptor_" + strconv.FormatUint(uint64(i), 10) + "_"
}

var smallIndexes = [...]string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}

var adaptorPrefixes = [...]string{"adaptor_0_", "adaptor_1_", "adaptor_2_", "adaptor_3_", "adaptor_4_", "adaptor_5_",
	"adaptor_6_", "adaptor_7_", "adaptor_8_", "adaptor_9_", "adaptor_10_", "adaptor_11_", "adaptor_12_",
	"adaptor_13_", "adaptor_14_", "adaptor_15_"}
