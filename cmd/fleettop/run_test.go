package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

const earthDefense = `# the Graphite CLI's example session, over fleettop's own metric tree
create Earth_Defense
draw fleet.web.*.cpu.utilisation in Earth_Defense
change Earth_Defense from to -20min
change Earth_Defense title to "Laser Batteries"
add sum(fleet.web.*.cpu.utilisation) to Earth_Defense
save laserreport
views
`

// The Graphite CLI's Earth_Defense session, run by `fleettop run` on the demo fleet's series, leaves the window
// in a saved view; a second run loads it back and draws the same targets with the same settings.
func TestRunEarthDefenseScript(t *testing.T) {
	if testing.Short() {
		t.Skip("fills the model with the demo fleet before running the script")
	}
	bin := buildFleettop(t)
	dir := t.TempDir()
	viewsDir := filepath.Join(dir, "views")
	script := filepath.Join(dir, "earth.txt")
	if err := os.WriteFile(script, []byte(earthDefense), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_CONFIG_HOME=" + dir, "XDG_STATE_HOME=" + dir}
	out, stderr, code := runFleettopEnv(t, bin, env, nil, "run", "--demo", "2m", "--views", viewsDir, script)
	if code != 0 {
		t.Fatalf("run exited %d: %s", code, stderr)
	}
	// draw printed one line per web host with real values (the demo has 20 web servers)
	lines := regexp.MustCompile(`(?m)^\s+fleet\.web\.[^ ]+\.cpu\.utilisation\s+last [0-9.]+`).FindAllString(string(out), -1)
	if len(lines) != 20 {
		t.Errorf("draw printed %d web cpu series, want 20:\n%s", len(lines), out)
	}
	if !strings.Contains(string(out), "laserreport: Earth_Defense") {
		t.Errorf("views does not list the saved view:\n%s", out)
	}

	data, err := os.ReadFile(filepath.Join(viewsDir, "laserreport.yaml"))
	if err != nil {
		t.Fatalf("saved view: %v", err)
	}
	var view struct {
		Windows []struct {
			Name    string `yaml:"name"`
			Title   string `yaml:"title"`
			From    string `yaml:"from"`
			Targets []any  `yaml:"targets"`
		} `yaml:"windows"`
	}
	if err := yaml.Unmarshal(data, &view); err != nil {
		t.Fatalf("saved view is not YAML: %v\n%s", err, data)
	}
	if len(view.Windows) != 1 {
		t.Fatalf("view has %d windows, want 1:\n%s", len(view.Windows), data)
	}
	w := view.Windows[0]
	if w.Name != "Earth_Defense" || w.Title != "Laser Batteries" || w.From != "-20min" || len(w.Targets) != 2 {
		t.Errorf("saved window = %+v, want Earth_Defense, \"Laser Batteries\", from -20min, 2 targets\n%s", w, data)
	}

	// a new process loads the view: the window comes back with its targets, and the sum is drawn
	load := filepath.Join(dir, "load.txt")
	if err := os.WriteFile(load, []byte("load laserreport\nurl Earth_Defense\ndraw sum(fleet.web.*.cpu.utilisation)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = runFleettopEnv(t, bin, env, nil, "run", "--demo", "1m", "--views", viewsDir, load)
	if code != 0 {
		t.Fatalf("second run exited %d: %s", code, stderr)
	}
	for _, want := range []string{"loaded view laserreport", "from=-20min", "Laser", "sumSeries"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("second run output lacks %q:\n%s", want, out)
		}
	}
}

// A failing line stops the script with its line number and exit status 1; nothing after it runs.
func TestRunStopsAtFirstError(t *testing.T) {
	bin := buildFleettop(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "bad.txt")
	body := "create A\n# a comment\ndraw nosuchfunc(a.b) in A\necho never\n"
	if err := os.WriteFile(script, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runFleettopEnv(t, bin, []string{"XDG_CONFIG_HOME=" + dir}, nil, "run", "--views", dir, script)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(string(stderr), "line 3") || !strings.Contains(string(stderr), "nosuchfunc") {
		t.Errorf("stderr %q does not name line 3 and the unknown function", stderr)
	}
	if strings.Contains(string(out), "never") {
		t.Errorf("the script went on after the error:\n%s", out)
	}
}

// SIGTERM stops `fleettop run` between lines, also while it waits for its next line on a pipe: it exits at once
// naming the line, instead of running (or waiting) on.
func TestRunStopsOnSIGTERM(t *testing.T) {
	bin := buildFleettop(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "run", "--views", filepath.Join(dir, "views"), "-")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if _, err := io.WriteString(stdin, "echo ready\n"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		_ = cmd.Process.Kill()
		t.Fatalf("first line printed %q, %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		t.Fatal("fleettop run still waiting for its script 5 s after SIGTERM")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("exit %v, want status 1", err)
	}
	if !strings.Contains(stderr.String(), "line 2: script stopped: context canceled") {
		t.Errorf("stderr does not name the line it stopped at:\n%s", stderr.String())
	}
}
