package sflowtool

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sflowtest"
)

// checkText asserts the text shape of one datagram: framed, and every line a key (with a value, maybe empty).
func checkText(t *testing.T, out string) {
	t.Helper()
	if !strings.HasPrefix(out, "startDatagram =================================\n") ||
		!strings.HasSuffix(out, "endDatagram   =================================\n") {
		t.Fatalf("datagram not framed:\n%s", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	starts, ends := 0, 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "startSample "):
			starts++
		case strings.HasPrefix(l, "endSample "):
			ends++
		case l == "" || strings.IndexByte(l, ' ') <= 0:
			t.Fatalf("line without a key: %q in\n%s", l, out)
		}
	}
	if starts != ends {
		t.Fatalf("%d startSample, %d endSample", starts, ends)
	}
}

func writeBoth(t *testing.T, m Meta, raw []byte, d *sflow.Datagram) (text, js []byte) {
	t.Helper()
	var tb, jb bytes.Buffer
	tw, jw := NewTextWriter(&tb, Options{Location: time.UTC}), NewJSONWriter(&jb, Options{Location: time.UTC})
	if err := tw.WriteDatagram(m, raw, d); err != nil {
		t.Fatal(err)
	}
	if err := jw.WriteDatagram(m, raw, d); err != nil {
		t.Fatal(err)
	}
	tw.Flush()
	jw.Flush()
	return tb.Bytes(), jb.Bytes()
}

// seedDatagrams are encoded datagrams covering every record the packages know, and sampled headers.
func seedDatagrams(tb testing.TB, n int) [][]byte {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var out [][]byte
	for range n {
		b, err := sflow.AppendDatagram(nil, sflowtest.RandomDatagram(r))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return append(out, switchDatagram(tb, r))
}

// switchDatagram is what a switch sends: flow samples of sampled Ethernet headers with extended_switch.
func switchDatagram(tb testing.TB, r *rand.Rand) []byte {
	tb.Helper()
	var d sflow.Datagram
	d.Reset()
	d.AgentAddr = netip.MustParseAddr("10.1.2.3")
	d.SequenceNumber = r.Uint32()
	for i := range 7 {
		s := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SamplingRate: 1024, SamplePool: r.Uint32(),
			SourceIDIndex: uint32(i + 1), Input: sflow.Interface{Value: uint32(i + 1)},
			Output: sflow.Interface{Value: uint32(i + 10)}, SequenceNumber: r.Uint32()})
		spec := sflow.PacketSpec{SrcMAC: [6]byte{0, 1, 2, 3, 4, byte(i)}, DstMAC: [6]byte{6, 7, 8, 9, 10, 11},
			SrcIP: netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}), DstIP: netip.AddrFrom4([4]byte{192, 0, 2, 1}),
			Protocol: 6, SrcPort: uint16(40000 + i), DstPort: 443, TCPFlags: 0x18, PayloadLen: 1400,
			VLANs: []uint16{100}}
		if i%3 == 1 {
			spec.SrcIP, spec.DstIP = netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2")
			spec.Protocol = 17
		}
		h, err := sflow.BuildSampledHeader(spec)
		if err != nil {
			tb.Fatal(err)
		}
		d.AddSampledHeader(s, h)
		d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: 100, DstVLAN: 100})
	}
	b, err := sflow.AppendDatagram(nil, &d)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzWriters decodes any bytes and prints them: never a panic, always framed text and one valid JSON line.
func FuzzWriters(f *testing.F) {
	for _, b := range seedDatagrams(f, 8) {
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte{0, 0, 0, 5, 0, 0, 0, 1, 10, 0, 0, 1})
	f.Add([]byte{0, 5, 0, 1, 0, 0})
	f.Add([]byte{})
	dec := sflow.NewDecoder()
	dec.SetDecodeHeaders(false)
	var d sflow.Datagram
	m := Meta{Source: netip.MustParseAddrPort("192.0.2.1:6343"), Received: time.Unix(0, 0), Captured: time.Unix(1, 0)}
	f.Fuzz(func(t *testing.T, raw []byte) {
		derr := dec.Decode(raw, &d)
		text, js := writeBoth(t, m, raw, &d)
		checkText(t, string(text))
		if bytes.Count(js, []byte("\n")) != 1 || !json.Valid(js) {
			t.Fatalf("not one valid JSON line: %s", js)
		}
		var errs bytes.Buffer
		if err := WriteErrors(&errs, m, raw, &d, derr); err != nil {
			t.Fatal(err)
		}
		if (derr != nil || len(d.Errors) > 0) && errs.Len() == 0 {
			t.Fatalf("decode error %v not reported", derr)
		}
	})
}

// FuzzSampledHeaderFields feeds any header bytes to the sampled-header decode: never a panic, only key lines.
func FuzzSampledHeaderFields(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, raw := range seedDatagrams(f, 4) {
		var d sflow.Datagram
		if sflow.NewDecoder().Decode(raw, &d) != nil {
			continue
		}
		for i := range d.Samples {
			for j := range d.Samples[i].Records {
				if h := d.SampledHeader(&d.Samples[i].Records[j]); h != nil {
					f.Add(h.Protocol, h.FrameLength, h.Stripped, h.Header)
				}
			}
		}
	}
	f.Add(uint32(15), uint32(100), uint32(0), []byte("\x88\x03\x00\x00aaaaaabbbbbbccccccddeeeeee"))
	f.Add(uint32(1), r.Uint32(), r.Uint32(), []byte{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0x81, 0, 0, 1, 0x86, 0xdd, 0x60})
	f.Fuzz(func(t *testing.T, protocol, frameLength, stripped uint32, header []byte) {
		for _, asJSON := range []bool{false, true} {
			var b bytes.Buffer
			e := emitter{w: bufio.NewWriter(&b), json: asJSON, listStart: true}
			e.open("", '{')
			sampledHeaderFields(&e, protocol, frameLength, stripped, header)
			e.close('}')
			e.w.Flush()
			if asJSON {
				if !json.Valid(b.Bytes()) {
					t.Fatalf("invalid JSON %s", b.Bytes())
				}
				continue
			}
			for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				if l != "" && strings.IndexByte(l, ' ') <= 0 {
					t.Fatalf("line without a key: %q", l)
				}
			}
		}
	})
}
