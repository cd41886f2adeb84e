package sflowtool

import (
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// benchCorpus decodes the seed datagrams (random datagrams of every record kind, and a switch's flow samples)
// once, so the benchmarks time the writers alone.
func benchCorpus(b *testing.B) (raws [][]byte, ds []sflow.Datagram) {
	b.Helper()
	raws = seedDatagrams(b, 200)
	ds = make([]sflow.Datagram, len(raws))
	dec := sflow.NewDecoder()
	dec.SetDecodeHeaders(false)
	for i, raw := range raws {
		if err := dec.Decode(raw, &ds[i]); err != nil {
			b.Fatalf("seed %d: %v", i, err)
		}
	}
	return raws, ds
}

func benchWriter(b *testing.B, w *Writer) {
	raws, ds := benchCorpus(b)
	m := Meta{Source: netip.MustParseAddrPort("192.0.2.1:6343"), Received: time.Unix(1700000000, 0),
		Captured: time.Unix(1700000000, 0)}
	var bytes int
	for _, r := range raws {
		bytes += len(r)
	}
	b.SetBytes(int64(bytes / len(raws)))
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if err := w.WriteDatagram(m, raws[i], &ds[i]); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(raws) {
			i = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "datagrams/s")
}

// BenchmarkTextWriter: sflowtool's text for one datagram (encoded and decoded beforehand).
func BenchmarkTextWriter(b *testing.B) {
	benchWriter(b, &NewTextWriter(io.Discard, Options{Location: time.UTC}).Writer)
}

// BenchmarkJSONWriter: sflowtool's JSON line for one datagram.
func BenchmarkJSONWriter(b *testing.B) {
	benchWriter(b, &NewJSONWriter(io.Discard, Options{Location: time.UTC}).Writer)
}
