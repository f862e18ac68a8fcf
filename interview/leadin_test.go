package interview

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"propose/templates"
)

// TestOneItemListsReadAsSentencesInEveryLanguage: with every list answered
// by a single item, each built-in template in each language writes no
// lead-in that leads into nothing (a sentence ending in a colon before a
// paragraph rather than a list or table), and no paragraph twice (a
// lead-in left above the sentence its item became).
func TestOneItemListsReadAsSentencesInEveryLanguage(t *testing.T) {
	set, errs := templates.Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, id := range []string{"consulting", "sow", "workshop", "retainer"} {
		a, err := LoadAnswers(filepath.Join("testdata", "awkward", id+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		base, _ := set.Get(id)
		for _, s := range base.Sections {
			for _, f := range s.Fields {
				if v, ok := a.Values[f.ID]; ok && f.Kind == templates.KindList {
					a.Values[f.ID], _, _ = strings.Cut(v, "\n")
				}
			}
		}
		for _, lang := range builtinLanguages {
			now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
			e := Open(base, NewSession(base.In(lang), now), Config{Now: func() time.Time { return now }})
			if err := e.RecordAnswers(a); err != nil {
				t.Fatal(err)
			}
			if err := e.Settle(context.Background()); err != nil {
				t.Fatal(err)
			}
			paras := strings.Split(e.Markdown(), "\n\n")
			e.Close()
			seen := map[string]bool{}
			for i, p := range paras {
				p = strings.TrimSpace(p)
				if seen[p] && !strings.HasPrefix(p, "|") {
					t.Errorf("%s %s: paragraph twice: %q", id, lang, p)
				}
				seen[p] = true
				if strings.HasSuffix(p, ":") && i+1 < len(paras) {
					next := strings.TrimSpace(paras[i+1])
					if !strings.HasPrefix(next, "- ") && !strings.HasPrefix(next, "|") && !strings.HasPrefix(next, "1. ") {
						t.Errorf("%s %s: lead-in before a paragraph: %q\n  then %q", id, lang, p, next)
					}
				}
			}
		}
	}
}

// leadIns returns the paragraphs of a Markdown document that lead into a
// list or a table: they end with a colon (signature lines aside).
func leadIns(md string) []string {
	var out []string
	for _, p := range strings.Split(md, "\n\n") {
		p = strings.TrimSpace(p)
		if strings.HasSuffix(p, ":") && !strings.Contains(p, "___") && !strings.Contains(p, "\n") {
			// Only the sentence that leads in counts ("This engagement
			// succeeds as a partnership. Acme will provide:").
			if i := strings.LastIndex(strings.TrimSuffix(p, ":"), ". "); i >= 0 {
				p = p[i+2:]
			}
			out = append(out, p)
		}
	}
	return out
}

// TestLeadInsAreVaried: in each built-in template and language, no two
// lead-ins of a document open with the same two words ("Acme will
// receive:", "Acme can choose…:") or end with the same word ("…
// Folgendes:", "… suivants :"), so that the sections do not read as one
// pattern repeated.
func TestLeadInsAreVaried(t *testing.T) {
	set, errs := templates.Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	for _, id := range []string{"consulting", "sow", "workshop", "retainer"} {
		a, err := LoadAnswers(filepath.Join("testdata", "awkward", id+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		base, _ := set.Get(id)
		for _, lang := range builtinLanguages {
			now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
			e := Open(base, NewSession(base.In(lang), now), Config{Now: func() time.Time { return now }})
			if err := e.RecordAnswers(a); err != nil {
				t.Fatal(err)
			}
			if err := e.Settle(context.Background()); err != nil {
				t.Fatal(err)
			}
			md := e.Markdown()
			e.Close()
			opens, ends := map[string]string{}, map[string]string{}
			for _, l := range leadIns(md) {
				w := words(l)
				if len(w) < 2 {
					continue
				}
				open, end := w[0]+" "+w[1], w[len(w)-1]
				if prev, ok := opens[open]; ok {
					t.Errorf("%s %s: two lead-ins open alike:\n  %q\n  %q", id, lang, prev, l)
				}
				if prev, ok := ends[end]; ok {
					t.Errorf("%s %s: two lead-ins end alike:\n  %q\n  %q", id, lang, prev, l)
				}
				opens[open], ends[end] = l, l
			}
		}
	}
}

// TestOneRiskIsNotCalledRisks: a proposal that names one risk says so in
// a sentence of its own ("One risk could affect the outcomes, and we have
// planned for it."), followed by the risk and how it is managed; it does
// not lead into one bullet with "We see these risks …, and will manage
// them as follows:". Two risks keep the plural lead-in and the list
// (checked in English: a list of two is never framed, in any language).
func TestOneRiskIsNotCalledRisks(t *testing.T) {
	set, errs := templates.Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	const one = "Peak season in March may slow interviews: we will book them in February"
	const two = one + "\nThe ERP vendor may be late with rule changes: the sponsor escalates after five days"
	for _, id := range []string{"consulting", "sow"} {
		a, err := LoadAnswers(filepath.Join("testdata", "awkward", id+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		base, _ := set.Get(id)
		for _, lang := range builtinLanguages {
			lt := base.In(lang)
			_, f := lt.Field("risks")
			opening, _, _ := strings.Cut(f.Frame, "{risks}")
			opening = strings.TrimSpace(opening)
			if opening == "" || strings.HasSuffix(opening, ":") {
				t.Fatalf("%s %s: the risks frame %q does not say in a sentence of its own that there is one risk", id, lang, f.Frame)
			}
			draft := func(risks string) string {
				now := time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)
				e := Open(base, NewSession(lt, now), Config{Now: func() time.Time { return now }})
				defer e.Close()
				a.Values["risks"] = risks
				if err := e.RecordAnswers(a); err != nil {
					t.Fatal(err)
				}
				if err := e.Settle(context.Background()); err != nil {
					t.Fatal(err)
				}
				return e.Markdown()
			}
			md := draft(one)
			if want := opening + " " + one + "."; !strings.Contains(md, want) {
				t.Errorf("%s %s: one risk is not written as %q:\n%s", id, lang, want, section(md, one))
			}
			if strings.Contains(md, "- "+one) {
				t.Errorf("%s %s: one risk is a bullet under a plural lead-in:\n%s", id, lang, section(md, one))
			}
			if lang != "en" {
				continue // two risks: whether a list is framed does not depend on the language
			}
			md = draft(two)
			if !strings.Contains(md, "- "+one) || strings.Contains(md, opening) {
				t.Errorf("%s %s: two risks are not a list:\n%s", id, lang, section(md, one))
			}
		}
	}
}

// section is the paragraphs of md around the one holding s.
func section(md, s string) string {
	paras := strings.Split(md, "\n\n")
	for i, p := range paras {
		if strings.Contains(p, s) {
			return strings.Join(paras[max(0, i-2):min(len(paras), i+2)], "\n\n")
		}
	}
	return md
}
