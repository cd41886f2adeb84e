package tree

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/model"
)

// Sizes of the benchmark fleet: a large installation.
const (
	benchHosts  = 500
	benchSeries = 20
	benchGroups = 10
)

var benchNames = func() []string {
	names := []string{"cpu.utilisation", "load.one", "mem.used_pct", "mem.total", "disk.bytes_read",
		"disk.bytes_written", "disk.used_pct", "net.bytes_in", "net.bytes_out", "http.requests"}
	for i := 0; len(names) < benchSeries; i++ {
		names = append(names, fmt.Sprintf("if.%d.bytes_in", i))
	}
	return names
}()

// benchSnapshot builds a large snapshot whose latest bin is last.
func benchSnapshot(last int64) *model.Snapshot {
	s := &model.Snapshot{Time: fxTime(last), Step: fxStep, GroupBy: "appType"}
	for i := range benchHosts {
		group := fmt.Sprintf("app%d", i%benchGroups)
		h := model.HostRow{ID: fmt.Sprintf("10.1.%d.%d", i/250, i%250), Name: fmt.Sprintf("host%03d.example.com", i),
			Group: group, Environment: "production", Classes: []string{"base", group},
			Params: map[string]string{"appType": group, "rack": fmt.Sprint(i % 40)}}
		for j, name := range benchNames {
			pts := make([]float64, fxPoints)
			for k := range pts {
				pts[k] = float64((i + j + k + int(last)) % 100)
			}
			h.Series = append(h.Series, model.NamedSeries{Name: name, Points: pts})
		}
		s.Hosts = append(s.Hosts, &h)
	}
	for g := range benchGroups {
		cpu := make([]float64, fxPoints)
		s.Groups = append(s.Groups, model.GroupRow{Name: fmt.Sprintf("app%d", g), History: model.GroupHistory{CPU: cpu}})
	}
	for i := range 50 {
		a := netip.AddrFrom4([4]byte{10, 2, byte(i), byte(last % 7)}) // rows change over time, as top-N tables do
		b := netip.AddrFrom4([4]byte{10, 3, byte(i), 1})
		s.TalkersByPair = append(s.TalkersByPair, model.TalkerRow{Src: a, Dst: b, Bytes: 1e6, Packets: 1e3})
		s.TalkersBySrc = append(s.TalkersBySrc, model.TalkerRow{Src: a, Bytes: 1e6, Packets: 1e3})
		s.TalkersByDst = append(s.TalkersByDst, model.TalkerRow{Dst: b, Bytes: 1e6, Packets: 1e3})
		s.URLs = append(s.URLs, model.URLRow{Host: "www.example.com", Path: fmt.Sprintf("/item/%d", i), Rate: 10})
		s.Keys = append(s.Keys, model.KeyRow{Key: fmt.Sprintf("user:%d", i), Rate: 5, HitRatio: math.NaN()})
	}
	return s
}

// BenchmarkRefresh measures taking in one new snapshot of 500 hosts × 20 series.
func BenchmarkRefresh(b *testing.B) {
	snaps := make([]*model.Snapshot, 64)
	for i := range snaps {
		snaps[i] = benchSnapshot(fxStart + int64(i))
	}
	h := &holder{}
	tr := New(h, Options{})
	for _, s := range snaps {
		h.p.Store(s)
		tr.Refresh()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s := *snaps[i%len(snaps)]
		s.Time = fxTime(fxStart + int64(len(snaps)+i))
		h.p.Store(&s)
		tr.Refresh()
	}
	b.ReportMetric(float64(tr.Stats().Listed), "series")
}

// BenchmarkHour takes in an hour of snapshots and reports the memory the tree keeps beyond them.
func BenchmarkHour(b *testing.B) {
	snaps := make([]*model.Snapshot, 16)
	for i := range snaps {
		snaps[i] = benchSnapshot(fxStart + int64(i))
	}
	b.ReportAllocs()
	var st Stats
	for b.Loop() {
		h := &holder{}
		tr := New(h, Options{})
		for i := range int(time.Hour / fxStep) {
			s := *snaps[i%len(snaps)]
			s.Time = fxTime(fxStart + int64(i))
			h.p.Store(&s)
			tr.Refresh()
		}
		st = tr.Stats()
	}
	b.ReportMetric(float64(st.HistoryBytes)/1e6, "MB-kept")
	b.ReportMetric(float64(st.Held), "series")
}

func benchTree(b *testing.B) *Tree {
	h := &holder{}
	tr := New(h, Options{})
	for i := range int64(200) {
		h.p.Store(benchSnapshot(fxStart + i))
		tr.Refresh()
	}
	return tr
}

func BenchmarkFind(b *testing.B) {
	tr := benchTree(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		nodes, err := tr.Find(ctx, "fleet.app3.*.cpu.utilisation")
		if err != nil || len(nodes) != benchHosts/benchGroups {
			b.Fatalf("%d nodes, %v", len(nodes), err)
		}
	}
}

// BenchmarkFetch fetches an hour of 50 series.
func BenchmarkFetch(b *testing.B) {
	tr := benchTree(b)
	ctx := context.Background()
	nodes, err := tr.Find(ctx, "fleet.app3.*.cpu.utilisation")
	if err != nil {
		b.Fatal(err)
	}
	var paths []string
	for _, n := range nodes {
		paths = append(paths, n.Path)
	}
	now := fxTime(fxStart + 199)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Fetch(ctx, paths, now.Add(-time.Hour), now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendPoints(b *testing.B) {
	s := benchSnapshot(fxStart)
	var pts []graphite.Point
	b.ReportAllocs()
	for b.Loop() {
		pts = AppendPoints(pts[:0], s)
	}
	b.ReportMetric(float64(len(pts)), "points")
}

// BenchmarkAppendChanges diffs two consecutive snapshots of the large fleet.
func BenchmarkAppendChanges(b *testing.B) {
	prev, cur := benchSnapshot(fxStart), benchSnapshot(fxStart+1)
	var pts []graphite.Point
	b.ReportAllocs()
	for b.Loop() {
		pts = AppendChanges(pts[:0], prev, cur)
	}
	b.ReportMetric(float64(len(pts)), "points")
}

func BenchmarkEscape(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendEscape(buf[:0], "web01.example.com")
		buf = AppendEscape(buf, "/api/v1/items/42?q=1")
	}
}
