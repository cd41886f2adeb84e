package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"
)

// chartSpec is one chart to draw: a title, series, the time span of the points and an optional error.
type chartSpec struct {
	title, sub string
	series     []ChartSeries
	start, end time.Time
	err        string
	loading    bool // being drawn: "loading…" instead of "no data"
}

// yLabelWidth is the width the y-axis labels are padded to, so the plot width is known before plotting.
const yLabelWidth = 6

// renderChart draws spec as exactly h lines of w cells: a title line, the asciigraph plot with a time axis, and a
// legend in the theme's series colours. Missing data, an error or a tiny box say so instead of plotting.
func renderChart(c *Common, spec chartSpec, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	st, g := c.St, c.Glyph
	lines := make([]string, 0, h)
	title := truncate(sanitize(spec.title), w, g.ellipsis)
	head := st.accent.str(title)
	if rest := w - textWidth(title); rest > 2 && spec.sub != "" {
		head += st.muted.str(truncate("  "+sanitize(spec.sub), rest, g.ellipsis))
	}
	lines = append(lines, head)

	legendLines := 0
	if len(spec.series) > 0 && h >= 4 {
		legendLines = 1
	}
	body := h - 1 - legendLines
	data, finite := chartData(spec.series)
	switch {
	case spec.loading && !finite:
		lines = append(lines, st.muted.str(truncate("loading"+g.ellipsis, w, g.ellipsis)))
	case spec.err != "" && !finite:
		lines = appendWrapped(lines, st.bad, "error: "+sanitize(spec.err), w, h-legendLines)
	case !finite && len(spec.series) == 0:
		lines = append(lines, st.muted.str(truncate("no such series: the target matches nothing", w, g.ellipsis)))
	case !finite:
		lines = append(lines, st.muted.str(truncate("no data in this range", w, g.ellipsis)))
	case body < 4:
		// Too short for a plot: one sparkline per series.
		for i, s := range spec.series {
			if len(lines) >= h {
				break
			}
			name := truncate(sanitize(s.Name), max(0, w/3), g.ellipsis)
			sw := w - textWidth(name) - 1
			sp := string(appendSpark(nil, s.Points, max(0, sw), g))
			lines = append(lines, st.seriesPaint(i).str(name)+" "+st.spark.str(sp))
		}
	default:
		plot, err := plotSeries(c, data, spec.start, spec.end, w, body)
		if err != nil {
			lines = append(lines, st.bad.str(truncate(err.Error(), w, g.ellipsis)))
			break
		}
		lines = append(lines, plot...)
		if spec.err != "" && len(lines) < h-legendLines {
			lines = appendWrapped(lines, st.warn, "partial: "+sanitize(spec.err), w, h-legendLines)
		}
	}
	if legendLines > 0 {
		for len(lines) < h-legendLines {
			lines = append(lines, "")
		}
		lines = append(lines[:h-legendLines], legend(c, spec.series, w))
	}
	return block(lines, w, h)
}

// chartData copies the series with ±Inf as NaN (asciigraph cannot scale infinities) and says whether any point
// is a number at all.
func chartData(series []ChartSeries) ([][]float64, bool) {
	finite := false
	data := make([][]float64, 0, len(series))
	for _, s := range series {
		if len(s.Points) == 0 {
			continue
		}
		pts := make([]float64, len(s.Points))
		for i, v := range s.Points {
			if math.IsInf(v, 0) {
				v = math.NaN()
			}
			if !math.IsNaN(v) {
				finite = true
			}
			pts[i] = v
		}
		data = append(data, pts)
	}
	return data, finite
}

// plotSeries runs asciigraph for a body of h lines and w cells (two of them the time axis).
func plotSeries(c *Common, data [][]float64, start, end time.Time, w, h int) (lines []string, err error) {
	defer func() {
		// asciigraph indexes its grid from the data; a value it cannot place is a drawing error, not a crash.
		if r := recover(); r != nil {
			lines, err = nil, fmt.Errorf("chart: cannot draw these values: %v", r)
		}
	}()
	const offset = 2
	axis := !start.IsZero() && !end.IsZero() && end.After(start)
	span := end.Sub(start)
	layout := "15:04"
	switch {
	case span < 10*time.Minute:
		layout = "15:04:05"
	case span >= 48*time.Hour:
		layout = "01-02 15:04"
	}
	plotW := w - (yLabelWidth + 1) - (offset - 1) - 1
	if axis {
		plotW -= (len(layout) + 1) / 2 // the last time label is centred on the last column
	}
	if plotW < 4 {
		return nil, fmt.Errorf("chart: %d cells are too narrow", w)
	}
	plotH := h - 1
	if axis {
		plotH -= 2
	}
	plotH = max(1, plotH)
	opts := []asciigraph.Option{
		asciigraph.Height(plotH),
		asciigraph.Width(plotW),
		asciigraph.Offset(offset),
		asciigraph.YAxisValueFormatter(func(v float64) string { return fit(si(v), yLabelWidth, true, "") }),
	}
	if cols := c.St.graphColors(len(data)); cols != nil {
		for i, col := range cols {
			if col == 0 {
				cols[i] = asciigraph.Black
			}
		}
		opts = append(opts, asciigraph.SeriesColors(cols...))
		if c.St.graphAxis != asciigraph.Default {
			opts = append(opts, asciigraph.AxisColor(c.St.graphAxis), asciigraph.LabelColor(c.St.graphAxis))
		}
	}
	if axis {
		ticks := max(2, min(6, plotW/(len(layout)+4)))
		opts = append(opts,
			asciigraph.XAxisRange(float64(start.Unix()), float64(end.Unix())),
			asciigraph.XAxisTickCount(ticks),
			asciigraph.XAxisValueFormatter(func(v float64) string {
				return time.Unix(int64(math.Round(v)), 0).Format(layout)
			}))
	}
	out := asciigraph.PlotMany(data, opts...)
	if c.Glyph.ascii {
		out = asciiBox.Replace(out)
	}
	lines = strings.Split(out, "\n")
	rows := len(lines)
	if axis {
		rows -= 2
	}
	thinLabels(lines[:max(0, rows)], yLabelWidth+1)
	return lines, nil
}

// maxYLabels is about how many values the y axis is labelled with, however tall the chart.
const maxYLabels = 6

// thinLabels blanks the y-axis labels (the first lw cells) of all plot rows but about maxYLabels evenly spaced
// ones, the top and the bottom row among them.
func thinLabels(rows []string, lw int) {
	n := len(rows)
	if n <= maxYLabels {
		return
	}
	step := (n - 1 + maxYLabels - 2) / (maxYLabels - 1) // ceil((n-1)/(maxYLabels-1))
	blank := strings.Repeat(" ", lw)
	for i := range rows {
		if i%step == 0 || i == n-1 {
			continue
		}
		rows[i] = blank + ansi.Cut(rows[i], lw, ansi.StringWidth(rows[i]))
	}
}

// appendWrapped appends text painted with p, wrapped at w cells, up to the line count max; a text longer than
// that ends with an ellipsis.
func appendWrapped(lines []string, p paint, text string, w, limit int) []string {
	for _, l := range strings.Split(ansi.Wrap(text, max(1, w), " "), "\n") {
		if len(lines) >= limit {
			break
		}
		lines = append(lines, p.str(l))
	}
	return lines
}

// legend is one line: a coloured mark and name per series.
func legend(c *Common, series []ChartSeries, w int) string {
	mark := "■"
	if c.Glyph.ascii {
		mark = "#"
	}
	var b strings.Builder
	used := 0
	for i, s := range series {
		name := sanitize(s.Name)
		need := 2 + textWidth(name)
		if i > 0 {
			need += 2
		}
		if used+need > w {
			if used+1 < w {
				b.WriteString(" " + c.Glyph.ellipsis)
			}
			break
		}
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(c.St.seriesPaint(i).str(mark))
		b.WriteString(" ")
		b.WriteString(c.St.text.str(name))
		used += need
	}
	return b.String()
}

// block pads or cuts styled lines to exactly h lines of exactly w cells.
func block(lines []string, w, h int) string {
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		b.WriteString(fitStyled(l, w))
	}
	return b.String()
}

// fitStyled cuts or pads a styled line to exactly w cells.
func fitStyled(l string, w int) string {
	lw := ansi.StringWidth(l)
	if lw > w {
		styled := strings.IndexByte(l, 0x1b) >= 0
		cut := w
		l0 := l
		for l = ansi.Truncate(l0, cut, ""); ansi.StringWidth(l) > w && cut > 0; l = ansi.Truncate(l0, cut, "") {
			cut-- // Truncate and StringWidth may disagree on a grapheme
		}
		lw = ansi.StringWidth(l)
		if styled {
			l += "\x1b[m" // a cut may have dropped the reset
		}
	}
	if lw < w {
		l += strings.Repeat(" ", w-lw)
	}
	return l
}
