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
			// The discovery notes (an internal section) reach neither export.
			for _, s := range tm.Sections {
				if !s.Internal {
					continue
				}
				for _, f := range s.Fields {
					for _, item := range proposal.Items(a.Values[f.ID]) {
						if len(item) < 12 {
							continue // a date: it may well be printed elsewhere
						}
						if strings.Contains(md, item) || strings.Contains(strings.Join(strings.Fields(text), " "), item) {
							t.Errorf("the export holds the discovery answer %q (%s)", item, f.ID)
						}
					}
				}
			}
			// Nor the draft the pane shows.
			for _, ds := range e.View().Draft.Sections {
				if s := tm.Section(ds.ID); s != nil && s.Internal && ds.Body != "" {
					t.Errorf("the draft has the internal section %q: %q", ds.ID, ds.Body)
				}
			}
			if m := e.Markdown(); strings.Contains(m, "Discovery") || strings.Contains(m, a.Values["previous_attempts"]) {
				t.Errorf("the draft pane's document shows the discovery notes:\n%s", m)
			}
			for _, bad := range []string{"assumption)", "DRAFT", "\\*", "\\_"} {
				if strings.Contains(text, bad) {
					t.Errorf("the PDF holds %q:\n%s", bad, text)
				}
			}
		})
	}
}
