package sflow

import (
	"encoding/binary"
	"errors"
	"fmt"
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
