package query_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/model/views"
)

// battleFleet is the Earth_Defense data: three weapons' destroyed-ship counts every minute for an hour.
func battleFleet(now time.Time) *memSource {
	start := now.Add(-time.Hour).Unix()
	mk := func(name string, f func(i int) float64) query.Series {
		vals := make([]float64, 60)
		for i := range vals {
			vals[i] = f(i)
		}
		return query.Series{Name: name, Start: start, Step: 60, Values: vals}
	}
	return newMemSource(
		mk("battle.ships.destroyed.laser", func(i int) float64 { return float64(i % 5) }),
		mk("battle.ships.destroyed.torpedo", func(i int) float64 {
			if i%10 == 0 {
				return null
			}
			return 2
		}),
		mk("battle.ships.destroyed.phaser", func(int) float64 { return 1 }),
		mk("battle.ships.built", func(i int) float64 { return float64(i) }),
	)
}

func newSession(t *testing.T) (*query.Session, *memSource, *views.Store) {
	t.Helper()
	now := time.Unix(1_800_000_000, 0)
	src := battleFleet(now)
	store := views.New(filepath.Join(t.TempDir(), "views"))
	s := &query.Session{
		Views: store,
		Eval:  &query.Evaluator{Origins: []query.Origin{{Name: "local", Source: src}}},
		Now:   func() time.Time { return now },
	}
	return s, src, store
}

const earthDefense = `# The Graphite CLI tutorial, as a fleettop script
create Earth_Defense
draw battle.ships.destroyed.* in Earth_Defense
change Earth_Defense from to -20min
change Earth_Defense title to "Laser Batteries"
add sum(battle.ships.destroyed.*) to Earth_Defense

set weapon laser
create Lasers
draw battle.ships.destroyed.$weapon|scale(10) in Lasers every 5
change * vtitle to ships
save laserreport
views
url Earth_Defense
`

func TestEarthDefenseScript(t *testing.T) {
	s, _, store := newSession(t)
	var out bytes.Buffer
	if err := query.RunScriptContext(context.Background(), strings.NewReader(earthDefense), s, &out); err != nil {
		t.Fatalf("%v\noutput:\n%s", err, out.String())
	}
	if len(s.Windows) != 2 {
		t.Fatalf("windows: %+v", s.Windows)
	}
	w := s.Windows[0]
	if w.Name != "Earth_Defense" || w.From != "-20min" || w.Title != "Laser Batteries" || w.VTitle != "ships" {
		t.Fatalf("Earth_Defense = %+v", w)
	}
	wantTargets := []query.Target{{Expr: "battle.ships.destroyed.*"}, {Expr: "sum(battle.ships.destroyed.*)"}}
	if !reflect.DeepEqual(w.Targets, wantTargets) {
		t.Fatalf("targets %+v", w.Targets)
	}
	if l := s.Windows[1]; l.Targets[0].Expr != "battle.ships.destroyed.laser|scale(10)" || l.Every != 5*time.Minute {
		t.Fatalf("Lasers = %+v", l)
	}
	text := out.String()
	for _, want := range []string{
		"window Earth_Defense: from -24h until now",
		"battle.ships.destroyed.laser",
		"scale(battle.ships.destroyed.laser,10)",
		"saved view laserreport: Earth_Defense, Lasers",
		"laserreport: Earth_Defense,Lasers",
		"/render?target=battle.ships.destroyed.%2A&target=sum%28battle.ships.destroyed.%2A%29&from=-20min&title=Laser+Batteries&vtitle=ships",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// the laser series over the last 24h: the last hour of data, values i%5, last point 59%5 = 4
	if !strings.Contains(text, "last 4") || !strings.Contains(text, "max 4") {
		t.Errorf("laser summary wrong:\n%s", text)
	}
	if _, err := os.Stat(filepath.Join(store.Dir(), "laserreport.yaml")); err != nil {
		t.Fatalf("view file: %v", err)
	}

	// a fresh session restores the same windows from the file
	s2, _, _ := newSession(t)
	s2.Views = store
	if _, err := s2.Execute(context.Background(), "create Scratch"); err != nil {
		t.Fatal(err)
	}
	res, err := s2.Execute(context.Background(), "load laserreport")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s2.Windows, s.Windows) {
		t.Fatalf("load restored\n%+v\nwant\n%+v", s2.Windows, s.Windows)
	}
	if res.Output != "loaded view laserreport: Earth_Defense,Lasers" {
		t.Fatalf("load said %q", res.Output)
	}
	// load above keeps open windows, and refuses a clash
	if _, err := s2.Execute(context.Background(), "load laserreport above"); err == nil {
		t.Fatal("load above over the same windows succeeded")
	}
	if len(s2.Windows) != 2 {
		t.Fatalf("failed load above changed windows: %d", len(s2.Windows))
	}
	if _, err := s2.Execute(context.Background(), "rename Lasers to L2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Execute(context.Background(), "rename Earth_Defense to E2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Execute(context.Background(), "load laserreport above"); err != nil || len(s2.Windows) != 4 {
		t.Fatalf("load above: %v, %d windows", err, len(s2.Windows))
	}
}

func TestScriptStopsAtFirstErrorWithLineNumber(t *testing.T) {
	s, _, _ := newSession(t)
	script := "create A\n\n# comment\ndraw a.b in A\nchange A colour to red\ncreate B\n"
	var out bytes.Buffer
	err := query.RunScriptContext(context.Background(), strings.NewReader(script), s, &out)
	var se *query.ScriptError
	if !errors.As(err, &se) || se.Line != 5 {
		t.Fatalf("error %v, want line 5", err)
	}
	var syn *query.SyntaxError
	if !errors.As(err, &syn) || syn.Pos != 9 {
		t.Fatalf("error %v does not carry the position in the line", err)
	}
	if len(s.Windows) != 1 || s.Windows[0].Name != "A" {
		t.Fatalf("windows after the failure: %+v", s.Windows)
	}
}

func TestSourceVerbIsAllOrNothing(t *testing.T) {
	s, _, _ := newSession(t)
	dir := t.TempDir()
	s.Dir = dir
	good := filepath.Join(dir, "good.txt")
	bad := filepath.Join(dir, "bad.txt")
	loop := filepath.Join(dir, "loop.txt")
	os.WriteFile(good, []byte("create G\ndraw battle.ships.built in G\necho done\n"), 0o644)
	os.WriteFile(bad, []byte("create X\ncreate X\n"), 0o644)
	os.WriteFile(loop, []byte("source loop.txt\n"), 0o644)
	res, err := s.Execute(context.Background(), "source good.txt")
	if err != nil || len(s.Windows) != 1 || !strings.HasSuffix(res.Output, "done") {
		t.Fatalf("source good: %v %q %+v", err, res.Output, s.Windows)
	}
	if _, err := s.Execute(context.Background(), "source bad.txt"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("source bad: %v", err)
	}
	if len(s.Windows) != 1 {
		t.Fatalf("a failed source half-applied: %+v", s.Windows)
	}
	if _, err := s.Execute(context.Background(), "source loop.txt"); err == nil || !strings.Contains(err.Error(), "nested") {
		t.Fatalf("source loop: %v", err)
	}
}
