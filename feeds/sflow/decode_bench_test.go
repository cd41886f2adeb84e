package sflow

import (
	"fmt"
	"testing"
)

// dxSwitchDatagram is what a switch sends: 5 flow samples with 128-byte Ethernet/IPv4/TCP headers and
// extended_switch, and a counters sample with if_counters and ethernet_counters.
func dxSwitchDatagram(tb testing.TB) []byte {
	hdr := dxEthIPv4TCPHeader(tb, 128)
	var samples [][]byte
	for i := range uint32(5) {
		samples = append(samples, dxFlowSample(1000+i, 3, 2048, 2048*(1000+i), 0, 3, 7,
			dxRecord(0, FlowSampledHeader, dxBytes(func(x *dxBuf) { x.u32(HeaderProtocolEthernet, 1518, 4).opaque(hdr) })),
			dxRecord(0, FlowExtSwitch, dxBytes(func(x *dxBuf) { x.u32(10, 0, 10, 0) }))))
	}
	samples = append(samples, dxCounterSample(77, 3,
		dxRecord(0, CounterGenericInterface, make([]byte, 88)),
		dxRecord(0, CounterEthernet, make([]byte, 52))))
	return dxDatagram("192.0.2.10", 0, 12345, 99999, samples...)
}

// dxHostDatagram is hsflowd's periodic host counters: 2000-2006 for the physical host.
func dxHostDatagram() []byte {
	return dxDatagram("192.0.2.20", 100000, 500, 1234567,
		dxCounterSampleExpanded(500, 2, 1,
			dxRecord(0, CounterHostDescr, dxBytes(func(x *dxBuf) {
				x.str("web-42.example.net").raw(make([]byte, 16)).u32(3, OSLinux).str("6.8.0-49-generic")
			})),
			dxRecord(0, CounterHostAdapters, dxBytes(func(x *dxBuf) { x.u32(2, 2, 1).mac(dxMAC1).u32(3, 1).mac(dxMAC2) })),
			dxRecord(0, CounterHostParent, make([]byte, 8)),
			dxRecord(0, CounterHostCPU, make([]byte, 80)),
			dxRecord(0, CounterHostMemory, make([]byte, 72)),
			dxRecord(0, CounterHostDiskIO, make([]byte, 52)),
			dxRecord(0, CounterHostNetIO, make([]byte, 40))))
}

// dxAppDatagram is application flow samples: 4 HTTP requests (2206) and 4 memcache operations (2200), each
// with its socket record.
func dxAppDatagram() []byte {
	var samples [][]byte
	for i := range uint32(4) {
		samples = append(samples, dxFlowSample(i, 3<<24|80, 100, 100*i, 0, 0, 0x3FFFFFFF,
			dxRecord(0, FlowHTTPRequest, dxBytes(func(x *dxBuf) {
				x.u32(HTTPMethodGet, 1001).str(fmt.Sprintf("/api/v1/items/%d?expand=owner", i)).str("shop.example.com")
				x.str("https://shop.example.com/").str("Mozilla/5.0 (X11; Linux x86_64)").str("").str("")
				x.str("application/json").u64(312, 5120).u32(2300, 200)
			})),
			dxRecord(0, FlowExtSocketIPv4, dxBytes(func(x *dxBuf) { x.u32(6).ip("10.0.0.5").ip("10.0.9.9").u32(80, 40000+i) }))))
		samples = append(samples, dxFlowSample(i, 3<<24|65537, 100, 100*i, 0, 0, 0x3FFFFFFF,
			dxRecord(0, FlowMemcacheOperation, dxBytes(func(x *dxBuf) {
				x.u32(MemcacheProtoASCII, MemcacheCmdGet).str(fmt.Sprintf("session:%08d", i)).u32(1, 800, 95, MemcacheStatusOK)
			})),
			dxRecord(0, FlowExtSocketIPv6, dxBytes(func(x *dxBuf) {
				x.u32(6).ip("2001:db8::5").ip("2001:db8::9").u32(11211, 50000+i)
			}))))
	}
	return dxDatagram("192.0.2.30", 0, 77, 4242, samples...)
}

func dxBenchDecode(b *testing.B, dec *Decoder, buf []byte) {
	var d Datagram
	if err := dec.Decode(buf, &d); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if err := dec.Decode(buf, &d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeSwitch decodes a switch datagram with its sampled headers summarised as Decode does (the
// fast path), by the gopacket path alone, or not at all.
func BenchmarkDecodeSwitch(b *testing.B) {
	buf := dxSwitchDatagram(b)
	for _, headers := range []string{"fast", "gopacket", "off"} {
		b.Run("headers="+headers, func(b *testing.B) {
			dec := NewDecoder()
			dec.SetDecodeHeaders(headers != "off")
			dec.hdr.gopacketOnly = headers == "gopacket"
			dxBenchDecode(b, dec, buf)
		})
	}
}

func BenchmarkDecodeHost(b *testing.B) { dxBenchDecode(b, NewDecoder(), dxHostDatagram()) }
func BenchmarkDecodeApp(b *testing.B)  { dxBenchDecode(b, NewDecoder(), dxAppDatagram()) }

// BenchmarkHeaderSummary summarises one 128-byte Ethernet/IPv4/TCP header.
func BenchmarkHeaderSummary(b *testing.B) {
	hdr := dxEthIPv4TCPHeader(b, 128)
	for _, path := range []string{"fast", "gopacket"} {
		b.Run("headers="+path, func(b *testing.B) {
			var h headerDecoder
			h.init()
			h.gopacketOnly = path == "gopacket"
			var s PacketSummary
			b.ReportAllocs()
			for b.Loop() {
				s = PacketSummary{}
				h.decode(HeaderProtocolEthernet, hdr, &s)
			}
			if s.DstPort != 51234 {
				b.Fatalf("summary %+v", s)
			}
		})
	}
}

// BenchmarkDecodeCaptures decodes every datagram of the shared captures in turn.
func BenchmarkDecodeCaptures(b *testing.B) {
	shared := dxSharedDir(b)
	var all [][]byte
	size := 0
	for _, f := range dxCaptures(b, shared) {
		for _, buf := range dxCaptureDatagrams(b, f) {
			all = append(all, buf)
			size += len(buf)
		}
	}
	dec := NewDecoder()
	var d Datagram
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, buf := range all {
			_ = dec.Decode(buf, &d)
		}
	}
}
