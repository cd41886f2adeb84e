// Package textsafe escapes text from the network (URLs, keys, host names) before it reaches a terminal or a
// JSON line: one definition of what is unsafe, shared by the dashboard and `fleettop decode`.
package textsafe

import (
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Unsafe reports whether r is escaped: control characters (C0, DEL, C1: they could move the cursor or rewrite
// the terminal), invisible format characters (bidi overrides and isolates, zero-width space and non-joiner,
// BOM, ...; some glue onto the next cell and make widths disagree) other than the zero-width joiner of emoji
// sequences, and utf8.RuneError, which stands for invalid UTF-8.
func Unsafe(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) || (r != 0x200d && unicode.Is(unicode.Cf, r)) ||
		r >= 0x600 && gluesForward(r)
}

// gluesForward reports whether r joins what follows it into one grapheme (Grapheme_Cluster_Break=Prepend, such
// as TULU-TIGALARI REPHA U+113D1): a space padding the cell after it would vanish into it for the layout, which
// counts graphemes, but not for a terminal, which counts runes. No such rune comes before U+0600. The test is
// the layout's own measure, so it follows the Unicode version the layout knows.
func gluesForward(r rune) bool {
	var b [utf8.UTFMax + 1]byte
	n := utf8.EncodeRune(b[:], r)
	b[n] = ' '
	return ansi.StringWidth(string(b[:n+1])) != ansi.StringWidth(string(b[:n]))+1
}

// Clean reports whether s has no unsafe rune (and is valid UTF-8).
func Clean(s string) bool {
	for _, r := range s {
		if Unsafe(r) {
			return false
		}
	}
	return true
}

// Writer is what the escapers write to: a bufio.Writer, a strings.Builder, a bytes.Buffer.
type Writer interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

const hexDigits = "0123456789abcdef"

// WriteText writes s with every byte of an unsafe rune (and every byte of invalid UTF-8) as \xNN. With
// backslash set a backslash is written as \\, so that the escaped text of two different strings always
// differs (`a\x1b` the text and "a" ESC the bytes print apart).
func WriteText(w Writer, s []byte, backslash bool) {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && c >= 0x20 && c != 0x7f && (c != '\\' || !backslash) {
			i++
			continue
		}
		n := 1
		if c >= utf8.RuneSelf {
			var r rune
			r, n = utf8.DecodeRune(s[i:])
			if !Unsafe(r) {
				i += n
				continue
			}
		}
		w.Write(s[start:i])
		if c == '\\' {
			w.WriteString(`\\`)
		} else {
			for _, b := range s[i : i+n] {
				w.WriteString(`\x`)
				w.WriteByte(hexDigits[b>>4])
				w.WriteByte(hexDigits[b&15])
			}
		}
		i += n
		start = i
	}
	w.Write(s[start:])
}

// WriteJSON writes s as the inside of a JSON string: quotes and backslashes escaped, \n \r \t as such, every
// other unsafe rune as \uXXXX (a surrogate pair above U+FFFF), invalid UTF-8 as \ufffd (as encoding/json does).
// The output is valid JSON and shows no control or invisible character when printed.
func WriteJSON(w Writer, s []byte) {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && c >= 0x20 && c != 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		r, n := rune(c), 1
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(s[i:])
			if !Unsafe(r) {
				i += n
				continue
			}
		}
		w.Write(s[start:i])
		switch {
		case c == '"' || c == '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case c == '\n':
			w.WriteString(`\n`)
		case c == '\r':
			w.WriteString(`\r`)
		case c == '\t':
			w.WriteString(`\t`)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			writeU(w, r1)
			writeU(w, r2)
		default:
			writeU(w, r) // utf8.RuneError for invalid UTF-8 too
		}
		i += n
		start = i
	}
	w.Write(s[start:])
}

func writeU(w Writer, r rune) {
	w.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		w.WriteByte(hexDigits[r>>shift&15])
	}
}
