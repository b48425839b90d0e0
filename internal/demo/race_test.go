//go:build race

package demo_test

// raceEnabled reports that the race detector is on: tests that only check the content of the
// larger data sets skip, since Load runs on one goroutine and the small set covers its code.
const raceEnabled = true
