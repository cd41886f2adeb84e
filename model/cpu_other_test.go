//go:build !unix

package model

import "time"

// processCPU is not measured here: benchmarks report only the wall clock.
func processCPU() (time.Duration, bool) { return 0, false }
