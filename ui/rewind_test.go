package ui

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model"
)

// urlSample is one sampled HTTP request as the test's truth counts it: when it arrived, its URL (host and path,
// as the URL table spells it), the requests it stands for and whether it was answered 5xx.
type urlSample struct {
	at     time.Time
	url    string
	w      float64
	is5xx  bool
	server netip.Addr
}

// replayIncident plays secs virtual seconds of the simulated fleet into a model in ticks of 100 ms, publishing
// every second as Run would, and keeps every sampled HTTP request for the truth.
func replayIncident(t *testing.T, fl *sim.Fleet, f *model.Fleet, start time.Time, secs int) []urlSample {
	t.Helper()
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	var out []urlSample
	for at := 100 * time.Millisecond; at <= time.Duration(secs)*time.Second; at += 100 * time.Millisecond {
		now := start.Add(at)
		err := fl.Tick(now, func(buf []byte) error {
			if err := dec.Decode(buf, &d); err != nil {
				return err
			}
			f.Ingest(&d, netip.AddrPortFrom(d.AgentAddr, 6343), now)
			for i := range d.Samples {
				s := &d.Samples[i]
				for j := range s.Records {
					if r := &s.Records[j]; r.Type == sflow.RecHTTPRequest {
						h := d.HTTPRequest(r)
						path, _, _ := strings.Cut(string(h.URI), "?")
						out = append(out, urlSample{at: now, url: strings.ToLower(string(h.Host)) + path,
							w: float64(max(s.SamplingRate, 1)), is5xx: h.Status/100 == 5, server: d.AgentAddr})
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if at%time.Second == 0 {
			f.Publish(now)
		}
	}
	return out
}

// urlTruth is the requests/s and 5xx share of every URL over [from, to).
func urlTruth(samples []urlSample, from, to time.Time) (rate, share5xx map[string]float64) {
	rate, share5xx = map[string]float64{}, map[string]float64{}
	span := to.Sub(from).Seconds()
	for _, s := range samples {
		if s.at.Before(from) || !s.at.Before(to) {
			continue
		}
		rate[s.url] += s.w / span
		if s.is5xx {
			share5xx[s.url] += s.w / span
		}
	}
	for k := range share5xx {
		share5xx[k] /= rate[k]
	}
	return rate, share5xx
}

// TestRewindToIncident replays the simulated fleet through its first 5xx surge and on for minutes, pauses the
// dashboard, scrubs back to a second of the surge and finds the URL table as it was then: the failing URL with
// its rate and 5xx share of that second's window, computed by the test from the datagrams; then end returns to
// the live screen, where the surge is over.
func TestRewindToIncident(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 170 s of a 60-host fleet, seconds of CPU: run without -short")
	}
	start := fixtureTime.Add(-10 * time.Minute)
	fl := sim.New(sim.Options{Seed: 11, Hosts: 60, Start: start})
	f := model.NewFleet(model.Options{})
	samples := replayIncident(t, fl, f, start, 170)

	target := start.Add(50 * time.Second)
	inc := fl.IncidentAt(target)
	if inc.Kind != sim.ErrorSurge || !fl.IncidentAt(start.Add(170*time.Second)).Start.After(inc.End) {
		t.Fatalf("the script changed: %v at second 50, want a 5xx surge over by the end", inc)
	}

	clock := fixtureTime
	m, err := New(f, nil, Options{Theme: "mono", Now: func() time.Time { return clock },
		Environ: []string{"TERM=xterm-256color"}, Banner: func() string { return "banner of the present" }})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m.Update(dataTickMsg{})
	live := m.Screen()
	if strings.Contains(live, "REWIND") || !strings.Contains(live, "banner of the present") || m.snap != f.Snapshot() {
		t.Fatalf("not live at start:\n%s", live)
	}

	m.Update(tea.KeyPressMsg{Code: tea.KeyLeft}) // not paused: says how
	if m.snap.Rewound || !strings.Contains(m.Screen(), "pause (p) first") {
		t.Fatalf("← while live rewound (%v) or said nothing:\n%s", m.snap.Rewound, m.Screen())
	}

	clock = clock.Add(10 * time.Second) // the message goes
	m.Update(dataTickMsg{})

	keys := []tea.KeyPressMsg{press("p"), press("["), press("["), {Code: tea.KeyLeft}, {Code: tea.KeyLeft},
		{Code: tea.KeyRight}, {Code: tea.KeyRight}}
	for _, k := range keys {
		update(m, k)
	}
	s := m.snap
	if !s.Rewound || !s.Time.Equal(target) {
		t.Fatalf("showing %v (rewound %v), want %v", s.Time, s.Rewound, target)
	}
	screen := m.Screen()
	if !strings.Contains(screen, "REWIND "+target.Format("15:04:05")+" -2m0s") {
		t.Errorf("no REWIND badge with the time on the status line:\n%s", screen)
	}
	if strings.Contains(screen, "banner of the present") {
		t.Errorf("the banner of the present shows on a rewound second:\n%s", screen)
	}

	// The truth of that second's window: the busiest URL failing in the surge.
	rate, failing := urlTruth(samples, s.WindowStart, s.WindowEnd)
	url := ""
	for k, v := range rate {
		if failing[k] > 0.2 && (url == "" || v > rate[url]) {
			url = k
		}
	}
	if url == "" {
		t.Fatalf("no URL failing in the window %v..%v: the surge is not in the replay", s.WindowStart, s.WindowEnd)
	}
	checkScreen(t, screen, url, rate[url])
	var row *model.URLRow
	for i := range s.URLs {
		if s.URLs[i].Host+s.URLs[i].Path == url {
			row = &s.URLs[i]
		}
	}
	if row == nil || !within(row.Status[5], failing[url], 0.02) {
		t.Fatalf("URL %s: row %+v, want a 5xx share of %.3f", url, row, failing[url])
	}
	if line := lineWith(screen, url); !strings.Contains(line, share(row.Status[5])) {
		t.Errorf("the line of %s does not show its 5xx share %s:\n%s", url, share(row.Status[5]), line)
	}
	golden(t, "rewind-incident-160x48", screen)

	// The ends of the rewind: the oldest second kept, the newest.
	oldest, newest := f.RewindSpan()
	for _, k := range []string{"[", "[", "["} {
		update(m, press(k))
	}
	if !m.snap.Time.Equal(oldest) || !strings.Contains(m.Screen(), "reaches back to "+oldest.Format("15:04:05")) {
		t.Fatalf("three minutes back from %v: at %v, want the oldest second kept %v:\n%s", target, m.snap.Time, oldest,
			m.Screen())
	}
	for _, k := range []string{"]", "]", "]", "]"} {
		update(m, press(k))
	}
	if !m.snap.Rewound || !m.snap.Time.Equal(newest) {
		t.Fatalf("four minutes on: at %v rewound %v, want the newest second %v still rewound", m.snap.Time,
			m.snap.Rewound, newest)
	}

	// Live again: the surge is over there.
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	back := m.Screen()
	if m.paused || m.snap != f.Snapshot() || strings.Contains(back, "REWIND") || strings.Contains(back, "PAUSED") {
		t.Fatalf("end did not return to live (paused %v, rewound %v):\n%s", m.paused, m.snap.Rewound, back)
	}
	// Live, end is the table's again: the last row of the URLs.
	m.Update(press("tab"))
	m.Update(press("tab"))
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	if m.focus != paneURLs || m.urls.cursor != len(m.urls.view)-1 || m.snap.Rewound {
		t.Errorf("end while live: focus %v cursor %d of %d rows, rewound %v; want the URLs' last row", m.focus,
			m.urls.cursor, len(m.urls.view), m.snap.Rewound)
	}
	liveRate, liveShare := urlTruth(samples, m.snap.WindowStart, m.snap.WindowEnd)
	if liveShare[url] > 0.05 || liveRate[url] == 0 {
		t.Errorf("live, %s has a 5xx share of %.3f at %.1f req/s: the surge should be over", url, liveShare[url],
			liveRate[url])
	}
}

// lineWith returns the first line of screen that contains s, "" when none does.
func lineWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// update hands m a message and runs the rewinds it asks for, as the Bubble Tea runtime would, until none is.
func update(m *Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	run(m, cmd)
}

func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c)
		}
	case rewindMsg:
		update(m, msg)
	}
}

// Keys pressed while a rewind runs move the second wanted; it is asked for when the running one answers, and an
// answer arriving after end is dropped.
func TestRewindKeysWhileBusy(t *testing.T) {
	start := fixtureTime.Add(-time.Minute)
	f := model.NewFleet(model.Options{})
	replayIncident(t, sim.New(sim.Options{Seed: 11, Hosts: 20, Start: start}), f, start, 30)
	m, err := New(f, nil, Options{Theme: "mono", Now: fixedNow, Environ: []string{"TERM=xterm-256color"}})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(dataTickMsg{})
	live := m.snap
	m.Update(press("p"))
	_, first := m.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	_, none := m.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	if first == nil || none != nil || m.snap != live {
		t.Fatalf("first rewind %v, second while busy %v (want none), shown %v", first != nil, none != nil, m.snap.Time)
	}
	msg := first().(rewindMsg)
	_, next := m.Update(msg)
	if !m.snap.Time.Equal(live.Time.Truncate(time.Second).Add(-time.Second)) || next == nil {
		t.Fatalf("after the first answer: at %v, next rewind asked %v", m.snap.Time, next != nil)
	}
	run(m, next)
	if want := live.Time.Truncate(time.Second).Add(-2 * time.Second); !m.snap.Time.Equal(want) || !m.snap.Rewound {
		t.Fatalf("after both: at %v, want %v", m.snap.Time, want)
	}

	_, late := m.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	update(m, late())
	if m.paused || m.snap.Rewound || m.snap != f.Snapshot() {
		t.Fatalf("an answer after end showed a rewound second: paused %v at %v", m.paused, m.snap.Time)
	}
}
