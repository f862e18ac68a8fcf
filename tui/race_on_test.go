//go:build race

package tui

// raceSlowdown scales the floor of the fault suite's time bounds under the
// race detector, which slows allocation-heavy work (a glamour render, a
// 5 MB session encoded beside it) far more than a keystroke. The bounds
// themselves are checked without it: .ci/run runs the fault suite's timing
// test again with the detector off.
const raceSlowdown = 4
