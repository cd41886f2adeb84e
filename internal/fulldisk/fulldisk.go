// Package fulldisk gives tests a real file system that fills up: a tiny tmpfs mounted for the test.
package fulldisk

import (
	"os"
	"testing"
)

// skipOrFail skips the test with reason; under CI=true, where the runner is root and may mount, it fails.
func skipOrFail(tb testing.TB, canMount bool, reason string) {
	tb.Helper()
	if os.Getenv("CI") == "true" && canMount {
		tb.Fatalf("no small file system to fill: %s", reason)
	}
	tb.Skipf("no small file system to fill: %s", reason)
}
