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
