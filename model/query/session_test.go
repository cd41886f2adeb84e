package query_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

func run(t *testing.T, s *query.Session, lines ...string) query.Result {
	t.Helper()
	var res query.Result
	for _, l := range lines {
		var err error
		if res, err = s.Execute(context.Background(), l); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
	}
	return res
}

func TestVerbs(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		setup []string
		line  string
		check func(t *testing.T, s *query.Session, res query.Result, err error)
	}{
		{"create twice fails", []string{"create W"}, "create W", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if err == nil || len(s.Windows) != 1 {
				t.Fatalf("%v %d", err, len(s.Windows))
			}
		}},
		{"draw into a new window creates it", nil, "draw battle.ships.built in New from -1h", func(t *testing.T, s *query.Session, res query.Result, err error) {
			if w, ok := s.Window("New"); err != nil || !ok || w.From != "-1h" || len(w.Targets) != 1 {
				t.Fatalf("%v %+v", err, s.Windows)
			}
			if !strings.Contains(res.Output, "battle.ships.built") {
				t.Fatalf("output %q", res.Output)
			}
		}},
		{"draw replaces targets and keeps the title", []string{"create W", "draw a.b in W", "change W title to T"}, "draw c.d, e.f in W", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			w, _ := s.Window("W")
			if err != nil || len(w.Targets) != 2 || w.Targets[0].Expr != "c.d" || w.Title != "T" {
				t.Fatalf("%v %+v", err, w)
			}
		}},
		{"draw without a window is inline", nil, "draw sum(battle.ships.destroyed.*)", func(t *testing.T, s *query.Session, res query.Result, err error) {
			if err != nil || len(s.Windows) != 0 || len(res.Effects) != 1 {
				t.Fatalf("%v %+v %+v", err, s.Windows, res.Effects)
			}
			in, ok := res.Effects[0].(query.Inline)
			if !ok || in.Window.Targets[0].Expr != "sum(battle.ships.destroyed.*)" {
				t.Fatalf("effect %#v", res.Effects[0])
			}
		}},
		{"draw on an unknown source fails", []string{"create W"}, "draw a.b in W on graphite", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if err == nil || !strings.Contains(err.Error(), `unknown source "graphite"`) {
				t.Fatal(err)
			}
			if w, _ := s.Window("W"); len(w.Targets) != 0 {
				t.Fatal("half applied")
			}
		}},
		{"draw with an empty range fails whole", []string{"create W"}, "draw a.b in W from now until -1h", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if err == nil || !strings.Contains(err.Error(), "empty time range") {
				t.Fatal(err)
			}
			if w, _ := s.Window("W"); len(w.Targets) != 0 || w.From != "" {
				t.Fatalf("half applied: %+v", w)
			}
		}},
		{"add to a missing window", nil, "add a.b to Nope", func(t *testing.T, _ *query.Session, _ query.Result, err error) {
			if err == nil || !strings.Contains(err.Error(), `no window named "Nope"`) {
				t.Fatal(err)
			}
		}},
		{"add a duplicate", []string{"draw sum(a.b,c.d) in W"}, "add sum(a.b, c.d) to W", func(t *testing.T, _ *query.Session, _ query.Result, err error) {
			if err == nil || !strings.Contains(err.Error(), "already") {
				t.Fatal(err)
			}
		}},
		{"remove matches the canonical form", []string{"draw sum(a.b,c.d), e.f in W"}, "remove sum( a.b , c.d ) from W", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if w, _ := s.Window("W"); err != nil || len(w.Targets) != 1 || w.Targets[0].Expr != "e.f" {
				t.Fatalf("%v %+v", err, w)
			}
		}},
		{"remove an absent target", []string{"draw a.b in W"}, "remove c.d from W", func(t *testing.T, _ *query.Session, _ query.Result, err error) {
			if err == nil {
				t.Fatal("removed nothing without error")
			}
		}},
		{"change * touches every window", []string{"create A", "create B"}, "change * from to -1h", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if err != nil || s.Windows[0].From != "-1h" || s.Windows[1].From != "-1h" {
				t.Fatalf("%v %+v", err, s.Windows)
			}
		}},
		{"change is all or nothing across windows", []string{"create A", "create B", "change B until to -2h"}, "change * from to -90min", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if err == nil || s.Windows[0].From != "" {
				t.Fatalf("%v %+v", err, s.Windows)
			}
		}},
		{"yMin above yMax", []string{"create W", "change W yMax to 5"}, "change W yMin to 10", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if w, _ := s.Window("W"); err == nil || w.YMin != nil {
				t.Fatalf("%v %+v", err, w)
			}
		}},
		{"empty value resets", []string{"create W", "change W areaMode to stacked", "change W yMin to 1"}, "change W areaMode to", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			w, _ := s.Window("W")
			if _, ok := w.Params["areaMode"]; err != nil || ok || w.YMin == nil || *w.YMin != 1 {
				t.Fatalf("%v %+v", err, w)
			}
		}},
		{"redraw", []string{"create W"}, "redraw W every 2", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if w, _ := s.Window("W"); err != nil || w.Every != 2*time.Minute {
				t.Fatalf("%v %+v", err, w)
			}
		}},
		{"rename onto an existing window", []string{"create A", "create B"}, "rename A to B", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if err == nil || s.Windows[0].Name != "A" {
				t.Fatal(err)
			}
		}},
		{"close", []string{"create A", "create B"}, "close A", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if err != nil || len(s.Windows) != 1 || s.Windows[0].Name != "B" {
				t.Fatalf("%v %+v", err, s.Windows)
			}
		}},
		{"variables substitute", []string{"set w Earth", "set m battle.ships"}, "draw $m.built in $w", func(t *testing.T, s *query.Session, _ query.Result, err error) {
			if w, ok := s.Window("Earth"); err != nil || !ok || w.Targets[0].Expr != "battle.ships.built" {
				t.Fatalf("%v %+v", err, s.Windows)
			}
		}},
		{"undefined variable", nil, "create $nope", func(t *testing.T, _ *query.Session, _ query.Result, err error) {
			var se *query.SyntaxError
			if !errors.As(err, &se) || se.Pos != 7 || se.Found != "$nope" {
				t.Fatalf("%v", err)
			}
		}},
		{"vars and unset", []string{"set b 2", "set a 1", "unset b"}, "vars", func(t *testing.T, _ *query.Session, res query.Result, err error) {
			if err != nil || res.Output != "a = 1" {
				t.Fatalf("%v %q", err, res.Output)
			}
		}},
		{"find", nil, "find DESTROYED.(laser|phaser)", func(t *testing.T, _ *query.Session, res query.Result, err error) {
			if err != nil || res.Output != "battle.ships.destroyed.laser\nbattle.ships.destroyed.phaser" {
				t.Fatalf("%v %q", err, res.Output)
			}
		}},
		{"effects", nil, "group by appType", func(t *testing.T, _ *query.Session, res query.Result, err error) {
			if err != nil || !reflect.DeepEqual(res.Effects, []query.Effect{query.GroupBy{Key: "appType"}}) {
				t.Fatalf("%v %#v", err, res.Effects)
			}
		}},
		{"set theme is an effect, not a variable", nil, "set theme light", func(t *testing.T, s *query.Session, res query.Result, err error) {
			if err != nil || len(s.Vars) != 0 || !reflect.DeepEqual(res.Effects, []query.Effect{query.SetTheme{Name: "light"}}) {
				t.Fatalf("%v %#v", err, res.Effects)
			}
		}},
		{"help names every verb", nil, "help", func(t *testing.T, _ *query.Session, res query.Result, err error) {
			for _, v := range query.Verbs() {
				if !strings.Contains(res.Output, v) {
					t.Errorf("help lacks %s", v)
				}
			}
		}},
		{"help of an unknown verb", nil, "help frob", func(t *testing.T, _ *query.Session, _ query.Result, err error) {
			if err == nil {
				t.Fatal("no error")
			}
		}},
		{"rmview of a missing view", nil, "rmview nothing", func(t *testing.T, _ *query.Session, _ query.Result, err error) {
			if err == nil {
				t.Fatal("no error")
			}
		}},
		{"comment and blank lines do nothing", nil, "   # draw a.b in W", func(t *testing.T, s *query.Session, res query.Result, err error) {
			if err != nil || len(s.Windows) != 0 || res.Output != "" {
				t.Fatal(err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _, _ := newSession(t)
			run(t, s, c.setup...)
			res, err := s.Execute(ctx, c.line)
			c.check(t, s, res, err)
		})
	}
}

func TestViewVerbsWithoutStore(t *testing.T) {
	s := &query.Session{}
	for _, l := range []string{"save v", "load v", "views", "rmview v"} {
		if _, err := s.Execute(context.Background(), l); !errors.Is(err, query.ErrNoViewStore) {
			t.Errorf("%s: %v", l, err)
		}
	}
}

func TestViewsListsBadFilesAsWarnings(t *testing.T) {
	s, _, store := newSession(t)
	run(t, s, "create A", "save good")
	if err := os.WriteFile(filepath.Join(store.Dir(), "bad.yaml"), []byte("version: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run(t, s, "views")
	if !strings.HasPrefix(res.Output, "good: A\nwarning: ") || !strings.Contains(res.Output, "bad.yaml") {
		t.Fatalf("views output %q", res.Output)
	}
	run(t, s, "rmview good")
	if _, err := store.Load("good"); err == nil {
		t.Fatal("rmview left the view")
	}
}

func TestComplete(t *testing.T) {
	s, _, store := newSession(t)
	run(t, s, "create Earth_Defense", "create Mars", "save laserreport", "save lasergun")
	h, _ := query.OpenHistory("", 10)
	h.Add("draw battle.ships.built in Mars")
	h.Add("create Venus")
	s.History = h
	_ = store
	cases := []struct {
		line, want string
		cands      []string
	}{
		{"cr", "create ", []string{"create"}},
		{"re", "re", []string{"redraw", "remove", "rename"}},
		{"draw batt", "draw battle.", []string{"battle."}},
		{"draw battle.ships.d", "draw battle.ships.destroyed.", []string{"battle.ships.destroyed."}},
		{"draw battle.ships.destroyed.", "draw battle.ships.destroyed.", []string{"battle.ships.destroyed.laser", "battle.ships.destroyed.phaser", "battle.ships.destroyed.torpedo"}},
		{"draw sum(battle.ships.destroyed.t", "draw sum(battle.ships.destroyed.torpedo", []string{"battle.ships.destroyed.torpedo"}},
		{"draw a.b, battle.*.b", "draw a.b, battle.*.built", []string{"battle.*.built"}},
		{"draw sumS", "draw sumSeries(", []string{"sumSeries("}},
		{"draw battle.ships.built in E", "draw battle.ships.built in Earth_Defense ", []string{"Earth_Defense"}},
		{"add x to M", "add x to Mars ", []string{"Mars"}},
		{"change E", "change Earth_Defense ", []string{"Earth_Defense"}},
		{"change Mars area", "change Mars area", []string{"areaAlpha", "areaMode"}},
		{"change Mars areaM", "change Mars areaMode ", []string{"areaMode"}},
		{"change Mars areaMode to st", "change Mars areaMode to stacked ", []string{"stacked"}},
		{"load laser", "load laser", []string{"lasergun", "laserreport"}},
		{"load laserr", "load laserreport ", []string{"laserreport"}},
		{"!cr", "create Venus", []string{"create Venus"}},
		{"!", "!", []string{"create Venus", "draw battle.ships.built in Mars"}},
		{"frob x", "frob x", nil},
	}
	for _, c := range cases {
		got, cands := s.Complete(context.Background(), c.line, len(c.line))
		if got != c.want || !reflect.DeepEqual(cands, c.cands) {
			t.Errorf("Complete(%q) = %q %q, want %q %q", c.line, got, cands, c.want, c.cands)
		}
	}
	// completion in the middle of a line keeps the tail
	got, _ := s.Complete(context.Background(), "draw batt in Mars", len("draw batt"))
	if got != "draw battle. in Mars" {
		t.Errorf("mid-line completion: %q", got)
	}
}

func TestHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "fleettop", "history")
	h, err := query.OpenHistory(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"create A", "create A", "  ", "draw a.b in A", "save v", "views"} {
		if err := h.Add(l); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.Entries(); !reflect.DeepEqual(got, []string{"draw a.b in A", "save v", "views"}) {
		t.Fatalf("entries %q", got)
	}
	if p := h.Prev("typing"); p != "views" {
		t.Fatalf("prev %q", p)
	}
	h.Prev("")
	if p := h.Prev(""); p != "draw a.b in A" {
		t.Fatalf("prev x3 %q", p)
	}
	if p := h.Prev(""); p != "draw a.b in A" {
		t.Fatalf("prev past the oldest %q", p)
	}
	h.Next("")
	h.Next("")
	if n := h.Next(""); n != "typing" {
		t.Fatalf("next back to the draft %q", n)
	}
	if n := h.Next("still typing"); n != "still typing" {
		t.Fatalf("next without navigation %q, want the line left as it is", n)
	}
	h.Prev("x")
	h.Rewind()
	if p := h.Prev("again"); p != "views" {
		t.Fatalf("prev after rewind %q, want the newest", p)
	}
	if n := h.Next(""); n != "again" {
		t.Fatalf("next after rewind %q, want the line typed when navigation started again", n)
	}
	if got, err := h.Expand("!dr"); err != nil || got != "draw a.b in A" {
		t.Fatalf("expand %q %v", got, err)
	}
	if _, err := h.Expand("!zzz"); err == nil {
		t.Fatal("expand of nothing")
	}
	// persisted across runs
	h2, err := query.OpenHistory(path, 3)
	if err != nil || !reflect.DeepEqual(h2.Entries(), h.Entries()) {
		t.Fatalf("reloaded %q %v", h2.Entries(), err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("history file mode: %v %v", info, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("stray files beside the history: %v", entries)
	}
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if p, _ := query.DefaultHistoryPath(); p != "/x/state/fleettop/history" {
		t.Fatalf("DefaultHistoryPath %s", p)
	}
	t.Setenv("XDG_STATE_HOME", "x/state") // relative: ignored, as the XDG spec requires
	t.Setenv("HOME", "/home/u")
	if p, _ := query.DefaultHistoryPath(); p != "/home/u/.local/state/fleettop/history" {
		t.Fatalf("DefaultHistoryPath with a relative XDG_STATE_HOME %s", p)
	}
}
