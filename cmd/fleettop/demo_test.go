package main

import (
	"bufio"
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
	"sync"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// load generator says it sent, with no drops and no sequence gaps.
func TestSimIntoCollect(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sim into collect over loopback for seconds of wall time")
	}
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
	stdout := &healthLines{}
	collect.Stdout = stdout
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
	// collect prints a health line every second: wait for one that counts every datagram sim sent
	for deadline := time.Now().Add(10 * time.Second); stdout.latest() < sent; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("collect counts %d datagrams 10 s after sim sent %d:\n%s", stdout.latest(), sent, stdout.String())
		}
	}
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

// healthLines collects what collect prints on stdout and keeps the datagram count of its latest health line.
// collect's output is copied into it while the test reads it.
type healthLines struct {
	mu        sync.Mutex
	buf       strings.Builder
	datagrams uint64
}

var datagramsField = regexp.MustCompile(`datagrams=(\d+)`)

func (h *healthLines) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.buf.Write(p)
	if all := datagramsField.FindAllSubmatch(p, -1); len(all) > 0 {
		h.datagrams, _ = strconv.ParseUint(string(all[len(all)-1][1]), 10, 64)
	}
	return len(p), nil
}

// latest is the datagram count of the latest health line.
func (h *healthLines) latest() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.datagrams
}

func (h *healthLines) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.buf.String()
}
