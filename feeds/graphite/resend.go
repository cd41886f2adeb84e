package graphite

import "time"

// sentBatch is a batch written to carbon at a time; pts is nil once its copy has been let go.
type sentBatch struct {
	at  time.Time
	pts []queued
	n   int
}

// resendLog remembers the batches written in the last ResendWindow, so that a connection found dead can
// have them queued again. It holds copies of at most limit points: older batches beyond that keep only their
// count, so that a dead connection still accounts for them as dropped.
type resendLog struct {
	limit     int
	entries   []sentBatch // oldest first; entries[:head] are gone
	head      int
	firstCopy int // entries[head:firstCopy] have let go of their copies
	held      int // points held in entries[firstCopy:]
	spare     [][]queued
}

// add records pts (which the log now owns) as written at.
func (l *resendLog) add(at time.Time, pts []queued) {
	l.entries = append(l.entries, sentBatch{at: at, pts: pts, n: len(pts)})
	l.held += len(pts)
	for l.held > l.limit && l.firstCopy < len(l.entries)-1 {
		l.release(&l.entries[l.firstCopy])
		l.firstCopy++
	}
}

// expire forgets the batches written before cutoff.
func (l *resendLog) expire(cutoff time.Time) {
	for l.head < len(l.entries) && l.entries[l.head].at.Before(cutoff) {
		l.release(&l.entries[l.head])
		l.entries[l.head] = sentBatch{}
		l.head++
	}
	l.firstCopy = max(l.firstCopy, l.head)
	if l.head > 64 && 2*l.head > len(l.entries) {
		n := copy(l.entries, l.entries[l.head:])
		clear(l.entries[n:])
		l.entries = l.entries[:n]
		l.firstCopy -= l.head
		l.head = 0
	}
}

// release lets go of e's copy, keeping it for the next batch.
func (l *resendLog) release(e *sentBatch) {
	if e.pts != nil {
		l.held -= len(e.pts)
		l.spare = append(l.spare, e.pts[:0])
		e.pts = nil
	}
}

// drain empties the log and returns the copies written at or after cutoff, oldest first, and the number of
// points written since cutoff whose copies had been let go.
func (l *resendLog) drain(cutoff time.Time) (again []queued, gone int) {
	for i := l.head; i < len(l.entries); i++ {
		e := &l.entries[i]
		if !e.at.Before(cutoff) {
			if e.pts != nil {
				again = append(again, e.pts...)
			} else {
				gone += e.n
			}
		}
		l.release(e)
	}
	clear(l.entries)
	l.entries = l.entries[:0]
	l.head, l.firstCopy, l.held = 0, 0, 0
	return again, gone
}

// batch returns an empty slice for the next batch, reusing a released copy when there is one.
func (l *resendLog) batch() []queued {
	if n := len(l.spare); n > 0 {
		b := l.spare[n-1]
		l.spare = l.spare[:n-1]
		return b
	}
	return nil
}
