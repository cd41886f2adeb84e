package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// lineOf is the screen line (0-based) where text first appears, and its column.
func lineOf(t *testing.T, scr, text string) (x, y int) {
	t.Helper()
	for i, l := range strings.Split(scr, "\n") {
		if j := strings.Index(l, text); j >= 0 {
			return len([]rune(l[:j])), i
		}
	}
	t.Fatalf("%q not on the screen:\n%s", text, scr)
	return 0, 0
}

// A click focuses the pane clicked and selects the row clicked, in every layout.
func TestClickFocusesAndSelects(t *testing.T) {
	for _, sz := range [][2]int{{160, 48}, {120, 40}} {
		m, _, _ := newModelEnv(t, Options{Environ: []string{}, Mouse: true}, sz[0], sz[1])
		click := func(x, y int) {
			m.Update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
		}
		x, y := lineOf(t, m.Screen(), "db-02 ")
		click(x+2, y)
		if m.focus != paneTalkers || m.talkers.active().Selected() == nil || m.talkers.active().Selected().key != "db-02" && !strings.Contains(m.talkers.active().Selected().cells[0], "db-02") {
			t.Errorf("%v: clicking db-02 in the talkers: focus %v, selected %+v", sz, paneNames[m.focus], m.talkers.active().Selected())
		}
		x, y = lineOf(t, m.Screen(), "lb  ")
		click(x, y)
		if m.focus != paneGroups || m.groups.Selected().key != "lb" {
			t.Errorf("%v: clicking lb in the groups: focus %v, selected %q", sz, paneNames[m.focus], m.groups.Selected().key)
		}
		m.Update(press("enter"))
		if m.level != levelHosts || m.drillGroup != "lb" {
			t.Errorf("%v: enter after the click drilled into %q", sz, m.drillGroup)
		}
	}
}

// In the tabs layout a click on a tab shows that pane.
func TestClickOnTab(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}, Mouse: true}, 80, 24)
	x, y := lineOf(t, m.Screen(), " Keys ")
	m.Update(tea.MouseClickMsg{X: x + 2, Y: y, Button: tea.MouseLeft})
	if m.focus != paneKeys || !strings.Contains(m.Screen(), "Memcache keys") {
		t.Errorf("clicking the Keys tab: focus %v\n%s", paneNames[m.focus], m.Screen())
	}
}

// The same through a running program: a click on a URL focuses the URLs pane and selects it, so that enter
// opens the host serving it.
func TestFlowClick(t *testing.T) {
	f := startFlowWith(t, 160, 48, Options{Mouse: true}, false)
	x, y := lineOf(t, f.m.Screen(), "shop.example.com/login")
	f.tm.Send(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	f.keys("enter") // messages are handled in order: the click first

	f.waitFor("the host serving the URL", has("groups by role ›", "URLs served"))
}
