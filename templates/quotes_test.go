package templates

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// languageQuotes are the quotation marks each built-in language sets a
// name in: a section or an option the text refers to.
var languageQuotes = map[string][2]string{
	"en": {"“", "”"},
	"nl": {"“", "”"},
	"de": {"„", "“"},
	"es": {"«", "»"},
	"fr": {"«\u00a0", "\u00a0»"},
	"it": {"«", "»"},
	"pt": {"«", "»"},
}

// TestReferencesAreQuoted: where a section's text refers to another
// section ("the investment for each option is shown under Approach and
// options") or names an option, the name stands in the language's
// quotation marks, as a reader of that language expects.
func TestReferencesAreQuoted(t *testing.T) {
	set, errs := Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	const option = "Zyx Option Name"
	for _, base := range set.List() {
		for _, tag := range builtinTags {
			tm := base.In(tag)
			q := languageQuotes[tag]
			var titles []string
			for _, s := range tm.Sections {
				if len(strings.Fields(s.Title)) > 1 && !s.NoHeading {
					titles = append(titles, s.Title)
				}
			}
			for _, choice := range []map[string]string{
				{"pricing": "fixed fee", FeesOptionKey: option, RecommendedKey: option},
				{"pricing": "fixed fee", FeesOptionKey: option},
				{"pricing": "fixed fee"},
			} {
				data := map[string]string{}
				for _, s := range tm.Sections {
					for _, f := range s.Fields {
						data[f.ID] = "sample answer"
					}
				}
				for k, v := range choice {
					data[k] = v
				}
				for i := range tm.Sections {
					s := &tm.Sections[i]
					out, err := s.RenderDraft(data)
					if err != nil {
						t.Fatal(err)
					}
					for _, name := range append(titles, option) {
						if name == s.Title {
							continue
						}
						re := regexp.MustCompile(`(^|[^\p{L}])` + regexp.QuoteMeta(name) + `($|[^\p{L}])`)
						for _, m := range re.FindAllStringIndex(out, -1) {
							at := strings.Index(out[m[0]:], name) + m[0]
							if !strings.HasSuffix(out[:at], q[0]) || !strings.HasPrefix(out[at+len(name):], q[1]) {
								t.Errorf("%s %s, section %s: %q is not in %s…%s: %q", base.ID, tag, s.ID, name, q[0], q[1], clip(out[max(0, at-60):], 140))
							}
						}
					}
				}
			}
		}
	}
}

// TestSignatoryClosesTheSentence: the acceptance names the signatory with
// their title ("Dr. Katrin Huber, Geschäftsführerin Finanzen") where the
// sentence ends, so that the title needs no closing comma a frame cannot
// know to write, and a signatory with no title leaves no stray comma.
func TestSignatoryClosesTheSentence(t *testing.T) {
	set, errs := Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, base := range set.List() {
		for _, tag := range builtinTags {
			tm := base.In(tag)
			for _, buyer := range []string{"Jane Doe, Head of Finance", "Jane Doe"} {
				data := map[string]string{"client": "Acme Ltd", "buyer": buyer, "reference": "SOW-7"}
				for i := range tm.Sections {
					out, err := tm.Sections[i].RenderDraft(data)
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range strings.Split(out, "\n\n") {
						at := strings.Index(p, buyer)
						if !strings.HasPrefix(p, "**") || at < 0 {
							continue
						}
						if next := p[at+len(buyer):]; !strings.HasPrefix(next, ".") {
							t.Errorf("%s %s: the signatory %q is followed by %q", base.ID, tag, buyer, clip(next, 40))
						}
					}
				}
			}
		}
	}
}

// TestLabelsAreNotRepeated: a bold label ("**Participants.**") names one
// thing in a document; two fields under the same label (who attends and
// how many) read as a mistake.
func TestLabelsAreNotRepeated(t *testing.T) {
	set, errs := Load("")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	label := regexp.MustCompile(`\*\*([^*]+)\.\*\*`)
	for _, base := range set.List() {
		for _, tag := range builtinTags {
			tm := base.In(tag)
			data := map[string]string{"pricing": "fixed fee"}
			for _, s := range tm.Sections {
				for _, f := range s.Fields {
					if data[f.ID] == "" {
						data[f.ID] = "sample answer"
					}
				}
			}
			seen := map[string]string{}
			for i := range tm.Sections {
				s := &tm.Sections[i]
				out, err := s.RenderDraft(data)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range label.FindAllStringSubmatch(out, -1) {
					if prev, ok := seen[m[1]]; ok {
						t.Errorf("%s %s: the label %q in %s and %s", base.ID, tag, m[1], prev, s.ID)
					}
					seen[m[1]] = s.ID
				}
			}
		}
	}
}

// TestEmptyEnglishWordsAreNotMissing: a user's catalog that lacks a key
// English leaves empty (the client's article, no-break spaces) is not
// reported as falling back to English: nothing English would show.
func TestEmptyEnglishWordsAreNotMissing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sv.yaml"), []byte("language: sv\nname: Svenska\nwords:\n  table:\n    total: Summa\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	langs, errs := LoadLanguages(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sv, ok := langs.Match("sv")
	if !ok {
		t.Fatal("no sv catalog")
	}
	missing := strings.Join(sv.Missing(), " ")
	for _, k := range []string{"client.article", "prose.nbsp_before", "wording.sentence_openers"} {
		if strings.Contains(missing, k) {
			t.Errorf("%s is reported missing: %s", k, missing)
		}
	}
	if !strings.Contains(missing, "cover.prepared_for") {
		t.Errorf("a real gap is not reported: %s", missing)
	}
}
