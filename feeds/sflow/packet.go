package sflow

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// DefaultHeaderSize is how many bytes of a packet agents copy into a sampled_header (SFL_DEFAULT_HEADER_SIZE).
const DefaultHeaderSize = 128

// PacketSpec describes a packet for BuildSampledHeader: an Ethernet frame, optionally 802.1Q or QinQ tagged,
// carrying IPv4 or IPv6 and then TCP, UDP, ICMP or ICMPv6 (or any other protocol number, with no L4 header).
type PacketSpec struct {
	SrcMAC, DstMAC [6]byte
	VLANs          []uint16 // 802.1Q tags, outer first; two tags make a QinQ (0x88a8) frame
	Priority       uint8    // PCP of every tag

	SrcIP, DstIP netip.Addr // both IPv4 or both IPv6
	Protocol     uint8      // 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...
	TOS          uint8      // IPv4 TOS or IPv6 traffic class
	TTL          uint8      // or hop limit; 0 means 64
	IPID         uint16     // IPv4 identification
	FlowLabel    uint32     // IPv6

	SrcPort, DstPort   uint16
	TCPFlags           uint8 // FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80
	ICMPType, ICMPCode uint8

	PayloadLen int  // application bytes after the L4 header (zeros)
	RawIP      bool // no Ethernet header: header_protocol 11 (IPv4) or 12 (IPv6)
	SnapLen    int  // header bytes kept; 0 means DefaultHeaderSize
}

// BuildSampledHeader synthesises the packet p describes with gopacket (lengths and checksums computed) and returns
// it as a sampled_header: the first SnapLen bytes in a new Header slice, FrameLength the whole frame plus its
// 4-byte FCS (Stripped 4) for Ethernet, or the IP length (Stripped 0) for raw IP.
func BuildSampledHeader(p PacketSpec) (SampledHeader, error) {
	frame, err := serializePacket(p)
	if err != nil {
		return SampledHeader{}, err
	}
	snap := p.SnapLen
	if snap <= 0 {
		snap = DefaultHeaderSize
	}
	h := SampledHeader{Protocol: HeaderProtocolEthernet, FrameLength: uint32(len(frame)) + 4, Stripped: 4}
	if p.RawIP {
		h.Protocol, h.FrameLength, h.Stripped = HeaderProtocolIPv4, uint32(len(frame)), 0
		if p.SrcIP.Is6() {
			h.Protocol = HeaderProtocolIPv6
		}
	}
	h.Header = append([]byte(nil), frame[:min(snap, len(frame))]...)
	return h, nil
}

// errPacketSpec is wrapped by BuildSampledHeader's errors.
var errPacketSpec = errors.New("bad packet spec")

// serializePacket builds the whole frame p describes.
func serializePacket(p PacketSpec) ([]byte, error) {
	if !p.SrcIP.IsValid() || !p.DstIP.IsValid() || p.SrcIP.Is4() != p.DstIP.Is4() {
		return nil, fmt.Errorf("build packet %v > %v: need two addresses of one family: %w", p.SrcIP, p.DstIP, errPacketSpec)
	}
	if len(p.VLANs) > 2 || p.PayloadLen < 0 || p.PayloadLen > 65000 {
		return nil, fmt.Errorf("build packet: %d VLAN tags, payload %d: %w", len(p.VLANs), p.PayloadLen, errPacketSpec)
	}
	ttl := p.TTL
	if ttl == 0 {
		ttl = 64
	}
	var stack []gopacket.SerializableLayer
	var ipType layers.EthernetType
	var network gopacket.NetworkLayer
	var ip gopacket.SerializableLayer
	if p.SrcIP.Is4() {
		ipType = layers.EthernetTypeIPv4
		v4 := &layers.IPv4{Version: 4, TOS: p.TOS, TTL: ttl, Id: p.IPID, Protocol: layers.IPProtocol(p.Protocol),
			SrcIP: net.IP(p.SrcIP.AsSlice()), DstIP: net.IP(p.DstIP.AsSlice())}
		network, ip = v4, v4
	} else {
		ipType = layers.EthernetTypeIPv6
		v6 := &layers.IPv6{Version: 6, TrafficClass: p.TOS, HopLimit: ttl, FlowLabel: p.FlowLabel,
			NextHeader: layers.IPProtocol(p.Protocol), SrcIP: net.IP(p.SrcIP.AsSlice()), DstIP: net.IP(p.DstIP.AsSlice())}
		network, ip = v6, v6
	}

	if !p.RawIP {
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr(p.SrcMAC[:]), DstMAC: net.HardwareAddr(p.DstMAC[:]),
			EthernetType: ipType}
		stack = append(stack, eth)
		if len(p.VLANs) > 0 {
			eth.EthernetType = layers.EthernetTypeDot1Q
			if len(p.VLANs) == 2 {
				eth.EthernetType = layers.EthernetTypeQinQ
			}
			for i, vlan := range p.VLANs {
				next := layers.EthernetTypeDot1Q
				if i == len(p.VLANs)-1 {
					next = ipType
				}
				stack = append(stack, &layers.Dot1Q{Priority: p.Priority, VLANIdentifier: vlan, Type: next})
			}
		}
	}
	stack = append(stack, ip)

	switch {
	case p.Protocol == uint8(layers.IPProtocolTCP):
		tcp := &layers.TCP{SrcPort: layers.TCPPort(p.SrcPort), DstPort: layers.TCPPort(p.DstPort), Seq: 1, Window: 65535,
			FIN: p.TCPFlags&0x01 != 0, SYN: p.TCPFlags&0x02 != 0, RST: p.TCPFlags&0x04 != 0, PSH: p.TCPFlags&0x08 != 0,
			ACK: p.TCPFlags&0x10 != 0, URG: p.TCPFlags&0x20 != 0, ECE: p.TCPFlags&0x40 != 0, CWR: p.TCPFlags&0x80 != 0}
		if err := tcp.SetNetworkLayerForChecksum(network); err != nil {
			return nil, fmt.Errorf("build packet: %w", err)
		}
		stack = append(stack, tcp)
	case p.Protocol == uint8(layers.IPProtocolUDP):
		udp := &layers.UDP{SrcPort: layers.UDPPort(p.SrcPort), DstPort: layers.UDPPort(p.DstPort)}
		if err := udp.SetNetworkLayerForChecksum(network); err != nil {
			return nil, fmt.Errorf("build packet: %w", err)
		}
		stack = append(stack, udp)
	case p.Protocol == uint8(layers.IPProtocolICMPv4) && p.SrcIP.Is4():
		stack = append(stack, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(p.ICMPType, p.ICMPCode), Id: 1, Seq: 1})
	case p.Protocol == uint8(layers.IPProtocolICMPv6) && p.SrcIP.Is6():
		icmp := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(p.ICMPType, p.ICMPCode)}
		if err := icmp.SetNetworkLayerForChecksum(network); err != nil {
			return nil, fmt.Errorf("build packet: %w", err)
		}
		stack = append(stack, icmp)
	}
	stack = append(stack, gopacket.Payload(make([]byte, p.PayloadLen)))

	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		stack...); err != nil {
		return nil, fmt.Errorf("build packet %v > %v: %w", p.SrcIP, p.DstIP, err)
	}
	return buf.Bytes(), nil
}
