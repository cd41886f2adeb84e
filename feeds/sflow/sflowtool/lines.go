package sflowtool

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// sflowtool's one-line-per-sample outputs: -l (FLOW and CNTR lines), -L (chosen fields) and -H (HTTP common
// log). They walk the records as the text output does, into no output, and print a line at the end of each
// sample from what the walk left in the emitter: its flow state, or for -L the fields its tap kept.

// flowFields is what sflowtool's line outputs read from a sample's records: the fields of sflowtool's
// SFSample.s that writeFlowLine, writeCountersLine and the -H line use, set at the same points of the walk.
type flowFields struct {
	srcMAC, dstMAC           [6]byte
	ethType, inVLAN, outVLAN uint32
	srcIP, dstIP             netip.Addr
	ipProto, ipTOS, ipTTL    uint32
	srcPort, dstPort         uint32
	tcpFlags                 uint32
	packetSize, stripped     uint32
	ipv4Offset               int // of the IPv4 header in the sampled header (0 when there was none)

	ifCounters *sflow.IfCounters  // the CNTR line
	http       *sflow.HTTPRequest // the -H line
	client     netip.Addr         // the -H line's client: the remote address of an extended_socket record
	hasClient  bool               // a socket record was seen
}

// setEthernet records a sampled_ethernet record (or an L2 tunnel's).
func (f *flowFields) setEthernet(src, dst [6]byte, ethType uint32) {
	f.srcMAC, f.dstMAC, f.ethType = src, dst, ethType
}

// setSampledIP records a sampled_ipv4/ipv6 record (or an IP tunnel's): sflowtool takes its ports whatever the
// protocol, its TCP flags for TCP only and its priority as the TOS for IPv4 only.
func (f *flowFields) setSampledIP(v *sflow.SampledIP, ipv4 bool) {
	f.packetSize, f.srcIP, f.dstIP, f.ipProto = v.Length, v.SrcIP, v.DstIP, v.Protocol
	f.srcPort, f.dstPort = v.SrcPort, v.DstPort
	if ipv4 {
		f.ipTOS = v.Priority
	}
	if v.Protocol == ipProtoTCP {
		f.tcpFlags = v.TCPFlags
	}
}

// setSocket records an extended_socket record: its addresses are the flow's, its remote address the client.
func (f *flowFields) setSocket(local, remote netip.Addr) {
	f.srcIP, f.dstIP, f.client, f.hasClient = local, remote, remote, true
}

// LineFormat chooses one of sflowtool's line outputs.
type LineFormat int

const (
	// LineFlows is sflowtool -l: a FLOW line per flow sample, a CNTR line per counters sample, CSV.
	LineFlows LineFormat = iota
	// LineFields is sflowtool -L: the chosen fields of each sample, CSV, when the sample has any of them.
	LineFields
	// LineCommonLog is sflowtool -H: an HTTP combined log line per flow sample with an http_request record.
	LineCommonLog
)

// MaxLineFields bounds the fields of a LineFields writer (sflowtool has no bound; this one keeps a line short).
const MaxLineFields = 256

// LineWriter prints datagrams in one of sflowtool's line outputs. Output is buffered: call Flush when done.
type LineWriter struct {
	format LineFormat
	out    *bufio.Writer // the lines
	walk   Writer        // the record walk, its text shape discarded or tapped
	tap    fieldTap      // LineFields: the chosen fields
	loc    *time.Location
}

// NewLineWriter returns a LineWriter writing to w. fields names the fields of a LineFields writer, with their
// prefixes, as the text output prints them ("agent", "srcIP", "discarded_srcIP", ...); other formats take none.
func NewLineWriter(w io.Writer, format LineFormat, fields []string, opt Options) (*LineWriter, error) {
	if (format == LineFields) != (len(fields) > 0) {
		return nil, fmt.Errorf("sflowtool: %d fields for line format %d", len(fields), format)
	}
	if len(fields) > MaxLineFields {
		return nil, fmt.Errorf("sflowtool: %d fields, at most %d", len(fields), MaxLineFields)
	}
	l := &LineWriter{format: format, out: bufio.NewWriterSize(w, writeBufferSize)}
	var inner io.Writer = io.Discard
	if format == LineFields {
		if err := l.tap.init(fields); err != nil {
			return nil, err
		}
		inner = &l.tap
	}
	l.walk.init(inner, opt, false)
	l.loc = l.walk.loc
	if format == LineFields {
		l.walk.e.tap = &l.tap
	}
	return l, nil
}

// Flush writes any buffered output.
func (l *LineWriter) Flush() error { return l.out.Flush() }

// WriteDatagram prints the lines of one datagram's samples (see Writer.WriteDatagram for the arguments). A
// datagram that is not sFlow v5 prints nothing here; WriteErrors reports it. The error is the output's.
func (l *LineWriter) WriteDatagram(m Meta, raw []byte, d *sflow.Datagram) error {
	w := &l.walk
	w.e.nprefix = 0
	l.tap.scope = scopeDatagram
	w.datagramFields(m, raw, nil) // the datagram's own fields
	if d != nil {
		for i := range d.Samples {
			s := &d.Samples[i]
			w.e.flow = flowFields{}
			l.tap.scope = scopeSample
			w.sample(d, s)
			l.sampleLine(m, d, s)
			l.tap.clear(scopeSample)
		}
	}
	l.tap.clear(scopeDatagram)
	_, err := l.out.Write(nil)
	return err
}

// sampleLine prints the line of the sample just walked, if its format has one for it.
func (l *LineWriter) sampleLine(m Meta, d *sflow.Datagram, s *sflow.Sample) {
	f := &l.walk.e.flow
	switch {
	case l.format == LineFields:
		if s.Kind != sflow.SampleKindUnknown {
			l.tap.writeLine(l.out)
		}
	case l.format == LineFlows && s.Kind == sflow.SampleKindFlow:
		writeFlowLine(l.out, d.AgentAddr, s, f)
	case l.format == LineFlows && s.Kind == sflow.SampleKindCounters:
		writeCountersLine(l.out, d.AgentAddr, f.ifCounters)
	case l.format == LineCommonLog && s.Kind == sflow.SampleKindFlow && f.http != nil:
		t := m.Received
		if !m.Captured.IsZero() {
			t = m.Captured
		}
		writeCommonLogLine(l.out, f, t.In(l.loc))
	}
}

// writeFlowLine is sflowtool's writeFlowLine. Its %d of unsigned fields prints values above 2^31 as negative;
// so does this.
func writeFlowLine(out *bufio.Writer, agent netip.Addr, s *sflow.Sample, f *flowFields) {
	var num [64]byte
	b := append(num[:0], "FLOW,"...)
	b = appendAddr(b, agent)
	b = appendInt32(append(b, ','), s.Input.Value)
	b = appendInt32(append(b, ','), s.Output.Value)
	out.Write(append(b, ','))
	b = appendMAC(num[:0], f.srcMAC[:])
	b = appendMAC(append(b, ','), f.dstMAC[:])
	b = appendHex(append(b, ",0x"...), f.ethType, 4)
	b = appendInt32(append(b, ','), f.inVLAN)
	b = appendInt32(append(b, ','), f.outVLAN)
	out.Write(b)
	b = appendAddr(append(num[:0], ','), f.srcIP)
	b = appendAddr(append(b, ','), f.dstIP)
	out.Write(b)
	b = appendInt32(append(num[:0], ','), f.ipProto)
	b = appendHex(append(b, ",0x"...), f.ipTOS, 2)
	b = appendInt32(append(b, ','), f.ipTTL)
	b = appendInt32(append(b, ','), f.srcPort)
	b = appendInt32(append(b, ','), f.dstPort)
	b = appendHex(append(b, ",0x"...), f.tcpFlags, 2)
	b = appendInt32(append(b, ','), f.packetSize)
	b = appendInt32(append(b, ','), f.packetSize-f.stripped-uint32(f.ipv4Offset))
	b = appendInt32(append(b, ','), s.SamplingRate)
	out.Write(append(b, '\n'))
}

// writeCountersLine is sflowtool's writeCountersLine: the generic interface counters, zero when the sample has
// none.
func writeCountersLine(out *bufio.Writer, agent netip.Addr, c *sflow.IfCounters) {
	if c == nil {
		c = &sflow.IfCounters{}
	}
	var num [64]byte
	out.Write(appendAddr(append(num[:0], "CNTR,"...), agent))
	for _, v := range [...]uint64{uint64(c.Index), uint64(c.Type), c.Speed, uint64(c.Direction),
		uint64(c.Status), c.InOctets, uint64(c.InUcastPkts), uint64(c.InMulticastPkts), uint64(c.InBroadcastPkts),
		uint64(c.InDiscards), uint64(c.InErrors), uint64(c.InUnknownProtos), c.OutOctets, uint64(c.OutUcastPkts),
		uint64(c.OutMulticastPkts), uint64(c.OutBroadcastPkts), uint64(c.OutDiscards), uint64(c.OutErrors),
		uint64(c.PromiscuousMode)} {
		out.Write(strconv.AppendUint(append(num[:0], ','), v, 10))
	}
	out.WriteByte('\n')
}

// httpMethodNames is sflowtool's SFHTTP_method_names: "-" for OTHER.
var httpMethodNames = [...]string{"-", "OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT"}

// writeCommonLogLine is sflowtool's -H line, the combined log format: client - user [time] "method uri
// HTTP/major.minor" status bytes "referrer" "user agent". The client is empty without an extended_socket
// record, as in sflowtool; strings are escaped the way Apache's logs do (DIFFERENCES.md).
func writeCommonLogLine(out *bufio.Writer, f *flowFields, t time.Time) {
	v := f.http
	var num [64]byte
	if f.hasClient {
		out.Write(appendAddr(num[:0], f.client))
	}
	out.WriteString(" - ")
	writeLogItem(out, v.AuthUser)
	out.Write(t.AppendFormat(append(num[:0], " ["...), "02/Jan/2006:15:04:05 -0700"))
	out.WriteString(`] "`)
	method := "-"
	if int(v.Method) < len(httpMethodNames) {
		method = httpMethodNames[v.Method]
	}
	out.WriteString(method)
	out.WriteByte(' ')
	writeLogItem(out, v.URI)
	b := appendU32(append(num[:0], " HTTP/"...), v.Protocol/1000)
	b = appendU32(append(b, '.'), v.Protocol%1000)
	b = appendU32(append(b, `" `...), uint32(v.Status))
	b = strconv.AppendUint(append(b, ' '), v.RespBytes, 10)
	out.Write(append(b, ` "`...))
	writeLogItem(out, v.Referer)
	out.WriteString(`" "`)
	writeLogItem(out, v.UserAgent)
	out.WriteString("\"\n")
}

// writeLogItem writes a string of a log line as Apache's ap_escape_logitem does: '"' and '\' escaped with a
// backslash, bytes outside printable ASCII as \xNN, "-" for an empty string.
func writeLogItem(out *bufio.Writer, s []byte) {
	if len(s) == 0 {
		out.WriteByte('-')
		return
	}
	start := 0
	for i, c := range s {
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			continue
		}
		out.Write(s[start:i])
		if c == '"' || c == '\\' {
			out.WriteByte('\\')
			out.WriteByte(c)
		} else {
			out.Write([]byte{'\\', 'x', hexLower[c>>4], hexLower[c&15]})
		}
		start = i + 1
	}
	out.Write(s[start:])
}

// appendInt32 is C's %d of a uint32.
func appendInt32(b []byte, v uint32) []byte { return strconv.AppendInt(b, int64(int32(v)), 10) }

// appendHex is C's %0<width>x.
func appendHex(b []byte, v uint32, width int) []byte {
	var digits [8]byte
	h := strconv.AppendUint(digits[:0], uint64(v), 16)
	for n := len(h); n < width; n++ {
		b = append(b, '0')
	}
	return append(b, h...)
}

// ---------------------------------------------------------------- -L

// fieldScope is sflowtool's EnumSFScope: fields of the datagram header last until the datagram ends, fields of
// a sample until the sample's line is printed.
type fieldScope uint8

const (
	scopeDatagram fieldScope = iota
	scopeSample
)

// fieldTap keeps the values of the chosen fields as the walk prints them (sflowtool's outputFieldList). The
// emitter writes each value into the tap through its bufio.Writer, flushed at the field's start and end.
type fieldTap struct {
	slots        map[string]int // field name -> index in values
	values       [][]byte
	scopes       []fieldScope
	set          []bool
	scope        fieldScope
	sampleFields int    // fields of the current sample seen
	key          []byte // the field being printed (prefixes included)
	buf          []byte // its value so far
}

func (t *fieldTap) init(fields []string) error {
	t.slots = make(map[string]int, len(fields))
	for i, f := range fields {
		if f == "" || strings.ContainsAny(f, " ,\n") {
			return fmt.Errorf("sflowtool: field %q: want a key as the text output prints it", f)
		}
		if _, dup := t.slots[f]; dup {
			return fmt.Errorf("sflowtool: field %q twice", f)
		}
		t.slots[f] = i
	}
	t.values, t.scopes, t.set = make([][]byte, len(fields)), make([]fieldScope, len(fields)), make([]bool, len(fields))
	return nil
}

// Write receives the emitter's output: the value of the field being printed, and text lines to ignore.
func (t *fieldTap) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	return len(p), nil
}

// begin starts a field: what the emitter wrote before it is dropped.
func (t *fieldTap) begin(e *emitter, key string) {
	e.w.Flush()
	t.buf = t.buf[:0]
	t.key = t.key[:0]
	for i := 0; i < e.nprefix && i < len(e.prefix); i++ {
		t.key = append(t.key, e.prefix[i]...)
	}
	t.key = append(t.key, key...)
}

// finish ends a field: its value is kept if it is one of the chosen fields.
func (t *fieldTap) finish(e *emitter) {
	e.w.Flush()
	i, ok := t.slots[string(t.key)]
	if !ok {
		return
	}
	t.values[i] = append(t.values[i][:0], t.buf...)
	t.scopes[i], t.set[i] = t.scope, true
	if t.scope == scopeSample {
		t.sampleFields++
	}
}

// writeLine is sflowtool's writeLineCustom: the chosen fields joined by commas, empty where not set, when the
// sample set at least one of them.
func (t *fieldTap) writeLine(out *bufio.Writer) {
	if t.sampleFields == 0 {
		return
	}
	for i := range t.values {
		if i > 0 {
			out.WriteByte(',')
		}
		if t.set[i] {
			out.Write(t.values[i])
		}
	}
	out.WriteByte('\n')
}

// clear forgets the values of one scope (sflowtool's clearLineCustom).
func (t *fieldTap) clear(scope fieldScope) {
	for i := range t.set {
		if t.scopes[i] == scope {
			t.set[i] = false
		}
	}
	if scope == scopeSample {
		t.sampleFields = 0
	}
}
