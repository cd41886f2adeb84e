package ui

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/fleettop/fleettop/themes"
)

// -update regenerates the golden files. teatest's golden package defines the same flag; share it when present.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestMain(m *testing.M) {
	time.Local = time.UTC // time axis labels are local time; goldens must not depend on the machine's zone
	os.Exit(m.Run())
}

var goldenSizes = [][2]int{{80, 24}, {120, 40}, {160, 48}}
var goldenThemes = []string{themes.Dark, themes.Light, themes.Mono}

// newTestModel builds a dashboard over the fixture fleet, sized and with the "overview" view's windows loaded.
func newTestModel(t testing.TB, theme string, w, h int) (*Model, *fleetSource, *commandLine) {
	t.Helper()
	src := newFleetSource()
	cl := newCommandLine(src)
	m, err := New(src, cl, Options{Theme: theme, Now: fixedNow, Environ: []string{"TERM=xterm-256color"}})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, src, cl
}

// checkBlock asserts every line fits in w cells and, when h > 0, that there are exactly h lines.
func checkBlock(t *testing.T, name, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if h > 0 && len(lines) != h {
		t.Errorf("%s: %d lines, want %d", name, len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s: line %d is %d cells wide, more than %d: %q", name, i+1, lw, w, ansi.Strip(l))
		}
	}
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// hasColour reports whether s sets a foreground or background colour (attributes such as bold do not count).
func hasColour(s string) bool {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			var n int
			fmt.Sscan(p, &n)
			if (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				return true
			}
		}
	}
	return false
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("%s differs from %s (run with -update after checking):\n--- got (plain)\n%s\n--- want (plain)\n%s",
			name, path, ansi.Strip(got), ansi.Strip(string(want)))
	}
}

// paneViews renders every pane on its own at w × h.
func paneViews(t *testing.T, m *Model, w, h int) map[string]string {
	t.Helper()
	out := map[string]string{}
	out["status"] = m.statusLine(w)
	out["groups"] = m.pane(paneGroups, w, h)
	out["talkers"] = m.pane(paneTalkers, w, h)
	m.talkers.NextMode()
	m.talkers.NextMode()
	out["talkers-pair"] = m.pane(paneTalkers, w, h)
	m.talkers.NextMode()
	out["urls"] = m.pane(paneURLs, w, h)
	out["keys"] = m.pane(paneKeys, w, h)
	out["windows"] = m.pane(paneWindows, w, h)
	m.hosts.SetRows(hostRows(m.snap, "web"))
	m.hosts.SetSize(w, h)
	out["hosts"] = m.hosts.View()
	m.host.SetHost(m.snap, fixtureHostID(0), m.names, m.c.Glyph.arrow)
	m.host.SetSize(w, h)
	out["host"] = m.host.View()
	out["help"] = m.helpView(w, h)
	m.openPicker()
	out["picker"] = m.pickerView(w, h)
	m.overlay = noOverlay
	return out
}

func TestGoldenPanes(t *testing.T) {
	for _, sz := range goldenSizes {
		for _, th := range goldenThemes {
			w, h := sz[0], sz[1]
			t.Run(fmt.Sprintf("%dx%d-%s", w, h, th), func(t *testing.T) {
				m, _, cl := newTestModel(t, th, w, h)
				if _, err := cl.Run("load overview"); err != nil {
					t.Fatal(err)
				}
				cl.Run("draw fleet.web.cpu")
				m.pollWindows()
				views := paneViews(t, m, w, h-2)
				for _, name := range slices.Sorted(maps.Keys(views)) {
					t.Run(name, func(t *testing.T) {
						view, id := views[name], fmt.Sprintf("%s-%dx%d-%s", name, w, h, th)
						lines := h - 2
						if name == "status" {
							lines = 1
						}
						checkBlock(t, id, view, w, lines)
						if th == themes.Mono && hasColour(view) {
							t.Errorf("%s: mono theme printed a colour escape", id)
						}
						golden(t, id, view)
					})
				}
			})
		}
	}
}

func TestGoldenScreen(t *testing.T) {
	for _, sz := range goldenSizes {
		for _, th := range goldenThemes {
			w, h := sz[0], sz[1]
			id := fmt.Sprintf("screen-%dx%d-%s", w, h, th)
			t.Run(id, func(t *testing.T) {
				m, _, cl := newTestModel(t, th, w, h)
				if _, err := cl.Run("load overview"); err != nil {
					t.Fatal(err)
				}
				m.Update(dataTickMsg{})
				frame := m.Frame()
				checkBlock(t, id, frame, w, h)
				if th == themes.Mono && hasColour(frame) {
					t.Errorf("%s: mono theme printed a colour escape", id)
				}
				if th != themes.Mono && !hasColour(frame) {
					t.Errorf("%s: a colour theme printed no colour", id)
				}
				golden(t, id, frame)
			})
		}
	}
}

// TestLayouts checks which panes each size shows, independent of the goldens.
func TestLayouts(t *testing.T) {
	cases := []struct {
		w, h      int
		want, not []string
	}{
		{160, 48, []string{"Groups", "Top talkers", "Hottest URLs", "Memcache keys", "Windows"}, []string{" Groups  Talkers"}},
		{120, 40, []string{"Groups", "Top talkers", "Windows"}, []string{" Groups  Talkers"}},
		{80, 24, []string{" Groups  Talkers  URLs  Keys  Windows", "Groups 5"}, []string{"Hottest URLs"}},
		{59, 30, []string{"needs 60×20, have 59×30", "datagrams/s 2.3k"}, []string{"Groups"}},
		{100, 19, []string{"needs 60×20, have 100×19", "ENC: ok"}, []string{"Groups"}},
	}
	for _, c := range cases {
		m, _, cl := newTestModel(t, themes.Dark, c.w, c.h)
		cl.Run("load overview")
		m.Update(dataTickMsg{})
		scr := m.Screen()
		for _, s := range c.want {
			if !strings.Contains(scr, s) {
				t.Errorf("%dx%d: screen lacks %q:\n%s", c.w, c.h, s, scr)
			}
		}
		for _, s := range c.not {
			if strings.Contains(scr, s) {
				t.Errorf("%dx%d: screen has %q:\n%s", c.w, c.h, s, scr)
			}
		}
		checkBlock(t, fmt.Sprintf("%dx%d", c.w, c.h), m.Frame(), c.w, c.h)
	}
}

// TestEveryWidthFits sweeps sizes between the golden ones: no line may overflow anywhere.
func TestEveryWidthFits(t *testing.T) {
	for _, th := range []string{themes.Dark, themes.Booth} {
		m, _, cl := newTestModel(t, th, 80, 24)
		cl.Run("load overview")
		for w := 40; w <= 250; w += 7 {
			for _, h := range []int{12, 20, 24, 31, 48, 70} {
				m.Update(tea.WindowSizeMsg{Width: w, Height: h})
				m.Update(resizeMsg{seq: m.resizeSeq})
				checkBlock(t, fmt.Sprintf("%s %dx%d", th, w, h), m.Frame(), w, h)
			}
		}
	}
}
