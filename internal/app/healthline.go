package app

import (
	"fmt"
	"time"

	"github.com/fleettop/fleettop/model"
)

// HealthLine is the one-line summary of a snapshot that collect prints every interval and headless replay
// at the end.
func HealthLine(s *model.Snapshot) string {
	h := s.Health
	line := fmt.Sprintf("%s dgrams/s=%.1f datagrams=%d drops=%d kernel_drops=%d lost=%d duplicates=%d restarts=%d "+
		"sample_drops=%d lost_samples=%d errors=%d agents=%d hosts=%d stale=%d groups=%d",
		s.Time.UTC().Format(time.RFC3339), h.DatagramsPerSec, h.Datagrams, h.QueueDrops, h.KernelDrops, h.Lost,
		h.Duplicates, h.Restarts, h.SampleDrops, h.LostSamples, h.DecodeErrors, h.Agents, h.Hosts, h.StaleHosts,
		h.Groups)
	if h.KernelDrops > 0 || h.RecvBufferWarning != "" {
		line += fmt.Sprintf(" recv_buffer=%d", h.RecvBuffer)
		if h.RecvBufferWarning != "" {
			line += fmt.Sprintf(" recv_buffer_warning=%q", h.RecvBufferWarning)
		}
	}
	if h.Disallowed > 0 {
		line += fmt.Sprintf(" disallowed=%d", h.Disallowed)
	}
	if n := h.RefusedAgents + h.RefusedSources + h.RefusedSeries; n > 0 {
		line += fmt.Sprintf(" refused_agents=%d refused_sources=%d refused_series=%d", h.RefusedAgents,
			h.RefusedSources, h.RefusedSeries)
	}
	for _, f := range h.Feeds() {
		if f.Configured {
			line += fmt.Sprintf(" %s=%q", f.Name, f.Summary)
			if !f.OK {
				line += fmt.Sprintf(" %s_error=%q", f.Name, f.LastError)
			}
		}
	}
	return line
}

// LiveHealthLine is collect's health line of the latest snapshot at now: the line, the snapshot's age, and
// STALE when no snapshot was published for more than two publishing intervals (every).
func LiveHealthLine(s *model.Snapshot, now time.Time, every time.Duration) string {
	age := now.Sub(s.Time)
	if s.Time.IsZero() {
		age = 0
	}
	line := HealthLine(s) + " age=" + age.Round(time.Millisecond).String()
	if age > 2*every {
		line += " STALE"
	}
	return line
}
