package ui

import (
	"time"

	"github.com/fleettop/fleettop/model"
)

// rankedEvery is how often the ranked top lists (talkers, URLs, memcache keys) take a new snapshot's figures.
// Their figures are over the model's window (a minute): redrawn every second they only jitter in the last digit,
// and that jitter was most of the bytes sent to the terminal (scripts/termbytes.sh). The groups pane, the
// windows and the status line still move on every refresh; each list's title says the time its figures are for.
const rankedEvery = 5 * time.Second

// rankedDue reports whether the top lists should show snapshot s: the first one, a new grouping, a clock that
// went back (a replay started over), a rewound second (it shows exactly that second), or rankedEvery after the
// snapshot they show.
func (m *Model) rankedDue(s *model.Snapshot) bool {
	if !s.Rewound && !m.rankedAt.IsZero() && s.GroupBy == m.rankedBy && !s.Time.Before(m.rankedAt) &&
		s.Time.Sub(m.rankedAt) < rankedEvery {
		return false
	}
	m.rankedAt, m.rankedBy = s.Time, s.GroupBy
	return true
}
