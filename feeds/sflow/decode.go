package sflow

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
)

// Sentinel errors carried by DecodeError.Err; test them with errors.Is.
var (
	// ErrTruncated: a structure (datagram header, sample header, record body, string) needs more bytes than
	// its container holds.
	ErrTruncated = errors.New("truncated")
	// ErrBadLength: a sample or record length runs past the end of what encloses it.
	ErrBadLength = errors.New("length runs past the enclosing structure")
	// ErrBadVersion: the datagram is not sFlow version 5 (NetFlow v5 on port 6343 reads as 0x00050001).
	ErrBadVersion = errors.New("not an sFlow v5 datagram")
	// ErrBadAddress: an address union has a type other than 1 (IPv4) or 2 (IPv6), or 0 where an address is
	// required (the agent).
	ErrBadAddress = errors.New("bad address type")
	// ErrTooMany: a count (samples, records, AS path segments, communities, adapters, MACs) is larger than
	// what follows it.
	ErrTooMany = errors.New("count larger than the data present")
)

// Error says what failed, where, and why.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("sflow: %s at offset %d (sequence %d): %v", e.Format, e.Offset, e.Seq, e.Err)
}

// Unwrap returns the sentinel error (ErrTruncated, ErrBadLength, ...).
func (e *DecodeError) Unwrap() error { return e.Err }

// Minimum sizes used to bound loops before reading them.
const (
	recordHeaderLen  = 8 // data_format, length (also the sample_record header)
	maxFormatNames   = 1024
	formatKindSample = 's'
	formatKindFlow   = 'f'
	formatKindCount  = 'c'
	formatDatagram   = "datagram"
	formatSamples    = "sample"
)

// Decoder decodes sFlow v5 datagrams. It is not safe for concurrent use: give each goroutine its own (it owns
// a reused gopacket DecodingLayerParser for sampled headers). Create it with NewDecoder; do not copy it.
type Decoder struct {
	decodeHeaders bool
	hdr           headerDecoder
	sampleErrs    []sampleError     // the first error of each sample that has one, in sample order
	names         map[uint64]string // "flow 0:2206" and the like, built once per format seen in an error
}

// sampleError attaches d.Errors[err] to d.Samples[sample] once decoding is done (d.Errors may still move).
type sampleError struct{ sample, err int32 }

// NewDecoder returns a Decoder that decodes sampled packet headers (see SetDecodeHeaders).
func NewDecoder() *Decoder {
	dec := &Decoder{decodeHeaders: true, names: make(map[uint64]string)}
	dec.hdr.init()
	return dec
}

// SetDecodeHeaders chooses whether sampled_header records get their Packet summary decoded (default true).
// Without it Header still holds the raw bytes.
func (dec *Decoder) SetDecodeHeaders(on bool) { dec.decodeHeaders = on }

// Decode decodes one datagram from buf into d, replacing what d held; d's slices are reused, so a steady stream
// of datagrams decodes without allocating. Every []byte in d is a sub-slice of buf (see the package doc).
//
// It returns nil when everything decoded cleanly, else the first DecodeError (a *DecodeError; errors.As). An
// error whose Format is "datagram" means the datagram header itself was unreadable (bad version, bad agent
// address, truncated header): no sample was decoded. Any other error concerns one sample or record: d.Errors
// lists them all, the sample's Err points at its own, and everything the framing allowed was still decoded. A
// malformed record ends its sample (the records before it are kept); the next sample is decoded normally.
// Unknown samples and records are not errors: they are skipped by length and counted.
//
// The returned error points into d.Errors: like every pointer into d, it is valid until the next Decode into d.
func (dec *Decoder) Decode(buf []byte, d *Datagram) error {
	d.clearForDecode()
	dec.sampleErrs = dec.sampleErrs[:0]

	off, ok := dec.decodeDatagramHeader(buf, d)
	if !ok {
		return &d.Errors[0]
	}
	for i := uint32(0); i < d.NumSamples; i++ {
		if off >= len(buf) {
			// Checked per sample, so a huge num_samples costs nothing.
			dec.addError(d, -1, off, formatSamples, d.SequenceNumber, ErrTooMany)
			break
		}
		next, framed := dec.decodeSample(buf, off, d)
		if !framed {
			break
		}
		off = next
	}

	// d.records and d.Errors may have grown (and moved) while decoding: slice them only now.
	for i := range d.Samples {
		s := &d.Samples[i]
		s.Records = d.records[s.recStart:s.recEnd:s.recEnd]
	}
	for _, e := range dec.sampleErrs {
		d.Samples[e.sample].Err = &d.Errors[e.err]
	}
	if len(d.Errors) > 0 {
		return &d.Errors[0]
	}
	return nil
}

// clearForDecode empties d, keeping the capacity of its slices. Field by field: copying the whole Datagram
// (its store is 54 slice headers, and the rare records' 10) costs more than the rest of decoding a small datagram.
// TestDecodeReusesDatagram catches a field forgotten here.
func (d *Datagram) clearForDecode() {
	d.Version, d.AgentAddr, d.SubAgentID, d.SequenceNumber, d.Uptime, d.NumSamples = 0, netip.Addr{}, 0, 0, 0, 0
	d.Samples = d.Samples[:0]
	d.UnknownSamples, d.UnknownRecords = 0, 0
	d.Errors = d.Errors[:0]
	d.records = d.records[:0]
	d.store.reset()
}

// decodeDatagramHeader reads sample_datagram_v5 up to num_samples and returns the offset of the first sample.
func (dec *Decoder) decodeDatagramHeader(buf []byte, d *Datagram) (int, bool) {
	if len(buf) < 8 {
		return 0, dec.datagramError(d, 0, ErrTruncated)
	}
	d.Version = be32(buf, 0)
	if d.Version != Version5 {
		return 0, dec.datagramError(d, 0, ErrBadVersion)
	}
	off := 8
	switch be32(buf, 4) {
	case AddressIPv4:
		if len(buf) < off+4 {
			return 0, dec.datagramError(d, off, ErrTruncated)
		}
		d.AgentAddr = netip.AddrFrom4([4]byte(buf[off : off+4]))
		off += 4
	case AddressIPv6:
		if len(buf) < off+16 {
			return 0, dec.datagramError(d, off, ErrTruncated)
		}
		d.AgentAddr = netip.AddrFrom16([16]byte(buf[off : off+16]))
		off += 16
	default:
		return 0, dec.datagramError(d, 4, ErrBadAddress)
	}
	if len(buf) < off+16 {
		return 0, dec.datagramError(d, off, ErrTruncated)
	}
	d.SubAgentID = be32(buf, off)
	d.SequenceNumber = be32(buf, off+4)
	d.Uptime = be32(buf, off+8)
	d.NumSamples = be32(buf, off+12)
	return off + 16, true
}

// datagramError records a datagram-level error (nothing decoded) and returns false.
func (dec *Decoder) datagramError(d *Datagram, off int, err error) bool {
	d.Errors = append(d.Errors, DecodeError{Offset: off, Format: formatDatagram, Seq: d.SequenceNumber, Err: err})
	return false
}

// addError appends an error; si >= 0 attaches it to that sample if the sample has none yet.
func (dec *Decoder) addError(d *Datagram, si, off int, format string, seq uint32, err error) {
	d.Errors = append(d.Errors, DecodeError{Offset: off, Format: format, Seq: seq, Err: err})
	if si >= 0 && (len(dec.sampleErrs) == 0 || dec.sampleErrs[len(dec.sampleErrs)-1].sample != int32(si)) {
		dec.sampleErrs = append(dec.sampleErrs, sampleError{sample: int32(si), err: int32(len(d.Errors) - 1)})
	}
}

// decodeSample decodes the sample_record at off. It returns the offset of the next sample and whether the
// framing still holds (false when the sample's length ran past the datagram).
//
// The Sample and its Records are written field by field into the slots of d.Samples and d.records, not built
// as composite literals and appended: the compiler assembles a literal on the stack with narrow stores and
// copies it with wide loads, which stall on store forwarding, and in profiles that copy cost more than reading
// the fields. TestDecodeOverwritesStaleSlots catches a field forgotten here.
func (dec *Decoder) decodeSample(buf []byte, off int, d *Datagram) (int, bool) {
	if len(buf)-off < recordHeaderLen {
		dec.addError(d, -1, off, formatSamples, d.SequenceNumber, ErrTruncated)
		return len(buf), false
	}
	sh := buf[off : off+recordHeaderLen]
	dataFormat := binary.BigEndian.Uint32(sh[0:4])
	length := binary.BigEndian.Uint32(sh[4:8])
	start := off + recordHeaderLen
	framed := true
	end := len(buf)
	if uint64(length) <= uint64(len(buf)-start) {
		end = start + int(length)
	} else {
		framed = false // decode what is there, then stop
	}
	body := buf[start:end:end]
	next := nextAligned(start, length, len(buf))

	si := len(d.Samples)
	s := nextSlot(&d.Samples)
	s.Kind, s.Enterprise, s.Format, s.Expanded = SampleKindUnknown, dataFormat>>12, dataFormat&0xFFF, false
	s.Length, s.Offset = length, off
	s.SequenceNumber, s.SourceIDClass, s.SourceIDIndex = 0, 0, 0
	s.SamplingRate, s.SamplePool, s.Drops, s.DropReason, s.NumRecords = 0, 0, 0, 0, 0
	s.Input, s.Output = Interface{}, Interface{}
	s.Records, s.Err, s.Data = nil, nil, body
	s.recStart, s.recEnd = len(d.records), len(d.records)
	if !framed {
		dec.addError(d, si, off+4, dec.formatName(formatKindSample, dataFormat), d.SequenceNumber, ErrBadLength)
	}

	var hdr int // bytes of sample header before the records
	var kind SampleKind
	switch dataFormat {
	case SampleFlow:
		kind, hdr = SampleKindFlow, 32
	case SampleFlowExpanded:
		kind, hdr = SampleKindFlow, 44
	case SampleCounters:
		kind, hdr = SampleKindCounters, 12
	case SampleCountersExpand:
		kind, hdr = SampleKindCounters, 16
	case SampleDiscardedPacket:
		kind, hdr = SampleKindDiscard, 32
	default:
		d.UnknownSamples++
		return next, framed
	}
	s.Kind = kind
	if len(body) < 4 {
		s.SequenceNumber = d.SequenceNumber
	} else {
		s.SequenceNumber = binary.BigEndian.Uint32(body[0:4])
	}
	if len(body) < hdr {
		dec.addError(d, si, start, dec.formatName(formatKindSample, dataFormat), s.SequenceNumber, ErrTruncated)
		return next, framed
	}
	switch dataFormat {
	case SampleFlow:
		h := body[:32:32]
		s.SourceIDClass, s.SourceIDIndex = splitSourceID(be32(h, 4))
		s.SamplingRate = be32(h, 8)
		s.SamplePool = be32(h, 12)
		s.Drops = be32(h, 16)
		s.Input = compactInterface(be32(h, 20))
		s.Output = compactInterface(be32(h, 24))
		s.NumRecords = be32(h, 28)
	case SampleFlowExpanded:
		h := body[:44:44]
		s.Expanded = true
		s.SourceIDClass = be32(h, 4)
		s.SourceIDIndex = be32(h, 8)
		s.SamplingRate = be32(h, 12)
		s.SamplePool = be32(h, 16)
		s.Drops = be32(h, 20)
		s.Input = Interface{Format: be32(h, 24), Value: be32(h, 28)}
		s.Output = Interface{Format: be32(h, 32), Value: be32(h, 36)}
		s.NumRecords = be32(h, 40)
	case SampleCounters:
		h := body[:12:12]
		s.SourceIDClass, s.SourceIDIndex = splitSourceID(be32(h, 4))
		s.NumRecords = be32(h, 8)
	case SampleCountersExpand:
		h := body[:16:16]
		s.Expanded = true
		s.SourceIDClass = be32(h, 4)
		s.SourceIDIndex = be32(h, 8)
		s.NumRecords = be32(h, 12)
	case SampleDiscardedPacket:
		h := body[:32:32]
		s.Expanded = true
		s.SourceIDClass = be32(h, 4)
		s.SourceIDIndex = be32(h, 8)
		s.Drops = be32(h, 12)
		s.Input = Interface{Value: be32(h, 16)}
		s.Output = Interface{Value: be32(h, 20)}
		s.DropReason = be32(h, 24)
		s.NumRecords = be32(h, 28)
	}

	counters := kind == SampleKindCounters
	rest := body[hdr:] // what follows the records read so far
	for range s.NumRecords {
		abs := end - len(rest)
		if len(rest) == 0 {
			dec.addError(d, si, abs, dec.formatName(formatKindSample, dataFormat), s.SequenceNumber, ErrTooMany)
			break
		}
		if len(rest) < recordHeaderLen {
			dec.addError(d, si, abs, dec.formatName(formatKindSample, dataFormat), s.SequenceNumber, ErrTruncated)
			break
		}
		recFormat := binary.BigEndian.Uint32(rest[0:4])
		recLen := binary.BigEndian.Uint32(rest[4:8])
		if uint64(recLen) > uint64(len(rest)-recordHeaderLen) {
			dec.addError(d, si, abs+4, dec.recordName(counters, recFormat), s.SequenceNumber, ErrBadLength)
			break
		}
		recEnd := recordHeaderLen + int(recLen)
		rb := rest[recordHeaderLen:recEnd:recEnd]
		var typ RecordType
		var idx int32
		var err error
		if counters {
			typ, idx, err = decodeCounterRecord(&d.store, recFormat, rb)
		} else if recFormat == FlowSampledHeader {
			typ, idx, err = dec.decodeSampledHeader(&d.store, rb)
		} else {
			typ, idx, err = dec.decodeFlowRecord(&d.store, recFormat, rb)
		}
		if err != nil {
			dec.addError(d, si, abs, dec.recordName(counters, recFormat), s.SequenceNumber, err)
			break
		}
		if typ == RecUnknown {
			idx = -1
			d.UnknownRecords++
		}
		rec := nextSlot(&d.records)
		rec.Type, rec.Enterprise, rec.Format, rec.Length = typ, recFormat>>12, recFormat&0xFFF, recLen
		rec.Offset, rec.Data, rec.idx = abs, rb, idx
		rest = rest[min(recordHeaderLen+(int(recLen)+3)&^3, len(rest)):]
	}
	s.recEnd = len(d.records)
	// Bytes after the last record are vendor padding: ignored, as sflow_version_5.txt asks.
	return next, framed
}

// nextSlot extends *s by one element and returns it. The element is left as it was when capacity allows: the
// caller sets every field.
func nextSlot[E any](s *[]E) *E {
	n := len(*s)
	if n < cap(*s) {
		*s = (*s)[:n+1]
	} else {
		*s = append(*s, *new(E))
	}
	return &(*s)[n]
}

// nextAligned returns start+length rounded up to 4 (XDR opaque padding), clamped to limit.
func nextAligned(start int, length uint32, limit int) int {
	n := uint64(start) + (uint64(length)+3)&^3
	if n > uint64(limit) {
		return limit
	}
	return int(n)
}

// splitSourceID splits a compact source_id: class in the top 8 bits, index in the low 24.
func splitSourceID(v uint32) (class, index uint32) { return v >> 24, v & 0x00FFFFFF }

// compactInterface splits a compact input/output: format in the top 2 bits, value in the low 30.
func compactInterface(v uint32) Interface { return Interface{Format: v >> 30, Value: v & 0x3FFFFFFF} }

// formatName returns "sample 0:1", "flow 0:2206", "counter 0:2003"... without allocating once a format has
// been seen; the cache is bounded, past it a generic name is used.
func (dec *Decoder) formatName(kind byte, dataFormat uint32) string {
	key := uint64(kind)<<32 | uint64(dataFormat)
	if n, ok := dec.names[key]; ok {
		return n
	}
	var prefix string
	switch kind {
	case formatKindSample:
		prefix = "sample"
	case formatKindFlow:
		prefix = "flow"
	default:
		prefix = "counter"
	}
	if len(dec.names) >= maxFormatNames {
		return prefix
	}
	b := make([]byte, 0, 24)
	b = append(b, prefix...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(dataFormat>>12), 10)
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(dataFormat&0xFFF), 10)
	n := string(b)
	dec.names[key] = n
	return n
}

func (dec *Decoder) recordName(counters bool, dataFormat uint32) string {
	if counters {
		return dec.formatName(formatKindCount, dataFormat)
	}
	return dec.formatName(formatKindFlow, dataFormat)
}

// ---------------------------------------------------------------- reading helpers

func be32(b []byte, o int) uint32 { return binary.BigEndian.Uint32(b[o:]) }
func be64(b []byte, o int) uint64 { return binary.BigEndian.Uint64(b[o:]) }

func ipv4At(b []byte, o int) netip.Addr { return netip.AddrFrom4([4]byte(b[o : o+4])) }
func ipv6At(b []byte, o int) netip.Addr { return netip.AddrFrom16([16]byte(b[o : o+16])) }
func macAt(b []byte, o int) (m [6]byte) { copy(m[:], b[o:o+6]); return m }
func u32sAt(dst []uint32, b []byte, o int) {
	for i := range dst {
		dst[i] = be32(b, o+4*i)
	}
}

// xdrCursor reads variable-length record bodies from the front of rest. The first short read sets err and
// empties rest, so that every later read fails too and returns zero values: a decoder reads all its fields and
// checks err once, and no read checks err first.
type xdrCursor struct {
	rest []byte
	err  error
}

// fail records the first error and makes every later read fail.
func (c *xdrCursor) fail(err error) {
	if c.err == nil {
		c.err = err
	}
	c.rest = nil
}

func (c *xdrCursor) u32() uint32 {
	if len(c.rest) < 4 {
		c.fail(ErrTruncated)
		return 0
	}
	v := binary.BigEndian.Uint32(c.rest)
	c.rest = c.rest[4:]
	return v
}

func (c *xdrCursor) i32() int32 { return int32(c.u32()) }

func (c *xdrCursor) u64() uint64 {
	if len(c.rest) < 8 {
		c.fail(ErrTruncated)
		return 0
	}
	v := binary.BigEndian.Uint64(c.rest)
	c.rest = c.rest[8:]
	return v
}

// fixed returns the next n bytes, capacity-limited so appending to it cannot write into the datagram.
func (c *xdrCursor) fixed(n int) []byte {
	if len(c.rest) < n {
		c.fail(ErrTruncated)
		return nil
	}
	v := c.rest[:n:n]
	c.rest = c.rest[n:]
	return v
}

// opaque reads an XDR opaque<> or string<>: a length, the bytes, and padding to 4. Padding missing at the very
// end of the body is tolerated (agents that forget it exist).
func (c *xdrCursor) opaque() []byte {
	if len(c.rest) >= 4 {
		n := binary.BigEndian.Uint32(c.rest)
		if rest := c.rest[4:]; uint64(n) <= uint64(len(rest)) {
			c.rest = rest[min((uint64(n)+3)&^3, uint64(len(rest))):]
			return rest[:n:n]
		}
	}
	c.fail(ErrTruncated)
	return nil
}

// address reads an address union. Type 0 (unknown) is legal XDR and yields the zero Addr.
func (c *xdrCursor) address() netip.Addr {
	switch c.u32() {
	case AddressUnknown: // also after a failed read
		return netip.Addr{}
	case AddressIPv4:
		if b := c.fixed(4); b != nil {
			return netip.AddrFrom4([4]byte(b))
		}
	case AddressIPv6:
		if b := c.fixed(16); b != nil {
			return netip.AddrFrom16([16]byte(b))
		}
	default:
		c.fail(ErrBadAddress)
	}
	return netip.Addr{}
}

// count reads a list count and checks that count elements of at least minSize bytes fit in what remains.
func (c *xdrCursor) count(minSize int) uint32 {
	n := c.u32()
	if uint64(n)*uint64(minSize) > uint64(len(c.rest)) {
		c.fail(ErrTooMany)
		return 0
	}
	return n
}

// words reads a u32 list<>: a count and that many u32, kept in wire form.
func (c *xdrCursor) words() Words {
	n := c.count(4)
	return Words(c.fixed(4 * int(n)))
}

// mac reads an XDR mac: 6 bytes and 2 of padding.
func (c *xdrCursor) mac() (m [6]byte) {
	if b := c.fixed(8); b != nil {
		m = [6]byte(b)
	}
	return m
}

// skip advances n bytes (already checked by count).
func (c *xdrCursor) skip(n int) {
	if len(c.rest) < n {
		c.fail(ErrTruncated)
		return
	}
	c.rest = c.rest[n:]
}

// consumed returns what the cursor read since it was at from (a rest it had), capacity-limited.
func (c *xdrCursor) consumed(from []byte) []byte {
	n := len(from) - len(c.rest)
	return from[:n:n]
}

// ---------------------------------------------------------------- flow records

// decodeSampledHeader decodes flow 0:1. decodeSample calls it directly: it is the record of every flow sample
// a switch sends.
func (dec *Decoder) decodeSampledHeader(st *recordStore, b []byte) (RecordType, int32, error) {
	if len(b) < 16 {
		return RecSampledHeader, -1, ErrTruncated
	}
	f := b[:16:16]
	n := be32(f, 12) // header<>: an opaque ending the record, so its padding is not needed
	if uint64(n) > uint64(len(b)-16) {
		return RecSampledHeader, -1, ErrTruncated
	}
	header := b[16 : 16+n : 16+n]
	v, i := st.newSampledHeader()
	v.Protocol, v.FrameLength, v.Stripped, v.Header = be32(f, 0), be32(f, 4), be32(f, 8), header
	if dec.decodeHeaders {
		dec.hdr.decode(v.Protocol, header, &v.Packet)
	}
	return RecSampledHeader, i, nil
}

// decodeFlowRecord decodes the flow record formats this package knows; others are RecUnknown.
//
// Here and in decodeCounterRecord, fields are read into locals (or straight from b) and then set one by one on
// the stored record: building a struct value, literal or local, and copying it in costs more than the reads
// (see decodeSample).
func (dec *Decoder) decodeFlowRecord(st *recordStore, dataFormat uint32, b []byte) (RecordType, int32, error) {
	if dataFormat>>12 != 0 {
		return RecUnknown, -1, nil
	}
	switch dataFormat { // FlowSampledHeader never gets here: decodeSample calls decodeSampledHeader first
	case FlowSampledEthernet, FlowExtL2TunnelEgress, FlowExtL2TunnelIngress:
		if len(b) < 24 {
			return RecSampledEthernet, -1, ErrTruncated
		}
		v, i := st.newSampledEthernet()
		v.Length = be32(b, 0)
		v.SrcMAC = macAt(b, 4)
		v.DstMAC = macAt(b, 12)
		v.Type = be32(b, 20)
		return RecSampledEthernet, i, nil

	case FlowSampledIPv4, FlowExtIPv4TunnelEgr, FlowExtIPv4TunnelIngr:
		if len(b) < 32 {
			return RecSampledIPv4, -1, ErrTruncated
		}
		v, i := st.newSampledIPv4()
		v.Length = be32(b, 0)
		v.Protocol = be32(b, 4)
		v.SrcIP = ipv4At(b, 8)
		v.DstIP = ipv4At(b, 12)
		v.SrcPort = be32(b, 16)
		v.DstPort = be32(b, 20)
		v.TCPFlags = be32(b, 24)
		v.Priority = be32(b, 28)
		return RecSampledIPv4, i, nil

	case FlowSampledIPv6, FlowExtIPv6TunnelEgr, FlowExtIPv6TunnelIngr:
		if len(b) < 56 {
			return RecSampledIPv6, -1, ErrTruncated
		}
		v, i := st.newSampledIPv6()
		v.Length = be32(b, 0)
		v.Protocol = be32(b, 4)
		v.SrcIP = ipv6At(b, 8)
		v.DstIP = ipv6At(b, 24)
		v.SrcPort = be32(b, 40)
		v.DstPort = be32(b, 44)
		v.TCPFlags = be32(b, 48)
		v.Priority = be32(b, 52)
		return RecSampledIPv6, i, nil

	case FlowExtSwitch:
		if len(b) < 16 {
			return RecExtSwitch, -1, ErrTruncated
		}
		v, i := st.newExtSwitch()
		v.SrcVLAN = be32(b, 0)
		v.SrcPriority = be32(b, 4)
		v.DstVLAN = be32(b, 8)
		v.DstPriority = be32(b, 12)
		return RecExtSwitch, i, nil

	case FlowExtRouter:
		c := xdrCursor{rest: b}
		nextHop := c.address()
		src, dst := c.u32(), c.u32()
		if c.err != nil {
			return RecExtRouter, -1, c.err
		}
		v, i := st.newExtRouter()
		v.NextHop, v.SrcMaskLen, v.DstMaskLen = nextHop, src, dst
		return RecExtRouter, i, nil

	case FlowExtGateway:
		return decodeExtGateway(st, b)

	case FlowExtUser:
		c := xdrCursor{rest: b}
		srcCharset := c.u32()
		srcUser := c.opaque()
		dstCharset := c.u32()
		dstUser := c.opaque()
		if c.err != nil {
			return RecExtUser, -1, c.err
		}
		v, i := st.newExtUser()
		v.SrcCharset, v.SrcUser, v.DstCharset, v.DstUser = srcCharset, srcUser, dstCharset, dstUser
		return RecExtUser, i, nil

	case FlowExtURL:
		c := xdrCursor{rest: b}
		direction := c.u32()
		url := c.opaque()
		host := c.opaque()
		if c.err != nil {
			return RecExtURL, -1, c.err
		}
		v, i := st.newExtURL()
		v.Direction, v.URL, v.Host = direction, url, host
		return RecExtURL, i, nil

	case FlowExtDecapEgress, FlowExtDecapIngress, FlowExtVNIEgress, FlowExtVNIIngress,
		FlowEgressQueue, FlowTransitDelay, FlowQueueDepth:
		if len(b) < 4 {
			return RecU32, -1, ErrTruncated
		}
		v, i := st.newU32()
		v.Value = be32(b, 0)
		return RecU32, i, nil

	case FlowExtACL:
		c := xdrCursor{rest: b}
		number := c.u32()
		name := c.opaque()
		direction := c.u32()
		if c.err != nil {
			return RecExtACL, -1, c.err
		}
		v, i := st.newExtACL()
		v.Number, v.Name, v.Direction = number, name, direction
		return RecExtACL, i, nil

	case FlowExtFunction, FlowLinuxDropReason:
		c := xdrCursor{rest: b}
		s := c.opaque()
		if c.err != nil {
			return RecString, -1, c.err
		}
		v, i := st.newString()
		v.Value = s
		return RecString, i, nil

	case FlowHWTrap:
		c := xdrCursor{rest: b}
		group := c.opaque()
		trap := c.opaque()
		if c.err != nil {
			return RecHWTrap, -1, c.err
		}
		v, i := st.newHWTrap()
		v.Group, v.Trap = group, trap
		return RecHWTrap, i, nil

	case FlowTimestamp:
		if len(b) < 8 {
			return RecTimestamp, -1, ErrTruncated
		}
		v, i := st.newTimestamp()
		v.Nanos = be64(b, 0)
		return RecTimestamp, i, nil

	case FlowExtSocketIPv4, FlowExtProxySocketIPv4:
		if len(b) < 20 {
			return RecSocket, -1, ErrTruncated
		}
		v, i := st.newSocket()
		v.Proxy = dataFormat == FlowExtProxySocketIPv4
		v.Protocol = be32(b, 0)
		v.LocalIP = ipv4At(b, 4)
		v.RemoteIP = ipv4At(b, 8)
		v.LocalPort = be32(b, 12)
		v.RemotePort = be32(b, 16)
		return RecSocket, i, nil

	case FlowExtSocketIPv6, FlowExtProxySocketIPv6:
		if len(b) < 44 {
			return RecSocket, -1, ErrTruncated
		}
		v, i := st.newSocket()
		v.Proxy = dataFormat == FlowExtProxySocketIPv6
		v.Protocol = be32(b, 0)
		v.LocalIP = ipv6At(b, 4)
		v.RemoteIP = ipv6At(b, 20)
		v.LocalPort = be32(b, 36)
		v.RemotePort = be32(b, 40)
		return RecSocket, i, nil

	case FlowMemcacheOperation:
		c := xdrCursor{rest: b}
		protocol := c.u32()
		cmd := c.u32()
		key := c.opaque()
		nkeys := c.u32()
		valueBytes := c.u32()
		duration := c.u32()
		status := c.u32()
		if c.err != nil {
			return RecMemcacheOp, -1, c.err
		}
		v, i := st.newMemcacheOp()
		v.Protocol, v.Cmd, v.Key, v.NKeys, v.ValueBytes = protocol, cmd, key, nkeys, valueBytes
		v.DurationUS, v.Status = duration, status
		return RecMemcacheOp, i, nil

	case FlowHTTPRequest, FlowHTTPRequestLegacy:
		legacy := dataFormat == FlowHTTPRequestLegacy
		c := xdrCursor{rest: b}
		method := c.u32()
		protocol := c.u32()
		uri := c.opaque()
		host := c.opaque()
		referer := c.opaque()
		userAgent := c.opaque()
		var xff []byte
		if !legacy {
			xff = c.opaque()
		}
		authUser := c.opaque()
		mimeType := c.opaque()
		var reqBytes uint64
		if !legacy {
			reqBytes = c.u64()
		}
		respBytes := c.u64()
		duration := c.u32()
		status := c.i32()
		if c.err != nil {
			return RecHTTPRequest, -1, c.err
		}
		v, i := st.newHTTPRequest()
		v.Legacy, v.Method, v.Protocol, v.URI, v.Host = legacy, method, protocol, uri, host
		v.Referer, v.UserAgent, v.XFF, v.AuthUser, v.MimeType = referer, userAgent, xff, authUser, mimeType
		v.ReqBytes, v.RespBytes, v.DurationUS, v.Status = reqBytes, respBytes, duration, status
		return RecHTTPRequest, i, nil

	case FlowExtProxyRequest:
		c := xdrCursor{rest: b}
		uri := c.opaque()
		host := c.opaque()
		if c.err != nil {
			return RecProxyRequest, -1, c.err
		}
		v, i := st.newProxyRequest()
		v.URI, v.Host = uri, host
		return RecProxyRequest, i, nil

	case FlowAppOperation:
		c := xdrCursor{rest: b}
		application, operation, attributes := c.opaque(), c.opaque(), c.opaque()
		statusDescr := c.opaque()
		reqBytes, respBytes := c.u64(), c.u64()
		duration, status := c.u32(), c.u32()
		if c.err != nil {
			return RecAppOperation, -1, c.err
		}
		v, i := st.newAppOperation()
		v.Context.Application, v.Context.Operation, v.Context.Attributes = application, operation, attributes
		v.StatusDescr, v.ReqBytes, v.RespBytes = statusDescr, reqBytes, respBytes
		v.DurationUS, v.Status = duration, status
		return RecAppOperation, i, nil

	case FlowAppParentContext:
		c := xdrCursor{rest: b}
		application, operation, attributes := c.opaque(), c.opaque(), c.opaque()
		if c.err != nil {
			return RecAppContext, -1, c.err
		}
		v, i := st.newAppContext()
		v.Application, v.Operation, v.Attributes = application, operation, attributes
		return RecAppContext, i, nil

	case FlowAppInitiator, FlowAppTarget:
		c := xdrCursor{rest: b}
		actor := c.opaque()
		if c.err != nil {
			return RecAppActor, -1, c.err
		}
		v, i := st.newAppActor()
		v.Target, v.Actor = dataFormat == FlowAppTarget, actor
		return RecAppActor, i, nil

	case FlowTCPInfo:
		if len(b) < 48 {
			return RecTCPInfo, -1, ErrTruncated
		}
		v, i := st.newTCPInfo()
		v.Dirn, v.SndMSS, v.RcvMSS, v.Unacked, v.Lost = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12), be32(b, 16)
		v.Retrans, v.PMTU, v.RTT, v.RTTVar = be32(b, 20), be32(b, 24), be32(b, 28), be32(b, 32)
		v.SndCwnd, v.Reordering, v.MinRTT = be32(b, 36), be32(b, 40), be32(b, 44)
		return RecTCPInfo, i, nil

	case FlowEntities:
		if len(b) < 16 {
			return RecEntities, -1, ErrTruncated
		}
		v, i := st.newEntities()
		v.SrcClass, v.SrcIndex, v.DstClass, v.DstIndex = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12)
		return RecEntities, i, nil
	}
	return dec.decodeFlowRecordRare(st, dataFormat, b)
}

// decodeFlowRecordRare decodes the flow records of MPLS, NAT, VLAN tunnels and 802.11, which few agents send.
func (dec *Decoder) decodeFlowRecordRare(st *recordStore, dataFormat uint32, b []byte) (RecordType, int32, error) {
	c := xdrCursor{rest: b}
	switch dataFormat {
	case FlowExtMPLS:
		nextHop := c.address()
		in := c.words()
		out := c.words()
		if c.err != nil {
			return RecExtMPLS, -1, c.err
		}
		v, i := st.newExtMPLS()
		v.NextHop, v.InStack, v.OutStack = nextHop, in, out
		return RecExtMPLS, i, nil

	case FlowExtNAT:
		src := c.address()
		dst := c.address()
		if c.err != nil {
			return RecExtNAT, -1, c.err
		}
		v, i := st.newExtNAT()
		v.Src, v.Dst = src, dst
		return RecExtNAT, i, nil

	case FlowExtMPLSTunnel, FlowExtMPLSVC:
		name := c.opaque()
		id, cos := c.u32(), c.u32()
		if c.err != nil {
			return RecExtMPLSTunnel, -1, c.err
		}
		v, i := st.newExtMPLSTunnel()
		v.Name, v.ID, v.COS = name, id, cos
		return RecExtMPLSTunnel, i, nil

	case FlowExtMPLSFTN:
		descr := c.opaque()
		mask := c.u32()
		if c.err != nil {
			return RecExtMPLSFTN, -1, c.err
		}
		v, i := st.newExtMPLSFTN()
		v.Descr, v.Mask = descr, mask
		return RecExtMPLSFTN, i, nil

	case FlowExtVLANTunnel:
		stack := c.words()
		if c.err != nil {
			return RecExtVLANTunnel, -1, c.err
		}
		v, i := st.newExtVLANTunnel()
		v.Stack = stack
		return RecExtVLANTunnel, i, nil

	case FlowExtWifiPayload:
		suite, protocol, frameLength, stripped := c.u32(), c.u32(), c.u32(), c.u32()
		header := c.opaque()
		if c.err != nil {
			return RecExtWifiPayload, -1, c.err
		}
		v, i := st.newExtWifiPayload()
		v.CipherSuite = suite
		h := &v.Header
		h.Protocol, h.FrameLength, h.Stripped, h.Header = protocol, frameLength, stripped, header
		if dec.decodeHeaders {
			dec.hdr.decode(h.Protocol, header, &h.Packet)
		}
		return RecExtWifiPayload, i, nil

	case FlowExtWifiRx:
		ssid := c.opaque()
		bssid := c.mac()
		version, channel := c.u32(), c.u32()
		speed := c.u64()
		rsni, rcpi, duration := c.u32(), c.u32(), c.u32()
		if c.err != nil {
			return RecExtWifiRx, -1, c.err
		}
		v, i := st.newExtWifiRx()
		v.SSID, v.BSSID, v.Version, v.Channel, v.Speed = ssid, bssid, version, channel, speed
		v.RSNI, v.RCPI, v.PacketDurationUS = rsni, rcpi, duration
		return RecExtWifiRx, i, nil

	case FlowExtWifiTx:
		ssid := c.opaque()
		bssid := c.mac()
		version, transmissions, duration, retrans, channel := c.u32(), c.u32(), c.u32(), c.u32(), c.u32()
		speed := c.u64()
		power := c.u32()
		if c.err != nil {
			return RecExtWifiTx, -1, c.err
		}
		v, i := st.newExtWifiTx()
		v.SSID, v.BSSID, v.Version, v.Transmissions = ssid, bssid, version, transmissions
		v.PacketDurationUS, v.RetransDurationUS, v.Channel, v.Speed, v.PowerMW = duration, retrans, channel, speed, power
		return RecExtWifiTx, i, nil
	}
	return RecUnknown, -1, nil
}

// decodeExtGateway validates the AS path and community lists in place and keeps them as sub-slices.
func decodeExtGateway(st *recordStore, b []byte) (RecordType, int32, error) {
	c := xdrCursor{rest: b}
	nextHop := c.address()
	as, srcAS, srcPeerAS := c.u32(), c.u32(), c.u32()
	numSegments := c.count(8) // a segment is at least its type and its (zero) count
	path := c.rest
	for range numSegments {
		c.u32() // segment type
		n := c.count(4)
		c.skip(4 * int(n))
		if c.err != nil {
			break
		}
	}
	path = c.consumed(path)
	numCommunity := c.count(4)
	communities := c.fixed(4 * int(numCommunity))
	localPref := c.u32()
	if c.err != nil {
		return RecExtGateway, -1, c.err
	}
	v, i := st.newExtGateway()
	v.NextHop, v.AS, v.SrcAS, v.SrcPeerAS = nextHop, as, srcAS, srcPeerAS
	v.NumSegments, v.ASPathRaw = numSegments, path
	v.NumCommunity, v.Communities, v.LocalPref = numCommunity, communities, localPref
	return RecExtGateway, i, nil
}

// ---------------------------------------------------------------- counter records

// decodeCounterRecord decodes the counter record formats this package knows; others are RecUnknown. Fixed
// structures accept a longer body (fields added later) and ignore its tail.
func decodeCounterRecord(st *recordStore, dataFormat uint32, b []byte) (RecordType, int32, error) {
	if dataFormat == EnterpriseBroadcom<<12|CounterBroadcomTables {
		if len(b) < CounterBroadcomTablesLen {
			return RecBroadcomTables, -1, ErrTruncated
		}
		v, i := st.newBroadcomTables()
		u32sAt(v.V[:], b, 0)
		return RecBroadcomTables, i, nil
	}
	if dataFormat>>12 != 0 {
		return RecUnknown, -1, nil
	}
	switch dataFormat {
	case CounterGenericInterface:
		if len(b) < 88 {
			return RecIfCounters, -1, ErrTruncated
		}
		v, i := st.newIfCounters()
		v.Index, v.Type, v.Speed, v.Direction = be32(b, 0), be32(b, 4), be64(b, 8), be32(b, 16)
		v.Status, v.InOctets, v.InUcastPkts, v.InMulticastPkts = be32(b, 20), be64(b, 24), be32(b, 32), be32(b, 36)
		v.InBroadcastPkts, v.InDiscards, v.InErrors = be32(b, 40), be32(b, 44), be32(b, 48)
		v.InUnknownProtos, v.OutOctets, v.OutUcastPkts = be32(b, 52), be64(b, 56), be32(b, 64)
		v.OutMulticastPkts, v.OutBroadcastPkts, v.OutDiscards = be32(b, 68), be32(b, 72), be32(b, 76)
		v.OutErrors, v.PromiscuousMode = be32(b, 80), be32(b, 84)
		return RecIfCounters, i, nil

	case CounterEthernet:
		if len(b) < 52 {
			return RecEthernetCounters, -1, ErrTruncated
		}
		v, i := st.newEthernetCounters()
		v.AlignmentErrors, v.FCSErrors, v.SingleCollisionFrames = be32(b, 0), be32(b, 4), be32(b, 8)
		v.MultipleCollisionFrames, v.SQETestErrors, v.DeferredTransmissions = be32(b, 12), be32(b, 16), be32(b, 20)
		v.LateCollisions, v.ExcessiveCollisions, v.InternalMacTransmitErrors = be32(b, 24), be32(b, 28), be32(b, 32)
		v.CarrierSenseErrors, v.FrameTooLongs, v.InternalMacReceiveErrors = be32(b, 36), be32(b, 40), be32(b, 44)
		v.SymbolErrors = be32(b, 48)
		return RecEthernetCounters, i, nil

	case CounterVLAN:
		if len(b) < 28 {
			return RecVLANCounters, -1, ErrTruncated
		}
		v, i := st.newVLANCounters()
		v.VLANID, v.Octets, v.UcastPkts, v.MulticastPkts = be32(b, 0), be64(b, 4), be32(b, 12), be32(b, 16)
		v.BroadcastPkts, v.Discards = be32(b, 20), be32(b, 24)
		return RecVLANCounters, i, nil

	case CounterLACP:
		if len(b) < 56 {
			return RecLACPCounters, -1, ErrTruncated
		}
		v, i := st.newLACPCounters()
		v.ActorSystemID, v.PartnerSystemID, v.AttachedAggID = macAt(b, 0), macAt(b, 8), be32(b, 16)
		v.ActorAdminPortState, v.ActorOperPortState, v.PartnerAdminPortState = b[20], b[21], b[22]
		v.PartnerOperPortState, v.LACPDUsRx, v.MarkerPDUsRx = b[23], be32(b, 24), be32(b, 28)
		v.MarkerResponsePDUsRx, v.UnknownRx, v.IllegalRx = be32(b, 32), be32(b, 36), be32(b, 40)
		v.LACPDUsTx, v.MarkerPDUsTx, v.MarkerResponsePDUsTx = be32(b, 44), be32(b, 48), be32(b, 52)
		return RecLACPCounters, i, nil

	case CounterSFP:
		c := xdrCursor{rest: b}
		id, total, voltage, temperature := c.u32(), c.u32(), c.u32(), c.i32()
		n := c.count(SFPLaneLen)
		lanes := c.fixed(SFPLaneLen * int(n))
		if c.err != nil {
			return RecSFP, -1, c.err
		}
		v, i := st.newSFP()
		v.ModuleID, v.TotalLanes, v.SupplyVoltage, v.Temperature, v.Lanes = id, total, voltage, temperature, lanes
		return RecSFP, i, nil

	case CounterPFC:
		if len(b) < 20 {
			return RecPFC, -1, ErrTruncated
		}
		v, i := st.newPFC()
		v.Requests, v.Indications, v.PauseDurationUS = be32(b, 0), be32(b, 4), be32(b, 8)
		v.StormDetected, v.StormRestored = be32(b, 12), be32(b, 16)
		return RecPFC, i, nil

	case CounterProcessor:
		if len(b) < 28 {
			return RecProcessor, -1, ErrTruncated
		}
		v, i := st.newProcessor()
		v.CPU5s, v.CPU1m, v.CPU5m = int32(be32(b, 0)), int32(be32(b, 4)), int32(be32(b, 8))
		v.TotalMemory, v.FreeMemory = be64(b, 12), be64(b, 20)
		return RecProcessor, i, nil

	case CounterOpenFlowPort:
		if len(b) < 12 {
			return RecOpenFlowPort, -1, ErrTruncated
		}
		v, i := st.newOpenFlowPort()
		v.DatapathID, v.PortNo = be64(b, 0), be32(b, 8)
		return RecOpenFlowPort, i, nil

	case CounterPortName:
		c := xdrCursor{rest: b}
		name := c.opaque()
		if c.err != nil {
			return RecPortName, -1, c.err
		}
		v, i := st.newPortName()
		v.Name = name
		return RecPortName, i, nil

	case CounterHostDescr:
		c := xdrCursor{rest: b}
		hostname := c.opaque()
		uuid := c.fixed(16) // no length prefix in any implementation (SFLOW.md §2)
		machineType, osName := c.u32(), c.u32()
		osRelease := c.opaque()
		if c.err != nil {
			return RecHostDescr, -1, c.err
		}
		v, i := st.newHostDescr()
		v.Hostname, v.UUID, v.OSRelease = hostname, [16]byte(uuid), osRelease
		v.MachineType, v.OSName = machineType, osName
		return RecHostDescr, i, nil

	case CounterHostAdapters:
		c := xdrCursor{rest: b}
		n := c.count(8) // an adapter is at least its ifIndex and its (zero) MAC count
		start := c.rest
		for range n {
			c.u32() // ifIndex
			macs := c.count(8)
			c.skip(8 * int(macs))
			if c.err != nil {
				break
			}
		}
		if c.err != nil {
			return RecHostAdapters, -1, c.err
		}
		v, i := st.newHostAdapters()
		v.NumAdapters, v.Raw = n, c.consumed(start)
		return RecHostAdapters, i, nil

	case CounterHostParent:
		if len(b) < 8 {
			return RecHostParent, -1, ErrTruncated
		}
		v, i := st.newHostParent()
		v.ContainerType, v.ContainerIndex = be32(b, 0), be32(b, 4)
		return RecHostParent, i, nil

	case CounterHostCPU:
		if len(b) < HostCPULenV1 {
			return RecHostCPU, -1, ErrTruncated
		}
		v, i := st.newHostCPU()
		v.LoadOne, v.LoadFive, v.LoadFifteen, v.ProcRun = f32At(b, 0), f32At(b, 4), f32At(b, 8), be32(b, 12)
		v.ProcTotal, v.CPUNum, v.CPUSpeed, v.Uptime = be32(b, 16), be32(b, 20), be32(b, 24), be32(b, 28)
		v.User, v.Nice, v.System, v.Idle, v.WIO = be32(b, 32), be32(b, 36), be32(b, 40), be32(b, 44), be32(b, 48)
		v.Intr, v.SoftIntr, v.Interrupts, v.Contexts = be32(b, 52), be32(b, 56), be32(b, 60), be32(b, 64)
		if len(b) >= HostCPULenV2 {
			v.Steal, v.Guest, v.GuestNice, v.Len80 = be32(b, 68), be32(b, 72), be32(b, 76), true
		}
		return RecHostCPU, i, nil

	case CounterHostMemory:
		if len(b) < 72 {
			return RecHostMemory, -1, ErrTruncated
		}
		v, i := st.newHostMemory()
		v.Total, v.Free, v.Shared, v.Buffers = be64(b, 0), be64(b, 8), be64(b, 16), be64(b, 24)
		v.Cached, v.SwapTotal, v.SwapFree, v.PageIn = be64(b, 32), be64(b, 40), be64(b, 48), be32(b, 56)
		v.PageOut, v.SwapIn, v.SwapOut = be32(b, 60), be32(b, 64), be32(b, 68)
		return RecHostMemory, i, nil

	case CounterHostDiskIO:
		if len(b) < 52 {
			return RecHostDiskIO, -1, ErrTruncated
		}
		v, i := st.newHostDiskIO()
		v.Total, v.Free, v.PartMaxUsed, v.Reads = be64(b, 0), be64(b, 8), int32(be32(b, 16)), be32(b, 20)
		v.BytesRead, v.ReadTime, v.Writes, v.BytesWritten = be64(b, 24), be32(b, 32), be32(b, 36), be64(b, 40)
		v.WriteTime = be32(b, 48)
		return RecHostDiskIO, i, nil

	case CounterHostNetIO, CounterVirtNetIO:
		if len(b) < 40 {
			return RecHostNetIO, -1, ErrTruncated
		}
		v, i := st.newHostNetIO()
		v.Virt, v.BytesIn, v.PktsIn, v.ErrsIn = dataFormat == CounterVirtNetIO, be64(b, 0), be32(b, 8), be32(b, 12)
		v.DropsIn, v.BytesOut, v.PktsOut, v.ErrsOut = be32(b, 16), be64(b, 20), be32(b, 28), be32(b, 32)
		v.DropsOut = be32(b, 36)
		return RecHostNetIO, i, nil

	case CounterMIB2IP:
		if len(b) < 19*4 {
			return RecMIB2IP, -1, ErrTruncated
		}
		v, i := st.newMIB2IP()
		u32sAt(v.V[:], b, 0)
		return RecMIB2IP, i, nil

	case CounterMIB2ICMP:
		if len(b) < 25*4 {
			return RecMIB2ICMP, -1, ErrTruncated
		}
		v, i := st.newMIB2ICMP()
		u32sAt(v.V[:], b, 0)
		return RecMIB2ICMP, i, nil

	case CounterMIB2TCP:
		if len(b) < 15*4 {
			return RecMIB2TCP, -1, ErrTruncated
		}
		v, i := st.newMIB2TCP()
		u32sAt(v.V[:], b, 0)
		return RecMIB2TCP, i, nil

	case CounterMIB2UDP:
		if len(b) < 7*4 {
			return RecMIB2UDP, -1, ErrTruncated
		}
		v, i := st.newMIB2UDP()
		u32sAt(v.V[:], b, 0)
		return RecMIB2UDP, i, nil

	case CounterVirtNode:
		if len(b) < 28 {
			return RecVirtNode, -1, ErrTruncated
		}
		v, i := st.newVirtNode()
		v.MHz, v.CPUs, v.Memory, v.MemoryFree = be32(b, 0), be32(b, 4), be64(b, 8), be64(b, 16)
		v.NumDomains = be32(b, 24)
		return RecVirtNode, i, nil

	case CounterVirtCPU:
		if len(b) < 12 {
			return RecVirtCPU, -1, ErrTruncated
		}
		v, i := st.newVirtCPU()
		v.State, v.CPUTime, v.NrVirtCPU = be32(b, 0), be32(b, 4), be32(b, 8)
		return RecVirtCPU, i, nil

	case CounterVirtMemory:
		if len(b) < 16 {
			return RecVirtMemory, -1, ErrTruncated
		}
		v, i := st.newVirtMemory()
		v.Memory, v.MaxMemory = be64(b, 0), be64(b, 8)
		return RecVirtMemory, i, nil

	case CounterVirtDiskIO:
		if len(b) < 52 {
			return RecVirtDiskIO, -1, ErrTruncated
		}
		v, i := st.newVirtDiskIO()
		v.Capacity, v.Allocation, v.Available, v.RdReq = be64(b, 0), be64(b, 8), be64(b, 16), be32(b, 24)
		v.RdBytes, v.WrReq, v.WrBytes, v.Errs = be64(b, 28), be32(b, 36), be64(b, 40), be32(b, 48)
		return RecVirtDiskIO, i, nil

	case CounterJVMRuntime:
		c := xdrCursor{rest: b}
		name := c.opaque()
		vendor := c.opaque()
		version := c.opaque()
		if c.err != nil {
			return RecJVMRuntime, -1, c.err
		}
		v, i := st.newJVMRuntime()
		v.Name, v.Vendor, v.Version = name, vendor, version
		return RecJVMRuntime, i, nil

	case CounterJVMStatistics:
		if len(b) < JVMStatsLen1 {
			return RecJVMStatistics, -1, ErrTruncated
		}
		v, i := st.newJVMStatistics()
		v.HeapInitial, v.HeapUsed, v.HeapCommitted, v.HeapMax = be64(b, 0), be64(b, 8), be64(b, 16), be64(b, 24)
		v.NonHeapInitial, v.NonHeapUsed, v.NonHeapCommitted = be64(b, 32), be64(b, 40), be64(b, 48)
		v.NonHeapMax, v.GCCount, v.GCTime, v.ClassesLoaded = be64(b, 56), be32(b, 64), be32(b, 68), be32(b, 72)
		v.ClassesTotal, v.ClassesUnloaded, v.CompilationTime = be32(b, 76), be32(b, 80), be32(b, 84)
		v.ThreadsLive, v.ThreadsDaemon, v.ThreadsStarted = be32(b, 88), be32(b, 92), be32(b, 96)
		if len(b) >= JVMStatsLen2 {
			v.FDOpen, v.FDMax, v.Len108 = be32(b, 100), be32(b, 104), true
		}
		return RecJVMStatistics, i, nil

	case CounterMemcacheLegacy:
		if len(b) < 144 {
			return RecMemcacheCounters, -1, ErrTruncated
		}
		v, i := st.newMemcacheCounters()
		v.Legacy, v.Uptime, v.RUsageUser, v.RUsageSystem = true, be32(b, 0), be32(b, 4), be32(b, 8)
		v.CurrConnections, v.TotalConnections, v.ConnectionStructures = be32(b, 12), be32(b, 16), be32(b, 20)
		v.CmdGet, v.CmdSet, v.CmdFlush, v.GetHits = be32(b, 24), be32(b, 28), be32(b, 32), be32(b, 36)
		v.GetMisses, v.DeleteMisses, v.DeleteHits, v.IncrMisses = be32(b, 40), be32(b, 44), be32(b, 48), be32(b, 52)
		v.IncrHits, v.DecrMisses, v.DecrHits, v.CASMisses = be32(b, 56), be32(b, 60), be32(b, 64), be32(b, 68)
		v.CASHits, v.CASBadval, v.AuthCmds, v.AuthErrors = be32(b, 72), be32(b, 76), be32(b, 80), be32(b, 84)
		v.BytesRead, v.BytesWritten, v.LimitMaxbytes = be64(b, 88), be64(b, 96), uint64(be32(b, 104))
		v.AcceptingConns, v.ListenDisabledNum, v.Threads = be32(b, 108), be32(b, 112), be32(b, 116)
		v.ConnYields, v.Bytes, v.CurrItems, v.TotalItems = be32(b, 120), be64(b, 124), be32(b, 132), be32(b, 136)
		v.Evictions = be32(b, 140)
		return RecMemcacheCounters, i, nil

	case CounterMemcache:
		if len(b) < 140 {
			return RecMemcacheCounters, -1, ErrTruncated
		}
		v, i := st.newMemcacheCounters()
		v.CmdSet, v.CmdTouch, v.CmdFlush, v.GetHits = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12)
		v.GetMisses, v.DeleteHits, v.DeleteMisses, v.IncrHits = be32(b, 16), be32(b, 20), be32(b, 24), be32(b, 28)
		v.IncrMisses, v.DecrHits, v.DecrMisses, v.CASHits = be32(b, 32), be32(b, 36), be32(b, 40), be32(b, 44)
		v.CASMisses, v.CASBadval, v.AuthCmds, v.AuthErrors = be32(b, 48), be32(b, 52), be32(b, 56), be32(b, 60)
		v.Threads, v.ConnYields, v.ListenDisabledNum = be32(b, 64), be32(b, 68), be32(b, 72)
		v.CurrConnections, v.RejectedConnections, v.TotalConnections = be32(b, 76), be32(b, 80), be32(b, 84)
		v.ConnectionStructures, v.Evictions, v.Reclaimed = be32(b, 88), be32(b, 92), be32(b, 96)
		v.CurrItems, v.TotalItems, v.BytesRead = be32(b, 100), be32(b, 104), be64(b, 108)
		v.BytesWritten, v.Bytes, v.LimitMaxbytes = be64(b, 116), be64(b, 124), be64(b, 132)
		return RecMemcacheCounters, i, nil

	case CounterHTTP:
		if len(b) < 60 {
			return RecHTTPCounters, -1, ErrTruncated
		}
		v, i := st.newHTTPCounters()
		v.MethodOption, v.MethodGet, v.MethodHead, v.MethodPost = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12)
		v.MethodPut, v.MethodDelete, v.MethodTrace = be32(b, 16), be32(b, 20), be32(b, 24)
		v.MethodConnect, v.MethodOther, v.Status1XX = be32(b, 28), be32(b, 32), be32(b, 36)
		v.Status2XX, v.Status3XX, v.Status4XX, v.Status5XX = be32(b, 40), be32(b, 44), be32(b, 48), be32(b, 52)
		v.StatusOther = be32(b, 56)
		return RecHTTPCounters, i, nil

	case CounterAppOperations:
		c := xdrCursor{rest: b}
		app := c.opaque()
		nums := c.fixed(44)
		if c.err != nil {
			return RecAppOperations, -1, c.err
		}
		v, i := st.newAppOperations()
		v.Application, v.Success, v.Other, v.Timeout = app, be32(nums, 0), be32(nums, 4), be32(nums, 8)
		v.InternalError, v.BadRequest, v.Forbidden = be32(nums, 12), be32(nums, 16), be32(nums, 20)
		v.TooLarge, v.NotImplemented, v.NotFound = be32(nums, 24), be32(nums, 28), be32(nums, 32)
		v.Unavailable, v.Unauthorized = be32(nums, 36), be32(nums, 40)
		return RecAppOperations, i, nil

	case CounterAppResources:
		if len(b) < 40 {
			return RecAppResources, -1, ErrTruncated
		}
		v, i := st.newAppResources()
		v.UserTime, v.SystemTime, v.MemUsed, v.MemMax = be32(b, 0), be32(b, 4), be64(b, 8), be64(b, 16)
		v.FDOpen, v.FDMax, v.ConnOpen, v.ConnMax = be32(b, 24), be32(b, 28), be32(b, 32), be32(b, 36)
		return RecAppResources, i, nil

	case CounterAppWorkers:
		if len(b) < 20 {
			return RecAppWorkers, -1, ErrTruncated
		}
		v, i := st.newAppWorkers()
		v.Active, v.Idle, v.Max, v.ReqDelayed = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12)
		v.ReqDropped = be32(b, 16)
		return RecAppWorkers, i, nil

	case CounterOVSDP:
		if len(b) < 24 {
			return RecOVSDP, -1, ErrTruncated
		}
		v, i := st.newOVSDP()
		v.Hits, v.Misses, v.Lost, v.MaskHits, v.Flows = be32(b, 0), be32(b, 4), be32(b, 8), be32(b, 12), be32(b, 16)
		v.Masks = be32(b, 20)
		return RecOVSDP, i, nil
	}
	return RecUnknown, -1, nil
}

func f32At(b []byte, o int) float32 { return math.Float32frombits(be32(b, o)) }
