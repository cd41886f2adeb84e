package ui

import (
	"fmt"
	"math"
	"net/netip"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/themes"
)

// kindsFixture adds JVMs and a network device to a fixture snapshot: a JVM on the web and db hosts (the db
// ones collecting garbage a third of the time, db-02 near its heap max) and a switch with four interfaces,
// one of them busy and dropping.
func kindsFixture(s *model.Snapshot, n int) {
	for _, h := range s.Hosts {
		var j *model.JVMRow
		switch {
		case strings.HasPrefix(h.Name, "web-"):
			j = &model.JVMRow{JVMs: 1, HeapUsed: 2e9, HeapCommitted: 3e9, HeapMax: 4e9, GCRate: 0.5, GCTimePct: 1.5,
				Threads: 180, FDsOpen: 1200}
		case strings.HasPrefix(h.Name, "db-"):
			used := 3e9
			if h.Name == "db-02" {
				used = 3.9e9
			}
			j = &model.JVMRow{JVMs: 2, HeapUsed: used, HeapCommitted: 4e9, HeapMax: 4e9, GCRate: 4, GCTimePct: 33,
				Threads: 400, FDsOpen: math.NaN()}
		default:
			continue
		}
		j.HeapPct = 100 * j.HeapUsed / j.HeapMax
		h.JVM = j
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		var used, limit, gc, hosts float64
		j := model.JVMGroup{HeapPctMax: math.NaN(), GCTimePctMax: math.NaN(), GCTimePct: math.NaN(), HeapPct: math.NaN()}
		for _, h := range s.Hosts {
			if h.Group != g.Name || h.JVM == nil || h.State != model.HostOK {
				continue
			}
			hosts++
			j.Hosts++
			j.JVMs += h.JVM.JVMs
			used += h.JVM.HeapUsed
			limit += h.JVM.HeapMax
			gc += h.JVM.GCTimePct
			j.GCRate += h.JVM.GCRate
			j.Threads += h.JVM.Threads
			j.FDsOpen += h.JVM.FDsOpen
			j.HeapPctMax = math.Max(zeroIfNaN(j.HeapPctMax), h.JVM.HeapPct)
			j.GCTimePctMax = math.Max(zeroIfNaN(j.GCTimePctMax), h.JVM.GCTimePct)
		}
		if hosts > 0 {
			j.HeapUsed, j.HeapCommitted, j.HeapMax = used, used, limit
			j.HeapPct, j.GCTimePct = 100*used/limit, gc/hosts
			g.History.JVMGCTimePct = wave(n, j.GCTimePct, j.GCTimePct/3, float64(i), 0)
			g.History.JVMHeapPct = wave(n, j.HeapPct, 10, float64(i)+1, 0)
		}
		g.JVM = j
	}
	ifaces := []model.IfaceRow{
		{Index: 1, Name: "swp1", Speed: 1e10, In: 9.1e8, Out: 2e8, InErrors: 0, InDiscards: 0, OutDiscards: 12.5},
		{Index: 2, Name: "swp2", Speed: 1e10, In: 1e8, Out: 3e8},
		{Index: 3, Speed: 1e10, In: 5e6, Out: 4e6, InErrors: 0.2},
		{Index: 49, Name: "uplink1", Speed: 4e10, In: 6e8, Out: 1.1e9},
	}
	dev := &model.DeviceInfo{Interfaces: ifaces, MaxUtilPct: math.NaN()}
	for i := range ifaces {
		f := &dev.Interfaces[i]
		f.InPct, f.OutPct = 100*8*f.In/f.Speed, 100*8*f.Out/f.Speed
		dev.In += f.In
		dev.Out += f.Out
		dev.Errors += f.InErrors + f.OutErrors
		dev.Discards += f.InDiscards + f.OutDiscards
		dev.MaxUtilPct = math.Max(zeroIfNaN(dev.MaxUtilPct), math.Max(f.InPct, f.OutPct))
	}
	s.Devices = []*model.HostRow{{ID: "10.0.254.1", Name: "10.0.254.1", Agent: netip.MustParseAddr("10.0.254.1"),
		LastSeen: s.Time, Device: dev, Series: []model.NamedSeries{
			{Name: "if.1.bytes_in", Unit: "B/s", Points: wave(n, 8e8, 2e8, 1, 0)},
			{Name: "net.bytes_in", Unit: "B/s", Points: wave(n, 1.5e9, 3e8, 2, 0)},
		}}}
	s.Health.Devices = 1
}

func zeroIfNaN(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// The JVM pane answers at a glance which group's JVMs collect garbage all the time: db first, with its GC time
// and the host nearest its heap max; Enter lists db's hosts, Enter opens one's page, Esc goes back step by step.
func TestJVMPaneDrill(t *testing.T) {
	f := startFlow(t, 160, 48)
	f.keys("J")
	scr := f.waitFor("the JVM pane", func(s string) bool { return strings.Contains(s, "JVMs by group (2)") })
	db, web := strings.Index(scr, "\ndb "), strings.Index(scr, "\nweb ")
	if db < 0 || web < 0 || db > web {
		t.Fatalf("want db (33%% GC time) above web (1.5%%):\n%s", scr)
	}
	for _, want := range []string{"gc time", "heap", "33%", "86%", "98%", "1.5%", "50%"} {
		if !strings.Contains(scr, want) {
			t.Errorf("JVM pane lacks %q:\n%s", want, scr)
		}
	}
	f.keys("enter")
	scr = f.waitFor("db's JVM hosts", func(s string) bool { return strings.Contains(s, "db (2 hosts)") })
	if !strings.Contains(scr, "db-01") || !strings.Contains(scr, "db-02") || strings.Contains(scr, "web-01") {
		t.Errorf("want db-01 and db-02 only:\n%s", scr)
	}
	f.keys("enter")
	f.waitFor("a db host's page", func(s string) bool { return strings.Contains(s, "groups by role › db › db-0") })
	f.keys("esc")
	f.waitFor("back to db's JVM hosts", func(s string) bool { return strings.Contains(s, "db (2 hosts)") })
	f.keys("esc")
	f.waitFor("back to the JVM groups", func(s string) bool { return strings.Contains(s, "JVMs by group (2)") })
	f.keys("esc")
	f.waitFor("the overview", func(s string) bool { return strings.Contains(s, "Top talkers") })
}

// The Devices pane lists the switch with its busiest link; Enter lists its interfaces with ifName, utilisation
// by direction, errors and discards.
func TestDevicesPaneDrill(t *testing.T) {
	f := startFlow(t, 160, 48)
	f.keys("D")
	scr := f.waitFor("the Devices pane", func(s string) bool { return strings.Contains(s, "network devices (1)") })
	if !strings.Contains(scr, "10.0.254.1") || !strings.Contains(scr, "73%") {
		t.Errorf("want the switch with its busiest link at 73%%:\n%s", scr)
	}
	f.keys("enter")
	scr = f.waitFor("its interfaces", func(s string) bool { return strings.Contains(s, "(4 interfaces)") })
	for _, want := range []string{"swp1", "uplink1", "ifName", "in %", "out disc", "12.5", "22%", "73%"} {
		if !strings.Contains(scr, want) {
			t.Errorf("interfaces lack %q:\n%s", want, scr)
		}
	}
	f.keys("esc")
	f.waitFor("back to the devices", func(s string) bool { return strings.Contains(s, "network devices (1)") })
}

// Zoom gives the focused table the whole main area with the columns the overview leaves out; z or Esc returns.
func TestZoomShowsAllColumns(t *testing.T) {
	for _, c := range []struct {
		pane  paneID
		talk  int // presses of t before zooming
		want  []string
		title string
	}{
		{paneURLs, 0, []string{"2xx/3xx/4xx/5xx %", "mean", "p95"}, "Hottest URLs"},
		{paneTalkers, 2, []string{"source → destination", "192.0.2.10", "groups"}, "Top talkers"},
		{paneKeys, 0, []string{"commands", "get 90 set 10"}, "Memcache keys"},
	} {
		for _, sz := range [][2]int{{160, 48}, {80, 24}} {
			w, h := sz[0], sz[1]
			id := fmt.Sprintf("zoom-%s-%dx%d", strings.ToLower(paneNames[c.pane]), w, h)
			t.Run(id, func(t *testing.T) {
				m, _, _ := newTestModel(t, themes.Mono, w, h)
				m.focus = c.pane
				for range c.talk {
					m.Update(press("t"))
				}
				m.Update(press("z"))
				scr := m.Screen()
				if !strings.Contains(scr, "zoom › "+paneNames[c.pane]) || !strings.Contains(scr, c.title) {
					t.Fatalf("not zoomed on %s:\n%s", paneNames[c.pane], scr)
				}
				for _, want := range c.want {
					if !strings.Contains(scr, want) {
						t.Errorf("zoomed %s lacks %q:\n%s", paneNames[c.pane], want, scr)
					}
				}
				checkBlock(t, id, m.Frame(), w, h)
				golden(t, id, m.Frame())
				m.Update(press("z"))
				if strings.Contains(m.Screen(), "zoom › ") {
					t.Errorf("z did not return:\n%s", m.Screen())
				}
				m.Update(press("z"))
				m.Update(press("esc"))
				if strings.Contains(m.Screen(), "zoom › ") {
					t.Errorf("esc did not return:\n%s", m.Screen())
				}
			})
		}
	}
}

// At 80×24 the overview's URL table has no room for latency: zoom is what shows it.
func TestZoomAddsColumnsAt80(t *testing.T) {
	m, _, _ := newTestModel(t, themes.Mono, 80, 24)
	m.focus = paneURLs
	m.Update(press("tab"))
	m.Update(press("shift+tab"))
	if scr := m.Screen(); strings.Contains(scr, "p95") {
		t.Fatalf("the overview already shows p95 at 80×24: the test tests nothing\n%s", scr)
	}
	m.Update(press("z"))
	if scr := m.Screen(); !strings.Contains(scr, "p95") || !strings.Contains(scr, "mean") {
		t.Errorf("zoomed URLs at 80×24 lack latency:\n%s", scr)
	}
}

// The JVM and Devices panes fit and read the same at the golden sizes.
func TestGoldenKindPanes(t *testing.T) {
	for _, sz := range [][2]int{{160, 48}, {80, 24}} {
		for _, k := range []string{"J", "D"} {
			w, h := sz[0], sz[1]
			id := fmt.Sprintf("kind-%s-%dx%d", k, w, h)
			t.Run(id, func(t *testing.T) {
				m, _, _ := newTestModel(t, themes.Mono, w, h)
				m.Update(press(k))
				m.Update(press("enter"))
				checkBlock(t, id, m.Frame(), w, h)
				golden(t, id, m.Frame())
			})
		}
	}
}

// The JVM and Devices panes, drilled into or not, and a zoomed table fit every size between the golden ones.
func TestKindPanesFitEveryWidth(t *testing.T) {
	for _, keys := range [][]string{{"J"}, {"J", "enter"}, {"D"}, {"D", "enter"}, {"tab", "tab", "z"}} {
		m, _, _ := newTestModel(t, themes.Dark, 80, 24)
		for _, k := range keys {
			m.Update(press(k))
		}
		for w := 40; w <= 250; w += 9 {
			for _, h := range []int{12, 24, 48} {
				m.Update(tea.WindowSizeMsg{Width: w, Height: h})
				m.Update(resizeMsg{seq: m.resizeSeq})
				checkBlock(t, fmt.Sprintf("%v %dx%d", keys, w, h), m.Frame(), w, h)
			}
		}
	}
}
