package sim

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

var testStart = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// capture ticks f from its current time to end in steps and returns copies of every datagram.
func capture(t testing.TB, f *Fleet, end time.Time, step time.Duration) [][]byte {
	t.Helper()
	var out [][]byte
	for now := f.Now().Add(step); ; now = now.Add(step) {
		if now.After(end) {
			now = end
		}
		if err := f.Tick(now, func(b []byte) error {
			out = append(out, bytes.Clone(b))
			return nil
		}); err != nil {
			t.Fatalf("tick %v: %v", now, err)
		}
		if !now.Before(end) {
			return out
		}
	}
}

func TestDeterministic(t *testing.T) {
	opt := Options{Seed: 42, Hosts: 24, Start: testStart}
	end := testStart.Add(30 * time.Second)
	a := capture(t, New(opt), end, 100*time.Millisecond)
	if len(a) < 100 {
		t.Fatalf("only %d datagrams in 30 s", len(a))
	}

	t.Run("same seed, other tick cadence", func(t *testing.T) {
		b := capture(t, New(opt), end, 1700*time.Millisecond)
		if !slices.EqualFunc(a, b, bytes.Equal) {
			t.Fatalf("ticking every 1.7 s gave %d datagrams, every 100 ms %d, or other bytes", len(b), len(a))
		}
	})
	t.Run("same seed, one tick", func(t *testing.T) {
		b := capture(t, New(opt), end, time.Hour)
		if !slices.EqualFunc(a, b, bytes.Equal) {
			t.Fatalf("one tick gave %d datagrams, 100 ms ticks %d, or other bytes", len(b), len(a))
		}
	})
	t.Run("same seed, other start", func(t *testing.T) {
		o := opt
		o.Start = testStart.Add(-1000 * time.Hour)
		b := capture(t, New(o), o.Start.Add(30*time.Second), 100*time.Millisecond)
		if !slices.EqualFunc(a, b, bytes.Equal) {
			t.Fatal("Start changed the datagrams; it should only label time")
		}
	})
	t.Run("other seed", func(t *testing.T) {
		o := opt
		o.Seed = 43
		b := capture(t, New(o), end, 100*time.Millisecond)
		same := 0
		for i := range min(len(a), len(b)) {
			if bytes.Equal(a[i], b[i]) {
				same++
			}
		}
		if same > 0 {
			t.Fatalf("seed 43 repeated %d of seed 42's datagrams", same)
		}
	})
}

func TestTickEmitError(t *testing.T) {
	opt := Options{Seed: 9, Hosts: 12, Start: testStart}
	end := testStart.Add(10 * time.Second)
	want := capture(t, New(opt), end, time.Second)

	// A failing emit ends the Tick after the agent's second, whose other datagrams are lost; the next Tick goes
	// on from there, so what does get through is the same stream with holes.
	f := New(opt)
	refuse := errors.New("socket closed")
	var got [][]byte
	failures, lost, calls := 0, 0, 0
	for {
		refused := false
		err := f.Tick(end, func(b []byte) error {
			if refused {
				t.Fatal("emit called again after it failed")
			}
			calls++
			if refused = calls%50 == 0; refused {
				lost++
				return refuse
			}
			got = append(got, bytes.Clone(b))
			return nil
		})
		if err == nil {
			break
		}
		if !errors.Is(err, refuse) {
			t.Fatalf("tick: %v, want the emit error", err)
		}
		failures++
	}
	if failures == 0 {
		t.Fatal("emit never failed")
	}
	// got must be want with a few short holes.
	i, holes := 0, 0
	for _, b := range want {
		if i < len(got) && bytes.Equal(got[i], b) {
			i++
		} else {
			holes++
		}
	}
	if i != len(got) || holes < lost || holes > 20*lost || !bytes.Equal(got[len(got)-1], want[len(want)-1]) {
		t.Fatalf("%d failures: %d of %d datagrams got through in order, %d missing", failures, i, len(want), holes)
	}
}

func TestTickClock(t *testing.T) {
	f := New(Options{Seed: 1, Hosts: 6, Start: testStart})
	count := func(now time.Time) (int, error) {
		n := 0
		err := f.Tick(now, func([]byte) error { n++; return nil })
		return n, err
	}
	if n, err := count(testStart.Add(-time.Second)); n != 0 || err != nil {
		t.Fatalf("before Start: %d datagrams, %v", n, err)
	}
	if n, err := count(testStart.Add(5 * time.Second)); n == 0 || err != nil {
		t.Fatalf("first 5 s: %d datagrams, %v", n, err)
	}
	if n, err := count(testStart.Add(4 * time.Second)); n != 0 || err != nil {
		t.Fatalf("going back: %d datagrams, %v", n, err)
	}
	if got := f.Now(); !got.Equal(testStart.Add(5 * time.Second)) {
		t.Fatalf("Now = %v, want Start+5s", got)
	}
	if _, err := count(testStart.Add(5*time.Second + MaxCatchUp + time.Second)); err == nil {
		t.Fatal("a jump past MaxCatchUp was accepted")
	}
}

func TestHostCounts(t *testing.T) {
	for _, n := range []int{6, 7, 13, 60, 61, 100, 1000, MaxHosts} {
		c := hostCounts(n)
		sum := 0
		for i, v := range c {
			if v < 1 {
				t.Errorf("%d hosts: %s has %d", n, profiles[i].appType, v)
			}
			sum += v
		}
		if sum != n {
			t.Errorf("%d hosts: counts %v add up to %d", n, c, sum)
		}
	}
	if got, want := hostCounts(60), [numApps]int{20, 10, 10, 8, 4, 8}; got != want {
		t.Errorf("60 hosts: %v, want %v", got, want)
	}
}

func TestLayout(t *testing.T) {
	f := New(Options{Seed: 3})
	hosts := f.Hosts()
	if len(hosts) != DefaultHosts {
		t.Fatalf("%d hosts, want %d", len(hosts), DefaultHosts)
	}
	names, addrs := map[string]bool{}, map[netip.Addr]bool{}
	staging := 0
	for _, h := range hosts {
		if names[h.Name] || addrs[h.Addr] {
			t.Errorf("%s %v: duplicate name or address", h.Name, h.Addr)
		}
		names[h.Name], addrs[h.Addr] = true, true
		if !h.Addr.Is4() || h.Addr.As4()[0] != 10 {
			t.Errorf("%s: agent address %v, want 10.x.y.z", h.Name, h.Addr)
		}
		if (h.AppType == AppWeb || h.AppType == AppImageServer) != h.Addr6.IsValid() {
			t.Errorf("%s (%s): IPv6 %v", h.Name, h.AppType, h.Addr6)
		}
		if h.Environment == "staging" {
			staging++
		}
	}
	if staging == 0 || staging > len(hosts)/5 {
		t.Errorf("%d staging hosts of %d, want a few", staging, len(hosts))
	}
	sws := f.Switches()
	if len(sws) < 2 {
		t.Fatalf("%d switches", len(sws))
	}
	for _, s := range sws {
		if s.SamplingRate < 1000 || s.SamplingRate > 8192 || addrs[s.Addr] {
			t.Errorf("switch %s %v: sampling 1-in-%d", s.Name, s.Addr, s.SamplingRate)
		}
	}
	if got := New(Options{Hosts: 2}).Hosts(); len(got) != MinHosts {
		t.Errorf("Hosts 2 gave %d hosts, want %d", len(got), MinHosts)
	}
}

func TestIncidentSchedule(t *testing.T) {
	f := New(Options{Seed: 11, Hosts: MinHosts, Start: testStart})
	cycle := f.Options().Cycle
	slot := cycle / 4
	order := []IncidentKind{ErrorSurge, HotKey, SilentHost, TrafficBurst}
	hosts := map[string]Host{}
	for _, h := range f.Hosts() {
		hosts[h.Name] = h
	}
	for c := range 3 {
		for i, kind := range order {
			slotStart := testStart.Add(time.Duration(c)*cycle + time.Duration(i)*slot)
			if inc := f.IncidentAt(slotStart.Add(slot / 8)); inc.Kind != Calm || inc.Name != "" {
				t.Errorf("cycle %d slot %d lead-in: %v %q, want calm", c, i, inc.Kind, inc.Name)
			}
			at := slotStart.Add(slot / 2)
			inc := f.IncidentAt(at)
			if inc.Kind != kind || inc.Name == "" || at.Before(inc.Start) || !at.Before(inc.End) {
				t.Errorf("cycle %d slot %d: %+v, want %v around %v", c, i, inc, kind, at)
				continue
			}
			if got := f.IncidentAt(inc.Start); got.Kind != kind {
				t.Errorf("%v starts at %v but IncidentAt there is %v", kind, inc.Start, got.Kind)
			}
			if got := f.IncidentAt(inc.End); got.Kind == kind {
				t.Errorf("%v ends at %v but is still running there", kind, inc.End)
			}
			switch kind {
			case ErrorSurge:
				if inc.AppType != AppWeb && inc.AppType != AppImageServer {
					t.Errorf("5xx surge on %q", inc.AppType)
				}
			case HotKey:
				if hosts[inc.Host].AppType != AppMemcached || !strings.HasSuffix(inc.Key, ":stock") {
					t.Errorf("hot key %q on %q", inc.Key, inc.Host)
				}
			case SilentHost:
				if _, ok := hosts[inc.Host]; !ok {
					t.Errorf("silent host %q is not in the fleet", inc.Host)
				}
			case TrafficBurst:
				if inc.From == "" || inc.To == "" || inc.From == inc.To {
					t.Errorf("burst %q → %q", inc.From, inc.To)
				}
			}
		}
	}
	// The concurrent accessor follows the clock.
	if err := f.Tick(testStart.Add(slot*5/2), func([]byte) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := f.Incident(); got.Kind != SilentHost {
		t.Errorf("Incident() at 2.5 slots = %v, want %v", got.Kind, SilentHost)
	}
}

// streamCheck accumulates what a decoded stream of the fleet showed.
type streamCheck struct {
	t      *testing.T
	f      *Fleet
	byAddr map[netip.Addr]Host
	enc    map[string]bool

	datagrams   int
	formats     map[recordKey]int
	appTypes    map[string]bool
	hostnames   map[string]bool
	headerKinds map[string]int // "ipv4", "ipv6", "tcp", "udp", "vlan"
	seq         map[agentKey]uint32
	gaps        map[netip.Addr]int
	uptime      map[agentKey]uint32

	http       map[bool][2]int // in a surge of its appType: {requests, 5xx}
	httpApps   map[string]int
	hotOps     [2]int // during HotKey on the hot host: {ops, hot key ops}
	stray      int    // hot keys seen outside their incident
	mcPrev     map[netip.Addr]mcPoint
	hitLow     []float64 // get hit ratios in the second half of a HotKey on the hot host
	hitCalm    []float64 // get hit ratios when nothing happens to memcached
	silent     map[string]int
	silentAt   map[string]Incident
	burstIn    int                    // sampled headers From → To during a burst between them
	pairOut    map[[2]string]int      // sampled headers between two appTypes outside bursts
	burstPairs map[[2]string]bool     // the pairs that had a burst
	burstDur   map[bool]time.Duration // time in bursts, and outside
}

type recordKey struct {
	counters           bool
	enterprise, format uint32
}

func (k recordKey) String() string {
	kind := "flow"
	if k.counters {
		kind = "counter"
	}
	return fmt.Sprintf("%s %d:%d", kind, k.enterprise, k.format)
}

type agentKey struct {
	addr netip.Addr
	sub  uint32
}

type mcPoint struct {
	at           time.Time
	hits, misses uint32
	state        string
}

func newStreamCheck(t *testing.T, f *Fleet) *streamCheck {
	c := &streamCheck{t: t, f: f, byAddr: map[netip.Addr]Host{}, enc: map[string]bool{},
		formats: map[recordKey]int{}, appTypes: map[string]bool{}, hostnames: map[string]bool{},
		headerKinds: map[string]int{}, seq: map[agentKey]uint32{}, gaps: map[netip.Addr]int{},
		uptime: map[agentKey]uint32{}, http: map[bool][2]int{}, httpApps: map[string]int{},
		mcPrev: map[netip.Addr]mcPoint{}, silent: map[string]int{}, silentAt: map[string]Incident{},
		pairOut: map[[2]string]int{}, burstPairs: map[[2]string]bool{}, burstDur: map[bool]time.Duration{}}
	for _, h := range f.Hosts() {
		c.byAddr[h.Addr] = h
		if h.Addr6.IsValid() {
			c.byAddr[h.Addr6] = h
		}
	}
	for name := range f.ENC() {
		c.enc[name] = true
	}
	return c
}

// datagram checks one datagram emitted by a Tick that covered (from, to]; inc is the incident over all of it,
// or Calm with an empty Name when the interval straddles a boundary.
func (c *streamCheck) datagram(dec *sflow.Decoder, d *sflow.Datagram, b []byte, to time.Time, inc Incident, clear bool) {
	t := c.t
	c.datagrams++
	if len(b) > MaxDatagram {
		t.Errorf("datagram of %d bytes", len(b))
	}
	if err := dec.Decode(b, d); err != nil {
		t.Fatalf("datagram %d from %v: %v", c.datagrams, d.AgentAddr, err)
	}
	if d.UnknownSamples+d.UnknownRecords > 0 || int(d.NumSamples) != len(d.Samples) || len(d.Samples) == 0 {
		t.Errorf("datagram from %v: %d samples of %d, %d unknown samples, %d unknown records",
			d.AgentAddr, len(d.Samples), d.NumSamples, d.UnknownSamples, d.UnknownRecords)
	}
	h, isHost := c.byAddr[d.AgentAddr]
	agent := agentKey{d.AgentAddr, d.SubAgentID}
	if prev, ok := c.seq[agent]; ok && d.SequenceNumber != prev+1 {
		c.gaps[d.AgentAddr]++
	}
	c.seq[agent] = d.SequenceNumber
	if prev, ok := c.uptime[agent]; ok && d.Uptime < prev {
		t.Errorf("%v: uptime went back from %d to %d", agent, prev, d.Uptime)
	}
	c.uptime[agent] = d.Uptime
	if inc.Kind == SilentHost && isHost && h.Name == inc.Host && clear {
		c.silent[inc.Start.String()]++
	}

	for i := range d.Samples {
		s := &d.Samples[i]
		for j := range s.Records {
			r := &s.Records[j]
			c.formats[recordKey{s.Kind == sflow.SampleKindCounters, r.Enterprise, r.Format}]++
			switch r.Type {
			case sflow.RecHostDescr:
				name := string(d.HostDescr(r).Hostname)
				c.hostnames[name] = true
				if !c.enc[name] {
					t.Errorf("host_descr hostname %q has no ENC node", name)
				}
				if isHost {
					c.appTypes[h.AppType] = true
				}
			case sflow.RecHTTPRequest:
				v := d.HTTPRequest(r)
				c.httpApps[h.AppType]++
				if clear {
					surge := inc.Kind == ErrorSurge && inc.AppType == h.AppType
					n := c.http[surge]
					n[0]++
					if v.Status >= 500 {
						n[1]++
					}
					c.http[surge] = n
				}
			case sflow.RecMemcacheOp:
				key := string(d.MemcacheOp(r).Key)
				hot := inc.Kind == HotKey && inc.Host == h.Name
				switch {
				case hot && clear:
					c.hotOps[0]++
					if key == inc.Key {
						c.hotOps[1]++
					}
				case clear && !hot && strings.HasSuffix(key, ":stock"):
					c.stray++
				}
			case sflow.RecMemcacheCounters:
				c.memcacheCounters(d.AgentAddr, h, d.MemcacheCounters(r), to, inc, clear)
			case sflow.RecSampledHeader:
				c.sampledHeader(&d.SampledHeader(r).Packet, inc, clear)
			}
		}
	}
}

func (c *streamCheck) memcacheCounters(agent netip.Addr, h Host, v *sflow.MemcacheCounters, at time.Time, inc Incident, clear bool) {
	state := "mixed"
	if clear {
		switch {
		case inc.Kind == HotKey && inc.Host == h.Name && at.Sub(inc.Start) >= inc.End.Sub(inc.Start)/2:
			state = "low"
		case inc.Kind == Calm || inc.Kind == SilentHost:
			state = "calm"
		}
	}
	prev, ok := c.mcPrev[agent]
	c.mcPrev[agent] = mcPoint{at: at, hits: v.GetHits, misses: v.GetMisses, state: state}
	if !ok || prev.state != state || state == "mixed" {
		return
	}
	hits, misses := float64(v.GetHits-prev.hits), float64(v.GetMisses-prev.misses)
	if hits+misses == 0 {
		return
	}
	ratio := hits / (hits + misses)
	if state == "low" {
		c.hitLow = append(c.hitLow, ratio)
	} else {
		c.hitCalm = append(c.hitCalm, ratio)
	}
}

func (c *streamCheck) sampledHeader(p *sflow.PacketSummary, inc Incident, clear bool) {
	if !p.Decoded || p.Truncated && p.IPVersion == 0 {
		c.t.Errorf("sampled header did not decode: %+v", p)
		return
	}
	switch p.IPVersion {
	case 4:
		c.headerKinds["ipv4"]++
	case 6:
		c.headerKinds["ipv6"]++
	}
	switch p.IPProtocol {
	case protoTCP:
		c.headerKinds["tcp"]++
	case protoUDP:
		c.headerKinds["udp"]++
	}
	if p.NumVLANs > 0 {
		c.headerKinds["vlan"]++
	}
	src, dst := c.byAddr[p.SrcIP], c.byAddr[p.DstIP]
	if src.Name != "" && dst.Name != "" {
		c.headerKinds["host to host"]++
	}
	switch {
	case !clear:
	case inc.Kind == TrafficBurst:
		c.burstPairs[[2]string{inc.From, inc.To}] = true
		if src.AppType == inc.From && dst.AppType == inc.To {
			c.burstIn++
		}
	case src.AppType != "" && dst.AppType != "":
		c.pairOut[[2]string{src.AppType, dst.AppType}]++
	}
}

func TestStream(t *testing.T) { testStream(t, 5) }

func testStream(t *testing.T, seed int64) {
	const cycles = 2
	cycle := 2 * time.Minute
	f := New(Options{Seed: seed, Hosts: 30, Start: testStart, Cycle: cycle})
	c := newStreamCheck(t, f)
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	step := 250 * time.Millisecond
	end := testStart.Add(cycles*cycle + 5*time.Second)
	for now := testStart.Add(step); !now.After(end); now = now.Add(step) {
		// Datagrams of this Tick come from agent events in (now-step, now].
		first, last := f.IncidentAt(now.Add(-step+time.Millisecond)), f.IncidentAt(now)
		clear := first.Kind == last.Kind && first.Start.Equal(last.Start)
		if clear {
			if last.Kind == TrafficBurst {
				c.burstDur[true] += step
			} else {
				c.burstDur[false] += step
			}
			if last.Kind == SilentHost && now.Add(-step).After(last.Start) {
				c.silentAt[last.Start.String()] = last
			}
		}
		if err := f.Tick(now, func(b []byte) error {
			c.datagram(dec, &d, b, now, last, clear)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if t.Failed() {
		return
	}
	t.Logf("%d datagrams in %v: %v", c.datagrams, end.Sub(testStart), c.formats)

	for _, app := range AppTypes() {
		if !c.appTypes[app] {
			t.Errorf("no host_descr from a %s host", app)
		}
	}
	if len(c.hostnames) != len(f.Hosts()) {
		t.Errorf("host_descr named %d hosts, the fleet has %d", len(c.hostnames), len(f.Hosts()))
	}
	for _, format := range []uint32{sflow.CounterHostDescr, sflow.CounterHostAdapters, sflow.CounterHostParent,
		sflow.CounterHostCPU, sflow.CounterHostMemory, sflow.CounterHostDiskIO, sflow.CounterHostNetIO,
		sflow.CounterHTTP, sflow.CounterAppWorkers, sflow.CounterMemcache, sflow.CounterMemcacheLegacy,
		sflow.CounterJVMRuntime, sflow.CounterJVMStatistics, sflow.CounterGenericInterface, sflow.CounterEthernet} {
		if c.formats[recordKey{true, 0, format}] == 0 {
			t.Errorf("no %v record", recordKey{true, 0, format})
		}
	}
	for _, format := range []uint32{sflow.FlowHTTPRequest, sflow.FlowExtSocketIPv4, sflow.FlowExtSocketIPv6,
		sflow.FlowMemcacheOperation, sflow.FlowSampledHeader, sflow.FlowExtSwitch} {
		if c.formats[recordKey{false, 0, format}] == 0 {
			t.Errorf("no %v record", recordKey{false, 0, format})
		}
	}
	for _, k := range []string{"ipv4", "ipv6", "tcp", "udp", "vlan", "host to host"} {
		if c.headerKinds[k] == 0 {
			t.Errorf("no %s sampled header", k)
		}
	}
	if c.httpApps[AppWeb] == 0 || c.httpApps[AppImageServer] == 0 || len(c.httpApps) != 2 {
		t.Errorf("HTTP samples by appType: %v, want web and imageserver", c.httpApps)
	}

	// Sequence gaps only where a host went silent.
	silentHosts := map[string]bool{}
	for _, inc := range c.silentAt {
		silentHosts[inc.Host] = true
	}
	for addr, n := range c.gaps {
		if !silentHosts[c.byAddr[addr].Name] {
			t.Errorf("%v (%s): %d sequence gaps but it never went silent", addr, c.byAddr[addr].Name, n)
		}
	}

	// Each incident shows in its slot.
	surge, calm := c.http[true], c.http[false]
	t.Logf("5xx %v in surges, %v outside; hot key %v; hit ratios %.3f falling, %.3f calm; burst %v %d in %v, %v out in %v",
		surge, calm, c.hotOps, c.hitLow, slices.Min(append(c.hitCalm, 1)), c.burstPairs, c.burstIn,
		c.burstDur[true], c.pairOut, c.burstDur[false])
	if surge[0] < 100 || float64(surge[1]) < 0.2*float64(surge[0]) {
		t.Errorf("5xx surge: %d of %d requests were 5xx", surge[1], surge[0])
	}
	if calm[0] < 1000 || float64(calm[1]) > 0.02*float64(calm[0]) {
		t.Errorf("outside 5xx surges: %d of %d requests were 5xx", calm[1], calm[0])
	}
	if c.hotOps[0] < 50 || float64(c.hotOps[1]) < 0.3*float64(c.hotOps[0]) || c.stray > 0 {
		t.Errorf("hot key: %d of %d operations on the hot host; %d hot keys outside", c.hotOps[1], c.hotOps[0], c.stray)
	}
	if len(c.hitLow) == 0 || len(c.hitCalm) < 10 || slices.Max(c.hitLow) > 0.8 || slices.Min(c.hitCalm) < 0.85 {
		t.Errorf("get hit ratio: falling hot key %v, calm %d samples from %v", c.hitLow, len(c.hitCalm),
			slices.Min(append(c.hitCalm, 1)))
	}
	if len(c.silentAt) != cycles {
		t.Errorf("%d silent-host slots seen, want %d", len(c.silentAt), cycles)
	}
	for start, inc := range c.silentAt {
		if n := c.silent[start]; n > 0 {
			t.Errorf("%s sent %d datagrams while silent from %s", inc.Host, n, start)
		}
		gap := false
		for addr := range c.gaps {
			gap = gap || c.byAddr[addr].Name == inc.Host
		}
		if !gap {
			t.Errorf("%s came back from silence without a sequence gap", inc.Host)
		}
	}
	out := 0
	for pair := range c.burstPairs {
		out += c.pairOut[pair]
	}
	inRate := float64(c.burstIn) / c.burstDur[true].Seconds()
	outRate := float64(out) / c.burstDur[false].Seconds()
	if len(c.burstPairs) == 0 || inRate < 5 || inRate < 5*outRate {
		t.Errorf("traffic bursts %v: %.1f samples/s between the groups, %.1f/s between them otherwise",
			c.burstPairs, inRate, outRate)
	}
}

func BenchmarkTick(b *testing.B) {
	for _, hosts := range []int{60, 600} {
		b.Run(fmt.Sprintf("hosts=%d", hosts), func(b *testing.B) {
			f := New(Options{Seed: 1, Hosts: hosts, Start: testStart})
			var datagrams, size int
			emit := func(d []byte) error {
				datagrams++
				size += len(d)
				return nil
			}
			// Warm up past the first second, which has no flow samples.
			if err := f.Tick(testStart.Add(2*time.Second), emit); err != nil {
				b.Fatal(err)
			}
			datagrams, size = 0, 0
			b.ReportAllocs()
			b.ResetTimer()
			now := f.Now()
			for range b.N {
				now = now.Add(time.Second)
				if err := f.Tick(now, emit); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(datagrams)/float64(b.N), "datagrams/op")
			b.ReportMetric(float64(datagrams)/b.Elapsed().Seconds(), "datagrams/s")
			b.SetBytes(int64(size / max(b.N, 1)))
		})
	}
}

// FuzzFleet checks, for any seed, size and tick cadence, that the fleet's datagrams decode cleanly and fit.
func FuzzFleet(f *testing.F) {
	f.Add(int64(1), uint16(60), uint16(1000), uint8(8))
	f.Add(int64(-7), uint16(6), uint16(37), uint8(3))
	f.Add(int64(1<<40), uint16(130), uint16(5000), uint8(12))
	f.Fuzz(func(t *testing.T, seed int64, hosts, stepMs uint16, seconds uint8) {
		fl := New(Options{Seed: seed, Hosts: int(hosts % 100), Start: testStart, Cycle: MinCycle})
		step := time.Duration(max(stepMs, 1)) * time.Millisecond
		// Start up to three cycles in, so that any incident may be running.
		offset := time.Duration(seed&0x3f) * time.Second
		if err := fl.Tick(testStart.Add(offset), func([]byte) error { return nil }); err != nil {
			t.Fatal(err)
		}
		dec := sflow.NewDecoder()
		var d sflow.Datagram
		end := fl.Now().Add(time.Duration(seconds%8) * time.Second)
		for now := fl.Now().Add(step); !now.After(end); now = now.Add(step) {
			if err := fl.Tick(now, func(b []byte) error {
				if len(b) > MaxDatagram {
					t.Fatalf("datagram of %d bytes", len(b))
				}
				if err := dec.Decode(b, &d); err != nil {
					t.Fatalf("decode: %v", err)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
