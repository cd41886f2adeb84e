package query_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

func fptr(v float64) *float64 { return &v }

func TestParseThreshold(t *testing.T) {
	cases := []struct {
		line string
		want query.Threshold
	}{
		{"threshold web_5xx groups.web.http.5xx_pct > 5 for 30s",
			query.Threshold{Name: "web_5xx", Target: "groups.web.http.5xx_pct", Op: ">", Value: 5, For: 30 * time.Second}},
		{"threshold all_5xx groups.*.http.5xx_pct >= 2.5",
			query.Threshold{Name: "all_5xx", Target: "groups.*.http.5xx_pct", Op: ">=", Value: 2.5}},
		{"threshold hit groups.memcached.memcache.hit_ratio < 80 clear 85 for 5min",
			query.Threshold{Name: "hit", Target: "groups.memcached.memcache.hit_ratio", Op: "<", Value: 80, For: 5 * time.Minute, Clear: fptr(85)}},
		{"threshold low sumSeries(groups.*.hosts)<=-1e3",
			query.Threshold{Name: "low", Target: "sumSeries(groups.*.hosts)", Op: "<=", Value: -1000}},
		{"threshold a.b-c x.y > 0 for 1m30s clear -1",
			query.Threshold{Name: "a.b-c", Target: "x.y", Op: ">", Value: 0, For: 90 * time.Second, Clear: fptr(-1)}},
	}
	for _, c := range cases {
		cmd, err := query.ParseCommand(c.line)
		if err != nil {
			t.Errorf("ParseCommand(%q): %v", c.line, err)
			continue
		}
		got, ok := cmd.(query.SetThreshold)
		if !ok || !reflect.DeepEqual(got.Threshold, c.want) {
			t.Errorf("ParseCommand(%q) = %#v, want %#v", c.line, cmd, c.want)
			continue
		}
		// the threshold's own spelling parses back to it
		again, err := query.ParseCommand(got.Threshold.String())
		if err != nil || !reflect.DeepEqual(again.(query.SetThreshold).Threshold, c.want) {
			t.Errorf("%q does not parse back: %v %#v", got.Threshold.String(), err, again)
		}
	}
}

func TestParseThresholdErrors(t *testing.T) {
	cases := []struct {
		line     string
		pos      int
		expected string
	}{
		{"threshold", 9, "a threshold name"},
		{"threshold -x a.b > 1", 10, "a threshold name"},
		{"threshold x", 11, "a metric path"},
		{"threshold x a.b", 15, "an operator"},
		{"threshold x a.b = 1", 16, "an operator"},
		{"threshold x a.b > ", 18, "a number"},
		{"threshold x a.b > five", 18, "a number"},
		{"threshold x a.b > NaN", 18, "a number"},
		{"threshold x a.b > 1 for", 23, "a duration"},
		{"threshold x a.b > 1 for ever", 24, "a duration"},
		{"threshold x a.b > 1 for 25h", 24, "a duration from 0s to 24h"},
		{"threshold x a.b > 1 for 5s for 6s", 27, "each option once"},
		{"threshold x a.b > 1 until 5", 20, "for, clear or end of line"},
		{"threshold x a.b > 5 clear 6", 27, "clear 6 is above 5"},
		{"threshold x a.b < 5 clear 4", 27, "clear 4 is below 5"},
		{"threshold x nosuchfn(a.b) > 5", 12, "function"},
		{"rmthreshold", 11, "a threshold name"},
		{"thresholds x", 11, "end of line"},
	}
	for _, c := range cases {
		_, err := query.ParseCommand(c.line)
		var se *query.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseCommand(%q): %v, want a *SyntaxError", c.line, err)
			continue
		}
		if se.Pos != c.pos || !strings.Contains(se.Error(), c.expected) {
			t.Errorf("ParseCommand(%q): %v (at %d); want position %d expecting %q", c.line, se, se.Pos, c.pos, c.expected)
		}
	}
}

func TestThresholdLines(t *testing.T) {
	up := query.Threshold{Op: ">", Value: 5}
	down := query.Threshold{Op: "<=", Value: 80}
	zero := query.Threshold{Op: ">", Value: 0}
	cases := []struct {
		t               query.Threshold
		v               float64
		beyond, cleared bool
	}{
		{up, 5, false, false}, // at the line: neither
		{up, 5.01, true, false},
		{up, 4.6, false, false}, // within the margin
		{up, 4.5, false, true},  // 10 % below clears
		{up, math.NaN(), false, false},
		{down, 80, true, false},
		{down, 87.9, false, false},
		{down, 88, false, false}, // `<=` clears past the line, as it raises at it
		{down, 88.1, false, true},
		{zero, 0.001, true, false},
		{zero, 0, false, true},
		{query.Threshold{Op: ">", Value: 5, Clear: fptr(1)}, 2, false, false},
		{query.Threshold{Op: ">", Value: 5, Clear: fptr(1)}, 1, false, true},
	}
	for _, c := range cases {
		if b, cl := c.t.Beyond(c.v), c.t.Cleared(c.v); b != c.beyond || cl != c.cleared {
			t.Errorf("%s %v, clear line %v, value %v: beyond %v cleared %v, want %v %v", c.t.Op, c.t.Value, c.t.ClearLine(), c.v, b, cl, c.beyond, c.cleared)
		}
	}
}

func TestThresholdVerbs(t *testing.T) {
	s, _, _ := newSession(t)
	run(t, s, "threshold laser battle.ships.destroyed.* > 3 for 1min", "threshold built battle.ships.built > 10")
	if got := s.ThresholdNames(); !reflect.DeepEqual(got, []string{"laser", "built"}) {
		t.Fatalf("thresholds %v", got)
	}
	out := run(t, s, "thresholds").Output
	if !strings.Contains(out, "laser: battle.ships.destroyed.* > 3 for 1m0s, clears at 2.7") || !strings.Contains(out, "built: battle.ships.built > 10 for 0s, clears at 9") {
		t.Fatalf("thresholds output:\n%s", out)
	}
	// redefining replaces, in place
	before := s.Thresholds
	run(t, s, "threshold laser battle.ships.destroyed.laser > 4")
	if len(s.Thresholds) != 2 || s.Thresholds[0].Target != "battle.ships.destroyed.laser" {
		t.Fatalf("redefined: %+v", s.Thresholds)
	}
	if before[0].Target != "battle.ships.destroyed.*" {
		t.Fatal("redefining changed a copy taken before")
	}
	run(t, s, "rmthreshold laser")
	if got := s.ThresholdNames(); !reflect.DeepEqual(got, []string{"built"}) {
		t.Fatalf("after rmthreshold: %v", got)
	}
	if _, err := s.Execute(context.Background(), "rmthreshold laser"); err == nil || !strings.Contains(err.Error(), "defined: built") {
		t.Fatalf("rmthreshold of an unknown name: %v", err)
	}
	if _, err := s.Execute(context.Background(), "threshold x a.b > 1 on nowhere"); err == nil {
		t.Fatal("an option thresholds do not take was accepted")
	}
	for i := len(s.Thresholds); i < query.MaxThresholds; i++ {
		run(t, s, "threshold t"+strconv.Itoa(i)+" a.b > 1")
	}
	if _, err := s.Execute(context.Background(), "threshold one_too_many a.b > 1"); err == nil {
		t.Fatalf("threshold %d accepted", query.MaxThresholds+1)
	}
}

// Thresholds are saved with views: `load` restores them (replacing the session's), `load above` merges them.
func TestThresholdsSavedWithViews(t *testing.T) {
	s, _, store := newSession(t)
	run(t, s, "create W", "threshold laser battle.ships.destroyed.* > 3 for 30s clear 1", "threshold built battle.ships.built > 10")
	if out := run(t, s, "save guard").Output; out != "saved view guard: W; thresholds laser,built" {
		t.Fatalf("save: %q", out)
	}
	v, err := store.Load("guard")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v.Thresholds, s.Thresholds) {
		t.Fatalf("stored %+v, want %+v", v.Thresholds, s.Thresholds)
	}
	saved := s.Thresholds
	run(t, s, "rmthreshold laser", "threshold other a.b < 1")
	run(t, s, "load guard")
	if !reflect.DeepEqual(s.Thresholds, saved) {
		t.Fatalf("load: %+v, want %+v", s.Thresholds, saved)
	}
	run(t, s, "close *", "rmthreshold laser", "threshold built a.b > 99", "threshold other a.b < 1", "load guard above")
	if got := s.ThresholdNames(); !reflect.DeepEqual(got, []string{"built", "other", "laser"}) || s.Thresholds[0].Value != 10 {
		t.Fatalf("load above: %+v", s.Thresholds)
	}
	if out := run(t, s, "views").Output; out != "guard: W; thresholds laser,built" {
		t.Fatalf("views: %q", out)
	}
}

// A script defines thresholds; a failing `source` leaves the session's thresholds as they were.
func TestThresholdsFromScript(t *testing.T) {
	s, _, _ := newSession(t)
	script := "# page when web answers errors\nthreshold web_5xx groups.web.http.5xx_pct > 5 for 30s\nthresholds\n"
	var out bytes.Buffer
	if err := query.RunScriptContext(context.Background(), strings.NewReader(script), s, &out); err != nil {
		t.Fatal(err)
	}
	if len(s.Thresholds) != 1 || s.Thresholds[0].For != 30*time.Second {
		t.Fatalf("thresholds %+v", s.Thresholds)
	}
	if !strings.Contains(out.String(), "web_5xx: groups.web.http.5xx_pct > 5 for 30s, clears at 4.5") {
		t.Fatalf("output %q", out.String())
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("threshold extra a.b > 1\nthreshold broken a.b >\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Dir = dir
	if _, err := s.Execute(context.Background(), "source bad.txt"); err == nil {
		t.Fatal("a failing source succeeded")
	}
	if got := s.ThresholdNames(); !reflect.DeepEqual(got, []string{"web_5xx"}) {
		t.Fatalf("a failing source left %v", got)
	}
}

func TestCompleteThreshold(t *testing.T) {
	s, _, _ := newSession(t)
	run(t, s, "threshold laser battle.ships.destroyed.laser > 3", "threshold lazy battle.ships.built > 1")
	cases := []struct {
		line, want string
		cands      []string
	}{
		{"thresh", "threshold", []string{"threshold", "thresholds"}},
		{"rmth", "rmthreshold ", []string{"rmthreshold"}},
		{"rmthreshold la", "rmthreshold la", []string{"laser", "lazy"}},
		{"rmthreshold las", "rmthreshold laser ", []string{"laser"}},
		{"threshold new battle.ships.b", "threshold new battle.ships.built", []string{"battle.ships.built"}},
		{"threshold new a.b ", "threshold new a.b ", []string{"<", "<=", ">", ">="}},
		{"threshold new a.b > ", "threshold new a.b > ", nil},
		{"threshold new a.b > 5 ", "threshold new a.b > 5 ", []string{"clear", "for"}},
		{"threshold new a.b > 5 for 30s ", "threshold new a.b > 5 for 30s clear ", []string{"clear"}},
		{"threshold new a.b > 5 for ", "threshold new a.b > 5 for ", nil},
	}
	for _, c := range cases {
		got, cands := s.Complete(context.Background(), c.line, len(c.line))
		if got != c.want || !reflect.DeepEqual(cands, c.cands) {
			t.Errorf("Complete(%q) = %q %q, want %q %q", c.line, got, cands, c.want, c.cands)
		}
	}
	if out := run(t, s, "help threshold").Output; !strings.Contains(out, "threshold NAME TARGET >|>=|<|<= VALUE [for D] [clear C]") {
		t.Fatalf("help: %q", out)
	}
}

func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{
		"threshold web_5xx groups.web.http.5xx_pct > 5 for 30s", "threshold a groups.*.http.5xx_pct >= 2.5 clear 1",
		"threshold h groups.memcached.memcache.hit_ratio < 80 for 5min clear 85", "threshold x a.b<=-1e3",
		"rmthreshold web_5xx", "thresholds", "threshold x sumSeries(a.*) > 1 for 1h30m", "threshold x a.b > 1 for",
		"threshold x a.b >", "threshold x a.b > 5 clear 6",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		cmd, err := query.ParseCommand(line)
		if err != nil {
			var se *query.SyntaxError
			if !errors.As(err, &se) || se.Pos < 0 || se.Pos > len(line) {
				t.Fatalf("%q: bad error %v", line, err)
			}
			return
		}
		st, ok := cmd.(query.SetThreshold)
		if !ok {
			return
		}
		// a threshold that parses is valid, and its own spelling parses back to it
		if err := query.CheckThreshold(st.Threshold); err != nil {
			t.Fatalf("%q parsed to an invalid threshold: %v", line, err)
		}
		again, err := query.ParseCommand(st.Threshold.String())
		if err != nil {
			t.Fatalf("%q: its spelling %q does not parse: %v", line, st.Threshold.String(), err)
		}
		if !reflect.DeepEqual(again.(query.SetThreshold).Threshold, st.Threshold) {
			t.Fatalf("%q: %#v parsed back as %#v", line, st.Threshold, again)
		}
		if st.Threshold.Beyond(st.Threshold.ClearLine()) && st.Threshold.Cleared(st.Threshold.ClearLine()) {
			t.Fatalf("%q: the clear line is both beyond and cleared", line)
		}
	})
}
