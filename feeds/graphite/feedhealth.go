package graphite

import (
	"fmt"
	"time"

	"github.com/fleettop/fleettop/internal/health"
)

// FeedHealth is the carbon client's own state: connected or not, its latest write's duration, and its points
// sent and dropped.
func (c *Carbon) FeedHealth() health.Status {
	h := c.Health()
	st := health.Status{Configured: true, OK: h.Connected, LastDuration: h.LastWrite, Succeeded: h.Sent,
		Failed: h.Dropped + h.Rejected}
	if h.Connected {
		st.Summary = fmt.Sprintf("%s up, %d sent, %d dropped", h.Addr, h.Sent, h.Dropped)
	} else {
		st.Summary = fmt.Sprintf("%s down, %d buffered, %d dropped", h.Addr, h.Buffered, h.Dropped)
	}
	if h.LastError != nil {
		st.LastError = h.LastError.Error()
	}
	return st
}

// FeedHealth is graphite-web's state as its client saw it: the latest request's outcome and duration, and the
// requests by outcome. Before any request it is idle, which is healthy.
func (w *Web) FeedHealth() health.Status {
	h := w.Health()
	st := health.Status{Configured: true, OK: h.OK || h.Requests == 0, LastDuration: h.LastDuration,
		Succeeded: h.Requests - h.Failures, Failed: h.Failures}
	switch {
	case h.Requests == 0:
		st.Summary = "idle"
	case h.OK:
		st.Summary = fmt.Sprintf("ok (%s)", h.LastDuration.Round(time.Millisecond))
	default:
		st.Summary = "failing"
	}
	if h.LastError != nil {
		st.LastError = h.LastError.Error()
	}
	return st
}
