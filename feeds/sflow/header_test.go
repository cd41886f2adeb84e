package sflow

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
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

// dxSummary summarises a header as Decode does: with the fast path, else with gopacket (always with gopacket
// when gopacketOnly).
func dxSummary(t testing.TB, protocol uint32, header []byte, gopacketOnly bool) PacketSummary {
	t.Helper()
	var h headerDecoder
	h.init()
	h.gopacketOnly = gopacketOnly
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
		for _, path := range []string{"fast", "gopacket"} {
			t.Run(tt.name+"/headers="+path, func(t *testing.T) {
				got := dxSummary(t, tt.protocol, tt.header(t), path == "gopacket")
				var want PacketSummary
				tt.want(&want)
				if got != want {
					t.Errorf("summary\n got %+v\nwant %+v", got, want)
				}
			})
		}
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
		s := dxSummary(t, HeaderProtocolEthernet, pkt, false)
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
	headers := []dxHeader{
		{"128 bytes", HeaderProtocolEthernet, dxEthIPv4TCPHeader(t, 128)},
		{"truncated TCP", HeaderProtocolEthernet, dxEthIPv4TCPHeader(t, 40)},
		{"truncated IP", HeaderProtocolEthernet, dxEthIPv4TCPHeader(t, 20)},
	}
	for _, gopacketOnly := range []bool{false, true} {
		var h headerDecoder
		h.init()
		h.gopacketOnly = gopacketOnly
		all := headers
		if !gopacketOnly {
			// Some declined by the fast path. (Alone, the gopacket path allocates on malformed IPv4 options.)
			all = append(all, dxOddHeaders(t)...)
		}
		var s PacketSummary
		for _, c := range all {
			allocs := testing.AllocsPerRun(100, func() { s = PacketSummary{}; h.decode(c.protocol, c.header, &s) })
			if allocs != 0 {
				t.Errorf("gopacket only %v, %s: %v allocs", gopacketOnly, c.name, allocs)
			}
		}
	}
}

// ---------------------------------------------------------------- fast path against gopacket

// dxHeader is a sampled header and its header_protocol.
type dxHeader struct {
	name     string
	protocol uint32
	header   []byte
}

// dxBuiltHeaders are BuildSampledHeader packets of every shape the fast path takes: untagged, 802.1Q and QinQ
// Ethernet or raw IP, IPv4 or IPv6, TCP, UDP, ICMP, ICMPv6 or GRE, cut at 128 bytes or shorter than that.
func dxBuiltHeaders(tb testing.TB) []dxHeader {
	tb.Helper()
	var out []dxHeader
	for _, family := range []string{"v4", "v6"} {
		src, dst := netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("192.0.2.200")
		icmp := uint8(1)
		if family == "v6" {
			src, dst, icmp = netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8:ffff::2"), 58
		}
		for _, vlans := range [][]uint16{nil, {10}, {100, 4094}, {}} {
			raw := vlans != nil && len(vlans) == 0
			for _, proto := range []uint8{6, 17, icmp, 47} {
				for _, payload := range []int{1400, 3} {
					spec := PacketSpec{SrcMAC: dxMAC1, DstMAC: dxMAC2, VLANs: vlans, Priority: 5, SrcIP: src, DstIP: dst,
						Protocol: proto, TOS: 0x2e, TTL: 61, IPID: 777, FlowLabel: 0x12345, SrcPort: 40000, DstPort: 443,
						TCPFlags: 0x12, ICMPType: 3, ICMPCode: 1, PayloadLen: payload, RawIP: raw}
					h, err := BuildSampledHeader(spec)
					if err != nil {
						tb.Fatal(err)
					}
					name := fmt.Sprintf("%s/vlans=%v/raw=%v/proto=%d/payload=%d", family, vlans, raw, proto, payload)
					out = append(out, dxHeader{name, h.Protocol, h.Header})
				}
			}
		}
	}
	return out
}

// dxOddHeaders are headers off the common path, made by editing built ones: some for the fast path, some that it
// must decline, some that end early.
func dxOddHeaders(tb testing.TB) []dxHeader {
	tb.Helper()
	build := func(spec PacketSpec) []byte {
		if !spec.SrcIP.IsValid() {
			spec.SrcIP, spec.DstIP = netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
		}
		spec.SrcMAC, spec.DstMAC, spec.SrcPort, spec.DstPort, spec.PayloadLen = dxMAC1, dxMAC2, 1000, 2000, 200
		h, err := BuildSampledHeader(spec)
		if err != nil {
			tb.Fatal(err)
		}
		return h.Header
	}
	edit := func(b []byte, at int, bytes ...byte) []byte {
		b = bytes2(b)
		copy(b[at:], bytes)
		return b
	}
	v6 := PacketSpec{SrcIP: netip.MustParseAddr("2001:db8::1"), DstIP: netip.MustParseAddr("2001:db8::2"), Protocol: 17}
	udp4 := build(PacketSpec{Protocol: 17})
	tcp4 := build(PacketSpec{Protocol: 6})
	udp6 := build(v6)
	vlan3 := append(bytes2(udp4[:12]), 0x81, 0, 0, 1, 0x81, 0, 0, 2, 0x81, 0, 0, 3, 0x08, 0)
	vlan3 = append(vlan3, udp4[14:]...)
	vlan9 := bytes2(udp4[:12])
	for i := range 9 {
		vlan9 = append(vlan9, 0x81, 0, 0, byte(i))
	}
	vlan9 = append(vlan9, 0x08, 0)
	vlan9 = append(vlan9, udp4[14:]...)
	withOptions := func(opts ...byte) []byte { // IPv4 with options, IHL and total length adjusted
		ihl := 20 + len(opts)
		b := append(bytes2(udp4[:14+20]), opts...)
		b = append(b, udp4[14+20:]...)
		b[14] = 0x40 | byte(ihl/4)
		total := int(b[16])<<8 | int(b[17]) + len(opts)
		b[16], b[17] = byte(total>>8), byte(total)
		return b
	}
	return []dxHeader{
		{"IPv4 options router alert", 1, withOptions(148, 4, 0, 0)},
		{"IPv4 options no-ops then end", 1, withOptions(1, 1, 1, 0)},
		{"IPv4 option length 2", 1, withOptions(148, 2, 0, 0)},
		{"IPv4 option length past the header", 1, withOptions(1, 1, 148, 9)},
		{"IPv4 option without its length", 1, withOptions(1, 1, 1, 148)},
		{"IPv4 IHL 4", 1, edit(udp4, 14, 0x44)},
		{"IPv4 IHL past total length", 1, edit(udp4, 14, 0x4f, 0, 0, 30)},
		{"IPv4 total length 0 (TSO)", 1, edit(udp4, 16, 0, 0)},
		{"IPv4 total length 20", 1, edit(udp4, 16, 0, 20)},
		{"IPv4 total length 22", 1, edit(udp4, 16, 0, 22)},
		{"IPv4 version nibble 6", 1, edit(udp4, 14, 0x65)},
		{"IPv4 later fragment", 1, edit(udp4, 20, 0, 9)},
		{"IPv4 first fragment", 1, edit(udp4, 20, 0x20, 0)},
		{"IPv4 protocol 0", 1, edit(udp4, 23, 0)},
		{"IPv4 protocol 44", 1, edit(udp4, 23, 44)},
		{"IPv4 protocol 58 (ICMPv6 numbers)", 1, edit(udp4, 23, 58)},
		{"IPv4 in IPv4", 1, edit(udp4, 23, 4)},
		{"IPv4 protocol 94", 1, edit(udp4, 23, 94)},
		{"IPv6 in IPv4", 1, edit(udp4, 23, 41)},
		{"UDP length 0", 1, edit(udp4, 38, 0, 0)},
		{"UDP length 5", 1, edit(udp4, 38, 0, 5)},
		{"UDP length past the header", 1, edit(udp4, 38, 0xff, 0xff)},
		{"TCP data offset 4", 1, edit(tcp4, 46, 0x40)},
		{"TCP data offset 15", 1, edit(tcp4, 46, 0xf0)},
		{"TCP options", 1, edit(tcp4, 46, 0x80)},
		{"IPv6 payload length 0", 1, edit(udp6, 18, 0, 0)},
		{"IPv6 payload length 3", 1, edit(udp6, 18, 0, 3)},
		{"IPv6 hop-by-hop", 1, edit(udp6, 20, 0)},
		{"IPv6 routing", 1, edit(udp6, 20, 43)},
		{"IPv6 fragment", 1, edit(udp6, 20, 44)},
		{"IPv6 destination options", 1, edit(udp6, 20, 60)},
		{"IPv6 next header 1 (ICMPv4 numbers)", 1, edit(udp6, 20, 1)},
		{"IPv4 in IPv6", 1, edit(udp6, 20, 4)},
		{"IPv6 no next header", 1, edit(udp6, 20, 59)},
		{"three VLAN tags", 1, vlan3},
		{"nine VLAN tags", 1, vlan9},
		{"VLAN then LLC", 1, edit(build(PacketSpec{Protocol: 17, VLANs: []uint16{5}}), 16, 0, 40)},
		{"VLAN then ARP", 1, edit(build(PacketSpec{Protocol: 17, VLANs: []uint16{5}}), 16, 0x08, 0x06)},
		{"Transparent Ethernet Bridging", 1, edit(udp4, 12, 0x65, 0x58)},
		{"VLAN then Transparent Ethernet Bridging", 1, edit(build(PacketSpec{Protocol: 17, VLANs: []uint16{5}}), 16, 0x65, 0x58)},
		{"802.3 length within the header", 1, edit(udp4, 12, 0, 20)},
		{"802.3 length past the header", 1, edit(udp4, 12, 0x05, 0xdc)},
		{"ARP", 1, edit(udp4, 12, 0x08, 0x06)},
		{"MPLS", 1, edit(udp4, 12, 0x88, 0x47)},
		{"raw IPv6 header as IPv4", HeaderProtocolIPv4, udp6[14:]},
		{"raw IPv4 header as IPv6", HeaderProtocolIPv6, udp4[14:]},
		{"header protocol 15", 15, udp4},
	}
}

func bytes2(b []byte) []byte { return append([]byte(nil), b...) }

// dxCaptureHeaders returns the sampled headers of every capture in shared.
func dxCaptureHeaders(tb testing.TB, shared string) []dxHeader {
	tb.Helper()
	var out []dxHeader
	dec := NewDecoder()
	dec.SetDecodeHeaders(false)
	var d Datagram
	for _, path := range dxCaptures(tb, shared) {
		for i, buf := range dxCaptureDatagrams(tb, path) {
			_ = dec.Decode(buf, &d)
			for _, s := range d.Samples {
				for j := range s.Records {
					if h := d.SampledHeader(&s.Records[j]); h != nil {
						name := fmt.Sprintf("%s/%d/%d", filepath.Base(path), i, len(out))
						out = append(out, dxHeader{name, h.Protocol, bytes2(h.Header)})
					}
				}
			}
		}
	}
	return out
}

// dxFastMatchesGopacket checks that the fast path, when it takes a header, summarises it as the gopacket path
// does, and that decode (fast path, else gopacket) always does. It returns whether the fast path took it.
func dxFastMatchesGopacket(t testing.TB, h *headerDecoder, protocol uint32, header []byte) bool {
	t.Helper()
	var fast, ref, got PacketSummary
	took := summariseFast(protocol, header, &fast)
	h.decodeGopacket(protocol, header, &ref)
	if took && fast != ref {
		t.Fatalf("protocol %d, header %x:\nfast     %+v\ngopacket %+v", protocol, header, fast, ref)
	}
	h.decode(protocol, header, &got)
	if got != ref {
		t.Fatalf("protocol %d, header %x: decode\n got %+v\nwant %+v", protocol, header, got, ref)
	}
	return took
}

func TestHeaderFastPathMatchesGopacket(t *testing.T) {
	var h headerDecoder
	h.init()
	t.Run("built", func(t *testing.T) {
		for _, c := range dxBuiltHeaders(t) {
			for n := len(c.header); n >= 0; n-- {
				if !dxFastMatchesGopacket(t, &h, c.protocol, c.header[:n]) {
					t.Errorf("%s cut at %d: the fast path declined a common shape", c.name, n)
				}
			}
		}
	})
	t.Run("odd", func(t *testing.T) {
		declined := 0
		for _, c := range dxOddHeaders(t) {
			for n := len(c.header); n >= 0; n-- {
				if !dxFastMatchesGopacket(t, &h, c.protocol, c.header[:n]) {
					declined++
				}
			}
		}
		if declined == 0 {
			t.Error("the fast path declined none of the odd headers: the gopacket path went untested")
		}
	})
	t.Run("captures", func(t *testing.T) {
		headers := dxCaptureHeaders(t, dxSharedDir(t))
		took := 0
		for _, c := range headers {
			if dxFastMatchesGopacket(t, &h, c.protocol, c.header) {
				took++
			}
		}
		if len(headers) == 0 || took < len(headers)*3/4 {
			t.Errorf("the fast path took %d of the %d sampled headers of the captures", took, len(headers))
		}
		t.Logf("the fast path took %d of the %d sampled headers of the captures", took, len(headers))
	})
}

func FuzzHeaderFastPath(f *testing.F) {
	protoByte := map[uint32]uint8{HeaderProtocolEthernet: 0, HeaderProtocolIPv4: 1, HeaderProtocolIPv6: 2}
	add := func(c dxHeader) {
		p, ok := protoByte[c.protocol]
		if !ok {
			p = 3
		}
		f.Add(p, c.header)
	}
	for _, c := range append(dxBuiltHeaders(f), dxOddHeaders(f)...) {
		for n := len(c.header); n >= 0; n-- {
			add(dxHeader{c.name, c.protocol, c.header[:n]})
		}
	}
	if shared, ok := dxFindShared(); ok {
		for _, c := range dxCaptureHeaders(f, shared) {
			add(c)
		}
	} else if os.Getenv("CI") == "true" {
		f.Fatal("../shared/captures is missing (CI=true)")
	}
	var h headerDecoder
	h.init()
	f.Fuzz(func(t *testing.T, protocol uint8, header []byte) {
		proto := [...]uint32{HeaderProtocolEthernet, HeaderProtocolIPv4, HeaderProtocolIPv6, 15}[protocol%4]
		dxFastMatchesGopacket(t, &h, proto, header)
	})
}

// The fast path dispatches on EtherTypes and IP protocol numbers as gopacket's tables do for the parser's
// layers, and stops after the transport header because nothing gopacket finds there is one of them.
func TestFastPathFollowsGopacketTables(t *testing.T) {
	var h headerDecoder
	h.init()
	parserLayers := map[gopacket.LayerType]bool{}
	for _, l := range []gopacket.DecodingLayer{&h.eth, &h.vlan, &h.ip4, &h.ip6, &h.ext, &h.tcp, &h.udp, &h.icmp4, &h.icmp6} {
		for _, lt := range l.CanDecode().LayerTypes() {
			parserLayers[lt] = true
		}
	}
	// want is what the fast path must do before the layer gopacket would enter next.
	want := func(lt gopacket.LayerType) nextLayer {
		switch lt {
		case layers.LayerTypeDot1Q:
			return nextVLAN
		case layers.LayerTypeIPv4:
			return nextIPv4
		case layers.LayerTypeIPv6:
			return nextIPv6
		case layers.LayerTypeIPv6HopByHop, layers.LayerTypeIPv6Routing, layers.LayerTypeIPv6Fragment,
			layers.LayerTypeIPv6Destination:
			return nextIPv6Ext
		case layers.LayerTypeTCP:
			return nextTCP
		case layers.LayerTypeUDP:
			return nextUDP
		case layers.LayerTypeICMPv4:
			return nextICMPv4
		case layers.LayerTypeICMPv6:
			return nextICMPv6
		}
		if parserLayers[lt] {
			return nextGopacket
		}
		return nextEnd
	}
	for e := range 1 << 16 {
		lt := etherTypeLayer(layers.EthernetType(e))
		w := want(lt)
		if w != nextVLAN && w != nextIPv4 && w != nextIPv6 && w != nextEnd {
			w = nextGopacket // after Ethernet, anything else is gopacket's
		}
		if got := etherTypeNext(uint16(e)); got != w {
			t.Errorf("EtherType %#04x (%v): fast path %d, want %d", e, lt, got, w)
		}
	}
	for p := range 1 << 8 {
		lt := layers.IPProtocol(p).LayerType()
		if got, w := ipProtocolNext(uint8(p)), want(lt); got != w {
			t.Errorf("IP protocol %d (%v): fast path %d, want %d", p, lt, got, w)
		}
	}
	for port := range 1 << 16 {
		if lt := layers.TCPPort(port).LayerType(); parserLayers[lt] {
			t.Errorf("TCP port %d leads to %v", port, lt)
		}
		if lt := layers.UDPPort(port).LayerType(); parserLayers[lt] {
			t.Errorf("UDP port %d leads to %v", port, lt)
		}
	}
	for typ := range 1 << 8 {
		for _, tc := range []gopacket.DecodingLayer{
			&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(uint8(typ), 0)},
			&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(uint8(typ), 0)},
		} {
			if lt := tc.NextLayerType(); parserLayers[lt] {
				t.Errorf("ICMP type %d leads to %v", typ, lt)
			}
		}
	}
}
