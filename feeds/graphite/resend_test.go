package graphite

import (
	"testing"
	"time"
)

func batchOf(from, n int) []queued {
	b := make([]queued, n)
	for i := range b {
		b[i] = queued{path: "p", ts: int64(from + i)}
	}
	return b
}

func TestResendLogKeepsNewestCopiesAndCountsTheRest(t *testing.T) {
	l := resendLog{limit: 10}
	t0 := time.Unix(1000, 0)
	for i := 0; i < 6; i++ { // batches of 4 points at t0+0s..t0+5s
		l.add(t0.Add(time.Duration(i)*time.Second), batchOf(4*i, 4))
		if l.held > 10 {
			t.Fatalf("after batch %d: %d points held, limit 10", i, l.held)
		}
	}
	// the connection dies; the window reaches back to t0+1s: batches 1..5 count, batch 0 is out
	again, gone := l.drain(t0.Add(time.Second))
	// copies are kept for the newest batches within 10 points: 4 and 5; 1, 2 and 3 are counted as gone
	if len(again) != 8 || again[0].ts != 16 || again[7].ts != 23 {
		t.Errorf("again = %v, want points 16..23", again)
	}
	if gone != 12 {
		t.Errorf("gone = %d, want 12 (batches 1-3)", gone)
	}
	if l.held != 0 || len(l.entries) != 0 || len(l.spare) != 6 {
		t.Errorf("after drain: held %d, %d entries, %d spare; want 0, 0, 6", l.held, len(l.entries), len(l.spare))
	}
	if b := l.batch(); b == nil || len(b) != 0 || cap(b) != 4 {
		t.Errorf("batch() = len %d cap %d, want a reused empty slice", len(b), cap(b))
	}
}

func TestResendLogExpires(t *testing.T) {
	l := resendLog{limit: 1 << 20}
	t0 := time.Unix(0, 0)
	for i := 0; i < 1000; i++ {
		at := t0.Add(time.Duration(i) * time.Millisecond)
		l.add(at, batchOf(i, 1))
		l.expire(at.Add(-100 * time.Millisecond)) // keep 100 ms
	}
	again, gone := l.drain(time.Time{})
	// batches at 899..999 ms are within 100 ms of the last one
	if gone != 0 || len(again) != 101 || again[0].ts != 899 || again[100].ts != 999 {
		t.Errorf("again %d points from %v, gone %d; want 101 from 899, none gone", len(again), again[:1], gone)
	}
	if len(l.entries) != 0 || l.head != 0 {
		t.Errorf("log not empty after drain: %d entries, head %d", len(l.entries), l.head)
	}
}
