package sflow

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// TestBuildSampledHeader builds headers, checks them with gopacket, then sends them through the encoder and
// the decoder and checks the PacketSummary it reads back.
func TestBuildSampledHeader(t *testing.T) {
	mac1, mac2 := [6]byte{0, 0x11, 0x22, 0x33, 0x44, 0x55}, [6]byte{0, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE}
	v4a, v4b := netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("192.0.2.200")
	v6a, v6b := netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8:ffff::2")
	tests := []struct {
		name      string
		spec      PacketSpec
		protocol  uint32
		frameLen  uint32 // original frame incl. FCS
		headerLen int
		truncated bool // the header ends inside the IP packet
	}{
		{"ethernet ipv4 tcp, 1 vlan, cut at 128",
			PacketSpec{SrcMAC: mac1, DstMAC: mac2, VLANs: []uint16{42}, Priority: 5, SrcIP: v4a, DstIP: v4b,
				Protocol: 6, SrcPort: 443, DstPort: 51000, TCPFlags: 0x12, TOS: 0x28, TTL: 61, IPID: 777,
				PayloadLen: 1400},
			HeaderProtocolEthernet, 14 + 4 + 20 + 20 + 1400 + 4, 128, true},
		{"ethernet ipv6 udp qinq",
			PacketSpec{SrcMAC: mac1, DstMAC: mac2, VLANs: []uint16{100, 200}, SrcIP: v6a, DstIP: v6b, Protocol: 17,
				SrcPort: 53, DstPort: 40000, TOS: 0xB8, TTL: 7, FlowLabel: 0x12345, PayloadLen: 60, SnapLen: 256},
			HeaderProtocolEthernet, 14 + 8 + 40 + 8 + 60 + 4, 14 + 8 + 40 + 8 + 60, false},
		{"short frame padded to 60",
			PacketSpec{SrcMAC: mac1, DstMAC: mac2, SrcIP: v4a, DstIP: v4b, Protocol: 17, SrcPort: 1, DstPort: 2},
			HeaderProtocolEthernet, 64, 60, false},
		{"raw ipv4 icmp",
			PacketSpec{RawIP: true, SrcIP: v4a, DstIP: v4b, Protocol: 1, ICMPType: 8, ICMPCode: 0, PayloadLen: 56},
			HeaderProtocolIPv4, 20 + 8 + 56, 20 + 8 + 56, false},
		{"raw ipv6 icmpv6",
			PacketSpec{RawIP: true, SrcIP: v6a, DstIP: v6b, Protocol: 58, ICMPType: 128, PayloadLen: 8},
			HeaderProtocolIPv6, 40 + 4 + 8, 40 + 4 + 8, false}, // gopacket's ICMPv6 layer is 4 bytes
		{"tcp cut inside the header",
			PacketSpec{SrcMAC: mac1, DstMAC: mac2, SrcIP: v4a, DstIP: v4b, Protocol: 6, SrcPort: 80, DstPort: 1234,
				TCPFlags: 0x02, SnapLen: 14 + 20 + 8},
			HeaderProtocolEthernet, 14 + 20 + 20 + 6 + 4, 14 + 20 + 8, true},
	}
	dec := NewDecoder()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := BuildSampledHeader(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if h.Protocol != tc.protocol || h.FrameLength != tc.frameLen || len(h.Header) != tc.headerLen {
				t.Fatalf("protocol %d, frame %d, header %d bytes; want %d, %d, %d", h.Protocol, h.FrameLength,
					len(h.Header), tc.protocol, tc.frameLen, tc.headerLen)
			}
			wantStripped := uint32(4)
			if tc.spec.RawIP {
				wantStripped = 0
			}
			if h.Stripped != wantStripped {
				t.Errorf("stripped %d, want %d", h.Stripped, wantStripped)
			}

			// gopacket reads the whole ones back without complaint.
			if !tc.truncated {
				first := gopacket.LayerType(layers.LayerTypeEthernet)
				if tc.spec.RawIP {
					first = layers.LayerTypeIPv4
					if tc.spec.SrcIP.Is6() {
						first = layers.LayerTypeIPv6
					}
				}
				pkt := gopacket.NewPacket(h.Header, first, gopacket.Default)
				if el := pkt.ErrorLayer(); el != nil {
					t.Fatalf("gopacket: %v", el.Error())
				}
				if nl := pkt.NetworkLayer(); nl == nil || nl.NetworkFlow().Src().String() != tc.spec.SrcIP.String() {
					t.Fatalf("gopacket network layer %v", nl)
				}
			}

			var d Datagram
			d.Reset()
			d.AgentAddr = v4a
			d.AddSampledHeader(d.AddSample(Sample{Kind: SampleKindFlow, SamplingRate: 1}), h)
			buf, err := AppendDatagram(nil, &d)
			if err != nil {
				t.Fatal(err)
			}
			var got Datagram
			if err := dec.Decode(buf, &got); err != nil {
				t.Fatal(err)
			}
			sum := got.SampledHeader(&got.Samples[0].Records[0]).Packet
			p := tc.spec
			if !sum.Decoded || sum.Truncated != tc.truncated || sum.SrcIP != p.SrcIP || sum.DstIP != p.DstIP ||
				sum.IPProtocol != p.Protocol || sum.TOS != p.TOS {
				t.Fatalf("summary %+v", sum)
			}
			if p.Protocol == 6 || p.Protocol == 17 {
				if sum.SrcPort != p.SrcPort || sum.DstPort != p.DstPort {
					t.Errorf("ports %d > %d, want %d > %d", sum.SrcPort, sum.DstPort, p.SrcPort, p.DstPort)
				}
			}
			if p.Protocol == 6 && len(h.Header) >= 14+len(p.VLANs)*4+20+14 && sum.TCPFlags != p.TCPFlags {
				t.Errorf("tcp flags %#x, want %#x", sum.TCPFlags, p.TCPFlags)
			}
			if p.Protocol == 1 || p.Protocol == 58 {
				if sum.ICMPType != p.ICMPType || sum.ICMPCode != p.ICMPCode {
					t.Errorf("icmp %d/%d, want %d/%d", sum.ICMPType, sum.ICMPCode, p.ICMPType, p.ICMPCode)
				}
			}
			if !p.RawIP {
				if !sum.HasMAC || sum.SrcMAC != p.SrcMAC || sum.DstMAC != p.DstMAC {
					t.Errorf("MACs %x > %x", sum.SrcMAC, sum.DstMAC)
				}
				if int(sum.NumVLANs) != len(p.VLANs) || (len(p.VLANs) > 0 && sum.VLANs[0] != p.VLANs[0]) ||
					(len(p.VLANs) > 0 && sum.Priority != p.Priority) {
					t.Errorf("VLANs %v (%d) prio %d, want %v prio %d", sum.VLANs, sum.NumVLANs, sum.Priority, p.VLANs,
						p.Priority)
				}
			}
			if p.SrcIP.Is6() && sum.FlowLabel != p.FlowLabel {
				t.Errorf("flow label %#x, want %#x", sum.FlowLabel, p.FlowLabel)
			}
		})
	}
}

func TestBuildSampledHeaderRejects(t *testing.T) {
	v4, v6 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("2001:db8::1")
	for name, p := range map[string]PacketSpec{
		"no addresses":    {},
		"mixed families":  {SrcIP: v4, DstIP: v6},
		"three vlan tags": {SrcIP: v4, DstIP: v4, VLANs: []uint16{1, 2, 3}},
		"huge payload":    {SrcIP: v4, DstIP: v4, PayloadLen: 70000},
		"negative":        {SrcIP: v4, DstIP: v4, PayloadLen: -1},
	} {
		if _, err := BuildSampledHeader(p); !errors.Is(err, errPacketSpec) {
			t.Errorf("%s: err %v, want errPacketSpec", name, err)
		}
	}
}
