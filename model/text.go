package model

import (
	"unicode"
	"unicode/utf8"
)

// printable returns b as text a terminal can show: valid printable UTF-8 is kept, every other byte becomes
// \xNN (and a backslash \\, so the escaping cannot be forged).
func printable(b []byte) string {
	clean := true
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == '\\' || (r == utf8.RuneError && n <= 1) || !unicode.IsPrint(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return string(b)
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == '\\':
			out = append(out, '\\', '\\')
		case (r == utf8.RuneError && n <= 1) || !unicode.IsPrint(r):
			for _, c := range b[i : i+n] {
				out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
			}
		default:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return string(out)
}
