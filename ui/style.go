package ui

import (
	"image/color"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/guptarohit/asciigraph"

	"github.com/fleettop/fleettop/themes"
)

// paint is one text role's SGR sequence, taken once from lipgloss so that painting a cell costs two appends
// instead of a lipgloss render per cell.
type paint struct{ on, off string }

func newPaint(st lipgloss.Style) paint {
	r := st.Render("\x00")
	i := strings.IndexByte(r, 0)
	if i < 0 {
		return paint{}
	}
	return paint{on: r[:i], off: r[i+1:]}
}

// add appends s painted.
func (p paint) add(b []byte, s string) []byte {
	if p.on == "" {
		return append(b, s...)
	}
	b = append(b, p.on...)
	b = append(b, s...)
	return append(b, p.off...)
}

// str returns s painted.
func (p paint) str(s string) string {
	if p.on == "" {
		return s
	}
	return p.on + s + p.off
}

// tone is the colour role of a table cell.
type tone uint8

const (
	toneText tone = iota
	toneMuted
	toneGood
	toneWarn
	toneBad
	toneAccent
)

// styles are a theme turned into paints.
type styles struct {
	text, muted, accent, title, titleFocus, border, header, headerSort, selected paint
	good, warn, bad, badge, banner, spark, key                                   paint
	series                                                                       []paint
	graphSeries                                                                  []asciigraph.AnsiColor
	graphAxis                                                                    asciigraph.AnsiColor
	tones                                                                        [6]paint
}

func termColor(c themes.Color) color.Color {
	if c == "" {
		return nil
	}
	return lipgloss.Color(string(c))
}

func newStyles(t themes.Theme) *styles {
	base := func(c themes.Color) lipgloss.Style {
		st := lipgloss.NewStyle()
		if !t.Mono {
			if col := termColor(c); col != nil {
				st = st.Foreground(col)
			}
		}
		return st
	}
	body := func(c themes.Color) lipgloss.Style { return base(c).Bold(t.Bold) }
	s := &styles{
		text:       newPaint(body(t.Text)),
		muted:      newPaint(base(t.Muted).Faint(t.Mono)),
		accent:     newPaint(body(t.Accent)),
		title:      newPaint(base(t.Header).Bold(true)),
		titleFocus: newPaint(base(t.Accent).Bold(true).Underline(t.Mono)),
		border:     newPaint(base(t.Border)),
		header:     newPaint(base(t.Header).Bold(true)),
		headerSort: newPaint(base(t.Accent).Bold(true).Underline(true)),
		good:       newPaint(body(t.Good)),
		warn:       newPaint(body(t.Warn).Bold(t.Mono || t.Bold)),
		bad:        newPaint(body(t.Bad).Bold(true)),
		spark:      newPaint(base(t.Spark)),
		key:        newPaint(base(t.Accent).Bold(true)),
	}
	sel := lipgloss.NewStyle().Bold(t.Bold)
	badge := lipgloss.NewStyle().Bold(true)
	if t.Mono {
		sel = sel.Reverse(true)
		badge = badge.Reverse(true)
	} else {
		if c := termColor(t.SelectFg); c != nil {
			sel = sel.Foreground(c)
		}
		if c := termColor(t.SelectBg); c != nil {
			sel = sel.Background(c)
		} else {
			sel = sel.Reverse(true)
		}
		if c := termColor(t.BadgeFg); c != nil {
			badge = badge.Foreground(c)
		}
		if c := termColor(t.BadgeBg); c != nil {
			badge = badge.Background(c)
		} else {
			badge = badge.Reverse(true)
		}
	}
	s.selected = newPaint(sel)
	s.badge = newPaint(badge)
	// The banner (the demo's incident) reads as a warning: warn on the terminal's background, reversed when mono.
	s.banner = newPaint(base(t.Warn).Bold(true).Reverse(t.Mono))
	s.tones = [6]paint{s.text, s.muted, s.good, s.warn, s.bad, s.accent}
	for _, c := range t.Series {
		s.series = append(s.series, newPaint(base(c).Bold(t.Bold)))
		if !t.Mono {
			s.graphSeries = append(s.graphSeries, ansi256(c))
		}
	}
	if !t.Mono {
		s.graphAxis = ansi256(t.Muted)
	}
	return s
}

// seriesPaint is the paint of chart series i, wrapping round the palette.
func (s *styles) seriesPaint(i int) paint {
	if len(s.series) == 0 {
		return s.text
	}
	return s.series[i%len(s.series)]
}

// graphColors are asciigraph's colours for n series; nil on a mono theme (no escapes at all).
func (s *styles) graphColors(n int) []asciigraph.AnsiColor {
	if len(s.graphSeries) == 0 {
		return nil
	}
	out := make([]asciigraph.AnsiColor, n)
	for i := range out {
		out[i] = s.graphSeries[i%len(s.graphSeries)]
	}
	return out
}

// ansi256 maps a theme colour to the xterm-256 palette asciigraph speaks.
func ansi256(c themes.Color) asciigraph.AnsiColor {
	str := string(c)
	if str == "" {
		return asciigraph.Default
	}
	if str[0] != '#' {
		n, err := strconv.Atoi(str)
		if err != nil || n < 0 || n > 255 {
			return asciigraph.Default
		}
		return asciigraph.AnsiColor(n)
	}
	v, err := strconv.ParseUint(str[1:], 16, 32)
	if err != nil || len(str) != 7 {
		return asciigraph.Default
	}
	r, g, b := int(v>>16&0xff), int(v>>8&0xff), int(v&0xff)
	// The 6×6×6 cube, or the grey ramp when the colour is close to grey.
	if r == g && g == b {
		if r < 8 {
			return 16
		}
		if r > 248 {
			return 231
		}
		return asciigraph.AnsiColor(232 + (r-8)*24/241)
	}
	q := func(x int) int {
		if x < 48 {
			return 0
		}
		if x < 115 {
			return 1
		}
		return (x - 35) / 40
	}
	return asciigraph.AnsiColor(16 + 36*q(r) + 6*q(g) + q(b))
}

// glyphs are the characters the UI draws with; asciiGlyphs serve terminals without block and box characters.
type glyphs struct {
	spark    []string // eight levels, lowest first
	gap      string   // a missing point
	rule     string
	vbar     string
	up, down string
	ellipsis string
	crumb    string
	arrow    string
	ascii    bool
}

var unicodeGlyphs = glyphs{
	spark: []string{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"},
	gap:   " ", rule: "─", vbar: "│", up: "▲", down: "▼", ellipsis: "…", crumb: " › ", arrow: "→",
}

var asciiGlyphs = glyphs{
	spark: []string{"_", ".", ",", "-", "=", "+", "*", "#"},
	gap:   " ", rule: "-", vbar: "|", up: "^", down: "v", ellipsis: "~", crumb: " > ", arrow: ">", ascii: true,
}

// asciiBox turns asciigraph's box drawing into ASCII.
var asciiBox = strings.NewReplacer(
	"┤", "|", "┼", "+", "└", "+", "┬", "+", "─", "-", "│", "|", "╭", "/", "╮", "\\", "╰", "\\", "╯", "/",
	"╴", "-", "╶", "-", "■", "#",
)
