package main

import (
	"errors"
	"os"
)

// errNoTerminal says the interview needs a terminal and what works without one.
var errNoTerminal = errors.New("the interview needs a terminal: stdin and stdout must both be one. " +
	"Without one, use `propose run --answers FILE` to answer from a file, `propose list` to see your proposals " +
	"and `propose show ID` or `propose export ID` to read one")

// errDumbTerminal says TERM=dumb cannot draw the interface.
var errDumbTerminal = errors.New("TERM=dumb cannot draw the interview (it has no cursor control). " +
	"Set TERM to your terminal's type (e.g. TERM=xterm-256color), or use `propose run --answers FILE`, `propose list` and `propose show ID`")

// checkTerminal refuses to start the full-screen interface where it cannot
// work, instead of drawing into a pipe or waiting for keys that never come.
func checkTerminal(stdin, stdout *os.File, term string) error {
	if stdin == nil || stdout == nil || !isTerminal(stdin) || !isTerminal(stdout) {
		return &exitError{code: exitUsage, err: errNoTerminal}
	}
	if term == "dumb" {
		return &exitError{code: exitUsage, err: errDumbTerminal}
	}
	return nil
}
