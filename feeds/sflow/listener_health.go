package sflow

import (
	"fmt"

	"github.com/fleettop/fleettop/internal/health"
)

// readFailed counts a failed read (or a reader that could not start) and keeps its error.
func (l *Listener) readFailed(err error) {
	l.readErrors.Add(1)
	msg := err.Error()
	l.lastReadErr.Store(&msg)
	l.failing.Store(true)
}

// FeedHealth is the listener's own state: whether its sockets' latest reads worked, the datagrams read, and
// those lost before decoding, in its queues and in the kernel.
func (l *Listener) FeedHealth() health.Status {
	st := l.Stats()
	h := health.Status{Configured: true, OK: !l.failing.Load(), Succeeded: st.Received,
		Failed: st.QueueDrops + st.KernelDrops + st.ReadErrors,
		Summary: fmt.Sprintf("%d sockets, %d received, %d queue drops, %d kernel drops, %d read errors", st.Sockets,
			st.Received, st.QueueDrops, st.KernelDrops, st.ReadErrors)}
	if e := l.lastReadErr.Load(); e != nil {
		h.LastError = *e
	}
	return h
}
