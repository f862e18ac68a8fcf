package proposal

import (
	"strings"
	"time"

	"github.com/goodsign/monday"

	"propose/templates"
)

// dateLayouts are the ways of writing a date that ParseDate accepts, tried in
// order. Day-first numeric forms use dots or dashes only: "03/04/2027" means
// different days on either side of the Atlantic, so it is left as written.
var dateLayouts = []string{
	"2006-01-02", "2 January 2006", "January 2, 2006", "January 2 2006",
	"2 Jan 2006", "Jan 2, 2006", "Jan 2 2006", "02.01.2006", "2.1.2006",
	"02-01-2006", "Monday, 2 January 2006", "Monday 2 January 2006",
	"Mon, 2 Jan 2006", "2006/01/02", "January 2006", "Jan 2006", "2006-01",
}

// ParseDate reads a date as a consultant types it. It reports false for
// anything it cannot place on a calendar ("early March", "after signature").
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	s = strings.Join(strings.Fields(s), " ")
	s = stripOrdinal(s)
	if t, ok := parseLocalDate(s); ok {
		return t, true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
		// Month names in any case: "12 january 2027".
		if t, err := time.Parse(l, titleWords(s)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FormatDate writes a date the way an English proposal does: "12 January
// 2027".
func FormatDate(t time.Time) string { return FormatDateIn(nil, t) }

// FormatDateIn writes a date the way the catalog's language writes it in
// full: "11 de enero de 2027", "1. März 2027", "1er mars 2027". The catalog
// gives the layout (date.long, a Go layout with {day} for the day), the day's
// form by the language's ordinal rules (date.day) and the locale whose month
// names github.com/goodsign/monday supplies (date.locale). nil is English.
func FormatDateIn(w *templates.Catalog, t time.Time) string {
	if w == nil {
		w = templates.BuiltinLanguages().English()
	}
	s := monday.Format(t, w.Word("date.long"), monday.Locale(w.Word("date.locale")))
	return strings.ReplaceAll(s, "{day}", w.Ordinal("date.day", t.Day()))
}

// stripOrdinal turns "1st", "2nd", "3rd", "12th" into plain numbers.
func stripOrdinal(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		trail := ""
		if strings.HasSuffix(w, ",") {
			w, trail = strings.TrimSuffix(w, ","), ","
		}
		for _, suf := range []string{"st", "nd", "rd", "th", "er", "º", "°", ".º"} {
			if n := strings.TrimSuffix(w, suf); n != w && n != "" && isDigits(n) {
				w = n
			}
		}
		words[i] = w + trail
	}
	return strings.Join(words, " ")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func titleWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if w != "" && w[0] >= 'a' && w[0] <= 'z' {
			words[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
		}
	}
	return strings.Join(words, " ")
}

// localLayouts are the long forms other languages write dates in, with the
// month named in that language: "1 de marzo de 2027", "1. März 2027",
// "1er mars 2027" (1er is read as 1 by stripOrdinal).
var localLayouts = []string{"2 January 2006", "2 de January de 2006", "2. January 2006", "2 January, 2006"}

// parseLocalDate reads a date written out in any built-in catalog's language.
func parseLocalDate(s string) (time.Time, bool) {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0x7f || r >= 'a' && r <= 'z' }) {
		return time.Time{}, false
	}
	lower := strings.ToLower(s)
	seen := map[string]bool{}
	for _, c := range templates.BuiltinLanguages().List() {
		loc := c.Word("date.locale")
		if seen[loc] || c.IsEnglish() {
			continue
		}
		seen[loc] = true
		for _, l := range localLayouts {
			for _, v := range []string{s, lower, titleWords(lower)} {
				if t, err := monday.Parse(l, v, monday.Locale(loc)); err == nil {
					return t, true
				}
			}
		}
	}
	return time.Time{}, false
}
