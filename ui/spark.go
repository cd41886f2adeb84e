package ui

import "math"

// sparkCell is the value of cell i of a sparkline of n cells over pts: the point itself when every point has a
// cell, else the mean of the finite points of the i-th of n equal runs, so that a narrow sparkline still spans
// the whole history it is given (15 minutes of 5 s steps in 12 cells: 75 s a cell). NaN when the run has none.
func sparkCell(pts []float64, n, i int) float64 {
	if len(pts) <= n {
		return pts[i]
	}
	var sum float64
	k := 0
	for _, v := range pts[i*len(pts)/n : (i+1)*len(pts)/n] {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += v
			k++
		}
	}
	if k == 0 {
		return math.NaN()
	}
	return sum / float64(k)
}
