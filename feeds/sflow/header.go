package sflow

import (
	"encoding/binary"
	"errors"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Sampled packet headers are summarised by a hand-written fast path (at the end of this file) for the common
// shapes, and otherwise by gopacket's DecodingLayerParser over gopacket's own layers. The gopacket path is the
// reference and the fast path produces exactly what it would, four times faster (BenchmarkHeaderSummary:
// about 12 ns against 50 for a 128-byte Ethernet/IPv4/TCP header, more than the rest of its flow sample costs).
//
// Each gopacket layer is wrapped so that it writes what fleettop needs into a PacketSummary as it is decoded.
// The wrappers also make truncation harmless: sampled headers are cut (128 bytes by default) and gopacket's
// decoders reject a layer cut short with an error built by fmt.Errorf (one allocation). Each wrapper checks
// first, keeps the fields that the bytes present do hold (ports from 4 bytes of TCP, say), marks the summary
// Truncated and ends the chain with errHeaderEnd instead. Only the outermost IP packet is summarised, as
// sflowtool does: tunnels (VXLAN, GRE, IP-in-IP) show as their outer 5-tuple.

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

	gopacketOnly bool // skip the fast path (tests and benchmarks of the gopacket path)

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
// are left undecoded). sum must be zero. The fast path below takes the common shapes; gopacket the rest.
func (h *headerDecoder) decode(protocol uint32, data []byte, sum *PacketSummary) {
	if !h.gopacketOnly {
		if summariseFast(protocol, data, sum) {
			return
		}
		*sum = PacketSummary{}
	}
	h.decodeGopacket(protocol, data, sum)
}

// decodeGopacket fills the zero sum with gopacket's parser.
func (h *headerDecoder) decodeGopacket(protocol uint32, data []byte, sum *PacketSummary) {
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
	if !summariseEthernetHeader(data, l.h.sum) {
		return errHeaderEnd
	}
	if err := l.Ethernet.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd
	}
	return nil
}

// NextLayerType is gopacket's, but for EtherType 0xFFFF, which gopacket uses internally for raw IP and maps
// to IPv4: on the wire it is reserved (IEEE), and sflowtool does not decode what follows it either.
func (l *ethernetLayer) NextLayerType() gopacket.LayerType { return etherTypeLayer(l.EthernetType) }

// etherTypeLayer is the layer gopacket decodes after EtherType t, but for the reserved 0xFFFF, which ends the
// header.
func etherTypeLayer(t layers.EthernetType) gopacket.LayerType {
	if t == layers.EthernetTypeRaw {
		return gopacket.LayerTypePayload
	}
	return t.LayerType()
}

// vlanLayer is layers.Dot1Q recording each tag it decodes. gopacket maps both 0x8100 and 0x88a8 (802.1ad,
// the outer tag of QinQ) to LayerTypeDot1Q, so one layer serves both; the parser calls it once per tag.
type vlanLayer struct {
	layers.Dot1Q
	h *headerDecoder
}

// NextLayerType is the encapsulated EtherType's layer, as for Ethernet.
func (l *vlanLayer) NextLayerType() gopacket.LayerType { return etherTypeLayer(l.Type) }

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
	summariseVLANTag(data, s)
	return nil
}

// ipv4Layer is layers.IPv4 filling the IP fields of the summary from the fixed header before gopacket checks
// lengths and options, so a header gopacket rejects still yields its addresses. (gopacket accepts a total
// length beyond the captured bytes, the usual case here, and rejects IHL < 5, IHL beyond the total length or
// the capture, and malformed options.)
type ipv4Layer struct {
	layers.IPv4
	h *headerDecoder
}

func (l *ipv4Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	s := l.h.sum
	if s.IPVersion != 0 {
		return errHeaderEnd // tunnelled packet: the outer one is summarised
	}
	// summariseIPv4Header makes the checks gopacket would fail with an allocated error, but for the options.
	if _, _, ok := summariseIPv4Header(data, s); !ok {
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
	payload, ok := summariseIPv6Header(data, s)
	if !ok {
		return errHeaderEnd
	}
	l.h.proto = data[6]

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
	if !summariseTCP(data, l.h.sum) {
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
	if !summariseUDP(data, l.h.sum) {
		return errHeaderEnd
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
	if !summariseICMP(data, 8, l.h.sum) {
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
	if !summariseICMP(data, 4, l.h.sum) {
		return errHeaderEnd
	}
	if err := l.ICMPv6.DecodeFromBytes(data, df); err != nil {
		return errHeaderEnd
	}
	return nil
}

// ---------------------------------------------------------------- fast path

// The fast path summarises the common shapes of sampled headers without gopacket: Ethernet II with up to
// maxVLANTags 802.1Q/802.1ad tags, IPv4 (with valid options) and IPv6 without extension headers, then TCP, UDP,
// ICMP or ICMPv6. Each layer is read by the same function as its wrapper above (the last section of this file);
// what the fast path adds is the parser's chaining: a layer is entered only when the one before it left a
// non-empty payload, and the next one is chosen as gopacket's tables choose it. Where a header needs more
// (IPv6 extension headers, a bridged Ethernet frame) it declines and the gopacket parser decodes it instead.
// FuzzHeaderFastPath checks that both paths agree on every header the fast path accepts;
// TestFastPathFollowsGopacketTables checks its dispatch against gopacket's tables.

// nextLayer is what the fast path does after a header: the layer gopacket's parser would enter next, as far as
// the summary is concerned.
type nextLayer uint8

const (
	nextEnd      nextLayer = iota // a layer the parser does not decode: the summary is complete
	nextGopacket                  // a layer the fast path leaves to gopacket: decline
	nextVLAN
	nextIPv4
	nextIPv6
	nextIPv6Ext // an IPv6 extension header: declined after IPv6, the end after IPv4
	nextTCP
	nextUDP
	nextICMPv4
	nextICMPv6
)

// etherTypeNext maps an EtherType as gopacket's EthernetType.LayerType does for the parser's layers.
func etherTypeNext(etherType uint16) nextLayer {
	switch etherType {
	case 0x0800:
		return nextIPv4
	case 0x86DD:
		return nextIPv6
	case 0x8100, 0x88A8: // 802.1Q, 802.1ad
		return nextVLAN
	case 0x6558: // Transparent Ethernet Bridging: another Ethernet header
		return nextGopacket
	}
	return nextEnd // below 0x0600 an 802.3 length (LLC), else ARP, MPLS, LLDP...
}

// ipProtocolNext maps an IP protocol number as gopacket's IPProtocol.LayerType does for the parser's layers.
func ipProtocolNext(protocol uint8) nextLayer {
	switch protocol {
	case 6:
		return nextTCP
	case 17:
		return nextUDP
	case 1:
		return nextICMPv4
	case 58:
		return nextICMPv6
	case 4, 94: // IP in IP
		return nextIPv4
	case 41:
		return nextIPv6
	case 0, 43, 44, 60: // hop-by-hop, routing, fragment, destination options
		return nextIPv6Ext
	}
	return nextEnd
}

// summariseFast fills the zero sum from a sampled header and returns true, or returns false, with sum partly
// filled, when the header is one for the gopacket path. It is one function rather than one per layer: the calls
// cost a sixth of its time (BenchmarkHeaderSummary).
func summariseFast(protocol uint32, data []byte, s *PacketSummary) bool {
	network := nextIPv4
	switch protocol {
	case HeaderProtocolEthernet: // ethernetLayer, then vlanLayer for each tag
		if !summariseEthernetHeader(data, s) || s.EtherType < 0x0600 {
			return true // cut short, or 802.3 with LLC, which is not decoded
		}
		data = data[14:]
		for tags := 1; ; tags++ {
			if network = etherTypeNext(s.EtherType); network != nextVLAN {
				break
			}
			switch {
			case len(data) == 0: // the parser stops where a layer leaves no payload
				return true
			case len(data) < 4:
				s.Truncated = true
				return true
			case tags > maxVLANTags:
				return true
			}
			summariseVLANTag(data, s)
			data = data[4:]
		}
		switch network {
		case nextIPv4, nextIPv6:
			if len(data) == 0 {
				return true
			}
		case nextGopacket:
			return false
		default:
			return true // ARP, MPLS, LLDP...: not decoded
		}
	case HeaderProtocolIPv4:
	case HeaderProtocolIPv6:
		network = nextIPv6
	default:
		return true // not decoded at all
	}

	var payload []byte
	if network == nextIPv4 { // ipv4Layer
		if len(data) > 0xFFFF {
			return false // gopacket takes a missing total length (TSO) from the captured length, as a uint16
		}
		ihl, end, ok := summariseIPv4Header(data, s)
		if !ok || ihl > 20 && !ipv4OptionsValid(data[20:ihl]) || s.FragOffset != 0 {
			return true // rejected by gopacket, or a later fragment, which carries no transport header
		}
		payload = data[ihl:end]
	} else { // ipv6Layer
		payloadLen, ok := summariseIPv6Header(data, s)
		if !ok {
			return true
		}
		if ipProtocolNext(s.IPProtocol) == nextIPv6Ext {
			return false
		}
		if payloadLen == 0 {
			return true
		}
		payload = data[40:min(40+payloadLen, len(data))]
	}
	if len(payload) == 0 {
		return true
	}

	// tcpLayer, udpLayer, icmpv4Layer or icmpv6Layer, whatever the IP version: gopacket dispatches on the protocol
	// number alone. Nothing that follows them is a layer the parser decodes. Other protocols end the summary: IP
	// in IP (the outer packet is what is summarised), extension header numbers after IPv4 (after IPv6 they were
	// declined above), GRE, ESP, SCTP...
	switch ipProtocolNext(s.IPProtocol) {
	case nextTCP:
		summariseTCP(payload, s)
	case nextUDP:
		summariseUDP(payload, s)
	case nextICMPv4:
		summariseICMP(payload, 8, s)
	case nextICMPv6:
		summariseICMP(payload, 4, s)
	}
	return true
}

// ipv4OptionsValid is the check layers.IPv4 makes of the options.
func ipv4OptionsValid(opts []byte) bool {
	for len(opts) > 0 {
		switch opts[0] {
		case 0: // end of options
			return true
		case 1: // no-op
			opts = opts[1:]
		default:
			if len(opts) < 2 {
				return false
			}
			n := int(opts[1])
			if n > len(opts) || n < 2 { // 2: an option without data (RFC 791), which gopacket v1.1.19 refused
				return false
			}
			opts = opts[n:]
		}
	}
	return true
}

// ---------------------------------------------------------------- what each layer puts in the summary

// Both paths summarise each layer with these. Each reads what the bytes present hold, marks the summary
// Truncated where the layer is cut short, and reports whether the layer is whole enough to decode further.

// summariseEthernetHeader reads the MACs and EtherType of an Ethernet header.
func summariseEthernetHeader(data []byte, s *PacketSummary) bool {
	if len(data) >= 12 {
		s.DstMAC, s.SrcMAC, s.HasMAC = [6]byte(data[0:6]), [6]byte(data[6:12]), true
	}
	if len(data) < 14 {
		s.Truncated = true
		return false
	}
	s.EtherType = binary.BigEndian.Uint16(data[12:14])
	if s.EtherType < 0x0600 && int(s.EtherType) > len(data)-14 { // an 802.3 length
		s.Truncated = true
	}
	s.Decoded = true
	return true
}

// summariseVLANTag records an 802.1Q tag (data holds its 4 bytes); the summary keeps the first two.
func summariseVLANTag(data []byte, s *PacketSummary) {
	tag := data[:4:4]
	tci := binary.BigEndian.Uint16(tag[0:2])
	if int(s.NumVLANs) < len(s.VLANs) {
		if s.NumVLANs == 0 {
			s.Priority = uint8(tci >> 13)
		}
		s.VLANs[s.NumVLANs] = tci & 0x0FFF
		s.NumVLANs++
	}
	s.EtherType = binary.BigEndian.Uint16(tag[2:4])
	s.Decoded = true
}

// summariseIPv4Header reads the fixed IPv4 header, then checks its lengths as layers.IPv4 does: ok is false
// where gopacket rejects them (IHL below 5 or past the total length, header cut short). ihl is the header length
// and end the end of the packet within data.
func summariseIPv4Header(data []byte, s *PacketSummary) (ihl, end int, ok bool) {
	if len(data) < 20 {
		s.Truncated = true
		return 0, 0, false
	}
	h := data[:20:20]
	s.IPVersion = 4
	s.TOS = h[1]
	s.IPLength = binary.BigEndian.Uint16(h[2:4])
	s.IPID = binary.BigEndian.Uint16(h[4:6])
	s.FragOffset = binary.BigEndian.Uint16(h[6:8]) & 0x1FFF
	s.TTL = h[8]
	s.IPProtocol = h[9]
	s.SrcIP = netip.AddrFrom4([4]byte(h[12:16]))
	s.DstIP = netip.AddrFrom4([4]byte(h[16:20]))
	s.Decoded = true

	ihl = int(h[0]&0x0F) * 4
	total := int(s.IPLength)
	if total == 0 {
		total = len(data) // TSO: gopacket takes the captured length
	}
	if ihl < 20 || ihl > total {
		return 0, 0, false
	}
	if ihl > len(data) || total > len(data) {
		s.Truncated = true
	}
	if ihl > len(data) {
		return 0, 0, false
	}
	return ihl, min(total, len(data)), true
}

// summariseIPv6Header reads the fixed IPv6 header and returns its payload length.
func summariseIPv6Header(data []byte, s *PacketSummary) (payloadLen int, ok bool) {
	if len(data) < 40 {
		s.Truncated = true
		return 0, false
	}
	h := data[:40:40]
	first := binary.BigEndian.Uint32(h[0:4])
	payloadLen = int(binary.BigEndian.Uint16(h[4:6]))
	s.IPVersion = 6
	s.TOS = uint8(first >> 20)
	s.FlowLabel = first & 0x000FFFFF
	s.IPLength = uint16(min(payloadLen+40, 0xFFFF))
	s.IPProtocol = h[6]
	s.TTL = h[7]
	s.SrcIP = netip.AddrFrom16([16]byte(h[8:24]))
	s.DstIP = netip.AddrFrom16([16]byte(h[24:40]))
	s.Decoded = true
	if 40+payloadLen > len(data) {
		s.Truncated = true
	}
	return payloadLen, true
}

// summariseTCP reads the ports and flags of a TCP header; it is whole with 20 bytes and its options.
func summariseTCP(data []byte, s *PacketSummary) bool {
	if len(data) >= 4 {
		s.SrcPort = binary.BigEndian.Uint16(data[0:2])
		s.DstPort = binary.BigEndian.Uint16(data[2:4])
	}
	if len(data) >= 14 {
		s.TCPFlags = data[13]
	}
	if len(data) < 20 {
		s.Truncated = true
		return false
	}
	dataOffset := int(data[12]>>4) * 4
	if dataOffset > len(data) {
		s.Truncated = true
	}
	return dataOffset >= 20 && dataOffset <= len(data)
}

// summariseUDP reads the ports of a UDP header.
func summariseUDP(data []byte, s *PacketSummary) bool {
	if len(data) >= 4 {
		s.SrcPort = binary.BigEndian.Uint16(data[0:2])
		s.DstPort = binary.BigEndian.Uint16(data[2:4])
	}
	if len(data) < 8 {
		s.Truncated = true
		return false
	}
	n := int(binary.BigEndian.Uint16(data[4:6]))
	if n > len(data) {
		s.Truncated = true
	}
	return n == 0 || n >= 8 // 0: a jumbogram
}

// summariseICMP reads the type and code of an ICMP (header 8 bytes) or ICMPv6 (4 bytes) header.
func summariseICMP(data []byte, headerLen int, s *PacketSummary) bool {
	if len(data) >= 2 {
		s.ICMPType, s.ICMPCode = data[0], data[1]
	}
	if len(data) < headerLen {
		s.Truncated = true
		return false
	}
	return true
}
