package graphite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// WebOptions tune a Web client; zero fields take the defaults shown.
type WebOptions struct {
	Timeout      time.Duration // 10s for a whole request, body included
	MaxBodyBytes int64         // 64 MiB: a larger answer is refused rather than held in memory
	Transport    http.RoundTripper
}

// WebHealth is a Web client's state for the status line.
type WebHealth struct {
	URL          string
	OK           bool // the latest request succeeded
	LastError    error
	LastErrorAt  time.Time
	LastSuccess  time.Time
	LastDuration time.Duration
	Requests     uint64
	Failures     uint64
}

// Web reads from graphite-web: series through /render?format=json and metric names through /metrics/find.
// Every call is bounded by its context and by WebOptions.Timeout, so a dead or slow server costs at most the
// timeout. Safe for concurrent use.
type Web struct {
	base   *url.URL
	client *http.Client
	max    int64

	noFindJSON atomic.Bool // the server refused format=json on /metrics/find (graphite-web before 1.1)

	mu     sync.Mutex
	health WebHealth
}

// NewWeb returns a client for the graphite-web at baseURL (e.g. "http://127.0.0.1:8080"; a path prefix is kept).
func NewWeb(baseURL string, opt WebOptions) (*Web, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("graphite-web URL %q: %w", baseURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("graphite-web URL %q: want http(s)://host[:port][/prefix]", baseURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 64 << 20
	}
	return &Web{
		base:   u,
		client: &http.Client{Timeout: opt.Timeout, Transport: opt.Transport},
		max:    opt.MaxBodyBytes,
		health: WebHealth{URL: u.String()},
	}, nil
}

// Health returns a copy of the client's state.
func (w *Web) Health() WebHealth {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.health
}

// maxGetURL is the longest render URL sent as GET; beyond it the targets go in a POST form, which graphite-web
// reads the same way, so long target lists do not hit server URL limits.
const maxGetURL = 4000

// Render fetches targets (render-API expressions) over [from, until] (graphite time syntax such as "-1h",
// "now" or epoch seconds; empty means graphite's default). maxDataPoints > 0 asks graphite-web to consolidate
// each series to at most that many points. Errors are *RequestError, *StatusError or *FormatError.
func (w *Web) Render(ctx context.Context, targets []string, from, until string, maxDataPoints int) ([]Series, error) {
	if len(targets) == 0 {
		return []Series{}, nil
	}
	q := url.Values{}
	for _, t := range targets {
		q.Add("target", t)
	}
	if from != "" {
		q.Set("from", from)
	}
	if until != "" {
		q.Set("until", until)
	}
	if maxDataPoints > 0 {
		q.Set("maxDataPoints", strconv.Itoa(maxDataPoints))
	}
	q.Set("format", "json")
	var series []Series
	err := w.do(ctx, "render", "/render", q, func(body []byte) error {
		var err error
		series, err = ParseRender(body)
		return err
	})
	return series, err
}

// Find lists the nodes matching query, a dotted path with wildcards (`*`, `?`, `[…]`, `{a,b}`); a completer asks
// for "prefix*". Errors are *RequestError, *StatusError or *FormatError.
func (w *Web) Find(ctx context.Context, query string) ([]Node, error) {
	q := url.Values{"query": {query}}
	var nodes []Node
	if !w.noFindJSON.Load() {
		q.Set("format", "json")
		err := w.do(ctx, "find", "/metrics/find", q, func(body []byte) error {
			var err error
			nodes, err = ParseFindJSON(body)
			return err
		})
		var se *StatusError
		if !errors.As(err, &se) || se.StatusCode != http.StatusBadRequest || !strings.Contains(se.Body, "format") {
			return nodes, err
		}
		// graphite-web before 1.1 answers 400 "Invalid value for 'format' parameter"
		w.noFindJSON.Store(true)
	}
	q.Set("format", "treejson")
	err := w.do(ctx, "find", "/metrics/find", q, func(body []byte) error {
		var err error
		nodes, err = ParseFindTreeJSON(body)
		return err
	})
	return nodes, err
}

// do runs one request and records its outcome in the health.
func (w *Web) do(ctx context.Context, op, path string, q url.Values, parse func([]byte) error) error {
	start := time.Now()
	u := *w.base
	u.Path += path
	shown := u.String() // errors name the endpoint, not the whole query
	u.RawQuery = q.Encode()
	err := w.fetch(ctx, op, &u, shown, parse)
	w.record(start, err)
	return err
}

func (w *Web) fetch(ctx context.Context, op string, u *url.URL, shown string, parse func([]byte) error) error {
	var req *http.Request
	var err error
	if full := u.String(); len(full) <= maxGetURL {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, full, nil)
	} else {
		form := u.RawQuery
		u.RawQuery = ""
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return &RequestError{Op: op, URL: shown, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := w.client.Do(req)
	if err != nil {
		// *url.Error repeats the method and the whole query, which shown already covers
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return &RequestError{Op: op, URL: shown, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, w.max+1))
	if err != nil {
		return &RequestError{Op: op, URL: shown, Err: fmt.Errorf("reading body: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Op: op, URL: shown, StatusCode: resp.StatusCode, Body: snippet(body)}
	}
	if int64(len(body)) > w.max {
		return &FormatError{Op: op, URL: shown, Offset: w.max, Err: fmt.Errorf("body larger than %d bytes", w.max)}
	}
	if err := parse(body); err != nil {
		var fe *FormatError
		if !errors.As(err, &fe) {
			fe = &FormatError{Offset: -1, Err: err}
		}
		fe.Op, fe.URL = op, shown
		return fe
	}
	return nil
}

func (w *Web) record(start time.Time, err error) {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.health.Requests++
	w.health.LastDuration = now.Sub(start)
	if err != nil {
		w.health.OK = false
		w.health.Failures++
		w.health.LastError = err
		w.health.LastErrorAt = now
		return
	}
	w.health.OK = true
	w.health.LastSuccess = now
}
