package main

import (
	"bytes"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
)

// simReceiver is a UDP socket on 127.0.0.1 that counts the sFlow datagrams it receives.
type simReceiver struct {
	conn      *net.UDPConn
	mu        sync.Mutex
	datagrams int
	bytes     int
	undecoded int
	last      time.Time
	first     chan struct{}
}

func newSimReceiver(t *testing.T) *simReceiver {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.SetReadBuffer(8 << 20); err != nil {
		t.Logf("receive buffer: %v", err)
	}
	r := &simReceiver{conn: conn, first: make(chan struct{})}
	done := make(chan struct{})
	t.Cleanup(func() {
		conn.Close()
		<-done
	})
	go func() {
		defer close(done)
		buf := make([]byte, 65536)
		dec := sflow.NewDecoder()
		var d sflow.Datagram
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			bad := dec.Decode(buf[:n], &d) != nil
			r.mu.Lock()
			if r.datagrams == 0 {
				close(r.first)
			}
			r.datagrams++
			r.bytes += n
			r.last = time.Now()
			if bad {
				r.undecoded++
			}
			r.mu.Unlock()
		}
	}()
	return r
}

// settle waits until nothing has arrived for 300 ms and returns the counts.
func (r *simReceiver) settle() (datagrams, bytes, undecoded int) {
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
		time.Sleep(100 * time.Millisecond)
		r.mu.Lock()
		quiet := time.Since(r.last) > 300*time.Millisecond
		datagrams, bytes, undecoded = r.datagrams, r.bytes, r.undecoded
		r.mu.Unlock()
		if quiet {
			break
		}
	}
	return datagrams, bytes, undecoded
}

var simSummary = regexp.MustCompile(`^sent (\d+) datagrams \((\d+) bytes\) in (\S+) \(([0-9.]+)/s\)\n$`)

// parseSimSummary reads the line `fleettop sim` prints.
func parseSimSummary(t *testing.T, out string) (datagrams, size int, elapsed time.Duration, rate float64) {
	t.Helper()
	m := simSummary.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output %q is not one summary line", out)
	}
	datagrams, _ = strconv.Atoi(m[1])
	size, _ = strconv.Atoi(m[2])
	elapsed, err := time.ParseDuration(m[3])
	if err != nil {
		t.Fatalf("duration in %q: %v", out, err)
	}
	rate, _ = strconv.ParseFloat(m[4], 64)
	return datagrams, size, elapsed, rate
}

func TestSimSendsToLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("sends for 1.5 s of wall time to check the rate limit: run without -short")
	}
	rx := newSimReceiver(t)
	var stdout, stderr bytes.Buffer
	// 200 hosts send about 380 datagrams/s once their first second is over: the limit holds them back.
	const limit = 100
	code := run([]string{"sim", "--to", rx.conn.LocalAddr().String(), "--hosts", "200", "--seed", "3",
		"--rate", strconv.Itoa(limit), "--duration", "1500ms"}, &stdout, &stderr)
	if code != exitOK || stderr.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	sent, size, elapsed, rate := parseSimSummary(t, stdout.String())
	got, gotBytes, undecoded := rx.settle()
	t.Log(strings.TrimSpace(stdout.String()))
	if sent < 20 || got != sent || gotBytes != size || undecoded > 0 {
		t.Fatalf("reported %d datagrams (%d bytes); received %d (%d bytes), %d undecodable",
			sent, size, got, gotBytes, undecoded)
	}
	if elapsed < 1400*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("ran %v for --duration 1500ms", elapsed)
	}
	if rate > limit*1.1 || rate < float64(sent)/elapsed.Seconds()*0.9 {
		t.Errorf("reported rate %.1f/s: %d datagrams in %v, limit %d/s", rate, sent, elapsed, limit)
	}
}

func TestSimUsage(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		code int
		say  string // in stderr
	}{
		{"help", []string{"-h"}, exitOK, "sent N datagrams (B bytes) in D (R/s)"},
		{"no destination", nil, exitUsage, "--to"},
		{"stray argument", []string{"--to", "127.0.0.1:6343", "extra"}, exitUsage, `"extra"`},
		{"unknown flag", []string{"--to", "127.0.0.1:6343", "--fast"}, exitUsage, "-fast"},
		{"too few hosts", []string{"--to", "127.0.0.1:6343", "--hosts", "5"}, exitUsage, "--hosts 5"},
		{"too many hosts", []string{"--to", "127.0.0.1:6343", "--hosts", "1000000"}, exitUsage, "--hosts"},
		{"negative rate", []string{"--to", "127.0.0.1:6343", "--rate", "-1"}, exitUsage, "--rate"},
		{"negative duration", []string{"--to", "127.0.0.1:6343", "--duration", "-1s"}, exitUsage, "--duration"},
		{"bad duration", []string{"--to", "127.0.0.1:6343", "--duration", "soon"}, exitUsage, "soon"},
		{"loss above 1", []string{"--to", "127.0.0.1:6343", "--loss", "1.5"}, exitUsage, "loss probability 1.5"},
		{"negative reorder", []string{"--to", "127.0.0.1:6343", "--reorder", "-0.1"}, exitUsage, "reorder probability"},
		{"restarts too often", []string{"--to", "127.0.0.1:6343", "--restart-every", "1s"}, exitUsage, "restart every 1s"},
		{"no port", []string{"--to", "127.0.0.1", "--duration", "1s"}, exitError, "127.0.0.1"},
		{"remote", []string{"--to", "192.0.2.1:6343", "--duration", "1s"}, exitError, "--allow-remote"},
		{"write without loop", []string{"--write-pcap", "x.pcap"}, exitUsage, "--write-pcap FILE needs --loop"},
		{"write and send", []string{"--loop", "1s", "--write-pcap", "x.pcap", "--to", "127.0.0.1:6343"}, exitUsage, "no --to"},
		{"loop and pcap", []string{"--to", "127.0.0.1:6343", "--loop", "1s", "--pcap", "x.pcap"}, exitUsage, "exclusive"},
		{"negative loop", []string{"--to", "127.0.0.1:6343", "--loop", "-1s"}, exitUsage, "--loop -1s"},
		{"impaired loop", []string{"--to", "127.0.0.1:6343", "--loop", "1s", "--loss", "0.1"}, exitUsage, "repeats its impairments"},
		{"missing capture", []string{"--to", "127.0.0.1:6343", "--pcap", "/nonexistent.pcap"}, exitError, "nonexistent.pcap"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"sim"}, c.args...), &stdout, &stderr)
			if code != c.code || !strings.Contains(stderr.String(), c.say) {
				t.Errorf("exit %d (want %d), stderr %q (want %q in it)", code, c.code, stderr.String(), c.say)
			}
			if c.code != exitOK && stdout.Len() > 0 {
				t.Errorf("stdout %q: nothing was sent", stdout.String())
			}
		})
	}
}

// --loop --write-pcap records the fleet to a capture; --pcap sends it round after round, faster than real time,
// and what arrives is every datagram sent.
func TestSimLoopRecordsAndReplays(t *testing.T) {
	path := t.TempDir() + "/fleet.pcap"
	var stdout, stderr bytes.Buffer
	code := run([]string{"sim", "--hosts", "12", "--loop", "3s", "--write-pcap", path}, &stdout, &stderr)
	if code != exitOK || stderr.Len() > 0 || !strings.HasPrefix(stdout.String(), "wrote ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	var recorded int
	if _, err := fmt.Sscanf(stdout.String(), "wrote %d datagrams", &recorded); err != nil || recorded == 0 {
		t.Fatalf("stdout %q: %v", stdout.String(), err)
	}
	rx := newSimReceiver(t)
	stdout.Reset()
	code = run([]string{"sim", "--pcap", path, "--to", rx.conn.LocalAddr().String(), "--rate", "20000",
		"--duration", "300ms"}, &stdout, &stderr)
	if code != exitOK || stderr.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	sent, size, _, _ := parseSimSummary(t, stdout.String())
	got, gotBytes, undecoded := rx.settle()
	if sent <= recorded || got != sent || gotBytes != size || undecoded > 0 {
		t.Fatalf("recorded %d, sent %d datagrams (%d bytes); received %d (%d bytes), %d undecodable",
			recorded, sent, size, got, gotBytes, undecoded)
	}
}
