//go:build !unix

package enc

import "os/exec"

// killProcessGroupOnCancel leaves exec's default (kill the process) where there are no process groups.
func killProcessGroupOnCancel(*exec.Cmd) {}
