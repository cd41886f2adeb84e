package graphite

// Integration tests against a real carbon-cache and graphite-web on loopback, as started by
// scripts/graphite-up.sh, which prints the variables these tests read:
//
//	eval "$(scripts/graphite-up.sh)" && go test ./feeds/graphite/
//
// Without them the tests skip, except under CI=true, where they fail.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

type graphiteEnv struct {
	carbon, pickle, web, scratch string
}

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// needGraphite returns the servers from the environment, or skips (fails under CI) when they are not there.
func needGraphite(t *testing.T) graphiteEnv {
	t.Helper()
	env := graphiteEnv{
		carbon:  os.Getenv("FLEETTOP_CARBON"),
		pickle:  os.Getenv("FLEETTOP_CARBON_PICKLE"),
		web:     os.Getenv("FLEETTOP_GRAPHITE"),
		scratch: os.Getenv("FLEETTOP_GRAPHITE_SCRATCH"),
	}
	if env.carbon == "" || env.web == "" {
		skipOrFail(t, "FLEETTOP_CARBON and FLEETTOP_GRAPHITE not set: run eval \"$(scripts/graphite-up.sh)\"")
	}
	conn, err := net.DialTimeout("tcp", env.carbon, 2*time.Second)
	if err != nil {
		skipOrFail(t, "carbon at %s unreachable: %v", env.carbon, err)
	}
	conn.Close()
	hc := &http.Client{Timeout: 5 * time.Second}
	resp, err := hc.Get(env.web + "/metrics/find?query=fleettop_probe")
	if err != nil {
		skipOrFail(t, "graphite-web at %s unreachable: %v", env.web, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		skipOrFail(t, "graphite-web at %s answers HTTP %d", env.web, resp.StatusCode)
	}
	return env
}

// testPrefix is a path prefix no other run uses, so tests never see each other's points.
func testPrefix(t *testing.T) string {
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	return fmt.Sprintf("fleettop_test.r%d_%d.%s", time.Now().UnixNano(), os.Getpid(), name)
}

// alignedPast returns a timestamp ago in the past on carbon's 10-second grid (storage-schemas.conf of
// graphite-up.sh: 10s:6h).
func alignedPast(ago time.Duration) int64 {
	ts := time.Now().Add(-ago).Unix()
	return ts - ts%10
}

// renderUntil polls /render until done accepts the answer or the deadline passes: carbon writes
// asynchronously, and a new whisper file appears a moment after its first point.
func renderUntil(t *testing.T, w *Web, target string, from, until int64, within time.Duration, done func(Series) bool) Series {
	t.Helper()
	deadline := time.Now().Add(within)
	var last Series
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		series, err := w.Render(ctx, []string{target}, strconv.FormatInt(from, 10), strconv.FormatInt(until, 10), 0)
		cancel()
		lastErr = err
		if err == nil && len(series) == 1 {
			last = series[0]
			if done(last) {
				return last
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("render %s: gave up after %v: last error %v, last series %+v", target, within, lastErr, last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// valuesByTime maps each non-null value of s to its timestamp.
func valuesByTime(s Series) map[int64]float64 {
	m := make(map[int64]float64)
	for i, v := range s.Values {
		if !math.IsNaN(v) {
			m[s.Start+int64(i)*s.Step] = v
		}
	}
	return m
}

func hasAll(pts []Point) func(Series) bool {
	return func(s Series) bool {
		got := valuesByTime(s)
		for _, p := range pts {
			if _, ok := got[p.Time.Unix()]; !ok {
				return false
			}
		}
		return true
	}
}

func TestIntegrationPushThenRender(t *testing.T) {
	env := needGraphite(t)
	for _, proto := range []Protocol{Plaintext, Pickle} {
		t.Run(proto.String(), func(t *testing.T) {
			addr := env.carbon
			if proto == Pickle {
				if addr = env.pickle; addr == "" {
					skipOrFail(t, "FLEETTOP_CARBON_PICKLE not set")
				}
			}
			path := testPrefix(t) + ".cpu_user"
			base := alignedPast(time.Hour)
			const n = 30
			pts := make([]Point, n)
			for i := range pts {
				// binary fractions survive whisper's doubles exactly
				pts[i] = Point{Path: path, Value: float64(i)*1.25 - 3, Time: time.Unix(base+int64(i)*10, 0)}
			}
			c := NewCarbon(addr, CarbonOptions{Protocol: proto, BatchSize: 8, FlushInterval: 20 * time.Millisecond})
			c.Send(pts...)
			if err := closeCarbon(t, c); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if h := c.Health(); h.Sent != n || h.Dropped != 0 || h.Rejected != 0 {
				t.Fatalf("health after Close: %+v", h)
			}

			w := newTestWeb(t, env.web, WebOptions{Timeout: 10 * time.Second})
			// graphite's from is exclusive on the step grid: base-1 makes base the first point
			from, until := base-1, base+n*10
			s := renderUntil(t, w, path, from, until, 30*time.Second, hasAll(pts))
			if s.Name != path || s.Step != 10 || s.Tags["name"] != path {
				t.Errorf("series %q step %d tags %v, want %q, 10 and name tag", s.Name, s.Step, s.Tags, path)
			}
			got := valuesByTime(s)
			for _, p := range pts {
				if v := got[p.Time.Unix()]; v != p.Value {
					t.Errorf("at %d: got %v, want %v", p.Time.Unix(), v, p.Value)
				}
			}
			if len(got) != n {
				t.Errorf("%d non-null values, want %d", len(got), n)
			}

			// maxDataPoints: graphite-web averages runs of valuesPerPoint raw points; recompute them from what we
			// sent to check alignment as well as count. graphite-web 1.1.8 nudges the start one raw step less
			// than it relabels (render/views.py deletes nudge/step-1 values), so a bucket labelled T covers
			// [T-10, T-10+Step); a fixed graphite would cover [T, T+Step). Either is accepted, nothing else.
			const maxPoints = 4
			series, err := w.Render(context.Background(), []string{path}, strconv.FormatInt(from, 10),
				strconv.FormatInt(until, 10), maxPoints)
			if err != nil || len(series) != 1 {
				t.Fatalf("render maxDataPoints=%d: %v (%d series)", maxPoints, err, len(series))
			}
			cs := series[0]
			if len(cs.Values) > maxPoints || len(cs.Values) < 2 || cs.Step%10 != 0 || cs.Step <= 10 {
				t.Fatalf("consolidated: %d values at step %d, want at most %d at a multiple of 10", len(cs.Values), cs.Step, maxPoints)
			}
			bucketsMatch := func(shift int64) bool {
				for i, v := range cs.Values {
					lo := cs.Start + int64(i)*cs.Step + shift
					var sum float64
					var k int
					for _, p := range pts {
						if ts := p.Time.Unix(); ts >= lo && ts < lo+cs.Step {
							sum += p.Value
							k++
						}
					}
					want := math.NaN()
					if k > 0 {
						want = sum / float64(k)
					}
					if !sameValues([]float64{v}, []float64{want}) && math.Abs(v-want) > 1e-9 {
						return false
					}
				}
				return true
			}
			if !bucketsMatch(-10) && !bucketsMatch(0) {
				t.Errorf("consolidated values %v (start %d, step %d) are not averages of %d-second runs of %v",
					cs.Values, cs.Start, cs.Step, cs.Step, pts)
			}
		})
	}
}

func TestIntegrationFind(t *testing.T) {
	env := needGraphite(t)
	prefix := testPrefix(t)
	ts := time.Unix(alignedPast(10*time.Minute), 0)
	paths := []string{prefix + ".web01.cpu", prefix + ".web02.cpu", prefix + ".db01.mem"}
	c := NewCarbon(env.carbon, CarbonOptions{FlushInterval: 20 * time.Millisecond})
	for i, p := range paths {
		c.Send(Point{Path: p, Value: float64(i), Time: ts})
	}
	if err := closeCarbon(t, c); err != nil {
		t.Fatalf("Close: %v", err)
	}
	w := newTestWeb(t, env.web, WebOptions{Timeout: 10 * time.Second})

	find := func(query string, want []Node) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			nodes, err := w.Find(context.Background(), query)
			if err == nil && fmt.Sprint(nodes) == fmt.Sprint(want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("Find(%q) = %+v, %v; want %+v", query, nodes, err, want)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	find(prefix+".*", []Node{{prefix + ".db01", "db01", false}, {prefix + ".web01", "web01", false}, {prefix + ".web02", "web02", false}})
	// completion: what the command line asks for while the user types "web0"
	find(prefix+".web0*", []Node{{prefix + ".web01", "web01", false}, {prefix + ".web02", "web02", false}})
	// a wildcard before the last element still gives real paths
	find(prefix+".*.cpu", []Node{{prefix + ".web01.cpu", "cpu", true}, {prefix + ".web02.cpu", "cpu", true}})
	find(prefix+".{db01,web02}.*", []Node{{prefix + ".db01.mem", "mem", true}, {prefix + ".web02.cpu", "cpu", true}})
	find(prefix+".nothing*", []Node{})
}

func TestIntegrationRenderErrors(t *testing.T) {
	env := needGraphite(t)
	w := newTestWeb(t, env.web, WebOptions{Timeout: 10 * time.Second})
	for _, tt := range []struct{ target, from, want string }{
		{"nosuchfunc(a.b)", "-1h", "unknown function"},
		{"a.b", "garbage", "garbage"},
	} {
		_, err := w.Render(context.Background(), []string{tt.target}, tt.from, "", 0)
		var se *StatusError
		if !errors.As(err, &se) || se.StatusCode != http.StatusBadRequest || !strings.Contains(se.Body, tt.want) {
			t.Errorf("Render(%q, from %q) = %v, want HTTP 400 mentioning %q", tt.target, tt.from, err, tt.want)
		}
	}
	// an unknown metric is not an error: graphite answers an empty list
	series, err := w.Render(context.Background(), []string{testPrefix(t) + ".absent"}, "-1h", "", 0)
	if err != nil || len(series) != 0 {
		t.Errorf("unknown metric: %+v, %v; want no series and no error", series, err)
	}
}

// repoRoot finds the module root from this file's location.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("runtime.Caller failed")
	}
	for dir := filepath.Dir(file); ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("go.mod not found above " + file)
		}
	}
}

// runScript runs scripts/NAME ARGS... with extra environment and returns its stdout.
func runScript(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(repoRoot(t), "scripts", name), args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return string(out)
}

// freePorts returns n loopback ports nothing listens on right now.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// privateGraphite starts a Graphite of the test's own through scripts/graphite-up.sh, so that stopping its
// carbon disturbs no other test using the shared one, and stops it at the end. It returns the environment to
// pass to the scripts to address this instance.
func privateGraphite(t *testing.T) (graphiteEnv, []string) {
	t.Helper()
	needGraphite(t) // the shared instance runs, so the packages are installed: the script will not run apt
	ports := freePorts(t, 4)
	scriptEnv := []string{
		"GRAPHITE_SCRATCH=" + t.TempDir(),
		fmt.Sprintf("CARBON_LINE_PORT=%d", ports[0]),
		fmt.Sprintf("CARBON_PICKLE_PORT=%d", ports[1]),
		fmt.Sprintf("CARBON_QUERY_PORT=%d", ports[2]),
		fmt.Sprintf("GRAPHITE_WEB_PORT=%d", ports[3]),
	}
	// registered before the start so a half-started instance is stopped too; runs before TempDir's removal
	t.Cleanup(func() { runScript(t, scriptEnv[:1], "graphite-down.sh") })
	start := time.Now()
	out := runScript(t, scriptEnv, "graphite-up.sh")
	t.Logf("private graphite up in %v", time.Since(start).Round(time.Millisecond))
	var env graphiteEnv
	for _, line := range strings.Split(out, "\n") {
		k, v, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		switch k {
		case "FLEETTOP_CARBON":
			env.carbon = v
		case "FLEETTOP_CARBON_PICKLE":
			env.pickle = v
		case "FLEETTOP_GRAPHITE":
			env.web = v
		case "FLEETTOP_GRAPHITE_SCRATCH":
			env.scratch = v
		}
	}
	if want := fmt.Sprintf("127.0.0.1:%d", ports[0]); env.carbon != want || env.web == "" {
		t.Fatalf("graphite-up.sh printed %q: want FLEETTOP_CARBON=%s and FLEETTOP_GRAPHITE", out, want)
	}
	return env, scriptEnv[:1]
}

// TestIntegrationCarbonRestart stops and restarts a real carbon-cache (its own, see privateGraphite) while two clients stream points: one
// whose buffer outlasts the outage must lose nothing; one with a small buffer may lose only the oldest
// points of the outage, and no more than it counts as dropped.
func TestIntegrationCarbonRestart(t *testing.T) {
	env, scriptEnv := privateGraphite(t)

	prefix := testPrefix(t)
	const smallBuffer = 40
	opt := CarbonOptions{BatchSize: 10, FlushInterval: 20 * time.Millisecond,
		BackoffMin: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond}
	big := NewCarbon(env.carbon, opt)
	opt.BufferSize = smallBuffer
	small := NewCarbon(env.carbon, opt)
	bigPath, smallPath := prefix+".big", prefix+".small"
	// points are 10 s apart in carbon's time and must stay inside the 6 h archive, in the past
	const maxPoints = 2000
	base := alignedPast(5*time.Hour + 45*time.Minute)

	var sent atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// one point every 10 ms: ~100 per second of outage
		for i := int64(0); i < maxPoints; i++ {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			ts := time.Unix(base+i*10, 0)
			big.Send(Point{Path: bigPath, Value: float64(i), Time: ts})
			small.Send(Point{Path: smallPath, Value: float64(i), Time: ts})
			sent.Store(i + 1)
		}
	}()
	waitSent := func(n int64) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); sent.Load() < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("stream stuck at %d points, want %d", sent.Load(), n)
			}
			if sent.Load() >= maxPoints {
				t.Fatalf("carbon's restart outlasted %d points: the machine is too slow for this test", maxPoints)
			}
		}
	}

	waitSent(100)
	runScript(t, scriptEnv, "graphite-down.sh", "carbon")
	waitHealth(t, big, "disconnected", func(h CarbonHealth) bool { return !h.Connected })
	waitHealth(t, small, "disconnected", func(h CarbonHealth) bool { return !h.Connected })
	waitSent(sent.Load() + 3*smallBuffer) // make sure the outage outlasts the small buffer
	// only GRAPHITE_SCRATCH: the script must bring carbon back on the ports it saved there
	out := runScript(t, scriptEnv, "graphite-up.sh", "carbon")
	if !strings.Contains(out, "FLEETTOP_CARBON="+env.carbon+"\n") {
		t.Fatalf("carbon came back elsewhere: %q, want %s", out, env.carbon)
	}
	waitHealth(t, big, "reconnected", func(h CarbonHealth) bool { return h.Connected })
	waitHealth(t, small, "reconnected", func(h CarbonHealth) bool { return h.Connected })
	waitSent(sent.Load() + 100)
	close(stop)
	wg.Wait()
	n := sent.Load()
	if err := closeCarbon(t, big); err != nil {
		t.Fatalf("big Close: %v", err)
	}
	if err := closeCarbon(t, small); err != nil {
		t.Fatalf("small Close: %v", err)
	}
	bh, sh := big.Health(), small.Health()
	t.Logf("%d points; big: sent %d, requeued %d, dropped %d; small: sent %d, requeued %d, dropped %d",
		n, bh.Sent, bh.Requeued, bh.Dropped, sh.Sent, sh.Requeued, sh.Dropped)

	want := make([]Point, n)
	for i := range want {
		want[i] = Point{Value: float64(i), Time: time.Unix(base+int64(i)*10, 0)}
	}
	w := newTestWeb(t, env.web, WebOptions{Timeout: 10 * time.Second})
	from, until := base-1, base+n*10
	bs := renderUntil(t, w, bigPath, from, until, 60*time.Second, hasAll(want))
	got := valuesByTime(bs)
	for _, p := range want {
		if v := got[p.Time.Unix()]; v != p.Value {
			t.Errorf("big at %d: %v, want %v", p.Time.Unix(), v, p.Value)
		}
	}
	if bh.Dropped != 0 || bh.Reconnects == 0 {
		t.Errorf("big client: dropped %d, reconnects %d; want 0 and at least 1", bh.Dropped, bh.Reconnects)
	}

	// the last point is sent after the outage: once it is readable, everything that will arrive has
	last := want[n-1:]
	ss := renderUntil(t, w, smallPath, from, until, 60*time.Second, hasAll(last))
	got = valuesByTime(ss)
	var missing []int64
	for i, p := range want {
		v, ok := got[p.Time.Unix()]
		if !ok {
			missing = append(missing, int64(i))
			continue
		}
		if v != p.Value {
			t.Errorf("small at %d: %v, want %v", p.Time.Unix(), v, p.Value)
		}
	}
	if len(missing) == 0 || uint64(len(missing)) > sh.Dropped {
		t.Fatalf("small client: %d points missing, %d counted as dropped; want some missing and no more than dropped",
			len(missing), sh.Dropped)
	}
	// drop-oldest: one run, and nothing from the end: at least 100 points went out after the reconnect, and
	// the newest smallBuffer before it were still buffered. The run may start before the outage: carbon-cache
	// loses the points in its cache when it stops, and the client's queued-again copies are its oldest.
	first, lastMissing := missing[0], missing[len(missing)-1]
	if lastMissing-first+1 != int64(len(missing)) {
		t.Errorf("missing points are not one run: %v", missing)
	}
	if lastMissing >= n-100-smallBuffer {
		t.Errorf("missing run %d..%d of %d reaches into the newest %d points", first, lastMissing, n, 100+smallBuffer)
	}

	// graphite-web stopped: a clear refusal at once, not a hang
	runScript(t, scriptEnv, "graphite-down.sh", "web")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := w.Render(ctx, []string{bigPath}, "-1h", "", 0)
	var re *RequestError
	if !errors.As(err, &re) || !errors.Is(err, syscall.ECONNREFUSED) || ctx.Err() != nil {
		t.Errorf("render with graphite-web stopped: %v, want a refused *RequestError before the deadline", err)
	}
	if h := w.Health(); h.OK || h.LastError == nil {
		t.Errorf("health with graphite-web stopped: %+v", h)
	}
}
