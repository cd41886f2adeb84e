package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindCaptures(t *testing.T) {
	p := Dir(t, "captures")
	if _, err := os.Stat(filepath.Join(p, "expected")); err != nil {
		t.Errorf("%s has no expected/: %v", p, err)
	}
	if _, ok := Find("no-such-thing"); ok {
		t.Error("Find reported a directory that does not exist")
	}
}
