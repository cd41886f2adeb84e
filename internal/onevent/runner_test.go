//go:build unix

package onevent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/events"
)

// waitFor polls cond until it holds or the deadline passes (the commands run on the wall clock).
func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func sampleEvent(i int) events.Event {
	at := time.Date(2026, 12, 2, 14, 0, i, 0, time.UTC)
	return events.Event{Time: at, Kind: events.Raised, Threshold: "web_5xx", Target: "groups.*.http.5xx_pct",
		Series: "groups.web.http.5xx_pct", Group: "web", Value: 30 + float64(i), Op: ">", Line: 5, ClearLine: 4.5,
		Since: at.Add(-30 * time.Second)}
}

// writeScript writes an executable shell script.
func writeScript(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "on-event.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// A real script gets each event as one line of valid JSON on its standard input, in order.
func TestScriptReceivesJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "events.jsonl")
	script := writeScript(t, `cat >> "$1"`+"\n")
	argv, err := Split(script + " '" + out + "'")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Start(argv, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if !r.Send(sampleEvent(i)) {
			t.Fatalf("event %d dropped", i)
		}
	}
	r.Close(context.Background()) // lets the queued events run
	if st := r.Stats(); st != (Stats{Ran: 3}) {
		t.Fatalf("stats %+v", st)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for ; sc.Scan(); n++ {
		if !json.Valid(sc.Bytes()) {
			t.Fatalf("line %d is not JSON: %s", n, sc.Text())
		}
		var ev events.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev != sampleEvent(n) {
			t.Fatalf("line %d: %v %+v", n, err, ev)
		}
	}
	if n != 3 {
		t.Fatalf("%d lines, want 3", n)
	}
	if r.Send(sampleEvent(9)) || r.Stats().Dropped != 1 {
		t.Fatal("a closed runner took an event")
	}
}

// A hanging command never holds the sender: Send returns at once, a full queue drops and counts, and the
// command (with its children) is killed at its time limit.
func TestHangingCommandIsKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for three runs to be killed at their time limit, seconds of real time: run without -short")
	}
	pids := filepath.Join(t.TempDir(), "pids")
	script := writeScript(t, `sleep 1000 & echo $! >> "$1"; wait`+"\n")
	var errs []error
	errc := make(chan error, 16)
	r, err := Start([]string{script, pids}, Options{Timeout: 300 * time.Millisecond, Queue: 2, OnError: func(err error) { errc <- err }})
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for i := range 10 {
		if r.Send(sampleEvent(i)) {
			accepted++
		}
	}
	// one running (or about to), two queued: at least 7 dropped, at most 3 accepted. A Send that waited for
	// room would have dropped none.
	if accepted > 3 || r.Stats().Dropped != uint64(10-accepted) {
		t.Fatalf("accepted %d, stats %+v", accepted, r.Stats())
	}
	waitFor(t, "every accepted run killed", 10*time.Second, func() bool { return r.Stats().TimedOut == uint64(accepted) })
	for range accepted {
		errs = append(errs, <-errc)
	}
	for _, err := range errs {
		if !strings.Contains(err.Error(), "killed after 300ms") {
			t.Errorf("error %v", err)
		}
	}
	data, err := os.ReadFile(pids)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(data)) {
		pid, _ := strconv.Atoi(f)
		waitFor(t, "the script's sleep gone", 5*time.Second, func() bool {
			return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
		})
	}
	r.Close(context.Background())
}

// Close with a done context kills the running command at once and drops what waits.
func TestCloseKillsRunning(t *testing.T) {
	r, err := Start([]string{"sleep", "1000"}, Options{Timeout: time.Hour, Queue: 4})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		r.Send(sampleEvent(i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	r.Close(ctx)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Close took %v", d)
	}
	st := r.Stats()
	if st.Ran != 0 || st.Failed+st.Dropped != 3 || st.Dropped < 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestStartErrors(t *testing.T) {
	if _, err := Start(nil, Options{}); err == nil {
		t.Fatal("an empty command started")
	}
	var got error
	r, err := Start([]string{filepath.Join(t.TempDir(), "missing")}, Options{OnError: func(err error) { got = err }})
	if err != nil {
		t.Fatal(err)
	}
	r.Send(sampleEvent(0))
	r.Close(context.Background())
	if st := r.Stats(); st.Failed != 1 || got == nil || !strings.Contains(got.Error(), "web_5xx raised") {
		t.Fatalf("stats %+v, error %v", st, got)
	}
}
