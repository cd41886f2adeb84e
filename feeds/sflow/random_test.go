// The tests of this file draw random datagrams from package sflowtest, which imports sflow: they are external
// tests, and reach the internal helpers they share with the internal tests through export_test.go.

package sflow_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sflowtest"
)

// TestRoundTripRandomDatagrams round-trips 2,000 random datagrams through the encoder and decoder exactly and
// checks that between them they hold every record type and every layout a value or a format chooses.
func TestRoundTripRandomDatagrams(t *testing.T) {
	const n = 2000
	seen := make(map[sflow.RecordType]int)
	formats := make(map[[2]uint32]bool) // (type, format) pairs seen
	dec := sflow.NewDecoder()
	var got sflow.Datagram
	var buf, again []byte
	for seed := uint64(1); seed <= n; seed++ {
		want := sflowtest.RandomDatagram(rand.New(rand.NewPCG(seed, 42)))
		var err error
		buf, err = sflow.AppendDatagram(buf[:0], want)
		if err != nil {
			t.Fatalf("seed %d: encode: %v", seed, err)
		}
		if err := dec.Decode(buf, &got); err != nil {
			t.Fatalf("seed %d: decode: %v", seed, err)
		}
		if d := sflow.DiffDatagrams(want, &got); d != "" {
			t.Fatalf("seed %d: %s", seed, d)
		}
		again, err = sflow.AppendDatagram(again[:0], &got)
		if err != nil {
			t.Fatalf("seed %d: re-encode: %v", seed, err)
		}
		if !bytes.Equal(buf, again) {
			t.Fatalf("seed %d: encode(decode(x)) differs from x", seed)
		}
		for _, s := range want.Samples {
			for _, r := range s.Records {
				seen[r.Type]++
				formats[[2]uint32{uint32(r.Type), r.Format}] = true
			}
		}
	}
	for typ := sflow.RecordType(0); typ < sflow.NumRecordTypes; typ++ {
		if seen[typ] == 0 {
			t.Errorf("record type %d never generated in %d datagrams", typ, n)
		}
	}
	// Every layout chosen by a value or by Record.Format was exercised.
	for _, tf := range [][2]uint32{
		{uint32(sflow.RecSocket), 2100}, {uint32(sflow.RecSocket), 2101},
		{uint32(sflow.RecSocket), 2102}, {uint32(sflow.RecSocket), 2103},
		{uint32(sflow.RecHTTPRequest), 2201}, {uint32(sflow.RecHTTPRequest), 2206},
		{uint32(sflow.RecMemcacheCounters), 2200}, {uint32(sflow.RecMemcacheCounters), 2204},
		{uint32(sflow.RecHostNetIO), 2006}, {uint32(sflow.RecHostNetIO), 2104},
		{uint32(sflow.RecAppActor), 2204}, {uint32(sflow.RecAppActor), 2205},
		{uint32(sflow.RecSampledIPv4), 1023}, {uint32(sflow.RecSampledIPv6), 1026},
		{uint32(sflow.RecSampledEthernet), 1022},
		{uint32(sflow.RecU32), 1029}, {uint32(sflow.RecString), 1042},
		{uint32(sflow.RecExtMPLSTunnel), sflow.FlowExtMPLSTunnel}, {uint32(sflow.RecExtMPLSTunnel), sflow.FlowExtMPLSVC},
	} {
		if !formats[tf] {
			t.Errorf("record type %d never generated with format %d", tf[0], tf[1])
		}
	}
}

func TestAppendDatagramDoesNotAllocate(t *testing.T) {
	d := sflowtest.RandomDatagram(rand.New(rand.NewPCG(7, 7)))
	for len(d.Samples) < 3 { // make sure there is something to encode
		sflowtest.FillRandomDatagram(rand.New(rand.NewPCG(uint64(len(d.Samples)), 8)), d)
	}
	buf, err := sflow.AppendDatagram(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(100, func() { buf, _ = sflow.AppendDatagram(buf[:0], d) }); allocs != 0 {
		t.Fatalf("%v allocations per AppendDatagram", allocs)
	}
}

// FuzzReencode decodes arbitrary bytes; whatever decodes cleanly must encode, and its encoding must decode to
// the same datagram and encode to the same bytes again.
func FuzzReencode(f *testing.F) {
	for seed := uint64(0); seed < 8; seed++ {
		b, err := sflow.AppendDatagram(nil, sflowtest.RandomDatagram(rand.New(rand.NewPCG(seed, 1))))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	dec := sflow.NewDecoder()
	var first, second sflow.Datagram
	f.Fuzz(func(t *testing.T, data []byte) {
		if dec.Decode(data, &first) != nil {
			return
		}
		out, err := sflow.AppendDatagram(nil, &first)
		if err != nil {
			t.Fatalf("decoded datagram does not encode: %v", err)
		}
		if err := dec.Decode(out, &second); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		if d := sflow.DiffDatagrams(&first, &second); d != "" {
			t.Fatalf("re-encoding decodes differently: %s", d)
		}
		again, err := sflow.AppendDatagram(nil, &second)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("encoding is not stable (err %v)", err)
		}
	})
}

// FuzzRandomRoundTrip draws datagrams from sflowtest.RandomDatagram with fuzzed seeds and round-trips them
// exactly.
func FuzzRandomRoundTrip(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	dec := sflow.NewDecoder()
	var got sflow.Datagram
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		want := sflowtest.RandomDatagram(rand.New(rand.NewPCG(s1, s2)))
		b, err := sflow.AppendDatagram(nil, want)
		if err != nil {
			t.Fatal(err)
		}
		if err := dec.Decode(b, &got); err != nil {
			t.Fatal(err)
		}
		if d := sflow.DiffDatagrams(want, &got); d != "" {
			t.Fatal(d)
		}
	})
}

func BenchmarkAppendDatagram(b *testing.B) {
	d := sflowtest.RandomDatagram(rand.New(rand.NewPCG(3, 3)))
	buf, err := sflow.AppendDatagram(nil, d)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		buf, _ = sflow.AppendDatagram(buf[:0], d)
	}
}
