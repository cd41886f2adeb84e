package cluster

import (
	"math"

	"github.com/fleettop/fleettop/model"
)

// deltaSteps is the most steps a delta of series of points steps may span before a keyframe is sent instead.
// A keyframe costs points, a delta the steps since its keyframe; with a new point a step, sending a keyframe
// once deltas reach d steps sends points/d + d/2 points a step on average, least at d = √(2·points).
func deltaSteps(points int) int64 { return max(2, int64(math.Sqrt(2*float64(points)))) }

// pointAt is the point of step bin in pts, whose last point is of step lastBin; NaN outside.
func pointAt(pts []float64, lastBin, bin int64) float64 {
	k := int64(len(pts)) - 1 - (lastBin - bin)
	if k < 0 || k >= int64(len(pts)) {
		return math.NaN()
	}
	return pts[k]
}

func samePoint(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// sameShape reports whether series have the names, units and lengths of keyframe key's.
func sameShape(key *Series, series []model.NamedSeries) bool {
	if len(key.Series) != len(series) {
		return false
	}
	for i, n := range series {
		if k := key.Series[i]; k.Name != n.Name || k.Unit != n.Unit || len(k.Points) != len(n.Points) {
			return false
		}
	}
	return true
}

// firstChange is the earliest step in which series (of key's shape, their last point in step lastBin) differ
// from keyframe key; lastBin+1 when they do not.
func firstChange(key *Series, series []model.NamedSeries, lastBin int64) int64 {
	first := lastBin + 1
	for i, n := range series {
		for j, v := range n.Points {
			bin := lastBin - int64(len(n.Points)-1-j)
			if bin >= first {
				break
			}
			if !samePoint(v, pointAt(key.Series[i].Points, key.LastBin, bin)) {
				first = bin
				break
			}
		}
	}
	return first
}

// deltaPoints are the points of series from step first to lastBin.
func deltaPoints(series []model.NamedSeries, first, lastBin int64) [][]float64 {
	out := make([][]float64, len(series))
	for i, n := range series {
		out[i] = n.Points[int64(len(n.Points))-(lastBin-first+1):]
	}
	return out
}

// applies reports whether d changes keyframe key.
func applies(d *Delta, key *Series) bool {
	return d.Start == key.Start && d.Base == key.Seq && d.Step == key.Step
}

// applyDelta is keyframe key changed by d (see Delta): key's points moved to end in d's last step, d's points
// in place of theirs.
func applyDelta(key *Series, d *Delta) *Series {
	out := &Series{V: key.V, Collector: key.Collector, Start: d.Start, Seq: d.Seq, Host: key.Host, Step: key.Step,
		LastBin: d.LastBin, Series: make([]Named, len(key.Series))}
	for i, n := range key.Series {
		pts := make([]float64, len(n.Points))
		for j := range pts {
			bin := d.LastBin - int64(len(pts)-1-j)
			if bin >= d.FirstBin && i < len(d.Points) {
				pts[j] = d.Points[i][bin-d.FirstBin]
			} else {
				pts[j] = pointAt(n.Points, key.LastBin, bin)
			}
		}
		out.Series[i] = Named{Name: n.Name, Unit: n.Unit, Points: pts}
	}
	return out
}
