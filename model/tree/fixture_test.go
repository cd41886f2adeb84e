package tree

import (
	"math"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/fleettop/fleettop/model"
)

// The fixture fleet: five hosts in three groups (two of them called localhost), group aggregates, top-N
// rows, agents and health, at a 5 s step with 15 minutes of history per snapshot, like the model's defaults.
// Values are multiples of 1/4, so float32 holds them exactly; some steps are holes (NaN), and the newest
// steps of every history stay NaN until the fixture's "sample" at each third step fills them, as the model
// fills counter spans.
const (
	fxStep   = 5 * time.Second
	fxPoints = 180
	fxSecs   = int64(fxStep / time.Second)
	// fxStart is a bin well into the epoch so times look real.
	fxStart = int64(1_795_559_400) / fxSecs
)

type fxHost struct {
	row    model.HostRow
	series []string
}

var fxHosts = []fxHost{
	{model.HostRow{ID: "10.0.0.1/0f0e0d0c-0b0a-0908-0706-050403020100", Name: "web01", Environment: "production",
		Classes: []string{"web", "base"},
		Params: map[string]string{"appType": "web", "cabLocation": "98b", "rack": "0042", "bad=name": "x",
			"name": "shadowed", "ganglia_ip": ""}},
		[]string{"cpu.utilisation", "http.status.5xx", "if.3.bytes_in", "net.bytes_in"}},
	{model.HostRow{ID: "10.0.0.2/3:1", Name: "web02.example.com", Environment: "staging",
		Params: map[string]string{"appType": "web", "cabLocation": "12a"}},
		[]string{"cpu.utilisation", "http.status.5xx", "net.bytes_in"}},
	{model.HostRow{ID: "10.0.0.3/3:1", Name: "localhost", DupName: true, Environment: "production",
		Params: map[string]string{"appType": "web"}},
		[]string{"cpu.utilisation", "net.bytes_in"}},
	{model.HostRow{ID: "10.0.0.4/3:1", Name: "localhost", DupName: true, Environment: "production",
		Classes: []string{"role::memcache"}, Params: map[string]string{"appType": "memcache"}},
		[]string{"cpu.utilisation", "memcache.hit_ratio"}},
	{model.HostRow{ID: "10.0.0.5", Name: "db07"},
		[]string{"cpu.utilisation", "disk.used_pct"}},
}

// fxValue is the final value of a host's series in a bin.
func fxValue(host, series int, bin int64) float64 {
	if (bin+int64(host*7+series))%17 == 0 {
		return math.NaN()
	}
	return float64((int64(host*37+series*11)+bin*3)%400) / 4
}

// fxFilled is the last bin a snapshot whose latest bin is last has values for.
func fxFilled(last int64) int64 { return last - ((last%3)+3)%3 }

// fxSeen is a bin's value as a snapshot at bin last shows it.
func fxSeen(host, series int, bin, last int64) float64 {
	if bin > fxFilled(last) {
		return math.NaN()
	}
	return fxValue(host, series, bin)
}

// fxGroup is a host's group under a group-by field.
func fxGroup(h *model.HostRow, groupBy string) string {
	v := h.Params[groupBy]
	if groupBy == "environment" {
		v = h.Environment
	}
	if v == "" {
		return model.Unclassified
	}
	return v
}

// fxTime is the time of the snapshot of bin last: two seconds into the step, so alignment matters.
func fxTime(last int64) time.Time { return time.Unix(last*fxSecs+2, 0) }

// fxSnapshot builds the fixture's snapshot whose latest bin is last.
func fxSnapshot(last int64, groupBy string) *model.Snapshot {
	s := &model.Snapshot{Version: uint64(last), Time: fxTime(last), Step: fxStep, GroupBy: groupBy, Window: time.Minute}
	groups := map[string]int{}
	for i, fh := range fxHosts {
		h := fh.row
		h.Group = fxGroup(&fh.row, groupBy)
		groups[h.Group]++
		h.Agent = netip.MustParseAddr(h.ID[:8])
		for j, name := range fh.series {
			pts := make([]float64, fxPoints)
			for k := range pts {
				pts[k] = fxSeen(i, j, last-fxPoints+1+int64(k), last)
			}
			h.Series = append(h.Series, model.NamedSeries{Name: name, Points: pts})
		}
		s.Hosts = append(s.Hosts, &h)
	}
	for _, name := range []string{"cache", "memcache", "production", "staging", "web", model.Unclassified} {
		n, ok := groups[name]
		if !ok {
			continue
		}
		g := model.GroupRow{Name: name, Hosts: n, DiskRead: float64(last % 1000), MemUsedPct: math.NaN()}
		cpu := make([]float64, fxPoints)
		for k := range cpu {
			cpu[k] = fxSeen(100+len(name), 0, last-fxPoints+1+int64(k), last)
		}
		g.History.CPU = cpu
		g.CPU = cpu[len(cpu)-1]
		s.Groups = append(s.Groups, g)
	}
	a1, a2 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	v6 := netip.MustParseAddr("2001:db8::1")
	s.TalkersByPair = []model.TalkerRow{{Src: a1, Dst: a2, Bytes: float64(1000 + last%100), Packets: 10}}
	s.TalkersBySrc = []model.TalkerRow{{Src: a1, Bytes: 2000, Packets: 20}}
	s.TalkersByDst = []model.TalkerRow{{Dst: v6, Bytes: 3000, Packets: 30}, {Bytes: 1}} // the second is invalid
	s.URLs = []model.URLRow{{Host: "www.example.com", Path: "/api/v1?q=1", Rate: 10, Status: [6]float64{0, 0, 0.9, 0, 0, 0.1},
		MeanMS: 12.5, P95MS: 40}}
	s.Keys = []model.KeyRow{{Key: "user:42", Rate: 5, HitRatio: 0.75}, {Key: "", Rate: 1, HitRatio: math.NaN()}}
	s.Agents = []*model.AgentRow{{Addr: a1, SubAgent: 0, Datagrams: uint64(last)}}
	s.Health = model.Health{Datagrams: uint64(last)*1000 + 123_456_789, DatagramsPerSec: 200.5, Hosts: len(s.Hosts),
		ENC: model.FeedHealth{Configured: true, OK: true}}
	return s
}

// holder is the simplest SnapshotSource: the latest snapshot stored.
type holder struct {
	p atomic.Pointer[model.Snapshot]
}

func (h *holder) Snapshot() *model.Snapshot { return h.p.Load() }

// fxTree returns a tree that has taken in the fixture's snapshots from bin first to bin last, one per step.
func fxTree(first, last int64, opt Options) (*Tree, *holder) {
	h := &holder{}
	t := New(h, opt)
	for b := first; b <= last; b++ {
		h.p.Store(fxSnapshot(b, "appType"))
		t.Refresh()
	}
	return t, h
}
