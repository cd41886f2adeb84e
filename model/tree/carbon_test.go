package tree

import (
	"slices"
	"strings"
	"testing"
)

// carbonPaths is the set of carbon paths c pushes for a snapshot, from AppendChanges without a previous one.
func carbonPaths(t *testing.T, c *CarbonSeries, last int64) map[string]bool {
	t.Helper()
	paths := map[string]bool{}
	for _, p := range c.AppendChanges(nil, nil, fxSnapshot(last, "appType")) {
		paths[p.Path] = true
	}
	return paths
}

func mustCarbonSeries(t *testing.T, prefix string, include, exclude []string, ranks int) *CarbonSeries {
	t.Helper()
	c, err := NewCarbonSeries(prefix, include, exclude, ranks)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCarbonSeriesSelects(t *testing.T) {
	last := fxStart + 9
	all := carbonPaths(t, allSeries, last)
	cases := []struct {
		name             string
		include, exclude []string
		keep             func(path string) bool
	}{
		{"default: no host or agent series", nil, nil, func(p string) bool {
			return !strings.HasPrefix(p, "fleet.") && !strings.HasPrefix(p, "agents.")
		}},
		{"everything", []string{"*"}, nil, func(string) bool { return true }},
		{"a subtree", []string{"groups.web"}, nil, func(p string) bool { return strings.HasPrefix(p, "groups.web.") }},
		{"a glob inside the path, braces", []string{"fleet.*.{web01,db01}", "fleettop"}, nil, func(p string) bool {
			e := strings.Split(p, ".")
			return e[0] == "fleettop" || e[0] == "fleet" && (e[2] == "web01" || e[2] == "db01")
		}},
		{"a leaf", []string{"fleettop.ingest.datagrams"}, nil, func(p string) bool { return p == "fleettop.ingest.datagrams" }},
		{"exclude wins", []string{"*"}, []string{"fleet", "*.*.cpu"}, func(p string) bool {
			e := strings.Split(p, ".")
			return e[0] != "fleet" && !(len(e) > 2 && e[2] == "cpu")
		}},
	}
	for _, c := range cases {
		cs := mustCarbonSeries(t, "", c.include, c.exclude, 0)
		got := carbonPaths(t, cs, last)
		n := 0
		for p := range all {
			if want := c.keep(p); got[p] != want {
				t.Errorf("%s: %s pushed %v, want %v", c.name, p, got[p], want)
			}
			if got[p] {
				n++
			}
		}
		if n == 0 || n != len(got) {
			t.Errorf("%s: %d of the tree's paths pushed, %d in all", c.name, n, len(got))
		}
	}
}

func TestCarbonSeriesPrefixAndRanks(t *testing.T) {
	c := mustCarbonSeries(t, "fleettop.coll-1", []string{"talkers", "urls", "keys"}, nil, 2)
	got := carbonPaths(t, c, fxStart+9)
	var names []string
	for p := range got {
		if !strings.HasPrefix(p, "fleettop.coll-1.") {
			t.Errorf("%s is not under the prefix", p)
		}
		names = append(names, strings.TrimPrefix(p, "fleettop.coll-1."))
	}
	slices.Sort(names)
	// the fixture: one pair, one source, two destinations of which one has no address, one URL, two keys
	want := []string{
		"keys.rank.01.hit_ratio", "keys.rank.01.rate", "keys.rank.02.rate", // key 2's hit ratio is null
		"talkers.dst.rank.01.bytes", "talkers.dst.rank.01.packets",
		"talkers.pair.rank.01.bytes", "talkers.pair.rank.01.packets",
		"talkers.src.rank.01.bytes", "talkers.src.rank.01.packets",
		"urls.rank.01.mean_ms", "urls.rank.01.p95_ms", "urls.rank.01.rate",
		"urls.rank.01.status.1xx", "urls.rank.01.status.2xx", "urls.rank.01.status.3xx",
		"urls.rank.01.status.4xx", "urls.rank.01.status.5xx", "urls.rank.01.status.other",
	}
	if !slices.Equal(names, want) {
		t.Errorf("ranked paths\n%v\nwant\n%v", names, want)
	}
	// one rank slot keeps only the first key
	one := carbonPaths(t, mustCarbonSeries(t, "p", []string{"keys"}, nil, 1), fxStart+9)
	if len(one) != 2 || !one["p.keys.rank.01.rate"] {
		t.Errorf("1 rank: %v", one)
	}
}

func TestCarbonSeriesRefusesBadChoices(t *testing.T) {
	for _, c := range []struct {
		prefix           string
		include, exclude []string
		ranks            int
	}{
		{"a..b", nil, nil, 10}, {".a", nil, nil, 10}, {"a b", nil, nil, 10}, {"a.b/c", nil, nil, 10},
		{"ok", []string{}, nil, 10}, {"ok", []string{"fleet.{a"}, nil, 10}, {"ok", nil, []string{"fleet..x"}, 10},
		{"ok", nil, nil, -1}, {"ok", nil, nil, MaxRanks + 1},
	} {
		if _, err := NewCarbonSeries(c.prefix, c.include, c.exclude, c.ranks); err == nil {
			t.Errorf("NewCarbonSeries(%q, %q, %q, %d) accepted", c.prefix, c.include, c.exclude, c.ranks)
		}
	}
}

func TestCollectorPrefix(t *testing.T) {
	for host, want := range map[string]string{
		"Web01.example.com": "fleettop.web01",
		"collector-2":       "fleettop.collector-2",
		"":                  "fleettop.unknown",
		"a_b":               "fleettop.a_5Fb",
	} {
		if got := CollectorPrefix(host); got != want || checkPrefix(got) != nil {
			t.Errorf("CollectorPrefix(%q) = %q, want %q", host, got, want)
		}
	}
}
