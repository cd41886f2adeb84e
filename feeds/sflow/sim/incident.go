package sim

import (
	"fmt"
	"time"
)

// IncidentKind says what the fleet is going through.
type IncidentKind uint8

// The scripted incidents, in the order each cycle plays them.
const (
	Calm         IncidentKind = iota // nothing scripted
	ErrorSurge                       // one appType answers many HTTP 5xx, slowly
	HotKey                           // one memcache key takes a big share of one cache host, its hit ratio falling
	SilentHost                       // one host stops reporting (its datagrams are lost: sequence gaps after)
	TrafficBurst                     // one group of hosts floods another
	numIncidents
)

func (k IncidentKind) String() string {
	switch k {
	case Calm:
		return "calm"
	case ErrorSurge:
		return "5xx-surge"
	case HotKey:
		return "hot-key"
	case SilentHost:
		return "silent-host"
	case TrafficBurst:
		return "traffic-burst"
	}
	return fmt.Sprintf("IncidentKind(%d)", uint8(k))
}

// Incident is what the fleet is going through at some virtual time, for a demo banner and for tests.
//
// The script: each Cycle is cut into four equal slots, one per incident kind in order (ErrorSurge, HotKey,
// SilentHost, TrafficBurst); each slot starts with a calm quarter, then the incident runs to the slot's end.
// Which appType, host, key or groups are involved changes from cycle to cycle.
type Incident struct {
	Kind       IncidentKind
	Name       string    // one line of ASCII for a banner: "5xx surge on web"; "" when calm
	Start, End time.Time // the incident (or the calm stretch) runs in [Start, End)
	AppType    string    // ErrorSurge: the appType answering 5xx
	Host       string    // SilentHost: the host that stops; HotKey: the memcached host holding the key
	Key        string    // HotKey: the key
	From, To   string    // TrafficBurst: the appTypes of the flooding and the flooded hosts
}

// Share of the hot memcache host's operations that go to the hot key during HotKey.
const hotKeyShare = 0.45

// burstPairs are the traffic bursts the script picks from: from, to, destination port.
var burstPairs = [...]struct {
	from, to int
	port     uint16
}{
	{iSearch, iDB, 3306},        // a reindex reads the whole catalogue
	{iDB, iImage, 873},          // image metadata resync
	{iWeb, iSearch, 9200},       // a crawler storm turned into search queries
	{iImage, iMemcached, 11211}, // cache warm-up after a deploy
}

// plan is an Incident in the simulation's terms: indices and virtual milliseconds.
type plan struct {
	kind           IncidentKind
	startMs, endMs int64
	cycle          int64
	app            int    // ErrorSurge
	host           int    // SilentHost, HotKey: index in Fleet.hosts
	keyID          uint64 // HotKey
	from, to       int    // TrafficBurst
	port           uint16 // TrafficBurst
}

// planAt returns the incident running at ms. It is pure: IncidentAt may call it from any goroutine.
func (f *Fleet) planAt(ms int64) plan {
	cycle := floorDiv(ms, f.cycleMs)
	slotMs := f.cycleMs / int64(numIncidents-1)
	within := ms - cycle*f.cycleMs
	slot := min(within/slotMs, int64(numIncidents-2))
	slotStart := cycle*f.cycleMs + slot*slotMs
	slotEnd := slotStart + slotMs
	if slot == int64(numIncidents-2) {
		slotEnd = (cycle + 1) * f.cycleMs
	}
	calmEnd := slotStart + slotMs/4
	if ms < calmEnd {
		return plan{kind: Calm, startMs: slotStart, endMs: calmEnd, cycle: cycle, app: -1, host: -1, from: -1, to: -1}
	}
	p := plan{kind: IncidentKind(slot + 1), startMs: calmEnd, endMs: slotEnd, cycle: cycle,
		app: -1, host: -1, from: -1, to: -1}
	seed, c := uint64(f.opt.Seed), uint64(cycle)
	switch p.kind {
	case ErrorSurge:
		p.app = []int{iWeb, iImage}[mix(seed, c, 1)%2]
	case HotKey:
		caches := f.byApp[iMemcached]
		p.host = caches[mix(seed, c, 2)%uint64(len(caches))].idx
		p.keyID = 10_000 + mix(seed, c, 22)%90_000
	case SilentHost:
		p.host = int(mix(seed, c, 3) % uint64(len(f.hosts)))
	case TrafficBurst:
		b := burstPairs[mix(seed, c, 4)%uint64(len(burstPairs))]
		p.from, p.to, p.port = b.from, b.to, b.port
	}
	return p
}

// hotKeyName is the hot key of an incident.
func hotKeyName(b []byte, id uint64) []byte {
	b = append(b, "item:"...)
	b = appendUint(b, id)
	return append(b, ":stock"...)
}

// hotKeyHitRatio is how often a GET of the hot key hits, falling through the incident as the key keeps being
// invalidated and refetched.
func hotKeyHitRatio(p *plan, ms int64) float64 {
	progress := float64(ms-p.startMs) / float64(p.endMs-p.startMs)
	return 0.9 - 0.75*min(max(progress, 0), 1)
}

// IncidentAt returns the incident running at virtual time t. It is safe to call concurrently with Tick.
func (f *Fleet) IncidentAt(t time.Time) Incident {
	p := f.planAt(f.msOf(t))
	inc := Incident{Kind: p.kind, Start: f.timeOf(p.startMs), End: f.timeOf(p.endMs)}
	switch p.kind {
	case ErrorSurge:
		inc.AppType = profiles[p.app].appType
		inc.Name = "5xx surge on " + inc.AppType
	case HotKey:
		inc.Host = f.hosts[p.host].Name
		inc.Key = string(hotKeyName(nil, p.keyID))
		inc.Name = fmt.Sprintf("hot memcache key %s on %s, hit ratio falling", inc.Key, inc.Host)
	case SilentHost:
		inc.Host = f.hosts[p.host].Name
		inc.Name = inc.Host + " stopped reporting"
	case TrafficBurst:
		inc.From, inc.To = profiles[p.from].appType, profiles[p.to].appType
		inc.Name = fmt.Sprintf("traffic burst %s -> %s", inc.From, inc.To)
	}
	return inc
}

// Incident returns the incident at the fleet's current virtual time (Now). It is safe to call concurrently
// with Tick, for a banner beside a running Send.
func (f *Fleet) Incident() Incident { return f.IncidentAt(f.Now()) }
