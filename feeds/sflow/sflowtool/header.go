package sflowtool

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// Header protocols sflowtool decodes, and the range it knows by name but does not decode (it prints
// "NO_DECODE headerProtocol=N" for those, "UNKNOWN headerProtocol=N" for the others).
const (
	headerProtoEthernet  = 1
	headerProtoIPv4      = 11
	headerProtoIPv6      = 12
	headerProto80211MAC  = 15
	headerProtoMaxNamed  = 18 // InfiniBand; anything above is UNKNOWN
	ethHeaderLen         = 14
	ipv4HeaderLen        = 20
	ipv6HeaderLen        = 40
	maxIEEE8023Length    = 1500
	ieee80211MinHeader   = 24
	ipxHeaderLen         = 30
	ipxMaxData           = 546
	etherTypeIPv4        = 0x0800
	etherTypeIPv6        = 0x86DD
	etherTypeDot1Q       = 0x8100
	etherTypeDot1AD      = 0x88A8
	etherTypeQinQ9100    = 0x9100
	etherTypeQinQ9200    = 0x9200
	etherTypeQinQ9300    = 0x9300
	ipProtoICMP          = 1
	ipProtoTCP           = 6
	ipProtoUDP           = 17
	ipv6ExtHopByHop      = 0
	ipv6ExtRouting       = 43
	ipv6ExtFragment      = 44
	ipv6ExtAuth          = 51
	ipv6ExtDestOpts      = 60
	layer4MinHeaderBytes = 8
)

// headerDecode is the state sflowtool's decodeLinkLayer leaves for the IP decode.
type headerDecode struct {
	gotIPv4, gotIPv6 bool
	ipOffset         int
}

// sampledHeaderFields prints what sflowtool derives from a sampled_header's bytes, in its order: the link layer
// (dstMAC, srcMAC, decodedVLAN..., ethernet_type), IPSize, then the IPv4 or IPv6 header and TCP/UDP/ICMP.
// It re-parses the header on purpose (not the decoder's PacketSummary): sflowtool's output depends on details
// such as which bytes it requires before printing a field, and this is not on the ingest path.
func sampledHeaderFields(e *emitter, protocol, frameLength, stripped uint32, h []byte) {
	var hd headerDecode
	switch protocol {
	case headerProtoEthernet:
		hd = linkLayerFields(e, h)
	case headerProtoIPv4:
		hd = headerDecode{gotIPv4: true}
		e.flow.ipv4Offset = 0
	case headerProtoIPv6:
		hd = headerDecode{gotIPv6: true}
	case headerProto80211MAC:
		ieee80211Fields(e, h)
	default:
		// sflowtool prints the protocol with %d.
		if protocol >= 2 && protocol <= headerProtoMaxNamed {
			e.textLine("NO_DECODE headerProtocol=" + strconv.Itoa(int(int32(protocol))))
		} else {
			e.textLine("UNKNOWN headerProtocol=" + strconv.Itoa(int(int32(protocol))))
		}
	}
	switch {
	case hd.gotIPv4:
		ipSizeField(e, frameLength, stripped, hd.ipOffset)
		ipv4Fields(e, h, hd.ipOffset)
	case hd.gotIPv6:
		ipSizeField(e, frameLength, stripped, hd.ipOffset)
		ipv6Fields(e, h, hd.ipOffset)
	}
}

// ipSizeField is the original IP packet size: frame length less stripped bytes less the link-layer header,
// printed as sflowtool's "%d" of the unsigned difference (so a negative size shows as negative).
func ipSizeField(e *emitter, frameLength, stripped uint32, offset int) {
	size := int32(frameLength - stripped - uint32(offset))
	e.i64("IPSize", int64(size))
}

// linkLayerFields is sflowtool's decodeLinkLayer.
func linkLayerFields(e *emitter, h []byte) headerDecode {
	var hd headerDecode
	if len(h) < ethHeaderLen {
		return hd
	}
	e.mac("dstMAC", h[0:6])
	e.mac("srcMAC", h[6:12])
	e.flow.dstMAC, e.flow.srcMAC = [6]byte(h[0:6]), [6]byte(h[6:12])
	p := 12
	typeLen := binary.BigEndian.Uint16(h[p:])
	p += 2
	for depth := 0; isVLANType(typeLen); depth++ {
		if len(h)-p < 4 {
			return hd
		}
		tci := uint32(binary.BigEndian.Uint16(h[p:]))
		vlan, priority := tci&0x0fff, tci>>13
		e.flow.inVLAN = vlan
		if depth == 0 {
			e.u32("decodedVLAN", vlan)
			e.u32("decodedPriority", priority)
		} else {
			d := strconv.Itoa(depth)
			e.u32("decodedVLAN."+d, vlan)
			e.u32("decodedPriority."+d, priority)
		}
		typeLen = binary.BigEndian.Uint16(h[p+2:])
		p += 4
	}
	if len(h) < ipv4HeaderLen {
		return hd
	}
	// sflowtool peeks at bytes after the ethertype without checking that the header holds them; where it would
	// read past the sampled bytes, fleettop stops decoding instead.
	if typeLen == 0x0200 || typeLen == 0x0201 || typeLen == 0x0600 {
		if len(h)-p < 4 {
			return hd
		}
		ipxLen := int(binary.BigEndian.Uint16(h[p+2:]))
		if h[p] == 0xff && h[p+1] == 0xff && ipxLen >= ipxHeaderLen && ipxLen <= ipxHeaderLen+ipxMaxData {
			return hd
		}
	}
	if typeLen <= maxIEEE8023Length {
		if len(h)-p < 3 {
			return hd
		}
		switch {
		case h[p] == 0xAA && h[p+1] == 0xAA && h[p+2] == 0x03: // SNAP
			p += 3
			if len(h)-p < 5 {
				return hd
			}
			if h[p] != 0 || h[p+1] != 0 || h[p+2] != 0 {
				b := append(e.num[:0], hexUpper[h[p]>>4], hexUpper[h[p]&15], '-',
					hexUpper[h[p+1]>>4], hexUpper[h[p+1]&15], '-', hexUpper[h[p+2]>>4], hexUpper[h[p+2]&15])
				e.raw("VSNAP_OUI", b)
				return hd
			}
			p += 3
			typeLen = binary.BigEndian.Uint16(h[p:])
			p += 2
		case h[p] == 0x06 && h[p+1] == 0x06 && h[p+2]&0x01 != 0: // IP over 802.2
			p += 3
			typeLen = etherTypeIPv4
		default:
			return hd
		}
	}
	e.u32("ethernet_type", uint32(typeLen))
	e.flow.ethType = uint32(typeLen)
	switch typeLen {
	case etherTypeIPv4:
		if len(h)-p < ipv4HeaderLen || h[p]>>4 != 4 || h[p]&15 < 5 {
			return hd
		}
		hd.gotIPv4, hd.ipOffset = true, p
		e.flow.ipv4Offset = p
	case etherTypeIPv6:
		if len(h)-p < 1 || h[p]>>4 != 6 {
			return hd
		}
		hd.gotIPv6, hd.ipOffset = true, p
	}
	return hd
}

func isVLANType(t uint16) bool {
	return t == etherTypeDot1Q || t == etherTypeDot1AD || t == etherTypeQinQ9100 || t == etherTypeQinQ9200 ||
		t == etherTypeQinQ9300
}

// ieee80211Fields is sflowtool's decode80211MAC: addresses of a data frame by its ToDS/FromDS bits.
func ieee80211Fields(e *emitter, h []byte) {
	if len(h) < ieee80211MinHeader {
		return
	}
	fc := uint32(h[1])<<8 | uint32(h[0])
	if (fc>>2)&3 != 2 { // only data frames carry the addresses sflowtool prints
		return
	}
	toDS, fromDS := (fc>>8)&1 == 1, (fc>>9)&1 == 1
	addr1, addr2, addr3 := h[4:10], h[10:16], h[16:22]
	var src, dst []byte
	switch {
	case toDS && fromDS:
		if len(h) < 30 {
			return
		}
		src, dst = h[24:30], addr3
	case toDS:
		src, dst = addr2, addr3
	case fromDS:
		src, dst = addr3, addr1
	default:
		src, dst = addr2, addr1
	}
	e.mac("srcMAC", src)
	e.mac("dstMAC", dst)
	e.flow.srcMAC, e.flow.dstMAC = [6]byte(src), [6]byte(dst)
	e.mac("txMAC", addr2)
	e.mac("rxMAC", addr1)
}

// ipv4Fields is sflowtool's decodeIPV4, except that IPID is printed in network byte order (DIFFERENCES.md).
func ipv4Fields(e *emitter, h []byte, off int) {
	if off < 0 || len(h)-off < ipv4HeaderLen {
		return
	}
	ip := h[off:]
	e.u32("ip.tot_len", uint32(binary.BigEndian.Uint16(ip[2:])))
	src, _ := netip.AddrFromSlice(ip[12:16])
	dst, _ := netip.AddrFromSlice(ip[16:20])
	e.addr("srcIP", src)
	e.addr("dstIP", dst)
	proto := ip[9]
	e.flow.srcIP, e.flow.dstIP, e.flow.ipProto, e.flow.ipTOS, e.flow.ipTTL = src, dst, uint32(proto), uint32(ip[1]),
		uint32(ip[8])
	e.u32("IPProtocol", uint32(proto))
	e.u32("IPTOS", uint32(ip[1]))
	e.u32("IPTTL", uint32(ip[8]))
	e.u32("IPID", uint32(binary.BigEndian.Uint16(ip[4:])))
	if frag := binary.BigEndian.Uint16(ip[6:]) & 0x1FFF; frag > 0 {
		e.u32("IPFragmentOffset", uint32(frag))
		return
	}
	ihl := int(ip[0]&0x0f) * 4
	if len(ip) < ihl {
		return
	}
	layer4Fields(e, h, off+ihl, proto)
}

// ipv6Fields is sflowtool's decodeIPV6, extension headers included.
func ipv6Fields(e *emitter, h []byte, off int) {
	if off < 0 || len(h)-off < ipv6HeaderLen {
		return
	}
	ip := h[off:]
	if v := ip[0] >> 4; v != 6 {
		e.textLine("header decode error: unexpected IP version: " + strconv.Itoa(int(v)))
		return
	}
	e.flow.ipTOS = uint32(ip[0]&15)<<4 | uint32(ip[1]>>4)
	e.u32("IPTOS", e.flow.ipTOS)
	label := uint32(ip[1]&15)<<16 | uint32(ip[2])<<8 | uint32(ip[3])
	b := append(e.num[:0], '0', 'x')
	e.raw("IP6_label", strconv.AppendUint(b, uint64(label), 16))
	if payload := binary.BigEndian.Uint16(ip[4:]); payload == 0 {
		e.str("IPV6_payloadLen", "<jumbo>")
	} else {
		e.u32("IPV6_payloadLen", uint32(payload))
	}
	next := ip[6]
	e.u32("IPTTL", uint32(ip[7]))
	src, _ := netip.AddrFromSlice(ip[8:24])
	dst, _ := netip.AddrFromSlice(ip[24:40])
	e.flow.ipTTL, e.flow.srcIP, e.flow.dstIP = uint32(ip[7]), src, dst
	e.addr("srcIP6", src)
	e.addr("dstIP6", dst)
	p := off + ipv6HeaderLen
	for next == ipv6ExtHopByHop || next == ipv6ExtRouting || next == ipv6ExtFragment || next == ipv6ExtAuth ||
		next == ipv6ExtDestOpts {
		e.u32("IP6HeaderExtension", uint32(next))
		if len(h)-p < 2 {
			return
		}
		next = h[p]
		p += 8 * (int(h[p+1]) + 1)
		if p > len(h) {
			return
		}
	}
	e.flow.ipProto = uint32(next)
	e.u32("IPProtocol", uint32(next))
	layer4Fields(e, h, p, next)
}

// layer4Fields is sflowtool's decodeIPLayer4: it wants 8 bytes of the transport header before printing any.
func layer4Fields(e *emitter, h []byte, p int, proto uint8) {
	if p > len(h)-layer4MinHeaderBytes {
		return
	}
	l4 := h[p:]
	switch proto {
	case ipProtoICMP:
		e.flow.srcPort, e.flow.dstPort = uint32(l4[0]), uint32(l4[1])
		e.u32("ICMPType", uint32(l4[0]))
		e.u32("ICMPCode", uint32(l4[1]))
	case ipProtoTCP:
		e.u32("TCPSrcPort", uint32(binary.BigEndian.Uint16(l4[0:])))
		e.u32("TCPDstPort", uint32(binary.BigEndian.Uint16(l4[2:])))
		// sflowtool copies a 20-byte TCP header out of the sampled bytes; the flags are its 14th byte.
		e.flow.srcPort, e.flow.dstPort, e.flow.tcpFlags = uint32(binary.BigEndian.Uint16(l4[0:])),
			uint32(binary.BigEndian.Uint16(l4[2:])), 0
		if len(l4) > 13 {
			e.flow.tcpFlags = uint32(l4[13])
		}
		e.u32("TCPFlags", e.flow.tcpFlags)
	case ipProtoUDP:
		e.flow.srcPort, e.flow.dstPort = uint32(binary.BigEndian.Uint16(l4[0:])), uint32(binary.BigEndian.Uint16(l4[2:]))
		e.u32("UDPSrcPort", uint32(binary.BigEndian.Uint16(l4[0:])))
		e.u32("UDPDstPort", uint32(binary.BigEndian.Uint16(l4[2:])))
		e.u32("UDPBytes", uint32(binary.BigEndian.Uint16(l4[4:])))
	}
}
