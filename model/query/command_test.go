package query_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

func TestParseCommandValid(t *testing.T) {
	tg := func(exprs ...string) []query.Target {
		out := make([]query.Target, len(exprs))
		for i, e := range exprs {
			out[i] = query.Target{Expr: e}
		}
		return out
	}
	cases := []struct {
		line string
		want query.Command
	}{
		{"create Earth_Defense", query.Create{Window: "Earth_Defense"}},
		{"  create   W1  ", query.Create{Window: "W1"}},
		{"draw battle.ships.destroyed.* in Earth_Defense", query.Draw{Targets: tg("battle.ships.destroyed.*"), Window: "Earth_Defense"}},
		{"draw battle.ships.destroyed.* from -20min in Earth_Defense", query.Draw{Targets: tg("battle.ships.destroyed.*"), Window: "Earth_Defense", From: "-20min"}},
		{"draw a.b, c.d until now every 5 from -1h in W", query.Draw{Targets: tg("a.b", "c.d"), Window: "W", From: "-1h", Until: "now", Every: 5 * time.Minute, HasEvery: true}},
		{"draw sum(a.b, c.d) in W", query.Draw{Targets: tg("sum(a.b, c.d)"), Window: "W"}},
		{`draw alias(a.b,"Two Words") in W`, query.Draw{Targets: tg(`alias(a.b,"Two Words")`), Window: "W"}},
		{"draw a.{b,c}.d in W", query.Draw{Targets: tg("a.{b,c}.d"), Window: "W"}},
		{"draw a.b[0-9] | scale(2)", query.Draw{Targets: tg("a.b[0-9] | scale(2)")}},
		{"draw a.b from 'noon yesterday'", query.Draw{Targets: tg("a.b"), From: "noon yesterday"}},
		{"draw holtWintersForecast(a.b) in W on graphite", query.Draw{Targets: []query.Target{{Expr: "holtWintersForecast(a.b)", Source: "graphite"}}, Window: "W"}},
		{"add sum(battle.ships.destroyed.*) to Earth_Defense", query.Add{Target: query.Target{Expr: "sum(battle.ships.destroyed.*)"}, Window: "Earth_Defense"}},
		{"add a.b to W on graphite", query.Add{Target: query.Target{Expr: "a.b", Source: "graphite"}, Window: "W"}},
		{"remove sum(a.b, c) from W", query.Remove{Target: "sum(a.b, c)", Window: "W"}},
		{"change Earth_Defense from to -20min", query.Change{Window: "Earth_Defense", Param: "from", Value: "-20min"}},
		{"change Earth_Defense from -20min", query.Change{Window: "Earth_Defense", Param: "from", Value: "-20min"}},
		{`change Earth_Defense title to "Laser Batteries"`, query.Change{Window: "Earth_Defense", Param: "title", Value: "Laser Batteries"}},
		{"change Earth_Defense title to Laser Batteries", query.Change{Window: "Earth_Defense", Param: "title", Value: "Laser Batteries"}},
		{`change W title to "say "hi""`, query.Change{Window: "W", Param: "title", Value: `say "hi"`}},
		{"change W title to", query.Change{Window: "W", Param: "title", Value: ""}},
		{"change * areaMode to stacked", query.Change{Window: "*", Param: "areaMode", Value: "stacked"}},
		{"change W yMin to -5.5", query.Change{Window: "W", Param: "yMin", Value: "-5.5"}},
		{"redraw W every 5", query.Redraw{Window: "W", Every: 5 * time.Minute}},
		{"redraw W every 30s", query.Redraw{Window: "W", Every: 30 * time.Second}},
		{"url W", query.URL{Window: "W"}},
		{"save laserreport", query.Save{View: "laserreport"}},
		{"save my-view.v2", query.Save{View: "my-view.v2"}},
		{"load laserreport", query.Load{View: "laserreport"}},
		{"load laserreport above", query.Load{View: "laserreport", Above: true}},
		{"views", query.Views{}},
		{"rmview laserreport", query.RmView{View: "laserreport"}},
		{"rename W to W2", query.Rename{Window: "W", NewName: "W2"}},
		{"close *", query.Close{Window: "*"}},
		{"set ship enterprise", query.SetVar{Name: "ship", Value: "enterprise"}},
		{`set t "two words"`, query.SetVar{Name: "t", Value: "two words"}},
		{"unset ship", query.UnsetVar{Name: "ship"}},
		{"vars", query.Vars{}},
		{"echo hello  world", query.Echo{Text: "hello  world"}},
		{"echo", query.Echo{}},
		{"find laser$", query.Find{Pattern: "laser$"}},
		{"help", query.Help{}},
		{"help draw", query.Help{Topic: "draw"}},
		{"?", query.Help{}},
		{"clear", query.Clear{}},
		{"group by appType", query.GroupBy{Key: "appType"}},
		{"filter web", query.Filter{Expr: "web"}},
		{"filter !web", query.Filter{Expr: "web", Invert: true}},
		{"filter", query.Filter{}},
		{"set theme light", query.SetTheme{Name: "light"}},
		{"set theme high-contrast", query.SetTheme{Name: "high-contrast"}},
		{"set refresh 2s", query.SetRefresh{Every: 2 * time.Second}},
		{"set refresh 500ms", query.SetRefresh{Every: 500 * time.Millisecond}},
		{"set refresh 3", query.SetRefresh{Every: 3 * time.Second}},
		{"source scripts/earth.txt", query.SourceFile{Path: "scripts/earth.txt"}},
	}
	for _, c := range cases {
		got, err := query.ParseCommand(c.line)
		if err != nil {
			t.Errorf("ParseCommand(%q): %v", c.line, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseCommand(%q) = %#v, want %#v", c.line, got, c.want)
		}
	}
}

func TestParseCommandErrors(t *testing.T) {
	cases := []struct {
		line     string
		pos      int
		expected string
	}{
		{"", 0, "a command"},
		{"frobnicate W", 0, "a command"},
		{"rename", 6, "a window name"},
		{"create", 6, "a window name"},
		{"create Earth.Defense", 12, "end of line"}, // the old CLI silently made window "Earth"
		{"create W extra", 9, "end of line"},
		{"draw", 4, "a metric path"},
		{"draw sum(a.b in W", 13, "',' or ')'"},
		{"draw a.b in", 11, "a window name"},
		{"draw a.b sideways W", 9, "in, from, until, every, on"},
		{"draw a.b in W in V", 14, "each option once"},
		{"draw a.b from yesterday-ish", 14, "a from time"},
		{"draw a.b from -1m", 14, "a from time"},
		{"draw a.b every soon in W", 15, "an interval"},
		{"draw a.b every 5", 16, "every needs a window"},
		{"draw nosuch(a.b) in W", 5, "a known function"},
		{"draw a.b, scale(c.d) in W", 15, "argument factor"},
		{"add a.b W", 8, "'to'"},
		{"add a.b to", 10, "a window name"},
		{"remove a.b to W", 11, "'from'"},
		{"change W colour to red", 9, "a parameter"},
		{"change W title", 14, "to VALUE"},
		{"change W areaMode to sideways", 21, "areaMode"},
		{"change W yMax to lots", 17, "not a number"},
		{"change W from to garbage", 17, "from"},
		{"change W.x title to a", 8, "a parameter"},
		{"redraw W", 8, "'every'"},
		{"redraw W every", 14, "an interval"},
		{"save .hidden", 5, "a view name"},
		{"save", 4, "a view name"},
		{"save a/b", 6, "end of line"},
		{"load v sideways", 7, "end of line"},
		{"rename X Y", 9, "'to'"},
		{"rename X to Y.z", 13, "end of line"},
		{"set 1x y", 4, "a variable name"},
		{"set x", 5, "a value"},
		{"set theme", 9, "a theme name"},
		{"set refresh 1h5m", 12, "refresh interval"},
		{"set refresh 0", 12, "refresh interval"},
		{"set refresh ''", 12, "refresh interval"}, // an empty word is no interval (a fuzz find: it panicked)
		{"unset", 5, "a variable name"},
		{"find", 4, "a regular expression"},
		{"find (unclosed", 5, "a regular expression"},
		{"group appType", 6, "'by'"},
		{"group by", 8, "an ENC field"},
		{"views now", 6, "end of line"},
		{"source", 6, "a file name"},
		{"draw(a.b)", 0, "a command"},
	}
	for _, c := range cases {
		_, err := query.ParseCommand(c.line)
		var se *query.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseCommand(%q): %v, want a *SyntaxError", c.line, err)
			continue
		}
		if se.Pos != c.pos || !strings.Contains(se.Expected, c.expected) {
			t.Errorf("ParseCommand(%q): %v; want position %d expecting %q", c.line, se, c.pos, c.expected)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"create Earth_Defense", "draw battle.ships.destroyed.* in Earth_Defense",
		"change Earth_Defense from to -20min", `change Earth_Defense title to "Laser Batteries"`,
		"add sum(battle.ships.destroyed.*) to Earth_Defense", "save laserreport", "views", "load laserreport above",
		"draw a.b, c.d from -1h until now every 5 in W on graphite", "set x $y", "group by appType", "filter !web",
		"set refresh 2s", "remove sum(a, b) from W", "rename A to B", "find ^a.*b$", "?", "echo $", `draw "`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		cmd, err := query.ParseCommand(line)
		if err != nil {
			var se *query.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is not a *SyntaxError: %v", err)
			}
			if se.Pos < 0 || se.Pos > len(line) {
				t.Fatalf("error position %d outside a line of %d bytes", se.Pos, len(line))
			}
			return
		}
		if cmd == nil || cmd.Verb() == "" {
			t.Fatalf("nil command without error for %q", line)
		}
		if _, ok := cmd.(query.SourceFile); ok {
			return // would read an arbitrary file
		}
		// whatever parses must also execute without panicking on an empty session
		s := &query.Session{}
		_, _ = s.Execute(t.Context(), line)
	})
}

func BenchmarkParseCommand(b *testing.B) {
	const line = `draw sum(battle.ships.destroyed.*), battle.ships.built from -20min until now every 5 in Earth_Defense`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := query.ParseCommand(line); err != nil {
			b.Fatal(err)
		}
	}
}
