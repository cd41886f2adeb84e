//go:build unix

package enc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// processGone reports whether pid has exited (a zombie waiting for its reaper counts as gone), polling briefly
// because the kernel delivers SIGKILL asynchronously.
func processGone(t *testing.T, pid int) bool {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || zombie(string(stat)) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// zombie reads the state field of /proc/PID/stat ("pid (comm) S ...").
func zombie(stat string) bool {
	i := strings.LastIndexByte(stat, ')')
	return i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z'
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("pid file: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("pid file %q: %v", data, err)
	}
	return pid
}

func TestExecSourceAnswers(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, script string
		check        func(t *testing.T, n *Node)
	}{
		{name: "list form with the certname as argument",
			script: "[ $# -eq 1 ] || exit 3\nprintf -- '---\\nclasses:\\n  - web\\nenvironment: production\\nparameters:\\n  me: %s\\n  ganglia_ip:\\n' \"$1\"\n",
			check: func(t *testing.T, n *Node) {
				wantField(t, n, "me", "web01.example.com")
				wantField(t, n, "ganglia_ip", "")
				wantField(t, n, "environment", "production")
			}},
		{name: "hash form, stderr noise ignored",
			script: "echo 'warning: cache miss' >&2\ncat <<'YAML'\nclasses:\n  profile::base:\n  role::web:\n    port: 8080\nparameters:\n  appType: web\nYAML\n",
			check: func(t *testing.T, n *Node) {
				if !slices.Equal(n.Classes, []string{"profile::base", "role::web"}) {
					t.Errorf("classes %q", n.Classes)
				}
				wantField(t, n, "classes.role::web.port", "8080")
				wantField(t, n, "appType", "web")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := writeScript(t, dir, strings.ReplaceAll(tt.name, " ", "_"), tt.script)
			n, err := NewExecSource(script).Lookup(context.Background(), "web01.example.com")
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, n)
		})
	}
}

func TestExecSourceFixedArgs(t *testing.T) {
	script := writeScript(t, t.TempDir(), "enc", "printf 'parameters:\\n  flag: \"%s\"\\n  host: %s\\n' \"$1\" \"$2\"\n")
	n, err := NewExecSource(script, "--no-environment").Lookup(context.Background(), "db07")
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, n, "flag", "--no-environment")
	wantField(t, n, "host", "db07")
}

func TestExecSourceNotFoundAndGarbage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, script string
		notFound     bool
		want         string
	}{
		{name: "exit 1", script: "echo 'no such host' >&2\nexit 1\n", notFound: true, want: `exit status 1 (stderr: "no such host")`},
		{name: "exit 2 after printing a node", script: "echo 'classes: [a]'\nexit 2\n", notFound: true, want: "exit status 2"},
		{name: "empty output", script: "exit 0\n", notFound: true, want: "empty output"},
		{name: "blank output", script: "printf '\\n  \\n'\n", notFound: true, want: "empty output"},
		{name: "broken yaml", script: "echo 'classes: [web'\n", want: "invalid YAML"},
		{name: "not a mapping", script: "echo 'Internal Server Error'\n", want: "want a mapping"},
		{name: "killed by a signal", script: "kill -9 $$\n", want: "signal: killed"},
		{name: "huge output", script: "yes 'x: 1' | head -c 5000000\n", want: "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := writeScript(t, dir, strings.ReplaceAll(tt.name, " ", "_"), tt.script)
			n, err := NewExecSource(script).Lookup(context.Background(), "web01")
			if err == nil {
				t.Fatalf("got node %+v", n)
			}
			if errors.Is(err, ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v: %v", !tt.notFound, tt.notFound, err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), script+" web01") {
				t.Errorf("error %q does not name the command and say %q", err, tt.want)
			}
		})
	}
}

func TestExecSourceMissingCommand(t *testing.T) {
	_, err := NewExecSource(filepath.Join(t.TempDir(), "nope")).Lookup(context.Background(), "web01")
	if err == nil || errors.Is(err, ErrNotFound) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v, want a failure wrapping ErrNotExist, not 'not found'", err)
	}
}

func TestExecSourceRefusesBadCertname(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	script := writeScript(t, dir, "enc", "touch '"+marker+"'\necho 'classes: [a]'\n")
	for _, name := range []string{"", "-rf", "--help", ".hidden", "../etc/passwd", "Web01", "a b", "web01;id", strings.Repeat("a", 300)} {
		if _, err := NewExecSource(script).Lookup(context.Background(), name); err == nil || !strings.Contains(err.Error(), "certname") {
			t.Errorf("Lookup(%q) error %v, want a certname error", name, err)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the classifier ran for an invalid certname")
	}
}

func TestExecSourceTimeoutKillsProcessGroup(t *testing.T) {
	dir := t.TempDir()
	childPid := filepath.Join(dir, "child.pid")
	// The shell waits for a background child, as a script stuck in curl would; killing only the shell would
	// leave the child running.
	script := writeScript(t, dir, "hang", "sleep 30 &\necho $! > '"+childPid+"'\necho $$ > '"+childPid+".sh'\nwait\n")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := NewExecSource(script).Lookup(ctx, "web01")
	elapsed := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want DeadlineExceeded", err)
	}
	if elapsed > 5*time.Second {
		t.Errorf("lookup returned after %v; the 30 s sleep was waited for", elapsed)
	}
	for _, f := range []string{childPid, childPid + ".sh"} {
		pid := readPid(t, f)
		if !processGone(t, pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("process %d (%s) survived the timeout", pid, filepath.Base(f))
		}
	}
}

func TestExecSourceChildHoldingStdout(t *testing.T) {
	dir := t.TempDir()
	childPid := filepath.Join(dir, "child.pid")
	// The classifier answers and exits, but a daemon it started keeps stdout open: the answer must still come
	// back, after the wait delay instead of after the daemon.
	script := writeScript(t, dir, "daemon", "echo 'classes: [a]'\nsleep 30 &\necho $! > '"+childPid+"'\nexit 0\n")
	start := time.Now()
	n, err := NewExecSource(script).Lookup(context.Background(), "web01")
	elapsed := time.Since(start)
	pid := readPid(t, childPid)
	_ = syscall.Kill(pid, syscall.SIGKILL)
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, n, "classes", "a")
	if elapsed > 5*time.Second {
		t.Errorf("lookup took %v: it waited for the daemon", elapsed)
	}
}
