package proposal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"propose/templates"
)

// Section is one drafted part of the proposal.
type Section struct {
	// ID is the template section's id.
	ID string `json:"id"`
	// Title is the section's heading. Like NoHeading it comes from the
	// template whenever a draft is made or opened (NewDraft, Align) and is
	// not saved: the template is the one source of headings.
	Title string `json:"-"`
	// Body is the drafted prose, without the heading and without the blocks
	// code builds (tables, totals, measures, signature lines): those are
	// rebuilt from the current facts whenever the document is assembled
	// (Assemble). In an assembled draft Body is the whole section. Empty
	// means the section has nothing to say yet.
	Body string `json:"body"`
	// Fields are the ids of the facts that fed this draft.
	Fields []string `json:"fields,omitempty"`
	// Inputs fingerprints what the body was drafted from; a section is
	// redrafted only when its inputs change.
	Inputs string `json:"inputs,omitempty"`
	// Truncated marks a body whose drafting stopped early (a dropped stream):
	// it is shown, marked, and replaced on the next redraft; Body then holds
	// the last complete text.
	Truncated bool `json:"truncated,omitempty"`
	// Fallback, when set, says why the model's prose for these Inputs is
	// not used (it stated figures the facts do not hold, twice): the
	// document carries the offline drafter's text for the section.
	Fallback string `json:"fallback,omitempty"`
	// NoHeading drafts the section without a heading (the cover).
	NoHeading bool `json:"-"`
}

// Draft is the proposal as drafted so far: one entry per template section,
// in template order.
type Draft struct {
	Sections []Section `json:"sections"`
}

// Section returns the drafted section with the id, or nil.
func (d *Draft) Section(id string) *Section {
	for i := range d.Sections {
		if d.Sections[i].ID == id {
			return &d.Sections[i]
		}
	}
	return nil
}

// DraftRequest is what a drafter needs to draft one section.
type DraftRequest struct {
	Template *templates.Template
	Section  *templates.Section
	Facts    Facts
	// Values are the rendered field values (FieldValues); computed once per
	// round of redrafting and shared by every section in it.
	Values map[string]string
	// Today is the proposal's date when none is given.
	Today time.Time
	// Language is the proposal's language as a BCP 47 tag; "" means "en".
	// Every prompt tells the model to write in it.
	Language string
}

// Drafter writes one section of the proposal from the facts. emit, when not
// nil, receives text as it is written so the draft pane can follow along;
// the returned body is the whole section and is what gets saved. Offline and
// LLM drafters both implement it.
type Drafter interface {
	DraftSection(ctx context.Context, req DraftRequest, emit func(delta string)) (string, error)
}

// OfflineDrafter drafts from the template's drafting text: no network, same
// facts in, same words out.
type OfflineDrafter struct{}

var _ Drafter = OfflineDrafter{}

// DraftSection executes the section's drafting text over the rendered facts
// (the payment terms with their computed amounts, see withSchedule).
func (OfflineDrafter) DraftSection(ctx context.Context, req DraftRequest, emit func(string)) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	body, err := ExecuteDraft(req.Section, withSchedule(req))
	if err != nil {
		return "", err
	}
	if emit != nil {
		emit(body)
	}
	return body, nil
}

// ExecuteDraft runs a section's drafting text over rendered field values.
func ExecuteDraft(s *templates.Section, values map[string]string) (string, error) {
	return s.RenderDraft(values)
}

// SectionFields returns the fields a section is drafted from: those its
// drafting text refers to, then its own fields, without repeats.
func SectionFields(s *templates.Section) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range templates.DraftFields(s) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, f := range s.Fields {
		if !seen[f.ID] {
			seen[f.ID] = true
			out = append(out, f.ID)
		}
	}
	return out
}

// HasContent reports whether any of the section's own fields is answered
// or has a default (the terms section's validity, say, so the acceptance
// block is always there). A section with none is left out of the proposal.
//
// An internal section (the consultant's discovery notes) never has content:
// it is never drafted, shown in the document or exported.
func HasContent(s *templates.Section, facts Facts) bool {
	if s.Internal {
		return false
	}
	for _, f := range s.Fields {
		if facts.Has(f.ID) || strings.TrimSpace(f.Default) != "" {
			return true
		}
	}
	return false
}

// Inputs fingerprints what a section is drafted from: its drafting text and
// the rendered values of its fields. Same fingerprint, same draft.
func Inputs(s *templates.Section, values map[string]string, engine string) string {
	h := sha256.New()
	// "prose": bodies hold prose only; a fingerprint from before that
	// (prose and tables together) never matches, so such a body is redrafted.
	fmt.Fprintf(h, "prose\x00%s\x00%s\x00%s\x00", engine, s.ID, s.Draft)
	for _, id := range SectionFields(s) {
		fmt.Fprintf(h, "%s=%s\x00", id, values[id])
	}
	// What the discovery's alternatives set, when anything: drafting text may
	// test it. Left out when empty, so fingerprints made before it existed
	// still match.
	for _, k := range templates.WeighsKeys {
		if v := values[k]; v != "" {
			fmt.Fprintf(h, "%s=%s\x00", k, v)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// FedBy lists the fields that fed a section: those it is drafted from that
// hold a fact.
func FedBy(s *templates.Section, facts Facts) []string {
	var out []string
	for _, id := range SectionFields(s) {
		if facts.Has(id) {
			out = append(out, id)
		}
	}
	return out
}

// NewDraft returns an empty draft with one section per template section.
func NewDraft(t *templates.Template) Draft {
	d := Draft{Sections: make([]Section, len(t.Sections))}
	for i, s := range t.Sections {
		d.Sections[i] = Section{ID: s.ID, Title: s.Title, NoHeading: s.NoHeading}
	}
	return d
}

// Align makes the draft follow the template: a section per template section
// in template order, keeping what was drafted for sections that still exist.
// A session resumed after its template changed keeps its text.
func (d *Draft) Align(t *templates.Template) {
	fresh := NewDraft(t)
	for i := range fresh.Sections {
		if old := d.Section(fresh.Sections[i].ID); old != nil {
			title, nh := fresh.Sections[i].Title, fresh.Sections[i].NoHeading
			fresh.Sections[i] = *old
			fresh.Sections[i].Title, fresh.Sections[i].NoHeading = title, nh
		}
	}
	*d = fresh
}

// ErrTruncated marks a section whose drafting stopped before it finished (a
// stream that ended with no finish reason). The section keeps its last good
// text and can be redrafted.
var ErrTruncated = errors.New("the draft stopped before it finished")
