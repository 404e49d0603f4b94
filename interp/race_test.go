//go:build race

package interp

// raceDetector is true in tests built with -race.
const raceDetector = true
