// Package sflowtool prints decoded sFlow datagrams the way the reference collector sflowtool does: its default
// "key value" text and its -j JSON (one object per datagram), with sflowtool's key names, order and value formats.
//
// Where sflowtool has a bug or is stricter than the sFlow specification, the output follows the specification;
// DIFFERENCES.md lists every such place.
package sflowtool

import (
	"bufio"
	"encoding/binary"
	"io"
	"net/netip"
	"strconv"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// Meta is what the receiver knows about a datagram besides its bytes.
type Meta struct {
	// Source is the UDP sender (datagramSourceIP); the zero value prints "-", as sflowtool does for a pcap file.
	Source netip.AddrPort
	// Received is when the datagram was read (unixSecondsUTC, unixSecondsUTC_uS, localtime). sflowtool reads
	// the clock here even for a pcap file.
	Received time.Time
	// Captured is the pcap timestamp (pcapTimestamp, pcapTimestamp_uS); the zero value omits both keys.
	Captured time.Time
}

// Options shape the output beyond what Meta carries.
type Options struct {
	// Location is the time zone of localtime and pcapTimestamp (sflowtool uses the local zone); nil means
	// time.Local.
	Location *time.Location
}

// Writer prints datagrams in one of sflowtool's shapes. Output is buffered: call Flush when done.
type Writer struct {
	bw  *bufio.Writer
	e   emitter
	loc *time.Location
}

// TextWriter prints sflowtool's default "full" text: startDatagram/startSample framing and one "key value" line
// per field.
type TextWriter struct{ Writer }

// JSONWriter prints sflowtool's -j shape: one JSON object per datagram and line, every value a string, samples in
// "samples", records in "elements".
type JSONWriter struct{ Writer }

// writeBufferSize holds several datagrams' worth of output, so writes to the file are large.
const writeBufferSize = 64 << 10

// NewTextWriter returns a TextWriter writing to w.
func NewTextWriter(w io.Writer, opt Options) *TextWriter {
	t := &TextWriter{}
	t.init(w, opt, false)
	return t
}

// NewJSONWriter returns a JSONWriter writing to w.
func NewJSONWriter(w io.Writer, opt Options) *JSONWriter {
	j := &JSONWriter{}
	j.init(w, opt, true)
	return j
}

func (w *Writer) init(out io.Writer, opt Options, json bool) {
	w.bw = bufio.NewWriterSize(out, writeBufferSize)
	w.e = emitter{w: w.bw, json: json}
	w.loc = opt.Location
	if w.loc == nil {
		w.loc = time.Local
	}
}

// Flush writes any buffered output.
func (w *Writer) Flush() error { return w.bw.Flush() }

// WriteDatagram prints one datagram: raw is what was received, d what the decoder made of it (Decode's error
// does not matter here: whatever d holds is printed). A datagram that is not sFlow v5 prints the keys up to
// datagramVersion, as sflowtool does; WriteErrors reports why. The error is the underlying writer's.
func (w *Writer) WriteDatagram(m Meta, raw []byte, d *sflow.Datagram) error {
	e := &w.e
	e.nprefix = 0
	if e.json {
		e.listStart = true
		e.open("", '{')
	} else {
		e.textLine("startDatagram =================================")
	}
	w.datagramFields(m, raw, d)
	if e.json {
		e.close('}')
		w.bw.WriteByte('\n')
	} else {
		e.textLine("endDatagram   =================================")
	}
	// bufio remembers its first write error and returns it from every later Write: report it here so that a
	// closed pipe stops the caller early.
	_, err := w.bw.Write(nil)
	return err
}

// datagramFields prints the datagram header keys and the samples. The header is read from raw, so what
// sflowtool prints before it gives up on a datagram (its version, a short header) is printed here too.
func (w *Writer) datagramFields(m Meta, raw []byte, d *sflow.Datagram) {
	e := &w.e
	e.raw("datagramSourceIP", appendAddr(e.num[:0], m.Source.Addr().Unmap()))
	e.u64("datagramSize", uint64(len(raw)))
	e.i64("unixSecondsUTC", m.Received.Unix())
	e.u64("unixSecondsUTC_uS", uint64(m.Received.Nanosecond()/1000))
	e.timestamp("localtime", m.Received, w.loc)
	if !m.Captured.IsZero() {
		e.timestamp("pcapTimestamp", m.Captured, w.loc)
		e.u64("pcapTimestamp_uS", uint64(m.Captured.Nanosecond()/1000))
	}
	h, ok := parseHeader(raw)
	if h.fields >= fieldVersion {
		e.u32("datagramVersion", h.version)
	}
	if h.fields >= fieldSubAgent {
		e.u32("agentSubId", h.subAgent)
	}
	if !ok {
		return
	}
	e.addr("agent", h.agent)
	e.u32("packetSequenceNo", h.seq)
	e.u32("sysUpTime", h.uptime)
	e.u32("samplesInPacket", h.numSamples)
	e.open("samples", '[')
	if d != nil {
		for i := range d.Samples {
			w.sample(d, &d.Samples[i])
		}
	}
	e.close(']')
}

// datagramHeader is sample_datagram_v5's header as far as raw holds it.
type datagramHeader struct {
	fields                            int // how many of the fields below were read
	version                           uint32
	agent                             netip.Addr
	subAgent, seq, uptime, numSamples uint32
}

// How far parseHeader got, in the wire order of the header's fields.
const (
	fieldVersion = 1 + iota
	fieldAgent
	fieldSubAgent
	fieldAll
)

// parseHeader reads the datagram header; ok says it is a complete sFlow v5 header.
func parseHeader(raw []byte) (h datagramHeader, ok bool) {
	if len(raw) < 4 {
		return h, false
	}
	h.version = binary.BigEndian.Uint32(raw)
	h.fields = fieldVersion
	if h.version != sflow.Version5 || len(raw) < 8 {
		return h, false
	}
	p := 8
	switch binary.BigEndian.Uint32(raw[4:]) {
	case sflow.AddressIPv4:
		if len(raw) < p+4 {
			return h, false
		}
		h.agent, _ = netip.AddrFromSlice(raw[p : p+4])
		p += 4
	case sflow.AddressIPv6:
		if len(raw) < p+16 {
			return h, false
		}
		h.agent, _ = netip.AddrFromSlice(raw[p : p+16])
		p += 16
	default:
		return h, false
	}
	h.fields = fieldAgent
	if len(raw) < p+4 {
		return h, false
	}
	h.subAgent = binary.BigEndian.Uint32(raw[p:])
	h.fields = fieldSubAgent
	if len(raw) < p+16 {
		return h, false
	}
	h.seq = binary.BigEndian.Uint32(raw[p+4:])
	h.uptime = binary.BigEndian.Uint32(raw[p+8:])
	h.numSamples = binary.BigEndian.Uint32(raw[p+12:])
	h.fields = fieldAll
	return h, true
}

// sample prints one sample and its records.
func (w *Writer) sample(d *sflow.Datagram, s *sflow.Sample) {
	e := &w.e
	e.open("", '{')
	e.textLine("startSample ----------------------")
	e.tag("sampleType_tag", s.Enterprise, s.Format)
	switch s.Kind {
	case sflow.SampleKindFlow:
		e.str("sampleType", "FLOWSAMPLE")
		e.u32("sampleSequenceNo", s.SequenceNumber)
		w.sourceID(s)
		e.u32("meanSkipCount", s.SamplingRate)
		e.u32("samplePool", s.SamplePool)
		e.u32("dropEvents", s.Drops)
		w.port("inputPort", s.Input)
		w.port("outputPort", s.Output)
		w.records(d, s, "flow_sample_element")
	case sflow.SampleKindCounters:
		e.str("sampleType", "COUNTERSSAMPLE")
		e.u32("sampleSequenceNo", s.SequenceNumber)
		w.sourceID(s)
		w.records(d, s, "counters_sample_element")
	case sflow.SampleKindDiscard:
		e.str("sampleType", "DISCARD")
		e.u32("sampleSequenceNo", s.SequenceNumber)
		w.sourceID(s)
		e.u32("dropEvents", s.Drops)
		// discarded_packet carries plain ifIndex words (sflow_drops.txt): all 32 bits, as sflowtool prints them.
		e.u32("inputPort", s.Input.Format<<30|s.Input.Value)
		e.u32("outputPort", s.Output.Format<<30|s.Output.Value)
		e.u32("discardCode", s.DropReason)
		e.str("discardReason", DropReasonName(s.DropReason))
		e.pushPrefix("discarded_")
		// sflowtool names this element kind after flow samples in its "skipping" line.
		w.records(d, s, "flow_sample_element")
		e.popPrefix()
	default:
		w.skipping("sample", s.Enterprise, s.Format, s.Length)
	}
	e.textLine("endSample   ----------------------")
	e.close('}')
}

func (w *Writer) sourceID(s *sflow.Sample) {
	b := appendU32(w.e.num[:0], s.SourceIDClass)
	b = append(b, ':')
	w.e.raw("sourceId", appendU32(b, s.SourceIDIndex))
}

// port is sflowtool's printInOutPort: "N", "dropCode N", "multiple N"; for expanded formats above 3, where
// sflowtool prints an empty value, fleettop names the format ("format==5 N"), as sflow.Interface does.
func (w *Writer) port(key string, p sflow.Interface) {
	b, _ := p.AppendText(w.e.num[:0])
	w.e.raw(key, b)
}

// skipping is sflowtool's skipTLVRecord line (text only, and without the field prefix: sflowtool prints it
// with sf_log, not as a field).
func (w *Writer) skipping(what string, enterprise, format, length uint32) {
	e := &w.e
	if e.json {
		return
	}
	e.w.WriteString("skipping unknown ")
	e.w.WriteString(what)
	b := append(e.num[:0], ':', ' ')
	b = appendU32(b, enterprise)
	b = append(b, ':')
	b = appendU32(b, format)
	b = append(b, " len="...)
	b = appendU32(b, length)
	b = append(b, '\n')
	e.w.Write(b)
}

// records prints a sample's records as sflowtool's "elements".
func (w *Writer) records(d *sflow.Datagram, s *sflow.Sample, unknownWhat string) {
	e := &w.e
	e.open("elements", '[')
	for i := range s.Records {
		r := &s.Records[i]
		e.open("", '{')
		if s.Kind == sflow.SampleKindCounters {
			e.tag("counterBlock_tag", r.Enterprise, r.Format)
			if !w.counterRecord(d, r) {
				w.skipping(unknownWhat, r.Enterprise, r.Format, r.Length)
			}
		} else {
			e.tag("flowBlock_tag", r.Enterprise, r.Format)
			if !w.flowRecord(d, r) {
				w.skipping(unknownWhat, r.Enterprise, r.Format, r.Length)
			}
		}
		e.close('}')
	}
	e.close(']')
}

func appendU32(b []byte, v uint32) []byte { return strconv.AppendUint(b, uint64(v), 10) }
