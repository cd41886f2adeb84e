package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/relay"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/cluster"
	"github.com/fleettop/fleettop/internal/cluster/clustertest"
	"github.com/fleettop/fleettop/internal/natstest"
	fmodel "github.com/fleettop/fleettop/model"
)

// clusterApp is a collector's App listening on loopback with the sim fleet's ENC, forwarding to forward, stopped
// when the test ends, stamping each datagram with clock.
func clusterApp(t *testing.T, fl *sim.Fleet, clock func() time.Time, forward ...string) *App {
	t.Helper()
	cfg := Config{Listen: "127.0.0.1:0", Workers: 2, Queue: 65536, GroupBy: "appType", Window: time.Minute,
		Step: time.Minute, ENC: ENCConfig{Source: enc.NewStaticSource(fl.ENC()), Timeout: 5 * time.Second},
		Clock: clock}
	for _, s := range forward {
		tg, err := relay.ParseTarget(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Cluster.Forward = append(cfg.Cluster.Forward, tg)
	}
	a, _ := listening(t, cfg)
	return a
}

// The whole chain over real sockets: the simulated fleet sends 12 s of its life in real time (two counter
// polls of every host) to a reference collector, which forwards every
// datagram unchanged (--forward) to `fleettop relay`, which splits the agents across three collectors; they
// publish over a real NATS server and one subscriber merges them. The merged snapshot equals the reference's:
// hosts, groups, loss identical, the top-20 rows within the merged bounds; the datagram counts add up exactly
// at every hop; /metrics of a collector parses with the Prometheus text parser.
func TestThreeCollectorsThroughRelayAndNATS(t *testing.T) {
	if testing.Short() {
		t.Skip("12 s of a simulated fleet in real time")
	}
	srv := natstest.Start(t)
	// The collectors' clock runs at the machine's pace from the start of the next minute (the series step): the
	// datagrams of the next 15 s fall into the same step at every collector, whatever the time of day and their
	// few microseconds of forwarding delay. A minute ahead at most, the snapshots stay recent for /healthz.
	start, base := time.Now(), time.Now().Truncate(time.Minute).Add(time.Minute)
	clock := func() time.Time { return base.Add(time.Since(start)) }
	fl := sim.New(sim.Options{Seed: 11, Hosts: 60, Start: time.Unix(1767225600, 0), Impair: sim.Impairments{Loss: 0.02}})
	var parts []*App
	var to []string
	for range 3 {
		st := clusterApp(t, fl, clock)
		parts = append(parts, st)
		to = append(to, st.listener.LocalAddr().String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rl, err := StartRelay(ctx, RelayConfig{Listen: "127.0.0.1:0", To: strings.Join(to, ",")})
	if err != nil {
		t.Fatal(err)
	}
	defer rl.Close()
	ref := clusterApp(t, fl, clock, rl.ListenAddr().String())
	if err := ref.startMetrics("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}

	stats, err := sim.Sender{To: ref.listener.LocalAddr().String(), Duration: 12 * time.Second}.Run(ctx, fl)
	if err != nil {
		t.Fatal(err)
	}
	sent := int(stats.Datagrams)
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := uint64(0)
		for _, st := range parts {
			n += st.fleet.Publish(clock()).Health.Datagrams
		}
		if n == uint64(sent) && ref.fleet.Publish(clock()).Health.Datagrams == uint64(sent) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sent %d datagrams; the reference has %d, the collectors %d", sent,
				ref.fleet.Snapshot().Health.Datagrams, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if fw, errs := ref.cl.forwarder.Targets[0].Sent(); fw != uint64(sent) || errs != 0 {
		t.Errorf("forwarded %d datagrams (%d errors), want %d", fw, errs, sent)
	}
	relayed := uint64(0)
	for i, tg := range rl.split.Targets {
		n, _ := tg.Sent()
		if got := parts[i].listener.Stats().Received; got != n {
			t.Errorf("relay sent %d datagrams to collector %d, it received %d", n, i, got)
		}
		if n == 0 {
			t.Errorf("collector %d got no agent", i)
		}
		relayed += n
	}
	if relayed != uint64(sent) {
		t.Errorf("relayed %d datagrams, want %d", relayed, sent)
	}

	// every table bucket complete (the grace bucket passed, 2.1 s on), every ENC answer in: publish all at one
	// moment
	now := clock().Add(2100 * time.Millisecond)
	ref.SettleENC(ctx, now)
	want := ref.fleet.Publish(now)
	sub, err := cluster.Subscribe(ctx, mustConnect(t, srv.URL()), cluster.SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	for i, st := range parts {
		st.SettleENC(ctx, now)
		pub, err := cluster.NewPublisher(mustConnect(t, srv.URL()), fmt.Sprintf("c%d", i+1))
		if err != nil {
			t.Fatal(err)
		}
		if err := pub.Publish(ctx, st.fleet.Publish(now)); err != nil {
			t.Fatal(err)
		}
	}
	var got *fmodel.Snapshot
	for deadline := time.Now().Add(5 * time.Second); ; {
		got = sub.Merge(time.Now()) // the subscriber heard the collectors on the machine's clock
		if len(got.Hosts) == len(want.Hosts) && len(got.Devices) == len(want.Devices) && got.Health.StaleHosts == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("merged %d hosts, want %d", len(got.Hosts), len(want.Hosts))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if want.Health.Lost == 0 || len(want.Hosts) < 60 {
		t.Fatalf("the reference lost %d datagrams and has %d hosts: the test does not test loss", want.Health.Lost,
			len(want.Hosts))
	}
	if len(want.Devices) == 0 {
		t.Fatal("the reference has no network devices: the test does not test their merge")
	}
	clustertest.Compare(t, got, want, true)
	t.Logf("%d datagrams sent, %d lost; %d hosts, %d devices, %d groups merged", sent, want.Health.Lost,
		len(got.Hosts), len(got.Devices), len(got.Groups))

	checkMetrics(t, "http://"+ref.cl.metrics.addr.String(), want)
}

func mustConnect(t *testing.T, url string) *cluster.Conn {
	t.Helper()
	c, err := cluster.Connect(cluster.ConnOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// checkMetrics scrapes /metrics, parses it with the Prometheus text parser and checks the figures against the
// snapshot s, then /healthz.
func checkMetrics(t *testing.T, base string, s *fmodel.Snapshot) {
	t.Helper()
	value := func(name string, labels ...string) float64 {
		t.Helper()
		return scrape(t, base, name, labels...)
	}
	if got := value("fleettop_datagrams_total"); got != float64(s.Health.Datagrams) {
		t.Errorf("fleettop_datagrams_total %v, want %d", got, s.Health.Datagrams)
	}
	if got := value("fleettop_lost_datagrams_total"); got != float64(s.Health.Lost) {
		t.Errorf("fleettop_lost_datagrams_total %v, want %d", got, s.Health.Lost)
	}
	a := s.Agents[len(s.Agents)/2]
	if got := value("fleettop_agent_datagrams_total", "agent", a.Addr.String(), "sub_agent", fmt.Sprint(a.SubAgent)); got != float64(a.Datagrams) {
		t.Errorf("agent %v: %v datagrams, want %d", a.Addr, got, a.Datagrams)
	}
	if got := value("fleettop_forwarded_datagrams_total"); got != float64(s.Health.Datagrams) {
		t.Errorf("fleettop_forwarded_datagrams_total %v, want %d", got, s.Health.Datagrams)
	}
	if got := value("fleettop_hosts", "state", "ok") + value("fleettop_hosts", "state", "stale"); got != float64(len(s.Hosts)) {
		t.Errorf("fleettop_hosts %v, want %d", got, len(s.Hosts))
	}
	hr, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	hr.Body.Close()
	if hr.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %s", hr.Status)
	}
}
