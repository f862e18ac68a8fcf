//go:build race

package main

// raceSlowdown scales the time bounds of tests whose child process runs
// with the race detector, which makes it several times slower. The real
// binary's bound is checked without it by scripts/model-modes.
const raceSlowdown = 4
