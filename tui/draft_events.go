package tui

import (
	"propose/interview"
	"propose/proposal"
)

// Load replaces everything with the engine's draft: a session opened or
// resumed.
func (d *draftPane) Load(dr proposal.Draft, cover proposal.Cover) {
	d.secs = make([]draftSection, len(dr.Sections))
	for i, s := range dr.Sections {
		d.secs[i] = draftSection{id: s.ID, title: s.Title, noHeading: s.NoHeading, body: s.Body,
			truncated: s.Truncated, fields: s.Fields, dirty: true}
	}
	d.cover, d.coverOK = cover, false
	d.vp.SetYOffset(0)
	d.follow, d.selected, d.target, d.question = true, -1, "", ""
}

// SetCover changes the title block.
func (d *draftPane) SetCover(c proposal.Cover) {
	if c != d.cover {
		d.cover, d.coverOK = c, false
	}
}

func (d *draftPane) section(id string) *draftSection {
	for i := range d.secs {
		if d.secs[i].id == id {
			return &d.secs[i]
		}
	}
	return nil
}

// Apply takes a draft event in. It reports whether the screen should show
// the change now (a section finished or failed) rather than at the next
// throttled flush.
func (d *draftPane) Apply(ev interview.Event) (now bool) {
	switch ev := ev.(type) {
	case interview.DraftStartedEvent:
		if s := d.section(ev.Section); s != nil {
			s.drafting, s.failed, s.streaming = true, "", false
			s.live.Reset()
			s.dirty = true
			d.retarget(s.id)
			return true
		}
	case interview.DraftDeltaEvent:
		if s := d.section(ev.Section); s != nil {
			s.live.WriteString(ev.Text)
			s.streaming, s.dirty = true, true
			d.retarget(s.id)
		}
	case interview.DraftDoneEvent:
		if s := d.section(ev.Section); s != nil {
			s.body, s.drafting, s.streaming, s.truncated, s.failed = ev.Body, false, false, false, ""
			s.live.Reset()
			s.updated, s.dirty = ev.Body != "", true
			if ev.Body != "" {
				d.retarget(s.id)
			}
			return true
		}
	case interview.DraftFailedEvent:
		if s := d.section(ev.Section); s != nil {
			s.drafting, s.streaming = false, false
			s.live.Reset()
			s.truncated = ev.Truncated
			if ev.Body != "" {
				s.body = ev.Body // the standard wording on the current answers
			}
			if !ev.Truncated && ev.Err != nil {
				s.failed = plainError(ev.Err)
			}
			s.dirty = true
			return true
		}
	}
	return false
}

// SetFields records which facts fed each section (from the engine's draft).
func (d *draftPane) SetFields(dr proposal.Draft) {
	for _, s := range dr.Sections {
		if ds := d.section(s.ID); ds != nil {
			ds.fields = s.Fields
			if s.Truncated != ds.truncated && !ds.drafting {
				ds.truncated, ds.dirty = s.Truncated, true
			}
		}
	}
}

// Settle clears the drafting mark of sections the engine is no longer
// redrafting: a redraft cancelled (Esc, or made stale) sends no event.
func (d *draftPane) Settle(drafting []string) {
	changed := false
	for i := range d.secs {
		s := &d.secs[i]
		if !s.drafting {
			continue
		}
		still := false
		for _, id := range drafting {
			still = still || id == s.id
		}
		if !still {
			s.drafting, s.streaming, s.dirty = false, false, true
			s.live.Reset()
			changed = true
		}
	}
	if changed {
		d.Flush()
	}
}

// NewRound clears the "updated" marks and follows the next redraft: the user
// answered again.
func (d *draftPane) NewRound() {
	for i := range d.secs {
		if d.secs[i].updated {
			d.secs[i].updated = false
		}
	}
	d.follow = true
	d.target = d.question
	d.assemble()
}

// Dirty reports whether anything waits to be rendered.
func (d *draftPane) Dirty() bool {
	if !d.coverOK {
		return true
	}
	for i := range d.secs {
		if d.secs[i].dirty {
			return true
		}
	}
	return false
}

// Truncated lists the sections a redraft key can retry: stopped early,
// failed or stalled.
func (d *draftPane) Truncated() []string {
	var ids []string
	for _, s := range d.secs {
		if (s.truncated || s.failed != "") && !s.drafting {
			ids = append(ids, s.id)
		}
	}
	return ids
}

// Drafting reports whether any section is being redrafted.
func (d *draftPane) Drafting() bool {
	for _, s := range d.secs {
		if s.drafting {
			return true
		}
	}
	return false
}

// Sections is the draft as the pane shows it (finished text only).
func (d *draftPane) Sections() proposal.Draft {
	out := proposal.Draft{Sections: make([]proposal.Section, 0, len(d.secs))}
	for _, s := range d.secs {
		out.Sections = append(out.Sections, proposal.Section{ID: s.id, Title: s.title, Body: s.body, NoHeading: s.noHeading})
	}
	return out
}
