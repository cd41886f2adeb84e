package query

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
)

// functions is the table of render functions (graphite-web's functions.py, semantics of 1.1).
var functions map[string]*function

func series(name string) param { return param{name: name, kind: kSeries, required: true} }
func seriesLists() param {
	return param{name: "seriesLists", kind: kSeries, required: true, multiple: true}
}
func req(name string, k argKind) param {
	return param{name: name, kind: k, required: true}
}
func opt(name string, k argKind) param { return param{name: name, kind: k} }

func init() {
	agg := func(name string) *function {
		return &function{params: []param{seriesLists()}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return aggregate(a.series(0), name), nil
		}}
	}
	functions = map[string]*function{
		"aggregate": {params: []param{series("seriesList"), req("func", kAggFunc), opt("xFilesFactor", kNumber)},
			eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
				return aggregate(a.series(0), strings.TrimSuffix(a.str(1, ""), "Series")), nil
			}},
		"sumSeries":     agg("sum"),
		"sum":           agg("sum"),
		"averageSeries": agg("average"),
		"avg":           agg("average"),
		"maxSeries":     agg("max"),
		"minSeries":     agg("min"),
		"diffSeries":    agg("diff"),
		"stddevSeries":  agg("stddev"),
		"rangeOfSeries": agg("rangeOf"),
		"multiplySeries": {params: []param{seriesLists()}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			if list := a.series(0); len(a.lists[0]) == 1 && len(list) == 1 {
				return list, nil // graphite's legacy behaviour for a single series
			}
			return aggregate(a.series(0), "multiply"), nil
		}},
		"countSeries": {params: []param{{name: "seriesLists", kind: kSeries, multiple: true}}, eval: fnCountSeries},
		"group":       {params: []param{{name: "seriesLists", kind: kSeries, multiple: true}}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) { return a.series(0), nil }},
		"alias": {params: []param{series("seriesList"), req("newName", kString)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return rename(a.series(0), func(Series) string { return a.str(1, "") }), nil
		}},
		"aliasByNode": {params: []param{series("seriesList"), {name: "nodes", kind: kNodeOrTag, required: true, multiple: true}}, eval: fnAliasByNode},
		"aliasByTags": {params: []param{series("seriesList"), {name: "tags", kind: kNodeOrTag, required: true, multiple: true}}, eval: fnAliasByNode},
		"aliasByMetric": {params: []param{series("seriesList")}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return rename(a.series(0), func(s Series) string {
				clean := s.Name[strings.LastIndexByte(s.Name, '(')+1:]
				if i := strings.IndexByte(clean, ')'); i >= 0 {
					clean = clean[:i]
				}
				clean = clean[strings.LastIndexByte(clean, '.')+1:]
				clean, _, _ = strings.Cut(clean, ",")
				return clean
			}), nil
		}},
		"aliasSub": {params: []param{series("seriesList"), req("search", kString), req("replace", kString)}, eval: fnAliasSub},
		"scale": {params: []param{series("seriesList"), req("factor", kNumber)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			f := a.num(1, 1)
			return pointwise(a.series(0), func(s Series) string { return "scale(" + s.Name + "," + pyG(f) + ")" }, "scale", pyG(f),
				func(v float64) float64 { return v * f }), nil
		}},
		"offset": {params: []param{series("seriesList"), req("factor", kNumber)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			f := a.num(1, 0)
			return pointwise(a.series(0), func(s Series) string { return "offset(" + s.Name + "," + pyG(f) + ")" }, "offset", pyG(f),
				func(v float64) float64 { return v + f }), nil
		}},
		"absolute": {params: []param{series("seriesList")}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return pointwise(a.series(0), func(s Series) string { return "absolute(" + s.Name + ")" }, "absolute", "1", math.Abs), nil
		}},
		"derivative":            {params: []param{series("seriesList")}, eval: fnDerivative},
		"nonNegativeDerivative": {params: []param{series("seriesList"), opt("maxValue", kNumber), opt("minValue", kNumber)}, eval: fnNonNegativeDerivative},
		"perSecond":             {params: []param{series("seriesList"), opt("maxValue", kNumber), opt("minValue", kNumber)}, eval: fnPerSecond},
		"integral":              {params: []param{series("seriesList")}, eval: fnIntegral},
		"movingAverage":         movingFunc("average"),
		"movingSum":             movingFunc("sum"),
		"movingMin":             movingFunc("min"),
		"movingMax":             movingFunc("max"),
		"movingMedian":          movingFunc("median"),
		"movingWindow": {params: []param{series("seriesList"), req("windowSize", kIntOrInterval), opt("func", kAggFunc), opt("xFilesFactor", kNumber)}, lazy: true,
			eval: func(ec *evalCtx, a *callArgs) ([]Series, error) {
				return movingWindow(ec, a, a.str(2, "average"), a.num(3, 0))
			}},
		"highest": {params: []param{series("seriesList"), opt("n", kInt), opt("func", kAggFunc)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return rank(a.series(0), a.str(2, "average"), true, int(a.num(1, 1))), nil
		}},
		"lowest": {params: []param{series("seriesList"), opt("n", kInt), opt("func", kAggFunc)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return rank(a.series(0), a.str(2, "average"), false, int(a.num(1, 1))), nil
		}},
		"highestMax":     rankFunc("max", true),
		"highestCurrent": rankFunc("current", true),
		"highestAverage": rankFunc("average", true),
		"lowestCurrent":  rankFunc("current", false),
		"lowestAverage":  rankFunc("average", false),
		"sortByMaxima": {params: []param{series("seriesList")}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return rank(a.series(0), "max", true, -1), nil
		}},
		"sortByMinima": {params: []param{series("seriesList")}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			var keep []Series
			for _, s := range a.series(0) {
				if _, hi, ok := s.MinMax(); ok && hi > 0 {
					keep = append(keep, s)
				}
			}
			return rank(keep, "min", false, -1), nil
		}},
		"sortByName": {params: []param{series("seriesList"), opt("natural", kBool), opt("reverse", kBool)}, eval: fnSortByName},
		"limit": {params: []param{series("seriesList"), req("n", kInt)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return pySlice(a.series(0), int(a.num(1, 0))), nil
		}},
		"currentAbove": {params: []param{series("seriesList"), req("n", kNumber)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			n := a.num(1, 0)
			return filter(a.series(0), func(s Series) bool { v, ok := s.Last(); return ok && v > n }), nil
		}},
		"currentBelow": {params: []param{series("seriesList"), req("n", kNumber)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			n := a.num(1, 0)
			return filter(a.series(0), func(s Series) bool { v, ok := s.Last(); return !ok || v <= n }), nil
		}},
		"exclude": {params: []param{series("seriesList"), req("pattern", kString)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return grep(a, false)
		}},
		"grep": {params: []param{series("seriesList"), req("pattern", kString)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return grep(a, true)
		}},
		"removeEmptySeries": {params: []param{series("seriesList"), opt("xFilesFactor", kNumber)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			f := a.num(1, 0)
			return filter(a.series(0), func(s Series) bool { return xff(countNonNull(s.Values), len(s.Values), f) }), nil
		}},
		"groupByNode": {params: []param{series("seriesList"), req("nodeNum", kNodeOrTag), opt("callback", kAggOrSeriesFunc)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return groupByNodes(a.series(0), a.str(2, "average"), a.nodes(1)), nil
		}},
		"groupByNodes": {params: []param{series("seriesList"), req("callback", kAggOrSeriesFunc), {name: "nodes", kind: kNodeOrTag, multiple: true}}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			return groupByNodes(a.series(0), a.str(1, "average"), a.nodes(2)), nil
		}},
		"groupByTags":   {params: []param{series("seriesList"), req("callback", kAggOrSeriesFunc), {name: "tags", kind: kString, required: true, multiple: true}}, eval: fnGroupByTags},
		"seriesByTag":   {params: []param{{name: "tagExpressions", kind: kString, required: true, multiple: true}}, eval: fnSeriesByTag},
		"summarize":     {params: []param{series("seriesList"), req("intervalString", kInterval), opt("func", kAggFunc), opt("alignToFrom", kBool)}, eval: fnSummarize},
		"timeShift":     {params: []param{series("seriesList"), req("timeShift", kInterval), opt("resetEnd", kBool), opt("alignDst", kBool)}, lazy: true, eval: fnTimeShift},
		"asPercent":     {params: []param{series("seriesList"), opt("total", kTotal), {name: "nodes", kind: kNodeOrTag, multiple: true}}, eval: fnAsPercent},
		"divideSeries":  {params: []param{series("dividendSeriesList"), series("divisorSeries")}, eval: fnDivideSeries},
		"keepLastValue": {params: []param{series("seriesList"), opt("limit", kIntOrInf)}, eval: fnKeepLastValue},
		"transformNull": {params: []param{series("seriesList"), opt("default", kNumber), opt("referenceSeries", kSeries)}, eval: fnTransformNull},
		"consolidateBy": {params: []param{series("seriesList"), req("consolidationFunc", kConsolidation)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
			fn := a.str(1, "average")
			out := rename(a.series(0), func(s Series) string { return "consolidateBy(" + s.Name + `,"` + fn + `")` })
			for i := range out {
				out[i].Consolidation = fn
				out[i].PathExpression = out[i].Name
			}
			return out, nil
		}},
	}
	functions["pct"] = functions["asPercent"]
}

func rankFunc(agg string, highest bool) *function {
	return &function{params: []param{series("seriesList"), req("n", kInt)}, eval: func(_ *evalCtx, a *callArgs) ([]Series, error) {
		return rank(a.series(0), agg, highest, int(a.num(1, 1))), nil
	}}
}

func movingFunc(agg string) *function {
	return &function{params: []param{series("seriesList"), req("windowSize", kIntOrInterval), opt("xFilesFactor", kNumber)}, lazy: true,
		eval: func(ec *evalCtx, a *callArgs) ([]Series, error) { return movingWindow(ec, a, agg, a.num(2, 0)) }}
}

// rename copies every series under a new name.
func rename(list []Series, name func(Series) string) []Series {
	out := make([]Series, len(list))
	for i, s := range list {
		out[i] = s
		out[i].Name = name(s)
	}
	return out
}

func filter(list []Series, keep func(Series) bool) []Series {
	var out []Series
	for _, s := range list {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// pySlice is list[:n] with Python's meaning of a negative n.
func pySlice(list []Series, n int) []Series {
	if n < 0 {
		n = max(0, len(list)+n)
	}
	return list[:min(n, len(list))]
}

// rank sorts by an aggregation of each series (all-null ranks lowest), stable, and keeps n (-1: all).
func rank(list []Series, agg string, descending bool, n int) []Series {
	out := append([]Series(nil), list...)
	keys := make(map[int]float64, len(out))
	idx := make([]int, len(out))
	for i := range out {
		idx[i] = i
		keys[i] = rankKey(out[i], agg)
	}
	sort.SliceStable(idx, func(i, j int) bool {
		if descending {
			return keys[idx[i]] > keys[idx[j]]
		}
		return keys[idx[i]] < keys[idx[j]]
	})
	sorted := make([]Series, len(out))
	for i, k := range idx {
		sorted[i] = out[k]
	}
	if n < 0 {
		return sorted
	}
	return pySlice(sorted, n)
}

func fnCountSeries(_ *evalCtx, a *callArgs) ([]Series, error) {
	list := a.series(0)
	if len(list) == 0 {
		return nil, nil
	}
	rows, start, step := normalize(list)
	vals := make([]float64, len(rows))
	for i, row := range rows {
		vals[i] = float64(len(row))
	}
	name := "countSeries(" + formatPathExpressions(list) + ")"
	return []Series{{Name: name, Tags: map[string]string{"name": name}, Start: start, Step: step, Values: vals, PathExpression: name}}, nil
}

func fnAliasByNode(_ *evalCtx, a *callArgs) ([]Series, error) {
	nodes := a.nodes(1)
	return rename(a.series(0), func(s Series) string { return aggKey(s, nodes) }), nil
}

// pyReplacement turns Python's \1 and \g<name> into Go's ${1} and ${name}.
var pyGroupRef = regexp.MustCompile(`\\(\d+)|\\g<(\w+)>`)

func fnAliasSub(_ *evalCtx, a *callArgs) ([]Series, error) {
	re, err := regexp.Compile(a.str(1, ""))
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	repl := strings.ReplaceAll(a.str(2, ""), "$", "$$")
	repl = pyGroupRef.ReplaceAllString(repl, "$${$1$2}")
	return rename(a.series(0), func(s Series) string { return re.ReplaceAllString(s.Name, repl) }), nil
}

func grep(a *callArgs, keep bool) ([]Series, error) {
	re, err := regexp.Compile(a.str(1, ""))
	if err != nil {
		return nil, fmt.Errorf("pattern: %w", err)
	}
	return filter(a.series(0), func(s Series) bool { return re.MatchString(s.Name) == keep }), nil
}

func fnSortByName(_ *evalCtx, a *callArgs) ([]Series, error) {
	out := append([]Series(nil), a.series(0)...)
	natural, reverse := a.boolean(1, false), a.boolean(2, false)
	key := func(s Series) string { return s.Name }
	if natural {
		num := regexp.MustCompile(`\d+`)
		key = func(s Series) string {
			return num.ReplaceAllStringFunc(s.Name, func(d string) string { return strings.Repeat("0", max(0, 10-len(d))) + d })
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if reverse {
			return key(out[i]) > key(out[j])
		}
		return key(out[i]) < key(out[j])
	})
	return out, nil
}

func fnDerivative(_ *evalCtx, a *callArgs) ([]Series, error) {
	list := a.series(0)
	out := make([]Series, len(list))
	for i, s := range list {
		vals := make([]float64, len(s.Values))
		prev := math.NaN()
		for j, v := range s.Values {
			vals[j] = v - prev // NaN when either is null
			prev = v
		}
		out[i] = s.copyWith("derivative("+s.Name+")", vals, "derivative", "1")
	}
	return out, nil
}

// nonNegativeDelta is graphite's _nonNegativeDelta: the counter increase from prev to val, wrapped at
// maxValue or reset to minValue when given; null for the first reading, a null, or a plain decrease.
func nonNegativeDelta(val, prev, maxValue, minValue float64) (delta, next float64) {
	null := math.NaN()
	if IsNull(val) {
		return null, null
	}
	if !IsNull(maxValue) && val > maxValue {
		return null, null
	}
	if !IsNull(minValue) && val < minValue {
		return null, null
	}
	if IsNull(prev) {
		return null, val
	}
	if val >= prev {
		return val - prev, val
	}
	if !IsNull(maxValue) {
		m := minValue
		if IsNull(m) {
			m = 0
		}
		return maxValue + 1 + val - prev - m, val
	}
	if !IsNull(minValue) {
		return val - minValue, val
	}
	return null, val
}

func counterDeltas(a *callArgs, name string, perStep bool) []Series {
	list := a.series(0)
	maxV, minV := a.num(1, math.NaN()), a.num(2, math.NaN())
	out := make([]Series, len(list))
	for i, s := range list {
		vals := make([]float64, len(s.Values))
		prev := math.NaN()
		for j, v := range s.Values {
			d, next := nonNegativeDelta(v, prev, maxV, minV)
			prev = next
			if perStep && !IsNull(d) && s.Step > 0 {
				d = math.Round(d/float64(s.Step)*1e6) / 1e6
			}
			vals[j] = d
		}
		out[i] = s.copyWith(name+"("+s.Name+")", vals, name, "1")
	}
	return out
}

func fnNonNegativeDerivative(_ *evalCtx, a *callArgs) ([]Series, error) {
	return counterDeltas(a, "nonNegativeDerivative", false), nil
}

func fnPerSecond(_ *evalCtx, a *callArgs) ([]Series, error) {
	return counterDeltas(a, "perSecond", true), nil
}

func fnIntegral(_ *evalCtx, a *callArgs) ([]Series, error) {
	list := a.series(0)
	out := make([]Series, len(list))
	for i, s := range list {
		vals := make([]float64, len(s.Values))
		sum := 0.0
		for j, v := range s.Values {
			if IsNull(v) {
				vals[j] = v
				continue
			}
			sum += v
			vals[j] = sum
		}
		out[i] = s.copyWith("integral("+s.Name+")", vals, "integral", "1")
	}
	return out, nil
}

// movingWindow refetches the first argument with the window's length of history before from, so the first
// points have a full window, then reduces the points before each one (graphite's movingWindow).
func movingWindow(ec *evalCtx, a *callArgs, agg string, factor float64) ([]Series, error) {
	win := a.exprs[1][0]
	var preview int64
	if win.Kind == StringExpr {
		d, err := parseInterval(win.Text)
		if err != nil {
			return nil, err
		}
		preview = int64(d / time.Second)
	} else {
		first, err := ec.eval(a.exprs[0][0])
		if err != nil {
			return nil, err
		}
		if len(first) == 0 {
			return nil, nil
		}
		maxStep := int64(1)
		for _, s := range first {
			maxStep = max(maxStep, s.Step)
		}
		preview = maxStep * int64(win.Num)
	}
	list, err := ec.within(ec.from-preview, ec.until).eval(a.exprs[0][0])
	if err != nil {
		return nil, err
	}
	f := aggFuncs[strings.TrimSuffix(agg, "Series")]
	tagName := "moving" + strings.ToUpper(agg[:1]) + agg[1:]
	out := make([]Series, 0, len(list))
	for _, s := range list {
		var points int
		var name string
		if win.Kind == StringExpr {
			points = int(preview / max(s.Step, 1))
			name = tagName + "(" + s.Name + `,"` + win.Text + `")`
		} else {
			points = int(win.Num)
			name = tagName + "(" + s.Name + "," + win.Text + ")"
		}
		var vals []float64
		for i := points; i < len(s.Values); i++ {
			window := s.Values[i-points : i]
			nn := countNonNull(window)
			if nn > 0 && xff(nn, points, factor) {
				vals = append(vals, f(window))
			} else {
				vals = append(vals, math.NaN())
			}
		}
		r := s.copyWith(name, vals, tagName, win.Text)
		r.Start = s.Start + preview
		r.PathExpression = name
		out = append(out, r)
	}
	return out, nil
}

// groupBy groups series by key, keys in order of first appearance (as graphite-web returns groups).
func groupBy(list []Series, key func(Series) string) ([]string, map[string][]Series) {
	var keys []string
	groups := map[string][]Series{}
	for _, s := range list {
		k := key(s)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], s)
	}
	return keys, groups
}

func groupByNodes(list []Series, callback string, nodes []*Expr) []Series {
	agg := callback
	if a, ok := aggregatorAggs[callback]; ok {
		agg = a
	}
	keys, groups := groupBy(list, func(s Series) string { return aggKey(s, nodes) })
	out := make([]Series, 0, len(keys))
	for _, k := range keys {
		r := aggregate(groups[k], agg)[0]
		r.Name = k
		out = append(out, r)
	}
	return out
}

func fnGroupByTags(_ *evalCtx, a *callArgs) ([]Series, error) {
	list := a.series(0)
	callback := a.str(1, "average")
	var tags []string
	for _, x := range a.nodes(2) {
		tags = append(tags, x.Text)
	}
	agg := callback
	if g, ok := aggregatorAggs[callback]; ok {
		agg = g
	}
	byName := indexOf(tags, "name") >= 0
	common := callback
	if !byName {
		names := map[string]bool{}
		for _, s := range list {
			names[s.Tags["name"]] = true
		}
		if len(names) == 1 {
			for n := range names {
				common = n
			}
		}
	}
	keys, groups := groupBy(list, func(s Series) string {
		head := common
		if byName {
			head = s.Tags["name"]
		}
		var parts []string
		for _, t := range tags {
			if t != "name" {
				parts = append(parts, t+"="+s.Tags[t])
			}
		}
		sort.Strings(parts)
		return strings.Join(append([]string{head}, parts...), ";")
	})
	out := make([]Series, 0, len(keys))
	for _, k := range keys {
		r := aggregate(groups[k], agg)[0]
		r.Name, r.PathExpression, r.Tags = k, k, ParseTags(k)
		out = append(out, r)
	}
	return out, nil
}

func fnSeriesByTag(ec *evalCtx, a *callArgs) ([]Series, error) {
	var exprs []string
	for _, x := range a.nodes(0) {
		exprs = append(exprs, x.Text)
	}
	if _, err := ParseTagExprs(exprs); err != nil {
		return nil, err
	}
	var leaves []sourced
	seen := map[string]bool{}
	for i, o := range ec.origins {
		tf, ok := o.Source.(TagFinder)
		if !ok {
			continue
		}
		paths, err := tf.FindTagged(ec.ctx, exprs)
		if err != nil {
			return nil, fmt.Errorf("tags in %s: %w", o.Name, err)
		}
		for _, p := range paths {
			if !seen[p] {
				seen[p] = true
				leaves = append(leaves, sourced{p, i})
			}
		}
	}
	sort.Slice(leaves, func(i, j int) bool { return leaves[i].path < leaves[j].path })
	return ec.fetchLeaves(leaves, a.call.String())
}

func fnSummarize(_ *evalCtx, a *callArgs) ([]Series, error) {
	text := a.str(1, "")
	d, err := parseInterval(text)
	if err != nil {
		return nil, err
	}
	interval := int64(d / time.Second)
	fname := a.str(2, "sum")
	f := aggFuncs[strings.TrimSuffix(fname, "Series")]
	alignToFrom := a.boolean(3, false)
	list := a.series(0)
	out := make([]Series, 0, len(list))
	for _, s := range list {
		start, end := s.Start, s.End()
		if !alignToFrom {
			start = floorDiv(s.Start, interval) * interval
			end = floorDiv(s.End(), interval)*interval + interval
		}
		if (end-start)/interval > maxSummarizeBuckets {
			return nil, fmt.Errorf("%q buckets over %s: more than %d points; use a longer interval", text, s.Name, maxSummarizeBuckets)
		}
		var vals []float64
		i := 0
		for ts := start; ts < end; ts += interval {
			from := i
			for i < len(s.Values) && s.Start+int64(i)*s.Step < ts+interval {
				i++
			}
			vals = append(vals, reduce(f, s.Values[from:i]))
		}
		suffix := ""
		if alignToFrom {
			suffix = ", true"
		}
		name := "summarize(" + s.Name + `, "` + text + `", "` + fname + `"` + suffix + ")"
		r := s.copyWith(name, vals, "summarize", text)
		r.Tags["summarizeFunction"] = fname
		r.Start, r.Step = start, interval
		out = append(out, r)
	}
	return out, nil
}

// maxSummarizeBuckets bounds the points summarize may produce per series.
const maxSummarizeBuckets = 1_000_000

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// fnTimeShift evaluates the series over the range shifted by the offset ("1d" means back one day, "+1h"
// forward) and moves the points onto the drawn range.
func fnTimeShift(ec *evalCtx, a *callArgs) ([]Series, error) {
	shift := a.str(1, "")
	if shift != "" && shift[0] >= '0' && shift[0] <= '9' {
		shift = "-" + shift
	}
	d, err := ParseOffset(shift)
	if err != nil {
		return nil, err
	}
	delta := int64(d / time.Second)
	list, err := ec.within(ec.from+delta, ec.until+delta).eval(a.exprs[0][0])
	if err != nil {
		return nil, err
	}
	resetEnd := a.boolean(2, true)
	out := make([]Series, 0, len(list))
	for _, s := range list {
		name := "timeShift(" + s.Name + `, "` + shift + `")`
		r := s.copyWith(name, s.Values, "timeShift", shift)
		r.Start = s.Start - delta
		if resetEnd && r.Step > 0 && r.End() > ec.until {
			keep := max(0, (ec.until-r.Start+r.Step-1)/r.Step)
			r.Values = r.Values[:min(int64(len(r.Values)), keep)]
		}
		r.PathExpression = name
		out = append(out, r)
	}
	return out, nil
}

// percent is 100*v/total, null when either is null or total is 0.
func percent(v, total float64) float64 {
	if IsNull(v) || IsNull(total) || total == 0 {
		return math.NaN()
	}
	return v / total * 100
}

// pairwise combines two series point by point on their common (normalized) axis.
func pairwise(x, y Series, name string, f func(a, b float64) float64) Series {
	rows, start, step := normalize([]Series{x, y})
	vals := make([]float64, len(rows))
	for i, r := range rows {
		vals[i] = f(r[0], r[1])
	}
	out := x.copyWith(name, vals, "", "")
	out.Start, out.Step, out.PathExpression = start, step, name
	return out
}

func fnAsPercent(_ *evalCtx, a *callArgs) ([]Series, error) {
	list := a.series(0)
	if len(list) == 0 {
		return nil, nil
	}
	nodes := a.nodes(2)
	totalExpr := (*Expr)(nil)
	if a.has(1) {
		totalExpr = a.exprs[1][0]
	}
	if len(nodes) > 0 {
		if totalExpr != nil && totalExpr.Kind == NumberExpr {
			return nil, fmt.Errorf("total must be none or a series list when nodes are given")
		}
		return asPercentByNodes(list, a.series(1), totalExpr != nil, nodes), nil
	}
	var out []Series
	switch {
	case totalExpr == nil:
		total := aggregate(list, "sum")[0]
		text := "sumSeries(" + formatPathExpressions(list) + ")"
		for _, s := range list {
			out = append(out, pairwise(s, total, "asPercent("+s.Name+","+text+")", percent))
		}
	case totalExpr.Kind == NumberExpr:
		t := totalExpr.Num
		for _, s := range list {
			vals := make([]float64, len(s.Values))
			for i, v := range s.Values {
				vals[i] = percent(v, t)
			}
			name := "asPercent(" + s.Name + "," + totalExpr.Text + ")"
			r := s.copyWith(name, vals, "", "")
			r.PathExpression = name
			out = append(out, r)
		}
	default:
		totals := a.series(1)
		switch {
		case len(totals) == 1:
			for _, s := range list {
				out = append(out, pairwise(s, totals[0], "asPercent("+s.Name+","+totals[0].Name+")", percent))
			}
		case len(totals) == len(list):
			xs := append([]Series(nil), list...)
			ys := append([]Series(nil), totals...)
			sort.SliceStable(xs, func(i, j int) bool { return xs[i].Name < xs[j].Name })
			sort.SliceStable(ys, func(i, j int) bool { return ys[i].Name < ys[j].Name })
			for i := range xs {
				out = append(out, pairwise(xs[i], ys[i], "asPercent("+xs[i].Name+","+ys[i].Name+")", percent))
			}
		default:
			return nil, fmt.Errorf("total must be missing, a number, exactly 1 series or as many series as the first argument (got %d for %d)", len(totals), len(list))
		}
	}
	return out, nil
}

func asPercentByNodes(list, totals []Series, haveTotal bool, nodes []*Expr) []Series {
	keys, groups := groupBy(list, func(s Series) string { return aggKey(s, nodes) })
	totalOf := map[string]Series{}
	if !haveTotal {
		for _, k := range keys {
			if g := groups[k]; len(g) == 1 {
				totalOf[k] = g[0]
			} else {
				totalOf[k] = aggregate(g, "sum")[0]
			}
		}
	} else {
		tgroups := map[string][]Series{}
		for _, s := range totals {
			k := aggKey(s, nodes)
			if _, ok := tgroups[k]; !ok {
				if _, known := groups[k]; !known {
					keys = append(keys, k)
				}
			}
			tgroups[k] = append(tgroups[k], s)
		}
		for k, g := range tgroups {
			if len(g) == 1 {
				totalOf[k] = g[0]
			} else {
				totalOf[k] = aggregate(g, "sum")[0]
			}
		}
	}
	var out []Series
	for _, k := range keys {
		g, ok := groups[k]
		if !ok {
			t := totalOf[k]
			out = append(out, t.copyWith("asPercent(MISSING,"+t.Name+")", nullValues(len(t.Values)), "", ""))
			continue
		}
		for _, s := range g {
			t, ok := totalOf[k]
			if !ok {
				out = append(out, s.copyWith("asPercent("+s.Name+",MISSING)", nullValues(len(s.Values)), "", ""))
				continue
			}
			out = append(out, pairwise(s, t, "asPercent("+s.Name+","+t.Name+")", percent))
		}
	}
	return out
}

func nullValues(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

func fnDivideSeries(_ *evalCtx, a *callArgs) ([]Series, error) {
	list, divisors := a.series(0), a.series(1)
	if len(divisors) == 0 {
		return pointwise(list, func(s Series) string { return "divideSeries(" + s.Name + ",MISSING)" }, "", "",
			func(float64) float64 { return math.NaN() }), nil
	}
	if len(divisors) > 1 {
		return nil, fmt.Errorf("second argument must reference exactly 1 series (got %d)", len(divisors))
	}
	out := make([]Series, len(list))
	for i, s := range list {
		out[i] = pairwise(s, divisors[0], "divideSeries("+s.Name+","+divisors[0].Name+")", func(x, y float64) float64 {
			if IsNull(x) || IsNull(y) || y == 0 {
				return math.NaN()
			}
			return x / y
		})
	}
	return out, nil
}

func fnKeepLastValue(_ *evalCtx, a *callArgs) ([]Series, error) {
	limit := a.num(1, math.Inf(1))
	list := a.series(0)
	out := make([]Series, len(list))
	for i, s := range list {
		vals := append([]float64(nil), s.Values...)
		nulls := 0
		last := math.NaN()
		for j, v := range vals {
			if IsNull(v) {
				nulls++
				continue
			}
			if nulls > 0 && float64(nulls) <= limit && !IsNull(last) {
				for k := j - nulls; k < j; k++ {
					vals[k] = last
				}
			}
			nulls, last = 0, v
		}
		if nulls > 0 && float64(nulls) <= limit && !IsNull(last) {
			for k := len(vals) - nulls; k < len(vals); k++ {
				vals[k] = last
			}
		}
		name := "keepLastValue(" + s.Name + ")"
		out[i] = s.copyWith(name, vals, "", "")
		out[i].PathExpression = name
	}
	return out, nil
}

func fnTransformNull(_ *evalCtx, a *callArgs) ([]Series, error) {
	def := a.num(1, 0)
	var ref []Series
	if a.has(2) {
		ref = a.series(2)
	}
	suffix := ""
	if a.has(2) {
		suffix = ",referenceSeries"
	}
	list := a.series(0)
	out := make([]Series, len(list))
	for i, s := range list {
		vals := make([]float64, len(s.Values))
		for j, v := range s.Values {
			if !IsNull(v) {
				vals[j] = v
				continue
			}
			vals[j] = def
			if a.has(2) {
				t := s.Start + int64(j)*s.Step
				any := false
				for _, r := range ref {
					if !IsNull(valueAt(r, t)) {
						any = true
						break
					}
				}
				if !any {
					vals[j] = math.NaN()
				}
			}
		}
		name := "transformNull(" + s.Name + "," + pyG(def) + suffix + ")"
		out[i] = s.copyWith(name, vals, "transformNull", pyG(def))
		out[i].PathExpression = name
	}
	return out, nil
}
