package sflow

import (
	"encoding/binary"
	"iter"
)

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
