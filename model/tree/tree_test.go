package tree

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/query"
)

// snapshotPaths lists the paths of every series of s, in walk order.
func snapshotPaths(s *model.Snapshot) []string {
	var w walker
	var out []string
	w.walk(s, func(r *seriesRef) { out = append(out, string(r.path)) })
	return out
}

const (
	web01   = "fleet.web.web01"
	web02   = "fleet.web.web02__example__com"
	local3  = "fleet.web.localhost_4010__0__0__3_2F3_3A1"
	local4  = "fleet.memcache.localhost_4010__0__0__4_2F3_3A1"
	db07    = "fleet.unclassified.db07"
	cpuLeaf = ".cpu.utilisation"
)

var elementRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func TestPaths(t *testing.T) {
	paths := snapshotPaths(fxSnapshot(fxStart, "appType"))
	want := []string{
		web01 + cpuLeaf, web01 + ".http.status.5xx", web01 + ".if.3.bytes_in", web02 + cpuLeaf, local3 + cpuLeaf,
		local4 + ".memcache.hit_ratio", db07 + ".disk.used_pct",
		"groups.web.cpu.utilisation", "groups.web.hosts", "groups.memcache.disk.bytes_read",
		"groups.unclassified.stale_hosts",
		"talkers.pair.10__0__0__1.10__0__0__2.bytes", "talkers.src.10__0__0__1.packets",
		"talkers.dst.2001_3Adb8_3A_3A1.bytes",
		"urls.www__example__com._2Fapi_2Fv1_3Fq_3D1.rate", "urls.www__example__com._2Fapi_2Fv1_3Fq_3D1.status.5xx",
		"keys.user_3A42.rate", "keys._.hit_ratio",
		"agents.10__0__0__1.0.datagrams", "agents.10__0__0__1.0.sample_drops",
		"fleettop.ingest.datagrams_per_sec", "fleettop.fleet.hosts", "fleettop.feeds.carbon.ok",
	}
	for _, w := range want {
		if !slices.Contains(paths, w) {
			t.Errorf("missing path %s", w)
		}
	}
	seen := map[string]bool{}
	hostLeaves := 0
	for _, p := range paths {
		if seen[p] {
			t.Errorf("path %s appears twice", p)
		}
		seen[p] = true
		for _, el := range strings.Split(p, ".") {
			if !elementRE.MatchString(el) {
				t.Errorf("path %s has element %q", p, el)
			}
		}
		if strings.HasPrefix(p, "fleet.") {
			hostLeaves++
		}
	}
	total := 0
	for _, h := range fxHosts {
		total += len(h.series)
	}
	if hostLeaves != total {
		t.Errorf("%d host series paths, want %d", hostLeaves, total)
	}
	if slices.ContainsFunc(paths, func(p string) bool { return strings.Contains(p, "invalid") }) {
		t.Error("a talker row without an address got a path")
	}
	// Data elements come back with Unescape.
	for el, want := range map[string]string{
		strings.Split(local3, ".")[2]: "localhost@10.0.0.3/3:1",
		strings.Split(web02, ".")[2]:  "web02.example.com",
		"_2Fapi_2Fv1_3Fq_3D1":         "/api/v1?q=1",
	} {
		if got, err := Unescape(el); err != nil || got != want {
			t.Errorf("Unescape(%q) = %q, %v; want %q", el, got, err, want)
		}
	}
	h := fxSnapshot(fxStart, "appType").Hosts[2]
	if got := HostElement(h); got != strings.Split(local3, ".")[2] {
		t.Errorf("HostElement = %q", got)
	}
}

func TestSeriesNameEscaping(t *testing.T) {
	cases := map[string]string{
		"cpu.utilisation": "cpu.utilisation",
		"if.3.bytes_in":   "if.3.bytes_in",
		"odd name.x":      "odd_20name.x",
		"a..b":            "a._.b",
	}
	for in, want := range cases {
		if got := string(appendSeriesName(nil, in)); got != want {
			t.Errorf("appendSeriesName(%q) = %q, want %q", in, got, want)
		}
	}
}

// bruteFind answers a glob the slow way, from the full list of paths.
func bruteFind(t *testing.T, paths []string, pattern string) []query.Node {
	t.Helper()
	p, err := query.CompilePattern(pattern)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[query.Node]bool{}
	var out []query.Node
	for _, path := range paths {
		els := strings.Split(path, ".")
		if len(els) < p.Len() {
			continue
		}
		prefix := strings.Join(els[:p.Len()], ".")
		if !p.Match(prefix) {
			continue
		}
		n := query.Node{Path: prefix, Leaf: len(els) == p.Len()}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b query.Node) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func TestFind(t *testing.T) {
	tr, _ := fxTree(fxStart, fxStart, Options{})
	ctx := context.Background()
	got, err := tr.Find(ctx, "fleet.web.*.cpu.utilisation")
	if err != nil {
		t.Fatal(err)
	}
	want := []query.Node{{Path: local3 + cpuLeaf, Leaf: true}, {Path: web01 + cpuLeaf, Leaf: true},
		{Path: web02 + cpuLeaf, Leaf: true}}
	if !slices.Equal(got, want) {
		t.Fatalf("Find = %v, want %v", got, want)
	}

	paths := snapshotPaths(fxSnapshot(fxStart, "appType"))
	for _, pattern := range []string{
		"*", "fleet.*", "fleet.{web,memcache}.*.cpu.utilisation", "fleet.web.web0[0-9]*.*",
		"fleet.*.localhost*.cpu.utilisation", "talkers.*.*.*.bytes", "fleet.web.?eb01.c?u.*",
		"fleet.web.web01.if.3.bytes_in", "groups.*.cpu.utilisation", "groups.[!w]*.*", "nothing.*",
		"urls.*.*.status.*", "fleet.*.*.*", "fleettop.*.*",
	} {
		got, err := tr.Find(ctx, pattern)
		if err != nil {
			t.Fatalf("Find(%q): %v", pattern, err)
		}
		if want := bruteFind(t, paths, pattern); !slices.Equal(got, want) {
			t.Errorf("Find(%q) = %v\nwant %v", pattern, got, want)
		}
		// The generic walk over Children must agree with Find.
		viaChildren, err := query.FindInTree(ctx, tr, pattern)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, viaChildren) {
			t.Errorf("Find(%q) = %v, FindInTree over Children = %v", pattern, got, viaChildren)
		}
	}
	if _, err := tr.Find(ctx, "fleet.{web"); err == nil {
		t.Error("Find accepted an unclosed brace")
	}
}

func TestChildren(t *testing.T) {
	tr, _ := fxTree(fxStart, fxStart, Options{})
	ctx := context.Background()
	cases := []struct {
		prefix string
		want   []query.Node
	}{
		{"", []query.Node{{Path: "agents"}, {Path: "fleet"}, {Path: "fleettop"}, {Path: "groups"}, {Path: "keys"},
			{Path: "talkers"}, {Path: "urls"}}},
		{"fleet", []query.Node{{Path: "fleet.memcache"}, {Path: "fleet.unclassified"}, {Path: "fleet.web"}}},
		{web01, []query.Node{{Path: web01 + ".cpu"}, {Path: web01 + ".http"}, {Path: web01 + ".if"}, {Path: web01 + ".net"}}},
		{web01 + ".cpu", []query.Node{{Path: web01 + cpuLeaf, Leaf: true}}},
		{"no.such", nil},
		{web01 + cpuLeaf, nil},
	}
	for _, c := range cases {
		got, err := tr.Children(ctx, c.prefix)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Children(%q) = %v, want %v", c.prefix, got, c.want)
		}
	}
}

// fetchOne fetches one path and fails unless exactly that series comes back.
func fetchOne(t *testing.T, tr *Tree, path string, from, until time.Time) query.Series {
	t.Helper()
	list, err := tr.Fetch(context.Background(), []string{path}, from, until)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != path {
		t.Fatalf("Fetch(%s) = %d series", path, len(list))
	}
	return list[0]
}

// sameValues compares with NaN equal to NaN.
func sameValues(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func checkHostSeries(t *testing.T, s query.Series, host, series int, last int64) {
	t.Helper()
	if s.Step != fxSecs || s.Start%fxSecs != 0 {
		t.Fatalf("%s: step %d start %d", s.Name, s.Step, s.Start)
	}
	nonNull := 0
	for i, v := range s.Values {
		bin := s.Start/fxSecs + int64(i)
		want := math.NaN()
		if bin > fxStart-fxPoints {
			want = fxSeen(host, series, bin, last)
		}
		if !sameValues(v, want) {
			t.Fatalf("%s at bin %d (%d from the latest): %v, want %v", s.Name, bin, last-bin, v, want)
		}
		if !math.IsNaN(v) {
			nonNull++
		}
	}
	if len(s.Values) > 10 && nonNull == 0 {
		t.Fatalf("%s: every value is null", s.Name)
	}
}

func TestFetch(t *testing.T) {
	last := fxStart + 300 // 25 minutes of snapshots after the first one's 15 minutes of history
	tr, _ := fxTree(fxStart, last, Options{})
	now := fxTime(last)
	path := web01 + cpuLeaf

	t.Run("last 20 minutes", func(t *testing.T) {
		s := fetchOne(t, tr, path, now.Add(-20*time.Minute), now)
		if s.Start != (last-239)*fxSecs || len(s.Values) != 240 {
			t.Fatalf("start %d (bin %d), %d values; want bin %d, 240", s.Start, s.Start/fxSecs, len(s.Values), last-239)
		}
		checkHostSeries(t, s, 0, 0, last)
		if !math.IsNaN(s.Values[len(s.Values)-1]) == (fxFilled(last) < last) {
			t.Fatalf("the latest step should be null until its sample: %v", s.Values[len(s.Values)-1])
		}
	})
	t.Run("aligned from excludes its own step", func(t *testing.T) {
		from := time.Unix((last-10)*fxSecs, 0)
		s := fetchOne(t, tr, path, from, time.Unix((last-2)*fxSecs, 0))
		if s.Start != (last-9)*fxSecs || len(s.Values) != 8 {
			t.Fatalf("start bin %d, %d values; want %d, 8", s.Start/fxSecs, len(s.Values), last-9)
		}
		checkHostSeries(t, s, 0, 0, last)
	})
	t.Run("clamped to what the tree can hold", func(t *testing.T) {
		s := fetchOne(t, tr, path, now.Add(-10*time.Hour), now.Add(time.Hour))
		hold := int64(DefaultRetention/fxStep) + fxPoints
		if s.Start != (last-hold+1)*fxSecs || s.End() != (last+1)*fxSecs {
			t.Fatalf("start bin %d end bin %d; want %d, %d", s.Start/fxSecs, s.End()/fxSecs, last-hold+1, last+1)
		}
		checkHostSeries(t, s, 0, 0, last)
		if !math.IsNaN(s.Values[0]) {
			t.Fatal("a step before the first snapshot's history has a value")
		}
	})
	t.Run("range after the latest snapshot", func(t *testing.T) {
		s := fetchOne(t, tr, path, now.Add(time.Minute), now.Add(2*time.Minute))
		if len(s.Values) != 0 {
			t.Fatalf("%d values after the latest snapshot", len(s.Values))
		}
	})
	t.Run("values recorded per snapshot stay exact", func(t *testing.T) {
		s := fetchOne(t, tr, "fleettop.ingest.datagrams", now.Add(-30*time.Minute), now)
		for i, v := range s.Values {
			bin := s.Start/fxSecs + int64(i)
			want := math.NaN()
			if bin >= fxStart {
				want = float64(uint64(bin)*1000 + 123_456_789)
			}
			if !sameValues(v, want) {
				t.Fatalf("datagrams at bin %d: %v, want %v", bin, v, want)
			}
		}
	})
	t.Run("group history", func(t *testing.T) {
		s := fetchOne(t, tr, "groups.web.cpu.utilisation", now.Add(-20*time.Minute), now)
		checkHostSeries(t, s, 100+len("web"), 0, last)
	})
	t.Run("unknown paths are left out, tagged names answered as asked", func(t *testing.T) {
		list, err := tr.Fetch(context.Background(), []string{"fleet.web.nope.cpu", path + ";dc=x", "fleet.web"}, now.Add(-time.Minute), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Name != path+";dc=x" || list[0].Tags["name"] != path {
			t.Fatalf("Fetch = %+v", list)
		}
	})
	t.Run("tags", func(t *testing.T) {
		s := fetchOne(t, tr, path, now.Add(-time.Minute), now)
		want := map[string]string{"name": path, "group": "web", "host": "web01", "environment": "production",
			"classes": "web,base", "appType": "web", "cabLocation": "98b", "rack": "0042"}
		if len(s.Tags) != len(want) {
			t.Fatalf("tags %v, want %v", s.Tags, want)
		}
		for k, v := range want {
			if s.Tags[k] != v {
				t.Fatalf("tag %s = %q, want %q (all: %v)", k, s.Tags[k], v, s.Tags)
			}
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := tr.Fetch(ctx, []string{path}, now.Add(-time.Minute), now); err == nil {
			t.Fatal("Fetch ignored a cancelled context")
		}
	})
}

func TestFetchBeforeAnySnapshot(t *testing.T) {
	h := &holder{}
	tr := New(h, Options{})
	list, err := tr.Fetch(context.Background(), []string{web01 + cpuLeaf}, time.Unix(0, 0), time.Now())
	if err != nil || len(list) != 0 {
		t.Fatalf("Fetch = %v, %v", list, err)
	}
	h.p.Store(&model.Snapshot{Step: fxStep}) // a fleet's first, empty snapshot
	if nodes, err := tr.Find(context.Background(), "*"); err != nil || len(nodes) != 0 {
		t.Fatalf("Find = %v, %v", nodes, err)
	}
}

// oneHost is a snapshot with one host series whose value in bin b is 0.1+b, which float32 cannot hold.
func oneHost(last int64) *model.Snapshot {
	pts := make([]float64, fxPoints)
	for k := range pts {
		pts[k] = 0.1 + float64(last-fxPoints+1+int64(k))
	}
	return &model.Snapshot{Time: fxTime(last), Step: fxStep, GroupBy: "appType", Hosts: []*model.HostRow{{
		ID: "10.0.0.9", Name: "h", Group: "g", Series: []model.NamedSeries{{Name: "cpu.utilisation", Points: pts}},
	}}}
}

func TestOldPointsAreFloat32(t *testing.T) {
	h := &holder{}
	tr := New(h, Options{})
	last := fxStart + 100
	for b := fxStart; b <= last; b++ {
		h.p.Store(oneHost(b))
		tr.Refresh()
	}
	s := fetchOne(t, tr, "fleet.g.h.cpu.utilisation", fxTime(last).Add(-20*time.Minute), fxTime(last))
	recentFirst := last - fxPoints + 1
	for i, v := range s.Values {
		bin := s.Start/fxSecs + int64(i)
		exact := 0.1 + float64(bin)
		switch {
		case bin <= fxStart-fxPoints:
			if !math.IsNaN(v) {
				t.Fatalf("bin %d: %v before any snapshot", bin, v)
			}
		case bin < recentFirst:
			if v != float64(float32(exact)) {
				t.Fatalf("kept bin %d: %v, want float32 %v", bin, v, float64(float32(exact)))
			}
		default:
			if v != exact {
				t.Fatalf("latest snapshot's bin %d: %v, want exactly %v", bin, v, exact)
			}
		}
	}
}

func TestRefreshLessOftenThanSnapshots(t *testing.T) {
	last := fxStart + 400
	every, _ := fxTree(fxStart, last, Options{})
	h := &holder{}
	sparse := New(h, Options{})
	var refreshed []int64
	for b := fxStart; b <= last; b++ {
		h.p.Store(fxSnapshot(b, "appType"))
		if (b-fxStart)%37 == 0 || b == last {
			sparse.Refresh()
			refreshed = append(refreshed, b)
		}
	}
	now := fxTime(last)
	for _, p := range []string{web01 + cpuLeaf, local4 + ".memcache.hit_ratio", "groups.web.cpu.utilisation"} {
		a := fetchOne(t, every, p, now.Add(-30*time.Minute), now)
		b := fetchOne(t, sparse, p, now.Add(-30*time.Minute), now)
		if !slices.EqualFunc(a.Values, b.Values, sameValues) {
			t.Errorf("%s differs when the tree refreshes every 37 steps", p)
		}
	}
	// Values without history exist only where a snapshot was taken in.
	s := fetchOne(t, sparse, "fleettop.ingest.datagrams", now.Add(-40*time.Minute), now)
	for i, v := range s.Values {
		bin := s.Start/fxSecs + int64(i)
		if got := !math.IsNaN(v); got != slices.Contains(refreshed, bin) {
			t.Fatalf("bin %d: value %v, refreshed there: %v", bin, v, !got)
		}
	}
}

// without returns s minus the hosts with that name.
func without(s *model.Snapshot, name string) *model.Snapshot {
	c := *s
	c.Hosts = slices.DeleteFunc(slices.Clone(s.Hosts), func(h *model.HostRow) bool { return h.Name == name })
	return &c
}

func TestGoneSeriesStayForTheRetention(t *testing.T) {
	h := &holder{}
	tr := New(h, Options{Retention: 2 * time.Minute}) // 24 steps
	ctx := context.Background()
	h.p.Store(fxSnapshot(fxStart, "appType"))
	tr.Refresh()
	path := db07 + cpuLeaf
	for b := fxStart + 1; b <= fxStart+30; b++ {
		h.p.Store(without(fxSnapshot(b, "appType"), "db07"))
		tr.Refresh()
		nodes, err := tr.Find(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if listed, want := len(nodes) == 1, b-fxStart < 24; listed != want {
			t.Fatalf("%d steps after db07 left: listed %v, want %v", b-fxStart, listed, want)
		}
		if b == fxStart+5 {
			s := fetchOne(t, tr, path, fxTime(b).Add(-time.Minute), fxTime(b))
			checkHostSeries(t, s, 4, 0, fxStart)
		}
	}
	if n, err := tr.Children(ctx, "fleet.unclassified"); err != nil || len(n) != 0 {
		t.Fatalf("the empty branch stays: %v, %v", n, err)
	}
}

func TestGroupByChange(t *testing.T) {
	last := fxStart + 250
	tr, h := fxTree(fxStart, last, Options{})
	ctx := context.Background()
	for b := last + 1; b <= last+5; b++ {
		h.p.Store(fxSnapshot(b, "environment"))
		tr.Refresh()
	}
	last += 5
	find := func(pattern string) []string {
		nodes, err := tr.Find(ctx, pattern)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range nodes {
			out = append(out, n.Path)
		}
		return out
	}
	want := []string{"fleet.production.localhost_4010__0__0__3_2F3_3A1.cpu.utilisation",
		"fleet.production.localhost_4010__0__0__4_2F3_3A1.cpu.utilisation", "fleet.production.web01.cpu.utilisation"}
	if got := find("fleet.production.*.cpu.utilisation"); !slices.Equal(got, want) {
		t.Fatalf("after group by environment: %v", got)
	}
	if got := find("fleet.web.*.*.*"); len(got) != 0 {
		t.Fatalf("old paths still listed: %v", got)
	}
	if got := find("groups.*"); !slices.Equal(got, []string{"groups.production", "groups.staging", "groups.unclassified"}) {
		t.Fatalf("groups after the change: %v", got)
	}
	// The host's history moved with it, including the points only the tree kept.
	now := fxTime(last)
	s := fetchOne(t, tr, "fleet.production.web01.cpu.utilisation", now.Add(-30*time.Minute), now)
	checkHostSeries(t, s, 0, 0, last)
	if s.Tags["group"] != "production" {
		t.Fatalf("group tag %q", s.Tags["group"])
	}

	// Back to appType: the groups' kept points are there again.
	for b := last + 1; b <= last+2; b++ {
		h.p.Store(fxSnapshot(b, "appType"))
		tr.Refresh()
	}
	last += 2
	// The steps while grouped by environment are in the latest snapshot's history; older ones were kept.
	g := fetchOne(t, tr, "groups.web.cpu.utilisation", fxTime(last).Add(-30*time.Minute), fxTime(last))
	checkHostSeries(t, g, 100+len("web"), 0, last)
	if got := find("groups.*"); !slices.Equal(got, []string{"groups.memcache", "groups.unclassified", "groups.web"}) {
		t.Fatalf("groups after changing back: %v", got)
	}
}

func TestMaxSeries(t *testing.T) {
	n := len(snapshotPaths(fxSnapshot(fxStart, "appType")))
	h := &holder{}
	tr := New(h, Options{MaxSeries: n})
	h.p.Store(fxSnapshot(fxStart, "appType"))
	tr.Refresh()
	if st := tr.Stats(); st.Listed != n || st.Refused != 0 {
		t.Fatalf("stats %+v, want %d listed", st, n)
	}
	// db07 is replaced by db08: its two series make room for the new ones.
	s := fxSnapshot(fxStart+1, "appType")
	for i := range s.Hosts {
		if s.Hosts[i].Name == "db07" {
			s.Hosts[i].Name, s.Hosts[i].ID = "db08", "10.0.0.8"
		}
	}
	h.p.Store(s)
	tr.Refresh()
	st := tr.Stats()
	if st.Listed != n || st.Evicted != 2 || st.Refused != 0 || st.Held != n {
		t.Fatalf("stats %+v, want %d listed, 2 evicted", st, n)
	}
	if nodes, _ := tr.Find(context.Background(), "fleet.unclassified.*"); len(nodes) != 1 || nodes[0].Path != "fleet.unclassified.db08" {
		t.Fatalf("unclassified hosts: %v", nodes)
	}

	small := New(h, Options{MaxSeries: 10})
	small.Refresh()
	if st := small.Stats(); st.Listed != 10 || st.Refused != uint64(n-10) {
		t.Fatalf("stats %+v, want 10 listed, %d refused", st, n-10)
	}
}

func TestIgnoredSnapshots(t *testing.T) {
	h := &holder{}
	tr := New(h, Options{})
	h.p.Store(fxSnapshot(fxStart+10, "appType"))
	tr.Refresh()
	h.p.Store(fxSnapshot(fxStart+5, "appType")) // older than the one taken in
	tr.Refresh()
	odd := fxSnapshot(fxStart+11, "appType")
	odd.Step = 1500 * time.Millisecond
	h.p.Store(odd)
	tr.Refresh()
	tr.Refresh() // the same snapshot again is not looked at twice
	if st := tr.Stats(); st.Snapshots != 1 || st.Ignored != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFindTagged(t *testing.T) {
	tr, _ := fxTree(fxStart, fxStart, Options{})
	ctx := context.Background()
	all := snapshotPaths(fxSnapshot(fxStart, "appType"))
	under := func(prefixes ...string) []string {
		var out []string
		for _, p := range all {
			for _, pre := range prefixes {
				if strings.HasPrefix(p, pre+".") {
					out = append(out, p)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	cases := []struct {
		exprs []string
		want  []string
	}{
		{[]string{"environment=production"}, under(web01, local3, local4)},
		{[]string{"appType=web", "name=~.*cpu"}, []string{local3 + cpuLeaf, web01 + cpuLeaf, web02 + cpuLeaf}},
		{[]string{`classes=~(.*,)?base(,|$)`}, under(web01)},
		{[]string{"group=web"}, under(web01, web02, local3, "groups.web")},
		{[]string{"name=fleettop.ingest.datagrams"}, []string{"fleettop.ingest.datagrams"}},
		{[]string{"appType=web", "rack!=0042"}, under(web02, local3)},
		{[]string{"host=localhost", "environment!=staging"}, under(local3, local4)},
		{[]string{"name=shadowed"}, nil},
	}
	for _, c := range cases {
		got, err := tr.FindTagged(ctx, c.exprs)
		if err != nil {
			t.Fatalf("FindTagged(%q): %v", c.exprs, err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("FindTagged(%q) = %v\nwant %v", c.exprs, got, c.want)
		}
	}
	if _, err := tr.FindTagged(ctx, []string{"rack!=x"}); err == nil {
		t.Error("FindTagged accepted expressions that all match the empty value")
	}

	// Through the evaluator, seriesByTag draws the staging host with its tags.
	ev := &query.Evaluator{Origins: []query.Origin{{Name: "fleettop", Source: tr}}}
	now := fxTime(fxStart)
	list, err := ev.Eval(ctx, query.Target{Expr: "seriesByTag('environment=staging')"}, now.Add(-time.Minute), now)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
		if s.Tags["environment"] != "staging" || s.Tags["host"] != "web02.example.com" {
			t.Errorf("%s tags %v", s.Name, s.Tags)
		}
	}
	if !slices.Equal(names, under(web02)) {
		t.Fatalf("seriesByTag drew %v", names)
	}
}

func TestConcurrentUse(t *testing.T) {
	h := &holder{}
	tr := New(h, Options{})
	h.p.Store(fxSnapshot(fxStart, "appType"))
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := fxStart + 1; b <= fxStart+60; b++ {
			g := "appType"
			if b%10 == 0 {
				g = "environment"
			}
			h.p.Store(fxSnapshot(b, g))
			tr.Refresh()
		}
	}()
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 40 {
				if _, err := tr.Find(ctx, "fleet.*.*.cpu.utilisation"); err != nil {
					t.Error(err)
					return
				}
				if _, err := tr.Children(ctx, "fleet"); err != nil {
					t.Error(err)
					return
				}
				if _, err := tr.FindTagged(ctx, []string{"environment=production"}); err != nil {
					t.Error(err)
					return
				}
				now := time.Unix(fxStart*fxSecs, 0)
				if _, err := tr.Fetch(ctx, []string{web01 + cpuLeaf}, now.Add(-time.Hour), now.Add(time.Hour)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if st := tr.Stats(); st.Snapshots == 0 || st.Listed == 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestSameSeriesTwiceInOneSnapshot(t *testing.T) {
	h := &holder{}
	tr := New(h, Options{Retention: time.Minute})
	ctx := context.Background()
	s := fxSnapshot(fxStart, "appType")
	s.URLs = append(s.URLs, s.URLs[0])
	s.URLs[1].Rate = 99
	h.p.Store(s)
	tr.Refresh()
	nodes, err := tr.Find(ctx, "urls.*.*.rate")
	if err != nil || len(nodes) != 1 {
		t.Fatalf("Find = %v, %v", nodes, err)
	}
	if got := fetchOne(t, tr, nodes[0].Path, fxTime(fxStart).Add(-fxStep), fxTime(fxStart)); got.Values[0] != 99 {
		t.Fatalf("rate %v, want the last row's 99", got.Values)
	}
	for b := fxStart + 1; b <= fxStart+20; b++ {
		s := fxSnapshot(b, "appType")
		s.URLs = nil
		h.p.Store(s)
		tr.Refresh()
		if st := tr.Stats(); st.Listed > st.Held {
			t.Fatalf("%d listed, %d held: the index lists series the tree forgot", st.Listed, st.Held)
		}
	}
	if nodes, _ := tr.Find(ctx, "urls.*"); len(nodes) != 0 {
		t.Fatalf("URLs outlived the retention: %v", nodes)
	}
}
