package tree

import (
	"bufio"
	"context"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/graphite"
)

func TestPoints(t *testing.T) {
	last := fxStart + 7 // fxFilled(last) < last: the hosts' latest step is still null
	s := fxSnapshot(last, "appType")
	pts := Points(s)
	byPath := map[string]graphite.Point{}
	for _, p := range pts {
		if _, dup := byPath[p.Path]; dup {
			t.Fatalf("%s pushed twice", p.Path)
		}
		byPath[p.Path] = p
		if want := time.Unix(last*fxSecs, 0); !p.Time.Equal(want) {
			t.Fatalf("%s at %v, want the step's start %v", p.Path, p.Time, want)
		}
		if math.IsNaN(p.Value) {
			t.Fatalf("%s: NaN pushed", p.Path)
		}
	}
	// Every point is a leaf of the tree over the same snapshot, and has its latest value there.
	h := &holder{}
	h.p.Store(s)
	tr := New(h, Options{})
	for _, p := range pts {
		got := fetchOne(t, tr, p.Path, p.Time.Add(-fxStep), p.Time)
		if len(got.Values) != 1 || got.Values[0] != p.Value {
			t.Fatalf("%s: tree has %v, pushed %v", p.Path, got.Values, p.Value)
		}
	}
	checks := map[string]float64{
		"fleettop.ingest.datagrams":                             float64(uint64(last)*1000 + 123_456_789),
		"fleettop.feeds.enc.ok":                                 1,
		"urls.www__example__com._2Fapi_2Fv1_3Fq_3D1.status.5xx": 1,
		"keys.user_3A42.hit_ratio":                              75,
		"groups.web.disk.bytes_read":                            float64(last % 1000),
	}
	for path, want := range checks {
		if p, ok := byPath[path]; !ok || p.Value != want {
			t.Errorf("%s = %v (pushed %v), want %v", path, p.Value, ok, want)
		}
	}
	for _, absent := range []string{"fleettop.feeds.carbon.ok", "groups.web.mem.used_pct", "keys._.hit_ratio", web01 + cpuLeaf} {
		if _, ok := byPath[absent]; ok {
			t.Errorf("%s pushed although null", absent)
		}
	}
	// One point per series whose latest value is not null.
	want := 0
	var w walker
	w.walk(s, func(r *seriesRef) {
		v := r.value
		if r.points != nil {
			v = r.points[len(r.points)-1]
		}
		if !math.IsNaN(v) {
			want++
		}
	})
	if len(pts) != want {
		t.Fatalf("%d points, want %d", len(pts), want)
	}
	if again := AppendPoints(pts[:0], s); len(again) != want || &again[0] != &pts[0] {
		t.Fatal("AppendPoints did not reuse the slice")
	}
}

// carbonStore keeps what carbon would: the last value pushed for each path and time.
type carbonStore map[string]map[int64]float64

func (c carbonStore) put(pts []graphite.Point) {
	for _, p := range pts {
		if c[p.Path] == nil {
			c[p.Path] = map[int64]float64{}
		}
		c[p.Path][p.Time.Unix()] = p.Value
	}
}

// TestAppendChangesMirrorsTheTree pushes changes every third snapshot and checks that carbon would then hold
// exactly what the tree draws, for every series.
func TestAppendChangesMirrorsTheTree(t *testing.T) {
	h := &holder{}
	tr := New(h, Options{})
	store := carbonStore{}
	var prevPushed = fxSnapshot(fxStart, "appType")
	h.p.Store(prevPushed)
	tr.Refresh()
	store.put(AppendChanges(nil, nil, prevPushed))
	first := len(store[web01+cpuLeaf])
	if first < fxPoints/2 {
		t.Fatalf("the first push backfilled %d points of %s", first, web01+cpuLeaf)
	}
	last := fxStart + 200
	var buf []graphite.Point
	for b := fxStart + 1; b <= last; b++ {
		s := fxSnapshot(b, "appType")
		if (b-fxStart)%3 != 0 && b != last {
			continue
		}
		h.p.Store(s)
		tr.Refresh()
		buf = AppendChanges(buf[:0], prevPushed, s)
		store.put(buf)
		prevPushed = s
	}
	if len(buf) > 200 {
		t.Fatalf("a push of 3 steps' changes sent %d points", len(buf))
	}
	now := fxTime(last)
	from := now.Add(-time.Hour)
	for _, path := range snapshotPaths(prevPushed) {
		s := fetchOne(t, tr, path, from, now)
		held := 0
		for i, v := range s.Values {
			ts := s.Start + int64(i)*s.Step
			pushed, ok := store[path][ts]
			if math.IsNaN(v) {
				if ok {
					t.Fatalf("%s at %d: carbon has %v, the tree nothing", path, ts, pushed)
				}
				continue
			}
			held++
			if !ok || pushed != v {
				t.Fatalf("%s at %d (bin %d): carbon has %v (%v), the tree %v", path, ts, ts/fxSecs, pushed, ok, v)
			}
		}
		if held != len(store[path]) {
			t.Fatalf("%s: carbon holds %d points, the tree %d", path, len(store[path]), held)
		}
	}
}

func TestAppendChangesAfterGroupByChange(t *testing.T) {
	prev := fxSnapshot(fxStart, "appType")
	cur := fxSnapshot(fxStart+1, "environment")
	n := 0
	for _, p := range AppendChanges(nil, prev, cur) {
		if strings.HasPrefix(p.Path, "fleet.production.web01.cpu.utilisation") {
			n++
		}
	}
	if n < fxPoints/2 {
		t.Fatalf("the new path got %d points; its whole history should go out", n)
	}
}

// TestCarbonPush sends a snapshot's points through the real carbon client to a plaintext listener and
// checks that every path is accepted and arrives as sent.
func TestCarbonPush(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	lines := make(chan []string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			lines <- nil
			return
		}
		defer conn.Close()
		var got []string
		sc := bufio.NewScanner(conn)
		for sc.Scan() {
			got = append(got, sc.Text())
		}
		lines <- got
	}()
	pts := Points(fxSnapshot(fxStart+9, "appType"))
	c := graphite.NewCarbon(ln.Addr().String(), graphite.CarbonOptions{FlushInterval: 10 * time.Millisecond})
	c.Send(pts...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if hl := c.Health(); hl.Rejected != 0 {
		t.Fatalf("carbon client rejected %d points: %s", hl.Rejected, hl.LastReject)
	}
	got := <-lines
	want := map[string]graphite.Point{}
	for _, p := range pts {
		want[p.Path] = p
	}
	seen := map[string]bool{}
	for _, line := range got {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("line %q", line)
		}
		p, ok := want[f[0]]
		v, err1 := strconv.ParseFloat(f[1], 64)
		ts, err2 := strconv.ParseInt(f[2], 10, 64)
		if !ok || err1 != nil || err2 != nil || v != p.Value || ts != p.Time.Unix() {
			t.Fatalf("line %q does not match a point sent", line)
		}
		seen[f[0]] = true
	}
	if len(seen) != len(want) {
		var missing []string
		for p := range want {
			if !seen[p] {
				missing = append(missing, p)
			}
		}
		slices.Sort(missing)
		t.Fatalf("%d of %d paths arrived; missing %v", len(seen), len(want), missing)
	}
}
