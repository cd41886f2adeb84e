package sflowtool

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// writeLines encodes and decodes d as `fleettop decode` does and prints it in a line format.
func writeLines(t *testing.T, format LineFormat, fields []string, m Meta, d *sflow.Datagram) string {
	t.Helper()
	buf, err := sflow.AppendDatagram(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	var got sflow.Datagram
	dec := sflow.NewDecoder()
	dec.SetDecodeHeaders(false)
	if err := dec.Decode(buf, &got); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	lw, err := NewLineWriter(&out, format, fields, Options{Location: time.FixedZone("CET", 3600)})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second datagram must not see the first one's state
		if err := lw.WriteDatagram(m, buf, &got); err != nil {
			t.Fatal(err)
		}
	}
	if err := lw.Flush(); err != nil {
		t.Fatal(err)
	}
	half := out.String()[:out.Len()/2]
	if out.String() != half+half {
		t.Fatalf("the same datagram twice printed differently:\n%s", out.String())
	}
	return half
}

// TestCommonLogLine checks sflowtool's -H line: the client from extended_socket's remote address, sflowtool's
// method names ("-" for OTHER), the capture time, and strings escaped as Apache does.
func TestCommonLogLine(t *testing.T) {
	d, s := flowDatagram()
	d.AddHTTPRequest(s, sflow.HTTPRequest{Method: sflow.HTTPMethodGet, Protocol: 1001, URI: []byte(`/a b"c\d`),
		Referer: []byte("https://r.example/"), UserAgent: []byte("curl/8\x01"), RespBytes: 5120, Status: 200})
	d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: netip.MustParseAddr("10.0.0.1"),
		RemoteIP: netip.MustParseAddr("192.0.2.77"), LocalPort: 80, RemotePort: 40000})
	s2 := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow})
	d.AddHTTPRequest(s2, sflow.HTTPRequest{Method: sflow.HTTPMethodOther, Protocol: 2000, AuthUser: []byte("bob"),
		Status: 404})
	d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow}) // no http_request: no line
	m := Meta{Received: time.Unix(0, 0), Captured: time.Date(2024, 3, 5, 8, 9, 10, 0, time.UTC)}
	got := writeLines(t, LineCommonLog, nil, m, d)
	want := `192.0.2.77 - - [05/Mar/2024:09:09:10 +0100] "GET /a b\"c\\d HTTP/1.1" 200 5120 "https://r.example/" "curl/8\x01"` + "\n" +
		` - bob [05/Mar/2024:09:09:10 +0100] "- - HTTP/2.0" 404 0 "-" "-"` + "\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestFlowLine checks sflowtool's -l lines where the text output does not show the fields they use: ports of
// a sampled_ipv4 ICMP record, addresses of extended_socket, %d of values above 2^31, a counters sample without
// generic counters, and no line for a discard sample.
func TestFlowLine(t *testing.T) {
	d, s := flowDatagram()
	s.Output = sflow.Interface{Format: sflow.IfFormatMultiple, Value: 0x3FFFFFFF}
	d.AddSampledIPv4(s, sflow.SampledIP{Length: 84, Protocol: 1, SrcIP: netip.MustParseAddr("10.0.0.1"),
		DstIP: netip.MustParseAddr("10.0.0.2"), SrcPort: 3, DstPort: 8, TCPFlags: 0x12, Priority: 0xb8})
	d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: 10, DstVLAN: 0xFFFFFFFF})
	s2 := d.AddSample(sflow.Sample{Kind: sflow.SampleKindFlow, SamplingRate: 1 << 31})
	d.AddSocket(s2, sflow.Socket{Protocol: 6, LocalIP: netip.MustParseAddr("2001:db8::1"),
		RemoteIP: netip.MustParseAddr("2001:db8::2"), LocalPort: 80, RemotePort: 1})
	d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters})
	d.AddSample(sflow.Sample{Kind: sflow.SampleKindDiscard})
	got := writeLines(t, LineFlows, nil, Meta{}, d)
	want := "FLOW,192.0.2.1,0,1073741823,000000000000,000000000000,0x0000,10,-1,10.0.0.1,10.0.0.2,1,0xb8,0,3,8,0x00,84,84,400\n" +
		"FLOW,192.0.2.1,0,0,000000000000,000000000000,0x0000,0,0,2001:0db8:0000:0000:0000:0000:0000:0001," +
		"2001:0db8:0000:0000:0000:0000:0000:0002,0,0x00,0,0,0,0x00,0,0,-2147483648\n" +
		"CNTR,192.0.2.1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestLineFields checks sflowtool's -L: datagram fields repeat on every line, a sample without any chosen
// field prints none, prefixed keys are fields of their own, and a field list it cannot use is refused.
func TestLineFields(t *testing.T) {
	d, s := flowDatagram()
	d.SequenceNumber = 9
	d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: 5, DstVLAN: 6})
	d.AddSample(sflow.Sample{Kind: sflow.SampleKindCounters}) // none of the fields
	s3 := d.AddSample(sflow.Sample{Kind: sflow.SampleKindDiscard, DropReason: 258})
	d.AddExtSwitch(s3, sflow.ExtSwitch{SrcVLAN: 7})
	got := writeLines(t, LineFields, []string{"packetSequenceNo", "in_vlan", "discarded_in_vlan", "discardReason"},
		Meta{}, d)
	want := "9,5,,\n9,,7,acl\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, fields := range [][]string{{"a", "a"}, {"a b"}, {""}, nil} {
		if _, err := NewLineWriter(&bytes.Buffer{}, LineFields, fields, Options{}); err == nil {
			t.Errorf("fields %q accepted", fields)
		}
	}
	if _, err := NewLineWriter(&bytes.Buffer{}, LineFlows, []string{"agent"}, Options{}); err == nil ||
		!strings.Contains(err.Error(), "fields") {
		t.Errorf("fields for -l accepted: %v", err)
	}
}
