package model

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// String names the state as the JSON output and the UI show it.
func (s HostState) String() string {
	switch s {
	case HostOK:
		return "ok"
	case HostStale:
		return "stale"
	case HostGone:
		return "gone"
	}
	return "HostState(" + strconv.Itoa(int(s)) + ")"
}

// WriteJSON writes the snapshot as indented JSON with a stable layout: fields in declaration order, map keys
// sorted, NaN and infinities as null, times in RFC 3339 UTC, durations as Go durations ("1m0s"), addresses as
// text, floats with 12 significant digits (so last-bit differences between platforms do not show). Host
// series are written ending at the snapshot's step (Aligned). The snapshot is written row by row as it is
// encoded, never whole in memory.
func (s *Snapshot) WriteJSON(w io.Writer) error { return s.WriteJSONContext(context.Background(), w) }

// WriteJSONContext is WriteJSON stopping, with ctx's error, between rows once ctx is done.
func (s *Snapshot) WriteJSONContext(ctx context.Context, w io.Writer) error {
	jw := jsonWriter{w: w}
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	jw.put("{")
	first := true
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Tag.Get("json") == "-" {
			continue
		}
		if !first {
			jw.put(",")
		}
		first = false
		jw.put("\n  ")
		jw.b = append(appendJSONString(jw.b[:0], sf.Name), ": "...)
		jw.flush()
		fv := v.Field(i)
		if fv.Kind() != reflect.Slice || fv.Len() == 0 {
			jw.value(fv, "  ")
			continue
		}
		jw.put("[")
		for j := range fv.Len() {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("snapshot json: %s row %d of %d: %w", sf.Name, j, fv.Len(), err)
			}
			if j > 0 {
				jw.put(",")
			}
			jw.put("\n    ")
			row := fv.Index(j)
			if h, ok := row.Interface().(*HostRow); ok && h != nil {
				c := *h
				c.Series = make([]NamedSeries, len(h.Series))
				for k := range h.Series {
					c.Series[k] = h.Series[k]
					c.Series[k].Points = s.Aligned(&h.Series[k])
				}
				row = reflect.ValueOf(&c)
			}
			jw.value(row, "    ")
		}
		jw.put("\n  ]")
	}
	jw.put("\n}\n")
	if jw.err != nil {
		return fmt.Errorf("snapshot json: %w", jw.err)
	}
	return nil
}

// jsonWriter writes indented JSON value by value, keeping the first error.
type jsonWriter struct {
	w      io.Writer
	b      []byte       // a value's compact encoding
	indent bytes.Buffer // and indented
	err    error
}

func (jw *jsonWriter) put(s string) {
	jw.b = append(jw.b[:0], s...)
	jw.flush()
}

func (jw *jsonWriter) flush() {
	if jw.err == nil {
		_, jw.err = jw.w.Write(jw.b)
	}
}

// value writes v indented as if it stood at prefix's depth of the whole document.
func (jw *jsonWriter) value(v reflect.Value, prefix string) {
	if jw.err != nil {
		return
	}
	b, err := appendJSON(jw.b[:0], v)
	if err != nil {
		jw.err = err
		return
	}
	jw.b = b
	jw.indent.Reset()
	if err := json.Indent(&jw.indent, b, prefix, "  "); err != nil {
		jw.err = err
		return
	}
	_, jw.err = jw.w.Write(jw.indent.Bytes())
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	addrType     = reflect.TypeFor[netip.Addr]()
	stringerType = reflect.TypeFor[fmt.Stringer]()
)

func appendJSON(b []byte, v reflect.Value) ([]byte, error) {
	switch v.Type() {
	case timeType:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return append(b, "null"...), nil
		}
		return appendJSONString(b, t.UTC().Format(time.RFC3339Nano)), nil
	case durationType:
		return appendJSONString(b, time.Duration(v.Int()).String()), nil
	case addrType:
		a := v.Interface().(netip.Addr)
		if !a.IsValid() {
			return append(b, "null"...), nil
		}
		return appendJSONString(b, a.String()), nil
	}
	switch v.Kind() {
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v.Type().Implements(stringerType) {
			return appendJSONString(b, v.Interface().(fmt.Stringer).String()), nil
		}
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return append(b, "null"...), nil
		}
		if f == 0 {
			return append(b, '0'), nil // no "-0"
		}
		return strconv.AppendFloat(b, f, 'g', 12, 64), nil
	case reflect.String:
		return appendJSONString(b, v.String()), nil
	case reflect.Slice, reflect.Array:
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSON(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("map with %s keys", v.Type().Key())
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, k), ':')
			var err error
			if b, err = appendJSON(b, v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key()))); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case reflect.Struct:
		b = append(b, '{')
		t := v.Type()
		first := true
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Tag.Get("json") == "-" {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(appendJSONString(b, sf.Name), ':')
			var err error
			if b, err = appendJSON(b, v.Field(i)); err != nil {
				return nil, fmt.Errorf("%s: %w", sf.Name, err)
			}
		}
		return append(b, '}'), nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendJSON(b, v.Elem())
	}
	return nil, fmt.Errorf("cannot write a %s", v.Type())
}

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
