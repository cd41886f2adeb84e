package sflow

import (
	"encoding/binary"
	"testing"
)

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
