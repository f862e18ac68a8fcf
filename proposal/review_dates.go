package proposal

import (
	"regexp"
	"time"

	"propose/templates"
)

// The rules on dates: every date must be one, and in the future of the
// proposal.

// milestones: milestones in date order, none before the start.
func (r *ruleRun) milestones() {
	var start time.Time
	for _, f := range r.t.FieldsWithRole(templates.RoleStart) {
		if d, ok := ParseDate(r.facts.Value(f.ID)); ok {
			start = d
		}
	}
	for _, f := range r.t.FieldsWithRole(templates.RoleMilestones) {
		var prev time.Time
		prevText := ""
		for _, it := range Items(r.facts.Value(f.ID)) {
			d, ok := ParseDate(SplitColumns(it, 2)[0])
			if !ok {
				continue
			}
			if !start.IsZero() && d.Before(start) {
				r.add("milestone-before-start", Warning, f.ID, "The milestone %q falls before the start date (%s): move it after the start, or bring the start forward.", it, FormatDate(start))
			}
			if !prev.IsZero() && d.Before(prev) {
				r.add("milestones-out-of-order", Warning, f.ID, "The milestone %q comes before %q: list milestones in date order.", it, prevText)
			}
			prev, prevText = d, it
		}
	}
}

// dateInTextRE finds dates written inside a sentence ("by 30 September
// 2027", "2027-06-30", "by March 2027").
var dateInTextRE = regexp.MustCompile(`(?i)\b\d{4}-\d{2}-\d{2}\b` +
	`|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b` +
	`|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b` +
	`|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{4}\b`)

// dayWrittenRE tells a date with its day ("1 March 2027") from a month.
var dayWrittenRE = regexp.MustCompile(`\d{1,2}\D+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[.-]\d{1,2}[.-]\d{4}|\d{4}/\d{2}/\d{2}`)

// lastDayOf returns the last day a written date can mean: the day itself, or
// the month's last day for "March 2027".
func lastDayOf(written string, d time.Time) time.Time {
	if d.Day() == 1 && !dayWrittenRE.MatchString(written) {
		return d.AddDate(0, 1, -1)
	}
	return d
}

// datesInPast: a start, milestone or measure dated before the proposal's
// own date reads as a proposal written long ago.
func (r *ruleRun) datesInPast() {
	day := r.proposalDate()
	past := func(field, written string) {
		d, ok := ParseDate(written)
		if !ok || !lastDayOf(written, d).Before(day) {
			return
		}
		r.add("date-in-past", Warning, field, "%q is before the proposal's date (%s): move it to a date still ahead.", written, FormatDate(day))
	}
	for _, f := range r.t.FieldsWithRole(templates.RoleStart) {
		if r.stated(f.ID) {
			past(f.ID, r.facts.Value(f.ID))
		}
	}
	for _, f := range r.t.FieldsWithRole(templates.RoleMilestones) {
		if !r.stated(f.ID) {
			continue
		}
		for _, it := range Items(r.facts.Value(f.ID)) {
			past(f.ID, SplitColumns(it, 2)[0])
		}
	}
	for _, f := range r.t.FieldsWithRole(templates.RoleMeasure) {
		if !r.stated(f.ID) {
			continue
		}
		for _, m := range dateInTextRE.FindAllString(r.facts.Value(f.ID), -1) {
			past(f.ID, m)
		}
	}
}

// datesUnparsed: a date field whose answer is not a date cannot be checked
// against anything; the interview says so when it is typed, the review says
// so for answers that came from a file.
func (r *ruleRun) datesUnparsed() {
	for _, s := range r.t.Sections {
		for i := range s.Fields {
			f := &s.Fields[i]
			if f.Kind != templates.KindDate || !r.stated(f.ID) {
				continue
			}
			if v := r.facts.Value(f.ID); !isDate(v) {
				r.add("date-unparsed", Warning, f.ID,
					"%s is %q, which is not a date on the calendar: write one such as %s, so milestones and validity can be checked against it.",
					label(f), v, FormatDate(r.proposalDate().AddDate(0, 1, 0)))
			}
		}
	}
}

func isDate(s string) bool {
	_, ok := ParseDate(s)
	return ok
}
