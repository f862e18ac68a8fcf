package tui

import (
	"errors"
	"fmt"

	"propose/interview"
	"propose/proposal"
)

// describe words an error from the domain for the screen. The domain says
// what is the matter; where the user can do something about it, the
// sentence names this program's keys, read from the key map (the CLI names
// its flags instead).
func describe(k *KeyMap, err error) string {
	var blocked *interview.BlockedError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, interview.ErrInterviewComplete):
		return fmt.Sprintf("The interview is complete: press %s to change an earlier answer.", k.Work.EditEarlier.Help().Key)
	case errors.Is(err, interview.ErrFirstQuestion):
		return fmt.Sprintf("This is the first question: press %s to change another answer.", k.Work.EditEarlier.Help().Key)
	case errors.As(err, &blocked):
		return fmt.Sprintf("%s: fix them (%s lists them), or tick “Export anyway” with %s.",
			upperFirst(blocked.Error()), k.Work.Review.Help().Key, k.Export.Toggle.Help().Key)
	case errors.Is(err, proposal.ErrExists):
		return fmt.Sprintf("A file with that name is already there: tick “Overwrite” with %s, or change the path.", k.Export.Toggle.Help().Key)
	}
	return plainError(err)
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
