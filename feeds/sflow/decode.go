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
	sampleErr     []int32           // per sample of the datagram being decoded: index in d.Errors, or -1
	names         map[uint64]string // "flow 0:2206" and the like, built once per format seen in an error
}

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
	dec.sampleErr = dec.sampleErr[:0]

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
		if e := dec.sampleErr[i]; e >= 0 {
			s.Err = &d.Errors[e]
		}
	}
	if len(d.Errors) > 0 {
		return &d.Errors[0]
	}
	return nil
}

// clearForDecode empties d, keeping the capacity of its slices. Field by field: copying the whole Datagram
// (its store is 54 slice headers) costs more than the rest of decoding a small datagram.
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
	if si >= 0 && dec.sampleErr[si] < 0 {
		dec.sampleErr[si] = int32(len(d.Errors) - 1)
	}
}

// decodeSample decodes the sample_record at off. It returns the offset of the next sample and whether the
// framing still holds (false when the sample's length ran past the datagram).
func (dec *Decoder) decodeSample(buf []byte, off int, d *Datagram) (int, bool) {
	if len(buf)-off < recordHeaderLen {
		dec.addError(d, -1, off, formatSamples, d.SequenceNumber, ErrTruncated)
		return len(buf), false
	}
	dataFormat := be32(buf, off)
	length := be32(buf, off+4)
	start := off + recordHeaderLen
	framed := true
	end := len(buf)
	if uint64(length) <= uint64(len(buf)-start) {
		end = start + int(length)
	} else {
		framed = false // decode what is there, then stop
	}
	body := buf[start:end:end]

	si := len(d.Samples)
	d.Samples = append(d.Samples, Sample{
		Enterprise: dataFormat >> 12,
		Format:     dataFormat & 0xFFF,
		Length:     length,
		Offset:     off,
		Data:       body,
		recStart:   len(d.records),
		recEnd:     len(d.records),
	})
	dec.sampleErr = append(dec.sampleErr, -1)
	s := &d.Samples[si]
	if !framed {
		dec.addError(d, si, off+4, dec.formatName(formatKindSample, dataFormat), d.SequenceNumber, ErrBadLength)
	}

	var hdr int // bytes of sample header before the records
	var kind SampleKind
	if s.Enterprise == 0 {
		switch s.Format {
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
		}
	}
	if kind == SampleKindUnknown {
		d.UnknownSamples++
		return nextAligned(start, length, len(buf)), framed
	}
	s.Kind = kind
	if len(body) < 4 {
		s.SequenceNumber = d.SequenceNumber
	} else {
		s.SequenceNumber = be32(body, 0)
	}
	if len(body) < hdr {
		dec.addError(d, si, start, dec.formatName(formatKindSample, dataFormat), s.SequenceNumber, ErrTruncated)
		return nextAligned(start, length, len(buf)), framed
	}
	switch s.Format {
	case SampleFlow:
		s.SourceIDClass, s.SourceIDIndex = splitSourceID(be32(body, 4))
		s.SamplingRate = be32(body, 8)
		s.SamplePool = be32(body, 12)
		s.Drops = be32(body, 16)
		s.Input = compactInterface(be32(body, 20))
		s.Output = compactInterface(be32(body, 24))
		s.NumRecords = be32(body, 28)
	case SampleFlowExpanded:
		s.Expanded = true
		s.SourceIDClass = be32(body, 4)
		s.SourceIDIndex = be32(body, 8)
		s.SamplingRate = be32(body, 12)
		s.SamplePool = be32(body, 16)
		s.Drops = be32(body, 20)
		s.Input = Interface{Format: be32(body, 24), Value: be32(body, 28)}
		s.Output = Interface{Format: be32(body, 32), Value: be32(body, 36)}
		s.NumRecords = be32(body, 40)
	case SampleCounters:
		s.SourceIDClass, s.SourceIDIndex = splitSourceID(be32(body, 4))
		s.NumRecords = be32(body, 8)
	case SampleCountersExpand:
		s.Expanded = true
		s.SourceIDClass = be32(body, 4)
		s.SourceIDIndex = be32(body, 8)
		s.NumRecords = be32(body, 12)
	case SampleDiscardedPacket:
		s.Expanded = true
		s.SourceIDClass = be32(body, 4)
		s.SourceIDIndex = be32(body, 8)
		s.Drops = be32(body, 12)
		s.Input = Interface{Value: be32(body, 16)}
		s.Output = Interface{Value: be32(body, 20)}
		s.DropReason = be32(body, 24)
		s.NumRecords = be32(body, 28)
	}

	counters := kind == SampleKindCounters
	ro := hdr
	for r := uint32(0); r < s.NumRecords; r++ {
		abs := start + ro
		if ro >= len(body) {
			dec.addError(d, si, abs, dec.formatName(formatKindSample, dataFormat), s.SequenceNumber, ErrTooMany)
			break
		}
		if len(body)-ro < recordHeaderLen {
			dec.addError(d, si, abs, dec.formatName(formatKindSample, dataFormat), s.SequenceNumber, ErrTruncated)
			break
		}
		recFormat := be32(body, ro)
		recLen := be32(body, ro+4)
		if uint64(recLen) > uint64(len(body)-ro-recordHeaderLen) {
			dec.addError(d, si, abs+4, dec.recordName(counters, recFormat), s.SequenceNumber, ErrBadLength)
			break
		}
		rb := body[ro+recordHeaderLen : ro+recordHeaderLen+int(recLen) : ro+recordHeaderLen+int(recLen)]
		if err := dec.decodeRecord(d, counters, recFormat, rb, abs); err != nil {
			dec.addError(d, si, abs, dec.recordName(counters, recFormat), s.SequenceNumber, err)
			break
		}
		ro = nextAligned(ro+recordHeaderLen, recLen, len(body))
	}
	s.recEnd = len(d.records)
	// Bytes after the last record are vendor padding: ignored, as sflow_version_5.txt asks.
	return nextAligned(start, length, len(buf)), framed
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

// decodeRecord decodes one flow or counter record body and appends it to d.records.
func (dec *Decoder) decodeRecord(d *Datagram, counters bool, dataFormat uint32, b []byte, off int) error {
	rec := Record{
		Enterprise: dataFormat >> 12,
		Format:     dataFormat & 0xFFF,
		Length:     uint32(len(b)),
		Offset:     off,
		Data:       b,
		idx:        -1,
	}
	var err error
	if counters {
		rec.Type, rec.idx, err = decodeCounterRecord(&d.store, dataFormat, b)
	} else {
		rec.Type, rec.idx, err = dec.decodeFlowRecord(&d.store, dataFormat, b)
	}
	if err != nil {
		return err
	}
	if rec.Type == RecUnknown {
		rec.idx = -1
		d.UnknownRecords++
	}
	d.records = append(d.records, rec)
	return nil
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

// xdrCursor reads variable-length record bodies. The first short read sets err and every later read returns
// zero values, so a decoder reads all its fields and checks err once.
type xdrCursor struct {
	b   []byte
	off int
	err error
}

func (c *xdrCursor) rest() int { return len(c.b) - c.off }

func (c *xdrCursor) u32() uint32 {
	if c.err != nil {
		return 0
	}
	if c.rest() < 4 {
		c.err = ErrTruncated
		return 0
	}
	v := be32(c.b, c.off)
	c.off += 4
	return v
}

func (c *xdrCursor) i32() int32 { return int32(c.u32()) }

func (c *xdrCursor) u64() uint64 {
	if c.err != nil {
		return 0
	}
	if c.rest() < 8 {
		c.err = ErrTruncated
		return 0
	}
	v := be64(c.b, c.off)
	c.off += 8
	return v
}

// fixed returns the next n bytes, capacity-limited so appending to it cannot write into the datagram.
func (c *xdrCursor) fixed(n int) []byte {
	if c.err != nil {
		return nil
	}
	if c.rest() < n {
		c.err = ErrTruncated
		return nil
	}
	v := c.b[c.off : c.off+n : c.off+n]
	c.off += n
	return v
}

// opaque reads an XDR opaque<> or string<>: a length, the bytes, and padding to 4. Padding missing at the very
// end of the body is tolerated (agents that forget it exist).
func (c *xdrCursor) opaque() []byte {
	n := c.u32()
	if c.err != nil {
		return nil
	}
	if uint64(n) > uint64(c.rest()) {
		c.err = ErrTruncated
		return nil
	}
	v := c.b[c.off : c.off+int(n) : c.off+int(n)]
	c.off = nextAligned(c.off, n, len(c.b))
	return v
}

// address reads an address union. Type 0 (unknown) is legal XDR and yields the zero Addr.
func (c *xdrCursor) address() netip.Addr {
	switch c.u32() {
	case AddressUnknown:
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
		if c.err == nil {
			c.err = ErrBadAddress
		}
	}
	return netip.Addr{}
}

// count reads a list count and checks that count elements of at least minSize bytes fit in what remains.
func (c *xdrCursor) count(minSize int) uint32 {
	n := c.u32()
	if c.err == nil && uint64(n)*uint64(minSize) > uint64(c.rest()) {
		c.err = ErrTooMany
		return 0
	}
	return n
}

// skip advances n bytes (already checked by count).
func (c *xdrCursor) skip(n int) {
	if c.err != nil {
		return
	}
	if c.rest() < n {
		c.err = ErrTruncated
		return
	}
	c.off += n
}

// ---------------------------------------------------------------- flow records

// decodeFlowRecord decodes the flow record formats this package knows; others are RecUnknown.
func (dec *Decoder) decodeFlowRecord(st *recordStore, dataFormat uint32, b []byte) (RecordType, int32, error) {
	if dataFormat>>12 != 0 {
		return RecUnknown, -1, nil
	}
	switch dataFormat {
	case FlowSampledHeader:
		if len(b) < 16 {
			return RecSampledHeader, -1, ErrTruncated
		}
		c := xdrCursor{b: b, off: 12}
		header := c.opaque()
		if c.err != nil {
			return RecSampledHeader, -1, c.err
		}
		v, i := st.newSampledHeader()
		v.Protocol = be32(b, 0)
		v.FrameLength = be32(b, 4)
		v.Stripped = be32(b, 8)
		v.Header = header
		if dec.decodeHeaders {
			dec.hdr.decode(v.Protocol, header, &v.Packet)
		}
		return RecSampledHeader, i, nil

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
		c := xdrCursor{b: b}
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
		c := xdrCursor{b: b}
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
		c := xdrCursor{b: b}
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
		c := xdrCursor{b: b}
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
		c := xdrCursor{b: b}
		s := c.opaque()
		if c.err != nil {
			return RecString, -1, c.err
		}
		v, i := st.newString()
		v.Value = s
		return RecString, i, nil

	case FlowHWTrap:
		c := xdrCursor{b: b}
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
		c := xdrCursor{b: b}
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
		*v = MemcacheOp{Protocol: protocol, Cmd: cmd, Key: key, NKeys: nkeys, ValueBytes: valueBytes,
			DurationUS: duration, Status: status}
		return RecMemcacheOp, i, nil

	case FlowHTTPRequest, FlowHTTPRequestLegacy:
		legacy := dataFormat == FlowHTTPRequestLegacy
		var r HTTPRequest
		c := xdrCursor{b: b}
		r.Legacy = legacy
		r.Method = c.u32()
		r.Protocol = c.u32()
		r.URI = c.opaque()
		r.Host = c.opaque()
		r.Referer = c.opaque()
		r.UserAgent = c.opaque()
		if !legacy {
			r.XFF = c.opaque()
		}
		r.AuthUser = c.opaque()
		r.MimeType = c.opaque()
		if !legacy {
			r.ReqBytes = c.u64()
		}
		r.RespBytes = c.u64()
		r.DurationUS = c.u32()
		r.Status = c.i32()
		if c.err != nil {
			return RecHTTPRequest, -1, c.err
		}
		v, i := st.newHTTPRequest()
		*v = r
		return RecHTTPRequest, i, nil

	case FlowExtProxyRequest:
		c := xdrCursor{b: b}
		uri := c.opaque()
		host := c.opaque()
		if c.err != nil {
			return RecProxyRequest, -1, c.err
		}
		v, i := st.newProxyRequest()
		v.URI, v.Host = uri, host
		return RecProxyRequest, i, nil

	case FlowAppOperation:
		var r AppOperation
		c := xdrCursor{b: b}
		r.Context = readAppContext(&c)
		r.StatusDescr = c.opaque()
		r.ReqBytes = c.u64()
		r.RespBytes = c.u64()
		r.DurationUS = c.u32()
		r.Status = c.u32()
		if c.err != nil {
			return RecAppOperation, -1, c.err
		}
		v, i := st.newAppOperation()
		*v = r
		return RecAppOperation, i, nil

	case FlowAppParentContext:
		c := xdrCursor{b: b}
		ctx := readAppContext(&c)
		if c.err != nil {
			return RecAppContext, -1, c.err
		}
		v, i := st.newAppContext()
		*v = ctx
		return RecAppContext, i, nil

	case FlowAppInitiator, FlowAppTarget:
		c := xdrCursor{b: b}
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
		*v = TCPInfo{
			Dirn: be32(b, 0), SndMSS: be32(b, 4), RcvMSS: be32(b, 8), Unacked: be32(b, 12), Lost: be32(b, 16),
			Retrans: be32(b, 20), PMTU: be32(b, 24), RTT: be32(b, 28), RTTVar: be32(b, 32), SndCwnd: be32(b, 36),
			Reordering: be32(b, 40), MinRTT: be32(b, 44),
		}
		return RecTCPInfo, i, nil

	case FlowEntities:
		if len(b) < 16 {
			return RecEntities, -1, ErrTruncated
		}
		v, i := st.newEntities()
		*v = Entities{SrcClass: be32(b, 0), SrcIndex: be32(b, 4), DstClass: be32(b, 8), DstIndex: be32(b, 12)}
		return RecEntities, i, nil
	}
	return RecUnknown, -1, nil
}

func readAppContext(c *xdrCursor) AppContext {
	var ctx AppContext
	ctx.Application = c.opaque()
	ctx.Operation = c.opaque()
	ctx.Attributes = c.opaque()
	return ctx
}

// decodeExtGateway validates the AS path and community lists in place and keeps them as sub-slices.
func decodeExtGateway(st *recordStore, b []byte) (RecordType, int32, error) {
	var g ExtGateway
	c := xdrCursor{b: b}
	g.NextHop = c.address()
	g.AS = c.u32()
	g.SrcAS = c.u32()
	g.SrcPeerAS = c.u32()
	g.NumSegments = c.count(8) // a segment is at least its type and its (zero) count
	pathStart := c.off
	for range g.NumSegments {
		c.u32() // segment type
		n := c.count(4)
		c.skip(4 * int(n))
		if c.err != nil {
			break
		}
	}
	if c.err == nil {
		g.ASPathRaw = b[pathStart:c.off:c.off]
	}
	g.NumCommunity = c.count(4)
	if c.err == nil {
		g.Communities = c.fixed(4 * int(g.NumCommunity))
	}
	g.LocalPref = c.u32()
	if c.err != nil {
		return RecExtGateway, -1, c.err
	}
	v, i := st.newExtGateway()
	*v = g
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
		*v = IfCounters{
			Index: be32(b, 0), Type: be32(b, 4), Speed: be64(b, 8), Direction: be32(b, 16), Status: be32(b, 20),
			InOctets: be64(b, 24), InUcastPkts: be32(b, 32), InMulticastPkts: be32(b, 36),
			InBroadcastPkts: be32(b, 40), InDiscards: be32(b, 44), InErrors: be32(b, 48),
			InUnknownProtos: be32(b, 52), OutOctets: be64(b, 56), OutUcastPkts: be32(b, 64),
			OutMulticastPkts: be32(b, 68), OutBroadcastPkts: be32(b, 72), OutDiscards: be32(b, 76),
			OutErrors: be32(b, 80), PromiscuousMode: be32(b, 84),
		}
		return RecIfCounters, i, nil

	case CounterEthernet:
		if len(b) < 52 {
			return RecEthernetCounters, -1, ErrTruncated
		}
		v, i := st.newEthernetCounters()
		*v = EthernetCounters{
			AlignmentErrors: be32(b, 0), FCSErrors: be32(b, 4), SingleCollisionFrames: be32(b, 8),
			MultipleCollisionFrames: be32(b, 12), SQETestErrors: be32(b, 16), DeferredTransmissions: be32(b, 20),
			LateCollisions: be32(b, 24), ExcessiveCollisions: be32(b, 28), InternalMacTransmitErrors: be32(b, 32),
			CarrierSenseErrors: be32(b, 36), FrameTooLongs: be32(b, 40), InternalMacReceiveErrors: be32(b, 44),
			SymbolErrors: be32(b, 48),
		}
		return RecEthernetCounters, i, nil

	case CounterVLAN:
		if len(b) < 28 {
			return RecVLANCounters, -1, ErrTruncated
		}
		v, i := st.newVLANCounters()
		*v = VLANCounters{VLANID: be32(b, 0), Octets: be64(b, 4), UcastPkts: be32(b, 12),
			MulticastPkts: be32(b, 16), BroadcastPkts: be32(b, 20), Discards: be32(b, 24)}
		return RecVLANCounters, i, nil

	case CounterLACP:
		if len(b) < 56 {
			return RecLACPCounters, -1, ErrTruncated
		}
		v, i := st.newLACPCounters()
		*v = LACPCounters{
			ActorSystemID: macAt(b, 0), PartnerSystemID: macAt(b, 8), AttachedAggID: be32(b, 16),
			ActorAdminPortState: b[20], ActorOperPortState: b[21], PartnerAdminPortState: b[22],
			PartnerOperPortState: b[23], LACPDUsRx: be32(b, 24), MarkerPDUsRx: be32(b, 28),
			MarkerResponsePDUsRx: be32(b, 32), UnknownRx: be32(b, 36), IllegalRx: be32(b, 40),
			LACPDUsTx: be32(b, 44), MarkerPDUsTx: be32(b, 48), MarkerResponsePDUsTx: be32(b, 52),
		}
		return RecLACPCounters, i, nil

	case CounterProcessor:
		if len(b) < 28 {
			return RecProcessor, -1, ErrTruncated
		}
		v, i := st.newProcessor()
		*v = Processor{CPU5s: int32(be32(b, 0)), CPU1m: int32(be32(b, 4)), CPU5m: int32(be32(b, 8)),
			TotalMemory: be64(b, 12), FreeMemory: be64(b, 20)}
		return RecProcessor, i, nil

	case CounterOpenFlowPort:
		if len(b) < 12 {
			return RecOpenFlowPort, -1, ErrTruncated
		}
		v, i := st.newOpenFlowPort()
		v.DatapathID, v.PortNo = be64(b, 0), be32(b, 8)
		return RecOpenFlowPort, i, nil

	case CounterPortName:
		c := xdrCursor{b: b}
		name := c.opaque()
		if c.err != nil {
			return RecPortName, -1, c.err
		}
		v, i := st.newPortName()
		v.Name = name
		return RecPortName, i, nil

	case CounterHostDescr:
		var h HostDescr
		c := xdrCursor{b: b}
		h.Hostname = c.opaque()
		if u := c.fixed(16); u != nil { // no length prefix in any implementation (SFLOW.md §2)
			h.UUID = [16]byte(u)
		}
		h.MachineType = c.u32()
		h.OSName = c.u32()
		h.OSRelease = c.opaque()
		if c.err != nil {
			return RecHostDescr, -1, c.err
		}
		v, i := st.newHostDescr()
		*v = h
		return RecHostDescr, i, nil

	case CounterHostAdapters:
		c := xdrCursor{b: b}
		n := c.count(8) // an adapter is at least its ifIndex and its (zero) MAC count
		start := c.off
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
		v.NumAdapters, v.Raw = n, b[start:c.off:c.off]
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
		*v = HostCPU{
			LoadOne: f32At(b, 0), LoadFive: f32At(b, 4), LoadFifteen: f32At(b, 8),
			ProcRun: be32(b, 12), ProcTotal: be32(b, 16), CPUNum: be32(b, 20), CPUSpeed: be32(b, 24),
			Uptime: be32(b, 28), User: be32(b, 32), Nice: be32(b, 36), System: be32(b, 40), Idle: be32(b, 44),
			WIO: be32(b, 48), Intr: be32(b, 52), SoftIntr: be32(b, 56), Interrupts: be32(b, 60),
			Contexts: be32(b, 64),
		}
		if len(b) >= HostCPULenV2 {
			v.Steal, v.Guest, v.GuestNice, v.Len80 = be32(b, 68), be32(b, 72), be32(b, 76), true
		}
		return RecHostCPU, i, nil

	case CounterHostMemory:
		if len(b) < 72 {
			return RecHostMemory, -1, ErrTruncated
		}
		v, i := st.newHostMemory()
		*v = HostMemory{
			Total: be64(b, 0), Free: be64(b, 8), Shared: be64(b, 16), Buffers: be64(b, 24), Cached: be64(b, 32),
			SwapTotal: be64(b, 40), SwapFree: be64(b, 48), PageIn: be32(b, 56), PageOut: be32(b, 60),
			SwapIn: be32(b, 64), SwapOut: be32(b, 68),
		}
		return RecHostMemory, i, nil

	case CounterHostDiskIO:
		if len(b) < 52 {
			return RecHostDiskIO, -1, ErrTruncated
		}
		v, i := st.newHostDiskIO()
		*v = HostDiskIO{
			Total: be64(b, 0), Free: be64(b, 8), PartMaxUsed: int32(be32(b, 16)), Reads: be32(b, 20),
			BytesRead: be64(b, 24), ReadTime: be32(b, 32), Writes: be32(b, 36), BytesWritten: be64(b, 40),
			WriteTime: be32(b, 48),
		}
		return RecHostDiskIO, i, nil

	case CounterHostNetIO, CounterVirtNetIO:
		if len(b) < 40 {
			return RecHostNetIO, -1, ErrTruncated
		}
		v, i := st.newHostNetIO()
		*v = HostNetIO{
			Virt:    dataFormat == CounterVirtNetIO,
			BytesIn: be64(b, 0), PktsIn: be32(b, 8), ErrsIn: be32(b, 12), DropsIn: be32(b, 16),
			BytesOut: be64(b, 20), PktsOut: be32(b, 28), ErrsOut: be32(b, 32), DropsOut: be32(b, 36),
		}
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
		*v = VirtNode{MHz: be32(b, 0), CPUs: be32(b, 4), Memory: be64(b, 8), MemoryFree: be64(b, 16),
			NumDomains: be32(b, 24)}
		return RecVirtNode, i, nil

	case CounterVirtCPU:
		if len(b) < 12 {
			return RecVirtCPU, -1, ErrTruncated
		}
		v, i := st.newVirtCPU()
		*v = VirtCPU{State: be32(b, 0), CPUTime: be32(b, 4), NrVirtCPU: be32(b, 8)}
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
		*v = VirtDiskIO{
			Capacity: be64(b, 0), Allocation: be64(b, 8), Available: be64(b, 16), RdReq: be32(b, 24),
			RdBytes: be64(b, 28), WrReq: be32(b, 36), WrBytes: be64(b, 40), Errs: be32(b, 48),
		}
		return RecVirtDiskIO, i, nil

	case CounterJVMRuntime:
		c := xdrCursor{b: b}
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
		*v = JVMStatistics{
			HeapInitial: be64(b, 0), HeapUsed: be64(b, 8), HeapCommitted: be64(b, 16), HeapMax: be64(b, 24),
			NonHeapInitial: be64(b, 32), NonHeapUsed: be64(b, 40), NonHeapCommitted: be64(b, 48),
			NonHeapMax: be64(b, 56), GCCount: be32(b, 64), GCTime: be32(b, 68), ClassesLoaded: be32(b, 72),
			ClassesTotal: be32(b, 76), ClassesUnloaded: be32(b, 80), CompilationTime: be32(b, 84),
			ThreadsLive: be32(b, 88), ThreadsDaemon: be32(b, 92), ThreadsStarted: be32(b, 96),
		}
		if len(b) >= JVMStatsLen2 {
			v.FDOpen, v.FDMax, v.Len108 = be32(b, 100), be32(b, 104), true
		}
		return RecJVMStatistics, i, nil

	case CounterMemcacheLegacy:
		if len(b) < 144 {
			return RecMemcacheCounters, -1, ErrTruncated
		}
		v, i := st.newMemcacheCounters()
		*v = MemcacheCounters{
			Legacy: true,
			Uptime: be32(b, 0), RUsageUser: be32(b, 4), RUsageSystem: be32(b, 8), CurrConnections: be32(b, 12),
			TotalConnections: be32(b, 16), ConnectionStructures: be32(b, 20), CmdGet: be32(b, 24),
			CmdSet: be32(b, 28), CmdFlush: be32(b, 32), GetHits: be32(b, 36), GetMisses: be32(b, 40),
			DeleteMisses: be32(b, 44), DeleteHits: be32(b, 48), IncrMisses: be32(b, 52), IncrHits: be32(b, 56),
			DecrMisses: be32(b, 60), DecrHits: be32(b, 64), CASMisses: be32(b, 68), CASHits: be32(b, 72),
			CASBadval: be32(b, 76), AuthCmds: be32(b, 80), AuthErrors: be32(b, 84),
			BytesRead: be64(b, 88), BytesWritten: be64(b, 96), LimitMaxbytes: uint64(be32(b, 104)),
			AcceptingConns: be32(b, 108), ListenDisabledNum: be32(b, 112), Threads: be32(b, 116),
			ConnYields: be32(b, 120), Bytes: be64(b, 124), CurrItems: be32(b, 132), TotalItems: be32(b, 136),
			Evictions: be32(b, 140),
		}
		return RecMemcacheCounters, i, nil

	case CounterMemcache:
		if len(b) < 140 {
			return RecMemcacheCounters, -1, ErrTruncated
		}
		v, i := st.newMemcacheCounters()
		*v = MemcacheCounters{
			CmdSet: be32(b, 0), CmdTouch: be32(b, 4), CmdFlush: be32(b, 8), GetHits: be32(b, 12),
			GetMisses: be32(b, 16), DeleteHits: be32(b, 20), DeleteMisses: be32(b, 24), IncrHits: be32(b, 28),
			IncrMisses: be32(b, 32), DecrHits: be32(b, 36), DecrMisses: be32(b, 40), CASHits: be32(b, 44),
			CASMisses: be32(b, 48), CASBadval: be32(b, 52), AuthCmds: be32(b, 56), AuthErrors: be32(b, 60),
			Threads: be32(b, 64), ConnYields: be32(b, 68), ListenDisabledNum: be32(b, 72),
			CurrConnections: be32(b, 76), RejectedConnections: be32(b, 80), TotalConnections: be32(b, 84),
			ConnectionStructures: be32(b, 88), Evictions: be32(b, 92), Reclaimed: be32(b, 96),
			CurrItems: be32(b, 100), TotalItems: be32(b, 104), BytesRead: be64(b, 108),
			BytesWritten: be64(b, 116), Bytes: be64(b, 124), LimitMaxbytes: be64(b, 132),
		}
		return RecMemcacheCounters, i, nil

	case CounterHTTP:
		if len(b) < 60 {
			return RecHTTPCounters, -1, ErrTruncated
		}
		v, i := st.newHTTPCounters()
		*v = HTTPCounters{
			MethodOption: be32(b, 0), MethodGet: be32(b, 4), MethodHead: be32(b, 8), MethodPost: be32(b, 12),
			MethodPut: be32(b, 16), MethodDelete: be32(b, 20), MethodTrace: be32(b, 24),
			MethodConnect: be32(b, 28), MethodOther: be32(b, 32), Status1XX: be32(b, 36),
			Status2XX: be32(b, 40), Status3XX: be32(b, 44), Status4XX: be32(b, 48), Status5XX: be32(b, 52),
			StatusOther: be32(b, 56),
		}
		return RecHTTPCounters, i, nil

	case CounterAppOperations:
		c := xdrCursor{b: b}
		app := c.opaque()
		nums := c.fixed(44)
		if c.err != nil {
			return RecAppOperations, -1, c.err
		}
		v, i := st.newAppOperations()
		*v = AppOperations{
			Application: app, Success: be32(nums, 0), Other: be32(nums, 4), Timeout: be32(nums, 8),
			InternalError: be32(nums, 12), BadRequest: be32(nums, 16), Forbidden: be32(nums, 20),
			TooLarge: be32(nums, 24), NotImplemented: be32(nums, 28), NotFound: be32(nums, 32),
			Unavailable: be32(nums, 36), Unauthorized: be32(nums, 40),
		}
		return RecAppOperations, i, nil

	case CounterAppResources:
		if len(b) < 40 {
			return RecAppResources, -1, ErrTruncated
		}
		v, i := st.newAppResources()
		*v = AppResources{UserTime: be32(b, 0), SystemTime: be32(b, 4), MemUsed: be64(b, 8), MemMax: be64(b, 16),
			FDOpen: be32(b, 24), FDMax: be32(b, 28), ConnOpen: be32(b, 32), ConnMax: be32(b, 36)}
		return RecAppResources, i, nil

	case CounterAppWorkers:
		if len(b) < 20 {
			return RecAppWorkers, -1, ErrTruncated
		}
		v, i := st.newAppWorkers()
		*v = AppWorkers{Active: be32(b, 0), Idle: be32(b, 4), Max: be32(b, 8), ReqDelayed: be32(b, 12),
			ReqDropped: be32(b, 16)}
		return RecAppWorkers, i, nil

	case CounterOVSDP:
		if len(b) < 24 {
			return RecOVSDP, -1, ErrTruncated
		}
		v, i := st.newOVSDP()
		*v = OVSDP{Hits: be32(b, 0), Misses: be32(b, 4), Lost: be32(b, 8), MaskHits: be32(b, 12),
			Flows: be32(b, 16), Masks: be32(b, 20)}
		return RecOVSDP, i, nil
	}
	return RecUnknown, -1, nil
}

func f32At(b []byte, o int) float32 { return math.Float32frombits(be32(b, o)) }
