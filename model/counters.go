package model

import "github.com/fleettop/fleettop/feeds/sflow"

// deltaState says whether a counter delta can be used.
type deltaState uint8

const (
	deltaOK          deltaState = iota
	deltaUnavailable            // either value is the type's max: the agent cannot supply this counter
	deltaBackwards              // the counter went down without a sequence reset: a discontinuity
)

// delta32 returns cur-prev for a 32-bit counter that may have wrapped once. A counter that would have to
// advance by more than half its range in one interval is taken to have gone backwards instead.
func delta32(prev, cur uint32) (float64, deltaState) {
	d, ok := sflow.Delta32(prev, cur)
	switch {
	case !ok:
		return 0, deltaUnavailable
	case d > 1<<31:
		return 0, deltaBackwards
	}
	return float64(d), deltaOK
}

// delta64 is delta32 for 64-bit counters, which do not wrap in practice.
func delta64(prev, cur uint64) (float64, deltaState) {
	if prev == sflow.Unavailable64 || cur == sflow.Unavailable64 {
		return 0, deltaUnavailable
	}
	d, ok := sflow.Delta64(prev, cur)
	if !ok {
		return 0, deltaBackwards
	}
	return float64(d), deltaOK
}

// deltaSum adds up counter deltas, skipping unavailable counters; ok is false when any went backwards or none
// was available.
type deltaSum struct {
	sum       float64
	backwards bool
	any       bool
}

func (s *deltaSum) add32(prev, cur uint32) {
	d, st := delta32(prev, cur)
	s.take(d, st)
}

func (s *deltaSum) take(d float64, st deltaState) {
	switch st {
	case deltaOK:
		s.sum += d
		s.any = true
	case deltaBackwards:
		s.backwards = true
	}
}

func (s *deltaSum) value() (float64, bool) { return s.sum, s.any && !s.backwards }

// cpuUtilisation returns the busy percentage of the CPU time between two host_cpu records: user, nice,
// system, wio, intr, sintr (and steal when present) over those plus idle. Guest time is already part of user.
func cpuUtilisation(prev, cur *sflow.HostCPU) (float64, bool) {
	var busy, idle deltaSum
	busy.add32(prev.User, cur.User)
	busy.add32(prev.Nice, cur.Nice)
	busy.add32(prev.System, cur.System)
	busy.add32(prev.WIO, cur.WIO)
	busy.add32(prev.Intr, cur.Intr)
	busy.add32(prev.SoftIntr, cur.SoftIntr)
	if prev.Len80 && cur.Len80 {
		busy.add32(prev.Steal, cur.Steal)
	}
	idle.add32(prev.Idle, cur.Idle)
	b, ok := busy.value()
	if !ok || idle.backwards {
		return 0, false
	}
	total := b + idle.sum
	if total <= 0 {
		return 0, false
	}
	return 100 * b / total, true
}

// gauge32 returns v as a float, or false when it is the unavailable marker.
func gauge32(v uint32) (float64, bool) {
	if v == sflow.Unavailable32 {
		return 0, false
	}
	return float64(v), true
}

// gauge64 returns v as a float, or false when it is the unavailable marker.
func gauge64(v uint64) (float64, bool) {
	if v == sflow.Unavailable64 {
		return 0, false
	}
	return float64(v), true
}
