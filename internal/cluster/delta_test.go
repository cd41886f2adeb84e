package cluster

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/fleettop/fleettop/internal/cluster/clustertest"
	"github.com/fleettop/fleettop/model"
)

// Three collectors publish every second for a minute, keyframes, deltas and infos as they come due: a
// subscriber that received everything, and one that starts at the end from the last message of each subject
// (what the stream keeps), both merge into the single collector's snapshot.
func TestDeltasMergeEqualsSingleCollector(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real time: run without -short")
	}
	sp := newSplit(t, 90, 3)
	sp.run(t, 40*time.Second)
	sp.settle(t)
	live := &Subscriber{collectors: make(map[string]*Collector)}
	type kept struct {
		seq int
		m   message
	}
	stream := map[string]kept{} // the last message of each subject, in publishing order
	seq := 0
	var pubs []*Publisher
	for i := range sp.parts {
		pubs = append(pubs, &Publisher{ID: "c" + string(rune('1'+i)), start: 1, sent: make(map[string]sentHost)})
	}
	kinds := map[string]int{}
	publish := func(parts []*model.Snapshot) {
		for i, s := range parts {
			for _, m := range publishTo(t, pubs[i], s, sp.now) {
				take(t, live, m, sp.now)
				seq++
				stream[m.subject] = kept{seq, m}
				kinds[subjectKind(m.subject)]++
			}
		}
	}
	for range 60 {
		sp.run(t, time.Second)
		var parts []*model.Snapshot
		for _, p := range sp.parts {
			parts = append(parts, p.Snapshot())
		}
		publish(parts)
	}
	ref, parts := sp.settle(t)
	publish(parts)
	t.Logf("messages by kind over 61 publishes: %v", kinds)
	if kinds["delta"] == 0 || kinds["series"] <= len(ref.Hosts) {
		t.Errorf("no deltas, or no keyframe after the first ones: %v", kinds)
	}
	clustertest.Compare(t, Merge(live.list(), sp.now, 1, MergeOptions{}), ref, false)

	cold := &Subscriber{collectors: make(map[string]*Collector)}
	last := slices.Collect(maps.Values(stream))
	slices.SortFunc(last, func(a, b kept) int { return a.seq - b.seq })
	for _, k := range last {
		take(t, cold, k.m, sp.now)
	}
	clustertest.Compare(t, Merge(cold.list(), sp.now, 1, MergeOptions{}), ref, false)
}
