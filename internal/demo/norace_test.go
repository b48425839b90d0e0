//go:build !race

package demo_test

// raceEnabled reports that the race detector is off.
const raceEnabled = false
