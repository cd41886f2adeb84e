package sflow

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var (
	bytesType = reflect.TypeFor[[]byte]()
	addrType  = reflect.TypeFor[netip.Addr]()
	packetSum = reflect.TypeFor[PacketSummary]()
)

// valuesEqual compares two typed record values field by field: byte slices by content (nil equals empty, as a
// decoded empty string is an empty sub-slice), addresses with ==, and the decoded PacketSummary of a
// SampledHeader not at all (it is derived from Header). It returns the path of the first difference.
func valuesEqual(a, b reflect.Value, path string) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %v vs %v", path, a.Type(), b.Type())
	}
	switch {
	case a.Type() == bytesType:
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			return fmt.Sprintf("%s: %q vs %q", path, a.Bytes(), b.Bytes())
		}
		return ""
	case a.Type() == addrType:
		if a.Interface().(netip.Addr) != b.Interface().(netip.Addr) {
			return fmt.Sprintf("%s: %v vs %v", path, a.Interface(), b.Interface())
		}
		return ""
	case a.Type() == packetSum:
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil vs non-nil", path)
			}
			return ""
		}
		return valuesEqual(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			if d := valuesEqual(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Array:
		for i := range a.Len() {
			if d := valuesEqual(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Float32, reflect.Float64:
		if a.Float() != b.Float() {
			return fmt.Sprintf("%s: %v vs %v", path, a.Float(), b.Float())
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%s: %v vs %v", path, a.Interface(), b.Interface())
	}
	return ""
}

// diffDatagrams returns the first difference between a built datagram and its decoded copy, or "".
func diffDatagrams(want, got *Datagram) string {
	if len(got.Errors) > 0 {
		return fmt.Sprintf("decode errors: %v", got.Errors)
	}
	type header struct {
		Version, SubAgentID, SequenceNumber, Uptime, NumSamples uint32
		AgentAddr                                               netip.Addr
		UnknownSamples, UnknownRecords, Samples                 int
	}
	hw := header{want.Version, want.SubAgentID, want.SequenceNumber, want.Uptime, want.NumSamples, want.AgentAddr,
		want.UnknownSamples, want.UnknownRecords, len(want.Samples)}
	hg := header{got.Version, got.SubAgentID, got.SequenceNumber, got.Uptime, got.NumSamples, got.AgentAddr,
		got.UnknownSamples, got.UnknownRecords, len(got.Samples)}
	if hw != hg {
		return fmt.Sprintf("datagram header %+v vs %+v", hw, hg)
	}
	for i := range want.Samples {
		ws, gs := &want.Samples[i], &got.Samples[i]
		type sampleHeader struct {
			Kind                                                       SampleKind
			Enterprise, Format                                         uint32
			Expanded                                                   bool
			SequenceNumber, SourceIDClass, SourceIDIndex, SamplingRate uint32
			SamplePool, Drops, DropReason, NumRecords                  uint32
			Input, Output                                              Interface
			Records                                                    int
		}
		sw := sampleHeader{ws.Kind, ws.Enterprise, ws.Format, ws.Expanded, ws.SequenceNumber, ws.SourceIDClass,
			ws.SourceIDIndex, ws.SamplingRate, ws.SamplePool, ws.Drops, ws.DropReason, ws.NumRecords, ws.Input,
			ws.Output, len(ws.Records)}
		sg := sampleHeader{gs.Kind, gs.Enterprise, gs.Format, gs.Expanded, gs.SequenceNumber, gs.SourceIDClass,
			gs.SourceIDIndex, gs.SamplingRate, gs.SamplePool, gs.Drops, gs.DropReason, gs.NumRecords, gs.Input,
			gs.Output, len(gs.Records)}
		if sw != sg {
			return fmt.Sprintf("sample %d header %+v vs %+v", i, sw, sg)
		}
		if ws.Kind == SampleKindUnknown && !bytes.Equal(ws.Data, gs.Data) {
			return fmt.Sprintf("sample %d data % x vs % x", i, ws.Data, gs.Data)
		}
		for j := range ws.Records {
			wr, gr := &ws.Records[j], &gs.Records[j]
			where := fmt.Sprintf("sample %d record %d (type %d, %d:%d)", i, j, wr.Type, wr.Enterprise, wr.Format)
			if wr.Type != gr.Type || wr.Enterprise != gr.Enterprise || wr.Format != gr.Format {
				return fmt.Sprintf("%s decoded as type %d, %d:%d", where, gr.Type, gr.Enterprise, gr.Format)
			}
			if wr.Type == RecUnknown {
				if !bytes.Equal(wr.Data, gr.Data) {
					return fmt.Sprintf("%s: data % x vs % x", where, wr.Data, gr.Data)
				}
				continue
			}
			wv, gv := reflect.ValueOf(recordValue(want, wr)), reflect.ValueOf(recordValue(got, gr))
			if wv.IsNil() || gv.IsNil() {
				return fmt.Sprintf("%s: no typed value (built %v, decoded %v)", where, !wv.IsNil(), !gv.IsNil())
			}
			if d := valuesEqual(wv, gv, where); d != "" {
				return d
			}
		}
	}
	return ""
}

// TestEncodeLayoutVariants pins the body lengths of the records whose layout a value chooses.
func TestEncodeLayoutVariants(t *testing.T) {
	v4, v6 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	tests := []struct {
		name   string
		add    func(d *Datagram, s *Sample)
		kind   SampleKind
		format uint32
		length uint32
	}{
		{"host_cpu 68", func(d *Datagram, s *Sample) { d.AddHostCPU(s, HostCPU{}) }, SampleKindCounters, 2003, 68},
		{"host_cpu 80", func(d *Datagram, s *Sample) { d.AddHostCPU(s, HostCPU{Len80: true}) }, SampleKindCounters, 2003, 80},
		{"jvm 100", func(d *Datagram, s *Sample) { d.AddJVMStatistics(s, JVMStatistics{}) }, SampleKindCounters, 2106, 100},
		{"jvm 108", func(d *Datagram, s *Sample) { d.AddJVMStatistics(s, JVMStatistics{Len108: true}) }, SampleKindCounters, 2106, 108},
		{"memcache 2204", func(d *Datagram, s *Sample) { d.AddMemcacheCounters(s, MemcacheCounters{}) }, SampleKindCounters, 2204, 140},
		{"memcache 2200", func(d *Datagram, s *Sample) { d.AddMemcacheCounters(s, MemcacheCounters{Legacy: true}) }, SampleKindCounters, 2200, 144},
		{"virt_net_io", func(d *Datagram, s *Sample) { d.AddHostNetIO(s, HostNetIO{Virt: true}) }, SampleKindCounters, 2104, 40},
		{"if_counters", func(d *Datagram, s *Sample) { d.AddIfCounters(s, IfCounters{}) }, SampleKindCounters, 1, 88},
		{"lacp", func(d *Datagram, s *Sample) { d.AddLACPCounters(s, LACPCounters{}) }, SampleKindCounters, 7, 56},
		{"broadcom", func(d *Datagram, s *Sample) { d.AddBroadcomTables(s, BroadcomTables{}) }, SampleKindCounters, 4413<<12 | 3, 144},
		{"socket4", func(d *Datagram, s *Sample) { d.AddSocket(s, Socket{LocalIP: v4, RemoteIP: v4}) }, SampleKindFlow, 2100, 20},
		{"socket6 proxy", func(d *Datagram, s *Sample) { d.AddSocket(s, Socket{Proxy: true, LocalIP: v6, RemoteIP: v6}) }, SampleKindFlow, 2103, 44},
		{"http 2206", func(d *Datagram, s *Sample) { d.AddHTTPRequest(s, HTTPRequest{URI: []byte("/a")}) }, SampleKindFlow, 2206, 4*2 + 8 + 6*4 + 8 + 8 + 8},
		{"http 2201", func(d *Datagram, s *Sample) { d.AddHTTPRequest(s, HTTPRequest{Legacy: true}) }, SampleKindFlow, 2201, 4*2 + 6*4 + 8 + 8},
		{"sampled_ipv6", func(d *Datagram, s *Sample) { d.AddSampledIPv6(s, SampledIP{SrcIP: v6, DstIP: v6}) }, SampleKindFlow, 4, 56},
		{"router v6", func(d *Datagram, s *Sample) { d.AddExtRouter(s, ExtRouter{NextHop: v6}) }, SampleKindFlow, 1002, 28},
		{"router none", func(d *Datagram, s *Sample) { d.AddExtRouter(s, ExtRouter{}) }, SampleKindFlow, 1002, 12},
		{"header 5 bytes", func(d *Datagram, s *Sample) { d.AddSampledHeader(s, SampledHeader{Header: []byte("12345")}) }, SampleKindFlow, 1, 16 + 8},
		{"initiator", func(d *Datagram, s *Sample) { d.AddAppActor(s, AppActor{Actor: []byte("a")}) }, SampleKindFlow, 2204, 8},
		{"target", func(d *Datagram, s *Sample) { d.AddAppActor(s, AppActor{Target: true}) }, SampleKindFlow, 2205, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d Datagram
			d.Reset()
			d.AgentAddr = v4
			tc.add(&d, d.AddSample(Sample{Kind: tc.kind}))
			b, err := AppendDatagram(nil, &d)
			if err != nil {
				t.Fatal(err)
			}
			// datagram header 28, sample_record header 8, compact flow header 32 or counters 12, record header 8
			at := 28 + 8 + 12
			if tc.kind == SampleKindFlow {
				at = 28 + 8 + 32
			}
			if got := binary.BigEndian.Uint32(b[at:]); got != tc.format {
				t.Errorf("data_format %d:%d, want %d:%d", got>>12, got&0xFFF, tc.format>>12, tc.format&0xFFF)
			}
			if got := binary.BigEndian.Uint32(b[at+4:]); got != tc.length || len(b) != at+8+int(tc.length) {
				t.Errorf("record length %d (datagram %d bytes), want %d", got, len(b), tc.length)
			}
		})
	}
}

// TestEncodeKnownBytes checks a datagram against bytes written out by hand from sflow_version_5.txt.
func TestEncodeKnownBytes(t *testing.T) {
	var d Datagram
	d.Reset()
	d.AgentAddr = netip.MustParseAddr("10.0.0.1")
	d.SubAgentID, d.SequenceNumber, d.Uptime = 100000, 7, 123456
	s := d.AddSample(Sample{Kind: SampleKindCounters, SequenceNumber: 9, SourceIDClass: 2, SourceIDIndex: 1})
	d.AddHostParent(s, HostParent{ContainerType: 2, ContainerIndex: 1})
	f := d.AddSample(Sample{Kind: SampleKindFlow, Expanded: true, SequenceNumber: 3, SourceIDClass: 0,
		SourceIDIndex: 369098852, SamplingRate: 400, SamplePool: 4000, Drops: 1,
		Input: Interface{Format: 0, Value: 5}, Output: Interface{Format: 1, Value: 258}})
	d.AddExtUser(f, ExtUser{SrcCharset: 106, SrcUser: []byte("bob"), DstCharset: 0})

	want := []uint32{
		5, 1, 0x0A000001, 100000, 7, 123456, 2, // datagram header
		2, 28, 9, 2<<24 | 1, 1, // counters_sample: length 28 = 3 words + record (8 + 8)
		2002, 8, 2, 1, // host_parent
		3, 72, 3, 0, 369098852, 400, 4000, 1, 0, 5, 1, 258, 1, // flow_sample_expanded: 11 words + record 28
		1004, 20, 106, 3, 0x626F6200, 0, 0, // extended_user: "bob" padded, empty dst_user
	}
	var wantBytes []byte
	for _, w := range want {
		wantBytes = binary.BigEndian.AppendUint32(wantBytes, w)
	}
	got, err := AppendDatagram(nil, &d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantBytes) {
		t.Fatalf("got\n% x\nwant\n% x", got, wantBytes)
	}
}

func TestEncodeRejectsUnencodable(t *testing.T) {
	v4, v6 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	tests := map[string]func(d *Datagram){
		"version 4": func(d *Datagram) { d.Version = 4 },
		"compact source index": func(d *Datagram) {
			d.AddSample(Sample{Kind: SampleKindCounters, SourceIDIndex: 1 << 24})
		},
		"compact interface value": func(d *Datagram) {
			d.AddSample(Sample{Kind: SampleKindFlow, Output: Interface{Value: 1 << 30}})
		},
		"discard interface format": func(d *Datagram) {
			d.AddSample(Sample{Kind: SampleKindDiscard, Output: Interface{Format: IfFormatMultiple}})
		},
		"unknown sample enterprise": func(d *Datagram) { d.AddSample(Sample{Enterprise: 1 << 20}) },
		"flow record in counters": func(d *Datagram) {
			d.AddExtSwitch(d.AddSample(Sample{Kind: SampleKindCounters}), ExtSwitch{})
		},
		"counter record in flow": func(d *Datagram) {
			d.AddHostCPU(d.AddSample(Sample{Kind: SampleKindFlow}), HostCPU{})
		},
		"ipv6 in sampled_ipv4": func(d *Datagram) {
			d.AddSampledIPv4(d.AddSample(Sample{Kind: SampleKindFlow}), SampledIP{SrcIP: v6, DstIP: v4})
		},
		"zero addr in sampled_ipv6": func(d *Datagram) {
			d.AddSampledIPv6(d.AddSample(Sample{Kind: SampleKindFlow}), SampledIP{SrcIP: v6})
		},
		"socket families differ": func(d *Datagram) {
			d.AddSocket(d.AddSample(Sample{Kind: SampleKindFlow}), Socket{LocalIP: v4, RemoteIP: v6})
		},
		"steal in a 68-byte host_cpu": func(d *Datagram) {
			d.AddHostCPU(d.AddSample(Sample{Kind: SampleKindCounters}), HostCPU{Steal: 1})
		},
		"fds in a 100-byte jvm": func(d *Datagram) {
			d.AddJVMStatistics(d.AddSample(Sample{Kind: SampleKindCounters}), JVMStatistics{FDMax: 1})
		},
		"touch in legacy memcache": func(d *Datagram) {
			d.AddMemcacheCounters(d.AddSample(Sample{Kind: SampleKindCounters}), MemcacheCounters{Legacy: true, CmdTouch: 1})
		},
		"64-bit limit in legacy memcache": func(d *Datagram) {
			d.AddMemcacheCounters(d.AddSample(Sample{Kind: SampleKindCounters}),
				MemcacheCounters{Legacy: true, LimitMaxbytes: 1 << 32})
		},
		"uptime in memcache 2204": func(d *Datagram) {
			d.AddMemcacheCounters(d.AddSample(Sample{Kind: SampleKindCounters}), MemcacheCounters{Uptime: 1})
		},
		"xff in legacy http": func(d *Datagram) {
			d.AddHTTPRequest(d.AddSample(Sample{Kind: SampleKindFlow}), HTTPRequest{Legacy: true, XFF: []byte("x")})
		},
		"u32 record without format": func(d *Datagram) {
			d.AddU32(d.AddSample(Sample{Kind: SampleKindFlow}), 0, U32Record{})
		},
		"string record with a u32 format": func(d *Datagram) {
			d.AddString(d.AddSample(Sample{Kind: SampleKindFlow}), FlowEgressQueue, StringRecord{})
		},
		"ethernet with an ipv4 tunnel format": func(d *Datagram) {
			d.AddSampledEthernet(d.AddSample(Sample{Kind: SampleKindFlow}), SampledEthernet{}).Format = FlowExtIPv4TunnelEgr
		},
		"as path count": func(d *Datagram) {
			g := ExtGateway{}
			g.AddASPathSegment(2, 65000, 65001)
			g.NumSegments = 2
			d.AddExtGateway(d.AddSample(Sample{Kind: SampleKindFlow}), g)
		},
		"community bytes": func(d *Datagram) {
			d.AddExtGateway(d.AddSample(Sample{Kind: SampleKindFlow}), ExtGateway{Communities: []byte{1, 2, 3, 4}})
		},
		"label stack bytes": func(d *Datagram) {
			d.AddExtMPLS(d.AddSample(Sample{Kind: SampleKindFlow}), ExtMPLS{OutStack: Words{1, 2, 3}})
		},
		"vlan stack bytes": func(d *Datagram) {
			d.AddExtVLANTunnel(d.AddSample(Sample{Kind: SampleKindFlow}), ExtVLANTunnel{Stack: Words{1}})
		},
		"mpls tunnel with the FTN format": func(d *Datagram) {
			d.AddExtMPLSTunnel(d.AddSample(Sample{Kind: SampleKindFlow}), FlowExtMPLSFTN, ExtMPLSTunnel{})
		},
		"sfp lane bytes": func(d *Datagram) {
			d.AddSFP(d.AddSample(Sample{Kind: SampleKindCounters}), SFP{Lanes: make(SFPLanes, SFPLaneLen+4)})
		},
		"sfp in a flow sample": func(d *Datagram) {
			d.AddSFP(d.AddSample(Sample{Kind: SampleKindFlow}), SFP{})
		},
		"adapters count": func(d *Datagram) {
			a := HostAdapters{}
			a.AddAdapter(1, [6]byte{1})
			a.Raw = a.Raw[:len(a.Raw)-8]
			d.AddHostAdapters(d.AddSample(Sample{Kind: SampleKindCounters}), a)
		},
	}
	for name, build := range tests {
		t.Run(name, func(t *testing.T) {
			var d Datagram
			d.Reset()
			d.AgentAddr = v4
			build(&d)
			if _, err := AppendDatagram(nil, &d); !errors.Is(err, ErrNotEncodable) {
				t.Fatalf("err %v, want ErrNotEncodable", err)
			}
		})
	}
}

// TestBuildersInsertInAnySample adds records to samples out of order and checks ranges and encoding.
func TestBuildersInsertInAnySample(t *testing.T) {
	var d Datagram
	d.Reset()
	d.AgentAddr = netip.MustParseAddr("192.0.2.1")
	d.AddSample(Sample{Kind: SampleKindCounters, SourceIDIndex: 1})
	d.AddSample(Sample{Kind: SampleKindFlow, SourceIDIndex: 2})
	d.AddSample(Sample{Kind: SampleKindCounters, SourceIDIndex: 3})
	first, second, third := &d.Samples[0], &d.Samples[1], &d.Samples[2]
	d.AddHostParent(third, HostParent{ContainerIndex: 30})
	d.AddHostParent(first, HostParent{ContainerIndex: 10})
	d.AddExtSwitch(second, ExtSwitch{SrcVLAN: 20})
	d.AddHostParent(first, HostParent{ContainerIndex: 11})
	d.AddUnknownRecord(third, 9999, 1, []byte{1, 2, 3, 4})

	check := func(s *Sample, want ...uint32) {
		t.Helper()
		if len(s.Records) != len(want) || s.NumRecords != uint32(len(want)) {
			t.Fatalf("sample %d: %d records (NumRecords %d), want %d", s.SourceIDIndex, len(s.Records), s.NumRecords, len(want))
		}
		for i, w := range want {
			r := &s.Records[i]
			var got uint32
			switch {
			case d.HostParent(r) != nil:
				got = d.HostParent(r).ContainerIndex
			case d.ExtSwitch(r) != nil:
				got = d.ExtSwitch(r).SrcVLAN
			case r.Type == RecUnknown:
				got = r.Enterprise
			}
			if got != w {
				t.Errorf("sample %d record %d: %d, want %d", s.SourceIDIndex, i, got, w)
			}
		}
	}
	check(first, 10, 11)
	check(second, 20)
	check(third, 30, 9999)
	if d.UnknownRecords != 1 || d.NumSamples != 3 {
		t.Errorf("UnknownRecords %d, NumSamples %d", d.UnknownRecords, d.NumSamples)
	}
	b, err := AppendDatagram(nil, &d)
	if err != nil {
		t.Fatal(err)
	}
	var got Datagram
	if err := NewDecoder().Decode(b, &got); err != nil {
		t.Fatal(err)
	}
	if diff := diffDatagrams(&d, &got); diff != "" {
		t.Fatal(diff)
	}

	// Reset keeps the allocations and empties everything.
	d.Reset()
	if len(d.Samples) != 0 || len(d.records) != 0 || cap(d.records) == 0 || d.UnknownRecords != 0 || d.Version != Version5 {
		t.Fatalf("after Reset: %d samples, %d records (cap %d), unknown %d, version %d",
			len(d.Samples), len(d.records), cap(d.records), d.UnknownRecords, d.Version)
	}

	defer func() {
		if recover() == nil {
			t.Fatal("adding to a sample of another datagram did not panic")
		}
	}()
	var other Datagram
	d.AddHostParent(other.AddSample(Sample{Kind: SampleKindCounters}), HostParent{})
}

// TestCapturesReencode decodes every datagram of the shared captures and encodes it again. Real agents do not
// zero XDR padding (sampled headers are copied word by word, MAC and string padding holds stale bytes), some
// pad samples or leave bytes after the last sample, so the bytes come back equal where the agent wrote
// canonical XDR, and otherwise may differ only in bytes the decoder ignores: every differing byte is 0 in the
// re-encoding, extra bytes of the original lie after its last sample or inside a sample's declared length, and
// both decode to the same datagram. Datagrams that do not decode (NetFlow on 6343, malformed cases) are
// skipped.
func TestCapturesReencode(t *testing.T) {
	dec := NewDecoder()
	var orig, again Datagram
	var out []byte
	exact, padded := 0, 0
	for _, path := range pcapCaptureFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			if why := sflowtoolMalformed(t, path); why != "" {
				t.Skipf("sflowtool marks it malformed: %s", why)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := OpenPcap(f, DefaultPort)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; ; i++ {
				payload, _, _, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if dec.Decode(payload, &orig) != nil {
					continue
				}
				if out, err = AppendDatagram(out[:0], &orig); err != nil {
					t.Fatalf("datagram %d: re-encode: %v", i, err)
				}
				if bytes.Equal(out, payload) {
					exact++
					continue
				}
				padded++
				if len(out) > len(payload) {
					t.Fatalf("datagram %d: re-encoding is longer (%d > %d bytes)", i, len(out), len(payload))
				}
				if err := dec.Decode(out, &again); err != nil {
					t.Fatalf("datagram %d: re-encoding does not decode: %v", i, err)
				}
				if d := diffDatagrams(&orig, &again); d != "" {
					t.Fatalf("datagram %d: re-encoding decodes differently: %s", i, d)
				}
				// Same-length stretches must differ only where the re-encoding has zero padding.
				for j := 0; j < len(out) && len(out) == len(payload); j++ {
					if out[j] != payload[j] && out[j] != 0 {
						t.Fatalf("datagram %d: byte %d is %#x, re-encoded %#x", i, j, payload[j], out[j])
					}
				}
			}
		})
	}
	t.Logf("%d datagrams re-encoded to the same bytes, %d to canonical padding", exact, padded)
	if exact == 0 {
		t.Fatal("no datagram re-encoded to its own bytes")
	}
}

// sflowtoolMalformed returns what sflowtool complained about in a capture (expected/NAME.err), or "" when
// nothing or only its rejection of non-sFlow datagrams.
func sflowtoolMalformed(t *testing.T, capture string) string {
	t.Helper()
	errFile := filepath.Join(filepath.Dir(capture), "expected", strings.TrimSuffix(filepath.Base(capture), ".pcap")+".err")
	b, err := os.ReadFile(errFile)
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "unexpected datagram version number") {
		return "" // NetFlow frames on 6343: they do not decode and are skipped one by one
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "caught exception") || strings.Contains(line, "length error") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// recordValue returns the typed value of r through d's accessor for its type (nil for RecUnknown).
func recordValue(d *Datagram, r *Record) any {
	switch r.Type {
	case RecSampledHeader:
		return d.SampledHeader(r)
	case RecSampledEthernet:
		return d.SampledEthernet(r)
	case RecSampledIPv4:
		return d.SampledIPv4(r)
	case RecSampledIPv6:
		return d.SampledIPv6(r)
	case RecExtSwitch:
		return d.ExtSwitch(r)
	case RecExtRouter:
		return d.ExtRouter(r)
	case RecExtGateway:
		return d.ExtGateway(r)
	case RecExtUser:
		return d.ExtUser(r)
	case RecExtURL:
		return d.ExtURL(r)
	case RecU32:
		return d.U32(r)
	case RecExtACL:
		return d.ExtACL(r)
	case RecString:
		return d.String(r)
	case RecHWTrap:
		return d.HWTrap(r)
	case RecTimestamp:
		return d.Timestamp(r)
	case RecSocket:
		return d.Socket(r)
	case RecMemcacheOp:
		return d.MemcacheOp(r)
	case RecHTTPRequest:
		return d.HTTPRequest(r)
	case RecProxyRequest:
		return d.ProxyRequest(r)
	case RecAppOperation:
		return d.AppOperation(r)
	case RecAppContext:
		return d.AppContext(r)
	case RecAppActor:
		return d.AppActor(r)
	case RecTCPInfo:
		return d.TCPInfo(r)
	case RecEntities:
		return d.Entities(r)
	case RecIfCounters:
		return d.IfCounters(r)
	case RecEthernetCounters:
		return d.EthernetCounters(r)
	case RecVLANCounters:
		return d.VLANCounters(r)
	case RecLACPCounters:
		return d.LACPCounters(r)
	case RecProcessor:
		return d.Processor(r)
	case RecOpenFlowPort:
		return d.OpenFlowPort(r)
	case RecPortName:
		return d.PortName(r)
	case RecHostDescr:
		return d.HostDescr(r)
	case RecHostAdapters:
		return d.HostAdapters(r)
	case RecHostParent:
		return d.HostParent(r)
	case RecHostCPU:
		return d.HostCPU(r)
	case RecHostMemory:
		return d.HostMemory(r)
	case RecHostDiskIO:
		return d.HostDiskIO(r)
	case RecHostNetIO:
		return d.HostNetIO(r)
	case RecMIB2IP:
		return d.MIB2IP(r)
	case RecMIB2ICMP:
		return d.MIB2ICMP(r)
	case RecMIB2TCP:
		return d.MIB2TCP(r)
	case RecMIB2UDP:
		return d.MIB2UDP(r)
	case RecVirtNode:
		return d.VirtNode(r)
	case RecVirtCPU:
		return d.VirtCPU(r)
	case RecVirtMemory:
		return d.VirtMemory(r)
	case RecVirtDiskIO:
		return d.VirtDiskIO(r)
	case RecJVMRuntime:
		return d.JVMRuntime(r)
	case RecJVMStatistics:
		return d.JVMStatistics(r)
	case RecMemcacheCounters:
		return d.MemcacheCounters(r)
	case RecHTTPCounters:
		return d.HTTPCounters(r)
	case RecAppOperations:
		return d.AppOperations(r)
	case RecAppResources:
		return d.AppResources(r)
	case RecAppWorkers:
		return d.AppWorkers(r)
	case RecOVSDP:
		return d.OVSDP(r)
	case RecBroadcomTables:
		return d.BroadcomTables(r)
	case RecExtMPLS:
		return d.ExtMPLS(r)
	case RecExtNAT:
		return d.ExtNAT(r)
	case RecExtMPLSTunnel:
		return d.ExtMPLSTunnel(r)
	case RecExtMPLSFTN:
		return d.ExtMPLSFTN(r)
	case RecExtVLANTunnel:
		return d.ExtVLANTunnel(r)
	case RecExtWifiPayload:
		return d.ExtWifiPayload(r)
	case RecExtWifiRx:
		return d.ExtWifiRx(r)
	case RecExtWifiTx:
		return d.ExtWifiTx(r)
	case RecSFP:
		return d.SFP(r)
	case RecPFC:
		return d.PFC(r)
	}
	return nil
}
