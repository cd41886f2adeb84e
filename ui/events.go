package ui

import (
	"strconv"

	"github.com/fleettop/fleettop/model"
	"github.com/fleettop/fleettop/model/events"
)

// The thresholds' events (Options.Events): the Events pane (E) lists the latest, newest first; the status line
// shows the latest one; the groups' and hosts' rows with a raised event are painted bad while it lasts. Enter
// on an event opens its group's hosts.

// Event table columns.
const (
	eTime = iota
	eState
	eThreshold
	eSubject
	eValue
	eLine
	eSeries
	eCols
)

var eventCols = []column{
	eTime:      {title: "time", width: 8, text: true, keep: 100},
	eState:     {title: "state", width: 7, text: true, keep: 95},
	eThreshold: {title: "threshold", width: 14, text: true, keep: 90},
	eSubject:   {title: "group/host", width: 18, text: true, keep: 85},
	eValue:     {title: "value", width: 8, right: true, keep: 80},
	eLine:      {title: "line", width: 10, text: true, keep: 60},
	eSeries:    {title: "series", width: 24, flex: true, text: true, keep: 40, most: 80},
}

// eventRows formats the log's recent events; a raised event still active says so.
func eventRows(l *events.Log) []row {
	active := map[[2]string]events.Event{}
	for _, ev := range l.Active {
		active[[2]string{ev.Threshold, ev.Series}] = ev
	}
	rows := make([]row, 0, len(l.Recent))
	for i, ev := range l.Recent {
		r := newRow(eCols)
		r.id = rowID("event", strconv.Itoa(i), ev.Time.String(), ev.Threshold, ev.Series, string(ev.Kind))
		r.key = ev.Group
		state, tn := "cleared", toneGood
		if ev.Kind == events.Raised {
			state, tn = "raised", toneWarn
			if a, ok := active[[2]string{ev.Threshold, ev.Series}]; ok && a.Time.Equal(ev.Time) {
				state, tn = "ACTIVE", toneBad
			}
		}
		r.set(eTime, ev.Time.Format("15:04:05"), float64(ev.Time.UnixNano()), toneMuted)
		r.set(eState, state, 0, tn)
		r.set(eThreshold, sanitize(ev.Threshold), 0, toneText)
		r.set(eSubject, sanitize(ev.Subject()), 0, toneAccent)
		value := si(ev.Value)
		if ev.NoData {
			value = noValue
		}
		r.set(eValue, value, ev.Value, tn)
		r.set(eLine, ev.Op+" "+strconv.FormatFloat(ev.Line, 'g', 6, 64), ev.Line, toneMuted)
		r.set(eSeries, sanitize(ev.Series), 0, toneMuted)
		r.finish(ev.Target)
		rows = append(rows, r)
	}
	return rows
}

// eventStatus is the latest event as the status line shows it ("" when there is none).
func eventStatus(l *events.Log, g *glyphs) (string, tone) {
	ev, ok := l.Latest()
	if !ok {
		return "", toneText
	}
	text := g.up + " " + sanitize(ev.Threshold) + " " + sanitize(ev.Subject()) + " " + si(ev.Value) + " " + ev.Op + " " +
		strconv.FormatFloat(ev.Line, 'g', 6, 64)
	tn := toneBad
	if ev.Kind == events.Cleared {
		text, tn = g.down+" "+sanitize(ev.Threshold)+" "+sanitize(ev.Subject())+" cleared", toneGood
	}
	if n := len(l.Active); n > 1 {
		text += " (" + strconv.Itoa(n) + " active)"
	}
	return text, tn
}

// pollEvents takes the latest events unless paused (they belong with the data they describe), and repaints
// the rows they mark.
func (m *Model) pollEvents() {
	if m.opt.Events == nil || m.paused {
		return
	}
	l := m.opt.Events.Events()
	if l == m.evlog {
		return
	}
	m.evlog = l
	m.eventsT.SetRows(eventRows(l))
	if m.snap != nil {
		m.groups.SetRows(groupRows(m.snap))
		if m.level == levelHosts || m.level == levelHost {
			m.hosts.SetRows(hostRows(m.snap, m.drillGroup))
		}
		m.markAlerts()
	}
	m.dirty = true
}

// markAlerts paints the rows of the groups and hosts with a raised event, freshly built from the snapshot.
func (m *Model) markAlerts() {
	if m.evlog == nil || len(m.evlog.Active) == 0 {
		return
	}
	groups, hosts := alertSubjects(m.evlog, m.snap)
	markRows(m.groups, groups)
	markRows(m.hosts, hosts)
}

// alertSubjects are the groups (by name) and hosts (by ID) with a raised event.
func alertSubjects(l *events.Log, s *model.Snapshot) (groups, hosts map[string]bool) {
	groups, hosts = map[string]bool{}, map[string]bool{}
	byName := map[[2]string]bool{}
	for _, ev := range l.Active {
		switch {
		case ev.Host != "":
			byName[[2]string{ev.Group, ev.Host}] = true
		case ev.Group != "":
			groups[ev.Group] = true
		}
	}
	if len(byName) > 0 && s != nil {
		for i := range s.Hosts {
			h := s.Hosts[i]
			if byName[[2]string{h.Group, h.Name}] || byName[[2]string{h.Group, h.Name + "@" + h.ID}] {
				hosts[h.ID] = true
			}
		}
	}
	return groups, hosts
}

// markRows paints every cell of the rows whose key is marked.
func markRows(t *table, marked map[string]bool) {
	if len(marked) == 0 {
		return
	}
	for i := range t.rows {
		if r := &t.rows[i]; marked[r.key] {
			for j := range r.tones {
				r.tones[j] = toneBad
			}
		}
	}
	t.dirty = true
}

// showEvents opens the Events pane.
func (m *Model) showEvents() {
	m.level = levelEvents
	if m.evlog != nil {
		m.eventsT.SetRows(eventRows(m.evlog))
	}
}

// eventsCrumb is the Events pane's breadcrumb text.
func (m *Model) eventsCrumb() string {
	if m.opt.Events == nil {
		return "events: no thresholds here"
	}
	active := 0
	if m.evlog != nil {
		active = len(m.evlog.Active)
	}
	text := "events (" + strconv.Itoa(len(m.eventsT.rows)) + ", " + strconv.Itoa(active) + " active)"
	if m.evlog != nil && len(m.evlog.Errors) > 0 {
		text += "; " + sanitize(m.evlog.Errors[0])
	}
	return text
}
