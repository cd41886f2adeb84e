//go:build !linux

package fulldisk

import "testing"

// Mount skips the test: mounting a tmpfs is done on Linux only.
func Mount(tb testing.TB, size int) string {
	tb.Helper()
	skipOrFail(tb, false, "tmpfs mounts are Linux only")
	return ""
}
