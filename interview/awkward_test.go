package interview

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"propose/proposal"
	"propose/templates"
)

// TestAwkwardGoldens exports each built-in template answered awkwardly
// (testdata/awkward/<id>.yaml: Markdown characters, a client whose name ends
// in ".", long names, agenda times, digit-bearing text columns, assumed
// answers, a total "/ month") as the client gets it, Markdown and PDF text
// (update with go test ./interview -run TestAwkwardGoldens -update).
func TestAwkwardGoldens(t *testing.T) {
	set, errs := templates.Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, id := range []string{"consulting", "sow", "workshop", "retainer"} {
		t.Run(id, func(t *testing.T) {
			a, err := LoadAnswers(filepath.Join("testdata", "awkward", id+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			tm, _ := set.Get(id)
			if err := a.Check(tm); err != nil {
				t.Fatal(err)
			}
			now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
			e := Open(tm, NewSession(tm, now), Config{Now: func() time.Time { return now }})
			defer e.Close()
			if err := e.RecordAnswers(a); err != nil {
				t.Fatal(err)
			}
			if err := e.Settle(context.Background()); err != nil {
				t.Fatal(err)
			}
			findings, err := e.Review(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				if f.Severity == proposal.Blocker {
					t.Errorf("blocker: %s: %s", f.Rule, f.Message)
				}
			}
			md := export(t, e, "md", ExportRequest{})
			for _, bad := range []string{"assumption)", "..\n", ".. ", "<b>", "DRAFT"} {
				if strings.Contains(md, bad) {
					t.Errorf("the export holds %q", bad)
				}
			}
			golden.RequireEqual(t, md)
			text := export(t, e, "pdf", ExportRequest{})
			for _, bad := range []string{"assumption)", "DRAFT", "\\*", "\\_"} {
				if strings.Contains(text, bad) {
					t.Errorf("the PDF holds %q:\n%s", bad, text)
				}
			}
		})
	}
}
