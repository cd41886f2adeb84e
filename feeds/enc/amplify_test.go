//go:build unix

package enc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// countRuns counts the lines the classifier script appended to its log: one per run.
func countRuns(t *testing.T, log string) int {
	t.Helper()
	data, err := os.ReadFile(log)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(data, []byte("\n"))
}

// 30,000 forged host names cost at most MaxQueue+Concurrency classifier runs; the rest are refused, counted,
// and told ErrBusy; a name asked for again and again is looked up once; Peek starts nothing.
func TestResolverBoundsForgedNames(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "runs.log")
	// A classifier that logs each run, then waits for the gate file (like Foreman under load), and knows nobody.
	gate := filepath.Join(dir, "gate")
	script := writeScript(t, dir, "slow-enc", fmt.Sprintf("echo \"$1\" >> %s\nwhile [ ! -e %s ]; do sleep 0.01; done\nexit 1\n", log, gate))
	const maxQueue, workers, forged = 20, 2, 30_000
	r := NewResolver(NewExecSource(script), Options{MaxQueue: maxQueue, Concurrency: workers, MaxEntries: 20_000})
	defer r.Close()

	for i := range 1000 {
		if _, st := r.Peek(fmt.Sprintf("peeked%d.example.com", i)); st.State != Pending {
			t.Fatalf("Peek of an unknown name: %+v", st)
		}
	}
	for range 1000 {
		r.Get("same.example.com")
	}
	busy := 0
	for i := range forged {
		_, st := r.Get(fmt.Sprintf("forged%05d.example.com", i))
		if errors.Is(st.Err, ErrBusy) {
			busy++
		}
		if st.State != Pending {
			t.Fatalf("forged name %d: state %v", i, st.State)
		}
	}
	h := r.Health()
	if h.Queued > maxQueue {
		t.Errorf("%d lookups queued, bound %d", h.Queued, maxQueue)
	}
	if h.Cached > 20_000 {
		t.Errorf("%d names cached, bound 20000", h.Cached)
	}
	// Every forged name but the ones queued or running was refused, and the count says so.
	if minRefused := uint64(forged + 1 - maxQueue - workers); h.Refused < minRefused || uint64(busy) != h.Refused {
		t.Errorf("refused %d (ErrBusy told %d times), want at least %d", h.Refused, busy, minRefused)
	}
	if !bytes.Contains([]byte(h.String()), []byte(fmt.Sprintf("%d refused", h.Refused))) {
		t.Errorf("Health.String does not show refusals: %s", h)
	}
	// Open the gate and drain the queue: a bounded number of runs, each name at most once.
	writeFile(t, gate, "")
	deadline := time.Now().Add(30 * time.Second)
	for h := r.Health(); h.Queued+h.InFlight > 0; h = r.Health() {
		if time.Now().After(deadline) {
			t.Fatalf("queue not drained: %s", h)
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.Close()
	runs := countRuns(t, log)
	if runs < maxQueue || runs > maxQueue+workers+1 {
		t.Errorf("%d classifier runs for %d names, bound %d", runs, forged, maxQueue+workers+1)
	}
	data, _ := os.ReadFile(log)
	if n := bytes.Count(data, []byte("same.example.com\n")); n != 1 {
		t.Errorf("a name asked for 1000 times ran %d times", n)
	}
	if bytes.Contains(data, []byte("peeked")) {
		t.Error("Peek started a lookup")
	}
}

// sourceFunc is a Source from a function, for tests that need to hold a lookup.
type sourceFunc func(certname string) (*Node, error)

func (f sourceFunc) Lookup(_ context.Context, certname string) (*Node, error) { return f(certname) }

// Once the queue has room again, a refused host is looked up on its next Get.
func TestResolverRetriesRefusedHost(t *testing.T) {
	gate := make(chan struct{})
	started := make(chan string, 10)
	src := sourceFunc(func(certname string) (*Node, error) {
		started <- certname
		<-gate
		return &Node{Environment: certname}, nil
	})
	opt, ch := withResults(Options{MaxQueue: 1, Concurrency: 1})
	r := NewResolver(src, opt)
	defer r.Close()
	r.Get("a.example.com")
	if got := <-started; got != "a.example.com" {
		t.Fatalf("started %s", got)
	}
	r.Get("b.example.com") // queued behind a
	if _, st := r.Get("c.example.com"); !errors.Is(st.Err, ErrBusy) || st.State != Pending {
		t.Fatalf("third host with a queue of 1: %+v", st)
	}
	if h := r.Health(); h.Refused != 1 {
		t.Errorf("refused %d, want 1", h.Refused)
	}
	close(gate)
	next(t, ch)
	next(t, ch) // a and b answered: the queue is empty
	if _, st := r.Get("c.example.com"); st.Err != nil || st.State != Pending {
		t.Fatalf("retried host: %+v", st)
	}
	res := next(t, ch)
	if res.certname != "c.example.com" || res.node.Environment != "c.example.com" {
		t.Errorf("result %+v", res)
	}
}

// BenchmarkResolverExecThroughput is how many lookups a second the Resolver gets through a classifier that
// answers at once (a shell script printing a node), with the default 4 workers: the rate at which a queue of
// new hosts drains at best, and so the rate a forged-name flood could cost the classifier.
func BenchmarkResolverExecThroughput(b *testing.B) {
	script := writeScript(b, b.TempDir(), "fast-enc", "echo 'classes: [web]'\n")
	opt, ch := withResults(Options{MaxQueue: 1 << 20})
	r := NewResolver(NewExecSource(script), opt)
	defer r.Close()
	start := time.Now()
	i := 0
	for b.Loop() {
		r.Get(fmt.Sprintf("host%07d.example.com", i))
		i++
	}
	for range i {
		<-ch
	}
	b.ReportMetric(float64(i)/time.Since(start).Seconds(), "lookups/s")
}
