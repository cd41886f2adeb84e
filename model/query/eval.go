package query

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// evalCtx is one evaluation: where series come from and the time range being drawn.
type evalCtx struct {
	ctx         context.Context
	origins     []Origin
	from, until int64
	budget      *int // series still allowed to be fetched
}

// within is the same evaluation over another time range (bootstrap and time-shift refetches).
func (ec *evalCtx) within(from, until int64) *evalCtx {
	c := *ec
	c.from, c.until = from, until
	return &c
}

func (ec *evalCtx) eval(e *Expr) ([]Series, error) {
	if err := ec.ctx.Err(); err != nil {
		return nil, err
	}
	switch e.Kind {
	case PathExpr:
		return ec.fetchPattern(e.Text)
	case CallExpr:
		a, err := bind(e)
		if err != nil {
			return nil, err
		}
		a.lists = make([][][]Series, len(a.fn.params))
		for i, p := range a.fn.params {
			if (p.kind != kSeries && p.kind != kTotal) || (i == 0 && a.fn.lazy) {
				continue
			}
			for _, x := range a.exprs[i] {
				if x.Kind != PathExpr && x.Kind != CallExpr {
					continue
				}
				l, err := ec.eval(x)
				if err != nil {
					return nil, err
				}
				a.lists[i] = append(a.lists[i], l)
			}
		}
		out, err := a.fn.eval(ec, a)
		if err != nil {
			return nil, fmt.Errorf("%s at byte %d: %w", e.Text, e.Pos, err)
		}
		return out, nil
	}
	return nil, &SyntaxError{Pos: e.Pos, Expected: "a series list (path or function call)", Found: describeExpr(e)}
}

// pyG formats a number as Python's "%g" does in graphite's series names.
func pyG(v float64) string { return fmt.Sprintf("%.6g", v) }

// formatPathExpressions joins the distinct path expressions of a list, first-seen order (graphite-web).
func formatPathExpressions(list []Series) string {
	var seen []string
	for _, s := range list {
		if indexOf(seen, s.PathExpression) < 0 {
			seen = append(seen, s.PathExpression)
		}
	}
	return strings.Join(seen, ",")
}

// aggregate combines a list point by point into one series named funcSeries(pathExpressions); nulls are
// skipped and a point where every series is null stays null. An empty list gives no series.
func aggregate(list []Series, agg string) []Series {
	if len(list) == 0 {
		return nil
	}
	f := aggFuncs[agg]
	rows, start, step := normalize(list)
	values := make([]float64, len(rows))
	for i, row := range rows {
		values[i] = reduce(f, row)
	}
	name := agg + "Series(" + formatPathExpressions(list) + ")"
	tags := map[string]string{}
	for k, v := range list[0].Tags {
		tags[k] = v
	}
	for _, s := range list[1:] {
		for k, v := range tags {
			if s.Tags[k] != v {
				delete(tags, k)
			}
		}
	}
	if _, ok := tags["name"]; !ok {
		tags["name"] = name
	}
	tags["aggregatedBy"] = agg
	return []Series{{Name: name, Tags: tags, Start: start, Step: step, Values: values, PathExpression: name}}
}

// pointwise applies f to every point of every series; f sees nulls too.
func pointwise(list []Series, name func(Series) string, tagKey, tagValue string, f func(float64) float64) []Series {
	out := make([]Series, len(list))
	for i, s := range list {
		vals := make([]float64, len(s.Values))
		for j, v := range s.Values {
			vals[j] = f(v)
		}
		n := name(s)
		out[i] = s.copyWith(n, vals, tagKey, tagValue)
		out[i].PathExpression = n
	}
	return out
}

// firstPathExpression is the first metric path in a series name such as scale(a.b.c,2) (graphite's
// _getFirstPathExpression); "" when the name does not parse.
func firstPathExpression(name string) string {
	e, err := Parse(name)
	if err != nil {
		return ""
	}
	for e.Kind == CallExpr {
		if len(e.Args) == 0 {
			return ""
		}
		e = e.Args[0]
	}
	if e.Kind == PathExpr {
		return e.Text
	}
	return ""
}

// nodeOrTag is element n of the name (before any ;tags), or tag n when n is a string or out of range.
func nodeOrTag(s Series, n *Expr, pathExpr string) string {
	if n.Kind == NumberExpr {
		p := pathExpr
		if p == "" {
			p = s.Name
		}
		p, _, _ = strings.Cut(p, ";")
		parts := strings.Split(p, ".")
		i := int(n.Num)
		if i < 0 {
			i += len(parts)
		}
		if i >= 0 && i < len(parts) {
			return parts[i]
		}
		return s.Tags[n.Text]
	}
	return s.Tags[n.Text]
}

// aggKey joins the chosen nodes/tags of a series with dots (graphite's aggKey).
func aggKey(s Series, nodes []*Expr) string {
	pathExpr := ""
	if strings.HasSuffix(s.Name, ")") {
		pathExpr = firstPathExpression(s.Name)
	}
	parts := make([]string, len(nodes))
	for i, n := range nodes {
		parts[i] = nodeOrTag(s, n, pathExpr)
	}
	return strings.Join(parts, ".")
}

// xff reports whether nonNull of total points pass xFilesFactor (graphite: at least one, and the ratio).
func xff(nonNull, total int, factor float64) bool {
	if nonNull == 0 || total == 0 {
		return false
	}
	return float64(nonNull)/float64(total) >= factor
}

// rankKey is an aggregation of a whole series, -inf when all null (graphite's keyFunc).
func rankKey(s Series, agg string) float64 {
	v := reduce(aggFuncs[agg], s.Values)
	if math.IsNaN(v) {
		return math.Inf(-1)
	}
	return v
}
