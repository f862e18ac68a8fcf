//go:build !race

package tui

// raceSlowdown: see race_on_test.go.
const raceSlowdown = 1
