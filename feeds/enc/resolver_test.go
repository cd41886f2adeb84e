//go:build unix

package enc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// refreshed calls Get until host's answer has expired and been looked up again, and returns that result.
func refreshed(t *testing.T, r *Resolver, ch <-chan result, host string) result {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		r.Get(host)
		select {
		case res := <-ch:
			return res
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("no refresh within 10 s")
	return result{}
}

func TestResolverStaticAndDomain(t *testing.T) {
	src := NewStaticSource(map[string]*Node{"web01.example.com": {Environment: "production"}})
	opt, ch := withResults(Options{Domain: ".Example.COM."})
	r := NewResolver(src, opt)
	defer r.Close()

	if name, err := r.Certname(" WEB01. "); err != nil || name != "web01.example.com" {
		t.Errorf("Certname = %q, %v", name, err)
	}
	n, st := r.Get("web01")
	if n != nil || st.State != Pending || st.Refreshing {
		t.Fatalf("first Get = %+v, %+v; want nil, Pending", n, st)
	}
	res := next(t, ch)
	if res.certname != "web01.example.com" || res.status.State != OK || res.node.Environment != "production" {
		t.Fatalf("result %+v", res)
	}
	for _, host := range []string{"web01", "WEB01.example.com.", "web01.example.com"} {
		n, st = r.Get(host)
		if n == nil || n.Environment != "production" || st.State != OK || st.Fetched.IsZero() || st.Err != nil {
			t.Errorf("Get(%q) = %+v, %+v", host, n, st)
		}
	}
	h := r.Health()
	if h.Lookups() != 1 || h.OK != 1 || h.Cached != 1 || h.InFlight != 0 || h.Queued != 0 {
		t.Errorf("one host under three spellings: health %+v", h)
	}
	if r.Generation() != 1 {
		t.Errorf("Generation %d, want 1", r.Generation())
	}
}

func TestResolverInvalidHost(t *testing.T) {
	r := NewResolver(NewStaticSource(nil), Options{})
	defer r.Close()
	for _, host := range []string{"", "-rf", "a b", "café"} {
		if n, st := r.Get(host); n != nil || st.State != Failed || st.Err == nil {
			t.Errorf("Get(%q) = %+v, %+v; want Failed", host, n, st)
		}
	}
	if h := r.Health(); h.Cached != 0 || h.Lookups() != 0 {
		t.Errorf("invalid names were cached or looked up: %+v", h)
	}
}

// TestResolverOutcomes runs one classifier that answers, denies, hangs and prints garbage depending on the
// host, and checks that every host gets its own status while the hanging one does not hold the others up.
func TestResolverOutcomes(t *testing.T) {
	dir := t.TempDir()
	script := writeScript(t, dir, "enc", `case "$1" in
good.example.com) printf 'classes:\n  role::web:\n    port: 80\nenvironment: production\n' ;;
missing.example.com) echo "unknown host $1" >&2; exit 1 ;;
hang.example.com) sleep 30 & echo $! > '`+dir+`/child.pid'; wait ;;
garbage.example.com) echo '<html>oops' ;;
esac
`)
	opt, ch := withResults(Options{Timeout: 400 * time.Millisecond, Concurrency: 4, Domain: "example.com"})
	r := NewResolver(NewExecSource(script), opt)
	defer r.Close()

	hosts := []string{"hang", "good", "missing", "garbage"}
	for _, h := range hosts {
		if _, st := r.Get(h); st.State != Pending {
			t.Fatalf("Get(%s) = %v, want Pending at once", h, st.State)
		}
	}
	got := map[string]result{}
	for range hosts {
		res := next(t, ch)
		got[strings.TrimSuffix(res.certname, ".example.com")] = res
	}
	want := map[string]State{"good": OK, "missing": NotFound, "hang": TimedOut, "garbage": Failed}
	for h, state := range want {
		if got[h].status.State != state {
			t.Errorf("%s: %v (%v), want %v", h, got[h].status.State, got[h].status.Err, state)
		}
	}
	if !got["good"].status.Checked.Before(got["hang"].status.Checked) {
		t.Error("the good answer waited for the hanging classifier")
	}
	if n, st := r.Get("good"); n == nil || st.State != OK {
		t.Errorf("Get(good) = %+v, %v", n, st.State)
	} else {
		wantField(t, n, "classes.role::web.port", "80")
	}
	if _, st := r.Get("missing"); !errors.Is(st.Err, ErrNotFound) || !strings.Contains(st.Err.Error(), "unknown host") {
		t.Errorf("missing: %v", st.Err)
	}
	var pe *ParseError
	if _, st := r.Get("garbage"); !errors.As(st.Err, &pe) {
		t.Errorf("garbage: %v, want a ParseError", st.Err)
	}
	if _, st := r.Get("hang"); !errors.Is(st.Err, context.DeadlineExceeded) || st.Duration < 400*time.Millisecond {
		t.Errorf("hang: %v after %v", st.Err, st.Duration)
	}
	h := r.Health()
	if h.OK != 1 || h.NotFound != 1 || h.TimedOut != 1 || h.Failed != 1 || h.Cached != 4 || h.LastError == nil {
		t.Errorf("health %+v", h)
	}
	if h.MaxDuration < 400*time.Millisecond || h.AvgDuration <= 0 || h.AvgDuration > h.MaxDuration {
		t.Errorf("durations avg %v max %v", h.AvgDuration, h.MaxDuration)
	}
	if s := h.String(); !strings.Contains(s, "1 timed out") || !strings.Contains(s, "last error") {
		t.Errorf("health line %q", s)
	}
	// the feed's own health: the latest lookup (hang) timed out, after its duration
	if f := r.FeedHealth(); f.OK || f.Succeeded != 2 || f.Failed != 2 || f.LastDuration < 400*time.Millisecond ||
		f.LastError == "" {
		t.Errorf("feed health %+v: want failing after the hang, 2 lookups that worked and 2 that did not", f)
	}
	pid := readPid(t, filepath.Join(dir, "child.pid"))
	if !processGone(t, pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the hanging classifier's child %d survived", pid)
	}
}

func TestResolverConcurrencyLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("six classifier runs of 0.3 s each, two at a time: seconds of real time: run without -short")
	}
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs")
	if err := os.Mkdir(runs, 0o755); err != nil {
		t.Fatal(err)
	}
	// Each run marks itself, stays a while, and records how many runs it saw at once.
	script := writeScript(t, dir, "enc", `touch '`+runs+`'/run.$$
sleep 0.3
ls '`+runs+`' | grep -c '^run\.' > '`+dir+`'/seen.$$
rm -f '`+runs+`'/run.$$
echo 'classes: [a]'
`)
	const limit, hosts = 2, 6
	opt, ch := withResults(Options{Concurrency: limit})
	r := NewResolver(NewExecSource(script), opt)
	defer r.Close()
	for i := range hosts {
		r.Get("host" + strconv.Itoa(i))
	}
	if h := r.Health(); h.InFlight > limit || h.InFlight+h.Queued != hosts {
		t.Errorf("after queueing: %d in flight, %d queued", h.InFlight, h.Queued)
	}
	for range hosts {
		if res := next(t, ch); res.status.State != OK {
			t.Fatalf("%s: %v", res.certname, res.status.Err)
		}
	}
	seen, err := filepath.Glob(filepath.Join(dir, "seen.*"))
	if err != nil || len(seen) != hosts {
		t.Fatalf("%d runs recorded, want %d (%v)", len(seen), hosts, err)
	}
	most := 0
	for _, f := range seen {
		most = max(most, readPid(t, f))
	}
	if most > limit {
		t.Errorf("%d classifiers ran at once, limit %d", most, limit)
	}
	if most < limit {
		t.Errorf("at most %d classifier ran at once; the limit %d was never used", most, limit)
	}
}

func TestResolverRefreshKeepsPreviousAnswer(t *testing.T) {
	dir := t.TempDir()
	mode := filepath.Join(dir, "mode")
	script := writeScript(t, dir, "enc", `case "$(cat '`+mode+`')" in
one) echo 'environment: one' ;;
two) echo 'environment: two' ;;
garbage) echo 'environment: [' ;;
fail) echo 'foreman unreachable' >&2; exit 1 ;;
hang) exec sleep 30 ;;
esac
`)
	setMode := func(m string) { writeFile(t, mode, m+"\n") }
	setMode("one")
	opt, ch := withResults(Options{TTL: 50 * time.Millisecond, NegativeTTL: 50 * time.Millisecond, Timeout: 300 * time.Millisecond})
	r := NewResolver(NewExecSource(script), opt)
	defer r.Close()

	r.Get("web01")
	first := next(t, ch)
	if first.status.State != OK || first.node.Environment != "one" {
		t.Fatalf("first answer %+v", first.status)
	}
	for _, tt := range []struct {
		mode    string
		isErr   func(error) bool
		counted func(Health) uint64
	}{
		{"garbage", func(err error) bool { var pe *ParseError; return errors.As(err, &pe) }, func(h Health) uint64 { return h.Failed }},
		{"fail", func(err error) bool { return errors.Is(err, ErrNotFound) }, func(h Health) uint64 { return h.NotFound }},
		{"hang", func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }, func(h Health) uint64 { return h.TimedOut }},
	} {
		setMode(tt.mode)
		res := refreshed(t, r, ch, "web01")
		if res.status.State != Stale || res.node == nil || res.node.Environment != "one" || !tt.isErr(res.status.Err) {
			t.Errorf("%s: %v, node %+v, err %v; want Stale with the first node", tt.mode, res.status.State, res.node, res.status.Err)
		}
		if !res.status.Fetched.Equal(first.status.Checked) {
			t.Errorf("%s: Fetched %v, want the first answer's time %v", tt.mode, res.status.Fetched, first.status.Checked)
		}
		n, st := r.Get("web01")
		if n != res.node || (st.State != Stale) {
			t.Errorf("%s: Get = %+v, %v", tt.mode, n, st.State)
		}
		if tt.counted(r.Health()) != 1 {
			t.Errorf("%s: not counted in health %+v", tt.mode, r.Health())
		}
	}
	setMode("two")
	res := refreshed(t, r, ch, "web01")
	if res.status.State != OK || res.node.Environment != "two" || res.status.Err != nil ||
		!res.status.Fetched.After(first.status.Checked) {
		t.Errorf("recovery: %+v, node %+v", res.status, res.node)
	}
}

func TestResolverCachesAnswers(t *testing.T) {
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	script := writeScript(t, dir, "enc", `echo "$1" >> '`+calls+`'
[ "$1" = known ] && echo 'classes: [a]'
[ "$1" = broken ] && echo '{'
exit 0
`)
	opt, ch := withResults(Options{TTL: time.Hour, NegativeTTL: time.Hour})
	r := NewResolver(NewExecSource(script), opt)
	defer r.Close()
	hosts := []string{"known", "unknown", "broken"}
	for _, h := range hosts {
		r.Get(h)
	}
	for range hosts {
		next(t, ch)
	}
	for range 20 {
		for _, h := range hosts {
			if _, st := r.Get(h); st.State == Pending || st.Refreshing {
				t.Fatalf("%s: %+v; want a cached answer", h, st)
			}
		}
	}
	data, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n != len(hosts) {
		t.Errorf("classifier ran %d times for %d hosts: %q", n, len(hosts), data)
	}
	wantStates := map[string]State{"known": OK, "unknown": NotFound, "broken": Failed}
	for h, want := range wantStates {
		if _, st := r.Get(h); st.State != want {
			t.Errorf("%s: %v, want %v", h, st.State, want)
		}
	}
}

func TestResolverFirstLookupsBeforeRefreshes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { // the TTL runs out on the bubble's clock, not the machine's
		src := NewStaticSource(map[string]*Node{"a": {}, "b": {}, "c": {}})
		gate := make(chan struct{})
		opt, ch := withResults(Options{Concurrency: 1, TTL: time.Millisecond})
		r := NewResolver(gatedSource{src, gate}, opt)
		defer r.Close()
		r.Get("a")
		gate <- struct{}{}
		next(t, ch)
		time.Sleep(5 * time.Millisecond) // let a expire
		r.Get("b")                       // occupies the only worker until the gate opens
		synctest.Wait()
		if r.Health().InFlight == 0 {
			t.Fatal("b never started")
		}
		r.Get("a") // refresh, queued first
		r.Get("c") // first lookup, queued second but served first
		var order []string
		for range 3 {
			gate <- struct{}{}
			order = append(order, next(t, ch).certname)
		}
		if strings.Join(order, ",") != "b,c,a" {
			t.Errorf("lookup order %v, want b,c,a", order)
		}
	})
}

// gatedSource holds each lookup until the test lets it through.
type gatedSource struct {
	Source
	gate chan struct{}
}

func (s gatedSource) Lookup(ctx context.Context, certname string) (*Node, error) {
	select {
	case <-s.gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.Source.Lookup(ctx, certname)
}

func TestResolverCloseKillsRunningLookups(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	script := writeScript(t, dir, "enc", "sleep 30 &\necho $! > '"+pidFile+".tmp'\nmv '"+pidFile+".tmp' '"+pidFile+"'\nwait\n")
	opt, ch := withResults(Options{Timeout: time.Minute})
	r := NewResolver(NewExecSource(script), opt)
	r.Get("web01")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(pidFile); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the classifier did not start")
		}
	}
	start := time.Now()
	r.Close()
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Close took %v", elapsed)
	}
	pid := readPid(t, pidFile)
	if !processGone(t, pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("child %d survived Close", pid)
	}
	select {
	case res := <-ch:
		t.Errorf("a lookup cut short by Close was reported: %+v", res)
	default:
	}
	if n, st := r.Get("web02"); n != nil || st.State != Pending || r.Health().Queued != 0 {
		t.Errorf("Get after Close = %+v, %+v, health %+v", n, st, r.Health())
	}
	r.Close()
}

func TestResolverForgetsIdleHosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { // idleness on the bubble's clock, not the machine's
		src := NewStaticSource(map[string]*Node{"a": {}, "b": {}})
		opt, ch := withResults(Options{TTL: 5 * time.Millisecond})
		r := NewResolver(src, opt)
		defer r.Close()
		r.Get("A")
		next(t, ch)
		if h := r.Health(); h.Cached != 1 {
			t.Fatalf("cached %d", h.Cached)
		}
		time.Sleep(idleTTLs*5*time.Millisecond + time.Millisecond)
		r.Get("b")
		if h := r.Health(); h.Cached != 1 {
			t.Errorf("cached %d after a went idle, want only b", h.Cached)
		}
		r.mu.Lock()
		_, stillA := r.entries["A"]
		r.mu.Unlock()
		if stillA {
			t.Error("the alias A outlived its entry")
		}
	})
}
