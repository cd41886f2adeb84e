package enc

import (
	"fmt"

	"github.com/fleettop/fleettop/internal/health"
)

// FeedHealth is the resolver's own state: its latest lookup's outcome and duration, and its lookups by
// outcome. A host not found is a lookup that worked.
func (r *Resolver) FeedHealth() health.Status {
	h := r.Health()
	st := health.Status{Configured: true, OK: h.LastState != Failed && h.LastState != TimedOut,
		LastDuration: h.LastDuration, Succeeded: h.OK + h.NotFound, Failed: h.Failed + h.TimedOut,
		Summary: fmt.Sprintf("%d ok, %d not found, %d failed, %d timed out, %d queued", h.OK, h.NotFound, h.Failed,
			h.TimedOut, h.Queued)}
	if h.LastError != nil {
		st.LastError = h.LastError.Error()
	}
	return st
}
