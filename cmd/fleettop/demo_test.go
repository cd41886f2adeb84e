package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model"
)

// The demo, driven headlessly on simulated time: after a full incident cycle the model has hosts in every
// appType, talkers between groups, URLs, memcache keys, and each scripted incident showed in the figures.
func TestDemoHeadless(t *testing.T) {
	f := sim.New(sim.Options{Seed: 3, Start: time.Unix(1767225600, 0)})
	st, err := newStack(&liveFlags{groupBy: "appType", encTimeout: 5 * time.Second}, enc.NewStaticSource(f.ENC()))
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()

	var sawSurge, sawHotKey, sawSilent, sawBurst bool
	start := f.Now()
	err = simulate(context.Background(), f, st, sim.DefaultCycle+30*time.Second, func() {
		s := st.fleet.Snapshot()
		inc := f.IncidentAt(s.Time)
		if s.Time.Sub(inc.Start) < 40*time.Second { // give the windows time to fill
			return
		}
		switch inc.Kind {
		case sim.ErrorSurge:
			if g := group(s, inc.AppType); g != nil && g.HTTP5xxPct > 10 {
				sawSurge = true
			}
		case sim.HotKey:
			if len(s.Keys) > 0 && strings.Contains(s.Keys[0].Key, inc.Key) {
				sawHotKey = true
			}
		case sim.SilentHost:
			for _, h := range s.Hosts {
				if h.Name == inc.Host && h.State != model.HostOK {
					sawSilent = true
				}
			}
		case sim.TrafficBurst:
			for _, r := range s.TalkersByPair[:min(5, len(s.TalkersByPair))] {
				if (r.SrcGroup == inc.From && r.DstGroup == inc.To) || (r.SrcGroup == inc.To && r.DstGroup == inc.From) {
					sawBurst = true
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	s := st.fleet.Snapshot()
	if got := s.Time.Sub(start); got < sim.DefaultCycle {
		t.Fatalf("simulated %v, want a whole cycle", got)
	}
	for _, app := range sim.AppTypes() {
		if g := group(s, app); g == nil || g.Hosts == 0 {
			t.Errorf("no hosts in appType %s; groups %v", app, groupNames(s))
		}
	}
	if len(s.TalkersByPair) == 0 || len(s.URLs) == 0 || len(s.Keys) == 0 {
		t.Fatalf("empty tables: %d talker pairs, %d URLs, %d keys", len(s.TalkersByPair), len(s.URLs), len(s.Keys))
	}
	// URLs and keys are served by many hosts of their appType at once; each still has its group
	for _, rows := range [][]string{urlGroups(s), keyGroups(s)} {
		missing := 0
		for _, g := range rows {
			if g == "" {
				missing++
			}
		}
		if missing > 0 {
			t.Errorf("%d of %d URL/key rows have no group", missing, len(rows))
		}
	}
	between := 0
	for _, r := range s.TalkersByPair {
		if r.SrcGroup != "" && r.DstGroup != "" && r.SrcGroup != model.Unclassified && r.DstGroup != model.Unclassified {
			between++
		}
	}
	if between == 0 {
		t.Error("no talker pair has a group at both ends")
	}
	if s.Health.DecodeErrors != 0 {
		t.Errorf("%d decode errors on the simulator's datagrams", s.Health.DecodeErrors)
	}
	for name, saw := range map[string]bool{"5xx surge": sawSurge, "hot key": sawHotKey, "silent host": sawSilent,
		"traffic burst": sawBurst} {
		if !saw {
			t.Errorf("the %s incident never showed in the model", name)
		}
	}
}

func group(s *model.Snapshot, name string) *model.GroupRow {
	for i := range s.Groups {
		if s.Groups[i].Name == name {
			return &s.Groups[i]
		}
	}
	return nil
}

func urlGroups(s *model.Snapshot) (g []string) {
	for _, r := range s.URLs {
		g = append(g, r.Group)
	}
	return g
}

func keyGroups(s *model.Snapshot) (g []string) {
	for _, r := range s.Keys {
		g = append(g, r.Group)
	}
	return g
}

func groupNames(s *model.Snapshot) []string {
	var n []string
	for _, g := range s.Groups {
		n = append(n, fmt.Sprintf("%s:%d", g.Name, g.Hosts))
	}
	return n
}

// `fleettop sim` into `fleettop collect` over loopback at a moderate rate: the collector counts exactly what the
// load generator says it sent, with no drops and no sequence gaps.
func TestSimIntoCollect(t *testing.T) {
	bin := buildFleettop(t)
	dir := t.TempDir()
	snapPath := filepath.Join(dir, "snap.json")
	recPath := filepath.Join(dir, "rec.pcap")
	collect := exec.Command(bin, "collect", "--listen", "127.0.0.1:0", "--interval", "1s",
		"--snapshot-json", snapPath, "--record", recPath, "--config", os.DevNull)
	collect.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir)
	stderr, err := collect.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout strings.Builder
	collect.Stdout = &stdout
	if err := collect.Start(); err != nil {
		t.Fatal(err)
	}
	defer collect.Process.Kill()
	addr := ""
	sc := bufio.NewScanner(stderr)
	re := regexp.MustCompile(`listening on (\S+)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		t.Fatal("collect did not say where it listens")
	}
	go func() {
		for sc.Scan() {
		}
	}()

	out, serr, code := runFleettopEnv(t, bin, []string{"XDG_CONFIG_HOME=" + dir}, nil,
		"sim", "--to", addr, "--rate", "400", "--duration", "4s", "--seed", "9")
	if code != 0 {
		t.Fatalf("sim exited %d: %s", code, serr)
	}
	m := regexp.MustCompile(`sent (\d+) datagrams`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("sim printed %q", out)
	}
	sent, _ := strconv.ParseUint(m[1], 10, 64)
	if sent < 200 { // the fleet's natural rate is about 110 datagrams/s
		t.Fatalf("sim sent only %d datagrams in 4 s", sent)
	}
	time.Sleep(500 * time.Millisecond) // the last datagrams reach the socket
	if err := collect.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- collect.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("collect: %v\n%s", err, stdout.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("collect did not stop on SIGINT")
	}
	data, err := os.ReadFile(snapPath)
	if err != nil {
		t.Fatalf("snapshot json: %v", err)
	}
	var snap struct {
		Health struct {
			Datagrams    uint64
			QueueDrops   uint64
			Lost         uint64
			DecodeErrors uint64
		}
	}
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatalf("snapshot json: %v", err)
	}
	h := snap.Health
	if h.Datagrams != sent || h.QueueDrops != 0 || h.DecodeErrors != 0 {
		t.Errorf("collector: %+v; sim sent %d", h, sent)
	}
	if !strings.Contains(stdout.String(), fmt.Sprintf("datagrams=%d", sent)) {
		t.Errorf("final health line does not show %d datagrams:\n%s", sent, stdout.String())
	}

	// --record wrote every received datagram, and the file was closed cleanly on SIGINT: it decodes to the end
	rec, err := os.Open(recPath)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	pr, err := sflow.OpenPcap(rec, sflow.DefaultPort)
	if err != nil {
		t.Fatal(err)
	}
	var recorded uint64
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	for {
		b, _, _, err := pr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("recording: datagram %d: %v", recorded, err)
		}
		if err := dec.Decode(b, &d); err != nil {
			t.Fatalf("recorded datagram %d: %v", recorded, err)
		}
		recorded++
	}
	if recorded != sent {
		t.Errorf("recorded %d datagrams, sim sent %d", recorded, sent)
	}
}
