package graphite

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"unicode/utf8"
)

// RequestError means no usable answer arrived from graphite-web: the connection was refused or broke, the
// request timed out or its context was cancelled.
type RequestError struct {
	Op  string // "render" or "find"
	URL string
	Err error
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("graphite %s %s: %v", e.Op, e.URL, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

// Timeout reports whether the request ran out of time (client timeout or context deadline).
func (e *RequestError) Timeout() bool {
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// StatusError means graphite-web answered with an HTTP status other than 200.
type StatusError struct {
	Op         string
	URL        string
	StatusCode int
	Body       string // the start of the body, made printable, for the message shown to the user
}

func (e *StatusError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("graphite %s %s: HTTP %d", e.Op, e.URL, e.StatusCode)
	}
	return fmt.Sprintf("graphite %s %s: HTTP %d: %s", e.Op, e.URL, e.StatusCode, e.Body)
}

// FormatError means a response body is not what the API promises: bad JSON or the wrong shape. Offset is the
// byte offset in the body where the problem was found, or -1 when unknown.
type FormatError struct {
	Op     string // empty when returned by a Parse function directly
	URL    string
	Offset int64
	Err    error
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("graphite")
	if e.Op != "" {
		fmt.Fprintf(&b, " %s %s", e.Op, e.URL)
	}
	b.WriteString(": bad response")
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at byte %d", e.Offset)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *FormatError) Unwrap() error { return e.Err }

// bodySnippetLen bounds how much of an error body is kept: enough for Django's one-line messages such as
// "Invalid parameters (Received request for unknown function: nosuchfunc)".
const bodySnippetLen = 256

// snippet returns the start of an error body on one line with control characters replaced, so it can go into a
// status line or a log line without breaking it.
func snippet(body []byte) string {
	if len(body) > bodySnippetLen {
		body = body[:bodySnippetLen]
	}
	var b strings.Builder
	space := false
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		body = body[size:]
		switch {
		case r == utf8.RuneError && size <= 1:
			r = '?'
		case r == '\n' || r == '\r' || r == '\t' || r == ' ':
			space = true
			continue
		case r < 0x20 || r == 0x7f:
			r = '?'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
