package model

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// One million distinct talkers through the whole path (encoded datagrams, decoder, Fleet) cost no memory beyond
// the tables' fixed capacity.
func TestMillionTalkersMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a million talkers")
	}
	if raceEnabled {
		t.Skip("heap figures mean nothing under the race detector; .ci/run runs this test without it")
	}
	const perDatagram = 8
	const keys = 1_000_000
	w := newWire(t)
	sw := newSender("10.1.0.1", 0, 6343)
	marker := func(j int) netip.Addr { return netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + j)}) }
	buf := bytes.Clone(w.encode(sw, t0, func(d *sflow.Datagram) {
		for j := range perDatagram {
			s := sw.flow(d, 0, uint32(1+j), 1000)
			d.AddSampledIPv4(s, sflow.SampledIP{Length: 1500, Protocol: 6, SrcIP: marker(j),
				DstIP: netip.MustParseAddr("192.0.2.1"), SrcPort: 40000, DstPort: 443})
		}
	}))
	// Where the markers are: rewrite them to make every source address new.
	var at [perDatagram]int
	for j := range at {
		m := marker(j).As4()
		at[j] = bytes.Index(buf, m[:])
		if at[j] < 0 {
			t.Fatalf("marker %d not found in the encoded datagram", j)
		}
	}
	f := NewFleet(Options{}) // the default capacity: what a collector runs with
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	src := netip.AddrPortFrom(sw.addr, sw.port)
	next := uint32(0)
	feed := func(datagrams int) {
		for range datagrams {
			for j := range at {
				next++
				binary.BigEndian.PutUint32(buf[at[j]:], 0x0A000000+next) // 10.0.0.0/8
			}
			binary.BigEndian.PutUint32(buf[16:], next/perDatagram) // the datagram sequence number
			if err := dec.Decode(buf, &d); err != nil {
				t.Fatal(err)
			}
			// 4 minutes for the million: the window slides over all of them.
			f.Ingest(&d, src, t0.Add(time.Duration(next)*240*time.Second/keys))
		}
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	feed(keys / perDatagram * 3 / 8) // 90 s: every bucket of every table has been used and filled
	before := heap()
	feed(keys / perDatagram * 5 / 8)
	after := heap()
	snap := f.Publish(t0.Add(240 * time.Second))
	runtime.KeepAlive(f)
	growth := int64(after) - int64(before)
	t.Logf("%d distinct talkers: heap %d B after the first 90 s, %d B after all (growth %d B)", next, before, after, growth)
	if next != keys {
		t.Fatalf("fed %d keys, want %d", next, keys)
	}
	// The windows' rolling indexes (at most (buckets+2) × capacity keys each) may still double once on the way
	// to their largest size, and the flow store's rings grow up to their bound (Options.FlowRecords): a few
	// MB. Anything kept per talker, even 32 bytes, would be 20 MB more.
	if growth > 16<<20 {
		t.Fatalf("heap grew by %d B over 625 000 new talkers: memory is not bounded", growth)
	}
	if len(snap.TalkersBySrc) != f.Options().TopN || snap.TalkersBySrc[0].ErrBytes < 0 {
		t.Fatalf("%d talker rows, want %d", len(snap.TalkersBySrc), f.Options().TopN)
	}
}
