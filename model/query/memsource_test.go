package query_test

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

// memSource is a real query.Source over fixed series kept in memory (test-only until the live model
// implements Source): Find walks the tree of its paths, Fetch slices the stored points to [from, until).
type memSource struct {
	series  map[string]query.Series
	fetches int // how many Fetch calls were made
}

func newMemSource(list ...query.Series) *memSource {
	m := &memSource{series: map[string]query.Series{}}
	for _, s := range list {
		m.series[s.Name] = s
	}
	return m
}

// Children lists the next level below prefix.
func (m *memSource) Children(_ context.Context, prefix string) ([]query.Node, error) {
	seen := map[string]bool{}
	var out []query.Node
	for name := range m.series {
		path, _, _ := strings.Cut(name, ";")
		rest := path
		if prefix != "" {
			if !strings.HasPrefix(path, prefix+".") {
				continue
			}
			rest = path[len(prefix)+1:]
		}
		head, _, more := strings.Cut(rest, ".")
		full := head
		if prefix != "" {
			full = prefix + "." + head
		}
		key := full
		if more {
			key += "/"
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, query.Node{Path: full, Leaf: !more})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func (m *memSource) Find(ctx context.Context, pattern string) ([]query.Node, error) {
	return query.FindInTree(ctx, m, pattern)
}

func (m *memSource) Fetch(_ context.Context, paths []string, from, until time.Time) ([]query.Series, error) {
	m.fetches++
	var out []query.Series
	for _, p := range paths {
		s, ok := m.series[p]
		if !ok {
			for name, t := range m.series {
				if strings.HasPrefix(name, p+";") {
					s, ok = t, true
				}
			}
		}
		if !ok {
			continue
		}
		step := s.Step
		start := from.Unix()
		if r := (start - s.Start) % step; r != 0 {
			start += (step - r + step) % step
		}
		var vals []float64
		for t := start; t < until.Unix(); t += step {
			i := (t - s.Start) / step
			if t < s.Start || i >= int64(len(s.Values)) {
				vals = append(vals, math.NaN())
				continue
			}
			vals = append(vals, s.Values[i])
		}
		out = append(out, query.Series{Name: s.Name, Start: start, Step: step, Values: vals})
	}
	return out, nil
}

// FindTagged serves seriesByTag over the names' ;tag=value parts.
func (m *memSource) FindTagged(_ context.Context, exprs []string) ([]string, error) {
	te, err := query.ParseTagExprs(exprs)
	if err != nil {
		return nil, err
	}
	var out []string
	for name := range m.series {
		if query.MatchTags(query.ParseTags(name), te) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

// renderSource is a remote renderer stand-in: it answers whole targets with one series named after them.
type renderSource struct {
	*memSource
	rendered []string
}

func (r *renderSource) Render(_ context.Context, target string, from, until time.Time) ([]query.Series, error) {
	r.rendered = append(r.rendered, target)
	return []query.Series{{Name: target, Start: from.Unix(), Step: 60, Values: []float64{42}}}, nil
}

var null = math.NaN()

func ser(name string, start, step int64, vals ...float64) query.Series {
	return query.Series{Name: name, Start: start, Step: step, Values: vals}
}
