package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fleettop/fleettop/model"
)

// statusItem is one field of the status line; the least important are dropped first when narrow.
type statusItem struct {
	text  string
	short string // a narrower spelling, tried before the item is dropped
	tone  tone
	keep  int
}

// statusInput is everything the status line shows.
type statusInput struct {
	snap      *model.Snapshot
	render    time.Duration
	groupBy   string
	badges    []statusBadge // at the right end, always in full
	gone      int           // hosts gone silent that the dashboard still shows
	event     string        // the latest threshold event, "" for none
	eventTone tone
}

// feedSlot is a feed's fixed field of the status line: "ENC ok", "ENC 7/11" (amber: some lookups failed),
// "graphite down", "carbon off", fitted to the same width whatever the state, so nothing after it moves.
func feedSlot(name string, f model.FeedHealth, state int) (string, tone) {
	text, tn := "off", toneMuted
	switch {
	case !f.Configured:
	case f.Total > 0 && f.Good < f.Total && f.Good > 0:
		text, tn = strconv.Itoa(f.Good)+"/"+strconv.Itoa(f.Total), toneWarn
		if len(text) > state {
			text = strconv.Itoa(100*f.Good/f.Total) + "%"
		}
	case f.OK:
		text, tn = "ok", toneGood
	default:
		text, tn = "down", toneBad
	}
	return fit(name+" "+text, len(name)+1+state, false, ""), tn
}

// counter formats an event count: exact below 10000, then SI.
func counter(n uint64) string {
	if n < 10000 {
		return strconv.FormatUint(n, 10)
	}
	return si(float64(n))
}

func statusItems(in statusInput) []statusItem {
	h := &in.snap.Health
	count := func(n uint64, what, short string, bad tone, keep int) statusItem {
		tn := toneMuted
		if n > 0 {
			tn = bad
		}
		return statusItem{text: what + " " + counter(n), short: short + counter(n), tone: tn, keep: keep}
	}
	hosts := "hosts " + strconv.Itoa(h.Hosts)
	hostTone := toneText
	if h.StaleHosts > 0 {
		hosts += " (" + strconv.Itoa(h.StaleHosts) + " stale)"
		hostTone = toneWarn
	}
	short := "h " + strconv.Itoa(h.Hosts)
	if in.gone > 0 {
		hosts += " +" + strconv.Itoa(in.gone) + " gone"
		short += " +" + strconv.Itoa(in.gone) + " gone"
		hostTone = toneWarn
	}
	items := []statusItem{
		count(h.QueueDrops, "drops", "drop ", toneBad, 90),
		count(h.Lost, "lost", "lost ", toneWarn, 88),
		count(h.DecodeErrors, "decode err", "err ", toneBad, 86),
		{text: "agents " + strconv.Itoa(h.Agents), short: "ag " + strconv.Itoa(h.Agents), tone: toneText, keep: 80},
		{text: hosts, short: short, tone: hostTone, keep: 82},
	}
	if h.KernelDrops > 0 {
		items = slices.Insert(items, 1, kernelDropsItem(h)) // right after the queue drops
	}
	// Sample drops and restarts show only when there are some: the Agents pane (A) has the detail.
	if h.SampleDrops > 0 {
		items = append(items, count(h.SampleDrops, "sample drops", "sdrop ", toneWarn, 84))
	}
	if h.Restarts > 0 {
		items = append(items, count(h.Restarts, "restarts", "rst ", toneWarn, 83))
	}
	// What the bounds on the model's state turned away (--max-*), when anything was.
	if n := h.RefusedAgents + h.RefusedSources + h.RefusedSeries; n > 0 {
		items = append(items, count(n, "refused", "ref ", toneBad, 85))
	}
	if h.Views.Configured { // shared over NATS
		text, tn := feedSlot("views", h.Views, 4)
		items = append(items, statusItem{text: text, tone: tn, keep: 72})
	}
	if in.groupBy != "" {
		items = append(items, statusItem{text: "by " + sanitize(in.groupBy), tone: toneAccent, keep: 78})
	}
	if in.event != "" {
		items = append(items, statusItem{text: in.event, tone: in.eventTone, keep: 92})
	}
	items = append(items, statusItem{text: "render " + renderTime(in.render), short: renderTime(in.render), tone: toneMuted, keep: 30})
	return items
}

// renderTime is coarse on purpose: a figure that changes every frame would redraw the status line every frame
// (and, with the rate at its other end, the terminal rewrites the whole line). Below 5 ms it says only that.
func renderTime(d time.Duration) string {
	if d < 5*time.Millisecond {
		return "<5ms"
	}
	return strconv.FormatInt(int64((d+time.Millisecond/2)/time.Millisecond), 10) + "ms"
}

// renderStatus paints the status line in exactly w cells. Its head has a fixed layout: the datagram rate and
// the ENC, graphite and carbon states always at the same places; the counters after it are shortened, then the
// least important dropped, to leave room for the badges (PAUSED, STALE, REC, ...) at the right end, which always
// show in full.
func renderStatus(c *Common, in statusInput, w int) string {
	st, g := c.St, c.Glyph
	sep := " " + g.vbar + " "
	badges, right := renderBadges(c, in.badges)
	var b strings.Builder
	used := 0
	put := func(text string, tn tone) {
		s := sep
		if used == 0 {
			s = ""
		}
		text = truncate(text, max(0, w-right-used-textWidth(s)), g.ellipsis)
		if text == "" {
			return
		}
		if s != "" {
			b.WriteString(st.border.str(s))
		}
		b.WriteString(st.tones[tn].str(text))
		used += textWidth(s) + textWidth(text)
	}
	if w >= 100 {
		put("fleettop", toneAccent) // narrower, the window title says it
	}
	if in.snap == nil {
		put("waiting for the first snapshot", toneMuted)
	} else {
		for _, it := range statusHead(&in.snap.Health, w) {
			put(it.text, it.tone)
		}
	}
	if in.snap != nil {
		fitItems(statusItems(in), w-used-right, textWidth(sep), func(it statusItem) { put(it.text, it.tone) })
	}
	if pad := w - used - right; pad > 0 {
		b.WriteString(strings.Repeat(" ", pad))
	}
	b.WriteString(badges)
	return fitStyled(b.String(), w)
}

// statusHead is the fixed part of the status line: the datagram rate and the feeds, each in a field of fixed
// width. Narrow terminals get narrower fields.
func statusHead(h *model.Health, w int) []statusItem {
	rate, unit, state := 5, " dgram/s", 5
	if w < 160 {
		unit, state = "/s", 4
	}
	enc, etn := feedSlot("ENC", h.ENC, state)
	gr, gtn := feedSlot("graphite", h.Graphite, state)
	cb, ctn := feedSlot("carbon", h.Carbon, state)
	return []statusItem{
		{text: fit(si(h.DatagramsPerSec), rate, true, "") + unit, tone: toneAccent},
		{text: enc, tone: etn}, {text: gr, tone: gtn}, {text: cb, tone: ctn},
	}
}

// fitItems shortens the least important items, then drops them, until they fit in avail cells with a separator
// of sepW before each, and puts the rest in their order.
func fitItems(items []statusItem, avail, sepW int, put func(statusItem)) {
	width := func() int {
		n := 0
		for _, it := range items {
			n += textWidth(it.text) + sepW
		}
		return n
	}
	for width() > avail {
		low := -1
		for i, it := range items {
			if it.short != "" && it.short != it.text && (low < 0 || it.keep < items[low].keep) {
				low = i
			}
		}
		if low < 0 {
			break
		}
		items[low].text = items[low].short
	}
	for len(items) > 0 && width() > avail {
		low := 0
		for i, it := range items {
			if it.keep < items[low].keep {
				low = i
			}
		}
		items = append(items[:low], items[low+1:]...)
	}
	for _, it := range items {
		put(it)
	}
}

// healthLines is the ingest health as plain lines, for the too-small screen.
func healthLines(s *model.Snapshot) []string {
	if s == nil {
		return []string{"waiting for the first snapshot"}
	}
	h := &s.Health
	feed := func(name string, f model.FeedHealth) string {
		switch {
		case !f.Configured:
			return name + ": off"
		case f.Total > 0 && f.Good > 0 && f.Good < f.Total:
			return name + ": " + strconv.Itoa(f.Good) + "/" + strconv.Itoa(f.Total) + " " + sanitize(f.Summary)
		case f.OK:
			return name + ": ok " + sanitize(f.Summary)
		}
		return name + ": down " + sanitize(f.LastError)
	}
	return []string{
		"datagrams/s " + si(h.DatagramsPerSec) + "  total " + counter(h.Datagrams),
		"drops " + counter(h.QueueDrops) + "  kernel drops " + counter(h.KernelDrops) + "  lost " + counter(h.Lost) +
			"  decode errors " + counter(h.DecodeErrors),
		recvBufferLine(h),
		"sample drops " + counter(h.SampleDrops) + "  lost samples " + counter(h.LostSamples) + "  restarts " +
			counter(h.Restarts) + "  duplicates " + counter(h.Duplicates),
		"agents " + strconv.Itoa(h.Agents) + "  hosts " + strconv.Itoa(h.Hosts) + " (" + strconv.Itoa(h.StaleHosts) + " stale)",
		feed("ENC", h.ENC),
		feed("graphite", h.Graphite),
		feed("carbon", h.Carbon),
	}
}
