package sflow

import (
	"net"
	"net/netip"
	"strconv"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// dxSerialize builds a packet with gopacket's serializers (lengths and checksums fixed) and a payload.
func dxSerialize(t testing.TB, payload int, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	var network gopacket.NetworkLayer
	for _, l := range ls {
		switch l := l.(type) {
		case *layers.IPv4:
			if network == nil {
				network = l
			}
		case *layers.IPv6:
			if network == nil {
				network = l
			}
		case *layers.TCP:
			_ = l.SetNetworkLayerForChecksum(network)
		case *layers.UDP:
			_ = l.SetNetworkLayerForChecksum(network)
		case *layers.ICMPv6:
			_ = l.SetNetworkLayerForChecksum(network)
		}
	}
	ls = append(ls, gopacket.Payload(make([]byte, payload)))
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

var (
	dxSrcHW = net.HardwareAddr{0x00, 0x17, 0x08, 0x7d, 0x77, 0x42}
	dxDstHW = net.HardwareAddr{0x30, 0xe4, 0xdb, 0x3e, 0x33, 0x7f}
)

func dxIPv4(proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TOS: 0xb8, Id: 27277, TTL: 64, Protocol: proto,
		SrcIP: net.IP{192, 168, 108, 40}, DstIP: net.IP{192, 168, 15, 14}}
}

func dxIPv6(next layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, TrafficClass: 0x28, FlowLabel: 0xABCDE, NextHeader: next, HopLimit: 57,
		SrcIP: net.ParseIP("2001:db8:4::1"), DstIP: net.ParseIP("2001:db8:4::3")}
}

// dxEthIPv4TCPHeader is an Ethernet/IPv4/TCP packet of 1500 IP bytes cut to n bytes, as a switch samples it.
func dxEthIPv4TCPHeader(t testing.TB, n int) []byte {
	ip := dxIPv4(layers.IPProtocolTCP)
	tcp := &layers.TCP{SrcPort: 443, DstPort: 51234, Seq: 1, Ack: 2, PSH: true, ACK: true, Window: 512}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	pkt := dxSerialize(t, 1460, &layers.Ethernet{SrcMAC: dxSrcHW, DstMAC: dxDstHW, EthernetType: layers.EthernetTypeIPv4}, ip, tcp)
	return pkt[:n]
}

func dxSummary(t testing.TB, protocol uint32, header []byte) PacketSummary {
	t.Helper()
	var h headerDecoder
	h.init()
	var s PacketSummary
	h.decode(protocol, header, &s)
	return s
}

func TestHeaderSummary(t *testing.T) {
	eth := func(typ layers.EthernetType) *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: dxSrcHW, DstMAC: dxDstHW, EthernetType: typ}
	}
	v4src, v4dst := netip.MustParseAddr("192.168.108.40"), netip.MustParseAddr("192.168.15.14")
	v6src, v6dst := netip.MustParseAddr("2001:db8:4::1"), netip.MustParseAddr("2001:db8:4::3")
	mac := func(s *PacketSummary) {
		s.HasMAC = true
		copy(s.SrcMAC[:], dxSrcHW)
		copy(s.DstMAC[:], dxDstHW)
	}

	tests := []struct {
		name     string
		protocol uint32
		header   func(t testing.TB) []byte
		want     func(s *PacketSummary)
	}{
		{"Ethernet/IPv4/TCP cut at 128 bytes (IP length 1500 > captured)", HeaderProtocolEthernet,
			func(t testing.TB) []byte { return dxEthIPv4TCPHeader(t, 128) },
			func(s *PacketSummary) {
				mac(s)
				*s = PacketSummary{Decoded: true, Truncated: true, HasMAC: true, SrcMAC: s.SrcMAC, DstMAC: s.DstMAC,
					EtherType: 0x0800, IPVersion: 4, SrcIP: v4src, DstIP: v4dst, IPProtocol: 6, TOS: 0xb8, TTL: 64,
					IPLength: 1500, IPID: 27277, SrcPort: 443, DstPort: 51234, TCPFlags: 0x18}
			}},
		{"Ethernet/802.1Q/IPv4/UDP", HeaderProtocolEthernet,
			func(t testing.TB) []byte {
				ip := dxIPv4(layers.IPProtocolUDP)
				udp := &layers.UDP{SrcPort: 45833, DstPort: 53}
				_ = udp.SetNetworkLayerForChecksum(ip)
				return dxSerialize(t, 20, eth(layers.EthernetTypeDot1Q),
					&layers.Dot1Q{Priority: 5, VLANIdentifier: 890, Type: layers.EthernetTypeIPv4}, ip, udp)
			},
			func(s *PacketSummary) {
				mac(s)
				s.Decoded, s.EtherType, s.VLANs, s.NumVLANs, s.Priority = true, 0x0800, [2]uint16{890}, 1, 5
				s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = 4, v4src, v4dst, 17, 0xb8, 64, 48, 27277
				s.SrcPort, s.DstPort = 45833, 53
			}},
		{"QinQ: 802.1ad outer tag, 802.1Q inner tag", HeaderProtocolEthernet,
			func(t testing.TB) []byte {
				return dxSerialize(t, 8, eth(layers.EthernetTypeQinQ),
					&layers.Dot1Q{Priority: 3, VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
					&layers.Dot1Q{Priority: 1, VLANIdentifier: 200, Type: layers.EthernetTypeIPv4},
					dxIPv4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2})
			},
			func(s *PacketSummary) {
				mac(s)
				s.Decoded, s.EtherType, s.VLANs, s.NumVLANs, s.Priority = true, 0x0800, [2]uint16{100, 200}, 2, 3
				s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = 4, v4src, v4dst, 17, 0xb8, 64, 36, 27277
				s.SrcPort, s.DstPort = 1, 2
			}},
		{"Ethernet/IPv6/TCP", HeaderProtocolEthernet,
			func(t testing.TB) []byte {
				ip := dxIPv6(layers.IPProtocolTCP)
				tcp := &layers.TCP{SrcPort: 22, DstPort: 60000, FIN: true, ACK: true}
				_ = tcp.SetNetworkLayerForChecksum(ip)
				return dxSerialize(t, 0, eth(layers.EthernetTypeIPv6), ip, tcp)
			},
			func(s *PacketSummary) {
				mac(s)
				s.Decoded, s.EtherType = true, 0x86dd
				s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.FlowLabel = 6, v6src, v6dst, 6, 0x28, 57, 60, 0xABCDE
				s.SrcPort, s.DstPort, s.TCPFlags = 22, 60000, 0x11
			}},
		{"raw IPv4 (header_protocol 11) ICMP echo", HeaderProtocolIPv4,
			func(t testing.TB) []byte {
				return dxSerialize(t, 56, dxIPv4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 2})
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = true, 4, v4src, v4dst, 1, 0xb8, 64, 84, 27277
				s.ICMPType = 8
			}},
		{"raw IPv6 (header_protocol 12) ICMPv6 unreachable", HeaderProtocolIPv6,
			func(t testing.TB) []byte {
				ip := dxIPv6(layers.IPProtocolICMPv6)
				icmp := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(1, 4)}
				_ = icmp.SetNetworkLayerForChecksum(ip)
				return dxSerialize(t, 4, ip, icmp)
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.FlowLabel = true, 6, v6src, v6dst, 58, 0x28, 57, 48, 0xABCDE
				s.ICMPType, s.ICMPCode = 1, 4
			}},
		{"IPv6 hop-by-hop then UDP", HeaderProtocolIPv6,
			func(t testing.TB) []byte {
				b := dxSerialize(t, 8, dxIPv6(0), gopacket.Payload([]byte{17, 0, 1, 4, 0, 0, 0, 0}),
					&layers.UDP{SrcPort: 546, DstPort: 547, Length: 16})
				return b
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.FlowLabel = true, 6, v6src, v6dst, 17, 0x28, 57, 64, 0xABCDE
				s.SrcPort, s.DstPort = 546, 547
			}},
		{"IPv6 first fragment carries ports", HeaderProtocolIPv6,
			func(t testing.TB) []byte {
				return dxSerialize(t, 8, dxIPv6(layers.IPProtocolIPv6Fragment),
					gopacket.Payload([]byte{17, 0, 0, 1, 0, 0, 0, 9}), &layers.UDP{SrcPort: 7, DstPort: 9})
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.FlowLabel = true, 6, v6src, v6dst, 17, 0x28, 57, 64, 0xABCDE
				s.SrcPort, s.DstPort = 7, 9
			}},
		{"IPv6 later fragment has no ports", HeaderProtocolIPv6,
			func(t testing.TB) []byte {
				return dxSerialize(t, 0, dxIPv6(layers.IPProtocolIPv6Fragment),
					gopacket.Payload([]byte{17, 0, 0x05, 0x01, 0, 0, 0, 9}), gopacket.Payload([]byte{0, 7, 0, 9, 0, 8, 0, 0}))
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.FlowLabel = true, 6, v6src, v6dst, 17, 0x28, 57, 56, 0xABCDE
				s.FragOffset = 0xA0
			}},
		{"IPv4 first fragment carries ports", HeaderProtocolIPv4,
			func(t testing.TB) []byte {
				ip := dxIPv4(layers.IPProtocolUDP)
				ip.Flags = layers.IPv4MoreFragments
				return dxSerialize(t, 0, ip, &layers.UDP{SrcPort: 5000, DstPort: 6000, Length: 8})
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = true, 4, v4src, v4dst, 17, 0xb8, 64, 28, 27277
				s.SrcPort, s.DstPort = 5000, 6000
			}},
		{"IPv4 later fragment has no ports", HeaderProtocolIPv4,
			func(t testing.TB) []byte {
				ip := dxIPv4(layers.IPProtocolUDP)
				ip.FragOffset = 185
				return dxSerialize(t, 16, ip)
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = true, 4, v4src, v4dst, 17, 0xb8, 64, 36, 27277
				s.FragOffset = 185
			}},
		{"IPv4 with options", HeaderProtocolIPv4,
			func(t testing.TB) []byte {
				ip := dxIPv4(layers.IPProtocolUDP)
				ip.Options = []layers.IPv4Option{{OptionType: 148, OptionLength: 4, OptionData: []byte{0, 0}}} // router alert
				return dxSerialize(t, 0, ip, &layers.UDP{SrcPort: 1, DstPort: 2})
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = true, 4, v4src, v4dst, 17, 0xb8, 64, 32, 27277
				s.SrcPort, s.DstPort = 1, 2
			}},
		{"IPv4 with IHL below 5 keeps its addresses", HeaderProtocolIPv4,
			func(t testing.TB) []byte {
				b := dxSerialize(t, 0, dxIPv4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2})
				b[0] = 0x44
				return b
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = true, 4, v4src, v4dst, 17, 0xb8, 64, 28, 27277
			}},
		{"TCP cut after the flags", HeaderProtocolEthernet,
			func(t testing.TB) []byte { return dxEthIPv4TCPHeader(t, 14+20+14) },
			func(s *PacketSummary) {
				mac(s)
				s.Decoded, s.Truncated, s.EtherType = true, true, 0x0800
				s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = 4, v4src, v4dst, 6, 0xb8, 64, 1500, 27277
				s.SrcPort, s.DstPort, s.TCPFlags = 443, 51234, 0x18
			}},
		{"TCP cut inside the ports", HeaderProtocolEthernet,
			func(t testing.TB) []byte { return dxEthIPv4TCPHeader(t, 14+20+3) },
			func(s *PacketSummary) {
				mac(s)
				s.Decoded, s.Truncated, s.EtherType = true, true, 0x0800
				s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = 4, v4src, v4dst, 6, 0xb8, 64, 1500, 27277
			}},
		{"IPv4 cut inside its header", HeaderProtocolEthernet,
			func(t testing.TB) []byte { return dxEthIPv4TCPHeader(t, 14+19) },
			func(s *PacketSummary) {
				mac(s)
				s.Decoded, s.Truncated, s.EtherType = true, true, 0x0800
			}},
		{"Ethernet cut before its type", HeaderProtocolEthernet,
			func(t testing.TB) []byte { return dxEthIPv4TCPHeader(t, 13) },
			func(s *PacketSummary) {
				mac(s)
				s.Truncated = true
			}},
		{"VXLAN: the outer packet is summarised", HeaderProtocolEthernet,
			func(t testing.TB) []byte {
				ip := dxIPv4(layers.IPProtocolUDP)
				udp := &layers.UDP{SrcPort: 45833, DstPort: 4789}
				_ = udp.SetNetworkLayerForChecksum(ip)
				ip6 := dxIPv6(layers.IPProtocolICMPv6)
				icmp := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}
				_ = icmp.SetNetworkLayerForChecksum(ip6)
				inner := dxSerialize(t, 0, &layers.Ethernet{SrcMAC: dxDstHW, DstMAC: dxSrcHW, EthernetType: layers.EthernetTypeIPv6},
					ip6, icmp)
				return dxSerialize(t, 0, eth(layers.EthernetTypeIPv4), ip, udp,
					&layers.VXLAN{ValidIDFlag: true, VNI: 100}, gopacket.Payload(inner))
			},
			func(s *PacketSummary) {
				mac(s)
				s.Decoded, s.EtherType = true, 0x0800
				s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = 4, v4src, v4dst, 17, 0xb8, 64, 20+8+8+60, 27277 // inner frame padded to 60
				s.SrcPort, s.DstPort = 45833, 4789
			}},
		{"IP-in-IP: the outer packet is summarised", HeaderProtocolIPv4,
			func(t testing.TB) []byte {
				inner := dxIPv4(layers.IPProtocolTCP)
				inner.SrcIP, inner.DstIP = net.IP{10, 0, 0, 1}, net.IP{10, 0, 0, 2}
				return dxSerialize(t, 0, dxIPv4(layers.IPProtocolIPv4), inner)
			},
			func(s *PacketSummary) {
				s.Decoded, s.IPVersion, s.SrcIP, s.DstIP, s.IPProtocol, s.TOS, s.TTL, s.IPLength, s.IPID = true, 4, v4src, v4dst, 4, 0xb8, 64, 40, 27277
			}},
		{"802.3 LLC frame: MACs only", HeaderProtocolEthernet,
			func(t testing.TB) []byte {
				b := dxEthIPv4TCPHeader(t, 64)
				b[12], b[13] = 0x00, 0x26 // length 38: 802.3
				return b
			},
			func(s *PacketSummary) {
				mac(s)
				s.Decoded, s.EtherType = true, 0x0026
			}},
		{"header protocol 15 (802.11) is left undecoded", 15,
			func(t testing.TB) []byte { return dxEthIPv4TCPHeader(t, 128) },
			func(s *PacketSummary) {}},
		{"empty header", HeaderProtocolEthernet,
			func(t testing.TB) []byte { return nil },
			func(s *PacketSummary) { s.Truncated = true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dxSummary(t, tt.protocol, tt.header(t))
			var want PacketSummary
			tt.want(&want)
			if got != want {
				t.Errorf("summary\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// The summary agrees with gopacket's full decoder on whole packets.
func TestHeaderSummaryMatchesGopacket(t *testing.T) {
	pkts := [][]byte{
		dxEthIPv4TCPHeader(t, 128),
		dxSerialize(t, 10, &layers.Ethernet{SrcMAC: dxSrcHW, DstMAC: dxDstHW, EthernetType: layers.EthernetTypeIPv6},
			dxIPv6(layers.IPProtocolUDP), &layers.UDP{SrcPort: 9, DstPort: 10}),
	}
	for _, pkt := range pkts {
		p := gopacket.NewPacket(pkt, layers.LayerTypeEthernet, gopacket.Default)
		s := dxSummary(t, HeaderProtocolEthernet, pkt)
		src, dst := p.NetworkLayer().NetworkFlow().Endpoints()
		if s.SrcIP.String() != src.String() || s.DstIP.String() != dst.String() {
			t.Errorf("addresses %v %v, gopacket %v %v", s.SrcIP, s.DstIP, src, dst)
		}
		sp, dp := p.TransportLayer().TransportFlow().Endpoints()
		if strconv.Itoa(int(s.SrcPort)) != sp.String() || strconv.Itoa(int(s.DstPort)) != dp.String() {
			t.Errorf("ports %d %d, gopacket %v %v", s.SrcPort, s.DstPort, sp, dp)
		}
	}
}

func TestHeaderDecodeAllocationFree(t *testing.T) {
	var h headerDecoder
	h.init()
	headers := [][]byte{
		dxEthIPv4TCPHeader(t, 128),
		dxEthIPv4TCPHeader(t, 40), // truncated TCP
		dxEthIPv4TCPHeader(t, 20), // truncated IP
	}
	var s PacketSummary
	for _, hdr := range headers {
		h.decode(HeaderProtocolEthernet, hdr, &s)
		if allocs := testing.AllocsPerRun(100, func() { s = PacketSummary{}; h.decode(HeaderProtocolEthernet, hdr, &s) }); allocs != 0 {
			t.Errorf("%d-byte header: %v allocs", len(hdr), allocs)
		}
	}
}
