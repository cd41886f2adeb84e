package sflow

import (
	"encoding/binary"
	"encoding/hex"
	"iter"
	"strconv"
)

// ---------------------------------------------------------------- loss and counter deltas

const (
	// SeqMaxGap is the largest forward jump of a sequence number that SeqDelta counts as lost datagrams or
	// samples (16.7 M: hours of a busy agent). A larger jump is a restart: the agent came back with a sequence
	// that merely happens to be ahead, or another agent now uses the address.
	SeqMaxGap = 1 << 24
	// SeqReorderWindow is how far behind the last sequence number a datagram may be and still count as late
	// (reordered or duplicated by the network) rather than as a restart of the agent.
	SeqReorderWindow = 64
)

// SeqDelta compares a sequence number with the previous one from the same source (datagrams per agent and
// sub-agent, or samples per data source) and returns how many were lost in between. Arithmetic is modulo 2^32,
// so the wrap from 0xFFFFFFFF to 0 is an ordinary step.
//
//   - cur = prev+1: (0, false).
//   - cur ahead by d, 1 < d <= SeqMaxGap: (d-1, false).
//   - cur equal to prev or behind it by at most SeqReorderWindow: late (duplicated or reordered), (0, false);
//     keep prev as it is (SeqLate reports this case).
//   - anything else (further behind, or ahead by more than SeqMaxGap): the source restarted, (0, true); start
//     again from cur.
//
// A reordered datagram is counted as lost when the gap is seen and not taken back when it arrives late.
func SeqDelta(prev, cur uint32) (lost uint32, restart bool) {
	d := cur - prev
	switch {
	case d >= 1 && d <= SeqMaxGap:
		return d - 1, false
	case SeqLate(prev, cur):
		return 0, false
	default:
		return 0, true
	}
}

// SeqLate reports whether cur is a late arrival relative to prev: equal to it, or behind it by at most
// SeqReorderWindow. The caller should then keep prev as its reference.
func SeqLate(prev, cur uint32) bool { return prev-cur <= SeqReorderWindow }

// Delta32 returns cur-prev for a 32-bit counter, treating cur < prev as one wrap through 2^32 (a u32 octet
// counter at 10 Gbit/s wraps every 3.4 s). ok is false when either value is 0xFFFFFFFF, the "unavailable"
// value of sflow_version_5.txt: an agent sends it for a counter it cannot supply, so it is no data, not a wrap.
// Counter resets (agent restart) look like a wrap: detect them by the sample sequence number going back
// (SeqDelta's restart) and discard the delta.
func Delta32(prev, cur uint32) (delta uint64, ok bool) {
	if prev == Unavailable32 || cur == Unavailable32 {
		return 0, false
	}
	return uint64(cur - prev), true
}

// Delta64 returns cur-prev for a 64-bit counter. ok is false when either value is 0xFFFFFFFFFFFFFFFF
// (unavailable) or when cur < prev: a 64-bit counter does not wrap in practice (2^64 bytes is 468 years at
// 10 Tbit/s), so going back is a reset.
func Delta64(prev, cur uint64) (delta uint64, ok bool) {
	if prev == Unavailable64 || cur == Unavailable64 || cur < prev {
		return 0, false
	}
	return cur - prev, true
}

// ---------------------------------------------------------------- interfaces and data sources

// IsInternal reports whether the interface is the agent itself (format 0, ifIndex 0x3FFFFFFF): traffic that
// originates or terminates locally.
func (i Interface) IsInternal() bool { return i.Format == IfFormatIndex && i.Value == IfIndexInternal }

// IsDiscarded reports whether the packet was dropped (format 1); Value is then the reason.
func (i Interface) IsDiscarded() bool { return i.Format == IfFormatDiscarded }

// IsMultiple reports whether the packet left by several interfaces (format 2); Value is their number, 0 when
// unknown.
func (i Interface) IsMultiple() bool { return i.Format == IfFormatMultiple }

// String formats the interface as sflowtool prints inputPort/outputPort: "N", "dropCode N", "multiple N", or
// "format==F N" for other formats.
func (i Interface) String() string {
	b, _ := i.AppendText(make([]byte, 0, 24))
	return string(b)
}

// AppendText appends String's form to b (encoding.TextAppender); it never fails.
func (i Interface) AppendText(b []byte) ([]byte, error) {
	switch i.Format {
	case IfFormatIndex:
	case IfFormatDiscarded:
		b = append(b, "dropCode "...)
	case IfFormatMultiple:
		b = append(b, "multiple "...)
	default:
		b = append(b, "format=="...)
		b = strconv.AppendUint(b, uint64(i.Format), 10)
		b = append(b, ' ')
	}
	return strconv.AppendUint(b, uint64(i.Value), 10), nil
}

// SourceID formats the sample's data source as "class:index" (sflowtool's sourceId), e.g. "0:17", "2:1".
func (s *Sample) SourceID() string {
	b := make([]byte, 0, 24)
	b = strconv.AppendUint(b, uint64(s.SourceIDClass), 10)
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(s.SourceIDIndex), 10)
	return string(b)
}

// ---------------------------------------------------------------- identifiers

// UUIDString formats a host_descr UUID as 8-4-4-4-12 lower-case hex digits.
func UUIDString(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}

// MACString formats a MAC address as sflowtool does: 12 lower-case hex digits, no separators. For the
// colon-separated form use net.HardwareAddr(mac[:]).String().
func MACString(mac [6]byte) string {
	var b [12]byte
	hex.Encode(b[:], mac[:])
	return string(b[:])
}

// ---------------------------------------------------------------- wire-form lists

// Words is a list of u32 in wire form (4 bytes each, big-endian), a sub-slice of the datagram: an AS path
// segment, an MPLS label stack, a VLAN tag stack.
type Words []byte

// Len returns the number of words.
func (w Words) Len() int { return len(w) / 4 }

// At returns the i-th word; i must be in [0, Len()).
func (w Words) At(i int) uint32 { return binary.BigEndian.Uint32(w[4*i:]) }

// ASNs is one AS path segment's AS numbers.
type ASNs = Words

// ASPath iterates over the dst_as_path segments without allocating:
//
//	for segType, asns := range g.ASPath() { // segType 1 AS_SET, 2 AS_SEQUENCE
//		for i := range asns.Len() { use(asns.At(i)) }
//	}
//
// It stops early at a malformed segment, which a decoded ExtGateway never has (Decode validated it).
func (g *ExtGateway) ASPath() iter.Seq2[uint32, ASNs] {
	return func(yield func(uint32, ASNs) bool) {
		raw := g.ASPathRaw
		for range g.NumSegments {
			if len(raw) < 8 {
				return
			}
			segType := binary.BigEndian.Uint32(raw)
			n := uint64(binary.BigEndian.Uint32(raw[4:]))
			if n*4 > uint64(len(raw)-8) {
				return
			}
			end := 8 + int(n)*4
			if !yield(segType, ASNs(raw[8:end:end])) {
				return
			}
			raw = raw[end:]
		}
	}
}

// DstPeerAS returns the first AS number of the path (sflowtool's dst_peer_as), 0 when the path is empty.
func (g *ExtGateway) DstPeerAS() uint32 {
	for _, asns := range g.ASPath() {
		if asns.Len() > 0 {
			return asns.At(0)
		}
	}
	return 0
}

// DstAS returns the last AS number of the path (sflowtool's dst_as), 0 when the path is empty.
func (g *ExtGateway) DstAS() uint32 {
	var last uint32
	for _, asns := range g.ASPath() {
		if n := asns.Len(); n > 0 {
			last = asns.At(n - 1)
		}
	}
	return last
}

// Community returns the i-th BGP community, i in [0, NumCommunity); 0 when i is out of range.
func (g *ExtGateway) Community(i int) uint32 {
	if i < 0 || 4*i+4 > len(g.Communities) {
		return 0
	}
	return binary.BigEndian.Uint32(g.Communities[4*i:])
}

// MACs is one adapter's MAC addresses in wire form (8 bytes each: 6 and 2 of padding), a sub-slice of the
// datagram.
type MACs []byte

// Len returns the number of MAC addresses.
func (m MACs) Len() int { return len(m) / 8 }

// At returns the i-th MAC address; i must be in [0, Len()).
func (m MACs) At(i int) [6]byte { return [6]byte(m[8*i : 8*i+6]) }

// Adapters iterates over the host adapters without allocating:
//
//	for ifIndex, macs := range a.Adapters() {
//		for i := range macs.Len() { use(macs.At(i)) }
//	}
//
// It stops early at a malformed entry, which a decoded HostAdapters never has (Decode validated it).
func (a *HostAdapters) Adapters() iter.Seq2[uint32, MACs] {
	return func(yield func(uint32, MACs) bool) {
		raw := a.Raw
		for range a.NumAdapters {
			if len(raw) < 8 {
				return
			}
			ifIndex := binary.BigEndian.Uint32(raw)
			n := uint64(binary.BigEndian.Uint32(raw[4:]))
			if n*8 > uint64(len(raw)-8) {
				return
			}
			end := 8 + int(n)*8
			if !yield(ifIndex, MACs(raw[8:end:end])) {
				return
			}
			raw = raw[end:]
		}
	}
}

// SFPLanes is an SFP record's lanes in wire form (SFPLaneLen bytes each), a sub-slice of the datagram.
type SFPLanes []byte

// Len returns the number of lanes.
func (l SFPLanes) Len() int { return len(l) / SFPLaneLen }

// At returns the i-th lane; i must be in [0, Len()).
func (l SFPLanes) At(i int) SFPLane {
	b := l[SFPLaneLen*i : SFPLaneLen*(i+1)]
	return SFPLane{Index: be32(b, 0), TxBiasCurrent: be32(b, 4), TxPower: be32(b, 8), TxPowerMin: be32(b, 12),
		TxPowerMax: be32(b, 16), TxWavelength: be32(b, 20), RxPower: be32(b, 24), RxPowerMin: be32(b, 28),
		RxPowerMax: be32(b, 32), RxWavelength: be32(b, 36)}
}
