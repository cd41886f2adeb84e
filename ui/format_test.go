package ui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestSI(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {1.234, "1.23"}, {12.34, "12.3"}, {999, "999"}, {1000, "1.0k"}, {1234, "1.2k"}, {123456, "123k"},
		{2.5e6, "2.5M"}, {3e9, "3.0G"}, {-1500, "-1.5k"}, {math.NaN(), "-"}, {math.Inf(1), "-"},
	}
	for _, c := range cases {
		if got := si(c.v); got != c.want {
			t.Errorf("si(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	if got := pct(0.5); got != "0.5%" {
		t.Errorf("pct(0.5) = %q", got)
	}
	if got := pct(math.NaN()); got != "-" {
		t.Errorf("pct(NaN) = %q", got)
	}
	if got := ms(12345); got != "12s" {
		t.Errorf("ms(12345) = %q", got)
	}
}

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"plain":           "plain",
		"ünïcode":         "ünïcode",
		"a\x1b[31mred":    `a\x1b[31mred`,
		"tab\there":       `tab\x09here`,
		"bad\xffbyte":     `bad\xffbyte`,
		"c1\u009bcontrol": `c1\xc2\x9bcontrol`,
	}
	for in, want := range cases {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAppendFit(t *testing.T) {
	cases := []struct {
		s     string
		w     int
		right bool
		want  string
	}{
		{"abc", 5, false, "abc  "}, {"abc", 5, true, "  abc"}, {"abcdef", 4, false, "abc…"}, {"日本語テキスト", 5, false, "日本…"},
	}
	for _, c := range cases {
		got := string(appendFit(nil, c.s, c.w, c.right, "…"))
		if got != c.want {
			t.Errorf("fit(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
		}
		if ansi.StringWidth(got) != c.w {
			t.Errorf("fit(%q, %d) is %d wide", c.s, c.w, ansi.StringWidth(got))
		}
	}
}

func TestSparkline(t *testing.T) {
	g := &unicodeGlyphs
	got := string(appendSpark(nil, []float64{0, 1, 2, 3, 4, 5, 6, 7}, 8, g))
	if got != "▁▂▃▄▅▆▇█" {
		t.Errorf("ramp = %q", got)
	}
	got = string(appendSpark(nil, []float64{1, math.NaN(), 1}, 5, g))
	if got != "  █ █" { // a flat non-zero line reads as full, on a scale from 0
		t.Errorf("short series with a gap = %q", got)
	}
	got = string(appendSpark(nil, []float64{0, 7}, 2, &asciiGlyphs))
	if got != "_#" || strings.ContainsFunc(got, func(r rune) bool { return r > 127 }) {
		t.Errorf("ascii = %q", got)
	}
	if got := string(appendSpark(nil, nil, 3, g)); got != "   " {
		t.Errorf("no points = %q", got)
	}
}

// FuzzCellText feeds arbitrary bytes (as URLs and memcache keys arrive from the network) through the cell path:
// the result is exactly the cell width and carries no control character to the terminal.
func FuzzCellText(f *testing.F) {
	f.Add("plain", 8)
	f.Add("a\x1b[31mred\x07", 5)
	f.Add("日本語テキスト", 3)
	f.Add("\xff\xfe\u009b", 1)
	f.Add("e\u0301\u200d👍🏽", 4)
	f.Fuzz(func(t *testing.T, s string, w int) {
		w = w%200 + 1
		if w < 1 {
			w = -w + 1
		}
		clean := sanitize(s)
		for _, r := range clean {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("control %U left in %q", r, clean)
			}
		}
		got := string(appendFit(nil, clean, w, false, "…"))
		if gw := ansi.StringWidth(got); gw != w && !(gw == w-1 && textWidth(clean) > w) {
			t.Fatalf("fit(%q, %d) is %d wide: %q", clean, w, gw, got)
		}
	})
}
