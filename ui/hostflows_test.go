package ui

import (
	"bytes"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/fleettop/fleettop/feeds/sflow"
	"github.com/fleettop/fleettop/feeds/sflow/sim"
	"github.com/fleettop/fleettop/model"
)

// hostTruth is what a host's own tables should show, computed by the test from the decoded datagrams alone:
// per key, the sampling-scaled weight that arrived in the snapshot's window, per second.
type hostTruth struct {
	pairs, urls, keys map[string]float64
}

// simFleet feeds a model the simulated 600-host fleet for secs virtual seconds and keeps every decoded datagram
// with its time, for the truth.
type timedDatagram struct {
	at  time.Time
	buf []byte
}

func simFleet(t *testing.T, secs int) (*model.Fleet, *model.Snapshot, []timedDatagram) {
	t0 := time.Unix(1_700_000_000, 0)
	fl := sim.New(sim.Options{Seed: 7, Hosts: 600, Start: t0})
	f := model.NewFleet(model.Options{})
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	var kept []timedDatagram
	var now time.Time
	for at := 100 * time.Millisecond; at <= time.Duration(secs)*time.Second; at += 100 * time.Millisecond {
		now = t0.Add(at)
		err := fl.Tick(now, func(buf []byte) error {
			if err := dec.Decode(buf, &d); err != nil {
				return err
			}
			f.Ingest(&d, netip.AddrPortFrom(d.AgentAddr, 6343), now)
			kept = append(kept, timedDatagram{now, bytes.Clone(buf)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f, f.Publish(now), kept
}

// truthOf counts what of the datagrams concerns the host at agent address addr: talker pairs from or to one of
// its addresses (by the sampled header, else the sampled IP record), and the URLs and memcache keys its own agent
// reported. Its addresses are addr and the local addresses of the sockets its applications reported.
func truthOf(t *testing.T, dgs []timedDatagram, s *model.Snapshot, addr netip.Addr) hostTruth {
	tr := hostTruth{pairs: map[string]float64{}, urls: map[string]float64{}, keys: map[string]float64{}}
	dec := sflow.NewDecoder()
	var d sflow.Datagram
	mine := map[netip.Addr]bool{addr: true}
	for _, dg := range dgs {
		if err := dec.Decode(dg.buf, &d); err != nil {
			t.Fatal(err)
		}
		if d.AgentAddr != addr {
			continue
		}
		for i := range d.Samples {
			for j := range d.Samples[i].Records {
				if r := &d.Samples[i].Records[j]; r.Type == sflow.RecSocket {
					if so := d.Socket(r); so != nil && so.LocalIP.IsValid() {
						mine[so.LocalIP.Unmap()] = true
					}
				}
			}
		}
	}
	span := s.WindowEnd.Sub(s.WindowStart).Seconds()
	for _, dg := range dgs {
		if dg.at.Before(s.WindowStart) || !dg.at.Before(s.WindowEnd) {
			continue
		}
		if err := dec.Decode(dg.buf, &d); err != nil {
			t.Fatal(err)
		}
		for i := range d.Samples {
			sm := &d.Samples[i]
			if sm.Kind != sflow.SampleKindFlow {
				continue
			}
			w := float64(max(sm.SamplingRate, 1)) / span
			talked := false
			var fallback *sflow.SampledIP
			for j := range sm.Records {
				r := &sm.Records[j]
				switch r.Type {
				case sflow.RecSampledHeader:
					if h := d.SampledHeader(r); h != nil && !talked && h.Packet.IPVersion != 0 {
						talked = true
						if mine[h.Packet.SrcIP.Unmap()] || mine[h.Packet.DstIP.Unmap()] {
							tr.pairs[h.Packet.SrcIP.String()+" "+h.Packet.DstIP.String()] += float64(h.FrameLength) * w
						}
					}
				case sflow.RecSampledIPv4, sflow.RecSampledIPv6:
					if r.Type == sflow.RecSampledIPv4 {
						fallback = d.SampledIPv4(r)
					} else {
						fallback = d.SampledIPv6(r)
					}
				case sflow.RecHTTPRequest:
					if h := d.HTTPRequest(r); h != nil && d.AgentAddr == addr {
						path, _, _ := strings.Cut(string(h.URI), "?")
						tr.urls[strings.ToLower(string(h.Host))+path] += w
					}
				case sflow.RecMemcacheOp:
					if m := d.MemcacheOp(r); m != nil && d.AgentAddr == addr {
						tr.keys[string(m.Key)] += w
					}
				}
			}
			if f := fallback; !talked && f != nil && (mine[f.SrcIP.Unmap()] || mine[f.DstIP.Unmap()]) {
				tr.pairs[f.SrcIP.String()+" "+f.DstIP.String()] += float64(f.Length) * w
			}
		}
	}
	return tr
}

// inGlobalTables says whether host h appears in any of the snapshot's top-N tables.
func inGlobalTables(s *model.Snapshot, h *model.HostRow) bool {
	for _, ts := range [][]model.TalkerRow{s.TalkersBySrc, s.TalkersByDst, s.TalkersByPair} {
		for _, r := range ts {
			if r.Src == h.Agent || r.Dst == h.Agent || r.SrcHost == h.Name || r.DstHost == h.Name {
				return true
			}
		}
	}
	for _, u := range s.URLs {
		if u.Server == h.ID {
			return true
		}
	}
	for _, k := range s.Keys {
		if k.Server == h.ID {
			return true
		}
	}
	return false
}

func within(got, want, tol float64) bool { return math.Abs(got-want) <= tol*want }

// TestHostFlowsMatchTruth drills, in the running dashboard over a real model of the simulated fleet, into a web
// server and a memcached server that are in no global top-50 table, and checks that their own talkers, URLs and
// keys are listed with the figures of the truth (within 2 %), on the screen and in every row of the model's answer.
func TestHostFlowsMatchTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 70 s of a 600-host fleet")
	}
	f, s, dgs := simFleet(t, 70)
	var web, cache *model.HostRow
	for _, h := range s.Hosts {
		if inGlobalTables(s, h) {
			continue
		}
		switch {
		case web == nil && strings.HasPrefix(h.Name, "web"):
			web = h
		case cache == nil && strings.HasPrefix(h.Name, "cache"):
			cache = h
		}
	}
	if web == nil || cache == nil {
		t.Fatalf("no web and cache host outside the global tables (web %v, cache %v)", web, cache)
	}
	for _, h := range []*model.HostRow{web, cache} {
		tr := truthOf(t, dgs, s, h.Agent)
		fl := f.HostFlows(h.ID, 1000)
		if fl.Partial || !fl.Start.Equal(s.WindowStart) || !fl.End.Equal(s.WindowEnd) {
			t.Errorf("%s: flows cover %v..%v partial %v, want the window %v..%v", h.Name, fl.Start, fl.End,
				fl.Partial, s.WindowStart, s.WindowEnd)
		}
		checkRows(t, h.Name+" talkers", tr.pairs, len(fl.Talkers), func(i int) (string, float64) {
			return fl.Talkers[i].Src.String() + " " + fl.Talkers[i].Dst.String(), fl.Talkers[i].Bytes
		})
		checkRows(t, h.Name+" URLs", tr.urls, len(fl.URLs), func(i int) (string, float64) {
			return fl.URLs[i].Host + fl.URLs[i].Path, fl.URLs[i].Rate
		})
		checkRows(t, h.Name+" keys", tr.keys, len(fl.Keys), func(i int) (string, float64) {
			return fl.Keys[i].Key, fl.Keys[i].Rate
		})
		for _, u := range fl.URLs {
			if u.Server != h.ID {
				t.Errorf("%s: URL %s%s credited to %s", h.Name, u.Host, u.Path, u.Server)
			}
		}
	}
	if len(truthOf(t, dgs, s, web.Agent).urls) == 0 || len(truthOf(t, dgs, s, cache.Agent).keys) == 0 {
		t.Fatal("the chosen hosts serve nothing: the test would prove nothing")
	}

	// The dashboard: the only group, then the host by a filter, then its page.
	for _, h := range []*model.HostRow{web, cache} {
		tr := truthOf(t, dgs, s, h.Agent)
		m, err := New(f, nil, Options{Now: fixedNow, Environ: []string{"TERM=xterm-256color"}, Refresh: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(200, 60))
		fw := &flow{t: t, tm: tm, m: m}
		fw.waitFor("the dashboard", has("Groups"))
		fw.keys("enter")
		fw.waitFor("the hosts page", has("Hosts"))
		fw.keys("/")
		for _, c := range h.Name {
			fw.keys(string(c))
		}
		fw.keys("enter", "enter")
		topURL, topKey := top(tr.urls), top(tr.keys)
		want := []string{"Talkers", "URLs served", "Memcache keys"}
		screen := fw.waitFor(h.Name+"'s own flows", func(sc string) bool {
			return has(want...)(sc) && (topURL == "" || strings.Contains(sc, topURL)) &&
				(topKey == "" || strings.Contains(sc, topKey))
		})
		if topURL != "" {
			checkScreen(t, screen, topURL, tr.urls[topURL])
		}
		if topKey != "" {
			checkScreen(t, screen, topKey, tr.keys[topKey])
		}
		tm.Send(press("q"))
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	}
}

// checkRows compares every row of the model's answer with the truth, and the keys listed with the truth's.
func checkRows(t *testing.T, what string, truth map[string]float64, n int, row func(int) (string, float64)) {
	t.Helper()
	if n != len(truth) {
		t.Errorf("%s: %d rows, the truth has %d keys", what, n, len(truth))
	}
	for i := range n {
		k, v := row(i)
		if want, ok := truth[k]; !ok || !within(v, want, 0.02) {
			t.Errorf("%s: %q at %.4g, truth %.4g (listed %v)", what, k, v, want, ok)
		}
	}
}

func top(m map[string]float64) string {
	best := ""
	for k, v := range m {
		if best == "" || v > m[best] || (v == m[best] && k < best) {
			best = k
		}
	}
	return best
}

var siNumber = regexp.MustCompile(`(\d+(?:\.\d+)?)([kMGTPE]?)`)

// checkScreen finds the line of key on the screen and wants one of its figures within 2 % of want.
func checkScreen(t *testing.T, screen, key string, want float64) {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		i := strings.Index(line, key)
		if i < 0 {
			continue
		}
		for _, m := range siNumber.FindAllStringSubmatch(line[i+len(key):], -1) {
			v, _ := strconv.ParseFloat(m[1], 64)
			if m[2] != "" {
				v *= math.Pow(1000, float64(strings.Index("kMGTPE", m[2])+1))
			}
			if within(v, want, 0.02) {
				return
			}
		}
		t.Errorf("line of %q shows no figure within 2 %% of %.4g:\n%s", key, want, line)
		return
	}
	t.Errorf("%q is not on the screen:\n%s", key, screen)
}
