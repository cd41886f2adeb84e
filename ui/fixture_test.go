package ui

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/query"
)

// fixtureTime is the fixed "now" of every fixture snapshot and of the test clock.
var fixtureTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return fixtureTime }

// wave is a deterministic series: a sine with a phase, a level and every gap-th point missing (NaN).
func wave(n int, level, amp, phase float64, gap int) []float64 {
	pts := make([]float64, n)
	for i := range pts {
		pts[i] = level + amp*math.Sin(float64(i)/5+phase)
		if gap > 0 && i%gap == gap-1 {
			pts[i] = math.NaN()
		}
	}
	return pts
}

type fixtureHost struct {
	name, group, env string
	classes          []string
	params           map[string]string
	agent            string
	state            model.HostState
	apps             []string
}

var fixtureHosts = []fixtureHost{
	{"web-01", "web", "production", []string{"role::web", "profile::nginx"}, map[string]string{"datacenter": "ams1", "rack": "r12", "tier": "front"}, "10.0.1.1", model.HostOK, []string{"http:80", "jvm"}},
	{"web-02", "web", "production", []string{"role::web", "profile::nginx"}, map[string]string{"datacenter": "ams1", "rack": "r13", "tier": "front"}, "10.0.1.2", model.HostOK, []string{"http:80"}},
	{"web-03", "web", "production", []string{"role::web"}, map[string]string{"datacenter": "fra2", "rack": "r02", "tier": "front"}, "10.0.1.3", model.HostStale, []string{"http:80"}},
	{"db-01", "db", "production", []string{"role::db", "profile::postgres"}, map[string]string{"datacenter": "ams1", "rack": "r20"}, "10.0.2.1", model.HostOK, nil},
	{"db-02", "db", "staging", []string{"role::db"}, map[string]string{"datacenter": "fra2", "rack": "r21"}, "10.0.2.2", model.HostOK, nil},
	{"cache-01", "cache", "production", []string{"role::cache", "profile::memcached"}, map[string]string{"datacenter": "ams1"}, "10.0.3.1", model.HostOK, []string{"memcache"}},
	{"cache-02", "cache", "production", []string{"role::cache", "profile::memcached"}, map[string]string{"datacenter": "fra2"}, "10.0.3.2", model.HostGone, []string{"memcache"}},
	{"lb-01", "lb", "production", []string{"role::lb"}, map[string]string{"datacenter": "ams1", "vip": "192.0.2.10"}, "10.0.4.1", model.HostOK, nil},
	{"localhost", model.Unclassified, "", nil, nil, "10.0.9.9", model.HostOK, nil},
}

// fixtureSnapshot builds a rich snapshot; shift moves the numbers (a later second) and groupBy regroups hosts
// by an ENC field the way the model does.
func fixtureSnapshot(version uint64, shift float64, groupBy string) *model.Snapshot {
	const n = 60
	s := &model.Snapshot{
		Version: version, Time: fixtureTime.Add(time.Duration(shift) * time.Second), Window: time.Minute,
		Step: 10 * time.Second, GroupBy: groupBy, Fields: []string{"datacenter", "environment", "role", "tier"},
	}
	// The tables' window: the complete seconds up to the one before the snapshot's (the open grace bucket).
	s.WindowEnd = s.Time.Truncate(time.Second).Add(-time.Second)
	s.WindowStart = s.WindowEnd.Add(-time.Minute)
	s.Health = model.Health{
		Datagrams: 1234567, DatagramsPerSec: 2345 + shift, QueueDrops: 0, Lost: 17, SampleDrops: 3, DecodeErrors: 2,
		Agents: 9, Hosts: len(fixtureHosts), StaleHosts: 1, Groups: 5, RecvBuffer: 8 << 20,
		ENC:      model.FeedHealth{Configured: true, OK: true, Summary: "8 ok, 1 not found"},
		Graphite: model.FeedHealth{Configured: true, OK: false, Summary: "down: connection refused", LastError: "dial tcp 127.0.0.1:8080: connection refused"},
	}
	groupOf := func(h fixtureHost) string {
		switch groupBy {
		case "role", "":
			return h.group
		case "environment":
			if h.env == "" {
				return model.Unclassified
			}
			return h.env
		default:
			if v, ok := h.params[groupBy]; ok {
				return v
			}
			return model.Unclassified
		}
	}
	members := map[string][]int{}
	var names []string
	for i, h := range fixtureHosts {
		g := groupOf(h)
		if _, ok := members[g]; !ok {
			names = append(names, g)
		}
		members[g] = append(members[g], i)
	}
	sortGroups(names)
	for gi, g := range names {
		ph := float64(gi) + shift/5
		hit := 92 - 10*float64(gi)
		if g == "db" || g == model.Unclassified {
			hit = math.NaN()
		}
		row := model.GroupRow{
			Name: g, Hosts: len(members[g]), CPU: 35 + 10*float64(gi) + shift, NetIn: 1.5e6 * float64(gi+1), NetOut: 3.2e6 / float64(gi+1),
			HTTPRate: 420 / float64(gi+1), HTTP5xxPct: 0.4 * float64(gi), MemcacheOps: 1800 / float64(gi+1), MemcacheHit: hit,
			History: model.GroupHistory{
				CPU: wave(n, 40, 20, ph, 17), NetIn: wave(n, 2e6, 1e6, ph+1, 0), NetOut: wave(n, 3e6, 2e6, ph+2, 23),
				HTTPRate: wave(n, 300, 150, ph, 0), HTTP5xxPct: wave(n, 1, 1, ph, 0), MemcacheOps: wave(n, 1500, 700, ph, 31),
				MemcacheHit: wave(n, 85, 10, ph, 0),
			},
		}
		for _, i := range members[g] {
			if fixtureHosts[i].state != model.HostOK {
				row.StaleHosts++
			}
		}
		s.Groups = append(s.Groups, row)
	}
	for _, g := range names {
		for _, i := range members[g] {
			h := fixtureHosts[i]
			f := float64(i + 1)
			hr := model.HostRow{
				ID: h.agent + ":0", Name: h.name, UUID: fmt.Sprintf("0000-%04d", i), Agent: netip.MustParseAddr(h.agent),
				Group: g, State: h.state, LastSeen: s.Time.Add(-time.Duration(i*7) * time.Second), OS: "linux",
				Apps: h.apps, ENCStatus: "ok", Classes: h.classes, Environment: h.env, Params: h.params,
				CPU: 10 * f, Load1: 0.3 * f, MemUsedPct: 40 + f, MemTotal: 16e9, DiskRead: 1e5 * f, DiskWrite: 2e5 * f,
				DiskUsedPct: 50, NetIn: 1e5 * f, NetOut: 2e5 * f, HTTPRate: 30 * f, HTTP5xxPct: 0.1 * f,
				MemcacheOps: 100 * f, MemcacheHit: 90, JVMHeapUsed: 512e6, JVMGCRate: 0.5,
			}
			if h.name == "localhost" {
				hr.ENCStatus, hr.DupName = "not found", true
			}
			if h.name == "db-02" {
				hr.ENCStatus = "failed: exit status 1"
			}
			if h.name == "web-01" {
				hr.Series = []model.NamedSeries{
					{Name: "cpu.utilisation", Unit: "%", Points: wave(n, 45, 25, shift/5, 13)},
					{Name: "net.bytes_in", Unit: "B/s", Points: wave(n, 2e6, 1e6, 1+shift/5, 0)},
					{Name: "http.requests", Unit: "req/s", Points: wave(n, 120, 60, 2+shift/5, 0)},
					{Name: "mem.used", Unit: "%", Points: fill(n, math.NaN())},
				}
			}
			s.Hosts = append(s.Hosts, &hr)
		}
	}
	for i := 0; i < 14; i++ {
		src := netip.AddrFrom4([4]byte{10, 0, 7, byte(1 + i)})
		if i < len(fixtureHosts) {
			src = netip.MustParseAddr(fixtureHosts[i].agent)
		}
		dst := netip.AddrFrom4([4]byte{192, 0, 2, byte(10 + i)})
		b := 9e6/float64(i+1) + shift*1e4*float64(i%3)
		s.TalkersBySrc = append(s.TalkersBySrc, model.TalkerRow{
			Src: src, SrcHost: hostAt(src), SrcGroup: groupAt(s, src), Protocol: 6, DstPort: 443,
			Bytes: b, Packets: b / 900, Share: b / 3e7, ErrBytes: b / 50,
		})
		s.TalkersByDst = append(s.TalkersByDst, model.TalkerRow{
			Dst: dst, Protocol: 17, DstPort: 53, Bytes: b / 2, Packets: b / 1800, Share: b / 6e7,
		})
		s.TalkersByPair = append(s.TalkersByPair, model.TalkerRow{
			Src: src, Dst: dst, SrcHost: hostAt(src), SrcGroup: groupAt(s, src), Protocol: 6, SrcPort: 51000, DstPort: 443,
			Bytes: b * 0.8, Packets: b / 1000, Share: b / 4e7,
		})
	}
	paths := []string{"/", "/api/v1/orders", "/api/v1/cart", "/static/app.js", "/login", "/search?q=shoes",
		"/api/v1/orders/12345/items/67890/details/very/long/path/that/does/not/fit", "/health", "/img/\x1b[31mred.png", "/checkout"}
	for i, p := range paths {
		r := 800 / float64(i+1)
		st := [6]float64{0, 0, 0.95 - 0.02*float64(i), 0.02, 0.02, 0.01 + 0.02*float64(i)}
		s.URLs = append(s.URLs, model.URLRow{
			Host: "shop.example.com", Path: p, Server: fixtureHostID(i % 3), Group: "web", Rate: r, Status: st,
			MeanMS: 12 + float64(i)*7, P95MS: 40 + float64(i)*90, Share: r / 2400, ErrRate: r * st[5],
		})
	}
	keys := []string{"session:8f3a", "user:1001:profile", "cart:77", `bin\x00\x01key`, "product:sku-123456789-long-key-name", "rate:10.0.1.1", "feature-flags", "menu:v2"}
	for i, k := range keys {
		var cmds [17]float64
		cmds[7], cmds[1] = 0.9-0.05*float64(i), 0.1+0.05*float64(i)
		hit := 0.97 - 0.08*float64(i)
		if i == 6 {
			hit = math.NaN()
		}
		r := 5000 / float64(i+1)
		s.Keys = append(s.Keys, model.KeyRow{
			Key: k, Server: "10.0.3.1:0", Group: "cache", Rate: r, HitRatio: hit, Cmds: cmds, Share: r / 13600,
		})
	}
	s.Agents = []*model.AgentRow{{Addr: netip.MustParseAddr("10.0.1.1"), Datagrams: 1000, Samples: 5000, LastSeen: s.Time}}
	kindsFixture(s, n)
	return s
}

func fill(n int, v float64) []float64 {
	pts := make([]float64, n)
	for i := range pts {
		pts[i] = v
	}
	return pts
}

func fixtureHostID(i int) string { return fixtureHosts[i].agent + ":0" }

func hostAt(a netip.Addr) string {
	for _, h := range fixtureHosts {
		if h.agent == a.String() {
			return h.name
		}
	}
	return ""
}

func groupAt(s *model.Snapshot, a netip.Addr) string {
	for _, h := range s.Hosts {
		if h.Agent == a {
			return h.Group
		}
	}
	return ""
}

func sortGroups(names []string) {
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && groupLess(names[j], names[j-1]); j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
}

func groupLess(a, b string) bool {
	if a == model.Unclassified || b == model.Unclassified {
		return b == model.Unclassified && a != b
	}
	return a < b
}

// fleetSource is the test stand-in for the model: it publishes fixture snapshots through an atomic pointer, the
// way the model does, and regroups them when the controller asks.
type fleetSource struct {
	cur     atomic.Pointer[model.Snapshot]
	version atomic.Uint64
	mu      sync.Mutex
	groupBy string
	calls   []string
}

func newFleetSource() *fleetSource {
	f := &fleetSource{groupBy: "role"}
	f.publish(0)
	return f
}

func (f *fleetSource) publish(shift float64) {
	f.mu.Lock()
	g := f.groupBy
	f.mu.Unlock()
	f.cur.Store(fixtureSnapshot(f.version.Add(1), shift, g))
}

func (f *fleetSource) Snapshot() *model.Snapshot { return f.cur.Load() }

func (f *fleetSource) SetGroupBy(field string) {
	f.mu.Lock()
	f.calls = append(f.calls, "group by "+field)
	f.groupBy = field
	f.mu.Unlock()
	f.publish(0)
}

// commandLine is the test stand-in for model/query: a few verbs over the fixture's series, drawn at once.
type commandLine struct {
	mu      sync.Mutex
	history *query.History
	windows Windows
	views   map[string][]WindowData
	src     *fleetSource
}

func newCommandLine(src *fleetSource) *commandLine {
	h, _ := query.OpenHistory("", 0)
	return &commandLine{src: src, history: h,
		views: map[string][]WindowData{"overview": {fixtureWindow("cpu", "CPU by group")}}}
}

var fixtureTargets = []string{"fleet.web.cpu", "fleet.web.net.in", "fleet.db.cpu", "fleet.cache.memcache.ops"}

func fixtureWindow(name, title string) WindowData {
	return WindowData{
		Name: name, Title: title, From: "-10min", Until: "now",
		Start: fixtureTime.Add(-590 * time.Second), End: fixtureTime,
		Series: []ChartSeries{
			{Name: "web", Points: wave(60, 40, 20, 0, 17)},
			{Name: "db", Points: wave(60, 25, 10, 1, 0)},
			{Name: "cache", Points: wave(60, 60, 15, 2, 29)},
		},
	}
}

// setWindows publishes a new drawing of the windows; c.mu is held.
func (c *commandLine) setWindows(ws []WindowData) {
	c.windows = Windows{Version: c.windows.Version + 1, List: ws}
}

func (c *commandLine) Run(line string) (Reply, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.history.Add(line)
	f := strings.Fields(line)
	if len(f) == 0 {
		return Reply{}, nil
	}
	drew := Reply{Actions: []Action{ShowWindows{}}}
	switch f[0] {
	case "draw":
		if len(f) < 2 {
			return Reply{}, fmt.Errorf("draw: col 5: want a target")
		}
		w := WindowData{Name: fmt.Sprintf("w%d", len(c.windows.List)+1), Title: f[1], Start: fixtureTime.Add(-590 * time.Second), End: fixtureTime,
			Series: []ChartSeries{{Name: f[1], Points: wave(60, 50, 30, float64(len(c.windows.List)), 11)}}}
		c.setWindows(append(slices.Clip(c.windows.List), w))
		drew.Output = "drew " + f[1] + " in " + w.Name + "\n  " + f[1] + "  last 50  min 20  max 80"
		return drew, nil
	case "load":
		if len(f) < 2 {
			return Reply{}, fmt.Errorf("load: want a view name")
		}
		v, ok := c.views[f[1]]
		if !ok {
			return Reply{}, fmt.Errorf("load: no view %q", f[1])
		}
		c.setWindows(slices.Clone(v))
		drew.Output = "loaded " + f[1]
		return drew, nil
	case "views":
		return Reply{Output: "overview\nsecond"}, nil
	case "set":
		if len(f) == 3 && f[1] == "refresh" {
			d, err := time.ParseDuration(f[2])
			if err != nil {
				return Reply{}, fmt.Errorf("set refresh: %w", err)
			}
			return Reply{Output: "refresh " + d.String(), Actions: []Action{SetRefresh{Every: d}}}, nil
		}
	}
	return Reply{}, fmt.Errorf("col 1: unknown verb %q", f[0])
}

func (c *commandLine) Complete(line string, cursor int) (string, []string) {
	word := line[strings.LastIndexByte(line, ' ')+1:]
	var cands []string
	for _, t := range fixtureTargets {
		if strings.HasPrefix(t, word) {
			cands = append(cands, t)
		}
	}
	if len(cands) == 0 {
		return line, nil
	}
	prefix := cands[0]
	for _, c := range cands[1:] {
		for !strings.HasPrefix(c, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	return line[:len(line)-len(word)] + prefix, cands
}

func (c *commandLine) History() *query.History { return c.history }

func (c *commandLine) Windows() *Windows {
	c.mu.Lock()
	defer c.mu.Unlock()
	ws := c.windows
	return &ws
}

func (c *commandLine) Views() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.views))
	for n := range c.views {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// saveView stores windows as a view, the way `save` would.
func (c *commandLine) saveView(name string, ws []WindowData) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.views[name] = ws
}

// commandRunner is the fixture command line with more verbs that act on the dashboard: `set theme`, `filter`,
// `clear`, and `draw` without `in WINDOW` as a one-off chart. Other lines go to commandLine.Run.
type commandRunner struct{ *commandLine }

func (c commandRunner) Run(line string) (Reply, error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return Reply{}, nil
	}
	record := func() { _ = c.history.Add(line) }
	switch {
	case f[0] == "set" && len(f) == 3 && f[1] == "theme":
		record()
		return Reply{Actions: []Action{SwitchTheme{Name: f[2]}}}, nil
	case f[0] == "filter":
		record()
		expr := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "filter"))
		inv := strings.HasPrefix(expr, "!")
		return Reply{Actions: []Action{FilterTable{Expr: strings.TrimSpace(strings.TrimPrefix(expr, "!")), Invert: inv}}}, nil
	case f[0] == "clear":
		record()
		return Reply{Actions: []Action{ClearMessages{}}}, nil
	case f[0] == "draw" && len(f) == 2:
		record()
		w := fixtureWindow("", "")
		w.Series = []ChartSeries{{Name: f[1], Points: wave(60, 50, 30, 0, 11)}}
		return Reply{Output: "drew " + f[1], Actions: []Action{ShowChart{Window: w}}}, nil
	}
	return c.commandLine.Run(line)
}
