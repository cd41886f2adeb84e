package graphite

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Series is one series from graphite-web's /render: Values[i] is the value at Start + i*Step (Unix seconds),
// NaN where Graphite has no data. Step is 0 when the series has fewer than two points.
type Series struct {
	Name   string            // the "target" graphite-web answered with: the path, an alias or the function call
	Tags   map[string]string // graphite-web 1.1+: "name" and any series tags
	Start  int64
	Step   int64
	Values []float64
}

// End is the timestamp just past the last value.
func (s Series) End() int64 {
	return s.Start + int64(len(s.Values))*s.Step
}

// renderSeriesJSON is one element of a format=json /render answer.
type renderSeriesJSON struct {
	Target     string              `json:"target"`
	Tags       map[string]tagValue `json:"tags"`
	Datapoints datapointsJSON      `json:"datapoints"`
}

// tagValue accepts any JSON scalar: graphite-web writes strings, other Graphite-compatible servers are looser.
type tagValue string

func (v *tagValue) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = tagValue(s)
		return nil
	}
	if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		return errors.New("tag value is not a scalar")
	}
	if string(b) == "null" {
		*v = ""
		return nil
	}
	*v = tagValue(b)
	return nil
}

// datapointsJSON decodes [[value|null, timestamp], ...] straight into values, checking that the timestamps are
// evenly spaced, without an allocation per point.
type datapointsJSON struct {
	values      []float64
	start, step int64
}

func (d *datapointsJSON) UnmarshalJSON(b []byte) error {
	p := pointScanner{b: b}
	if p.null() {
		*d = datapointsJSON{}
		return nil
	}
	if !p.consume('[') {
		return p.fail("datapoints is not an array")
	}
	// encoding/json hands over valid JSON, so '[' counts the pairs (plus the outer array) exactly when the
	// shape is right; a wrong shape fails below before the estimate matters.
	values := make([]float64, 0, max(bytes.Count(b, []byte{'['})-1, 0))
	var start, step int64
	if !p.consume(']') {
		for i := 0; ; i++ {
			v, ts, err := p.pair()
			if err != nil {
				return fmt.Errorf("datapoint %d: %w", i, err)
			}
			switch i {
			case 0:
				start = ts
			case 1:
				step = ts - start
				if step <= 0 {
					return fmt.Errorf("datapoint 1: timestamp %d not after %d", ts, start)
				}
			default:
				if want := start + int64(i)*step; ts != want {
					return fmt.Errorf("datapoint %d: timestamp %d, want %d (step %d)", i, ts, want, step)
				}
			}
			values = append(values, v)
			if p.consume(']') {
				break
			}
			if !p.consume(',') {
				return p.fail("want ',' or ']' after datapoint")
			}
		}
	}
	if !p.end() {
		return p.fail("trailing data after datapoints")
	}
	*d = datapointsJSON{values: values, start: start, step: step}
	return nil
}

// pointScanner reads the few JSON tokens a datapoint pair is made of.
type pointScanner struct {
	b   []byte
	off int
}

func (p *pointScanner) skipSpace() {
	for p.off < len(p.b) {
		switch p.b[p.off] {
		case ' ', '\t', '\n', '\r':
			p.off++
		default:
			return
		}
	}
}

func (p *pointScanner) consume(c byte) bool {
	p.skipSpace()
	if p.off < len(p.b) && p.b[p.off] == c {
		p.off++
		return true
	}
	return false
}

func (p *pointScanner) null() bool {
	p.skipSpace()
	if bytes.HasPrefix(p.b[p.off:], []byte("null")) {
		p.off += 4
		return true
	}
	return false
}

func (p *pointScanner) end() bool {
	p.skipSpace()
	return p.off == len(p.b)
}

func (p *pointScanner) fail(msg string) error {
	return fmt.Errorf("%s at datapoints byte %d", msg, p.off)
}

// number returns the JSON number at the cursor.
func (p *pointScanner) number() ([]byte, bool) {
	p.skipSpace()
	i := p.off
	for i < len(p.b) {
		c := p.b[i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			i++
			continue
		}
		break
	}
	if i == p.off {
		return nil, false
	}
	num := p.b[p.off:i]
	p.off = i
	return num, true
}

// pair reads [value|null, timestamp].
func (p *pointScanner) pair() (float64, int64, error) {
	if !p.consume('[') {
		return 0, 0, p.fail("want '[' starting a [value, timestamp] pair")
	}
	v := math.NaN()
	if !p.null() {
		num, ok := p.number()
		if !ok {
			return 0, 0, p.fail("value is neither a number nor null")
		}
		var err error
		if v, err = parseFloat(num); err != nil {
			return 0, 0, err
		}
	}
	if !p.consume(',') {
		return 0, 0, p.fail("want ',' after the value")
	}
	num, ok := p.number()
	if !ok {
		return 0, 0, p.fail("timestamp is not a number")
	}
	ts, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil {
		// a server may write 1.7e9 or 1795559590.0; whole seconds are all a step grid can hold
		f, ferr := parseFloat(num)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, 0, fmt.Errorf("timestamp %.40q is not whole seconds", num)
		}
		ts = int64(f)
	}
	if !p.consume(']') {
		return 0, 0, p.fail("want ']' closing the pair")
	}
	return v, ts, nil
}

// parseFloat parses a JSON number; graphite-web writes ±Infinity as ±1e9999, which strconv reports as a range
// error alongside the right infinity (and underflow alongside 0), so those are values, not errors.
func parseFloat(num []byte) (float64, error) {
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, nil
		}
		return 0, fmt.Errorf("bad number %.40q", num)
	}
	return f, nil
}

// ParseRender decodes a graphite-web /render?format=json body. Nulls become NaN; Start and Step come from the
// timestamps, which must be evenly spaced. Errors are *FormatError naming the series and the byte offset.
func ParseRender(body []byte) ([]Series, error) {
	// A Decoder walks the array one series at a time, so an error can say which series and where.
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &FormatError{Offset: 0, Err: errors.New("empty body")}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil {
		return nil, jsonFormatError(err)
	} else if tok != json.Delim('[') {
		return nil, &FormatError{Offset: 0, Err: fmt.Errorf("want a JSON array of series, found %v", tok)}
	}
	out := []Series{}
	for i := 0; dec.More(); i++ {
		start := dec.InputOffset()
		var r renderSeriesJSON
		if err := dec.Decode(&r); err != nil {
			fe := jsonFormatError(err)
			if fe.Offset < 0 {
				fe.Offset = start
			}
			fe.Err = fmt.Errorf("series %d: %w", i, fe.Err)
			return nil, fe
		}
		s := Series{Name: r.Target, Start: r.Datapoints.start, Step: r.Datapoints.step, Values: r.Datapoints.values}
		if s.Values == nil {
			s.Values = []float64{}
		}
		if len(r.Tags) > 0 {
			s.Tags = make(map[string]string, len(r.Tags))
			for k, v := range r.Tags {
				s.Tags[k] = string(v)
			}
		}
		out = append(out, s)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		fe := jsonFormatError(err)
		if fe.Offset < 0 {
			fe.Offset = dec.InputOffset()
		}
		return nil, fe
	}
	if tok, err := dec.Token(); err != io.EOF {
		return nil, &FormatError{Offset: dec.InputOffset(), Err: fmt.Errorf("data after the array: %v %v", tok, err)}
	}
	return out, nil
}

// jsonFormatError turns an encoding/json error into a *FormatError with the offset when json knows it.
func jsonFormatError(err error) *FormatError {
	fe := &FormatError{Offset: -1, Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		fe.Offset = se.Offset
	case errors.As(err, &te):
		fe.Offset = te.Offset
	}
	return fe
}
