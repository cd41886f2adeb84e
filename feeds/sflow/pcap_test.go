package sflow

import (
	"bytes"
	"encoding/binary"
	"errors"
	"github.com/fleettop/fleettop/internal/sharedtest"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// pcapCapturesDir returns ../shared/captures beside the repository root, skipping the test when it is absent
// (failing under CI=true, where it must be there).
func pcapCapturesDir(t testing.TB) string {
	t.Helper()
	return sharedtest.Dir(t, "captures")
}

// pcapCaptureFiles lists the .pcap files of the shared captures.
func pcapCaptureFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(pcapCapturesDir(t), "*.pcap"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures found: %v", err)
	}
	return files
}

// countClassicFrames walks a little-endian classic pcap's record headers: an independent frame count.
func countClassicFrames(t *testing.T, data []byte) int {
	t.Helper()
	if len(data) < 24 || binary.LittleEndian.Uint32(data) != 0xA1B2C3D4 {
		t.Fatalf("not a little-endian µs classic pcap")
	}
	n := 0
	for off := 24; off < len(data); n++ {
		if len(data)-off < 16 {
			t.Fatalf("truncated record header at %d", off)
		}
		off += 16 + int(binary.LittleEndian.Uint32(data[off+8:]))
	}
	return n
}

// readAllPayloads reads every payload of a capture, copying them.
func readAllPayloads(t *testing.T, data []byte, port int) ([][]byte, []netip.AddrPort, []time.Time, PcapStats) {
	t.Helper()
	r, err := OpenPcap(bytes.NewReader(data), port)
	if err != nil {
		t.Fatalf("OpenPcap: %v", err)
	}
	var payloads [][]byte
	var srcs []netip.AddrPort
	var stamps []time.Time
	for {
		p, src, ts, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next after %d payloads: %v", len(payloads), err)
		}
		payloads = append(payloads, bytes.Clone(p))
		srcs = append(srcs, src)
		stamps = append(stamps, ts)
	}
	return payloads, srcs, stamps, r.Stats()
}

func TestPcapReaderSharedCaptures(t *testing.T) {
	for _, path := range pcapCaptureFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			frames := countClassicFrames(t, data)
			payloads, srcs, stamps, st := readAllPayloads(t, data, DefaultPort)
			// Every frame of these captures is Ethernet/IP/UDP to 6343.
			if len(payloads) != frames || st.Frames != frames || st.Payloads != frames {
				t.Fatalf("payloads %d, stats %+v, want %d frames", len(payloads), st, frames)
			}
			if name == "tcpdump--sflow_multiple_counter_30_pdus.pcap" && frames != 30 {
				t.Fatalf("got %d frames, the capture has 30", frames)
			}
			for i, p := range payloads {
				if len(p) < 4 {
					t.Fatalf("payload %d: %d bytes", i, len(p))
				}
				// sFlow v5, or the NetFlow v5 frames one capture holds (0x0005 then a count).
				if v := binary.BigEndian.Uint32(p); v != Version5 && v>>16 != 5 {
					t.Errorf("payload %d starts with %#x", i, v)
				}
				if !srcs[i].Addr().IsValid() || srcs[i].Port() == 0 {
					t.Errorf("payload %d: source %v", i, srcs[i])
				}
				if stamps[i].Before(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("payload %d: timestamp %v", i, stamps[i])
				}
			}
			// The same capture read for another port yields nothing and counts every frame.
			none, _, _, st := readAllPayloads(t, data, 2055)
			if len(none) != 0 || st.OtherPort != frames {
				t.Fatalf("port 2055: %d payloads, stats %+v", len(none), st)
			}
		})
	}
}

func TestPcapWriterRoundTrip(t *testing.T) {
	type dgram struct {
		payload  []byte
		src, dst netip.AddrPort
		ts       time.Time
	}
	base := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	var in []dgram
	for i, size := range []int{0, 1, 3, 28, 1400, 9000, 65507} {
		p := make([]byte, size)
		for j := range p {
			p[j] = byte(i*31 + j)
		}
		in = append(in, dgram{p, netip.MustParseAddrPort("192.0.2.1:50000"), netip.MustParseAddrPort("127.0.0.1:6343"),
			base.Add(time.Duration(i) * time.Millisecond)})
	}
	in = append(in,
		dgram{[]byte("sflow over v6"), netip.MustParseAddrPort("[2001:db8::1]:40000"),
			netip.MustParseAddrPort("[::1]:6343"), base.Add(time.Second)},
		dgram{[]byte("mapped"), netip.MustParseAddrPort("[::ffff:198.51.100.7]:1234"),
			netip.MustParseAddrPort("127.0.0.1:6343"), base.Add(2 * time.Second)},
		dgram{make([]byte, 65527), netip.MustParseAddrPort("[2001:db8::2]:1"),
			netip.MustParseAddrPort("[::1]:6343"), base.Add(3 * time.Second)},
	)

	var buf bytes.Buffer
	w, err := NewPcapWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range in {
		if err := w.WriteDatagram(d.payload, d.src, d.dst, d.ts); err != nil {
			t.Fatalf("WriteDatagram(%d bytes, %v): %v", len(d.payload), d.src, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteDatagram([]byte{1}, in[0].src, in[0].dst, base); err == nil {
		t.Fatal("write after Close succeeded")
	}
	if got := countClassicFrames(t, buf.Bytes()); got != len(in) {
		t.Fatalf("%d frames written, want %d", got, len(in))
	}

	payloads, srcs, stamps, st := readAllPayloads(t, buf.Bytes(), DefaultPort)
	if len(payloads) != len(in) || st.Payloads != len(in) {
		t.Fatalf("read %d payloads (stats %+v), want %d", len(payloads), st, len(in))
	}
	for i, d := range in {
		if !bytes.Equal(payloads[i], d.payload) {
			t.Errorf("datagram %d: payload differs (%d vs %d bytes)", i, len(payloads[i]), len(d.payload))
		}
		wantSrc := netip.AddrPortFrom(d.src.Addr().Unmap(), d.src.Port())
		if srcs[i] != wantSrc {
			t.Errorf("datagram %d: source %v, want %v", i, srcs[i], wantSrc)
		}
		if !stamps[i].Equal(d.ts.Truncate(time.Microsecond)) {
			t.Errorf("datagram %d: timestamp %v, want %v", i, stamps[i], d.ts)
		}
	}
}

func TestPcapWriterRejects(t *testing.T) {
	w, err := NewPcapWriter(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	v4, v6 := netip.MustParseAddrPort("192.0.2.1:1"), netip.MustParseAddrPort("[2001:db8::1]:1")
	cases := map[string]func() error{
		"mixed families": func() error { return w.WriteDatagram(nil, v4, v6, time.Now()) },
		"invalid source": func() error { return w.WriteDatagram(nil, netip.AddrPort{}, v4, time.Now()) },
		"v4 too large":   func() error { return w.WriteDatagram(make([]byte, 65508), v4, v4, time.Now()) },
		"v6 too large":   func() error { return w.WriteDatagram(make([]byte, 65528), v6, v6, time.Now()) },
	}
	for name, write := range cases {
		if err := write(); !errors.Is(err, errPcapWriter) {
			t.Errorf("%s: err %v, want errPcapWriter", name, err)
		}
	}
}

// TestPcapWriterFrameMatchesGopacket checks the hand-built frames (lengths, checksums) against gopacket's
// serialisation of the same layers.
func TestPcapWriterFrameMatchesGopacket(t *testing.T) {
	for _, tc := range []struct{ src, dst string }{
		{"192.0.2.10:6343", "10.1.2.3:6343"},
		{"[2001:db8::10]:5555", "[2001:db8::20]:6343"},
	} {
		src, dst := netip.MustParseAddrPort(tc.src), netip.MustParseAddrPort(tc.dst)
		for _, size := range []int{0, 1, 7, 100, 1501} {
			payload := make([]byte, size)
			for i := range payload {
				payload[i] = byte(0xA5 ^ i)
			}
			got := appendUDPFrame(nil, payload, src, dst)

			eth := &layers.Ethernet{SrcMAC: net.HardwareAddr(pcapSrcMAC[:]), DstMAC: net.HardwareAddr(pcapDstMAC[:])}
			udp := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
			var ip gopacket.SerializableLayer
			if src.Addr().Is4() {
				eth.EthernetType = layers.EthernetTypeIPv4
				v4 := &layers.IPv4{Version: 4, TTL: 64, Flags: layers.IPv4DontFragment, Protocol: layers.IPProtocolUDP,
					SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
				_ = udp.SetNetworkLayerForChecksum(v4)
				ip = v4
			} else {
				eth.EthernetType = layers.EthernetTypeIPv6
				v6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP,
					SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
				_ = udp.SetNetworkLayerForChecksum(v6)
				ip = v6
			}
			buf := gopacket.NewSerializeBuffer()
			err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
				eth, ip, udp, gopacket.Payload(payload))
			if err != nil {
				t.Fatal(err)
			}
			want := buf.Bytes()
			if len(want) > len(got) { // gopacket pads short Ethernet frames to 60 bytes
				want = want[:len(got)]
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s > %s, %d bytes:\n got % x\nwant % x", src, dst, size, got, want)
			}
		}
	}
}

// classicPcap writes frames as a little-endian µs classic pcap of the given link type (pcapgo's writer cannot
// write link types above 255).
func classicPcap(linkType uint32, frames ...[]byte) []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, 0xA1B2C3D4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint32(b, 65535)
	b = binary.LittleEndian.AppendUint32(b, linkType)
	for i, f := range frames {
		b = binary.LittleEndian.AppendUint32(b, uint32(1700000000+i))
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

// testFrames builds the frames of the link-type tests from one v4 and one v6 Ethernet frame.
type testFrames struct {
	eth4, eth6 []byte // Ethernet frames
	ip4, ip6   []byte // their IP packets
}

func newTestFrames(payload []byte) testFrames {
	f := testFrames{
		eth4: appendUDPFrame(nil, payload, netip.MustParseAddrPort("192.0.2.1:4000"), netip.MustParseAddrPort("192.0.2.2:6343")),
		eth6: appendUDPFrame(nil, payload, netip.MustParseAddrPort("[2001:db8::1]:4000"), netip.MustParseAddrPort("[2001:db8::2]:6343")),
	}
	f.ip4, f.ip6 = f.eth4[14:], f.eth6[14:]
	return f
}

func TestPcapReaderLinkTypesAndSkips(t *testing.T) {
	payload := []byte("sFlow!!!")
	f := newTestFrames(payload)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	sll := func(proto uint16, ip []byte) []byte {
		h := make([]byte, 16)
		binary.BigEndian.PutUint16(h[14:], proto)
		return cat(h, ip)
	}
	sll2 := func(proto uint16, ip []byte) []byte {
		h := make([]byte, 20)
		binary.BigEndian.PutUint16(h[0:], proto)
		return cat(h, ip)
	}
	vlan := func(eth []byte, tpid ...uint16) []byte {
		out := bytes.Clone(eth[:12])
		for _, tp := range tpid {
			out = binary.BigEndian.AppendUint16(out, tp)
			out = binary.BigEndian.AppendUint16(out, 100)
		}
		return cat(out, eth[12:])
	}
	modify := func(b []byte, at int, v byte) []byte { b = bytes.Clone(b); b[at] = v; return b }
	// IPv6 with an 8-byte hop-by-hop header in front of UDP.
	hbh := func() []byte {
		ip := bytes.Clone(f.ip6[:40])
		ip[6] = 0
		binary.BigEndian.PutUint16(ip[4:], binary.BigEndian.Uint16(ip[4:])+8)
		return cat(ip, []byte{17, 0, 1, 4, 0, 0, 0, 0}, f.ip6[40:])
	}()
	padded := cat(f.eth4, make([]byte, 20)) // Ethernet trailer after the IP packet
	v4src := netip.MustParseAddrPort("192.0.2.1:4000")
	v6src := netip.MustParseAddrPort("[2001:db8::1]:4000")

	tests := []struct {
		name     string
		linkType uint32
		frames   [][]byte
		want     []netip.AddrPort // sources of the payloads expected, in order
		stats    PcapStats
	}{
		{"ethernet", 1, [][]byte{f.eth4, f.eth6, padded}, []netip.AddrPort{v4src, v6src, v4src},
			PcapStats{Frames: 3, Payloads: 3}},
		{"802.1Q and QinQ", 1, [][]byte{vlan(f.eth4, 0x8100), vlan(f.eth6, 0x88A8, 0x8100)},
			[]netip.AddrPort{v4src, v6src}, PcapStats{Frames: 2, Payloads: 2}},
		{"linux sll", 113, [][]byte{sll(0x0800, f.ip4), sll(0x86DD, f.ip6), sll(0x0806, make([]byte, 28))},
			[]netip.AddrPort{v4src, v6src}, PcapStats{Frames: 3, Payloads: 2, NotUDP: 1}},
		{"linux sll2", 276, [][]byte{sll2(0x0800, f.ip4), sll2(0x86DD, f.ip6)},
			[]netip.AddrPort{v4src, v6src}, PcapStats{Frames: 2, Payloads: 2}},
		{"raw ip", 101, [][]byte{f.ip4, f.ip6}, []netip.AddrPort{v4src, v6src}, PcapStats{Frames: 2, Payloads: 2}},
		{"ipv4 link type", 228, [][]byte{f.ip4}, []netip.AddrPort{v4src}, PcapStats{Frames: 1, Payloads: 1}},
		{"bsd null", 0, [][]byte{cat([]byte{2, 0, 0, 0}, f.ip4), cat([]byte{30, 0, 0, 0}, f.ip6)},
			[]netip.AddrPort{v4src, v6src}, PcapStats{Frames: 2, Payloads: 2}},
		{"ipv6 hop-by-hop", 101, [][]byte{hbh}, []netip.AddrPort{v6src}, PcapStats{Frames: 1, Payloads: 1}},
		{"skips", 1, [][]byte{
			modify(f.eth4, 14+9, 6),       // TCP
			modify(f.eth4, 12, 0x08),      // ethertype 0x0800 -> still IPv4: control
			modify(f.eth4, 13, 0x06),      // ARP
			modify(f.eth4, 14+6, 0x20),    // IPv4 MF: fragment
			modify(f.eth6, 14+6, 44),      // IPv6 fragment header
			modify(f.eth4, 14+23, 0x44),   // UDP to another port (6343 -> 0x1844)
			f.eth4[:30],                   // cut inside the IP header
			f.eth4[:len(f.eth4)-3],        // cut inside the payload
			modify(f.eth4, 14, 0x75),      // IP version 7
			modify(f.eth4, 14+5+20, 4),    // UDP length 4 (< 8)
			modify(f.eth4, 14+4+20, 0xFF), // UDP length beyond the packet
			f.eth4[:10],                   // not even an Ethernet header
		}, []netip.AddrPort{v4src}, PcapStats{Frames: 12, Payloads: 1, NotUDP: 3, Fragments: 2, OtherPort: 1,
			Truncated: 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			payloads, srcs, stamps, st := readAllPayloads(t, classicPcap(tc.linkType, tc.frames...), DefaultPort)
			if st != tc.stats {
				t.Errorf("stats %+v, want %+v", st, tc.stats)
			}
			if len(srcs) != len(tc.want) {
				t.Fatalf("%d payloads from %v, want %d", len(srcs), srcs, len(tc.want))
			}
			for i := range srcs {
				if srcs[i] != tc.want[i] || !bytes.Equal(payloads[i], payload) {
					t.Errorf("payload %d: %q from %v, want %q from %v", i, payloads[i], srcs[i], payload, tc.want[i])
				}
				if stamps[i].Unix() < 1700000000 {
					t.Errorf("payload %d: timestamp %v", i, stamps[i])
				}
			}
		})
	}
}

func TestPcapReaderAnyPortAndBadFiles(t *testing.T) {
	f := newTestFrames([]byte("x"))
	other := bytes.Clone(f.eth4)
	binary.BigEndian.PutUint16(other[14+22:], 2055)
	payloads, _, _, st := readAllPayloads(t, classicPcap(1, f.eth4, other), AnyPort)
	if len(payloads) != 2 || st.OtherPort != 0 {
		t.Fatalf("AnyPort: %d payloads, stats %+v", len(payloads), st)
	}

	bad := map[string][]byte{
		"empty":            nil,
		"short":            {0xD4, 0xC3},
		"not a capture":    []byte(strings.Repeat("GET / HTTP/1.1\r\n", 4)),
		"unsupported link": classicPcap(105, f.eth4), // 802.11
		"wide link type":   classicPcap(257, f.eth4), // truncates to 1 in 8 bits: must not read as Ethernet
	}
	for name, data := range bad {
		if _, err := OpenPcap(bytes.NewReader(data), DefaultPort); !errors.Is(err, ErrPcap) {
			t.Errorf("%s: err %v, want ErrPcap", name, err)
		}
	}
	if _, err := OpenPcap(bytes.NewReader(classicPcap(1)), 70000); err == nil {
		t.Error("port 70000 accepted")
	}

	// A capture cut inside a record ends with an error, after the whole frames.
	data := classicPcap(1, f.eth4, f.eth4)
	r, err := OpenPcap(bytes.NewReader(data[:len(data)-5]), DefaultPort)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := r.Next(); err != nil {
		t.Fatalf("first frame: %v", err)
	}
	if _, _, _, err := r.Next(); err == nil || errors.Is(err, io.EOF) || !errors.Is(err, ErrPcap) {
		t.Fatalf("cut frame: err %v, want ErrPcap", err)
	}
}

// ngCapture writes frames as pcapng with gopacket's writer: one interface per link type, frame i on interface
// ifaces[i].
func ngCapture(t *testing.T, linkTypes []layers.LinkType, ifaces []int, frames [][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriter(&buf, linkTypes[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, lt := range linkTypes[1:] {
		if _, err := w.AddInterface(pcapgo.NgInterface{LinkType: lt, SnapLength: 0}); err != nil {
			t.Fatal(err)
		}
	}
	for i, fr := range frames {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 5000), CaptureLength: len(fr),
			Length: len(fr), InterfaceIndex: ifaces[i]}
		if err := w.WritePacket(ci, fr); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPcapngReader(t *testing.T) {
	payload := []byte("pcapng payload")
	f := newTestFrames(payload)
	data := ngCapture(t, []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkType(105)},
		[]int{0, 1, 2, 0}, [][]byte{f.eth4, f.ip6, f.eth4, f.eth6})
	payloads, srcs, stamps, st := readAllPayloads(t, data, DefaultPort)
	want := PcapStats{Frames: 4, Payloads: 3, NotUDP: 1} // the 802.11 interface is not read
	if st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
	wantSrc := []string{"192.0.2.1:4000", "[2001:db8::1]:4000", "[2001:db8::1]:4000"}
	for i, p := range payloads {
		if !bytes.Equal(p, payload) || srcs[i].String() != wantSrc[i] {
			t.Errorf("payload %d: %q from %v", i, p, srcs[i])
		}
	}
	if !stamps[0].Equal(time.Unix(1700000000, 5000)) {
		t.Errorf("timestamp %v", stamps[0])
	}
}

// TestPcapngGuard feeds pcapng blocks whose lengths would make pcapgo allocate or skip wildly.
func TestPcapngGuard(t *testing.T) {
	f := newTestFrames([]byte("guarded"))
	good := ngCapture(t, []layers.LinkType{layers.LinkTypeEthernet}, []int{0}, [][]byte{f.eth4})
	// Find the enhanced packet block (type 6) and corrupt its captured length.
	epb := -1
	for off := 0; off+8 <= len(good); off += int(binary.LittleEndian.Uint32(good[off+4:])) {
		if binary.LittleEndian.Uint32(good[off:]) == pcapngBlockEPB {
			epb = off
			break
		}
	}
	if epb < 0 {
		t.Fatal("no EPB in the capture")
	}
	hugeCap := bytes.Clone(good)
	binary.LittleEndian.PutUint32(hugeCap[epb+20:], 0xFFFFFFF0)
	hugeBlock := bytes.Clone(good)
	binary.LittleEndian.PutUint32(hugeBlock[epb+4:], 0x7FFFFFF0)
	for name, data := range map[string][]byte{"captured length": hugeCap, "block length": hugeBlock} {
		r, err := OpenPcap(bytes.NewReader(data), DefaultPort)
		if err != nil {
			continue // refused at open: fine
		}
		if _, _, _, err := r.Next(); err == nil || errors.Is(err, io.EOF) {
			t.Errorf("%s: err %v, want an error", name, err)
		}
	}
}

func FuzzPcapReader(f *testing.F) {
	fr := newTestFrames([]byte("fuzz"))
	f.Add(classicPcap(1, fr.eth4, fr.eth6))
	f.Add(classicPcap(113, append(make([]byte, 16), fr.ip4...)))
	f.Add(classicPcap(276, append(make([]byte, 20), fr.ip6...)))
	f.Add(classicPcap(101, fr.ip4[:20]))
	var ng bytes.Buffer
	if w, err := pcapgo.NewNgWriter(&ng, layers.LinkTypeEthernet); err == nil {
		_ = w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(fr.eth4),
			Length: len(fr.eth4)}, fr.eth4)
		_ = w.Flush()
		f.Add(ng.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := OpenPcap(bytes.NewReader(data), AnyPort)
		if err != nil {
			return
		}
		for i := 0; i < 1000; i++ {
			p, _, _, err := r.Next()
			if err != nil {
				return
			}
			if len(p) > len(data) {
				t.Fatalf("payload of %d bytes from %d bytes of input", len(p), len(data))
			}
		}
	})
}

func BenchmarkPcapReader(b *testing.B) {
	payload := make([]byte, 1400)
	var capture bytes.Buffer
	w, err := NewPcapWriter(&capture)
	if err != nil {
		b.Fatal(err)
	}
	src, dst := netip.MustParseAddrPort("192.0.2.1:5000"), netip.MustParseAddrPort("192.0.2.2:6343")
	for range 1000 {
		if err := w.WriteDatagram(payload, src, dst, time.Unix(1700000000, 0)); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	data := capture.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r, err := OpenPcap(bytes.NewReader(data), DefaultPort)
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, _, _, err := r.Next(); err != nil {
				break
			}
		}
	}
}

func BenchmarkPcapWriter(b *testing.B) {
	payload := make([]byte, 1400)
	w, err := NewPcapWriter(io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	src, dst := netip.MustParseAddrPort("192.0.2.1:5000"), netip.MustParseAddrPort("192.0.2.2:6343")
	ts := time.Unix(1700000000, 0)
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if err := w.WriteDatagram(payload, src, dst, ts); err != nil {
			b.Fatal(err)
		}
	}
}
