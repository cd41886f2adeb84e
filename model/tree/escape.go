package tree

import (
	"fmt"
	"strings"
)

// The element escape. Letters, digits and '-' stand for themselves, '.' is written "__", and every other
// byte b is "_" followed by two upper-case hex digits ("_5F" is '_', "_2F" is '/'). The empty string is "_".
// After an '_' comes exactly one token, '_' or two hex digits, so decoding is unambiguous; Unescape accepts
// only what Escape writes, so each element names exactly one string.

const hexDigits = "0123456789ABCDEF"

// plain reports whether b stands for itself in an escaped element.
func plain(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-'
}

// Escape turns any string (a host name, an address, a URL path, a memcache key) into one Graphite path
// element made of [A-Za-z0-9_-], reversibly: Unescape(Escape(s)) == s.
func Escape(s string) string {
	if s != "" && isPlain(s) {
		return s
	}
	return string(AppendEscape(make([]byte, 0, len(s)+8), s))
}

// AppendEscape appends Escape(s) to dst.
func AppendEscape[S ~string | ~[]byte](dst []byte, s S) []byte {
	if len(s) == 0 {
		return append(dst, '_')
	}
	return appendEscaped(dst, s)
}

// appendEscaped escapes byte by byte, without the empty-string rule, so pieces of one element can be written
// one after another.
func appendEscaped[S ~string | ~[]byte](dst []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case plain(b):
			dst = append(dst, b)
		case b == '.':
			dst = append(dst, '_', '_')
		default:
			dst = append(dst, '_', hexDigits[b>>4], hexDigits[b&0xf])
		}
	}
	return dst
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plain(s[i]) {
			return false
		}
	}
	return true
}

// unhex is the value of an upper-case hex digit, or -1.
func unhex(b byte) int {
	switch {
	case '0' <= b && b <= '9':
		return int(b - '0')
	case 'A' <= b && b <= 'F':
		return int(b-'A') + 10
	}
	return -1
}

// Unescape reverses Escape. It rejects anything Escape would not have written: bytes outside [A-Za-z0-9_-],
// a cut-short or lower-case escape, and an escape of a byte that has a shorter form ("_41" for 'A', "_2E"
// for '.').
func Unescape(e string) (string, error) {
	if e == "_" {
		return "", nil
	}
	if e == "" {
		return "", fmt.Errorf("unescape %q: empty element", e)
	}
	if isPlain(e) {
		return e, nil
	}
	var b strings.Builder
	b.Grow(len(e))
	for i := 0; i < len(e); i++ {
		c := e[i]
		if plain(c) {
			b.WriteByte(c)
			continue
		}
		if c != '_' {
			return "", fmt.Errorf("unescape %q: byte %#02x at %d is not allowed in an element", e, c, i)
		}
		if i+1 < len(e) && e[i+1] == '_' {
			b.WriteByte('.')
			i++
			continue
		}
		if i+2 >= len(e) {
			return "", fmt.Errorf("unescape %q: escape at %d is cut short", e, i)
		}
		hi, lo := unhex(e[i+1]), unhex(e[i+2])
		if hi < 0 || lo < 0 {
			return "", fmt.Errorf("unescape %q: escape at %d is not '_' and two upper-case hex digits", e, i)
		}
		v := byte(hi<<4 | lo)
		if plain(v) || v == '.' {
			return "", fmt.Errorf("unescape %q: escape at %d stands for %q, which is written without one", e, i, v)
		}
		b.WriteByte(v)
		i += 2
	}
	return b.String(), nil
}
