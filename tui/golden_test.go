package tui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"propose/interview"
	"propose/proposal"
)

// sizes are the two terminals every screen is checked at: tabs below the
// side-by-side breakpoint, panes above it.
var sizes = [][2]int{{80, 24}, {140, 40}}

// answered starts a session and answers its first n questions.
func answered(t *testing.T, w, h, n int) *harness {
	t.Helper()
	st := openStore(t)
	eng := newEngine(t, st, "c0ffee01")
	hs := newHarness(t, options(t, st, eng), w, h)
	for i := 0; i < n; i++ {
		field := asked(t, hs)
		if field == "" {
			t.Fatalf("no question after %d answers:\n%s", i, hs.screen())
		}
		if followUp(hs) {
			hs.press("ctrl+s")
			continue
		}
		hs.answer(answerFor(field))
	}
	return hs
}

func eachSize(t *testing.T, f func(t *testing.T, w, h int)) {
	for _, s := range sizes {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) { f(t, s[0], s[1]) })
	}
}

func TestGoldenInterview(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 4)
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenFirstQuestion(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 0)
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenDraft(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 14)
		hs.press("tab") // the draft pane (a tab on narrow screens)
		hs.press("n")   // select the first section
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenReview(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 12)
		hs.press("ctrl+r")
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenExport(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 5)
		hs.press("ctrl+x")
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenHelp(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 2)
		hs.press("f1")
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenCoverage(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 13)
		hs.press("ctrl+g")
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenEarlierAnswers(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 4)
		hs.press("ctrl+e")
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenFedBy(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 14)
		hs.press("tab", "n", "n", "f")
		golden.RequireEqual(t, hs.screen())
	})
}

// savedSessions puts two sessions in a store, one older.
func savedSessions(t *testing.T, st *interview.Store) {
	t.Helper()
	tp := consulting(t)
	for i, s := range []struct{ id, title, client string }{
		{"aa11bb22", "Order-to-Cash Turnaround", "Acme Components Ltd"},
		{"cc33dd44", "Warehouse network review", "Northwind Logistics"},
	} {
		sess := interview.NewSession(tp, clock.Add(-time.Duration(i*50+2)*time.Hour))
		sess.ID = s.id
		sess.Facts["title"] = proposal.Fact{Field: "title", Value: s.title, Origin: proposal.Stated}
		sess.Facts["client"] = proposal.Fact{Field: "client", Value: s.client, Origin: proposal.Stated}
		sess.Updated = sess.Created
		if err := st.Save(sess); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGoldenSessionPicker(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		st := openStore(t)
		savedSessions(t, st)
		hs := newHarness(t, options(t, st, nil), w, h)
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenDeleteConfirm(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		st := openStore(t)
		savedSessions(t, st)
		hs := newHarness(t, options(t, st, nil), w, h)
		hs.press("down", "d")
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenTemplatePicker(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		st := openStore(t)
		hs := newHarness(t, options(t, st, nil), w, h) // no sessions: templates
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenDone(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 0)
		for i := 0; i < 60 && asked(t, hs) != ""; i++ {
			if followUp(hs) {
				hs.press("ctrl+s")
				continue
			}
			hs.answer(answerFor(asked(t, hs)))
		}
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenTooSmall(t *testing.T) {
	st := openStore(t)
	hs := newHarness(t, options(t, st, newEngine(t, st, "c0ffee01")), 30, 8)
	golden.RequireEqual(t, hs.screen())
}

// TestGoldenColourLight16 keeps one screen with its colours, as a stock
// 16-colour xterm with a white background gets it: no text is drawn in
// ANSI white or bright white (invisible there), and the help bar's keys
// are coloured.
func TestGoldenColourLight16(t *testing.T) {
	hs := answered(t, 80, 24, 2)
	hs.send(tea.BackgroundColorMsg{Color: color.White})
	hs.send(tea.ColorProfileMsg{Profile: colorprofile.ANSI})
	raw := hs.m.View().Content
	for _, white := range []string{"\x1b[37m", "\x1b[97m", ";37m", ";97m", "[37;", "[97;"} {
		if strings.Contains(raw, white) {
			t.Fatalf("text drawn in ANSI white (%q) on a white background", white)
		}
	}
	golden.RequireEqual(t, raw)
}

// TestGoldenColourDarkTrueColor keeps the review screen with its colours on
// a dark true-colour terminal: the palette's hues, the help bar's keys and
// the severity colours of the findings, byte for byte.
func TestGoldenColourDarkTrueColor(t *testing.T) {
	hs := answered(t, 80, 24, 2)
	hs.send(tea.BackgroundColorMsg{Color: color.Black})
	hs.send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
	hs.press("ctrl+r")
	raw := hs.m.View().Content
	if !strings.Contains(raw, "\x1b[38;2;") {
		t.Fatal("no true-colour sequences on a true-colour terminal")
	}
	golden.RequireEqual(t, raw)
}

// The first frame waits for the terminal's background, so a light terminal
// never sees a dark frame first.
func TestFirstFrameWaitsForBackground(t *testing.T) {
	st := openStore(t)
	eng := newEngine(t, st, "c0ffee01")
	m := New(options(t, st, eng))
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := m.View().Content; got != "" {
		t.Fatalf("a frame was drawn before the background was known:\n%s", got)
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if v := m.View().Content; strings.Contains(v, sgr(newStyles(true, false).dim)) || !strings.Contains(v, sgr(newStyles(false, false).dim)) {
		t.Fatal("light background, dark styles")
	}
	if m.View().Content == "" {
		t.Fatal("nothing drawn once the background is known")
	}
}
