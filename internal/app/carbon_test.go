package app

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model/tree"
)

// whisperSeries lists the series carbon-cache has created under prefix: the .wsp files below its directory,
// as dotted paths, with their total size.
func whisperSeries(t *testing.T, root, prefix string) (map[string]bool, int64) {
	t.Helper()
	dir := filepath.Join(root, filepath.FromSlash(strings.ReplaceAll(prefix, ".", "/")))
	series := map[string]bool{}
	var size int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".wsp") {
			return err
		}
		rel, _ := filepath.Rel(root, strings.TrimSuffix(path, ".wsp"))
		series[strings.ReplaceAll(filepath.ToSlash(rel), "/", ".")] = true
		if info, err := d.Info(); err == nil {
			size += info.Size()
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return series, size
}

// waitWhisper waits (at most a minute: carbon-cache creates files asynchronously) until the series under
// prefix are exactly want.
func waitWhisper(t *testing.T, root, prefix string, want map[string]bool) int64 {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		got, size := whisperSeries(t, root, prefix)
		if maps.Equal(got, want) {
			return size
		}
		if time.Now().After(deadline) {
			extra, missing := 0, 0
			for s := range got {
				if !want[s] {
					extra++
				}
			}
			for s := range want {
				if !got[s] {
					missing++
				}
			}
			t.Fatalf("carbon has %d series under %s, %d of them not pushed, %d pushed ones missing", len(got), prefix,
				extra, missing)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// Ten minutes of the 60-host demo (virtual time), pushed to a real carbon-cache as collect pushes it with
// the default choice of series, create a bounded set of whisper files (tree.CarbonSeriesBound), all under
// --carbon-prefix, and no new one after the first minute.
func TestCarbonPushOfTheDemoIsBoundedAndStable(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates ten minutes of the demo fleet")
	}
	carbonAddr, _ := realGraphite(t)
	scratch := os.Getenv("FLEETTOP_GRAPHITE_SCRATCH")
	if scratch == "" {
		t.Fatal("FLEETTOP_GRAPHITE_SCRATCH not set: scripts/graphite-up.sh prints it with FLEETTOP_CARBON")
	}
	whisper := filepath.Join(scratch, "storage", "whisper")
	prefix := fmt.Sprintf("fleettop_test.r%d_%d.collector", time.Now().UnixNano(), os.Getpid())

	series, err := tree.NewCarbonSeries(prefix, nil, nil, tree.DefaultCarbonRanks)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-11 * time.Minute).Truncate(time.Second) // inside carbon's 10s:6h archive
	f := sim.New(sim.Options{Seed: 1, Hosts: sim.DefaultHosts, Start: start})
	st, err := New(Config{ENC: ENCConfig{Source: enc.NewStaticSource(f.ENC()), Timeout: 5 * time.Second},
		Carbon: CarbonConfig{Addr: carbonAddr, Series: series}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	push := &carbonPusher{carbon: st.carbon, series: st.series}
	every := 10 // seconds, collect's default --carbon-interval

	sent := map[string]bool{}
	var firstMinute map[string]bool
	seconds := 0
	err = Simulate(context.Background(), f, st.fleet, 10*time.Minute, func() {
		if seconds++; seconds%every != 0 {
			return
		}
		for _, p := range push.push(st.fleet.Snapshot()) {
			if !strings.HasPrefix(p.Path, prefix+".") {
				t.Fatalf("%s pushed outside the prefix %s", p.Path, prefix)
			}
			sent[p.Path] = true
		}
		if seconds == 60 {
			firstMinute = maps.Clone(sent)
			waitWhisper(t, whisper, prefix, firstMinute)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := st.carbon.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if h := st.carbon.Health(); h.Dropped != 0 || h.Rejected != 0 || h.Sent == 0 {
		t.Fatalf("carbon client: %+v", h)
	}
	size := waitWhisper(t, whisper, prefix, sent)

	// the appTypes, and "unclassified" for the seconds before the ENC answers
	bound := tree.CarbonSeriesBound(len(sim.AppTypes())+1, tree.DefaultCarbonRanks)
	t.Logf("10 minutes of the %d-host demo: %d whisper series (%d after the first minute, bound %d), %d KiB",
		sim.DefaultHosts, len(sent), len(firstMinute), bound, size>>10)
	if len(sent) > bound {
		t.Errorf("%d series, more than the bound %d", len(sent), bound)
	}
	if len(sent) != len(firstMinute) {
		t.Errorf("%d series after the first minute, %d after ten: the set churns", len(firstMinute), len(sent))
	}
	groups := 0
	for s := range sent {
		if strings.HasSuffix(s, ".cpu.utilisation") && strings.HasPrefix(s, prefix+".groups.") {
			groups++
		}
	}
	if groups < len(sim.AppTypes()) {
		t.Errorf("only %d groups' CPU pushed, want the %d appTypes'", groups, len(sim.AppTypes()))
	}
}
