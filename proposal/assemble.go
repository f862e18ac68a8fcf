package proposal

import (
	"strings"
	"time"

	"propose/templates"
)

// Fallback is a section whose model prose cannot be used as it stands, so
// the document carries the offline drafter's text for it.
type Fallback struct {
	// Section is the section's id; Title its heading.
	Section, Title string
	// Reason says why, in the consultant's words.
	Reason string
}

// The reasons Assemble gives for a fallback.
const (
	ReasonNeverDrafted = "the model has not drafted it"
	ReasonStale        = "the model drafted it from earlier answers"
	ReasonTruncated    = "the model's reply stopped early"
	ReasonFigures      = "the model's text stated figures the answers do not hold"
)

// StoredProse is what a draft keeps of a drafter's text: the prose, without
// the blocks code builds from the facts (tables, totals, measures, signature
// lines), which Assemble rebuilds every time.
func StoredProse(s *templates.Section, values map[string]string, text string) string {
	prose, _ := splitStandard(s, values, text)
	return prose
}

// Assemble builds the document to show or export from the stored draft and
// the current facts. Every block (fee, option and milestone tables, totals,
// measures, payment schedule, signature lines) is rebuilt from the facts, so
// no stale table or total can appear. A section the offline engine drafts is
// its drafting text run again on the current facts. A section keeps the
// model's prose only while it was drafted from the current facts, finished,
// and states no figure the facts do not hold; otherwise it carries the
// offline text, and on the model engine ("llm") the returned fallbacks say
// which sections and why. Sections with nothing to say are empty.
func Assemble(t *templates.Template, facts Facts, today time.Time, d Draft, engine string) (Draft, []Fallback) {
	out := Draft{Sections: make([]Section, len(d.Sections))}
	copy(out.Sections, d.Sections)
	values := FieldValues(t, facts, today)
	var known *KnownFigures
	var falls []Fallback
	for i := range out.Sections {
		ds := &out.Sections[i]
		_, ts := sectionOf(t, ds.ID)
		if ts == nil {
			continue // not in the template: Align drops it
		}
		if !HasContent(ts, facts) {
			ds.Body = ""
			continue
		}
		// The offline text as the offline drafter writes it: with the
		// payment schedule's amounts computed from the current total.
		standard, err := ExecuteDraft(ts, withSchedule(DraftRequest{Template: t, Section: ts, Facts: facts, Values: values}))
		if err != nil {
			standard = ""
		}
		stdProse, blocks := splitStandard(ts, values, standard)
		prose := strings.TrimSpace(ds.Body)
		current := ds.Inputs == Inputs(ts, values, "llm")
		if stdProse == "" || (engine != "llm" && !current) {
			ds.Body = strings.TrimSpace(standard)
			continue
		}
		reason := ""
		switch {
		case ds.Truncated:
			reason = ReasonTruncated
		case current && ds.Fallback != "":
			reason = ds.Fallback
		case prose == "" || ds.Inputs == "":
			reason = ReasonNeverDrafted
		case !current:
			reason = ReasonStale
		default:
			if known == nil {
				k := Known(t, facts, today)
				known = &k
			}
			if stray := known.Stray(prose); len(stray) > 0 {
				reason = ReasonFigures + " (" + FigureList(stray) + ")"
			}
		}
		if reason != "" {
			ds.Fallback = reason // the review reads why (a claim the answers do not support)
			if engine == "llm" {
				falls = append(falls, Fallback{Section: ds.ID, Title: ts.Title, Reason: reason})
			}
			ds.Body = strings.TrimSpace(standard)
			continue
		}
		if tail := joinBlocks(blocks); tail != "" {
			prose += "\n\n" + tail
		}
		ds.Body = prose
	}
	polish(t, facts, &out)
	return out, falls
}

func sectionOf(t *templates.Template, id string) (int, *templates.Section) {
	for i := range t.Sections {
		if t.Sections[i].ID == id {
			return i, &t.Sections[i]
		}
	}
	return -1, nil
}
