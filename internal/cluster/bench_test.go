package cluster

import (
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/internal/cputime"
)

// Merging 20 collectors' summaries of a 600-host fleet (each with 30 hosts and its own top-50 tables), as a
// dashboard does every 250 ms: ns/op is the time of one merge, cpu-ns/op the CPU time the process spent on it
// (garbage collection included), which a loaded machine changes less.
//
//	go test -run '^$' -bench Merge20 -benchtime 20x ./internal/cluster/
func BenchmarkMerge20Collectors(b *testing.B) {
	sp := newSplit(b, 600, 20)
	sp.run(b, 40*time.Second)
	_, parts := sp.settle(b)
	now := time.Now()
	cs := collectors(b, parts, now)
	hosts, n := 0, 0
	cpu0, ok := cputime.Process()
	for b.Loop() {
		hosts = len(Merge(cs, now, 1, MergeOptions{}).Hosts)
		n++
	}
	if cpu1, _ := cputime.Process(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/op")
	}
	b.ReportMetric(float64(hosts), "hosts")
}

// What one collector of the whole 600-host fleet publishes per second once running: each op is one second of
// the fleet ingested, published by the model and encoded by the publisher; bytes/op is what goes to NATS for
// that second (the state, and the infos, keyframes and deltas due), and the messages of each kind are counted.
//
//	go test -run '^$' -bench PublishedBytes -benchtime 30x ./internal/cluster/
func BenchmarkPublishedBytes600Hosts(b *testing.B) {
	sp := newSplit(b, 600, 1)
	sp.run(b, 40*time.Second)
	ref, _ := sp.settle(b)
	p := &Publisher{ID: "c1", start: 1, sent: make(map[string]sentHost)}
	msgs := publishTo(b, p, ref, sp.now)
	first := 0
	for _, m := range msgs {
		first += len(m.data)
	}
	total, n := 0, 0
	kinds := map[string]int{}
	for b.Loop() {
		sp.run(b, time.Second)
		msgs := publishTo(b, p, sp.ref.Snapshot(), sp.now)
		for _, m := range msgs {
			total += len(m.data)
			kinds[subjectKind(m.subject)]++
		}
		n++
	}
	b.ReportMetric(float64(total)/float64(n), "bytes/op")
	for _, k := range []string{"series", "delta", "info"} {
		b.ReportMetric(float64(kinds[k])/float64(n), k+"-msgs/op")
	}
	b.ReportMetric(float64(first), "first-publish-bytes")
	b.ReportMetric(float64(len(msgs[len(msgs)-1].data)), "state-bytes")
}

// subjectKind is the kind of message a subject carries: state, series, delta or info.
func subjectKind(subj string) string {
	parts := strings.Split(subj, ".")
	return parts[3]
}
