//go:build !unix

package main

import "os"

// notifySnapshotSignal does nothing where there is no SIGUSR1: collect writes its snapshot on exit only.
func notifySnapshotSignal(chan<- os.Signal) {}
