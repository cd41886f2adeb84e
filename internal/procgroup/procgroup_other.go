//go:build !unix

package procgroup

import "os/exec"

// KillOnCancel leaves exec's default (kill the process) where there are no process groups.
func KillOnCancel(*exec.Cmd) {}
