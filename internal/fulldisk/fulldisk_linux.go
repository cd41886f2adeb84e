package fulldisk

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

// Mount mounts a tmpfs of size bytes on a new temporary directory and returns it; it is unmounted when the test
// ends. Without the right to mount (not root, a container without CAP_SYS_ADMIN) the test is skipped.
func Mount(tb testing.TB, size int) string {
	tb.Helper()
	dir := tb.TempDir()
	if os.Geteuid() != 0 {
		skipOrFail(tb, false, "mounting a tmpfs needs root")
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		skipOrFail(tb, err != syscall.EPERM, fmt.Sprintf("mount tmpfs: %v", err))
	}
	tb.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			tb.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}
