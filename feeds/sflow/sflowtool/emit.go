package sflowtool

import (
	"bufio"
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/fleettop/fleettop/internal/textsafe"
)

// emitter writes sflowtool's fields in one of its two shapes: "key value" lines (text) or string members of
// nested JSON objects. The record walk calls the same methods for both, so the two outputs cannot drift apart.
// It writes straight into the bufio.Writer; nothing is allocated per field.
type emitter struct {
	w    *bufio.Writer
	json bool
	// listStart is sflowtool's jsonListStart: the next JSON member or element opens its object or array, so no
	// comma goes before it.
	listStart bool
	prefix    [4]string // sflowtool's field prefixes ("discarded_", "tunnel_ipv4_in_", "adaptor_0_", ...)
	nprefix   int
	num       [64]byte // scratch for formatting one value
	// flow is what sflowtool's line outputs read from a sample, set as its fields are printed (lines.go).
	flow flowFields
	// tap, when set, takes every field instead of the output (the -L line, lines.go).
	tap *fieldTap
}

func (e *emitter) pushPrefix(p string) {
	if e.nprefix < len(e.prefix) {
		e.prefix[e.nprefix] = p
	}
	e.nprefix++
}

func (e *emitter) popPrefix() {
	if e.nprefix > 0 {
		e.nprefix--
	}
}

func (e *emitter) writePrefix() {
	for i := 0; i < e.nprefix && i < len(e.prefix); i++ {
		e.w.WriteString(e.prefix[i])
	}
}

// begin writes everything of a field before its value.
func (e *emitter) begin(key string) {
	if e.tap != nil {
		e.tap.begin(e, key)
		return
	}
	if e.json {
		if !e.listStart {
			e.w.WriteByte(',')
		}
		e.listStart = false
		e.w.WriteByte('"')
		e.writePrefix()
		e.w.WriteString(key)
		e.w.WriteString(`":"`)
		return
	}
	e.writePrefix()
	e.w.WriteString(key)
	e.w.WriteByte(' ')
}

// finish writes everything of a field after its value.
func (e *emitter) finish() {
	if e.tap != nil {
		e.tap.finish(e)
		return
	}
	if e.json {
		e.w.WriteByte('"')
		return
	}
	e.w.WriteByte('\n')
}

// str writes a field whose value fleettop formatted itself (no escaping needed).
func (e *emitter) str(key, v string) {
	e.begin(key)
	e.w.WriteString(v)
	e.finish()
}

// raw writes a field whose value fleettop formatted itself into a byte slice.
func (e *emitter) raw(key string, v []byte) {
	e.begin(key)
	e.w.Write(v)
	e.finish()
}

func (e *emitter) u32(key string, v uint32) { e.raw(key, strconv.AppendUint(e.num[:0], uint64(v), 10)) }
func (e *emitter) u64(key string, v uint64) { e.raw(key, strconv.AppendUint(e.num[:0], v, 10)) }
func (e *emitter) i64(key string, v int64)  { e.raw(key, strconv.AppendInt(e.num[:0], v, 10)) }

// wire writes a field whose value is a string from the datagram, escaped for the output shape as the dashboard
// escapes it (textsafe): in text, every byte of a control or invisible character or of invalid UTF-8 as \xNN and
// the backslash as \\, so a string can never start a line of its own, rewrite the terminal, or print like
// another; in JSON, the same characters as \uXXXX.
func (e *emitter) wire(key string, v []byte) {
	e.begin(key)
	if e.json {
		textsafe.WriteJSON(e.w, v)
	} else {
		textsafe.WriteText(e.w, v, true)
	}
	e.finish()
}

func (e *emitter) addr(key string, a netip.Addr) { e.raw(key, appendAddr(e.num[:0], a)) }
func (e *emitter) mac(key string, m []byte)      { e.raw(key, appendMAC(e.num[:0], m)) }

// float3 is sflowtool's "%.3f" of a float (load averages).
func (e *emitter) float3(key string, v float32) {
	e.raw(key, strconv.AppendFloat(e.num[:0], float64(v), 'f', 3, 64))
}

// percentage is sflowtool's sf_log_percentage: hundredths of a percent as "%.2f" of a float32, "unknown" for -1.
func (e *emitter) percentage(key string, hundredths uint32) {
	if hundredths == math.MaxUint32 {
		e.str(key, "unknown")
		return
	}
	pct := float32(hundredths) / float32(100)
	e.raw(key, strconv.AppendFloat(e.num[:0], float64(pct), 'f', 2, 64))
}

// tag writes "enterprise:format".
func (e *emitter) tag(key string, enterprise, format uint32) {
	b := strconv.AppendUint(e.num[:0], uint64(enterprise), 10)
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(format), 10)
	e.raw(key, b)
}

// timestamp writes sflowtool's ISO 8601 local time ("%Y-%m-%dT%H:%M:%S%z").
func (e *emitter) timestamp(key string, t time.Time, loc *time.Location) {
	e.raw(key, t.In(loc).AppendFormat(e.num[:0], "2006-01-02T15:04:05-0700"))
}

// textLine writes a line that only the text shape has ("startSample ---", "skipping unknown ...").
func (e *emitter) textLine(s string) {
	if !e.json {
		e.w.WriteString(s)
		e.w.WriteByte('\n')
	}
}

// open starts a JSON object or array, named when name is not empty (sflowtool's json_start).
func (e *emitter) open(name string, bracket byte) {
	if !e.json {
		return
	}
	if !e.listStart {
		e.w.WriteByte(',')
	}
	if name != "" {
		e.w.WriteByte('"')
		e.w.WriteString(name)
		e.w.WriteString(`":`)
	}
	e.w.WriteByte(bracket)
	e.listStart = true
}

// close ends a JSON object or array (sflowtool's json_end).
func (e *emitter) close(bracket byte) {
	if !e.json {
		return
	}
	e.w.WriteByte(bracket)
	e.listStart = false
}

// ---------------------------------------------------------------- value formats

const hexLower = "0123456789abcdef"
const hexUpper = "0123456789ABCDEF"

// appendAddr formats an address the way sflowtool does: dotted IPv4, IPv6 as eight uncompressed groups of four
// lower-case hex digits, "-" when there is none.
func appendAddr(b []byte, a netip.Addr) []byte {
	switch {
	case a.Is4():
		v := a.As4()
		for i, x := range v {
			if i > 0 {
				b = append(b, '.')
			}
			b = strconv.AppendUint(b, uint64(x), 10)
		}
	case a.Is6():
		v := a.As16()
		for i := 0; i < 16; i += 2 {
			if i > 0 {
				b = append(b, ':')
			}
			b = append(b, hexLower[v[i]>>4], hexLower[v[i]&15], hexLower[v[i+1]>>4], hexLower[v[i+1]&15])
		}
	default:
		b = append(b, '-')
	}
	return b
}

// appendMAC formats the first six bytes of m as twelve lower-case hex digits.
func appendMAC(b []byte, m []byte) []byte {
	for i := 0; i < 6 && i < len(m); i++ {
		b = append(b, hexLower[m[i]>>4], hexLower[m[i]&15])
	}
	return b
}

// appendHexDash formats bytes as hex pairs, in the given digits (hexUpper or hexLower), separated by '-'.
func appendHexDash(b []byte, p []byte, digits string) []byte {
	for i, x := range p {
		if i > 0 {
			b = append(b, '-')
		}
		b = append(b, digits[x>>4], digits[x&15])
	}
	return b
}

// appendUUID formats 16 bytes as lower-case 8-4-4-4-12.
func appendUUID(b []byte, u []byte) []byte {
	for i := 0; i < 16 && i < len(u); i++ {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexLower[u[i]>>4], hexLower[u[i]&15])
	}
	return b
}

// appendURLEncoded is what sflowtool's URLEncode means to do for memcache keys: letters and digits as they are,
// white space as '+', every other byte as %XX. (sflowtool's own output swaps the two hex digits on little-endian
// hosts; see DIFFERENCES.md.)
func appendURLEncoded(b []byte, s []byte) []byte {
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b = append(b, c)
		case c == ' ', c >= '\t' && c <= '\r':
			b = append(b, '+')
		default:
			b = append(b, '%', hexUpper[c>>4], hexUpper[c&15])
		}
	}
	return b
}
