//go:build !unix

package cputime

import "time"

// Process cannot be read here: benchmarks report only the wall clock.
func Process() (time.Duration, bool) { return 0, false }
