package graphite

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func newTestWeb(t *testing.T, base string, opt WebOptions) *Web {
	t.Helper()
	w, err := NewWeb(base, opt)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWebRenderSendsQueryAndParses(t *testing.T) {
	var got url.Values
	var method string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method = r.Method
		if r.URL.Path != "/graphite/render" {
			http.NotFound(w, r)
			return
		}
		r.ParseForm()
		got = r.Form
		fmt.Fprint(w, `[{"target":"a.b","tags":{"name":"a.b"},"datapoints":[[1,60],[null,120],[3.5,180]]},
			{"target":"alias(c,'x')","datapoints":[]}]`)
	}))
	defer srv.Close()
	w := newTestWeb(t, srv.URL+"/graphite/", WebOptions{})
	series, err := w.Render(context.Background(), []string{"a.b", "alias(c,'x')"}, "-1h", "now", 300)
	if err != nil {
		t.Fatal(err)
	}
	if method != http.MethodGet {
		t.Errorf("method %s, want GET", method)
	}
	if tg := got["target"]; len(tg) != 2 || tg[0] != "a.b" || tg[1] != "alias(c,'x')" ||
		got.Get("from") != "-1h" || got.Get("until") != "now" || got.Get("maxDataPoints") != "300" ||
		got.Get("format") != "json" {
		t.Errorf("query %v", got)
	}
	if len(series) != 2 || series[0].Name != "a.b" || series[0].Start != 60 || series[0].Step != 60 ||
		!sameValues(series[0].Values, []float64{1, math.NaN(), 3.5}) || series[0].End() != 240 ||
		series[1].Name != "alias(c,'x')" {
		t.Errorf("series %+v", series)
	}
	if h := w.Health(); !h.OK || h.Requests != 1 || h.Failures != 0 || h.LastSuccess.IsZero() {
		t.Errorf("health %+v", h)
	}
	if f := w.FeedHealth(); !f.Configured || !f.OK || f.Succeeded != 1 || f.Failed != 0 || f.LastDuration <= 0 ||
		!strings.HasPrefix(f.Summary, "ok (") {
		t.Errorf("feed health %+v: want ok, one request that worked and its duration", f)
	}
}

func TestWebRenderOmitsEmptyParameters(t *testing.T) {
	var raw string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw = r.URL.RawQuery
		fmt.Fprint(w, `[]`)
	}))
	defer srv.Close()
	w := newTestWeb(t, srv.URL, WebOptions{})
	if _, err := w.Render(context.Background(), []string{"x"}, "", "", 0); err != nil {
		t.Fatal(err)
	}
	if raw != "format=json&target=x" {
		t.Errorf("query %q, want only format and target", raw)
	}
}

func TestWebRenderLongTargetListIsPosted(t *testing.T) {
	var method string
	var n int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method = r.Method
		r.ParseForm()
		n = len(r.PostForm["target"])
		fmt.Fprint(w, `[]`)
	}))
	defer srv.Close()
	targets := make([]string, 300)
	for i := range targets {
		targets[i] = fmt.Sprintf("fleet.host%03d.cpu.user", i)
	}
	w := newTestWeb(t, srv.URL, WebOptions{})
	if _, err := w.Render(context.Background(), targets, "-1h", "", 0); err != nil {
		t.Fatal(err)
	}
	if method != http.MethodPost || n != len(targets) {
		t.Errorf("%s with %d form targets, want POST with %d", method, n, len(targets))
	}
}

func TestWebRenderErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		opt     WebOptions
		check   func(t *testing.T, err error)
	}{
		{"bad JSON", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `[{"target":"a","datapoints":[[1,10],]}]`)
		}, WebOptions{}, func(t *testing.T, err error) {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Op != "render" || fe.Offset < 0 || !strings.Contains(fe.URL, "/render") {
				t.Errorf("want a *FormatError for render with an offset, got %T %v", err, err)
			}
		}},
		{"HTTP 500 with a traceback page", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "<h1>Server Error (500)</h1>\n\tTraceback:\n"+strings.Repeat("x", 5000))
		}, WebOptions{}, func(t *testing.T, err error) {
			var se *StatusError
			if !errors.As(err, &se) || se.StatusCode != 500 {
				t.Fatalf("want a *StatusError 500, got %T %v", err, err)
			}
			if !strings.HasPrefix(se.Body, "<h1>Server Error (500)</h1> Traceback:") || len(se.Body) > bodySnippetLen ||
				strings.ContainsAny(se.Body, "\n\t") {
				t.Errorf("body snippet %q: want the start of the body on one line, at most %d bytes", se.Body, bodySnippetLen)
			}
		}},
		{"HTTP 400 names the problem", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "Invalid parameters (Received request for unknown function: nosuchfunc)", http.StatusBadRequest)
		}, WebOptions{}, func(t *testing.T, err error) {
			if !strings.Contains(err.Error(), "HTTP 400: Invalid parameters (Received request for unknown function: nosuchfunc)") {
				t.Errorf("error %q does not carry graphite's message", err)
			}
		}},
		{"slow server hits the client timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}, WebOptions{Timeout: 150 * time.Millisecond}, func(t *testing.T, err error) {
			var re *RequestError
			if !errors.As(err, &re) || !re.Timeout() {
				t.Errorf("want a timed-out *RequestError, got %T %v", err, err)
			}
		}},
		{"body that trickles hits the client timeout", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `[{"target":"a","datapoints":[`)
			w.(http.Flusher).Flush()
			for i := 0; i < 1000; i++ {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(10 * time.Millisecond):
				}
				fmt.Fprintf(w, "[%d,%d],", i, i*10)
				w.(http.Flusher).Flush()
			}
		}, WebOptions{Timeout: 150 * time.Millisecond}, func(t *testing.T, err error) {
			var re *RequestError
			if !errors.As(err, &re) || !re.Timeout() {
				t.Errorf("want a timed-out *RequestError, got %T %v", err, err)
			}
		}},
		{"body over the size limit", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `[{"target":"`+strings.Repeat("a", 200)+`","datapoints":[]}]`)
		}, WebOptions{MaxBodyBytes: 100}, func(t *testing.T, err error) {
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "larger than 100 bytes") {
				t.Errorf("want a *FormatError about the size, got %T %v", err, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			w := newTestWeb(t, srv.URL, tt.opt)
			done := make(chan error, 1)
			go func() {
				_, err := w.Render(context.Background(), []string{"a"}, "-1h", "", 0)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Render did not return")
			}
			if err == nil {
				t.Fatal("Render succeeded, want an error")
			}
			tt.check(t, err)
			h := w.Health()
			if h.OK || h.Failures != 1 || h.LastError == nil || h.LastError.Error() != err.Error() || h.LastErrorAt.IsZero() {
				t.Errorf("health does not record the failure: %+v", h)
			}
		})
	}
}

func TestWebContextDeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	w := newTestWeb(t, srv.URL, WebOptions{Timeout: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := w.Find(ctx, "a.*")
	var re *RequestError
	if !errors.As(err, &re) || !re.Timeout() || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want a *RequestError wrapping the deadline, got %T %v", err, err)
	}
}

func TestWebDownGivesConnectionRefused(t *testing.T) {
	w := newTestWeb(t, "http://"+closedAddr(t), WebOptions{Timeout: 5 * time.Second})
	_, err := w.Render(context.Background(), []string{"a"}, "-1h", "", 0)
	var re *RequestError
	if !errors.As(err, &re) || re.Timeout() || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("want a *RequestError for a refused connection, got %T %v", err, err)
	}
	if !strings.Contains(err.Error(), "graphite render http://127.0.0.1:") || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("error %q should name the operation, the endpoint and the cause", err)
	}
	_, err = w.Find(context.Background(), "a.*")
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Find: %v", err)
	}
	if h := w.Health(); h.OK || h.Failures != 2 || h.Requests != 2 {
		t.Errorf("health %+v", h)
	}
	if f := w.FeedHealth(); f.OK || f.Succeeded != 0 || f.Failed != 2 || f.Summary != "failing" ||
		!strings.Contains(f.LastError, "connection refused") {
		t.Errorf("feed health %+v: want failing, two requests refused and why", f)
	}
}

func TestWebFindFallsBackToTreeJSON(t *testing.T) {
	var formats []string
	var calls atomic.Int32
	// graphite-web before 1.1 knew no format=json
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		f := r.URL.Query().Get("format")
		formats = append(formats, f)
		if r.URL.Path != "/metrics/find" || r.URL.Query().Get("query") != "probe.*" {
			http.Error(w, "bad request "+r.URL.String(), http.StatusNotFound)
			return
		}
		if f != "treejson" {
			http.Error(w, "Invalid value for 'format' parameter", http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, `[{"text": "a", "id": "probe.a", "allowChildren": 1, "expandable": 1, "leaf": 0},
			{"text": "x", "id": "probe.x", "allowChildren": 0, "expandable": 0, "leaf": 1}]`)
	}))
	defer srv.Close()
	w := newTestWeb(t, srv.URL, WebOptions{})
	for i := 0; i < 2; i++ {
		nodes, err := w.Find(context.Background(), "probe.*")
		if err != nil {
			t.Fatal(err)
		}
		if len(nodes) != 2 || nodes[0] != (Node{"probe.a", "a", false}) || nodes[1] != (Node{"probe.x", "x", true}) {
			t.Errorf("nodes %+v", nodes)
		}
	}
	// json once, then treejson for both calls: the server's answer is remembered
	if strings.Join(formats, ",") != "json,treejson,treejson" {
		t.Errorf("formats asked: %v", formats)
	}
}

func TestWebFindJSON(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("format") != "json" || r.URL.Query().Get("query") != "*.a.*" {
			http.Error(w, "unexpected "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, `[{"path": "probe.a.b", "is_leaf": true}, {"path": "zz.a.c", "is_leaf": false}]`)
	}))
	defer srv.Close()
	w := newTestWeb(t, srv.URL, WebOptions{})
	nodes, err := w.Find(context.Background(), "*.a.*")
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 2 || nodes[0] != (Node{"probe.a.b", "b", true}) || nodes[1] != (Node{"zz.a.c", "c", false}) {
		t.Errorf("nodes %+v", nodes)
	}
}

func TestNewWebRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:8080", "ftp://x", "http://", "http://[::1"} {
		if _, err := NewWeb(u, WebOptions{}); err == nil {
			t.Errorf("NewWeb(%q) accepted", u)
		}
	}
}
