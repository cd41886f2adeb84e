package main

import (
	"context"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/internal/natstest"
)

// freeUDP returns a loopback UDP address nothing listens on right now.
func freeUDP(t *testing.T) string {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().String()
}

// The commands themselves: `collect --publish` ingests a simulated fleet and publishes it; `collect
// --subscribe --snapshot-json` started a second later writes the merged fleet, and its health lines say where
// the summaries come from.
func TestCollectPublishAndSubscribe(t *testing.T) {
	if testing.Short() {
		t.Skip("two collects of 7 s and 4 s")
	}
	srv := natstest.Start(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("FLEETTOP_NATS_TOKEN", "") // the test server has no auth
	listen := freeUDP(t)
	type result struct {
		code           int
		stdout, stderr string
	}
	runAsync := func(args ...string) <-chan result {
		ch := make(chan result, 1)
		go func() {
			var out, errb strings.Builder
			code := run(args, &out, &errb)
			ch <- result{code, out.String(), errb.String()}
		}()
		return ch
	}
	pub := runAsync("collect", "--listen", listen, "--publish", srv.URL(), "--collector-id", "edge-1",
		"--duration", "7s", "--interval", "1s")
	fl := sim.New(sim.Options{Seed: 2, Hosts: 12, Start: time.Now()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sendDone := make(chan error, 1)
	go func() {
		_, err := sim.Sender{To: listen, Duration: 6 * time.Second}.Run(ctx, fl)
		sendDone <- err
	}()
	time.Sleep(time.Second) // the subscriber starts after the collector: it gets the fleet from the stream
	snap := t.TempDir() + "/merged.json"
	sub := runAsync("collect", "--subscribe", srv.URL(), "--snapshot-json", snap, "--duration", "4s",
		"--interval", "1s")
	s := <-sub
	if s.code != 0 {
		t.Fatalf("subscriber exited %d: %s", s.code, s.stderr)
	}
	p := <-pub
	if p.code != 0 {
		t.Fatalf("collector exited %d: %s", p.code, p.stderr)
	}
	if err := <-sendDone; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.stdout, `nats="NATS nats://127.0.0.1`) || !strings.Contains(p.stdout, "as edge-1") {
		t.Errorf("collector's health lines do not say where it publishes:\n%s", p.stdout)
	}
	if !strings.Contains(s.stdout, "1 collectors, 0 stale") {
		t.Errorf("subscriber's health lines do not count the collector:\n%s", s.stdout)
	}
	b, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{`"Name": "web01.example.com"`, `"GroupBy": "appType"`, `"TalkersBySrc": \[\s*\{`} {
		if !regexp.MustCompile(re).Match(b) {
			t.Errorf("merged snapshot lacks %s", re)
		}
	}
}

// deploy/collect.yaml names only settings collect has, with values it accepts.
func TestDeployConfigExample(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errb strings.Builder
	// what would reach out (the ENC, NATS, ports) is overridden on the command line
	code := run([]string{"collect", "--config", "../../deploy/collect.yaml", "--listen", "127.0.0.1:0",
		"--enc-cmd", "", "--publish", "", "--metrics", "", "--snapshot-json", t.TempDir() + "/s.json",
		"--duration", "50ms"}, &out, &errb)
	if code != 0 {
		t.Fatalf("collect with the example config exited %d: %s", code, errb.String())
	}
}
