package ui

import (
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
	snap    *model.Snapshot
	paused  bool
	frozen  time.Duration // how old the frozen snapshot is
	stale   time.Duration // how long no new snapshot came, when it is too long (0: fresh)
	render  time.Duration
	groupBy string
	kiosk   bool
	banner  string        // Options.Banner's line, sanitized
	behind  time.Duration // rewound: how far the snapshot shown is behind the latest
}

func feedItem(name string, f model.FeedHealth, keep int) statusItem {
	if !f.Configured {
		return statusItem{text: name + " off", tone: toneMuted, keep: keep - 30}
	}
	short := name + " ok"
	tn := toneGood
	if !f.OK {
		short, tn = name+" down", toneBad
	}
	text := short
	if f.Summary != "" {
		text = name + " " + sanitize(f.Summary)
	}
	return statusItem{text: text, short: short, tone: tn, keep: keep}
}

// counter formats an event count: exact below 10000, then SI.
func counter(n uint64) string {
	if n < 10000 {
		return strconv.FormatUint(n, 10)
	}
	return si(float64(n))
}

func statusItems(in statusInput) []statusItem {
	if in.snap == nil {
		return []statusItem{{text: "waiting for the first snapshot", tone: toneMuted, keep: 100}}
	}
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
	items := []statusItem{
		{text: si(h.DatagramsPerSec) + " dgram/s", short: si(h.DatagramsPerSec) + "/s", tone: toneAccent, keep: 100},
		count(h.QueueDrops, "drops", "drop ", toneBad, 90),
		count(h.Lost, "lost", "lost ", toneWarn, 88),
		count(h.DecodeErrors, "decode err", "err ", toneBad, 86),
		{text: "agents " + strconv.Itoa(h.Agents), short: "ag " + strconv.Itoa(h.Agents), tone: toneText, keep: 80},
		{text: hosts, short: "h " + strconv.Itoa(h.Hosts), tone: hostTone, keep: 82},
		feedItem("ENC", h.ENC, 75),
		feedItem("graphite", h.Graphite, 70),
		feedItem("carbon", h.Carbon, 40),
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
	if in.groupBy != "" {
		items = append(items, statusItem{text: "by " + sanitize(in.groupBy), tone: toneAccent, keep: 78})
	}
	items = append(items, statusItem{text: "render " + renderTime(in.render), short: renderTime(in.render), tone: toneMuted, keep: 30})
	return items
}

// renderTime is coarse on purpose: a figure that changes every frame would redraw the status line every frame.
func renderTime(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return strconv.FormatInt(int64((d+time.Millisecond/2)/time.Millisecond), 10) + "ms"
}

// renderStatus paints the status line in exactly w cells: the badge (PAUSED, STALE, KIOSK) at the right always
// stays.
func renderStatus(c *Common, in statusInput, w int) string {
	st, g := c.St, c.Glyph
	badge := rewindBadge(in)
	switch {
	case badge != "":
	case in.paused:
		badge = " PAUSED " + age(in.frozen) + " "
	case in.stale > 0:
		badge = " STALE " + age(in.stale) + " "
	case in.kiosk:
		badge = " KIOSK "
	}
	// The banner sits at the right, before the badge, in at most half the line (more when the line is wide).
	banner := ""
	if in.banner != "" {
		room := max(w/2, w-100)
		banner = " " + truncate(in.banner, max(0, room-2), g.ellipsis) + " "
		if room < 4 {
			banner = ""
		}
	}
	right := textWidth(badge) + textWidth(banner)
	items := statusItems(in)
	sep := " " + g.vbar + " "
	avail := w - right - len("fleettop") - 1
	// Drop the least important items until the rest fit.
	width := func() int {
		n := 0
		for _, it := range items {
			n += textWidth(it.text) + textWidth(sep)
		}
		return n
	}
	// Shorten the least important items first, then drop them.
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
	for len(items) > 1 && width() > avail {
		low := 0
		for i, it := range items {
			if it.keep < items[low].keep {
				low = i
			}
		}
		items = append(items[:low], items[low+1:]...)
	}
	var b strings.Builder
	b.WriteString(st.accent.str("fleettop"))
	used := len("fleettop")
	for _, it := range items {
		text := it.text
		if used+textWidth(sep)+textWidth(text) > w-right {
			text = truncate(text, max(0, w-right-used-textWidth(sep)), g.ellipsis)
		}
		if text == "" {
			break
		}
		b.WriteString(st.border.str(sep))
		b.WriteString(st.tones[it.tone].str(text))
		used += textWidth(sep) + textWidth(text)
	}
	if pad := w - used - right; pad > 0 {
		b.WriteString(strings.Repeat(" ", pad))
	}
	if banner != "" {
		b.WriteString(st.banner.str(banner))
	}
	if badge != "" {
		b.WriteString(st.badge.str(badge))
	}
	return fitStyled(b.String(), w)
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
		case f.OK:
			return name + ": ok " + sanitize(f.Summary)
		}
		return name + ": down " + sanitize(f.LastError)
	}
	return []string{
		"datagrams/s " + si(h.DatagramsPerSec) + "  total " + counter(h.Datagrams),
		"drops " + counter(h.QueueDrops) + "  lost " + counter(h.Lost) + "  decode errors " + counter(h.DecodeErrors),
		"sample drops " + counter(h.SampleDrops) + "  lost samples " + counter(h.LostSamples) + "  restarts " +
			counter(h.Restarts) + "  duplicates " + counter(h.Duplicates),
		"agents " + strconv.Itoa(h.Agents) + "  hosts " + strconv.Itoa(h.Hosts) + " (" + strconv.Itoa(h.StaleHosts) + " stale)",
		feed("ENC", h.ENC),
		feed("graphite", h.Graphite),
		feed("carbon", h.Carbon),
	}
}
