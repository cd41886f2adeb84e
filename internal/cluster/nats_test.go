package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fleettop/fleettop/internal/cluster/clustertest"
	"github.com/fleettop/fleettop/internal/natstest"
	"github.com/fleettop/fleettop/model"
)

func connect(t *testing.T, url, name string) *Conn {
	t.Helper()
	c, err := Connect(ConnOptions{URL: url, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func publisher(t *testing.T, url, id string) *Publisher {
	t.Helper()
	p, err := NewPublisher(connect(t, url, id), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// waitFor merges until cond holds, failing after limit.
func waitFor(t *testing.T, sub *Subscriber, limit time.Duration, what string, cond func(*model.Snapshot) bool) *model.Snapshot {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s := sub.Merge(time.Now())
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: not %s: %d hosts, %d stale, cluster %+v", limit, what, len(s.Hosts),
				s.Health.StaleHosts, s.Health.Cluster)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// republish has the publishers publish the snapshots again under a new time (as a collector does every second).
func republish(t *testing.T, ps []*Publisher, snaps []*model.Snapshot) {
	t.Helper()
	for i, p := range ps {
		if p == nil {
			continue
		}
		if err := p.Publish(context.Background(), snaps[i]); err != nil {
			t.Fatalf("publish %s: %v", p.ID, err)
		}
	}
}

// Three collectors publish over a real NATS server; a subscriber merges them into the single collector's
// snapshot. Then: one collector stops (stale within 2 s, hosts kept), comes back (fresh, no duplicates), the
// server restarts (publishers reconnect, the subscriber says NATS was down and recovers), and a subscriber
// started last sees the whole fleet from the stream at once.
func TestOverNATS(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real time: run without -short")
	}
	srv := natstest.Start(t)
	sp := newSplit(t, 60, 3)
	sp.run(t, 70*time.Second)
	ref, parts := sp.settle(t)

	ps := make([]*Publisher, 3)
	for i := range ps {
		ps[i] = publisher(t, srv.URL(), fmt.Sprintf("c%d", i+1))
	}
	sub, err := Subscribe(context.Background(), connect(t, srv.URL(), "dashboard"), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	republish(t, ps, parts)
	m := waitFor(t, sub, 5*time.Second, "all hosts", func(s *model.Snapshot) bool {
		return len(s.Hosts) == len(ref.Hosts) && len(s.Hosts[0].Series) > 0
	})
	if n, rejected, why := sub.Stats(); rejected > 0 {
		t.Fatalf("%d of %d messages rejected: %s", rejected, n, why)
	}
	clustertest.Compare(t, m, ref, false)
	st := ps[0].Stats()
	t.Logf("first publish of c1: %d messages, %d bytes", st.Messages, st.Bytes)
	republish(t, ps, parts)
	if again := ps[0].Stats(); again.Messages-st.Messages != 1 {
		t.Errorf("unchanged snapshot sent %d messages, want the state alone", again.Messages-st.Messages)
	}

	// c2 stops publishing; the others go on every 250 ms
	stopped := time.Now()
	m = waitFor(t, sub, 3*time.Second, "c2 stale", func(s *model.Snapshot) bool {
		republish(t, []*Publisher{ps[0], nil, ps[2]}, parts)
		return s.Health.StaleHosts == len(parts[1].Hosts)
	})
	if d := time.Since(stopped); d > 2*time.Second {
		t.Errorf("stale after %s", d)
	}
	if len(m.Hosts) != len(ref.Hosts) || m.Health.Cluster.OK {
		t.Errorf("with c2 stale: %d hosts (want %d kept), cluster %+v", len(m.Hosts), len(ref.Hosts), m.Health.Cluster)
	}
	t.Logf("stale after %s: %s", time.Since(stopped).Round(time.Millisecond), m.Health.Cluster.Summary)

	// c2 comes back as a new process
	ps[1] = publisher(t, srv.URL(), "c2")
	republish(t, ps, parts)
	m = waitFor(t, sub, 3*time.Second, "c2 fresh", func(s *model.Snapshot) bool { return s.Health.StaleHosts == 0 })
	clustertest.Compare(t, m, ref, false)

	// the server goes down and comes back on the same port and storage
	srv.Stop()
	waitFor(t, sub, 5*time.Second, "NATS down shown", func(s *model.Snapshot) bool { return !s.Health.Cluster.OK })
	if err := ps[0].Publish(context.Background(), parts[0]); err == nil {
		t.Error("publish with the server down did not fail")
	}
	srv.Restart()
	deadline := time.Now().Add(10 * time.Second)
	for _, p := range ps {
		for !p.conn.NC.IsConnected() {
			if time.Now().After(deadline) {
				t.Fatalf("%s did not reconnect", p.ID)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	before := sub.Snapshot().Health
	m = waitFor(t, sub, 5*time.Second, "fresh after the restart", func(s *model.Snapshot) bool {
		republish(t, ps, parts)
		return s.Health.Cluster.OK && s.Health.StaleHosts == 0
	})
	clustertest.Compare(t, m, ref, false)
	t.Logf("while down: %+v", before.Cluster)

	// cold start: a dashboard started now sees the fleet from the stream
	started := time.Now()
	cold, err := Subscribe(context.Background(), connect(t, srv.URL(), "late"), SubscribeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cold.Close()
	m = waitFor(t, cold, 2*time.Second, "the fleet at cold start", func(s *model.Snapshot) bool {
		if len(s.Hosts) != len(ref.Hosts) {
			return false
		}
		for _, h := range s.Hosts {
			if len(h.Series) == 0 {
				return false
			}
		}
		return true
	})
	t.Logf("cold start in %s", time.Since(started).Round(time.Millisecond))
	clustertest.Compare(t, m, ref, false)
	if _, rejected, why := cold.Stats(); rejected > 0 {
		t.Errorf("%d messages rejected: %s", rejected, why)
	}
}
