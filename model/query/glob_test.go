package query_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fleettop/fleettop/model/query"
)

func TestMatchPath(t *testing.T) {
	cases := []struct {
		pattern, path string
		match         bool
	}{
		{"a.b.c", "a.b.c", true},
		{"a.b.c", "a.b.d", false},
		{"a.*.c", "a.bee.c", true},
		{"a.*", "a.b.c", false}, // * never crosses a dot
		{"a.b*", "a.b", true},
		{"a.b*x*y", "a.bqxzzy", true},
		{"a.b*x*y", "a.bqxzz", false},
		{"web0?", "web01", true},
		{"web0?", "web0", false},
		{"web0[0-9]", "web07", true},
		{"web0[0-9]", "web0a", false},
		{"web0[!0-9]", "web0a", true},
		{"x[-a]", "x-", true},  // '-' first is literal
		{"x[a-]", "x-", true},  // '-' last is literal
		{"x[]]", "x]", true},   // ']' first is literal
		{"x[ab", "x[ab", true}, // no closing bracket: literal '['
		{"battle.ships.destroyed.{laser,torpedo}", "battle.ships.destroyed.torpedo", true},
		{"battle.ships.destroyed.{laser,torpedo}", "battle.ships.destroyed.phaser", false},
		{"a.{b,c}{d,e}", "a.ce", true},
		{"a.{b*,c}", "a.bxx", true},
		{`a\.b`, "a.b", false}, // an escaped dot is part of the element
		{"uni.caf?", "uni.café", true},
		{"*", "anything", true},
	}
	for _, c := range cases {
		got, err := query.MatchPath(c.pattern, c.path)
		if err != nil {
			t.Errorf("MatchPath(%q): %v", c.pattern, err)
			continue
		}
		if got != c.match {
			t.Errorf("MatchPath(%q, %q) = %v, want %v", c.pattern, c.path, got, c.match)
		}
	}
	for _, bad := range []string{"", "a..b", "a.{b", "a." + strings.Repeat("{a,b,c,d}", 6)} {
		if _, err := query.CompilePattern(bad); err == nil {
			t.Errorf("CompilePattern(%q) accepted", bad)
		}
	}
}

func TestFindInTree(t *testing.T) {
	src := newMemSource(
		ser("battle.ships.destroyed.laser", 0, 10, 1),
		ser("battle.ships.destroyed.torpedo", 0, 10, 1),
		ser("battle.ships.built", 0, 10, 1),
		ser("fleet.web01.cpu", 0, 10, 1),
	)
	cases := []struct {
		pattern string
		want    string
	}{
		{"*", "battle/ fleet/"},
		{"battle.ships.*", "battle.ships.built battle.ships.destroyed/"},
		{"battle.ships.destroyed.*", "battle.ships.destroyed.laser battle.ships.destroyed.torpedo"},
		{"battle.*.destroyed.{torpedo,laser}", "battle.ships.destroyed.laser battle.ships.destroyed.torpedo"},
		{"*.*.cpu", "fleet.web01.cpu"},
		{"nope.*", ""},
	}
	for _, c := range cases {
		nodes, err := query.FindInTree(context.Background(), src, c.pattern)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		var got []string
		for _, n := range nodes {
			s := n.Path
			if !n.Leaf {
				s += "/"
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("FindInTree(%q) = %q, want %q", c.pattern, strings.Join(got, " "), c.want)
		}
	}
}

func BenchmarkMatchPath(b *testing.B) {
	p, err := query.CompilePattern("fleet.web*.{cpu,mem}_[a-z]*.total")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !p.Match("fleet.web0042.mem_user.total") {
			b.Fatal("no match")
		}
	}
}
