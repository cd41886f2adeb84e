package query_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

// The fixture: points every 10 s from t0; the evaluation range is [t0, t0+60) so 6 points per series.
const t0 = 1_800_000_000

func fixture() *memSource {
	return newMemSource(
		ser("a.b.c", t0, 10, 1, 2, null, 4, 5, 6),
		ser("a.b.d", t0, 10, 10, null, null, 40, 50, 60),
		ser("a.x.c", t0, 10, null, null, null, null, null, null),
		ser("ctr.up", t0, 10, 100, 110, 5, 15, null, 35),
		ser("coarse.m", t0, 30, 7, 9),
		ser("neg.v", t0, 10, -1, 2, -3, null, 5, -6),
		ser("hist.h", t0-60, 10, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2),
		ser("cpu;dc=dc1;rack=a", t0, 10, 1, 1, 1, 1, 1, 1),
		ser("cpu;dc=dc2;rack=a", t0, 10, 3, 3, 3, 3, 3, 3),
		ser("cpu;dc=dc2;rack=b", t0, 10, 5, 5, 5, 5, 5, 5),
	)
}

func eval(t *testing.T, src query.Source, target string) []query.Series {
	t.Helper()
	ev := &query.Evaluator{Origins: []query.Origin{{Name: "local", Source: src}}}
	out, err := ev.Eval(context.Background(), query.Target{Expr: target}, time.Unix(t0, 0), time.Unix(t0+60, 0))
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	return out
}

// want is a series expectation; values use NaN for null.
type want struct {
	name  string
	start int64
	step  int64
	vals  []float64
}

func sameValues(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) != math.IsNaN(b[i]) || !math.IsNaN(a[i]) && math.Abs(a[i]-b[i]) > 1e-9 {
			return false
		}
	}
	return true
}

func TestFunctionsAgainstHandComputedValues(t *testing.T) {
	src := fixture()
	cases := []struct {
		target string
		want   []want
	}{
		{"a.b.c", []want{{"a.b.c", t0, 10, []float64{1, 2, null, 4, 5, 6}}}},
		// nulls are skipped; a point where every series is null stays null
		{"sumSeries(a.*.c)", []want{{"sumSeries(a.*.c)", t0, 10, []float64{1, 2, null, 4, 5, 6}}}},
		{"sum(a.b.*)", []want{{"sumSeries(a.b.*)", t0, 10, []float64{11, 2, null, 44, 55, 66}}}},
		{"sumSeries(a.b.c, a.b.d)", []want{{"sumSeries(a.b.c,a.b.d)", t0, 10, []float64{11, 2, null, 44, 55, 66}}}},
		{"averageSeries(a.b.*)", []want{{"averageSeries(a.b.*)", t0, 10, []float64{5.5, 2, null, 22, 27.5, 33}}}},
		{"avg(a.*.c)", []want{{"averageSeries(a.*.c)", t0, 10, []float64{1, 2, null, 4, 5, 6}}}},
		{"maxSeries(a.b.*)", []want{{"maxSeries(a.b.*)", t0, 10, []float64{10, 2, null, 40, 50, 60}}}},
		{"minSeries(a.b.*)", []want{{"minSeries(a.b.*)", t0, 10, []float64{1, 2, null, 4, 5, 6}}}},
		{"sumSeries(x.nothing.*)", nil},
		// different steps: the LCM (30 s), finer series averaged per bucket: a.b.c → avg(1,2,null)=1.5, avg(4,5,6)=5
		{"sumSeries(a.b.c, coarse.m)", []want{{"sumSeries(a.b.c,coarse.m)", t0, 30, []float64{8.5, 14}}}},
		{"sumSeries(consolidateBy(a.b.c,'max'), coarse.m)", []want{{`sumSeries(consolidateBy(a.b.c,"max"),coarse.m)`, t0, 30, []float64{9, 15}}}},
		{"alias(a.b.c, 'Laser Batteries')", []want{{"Laser Batteries", t0, 10, []float64{1, 2, null, 4, 5, 6}}}},
		{"aliasByNode(a.b.*, 2)", []want{{"c", t0, 10, nil}, {"d", t0, 10, nil}}},
		{"aliasByNode(scale(a.b.c, 2), 0, -1)", []want{{"a.c", t0, 10, []float64{2, 4, null, 8, 10, 12}}}},
		{"scale(a.b.c, 0.5)", []want{{"scale(a.b.c,0.5)", t0, 10, []float64{0.5, 1, null, 2, 2.5, 3}}}},
		{"a.b.c|scale(2)|offset(-1)", []want{{"offset(scale(a.b.c,2),-1)", t0, 10, []float64{1, 3, null, 7, 9, 11}}}},
		{"absolute(neg.v)", []want{{"absolute(neg.v)", t0, 10, []float64{1, 2, 3, null, 5, 6}}}},
		// derivative: first point null, null when either side is null
		{"derivative(a.b.c)", []want{{"derivative(a.b.c)", t0, 10, []float64{null, 1, null, null, 1, 1}}}},
		// counter 100,110,5,15,null,35: drop → null, null resets the previous value
		{"nonNegativeDerivative(ctr.up)", []want{{"nonNegativeDerivative(ctr.up)", t0, 10, []float64{null, 10, null, 10, null, null}}}},
		// with maxValue 120 the drop 110→5 is a wrap: 120+1+5-110 = 16
		{"nonNegativeDerivative(ctr.up, 120)", []want{{"nonNegativeDerivative(ctr.up)", t0, 10, []float64{null, 10, 16, 10, null, null}}}},
		{"perSecond(ctr.up)", []want{{"perSecond(ctr.up)", t0, 10, []float64{null, 1, null, 1, null, null}}}},
		{"perSecond(ctr.up, maxValue=120)", []want{{"perSecond(ctr.up)", t0, 10, []float64{null, 1, 1.6, 1, null, null}}}},
		// integral: null stays null, the sum continues
		{"integral(a.b.c)", []want{{"integral(a.b.c)", t0, 10, []float64{1, 3, null, 7, 12, 18}}}},
		// movingAverage over the 3 points before each one, bootstrapped from before `from`
		{"movingAverage(hist.h, 3)", []want{{"movingAverage(hist.h,3)", t0, 10, []float64{1, 4.0 / 3, 5.0 / 3, 2, 2, 2}}}},
		{"movingAverage(hist.h, '30s')", []want{{`movingAverage(hist.h,"30s")`, t0, 10, []float64{1, 4.0 / 3, 5.0 / 3, 2, 2, 2}}}},
		// a window of nulls averages to null; a partial window averages its non-null values
		{"movingAverage(a.b.d, 2)", []want{{"movingAverage(a.b.d,2)", t0, 10, []float64{null, 10, 10, null, 40, 45}}}},
		{"highestMax(a.*.*, 1)", []want{{"a.b.d", t0, 10, nil}}},
		{"highestCurrent(a.*.*, 2)", []want{{"a.b.d", t0, 10, nil}, {"a.b.c", t0, 10, nil}}},
		// all-null ranks lowest, so it is the lowest current
		{"lowestCurrent(a.*.*, 1)", []want{{"a.x.c", t0, 10, nil}}},
		{"sortByMaxima(a.*.*)", []want{{"a.b.d", t0, 10, nil}, {"a.b.c", t0, 10, nil}, {"a.x.c", t0, 10, nil}}},
		{"limit(a.*.*, 2)", []want{{"a.b.c", t0, 10, nil}, {"a.b.d", t0, 10, nil}}},
		{"groupByNode(a.*.*, 1, 'sum')", []want{{"b", t0, 10, []float64{11, 2, null, 44, 55, 66}}, {"x", t0, 10, []float64{null, null, null, null, null, null}}}},
		{"groupByNode(a.*.*, 2, 'sumSeries')", []want{{"c", t0, 10, []float64{1, 2, null, 4, 5, 6}}, {"d", t0, 10, []float64{10, null, null, 40, 50, 60}}}},
		{"seriesByTag('name=cpu', 'dc=dc2')", []want{{"cpu;dc=dc2;rack=a", t0, 10, nil}, {"cpu;dc=dc2;rack=b", t0, 10, nil}}},
		{"seriesByTag('name=cpu')|groupByTags('sum', 'dc')", []want{{"cpu;dc=dc1", t0, 10, []float64{1, 1, 1, 1, 1, 1}}, {"cpu;dc=dc2", t0, 10, []float64{8, 8, 8, 8, 8, 8}}}},
		{"seriesByTag('dc=~dc', 'rack!=b')|aliasByTags('dc', 'rack')", []want{{"dc1.a", t0, 10, nil}, {"dc2.a", t0, 10, nil}}},
		// summarize into 30 s buckets aligned to the interval (t0 is a multiple of 30); like graphite-web the
		// range ends one interval past the aligned end, so the last bucket is empty
		{"summarize(a.b.c, '30s')", []want{{`summarize(a.b.c, "30s", "sum")`, t0, 30, []float64{3, 15, null}}}},
		{"summarize(a.b.c, '30s', 'max')", []want{{`summarize(a.b.c, "30s", "max")`, t0, 30, []float64{2, 6, null}}}},
		{"summarize(a.b.c, '30s', 'sum', true)", []want{{`summarize(a.b.c, "30s", "sum", true)`, t0, 30, []float64{3, 15}}}},
		{"summarize(a.x.c, '30s')", []want{{`summarize(a.x.c, "30s", "sum")`, t0, 30, []float64{null, null, null}}}},
		// timeShift '1min' draws the minute before: hist.h's first six points
		{"timeShift(hist.h, '1min')", []want{{`timeShift(hist.h, "-1min")`, t0, 10, []float64{1, 1, 1, 1, 1, 1}}}},
		// asPercent: share of the total; null where the value or the total is null
		{"asPercent(a.b.*)", []want{
			{"asPercent(a.b.c,sumSeries(a.b.*))", t0, 10, []float64{100.0 / 11, 100, null, 100.0 / 11, 100.0 / 11, 100.0 / 11}},
			{"asPercent(a.b.d,sumSeries(a.b.*))", t0, 10, []float64{1000.0 / 11, null, null, 1000.0 / 11, 1000.0 / 11, 1000.0 / 11}}}},
		{"asPercent(a.b.c, 8)", []want{{"asPercent(a.b.c,8)", t0, 10, []float64{12.5, 25, null, 50, 62.5, 75}}}},
		{"asPercent(a.b.c, a.b.d)", []want{{"asPercent(a.b.c,a.b.d)", t0, 10, []float64{10, null, null, 10, 10, 10}}}},
		{"divideSeries(a.b.d, a.b.c)", []want{{"divideSeries(a.b.d,a.b.c)", t0, 10, []float64{10, null, null, 10, 10, 10}}}},
		// keepLastValue fills gaps after a value; transformNull replaces nulls
		{"keepLastValue(a.b.d)", []want{{"keepLastValue(a.b.d)", t0, 10, []float64{10, 10, 10, 40, 50, 60}}}},
		{"keepLastValue(a.b.d, 1)", []want{{"keepLastValue(a.b.d)", t0, 10, []float64{10, null, null, 40, 50, 60}}}},
		{"transformNull(a.b.c)", []want{{"transformNull(a.b.c,0)", t0, 10, []float64{1, 2, 0, 4, 5, 6}}}},
		{"transformNull(a.b.c, -1)", []want{{"transformNull(a.b.c,-1)", t0, 10, []float64{1, 2, -1, 4, 5, 6}}}},
		{"transformNull(a.b.d, 0, referenceSeries=a.b.c)", []want{{"transformNull(a.b.d,0,referenceSeries)", t0, 10, []float64{10, 0, null, 40, 50, 60}}}},
		{"aggregate(a.b.*, 'avg_zero')", []want{{"avg_zeroSeries(a.b.*)", t0, 10, []float64{5.5, 1, null, 22, 27.5, 33}}}},
		{"diffSeries(a.b.d, a.b.c)", []want{{"diffSeries(a.b.d,a.b.c)", t0, 10, []float64{9, 2, null, 36, 45, 54}}}},
		{"multiplySeries(a.b.c, a.b.d)", []want{{"multiplySeries(a.b.c,a.b.d)", t0, 10, []float64{10, null, null, 160, 250, 360}}}},
		{"aliasSub(a.b.c, '^a\\.(\\w)\\.', 'x.\\1.')", []want{{"x.b.c", t0, 10, nil}}},
		{"exclude(a.*.*, 'x')", []want{{"a.b.c", t0, 10, nil}, {"a.b.d", t0, 10, nil}}},
		{"removeEmptySeries(a.*.c)", []want{{"a.b.c", t0, 10, nil}}},
		{"currentAbove(a.*.*, 10)", []want{{"a.b.d", t0, 10, nil}}},
		{"a.{b,x}.c", []want{{"a.b.c", t0, 10, nil}, {"a.x.c", t0, 10, nil}}},
		{"a.[bx].[c]", []want{{"a.b.c", t0, 10, nil}, {"a.x.c", t0, 10, nil}}},
		{"a.?.d", []want{{"a.b.d", t0, 10, nil}}},
	}
	for _, c := range cases {
		t.Run(c.target, func(t *testing.T) {
			got := eval(t, src, c.target)
			if len(got) != len(c.want) {
				names := []string{}
				for _, s := range got {
					names = append(names, s.Name)
				}
				t.Fatalf("got %d series %v, want %d", len(got), names, len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				if g.Name != w.name {
					t.Errorf("series %d: name %q, want %q", i, g.Name, w.name)
				}
				if g.Start != w.start || g.Step != w.step {
					t.Errorf("series %d: start %d step %d, want %d %d", i, g.Start, g.Step, w.start, w.step)
				}
				if w.vals != nil && !sameValues(g.Values, w.vals) {
					t.Errorf("series %d: values %v, want %v", i, g.Values, w.vals)
				}
			}
		})
	}
}

func TestFunctionsDoNotChangeTheirInput(t *testing.T) {
	src := fixture()
	before := append([]float64(nil), src.series["a.b.d"].Values...)
	eval(t, src, "keepLastValue(transformNull(scale(a.b.d, 3)))")
	if !sameValues(src.series["a.b.d"].Values, before) {
		t.Fatalf("source values changed: %v", src.series["a.b.d"].Values)
	}
}

func TestEvalErrors(t *testing.T) {
	ev := &query.Evaluator{Origins: []query.Origin{{Name: "local", Source: fixture()}}, MaxSeries: 3}
	from, until := time.Unix(t0, 0), time.Unix(t0+60, 0)
	for _, c := range []struct{ target, want string }{
		{"nosuch(a.b.c)", `unknown function "nosuch"`},
		{"group(a.*.*, a.b.c)", "too many series"},
		{"divideSeries(a.b.c, a.b.*)", "exactly 1 series"},
		{"seriesByTag('dc!=x')", "non-empty value"},
		{"a.b.c on x", "end of target"},
	} {
		_, err := ev.Eval(context.Background(), query.Target{Expr: c.target}, from, until)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.target, err, c.want)
		}
	}
	_, err := ev.Eval(context.Background(), query.Target{Expr: "a.b.c", Source: "graphite"}, from, until)
	if err == nil || !strings.Contains(err.Error(), `unknown source "graphite"`) {
		t.Errorf("unknown source: %v", err)
	}
}

func TestRemoteTargetsAreSentWhole(t *testing.T) {
	local := fixture()
	remote := &renderSource{memSource: newMemSource(ser("remote.only", t0, 10, 9, 9, 9, 9, 9, 9))}
	ev := &query.Evaluator{Origins: []query.Origin{{Name: "local", Source: local}, {Name: "graphite", Source: remote}}}
	from, until := time.Unix(t0, 0), time.Unix(t0+60, 0)
	// a function fleettop does not implement is the remote renderer's business
	got, err := ev.Eval(context.Background(), query.Target{Expr: "holtWintersForecast(a.b.c)", Source: "graphite"}, from, until)
	if err != nil || len(got) != 1 || got[0].Values[0] != 42 {
		t.Fatalf("remote render: %v %v", got, err)
	}
	if len(remote.rendered) != 1 || remote.rendered[0] != "holtWintersForecast(a.b.c)" {
		t.Fatalf("renderer got %v", remote.rendered)
	}
	// unpinned targets are evaluated here, each path from the first origin that has it
	got, err = ev.Eval(context.Background(), query.Target{Expr: "sumSeries(a.b.c, remote.only)"}, from, until)
	if err != nil || len(got) != 1 {
		t.Fatalf("mixed: %v %v", got, err)
	}
	if !sameValues(got[0].Values, []float64{10, 11, 9, 13, 14, 15}) {
		t.Fatalf("mixed sum %v", got[0].Values)
	}
	if !ev.IsRemote(query.Target{Expr: "x", Source: "graphite"}) || ev.IsRemote(query.Target{Expr: "x"}) {
		t.Fatal("IsRemote")
	}
}

func BenchmarkEvalSumMovingAverage(b *testing.B) {
	var list []query.Series
	for h := 0; h < 50; h++ {
		vals := make([]float64, 1440)
		for i := range vals {
			vals[i] = float64(i % 17)
		}
		list = append(list, query.Series{Name: "fleet.web" + string(rune('a'+h%26)) + string(rune('a'+h/26)) + ".cpu", Start: t0 - 86400, Step: 60, Values: vals})
	}
	ev := &query.Evaluator{Origins: []query.Origin{{Name: "local", Source: newMemSource(list...)}}}
	target := query.Target{Expr: "movingAverage(sumSeries(fleet.*.cpu), '10min')"}
	from, until := time.Unix(t0-86400+3600, 0), time.Unix(t0, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ev.Eval(context.Background(), target, from, until); err != nil {
			b.Fatal(err)
		}
	}
}
