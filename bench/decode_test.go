package bench

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	goflow "github.com/netsampler/goflow2/v2/decoders/sflow"
)

// The datagram kinds of the benchmarks, built with fleettop's encoder.
var kinds = []string{"switch", "host", "app"}

// wantSamples is how many samples each kind holds.
var wantSamples = map[string]int{"switch": 6, "host": 1, "app": 6}

// datagram builds one datagram of the kind:
//   - switch: 5 compact flow samples, each a 128-byte Ethernet/IPv4/TCP sampled_header (0:1) and an
//     extended_switch (0:1001), and a counters sample with if_counters (0:1) and ethernet_counters (0:2);
//   - host: one expanded counters sample with what hsflowd sends for a server, 2000 to 2006;
//   - app: 3 http_request (2206) and 3 memcache_operation (2200) flow samples, each with its socket (2100).
func datagram(tb testing.TB, kind string) []byte {
	tb.Helper()
	var d sflow.Datagram
	d.Reset()
	d.AgentAddr = netip.MustParseAddr("192.0.2.10")
	d.SubAgentID, d.SequenceNumber, d.Uptime = 100000, 4242, 86400000
	local, remote := netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("10.0.7.99")
	switch kind {
	case "switch":
		for i := range 5 {
			s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: uint32(1000 + i),
				SourceIDIndex: 17, SamplingRate: 2048, SamplePool: uint32(2048 * (1000 + i)),
				Input: sflow.Interface{Value: 17}, Output: sflow.Interface{Value: uint32(20 + i)}})
			h, err := sflow.BuildSampledHeader(sflow.PacketSpec{
				SrcMAC: [6]byte{0, 0x1b, 0x21, 0, 0, byte(i)}, DstMAC: [6]byte{0, 0x1b, 0x21, 0, 1, 0},
				SrcIP: netip.AddrFrom4([4]byte{10, 1, byte(i), 7}), DstIP: netip.AddrFrom4([4]byte{192, 0, 2, byte(100 + i)}),
				Protocol: 6, SrcPort: uint16(40000 + i), DstPort: 443, TCPFlags: 0x18, TTL: 63, PayloadLen: 1400,
			})
			if err != nil {
				tb.Fatal(err)
			}
			d.AddSampledHeader(s, h)
			d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: 10, DstVLAN: 20})
		}
		s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters, SequenceNumber: 77, SourceIDIndex: 17})
		d.AddIfCounters(s, sflow.IfCounters{Index: 17, Type: 6, Speed: 10e9, Direction: 1, Status: 3,
			InOctets: 123456789012, InUcastPkts: 99999, OutOctets: 98765432109, OutUcastPkts: 88888})
		d.AddEthernetCounters(s, sflow.EthernetCounters{FCSErrors: 2})
	case "host":
		s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters, Expanded: true, SequenceNumber: 9,
			SourceIDClass: sflow.DSClassPhysical, SourceIDIndex: 1})
		d.AddHostDescr(s, sflow.HostDescr{Hostname: []byte("web-042.example.net"),
			UUID: [16]byte{0x4c, 0x4c, 0x45, 0x44, 0, 0x36, 0x10, 0x80}, MachineType: 3, OSName: sflow.OSLinux,
			OSRelease: []byte("6.1.0-18-amd64")})
		var adapters sflow.HostAdapters
		adapters.AddAdapter(2, [6]byte{0x52, 0x54, 0, 0x12, 0x34, 0x56})
		d.AddHostAdapters(s, adapters)
		d.AddHostParent(s, sflow.HostParent{ContainerType: sflow.DSClassPhysical, ContainerIndex: 1})
		d.AddHostCPU(s, sflow.HostCPU{LoadOne: 0.42, LoadFive: 0.5, LoadFifteen: 0.61, ProcRun: 2, ProcTotal: 312,
			CPUNum: 8, CPUSpeed: 2900, Uptime: 864000, User: 9_000_000, System: 2_000_000, Idle: 80_000_000, Len80: true})
		d.AddHostMemory(s, sflow.HostMemory{Total: 32 << 30, Free: 20 << 30, Cached: 8 << 30})
		d.AddHostDiskIO(s, sflow.HostDiskIO{Total: 500 << 30, Free: 200 << 30, PartMaxUsed: 6012, Reads: 1000,
			BytesRead: 1 << 30})
		d.AddHostNetIO(s, sflow.HostNetIO{BytesIn: 1 << 40, PktsIn: 1 << 30, BytesOut: 1 << 39, PktsOut: 1 << 29})
	case "app":
		for i := range 3 {
			s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: uint32(i),
				SourceIDClass: sflow.DSClassLogical, SourceIDIndex: 80, SamplingRate: 100, SamplePool: 300,
				Output: sflow.Interface{Value: sflow.IfIndexInternal}})
			d.AddHTTPRequest(s, sflow.HTTPRequest{Method: sflow.HTTPMethodGet, Protocol: 1001,
				URI: fmt.Appendf(nil, "/api/v1/items/%d?expand=true", i), Host: []byte("shop.example.net"),
				UserAgent: []byte("Mozilla/5.0 (X11; Linux x86_64)"), MimeType: []byte("application/json"),
				ReqBytes: 310, RespBytes: 4096, DurationUS: 2300, Status: 200})
			d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: local, RemoteIP: remote, LocalPort: 80,
				RemotePort: uint32(50000 + i)})
		}
		for i := range 3 {
			s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SequenceNumber: uint32(i),
				SourceIDClass: sflow.DSClassLogical, SourceIDIndex: 11211, SamplingRate: 100, SamplePool: 300,
				Output: sflow.Interface{Value: sflow.IfIndexInternal}})
			d.AddMemcacheOp(s, sflow.MemcacheOp{Protocol: sflow.MemcacheProtoASCII, Cmd: sflow.MemcacheCmdGet,
				Key: fmt.Appendf(nil, "session:%08d", i), NKeys: 1, ValueBytes: 512, DurationUS: 80,
				Status: sflow.MemcacheStatusOK})
			d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: local, RemoteIP: remote, LocalPort: 11211,
				RemotePort: uint32(40000 + i)})
		}
	default:
		tb.Fatalf("unknown kind %q", kind)
	}
	buf, err := sflow.AppendDatagram(nil, &d)
	if err != nil {
		tb.Fatal(err)
	}
	return buf
}

// decoder decodes one datagram and returns its number of samples and a value read from its contents (so that
// nothing is optimised away).
type decoder func(buf []byte) (samples int, sum uint64, err error)

// fleettopDecoder decodes with sflow.Decoder, sampled headers included, and reads the 5-tuples.
func fleettopDecoder() decoder {
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	return func(buf []byte) (int, uint64, error) {
		if err := dec.Decode(buf, &d); err != nil {
			return 0, 0, err
		}
		var sum uint64
		for i := range d.Samples {
			for j := range d.Samples[i].Records {
				r := &d.Samples[i].Records[j]
				sum += uint64(r.Length)
				if h := d.SampledHeader(r); h != nil {
					p := &h.Packet
					sum += uint64(p.SrcPort) + uint64(p.DstPort) + uint64(p.IPProtocol) + uint64(p.DstIP.As4()[3])
				}
			}
		}
		return len(d.Samples), sum, nil
	}
}

// gopacketDecoder decodes with layers.SFlowDatagram, which also decodes each sampled header into a
// gopacket.Packet.
func gopacketDecoder() decoder {
	var dg layers.SFlowDatagram
	return func(buf []byte) (int, uint64, error) {
		dg = layers.SFlowDatagram{}
		if err := dg.DecodeFromBytes(buf, gopacket.NilDecodeFeedback); err != nil {
			return 0, 0, err
		}
		var sum uint64
		for _, s := range dg.FlowSamples {
			for _, r := range s.Records {
				if raw, ok := r.(layers.SFlowRawPacketFlowRecord); ok && raw.Header != nil {
					if tl := raw.Header.TransportLayer(); tl != nil {
						sum += uint64(len(tl.TransportFlow().Src().Raw()))
					}
				}
			}
		}
		return len(dg.FlowSamples) + len(dg.CounterSamples), sum, nil
	}
}

// goflowDecoder decodes with goflow2's decoders/sflow (sampled headers stay raw bytes there; its producer
// parses them later).
func goflowDecoder() decoder {
	return func(buf []byte) (int, uint64, error) {
		var pkt goflow.Packet
		if err := goflow.DecodeMessageVersion(bytes.NewBuffer(buf), &pkt); err != nil {
			return 0, 0, err
		}
		return len(pkt.Samples), uint64(pkt.SequenceNumber), nil
	}
}

var libs = []struct {
	name string
	new  func() decoder
}{
	{"fleettop", fleettopDecoder},
	{"gopacket", gopacketDecoder},
	{"goflow2", goflowDecoder},
}

// sink keeps the benchmark results alive.
var sink uint64

func BenchmarkDecode(b *testing.B) {
	for _, kind := range kinds {
		buf := datagram(b, kind)
		for _, lib := range libs {
			b.Run(fmt.Sprintf("kind=%s/lib=%s", kind, lib.name), func(b *testing.B) {
				decode := lib.new()
				if _, _, err := decode(buf); err != nil {
					b.Skipf("%s cannot decode a %s datagram: %v", lib.name, kind, err)
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(buf)))
				for b.Loop() {
					_, sum, err := decode(buf)
					if err != nil {
						b.Fatal(err)
					}
					sink += sum
				}
			})
		}
	}
}

// TestLibrariesAgreeOnSampleCounts checks that each library decodes every sample of each kind, so that the
// benchmarks compare the same work. A library that rejects a kind is reported as a skip with its error.
func TestLibrariesAgreeOnSampleCounts(t *testing.T) {
	for _, kind := range kinds {
		buf := datagram(t, kind)
		for _, lib := range libs {
			t.Run(fmt.Sprintf("kind=%s/lib=%s", kind, lib.name), func(t *testing.T) {
				n, _, err := lib.new()(buf)
				if err != nil {
					if lib.name == "fleettop" {
						t.Fatalf("fleettop: %v", err)
					}
					t.Skipf("%s rejects the %s datagram: %v", lib.name, kind, err)
				}
				if n != wantSamples[kind] {
					t.Fatalf("%s decoded %d samples, want %d", lib.name, n, wantSamples[kind])
				}
			})
		}
	}
}

// TestSwitchHeadersDecoded checks that the fleettop decoder really reads the sampled headers it is timed on.
func TestSwitchHeadersDecoded(t *testing.T) {
	var d sflow.Datagram
	if err := sflow.NewDecoder().Decode(datagram(t, "switch"), &d); err != nil {
		t.Fatal(err)
	}
	headers := 0
	for i := range d.Samples {
		for j := range d.Samples[i].Records {
			if h := d.SampledHeader(&d.Samples[i].Records[j]); h != nil {
				headers++
				if len(h.Header) != sflow.DefaultHeaderSize || h.Packet.DstPort != 443 || h.Packet.IPProtocol != 6 {
					t.Errorf("header %d: %d bytes, summary %+v", headers, len(h.Header), h.Packet)
				}
			}
		}
	}
	if headers != 5 {
		t.Fatalf("%d sampled headers, want 5", headers)
	}
}
