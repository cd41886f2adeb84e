package query_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fleettop/fleettop/model/query"
)

func TestParseTargetValid(t *testing.T) {
	cases := []struct{ in, canonical string }{
		{"battle.ships.destroyed.*", "battle.ships.destroyed.*"},
		{"fleet.web.web0[0-9].cpu_user", "fleet.web.web0[0-9].cpu_user"},
		{"battle.ships.destroyed.{laser,torpedo}", "battle.ships.destroyed.{laser,torpedo}"},
		{"a.b?.c*d", "a.b?.c*d"},
		{"sum(a.b, c.d)", "sum(a.b,c.d)"},
		{"  sumSeries( a.b ,c.d )  ", "sumSeries(a.b,c.d)"},
		{`alias(a.b,"Two Words")`, `alias(a.b,"Two Words")`},
		{`alias(a.b,'single "quoted"')`, `alias(a.b,'single "quoted"')`},
		{"a.b.*|aliasByNode(1)|movingAverage('5min')", `movingAverage(aliasByNode(a.b.*,1),"5min")`},
		{"a.b | scale(2)", "scale(a.b,2)"},
		{"scale(a.b, -1.5e3)", "scale(a.b,-1.5e3)"},
		{"timeShift(a.b, '1d', resetEnd=false)", `timeShift(a.b,"1d",resetEnd=false)`},
		{"keepLastValue(a.b, inf)", "keepLastValue(a.b,inf)"},
		{"transformNull(a.b, 0, referenceSeries=sum(c.*))", "transformNull(a.b,0,referenceSeries=sum(c.*))"},
		{"asPercent(a.*, None)", "asPercent(a.*,none)"},
		{"highestMax(a.*,TRUE)", "highestMax(a.*,true)"},
		{"sum(1min.load)", "sum(1min.load)"},
		{"sum(-1h.x)", "sum(-1h.x)"},
		{`a\.b.c`, `a\.b.c`},
		{"uni.café", "uni.café"},
		{"tagged.metric;dc=dc1", "tagged.metric;dc=dc1"},
		{"odd.hy-phen_under:colon@at", "odd.hy-phen_under:colon@at"},
		{"seriesByTag('name=~cpu\\..*')", `seriesByTag("name=~cpu\..*")`},
	}
	for _, c := range cases {
		e, err := query.Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := e.String(); got != c.canonical {
			t.Errorf("Parse(%q) = %s, want %s", c.in, got, c.canonical)
		}
		again, err := query.Parse(e.String())
		if err != nil || again.String() != e.String() {
			t.Errorf("canonical form %q does not reparse to itself: %v", e.String(), err)
		}
	}
}

func TestParseTargetErrors(t *testing.T) {
	cases := []struct {
		in       string
		pos      int
		expected string
	}{
		{"", 0, "a metric path or function call"},
		{"sum(a.*", 7, "',' or ')'"},
		{"a..b", 2, "a metric path"},
		{"a.b.", 4, "a metric path"},
		{"a.{b,c", 6, "',' or '}'"},
		{"a.{b,}", 5, "an alternative"},
		{"sum(a.b) c", 9, "end of target"},
		{`alias(a.b, "x)`, 14, "closing \""},
		{"a.b|", 4, "a function call after '|'"},
		{"a.b|c.d", 4, "a function call after '|'"},
		{"f(x=1, 2)", 7, "keyword argument"},
		{"sum(a.b,,c)", 8, "a metric path"},
		{`a\x`, 1, "after '\\'"},
		{"nosuchfunc(a.b)", 0, "a known function"},
		{"scale(a.b, 'x')", 11, "a number for factor of scale"},
		{"scale(a.b)", 5, "argument factor"},
		{"scale(a.b, 2, 3)", 14, "at most 2 arguments"},
		{"aliasByNode(a.b, 1.5)", 17, "node index"},
		{"movingAverage(a.b, 'nonsense')", 19, "point count or a quoted interval"},
		{"summarize(a.b, '1m')", 15, "interval"},
		{"sum(sum(a.b), nosuch(c))", 14, "a known function"},
		{"sumSeries(1)", 10, "series list"},
		{"scale(a.b, factor=2, factor=3)", 21, "each parameter once"},
		{"scale(a.b, size=2)", 11, "a parameter of scale"},
		{"groupByNode(a.b, 1, 'bogus')", 20, "aggregation"},
		{"limit(a.b, 2.5)", 11, "an integer"},
	}
	for _, c := range cases {
		_, err := query.ParseTarget(c.in)
		var se *query.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseTarget(%q): error %v, want a *SyntaxError", c.in, err)
			continue
		}
		if se.Pos != c.pos || !strings.Contains(se.Expected, c.expected) {
			t.Errorf("ParseTarget(%q): %v; want position %d expecting %q", c.in, se, c.pos, c.expected)
		}
	}
}

func TestParseTargetDeepNestingIsAnError(t *testing.T) {
	in := strings.Repeat("sum(", 200) + "a" + strings.Repeat(")", 200)
	if _, err := query.Parse(in); err == nil {
		t.Fatal("200 nested calls parsed")
	}
}

func TestPaths(t *testing.T) {
	e, err := query.Parse("asPercent(sum(a.*), b.c|scale(2), total=d.e)")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(e.Paths(), " ")
	if got != "a.* b.c d.e" {
		t.Fatalf("paths %q", got)
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{
		"battle.ships.destroyed.*", "sum(a.b, c.d)", `alias(a.b,"Two Words")`, "a.{b,c}.d", "a.b[0-9]",
		"a.b.*|aliasByNode(1)|movingAverage('5min')", "scale(a.b,-1e3)", "f(x=1)", `a\.b`, "sum(a.*",
		"keepLastValue(a, inf)", "seriesByTag('dc=~x.*')", "uni.café", "'", "a|", "{,}", "[",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := query.Parse(s)
		if err != nil {
			var se *query.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is not a *SyntaxError: %v", err)
			}
			if se.Pos < 0 || se.Pos > len(s) {
				t.Fatalf("error position %d outside input of %d bytes", se.Pos, len(s))
			}
			return
		}
		canon := e.String()
		again, err := query.Parse(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, s, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form not stable: %q -> %q", canon, again.String())
		}
		_ = query.Check(e) // must not panic
	})
}

func BenchmarkParseTarget(b *testing.B) {
	const target = "movingAverage(aliasByNode(sumSeries(fleet.web*.{cpu,mem}.total), 1), '5min')|scale(0.5)"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := query.ParseTarget(target); err != nil {
			b.Fatal(err)
		}
	}
}
