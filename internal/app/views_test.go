package app

import (
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/internal/natstest"
)

// console is one fleettop session's command line with views in url.
func console(t *testing.T, url string) (*App, *Console) {
	t.Helper()
	a, err := New(Config{Views: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	con, err := a.NewConsole(ConsoleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := con.Notices(); len(n) > 0 {
		t.Fatalf("notices %q", n)
	}
	return a, con
}

func run(t *testing.T, con *Console, line string) string {
	t.Helper()
	rep, err := con.Run(line)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return rep.Output
}

// Two fleettop sessions share views through a NATS bucket (--views nats://...): what one saves, the other
// lists (keys 1-9 too) and loads; a later save reaches the other's list by itself. With NATS down the status
// says so, `save` fails with the reason at once and `views` warns the list may be old; after a restart both go
// on.
func TestSharedViewsBetweenSessions(t *testing.T) {
	srv := natstest.Start(t)
	url := srv.URL() + "/team"
	_, alice := console(t, url)
	bobApp, bob := console(t, url)

	run(t, alice, "create Web")
	run(t, alice, "draw fleet.*.*.cpu.utilisation in Web")
	run(t, alice, "change Web from -1h")
	if out := run(t, alice, "save oncall"); !strings.Contains(out, "oncall") {
		t.Fatalf("save said %q", out)
	}
	waitTrue(t, "alice's view in bob's list", func() bool { return strings.Join(bob.Views(), ",") == "oncall" })
	if out := run(t, bob, "views"); out != "oncall: Web" {
		t.Fatalf("bob's views: %q", out)
	}
	if out := run(t, bob, "load oncall"); out == "" || !strings.Contains(out, "Web") {
		t.Fatalf("bob's load said %q", out)
	}
	if w := bob.session.Windows; len(w) != 1 || w[0].From != "-1h" || len(w[0].Targets) != 1 {
		t.Fatalf("bob's windows after load: %+v", w)
	}

	run(t, alice, "save db")
	waitTrue(t, "alice's second view in bob's list", func() bool { return strings.Join(bob.Views(), ",") == "db,oncall" })
	if h := bobApp.Snapshot().Health.Views; !h.OK || !h.Configured {
		t.Errorf("views health %+v", h)
	}

	srv.Stop()
	waitTrue(t, "NATS down in bob's status", func() bool { return !bobApp.Snapshot().Health.Views.OK })
	t.Logf("status while down: %+v", bobApp.Snapshot().Health.Views)
	start := time.Now()
	if _, err := bob.Run("save mine"); err == nil || !strings.Contains(err.Error(), "NATS") {
		t.Errorf("save with NATS down: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("save with NATS down held the command line %s", d)
	}
	if out := run(t, bob, "views"); !strings.Contains(out, "oncall: Web") || !strings.Contains(out, "warning:") {
		t.Errorf("views with NATS down: %q", out)
	}

	srv.Restart()
	waitTrue(t, "bob's views up again", func() bool { return bobApp.Snapshot().Health.Views.OK })
	run(t, bob, "save mine")
	waitTrue(t, "bob's view in alice's list", func() bool { return strings.Join(alice.Views(), ",") == "db,mine,oncall" })
}

func waitTrue(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not %s after 10 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
