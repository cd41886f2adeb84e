package ui

import (
	"strconv"

	"github.com/fleettop/fleettop/model"
)

// The Agents pane: one row per sFlow agent (address, sub-agent) with what it sent and what of it was lost, so
// that loss can be investigated rather than merely counted. Reached by `A` from anywhere, left by Esc.

// Agent table columns.
const (
	aAgent = iota
	aRate
	aLost
	aDups
	aRestarts
	aDrops
	aLostSamples
	aDeclared
	aEffective
	aSeen
	aCols
)

var agentCols = []column{
	aAgent:       {title: "agent", width: 22, flex: true, text: true, keep: 100, most: 48},
	aRate:        {title: "dgram/s", width: 7, right: true, keep: 80},
	aLost:        {title: "lost", width: 6, right: true, keep: 95},
	aDups:        {title: "dups", width: 5, right: true, keep: 70},
	aRestarts:    {title: "restarts", width: 8, right: true, keep: 85},
	aDrops:       {title: "smp drops", width: 9, right: true, keep: 90},
	aLostSamples: {title: "lost smp", width: 8, right: true, keep: 88},
	aDeclared:    {title: "1-in", width: 6, right: true, keep: 60},
	aEffective:   {title: "eff 1-in", width: 8, right: true, keep: 65},
	aSeen:        {title: "seen", width: 5, right: true, keep: 50},
}

// agentName is how the pane names an agent: its address and, when not 0, its sub-agent.
func agentName(a *model.AgentRow) string {
	name := noValue
	if a.Addr.IsValid() {
		name = a.Addr.String()
	}
	if a.SubAgent != 0 {
		name += "/" + strconv.FormatUint(uint64(a.SubAgent), 10)
	}
	return name
}

// countTone marks a loss count that is not zero.
func countTone(n uint64, bad tone) tone {
	if n > 0 {
		return bad
	}
	return toneMuted
}

// agentRows formats the snapshot's agents; the effective sampling rate is marked when it is more than 5 %
// above the declared one (samples are missing: scaling by the declared rate under-counts).
func agentRows(s *model.Snapshot) []row {
	rows := make([]row, 0, len(s.Agents))
	for i := range s.Agents {
		a := s.Agents[i]
		r := newRow(aCols)
		name := agentName(a)
		r.id = rowID("agent", name)
		r.key = name
		r.set(aAgent, name, 0, toneText)
		r.set(aRate, si(a.DatagramsPerSec), a.DatagramsPerSec, toneText)
		for _, c := range []struct {
			col int
			n   uint64
			tn  tone
		}{{aLost, a.Lost, toneWarn}, {aDups, a.Duplicates, toneWarn}, {aRestarts, a.Restarts, toneWarn},
			{aDrops, a.SampleDrops, toneBad}, {aLostSamples, a.LostSamples, toneWarn}} {
			r.set(c.col, counter(c.n), float64(c.n), countTone(c.n, c.tn))
		}
		if a.DeclaredRate > 0 {
			r.set(aDeclared, si(a.DeclaredRate), a.DeclaredRate, toneText)
			effTone := toneText
			if a.EffectiveRate > 1.05*a.DeclaredRate {
				effTone = toneWarn
			}
			r.set(aEffective, si(a.EffectiveRate), a.EffectiveRate, effTone)
		} else {
			r.set(aDeclared, noValue, 0, toneMuted)
			r.set(aEffective, noValue, 0, toneMuted)
		}
		seen := s.Time.Sub(a.LastSeen)
		r.set(aSeen, age(seen), seen.Seconds(), toneMuted)
		r.finish()
		rows = append(rows, r)
	}
	return rows
}
