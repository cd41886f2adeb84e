package sflow

import (
	"encoding/binary"
	"errors"
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Sampled packet headers are decoded with gopacket's DecodingLayerParser over gopacket's own layers, each
// wrapped so that it writes what fleettop needs into a PacketSummary as it is decoded. The wrappers also make
// truncation harmless: sampled headers are cut (128 bytes by default) and gopacket's decoders reject a layer
// cut short with an error built by fmt.Errorf (one allocation). Each wrapper checks first, keeps the fields
// that the bytes present do hold (ports from 4 bytes of TCP, say), marks the summary Truncated and ends the
// chain with errHeaderEnd instead. Only the outermost IP packet is summarised, as sflowtool does: tunnels
// (VXLAN, GRE, IP-in-IP) show as their outer 5-tuple.

// errHeaderEnd ends layer decoding early: the summary holds what could be read.
var errHeaderEnd = errors.New("sflow: end of decodable header")

const (
	maxVLANTags  = 8 // tags followed before giving up (QinQ needs 2)
	maxIPv6Exts  = 8 // IPv6 extension headers followed before giving up
	ipv6Fragment = 44
)

// headerDecoder owns the layers and parsers for one Decoder.
type headerDecoder struct {
	eth   ethernetLayer
	vlan  vlanLayer
	ip4   ipv4Layer
	ip6   ipv6Layer
	ext   ipv6ExtLayer
	tcp   tcpLayer
	udp   udpLayer
	icmp4 icmpv4Layer
	icmp6 icmpv6Layer

	fromEthernet, fromIPv4, fromIPv6 *gopacket.DecodingLayerParser
	decoded                          []gopacket.LayerType

	sum   *PacketSummary // the summary being filled, during decode only
	proto uint8          // the IPv6 next header the extension layer is looking at
	tags  int            // VLAN tags seen
	exts  int            // IPv6 extension headers seen
}

func (h *headerDecoder) init() {
	h.eth.h, h.vlan.h, h.ip4.h, h.ip6.h, h.ext.h = h, h, h, h, h
	h.tcp.h, h.udp.h, h.icmp4.h, h.icmp6.h = h, h, h, h
	all := []gopacket.DecodingLayer{&h.eth, &h.vlan, &h.ip4, &h.ip6, &h.ext, &h.tcp, &h.udp, &h.icmp4, &h.icmp6}
	newParser := func(first gopacket.LayerType) *gopacket.DecodingLayerParser {
		p := gopacket.NewDecodingLayerParser(first)
		// Sparse: a slice indexed by layer type, the fastest container for a handful of small layer types.
		p.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
		for _, l := range all {
			p.AddDecodingLayer(l)
		}
		p.IgnoreUnsupported = true // payloads (HTTP, DNS, VXLAN, ...) end the chain quietly
		return p
	}
	h.fromEthernet = newParser(layers.LayerTypeEthernet)
	h.fromIPv4 = newParser(layers.LayerTypeIPv4)
	h.fromIPv6 = newParser(layers.LayerTypeIPv6)
	h.decoded = make([]gopacket.LayerType, 0, 16)
}

// decode fills sum from a sampled header of the given header_protocol (1 Ethernet, 11 IPv4, 12 IPv6; others
// are left undecoded). sum must be zero.
func (h *headerDecoder) decode(protocol uint32, data []byte, sum *PacketSummary) {
	var p *gopacket.DecodingLayerParser
	switch protocol {
	case HeaderProtocolEthernet:
		p = h.fromEthernet
	case HeaderProtocolIPv4:
		p = h.fromIPv4
	case HeaderProtocolIPv6:
		p = h.fromIPv6
	default:
		return
	}
	h.sum, h.tags, h.exts, h.proto = sum, 0, 0, 0
	// The error is deliberately dropped: every layer wrote what it could read into sum, including Truncated
	// (p.Truncated is not used: gopacket sets it for IPv6 with hop-by-hop options, whose payload length it
	// compares with the payload after the options). DecodeLayers also turns a panic inside gopacket into an
	// error.
	_ = p.DecodeLayers(data, &h.decoded)
	h.sum = nil
}

// ethernetLayer is layers.Ethernet writing MACs and EtherType into the summary.
type ethernetLayer struct {
	layers.Ethernet
	h *headerDecoder
}

func (l *ethernetLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if len(data) >= 12 {
		copy(s.DstMAC[:], data[0:6])
		copy(s.SrcMAC[:], data[6:12])
		s.HasMAC = true
	}
	if len(data) < 14 {
		s.Truncated = true
		return errHeaderEnd
	}
	if err := l.Ethernet.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd
	}
	s.EtherType = binary.BigEndian.Uint16(data[12:14])
	if s.EtherType < 0x0600 && int(s.EtherType) > len(data)-14 { // 802.3 length
		s.Truncated = true
	}
	s.Decoded = true
	return nil
}

// vlanLayer is layers.Dot1Q recording each tag it decodes. gopacket maps both 0x8100 and 0x88a8 (802.1ad,
// the outer tag of QinQ) to LayerTypeDot1Q, so one layer serves both; the parser calls it once per tag.
type vlanLayer struct {
	layers.Dot1Q
	h *headerDecoder
}

func (l *vlanLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if len(data) < 4 {
		s.Truncated = true
		return errHeaderEnd
	}
	if l.h.tags++; l.h.tags > maxVLANTags {
		return errHeaderEnd
	}
	if err := l.Dot1Q.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd
	}
	if int(s.NumVLANs) < len(s.VLANs) {
		if s.NumVLANs == 0 {
			s.Priority = l.Priority
		}
		s.VLANs[s.NumVLANs] = l.VLANIdentifier
		s.NumVLANs++
	}
	s.EtherType = uint16(l.Type)
	s.Decoded = true
	return nil
}

// ipv4Layer is layers.IPv4 filling the IP fields of the summary from the fixed header before gopacket checks
// lengths and options, so a header gopacket rejects still yields its addresses. (gopacket v1.1.19 accepts a
// total length beyond the captured bytes, the usual case here, and rejects IHL < 5, IHL beyond the total
// length or the capture, and malformed options.)
type ipv4Layer struct {
	layers.IPv4
	h *headerDecoder
}

func (l *ipv4Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if s.IPVersion != 0 {
		return errHeaderEnd // tunnelled packet: the outer one is summarised
	}
	if len(data) < 20 {
		s.Truncated = true
		return errHeaderEnd
	}
	s.IPVersion = 4
	s.TOS = data[1]
	s.IPLength = binary.BigEndian.Uint16(data[2:4])
	s.IPID = binary.BigEndian.Uint16(data[4:6])
	s.FragOffset = binary.BigEndian.Uint16(data[6:8]) & 0x1FFF
	s.TTL = data[8]
	s.IPProtocol = data[9]
	s.SrcIP = netip.AddrFrom4([4]byte(data[12:16]))
	s.DstIP = netip.AddrFrom4([4]byte(data[16:20]))
	s.Decoded = true

	// The checks gopacket would fail with an allocated error.
	ihl := int(data[0]&0x0F) * 4
	total := int(s.IPLength)
	if total == 0 {
		total = len(data) // TSO: gopacket takes the captured length
	}
	if ihl < 20 || ihl > total {
		return errHeaderEnd
	}
	if ihl > len(data) || total > len(data) {
		s.Truncated = true
	}
	if ihl > len(data) {
		return errHeaderEnd
	}
	if err := l.IPv4.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd // malformed options
	}
	return nil
}

// NextLayerType lets the first fragment (offset 0, more-fragments set) reach its transport header, which it
// carries; gopacket stops at every fragment.
func (l *ipv4Layer) NextLayerType() gopacket.LayerType {
	if l.FragOffset != 0 {
		return gopacket.LayerTypeFragment
	}
	return l.Protocol.LayerType()
}

// ipv6Layer is layers.IPv6 filling the IP fields of the summary from the fixed header.
type ipv6Layer struct {
	layers.IPv6
	h *headerDecoder
}

func (l *ipv6Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if s.IPVersion != 0 {
		return errHeaderEnd
	}
	if len(data) < 40 {
		s.Truncated = true
		return errHeaderEnd
	}
	first := binary.BigEndian.Uint32(data[0:4])
	payload := int(binary.BigEndian.Uint16(data[4:6]))
	s.IPVersion = 6
	s.TOS = uint8(first >> 20)
	s.FlowLabel = first & 0x000FFFFF
	s.IPLength = uint16(min(payload+40, 0xFFFF))
	s.IPProtocol = data[6]
	s.TTL = data[7]
	s.SrcIP = netip.AddrFrom16([16]byte(data[8:24]))
	s.DstIP = netip.AddrFrom16([16]byte(data[24:40]))
	s.Decoded = true
	l.h.proto = data[6]
	if 40+payload > len(data) {
		s.Truncated = true
	}

	if data[6] == uint8(layers.IPProtocolIPv6HopByHop) {
		// gopacket's IPv6 layer decodes hop-by-hop options itself, into allocated structs, and then misjudges
		// the payload length; hand the options to the extension layer instead, like any extension header.
		l.IPv6.NextHeader = layers.IPProtocolIPv6HopByHop
		l.IPv6.HopByHop = nil
		l.IPv6.BaseLayer = layers.BaseLayer{Contents: data[:40], Payload: data[40:min(40+payload, len(data))]}
		return nil
	}
	if payload == 0 {
		return errHeaderEnd // jumbogram without its hop-by-hop option: gopacket rejects it
	}
	if err := l.IPv6.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd
	}
	return nil
}

// ipv6ExtLayer walks IPv6 extension headers (hop-by-hop, routing, fragment, destination options) to the
// transport header, leaving IPProtocol at the upper-layer protocol as sflowtool does. A non-first fragment ends the
// chain: it carries no transport header.
type ipv6ExtLayer struct {
	layers.IPv6ExtensionSkipper
	h *headerDecoder
}

func (l *ipv6ExtLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if s.IPVersion != 6 {
		return errHeaderEnd // reached from IPv4 protocol 0: not an extension header there
	}
	if l.h.exts++; l.h.exts > maxIPv6Exts {
		return errHeaderEnd
	}
	if len(data) < 8 {
		s.Truncated = true
		return errHeaderEnd
	}
	next := data[0]
	size := (int(data[1]) + 1) * 8
	if l.h.proto == ipv6Fragment {
		size = 8 // the second byte is reserved, not a length
		s.FragOffset = binary.BigEndian.Uint16(data[2:4]) >> 3
	}
	if size > len(data) {
		s.Truncated = true
		return errHeaderEnd
	}
	l.NextHeader = layers.IPProtocol(next)
	l.BaseLayer = layers.BaseLayer{Contents: data[:size], Payload: data[size:]}
	s.IPProtocol = next
	l.h.proto = next
	if s.FragOffset != 0 {
		return errHeaderEnd
	}
	return nil
}

// tcpLayer is layers.TCP; ports and flags are kept from a header cut short.
type tcpLayer struct {
	layers.TCP
	h *headerDecoder
}

func (l *tcpLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if len(data) >= 4 {
		s.SrcPort = binary.BigEndian.Uint16(data[0:2])
		s.DstPort = binary.BigEndian.Uint16(data[2:4])
	}
	if len(data) >= 14 {
		s.TCPFlags = data[13]
	}
	if len(data) < 20 {
		s.Truncated = true
		return errHeaderEnd
	}
	dataOffset := int(data[12]>>4) * 4
	if dataOffset < 20 {
		return errHeaderEnd
	}
	if dataOffset > len(data) {
		s.Truncated = true
		return errHeaderEnd
	}
	if err := l.TCP.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd // malformed options
	}
	return nil
}

// udpLayer is layers.UDP; ports are kept from a header cut short.
type udpLayer struct {
	layers.UDP
	h *headerDecoder
}

func (l *udpLayer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if len(data) >= 4 {
		s.SrcPort = binary.BigEndian.Uint16(data[0:2])
		s.DstPort = binary.BigEndian.Uint16(data[2:4])
	}
	if len(data) < 8 {
		s.Truncated = true
		return errHeaderEnd
	}
	n := int(binary.BigEndian.Uint16(data[4:6]))
	if n != 0 && n < 8 {
		return errHeaderEnd
	}
	if n > len(data) {
		s.Truncated = true
	}
	if err := l.UDP.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd
	}
	return nil
}

// icmpv4Layer is layers.ICMPv4; type and code are kept from a header cut short.
type icmpv4Layer struct {
	layers.ICMPv4
	h *headerDecoder
}

func (l *icmpv4Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if len(data) >= 2 {
		s.ICMPType, s.ICMPCode = data[0], data[1]
	}
	if len(data) < 8 {
		s.Truncated = true
		return errHeaderEnd
	}
	if err := l.ICMPv4.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd
	}
	return nil
}

// icmpv6Layer is layers.ICMPv6; type and code are kept from a header cut short.
type icmpv6Layer struct {
	layers.ICMPv6
	h *headerDecoder
}

func (l *icmpv6Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if len(data) >= 2 {
		s.ICMPType, s.ICMPCode = data[0], data[1]
	}
	if len(data) < 4 {
		s.Truncated = true
		return errHeaderEnd
	}
	if err := l.ICMPv6.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd
	}
	return nil
}
