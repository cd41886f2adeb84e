package tree

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

// TestEarthDefense runs the Graphite CLI tutorial's script against the tree through the command language,
// and checks that what the window draws is the fixture's data.
func TestEarthDefense(t *testing.T) {
	last := fxStart + 301 // the latest step is not sampled yet: null on every host
	tr, _ := fxTree(fxStart, last, Options{})
	now := fxTime(last)
	sess := &query.Session{
		Eval: &query.Evaluator{Origins: []query.Origin{{Name: "fleettop", Source: tr}}},
		Now:  func() time.Time { return now },
	}
	script := `# the Graphite CLI tutorial, on fleettop's tree
create Earth_Defense
draw fleet.web.*.cpu.utilisation in Earth_Defense
change Earth_Defense from to -20min
add sum(fleet.web.*.cpu.utilisation) to Earth_Defense
`
	var out strings.Builder
	if err := query.RunScriptContext(context.Background(), strings.NewReader(script), sess, &out); err != nil {
		t.Fatalf("script: %v\n%s", err, out.String())
	}
	w, ok := sess.Window("Earth_Defense")
	if !ok || w.From != "-20min" || len(w.Targets) != 2 {
		t.Fatalf("window %+v", w)
	}
	drawn := sess.Render(context.Background(), w)
	if len(drawn) != 2 {
		t.Fatalf("%d targets drawn", len(drawn))
	}
	for _, d := range drawn {
		if d.Err != nil {
			t.Fatalf("%s: %v", d.Target, d.Err)
		}
	}

	// The three web hosts, in path order, each with the fixture's values over the last 20 minutes.
	hosts := []struct {
		path  string
		index int
	}{{local3 + cpuLeaf, 2}, {web01 + cpuLeaf, 0}, {web02 + cpuLeaf, 1}}
	series := drawn[0].Series
	if len(series) != len(hosts) {
		t.Fatalf("drew %d series, want %d", len(series), len(hosts))
	}
	firstBin := last - 239
	for i, h := range hosts {
		s := series[i]
		if s.Name != h.path || s.Start != firstBin*fxSecs || s.Step != fxSecs || len(s.Values) != 240 {
			t.Fatalf("series %d: %s start bin %d step %d, %d values", i, s.Name, s.Start/fxSecs, s.Step, len(s.Values))
		}
		for k, v := range s.Values {
			if want := fxSeen(h.index, 0, firstBin+int64(k), last); !sameValues(v, want) {
				t.Fatalf("%s at bin %d: drew %v, fixture %v", s.Name, firstBin+int64(k), v, want)
			}
		}
	}

	// The sum: point by point over the hosts' fixture values, nulls skipped, null when all are.
	sum := drawn[1].Series
	if len(sum) != 1 || sum[0].Name != "sumSeries(fleet.web.*.cpu.utilisation)" || sum[0].Start != firstBin*fxSecs {
		t.Fatalf("sum drew %+v", sum)
	}
	nulls := 0
	for k, v := range sum[0].Values {
		bin := firstBin + int64(k)
		want, any := 0.0, false
		for _, h := range hosts {
			if x := fxSeen(h.index, 0, bin, last); !math.IsNaN(x) {
				want += x
				any = true
			}
		}
		if !any {
			want = math.NaN()
			nulls++
		}
		if !sameValues(v, want) {
			t.Fatalf("sum at bin %d: drew %v, fixture %v", bin, v, want)
		}
	}
	if nulls == 0 || nulls == len(sum[0].Values) {
		t.Fatalf("%d null sums of %d: the fixture should have a few", nulls, len(sum[0].Values))
	}

	// Completion comes from the tree too.
	nodes, err := sess.Eval.Find(context.Background(), "fleet.web.web0*")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range nodes {
		got = append(got, n.Path)
	}
	if !slices.Equal(got, []string{web01, web02}) {
		t.Fatalf("completion of fleet.web.web0: %v", nodes)
	}
}
