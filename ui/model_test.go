package ui

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/themes"
)

func newModelEnv(t *testing.T, opt Options, w, h int) (*Model, *fleetSource, *commandLine) {
	t.Helper()
	src := newFleetSource()
	cl := newCommandLine(src)
	if opt.Now == nil {
		opt.Now = fixedNow
	}
	m, err := New(src, cl, opt)
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, src, cl
}

func TestNoColorAndDumbTerminal(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Theme: themes.Dark, Environ: []string{"NO_COLOR=1", "TERM=xterm"}}, 160, 48)
	if m.c.Theme.Name != themes.Mono {
		t.Errorf("NO_COLOR: theme %s, want mono", m.c.Theme.Name)
	}
	if hasColour(m.Frame()) {
		t.Error("NO_COLOR: the frame has colour escapes")
	}
	m, _, _ = newModelEnv(t, Options{Environ: []string{"TERM=dumb"}}, 160, 48)
	frame := m.Frame()
	if hasColour(frame) {
		t.Error("TERM=dumb: the frame has colour escapes")
	}
	for _, r := range frame {
		if r >= 0x2500 && r <= 0x259f {
			t.Fatalf("TERM=dumb: box or block character %q in the frame", r)
		}
	}
	m, _, _ = newModelEnv(t, Options{ASCII: true, Environ: []string{"TERM=xterm"}}, 160, 48)
	if strings.ContainsAny(m.Frame(), "▁▂▃▄▅▆▇█") {
		t.Error("--ascii: block characters in the sparklines")
	}
	if !hasColour(m.Frame()) {
		t.Error("--ascii alone should keep colour")
	}
}

func TestUnknownTheme(t *testing.T) {
	if _, err := New(newFleetSource(), nil, Options{Theme: "nope", Environ: []string{}}); err == nil ||
		!strings.Contains(err.Error(), `theme "nope" not found`) {
		t.Errorf("err = %v", err)
	}
	user, err := themes.Parse([]byte("base: light\ncolors:\n  accent: \"#123456\"\n"), "mine")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(newFleetSource(), nil, Options{Theme: "mine", Themes: themes.NewCatalog([]themes.Theme{user}), Environ: []string{}})
	if err != nil || m.c.Theme.Name != "mine" {
		t.Fatalf("user theme: %v", err)
	}
}

func TestRefreshDefaults(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 80, 24)
	if m.refresh != time.Second {
		t.Errorf("refresh %v, want 1s", m.refresh)
	}
	m, _, _ = newModelEnv(t, Options{Environ: []string{"SSH_CONNECTION=10.0.0.1 5000 10.0.0.2 22"}}, 80, 24)
	if m.refresh != 2*time.Second {
		t.Errorf("over ssh refresh %v, want 2s", m.refresh)
	}
	m, _, _ = newModelEnv(t, Options{Environ: []string{}}, 80, 24)
	m.runCommand("set refresh 300ms")
	if m.refresh != 300*time.Millisecond {
		t.Errorf("refresh after `set refresh 300ms` %v", m.refresh)
	}
}

func TestSnapshotFiles(t *testing.T) {
	dir := t.TempDir()
	m, _, _ := newModelEnv(t, Options{Environ: []string{}, SnapDir: dir}, 120, 40)
	m.Update(press("ctrl+s"))
	txt := filepath.Join(dir, "fleettop-20260301-120000.txt")
	js := filepath.Join(dir, "fleettop-20260301-120000.json")
	if !strings.Contains(m.Screen(), "saved the screen to "+txt[:20]) {
		t.Errorf("no message saying where: %s", m.Screen())
	}
	screen, err := os.ReadFile(txt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(screen), "Top talkers") || strings.Contains(string(screen), "\x1b[") {
		t.Errorf("screen file: %q", screen[:200])
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var snap struct {
		Version uint64
		Groups  []struct {
			Name        string
			MemcacheHit *float64
		}
		Hosts []struct {
			Agent string
		}
	}
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatalf("snapshot JSON: %v", err)
	}
	if snap.Version != 1 || len(snap.Groups) != 5 || snap.Hosts[0].Agent == "" {
		t.Errorf("snapshot JSON content: %+v", snap)
	}
	for _, g := range snap.Groups {
		if g.Name == "db" && g.MemcacheHit != nil {
			t.Errorf("NaN hit ratio saved as %v, want null", *g.MemcacheHit)
		}
	}
	// byte for byte what --snapshot-json writes for the same snapshot
	headless := filepath.Join(t.TempDir(), "snapshot.json")
	if err := m.snap.WriteJSONFile(headless); err != nil {
		t.Fatal(err)
	}
	if want, err := os.ReadFile(headless); err != nil || !bytes.Equal(data, want) {
		t.Errorf("ctrl+s JSON (%d bytes) differs from --snapshot-json's (%d bytes, %v)", len(data), len(want), err)
	}
	// without Options.SnapDir: $XDG_STATE_HOME/fleettop, created, and the message names it
	state := filepath.Join(t.TempDir(), "state")
	m3, _, _ := newModelEnv(t, Options{Environ: []string{"XDG_STATE_HOME=" + state}}, 120, 40)
	m3.Update(press("ctrl+s"))
	if _, err := os.Stat(filepath.Join(state, "fleettop", "fleettop-20260301-120000.json")); err != nil ||
		!strings.Contains(m3.Screen(), "saved the screen to "+filepath.Join(state, "fleettop")) {
		t.Errorf("save into XDG_STATE_HOME: %v; screen %s", err, m3.Screen())
	}
	bad := filepath.Join(dir, "missing", "dir")
	m2, _, _ := newModelEnv(t, Options{Environ: []string{}, SnapDir: bad}, 120, 40)
	m2.Update(press("ctrl+s"))
	if !strings.Contains(m2.Screen(), "save screen: open "+bad) {
		t.Errorf("a failed save is not reported with its path: %s", m2.Screen())
	}
}

func TestViewKeys(t *testing.T) {
	m, _, cl := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	m.Update(press("2"))
	if !strings.Contains(m.Screen(), "no view 2 (1 saved") {
		t.Errorf("missing view: %s", m.Screen())
	}
	m.Update(press("1"))
	if !strings.Contains(m.Screen(), "CPU by group") || !strings.Contains(m.Screen(), "loaded overview") {
		t.Errorf("view 1 not shown: %s", m.Screen())
	}
	if h := cl.History().Entries(); h[len(h)-1] != "load overview" {
		t.Errorf("history %q", h)
	}
	m.Update(press(":"))
	for _, r := range "views" {
		m.Update(press(string(r)))
	}
	m.Update(press("enter"))
	if !strings.Contains(m.Screen(), "Output  esc closes") || !strings.Contains(m.Screen(), "second") {
		t.Errorf("multi-line output not shown: %s", m.Screen())
	}
	m.Update(press(":"))
	if strings.Contains(m.Screen(), "Output  esc closes") || m.prompt != commandPrompt {
		t.Errorf("':' on the output did not close it and open the command line:\n%s", m.Screen())
	}
}

func TestNoSnapshotYet(t *testing.T) {
	m, err := New(emptySource{}, nil, Options{Now: fixedNow, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, k := range []string{"enter", "g", "/", ":", "1", "tab", "s", "o", "t", "esc"} {
		m.Update(press(k))
		m.Update(press("esc"))
	}
	if !strings.Contains(m.Screen(), "waiting for the first snapshot") {
		t.Errorf("screen: %s", m.Screen())
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 10})
	m.Update(resizeMsg{seq: m.resizeSeq})
	if !strings.Contains(m.Screen(), "waiting for the first snapshot") {
		t.Errorf("small screen: %s", m.Screen())
	}
}

type emptySource struct{}

func (emptySource) Snapshot() *model.Snapshot { return nil }
func (emptySource) SetGroupBy(string)         {}

func TestResizeCoalesced(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	stale := resizeMsg{seq: m.resizeSeq}
	m.Update(tea.WindowSizeMsg{Width: 90, Height: 25})
	m.Update(stale)
	if m.w != 160 {
		t.Errorf("a superseded resize was applied: %dx%d", m.w, m.h)
	}
	m.Update(resizeMsg{seq: m.resizeSeq})
	if m.w != 90 || m.h != 25 {
		t.Errorf("size %dx%d, want 90x25", m.w, m.h)
	}
}

func TestFramesOnlyWhenSomethingChanged(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	built := m.framesBuilt
	m.Update(dataTickMsg{}) // same snapshot version
	m.View()
	m.View()
	if m.framesBuilt != built {
		t.Errorf("a tick without new data rebuilt the frame (%d → %d)", built, m.framesBuilt)
	}
	m.Update(press("tab"))
	if m.framesBuilt == built {
		t.Error("a focus change did not rebuild the frame")
	}
	if m.urls.dirty {
		t.Error("an unfocused pane is still dirty after the frame")
	}
}

func TestTerminalInjectionIsEscaped(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	if strings.Contains(m.Frame(), "\x1b[31mred") {
		t.Error("a URL's escape sequence reached the terminal")
	}
	if !strings.Contains(m.Screen(), `\x1b[31m`) {
		t.Error("the escaped URL is not shown")
	}
}

func TestChartEdgeCases(t *testing.T) {
	c := testCommon(t, themes.Dark)
	nan := math.NaN()
	cases := map[string]chartSpec{
		"empty":    {title: "empty"},
		"all NaN":  {title: "nan", series: []ChartSeries{{Name: "a", Points: []float64{nan, nan}}}},
		"inf":      {title: "inf", series: []ChartSeries{{Name: "a", Points: []float64{1, math.Inf(1), 3, math.Inf(-1)}}}},
		"one":      {title: "one", series: []ChartSeries{{Name: "a", Points: []float64{5}}}},
		"flat":     {title: "flat", series: []ChartSeries{{Name: "a", Points: []float64{0, 0, 0}}}},
		"error":    {title: "err", err: "graphite: 502", series: []ChartSeries{{Name: "a", Points: []float64{nan}}}},
		"partial":  {title: "partial", err: "1 of 2 targets failed", series: []ChartSeries{{Name: "a", Points: []float64{1, 2, 3}}}},
		"huge":     {title: "huge", series: []ChartSeries{{Name: "a", Points: []float64{-1e300, 1e300}}}},
		"no range": {title: "axis", start: fixtureTime, end: fixtureTime, series: []ChartSeries{{Name: "a", Points: []float64{1, 2}}}},
	}
	for name, spec := range cases {
		for _, sz := range [][2]int{{80, 12}, {30, 5}, {12, 3}, {5, 1}} {
			out := renderChart(c, spec, sz[0], sz[1])
			checkBlock(t, name, out, sz[0], sz[1])
		}
	}
	if out := renderChart(c, cases["error"], 60, 10); !strings.Contains(out, "error: graphite: 502") {
		t.Errorf("error not shown:\n%s", out)
	}
	if out := renderChart(c, cases["all NaN"], 60, 10); !strings.Contains(out, "no data in this range") {
		t.Errorf("all-NaN not said:\n%s", out)
	}
}

// ↑ and ↓ browse the console's history and give back the half-typed line after the newest command; a prompt
// opened again starts from the newest command.
func TestPromptHistoryKeepsTheTypedLine(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	for _, line := range []string{"load overview", "views"} {
		m.runCommand(line)
	}
	typeKeys := func(keys ...string) {
		for _, k := range keys {
			m.Update(press(k))
		}
	}
	typeKeys(":", "d", "r", "a")
	for _, step := range []struct{ key, want string }{
		{"up", "views"}, {"up", "load overview"}, {"up", "load overview"}, {"down", "views"}, {"down", "dra"},
		{"down", "dra"},
	} {
		typeKeys(step.key)
		if got := m.input.Value(); got != step.want {
			t.Fatalf("after %s: %q, want %q", step.key, got, step.want)
		}
	}
	typeKeys("up", "esc", ":", "up")
	if got := m.input.Value(); got != "views" {
		t.Errorf("a new prompt's ↑: %q, want the newest command", got)
	}
}
