package query

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Describe is a plain-text summary of a drawn window for `fleettop run` and the console: a header with the
// window's settings, then one line per series with its last value, minimum and maximum.
func Describe(w Window, drawn []Drawn) string {
	var b strings.Builder
	name := w.Name
	if name == "" {
		name = "(inline)"
	}
	from, until := w.From, w.Until
	if from == "" {
		from = DefaultFrom
	}
	if until == "" {
		until = DefaultUntil
	}
	fmt.Fprintf(&b, "window %s: from %s until %s", name, from, until)
	if w.Title != "" {
		fmt.Fprintf(&b, ", title %q", w.Title)
	}
	if w.Every > 0 {
		fmt.Fprintf(&b, ", every %s", w.Every)
	}
	width := 0
	for _, d := range drawn {
		for _, s := range d.Series {
			width = max(width, len(s.Name))
		}
	}
	for _, d := range drawn {
		switch {
		case d.Err != nil:
			fmt.Fprintf(&b, "\n  %s: error: %v", d.Target, d.Err)
		case len(d.Series) == 0:
			fmt.Fprintf(&b, "\n  %s: no series", d.Target)
		}
		for _, s := range d.Series {
			b.WriteString("\n  ")
			b.WriteString(SummarizeSeries(s, width))
		}
	}
	if len(drawn) == 0 {
		b.WriteString("\n  (no targets)")
	}
	return b.String()
}

// SummarizeSeries is one line: name padded to width, last, min, max, points and nulls, step.
func SummarizeSeries(s Series, width int) string {
	last, okLast := s.Last()
	lo, hi, ok := s.MinMax()
	nulls := len(s.Values) - countNonNull(s.Values)
	lastText, loText, hiText := "null", "null", "null"
	if okLast {
		lastText = formatValue(last)
	}
	if ok {
		loText, hiText = formatValue(lo), formatValue(hi)
	}
	return fmt.Sprintf("%-*s  last %-10s min %-10s max %-10s (%d points every %s, %d null)",
		width, s.Name, lastText, loText, hiText, len(s.Values), time.Duration(s.Step)*time.Second, nulls)
}

func formatValue(v float64) string {
	return strconv.FormatFloat(v, 'g', 6, 64)
}
