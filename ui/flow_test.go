package ui

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// flow runs the dashboard as a real Bubble Tea program (teatest) over the fixture fleet.
type flow struct {
	t   *testing.T
	tm  *teatest.TestModel
	m   *Model
	src *fleetSource
	cl  *commandLine
}

func startFlow(t *testing.T, w, h int) *flow {
	t.Helper()
	return startFlowWith(t, w, h, Options{}, false)
}

// startFlowWith starts a flow with extra options; runner gives the dashboard the fixture's commandRunner.
func startFlowWith(t *testing.T, w, h int, opt Options, runner bool) *flow {
	t.Helper()
	src := newFleetSource()
	cl := newCommandLine(src)
	opt.Now, opt.Environ, opt.SnapDir = fixedNow, []string{"TERM=xterm-256color"}, t.TempDir()
	if opt.Refresh == 0 {
		opt.Refresh = 20 * time.Millisecond
	}
	var line Console = cl
	if runner {
		line = commandRunner{cl}
	}
	m, err := New(src, line, opt)
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	f := &flow{t: t, tm: tm, m: m, src: src, cl: cl}
	t.Cleanup(func() {
		tm.Send(press("q"))
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	f.waitFor("the dashboard", func(s string) bool { return strings.Contains(s, "Groups") })
	return f
}

// waitFor polls the screen (the frame the program renders) until cond holds.
func (f *flow) waitFor(what string, cond func(screen string) bool) string {
	f.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		s := f.m.Screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("waiting for %s; screen:\n%s", what, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// resize sends a new terminal size until the screen shows it: Bubble Tea delivers its own initial size message
// asynchronously, and it may overtake a resize sent right after start.
func (f *flow) resize(w, h int, what string, cond func(string) bool) {
	f.t.Helper()
	for range 20 {
		f.tm.Send(tea.WindowSizeMsg{Width: w, Height: h})
		deadline := time.Now().Add(250 * time.Millisecond)
		for time.Now().Before(deadline) {
			if cond(f.m.Screen()) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	f.t.Fatalf("waiting for %s after resizing to %dx%d; screen:\n%s", what, w, h, f.m.Screen())
}

func (f *flow) keys(ks ...string) {
	for _, k := range ks {
		f.tm.Send(press(k))
	}
}

func has(subs ...string) func(string) bool {
	return func(s string) bool {
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				return false
			}
		}
		return true
	}
}

func hasNot(sub string) func(string) bool {
	return func(s string) bool { return !strings.Contains(s, sub) }
}

func TestFlowDrillDownAndBack(t *testing.T) {
	f := startFlow(t, 160, 48)
	f.keys("down", "down", "down", "down", "enter") // cache, db, lb, unclassified, web
	f.waitFor("the hosts of web", has("groups by role › web (3 hosts)", "web-01", "web-03", "stale", "role::web", "datacenter=fra2"))
	f.keys("enter")
	scr := f.waitFor("host web-01", has("groups by role › web › web-01", "cpu.utilisation (%)", "environment production",
		"parameters datacenter=ams1 rack=r12 tier=front", "URLs served"))
	if strings.Contains(scr, "db-01") {
		t.Errorf("host view shows another group's host:\n%s", scr)
	}
	f.keys("esc")
	f.waitFor("back to the hosts", has("web (3 hosts)"))
	f.keys("esc")
	f.waitFor("back to the overview", has("Top talkers", "Hottest URLs", "Memcache keys"))
}

func TestFlowFilterAndClear(t *testing.T) {
	f := startFlow(t, 160, 48)
	f.keys("/", "d", "b")
	scr := f.waitFor("the filter applied as typed", has("Groups filter db, 1/5", "/db"))
	if strings.Contains(scr, "\ncache ") || strings.Contains(scr, "\nweb ") {
		t.Errorf("filtered groups still show cache:\n%s", scr)
	}
	f.keys("enter")
	f.waitFor("the prompt closed, filter kept", has("Groups filter db, 1/5", "? help"))
	f.keys("/")
	f.waitFor("the prompt opened empty, the filter still applied", has("Groups filter db, 1/5", "↑ previous)"))
	f.keys("!", "w", "e", "b", "enter")
	f.waitFor("the inverted filter", has("filter !web, 4/5", "cache", "unclassified"))
	f.keys("/", "up")
	f.waitFor("↑ recalls the previous filter", has("\n/!web", "filter !web, 4/5"))
	f.keys("enter", "esc")
	f.waitFor("the filter cleared", has("Groups 5 ", "web "))
}

func TestFlowGroupBy(t *testing.T) {
	f := startFlow(t, 160, 48)
	f.keys("g")
	f.waitFor("the picker", has("Group hosts by", "datacenter", "environment", "role (current)", "tier"))
	f.keys("up", "enter") // role → environment
	f.waitFor("hosts grouped by environment", has("by environment", "production", "staging", "grouping hosts by environment"))
	f.src.mu.Lock()
	calls := slices.Clone(f.src.calls)
	f.src.mu.Unlock()
	if !slices.Equal(calls, []string{"group by environment"}) {
		t.Errorf("controller calls = %q", calls)
	}
}

func TestFlowPauseAndResume(t *testing.T) {
	f := startFlow(t, 160, 48)
	f.waitFor("live data", has("2.3k dgram/s"))
	f.keys("p")
	f.waitFor("the PAUSED badge", has("PAUSED 0s"))
	f.src.publish(1000) // aggregation goes on: 3.3k datagrams/s
	time.Sleep(100 * time.Millisecond)
	if scr := f.m.Screen(); !strings.Contains(scr, "2.3k dgram/s") || strings.Contains(scr, "3.3k dgram/s") {
		t.Fatalf("paused display changed:\n%s", scr)
	}
	f.keys("space")
	f.waitFor("the new data after resume", func(s string) bool {
		return strings.Contains(s, "3.3k dgram/s") && !strings.Contains(s, "PAUSED")
	})
}

func TestFlowHelp(t *testing.T) {
	f := startFlow(t, 120, 40)
	f.keys("?")
	f.waitFor("the help screen", has("Keys  active here", "filter (!x inverts)", "sort by next column", "reverse sort", "drill down"))
	f.keys("?")
	f.waitFor("help closed", func(s string) bool { return !strings.Contains(s, "Keys  active here") && strings.Contains(s, "Groups") })
}

func TestFlowResize(t *testing.T) {
	f := startFlow(t, 160, 48)
	f.resize(50, 15, "the too-small screen", has("needs 60×20, have 50×15", "datagrams/s 2.3k", "ENC: ok"))
	f.resize(160, 48, "the full dashboard again", has("Top talkers", "Memcache keys"))
}

func TestFlowCommandLine(t *testing.T) {
	f := startFlow(t, 160, 48)
	f.keys(":", "d", "r", "a", "w", " ", "f", "l")
	f.keys("tab")
	f.waitFor("completion", has(":draw fleet.", "fleet.web.cpu  fleet.web.net.in"))
	f.keys("w", "e", "b", ".", "c", "p", "u", "enter")
	f.waitFor("the new window", has("drew fleet.web.cpu in w1", "Windows 1", "fleet.web.cpu"))
	f.keys(":", "b", "o", "g", "u", "s", "enter")
	f.waitFor("the error", has(`col 1: unknown verb "bogus"`))
	f.keys(":", "up", "up")
	f.waitFor("history", has(":draw fleet.web.cpu"))
	f.keys("esc", ":", "s", "e", "t", " ", "r", "e", "f", "r", "e", "s", "h", " ", "5", "0", "m", "s", "enter")
	f.waitFor("the refresh change", func(s string) bool {
		return strings.Contains(s, "refresh 50ms") && !strings.Contains(s, ":set refresh")
	})
}

func TestFlowOutputReachesTerminal(t *testing.T) {
	f := startFlow(t, 100, 30)
	f.keys("q")
	out, err := io.ReadAll(f.tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "fleettop") || !strings.Contains(string(out), "\x1b[?1049h") {
		t.Errorf("terminal output lacks the dashboard or the alternate screen: %q", out[:min(len(out), 300)])
	}
}
