package cluster

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/relay"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/cluster/clustertest"
	"github.com/fleettop/fleettop/model"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// split is a simulated fleet played in virtual time into a reference model that gets every datagram and into
// n collectors' models that each get the agents the relay's hash gives them, all published at the same
// moments.
type split struct {
	sim   *sim.Fleet
	ref   *model.Fleet
	parts []*model.Fleet
	to    []*relay.Target
	now   time.Time
	encs  []*enc.Resolver
}

func testModel(t testing.TB, fl *sim.Fleet, encs *[]*enc.Resolver) *model.Fleet {
	f := model.NewFleet(model.Options{Step: 5 * time.Second, History: 2 * time.Minute})
	r := enc.NewResolver(enc.NewStaticSource(fl.ENC()), enc.Options{})
	t.Cleanup(r.Close)
	f.SetENC(r)
	*encs = append(*encs, r)
	return f
}

func newSplit(t testing.TB, hosts, n int) *split {
	fl := sim.New(sim.Options{Seed: 5, Hosts: hosts, Start: t0})
	sp := &split{sim: fl, now: fl.Now()}
	sp.ref = testModel(t, fl, &sp.encs)
	for i := range n {
		sp.parts = append(sp.parts, testModel(t, fl, &sp.encs))
		sp.to = append(sp.to, &relay.Target{To: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(7000+i))})
	}
	return sp
}

// run plays d of the fleet, publishing every model every second.
func (sp *split) run(t testing.TB, d time.Duration) {
	dec := sflow.NewDecoder()
	var dg sflow.Datagram
	src := netip.MustParseAddrPort("127.0.0.1:6343")
	for end := sp.now.Add(d); sp.now.Before(end); {
		for range 4 {
			sp.now = sp.now.Add(250 * time.Millisecond)
			at := sp.now
			err := sp.sim.Tick(at, func(b []byte) error {
				agent, _ := relay.AgentAddr(b)
				part := sp.parts[relay.Pick(agent, sp.to)]
				sflow.DecodeInto(dec, b, &dg, src, at, sp.ref)
				sflow.DecodeInto(dec, b, &dg, src, at, part)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		sp.ref.Publish(sp.now)
		for _, p := range sp.parts {
			p.Publish(sp.now)
		}
	}
}

// settle publishes every model at the current time until no ENC answer is pending.
func (sp *split) settle(t testing.TB) (*model.Snapshot, []*model.Snapshot) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		pending := false
		for _, r := range sp.encs {
			if h := r.Health(); h.InFlight > 0 || h.Queued > 0 {
				pending = true
			}
		}
		ref := sp.ref.Publish(sp.now)
		var parts []*model.Snapshot
		for _, p := range sp.parts {
			parts = append(parts, p.Publish(sp.now))
		}
		for _, h := range ref.Hosts {
			pending = pending || h.ENCStatus == enc.Pending.String()
		}
		if !pending {
			return ref, parts
		}
		if time.Now().After(deadline) {
			t.Fatal("ENC answers pending after 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// collectors turns the parts' snapshots into what a subscriber holds after receiving the messages their
// publishers send, decoded from the wire.
func collectors(t testing.TB, parts []*model.Snapshot, seen time.Time) []*Collector {
	sub := &Subscriber{collectors: make(map[string]*Collector)}
	for i, s := range parts {
		p := &Publisher{ID: fmt.Sprintf("c%d", i+1), start: 1, sent: make(map[string]sentHost)}
		for _, m := range publishTo(t, p, s, seen) {
			take(t, sub, m, seen)
		}
	}
	return sub.list()
}

// publishTo is what p sends to publish s at now, remembered as sent.
func publishTo(t testing.TB, p *Publisher, s *model.Snapshot, now time.Time) []message {
	msgs, sent, err := p.messages(s, now)
	if err != nil {
		t.Fatal(err)
	}
	p.sentOK(s, sent)
	return msgs
}

// take has sub receive one message.
func take(t testing.TB, sub *Subscriber, m message, seen time.Time) {
	if err := sub.take(m.subject, m.data, seen); err != nil {
		t.Fatal(err)
	}
}

// list is the subscriber's collectors by ID.
func (s *Subscriber) list() []*Collector {
	var cs []*Collector
	for _, c := range s.collectors {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b *Collector) int { return strings.Compare(a.ID, b.ID) })
	return cs
}

// The merge of three collectors, each fed the agents the relay gives it, is the snapshot of one collector fed
// the whole fleet: hosts and network devices with their series, groups, agents and loss identical, every
// top-20 row of the single collector within the bounds the merge reports.
func TestMergeEqualsSingleCollector(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real time: run without -short")
	}
	sp := newSplit(t, 90, 3)
	sp.run(t, 75*time.Second)
	ref, parts := sp.settle(t)
	for i, p := range parts {
		if len(p.Hosts) == 0 || len(p.Hosts) == len(ref.Hosts) {
			t.Fatalf("collector %d has %d of %d hosts: the split does not split", i, len(p.Hosts), len(ref.Hosts))
		}
	}
	if len(ref.Devices) == 0 {
		t.Fatal("the fleet has no network devices: the merge of the Devices pane is not tested")
	}
	m := Merge(collectors(t, parts, time.Now()), time.Now(), 1, MergeOptions{})
	clustertest.Compare(t, m, ref, false)
	ifaces := 0
	for _, d := range m.Devices {
		ifaces += len(d.Device.Interfaces)
	}
	t.Logf("%d devices, %d interfaces", len(m.Devices), ifaces)
	series := 0
	for _, h := range m.Hosts {
		series += len(h.Series)
	}
	t.Logf("%d hosts (%d, %d, %d per collector), %d series, %d groups, %d agents, %d pairs, %d URLs, %d keys",
		len(m.Hosts), len(parts[0].Hosts), len(parts[1].Hosts), len(parts[2].Hosts), series, len(m.Groups),
		len(m.Agents), len(m.TalkersByPair), len(m.URLs), len(m.Keys))
	for _, r := range m.TalkersBySrc[:3] {
		t.Logf("src %v %v ± %v", r.Src, r.Bytes, r.ErrBytes)
	}
}

// A dashboard grouping by another field than the collectors regroups the merged hosts.
func TestMergeRegroups(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 40 s of a fleet into three models, seconds of CPU: run without -short")
	}
	sp := newSplit(t, 30, 2)
	sp.run(t, 40*time.Second)
	_, parts := sp.settle(t)
	m := Merge(collectors(t, parts, time.Now()), time.Now(), 1, MergeOptions{GroupBy: "environment"})
	if m.GroupBy != "environment" {
		t.Fatalf("grouped by %q", m.GroupBy)
	}
	n := 0
	for _, g := range m.Groups {
		n += g.Hosts
		for _, h := range m.Hosts {
			if h.Group == g.Name && h.Environment != g.Name && g.Name != model.Unclassified {
				t.Errorf("host %s of environment %q in group %q", h.Name, h.Environment, g.Name)
			}
		}
	}
	if n != len(m.Hosts) || len(m.Groups) < 2 {
		t.Errorf("%d groups of %d hosts, want every one of %d in at least 2", len(m.Groups), n, len(m.Hosts))
	}
}
