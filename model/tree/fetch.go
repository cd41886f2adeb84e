package tree

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

// Fetch returns the listed series of paths over the range (from, until], whisper's convention: one value per
// snapshot step at the start of each step, the first step after from, the last one holding until (so
// until=now includes the point of the latest snapshot). Ranges are cut, as whisper cuts them, to what the
// tree can hold: back to its retention plus the snapshots' history, forward to the latest snapshot. Steps
// without data are NaN. A path may carry ;tag=value parts; unknown paths are left out. query.Source.
func (t *Tree) Fetch(ctx context.Context, paths []string, from, until time.Time) ([]query.Series, error) {
	t.Refresh()
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.step == 0 || t.last == nil {
		return nil, nil
	}
	step := t.step
	first := max(floorDiv(from.Unix(), step)+1, t.latest-t.holdBins+1)
	last := min(floorDiv(until.Unix(), step), t.latest)
	n := max(last-first+1, 0)
	out := make([]query.Series, 0, len(paths))
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("fetch: %w", err)
		}
		path, _, _ := strings.Cut(p, ";")
		rec := t.index.get(path)
		if rec == nil {
			continue
		}
		vals := make([]float64, n)
		for i := range vals {
			b := first + int64(i)
			if rec.recent != nil && b > t.horizon {
				vals[i] = math.NaN() // a series of points past the horizon: not every host has reported it
				continue
			}
			vals[i] = rec.at(b)
		}
		tags := make(map[string]string, len(rec.tags)+1)
		maps.Copy(tags, rec.tags)
		tags["name"] = path
		out = append(out, query.Series{Name: p, Tags: tags, Start: first * step, Step: step, Values: vals})
	}
	return out, nil
}

// FindTagged returns the paths of the listed series whose tags satisfy every seriesByTag expression, sorted.
// Every series has the tag name (its path); a host's series have its ENC environment, classes and
// parameters, group and host; a group's have group. query.TagFinder.
func (t *Tree) FindTagged(ctx context.Context, exprs []string) ([]string, error) {
	te, err := query.ParseTagExprs(exprs)
	if err != nil {
		return nil, err
	}
	// name lives in the record's path, the other tags in its map: test each against its own.
	var byName, byTags []query.TagExpr
	for _, e := range te {
		if e.Tag == "name" {
			byName = append(byName, e)
		} else {
			byTags = append(byTags, e)
		}
	}
	t.Refresh()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	name := map[string]string{"name": ""}
	var out []string
	for path, rec := range t.index.byPath {
		if !query.MatchTags(rec.tags, byTags) {
			continue
		}
		name["name"] = path
		if query.MatchTags(name, byName) {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out, nil
}

var (
	_ query.Source    = (*Tree)(nil)
	_ query.Tree      = (*Tree)(nil)
	_ query.TagFinder = (*Tree)(nil)
)
