package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWriteReplaces(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f.yaml")
	for _, body := range []string{"one\n", "two\n"} {
		if err := Write(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != body {
			t.Fatalf("read %q, %v; want %q", got, err, body)
		}
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
}

// A failed rename leaves the old file whole and no temporary file behind.
func TestWriteFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := Write(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	Rename = func(string, string) error { return errors.New("disk on fire") }
	defer func() { Rename = os.Rename }()
	if err := Write(p, []byte("new"), 0o644); err == nil {
		t.Fatal("want the rename's error")
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Errorf("file = %q after a failed write, want old", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the directory, want 1 (no temporary left)", len(ents))
	}
}

// RemoveStale removes the leftovers of killed Writes that are older than the cutoff, and nothing else.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	files := map[string]bool{ // name → removed
		".laser.yaml.123456.tmp": true,
		".a.9.tmp":               true,
		".young.yaml.77.tmp":     false, // a Write perhaps still running
		"laser.yaml":             false,
		".laser.yaml.tmp":        false, // no random part: not Write's
		".laser.yaml.12x.tmp":    false,
		"..1.tmp":                false,
		"visible.123.tmp":        false,
	}
	for name := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if name != ".young.yaml.77.tmp" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	removed, err := RemoveStale(dir, time.Now().Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if want := []string{".a.9.tmp", ".laser.yaml.123456.tmp"}; !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	for name, gone := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if exists := err == nil; exists == gone {
			t.Errorf("%s: exists %v after RemoveStale", name, exists)
		}
	}
	if removed, err := RemoveStale(filepath.Join(dir, "missing"), time.Now()); err != nil || removed != nil {
		t.Errorf("missing dir: %q, %v", removed, err)
	}
}

// The names Write gives its temporary files are the ones RemoveStale recognises.
func TestTempNameMatchesWrite(t *testing.T) {
	for range 20 {
		f, err := os.CreateTemp(t.TempDir(), ".view.yaml.*.tmp") // Write's pattern
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if name := filepath.Base(f.Name()); !tempName(name) {
			t.Fatalf("%q is not recognised", name)
		}
	}
}

// A WriteFunc whose writer fails leaves the old file whole and no temporary file behind.
func TestWriteFuncErrorKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.json")
	if err := Write(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("stopped half way")
	err := WriteFunc(p, 0o644, func(w io.Writer) error {
		if _, err := w.Write([]byte("half of the new")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want %v", err, boom)
	}
	entries, _ := os.ReadDir(dir)
	if got, _ := os.ReadFile(p); string(got) != "old" || len(entries) != 1 {
		t.Fatalf("file %q, %d entries; want the old file alone", got, len(entries))
	}
}
