package sflow

import (
	"encoding/binary"
	"testing"
)

func TestSeqDelta(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur uint32
		lost      uint32
		restart   bool
		late      bool
	}{
		{"next", 41, 42, 0, false, false},
		{"one lost", 41, 43, 1, false, false},
		{"many lost", 1000, 1000 + 5001, 5000, false, false},
		{"wrap to 0", 0xFFFFFFFF, 0, 0, false, false},
		{"wrap with loss", 0xFFFFFFFE, 2, 3, false, false},
		{"largest gap still loss", 10, 10 + SeqMaxGap, SeqMaxGap - 1, false, false},
		{"gap beyond SeqMaxGap is a restart", 10, 11 + SeqMaxGap, 0, true, false},
		{"duplicate is late", 42, 42, 0, false, true},
		{"reordered is late", 42, 40, 0, false, true},
		{"reordered across the wrap is late", 3, 0xFFFFFFFE, 0, false, true},
		{"just outside the reorder window is a restart", 1000, 1000 - SeqReorderWindow - 1, 0, true, false},
		{"agent restarted from 1", 8_000_000, 1, 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lost, restart := SeqDelta(tt.prev, tt.cur)
			if lost != tt.lost || restart != tt.restart {
				t.Errorf("SeqDelta(%d, %d) = %d, %v; want %d, %v", tt.prev, tt.cur, lost, restart, tt.lost, tt.restart)
			}
			if late := SeqLate(tt.prev, tt.cur); late != tt.late {
				t.Errorf("SeqLate(%d, %d) = %v", tt.prev, tt.cur, late)
			}
		})
	}
}

func TestDeltas(t *testing.T) {
	tests32 := []struct {
		name      string
		prev, cur uint32
		delta     uint64
		ok        bool
	}{
		{"forward", 100, 250, 150, true},
		{"unchanged", 7, 7, 0, true},
		{"wrap", 0xFFFFFF00, 0x10, 0x110, true},
		{"prev unavailable", Unavailable32, 5, 0, false},
		{"cur unavailable", 5, Unavailable32, 0, false},
		{"to just below unavailable", 0, 0xFFFFFFFE, 0xFFFFFFFE, true},
	}
	for _, tt := range tests32 {
		t.Run("32/"+tt.name, func(t *testing.T) {
			if d, ok := Delta32(tt.prev, tt.cur); d != tt.delta || ok != tt.ok {
				t.Errorf("Delta32(%#x, %#x) = %d, %v; want %d, %v", tt.prev, tt.cur, d, ok, tt.delta, tt.ok)
			}
		})
	}
	tests64 := []struct {
		name      string
		prev, cur uint64
		delta     uint64
		ok        bool
	}{
		{"forward", 1 << 40, 1<<40 + 12345, 12345, true},
		{"unchanged", 9, 9, 0, true},
		{"backwards is a reset", 1 << 40, 10, 0, false},
		{"prev unavailable", Unavailable64, 5, 0, false},
		{"cur unavailable", 5, Unavailable64, 0, false},
	}
	for _, tt := range tests64 {
		t.Run("64/"+tt.name, func(t *testing.T) {
			if d, ok := Delta64(tt.prev, tt.cur); d != tt.delta || ok != tt.ok {
				t.Errorf("Delta64(%#x, %#x) = %d, %v; want %d, %v", tt.prev, tt.cur, d, ok, tt.delta, tt.ok)
			}
		})
	}
}

func TestInterface(t *testing.T) {
	tests := []struct {
		name                          string
		in                            Interface
		str                           string
		internal, discarded, multiple bool
	}{
		{"ifIndex", Interface{Value: 17}, "17", false, false, false},
		{"unknown", Interface{}, "0", false, false, false},
		{"internal", compactInterface(0x3FFFFFFF), "1073741823", true, false, false},
		{"discarded ACL (errata)", compactInterface(0x40000102), "dropCode 258", false, true, false},
		{"multiple", compactInterface(0x80000003), "multiple 3", false, false, true},
		{"multiple unknown count", compactInterface(0x80000000), "multiple 0", false, false, true},
		{"format 3", compactInterface(0xC0000005), "format==3 5", false, false, false},
		{"expanded odd format", Interface{Format: 9, Value: 1}, "format==9 1", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := tt.in.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			if tt.in.IsInternal() != tt.internal || tt.in.IsDiscarded() != tt.discarded || tt.in.IsMultiple() != tt.multiple {
				t.Errorf("internal %v discarded %v multiple %v", tt.in.IsInternal(), tt.in.IsDiscarded(), tt.in.IsMultiple())
			}
			b, err := tt.in.AppendText([]byte("port="))
			if err != nil || string(b) != "port="+tt.str {
				t.Errorf("AppendText = %q, %v", b, err)
			}
		})
	}
}

func TestIdentifiers(t *testing.T) {
	s := Sample{SourceIDClass: 3, SourceIDIndex: 65537}
	if got := s.SourceID(); got != "3:65537" {
		t.Errorf("SourceID = %q", got)
	}
	c, i := splitSourceID(2<<24 | 1)
	if c != 2 || i != 1 {
		t.Errorf("splitSourceID = %d:%d", c, i)
	}
	uuid := [16]byte{0x20, 0xd1, 0x1d, 0x01, 0x51, 0x50, 0x11, 0xcb, 0x95, 0x7d, 0x99, 0x05, 0x21, 0x36, 0x5b, 0xa3}
	if got := UUIDString(uuid); got != "20d11d01-5150-11cb-957d-990521365ba3" {
		t.Errorf("UUIDString = %q", got)
	}
	if got := UUIDString([16]byte{}); got != "00000000-0000-0000-0000-000000000000" {
		t.Errorf("UUIDString(zero) = %q", got)
	}
	if got := MACString([6]byte{0x3c, 0x97, 0x0e, 0x25, 0xf0, 0x56}); got != "3c970e25f056" {
		t.Errorf("MACString = %q", got)
	}
}

func TestASPathIteration(t *testing.T) {
	var x dxBuf
	x.u32(2, 3, 65001, 65002, 65003).u32(1, 0).u32(1, 2, 7, 8)
	g := ExtGateway{NumSegments: 3, ASPathRaw: x.b, NumCommunity: 2, Communities: dxBytes(func(x *dxBuf) { x.u32(100, 200) })}
	var types []uint32
	var asns []uint32
	for typ, seg := range g.ASPath() {
		types = append(types, typ)
		for i := range seg.Len() {
			asns = append(asns, seg.At(i))
		}
	}
	if len(types) != 3 || types[0] != 2 || types[1] != 1 || types[2] != 1 {
		t.Errorf("segment types %v", types)
	}
	if len(asns) != 5 || asns[0] != 65001 || asns[4] != 8 {
		t.Errorf("AS numbers %v", asns)
	}
	if g.DstPeerAS() != 65001 || g.DstAS() != 8 {
		t.Errorf("dst peer %d, dst %d", g.DstPeerAS(), g.DstAS())
	}
	if g.Community(1) != 200 || g.Community(2) != 0 || g.Community(-1) != 0 {
		t.Error("Community out of range")
	}
	// Stopping early.
	n := 0
	for range g.ASPath() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("break ran %d segments", n)
	}
	// A hand-built, inconsistent ExtGateway never panics.
	bad := []ExtGateway{
		{NumSegments: 5, ASPathRaw: x.b[:10]},
		{NumSegments: 1, ASPathRaw: dxBytes(func(x *dxBuf) { x.u32(2, 0xFFFFFFFF, 1) })},
		{NumSegments: 1<<32 - 1},
		{NumCommunity: 3, Communities: []byte{1, 2, 3}},
	}
	for _, g := range bad {
		for range g.ASPath() {
		}
		_, _, _ = g.DstAS(), g.DstPeerAS(), g.Community(2)
	}
	if allocs := testing.AllocsPerRun(100, func() {
		sum := uint32(0)
		for _, seg := range g.ASPath() {
			for i := range seg.Len() {
				sum += seg.At(i)
			}
		}
		_ = sum
	}); allocs != 0 {
		t.Errorf("ASPath: %v allocs", allocs)
	}
}

func TestAdaptersIteration(t *testing.T) {
	var x dxBuf
	x.u32(2, 2).mac(dxMAC1).mac(dxMAC2).u32(9, 0)
	a := HostAdapters{NumAdapters: 2, Raw: x.b}
	var got []string
	for ifIndex, macs := range a.Adapters() {
		s := string(rune('0' + ifIndex))
		for i := range macs.Len() {
			s += " " + MACString(macs.At(i))
		}
		got = append(got, s)
	}
	if len(got) != 2 || got[0] != "2 0017087d7742 30e4db3e337f" || got[1] != "9" {
		t.Errorf("adapters %q", got)
	}
	bad := []HostAdapters{
		{NumAdapters: 3, Raw: x.b},
		{NumAdapters: 1, Raw: binary.BigEndian.AppendUint32([]byte{0, 0, 0, 1}, 0x7FFFFFFF)},
		{NumAdapters: 1, Raw: []byte{1}},
	}
	for _, a := range bad {
		for _, macs := range a.Adapters() {
			for i := range macs.Len() {
				_ = macs.At(i)
			}
		}
	}
	if allocs := testing.AllocsPerRun(100, func() {
		for _, macs := range a.Adapters() {
			_ = macs.Len()
		}
	}); allocs != 0 {
		t.Errorf("Adapters: %v allocs", allocs)
	}
}
