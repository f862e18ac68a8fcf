package proposal

import (
	"strings"
	"time"
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

// FormatDate writes a date the way a proposal does: "12 January 2027".
func FormatDate(t time.Time) string { return t.Format("2 January 2006") }

// stripOrdinal turns "1st", "2nd", "3rd", "12th" into plain numbers.
func stripOrdinal(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		trail := ""
		if strings.HasSuffix(w, ",") {
			w, trail = strings.TrimSuffix(w, ","), ","
		}
		for _, suf := range []string{"st", "nd", "rd", "th"} {
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
