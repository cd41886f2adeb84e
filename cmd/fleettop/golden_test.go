package main

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
)

var updateGolden = flag.Bool("update-golden", false, "rebuild testdata/replay: the fixture capture, its ENC and the golden snapshot")

const (
	fixtureDir     = "testdata/replay"
	fixturePcap    = fixtureDir + "/fleet.pcap"
	fixtureENC     = fixtureDir + "/enc"
	fixtureGolden  = fixtureDir + "/snapshot.golden.json"
	fixtureSeconds = 40
)

// writeFixture records fixtureSeconds of a small simulated fleet (built with the encoder) as a pcap, with the
// ENC of its hosts as CERTNAME.yaml files.
func writeFixture(t *testing.T) {
	t.Helper()
	if err := os.RemoveAll(fixtureDir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(fixtureENC, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1767225600, 0).UTC()
	f := sim.New(sim.Options{Seed: 42, Hosts: sim.MinHosts, Start: start, Cycle: sim.MinCycle})
	if err := f.WriteENC(fixtureENC); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := sflow.NewPcapWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	src, dst := netip.MustParseAddrPort("127.0.0.1:40000"), netip.MustParseAddrPort("127.0.0.1:6343")
	for s := 1; s <= fixtureSeconds; s++ {
		now := start.Add(time.Duration(s) * time.Second)
		n := 0
		err := f.Tick(now, func(b []byte) error {
			n++
			// spread the second's datagrams over it, as agents do
			ts := now.Add(time.Duration(n) * time.Millisecond)
			return w.WriteDatagram(b, src, dst, ts)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fixturePcap, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The whole program: `fleettop replay` of the committed fixture capture with the fixture ENC produces a model
// snapshot equal to the checked-in golden. -update-golden rebuilds the fixture and the golden.
func TestReplayGolden(t *testing.T) {
	if *updateGolden {
		writeFixture(t)
	}
	out := filepath.Join(t.TempDir(), "snap.json")
	args := []string{"replay", "--speed", "0", "--headless", "--enc-file", fixtureENC, "--snapshot-json", out, fixturePcap}
	var stdout, stderr []byte
	var code int
	if testing.Short() {
		// The same program in this process: building the binary takes a link of seconds, left to the full suite.
		t.Setenv("XDG_CONFIG_HOME", t.TempDir())
		o, e, c := runCLI(args...)
		stdout, stderr, code = []byte(o), []byte(e), c
	} else {
		stdout, stderr, code = runFleettopEnv(t, buildFleettop(t), []string{"XDG_CONFIG_HOME=" + t.TempDir()}, nil,
			args...)
	}
	if code != 0 {
		t.Fatalf("replay exited %d: %s%s", code, stdout, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got = normaliseSnapshot(got)
	if *updateGolden {
		if err := os.WriteFile(fixtureGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(fixtureGolden)
	if err != nil {
		t.Fatalf("%v (run with -update-golden to create it)", err)
	}
	if !bytes.Equal(got, want) {
		diffPath := filepath.Join(t.TempDir(), "got.json")
		_ = os.WriteFile(diffPath, got, 0o644)
		t.Errorf("snapshot differs from %s; got written to %s\n%s", fixtureGolden, diffPath, firstDiff(got, want))
	}
	// the golden is not vacuous: hosts, groups from the ENC, and every table
	for _, re := range []string{`"Name": "web"`, `"Group": "memcached"`, `"TalkersByPair": \[\s*\{`, `"URLs": \[\s*\{`,
		`"Keys": \[\s*\{`, `"Hosts": [1-9]`} {
		if !regexp.MustCompile(re).Match(got) {
			t.Errorf("snapshot lacks %s", re)
		}
	}
}

// normaliseSnapshot blanks what legitimately differs between runs of the same replay: how many snapshots were
// published while the ENC answers arrived.
func normaliseSnapshot(b []byte) []byte {
	b = regexp.MustCompile(`(?m)^  "Version": \d+,$`).ReplaceAll(b, []byte(`  "Version": 0,`))
	// how long the ENC script took
	return regexp.MustCompile(`(?m)^( +"LastDuration": )"[^"]*",$`).ReplaceAll(b, []byte(`$1"0s",`))
}

func firstDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) && i < len(bl); i++ {
		if !bytes.Equal(al[i], bl[i]) {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + string(al[i]) + "\n  want: " + string(bl[i])
		}
	}
	return "lengths differ: " + strconv.Itoa(len(al)) + " vs " + strconv.Itoa(len(bl)) + " lines"
}
