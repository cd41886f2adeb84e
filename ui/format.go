package ui

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/fleettop/fleettop/internal/textsafe"
)

const noValue = "-"

// si formats v with an SI suffix in at most about five cells: 0, 12.3, 456, 1.2k, 34.5M.
func si(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return noValue
	}
	neg := v < 0
	if neg {
		v = -v
	}
	var s string
	switch {
	case v == 0:
		s = "0"
	case v < 10:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		s = strconv.FormatFloat(v, 'f', 1, 64)
	case v < 1000:
		s = strconv.FormatFloat(v, 'f', 0, 64)
	default:
		const suffixes = "kMGTPE"
		i := -1
		for v >= 1000 && i < len(suffixes)-1 {
			v /= 1000
			i++
		}
		prec := 1
		if v >= 100 {
			prec = 0
		}
		s = strconv.FormatFloat(v, 'f', prec, 64) + suffixes[i:i+1]
	}
	if neg {
		return "-" + s
	}
	return s
}

// bytesRate formats bytes/s with a binary-free SI unit: "12.3MB/s" is too wide for a column, so "12.3M".
func bytesRate(v float64) string { return si(v) }

// pct formats a percentage (already 0..100).
func pct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return noValue
	}
	if v != 0 && math.Abs(v) < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + "%"
}

// share formats a fraction (0..1) as a percentage.
func share(f float64) string { return pct(f * 100) }

// ms formats a duration in milliseconds.
func ms(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return noValue
	}
	if v < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64) + "ms"
	}
	if v < 10000 {
		return strconv.FormatFloat(v, 'f', 0, 64) + "ms"
	}
	return strconv.FormatFloat(v/1000, 'f', 0, 64) + "s"
}

// isPlainASCII reports whether every byte of s is printable ASCII, so that its width is its length.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// textWidth is the cell width of plain (unstyled) text.
func textWidth(s string) int {
	if isPlainASCII(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// sanitize makes text from the network or a config file safe to print: every byte of an unsafe rune
// (textsafe.Unsafe) becomes \xNN. Clean text is returned as is, without allocating.
func sanitize(s string) string {
	if textsafe.Clean(s) {
		return s
	}
	var b strings.Builder
	textsafe.WriteText(&b, []byte(s), false)
	return b.String()
}

// appendFit appends plain text s fitted to exactly w cells: truncated with an ellipsis, padded with spaces,
// right-aligned when right is set.
func appendFit(b []byte, s string, w int, right bool, ell string) []byte {
	if w <= 0 {
		return b
	}
	sw := textWidth(s)
	if sw > w {
		if isPlainASCII(s) && len(ell) == 1 {
			b = append(b, s[:w-1]...)
			return append(b, ell...)
		}
		t := truncate(s, w, ell)
		b = append(b, t...)
		return appendSpaces(b, w-ansi.StringWidth(t))
	}
	if right {
		b = appendSpaces(b, w-sw)
		return append(b, s...)
	}
	b = append(b, s...)
	return appendSpaces(b, w-sw)
}

// fit returns plain text s fitted to exactly w cells.
func fit(s string, w int, right bool, ell string) string {
	if textWidth(s) == w {
		return s
	}
	return string(appendFit(nil, s, w, right, ell))
}

// truncate cuts plain text s to at most w cells, without padding.
func truncate(s string, w int, ell string) string {
	if textWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	// Truncate and StringWidth can disagree on a grapheme (a variation selector widening its base): cut until
	// the measured width fits.
	for cut := w; cut > 0; cut-- {
		if t := ansi.Truncate(s, cut, ell); ansi.StringWidth(t) <= w {
			return t
		}
	}
	return ""
}

const spaces = "                                                                                                    "

func appendSpaces(b []byte, n int) []byte {
	for n > 0 {
		k := min(n, len(spaces))
		b = append(b, spaces[:k]...)
		n -= k
	}
	return b
}

func appendRepeat(b []byte, s string, n int) []byte {
	for range n {
		b = append(b, s...)
	}
	return b
}

// appendSpark appends a sparkline of pts in w cells: a point a cell when they fit (fewer are right-aligned), else
// the whole history in runs of points (sparkCell); NaN is a gap. The points before the first value are left
// out, so a young fleet's sparkline spans what it has (a point a cell) rather than one cell of 15 minutes.
// The scale runs from min(0, lowest) to the highest point shown, so a flat non-zero line still reads as "some".
func appendSpark(b []byte, pts []float64, w int, g *glyphs) []byte {
	if w <= 0 {
		return b
	}
	for len(pts) > 0 && (math.IsNaN(pts[0]) || math.IsInf(pts[0], 0)) {
		pts = pts[1:]
	}
	n := min(len(pts), w)
	lo, hi := 0.0, math.Inf(-1)
	for i := range n {
		v := sparkCell(pts, n, i)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo = min(lo, v)
		hi = max(hi, v)
	}
	b = appendRepeat(b, g.gap, w-n)
	top := len(g.spark) - 1
	for i := range n {
		v := sparkCell(pts, n, i)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, g.gap...)
			continue
		}
		lvl := 0
		if hi > lo {
			lvl = int((v-lo)/(hi-lo)*float64(top) + 0.5)
		} else if hi > 0 {
			lvl = top / 2
		}
		lvl = max(0, min(top, lvl))
		b = append(b, g.spark[lvl]...)
	}
	return b
}
