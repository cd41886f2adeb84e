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
	line := fmt.Sprintf("%s dgrams/s=%.1f datagrams=%d drops=%d lost=%d duplicates=%d restarts=%d sample_drops=%d "+
		"lost_samples=%d errors=%d agents=%d hosts=%d stale=%d groups=%d",
		s.Time.UTC().Format(time.RFC3339), h.DatagramsPerSec, h.Datagrams, h.QueueDrops, h.Lost, h.Duplicates,
		h.Restarts, h.SampleDrops, h.LostSamples, h.DecodeErrors, h.Agents, h.Hosts, h.StaleHosts, h.Groups)
	if h.Disallowed > 0 {
		line += fmt.Sprintf(" disallowed=%d", h.Disallowed)
	}
	if n := h.RefusedAgents + h.RefusedSources + h.RefusedSeries; n > 0 {
		line += fmt.Sprintf(" refused_agents=%d refused_sources=%d refused_series=%d", h.RefusedAgents,
			h.RefusedSources, h.RefusedSeries)
	}
	if h.ENC.Configured {
		line += fmt.Sprintf(" enc=%q", h.ENC.Summary)
	}
	if h.Carbon.Configured {
		line += fmt.Sprintf(" carbon=%q", h.Carbon.Summary)
	}
	if c := h.Cluster; c.Configured {
		line += fmt.Sprintf(" nats=%q", c.Summary)
		if !c.OK {
			line += fmt.Sprintf(" nats_error=%q", c.LastError)
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
