package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model"
)

// The feeds' fields keep their columns whatever else the status line carries (badges, more counters, an ENC
// partly failing), at every width the dashboard draws.
func TestStatusFieldsFixed(t *testing.T) {
	for _, w := range []int{80, 99, 100, 120, 159, 160, 200} {
		m, _, _ := newModelEnv(t, Options{Environ: []string{}}, w, 30)
		base := stripANSI(m.statusLine(w))
		cols := map[string]int{}
		for _, f := range []string{"dgram/s", "ENC", "graphite", "carbon"} {
			if f == "dgram/s" && w < 160 {
				f = "k/s"
			}
			cols[f] = strings.Index(base, f)
			if cols[f] < 0 {
				t.Fatalf("%d cells: %q missing: %q", w, f, base)
			}
		}
		s := *m.snap
		s.Version++
		s.Health.ENC = model.FeedHealth{Configured: true, Good: 7, Total: 11}
		s.Health.RefusedSeries, s.Health.Restarts = 99999, 12
		m.apply(&s)
		m.paused, m.pausedAt = true, fixedNow().Add(-3*time.Minute)
		m.kiosk = true
		m.opt.Recording = func() model.FeedHealth { return model.FeedHealth{Configured: true, OK: true} }
		busy := stripANSI(m.statusLine(w))
		checkBlock(t, "status", busy, w, 1)
		for f, col := range cols {
			if got := strings.Index(busy, f); got != col {
				t.Errorf("%d cells: %q moved from column %d to %d:\n%q\n%q", w, f, col, got, base, busy)
			}
		}
		for _, b := range []string{"● REC", "PAUSED 3m", "KIOSK"} {
			if !strings.Contains(busy, b) {
				t.Errorf("%d cells: badge %q missing: %q", w, b, busy)
			}
		}
	}
}

// ENC health is proportional: some failed lookups are amber "ENC 7/11", all failed is red "ENC down".
func TestENCProportional(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}}, 160, 48)
	cases := []struct {
		h        model.FeedHealth
		want     string
		tone     tone
		narrowed string // at 120 cells
	}{
		{model.FeedHealth{Configured: true, OK: true, Good: 11, Total: 11}, "ENC ok", toneGood, "ENC ok"},
		{model.FeedHealth{Configured: true, Good: 7, Total: 11}, "ENC 7/11", toneWarn, "ENC 7/11"},
		{model.FeedHealth{Configured: true, Good: 70, Total: 110}, "ENC 70/110", toneWarn, "ENC 63%"},
		{model.FeedHealth{Configured: true, Good: 0, Total: 11}, "ENC down", toneBad, "ENC down"},
		{model.FeedHealth{}, "ENC off", toneMuted, "ENC off"},
	}
	for _, c := range cases {
		text, tn := feedSlot("ENC", c.h, 5)
		if strings.TrimSpace(text) != c.want && !(len(c.want) > 9 && strings.TrimSpace(text) == "ENC 63%") || tn != c.tone {
			t.Errorf("%+v: %q (tone %d), want %q (tone %d)", c.h, text, tn, c.want, c.tone)
		}
		if narrow, _ := feedSlot("ENC", c.h, 4); strings.TrimSpace(narrow) != c.narrowed {
			t.Errorf("%+v at 4 cells: %q, want %q", c.h, narrow, c.narrowed)
		}
	}
	s := *m.snap
	s.Version++
	s.Health.ENC = model.FeedHealth{Configured: true, Good: 7, Total: 11}
	m.apply(&s)
	line := m.statusLine(160)
	if !strings.Contains(line, m.c.St.warn.str("ENC 7/11 ")) {
		t.Errorf("no amber ENC 7/11 in %q", line)
	}
	golden(t, "status-enc-partial-160", line)
}

// While recording the status line carries a REC badge; a recording stopped by an error says so.
func TestRecBadge(t *testing.T) {
	for _, c := range []struct {
		ok   bool
		want string
	}{{true, " ● REC "}, {false, " REC stopped "}} {
		id := fmt.Sprintf("status-rec-%v-120", c.ok)
		t.Run(id, func(t *testing.T) {
			m, _, _ := newModelEnv(t, Options{Environ: []string{}, Recording: func() model.FeedHealth {
				return model.FeedHealth{Configured: true, OK: c.ok}
			}}, 120, 40)
			if line := stripANSI(m.statusLine(120)); !strings.HasSuffix(line, c.want) {
				t.Errorf("recording ok=%v: %q lacks %q at the end", c.ok, line, c.want)
			}
			golden(t, id, m.statusLine(120))
		})
	}
}

// Before the first datagram the overview names the listen address, the receive buffer and what to try next.
func TestEmptyState(t *testing.T) {
	m, _, _ := newModelEnv(t, Options{Environ: []string{}, Listen: "[::]:6343"}, 120, 30)
	s := *m.snap
	s.Version++
	s.Health.Datagrams = 0
	m.apply(&s)
	m.compose()
	scr := m.Screen()
	for _, want := range []string{"No sFlow received yet on UDP [::]:6343", "receive buffer of 8.0 MiB", "firewall",
		"tcpdump -ni any udp port 6343", "fleettop sim --to 127.0.0.1:6343", "ENC ok"} {
		if !strings.Contains(scr, want) {
			t.Errorf("empty state lacks %q:\n%s", want, scr)
		}
	}
	checkBlock(t, "empty", m.Frame(), 120, 30)
	golden(t, "empty-state-120x30", scr)
	s.Version++
	s.Health.Datagrams = 1
	m.apply(&s)
	m.compose()
	if strings.Contains(m.Screen(), "No sFlow received") {
		t.Errorf("the empty state stays after a datagram:\n%s", m.Screen())
	}
}
