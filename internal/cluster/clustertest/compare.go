// Package clustertest compares a snapshot merged from several collectors with the snapshot of one collector
// fed the whole fleet, for the tests of internal/cluster and of fleettop's commands.
package clustertest

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model"
)

// Compare checks a merged snapshot against the snapshot of a single collector fed the whole fleet: hosts
// (with their series), groups, agents and loss identical, and each of the reference's top 20 rows of every
// table (exact: the reference keeps every key) in the merged table, its weight within the merged bounds.
// With live, the collectors received the datagrams over UDP, the reference a little earlier than the others:
// arrival times (LastSeen) may differ by up to 100 ms and arrival rates (datagrams/s) by 10 % plus 0.2 (two
// datagrams over the 10 s an agent's rate is measured on: one agent sends about one a second).
func Compare(t testing.TB, merged, ref *model.Snapshot, live bool) {
	t.Helper()
	compareHosts(t, "host", merged, ref, merged.Hosts, ref.Hosts, live)
	compareHosts(t, "device", merged, ref, merged.Devices, ref.Devices, live)
	if len(merged.Groups) != len(ref.Groups) || len(ref.Groups) < 3 {
		t.Fatalf("%d groups, want %d (at least 3)", len(merged.Groups), len(ref.Groups))
	}
	for i := range ref.Groups {
		// to 12 digits: a model adds and takes back hosts' figures as they change, a merge adds them up afresh
		if g, w := fmt.Sprintf("%.12v", merged.Groups[i]), fmt.Sprintf("%.12v", ref.Groups[i]); g != w {
			t.Errorf("group %d:\n got %s\nwant %s", i, g, w)
		}
	}
	if len(merged.Agents) != len(ref.Agents) {
		t.Fatalf("%d agents, want %d", len(merged.Agents), len(ref.Agents))
	}
	for i := range ref.Agents {
		g, w := *merged.Agents[i], *ref.Agents[i]
		if live {
			if d := g.LastSeen.Sub(w.LastSeen); d < -100*time.Millisecond || d > 100*time.Millisecond ||
				math.Abs(g.DatagramsPerSec-w.DatagramsPerSec) > 0.1*w.DatagramsPerSec+0.2 {
				t.Errorf("agent %v: last seen %v after the reference, %v datagrams/s, want %v", w.Addr, d,
					g.DatagramsPerSec, w.DatagramsPerSec)
			}
			g.LastSeen, w.LastSeen, g.DatagramsPerSec, w.DatagramsPerSec = time.Time{}, time.Time{}, 0, 0
		}
		g.LastSeen, w.LastSeen = g.LastSeen.UTC(), w.LastSeen.UTC()
		if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) { // NaN rates are equal here
			t.Errorf("agent %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	gh, wh := merged.Health, ref.Health
	if gh.Datagrams != wh.Datagrams || gh.Lost != wh.Lost || gh.Duplicates != wh.Duplicates ||
		gh.Restarts != wh.Restarts || gh.LostSamples != wh.LostSamples || gh.SampleDrops != wh.SampleDrops ||
		gh.DecodeErrors != wh.DecodeErrors || gh.Hosts != wh.Hosts || gh.Agents != wh.Agents ||
		gh.Groups != wh.Groups || gh.StaleHosts != wh.StaleHosts || gh.Devices != wh.Devices {
		t.Errorf("health:\n got %+v\nwant %+v", gh, wh)
	}
	if !merged.WindowEnd.Equal(ref.WindowEnd) {
		t.Errorf("window ends %v, want %v", merged.WindowEnd, ref.WindowEnd)
	}
	checkTable(t, "by source", talkerKeys(merged.TalkersBySrc), talkerKeys(ref.TalkersBySrc), mspan(merged), mspan(ref))
	checkTable(t, "by destination", talkerKeys(merged.TalkersByDst), talkerKeys(ref.TalkersByDst), mspan(merged), mspan(ref))
	checkTable(t, "pairs", talkerKeys(merged.TalkersByPair), talkerKeys(ref.TalkersByPair), mspan(merged), mspan(ref))
	checkTable(t, "URLs", urlKeys(merged.URLs), urlKeys(ref.URLs), mspan(merged), mspan(ref))
	checkTable(t, "keys", keyKeys(merged.Keys), keyKeys(ref.Keys), mspan(merged), mspan(ref))
}

func mspan(s *model.Snapshot) float64 { return s.WindowEnd.Sub(s.WindowStart).Seconds() }

// row is a table row's key and bounds, per second of its window.
type row struct {
	key        string
	lower, err float64
}

func talkerKeys(rs []model.TalkerRow) []row {
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = row{r.Src.String() + ">" + r.Dst.String(), r.Bytes, r.ErrBytes}
	}
	return out
}

func urlKeys(rs []model.URLRow) []row {
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = row{r.Host + r.Path, r.Rate, r.ErrRate}
	}
	return out
}

func keyKeys(rs []model.KeyRow) []row {
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = row{r.Key, r.Rate, r.ErrRate}
	}
	return out
}

// checkTable: every one of the reference's top 20 rows (exact: the reference table keeps every key) is in the
// merged table with its weight within the merged bounds. Weights are compared over each table's own span.
func checkTable(t testing.TB, name string, merged, ref []row, mspan, rspan float64) {
	t.Helper()
	if len(ref) < 20 && name != "URLs" && name != "keys" {
		t.Errorf("%s: the reference has %d rows, want 20 to compare", name, len(ref))
	}
	byKey := map[string]row{}
	for _, r := range merged {
		byKey[r.key] = r
	}
	for i, w := range ref[:min(20, len(ref))] {
		if w.err != 0 {
			t.Fatalf("%s: the reference row %s has an error of %v: not exact", name, w.key, w.err)
		}
		g, ok := byKey[w.key]
		if !ok {
			t.Errorf("%s: reference row %d %s not in the merged table", name, i, w.key)
			continue
		}
		truth := w.lower * rspan
		lo, hi := g.lower*mspan, (g.lower+g.err)*mspan
		if eps := 1e-9 * truth; truth < lo-eps || truth > hi+eps {
			t.Errorf("%s: %s weighs %v, merged bounds [%v, %v]", name, w.key, truth, lo, hi)
		}
	}
}

// compareHosts compares the host (or device) rows of the merged snapshot with the reference's, field for field
// and series for series; with live, last-seen times may differ by 100 ms.
func compareHosts(t testing.TB, what string, merged, ref *model.Snapshot, got, want []*model.HostRow, live bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d %ss, want %d", len(got), what, len(want))
	}
	for i := range want {
		g, w := *got[i], *want[i] // copies: the rows are shared between snapshots
		g.Series, w.Series = merged.AlignedSeries(g.Series), ref.AlignedSeries(w.Series)
		if live {
			if d := g.LastSeen.Sub(w.LastSeen); d < -100*time.Millisecond || d > 100*time.Millisecond {
				t.Errorf("%s %s last seen %v after the reference", what, w.Name, d)
			}
			g.LastSeen, w.LastSeen = time.Time{}, time.Time{}
		}
		g.LastSeen, w.LastSeen = g.LastSeen.UTC(), w.LastSeen.UTC() // the same instant prints the same
		g.JVM, w.JVM = nil, nil                                     // pointers: compared below by what they point to
		g.Device, w.Device = nil, nil
		if gs, ws := fmt.Sprintf("%+v", g), fmt.Sprintf("%+v", w); gs != ws {
			t.Errorf("%s %d:\n got %s\nwant %s", what, i, gs, ws)
		}
		if gj, wj := got[i].JVM, want[i].JVM; (gj == nil) != (wj == nil) ||
			gj != nil && fmt.Sprintf("%+v", *gj) != fmt.Sprintf("%+v", *wj) {
			t.Errorf("%s %d JVMs:\n got %+v\nwant %+v", what, i, gj, wj)
		}
		if gd, wd := got[i].Device, want[i].Device; (gd == nil) != (wd == nil) ||
			gd != nil && fmt.Sprintf("%+v", *gd) != fmt.Sprintf("%+v", *wd) { // NaN utilisations are equal here
			t.Errorf("%s %d interfaces:\n got %+v\nwant %+v", what, i, gd, wd)
		}
	}
}
