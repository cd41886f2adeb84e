//go:build unix

package procgroup

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// KillOnCancel starts cmd in its own process group and makes cancellation kill the whole group: a script stuck
// in `curl` or `sleep` would otherwise outlive the shell that exec.CommandContext kills.
func KillOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		p := cmd.Process
		// Once the leader has been reaped its pid, and so the group id, may be reused: never signal then.
		if err := p.Signal(syscall.Signal(0)); errors.Is(err, os.ErrProcessDone) {
			return err
		}
		if err := syscall.Kill(-p.Pid, syscall.SIGKILL); err != nil {
			return p.Kill()
		}
		return nil
	}
}
