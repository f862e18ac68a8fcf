package tui

import (
	"fmt"
	"testing"
	"time"

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
		q := hs.m.iv.q
		if q == nil {
			t.Fatalf("no question after %d answers", i)
		}
		if q.FollowUp {
			hs.press("ctrl+s")
			continue
		}
		hs.answer(answerFor(q.Field))
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
		hs := answered(t, w, h, 8)
		hs.press("tab") // the draft pane (a tab on narrow screens)
		hs.press("n")   // select the first section
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenReview(t *testing.T) {
	eachSize(t, func(t *testing.T, w, h int) {
		hs := answered(t, w, h, 6)
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
		hs := answered(t, w, h, 7)
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
		hs := answered(t, w, h, 8)
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
		for i := 0; i < 60 && hs.m.iv.q != nil; i++ {
			if hs.m.iv.q.FollowUp {
				hs.press("ctrl+s")
				continue
			}
			hs.answer(answerFor(hs.m.iv.q.Field))
		}
		golden.RequireEqual(t, hs.screen())
	})
}

func TestGoldenTooSmall(t *testing.T) {
	st := openStore(t)
	hs := newHarness(t, options(t, st, newEngine(t, st, "c0ffee01")), 30, 8)
	golden.RequireEqual(t, hs.screen())
}
