package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/fleettop/fleettop/model"
)

// BenchmarkFrame is one data frame at 160×48: a new Snapshot arrives (rows formatted, panes re-rendered, frame
// composed) and the root View is taken.
func BenchmarkFrame(b *testing.B) {
	m, src, cl := newTestModel(b, "dark", 160, 48)
	cl.Run("load overview")
	snaps := make([]*model.Snapshot, 16)
	for i := range snaps {
		snaps[i] = fixtureSnapshot(uint64(i+10), float64(i), "role")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		src.cur.Store(snaps[i%len(snaps)])
		m.Update(dataTickMsg{})
		_ = m.View()
	}
}

// BenchmarkView is View() alone between data frames (keys, ticks without new data).
func BenchmarkView(b *testing.B) {
	m, _, _ := newTestModel(b, "dark", 160, 48)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkKeyFrame is a cursor move at 160×48: one pane re-renders, the frame is recomposed.
func BenchmarkKeyFrame(b *testing.B) {
	m, _, _ := newTestModel(b, "dark", 160, 48)
	down, up := tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyUp}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(down)
		} else {
			m.Update(up)
		}
		_ = m.View()
	}
}
