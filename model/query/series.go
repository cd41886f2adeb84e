package query

import (
	"math"
	"sort"
	"strings"
)

// Series is one time series: Values[i] is the value at Start + i*Step (unix seconds); NaN is null (no data).
type Series struct {
	Name  string
	Tags  map[string]string
	Start int64
	Step  int64
	// Values holds one value per step; NaN means null.
	Values []float64
	// PathExpression is the target text the series came from (the glob for fetched series); combining
	// functions name their result after it, as graphite-web does.
	PathExpression string
	// Consolidation is how the series is consolidated when a coarser step is needed ("average" when empty;
	// set by consolidateBy).
	Consolidation string
}

// End is the first timestamp after the series.
func (s Series) End() int64 { return s.Start + int64(len(s.Values))*s.Step }

// IsNull reports whether v is a null point.
func IsNull(v float64) bool { return math.IsNaN(v) }

// Null returns the null value.
func Null() float64 { return math.NaN() }

// Last is the last non-null value.
func (s Series) Last() (float64, bool) {
	v := aggLast(s.Values)
	return v, !IsNull(v)
}

// MinMax is the smallest and largest non-null value; ok is false when every point is null.
func (s Series) MinMax() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range s.Values {
		if IsNull(v) {
			continue
		}
		ok = true
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return lo, hi, ok
}

// copyWith returns a copy of s with a new name and values, tags copied (plus key=value when key != "").
func (s Series) copyWith(name string, values []float64, key, value string) Series {
	out := s
	out.Name = name
	out.Values = values
	out.Tags = make(map[string]string, len(s.Tags)+1)
	for k, v := range s.Tags {
		out.Tags[k] = v
	}
	if key != "" {
		out.Tags[key] = value
	}
	return out
}

// ParseTags reads graphite's tagged name form a.b;k=v;k2=v2 into tags, with "name" the path part.
func ParseTags(name string) map[string]string {
	parts := strings.Split(name, ";")
	tags := map[string]string{"name": parts[0]}
	for _, p := range parts[1:] {
		if k, v, ok := strings.Cut(p, "="); ok && k != "" {
			tags[k] = v
		}
	}
	return tags
}

// aggFunc reduces the values of one row or bucket. Every input has at least one non-null value (callers
// return null otherwise, graphite-web's xFilesFactor 0 rule).
type aggFunc func(vals []float64) float64

// aggFuncs are graphite-web's aggregation functions (getAggFunc) over values that may contain nulls.
var aggFuncs = map[string]aggFunc{
	"average":  aggAverage,
	"avg":      aggAverage,
	"avg_zero": aggAvgZero,
	"median":   aggMedian,
	"sum":      aggSum,
	"total":    aggSum,
	"min":      aggMin,
	"max":      aggMax,
	"diff":     aggDiff,
	"stddev":   aggStddev,
	"count":    aggCount,
	"range":    aggRange,
	"rangeOf":  aggRange,
	"multiply": aggMultiply,
	"last":     aggLast,
	"current":  aggLast,
	"first":    aggFirst,
}

func aggSum(vals []float64) float64 {
	sum := 0.0
	for _, v := range vals {
		if !IsNull(v) {
			sum += v
		}
	}
	return sum
}

func countNonNull(vals []float64) int {
	n := 0
	for _, v := range vals {
		if !IsNull(v) {
			n++
		}
	}
	return n
}

func aggAverage(vals []float64) float64 { return aggSum(vals) / float64(countNonNull(vals)) }
func aggAvgZero(vals []float64) float64 { return aggSum(vals) / float64(len(vals)) }
func aggCount(vals []float64) float64   { return float64(countNonNull(vals)) }

func aggMin(vals []float64) float64 {
	m := math.Inf(1)
	for _, v := range vals {
		if !IsNull(v) && v < m {
			m = v
		}
	}
	return m
}

func aggMax(vals []float64) float64 {
	m := math.Inf(-1)
	for _, v := range vals {
		if !IsNull(v) && v > m {
			m = v
		}
	}
	return m
}

func aggRange(vals []float64) float64 { return aggMax(vals) - aggMin(vals) }

func aggMedian(vals []float64) float64 {
	var nn []float64
	for _, v := range vals {
		if !IsNull(v) {
			nn = append(nn, v)
		}
	}
	sort.Float64s(nn)
	mid := len(nn) / 2
	if len(nn)%2 == 0 {
		return (nn[mid-1] + nn[mid]) / 2
	}
	return nn[mid]
}

func aggDiff(vals []float64) float64 {
	first := true
	d := 0.0
	for _, v := range vals {
		if IsNull(v) {
			continue
		}
		if first {
			d, first = v, false
		} else {
			d -= v
		}
	}
	return d
}

func aggStddev(vals []float64) float64 {
	avg := aggAverage(vals)
	n := float64(countNonNull(vals))
	sum := 0.0
	for _, v := range vals {
		if !IsNull(v) {
			sum += (v - avg) * (v - avg)
		}
	}
	return math.Sqrt(sum / n)
}

// aggMultiply is null when any factor is null (graphite's safeMul).
func aggMultiply(vals []float64) float64 {
	p := 1.0
	for _, v := range vals {
		if IsNull(v) {
			return math.NaN()
		}
		p *= v
	}
	return p
}

func aggLast(vals []float64) float64 {
	for i := len(vals) - 1; i >= 0; i-- {
		if !IsNull(vals[i]) {
			return vals[i]
		}
	}
	return math.NaN()
}

func aggFirst(vals []float64) float64 {
	for _, v := range vals {
		if !IsNull(v) {
			return v
		}
	}
	return math.NaN()
}

// reduce applies f to vals, or returns null when no value is non-null.
func reduce(f aggFunc, vals []float64) float64 {
	if countNonNull(vals) == 0 {
		return math.NaN()
	}
	return f(vals)
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func lcm(a, b int64) int64 {
	if a == b {
		return a
	}
	return a / gcd(a, b) * b
}

// consolidate merges each run of k points into one with the series' consolidation function (buckets start at
// the series start; a short last bucket is kept, as graphite's TimeSeries.consolidate).
func consolidate(s Series, k int64) Series {
	if k <= 1 {
		return s
	}
	f := aggFuncs[s.Consolidation]
	if f == nil {
		f = aggAverage
	}
	out := s
	out.Step = s.Step * k
	out.Values = make([]float64, 0, (int64(len(s.Values))+k-1)/k)
	for i := int64(0); i < int64(len(s.Values)); i += k {
		end := min(i+k, int64(len(s.Values)))
		out.Values = append(out.Values, reduce(f, s.Values[i:end]))
	}
	return out
}

// normalize brings series to a common step (the LCM of their steps, finer series consolidated) and a common
// time axis from the earliest start to the latest end; the returned rows are aligned by timestamp, null where
// a series has no point.
func normalize(list []Series) (rows [][]float64, start, step int64) {
	if len(list) == 0 {
		return nil, 0, 0
	}
	step = 1
	for i, s := range list {
		st := max(s.Step, 1)
		if i == 0 {
			step = st
		} else {
			step = lcm(step, st)
		}
		if step > 1<<31 {
			step = st
		}
	}
	cons := make([]Series, len(list))
	start, end := int64(math.MaxInt64), int64(math.MinInt64)
	for i, s := range list {
		if s.Step <= 0 {
			s.Step = step
		}
		cons[i] = consolidate(s, step/s.Step)
		start = min(start, cons[i].Start)
		end = max(end, cons[i].End())
	}
	end -= (end - start) % step
	n := (end - start) / step
	rows = make([][]float64, n)
	for i := range rows {
		t := start + int64(i)*step
		row := make([]float64, len(cons))
		for j, s := range cons {
			row[j] = valueAt(s, t)
		}
		rows[i] = row
	}
	return rows, start, step
}

// valueAt is the value of the bucket holding t, or null outside the series.
func valueAt(s Series, t int64) float64 {
	if t < s.Start || s.Step <= 0 {
		return math.NaN()
	}
	i := (t - s.Start) / s.Step
	if i >= int64(len(s.Values)) {
		return math.NaN()
	}
	return s.Values[i]
}
