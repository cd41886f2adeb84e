package query_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

func mustExec(t *testing.T, s *query.Session, line string) query.Result {
	t.Helper()
	res, err := s.Execute(context.Background(), line)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return res
}

// A line that $variables would blow up past 64 KiB is refused with a clear error, and values do not nest.
func TestExpandBounded(t *testing.T) {
	s, _, _ := newSession(t)
	mustExec(t, s, "set a "+strings.Repeat("x", 1024))
	// 1,000 × 1 KiB would be 1 MiB (a 1 MiB line of $a was 512 MiB).
	_, err := s.Execute(context.Background(), "echo "+strings.Repeat("$a", 1000))
	if err == nil || !strings.Contains(err.Error(), "longer than 65536 bytes after $variable substitution") {
		t.Fatalf("error %v, want the expansion bound", err)
	}
	if res := mustExec(t, s, "echo "+strings.Repeat("$a", 60)); len(res.Output) != 60*1024 {
		t.Errorf("60 KiB expansion printed %d bytes", len(res.Output))
	}
	// Doubling a variable line after line stops at the value bound.
	mustExec(t, s, "set b y")
	for i := 0; ; i++ {
		if _, err := s.Execute(context.Background(), "set b $b$b"); err != nil {
			if !strings.Contains(err.Error(), "at most 1024 bytes") || i != 10 {
				t.Fatalf("after %d doublings: %v", i, err)
			}
			break
		}
	}
	// A value holding "$short" stays as it is: substitution is one pass, so it does not nest.
	mustExec(t, s, "set d short")
	mustExec(t, s, "set c $$d")
	if res := mustExec(t, s, "echo $c"); res.Output != "$short" {
		t.Errorf("echo $c printed %q, want $short", res.Output)
	}
}

func TestVariablesBounded(t *testing.T) {
	s, _, _ := newSession(t)
	for i := range 1000 {
		mustExec(t, s, fmt.Sprintf("set v%d %d", i, i))
	}
	if _, err := s.Execute(context.Background(), "set one_more 1"); err == nil || !strings.Contains(err.Error(), "already 1000 variables") {
		t.Fatalf("error %v, want the variables bound", err)
	}
	mustExec(t, s, "set v5 changed") // replacing is fine
	mustExec(t, s, "unset v6")
	mustExec(t, s, "set one_more 1")
}

func TestWindowsBounded(t *testing.T) {
	s, _, _ := newSession(t)
	for i := range 256 {
		mustExec(t, s, fmt.Sprintf("create W%d", i))
	}
	for _, line := range []string{"create W256", "draw battle.ships.built in W256"} {
		if _, err := s.Execute(context.Background(), line); err == nil || !strings.Contains(err.Error(), "at most 256 windows") {
			t.Errorf("%s: %v, want the windows bound", line, err)
		}
	}
	mustExec(t, s, "save full")
	if _, err := s.Execute(context.Background(), "load full above"); err == nil || !strings.Contains(err.Error(), "at most 256 windows") {
		t.Errorf("load above: %v, want the windows bound", err)
	}
	if len(s.Windows) != 256 {
		t.Errorf("%d windows after refusals", len(s.Windows))
	}
	mustExec(t, s, "load full") // replaces: fits
}

// A command failing half-way leaves every window as it was; copies of a window taken before a change (a
// background redraw's) do not see it.
func TestFailedCommandRestoresWindows(t *testing.T) {
	s, _, _ := newSession(t)
	mustExec(t, s, "create A")
	mustExec(t, s, "create B")
	mustExec(t, s, "change A yMax to 10")
	mustExec(t, s, "change B yMax to 1")
	mustExec(t, s, "change A areaMode to stacked")
	before := []query.Window{s.Windows[0].Clone(), s.Windows[1].Clone()}
	held, _ := s.Window("A")
	if _, err := s.Execute(context.Background(), "change * yMin to 5"); err == nil {
		t.Fatal("yMin above B's yMax accepted")
	}
	for i, w := range s.Windows {
		if w.YMin != nil || *w.YMax != *before[i].YMax || w.Params["areaMode"] != before[i].Params["areaMode"] {
			t.Errorf("window %s changed by a failed command: %+v", w.Name, w)
		}
	}
	mustExec(t, s, "change A areaMode to all")
	if held.Params["areaMode"] != "stacked" {
		t.Errorf("a copy taken before the change sees %q", held.Params["areaMode"])
	}
	if _, err := s.Execute(context.Background(), "draw nosuchfunc(a) in C"); err == nil {
		t.Fatal("bad draw accepted")
	}
	if _, ok := s.Window("C"); ok || len(s.Windows) != 2 {
		t.Errorf("a failed draw left window C: %+v", s.Windows)
	}
}

// lineWriter reports each output line of a script on a channel.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	w <- strings.TrimSpace(string(p))
	return len(p), nil
}

// A script reading from a pipe stops when its context is cancelled (SIGTERM), between lines, even while it
// waits for the next line; the error names the line it stopped at.
func TestScriptStopsOnCancel(t *testing.T) {
	s, _, _ := newSession(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(lineWriter, 10)
	done := make(chan error, 1)
	go func() { done <- query.RunScriptContext(ctx, pr, s, out) }()
	for _, word := range []string{"one", "two"} {
		if _, err := io.WriteString(pw, "echo "+word+"\n"); err != nil {
			t.Fatal(err)
		}
		if got := <-out; got != word {
			t.Fatalf("printed %q, want %q", got, word)
		}
	}
	cancel() // the script now waits for line 3, which never comes
	err := <-done
	var se *query.ScriptError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &se) || se.Line != 3 {
		t.Fatalf("error %v, want cancelled at line 3", err)
	}
	if !strings.Contains(err.Error(), "script stopped") {
		t.Errorf("error %q does not say the script stopped", err)
	}
}

// A time limit on a script (fleettop run --timeout) stops it the same way, on the bubble's clock.
func TestScriptTimeLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _, _ := newSession(t)
		pr, pw := io.Pipe()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		go func() { io.WriteString(pw, "create A\n") }() // then the pipe stays open
		start := time.Now()
		err := query.RunScriptContext(ctx, pr, s, io.Discard)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Minute {
			t.Errorf("error %v after %v, want the deadline after 1m", err, time.Since(start))
		}
		if len(s.Windows) != 1 {
			t.Errorf("the line before the limit did not run: %+v", s.Windows)
		}
		pw.Close()
	})
}

// BenchmarkExecuteChangeManyWindows is one command on a session holding the most windows: before, every
// command deep-copied every window.
func BenchmarkExecuteChangeManyWindows(b *testing.B) {
	s := &query.Session{Now: func() time.Time { return time.Unix(1_800_000_000, 0) }}
	for i := range 256 {
		if _, err := s.Execute(context.Background(), fmt.Sprintf("create W%d", i)); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Execute(context.Background(), fmt.Sprintf("change W%d areaMode to stacked", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Execute(context.Background(), "change W128 title to x"); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzExecute runs a script of fuzzed lines: no panic, the bounds hold, a failing line changes nothing.
func FuzzExecute(f *testing.F) {
	for _, seed := range []string{
		"create A\ndraw a.b in A\nchange A title to x\n",
		"set a xx\nset a $a$a\necho $a$a$a\n",
		"create A\nchange A yMax to 1\nchange * yMin to 5\n",
		"draw sum(a.*) in B\nadd b.c to B\nremove b.c from B\nrename B C\nclose C\n",
		"set x $y\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, script string) {
		s := &query.Session{Now: func() time.Time { return time.Unix(1_800_000_000, 0) }}
		for _, line := range strings.Split(script, "\n") {
			before := make([]query.Window, len(s.Windows))
			for i, w := range s.Windows {
				before[i] = w.Clone()
			}
			if _, err := s.Execute(context.Background(), line); err != nil {
				if len(s.Windows) != len(before) {
					t.Fatalf("%q failed (%v) and changed the windows", line, err)
				}
				for i := range before {
					if before[i].RenderURL() != s.Windows[i].RenderURL() || before[i].Name != s.Windows[i].Name {
						t.Fatalf("%q failed (%v) and changed window %d", line, err, i)
					}
				}
			}
			if len(s.Windows) > 256 || len(s.Vars) > 1000 {
				t.Fatalf("%d windows, %d variables", len(s.Windows), len(s.Vars))
			}
		}
	})
}
