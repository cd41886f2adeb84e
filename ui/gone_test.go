package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model"
)

// A host the model dropped stays on screen, dimmed and "gone 3m", in its group and on its group's page, until C
// clears it; a host that comes back is no longer gone.
func TestGoneHostsKeptUntilCleared(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	first := m.snap
	s := *first
	s.Version++
	s.Time = first.Time.Add(3 * time.Minute)
	s.Hosts = slices.DeleteFunc(slices.Clone(first.Hosts), func(h *model.HostRow) bool { return h.Group == "lb" })
	s.Groups = slices.DeleteFunc(slices.Clone(first.Groups), func(g model.GroupRow) bool { return g.Name == "lb" })
	m.apply(&s)
	m.compose()
	scr := m.Screen()
	for _, want := range []string{"lb · gone 3m", "+1 gone"} {
		if !strings.Contains(scr, want) {
			t.Errorf("no %q after lb-01 left:\n%s", want, scr)
		}
	}
	golden(t, "groups-gone-160", stripANSI(m.pane(paneGroups, 160, 10)))
	_, y := lineOf(t, scr, "lb · gone")
	m.groups.Move(y - 3 - m.groups.cursor) // the groups' rows start under the status, title and header lines
	if m.groups.Selected().key != "lb" {
		t.Fatalf("selected %q, want lb", m.groups.Selected().key)
	}
	m.Update(press("enter"))
	if scr := m.Screen(); !strings.Contains(scr, "lb-01 · gone 3m") || !strings.Contains(scr, "(1 hosts)") {
		t.Errorf("the hosts page of lb lacks its gone host:\n%s", scr)
	}
	m.Update(press("enter"))
	if scr := m.Screen(); !strings.Contains(scr, "lb-01  state left the snapshot") {
		t.Errorf("the page of the gone host:\n%s", scr)
	}
	m.Update(press("esc"))
	m.Update(press("esc"))
	m.Update(press("C"))
	if scr := m.Screen(); strings.Contains(scr, "gone") || !strings.Contains(scr, "cleared 1 hosts") {
		t.Errorf("C left gone hosts:\n%s", scr)
	}
	// gone again, then back: no longer gone
	s2 := s
	s2.Version++
	m.apply(first) // lb-01 back
	m.apply(&s2)   // and gone
	back := *first
	back.Version = s2.Version + 1
	m.apply(&back)
	if len(m.gone) != 0 {
		t.Errorf("a host that came back is still gone: %v", m.gone)
	}
}

// The gone hosts are bounded: past maxGoneHosts the longest gone are forgotten.
func TestGoneHostsBounded(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 120, 40)
	base := m.snap.Time
	prev := &model.Snapshot{GroupBy: m.snap.GroupBy, Time: base}
	for i := range maxGoneHosts + 50 {
		prev.Hosts = append(prev.Hosts, &model.HostRow{ID: "h" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String(), Group: "g"})
	}
	for i, h := range prev.Hosts {
		p := &model.Snapshot{GroupBy: prev.GroupBy, Time: base.Add(time.Duration(i) * time.Second), Hosts: []*model.HostRow{h}}
		m.trackGone(p, &model.Snapshot{GroupBy: prev.GroupBy, Time: p.Time})
	}
	if len(m.gone) != maxGoneHosts {
		t.Fatalf("%d gone hosts kept, want the bound %d", len(m.gone), maxGoneHosts)
	}
	if _, ok := m.gone[prev.Hosts[0].ID]; ok {
		t.Errorf("the longest gone host is still kept")
	}
	if _, ok := m.gone[prev.Hosts[len(prev.Hosts)-1].ID]; !ok {
		t.Errorf("the latest gone host is not kept")
	}
}
