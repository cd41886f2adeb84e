// Package textsafe escapes text from the network (URLs, keys, host names) before it reaches a terminal or a
// JSON line: one definition of what is unsafe, shared by the dashboard and `fleettop decode`.
package textsafe

import (
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Unsafe reports whether r is escaped: control characters (C0, DEL, C1: they could move the cursor or rewrite
// the terminal), invisible format characters (bidi overrides and isolates, zero-width space and non-joiner,
// BOM, ...; some glue onto the next cell and make widths disagree) other than the zero-width joiner of emoji
// sequences, and utf8.RuneError, which stands for invalid UTF-8.
func Unsafe(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) || (r != 0x200d && unicode.Is(unicode.Cf, r)) ||
		r >= 0xd4e && unicode.Is(prepend, r)
}

// prepend is Unicode's Grapheme_Cluster_Break=Prepend as the layout knows it, less the Cf runes escaped anyway: a
// rune that joins whatever follows it into one grapheme, such as TULU-TIGALARI REPHA U+113D1. A space padding the cell after it vanishes into
// it for the layout, which counts graphemes, but not for a terminal, which counts runes, so the cell comes out
// one short. TestPrependMatchesLayout checks the table against the layout's own measure.
var prepend = &unicode.RangeTable{
	R16: []unicode.Range16{{Lo: 0x0d4e, Hi: 0x0d4e, Stride: 1}},
	R32: []unicode.Range32{
		{Lo: 0x111c2, Hi: 0x111c3, Stride: 1}, {Lo: 0x113d1, Hi: 0x113d1, Stride: 1},
		{Lo: 0x1193f, Hi: 0x1193f, Stride: 1}, {Lo: 0x11941, Hi: 0x11941, Stride: 1},
		{Lo: 0x11a84, Hi: 0x11a89, Stride: 1},
		{Lo: 0x11d46, Hi: 0x11d46, Stride: 1}, {Lo: 0x11f02, Hi: 0x11f02, Stride: 1},
	},
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
