// Package sharedtest finds, for tests, the reference data other projects provide in ../shared beside the
// repository (captures, ENC samples); tests read it in place and never copy it into the project.
package sharedtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Find returns ../shared/SUB beside the repository root (the directory holding go.mod) if it exists.
func Find(sub string) (string, bool) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", false
	}
	for dir := filepath.Dir(file); ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(filepath.Dir(dir), "shared", sub)
			if _, err := os.Stat(p); err != nil {
				return "", false
			}
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Dir returns ../shared/SUB, skipping the test when it is absent; under CI=true, where CI provides it, its
// absence fails the test instead.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	p, ok := Find(sub)
	if !ok {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("../shared/%s is missing (CI=true: CI must provide it)", sub)
		}
		tb.Skipf("../shared/%s is not present", sub)
	}
	return p
}
