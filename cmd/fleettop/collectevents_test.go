package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fleettop/fleettop/model/events"
)

// collect --script evaluates the script's thresholds on every snapshot: the event is a line on stdout, and
// --on-event runs a real script that gets it as valid JSON on stdin.
func TestCollectPrintsEventsAndRunsOnEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real time: run without -short")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	script := filepath.Join(dir, "thresholds.txt")
	got := filepath.Join(dir, "event.json")
	hook := filepath.Join(dir, "on event.sh") // a space: the command line is split as a shell would
	for path, text := range map[string]string{
		script: "# nothing is sending: the fleet is empty\nthreshold empty fleettop.fleet.hosts < 1\n",
		hook:   "#!/bin/sh\ncat > \"$1.tmp\" && mv \"$1.tmp\" \"$1\"\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb strings.Builder
	code := run([]string{"collect", "--listen", "127.0.0.1:0", "--interval", "1h", "--duration", "2500ms",
		"--script", script, "--views", filepath.Join(dir, "views"),
		"--on-event", `"` + hook + `" ` + got}, &out, &errb)
	if code != 0 {
		t.Fatalf("collect exited %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "threshold empty: fleettop.fleet.hosts < 1 for 0s, clears at 1.1") {
		t.Errorf("the script's output is not on stderr: %s", errb.String())
	}
	var line string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, " raised ") {
			line = l
		}
	}
	if !strings.HasSuffix(line, " raised empty fleettop.fleet.hosts fleettop.fleet.hosts=0 < 1 (clears at 1.1)") {
		t.Fatalf("no event line in stdout:\n%s", out.String())
	}
	data, err := os.ReadFile(got)
	if err != nil {
		t.Fatalf("--on-event wrote nothing: %v (stderr %s)", err, errb.String())
	}
	var ev events.Event
	if !json.Valid(data) || json.Unmarshal(data, &ev) != nil {
		t.Fatalf("not JSON: %q", data)
	}
	if ev.Kind != events.Raised || ev.Threshold != "empty" || ev.Series != "fleettop.fleet.hosts" || ev.Value != 0 ||
		!strings.HasPrefix(line, ev.Time.UTC().Format("2006-01-02T15:04:05Z")) {
		t.Fatalf("event %+v, line %q", ev, line)
	}
}

func TestCollectScriptErrors(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(bad, []byte("threshold x a.b >\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--script", bad}, exitError, "bad.txt: line 1: at byte 17: expected a number"},
		{[]string{"--script", filepath.Join(dir, "missing")}, exitError, "no such file"},
		{[]string{"--on-event", `notify "unclosed`}, exitUsage, `--on-event: unclosed "`},
		{[]string{"--on-event", "true", "--on-event-timeout", "0s"}, exitUsage, "--on-event-timeout"},
	} {
		var out, errb strings.Builder
		args := append([]string{"collect", "--listen", "127.0.0.1:0", "--duration", "10s", "--views", dir}, c.args...)
		if code := run(args, &out, &errb); code != c.code || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", c.args, code, errb.String(), c.code, c.want)
		}
	}
}
