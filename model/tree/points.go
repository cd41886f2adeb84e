package tree

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/model"
)

// Points returns the latest value of every series of s under its tree path, for carbon: the last point of
// a series with history, the snapshot's value of the others, all timed at the start of the snapshot's step
// (the time Tree.Fetch gives that point). Null values are left out.
func Points(s *model.Snapshot) []graphite.Point { return AppendPoints(nil, s) }

// AppendPoints is Points appending to dst, so a pusher can reuse one slice.
func AppendPoints(dst []graphite.Point, s *model.Snapshot) []graphite.Point {
	return allSeries.appendPoints(dst, s)
}

func (c *CarbonSeries) appendPoints(dst []graphite.Point, s *model.Snapshot) []graphite.Point {
	if s == nil {
		return dst
	}
	at := binTime(s)
	var latest int64
	if step := int64(s.Step / time.Second); step >= 1 {
		latest = floorDiv(s.Time.Unix(), step)
	}
	w := walker{ranks: c.ranks}
	w.walk(s, func(r *seriesRef) {
		v := r.value
		if r.points != nil {
			v = math.NaN() // a series that ends before the snapshot's step has no point in it yet
			if r.last == latest {
				v = r.points[len(r.points)-1]
			}
		}
		if !math.IsNaN(v) && !math.IsInf(v, 0) && c.keep(r.path) {
			dst = append(dst, graphite.Point{Path: c.name(r.path), Value: v, Time: at})
		}
	})
	return dst
}

// AppendChanges appends what carbon needs to hold the same points as cur after holding prev's: every point
// of cur's histories that prev did not have or had with another value, each at the time of its own step, and
// the latest value of the series without history. The model fills a counter's steps when its next sample
// arrives, up to a polling interval after they began, so pushing only the latest values (Points) leaves
// gaps in graphite; pushing the changes mirrors fleettop's drawing exactly. With prev nil, or taken under
// another group-by field or step, every non-null point of cur's histories goes out (a backfill of the
// snapshot's history).
func AppendChanges(dst []graphite.Point, prev, cur *model.Snapshot) []graphite.Point {
	return allSeries.AppendChanges(dst, prev, cur)
}

// AppendChanges is the package's AppendChanges for the series c chooses, named as c names them.
func (c *CarbonSeries) AppendChanges(dst []graphite.Point, prev, cur *model.Snapshot) []graphite.Point {
	if cur == nil {
		return dst
	}
	step := int64(cur.Step / time.Second)
	if step < 1 || cur.Step%time.Second != 0 {
		return c.appendPoints(dst, cur)
	}
	if prev != nil && (prev.Step != cur.Step || prev.GroupBy != cur.GroupBy || prev.Time.After(cur.Time)) {
		prev = nil
	}
	var prevHosts map[string]*model.HostRow // only for identity checks and their series
	var prevGroups map[string]*model.GroupRow
	prevLast := int64(0)
	if prev != nil {
		prevLast = floorDiv(prev.Time.Unix(), step)
		prevHosts = make(map[string]*model.HostRow, len(prev.Hosts))
		for i := range prev.Hosts {
			prevHosts[prev.Hosts[i].ID] = prev.Hosts[i]
		}
		for _, d := range prev.Devices {
			prevHosts[d.ID] = d
		}
		prevGroups = make(map[string]*model.GroupRow, len(prev.Groups))
		for i := range prev.Groups {
			prevGroups[prev.Groups[i].Name] = &prev.Groups[i]
		}
	}
	curLast := floorDiv(cur.Time.Unix(), step)
	at := time.Unix(curLast*step, 0)
	w := walker{ranks: c.ranks}
	w.walk(cur, func(r *seriesRef) {
		if !c.keep(r.path) {
			return
		}
		if r.points == nil {
			if !math.IsNaN(r.value) && !math.IsInf(r.value, 0) {
				dst = append(dst, graphite.Point{Path: c.name(r.path), Value: r.value, Time: at})
			}
			return
		}
		old, oldLast := previousPoints(r, prevHosts, prevGroups, prevLast, step)
		path := ""
		n := int64(len(r.points))
		for i, v := range r.points {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			bin := r.last - n + 1 + int64(i)
			if was := valueAt(old, oldLast, bin); was == v {
				continue
			}
			if path == "" {
				path = c.name(r.path)
			}
			dst = append(dst, graphite.Point{Path: path, Value: v, Time: time.Unix(bin*step, 0)})
		}
	})
	return dst
}

// previousPoints finds the history prev had for the series r, under the same path, and the bin of its last
// point (prev's own bin, prevLast, unless the series says otherwise).
func previousPoints(r *seriesRef, hosts map[string]*model.HostRow, groups map[string]*model.GroupRow,
	prevLast, step int64) ([]float64, int64) {
	switch r.id {
	case byHost:
		h, now := hosts[r.host.ID], r.host
		if h == nil || h.Group != now.Group || h.Name != now.Name || h.DupName != now.DupName {
			return nil, 0
		}
		name := now.Series[r.series].Name
		i, ok := slices.BinarySearchFunc(h.Series, name, func(s model.NamedSeries, name string) int {
			return strings.Compare(s.Name, name)
		})
		if !ok {
			// the model sorts series by name; a snapshot built otherwise is searched in full
			i = slices.IndexFunc(h.Series, func(s model.NamedSeries) bool { return s.Name == name })
			if i < 0 {
				return nil, 0
			}
		}
		if ns := &h.Series[i]; !ns.Last.IsZero() {
			return ns.Points, floorDiv(ns.Last.Unix(), step)
		}
		return h.Series[i].Points, prevLast
	case byGroup:
		if g := groups[r.group.Name]; g != nil {
			return groupMetrics[r.metric].hist(&g.History), prevLast
		}
	}
	return nil, 0
}

// valueAt is the point of pts (whose last point is in bin last) in bin, NaN outside.
func valueAt(pts []float64, last, bin int64) float64 {
	n := int64(len(pts))
	if bin > last || bin <= last-n {
		return math.NaN()
	}
	return pts[n-1-(last-bin)]
}

// binTime is the start of the step holding s.Time, or s.Time when the step is not whole seconds.
func binTime(s *model.Snapshot) time.Time {
	step := int64(s.Step / time.Second)
	if step < 1 || s.Step%time.Second != 0 {
		return s.Time
	}
	return time.Unix(floorDiv(s.Time.Unix(), step)*step, 0)
}
