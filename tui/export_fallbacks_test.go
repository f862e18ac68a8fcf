package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"propose/proposal"
)

// TestExportDialogListsFallbacks: the export dialog names the sections the
// export will carry in the standard wording, and why.
func TestExportDialogListsFallbacks(t *testing.T) {
	keys := DefaultKeyMap()
	d := newExportDialog(newStyles(true, true), &keys, "Order-to-Cash Turnaround", t.TempDir(), nil, []proposal.Fallback{
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
