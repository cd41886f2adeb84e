package views

import (
	"errors"
	"github.com/fleettop/fleettop/internal/atomicfile"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

func sampleView(name string) query.View {
	ymin := 0.0
	return query.View{Name: name, Windows: []query.Window{
		{
			Name:    "Earth_Defense",
			Targets: []query.Target{{Expr: "battle.ships.destroyed.*"}, {Expr: "sum(battle.ships.destroyed.*)"}, {Expr: "holtWintersForecast(x.y)", Source: "graphite"}},
			From:    "-20min", Title: "Laser Batteries", YMin: &ymin, Every: 5 * time.Minute,
			Params: map[string]string{"areaMode": "stacked"},
			Layout: query.Layout{Top: 1, Left: 2, Width: 40, Height: 12},
		},
		{Name: "Mars", Targets: []query.Target{{Expr: "a.b"}}},
	}}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	s := New(filepath.Join(t.TempDir(), "fleettop", "views"))
	v := sampleView("laserreport")
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("laserreport")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Fatalf("round trip:\n got %#v\nwant %#v", got, v)
	}
	data, err := os.ReadFile(filepath.Join(s.Dir(), "laserreport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"version: 1", "- battle.ships.destroyed.*", "source: graphite", "every: 5m0s", "title: Laser Batteries"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("file lacks %q:\n%s", want, data)
		}
	}
	// saving again replaces the view
	v.Windows = v.Windows[1:]
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Load("laserreport"); len(got.Windows) != 1 {
		t.Fatalf("overwrite kept %d windows", len(got.Windows))
	}
}

func TestSaveRejectsInvalidViews(t *testing.T) {
	s := New(t.TempDir())
	bad := sampleView("ok")
	bad.Windows[0].Targets = append(bad.Windows[0].Targets, query.Target{Expr: "nosuch(a.b)"})
	if err := s.Save(bad); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Fatalf("saved a view with an unknown function: %v", err)
	}
	if err := s.Save(query.View{Name: "../escape"}); err == nil {
		t.Fatal("saved a view named ../escape")
	}
	dup := sampleView("dup")
	dup.Windows[1].Name = dup.Windows[0].Name
	if err := s.Save(dup); err == nil {
		t.Fatal("saved two windows of one name")
	}
	if entries, _ := os.ReadDir(s.Dir()); len(entries) != 0 {
		t.Fatalf("failed saves left files: %v", entries)
	}
}

func TestListReportsBadFilesByNameAndKeepsTheOthers(t *testing.T) {
	dir := t.TempDir()
	s := New(dir)
	for _, n := range []string{"zeta", "alpha", "mid"} {
		if err := s.Save(sampleView(n)); err != nil {
			t.Fatal(err)
		}
	}
	bad := map[string]string{
		"broken.yaml":    "version: 1\nwindows: [\n",
		"unknown.yaml":   "version: 1\nwindows:\n  - name: W\n    colour: red\n",
		"badtarget.yaml": "version: 1\nwindows:\n  - name: W\n    targets: [\"sum(a.*\"]\n",
		"future.yaml":    "version: 2\nwindows: []\n",
		"empty.yaml":     "",
		"bad name!.yaml": "version: 1\n",
	}
	for name, body := range bad {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// an interrupted save leaves a hidden temporary file; it is not a view
	if err := os.WriteFile(filepath.Join(dir, ".alpha.yaml.123.tmp"), []byte("version: 1\nwin"), 0o644); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	var names []string
	for _, v := range list {
		names = append(names, v.Name)
	}
	if strings.Join(names, ",") != "alpha,mid,zeta" {
		t.Fatalf("List = %v", names)
	}
	if err == nil {
		t.Fatal("bad files not reported")
	}
	for name := range bad {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Errorf("error is not a *FileError: %v", err)
	}
	v, err := s.Nth(2)
	if err != nil || v.Name != "mid" {
		t.Fatalf("Nth(2) = %v, %v", v.Name, err)
	}
	if _, err := s.Nth(4); err == nil {
		t.Fatal("Nth(4) of 3 views")
	}
	if _, err := s.Nth(0); err == nil {
		t.Fatal("Nth(0)")
	}
}

func TestDeleteAndMissing(t *testing.T) {
	s := New(t.TempDir())
	if err := s.Save(sampleView("gone")); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("gone"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load after Delete: %v", err)
	}
	if err := s.Delete("gone"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete twice: %v", err)
	}
	if list, err := New(filepath.Join(t.TempDir(), "absent")).List(); err != nil || len(list) != 0 {
		t.Fatalf("List of a missing dir: %v %v", list, err)
	}
}

// An interrupted save (the rename or the sync fails, as on a full or failing disk) leaves the previous
// view intact and no stray file.
func TestInterruptedSaveKeepsThePreviousView(t *testing.T) {
	dir := t.TempDir()
	s := New(dir)
	old := sampleView("laserreport")
	if err := s.Save(old); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dir, "laserreport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	newer := old
	newer.Windows = old.Windows[1:]

	failRename := func(string, string) error { return errors.New("simulated crash before rename") }
	failSync := func(*os.File) error { return errors.New("simulated I/O error on fsync") }
	for name, setup := range map[string]func(){
		"rename": func() { atomicfile.Rename = failRename },
		"sync":   func() { atomicfile.Sync = failSync },
	} {
		t.Run(name, func(t *testing.T) {
			setup()
			defer func() { atomicfile.Rename, atomicfile.Sync = os.Rename, (*os.File).Sync }()
			if err := s.Save(newer); err == nil {
				t.Fatal("save succeeded")
			}
			after, err := os.ReadFile(filepath.Join(dir, "laserreport.yaml"))
			if err != nil || string(after) != string(before) {
				t.Fatalf("view file changed or vanished: %v", err)
			}
			if got, err := s.Load("laserreport"); err != nil || len(got.Windows) != 2 {
				t.Fatalf("previous view does not load: %v", err)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Fatalf("stray files after a failed save: %v", entries)
			}
		})
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/x/cfg")
	if d, _ := DefaultDir(); d != "/x/cfg/fleettop/views" {
		t.Fatalf("DefaultDir = %s", d)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/u")
	if d, _ := DefaultDir(); d != "/home/u/.config/fleettop/views" {
		t.Fatalf("DefaultDir fallback = %s", d)
	}
	t.Setenv("XDG_CONFIG_HOME", "relative/cfg") // the XDG spec: ignored
	if d, _ := DefaultDir(); d != "/home/u/.config/fleettop/views" {
		t.Fatalf("DefaultDir with a relative XDG_CONFIG_HOME = %s", d)
	}
}

func FuzzUnmarshal(f *testing.F) {
	good, err := Marshal(sampleView("v"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	for _, s := range []string{
		"", "version: 1\n", "version: 1\nwindows: [{name: W, targets: [a.b]}]\n",
		"version: 1\nwindows: [{name: W, targets: [{target: x, source: g}]}]\n",
		"version: 1\nwindows: [{name: W, yMin: .nan}]\n", "version: 1\nwindows: [{name: W, every: 5min}]\n",
		"a: &a [*a, *a]\n", "version: 1\n---\nversion: 1\n", "version: 1\nwindows: [{name: W, layout: {top: -1}}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Unmarshal("v", data)
		if err != nil {
			return
		}
		// a view that loads must save and load back the same
		again, err := Marshal(v)
		if err != nil {
			t.Fatalf("loaded view does not marshal: %v", err)
		}
		w, err := Unmarshal("v", again)
		if err != nil {
			t.Fatalf("re-marshalled view does not load: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(normalize(v), normalize(w)) {
			t.Fatalf("round trip changed the view:\n%#v\n%#v", v, w)
		}
	})
}

// normalize maps empty params to nil so round-trip comparison ignores that difference.
func normalize(v query.View) query.View {
	for i := range v.Windows {
		if len(v.Windows[i].Params) == 0 {
			v.Windows[i].Params = nil
		}
	}
	return v
}

func BenchmarkUnmarshal(b *testing.B) {
	data, err := Marshal(sampleView("v"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Unmarshal("v", data); err != nil {
			b.Fatal(err)
		}
	}
}

// Thresholds are saved with a view and load back the same; a bad one names itself.
func TestThresholdsRoundTrip(t *testing.T) {
	s := New(t.TempDir())
	v := sampleView("guard")
	clearLine := 1.5
	v.Thresholds = []query.Threshold{
		{Name: "web_5xx", Target: "groups.web.http.5xx_pct", Op: ">", Value: 5, For: 30 * time.Second},
		{Name: "hit", Target: "groups.*.memcache.hit_ratio", Op: "<", Value: 0.8, Clear: &clearLine},
	}
	if err := s.Save(v); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("guard")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Fatalf("round trip:\n got %#v\nwant %#v", got.Thresholds, v.Thresholds)
	}
	for _, c := range []struct{ yaml, want string }{
		{"version: 1\nthresholds: [{name: x, target: a.b, op: '=', value: 1}]\n", `operator "="`},
		{"version: 1\nthresholds: [{name: x, target: a.b, op: '>', value: 1, for: soon}]\n", "threshold 1 (x): for"},
		{"version: 1\nthresholds: [{name: x, target: a.b, op: '>', value: 1, clear: 2}]\n", "clear 2 is above 1"},
		{"version: 1\nthresholds: [{name: x, target: a.b, op: '>', value: 1}, {name: x, target: a.c, op: '<', value: 1}]\n", "appears twice"},
		{"version: 1\nthresholds: [{name: x, target: a.b, op: '>', value: 1, when: now}]\n", "when"},
	} {
		if _, err := Unmarshal("v", []byte(c.yaml)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error with %q", c.yaml, err, c.want)
		}
	}
}
