package cluster

import (
	"math"
	"time"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/topk"
)

// windowed is one collector's tables at the window merged, with the span they cover in seconds.
type windowed struct {
	st   *State
	span float64
}

// mergeTables merges the top-N tables of the fresh collectors (the stale ones' windows are in the past) at the
// newest window every one of them has published: in weights (rate × span), so collectors whose windows
// started at different times (one started later) add up over the union of their spans. Rows keep the bounds
// topk.Summary gives: lower bounds added up, errors added up plus each collector's unlisted bound where it
// does not list the key.
func mergeTables(s *model.Snapshot, live []*Collector, fresh map[*Collector]bool) {
	var end int64 = -1
	for _, c := range live {
		if fresh[c] && (end < 0 || c.Latest().WindowEnd < end) {
			end = c.Latest().WindowEnd
		}
	}
	if end <= 0 {
		return
	}
	var ws []windowed
	start := end
	n := 0
	for _, c := range live {
		if !fresh[c] {
			continue
		}
		st := c.Latest()
		for _, old := range c.States {
			if old.WindowEnd == end {
				st = old
			}
		}
		span := time.Duration(st.WindowEnd - st.WindowStart).Seconds()
		if span <= 0 {
			continue
		}
		ws = append(ws, windowed{st, span})
		start = min(start, st.WindowStart)
		n = max(n, len(st.BySrc.Rows), len(st.ByDst.Rows), len(st.ByPair.Rows), len(st.URLs.Rows), len(st.Keys.Rows))
	}
	span := time.Duration(end - start).Seconds()
	if len(ws) == 0 || span <= 0 {
		return
	}
	s.WindowStart, s.WindowEnd = fromNanos(start), fromNanos(end)
	s.TalkersBySrc, s.Bounds.TalkersBySrc = mergeTalkers(ws, func(st *State) *Talkers { return &st.BySrc }, n, span)
	s.TalkersByDst, s.Bounds.TalkersByDst = mergeTalkers(ws, func(st *State) *Talkers { return &st.ByDst }, n, span)
	s.TalkersByPair, s.Bounds.TalkersByPair = mergeTalkers(ws, func(st *State) *Talkers { return &st.ByPair }, n, span)
	s.URLs, s.Bounds.URLs = mergeURLs(ws, n, span)
	s.Keys, s.Bounds.Keys = mergeKeys(ws, n, span)
}

// absent is the bound on the weight of a key a collector's table does not list (all in weights): a key below
// the rows shown ranks no higher than the last, so it weighs at most that row's lower bound plus the table's
// unlisted bound (every key's error is within it); and never more than the total less what the rows hold for
// certain. It is what the collector's table is charged with where it does not list a key.
func absent(total, unlisted, listed, last float64) float64 {
	return max(min(total-listed, last+unlisted), 0)
}

// addRows adds one collector's table to sum in weights (per-second figures × span): each row with the
// weight of its lower bound (rate), its error and the aux entry makes of it, charging the collector's absent
// bound where it does not list a key; then the table's total.
func addRows[R, A any](sum *topk.Summary[A], rows []R, b Bound, span float64,
	entry func(r *R, weight float64) (key string, errRate float64, aux A), rate func(r *R) float64) {
	var listed, last float64
	for i := range rows {
		last = rate(&rows[i])
		listed += last
	}
	bound := absent(b.Total, b.Unlisted, listed, last) * span
	for i := range rows {
		c := rate(&rows[i]) * span
		key, errRate, aux := entry(&rows[i], c)
		sum.AddEntry(&topk.Entry[A]{Key: key, Count: c, Err: errRate * span, Aux: aux}, bound)
	}
	sum.AddTotals(b.Total*span, bound)
}

// best is what every aux keeps: the largest contributor's weight, which gives the row its descriptive fields
// (the protocol, the server), and how many contributed.
type best struct {
	weight float64
	n      int
}

// take reports whether src's fields should replace dst's: the first, or a heavier contributor.
func (b *best) take(src best) bool {
	first := b.n == 0
	b.n += src.n
	if first || src.weight > b.weight {
		b.weight = src.weight
		return true
	}
	return false
}

type talkerAux struct {
	best
	row     model.TalkerRow
	packets float64
}

func mergeTalker(dst, src *talkerAux) {
	dst.packets += src.packets
	names := dst.row
	if dst.take(src.best) {
		dst.row = src.row
	}
	// a name known to any collector (the host may report to another one than the talker's)
	if dst.row.SrcHost == "" {
		dst.row.SrcHost, dst.row.SrcGroup = names.SrcHost, names.SrcGroup
	}
	if dst.row.DstHost == "" {
		dst.row.DstHost, dst.row.DstGroup = names.DstHost, names.DstGroup
	}
	if dst.row.SrcHost == "" {
		dst.row.SrcHost, dst.row.SrcGroup = src.row.SrcHost, src.row.SrcGroup
	}
	if dst.row.DstHost == "" {
		dst.row.DstHost, dst.row.DstGroup = src.row.DstHost, src.row.DstGroup
	}
}

func mergeTalkers(ws []windowed, table func(*State) *Talkers, n int, span float64) ([]model.TalkerRow, model.TableBound) {
	sum := topk.NewSummary(mergeTalker)
	for _, w := range ws {
		t := table(w.st)
		addRows(sum, t.Rows, t.Bound, w.span, func(r *Talker, c float64) (string, float64, talkerAux) {
			row := model.TalkerRow{Src: bytesAddr(r.Src), Dst: bytesAddr(r.Dst), SrcGroup: r.SrcGroup,
				DstGroup: r.DstGroup, SrcHost: r.SrcHost, DstHost: r.DstHost, Protocol: r.Protocol, SrcPort: r.SrcPort,
				DstPort: r.DstPort}
			key := string([]byte{byte(len(r.Src))}) + string(r.Src) + string(r.Dst)
			return key, r.ErrBytes, talkerAux{best{c, 1}, row, r.Packets * w.span}
		}, func(r *Talker) float64 { return r.Bytes })
	}
	top := sum.Top(n)
	rows := make([]model.TalkerRow, len(top))
	for i, e := range top {
		r := e.Aux.row
		r.Bytes, r.Packets, r.ErrBytes = e.Count/span, e.Aux.packets/span, e.Err/span
		r.Share = share(e.Count, sum.Total())
		rows[i] = r
	}
	return rows, model.TableBound{Total: sum.Total() / span, Unlisted: sum.Unlisted() / span}
}

func share(part, total float64) float64 {
	if total <= 0 {
		return 0
	}
	return part / total
}

// weighted is a mean weighted by each contributor's weight, NaN values left out.
type weighted struct{ sum, weight float64 }

func (m *weighted) add(v, w float64) {
	if !math.IsNaN(v) {
		m.sum += v * w
		m.weight += w
	}
}

func (m *weighted) addAll(o weighted) { m.sum += o.sum; m.weight += o.weight }

func (m weighted) mean() float64 {
	if m.weight <= 0 {
		return math.NaN()
	}
	return m.sum / m.weight
}

type urlAux struct {
	best
	row    model.URLRow
	status [6]weighted
	meanMS weighted
	p95    float64 // the largest of the collectors': the merged 95th percentile is at most that
}

func mergeURL(dst, src *urlAux) {
	for i := range dst.status {
		dst.status[i].addAll(src.status[i])
	}
	dst.meanMS.addAll(src.meanMS)
	if math.IsNaN(dst.p95) || dst.n == 0 || src.p95 > dst.p95 {
		dst.p95 = src.p95
	}
	if dst.take(src.best) {
		dst.row = src.row
	}
}

func mergeURLs(ws []windowed, n int, span float64) ([]model.URLRow, model.TableBound) {
	sum := topk.NewSummary(mergeURL)
	for _, w := range ws {
		t := &w.st.URLs
		addRows(sum, t.Rows, t.Bound, w.span, func(r *URL, c float64) (string, float64, urlAux) {
			a := urlAux{best: best{c, 1}, row: model.URLRow{Host: r.Host, Path: r.Path, Server: r.Server, Group: r.Group},
				p95: r.P95MS}
			for i, f := range r.Status {
				a.status[i].add(f, c)
			}
			a.meanMS.add(r.MeanMS, c)
			return r.Host + "\x00" + r.Path, r.ErrRate, a
		}, func(r *URL) float64 { return r.Rate })
	}
	top := sum.Top(n)
	rows := make([]model.URLRow, len(top))
	for i, e := range top {
		r := e.Aux.row
		r.Rate, r.ErrRate, r.Share = e.Count/span, e.Err/span, share(e.Count, sum.Total())
		for j := range r.Status {
			if v := e.Aux.status[j].mean(); !math.IsNaN(v) {
				r.Status[j] = v
			}
		}
		r.MeanMS, r.P95MS = e.Aux.meanMS.mean(), e.Aux.p95
		rows[i] = r
	}
	return rows, model.TableBound{Total: sum.Total() / span, Unlisted: sum.Unlisted() / span}
}

type keyAux struct {
	best
	row  model.KeyRow
	hit  weighted
	cmds []weighted
}

func mergeKey(dst, src *keyAux) {
	dst.hit.addAll(src.hit)
	if len(dst.cmds) < len(src.cmds) {
		dst.cmds = append(dst.cmds, make([]weighted, len(src.cmds)-len(dst.cmds))...)
	}
	for i := range src.cmds {
		dst.cmds[i].addAll(src.cmds[i])
	}
	if dst.take(src.best) {
		dst.row = src.row
	}
}

func mergeKeys(ws []windowed, n int, span float64) ([]model.KeyRow, model.TableBound) {
	sum := topk.NewSummary(mergeKey)
	for _, w := range ws {
		t := &w.st.Keys
		addRows(sum, t.Rows, t.Bound, w.span, func(r *Key, c float64) (string, float64, keyAux) {
			a := keyAux{best: best{c, 1}, row: model.KeyRow{Key: r.Key, Server: r.Server, Group: r.Group},
				cmds: make([]weighted, len(r.Cmds))}
			a.hit.add(r.HitRatio, c)
			for i, f := range r.Cmds {
				a.cmds[i].add(f, c)
			}
			return r.Key, r.ErrRate, a
		}, func(r *Key) float64 { return r.Rate })
	}
	top := sum.Top(n)
	rows := make([]model.KeyRow, len(top))
	for i, e := range top {
		r := e.Aux.row
		r.Rate, r.ErrRate, r.Share = e.Count/span, e.Err/span, share(e.Count, sum.Total())
		r.HitRatio = e.Aux.hit.mean()
		for j := range r.Cmds {
			if j < len(e.Aux.cmds) {
				if v := e.Aux.cmds[j].mean(); !math.IsNaN(v) {
					r.Cmds[j] = v
				}
			}
		}
		rows[i] = r
	}
	return rows, model.TableBound{Total: sum.Total() / span, Unlisted: sum.Unlisted() / span}
}
