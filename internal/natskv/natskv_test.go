package natskv

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/internal/cluster"
	"github.com/fleettop/fleettop/internal/natstest"
	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/model/views"
)

func TestParseURL(t *testing.T) {
	for _, c := range []struct{ in, servers, bucket string }{
		{"nats://127.0.0.1:4222", "nats://127.0.0.1:4222", DefaultBucket},
		{"nats://127.0.0.1:4222/", "nats://127.0.0.1:4222", DefaultBucket},
		{"nats://h:4222/team-a", "nats://h:4222", "team-a"},
		{"tls://a:1,tls://b:2/ops_views", "tls://a:1,tls://b:2", "ops_views"},
	} {
		s, b, err := ParseURL(c.in)
		if err != nil || s != c.servers || b != c.bucket {
			t.Errorf("%s: %q %q %v, want %q %q", c.in, s, b, err, c.servers, c.bucket)
		}
	}
	for _, bad := range []string{"/home/me/views", "http://h:1/b", "nats://h:1/a/b", "nats://h:1/a.b", "nats:///b"} {
		if _, _, err := ParseURL(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// session is one dashboard's connection and bucket.
func session(t *testing.T, url, name string) Views {
	t.Helper()
	c, err := cluster.Connect(cluster.ConnOptions{URL: url, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	b := Open(c, "team")
	t.Cleanup(b.Close)
	return Views{b}
}

// waitFor polls cond until it holds, failing after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not %s after %s", what, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func view(name string, windows ...string) query.View {
	v := query.View{Name: name}
	for _, w := range windows {
		v.Windows = append(v.Windows, query.Window{Name: w, Targets: []query.Target{{Expr: "fleet." + w + ".cpu"}}, From: "-1h"})
	}
	return v
}

func names(vs []query.View) string {
	var n []string
	for _, v := range vs {
		n = append(n, v.Name)
	}
	return strings.Join(n, ",")
}

// Two dashboards share a bucket: a view one saves, the other lists and loads; a change and a removal reach
// the other through its watcher, without it asking; a document that does not validate is reported by name
// and does not hide the others.
func TestShareViews(t *testing.T) {
	srv := natstest.Start(t)
	a, b := session(t, srv.URL(), "alice"), session(t, srv.URL(), "bob")
	for _, s := range []Views{a, b} {
		select {
		case <-s.B.Synced():
		case <-time.After(5 * time.Second):
			t.Fatal("bucket not read in 5 s")
		}
	}
	if vs, err := b.List(); len(vs) != 0 || err != nil {
		t.Fatalf("empty bucket lists %q, %v", names(vs), err)
	}
	want := view("oncall", "web", "db")
	if err := a.Save(want); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "listed by bob", func() bool { vs, _ := b.List(); return names(vs) == "oncall" })
	got, err := b.Load("oncall")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("bob loads %+v, %v; want %+v", got, err, want)
	}

	changed := view("oncall", "cache")
	seen := b.B.Changes()
	if err := a.Save(changed); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the change at bob", func() bool { return b.B.Changes() > seen })
	if got, _ := b.Load("oncall"); !reflect.DeepEqual(got, changed) {
		t.Fatalf("after the change bob loads %+v", got)
	}

	if err := b.B.Put(ViewsKind, "broken", []byte("version: 9\n")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "broken seen by alice", func() bool { _, err := a.List(); return err != nil })
	vs, err := a.List()
	var ke *KeyError
	if names(vs) != "oncall" || !errors.As(err, &ke) || ke.Key != "views.broken" {
		t.Fatalf("with a broken document alice lists %q, %v", names(vs), err)
	}

	if err := a.Delete("oncall"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "removed at bob", func() bool { _, err := b.Load("oncall"); return err != nil })
	if _, err := b.Load("oncall"); !errors.Is(err, views.ErrNotFound) {
		t.Errorf("removed view: %v, want views.ErrNotFound", err)
	}
	if err := a.Delete("oncall"); !errors.Is(err, views.ErrNotFound) {
		t.Errorf("removing twice: %v", err)
	}
	if err := a.Save(view("ends.", "w")); err == nil {
		t.Error("a name ending in '.' (not a NATS key) saved")
	}
	if h := a.B.Health(); !h.OK || !strings.Contains(h.Summary, "1 shared") {
		t.Errorf("health %+v", h)
	}
}

// NATS goes down: writes fail at once saying so, reads go on from the copy saying how old it is, the health
// says NATS is down. It comes back on the same storage: both dashboards watch again, and a view saved by one
// reaches the other.
func TestServerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("waits on the wall clock for the clients to reconnect: run without -short")
	}
	srv := natstest.Start(t)
	a, b := session(t, srv.URL(), "alice"), session(t, srv.URL(), "bob")
	<-a.B.Synced()
	if err := a.Save(view("before", "w")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "listed by bob", func() bool { vs, _ := b.List(); return names(vs) == "before" })

	srv.Stop()
	waitFor(t, 5*time.Second, "down at alice", func() bool { return !a.B.Health().OK })
	t0 := time.Now()
	err := a.Save(view("during", "w"))
	if !errors.Is(err, ErrDown) {
		t.Fatalf("save with NATS down: %v", err)
	}
	if d := time.Since(t0); d >= OpTimeout {
		t.Errorf("save with NATS down took %s: it should fail at once", d)
	}
	waitFor(t, 5*time.Second, "down at bob", func() bool { return !b.B.Health().OK })
	vs, err := b.List()
	if names(vs) != "before" || !errors.Is(err, ErrStale) {
		t.Fatalf("bob lists %q, %v with NATS down", names(vs), err)
	}
	if _, err := b.Load("before"); err != nil {
		t.Errorf("bob loads from the copy: %v", err)
	}
	h := b.B.Health()
	t.Logf("down: %+v", h)
	if !strings.Contains(h.Summary, "NATS down") {
		t.Errorf("health while down: %+v", h)
	}

	srv.Restart()
	waitFor(t, 10*time.Second, "both up again", func() bool { return a.B.Health().OK && b.B.Health().OK })
	if err := b.Save(view("after", "w")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "bob's view at alice", func() bool { vs, _ := a.List(); return names(vs) == "after,before" })
}

// A dashboard started while NATS is down says so and fails writes; it reads the bucket once NATS comes.
func TestStartWithNATSDown(t *testing.T) {
	if testing.Short() {
		t.Skip("waits on the wall clock for the client to connect: run without -short")
	}
	srv := natstest.Start(t)
	srv.Stop()
	a := session(t, srv.URL(), "alice")
	if _, err := a.List(); !errors.Is(err, ErrStale) {
		t.Errorf("list before the bucket was read: %v", err)
	}
	if err := a.Save(view("x", "w")); !errors.Is(err, ErrDown) {
		t.Errorf("save before NATS came: %v", err)
	}
	if h := a.B.Health(); h.OK || !strings.Contains(h.Summary, "not read yet") {
		t.Errorf("health %+v", h)
	}
	srv.Restart()
	select {
	case <-a.B.Synced():
	case <-time.After(10 * time.Second):
		t.Fatal("bucket not read 10 s after NATS came")
	}
	if err := a.Save(view("x", "w")); err != nil {
		t.Fatal(err)
	}
	if vs, err := a.List(); names(vs) != "x" || err != nil {
		t.Errorf("lists %q, %v", names(vs), err)
	}
}
