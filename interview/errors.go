package interview

import (
	"errors"
	"fmt"
)

// The domain's refusals. They say what is the matter, never which key or
// flag to use: the CLI words them with its flags, the TUI with its keys.
var (
	// ErrInterviewComplete is returned by Answer, Skip and Assume when
	// there is no question left to answer (an earlier answer can still be
	// changed with Edit).
	ErrInterviewComplete = errors.New("there is no question to answer: the interview is complete")
	// ErrFirstQuestion is returned by Back on the first question.
	ErrFirstQuestion = errors.New("this is the first question")
	// ErrNotFolder is returned by OpenStore when the session folder named is
	// a file.
	ErrNotFolder = errors.New("is a file, not a folder")
)

// ErrBlocked is matched by every export refused because review blockers
// remain (a *BlockedError says how many).
var ErrBlocked = errors.New("review blockers stop the export")

// BlockedError is an export refused because N review blockers remain. It
// matches ErrBlocked.
type BlockedError struct{ N int }

func (e *BlockedError) Error() string {
	return fmt.Sprintf("%d %s: %v", e.N, plural(e.N, "blocker", "blockers"), ErrBlocked)
}

// Unwrap gives ErrBlocked.
func (e *BlockedError) Unwrap() error { return ErrBlocked }
