package tui

import (
	"path/filepath"
	"strings"
	"testing"

	"propose/interview"
	"propose/proposal"
	"propose/templates"
)

// TestPickerChoosesLanguage: the template picker shows the default language,
// ←/→ change it, and the new proposal is written in the one chosen, which
// becomes the user's default.
func TestPickerChoosesLanguage(t *testing.T) {
	st := openStore(t)
	opts := options(t, st, nil)
	opts.Start = StartTemplates
	opts.Languages = templates.BuiltinLanguages().List()
	opts.Language = "en"
	var saved []string
	opts.SaveLanguage = func(tag string) error { saved = append(saved, tag); return nil }
	h := newHarness(t, opts, 120, 36)
	if s := h.screen(); !strings.Contains(s, "Written in ‹ English (en) ›  ←/→ language") {
		t.Fatalf("picker:\n%s", s)
	}
	h.press("right", "right")
	if s := h.screen(); !strings.Contains(s, "Written in ‹ Español (es) ›") {
		t.Fatalf("after →→:\n%s", s)
	}
	h.press("enter")
	if !onSession(h.screen()) || h.saved("5e551011").Language != "es" {
		t.Fatalf("the new proposal is not in Spanish:\n%s", h.screen())
	}
	if strings.Join(saved, ",") != "es" {
		t.Errorf("default saved: %v", saved)
	}
	h.answer("Reducción del ciclo de cobro")
	h.answer("Ejemplo Logística S.L.")
	if md := h.m.Engine().Markdown(); !strings.Contains(md, "**Preparado para:** Ejemplo Logística S.L.") {
		t.Errorf("Markdown of the Spanish proposal:\n%s", md)
	}
}

// TestLanguageOverlayRewrites: ctrl+k lists the languages with the current
// one marked; choosing another rewrites the proposal in it.
func TestLanguageOverlayRewrites(t *testing.T) {
	st := openStore(t)
	e := newEngine(t, st, "1a2b3c4d")
	opts := options(t, st, e)
	opts.Languages = templates.BuiltinLanguages().List()
	h := newHarness(t, opts, 120, 36)
	h.answer("Cash")
	h.answer("Acme Components Ltd")
	h.press("ctrl+k")
	s := h.screen()
	if !strings.Contains(s, "Write the proposal in") || !strings.Contains(s, "current") {
		t.Fatalf("language list:\n%s", s)
	}
	h.press("down", "enter") // English is first and current; Deutsch is next
	if got := e.Language(); got != "de" {
		t.Fatalf("language %s, want de", got)
	}
	if s := h.screen(); !strings.Contains(s, "The proposal is now in Deutsch (de); every section was redrafted.") {
		t.Errorf("no notice:\n%s", s)
	}
	if md := e.Markdown(); !strings.Contains(md, "**Erstellt für:** Acme Components Ltd") {
		t.Errorf("Markdown after the switch:\n%s", md)
	}
	if s := h.screen(); !strings.Contains(s, "Erstellt für: Acme Components Ltd") {
		t.Errorf("the draft pane's title block is not in German:\n%s", s)
	}
}

// TestMismatchFindingOffersSwitch: Spanish answers in an English proposal
// give a language-mismatch finding; enter on it rewrites the proposal in
// Spanish.
func TestMismatchFindingOffersSwitch(t *testing.T) {
	st := openStore(t)
	e := newEngine(t, st, "5a6b7c8d")
	a, err := interview.LoadAnswers(filepath.Join("..", "interview", "testdata", "language", "es.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"title", "client", "situation", "trigger", "objectives", "value"} {
		if err := e.Record(id, a.Values[id], proposal.Stated); err != nil {
			t.Fatal(err)
		}
	}
	opts := options(t, st, e)
	opts.Languages = templates.BuiltinLanguages().List()
	h := newHarness(t, opts, 120, 36)
	h.press("ctrl+r")
	if s := h.screen(); !strings.Contains(s, "answers look Spanish (es)") {
		t.Errorf("review pane:\n%s", s)
	}
	for n, i := findingsShown(h.screen()), 0; selectedFinding(t, h, "5a6b7c8d").Rule != proposal.RuleLanguageMismatch; i++ {
		if i == n {
			t.Fatalf("no language-mismatch finding among the %d shown:\n%s", n, h.screen())
		}
		h.press("down")
	}
	h.press("enter")
	if got := e.Language(); got != "es" {
		t.Fatalf("language %s after enter on the finding, want es", got)
	}
	for _, f := range h.saved("5a6b7c8d").Findings {
		if f.Rule == proposal.RuleLanguageMismatch {
			t.Errorf("the finding stays after the switch: %s", f.Message)
		}
	}
}
