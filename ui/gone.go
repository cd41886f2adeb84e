package ui

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/fleettop/fleettop/model"
)

// maxGoneHosts bounds the hosts the dashboard keeps showing after the model dropped them (it forgets a silent
// host after 10 polling intervals): past it, the longest gone are forgotten first.
const maxGoneHosts = 1000

// goneHost is a host that left the snapshot: its last row, and the snapshot time it was last in.
type goneHost struct {
	row *model.HostRow
	at  time.Time
}

// trackGone notes the hosts of prev that s no longer has as gone, and forgets those that are back, so that a
// fleet going silent shows as gone (dimmed, "gone 3m") until the user clears them (ClearGone), not as a fresh
// start.
func (m *Model) trackGone(prev, s *model.Snapshot) {
	if prev == nil || prev.GroupBy != s.GroupBy {
		clear(m.gone) // the gone hosts' groups were of the old grouping
		return
	}
	clear(m.present)
	for _, h := range s.Hosts {
		m.present[h.ID] = struct{}{}
		delete(m.gone, h.ID)
	}
	for _, h := range prev.Hosts {
		if _, ok := m.present[h.ID]; !ok {
			m.gone[h.ID] = goneHost{row: h, at: prev.Time}
		}
	}
	for len(m.gone) > maxGoneHosts {
		oldest := ""
		for id, g := range m.gone {
			if oldest == "" || g.at.Before(m.gone[oldest].at) {
				oldest = id
			}
		}
		delete(m.gone, oldest)
	}
}

// goneOf is the gone hosts of a group ("" for all), by name.
func (m *Model) goneOf(group string) []goneHost {
	var out []goneHost
	for _, g := range m.gone {
		if group == "" || g.row.Group == group {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b goneHost) int {
		if a.row.Name != b.row.Name {
			if a.row.Name < b.row.Name {
				return -1
			}
			return 1
		}
		return a.at.Compare(b.at)
	})
	return out
}

// goneGroupRows are dimmed rows for the groups that have only gone hosts left: "web · gone 3m" with their
// number of hosts.
func (m *Model) goneGroupRows(s *model.Snapshot) []row {
	last := map[string]time.Time{}
	count := map[string]int{}
	for _, g := range m.gone {
		count[g.row.Group]++
		last[g.row.Group] = maxTime(last[g.row.Group], g.at)
	}
	for i := range s.Groups {
		delete(count, s.Groups[i].Name)
	}
	var rows []row
	for _, name := range slices.Sorted(maps.Keys(count)) {
		r := newRow(gCols)
		r.id, r.key = rowID("group", name), name
		for c := range gCols {
			r.set(c, noValue, 0, toneMuted)
		}
		r.set(gName, sanitize(name)+" · gone "+age(s.Time.Sub(last[name])), 0, toneMuted)
		r.set(gHosts, strconv.Itoa(count[name]), float64(count[name]), toneMuted)
		r.finish()
		rows = append(rows, r)
	}
	return rows
}

// goneHostRows are dimmed rows for a group's gone hosts: "web-03 · gone 3m", state gone.
func (m *Model) goneHostRows(s *model.Snapshot, group string) []row {
	var rows []row
	for _, g := range m.goneOf(group) {
		r := newRow(hCols)
		r.id, r.key = rowID("host", g.row.ID), g.row.ID
		for c := range hCols {
			r.set(c, noValue, 0, toneMuted)
		}
		name := sanitize(nonEmpty(g.row.Name, g.row.ID))
		r.set(hName, name+" · gone "+age(s.Time.Sub(g.at)), 0, toneMuted)
		r.set(hState, "gone", float64(model.HostGone), toneMuted)
		r.finish(g.row.ID)
		rows = append(rows, r)
	}
	return rows
}

// clearGone forgets the gone hosts (the ClearGone key).
func (m *Model) clearGone() {
	n := len(m.gone)
	clear(m.gone)
	if m.snap != nil {
		m.groups.SetRows(groupRows(m.snap)) // none gone now
		if m.level == levelHosts {
			m.hosts.SetRows(m.hostRowsOf(m.drillGroup))
		}
	}
	m.setMessage("cleared "+strconv.Itoa(n)+" hosts that went silent", toneAccent)
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// hostRowsOf is the hosts page of a group: its hosts in the snapshot, then those gone.
func (m *Model) hostRowsOf(group string) []row {
	return append(hostRows(m.snap, group), m.goneHostRows(m.snap, group)...)
}

// setGone shows a host that left the snapshot: its last row, marked gone.
func (p *hostPane) setGone(s *model.Snapshot, h *model.HostRow) {
	if p.host == nil || p.host.ID != h.ID {
		p.offset = 0
	}
	p.snap, p.host, p.gone = s, h, true
	p.counters.SetRows(counterRows(s.AlignedSeries(h.Series)))
	p.dirty = true
}
