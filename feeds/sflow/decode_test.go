package sflow

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/fleettop/fleettop/internal/sharedtest"
	"io"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// ---------------------------------------------------------------- a tiny XDR builder for hand-made vectors

// dxBuf appends XDR fields; it is independent of encode.go on purpose, so that the decoder is checked against
// the specification as written here, not against the encoder's reading of it.
type dxBuf struct{ b []byte }

func (x *dxBuf) u32(vs ...uint32) *dxBuf {
	for _, v := range vs {
		x.b = binary.BigEndian.AppendUint32(x.b, v)
	}
	return x
}

func (x *dxBuf) u64(vs ...uint64) *dxBuf {
	for _, v := range vs {
		x.b = binary.BigEndian.AppendUint64(x.b, v)
	}
	return x
}

func (x *dxBuf) raw(p []byte) *dxBuf { x.b = append(x.b, p...); return x }

func (x *dxBuf) pad() *dxBuf {
	for len(x.b)%4 != 0 {
		x.b = append(x.b, 0)
	}
	return x
}

func (x *dxBuf) opaque(p []byte) *dxBuf { return x.u32(uint32(len(p))).raw(p).pad() }
func (x *dxBuf) str(s string) *dxBuf    { return x.opaque([]byte(s)) }
func (x *dxBuf) mac(m [6]byte) *dxBuf   { return x.raw(m[:]).raw([]byte{0, 0}) }

func (x *dxBuf) ip(s string) *dxBuf {
	a := netip.MustParseAddr(s)
	return x.raw(a.AsSlice())
}

// addr appends an address union.
func (x *dxBuf) addr(s string) *dxBuf {
	a := netip.MustParseAddr(s)
	if a.Is4() {
		return x.u32(AddressIPv4).raw(a.AsSlice())
	}
	return x.u32(AddressIPv6).raw(a.AsSlice())
}

func dxBytes(f func(x *dxBuf)) []byte {
	var x dxBuf
	f(&x)
	return x.b
}

// dxRecord frames a flow or counter record: data_format, length, body, padding.
func dxRecord(enterprise, format uint32, body []byte) []byte {
	var x dxBuf
	x.u32(enterprise<<12|format, uint32(len(body))).raw(body).pad()
	return x.b
}

func dxFramedSample(format uint32, header []byte, recs [][]byte) []byte {
	var body dxBuf
	body.raw(header).u32(uint32(len(recs)))
	for _, r := range recs {
		body.raw(r)
	}
	var x dxBuf
	x.u32(format, uint32(len(body.b))).raw(body.b)
	return x.b
}

// dxFlowSample is a compact flow_sample (0:1).
func dxFlowSample(seq, sourceID, rate, pool, drops, input, output uint32, recs ...[]byte) []byte {
	return dxFramedSample(SampleFlow, dxBytes(func(x *dxBuf) { x.u32(seq, sourceID, rate, pool, drops, input, output) }), recs)
}

// dxFlowSampleExpanded is a flow_sample_expanded (0:3).
func dxFlowSampleExpanded(seq, class, index, rate, pool, drops, inFmt, inVal, outFmt, outVal uint32, recs ...[]byte) []byte {
	return dxFramedSample(SampleFlowExpanded, dxBytes(func(x *dxBuf) {
		x.u32(seq, class, index, rate, pool, drops, inFmt, inVal, outFmt, outVal)
	}), recs)
}

// dxCounterSample is a compact counters_sample (0:2).
func dxCounterSample(seq, sourceID uint32, recs ...[]byte) []byte {
	return dxFramedSample(SampleCounters, dxBytes(func(x *dxBuf) { x.u32(seq, sourceID) }), recs)
}

// dxCounterSampleExpanded is a counters_sample_expanded (0:4).
func dxCounterSampleExpanded(seq, class, index uint32, recs ...[]byte) []byte {
	return dxFramedSample(SampleCountersExpand, dxBytes(func(x *dxBuf) { x.u32(seq, class, index) }), recs)
}

// dxDiscardSample is a discarded_packet sample (0:5).
func dxDiscardSample(seq, class, index, drops, input, output, reason uint32, recs ...[]byte) []byte {
	return dxFramedSample(SampleDiscardedPacket, dxBytes(func(x *dxBuf) {
		x.u32(seq, class, index, drops, input, output, reason)
	}), recs)
}

// dxDatagram is a sample_datagram_v5 holding the given samples.
func dxDatagram(agent string, subAgent, seq, uptime uint32, samples ...[]byte) []byte {
	var x dxBuf
	x.u32(Version5).addr(agent).u32(subAgent, seq, uptime, uint32(len(samples)))
	for _, s := range samples {
		x.raw(s)
	}
	return x.b
}

// dxDecode decodes buf with a fresh Decoder and fails the test on an error.
func dxDecode(t testing.TB, buf []byte) *Datagram {
	t.Helper()
	var d Datagram
	if err := NewDecoder().Decode(buf, &d); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return &d
}

// dxOnlyRecord decodes a datagram of one sample with one record and returns the record.
func dxOnlyRecord(t testing.TB, buf []byte) (*Datagram, *Record) {
	t.Helper()
	d := dxDecode(t, buf)
	if len(d.Samples) != 1 || len(d.Samples[0].Records) != 1 {
		t.Fatalf("want 1 sample with 1 record, got %d samples", len(d.Samples))
	}
	return d, &d.Samples[0].Records[0]
}

func dxFlowDatagram(recs ...[]byte) []byte {
	return dxDatagram("192.0.2.1", 0, 1, 1000, dxFlowSample(7, 17, 400, 4000, 0, 3, 5, recs...))
}

func dxCounterDatagram(recs ...[]byte) []byte {
	return dxDatagram("192.0.2.1", 100000, 1, 1000, dxCounterSample(9, 2<<24|1, recs...))
}

// dxDecodeErr decodes buf and returns the datagram and the *DecodeError that Decode returned (nil if none).
func dxDecodeErr(t testing.TB, buf []byte) (*Datagram, *DecodeError) {
	t.Helper()
	var d Datagram
	err := NewDecoder().Decode(buf, &d)
	if err == nil {
		if len(d.Errors) != 0 {
			t.Fatalf("Decode returned nil but d.Errors = %v", d.Errors)
		}
		return &d, nil
	}
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("Decode error %v (%T) is not a *DecodeError", err, err)
	}
	if len(d.Errors) == 0 || de != &d.Errors[0] {
		t.Fatalf("Decode's error is not d.Errors[0]")
	}
	return &d, de
}

// ---------------------------------------------------------------- datagram header

func TestDecodeDatagramHeader(t *testing.T) {
	tests := []struct {
		name  string
		agent string
	}{
		{"IPv4 agent", "192.0.2.1"},
		{"IPv6 agent", "2001:db8::1"},
		{"IPv4-mapped IPv6 agent stays IPv6", "::ffff:192.0.2.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dxDecode(t, dxDatagram(tt.agent, 100001, 0xFFFFFFFE, 123456))
			if d.Version != 5 || d.AgentAddr != netip.MustParseAddr(tt.agent) || d.SubAgentID != 100001 ||
				d.SequenceNumber != 0xFFFFFFFE || d.Uptime != 123456 || d.NumSamples != 0 || len(d.Samples) != 0 {
				t.Errorf("header = %+v", d)
			}
		})
	}
}

func TestDecodeDatagramErrors(t *testing.T) {
	valid := dxDatagram("192.0.2.1", 0, 1, 1, dxCounterSample(1, 1))
	netflow := dxBytes(func(x *dxBuf) { x.u32(0x00050001, 0x9ae72b16, 0x4d966a2b, 0, 0xae66ae, 0) })
	tests := []struct {
		name    string
		buf     []byte
		want    error
		version uint32
	}{
		{"empty", nil, ErrTruncated, 0},
		{"3 bytes", valid[:3], ErrTruncated, 0},
		{"NetFlow v5 on 6343", netflow, ErrBadVersion, 0x00050001},
		{"sFlow v4", dxBytes(func(x *dxBuf) { x.u32(4, 1, 0xc0000201, 0, 1, 1, 0) }), ErrBadVersion, 4},
		{"agent address type 0", dxBytes(func(x *dxBuf) { x.u32(5, 0, 0, 1, 1, 0) }), ErrBadAddress, 5},
		{"agent address type 3", dxBytes(func(x *dxBuf) { x.u32(5, 3, 0, 0, 0, 0, 1, 1, 0) }), ErrBadAddress, 5},
		{"IPv4 address cut", valid[:10], ErrTruncated, 5},
		{"IPv6 address cut", dxDatagram("2001:db8::1", 0, 1, 1)[:20], ErrTruncated, 5},
		{"header cut before num_samples", valid[:24], ErrTruncated, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, de := dxDecodeErr(t, tt.buf)
			if de == nil {
				t.Fatal("no error")
			}
			if !errors.Is(de, tt.want) || de.Format != "datagram" {
				t.Errorf("error = %v (format %q), want %v on the datagram", de, de.Format, tt.want)
			}
			if len(d.Samples) != 0 || len(d.Errors) != 1 || d.Version != tt.version {
				t.Errorf("samples %d, errors %d, version %#x", len(d.Samples), len(d.Errors), d.Version)
			}
			if de.Error() == "" || !bytes.Contains([]byte(de.Error()), []byte("datagram")) {
				t.Errorf("message %q does not say what failed", de.Error())
			}
		})
	}
}

// ---------------------------------------------------------------- sample headers

func TestDecodeSampleHeaders(t *testing.T) {
	tests := []struct {
		name   string
		sample []byte
		want   Sample
	}{
		{
			name:   "compact flow, plain ports",
			sample: dxFlowSample(11, 0<<24|17, 400, 123456, 3, 5, 7),
			want: Sample{Kind: SampleKindFlow, Format: 1, SequenceNumber: 11, SourceIDIndex: 17, SamplingRate: 400,
				SamplePool: 123456, Drops: 3, Input: Interface{Value: 5}, Output: Interface{Value: 7}},
		},
		{
			name:   "compact flow, internal input, discarded output (errata ACL example)",
			sample: dxFlowSample(1, 1<<24|0xABCDEF, 1, 1, 0, 0x3FFFFFFF, 0x40000102),
			want: Sample{Kind: SampleKindFlow, Format: 1, SequenceNumber: 1, SourceIDClass: 1, SourceIDIndex: 0xABCDEF,
				SamplingRate: 1, SamplePool: 1, Input: Interface{Value: IfIndexInternal},
				Output: Interface{Format: IfFormatDiscarded, Value: 0x102}},
		},
		{
			name:   "compact flow, multiple outputs",
			sample: dxFlowSample(1, 3<<24|0xFFFFFF, 1, 1, 0, 1, 0x80000003),
			want: Sample{Kind: SampleKindFlow, Format: 1, SequenceNumber: 1, SourceIDClass: 3, SourceIDIndex: 0xFFFFFF,
				SamplingRate: 1, SamplePool: 1, Input: Interface{Value: 1},
				Output: Interface{Format: IfFormatMultiple, Value: 3}},
		},
		{
			name:   "expanded flow, 32-bit ifIndex",
			sample: dxFlowSampleExpanded(5, 0, 369098852, 2048, 99, 1, 0, 369098852, 2, 0),
			want: Sample{Kind: SampleKindFlow, Format: 3, Expanded: true, SequenceNumber: 5, SourceIDIndex: 369098852,
				SamplingRate: 2048, SamplePool: 99, Drops: 1, Input: Interface{Value: 369098852},
				Output: Interface{Format: 2, Value: 0}},
		},
		{
			name:   "compact counters",
			sample: dxCounterSample(23, 2<<24|1),
			want:   Sample{Kind: SampleKindCounters, Format: 2, SequenceNumber: 23, SourceIDClass: 2, SourceIDIndex: 1},
		},
		{
			name:   "expanded counters",
			sample: dxCounterSampleExpanded(24, 3, 150001),
			want: Sample{Kind: SampleKindCounters, Format: 4, Expanded: true, SequenceNumber: 24, SourceIDClass: 3,
				SourceIDIndex: 150001},
		},
		{
			name:   "discard",
			sample: dxDiscardSample(17145, 0, 2, 1799, 2, 0, 289),
			want: Sample{Kind: SampleKindDiscard, Format: 5, Expanded: true, SequenceNumber: 17145, SourceIDIndex: 2,
				Drops: 1799, Input: Interface{Value: 2}, DropReason: 289},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := dxDatagram("192.0.2.1", 0, 1, 1, tt.sample)
			d := dxDecode(t, buf)
			if len(d.Samples) != 1 {
				t.Fatalf("%d samples", len(d.Samples))
			}
			got := d.Samples[0]
			if got.Offset != 28 || got.Length != uint32(len(tt.sample)-8) || !bytes.Equal(got.Data, tt.sample[8:]) {
				t.Errorf("framing: offset %d length %d", got.Offset, got.Length)
			}
			if len(got.Records) != 0 || got.NumRecords != 0 || got.Err != nil {
				t.Errorf("records %d / %d, err %v", len(got.Records), got.NumRecords, got.Err)
			}
			got.Offset, got.Length, got.Data, got.Records, got.recStart, got.recEnd = 0, 0, nil, nil, 0, 0
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("sample\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// ---------------------------------------------------------------- flow records

var (
	dxMAC1 = [6]byte{0x00, 0x17, 0x08, 0x7d, 0x77, 0x42}
	dxMAC2 = [6]byte{0x30, 0xe4, 0xdb, 0x3e, 0x33, 0x7f}
)

func dxCheck(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func dxCheckBytes(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if string(got) != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func TestDecodeFlowRecords(t *testing.T) {
	tcpHeader := dxEthIPv4TCPHeader(t, 128)
	tests := []struct {
		name   string
		format uint32
		body   []byte
		typ    RecordType
		check  func(t *testing.T, d *Datagram, r *Record)
	}{
		{"sampled_header", FlowSampledHeader,
			dxBytes(func(x *dxBuf) { x.u32(HeaderProtocolEthernet, 1518, 4).opaque(tcpHeader) }), RecSampledHeader,
			func(t *testing.T, d *Datagram, r *Record) {
				v := d.SampledHeader(r)
				dxCheck(t, "protocol", v.Protocol, uint32(1))
				dxCheck(t, "frame length", v.FrameLength, uint32(1518))
				dxCheck(t, "stripped", v.Stripped, uint32(4))
				dxCheck(t, "header", string(v.Header), string(tcpHeader))
				dxCheck(t, "decoded", v.Packet.Decoded, true)
				dxCheck(t, "src port", v.Packet.SrcPort, uint16(443))
			}},
		{"sampled_ethernet", FlowSampledEthernet,
			dxBytes(func(x *dxBuf) { x.u32(1522).mac(dxMAC1).mac(dxMAC2).u32(0x0800) }), RecSampledEthernet,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.SampledEthernet(r), SampledEthernet{Length: 1522, SrcMAC: dxMAC1, DstMAC: dxMAC2, Type: 0x0800})
			}},
		{"extended_L2_tunnel_ingress as sampled_ethernet", FlowExtL2TunnelIngress,
			dxBytes(func(x *dxBuf) { x.u32(64).mac(dxMAC2).mac(dxMAC1).u32(0x86dd) }), RecSampledEthernet,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.SampledEthernet(r), SampledEthernet{Length: 64, SrcMAC: dxMAC2, DstMAC: dxMAC1, Type: 0x86dd})
				dxCheck(t, "format", r.Format, uint32(FlowExtL2TunnelIngress))
			}},
		{"sampled_ipv4", FlowSampledIPv4,
			dxBytes(func(x *dxBuf) { x.u32(1500, 6).ip("10.0.0.1").ip("10.0.0.2").u32(33000, 80, 0x18, 0xb8) }),
			RecSampledIPv4, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.SampledIPv4(r), SampledIP{Length: 1500, Protocol: 6,
					SrcIP: netip.MustParseAddr("10.0.0.1"), DstIP: netip.MustParseAddr("10.0.0.2"),
					SrcPort: 33000, DstPort: 80, TCPFlags: 0x18, Priority: 0xb8})
			}},
		{"extended_ipv4_tunnel_egress as sampled_ipv4", FlowExtIPv4TunnelEgr,
			dxBytes(func(x *dxBuf) { x.u32(84, 17).ip("192.0.2.9").ip("198.51.100.7").u32(4789, 4789, 0, 0) }),
			RecSampledIPv4, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "dst", d.SampledIPv4(r).DstIP, netip.MustParseAddr("198.51.100.7"))
				dxCheck(t, "format", r.Format, uint32(FlowExtIPv4TunnelEgr))
			}},
		{"sampled_ipv6", FlowSampledIPv6,
			dxBytes(func(x *dxBuf) { x.u32(1280, 17).ip("2001:db8::1").ip("2001:db8::2").u32(53, 5353, 0, 3) }),
			RecSampledIPv6, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.SampledIPv6(r), SampledIP{Length: 1280, Protocol: 17,
					SrcIP: netip.MustParseAddr("2001:db8::1"), DstIP: netip.MustParseAddr("2001:db8::2"),
					SrcPort: 53, DstPort: 5353, Priority: 3})
			}},
		{"extended_ipv6_tunnel_ingress as sampled_ipv6", FlowExtIPv6TunnelIngr,
			dxBytes(func(x *dxBuf) { x.u32(1, 41).ip("2001:db8::a").ip("2001:db8::b").u32(0, 0, 0, 0) }),
			RecSampledIPv6, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "src", d.SampledIPv6(r).SrcIP, netip.MustParseAddr("2001:db8::a"))
			}},
		{"extended_switch", FlowExtSwitch, dxBytes(func(x *dxBuf) { x.u32(10, 1, 20, 0xFFFFFFFF) }), RecExtSwitch,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.ExtSwitch(r), ExtSwitch{SrcVLAN: 10, SrcPriority: 1, DstVLAN: 20, DstPriority: 0xFFFFFFFF})
			}},
		{"extended_router IPv4", FlowExtRouter, dxBytes(func(x *dxBuf) { x.addr("45.90.161.46").u32(24, 16) }), RecExtRouter,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.ExtRouter(r), ExtRouter{NextHop: netip.MustParseAddr("45.90.161.46"), SrcMaskLen: 24, DstMaskLen: 16})
			}},
		{"extended_router IPv6", FlowExtRouter, dxBytes(func(x *dxBuf) { x.addr("2001:db8::fe").u32(64, 48) }), RecExtRouter,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.ExtRouter(r), ExtRouter{NextHop: netip.MustParseAddr("2001:db8::fe"), SrcMaskLen: 64, DstMaskLen: 48})
			}},
		{"extended_router unknown next hop", FlowExtRouter, dxBytes(func(x *dxBuf) { x.u32(AddressUnknown, 8, 9) }), RecExtRouter,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.ExtRouter(r), ExtRouter{SrcMaskLen: 8, DstMaskLen: 9})
			}},
		{"extended_gateway", FlowExtGateway, dxBytes(func(x *dxBuf) {
			x.addr("31.14.69.110").u32(39421, 13335, 203698)
			x.u32(2)                              // segments
			x.u32(2, 3, 203698, 6762, 26615)      // AS_SEQUENCE
			x.u32(1, 2, 64512, 64513)             // AS_SET
			x.u32(2, 2583495656, 4259880000, 100) // 2 communities, localpref
		}), RecExtGateway, func(t *testing.T, d *Datagram, r *Record) {
			g := d.ExtGateway(r)
			dxCheck(t, "next hop", g.NextHop, netip.MustParseAddr("31.14.69.110"))
			dxCheck(t, "AS", g.AS, uint32(39421))
			dxCheck(t, "src AS", g.SrcAS, uint32(13335))
			dxCheck(t, "src peer AS", g.SrcPeerAS, uint32(203698))
			dxCheck(t, "segments", g.NumSegments, uint32(2))
			dxCheck(t, "path bytes", len(g.ASPathRaw), 4*(2+3+2+2))
			dxCheck(t, "communities", g.NumCommunity, uint32(2))
			dxCheck(t, "community 0", g.Community(0), uint32(2583495656))
			dxCheck(t, "community 1", g.Community(1), uint32(4259880000))
			dxCheck(t, "local pref", g.LocalPref, uint32(100))
			dxCheck(t, "dst AS", g.DstAS(), uint32(64513))
			dxCheck(t, "dst peer AS", g.DstPeerAS(), uint32(203698))
		}},
		{"extended_gateway empty path", FlowExtGateway, dxBytes(func(x *dxBuf) {
			x.addr("0.0.0.0").u32(39421, 13335, 203698, 0, 0, 0)
		}), RecExtGateway, func(t *testing.T, d *Datagram, r *Record) {
			g := d.ExtGateway(r)
			dxCheck(t, "segments", g.NumSegments, uint32(0))
			dxCheck(t, "dst AS", g.DstAS(), uint32(0))
			dxCheck(t, "community 0 (absent)", g.Community(0), uint32(0))
		}},
		{"extended_user", FlowExtUser, dxBytes(func(x *dxBuf) { x.u32(106).str("alice").u32(0).str("") }), RecExtUser,
			func(t *testing.T, d *Datagram, r *Record) {
				u := d.ExtUser(r)
				dxCheck(t, "src charset", u.SrcCharset, uint32(106))
				dxCheckBytes(t, "src user", u.SrcUser, "alice")
				dxCheck(t, "dst charset", u.DstCharset, uint32(0))
				dxCheckBytes(t, "dst user", u.DstUser, "")
			}},
		{"extended_url", FlowExtURL, dxBytes(func(x *dxBuf) { x.u32(1).str("http://www.sflow.org").str("host1.sflow.org") }),
			RecExtURL, func(t *testing.T, d *Datagram, r *Record) {
				u := d.ExtURL(r)
				dxCheck(t, "direction", u.Direction, uint32(1))
				dxCheckBytes(t, "url", u.URL, "http://www.sflow.org")
				dxCheckBytes(t, "host", u.Host, "host1.sflow.org")
			}},
		{"extended_decap_egress", FlowExtDecapEgress, dxBytes(func(x *dxBuf) { x.u32(14) }), RecU32,
			func(t *testing.T, d *Datagram, r *Record) { dxCheck(t, "value", d.U32(r).Value, uint32(14)) }},
		{"extended_vni_ingress", FlowExtVNIIngress, dxBytes(func(x *dxBuf) { x.u32(0xABCDEF) }), RecU32,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", d.U32(r).Value, uint32(0xABCDEF))
				dxCheck(t, "format", r.Format, uint32(FlowExtVNIIngress))
			}},
		{"egress_queue", FlowEgressQueue, dxBytes(func(x *dxBuf) { x.u32(42) }), RecU32,
			func(t *testing.T, d *Datagram, r *Record) { dxCheck(t, "value", d.U32(r).Value, uint32(42)) }},
		{"transit_delay", FlowTransitDelay, dxBytes(func(x *dxBuf) { x.u32(123456) }), RecU32,
			func(t *testing.T, d *Datagram, r *Record) { dxCheck(t, "value", d.U32(r).Value, uint32(123456)) }},
		{"queue_depth", FlowQueueDepth, dxBytes(func(x *dxBuf) { x.u32(65536) }), RecU32,
			func(t *testing.T, d *Datagram, r *Record) { dxCheck(t, "value", d.U32(r).Value, uint32(65536)) }},
		{"extended_acl", FlowExtACL, dxBytes(func(x *dxBuf) { x.u32(7).str("deny-telnet").u32(2) }), RecExtACL,
			func(t *testing.T, d *Datagram, r *Record) {
				a := d.ExtACL(r)
				dxCheck(t, "number", a.Number, uint32(7))
				dxCheckBytes(t, "name", a.Name, "deny-telnet")
				dxCheck(t, "direction", a.Direction, uint32(2))
			}},
		{"extended_function", FlowExtFunction, dxBytes(func(x *dxBuf) { x.str("__udp4_lib_rcv+0xbed/0xd90") }), RecString,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheckBytes(t, "symbol", d.String(r).Value, "__udp4_lib_rcv+0xbed/0xd90")
			}},
		{"linux_drop_reason", FlowLinuxDropReason, dxBytes(func(x *dxBuf) { x.str("NOT_SPECIFIED") }), RecString,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheckBytes(t, "reason", d.String(r).Value, "NOT_SPECIFIED")
				dxCheck(t, "format", r.Format, uint32(FlowLinuxDropReason))
			}},
		{"hw_trap", FlowHWTrap, dxBytes(func(x *dxBuf) { x.str("l3_drops").str("blackhole_route") }), RecHWTrap,
			func(t *testing.T, d *Datagram, r *Record) {
				h := d.HWTrap(r)
				dxCheckBytes(t, "group", h.Group, "l3_drops")
				dxCheckBytes(t, "trap", h.Trap, "blackhole_route")
			}},
		{"timestamp", FlowTimestamp, dxBytes(func(x *dxBuf) { x.u64(1700000000123456789) }), RecTimestamp,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "nanos", d.Timestamp(r).Nanos, uint64(1700000000123456789))
			}},
		{"extended_socket_ipv4", FlowExtSocketIPv4,
			dxBytes(func(x *dxBuf) { x.u32(6).ip("10.1.1.1").ip("10.2.2.2").u32(80, 51234) }), RecSocket,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.Socket(r), Socket{Protocol: 6, LocalIP: netip.MustParseAddr("10.1.1.1"),
					RemoteIP: netip.MustParseAddr("10.2.2.2"), LocalPort: 80, RemotePort: 51234})
			}},
		{"extended_socket_ipv6", FlowExtSocketIPv6,
			dxBytes(func(x *dxBuf) { x.u32(17).ip("2001:db8::1").ip("2001:db8::2").u32(11211, 40000) }), RecSocket,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.Socket(r), Socket{Protocol: 17, LocalIP: netip.MustParseAddr("2001:db8::1"),
					RemoteIP: netip.MustParseAddr("2001:db8::2"), LocalPort: 11211, RemotePort: 40000})
			}},
		{"extended_proxy_socket_ipv4", FlowExtProxySocketIPv4,
			dxBytes(func(x *dxBuf) { x.u32(6).ip("10.1.1.1").ip("10.3.3.3").u32(40000, 8080) }), RecSocket,
			func(t *testing.T, d *Datagram, r *Record) {
				s := d.Socket(r)
				dxCheck(t, "proxy", s.Proxy, true)
				dxCheck(t, "remote", s.RemoteIP, netip.MustParseAddr("10.3.3.3"))
			}},
		{"extended_proxy_socket_ipv6", FlowExtProxySocketIPv6,
			dxBytes(func(x *dxBuf) { x.u32(6).ip("2001:db8::1").ip("2001:db8::3").u32(40000, 8080) }), RecSocket,
			func(t *testing.T, d *Datagram, r *Record) {
				s := d.Socket(r)
				dxCheck(t, "proxy", s.Proxy, true)
				dxCheck(t, "remote port", s.RemotePort, uint32(8080))
			}},
		{"memcache_operation", FlowMemcacheOperation,
			dxBytes(func(x *dxBuf) {
				x.u32(MemcacheProtoASCII, MemcacheCmdGet).str("user:1234").u32(3, 512, 87, MemcacheStatusOK)
			}),
			RecMemcacheOp, func(t *testing.T, d *Datagram, r *Record) {
				m := d.MemcacheOp(r)
				dxCheckBytes(t, "key", m.Key, "user:1234")
				m2 := *m
				m2.Key = nil
				dxCheck(t, "value", m2, MemcacheOp{Protocol: 1, Cmd: 7, NKeys: 3, ValueBytes: 512, DurationUS: 87, Status: 1})
			}},
		{"http_request", FlowHTTPRequest, dxBytes(func(x *dxBuf) {
			x.u32(HTTPMethodPost, 1001).str("/api/v1/items?id=7").str("shop.example").str("https://ref.example/")
			x.str("curl/8.0").str("203.0.113.9").str("bob").str("application/json").u64(1234, 5678901234).u32(2500)
			x.u32(uint32(503))
		}), RecHTTPRequest, func(t *testing.T, d *Datagram, r *Record) {
			h := d.HTTPRequest(r)
			dxCheck(t, "legacy", h.Legacy, false)
			dxCheck(t, "method", h.Method, uint32(HTTPMethodPost))
			dxCheck(t, "protocol", h.Protocol, uint32(1001))
			dxCheckBytes(t, "uri", h.URI, "/api/v1/items?id=7")
			dxCheckBytes(t, "host", h.Host, "shop.example")
			dxCheckBytes(t, "referer", h.Referer, "https://ref.example/")
			dxCheckBytes(t, "useragent", h.UserAgent, "curl/8.0")
			dxCheckBytes(t, "xff", h.XFF, "203.0.113.9")
			dxCheckBytes(t, "authuser", h.AuthUser, "bob")
			dxCheckBytes(t, "mime", h.MimeType, "application/json")
			dxCheck(t, "req bytes", h.ReqBytes, uint64(1234))
			dxCheck(t, "resp bytes", h.RespBytes, uint64(5678901234))
			dxCheck(t, "duration", h.DurationUS, uint32(2500))
			dxCheck(t, "status", h.Status, int32(503))
		}},
		{"http_request deprecated 2201", FlowHTTPRequestLegacy, dxBytes(func(x *dxBuf) {
			x.u32(HTTPMethodGet, 1000).str("/index.html").str("www.example").str("").str("Mozilla/5.0")
			x.str("").str("text/html").u64(4096).u32(1200, 200)
		}), RecHTTPRequest, func(t *testing.T, d *Datagram, r *Record) {
			h := d.HTTPRequest(r)
			dxCheck(t, "legacy", h.Legacy, true)
			dxCheckBytes(t, "uri", h.URI, "/index.html")
			dxCheckBytes(t, "useragent", h.UserAgent, "Mozilla/5.0")
			dxCheckBytes(t, "xff", h.XFF, "")
			dxCheckBytes(t, "mime", h.MimeType, "text/html")
			dxCheck(t, "req bytes", h.ReqBytes, uint64(0))
			dxCheck(t, "resp bytes", h.RespBytes, uint64(4096))
			dxCheck(t, "duration", h.DurationUS, uint32(1200))
			dxCheck(t, "status", h.Status, int32(200))
		}},
		{"extended_proxy_request", FlowExtProxyRequest, dxBytes(func(x *dxBuf) { x.str("/internal/items").str("backend:8080") }),
			RecProxyRequest, func(t *testing.T, d *Datagram, r *Record) {
				p := d.ProxyRequest(r)
				dxCheckBytes(t, "uri", p.URI, "/internal/items")
				dxCheckBytes(t, "host", p.Host, "backend:8080")
			}},
		{"app_operation", FlowAppOperation, dxBytes(func(x *dxBuf) {
			x.str("payments").str("charge").str("card=visa&amount=12").str("declined").u64(300, 40).u32(1500, 5)
		}), RecAppOperation, func(t *testing.T, d *Datagram, r *Record) {
			a := d.AppOperation(r)
			dxCheckBytes(t, "application", a.Context.Application, "payments")
			dxCheckBytes(t, "operation", a.Context.Operation, "charge")
			dxCheckBytes(t, "attributes", a.Context.Attributes, "card=visa&amount=12")
			dxCheckBytes(t, "status descr", a.StatusDescr, "declined")
			dxCheck(t, "req", a.ReqBytes, uint64(300))
			dxCheck(t, "resp", a.RespBytes, uint64(40))
			dxCheck(t, "duration", a.DurationUS, uint32(1500))
			dxCheck(t, "status", a.Status, uint32(5))
		}},
		{"app_parent_context", FlowAppParentContext, dxBytes(func(x *dxBuf) { x.str("web").str("checkout").str("") }),
			RecAppContext, func(t *testing.T, d *Datagram, r *Record) {
				c := d.AppContext(r)
				dxCheckBytes(t, "application", c.Application, "web")
				dxCheckBytes(t, "operation", c.Operation, "checkout")
				dxCheckBytes(t, "attributes", c.Attributes, "")
			}},
		{"app_initiator", FlowAppInitiator, dxBytes(func(x *dxBuf) { x.str("user-42") }), RecAppActor,
			func(t *testing.T, d *Datagram, r *Record) {
				a := d.AppActor(r)
				dxCheck(t, "target", a.Target, false)
				dxCheckBytes(t, "actor", a.Actor, "user-42")
			}},
		{"app_target", FlowAppTarget, dxBytes(func(x *dxBuf) { x.str("db-7") }), RecAppActor,
			func(t *testing.T, d *Datagram, r *Record) {
				a := d.AppActor(r)
				dxCheck(t, "target", a.Target, true)
				dxCheckBytes(t, "actor", a.Actor, "db-7")
			}},
		{"tcp_info", FlowTCPInfo, dxBytes(func(x *dxBuf) { x.u32(1, 1448, 536, 2, 1, 3, 1500, 2100, 300, 10, 0, 1900) }),
			RecTCPInfo, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.TCPInfo(r), TCPInfo{Dirn: 1, SndMSS: 1448, RcvMSS: 536, Unacked: 2, Lost: 1,
					Retrans: 3, PMTU: 1500, RTT: 2100, RTTVar: 300, SndCwnd: 10, MinRTT: 1900})
			}},
		{"entities", FlowEntities, dxBytes(func(x *dxBuf) { x.u32(3, 100001, 3, 150002) }), RecEntities,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.Entities(r), Entities{SrcClass: 3, SrcIndex: 100001, DstClass: 3, DstIndex: 150002})
			}},
		{"extended_mpls", FlowExtMPLS, dxBytes(func(x *dxBuf) {
			x.addr("10.0.0.9").u32(2, 16000<<12|1<<8|64, 17000<<12|63).u32(1, 18000<<12|3<<9|1<<8|255)
		}), RecExtMPLS, func(t *testing.T, d *Datagram, r *Record) {
			v := d.ExtMPLS(r)
			dxCheck(t, "next hop", v.NextHop, netip.MustParseAddr("10.0.0.9"))
			dxCheck(t, "in", []uint32{v.InStack.At(0), v.InStack.At(1)}, []uint32{16000<<12 | 1<<8 | 64, 17000<<12 | 63})
			dxCheck(t, "in len", v.InStack.Len(), 2)
			dxCheck(t, "out", v.OutStack.Len(), 1)
			dxCheck(t, "out top", v.OutStack.At(0), uint32(18000<<12|3<<9|1<<8|255))
		}},
		{"extended_nat", FlowExtNAT, dxBytes(func(x *dxBuf) { x.addr("192.0.2.7").addr("2001:db8::8") }), RecExtNAT,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.ExtNAT(r), ExtNAT{Src: netip.MustParseAddr("192.0.2.7"),
					Dst: netip.MustParseAddr("2001:db8::8")})
			}},
		{"extended_mpls_tunnel", FlowExtMPLSTunnel, dxBytes(func(x *dxBuf) { x.str("lsp-east").u32(17, 5) }),
			RecExtMPLSTunnel, func(t *testing.T, d *Datagram, r *Record) {
				v := d.ExtMPLSTunnel(r)
				dxCheckBytes(t, "name", v.Name, "lsp-east")
				dxCheck(t, "id cos", [2]uint32{v.ID, v.COS}, [2]uint32{17, 5})
			}},
		{"extended_mpls_vc", FlowExtMPLSVC, dxBytes(func(x *dxBuf) { x.str("vc1").u32(4000, 2) }), RecExtMPLSTunnel,
			func(t *testing.T, d *Datagram, r *Record) {
				v := d.ExtMPLSTunnel(r)
				dxCheckBytes(t, "name", v.Name, "vc1")
				dxCheck(t, "id cos", [2]uint32{v.ID, v.COS}, [2]uint32{4000, 2})
			}},
		{"extended_mpls_FTN", FlowExtMPLSFTN, dxBytes(func(x *dxBuf) { x.str("ftn to core").u32(0xFFFFFF00) }),
			RecExtMPLSFTN, func(t *testing.T, d *Datagram, r *Record) {
				v := d.ExtMPLSFTN(r)
				dxCheckBytes(t, "descr", v.Descr, "ftn to core")
				dxCheck(t, "mask", v.Mask, uint32(0xFFFFFF00))
			}},
		{"extended_vlantunnel", FlowExtVLANTunnel, dxBytes(func(x *dxBuf) { x.u32(2, 0x88A8_2064, 0x8100_000A) }),
			RecExtVLANTunnel, func(t *testing.T, d *Datagram, r *Record) {
				v := d.ExtVLANTunnel(r)
				dxCheck(t, "stack", []uint32{v.Stack.At(0), v.Stack.At(1)}, []uint32{0x88A8_2064, 0x8100_000A})
			}},
		{"extended_wifi_payload", FlowExtWifiPayload, dxBytes(func(x *dxBuf) {
			x.u32(0x000FAC04, HeaderProtocolEthernet, 1518, 4).opaque(tcpHeader)
		}), RecExtWifiPayload, func(t *testing.T, d *Datagram, r *Record) {
			v := d.ExtWifiPayload(r)
			dxCheck(t, "suite", v.CipherSuite, uint32(0x000FAC04))
			dxCheck(t, "frame length", v.Header.FrameLength, uint32(1518))
			dxCheck(t, "header", string(v.Header.Header), string(tcpHeader))
			dxCheck(t, "src port", v.Header.Packet.SrcPort, uint16(443))
		}},
		{"extended_wifi_rx", FlowExtWifiRx, dxBytes(func(x *dxBuf) {
			x.str("guest").mac(dxMAC1).u32(4, 36).u64(300_000_000).u32(30, 150, 120)
		}), RecExtWifiRx, func(t *testing.T, d *Datagram, r *Record) {
			v := d.ExtWifiRx(r)
			dxCheckBytes(t, "ssid", v.SSID, "guest")
			v.SSID = nil
			dxCheck(t, "value", *v, ExtWifiRx{BSSID: dxMAC1, Version: 4, Channel: 36, Speed: 300_000_000, RSNI: 30,
				RCPI: 150, PacketDurationUS: 120})
		}},
		{"extended_wifi_tx", FlowExtWifiTx, dxBytes(func(x *dxBuf) {
			x.str("corp").mac(dxMAC2).u32(3, 2, 90, 40, 11).u64(54_000_000).u32(100)
		}), RecExtWifiTx, func(t *testing.T, d *Datagram, r *Record) {
			v := d.ExtWifiTx(r)
			dxCheckBytes(t, "ssid", v.SSID, "corp")
			v.SSID = nil
			dxCheck(t, "value", *v, ExtWifiTx{BSSID: dxMAC2, Version: 3, Transmissions: 2, PacketDurationUS: 90,
				RetransDurationUS: 40, Channel: 11, Speed: 54_000_000, PowerMW: 100})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := dxRecord(0, tt.format, tt.body)
			for _, sample := range []struct {
				name string
				buf  []byte
			}{
				{"in flow sample", dxFlowDatagram(rec)},
				{"in expanded flow sample", dxDatagram("192.0.2.1", 0, 1, 1, dxFlowSampleExpanded(1, 0, 1, 1, 1, 0, 0, 1, 0, 2, rec))},
				{"in discard sample", dxDatagram("192.0.2.1", 0, 1, 1, dxDiscardSample(1, 0, 1, 1, 1, 0, 258, rec))},
			} {
				d, r := dxOnlyRecord(t, sample.buf)
				if r.Type != tt.typ || r.Format != tt.format || r.Enterprise != 0 || r.Length != uint32(len(tt.body)) ||
					!bytes.Equal(r.Data, tt.body) || r.Offset != d.Samples[0].Offset+8+len(d.Samples[0].Data)-len(rec) {
					t.Fatalf("%s: record %+v", sample.name, *r)
				}
				tt.check(t, d, r)

				// A record grown at the end (a newer agent) decodes the same, tail skipped.
				grown := dxRecord(0, tt.format, append(append([]byte{}, tt.body...), 0xde, 0xad, 0xbe, 0xef))
				d2, r2 := dxOnlyRecord(t, dxFlowDatagram(grown))
				if r2.Type != tt.typ {
					t.Fatalf("grown record: type %v", r2.Type)
				}
				tt.check(t, d2, r2)
			}
		})
	}
}

// ---------------------------------------------------------------- counter records

// dxSeq returns n u32 values start, start+1, ...
func dxSeq(start uint32, n int) []uint32 {
	v := make([]uint32, n)
	for i := range v {
		v[i] = start + uint32(i)
	}
	return v
}

func TestDecodeCounterRecords(t *testing.T) {
	tests := []struct {
		name       string
		enterprise uint32
		format     uint32
		body       []byte
		typ        RecordType
		check      func(t *testing.T, d *Datagram, r *Record)
	}{
		{"if_counters", 0, CounterGenericInterface, dxBytes(func(x *dxBuf) {
			x.u32(3, 6).u64(10_000_000_000).u32(1, 3).u64(1<<40).u32(10, 11, 12, 13, 14, 15).u64(1 << 41)
			x.u32(20, 21, 22, 23, 24, 1)
		}), RecIfCounters, func(t *testing.T, d *Datagram, r *Record) {
			dxCheck(t, "value", *d.IfCounters(r), IfCounters{Index: 3, Type: 6, Speed: 10_000_000_000, Direction: 1,
				Status: 3, InOctets: 1 << 40, InUcastPkts: 10, InMulticastPkts: 11, InBroadcastPkts: 12, InDiscards: 13,
				InErrors: 14, InUnknownProtos: 15, OutOctets: 1 << 41, OutUcastPkts: 20, OutMulticastPkts: 21,
				OutBroadcastPkts: 22, OutDiscards: 23, OutErrors: 24, PromiscuousMode: 1})
		}},
		{"ethernet_counters", 0, CounterEthernet, dxBytes(func(x *dxBuf) { x.u32(dxSeq(1, 13)...) }), RecEthernetCounters,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.EthernetCounters(r), EthernetCounters{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
			}},
		{"vlan_counters", 0, CounterVLAN, dxBytes(func(x *dxBuf) { x.u32(890).u64(1<<35).u32(5, 6, 7, 8) }),
			RecVLANCounters, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.VLANCounters(r), VLANCounters{VLANID: 890, Octets: 1 << 35, UcastPkts: 5,
					MulticastPkts: 6, BroadcastPkts: 7, Discards: 8})
			}},
		{"lacp_counters", 0, CounterLACP, dxBytes(func(x *dxBuf) {
			x.mac(dxMAC1).mac(dxMAC2).u32(1001).raw([]byte{0x3d, 0x3f, 0x3c, 0x3e}).u32(dxSeq(100, 8)...)
		}), RecLACPCounters, func(t *testing.T, d *Datagram, r *Record) {
			dxCheck(t, "value", *d.LACPCounters(r), LACPCounters{ActorSystemID: dxMAC1, PartnerSystemID: dxMAC2,
				AttachedAggID: 1001, ActorAdminPortState: 0x3d, ActorOperPortState: 0x3f, PartnerAdminPortState: 0x3c,
				PartnerOperPortState: 0x3e, LACPDUsRx: 100, MarkerPDUsRx: 101, MarkerResponsePDUsRx: 102, UnknownRx: 103,
				IllegalRx: 104, LACPDUsTx: 105, MarkerPDUsTx: 106, MarkerResponsePDUsTx: 107})
		}},
		{"processor", 0, CounterProcessor, dxBytes(func(x *dxBuf) { x.u32(1234, 0xFFFFFFFF, 99).u64(8<<30, 3<<30) }),
			RecProcessor, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.Processor(r), Processor{CPU5s: 1234, CPU1m: -1, CPU5m: 99, TotalMemory: 8 << 30,
					FreeMemory: 3 << 30})
			}},
		{"openflow_port", 0, CounterOpenFlowPort, dxBytes(func(x *dxBuf) { x.u64(0x0000AABBCCDDEEFF).u32(7) }),
			RecOpenFlowPort, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.OpenFlowPort(r), OpenFlowPort{DatapathID: 0xAABBCCDDEEFF, PortNo: 7})
			}},
		{"port_name", 0, CounterPortName, dxBytes(func(x *dxBuf) { x.str("ge-0/0/1") }), RecPortName,
			func(t *testing.T, d *Datagram, r *Record) { dxCheckBytes(t, "name", d.PortName(r).Name, "ge-0/0/1") }},
		{"host_descr", 0, CounterHostDescr, dxBytes(func(x *dxBuf) {
			x.str("fractal").raw([]byte{0x20, 0xd1, 0x1d, 0x01, 0x51, 0x50, 0x11, 0xcb, 0x95, 0x7d, 0x99, 0x05, 0x21, 0x36, 0x5b, 0xa3})
			x.u32(3, OSLinux).str("3.13.0-29-generic")
		}), RecHostDescr, func(t *testing.T, d *Datagram, r *Record) {
			h := d.HostDescr(r)
			dxCheckBytes(t, "hostname", h.Hostname, "fractal")
			dxCheck(t, "uuid", UUIDString(h.UUID), "20d11d01-5150-11cb-957d-990521365ba3")
			dxCheck(t, "machine", h.MachineType, uint32(3))
			dxCheck(t, "os", h.OSName, uint32(OSLinux))
			dxCheckBytes(t, "release", h.OSRelease, "3.13.0-29-generic")
		}},
		{"host_adapters", 0, CounterHostAdapters, dxBytes(func(x *dxBuf) {
			x.u32(3)
			x.u32(2, 1).mac(dxMAC1)
			x.u32(3, 2).mac(dxMAC2).mac(dxMAC1)
			x.u32(4, 0)
		}), RecHostAdapters, func(t *testing.T, d *Datagram, r *Record) {
			a := d.HostAdapters(r)
			dxCheck(t, "adapters", a.NumAdapters, uint32(3))
			var got []string
			for ifIndex, macs := range a.Adapters() {
				s := []byte{byte('0' + ifIndex)}
				for i := range macs.Len() {
					s = append(s, ' ')
					s = append(s, MACString(macs.At(i))...)
				}
				got = append(got, string(s))
			}
			want := []string{"2 0017087d7742", "3 30e4db3e337f 0017087d7742", "4"}
			dxCheck(t, "adapters", len(got), len(want))
			for i := range min(len(got), len(want)) {
				dxCheck(t, "adapter", got[i], want[i])
			}
		}},
		{"host_parent", 0, CounterHostParent, dxBytes(func(x *dxBuf) { x.u32(2, 1) }), RecHostParent,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.HostParent(r), HostParent{ContainerType: 2, ContainerIndex: 1})
			}},
		{"host_cpu 68 bytes (before 2014)", 0, CounterHostCPU, dxBytes(func(x *dxBuf) {
			x.u32(math.Float32bits(0.47), math.Float32bits(0.58), math.Float32bits(-1))
			x.u32(2, 511, 4, 1200, 103412, 5240030, 67660, 2148900, 145795710, 4661420, 58860, 0, 19770787, 87991375)
		}), RecHostCPU, func(t *testing.T, d *Datagram, r *Record) {
			dxCheck(t, "value", *d.HostCPU(r), HostCPU{LoadOne: 0.47, LoadFive: 0.58, LoadFifteen: -1, ProcRun: 2,
				ProcTotal: 511, CPUNum: 4, CPUSpeed: 1200, Uptime: 103412, User: 5240030, Nice: 67660, System: 2148900,
				Idle: 145795710, WIO: 4661420, Intr: 58860, SoftIntr: 0, Interrupts: 19770787, Contexts: 87991375})
		}},
		{"host_cpu 80 bytes", 0, CounterHostCPU, dxBytes(func(x *dxBuf) {
			x.u32(math.Float32bits(1.5), math.Float32bits(1.25), math.Float32bits(1))
			x.u32(dxSeq(1, 14)...).u32(100, 200, 300)
		}), RecHostCPU, func(t *testing.T, d *Datagram, r *Record) {
			c := d.HostCPU(r)
			dxCheck(t, "len80", c.Len80, true)
			dxCheck(t, "load five", c.LoadFive, float32(1.25))
			dxCheck(t, "contexts", c.Contexts, uint32(14))
			dxCheck(t, "steal", c.Steal, uint32(100))
			dxCheck(t, "guest", c.Guest, uint32(200))
			dxCheck(t, "guest nice", c.GuestNice, uint32(300))
		}},
		{"host_memory", 0, CounterHostMemory, dxBytes(func(x *dxBuf) { x.u64(1, 2, 3, 4, 5, 6, 7).u32(8, 9, 10, 11) }),
			RecHostMemory, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.HostMemory(r), HostMemory{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
			}},
		{"host_disk_io", 0, CounterHostDiskIO, dxBytes(func(x *dxBuf) {
			x.u64(488129277952, 450023897088).u32(5639, 249289).u64(4761008128).u32(6064940, 3572946).u64(23503597568).u32(75425312)
		}), RecHostDiskIO, func(t *testing.T, d *Datagram, r *Record) {
			dxCheck(t, "value", *d.HostDiskIO(r), HostDiskIO{Total: 488129277952, Free: 450023897088, PartMaxUsed: 5639,
				Reads: 249289, BytesRead: 4761008128, ReadTime: 6064940, Writes: 3572946, BytesWritten: 23503597568,
				WriteTime: 75425312})
		}},
		{"host_net_io", 0, CounterHostNetIO, dxBytes(func(x *dxBuf) { x.u64(14867).u32(72, 1, 2).u64(2880).u32(32, 3, 4) }),
			RecHostNetIO, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.HostNetIO(r), HostNetIO{BytesIn: 14867, PktsIn: 72, ErrsIn: 1, DropsIn: 2,
					BytesOut: 2880, PktsOut: 32, ErrsOut: 3, DropsOut: 4})
			}},
		{"virt_net_io as host_net_io", 0, CounterVirtNetIO, dxBytes(func(x *dxBuf) { x.u64(5).u32(6, 7, 8).u64(9).u32(10, 11, 12) }),
			RecHostNetIO, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.HostNetIO(r), HostNetIO{Virt: true, BytesIn: 5, PktsIn: 6, ErrsIn: 7, DropsIn: 8,
					BytesOut: 9, PktsOut: 10, ErrsOut: 11, DropsOut: 12})
			}},
		{"mib2_ip_group", 0, CounterMIB2IP, dxBytes(func(x *dxBuf) { x.u32(dxSeq(1, 19)...) }), RecMIB2IP,
			func(t *testing.T, d *Datagram, r *Record) {
				v := d.MIB2IP(r)
				dxCheck(t, "first", v.V[0], uint32(1))
				dxCheck(t, "last", v.V[18], uint32(19))
			}},
		{"mib2_icmp_group", 0, CounterMIB2ICMP, dxBytes(func(x *dxBuf) { x.u32(dxSeq(1, 25)...) }), RecMIB2ICMP,
			func(t *testing.T, d *Datagram, r *Record) { dxCheck(t, "last", d.MIB2ICMP(r).V[24], uint32(25)) }},
		{"mib2_tcp_group", 0, CounterMIB2TCP, dxBytes(func(x *dxBuf) { x.u32(dxSeq(1, 15)...) }), RecMIB2TCP,
			func(t *testing.T, d *Datagram, r *Record) { dxCheck(t, "last", d.MIB2TCP(r).V[14], uint32(15)) }},
		{"mib2_udp_group", 0, CounterMIB2UDP, dxBytes(func(x *dxBuf) { x.u32(dxSeq(1, 7)...) }), RecMIB2UDP,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.MIB2UDP(r), MIB2UDP{[7]uint32{1, 2, 3, 4, 5, 6, 7}})
			}},
		{"virt_node", 0, CounterVirtNode, dxBytes(func(x *dxBuf) { x.u32(2400, 16).u64(64<<30, 10<<30).u32(12) }),
			RecVirtNode, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.VirtNode(r), VirtNode{MHz: 2400, CPUs: 16, Memory: 64 << 30, MemoryFree: 10 << 30, NumDomains: 12})
			}},
		{"virt_cpu", 0, CounterVirtCPU, dxBytes(func(x *dxBuf) { x.u32(1, 123456, 4) }), RecVirtCPU,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.VirtCPU(r), VirtCPU{State: 1, CPUTime: 123456, NrVirtCPU: 4})
			}},
		{"virt_memory", 0, CounterVirtMemory, dxBytes(func(x *dxBuf) { x.u64(2<<30, 4<<30) }), RecVirtMemory,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.VirtMemory(r), VirtMemory{Memory: 2 << 30, MaxMemory: 4 << 30})
			}},
		{"virt_disk_io", 0, CounterVirtDiskIO, dxBytes(func(x *dxBuf) { x.u64(1, 2, 3).u32(4).u64(5).u32(6).u64(7).u32(8) }),
			RecVirtDiskIO, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.VirtDiskIO(r), VirtDiskIO{1, 2, 3, 4, 5, 6, 7, 8})
			}},
		{"jvm_runtime", 0, CounterJVMRuntime, dxBytes(func(x *dxBuf) { x.str("OpenJDK 64-Bit Server VM").str("Oracle").str("17.0.2") }),
			RecJVMRuntime, func(t *testing.T, d *Datagram, r *Record) {
				j := d.JVMRuntime(r)
				dxCheckBytes(t, "name", j.Name, "OpenJDK 64-Bit Server VM")
				dxCheckBytes(t, "vendor", j.Vendor, "Oracle")
				dxCheckBytes(t, "version", j.Version, "17.0.2")
			}},
		{"jvm_statistics 100 bytes", 0, CounterJVMStatistics, dxBytes(func(x *dxBuf) {
			x.u64(1, 2, 3, 4, 5, 6, 7, 8).u32(dxSeq(9, 9)...)
		}), RecJVMStatistics, func(t *testing.T, d *Datagram, r *Record) {
			dxCheck(t, "value", *d.JVMStatistics(r), JVMStatistics{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 0, 0, false})
		}},
		{"jvm_statistics 108 bytes", 0, CounterJVMStatistics, dxBytes(func(x *dxBuf) {
			x.u64(1, 2, 3, 4, 5, 6, 7, 8).u32(dxSeq(9, 11)...)
		}), RecJVMStatistics, func(t *testing.T, d *Datagram, r *Record) {
			dxCheck(t, "value", *d.JVMStatistics(r), JVMStatistics{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, true})
		}},
		{"memcache_counters legacy 2200", 0, CounterMemcacheLegacy, dxBytes(func(x *dxBuf) {
			x.u32(dxSeq(1, 22)...).u64(23, 24).u32(25, 26, 27, 28, 29).u64(30).u32(31, 32, 33)
		}), RecMemcacheCounters, func(t *testing.T, d *Datagram, r *Record) {
			dxCheck(t, "value", *d.MemcacheCounters(r), MemcacheCounters{Legacy: true,
				Uptime: 1, RUsageUser: 2, RUsageSystem: 3, CurrConnections: 4, TotalConnections: 5,
				ConnectionStructures: 6, CmdGet: 7, CmdSet: 8, CmdFlush: 9, GetHits: 10, GetMisses: 11, DeleteMisses: 12,
				DeleteHits: 13, IncrMisses: 14, IncrHits: 15, DecrMisses: 16, DecrHits: 17, CASMisses: 18, CASHits: 19,
				CASBadval: 20, AuthCmds: 21, AuthErrors: 22, BytesRead: 23, BytesWritten: 24, LimitMaxbytes: 25,
				AcceptingConns: 26, ListenDisabledNum: 27, Threads: 28, ConnYields: 29, Bytes: 30, CurrItems: 31,
				TotalItems: 32, Evictions: 33})
		}},
		{"memcache_counters 2204", 0, CounterMemcache, dxBytes(func(x *dxBuf) { x.u32(dxSeq(1, 27)...).u64(28, 29, 30, 31) }),
			RecMemcacheCounters, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.MemcacheCounters(r), MemcacheCounters{CmdSet: 1, CmdTouch: 2, CmdFlush: 3,
					GetHits: 4, GetMisses: 5, DeleteHits: 6, DeleteMisses: 7, IncrHits: 8, IncrMisses: 9, DecrHits: 10,
					DecrMisses: 11, CASHits: 12, CASMisses: 13, CASBadval: 14, AuthCmds: 15, AuthErrors: 16, Threads: 17,
					ConnYields: 18, ListenDisabledNum: 19, CurrConnections: 20, RejectedConnections: 21,
					TotalConnections: 22, ConnectionStructures: 23, Evictions: 24, Reclaimed: 25, CurrItems: 26,
					TotalItems: 27, BytesRead: 28, BytesWritten: 29, Bytes: 30, LimitMaxbytes: 31})
			}},
		{"http_counters", 0, CounterHTTP, dxBytes(func(x *dxBuf) { x.u32(dxSeq(1, 15)...) }), RecHTTPCounters,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.HTTPCounters(r), HTTPCounters{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
			}},
		{"app_operations", 0, CounterAppOperations, dxBytes(func(x *dxBuf) { x.str("payments").u32(dxSeq(1, 11)...) }),
			RecAppOperations, func(t *testing.T, d *Datagram, r *Record) {
				a := *d.AppOperations(r)
				dxCheckBytes(t, "application", a.Application, "payments")
				a.Application = nil
				dxCheck(t, "value", a, AppOperations{nil, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
			}},
		{"app_resources", 0, CounterAppResources, dxBytes(func(x *dxBuf) { x.u32(1, 2).u64(3, 4).u32(5, 6, 7, 8) }),
			RecAppResources, func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.AppResources(r), AppResources{1, 2, 3, 4, 5, 6, 7, 8})
			}},
		{"app_workers", 0, CounterAppWorkers, dxBytes(func(x *dxBuf) { x.u32(1, 2, 3, 4, 5) }), RecAppWorkers,
			func(t *testing.T, d *Datagram, r *Record) {
				dxCheck(t, "value", *d.AppWorkers(r), AppWorkers{1, 2, 3, 4, 5})
			}},
		{"ovs_dp_stats", 0, CounterOVSDP, dxBytes(func(x *dxBuf) { x.u32(1, 2, 3, 4, 5, 6) }), RecOVSDP,
			func(t *testing.T, d *Datagram, r *Record) { dxCheck(t, "value", *d.OVSDP(r), OVSDP{1, 2, 3, 4, 5, 6}) }},
		{"sfp", 0, CounterSFP, dxBytes(func(x *dxBuf) {
			x.u32(7, 4, 3300, uint32(0xFFFFFFFF-1499)).u32(2).u32(dxSeq(1, 10)...).u32(dxSeq(11, 10)...)
		}), RecSFP, func(t *testing.T, d *Datagram, r *Record) {
			v := d.SFP(r)
			dxCheck(t, "module", [3]uint32{v.ModuleID, v.TotalLanes, v.SupplyVoltage}, [3]uint32{7, 4, 3300})
			dxCheck(t, "temperature", v.Temperature, int32(-1500))
			dxCheck(t, "lanes", v.Lanes.Len(), 2)
			dxCheck(t, "lane 0", v.Lanes.At(0), SFPLane{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
			dxCheck(t, "lane 1", v.Lanes.At(1), SFPLane{11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
		}},
		{"pfc", 0, CounterPFC, dxBytes(func(x *dxBuf) { x.u32(1, 2, 3, 4, 5) }), RecPFC,
			func(t *testing.T, d *Datagram, r *Record) { dxCheck(t, "value", *d.PFC(r), PFC{1, 2, 3, 4, 5}) }},
		{"broadcom tables 4413:3", EnterpriseBroadcom, CounterBroadcomTables, dxBytes(func(x *dxBuf) { x.u32(dxSeq(1, 36)...) }),
			RecBroadcomTables, func(t *testing.T, d *Datagram, r *Record) {
				v := d.BroadcomTables(r)
				dxCheck(t, "first", v.V[0], uint32(1))
				dxCheck(t, "last", v.V[35], uint32(36))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := dxRecord(tt.enterprise, tt.format, tt.body)
			for _, buf := range [][]byte{
				dxCounterDatagram(rec),
				dxDatagram("2001:db8::1", 0, 1, 1, dxCounterSampleExpanded(1, 3, 200000, rec)),
			} {
				d, r := dxOnlyRecord(t, buf)
				if r.Type != tt.typ || r.Enterprise != tt.enterprise || r.Format != tt.format ||
					!bytes.Equal(r.Data, tt.body) {
					t.Fatalf("record %+v", *r)
				}
				tt.check(t, d, r)
			}
			grown := dxRecord(tt.enterprise, tt.format, append(append([]byte{}, tt.body...), make([]byte, 12)...))
			d, r := dxOnlyRecord(t, dxCounterDatagram(grown))
			if r.Type != tt.typ {
				t.Fatalf("grown record: type %v", r.Type)
			}
			if tt.format != CounterHostCPU && tt.format != CounterJVMStatistics { // growth there is a known layout
				tt.check(t, d, r)
			}

			// One byte short of the structure: a typed error for this record only.
			if len(tt.body) > 0 && tt.format != CounterHostAdapters && tt.format != CounterSFP { // lists: ErrTooMany
				cut := len(tt.body) - 4
				switch tt.format { // these two have a shorter valid length: cut below it
				case CounterHostCPU:
					cut = HostCPULenV1 - 4
				case CounterJVMStatistics:
					cut = JVMStatsLen1 - 4
				}
				short := dxRecord(tt.enterprise, tt.format, tt.body[:cut])
				d, de := dxDecodeErr(t, dxCounterDatagram(short))
				if de == nil || !errors.Is(de, ErrTruncated) || d.Samples[0].Err != de {
					t.Fatalf("short record: error %v", de)
				}
			}
		})
	}
}

// The same numbers mean different things in flow and counter samples (SFLOW.md §0.3, §9).
func TestDecodeDispatchByKind(t *testing.T) {
	tests := []struct {
		name      string
		format    uint32
		flowBody  []byte
		flowType  RecordType
		countBody []byte
		countType RecordType
	}{
		{"1: sampled_header / if_counters", 1,
			dxBytes(func(x *dxBuf) { x.u32(1, 64, 4).opaque(make([]byte, 60)) }), RecSampledHeader,
			make([]byte, 88), RecIfCounters},
		{"2: sampled_ethernet / ethernet_counters", 2, make([]byte, 24), RecSampledEthernet, make([]byte, 52), RecEthernetCounters},
		{"2200: memcache_operation / legacy memcache_counters", 2200,
			dxBytes(func(x *dxBuf) { x.u32(1, 7).str("k").u32(1, 2, 3, 1) }), RecMemcacheOp,
			make([]byte, 144), RecMemcacheCounters},
		{"2201: deprecated http_request / http_counters", 2201,
			dxBytes(func(x *dxBuf) { x.u32(2, 1001).str("/").str("h").str("").str("").str("").str("").u64(1).u32(2, 200) }),
			RecHTTPRequest, make([]byte, 60), RecHTTPCounters},
		{"2202: app_operation / app_operations", 2202,
			dxBytes(func(x *dxBuf) { x.str("a").str("o").str("").str("").u64(1, 2).u32(3, 0) }), RecAppOperation,
			dxBytes(func(x *dxBuf) { x.str("a").u32(dxSeq(1, 11)...) }), RecAppOperations},
		{"2203: app_parent_context / app_resources", 2203,
			dxBytes(func(x *dxBuf) { x.str("a").str("o").str("") }), RecAppContext, make([]byte, 40), RecAppResources},
		{"2206: http_request / app_workers", 2206,
			dxBytes(func(x *dxBuf) {
				x.u32(2, 1001).str("/").str("h").str("").str("").str("").str("").str("").u64(1, 2).u32(3, 200)
			}), RecHTTPRequest, make([]byte, 20), RecAppWorkers},
		{"2207: extended_proxy_request / ovs_dp_stats", 2207,
			dxBytes(func(x *dxBuf) { x.str("/u").str("h") }), RecProxyRequest, make([]byte, 24), RecOVSDP},
		{"2100: socket_ipv4 / virt_node", 2100, make([]byte, 20), RecSocket, make([]byte, 28), RecVirtNode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := dxOnlyRecord(t, dxFlowDatagram(dxRecord(0, tt.format, tt.flowBody)))
			if r.Type != tt.flowType {
				t.Errorf("in a flow sample: %v, want %v", r.Type, tt.flowType)
			}
			_, r = dxOnlyRecord(t, dxCounterDatagram(dxRecord(0, tt.format, tt.countBody)))
			if r.Type != tt.countType {
				t.Errorf("in a counters sample: %v, want %v", r.Type, tt.countType)
			}
		})
	}
}

// ---------------------------------------------------------------- tolerance and bad input

func TestDecodeTolerance(t *testing.T) {
	sw := dxRecord(0, FlowExtSwitch, dxBytes(func(x *dxBuf) { x.u32(1, 2, 3, 4) }))
	cpu := dxRecord(0, CounterHostCPU, make([]byte, 80))
	goodCounters := dxCounterSample(2, 2<<24|1, cpu)

	t.Run("vendor padding after a sample", func(t *testing.T) {
		padded := dxFlowSample(1, 1, 1, 1, 0, 1, 2, sw)
		binary.BigEndian.PutUint32(padded[4:], binary.BigEndian.Uint32(padded[4:])+4)
		padded = append(padded, 0, 0, 0, 0)
		d := dxDecode(t, dxDatagram("192.0.2.1", 0, 1, 1, padded, goodCounters))
		if len(d.Samples) != 2 || len(d.Samples[0].Records) != 1 || d.Samples[1].Records[0].Type != RecHostCPU {
			t.Fatalf("samples %+v", d.Samples)
		}
	})
	t.Run("record grown at the end, next record still read", func(t *testing.T) {
		grown := dxRecord(0, FlowExtSwitch, dxBytes(func(x *dxBuf) { x.u32(1, 2, 3, 4, 5, 6) }))
		d := dxDecode(t, dxFlowDatagram(grown, sw))
		if got := d.Samples[0].Records; len(got) != 2 || got[0].Length != 24 || d.ExtSwitch(&got[1]).DstPriority != 4 {
			t.Fatalf("records %+v", got)
		}
	})
	t.Run("unknown enterprise record", func(t *testing.T) {
		vendor := dxRecord(9, 1, []byte{1, 2, 3, 4, 5, 6})
		d := dxDecode(t, dxFlowDatagram(vendor, sw))
		recs := d.Samples[0].Records
		if len(recs) != 2 || recs[0].Type != RecUnknown || recs[0].Enterprise != 9 || recs[0].Format != 1 ||
			!bytes.Equal(recs[0].Data, []byte{1, 2, 3, 4, 5, 6}) || recs[1].Type != RecExtSwitch || d.UnknownRecords != 1 {
			t.Fatalf("records %+v, unknown %d", recs, d.UnknownRecords)
		}
		if d.SampledHeader(&recs[0]) != nil || d.ExtSwitch(&recs[0]) != nil {
			t.Error("accessor returned a value for an unknown record")
		}
	})
	t.Run("unknown enterprise 0 formats, in both kinds", func(t *testing.T) {
		d := dxDecode(t, dxDatagram("192.0.2.1", 0, 1, 1,
			dxFlowSample(1, 1, 1, 1, 0, 1, 2, dxRecord(0, 13, []byte{9, 9, 9, 9})),
			dxCounterSample(1, 1, dxRecord(0, 2205, make([]byte, 8)), dxRecord(4413, 4, make([]byte, 4)))))
		if d.UnknownRecords != 3 || d.Samples[1].Records[1].Type != RecUnknown {
			t.Fatalf("unknown records %d", d.UnknownRecords)
		}
	})
	t.Run("unknown sample types", func(t *testing.T) {
		rt := dxBytes(func(x *dxBuf) { x.u32(4300<<12|1002, 8, 1, 2) })
		zero6 := dxBytes(func(x *dxBuf) { x.u32(6, 4, 0xAB) })
		d := dxDecode(t, dxDatagram("192.0.2.1", 0, 1, 1, rt, zero6, goodCounters))
		if len(d.Samples) != 3 || d.UnknownSamples != 2 || d.Samples[0].Kind != SampleKindUnknown ||
			d.Samples[0].Enterprise != 4300 || d.Samples[0].Format != 1002 || len(d.Samples[0].Data) != 8 ||
			d.Samples[1].Format != 6 || d.Samples[2].Kind != SampleKindCounters || len(d.Samples[2].Records) != 1 {
			t.Fatalf("samples %+v", d.Samples)
		}
	})
	t.Run("unpadded string at the end of a record (goflow2 1038 case)", func(t *testing.T) {
		rec := dxBytes(func(x *dxBuf) { x.u32(FlowExtFunction, 10, 6).raw([]byte("foobar")) })
		sample := dxBytes(func(x *dxBuf) {
			x.u32(SampleDiscardedPacket, uint32(32+len(rec))).u32(2, 0, 1, 256, 1, 2, 1, 1).raw(rec)
		})
		d := dxDecode(t, dxDatagram("192.168.119.184", 100000, 3, 12414, sample))
		if r := &d.Samples[0].Records[0]; string(d.String(r).Value) != "foobar" {
			t.Fatalf("record %+v", r)
		}
	})
	t.Run("zero samples", func(t *testing.T) {
		d := dxDecode(t, dxDatagram("192.0.2.1", 0, 1, 1))
		if len(d.Samples) != 0 || d.NumSamples != 0 {
			t.Fatal("samples from nothing")
		}
	})
	t.Run("bytes after the last sample are ignored", func(t *testing.T) {
		d := dxDecode(t, append(dxDatagram("192.0.2.1", 0, 1, 1, goodCounters), 1, 2, 3, 4, 5))
		if len(d.Samples) != 1 {
			t.Fatal("trailing bytes made a sample")
		}
	})
}

func TestDecodeMalformed(t *testing.T) {
	sw := dxRecord(0, FlowExtSwitch, make([]byte, 16))
	good := dxCounterSample(5, 2<<24|1, dxRecord(0, CounterHostParent, make([]byte, 8)))
	tests := []struct {
		name      string
		buf       []byte
		want      error
		format    string
		errSample int // index of the sample with Err set, -1 for none
		samples   int // samples framed
		records   []int
	}{
		{"record shorter than its structure, next sample decoded",
			dxDatagram("192.0.2.1", 0, 9, 1, dxCounterSample(4, 1, dxRecord(0, CounterHostParent, make([]byte, 8)),
				dxRecord(0, CounterHostCPU, make([]byte, 60)), dxRecord(0, CounterHostParent, make([]byte, 8))), good),
			ErrTruncated, "counter 0:2003", 0, 2, []int{1, 1}},
		{"record length past the sample",
			// gopacket's SFlowTestPacket5: sample length 52, content 56.
			dxDatagram("192.0.2.1", 0, 9, 1, dxBytes(func(x *dxBuf) {
				x.u32(SampleFlow, 32+8+12).u32(1, 1, 1, 1, 0, 1, 2, 1).u32(FlowExtRouter, 16).u32(1, 0xc0a80121, 32, 0xffffff80)
			})),
			ErrBadLength, "flow 0:1002", 0, 1, []int{0}},
		{"sample length past the datagram, its records still read",
			dxBytes(func(x *dxBuf) {
				x.u32(5, 1).ip("127.0.0.1").u32(0, 0x38e5, 1, 1)
				x.u32(SampleCounters, 116, 1, 1, 1).raw(dxRecord(0, CounterHostParent, make([]byte, 8)))
			}),
			ErrBadLength, "sample 0:2", 0, 1, []int{1}},
		{"more samples declared than present",
			dxBytes(func(x *dxBuf) { x.u32(5, 1).ip("127.0.0.1").u32(0, 1, 1, 3).raw(good) }),
			ErrTooMany, "sample", -1, 1, []int{1}},
		{"more records declared than present",
			dxDatagram("192.0.2.1", 0, 1, 1, dxBytes(func(x *dxBuf) {
				x.u32(SampleFlow, uint32(32+len(sw))).u32(1, 1, 1, 1, 0, 1, 2, 1000000).raw(sw)
			})),
			ErrTooMany, "sample 0:1", 0, 1, []int{1}},
		{"sample header shorter than its structure",
			dxDatagram("192.0.2.1", 0, 1, 1, dxBytes(func(x *dxBuf) { x.u32(SampleFlowExpanded, 8, 77, 0) }), good),
			ErrTruncated, "sample 0:3", 0, 2, []int{0, 1}},
		{"partial sample header at the end",
			append(dxBytes(func(x *dxBuf) { x.u32(5, 1).ip("127.0.0.1").u32(0, 1, 1, 2) }), append(good, 0, 0, 0)...),
			ErrTruncated, "sample", -1, 1, []int{1}},
		{"bad next-hop address type",
			dxFlowDatagram(dxRecord(0, FlowExtRouter, dxBytes(func(x *dxBuf) { x.u32(7, 1, 2, 3) }))),
			ErrBadAddress, "flow 0:1002", 0, 1, []int{0}},
		{"string longer than its record",
			dxFlowDatagram(sw, dxRecord(0, FlowExtFunction, dxBytes(func(x *dxBuf) { x.u32(100).raw([]byte("abcd")) }))),
			ErrTruncated, "flow 0:1038", 0, 1, []int{1}},
		{"AS path segment count beyond the record",
			dxFlowDatagram(dxRecord(0, FlowExtGateway, dxBytes(func(x *dxBuf) { x.addr("10.0.0.1").u32(1, 2, 3, 0xFFFFFFFF, 0, 0) }))),
			ErrTooMany, "flow 0:1003", 0, 1, []int{0}},
		{"AS count inside a segment beyond the record",
			dxFlowDatagram(dxRecord(0, FlowExtGateway, dxBytes(func(x *dxBuf) { x.addr("10.0.0.1").u32(1, 2, 3, 1, 2, 0x40000000, 0, 0) }))),
			ErrTooMany, "flow 0:1003", 0, 1, []int{0}},
		{"community count beyond the record",
			dxFlowDatagram(dxRecord(0, FlowExtGateway, dxBytes(func(x *dxBuf) { x.addr("10.0.0.1").u32(1, 2, 3, 0, 0x7FFFFFFF, 100) }))),
			ErrTooMany, "flow 0:1003", 0, 1, []int{0}},
		{"adapter count beyond the record",
			dxCounterDatagram(dxRecord(0, CounterHostAdapters, dxBytes(func(x *dxBuf) { x.u32(0xFFFFFFFF, 1, 0) }))),
			ErrTooMany, "counter 0:2001", 0, 1, []int{0}},
		{"MAC count beyond the record",
			dxCounterDatagram(dxRecord(0, CounterHostAdapters, dxBytes(func(x *dxBuf) { x.u32(1, 1, 0x20000000) }))),
			ErrTooMany, "counter 0:2001", 0, 1, []int{0}},
		{"label count beyond the record",
			dxFlowDatagram(dxRecord(0, FlowExtMPLS, dxBytes(func(x *dxBuf) { x.addr("10.0.0.1").u32(0, 3, 1) }))),
			ErrTooMany, "flow 0:1006", 0, 1, []int{0}},
		{"VLAN tag count beyond the record",
			dxFlowDatagram(dxRecord(0, FlowExtVLANTunnel, dxBytes(func(x *dxBuf) { x.u32(0x40000000, 1) }))),
			ErrTooMany, "flow 0:1012", 0, 1, []int{0}},
		{"SFP lane count beyond the record",
			dxCounterDatagram(dxRecord(0, CounterSFP, dxBytes(func(x *dxBuf) { x.u32(1, 1, 1, 1, 2).u32(dxSeq(1, 10)...) }))),
			ErrTooMany, "counter 0:10", 0, 1, []int{0}},
		{"NAT address type",
			dxFlowDatagram(dxRecord(0, FlowExtNAT, dxBytes(func(x *dxBuf) { x.addr("10.0.0.1").u32(3, 0) }))),
			ErrBadAddress, "flow 0:1007", 0, 1, []int{0}},
		{"sampled header length beyond the record",
			dxFlowDatagram(dxRecord(0, FlowSampledHeader, dxBytes(func(x *dxBuf) { x.u32(1, 1518, 4, 0xFFFFFFF0, 0) }))),
			ErrTruncated, "flow 0:1", 0, 1, []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, de := dxDecodeErr(t, tt.buf)
			if de == nil {
				t.Fatal("no error")
			}
			if !errors.Is(de, tt.want) || de.Format != tt.format {
				t.Errorf("error %v (format %q), want %v in %q", de, de.Format, tt.want, tt.format)
			}
			if de.Offset <= 0 || de.Offset > len(tt.buf) {
				t.Errorf("offset %d outside the datagram", de.Offset)
			}
			if len(d.Samples) != tt.samples {
				t.Fatalf("%d samples framed, want %d", len(d.Samples), tt.samples)
			}
			for i, s := range d.Samples {
				if len(s.Records) != tt.records[i] {
					t.Errorf("sample %d: %d records, want %d", i, len(s.Records), tt.records[i])
				}
				if wantErr := i == tt.errSample; (s.Err != nil) != wantErr || (wantErr && s.Err != de) {
					t.Errorf("sample %d: Err = %v", i, s.Err)
				}
			}
		})
	}
}

// A datagram with one of everything, used by the cut-anywhere test, the fuzz seeds and the allocation tests.
func dxRichDatagram(t testing.TB) []byte {
	hdr := dxEthIPv4TCPHeader(t, 128)
	return dxDatagram("2001:db8::7", 100000, 42, 99000,
		dxFlowSample(1, 17, 400, 4000, 0, 3, 0x3FFFFFFF,
			dxRecord(0, FlowSampledHeader, dxBytes(func(x *dxBuf) { x.u32(1, 1518, 4).opaque(hdr) })),
			dxRecord(0, FlowExtSwitch, make([]byte, 16)),
			dxRecord(0, FlowExtGateway, dxBytes(func(x *dxBuf) {
				x.addr("10.0.0.1").u32(1, 2, 3, 1, 2, 2, 64512, 64513, 1, 7, 100)
			})),
			dxRecord(0, FlowHTTPRequest, dxBytes(func(x *dxBuf) {
				x.u32(2, 1001).str("/a").str("h").str("").str("ua").str("").str("").str("text/html").u64(1, 2).u32(3, 200)
			})),
			dxRecord(0, FlowExtSocketIPv6, make([]byte, 44)),
			dxRecord(7, 7, []byte{1, 2, 3})),
		dxCounterSampleExpanded(2, 2, 1,
			dxRecord(0, CounterHostDescr, dxBytes(func(x *dxBuf) { x.str("web-1").raw(make([]byte, 16)).u32(3, 2).str("6.1") })),
			dxRecord(0, CounterHostAdapters, dxBytes(func(x *dxBuf) { x.u32(1, 2, 1).mac(dxMAC1) })),
			dxRecord(0, CounterHostCPU, make([]byte, 80)),
			dxRecord(0, CounterJVMStatistics, make([]byte, 108))),
		dxDiscardSample(3, 0, 2, 1, 2, 0, 258,
			dxRecord(0, FlowLinuxDropReason, dxBytes(func(x *dxBuf) { x.str("NO_SOCKET") }))),
	)
}

func TestDecodeCutAnywhere(t *testing.T) {
	full := dxRichDatagram(t)
	dec := NewDecoder()
	var d Datagram
	if err := dec.Decode(full, &d); err != nil {
		t.Fatalf("full datagram: %v", err)
	}
	if len(d.Samples) != 3 || d.UnknownRecords != 1 {
		t.Fatalf("full datagram: %d samples, %d unknown records", len(d.Samples), d.UnknownRecords)
	}
	sentinels := []error{ErrTruncated, ErrBadLength, ErrTooMany, ErrBadAddress, ErrBadVersion}
	for n := range len(full) {
		cut := full[:n]
		err := dec.Decode(cut, &d)
		if err == nil {
			t.Fatalf("cut at %d of %d: no error", n, len(full))
		}
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("cut at %d: %T %v", n, err, err)
		}
		known := false
		for _, s := range sentinels {
			known = known || errors.Is(err, s)
		}
		if !known || de.Offset < 0 || de.Offset > n {
			t.Fatalf("cut at %d: %v", n, err)
		}
		for _, s := range d.Samples {
			for _, r := range s.Records {
				if r.Offset+8+len(r.Data) > n {
					t.Fatalf("cut at %d: record at %d runs past the cut", n, r.Offset)
				}
			}
		}
	}
}

func TestDecodeReusesDatagram(t *testing.T) {
	dec := NewDecoder()
	var d Datagram
	if err := dec.Decode(dxRichDatagram(t), &d); err != nil {
		t.Fatal(err)
	}
	bad := dxFlowDatagram(dxRecord(0, FlowExtSwitch, make([]byte, 4)))
	if err := dec.Decode(bad, &d); err == nil || len(d.Errors) != 1 {
		t.Fatalf("bad datagram: %v, errors %v", err, d.Errors)
	}
	small := dxCounterDatagram(dxRecord(0, CounterHostParent, dxBytes(func(x *dxBuf) { x.u32(3, 9) })))
	if err := dec.Decode(small, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Samples) != 1 || len(d.Errors) != 0 || d.UnknownRecords != 0 || d.UnknownSamples != 0 ||
		d.AgentAddr != netip.MustParseAddr("192.0.2.1") || d.SubAgentID != 100000 {
		t.Fatalf("stale state: %+v", d)
	}
	r := &d.Samples[0].Records[0]
	if hp := d.HostParent(r); hp == nil || hp.ContainerIndex != 9 || d.HostCPU(r) != nil {
		t.Fatal("wrong record after reuse")
	}
	if err := dec.Decode([]byte{0, 0, 0, 5}, &d); err == nil || len(d.Samples) != 0 || d.AgentAddr.IsValid() {
		t.Fatalf("after a datagram error: %v, %+v", err, d)
	}

	// Whatever d held before, decoding into it gives what decoding into a new Datagram gives (every field,
	// including ones added to Datagram later).
	inputs := [][]byte{dxRichDatagram(t), bad, small, dxDatagram("192.0.2.1", 0, 1, 1), {0, 0, 0, 5}}
	for i, before := range inputs {
		for j, buf := range inputs {
			var reused, fresh Datagram
			_ = dec.Decode(before, &reused)
			errReused := dec.Decode(buf, &reused)
			errFresh := NewDecoder().Decode(buf, &fresh)
			// %+v prints nil and empty slices alike, which is the difference reuse is allowed to make.
			if got, want := fmt.Sprintf("%+v", reused), fmt.Sprintf("%+v", fresh); got != want || (errReused == nil) != (errFresh == nil) {
				t.Errorf("input %d after input %d differs from a fresh decode:\n%s\n%s", j, i, got, want)
			}
		}
	}
}

// dxPoison sets every field of v, exported or not, to a non-zero value.
func dxPoison(v reflect.Value) {
	if !v.CanSet() {
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(0x5a)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(0x5a)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Array:
		for i := range v.Len() {
			dxPoison(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			dxPoison(v.Field(i))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Interface:
		v.Set(reflect.ValueOf(errors.New("poison")))
	}
}

// dxPoisonSpare poisons every element of a slice up to its capacity: the slots the next Decode reuses.
func dxPoisonSpare(slice reflect.Value) {
	if !slice.CanSet() {
		slice = reflect.NewAt(slice.Type(), unsafe.Pointer(slice.UnsafeAddr())).Elem()
	}
	full := slice.Slice3(0, slice.Cap(), slice.Cap())
	for i := range full.Len() {
		dxPoison(full.Index(i))
	}
}

// dxDump renders everything a Datagram holds, typed records included, with errors by value.
func dxDump(d *Datagram) string {
	var b strings.Builder
	top := *d
	top.Samples, top.Errors, top.records, top.store = nil, nil, nil, recordStore{}
	fmt.Fprintf(&b, "%+v\nerrors %v\n", top, d.Errors)
	for _, s := range d.Samples {
		err := s.Err
		s.Records, s.Err = nil, nil
		fmt.Fprintf(&b, "sample %+v err %v\n", s, err)
	}
	for i := range d.Samples {
		for j := range d.Samples[i].Records {
			r := &d.Samples[i].Records[j]
			fmt.Fprintf(&b, "record %+v %+v\n", *r, dxRecordValue(d, r))
		}
	}
	return b.String()
}

// Decode writes the samples and records of d into the slots its slices already have and must set every field
// of each: whatever was left there, the result is what a fresh Datagram gets.
func TestDecodeOverwritesStaleSlots(t *testing.T) {
	inputs := [][]byte{dxRichDatagram(t), dxSwitchDatagram(t), dxHostDatagram(), dxAppDatagram(),
		dxFlowDatagram(dxRecord(0, FlowExtSwitch, make([]byte, 4))), dxRichDatagram(t)[:300]}
	for i, buf := range inputs {
		dec := NewDecoder()
		var reused Datagram
		for _, other := range inputs { // give every slice room
			_ = dec.Decode(other, &reused)
		}
		dxPoisonSpare(reflect.ValueOf(&reused.Samples).Elem())
		dxPoisonSpare(reflect.ValueOf(&reused.records).Elem())
		store := reflect.ValueOf(&reused.store).Elem()
		for _, st := range []reflect.Value{store, store.FieldByName("rare")} {
			for f := range st.NumField() {
				if st.Field(f).Kind() == reflect.Slice {
					dxPoisonSpare(st.Field(f))
				}
			}
		}
		errReused := dec.Decode(buf, &reused)
		var fresh Datagram
		errFresh := NewDecoder().Decode(buf, &fresh)
		if got, want := dxDump(&reused), dxDump(&fresh); got != want || fmt.Sprint(errReused) != fmt.Sprint(errFresh) {
			t.Errorf("input %d decoded over poisoned slots:\n%s\nfresh:\n%s", i, got, want)
		}
	}
}

func TestDecodeSetDecodeHeaders(t *testing.T) {
	buf := dxFlowDatagram(dxRecord(0, FlowSampledHeader, dxBytes(func(x *dxBuf) { x.u32(1, 1518, 4).opaque(dxEthIPv4TCPHeader(t, 128)) })))
	dec := NewDecoder()
	var d Datagram
	for _, on := range []bool{false, true} {
		dec.SetDecodeHeaders(on)
		if err := dec.Decode(buf, &d); err != nil {
			t.Fatal(err)
		}
		h := d.SampledHeader(&d.Samples[0].Records[0])
		if h.Packet.Decoded != on || len(h.Header) != 128 {
			t.Errorf("decode headers %v: Decoded %v, header %d bytes", on, h.Packet.Decoded, len(h.Header))
		}
	}
}

// Counts are never trusted: a tiny datagram claiming billions of things allocates nothing.
func TestDecodeHugeCountsAllocateNothing(t *testing.T) {
	inputs := map[string][]byte{
		"num_samples": dxBytes(func(x *dxBuf) { x.u32(5, 1).ip("127.0.0.1").u32(0, 1, 1, 0xFFFFFFFF) }),
		"num_records": dxDatagram("192.0.2.1", 0, 1, 1, dxBytes(func(x *dxBuf) { x.u32(SampleCounters, 12, 1, 1, 0xFFFFFFFF) })),
		"AS path": dxFlowDatagram(dxRecord(0, FlowExtGateway, dxBytes(func(x *dxBuf) {
			x.addr("10.0.0.1").u32(1, 2, 3, 0xFFFFFFFF)
		}))),
		"communities": dxFlowDatagram(dxRecord(0, FlowExtGateway, dxBytes(func(x *dxBuf) {
			x.addr("10.0.0.1").u32(1, 2, 3, 0, 0xFFFFFFFF)
		}))),
		"adapters": dxCounterDatagram(dxRecord(0, CounterHostAdapters, dxBytes(func(x *dxBuf) { x.u32(0xFFFFFFFF) }))),
		"string":   dxCounterDatagram(dxRecord(0, CounterPortName, dxBytes(func(x *dxBuf) { x.u32(0xFFFFFFFF) }))),
		"sample length": dxBytes(func(x *dxBuf) {
			x.u32(5, 1).ip("127.0.0.1").u32(0, 1, 1, 1, SampleCounters, 0xFFFFFFFF, 1, 1, 0xFFFFFFFF)
		}),
	}
	for name, buf := range inputs {
		t.Run(name, func(t *testing.T) {
			dec := NewDecoder()
			var d Datagram
			if err := dec.Decode(buf, &d); err == nil {
				t.Fatal("no error")
			}
			allocs := testing.AllocsPerRun(100, func() { _ = dec.Decode(buf, &d) })
			if allocs != 0 {
				t.Errorf("%v allocs per decode", allocs)
			}
		})
	}
}

func TestDecodeAllocationFree(t *testing.T) {
	buf := dxRichDatagram(t)
	dec := NewDecoder()
	var d Datagram
	if err := dec.Decode(buf, &d); err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(200, func() { _ = dec.Decode(buf, &d) }); allocs != 0 {
		t.Errorf("%v allocs per decode in steady state", allocs)
	}
}

func TestDecodeErrorMessage(t *testing.T) {
	_, de := dxDecodeErr(t, dxCounterDatagram(dxRecord(0, CounterHostCPU, make([]byte, 40))))
	want := "sflow: counter 0:2003 at offset 48 (sequence 9): truncated"
	if de == nil || de.Error() != want {
		t.Errorf("message %q, want %q", de, want)
	}
}

// ---------------------------------------------------------------- the shared captures

// dxFindShared returns ../shared beside the repository (the directory holding go.mod), if it exists.
func dxFindShared() (string, bool) {
	p, ok := sharedtest.Find("captures")
	return filepath.Dir(p), ok
}

// dxSharedDir returns ../shared, skipping the test when it is absent (failing it under CI=true).
func dxSharedDir(t testing.TB) string {
	t.Helper()
	return filepath.Dir(sharedtest.Dir(t, "captures"))
}

// dxCaptures lists the capture files.
func dxCaptures(t testing.TB, shared string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(shared, "captures", "*.pcap"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in %s: %v", shared, err)
	}
	return files
}

// dxCaptureDatagrams returns the sFlow datagram of every frame of a pcap file, in order.
func dxCaptureDatagrams(t testing.TB, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var (
		eth     layers.Ethernet
		vlan    layers.Dot1Q
		ip4     layers.IPv4
		ip6     layers.IPv6
		udp     layers.UDP
		decoded []gopacket.LayerType
	)
	parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &vlan, &ip4, &ip6, &udp)
	parser.IgnoreUnsupported = true
	var out [][]byte
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: frame %d: %v", path, len(out), err)
		}
		if err := parser.DecodeLayers(data, &decoded); err != nil || !slices.Contains(decoded, layers.LayerTypeUDP) {
			t.Fatalf("%s: frame %d: no UDP (%v)", path, len(out), err)
		}
		// Everything after the UDP header, as sflowtool reads a capture (datagramSize), even where the UDP
		// length says less (tcpdump's segv case). ReadPacketData returns a slice of exactly the frame.
		out = append(out, append([]byte(nil), udp.Payload[:cap(udp.Payload)]...))
	}
}

// dxMalformed are the captures that sflowtool reports as malformed (see captures/README.md), and what this
// decoder makes of them instead.
var dxMalformed = map[string]func(t *testing.T, d *Datagram, err error){
	"goflow2--TestSFlowDecodeDropExtendedFunction": func(t *testing.T, d *Datagram, err error) {
		// Record length 10, string not padded: tolerated.
		if err != nil || string(d.String(&d.Samples[0].Records[0]).Value) != "foobar" {
			t.Errorf("err %v", err)
		}
	},
	"gopacket--SFlowTestPacket5": func(t *testing.T, d *Datagram, err error) {
		if !errors.Is(err, ErrBadLength) || len(d.Samples) != 1 || d.Samples[0].Err == nil {
			t.Errorf("err %v", err)
		}
	},
	"gopacket--SFlowTestPacket8": func(t *testing.T, d *Datagram, err error) {
		if !errors.Is(err, ErrBadLength) || len(d.Samples) != 1 || d.Samples[0].Err == nil {
			t.Errorf("err %v", err)
		}
	},
	"gopacket--SFlowTestPacket11": func(t *testing.T, d *Datagram, err error) {
		// Sample length 116 with 76 bytes present: the LAG record inside is still read.
		if !errors.Is(err, ErrBadLength) || len(d.Samples) != 1 || len(d.Samples[0].Records) != 1 ||
			d.LACPCounters(&d.Samples[0].Records[0]) == nil {
			t.Errorf("err %v", err)
		}
	},
	"tcpdump--sflow_print-segv": func(t *testing.T, d *Datagram, err error) {
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("err %v", err)
		}
	},
	"vflow--TestsFlowRawPacketWithPaddingAfterSample": func(t *testing.T, d *Datagram, err error) {
		// A sample length 4 bytes larger than its content: vendor padding, tolerated; all 5 samples read.
		if err != nil || len(d.Samples) != 5 || d.NumSamples != 5 {
			t.Fatalf("err %v, %d samples", err, len(d.Samples))
		}
		for i, s := range d.Samples {
			if len(s.Records) == 0 || len(s.Records) != int(s.NumRecords) {
				t.Errorf("sample %d: %d of %d records", i, len(s.Records), s.NumRecords)
			}
		}
	},
}

// dxExpected is the part of sflowtool's JSON (sflowtool -j) this test compares.
type dxExpected struct {
	Size     string `json:"datagramSize"`
	Version  string `json:"datagramVersion"`
	Agent    string `json:"agent"`
	SubAgent string `json:"agentSubId"`
	Sequence string `json:"packetSequenceNo"`
	Uptime   string `json:"sysUpTime"`
	Samples  string `json:"samplesInPacket"`
	Sample   []struct {
		Tag      string           `json:"sampleType_tag"`
		Sequence string           `json:"sampleSequenceNo"`
		SourceID string           `json:"sourceId"`
		Rate     string           `json:"meanSkipCount"`
		Input    string           `json:"inputPort"`
		Output   string           `json:"outputPort"`
		Elements []map[string]any `json:"elements"`
	} `json:"samples"`
}

func dxTag(enterprise, format uint32) string {
	return strconv.FormatUint(uint64(enterprise), 10) + ":" + strconv.FormatUint(uint64(format), 10)
}

func TestDecodeCaptures(t *testing.T) {
	shared := dxSharedDir(t)
	dec := NewDecoder()
	var d Datagram
	for _, path := range dxCaptures(t, shared) {
		name := strings.TrimSuffix(filepath.Base(path), ".pcap")
		t.Run(name, func(t *testing.T) {
			datagrams := dxCaptureDatagrams(t, path)
			lines, err := os.ReadFile(filepath.Join(shared, "captures", "expected", name+".jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			expected := strings.Split(strings.TrimSpace(string(lines)), "\n")
			if len(expected) != len(datagrams) {
				t.Fatalf("%d datagrams, %d expected lines", len(datagrams), len(expected))
			}
			for i, buf := range datagrams {
				err := dec.Decode(buf, &d)
				if check, ok := dxMalformed[name]; ok {
					check(t, &d, err)
					continue
				}
				var want dxExpected
				if err := json.Unmarshal([]byte(expected[i]), &want); err != nil {
					t.Fatalf("datagram %d: expected line: %v", i, err)
				}
				if want.Size != strconv.Itoa(len(buf)) {
					t.Errorf("datagram %d: %d bytes, sflowtool %s", i, len(buf), want.Size)
				}
				if want.Version != "5" {
					if !errors.Is(err, ErrBadVersion) || strconv.FormatUint(uint64(d.Version), 10) != want.Version {
						t.Errorf("datagram %d: version %s: err %v", i, want.Version, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("datagram %d: %v", i, err)
					continue
				}
				dxCompareDatagram(t, i, &d, &want)
			}
		})
	}
}

func dxCompareDatagram(t *testing.T, i int, d *Datagram, want *dxExpected) {
	t.Helper()
	u := func(v uint32) string { return strconv.FormatUint(uint64(v), 10) }
	agent, err := netip.ParseAddr(want.Agent)
	if err != nil || d.AgentAddr != agent || u(d.SubAgentID) != want.SubAgent || u(d.SequenceNumber) != want.Sequence ||
		u(d.Uptime) != want.Uptime || u(d.NumSamples) != want.Samples {
		t.Errorf("datagram %d: header %v/%d seq %d uptime %d samples %d, sflowtool %+v", i, d.AgentAddr, d.SubAgentID,
			d.SequenceNumber, d.Uptime, d.NumSamples, want)
	}
	if len(d.Samples) != len(want.Sample) {
		t.Fatalf("datagram %d: %d samples, sflowtool %d", i, len(d.Samples), len(want.Sample))
	}
	for j := range d.Samples {
		s, ws := &d.Samples[j], &want.Sample[j]
		where := fmt.Sprintf("datagram %d sample %d", i, j)
		if dxTag(s.Enterprise, s.Format) != ws.Tag || u(s.SequenceNumber) != ws.Sequence || s.SourceID() != ws.SourceID {
			t.Errorf("%s: %s seq %d source %s, sflowtool %s seq %s source %s", where, dxTag(s.Enterprise, s.Format),
				s.SequenceNumber, s.SourceID(), ws.Tag, ws.Sequence, ws.SourceID)
		}
		if s.Kind == SampleKindFlow && (u(s.SamplingRate) != ws.Rate || s.Input.String() != ws.Input || s.Output.String() != ws.Output) {
			t.Errorf("%s: rate %d in %s out %s, sflowtool %s %s %s", where, s.SamplingRate, s.Input, s.Output, ws.Rate, ws.Input, ws.Output)
		}
		if s.Kind == SampleKindDiscard && (s.Input.String() != ws.Input || s.Output.String() != ws.Output) {
			t.Errorf("%s: in %s out %s, sflowtool %s %s", where, s.Input, s.Output, ws.Input, ws.Output)
		}
		if len(s.Records) != len(ws.Elements) {
			t.Errorf("%s: %d records, sflowtool %d", where, len(s.Records), len(ws.Elements))
			continue
		}
		for k := range s.Records {
			r, el := &s.Records[k], dxUnprefixed(ws.Elements[k])
			tag := el["flowBlock_tag"] + el["counterBlock_tag"]
			if dxTag(r.Enterprise, r.Format) != tag {
				t.Errorf("%s record %d: %s, sflowtool %s", where, k, dxTag(r.Enterprise, r.Format), tag)
			}
			if r.Type == RecSampledHeader {
				dxCompareHeader(t, where, d.SampledHeader(r), el)
			}
		}
	}
}

// dxUnprefixed keeps the string values of an element and drops the "discarded_" prefix sflowtool puts on the
// keys of discard samples.
func dxUnprefixed(el map[string]any) map[string]string {
	out := make(map[string]string, len(el))
	for k, v := range el {
		if s, ok := v.(string); ok {
			out[strings.TrimPrefix(k, "discarded_")] = s
		}
	}
	return out
}

// dxCompareHeader checks the header summary against the fields sflowtool decoded from the same bytes.
func dxCompareHeader(t *testing.T, where string, h *SampledHeader, el map[string]string) {
	t.Helper()
	p := &h.Packet
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	checks := []struct {
		key, got string
	}{
		{"dstMAC", MACString(p.DstMAC)},
		{"srcMAC", MACString(p.SrcMAC)},
		{"decodedVLAN", u(uint64(p.VLANs[0]))},
		{"decodedPriority", u(uint64(p.Priority))},
		{"decodedVLAN.1", u(uint64(p.VLANs[1]))},
		{"ethernet_type", u(uint64(p.EtherType))},
		{"ip.tot_len", u(uint64(p.IPLength))},
		{"IPProtocol", u(uint64(p.IPProtocol))},
		{"IPTOS", u(uint64(p.TOS))},
		{"IPTTL", u(uint64(p.TTL))},
		{"IPID", u(uint64(p.IPID>>8 | p.IPID<<8))}, // sflowtool prints it without ntohs
		{"IP6_label", "0x" + strconv.FormatUint(uint64(p.FlowLabel), 16)},
		{"TCPSrcPort", u(uint64(p.SrcPort))},
		{"TCPDstPort", u(uint64(p.DstPort))},
		{"TCPFlags", u(uint64(p.TCPFlags))},
		{"UDPSrcPort", u(uint64(p.SrcPort))},
		{"UDPDstPort", u(uint64(p.DstPort))},
		{"ICMPType", u(uint64(p.ICMPType))},
		{"ICMPCode", u(uint64(p.ICMPCode))},
	}
	for _, c := range checks {
		if want, ok := el[c.key]; ok && want != c.got {
			t.Errorf("%s header: %s = %s, sflowtool %s", where, c.key, c.got, want)
		}
	}
	for _, k := range [][3]string{{"srcIP", "dstIP"}, {"srcIP6", "dstIP6"}} {
		src, okS := el[k[0]]
		dst, okD := el[k[1]]
		if !okS || !okD {
			continue
		}
		ws, err1 := netip.ParseAddr(src)
		wd, err2 := netip.ParseAddr(dst)
		if err1 != nil || err2 != nil || ws != p.SrcIP || wd != p.DstIP {
			t.Errorf("%s header: %v > %v, sflowtool %s > %s", where, p.SrcIP, p.DstIP, src, dst)
		}
	}
	if _, ok := el["srcIP"]; ok && !p.Decoded {
		t.Errorf("%s header: not decoded", where)
	}
}
