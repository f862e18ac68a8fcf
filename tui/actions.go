package tui

import (
	"os/exec"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	"propose/templates"
)

// common is what every screen and dialog shares: the styles of the
// terminal's background, the key map and the clock.
type common struct {
	st   styles
	keys *KeyMap
	now  func() time.Time
}

// helpLine renders keys as one line of bubbles help, as wide as width
// allows.
func (c common) helpLine(width int, bs ...key.Binding) string {
	h := help.New()
	h.Styles = c.st.help
	h.SetWidth(max(width, 0))
	return h.ShortHelpView(bs)
}

// action is what a key did in a screen or dialog and the root must carry
// out: each screen owns its keys and state, and only says what it wants
// done. nil means nothing more to do.
type action any

// The actions the root routes.
type (
	quitAction         struct{}
	openHelpAction     struct{}
	closeOverlayAction struct{}
	// backToWorkAction: leave a picker for the session still open.
	backToWorkAction     struct{}
	backToSessionsAction struct{}
	newProposalAction    struct{}
	openSessionAction    struct{ id string }
	deleteSessionAction  struct{ id string }
	startProposalAction  struct {
		t    *templates.Template
		lang string
	}
	// jumpToFieldAction asks the question of a field (an earlier answer, a
	// finding); jumpToSectionAction the first open one of a section.
	jumpToFieldAction    struct{ field string }
	jumpToSectionAction  struct{ section string }
	chooseLanguageAction struct{ index int }
	// fixLanguageAction rewrites the proposal in its answers' language.
	fixLanguageAction struct{}
	submitAction      struct{ text string }
	nextSkippedAction struct{}
	// editorAction opens the answer in the user's editor, at the cursor.
	editorAction struct {
		text      string
		line, col int
	}
	openFedByAction    struct{}
	copyAction         struct{}
	closePaneAction    struct{}
	findingMovedAction struct{}
)

// boxed draws a dialog's title, body and key line in the dialog box.
func boxed(st styles, title, body, keys string) string {
	return st.box.Render(st.title.Render(title) + "\n\n" + body + "\n\n" + keys)
}

// editorOpenMsg: the answer is in a file and the editor's command is
// ready; Update hands the terminal over to it (tea.ExecProcess).
type editorOpenMsg struct {
	cmd  *exec.Cmd
	path string
}
