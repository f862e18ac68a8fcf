// Command minimaltea is the smallest full-screen Bubble Tea v2 program: the
// baseline scripts/bench compares propose's start-up against. It is built
// and run exactly as propose is.
package main

import (
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
)

type model struct{ w, h int }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		return m, tea.Quit
	}
	return m, nil
}

// View draws nothing until the size is known, as propose does, so that the
// first frame with content means the same for both.
func (m model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	if m.w > 0 && m.h > 0 {
		v.SetContent(fmt.Sprintf(" minimal ready %dx%d\n\n press any key to quit", m.w, m.h))
	}
	return v
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-exit" {
		return // the cost of starting the process, for comparison
	}
	if _, err := tea.NewProgram(model{}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
