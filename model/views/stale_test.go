package views

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fleettop/fleettop/internal/atomicfile"
)

// helperSaveEnv makes the test binary a process that saves a view and hangs before the save completes.
const helperSaveEnv = "FLEETTOP_VIEWS_HELPER_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperSaveEnv); dir != "" {
		hangingSave(dir)
		return
	}
	os.Exit(m.Run())
}

// hangingSave saves a view whose temporary file is written but not yet renamed, says so on stdout and waits to
// be killed.
func hangingSave(dir string) {
	atomicfile.Sync = func(f *os.File) error {
		os.Stdout.WriteString("writing " + f.Name() + "\n")
		select {}
	}
	_ = New(dir).Save(sampleView("laserreport"))
}

// A save killed with SIGKILL between writing and renaming its temporary file leaves it behind; the next Open
// (once it is older than a concurrent save could be) removes it and keeps the views.
func TestOpenRemovesTempOfKilledSave(t *testing.T) {
	dir := t.TempDir()
	if err := New(dir).Save(sampleView("kept")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperSaveEnv+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("helper said %q: %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	tmp := strings.TrimSpace(strings.TrimPrefix(line, "writing "))
	if filepath.Dir(tmp) != dir {
		t.Fatalf("temporary file %q is not in %s", tmp, dir)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("the killed save left no temporary file: %v", err)
	}

	// Opened at once, the file may be a concurrent save's: kept.
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("Open removed a temporary file younger than %v: %v", staleTempAge, err)
	}
	past := time.Now().Add(-2 * staleTempAge)
	if err := os.Chtimes(tmp, past, past); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("stale temporary file still there after Open: %v", err)
	}
	if _, err := s.Load("kept"); err != nil {
		t.Errorf("Open lost a view: %v", err)
	}
	if _, err := s.Load("laserreport"); err == nil {
		t.Error("the killed save's view exists")
	}
}
