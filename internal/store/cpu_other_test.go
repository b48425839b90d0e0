//go:build !unix

package store_test

import "time"

// processCPU returns 0: this platform's CPU time is not read, and the benchmarks leave it out.
func processCPU() time.Duration { return 0 }
