package query

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Finder answers glob queries over a metric tree, like graphite-web's /metrics/find: the branches and leaves
// whose path matches pattern, sorted by path. FindInTree implements it for any Tree.
type Finder interface {
	Find(ctx context.Context, pattern string) ([]Node, error)
}

// Source is one origin of series: the live model, or a Graphite server.
type Source interface {
	Finder
	// Fetch returns the series of the given leaf paths over [from, until), each with its own step; paths it
	// does not know are left out.
	Fetch(ctx context.Context, paths []string, from, until time.Time) ([]Series, error)
}

// Renderer is a Source that evaluates whole targets itself (graphite-web's /render). A target sent to such
// a source is not evaluated locally, so it may use functions fleettop does not implement.
type Renderer interface {
	Render(ctx context.Context, target string, from, until time.Time) ([]Series, error)
}

// TagFinder is a Source that indexes series by tag, for seriesByTag('tag=value', ...). Expressions are
// graphite's: tag=v, tag!=v, tag=~regex, tag!=~regex (MatchTags evaluates them).
type TagFinder interface {
	FindTagged(ctx context.Context, exprs []string) ([]string, error)
}

// Origin is a named Source. Targets name it with `on NAME` to be evaluated there alone.
type Origin struct {
	Name   string
	Source Source
}

// Target is one target of a window: the expression as typed, and the origin it is pinned to ("" = evaluated
// here over every origin, each path taken from the first origin that has it).
type Target struct {
	Expr   string
	Source string
}

func (t Target) String() string {
	if t.Source == "" {
		return t.Expr
	}
	return t.Expr + " on " + t.Source
}

// DefaultMaxSeries bounds how many series one target may fetch.
const DefaultMaxSeries = 10000

// Evaluator evaluates targets against an ordered list of origins.
type Evaluator struct {
	Origins   []Origin
	MaxSeries int // 0 means DefaultMaxSeries
}

func (e *Evaluator) origin(name string) (Origin, bool) {
	for _, o := range e.Origins {
		if o.Name == name {
			return o, true
		}
	}
	return Origin{}, false
}

// IsRemote reports whether a target is sent whole to a renderer.
func (e *Evaluator) IsRemote(t Target) bool {
	if t.Source == "" || e == nil {
		return false
	}
	o, ok := e.origin(t.Source)
	if !ok {
		return false
	}
	_, ok = o.Source.(Renderer)
	return ok
}

// CheckTarget parses t and checks its functions, unless it goes to a renderer, which judges its own
// functions. The error names an unknown origin.
func (e *Evaluator) CheckTarget(t Target) error {
	if t.Source != "" && e != nil {
		if _, ok := e.origin(t.Source); !ok {
			return fmt.Errorf("unknown source %q (have %s)", t.Source, e.originNames())
		}
	}
	if e.IsRemote(t) {
		_, err := Parse(t.Expr)
		return err
	}
	_, err := ParseTarget(t.Expr)
	return err
}

func (e *Evaluator) originNames() string {
	if len(e.Origins) == 0 {
		return "none"
	}
	s := ""
	for i, o := range e.Origins {
		if i > 0 {
			s += ", "
		}
		s += o.Name
	}
	return s
}

// Eval evaluates one target over [from, until).
func (e *Evaluator) Eval(ctx context.Context, t Target, from, until time.Time) ([]Series, error) {
	origins := e.Origins
	if t.Source != "" {
		o, ok := e.origin(t.Source)
		if !ok {
			return nil, fmt.Errorf("target %q: unknown source %q (have %s)", t.Expr, t.Source, e.originNames())
		}
		if r, ok := o.Source.(Renderer); ok {
			if _, err := Parse(t.Expr); err != nil {
				return nil, fmt.Errorf("target %q: %w", t.Expr, err)
			}
			out, err := r.Render(ctx, t.Expr, from, until)
			if err != nil {
				return nil, fmt.Errorf("target %q on %s: %w", t.Expr, o.Name, err)
			}
			return out, nil
		}
		origins = []Origin{o}
	}
	expr, err := ParseTarget(t.Expr)
	if err != nil {
		return nil, fmt.Errorf("target %q: %w", t.Expr, err)
	}
	limit := e.MaxSeries
	if limit <= 0 {
		limit = DefaultMaxSeries
	}
	ec := &evalCtx{ctx: ctx, origins: origins, from: from.Unix(), until: until.Unix(), budget: &limit}
	out, err := ec.eval(expr)
	if err != nil {
		return nil, fmt.Errorf("target %q: %w", t.Expr, err)
	}
	return out, nil
}

// Find merges the answers of every origin (first origin wins for a path both know), so an Evaluator can serve
// completion and `find`.
func (e *Evaluator) Find(ctx context.Context, pattern string) ([]Node, error) {
	return findIn(ctx, e.Origins, pattern)
}

// sourced is a leaf and the origin that serves it.
type sourced struct {
	path   string
	origin int
}

func findIn(ctx context.Context, origins []Origin, pattern string) ([]Node, error) {
	seen := map[string]bool{}
	var out []Node
	for _, o := range origins {
		nodes, err := o.Source.Find(ctx, pattern)
		if err != nil {
			return nil, fmt.Errorf("find %q in %s: %w", pattern, o.Name, err)
		}
		for _, n := range nodes {
			if !seen[n.Path] {
				seen[n.Path] = true
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// fetchPattern resolves a path glob to leaves over the origins and fetches them, in path order.
func (ec *evalCtx) fetchPattern(pattern string) ([]Series, error) {
	var leaves []sourced
	seen := map[string]bool{}
	for i, o := range ec.origins {
		nodes, err := o.Source.Find(ec.ctx, pattern)
		if err != nil {
			return nil, fmt.Errorf("find %q in %s: %w", pattern, o.Name, err)
		}
		for _, n := range nodes {
			if n.Leaf && !seen[n.Path] {
				seen[n.Path] = true
				leaves = append(leaves, sourced{n.Path, i})
			}
		}
	}
	sort.Slice(leaves, func(i, j int) bool { return leaves[i].path < leaves[j].path })
	return ec.fetchLeaves(leaves, pattern)
}

func (ec *evalCtx) fetchLeaves(leaves []sourced, pathExpr string) ([]Series, error) {
	if *ec.budget -= len(leaves); *ec.budget < 0 {
		return nil, fmt.Errorf("%q: too many series (raise the limit or narrow the pattern)", pathExpr)
	}
	byOrigin := map[int][]string{}
	for _, l := range leaves {
		byOrigin[l.origin] = append(byOrigin[l.origin], l.path)
	}
	got := map[string]Series{}
	for i, paths := range byOrigin {
		o := ec.origins[i]
		list, err := o.Source.Fetch(ec.ctx, paths, time.Unix(ec.from, 0), time.Unix(ec.until, 0))
		if err != nil {
			return nil, fmt.Errorf("fetch from %s: %w", o.Name, err)
		}
		for _, s := range list {
			got[s.Name] = s
		}
	}
	out := make([]Series, 0, len(leaves))
	for _, l := range leaves {
		s, ok := got[l.path]
		if !ok {
			continue
		}
		if s.Tags == nil {
			s.Tags = ParseTags(s.Name)
		}
		s.PathExpression = pathExpr
		out = append(out, s)
	}
	return out, nil
}
