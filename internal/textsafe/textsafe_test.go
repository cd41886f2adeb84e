package textsafe

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func text(s string, backslash bool) string {
	var b strings.Builder
	WriteText(&b, []byte(s), backslash)
	return b.String()
}

func jsonText(s string) string {
	var b strings.Builder
	WriteJSON(&b, []byte(s))
	return b.String()
}

// Every kind of character the dashboard hides is escaped, in text and in JSON.
func TestEscapes(t *testing.T) {
	cases := []struct{ in, text, json string }{
		{"plain/url?a=1", "plain/url?a=1", "plain/url?a=1"},
		{"ünïcode 日本", "ünïcode 日本", "ünïcode 日本"},
		{"esc\x1b[31m", `esc\x1b[31m`, `esc\u001b[31m`},
		{"nul\x00tab\t", `nul\x00tab\x09`, `nul\u0000tab\t`},
		{"del\x7f", `del\x7f`, `del\u007f`},
		{"c1\u009b", `c1\xc2\x9b`, `c1\u009b`},
		{"bidi\u202eevil", `bidi\xe2\x80\xaeevil`, `bidi\u202eevil`},
		{"iso\u2066x\u2069", `iso\xe2\x81\xa6x\xe2\x81\xa9`, `iso\u2066x\u2069`},
		{"zw\u200bsp\ufeff", `zw\xe2\x80\x8bsp\xef\xbb\xbf`, `zw\u200bsp\ufeff`},
		{"tag\U000E0041", `tag\xf3\xa0\x81\x81`, `tag\udb40\udc41`},
		{"emoji👍🏽\u200d", "emoji👍🏽\u200d", "emoji👍🏽\u200d"},
		{"repha\U000113d1 ", `repha\xf0\x91\x8f\x91 `, `repha\ud804\udfd1 `}, // glues onto the next rune (Prepend)
		{"ünïcode 日本 ﷽", "ünïcode 日本 ﷽", "ünïcode 日本 ﷽"},
		{"bad\xff\xfe", `bad\xff\xfe`, `bad\ufffd\ufffd`},
		{`back\slash "q"`, `back\\slash "q"`, `back\\slash \"q\"`},
	}
	for _, c := range cases {
		if got := text(c.in, true); got != c.text {
			t.Errorf("WriteText(%q) = %q, want %q", c.in, got, c.text)
		}
		if got := jsonText(c.in); got != c.json {
			t.Errorf("WriteJSON(%q) = %q, want %q", c.in, got, c.json)
		}
	}
	if got := text(`a\b`, false); got != `a\b` {
		t.Errorf("without backslash escaping: %q", got)
	}
}

// FuzzEscape: escaped text is clean, tells different inputs apart, and the JSON form is valid JSON that
// decodes to the input (invalid UTF-8 as U+FFFD).
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a\\x1b", "a\x1b", "\u202e", "\xff", `"\`, "\U000E0041", "x\u200dy"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := text(s, true)
		if !Clean(out) {
			t.Fatalf("WriteText(%q) = %q is not clean", s, out)
		}
		if back := unescapeText(t, out); back != s { // so two different strings never print the same
			t.Fatalf("WriteText(%q) = %q reads back as %q", s, out, back)
		}
		j := jsonText(s)
		if !Clean(j) {
			t.Fatalf("WriteJSON(%q) = %q is not clean", s, j)
		}
		var back string
		if err := json.Unmarshal([]byte(`"`+j+`"`), &back); err != nil {
			t.Fatalf("WriteJSON(%q) = %q is not JSON: %v", s, j, err)
		}
		if want := strings.ToValidUTF8(s, "\ufffd"); utf8.ValidString(s) && back != want {
			t.Fatalf("JSON %q decodes to %q, want %q", j, back, want)
		}
	})
}

// unescapeText undoes WriteText with backslash escaping: \\ and \xNN.
func unescapeText(t *testing.T, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case i+3 < len(s) && s[i+1] == 'x':
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				t.Fatalf("bad escape in %q: %v", s, err)
			}
			b.WriteByte(byte(v))
			i += 3
		default:
			t.Fatalf("lone backslash in %q", s)
		}
	}
	return b.String()
}

// Every rune the layout (ansi.StringWidth) joins with the space after it is escaped, and every rune of the
// prepend table does join: the table follows the Unicode version the layout knows.
func TestPrependMatchesLayout(t *testing.T) {
	glues := func(r rune) bool {
		s := string(r)
		return ansi.StringWidth(s+" ") != ansi.StringWidth(s)+1
	}
	for r := rune(0x80); r <= 0x2ffff; r++ {
		if glues(r) && !Unsafe(r) {
			t.Errorf("%U joins the next rune but is not escaped", r)
		}
		if unicode.Is(prepend, r) && !glues(r) {
			t.Errorf("%U is in the prepend table but does not join the next rune", r)
		}
	}
}
