package ui

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/fleettop/fleettop/themes"
)

// SGR foreground sequences of the dark and light themes' body text (#d0d0d0, #262626).
const (
	darkText  = "38;2;208;208;208m"
	lightText = "38;2;38;38;38m"
)

func typeLine(f *flow, line string) {
	f.keys(":")
	for _, r := range line {
		if r == ' ' {
			f.keys("space")
			continue
		}
		f.keys(string(r))
	}
	f.keys("enter")
}

// footerSays holds when the screen's last line (the message area) starts with msg.
func footerSays(msg string) func(string) bool {
	return func(s string) bool {
		return strings.HasPrefix(s[strings.LastIndexByte(s, '\n')+1:], msg)
	}
}

func TestFlowSetTheme(t *testing.T) {
	user, err := themes.Parse([]byte("base: light\ncolors:\n  accent: \"#123456\"\n"), "mine")
	if err != nil {
		t.Fatal(err)
	}
	f := startFlowWith(t, 120, 40, Options{Themes: themes.NewCatalog([]themes.Theme{user})}, true)
	if fr := f.m.Frame(); !strings.Contains(fr, darkText) {
		t.Fatal("the dashboard does not start dark")
	}
	typeLine(f, "set theme light")
	f.waitFor("the theme message", footerSays("theme light"))
	if fr := f.m.Frame(); !strings.Contains(fr, lightText) || strings.Contains(fr, darkText) {
		t.Errorf("after set theme light the frame still paints dark text")
	}
	typeLine(f, "set theme nope")
	f.waitFor("the unknown theme error", footerSays(`theme "nope" not found: have booth, dark, light, mine, mono`))
	if fr := f.m.Frame(); !strings.Contains(fr, lightText) {
		t.Error("an unknown theme changed the theme")
	}
	typeLine(f, "set theme mine")
	f.waitFor("the user theme", footerSays("theme mine"))
	if fr := f.m.Frame(); !strings.Contains(fr, "38;2;18;52;86m") { // the user's accent
		t.Error("the user theme's accent is not painted")
	}
	typeLine(f, "set theme mono")
	f.waitFor("the mono theme", footerSays("theme mono"))
	if hasColour(f.m.Frame()) {
		t.Error("the mono theme still paints colour")
	}
}

func TestFlowSetThemeBoothRelaysOut(t *testing.T) {
	f := startFlowWith(t, 160, 48, Options{}, true)
	f.waitFor("the full layout", has("Top talkers", "Hottest URLs", "Memcache keys"))
	typeLine(f, "set theme booth")
	// booth is spacious: 160×48 is the two-column layout there, the keys under the URLs rather than beside them
	scr := f.waitFor("the booth layout", footerSays("theme booth"))
	for _, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, "Hottest URLs") && strings.Contains(l, "Memcache keys") {
			t.Errorf("booth at 160×48 still shows every pane side by side:\n%s", scr)
		}
	}
}

func TestFlowFilterCommand(t *testing.T) {
	f := startFlowWith(t, 160, 48, Options{}, true)
	typeLine(f, "filter db")
	scr := f.waitFor("the filter", footerSays("filter db on Groups"))
	if !strings.Contains(scr, "Groups filter db, 1/5") {
		t.Errorf("groups not filtered:\n%s", scr)
	}
	if strings.Contains(scr, "\ncache ") {
		t.Errorf("filtered groups still show cache:\n%s", scr)
	}
	typeLine(f, "filter !web")
	f.waitFor("the inverted filter", has("Groups filter !web, 4/5", "cache", "unclassified", "filter !web on Groups"))
	typeLine(f, "filter")
	f.waitFor("the filter cleared", has("Groups 5 ", "filter cleared on Groups"))
	f.keys("tab")
	typeLine(f, "filter web-02")
	f.waitFor("the talkers filtered", has("Top talkers by source, filter web-02, 1/14"))
	if scr := f.m.Screen(); !strings.Contains(scr, "Groups 5 ") {
		t.Errorf("the filter reached the groups table, not the focused one:\n%s", scr)
	}
}

func TestFlowFilterCommandWithoutTable(t *testing.T) {
	f := startFlowWith(t, 160, 48, Options{}, true)
	f.keys("down", "down", "down", "down", "enter", "enter") // web → web-01
	f.waitFor("the host view", has("groups by role › web › web-01"))
	typeLine(f, "filter x")
	f.waitFor("the warning", has("filter: nothing to filter here"))
}

func TestFlowClearAndInlineChart(t *testing.T) {
	f := startFlowWith(t, 120, 40, Options{}, true)
	typeLine(f, "bogus")
	f.waitFor("the error", footerSays(`col 1: unknown verb "bogus"`))
	typeLine(f, "clear")
	f.waitFor("the message cleared", func(s string) bool {
		return !strings.Contains(s, "bogus") && strings.Contains(s, "? help")
	})
	typeLine(f, "draw fleet.db.cpu")
	f.waitFor("the one-off chart", has("Chart  any key closes", "■ fleet.db.cpu", "drew fleet.db.cpu"))
	if scr := f.m.Screen(); strings.Contains(scr, "Windows 1") {
		t.Errorf("an inline draw opened a window:\n%s", scr)
	}
	f.keys("x")
	f.waitFor("the chart closed", func(s string) bool { return !strings.Contains(s, "Chart  any key closes") })
}

func TestActionsApplyInOrder(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 120, 40)
	m.act(SwitchTheme{Name: "light"})
	m.act(ClearMessages{})
	m.compose()
	if strings.Contains(m.Screen(), "theme light") {
		t.Error("clear after a theme switch left its message")
	}
	if m.c.Theme.Name != themes.Light {
		t.Errorf("theme %s", m.c.Theme.Name)
	}
	m.act(ClearMessages{})
	m.act(SwitchTheme{Name: "dark"})
	m.compose()
	if !strings.Contains(m.Screen(), "theme dark") {
		t.Errorf("a theme switch after clear is not said:\n%s", m.Screen())
	}
}

func TestSwitchThemeHonoursNoColor(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{"NO_COLOR=1"}}, 120, 40)
	m.act(SwitchTheme{Name: "light"})
	m.compose()
	if m.c.Theme.Name != themes.Mono || hasColour(m.Frame()) {
		t.Errorf("NO_COLOR: set theme light gave %s with colour=%v", m.c.Theme.Name, hasColour(m.Frame()))
	}
	if !strings.Contains(m.Screen(), "NO_COLOR is set") {
		t.Errorf("no word on why the theme did not change:\n%s", m.Screen())
	}
}

// TestExecWithoutRunner: a command line without Run still works; its output is shown and nothing else happens.
func TestExecWithoutRunner(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 120, 40)
	m.runCommand("draw fleet.web.cpu")
	m.compose()
	if !strings.Contains(m.Screen(), "drew fleet.web.cpu in w1") || m.overlay != noOverlay {
		t.Errorf("Exec path: overlay %d, screen:\n%s", m.overlay, m.Screen())
	}
}

func TestFlowBanner(t *testing.T) {
	var banner atomic.Value
	banner.Store("incident: 5xx surge on web")
	f := startFlowWith(t, 160, 48, Options{Banner: func() string { return banner.Load().(string) }}, false)
	scr := f.waitFor("the banner", has("incident: 5xx surge on web"))
	lines := strings.SplitN(scr, "\n", 3)
	if strings.TrimSpace(lines[1]) != "incident: 5xx surge on web" || !strings.Contains(lines[0], "carbon off") {
		t.Errorf("the banner is not on its own line under a whole status line:\n%s\n%s", lines[0], lines[1])
	}
	banner.Store("incident: hot memcache key \x1b[31mcart:77 on cache-01")
	f.src.publish(1) // a new snapshot: the next tick redraws
	f.waitFor("the new banner, escaped", has(`hot memcache key \x1b[31mcart:77`))
	banner.Store("")
	f.src.publish(2)
	f.waitFor("no banner", hasNot("incident"))
}

// A long banner never pushes the feeds' health out of the status line: it has a line of its own, and the
// health fields stay at the same places with and without it.
func TestBannerNarrow(t *testing.T) {
	long := "incident: hot memcache key user:228354:profile on cache07.example.com, hit ratio falling"
	for _, w := range []int{60, 80, 120, 200} {
		plainM, _, _ := newModelEnv(t, Options{Environ: []string{}}, w, 30)
		m, _, _ := newModelEnv(t, Options{Environ: []string{}, Banner: func() string { return long }}, w, 30)
		lines := strings.Split(m.Screen(), "\n")
		checkBlock(t, "status", m.Frame(), w, 30)
		status := lines[0]
		for _, f := range []string{"2.3k", "ENC ok", "graphite down", "carbon off"} {
			if !strings.Contains(status, f) {
				t.Errorf("%d cells: %q missing from the status line %q", w, f, status)
			}
		}
		if want := strings.Split(plainM.Screen(), "\n")[0]; status != want {
			t.Errorf("%d cells: the banner changed the status line:\n%q\n%q", w, status, want)
		}
		if !strings.Contains(lines[1], "incident: hot") {
			t.Errorf("%d cells: banner line %q", w, lines[1])
		}
		if w >= 200 && !strings.Contains(lines[1], "hit ratio falling") {
			t.Errorf("%d cells: the banner is cut though there is room: %q", w, lines[1])
		}
	}
}

// kioskFocus advances kiosk mode once and says what it shows.
func kioskFocus(m *Model) string {
	m.Update(kioskTickMsg{})
	s := paneNames[m.focus]
	if m.kioskAt.view != "" {
		s += ":" + m.kioskAt.view
	}
	return s
}

func TestKiosk(t *testing.T) {
	m, _, cl := newModelEnv(t, Options{Kiosk: 5 * time.Second, Environ: []string{}}, 80, 24)
	if m.c.Theme.Name != themes.Booth {
		t.Errorf("kiosk theme %s, want booth", m.c.Theme.Name)
	}
	if !strings.Contains(m.Screen(), "KIOSK") {
		t.Error("no KIOSK badge")
	}
	cl.saveView("second", []WindowData{fixtureWindow("net", "Traffic"), fixtureWindow("mc", "Memcache")})
	var seen, charts []string
	for range 9 {
		seen = append(seen, kioskFocus(m))
		if m.focus == paneWindows {
			for _, title := range []string{"CPU by group", "Traffic", "Memcache"} {
				if strings.Contains(m.Screen(), title) {
					charts = append(charts, title)
				}
			}
		}
	}
	// 80×24 in booth shows one chart at a time: the second view's two windows take two turns.
	want := "Talkers URLs Keys Windows:overview Windows:second Windows:second Groups Talkers URLs"
	if got := strings.Join(seen, " "); got != want {
		t.Fatalf("kiosk cycle\n got %s\nwant %s", got, want)
	}
	if got := strings.Join(charts, ", "); got != "CPU by group, Traffic, Memcache" {
		t.Errorf("charts shown in kiosk: %s", got)
	}
	m.Update(press("x"))
	if m.kiosk || !strings.Contains(m.Screen(), "kiosk mode off") {
		t.Error("a key did not return control")
	}
	focus := m.focus
	m.Update(kioskTickMsg{})
	if m.focus != focus {
		t.Error("kiosk still cycling after a key")
	}
}

// TestKioskWindowsWithoutViews: with no saved view, the windows drawn so far are a stop, page by page.
func TestKioskWindowsWithoutViews(t *testing.T) {
	m, _, cl := newModelEnv(t, Options{Kiosk: time.Second, Environ: []string{}}, 100, 30)
	cl.mu.Lock()
	clear(cl.views)
	cl.mu.Unlock()
	for _, tg := range []string{"fleet.web.cpu", "fleet.db.cpu", "fleet.web.net.in", "fleet.cache.memcache.ops"} {
		m.runCommand("draw " + tg)
	}
	var seen []string
	var firsts []int
	for range 7 {
		seen = append(seen, kioskFocus(m))
		firsts = append(firsts, m.windows.first)
	}
	// 100×30 booth: one chart column, two rows of charts fit; four windows take two pages.
	want := "Talkers URLs Keys Windows Windows Groups Talkers"
	if got := strings.Join(seen, " "); got != want {
		t.Fatalf("kiosk cycle\n got %s\nwant %s", got, want)
	}
	if firsts[3] != 0 || firsts[4] == 0 {
		t.Errorf("windows pages: first window shown %v", firsts)
	}
	if m.windows.first != 0 {
		t.Errorf("the windows pane kept its kiosk page (%d) after the cycle moved on", m.windows.first)
	}
}

func TestFlowKioskCycles(t *testing.T) {
	f := startFlowWith(t, 80, 24, Options{Kiosk: 30 * time.Millisecond}, false)
	f.waitFor("the talkers tab", has("Top talkers"))
	f.waitFor("the saved view", has("CPU by group", "KIOSK"))
	f.waitFor("back to the groups", has("Groups 5"))
	f.keys("x")
	f.waitFor("kiosk off", has("kiosk mode off"))
}

// TestKioskZoomsOnWideScreens: where the overview shows every pane at once, a kiosk stop fills the screen with its
// pane, so that the cycle visibly moves.
func TestKioskZoomsOnWideScreens(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Kiosk: time.Second, Environ: []string{}}, 200, 60)
	if scr := m.Screen(); !strings.Contains(scr, "Groups 5") || !strings.Contains(scr, "Top talkers") {
		t.Fatalf("the kiosk does not start on the overview:\n%s", scr)
	}
	kioskFocus(m)
	scr := m.Screen()
	if !strings.Contains(scr, " Groups  Talkers  URLs  Keys") || strings.Contains(scr, "Groups 5") ||
		!strings.Contains(scr, "Top talkers") {
		t.Errorf("the talkers stop is not shown alone:\n%s", scr)
	}
	if !strings.Contains(scr, "press any key to take the controls") {
		t.Errorf("the kiosk footer does not say how to take over:\n%s", scr)
	}
	for m.kioskAt.pane != paneGroups {
		kioskFocus(m)
	}
	if scr := m.Screen(); !strings.Contains(scr, "Groups 5") || !strings.Contains(scr, "Top talkers") {
		t.Errorf("back at the first stop, the overview is not shown:\n%s", scr)
	}
}

// TestDrawShowsTheWindowNotItsDescription: a command that changed the windows shows them and says its first
// line; other multi-line output opens the output, which scrolls.
func TestDrawShowsTheWindowNotItsDescription(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 80, 24)
	m.runCommand("draw fleet.web.cpu")
	m.compose()
	if m.overlay != noOverlay || m.focus != paneWindows || !strings.Contains(m.Screen(), "drew fleet.web.cpu in w1") {
		t.Errorf("after a draw: overlay %d, focus %s:\n%s", m.overlay, paneNames[m.focus], m.Screen())
	}
	long := make([]string, 60)
	for i := range long {
		long[i] = "line " + strconv.Itoa(i+1)
	}
	m.setMessage(strings.Join(long, "\n"), toneText)
	m.compose()
	if !strings.Contains(m.Screen(), "lines 1-21 of 60") || strings.Contains(m.Screen(), "line 22\n") {
		t.Fatalf("long output:\n%s", m.Screen())
	}
	m.Update(press("down"))
	m.Update(tea.KeyPressMsg{Code: tea.KeyPgDown})
	if scr := m.Screen(); !strings.Contains(scr, "lines 22-42 of 60") || !strings.Contains(scr, "line 22") {
		t.Errorf("scrolled output:\n%s", scr)
	}
	m.Update(press("G"))
	if scr := m.Screen(); !strings.Contains(scr, "lines 40-60 of 60") || !strings.Contains(scr, "line 60") {
		t.Errorf("output end:\n%s", scr)
	}
	m.Update(press("esc"))
	if m.overlay != noOverlay || m.level != levelOverview {
		t.Errorf("esc: overlay %d level %d", m.overlay, m.level)
	}
}

func TestTrimLeadingNulls(t *testing.T) {
	nan := math.NaN()
	start, end := fixtureTime.Add(-90*time.Second), fixtureTime
	s := []ChartSeries{{Name: "a", Points: []float64{nan, nan, nan, 1, 2, 3, 4, 5, 6, 7}}, {Name: "b", Points: []float64{nan, nan, 5, nan, 1, 1, 1, 1, 1, 1}}}
	got, from := trimLeadingNulls(s, start, end)
	if len(got[0].Points) != 8 || got[1].Points[0] != 5 || !from.Equal(start.Add(20*time.Second)) {
		t.Errorf("trimmed to %v from %v", got, from)
	}
	spec := windowSpec(WindowData{Name: "w", From: "-24h", Series: s, Start: start, End: end})
	if !strings.Contains(spec.sub, "data since 11:58") {
		t.Errorf("the subtitle does not say the range was cut: %q", spec.sub)
	}
	for name, series := range map[string][]ChartSeries{
		"all null":  {{Name: "a", Points: []float64{nan, nan, nan}}},
		"last only": {{Name: "a", Points: []float64{nan, nan, 3}}},
		"ragged":    {{Name: "a", Points: []float64{nan, 1, 2}}, {Name: "b", Points: []float64{1}}},
		"none":      nil,
	} {
		got, from := trimLeadingNulls(series, start, end)
		if name == "last only" {
			if len(got[0].Points) != 2 || !from.Equal(start.Add(45*time.Second)) {
				t.Errorf("%s: %v from %v, want the last two points", name, got, from)
			}
			continue
		}
		if !slices.EqualFunc(got, series, func(a, b ChartSeries) bool { return len(a.Points) == len(b.Points) }) || !from.Equal(start) {
			t.Errorf("%s: changed to %v from %v", name, got, from)
		}
	}
}

func TestHostPaneAtEveryWidth(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 80, 24)
	for _, w := range []int{60, 80, 120, 160, 200} {
		m.host.SetHost(m.snap, fixtureHostID(0), m.names, m.c.Glyph.arrow)
		m.host.SetSize(w, 30)
		v := m.host.View()
		checkBlock(t, "host@"+strconv.Itoa(w), v, w, 30)
		all := stripANSI(strings.Join(m.host.lines, "\n"))
		for _, want := range []string{"parameters datacenter=ams1", "rack=r12", "tier=front", "Counters 4", "http.requests", "now cpu 10%"} {
			if !strings.Contains(all, want) {
				t.Errorf("%d cells: the host pane lacks %q:\n%s", w, want, all)
			}
		}
	}
}
