package model

import (
	"math"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fleettop/fleettop/feeds/enc"
	"github.com/fleettop/fleettop/feeds/sflow"
)

func scalar(s string) enc.Value { return enc.Value{Kind: enc.KindScalar, Text: s, Tag: "!!str"} }

// waitClassified publishes until no host's ENC answer is pending, waiting (synctest.Wait) for the resolver's
// workers to answer what each publish asked for; it runs in a synctest bubble, with the resolver started in it.
func waitClassified(t *testing.T, f *Fleet, now time.Time) *Snapshot {
	t.Helper()
	for range 100 {
		snap := f.Publish(now)
		pending := false
		for _, h := range snap.Hosts {
			if h.ENCStatus == enc.Pending.String() {
				pending = true
			}
		}
		if !pending {
			return snap
		}
		synctest.Wait()
	}
	t.Fatal("ENC answers still pending after 100 publishes")
	return nil
}

type flowSpec struct {
	src, dst        string
	proto           uint8
	sport, dport    uint16
	payload         int
	rate            uint32
	viaSampledIP    bool // send a sampled_ipv4/ipv6 record instead of a sampled header
	sampledIPLength uint32
}

// The top-N tables, ENC grouping and loss accounting, from datagrams built, encoded and decoded: every expected
// figure is computed from what was sent.
func TestTablesGroupsAndLossEndToEnd(t *testing.T) { synctest.Test(t, testTablesGroupsAndLossEndToEnd) }

func testTablesGroupsAndLossEndToEnd(t *testing.T) {
	f := NewFleet(testOptions())
	w := newWire(t)
	r := enc.NewResolver(enc.NewStaticSource(map[string]*enc.Node{
		"web01": {Environment: "production", Classes: []string{"role::web"},
			Parameters: map[string]enc.Value{"appType": scalar("web"), "rack": scalar("0042")}},
		"cache01": {Environment: "staging", Parameters: map[string]enc.Value{"appType": scalar("cache")}},
	}), enc.Options{})
	defer r.Close()
	f.SetENC(r)

	web := newMachine("10.0.0.1")
	cache := newSender("10.0.0.2", 100000, 40001)
	memcached := newSender("10.0.0.2", 0, 40003)
	unknown := newSender("10.0.0.3", 100000, 40001) // not in the ENC
	sw := newSender("10.1.0.1", 0, 40010)

	flows := []flowSpec{
		{src: "10.0.0.1", dst: "192.168.1.20", proto: 6, sport: 443, dport: 50000, payload: 1000, rate: 100},
		{src: "192.168.1.30", dst: "10.0.0.100", proto: 17, sport: 5353, dport: 53, payload: 40, rate: 400},
		{src: "2001:db8::1", dst: "2001:db8::2", proto: 6, sport: 1234, dport: 80, rate: 1000, viaSampledIP: true,
			sampledIPLength: 1500},
	}
	expBytes := map[string]float64{}   // by source
	expPackets := map[string]float64{} // by source
	var totalBytes float64

	var injectedLoss uint64
	start := t0
	for k := range 6 { // six polls / switch datagrams, 10 s apart: t0 .. t0+50 s
		now := start.Add(time.Duration(k) * 10 * time.Second)
		web.poll(w, f, k, "web01")
		for _, s := range []*sender{cache, unknown} {
			name := map[*sender]string{cache: "cache01", unknown: "db01"}[s]
			w.send(f, s, now, func(d *sflow.Datagram) {
				c := s.counters(d, 2, 1)
				d.AddHostDescr(c, sflow.HostDescr{Hostname: []byte(name)})
				d.AddHostCPU(c, sflow.HostCPU{User: uint32(1000 * k), Idle: uint32(3000 * k), LoadOne: 0.5})
			})
		}
		// The switch: one datagram per poll with one sample of each flow; two datagrams lost at k = 2 and one at
		// k = 4, and the datagram of k = 5 arrives before the (late) one of k = 4... which was lost.
		if k == 2 {
			sw.seq += 2
			injectedLoss += 2
		}
		if k == 4 {
			sw.seq++
			injectedLoss++
		}
		w.send(f, sw, now, func(d *sflow.Datagram) {
			for i := range flows {
				fl := &flows[i]
				s := sw.flow(d, 0, uint32(3+i), fl.rate)
				src, dst := netip.MustParseAddr(fl.src), netip.MustParseAddr(fl.dst)
				var frame float64
				if fl.viaSampledIP {
					v := sflow.SampledIP{Length: fl.sampledIPLength, Protocol: uint32(fl.proto), SrcIP: src, DstIP: dst,
						SrcPort: uint32(fl.sport), DstPort: uint32(fl.dport)}
					d.AddSampledIPv6(s, v)
					frame = float64(fl.sampledIPLength)
				} else {
					h := header(t, sflow.PacketSpec{SrcMAC: [6]byte{2, 0, 0, 0, 0, byte(i)}, DstMAC: [6]byte{2, 0, 0, 0, 1, byte(i)},
						SrcIP: src, DstIP: dst, Protocol: fl.proto, SrcPort: fl.sport, DstPort: fl.dport, PayloadLen: fl.payload})
					d.AddSampledHeader(s, h)
					frame = float64(h.FrameLength)
				}
				d.AddExtSwitch(s, sflow.ExtSwitch{SrcVLAN: 10, DstVLAN: 10})
				expBytes[fl.src] += frame * float64(fl.rate)
				expPackets[fl.src] += float64(fl.rate)
				totalBytes += frame * float64(fl.rate)
			}
		})
	}

	// Applications: mod-sflow requests on web01 (one socket says it serves 10.0.0.100) and memcached
	// operations on cache01.
	type req struct {
		host, uri string
		status    int32
		durUS     uint32
	}
	reqs := []req{
		{"Example.com", "/index.html?session=1", 200, 2000},
		{"example.com", "/index.html?session=2", 200, 4000},
		{"example.com", "/index.html", 304, 3000},
		{"example.com", "/api/login", 500, 90000},
	}
	const httpRate, memRate = 10, 5
	now := start.Add(50 * time.Second)
	w.send(f, web.modSflow, now, func(d *sflow.Datagram) {
		for _, q := range reqs {
			s := web.modSflow.flow(d, 3, 80, httpRate)
			d.AddHTTPRequest(s, sflow.HTTPRequest{Method: sflow.HTTPMethodGet, Protocol: 1001, URI: []byte(q.uri),
				Host: []byte(q.host), Status: q.status, DurationUS: q.durUS})
			d.AddSocket(s, sflow.Socket{Protocol: 6, LocalIP: netip.MustParseAddr("10.0.0.100"),
				RemoteIP: netip.MustParseAddr("192.168.1.30"), LocalPort: 80, RemotePort: 50123})
		}
	})
	type op struct {
		key    string
		cmd    uint32
		status uint32
	}
	ops := []op{
		{"user:42", sflow.MemcacheCmdGet, sflow.MemcacheStatusOK},
		{"user:42", sflow.MemcacheCmdGet, sflow.MemcacheStatusOK},
		{"user:42", sflow.MemcacheCmdGet, sflow.MemcacheStatusOK},
		{"user:42", sflow.MemcacheCmdGet, sflow.MemcacheStatusNotFound},
		{"user:42", sflow.MemcacheCmdSet, sflow.MemcacheStatusStored},
		{"bin\x00key", sflow.MemcacheCmdGet, sflow.MemcacheStatusNotFound},
	}
	w.send(f, memcached, now, func(d *sflow.Datagram) {
		for _, o := range ops {
			s := memcached.flow(d, 3, 65537, memRate)
			d.AddMemcacheOp(s, sflow.MemcacheOp{Protocol: sflow.MemcacheProtoASCII, Cmd: o.cmd, Key: []byte(o.key),
				NKeys: 1, Status: o.status})
		}
	})

	pubAt := start.Add(75 * time.Second)
	snap := waitClassified(t, f, pubAt)
	// The tables cover the complete buckets, [0 s, 60 s) (60 to 70 s is still open): every datagram, sent at 0
	// to 50 s.
	span := 60.0
	if !snap.WindowStart.Equal(t0) || !snap.WindowEnd.Equal(t0.Add(60*time.Second)) {
		t.Errorf("window [%v, %v), want [t0, t0+60 s)", snap.WindowStart, snap.WindowEnd)
	}

	// Loss: exactly what was skipped.
	if snap.Health.Lost != injectedLoss {
		t.Errorf("Health.Lost = %d, want %d", snap.Health.Lost, injectedLoss)
	}
	for _, a := range snap.Agents {
		if a.Addr == sw.addr && (a.Lost != injectedLoss || a.Datagrams != 6 || a.Samples != 18 || a.Restarts != 0) {
			t.Errorf("switch agent row %+v, want Lost %d, 6 datagrams, 18 samples, no restart", a, injectedLoss)
		}
	}

	// Talkers by source.
	if len(snap.TalkersBySrc) != len(flows) {
		t.Fatalf("%d talkers by source, want %d", len(snap.TalkersBySrc), len(flows))
	}
	prev := math.Inf(1)
	for _, row := range snap.TalkersBySrc {
		src := row.Src.String()
		if !near(row.Bytes, expBytes[src]/span) || !near(row.Packets, expPackets[src]/span) {
			t.Errorf("talker %s: %v B/s %v pkt/s, want %v and %v", src, row.Bytes, row.Packets, expBytes[src]/span,
				expPackets[src]/span)
		}
		if !near(row.Share, expBytes[src]/totalBytes) || row.ErrBytes != 0 || row.Dst.IsValid() {
			t.Errorf("talker %s: share %v (want %v), err %v, dst %v", src, row.Share, expBytes[src]/totalBytes,
				row.ErrBytes, row.Dst)
		}
		if row.Bytes > prev {
			t.Errorf("talkers not sorted by bytes: %v after %v", row.Bytes, prev)
		}
		prev = row.Bytes
	}
	first := snap.TalkersBySrc[0] // 10.0.0.1 → 192.168.1.20, 100 × ~1058 B per sample
	if first.Src != netip.MustParseAddr("10.0.0.1") && first.Src != netip.MustParseAddr("2001:db8::1") {
		t.Errorf("heaviest source = %v", first.Src)
	}
	for _, row := range snap.TalkersBySrc {
		switch row.Src.String() {
		case "10.0.0.1":
			if row.SrcHost != "web01" || row.SrcGroup != "web" || row.Protocol != 6 || row.SrcPort != 443 || row.DstPort != 50000 {
				t.Errorf("web01's talker row: %+v", row)
			}
		case "2001:db8::1":
			if row.Protocol != 6 || row.DstPort != 80 || row.SrcHost != "" {
				t.Errorf("IPv6 talker from sampled_ipv6: %+v", row)
			}
		}
	}
	// By destination: 10.0.0.100 is web01's service address (from the socket record).
	var found bool
	for _, row := range snap.TalkersByDst {
		if row.Dst == netip.MustParseAddr("10.0.0.100") {
			found = true
			if row.DstHost != "web01" || row.DstGroup != "web" || row.DstPort != 53 || row.Src.IsValid() {
				t.Errorf("talker to web01's service address: %+v", row)
			}
		}
	}
	if !found || len(snap.TalkersByPair) != len(flows) {
		t.Errorf("by destination found %v; %d pairs, want %d", found, len(snap.TalkersByPair), len(flows))
	}

	// URLs: host lower-cased, query cut: three requests on /index.html.
	if len(snap.URLs) != 2 {
		t.Fatalf("URLs = %+v, want 2", snap.URLs)
	}
	idx := snap.URLs[0]
	if idx.Host != "example.com" || idx.Path != "/index.html" || !near(idx.Rate, 3*httpRate/span) {
		t.Errorf("top URL %+v, want example.com /index.html at %v req/s", idx, 3*httpRate/span)
	}
	if !near(idx.Status[2], 2.0/3) || !near(idx.Status[3], 1.0/3) || !near(idx.MeanMS, 3) || !near(idx.Share, 0.75) {
		t.Errorf("top URL status %v mean %v share %v, want 2/3 2xx, 1/3 3xx, mean 3 ms, share 0.75", idx.Status,
			idx.MeanMS, idx.Share)
	}
	if idx.P95MS < 3 || idx.P95MS > 6 { // the slowest of three is 4 ms; buckets are ±25 %
		t.Errorf("top URL p95 = %v ms, want within the 4 ms bucket", idx.P95MS)
	}
	webRow := findHost(t, snap, "web01")
	if idx.Server != webRow.ID || idx.Group != "web" {
		t.Errorf("top URL server %q group %q, want %q web", idx.Server, idx.Group, webRow.ID)
	}
	if api := snap.URLs[1]; api.Path != "/api/login" || api.Status[5] != 1 || !near(api.MeanMS, 90) {
		t.Errorf("second URL %+v", api)
	}

	// Memcache keys.
	if len(snap.Keys) != 2 {
		t.Fatalf("keys = %+v, want 2", snap.Keys)
	}
	k := snap.Keys[0]
	if k.Key != "user:42" || !near(k.Rate, 5*memRate/span) || !near(k.HitRatio, 0.75) ||
		!near(k.Cmds[sflow.MemcacheCmdGet], 0.8) || !near(k.Cmds[sflow.MemcacheCmdSet], 0.2) || k.Group != "cache" {
		t.Errorf("top key %+v", k)
	}
	if k2 := snap.Keys[1]; k2.Key != `bin\x00key` || k2.HitRatio != 0 {
		t.Errorf("second key %q hit ratio %v, want escaped bin\\x00key, 0", k2.Key, k2.HitRatio)
	}

	// Groups by appType: web, cache, then unclassified (db01, not in the ENC; vm01; the switch is no host).
	names := []string{}
	for _, g := range snap.Groups {
		names = append(names, g.Name)
	}
	if len(names) != 3 || names[0] != "cache" || names[1] != "web" || names[2] != Unclassified {
		t.Fatalf("groups %v, want [cache web unclassified]", names)
	}
	if g := findGroup(snap, "web"); g.Hosts != 1 || !near(g.HTTPRate, 100) {
		t.Errorf("web group: %+v", g)
	}
	if db := findHost(t, snap, "db01"); db.ENCStatus != "not found" || db.Group != Unclassified {
		t.Errorf("db01: ENCStatus %q group %q", db.ENCStatus, db.Group)
	}
	if webRow.ENCStatus != "ok" || webRow.Environment != "production" || webRow.Params["rack"] != "0042" ||
		len(webRow.Classes) != 1 {
		t.Errorf("web01 ENC data: status %q env %q params %v classes %v", webRow.ENCStatus, webRow.Environment,
			webRow.Params, webRow.Classes)
	}
	if !containsAll(snap.Fields, "appType", "environment", "rack", "classes") {
		t.Errorf("Fields = %v", snap.Fields)
	}
	if !snap.Health.ENC.Configured || !snap.Health.ENC.OK {
		t.Errorf("ENC health %+v", snap.Health.ENC)
	}
	// every lookup answered ("not found" is an answer): as many good as there were
	if h := snap.Health.ENC; h.Total < 3 || h.Good != h.Total {
		t.Errorf("ENC health %d good of %d, want all of at least 3", h.Good, h.Total)
	}

	// Switch the grouping at run time.
	f.SetGroupBy("environment")
	snap = f.Publish(pubAt)
	names = names[:0]
	for _, g := range snap.Groups {
		names = append(names, g.Name)
	}
	if snap.GroupBy != "environment" || len(names) != 3 || names[0] != "production" || names[1] != "staging" {
		t.Fatalf("grouped by environment: %v", names)
	}
	if row := snap.TalkersBySrc; len(row) == 0 {
		t.Fatal("no talkers after regrouping")
	}
	for _, row := range snap.TalkersBySrc {
		if row.Src.String() == "10.0.0.1" && row.SrcGroup != "production" {
			t.Errorf("talker group after switching = %q, want production", row.SrcGroup)
		}
	}
}

func containsAll(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}
