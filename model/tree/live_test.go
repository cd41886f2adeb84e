package tree

import (
	"context"
	"math"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model"
)

// TestLiveFleet runs the tree over the real model fed with the simulated fleet's datagrams and its ENC: the
// paths of real snapshots are well formed, findable, fetchable and tagged.
func TestLiveFleet(t *testing.T) { synctest.Test(t, testLiveFleet) }

func testLiveFleet(t *testing.T) {
	start := time.Unix(1_795_559_400, 0)
	sf := sim.New(sim.Options{Seed: 7, Hosts: 20, Start: start})
	res := enc.NewResolver(enc.NewStaticSource(sf.ENC()), enc.Options{})
	defer res.Close()
	fleet := model.NewFleet(model.Options{})
	fleet.SetENC(res)
	tr := New(fleet, Options{})

	dec := sflow.NewDecoder()
	var d sflow.Datagram
	from := netip.MustParseAddrPort("127.0.0.1:6343")
	now := start
	play := func(seconds int) {
		for range seconds {
			now = now.Add(time.Second)
			err := sf.Tick(now, func(b []byte) error {
				if err := dec.Decode(b, &d); err != nil {
					t.Errorf("simulated datagram does not decode: %v", err)
					return nil
				}
				fleet.Ingest(&d, from, now)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if now.Unix()%5 == 0 {
				fleet.Publish(now)
				tr.Refresh()
			}
		}
	}
	play(120)
	// ENC answers arrive in the background (in the synctest bubble); play on until the hosts are grouped by appType.
	ctx := context.Background()
	var web []string
	for range 20 {
		if len(web) > 0 {
			break
		}
		play(5)
		nodes, err := tr.Find(ctx, "fleet.web.*.cpu.utilisation")
		if err != nil {
			t.Fatal(err)
		}
		web = web[:0]
		for _, n := range nodes {
			web = append(web, n.Path)
		}
		if len(web) == 0 {
			synctest.Wait() // the resolver's workers answer what the publishes asked for
		}
	}
	if len(web) == 0 {
		t.Fatal("no web host's cpu.utilisation in the tree")
	}
	snap := fleet.Snapshot()
	if snap.GroupBy != "appType" {
		t.Fatalf("fleet groups by %q", snap.GroupBy)
	}

	// Every series of the snapshot is a leaf of the tree, with well-formed elements.
	paths := snapshotPaths(snap)
	for _, p := range paths {
		for _, el := range strings.Split(p, ".") {
			if !elementRE.MatchString(el) {
				t.Fatalf("path %s has element %q", p, el)
			}
		}
		nodes, err := tr.Find(ctx, p)
		if err != nil || len(nodes) != 1 || !nodes[0].Leaf {
			t.Fatalf("Find(%s) = %v, %v", p, nodes, err)
		}
	}

	// A web host's CPU as fetched is its snapshot series, point by point.
	var host *model.HostRow
	for i := range snap.Hosts {
		if strings.HasPrefix(web[0], "fleet.web."+HostElement(snap.Hosts[i])+".") && snap.Hosts[i].Group == "web" {
			host = snap.Hosts[i]
		}
	}
	if host == nil {
		t.Fatalf("no host for %s", web[0])
	}
	var pts []float64
	for i := range host.Series {
		if host.Series[i].Name == "cpu.utilisation" {
			pts = snap.Aligned(&host.Series[i])
		}
	}
	got := fetchOne(t, tr, web[0], now.Add(-3*time.Minute), now)
	lastBin := snap.Time.Unix() / int64(snap.Step/time.Second)
	values := 0
	for i, v := range got.Values {
		bin := got.Start/got.Step + int64(i)
		want := pts[len(pts)-1-int(lastBin-bin)]
		if !sameValues(v, want) {
			t.Fatalf("%s at bin %d: %v, snapshot %v", web[0], bin, v, want)
		}
		if !math.IsNaN(v) {
			values++
		}
	}
	if values == 0 {
		t.Fatalf("%s: no values in the last 3 minutes", web[0])
	}

	tagged, err := tr.FindTagged(ctx, []string{"appType=web", "name=~.*\\.cpu\\.utilisation$"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tagged) != len(web) {
		t.Fatalf("seriesByTag found %d web CPU series, Find %d", len(tagged), len(web))
	}
	// PATHS.md names every metric a real snapshot has.
	doc, err := os.ReadFile("PATHS.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		leaf := p[strings.LastIndexByte(p, '.')+1:]
		if !regexp.MustCompile(`[^A-Za-z0-9_]` + regexp.QuoteMeta(leaf) + `[^A-Za-z0-9_]`).Match(doc) {
			t.Errorf("PATHS.md does not mention %q (from %s)", leaf, p)
		}
	}
	if n := len(Points(snap)); n == 0 || n > len(paths) {
		t.Fatalf("%d points for %d series", n, len(paths))
	}
}
