package app

import (
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/graphite"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/model/tree"
	"github.com/fleettop/fleettop/ui"
)

// runDrawn runs line on the console and draws the windows before it returns.
func runDrawn(con *Console, line string) (ui.Reply, error) {
	rep, err := con.Run(line)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		con.Redraw(ctx)
		cancel()
	}
	return rep, err
}

// realGraphite returns carbon's plaintext address and graphite-web's URL from the environment that
// scripts/graphite-up.sh prints, skipping when they are absent (failing under CI=true, which starts them).
func realGraphite(t *testing.T) (carbon, web string) {
	t.Helper()
	carbon, web = os.Getenv("FLEETTOP_CARBON"), os.Getenv("FLEETTOP_GRAPHITE")
	if carbon == "" || web == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("FLEETTOP_CARBON / FLEETTOP_GRAPHITE not set: .ci/run must start Graphite (scripts/graphite-up.sh)")
		}
		t.Skip("no Graphite: eval \"$(scripts/graphite-up.sh)\" to run this test")
	}
	return carbon, web
}

// fleettop pushes its metric tree to a real carbon, and the same series come back through graphite-web's
// render API into a command-line window (`on graphite`), and complete through /metrics/find.
func TestGraphiteRoundTrip(t *testing.T) {
	carbonAddr, webURL := realGraphite(t)
	f := sim.New(sim.Options{Seed: 11, Hosts: sim.MinHosts, Start: time.Now().Add(-time.Minute).Truncate(time.Second)})
	series, err := tree.NewCarbonSeries("fleettop.test", nil, nil, tree.DefaultCarbonRanks)
	if err != nil {
		t.Fatal(err)
	}
	st, err := New(Config{GroupBy: "appType", ENC: ENCConfig{Source: enc.NewStaticSource(f.ENC()), Timeout: 5 * time.Second},
		Carbon: CarbonConfig{Addr: carbonAddr, Series: series}, Graphite: webURL})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := Simulate(context.Background(), f, st.fleet, 50*time.Second, nil); err != nil {
		t.Fatal(err)
	}
	st.SettleENC(context.Background(), f.Now())
	snap := st.fleet.Publish(f.Now())
	points := tree.AppendChanges(nil, nil, snap) // the snapshot's whole history, as the pusher's first batch
	if len(points) == 0 {
		t.Fatal("the metric tree has no points to push")
	}
	// one host's CPU is the series we follow through carbon and back
	var want graphite.Point
	for _, p := range points { // the newest point of the web host's CPU
		if strings.HasPrefix(p.Path, "fleet.web.") && strings.HasSuffix(p.Path, ".cpu.utilisation") &&
			p.Time.After(want.Time) {
			want = p
		}
	}
	if want.Path == "" {
		t.Fatalf("no fleet.web.*.cpu.utilisation among %d points", len(points))
	}
	st.carbon.Send(points...)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := st.carbon.Close(ctx); err != nil {
		t.Fatalf("carbon flush: %v", err)
	}
	if h := st.carbon.Health(); h.Sent < uint64(len(points)) || h.Dropped != 0 {
		t.Fatalf("carbon: %d of %d points sent, %d dropped", h.Sent, len(points), h.Dropped)
	}
	st.carbon = nil

	con, err := st.NewConsole(ConsoleOptions{ViewsDir: t.TempDir(), Timeout: 15 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	from := want.Time.Add(-5 * time.Minute).Unix()
	var got float64 = math.NaN()
	deadline := time.Now().Add(20 * time.Second) // carbon writes to whisper asynchronously
	for time.Now().Before(deadline) {
		series, err := remoteSource{st.web}.Render(ctx, want.Path, time.Unix(from, 0), time.Now().Add(time.Minute))
		if err == nil && len(series) == 1 {
			for i, v := range series[0].Values {
				if series[0].Start+int64(i)*series[0].Step <= want.Time.Unix() && !math.IsNaN(v) {
					got = v
				}
			}
		}
		if !math.IsNaN(got) {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if math.IsNaN(got) {
		t.Fatalf("%s never came back from graphite-web", want.Path)
	}
	if math.Abs(got-want.Value) > 1e-6*math.Max(1, math.Abs(want.Value)) {
		t.Errorf("%s: graphite-web has %v, fleettop pushed %v", want.Path, got, want.Value)
	}

	// a window drawn from graphite-web holds the pushed value
	if _, err := con.Run("create Remote"); err != nil {
		t.Fatal(err)
	}
	if _, err := runDrawn(con, fmt.Sprintf("draw %s in Remote on graphite from %d", want.Path, from)); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range con.Windows().List {
		if w.Name == "Remote" {
			if w.Err != "" || len(w.Series) != 1 {
				t.Fatalf("Remote window: err %q, %d series", w.Err, len(w.Series))
			}
			found = true
			if v, _ := (query.Series{Values: w.Series[0].Points}).Last(); math.Abs(v-want.Value) > 1e-6*math.Max(1, math.Abs(want.Value)) {
				t.Errorf("Remote window's last value %v, pushed %v", v, want.Value)
			}
		}
	}
	if !found {
		t.Fatal("no Remote window")
	}

	// completion reaches graphite-web's /metrics/find: a console whose own fleet is empty completes the
	// pushed path from graphite-web alone
	empty, err := New(Config{GroupBy: "appType", Graphite: webURL})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	remote, err := empty.NewConsole(ConsoleOptions{ViewsDir: t.TempDir(), Timeout: 15 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	partial := "draw " + want.Path[:len(want.Path)-len("isation")]
	if line, cands := remote.Complete(partial, len(partial)); line != "draw "+want.Path {
		t.Errorf("completing %q from graphite-web gave %q (candidates %v), want %q", partial, line, cands,
			"draw "+want.Path)
	}
}

// A dead graphite-web is an error in the window, promptly, never a hang.
func TestGraphiteDownShowsInWindow(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	st, err := New(Config{GroupBy: "appType", Graphite: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	con, err := st.NewConsole(ConsoleOptions{ViewsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := runDrawn(con, "draw some.remote.metric in W on graphite"); err != nil {
		t.Fatalf("draw: %v", err)
	}
	ws := con.Windows().List
	if len(ws) != 1 || ws[0].Err == "" {
		t.Fatalf("windows %+v: want W with an error", ws)
	}
	if !strings.Contains(ws[0].Err, "refused") {
		t.Errorf("window error %q does not say the connection was refused", ws[0].Err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a dead graphite-web took %v", d)
	}
	if h := st.fleet.Publish(time.Now()).Health.Graphite; !h.Configured || h.OK {
		t.Errorf("graphite health %+v, want configured and failing", h)
	}
}

// A graphite-web that accepts and never answers costs a dashboard command its short timeout, and never holds
// the screen: Windows answers at once from the last drawing while the redraw waits in the background.
func TestHangingGraphiteNeverHoldsTheScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real time: run without -short")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // read nothing, answer nothing
		}
	}()
	st, err := New(Config{GroupBy: "appType", Graphite: "http://" + l.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	con, err := st.NewConsole(ConsoleOptions{ViewsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := con.Run("draw some.remote.metric in W on graphite"); err != nil {
		t.Fatalf("draw: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("a command against a hanging graphite-web took %v", d)
	}
	// the window is there at once, saying it is being drawn
	if ws := con.Windows().List; len(ws) != 1 || ws[0].Name != "W" || !ws[0].Loading {
		t.Errorf("windows while graphite-web hangs: %+v, want W loading", ws)
	}
	start = time.Now()
	for i := 0; i < 20; i++ {
		con.Windows()
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("20 calls of Windows took %v while graphite-web hangs", d)
	}
}
