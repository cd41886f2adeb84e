package ui

import (
	"strings"

	"github.com/fleettop/fleettop/model"
)

// statusBadge is a state the status line ends with (PAUSED, STALE, KIOSK, REC): short, always shown in full,
// at the right end. toneText paints it as a badge (reversed); another tone paints it in that colour.
type statusBadge struct {
	text string
	tone tone
}

// badges are the status line's badges, in order. A new one is one line here.
func (m *Model) badges() []statusBadge {
	var bs []statusBadge
	if m.opt.Recording != nil {
		bs = append(bs, recBadge(m.opt.Recording(), m.c.Glyph.ascii))
	}
	switch {
	case m.rewound():
		bs = append(bs, m.rewindBadge())
	case m.paused:
		bs = append(bs, statusBadge{text: "PAUSED " + age(m.c.Now().Sub(m.pausedAt))})
	case m.stale() > 0:
		bs = append(bs, statusBadge{text: "STALE " + age(m.stale())})
	}
	if m.kiosk {
		bs = append(bs, statusBadge{text: "KIOSK"})
	}
	return bs
}

// recBadge is "● REC" in red while recording, "REC stopped" (reversed) once a write error stopped it.
func recBadge(h model.FeedHealth, ascii bool) statusBadge {
	if !h.OK {
		return statusBadge{text: "REC stopped"}
	}
	if ascii {
		return statusBadge{text: "* REC", tone: toneBad}
	}
	return statusBadge{text: "● REC", tone: toneBad}
}

// renderBadges paints the badges, each padded by a space, and returns them with their width.
func renderBadges(c *Common, bs []statusBadge) (string, int) {
	var b strings.Builder
	w := 0
	for _, bd := range bs {
		text := " " + bd.text + " "
		if bd.tone == toneText {
			b.WriteString(c.St.badge.str(text))
		} else {
			b.WriteString(c.St.tones[bd.tone].str(text))
		}
		w += textWidth(text)
	}
	return b.String(), w
}

// bannerLine is Options.Banner's line (the demo's incident), or a blank line when it says nothing.
func (m *Model) bannerLine(w int) string {
	if m.banner == "" || m.rewound() { // the banner describes the present
		return fitStyled("", w)
	}
	return fitStyled(m.c.St.banner.str(" "+truncate(m.banner, max(0, w-2), m.c.Glyph.ellipsis)+" "), w)
}
