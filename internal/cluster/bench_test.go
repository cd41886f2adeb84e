package cluster

import (
	"testing"
	"time"
)

// Merging 20 collectors' summaries of a 600-host fleet (each with 30 hosts and its own top-50 tables), as a
// dashboard does every 250 ms: the CPU time of one merge is ns/op.
//
//	go test -run '^$' -bench Merge20 -benchtime 20x ./internal/cluster/
func BenchmarkMerge20Collectors(b *testing.B) {
	sp := newSplit(b, 600, 20)
	sp.run(b, 40*time.Second)
	_, parts := sp.settle(b)
	now := time.Now()
	cs := collectors(b, parts, now)
	hosts := 0
	for b.Loop() {
		hosts = len(Merge(cs, now, 1, MergeOptions{}).Hosts)
	}
	b.ReportMetric(float64(hosts), "hosts")
}

// What one collector of the whole 600-host fleet publishes per second once running: each op is one second of
// the fleet ingested, published by the model and encoded by the publisher; bytes/op is what goes to NATS for
// that second (the state, and the series of the hosts whose points changed).
//
//	go test -run '^$' -bench PublishedBytes -benchtime 30x ./internal/cluster/
func BenchmarkPublishedBytes600Hosts(b *testing.B) {
	sp := newSplit(b, 600, 1)
	sp.run(b, 40*time.Second)
	ref, _ := sp.settle(b)
	p := &Publisher{ID: "c1", start: 1, sent: make(map[string]sentSeries)}
	msgs, changed, err := p.messages(ref, sp.now)
	if err != nil {
		b.Fatal(err)
	}
	p.sentOK(ref, changed, sp.now)
	first := 0
	for _, m := range msgs {
		first += len(m.data)
	}
	total, n, series := 0, 0, 0
	for b.Loop() {
		sp.run(b, time.Second)
		s := sp.ref.Snapshot()
		msgs, changed, err := p.messages(s, sp.now)
		if err != nil {
			b.Fatal(err)
		}
		p.sentOK(s, changed, sp.now)
		for _, m := range msgs {
			total += len(m.data)
		}
		n++
		series += len(changed)
	}
	b.ReportMetric(float64(total)/float64(n), "bytes/op")
	b.ReportMetric(float64(series)/float64(n), "series-msgs/op")
	b.ReportMetric(float64(first), "first-publish-bytes")
	b.ReportMetric(float64(len(msgs[len(msgs)-1].data)), "state-bytes")
}
