//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// notifySnapshotSignal relays SIGUSR1, which asks collect for a snapshot file, to c.
func notifySnapshotSignal(c chan<- os.Signal) { signal.Notify(c, syscall.SIGUSR1) }
