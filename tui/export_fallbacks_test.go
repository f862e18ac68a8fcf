package tui

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"propose/llm/llmtest"
	"propose/proposal"
)

// TestExportDialogListsFallbacks: the export dialog names the sections the
// export will carry in the standard wording, and why.
func TestExportDialogListsFallbacks(t *testing.T) {
	keys := DefaultKeyMap()
	d := newExportDialog(common{st: newStyles(true, true), keys: &keys}, "Order-to-Cash Turnaround", t.TempDir(), nil, []proposal.Fallback{
		{Section: "investment", Title: "Investment", Reason: "the model failed: 127.0.0.1 had a problem (500)"},
		{Section: "terms", Title: "Terms and acceptance", Reason: "the model's reply stopped early"},
	})
	d.SetWidth(90)
	v := ansi.Strip(d.View())
	for _, want := range []string{"⚠ 2 sections carry the standard wording, as the model's text cannot be used:",
		"• Investment: the model failed: 127.0.0.1 had a problem (500)", "• Terms and acceptance: the model's reply stopped early"} {
		if !strings.Contains(v, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, v)
		}
	}
}

// TestModelOffShowsAndTriesAgain: a refused key while drafting switches
// the model off: the status bar says so with the key that tries again, the
// failed section's hint is shown whole, and ctrl+t switches it back on.
func TestModelOffShowsAndTriesAgain(t *testing.T) {
	var refuse atomic.Bool
	refuse.Store(true)
	step := llmtest.StepFunc(func(x *llmtest.Exchange) {
		switch {
		case refuse.Load():
			llmtest.Unauthorized().Serve(x)
		case !x.Req.Stream:
			llmtest.JSON(map[string]any{"findings": []any{}}).Serve(x)
		default:
			llmtest.Reply("We begin where Acme stands today.").Serve(x)
		}
	})
	st := openStore(t)
	eng, _, _ := llmEngine(t, st, "fa01off1", step, coverFields, "situation")
	opts := options(t, st, eng)
	now := clock
	opts.Now = func() time.Time { return now }
	hs := newHarness(t, opts, 140, 40)
	hs.answer(sample["situation"])
	hs.settle()
	if sc := hs.screen(); !strings.Contains(sc, "Acme ships 14,000 orders a month") || strings.Contains(sc, "We begin where Acme") {
		t.Errorf("the situation does not show the standard wording on the answer:\n%s", sc)
	}
	now = now.Add(time.Minute) // the failure's flash has faded
	screen := hs.screen()
	if !strings.Contains(screen, "model off, standard wording (ctrl+t tries it again)") {
		t.Fatalf("the status bar does not say the model is off:\n%s", screen)
	}
	bare := func(s string) string { return squeeze(strings.NewReplacer("│", " ", "▌", " ").Replace(s)) }
	if !strings.Contains(bare(screen), bare("The section shows the standard wording; ctrl+t redrafts it.")) {
		t.Errorf("the failure's hint is cut:\n%s", screen)
	}
	if strings.Contains(screen, "--offline") {
		t.Errorf("the screen offers a command-line flag:\n%s", screen)
	}
	refuse.Store(false)
	hs.press("ctrl+t")
	hs.settle()
	if eng.View().ModelOff != "" || strings.Contains(hs.screen(), "model off") {
		t.Errorf("ctrl+t did not switch the model on:\n%s", hs.screen())
	}
	if !strings.Contains(hs.screen(), "We begin where Acme stands today.") {
		t.Errorf("the section was not redrafted by the model:\n%s", hs.screen())
	}
}
