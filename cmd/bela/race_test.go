//go:build race

package main

// raceEnabled is true when the tests run under the race detector, which slows the default
// demo data set down too much for a test; such runs use the small set.
const raceEnabled = true
