package graphite

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"runtime"
	"testing"
	"time"
)

// renderBody is a /render answer of nSeries series of nPoints points with a null every 7th value.
func renderBody(nSeries, nPoints int) []byte {
	series := make([]Series, nSeries)
	for i := range series {
		vals := make([]float64, nPoints)
		for j := range vals {
			vals[j] = float64(i*nPoints+j) * 0.37
			if j%7 == 0 {
				vals[j] = math.NaN()
			}
		}
		series[i] = Series{Name: fmt.Sprintf("fleet.web%03d.cpu.user", i), Tags: map[string]string{"name": "x"},
			Start: 1_795_559_590, Step: 10, Values: vals}
	}
	return formatRender(series)
}

// BenchmarkParseRender parses what a 100-host dashboard at 1 point per 10 s over 6 h receives.
func BenchmarkParseRender(b *testing.B) {
	body := renderBody(100, 2160)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ParseRender(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendPlaintext(b *testing.B) {
	p := queued{path: "fleet.web001.cpu.user", value: 12.375, ts: 1_795_559_590}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = appendPlaintext(buf[:0], p)
	}
}

func BenchmarkAppendPickle(b *testing.B) {
	pts := make([]queued, 500)
	for i := range pts {
		pts[i] = queued{path: fmt.Sprintf("fleet.web%03d.cpu.user", i), value: float64(i), ts: 1_795_559_590}
	}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = appendPickle(buf[:0], pts, PickleMaxMessage)
	}
	b.ReportMetric(float64(len(buf))/500, "bytes/point")
}

// BenchmarkCarbonDelivery measures the whole push path, Send to bytes on a loopback socket that discards,
// 500 points (one batch) per op.
func BenchmarkCarbonDelivery(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go io.Copy(io.Discard, conn)
		}
	}()
	c := NewCarbon(ln.Addr().String(), CarbonOptions{})
	pts := make([]Point, 500)
	for i := range pts {
		pts[i] = Point{Path: fmt.Sprintf("fleet.web%03d.cpu.user", i), Value: float64(i), Time: time.Unix(1_795_559_590, 0)}
	}
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		c.Send(pts...)
		for c.Health().Buffered > 0 {
			runtime.Gosched()
		}
	}
	b.ReportMetric(float64(b.N*len(pts))/time.Since(start).Seconds(), "points/s")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		b.Fatal(err)
	}
	if h := c.Health(); h.Dropped != 0 {
		b.Fatalf("dropped %d points", h.Dropped)
	}
}
