package proposal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"propose/templates"
)

// The review corpus (testdata/review): a clean proposal per built-in
// template, and cases that each seed one gap into one of them with the rule
// id that must catch it. TestReviewCorpus measures what a consultant relies
// on when the review says a proposal is ready: recall (seeded gaps named by
// the expected rule) and false blockers (blockers on the clean proposals).
const (
	corpusDir       = "testdata/review"
	corpusMinRecall = 0.95
)

// corpusCase is one seeded gap (see testdata/review/cases.yaml).
type corpusCase struct {
	Name     string               `yaml:"name"`
	Base     string               `yaml:"base"`
	Set      map[string]yaml.Node `yaml:"set"`
	Template []struct {
		Old string `yaml:"old"`
		New string `yaml:"new"`
	} `yaml:"template"`
	Expect string `yaml:"expect"`
}

// answerText reads an answer as an answers file writes it: text, or a list
// one item a line (an unquoted "Item: amount" item is a one-key mapping).
func answerText(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		var lines []string
		for _, it := range n.Content {
			lines = append(lines, answerText(it))
		}
		return strings.Join(lines, "\n")
	case yaml.MappingNode:
		var parts []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			parts = append(parts, n.Content[i].Value+": "+answerText(n.Content[i+1]))
		}
		return strings.Join(parts, "\n")
	default:
		return strings.TrimSpace(n.Value)
	}
}

// loadClean reads a clean proposal: its template id and its answers.
func loadClean(t *testing.T, id string) (string, map[string]string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, "clean", id+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Template string               `yaml:"template"`
		Answers  map[string]yaml.Node `yaml:"answers"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("clean/%s.yaml: %v", id, err)
	}
	answers := map[string]string{}
	for k, v := range doc.Answers {
		answers[k] = answerText(&v)
	}
	return doc.Template, answers
}

// corpusTemplate returns the built-in template, edited as the case says.
func corpusTemplate(t *testing.T, set *templates.Set, id string, c *corpusCase) *templates.Template {
	t.Helper()
	if c == nil || len(c.Template) == 0 {
		tm, ok := set.Get(id)
		if !ok {
			t.Fatalf("no built-in template %q", id)
		}
		return tm
	}
	data, err := os.ReadFile(filepath.Join("..", "templates", "builtin", id+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, e := range c.Template {
		if !strings.Contains(text, e.Old) {
			t.Fatalf("case %q: the %s template no longer holds %q; update the case", c.Name, id, e.Old)
		}
		text = strings.ReplaceAll(text, e.Old, e.New)
	}
	tm, err := templates.Parse(id+".yaml", []byte(text))
	if err != nil {
		t.Fatalf("case %q: the edited template does not load: %v", c.Name, err)
	}
	tm.Source = "user template " + id + ".yaml"
	return tm
}

// corpusFacts turns answers into facts as a headless run records them.
func corpusFacts(tm *templates.Template, answers map[string]string) Facts {
	facts := Facts{}
	for id, v := range answers {
		_, f := tm.Field(id)
		if f == nil || v == "" {
			continue
		}
		origin := Stated
		if strings.EqualFold(v, "assume") {
			v, origin = f.Assume, Assumed
		}
		facts[id] = Fact{Field: id, Value: v, Origin: origin, Turn: 1}
	}
	return facts
}

func corpusReview(t *testing.T, tm *templates.Template, facts Facts) []Finding {
	t.Helper()
	d := draftAll(t, tm, facts)
	fs, err := RuleReviewer{}.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: d, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestReviewCorpus(t *testing.T) {
	set, errs := templates.Load(t.TempDir())
	if len(errs) > 0 {
		t.Fatalf("templates: %v", errs)
	}
	bases := []string{"consulting", "sow", "workshop", "retainer"}
	clean := map[string]map[string]string{}
	falseBlockers, cleanFindings := 0, 0
	for _, id := range bases {
		tid, answers := loadClean(t, id)
		if tid != id {
			t.Fatalf("clean/%s.yaml is for the %q template", id, tid)
		}
		clean[id] = answers
		tm := corpusTemplate(t, set, id, nil)
		for _, f := range corpusReview(t, tm, corpusFacts(tm, answers)) {
			cleanFindings++
			if f.Severity == Blocker {
				falseBlockers++
				t.Errorf("clean %s proposal: false blocker %s on %s: %s", id, f.Rule, f.Field, f.Message)
			} else {
				t.Logf("clean %s proposal: %s %s on %s: %s", id, f.Severity, f.Rule, f.Field, f.Message)
			}
		}
	}

	data, err := os.ReadFile(filepath.Join(corpusDir, "cases.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpusCase
	if err := yaml.Unmarshal(data, &cases); err != nil {
		t.Fatalf("cases.yaml: %v", err)
	}
	if len(cases) < 40 {
		t.Fatalf("the corpus has %d cases; it needs at least 40", len(cases))
	}
	caught := 0
	perRule := map[string][2]int{} // rule -> caught, seeded
	for i := range cases {
		c := &cases[i]
		answers, ok := clean[c.Base]
		if !ok || c.Expect == "" {
			t.Fatalf("case %q: base %q or expect %q is not valid", c.Name, c.Base, c.Expect)
		}
		seeded := map[string]string{}
		for k, v := range answers {
			seeded[k] = v
		}
		for k, v := range c.Set {
			seeded[k] = answerText(&v)
		}
		tm := corpusTemplate(t, set, c.Base, c)
		for k := range c.Set {
			if _, f := tm.Field(k); f == nil {
				t.Fatalf("case %q sets %q, which the %s template does not ask", c.Name, k, c.Base)
			}
		}
		fs := corpusReview(t, tm, corpusFacts(tm, seeded))
		hit := false
		var got []string
		for _, f := range fs {
			got = append(got, f.Rule)
			if f.Rule == c.Expect {
				hit = true
				if f.Message == "" || (f.Field != "" && f.Section == "") {
					t.Errorf("case %q: finding %+v lacks a message or a section", c.Name, f)
				}
			}
		}
		n := perRule[c.Expect]
		n[1]++
		if hit {
			caught++
			n[0]++
		} else {
			t.Logf("MISSED case %q (%s): expected %s, got %v", c.Name, c.Base, c.Expect, got)
		}
		perRule[c.Expect] = n
	}
	recall := float64(caught) / float64(len(cases))
	rules := make([]string, 0, len(perRule))
	for r := range perRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	var per []string
	for _, r := range rules {
		per = append(per, fmt.Sprintf("%s %d/%d", r, perRule[r][0], perRule[r][1]))
	}
	t.Logf("per rule: %s", strings.Join(per, ", "))
	// scripts/bench reads this line.
	t.Logf("REVIEWCORPUS recall %d/%d %.1f%% false-blockers %d clean-proposals %d clean-findings %d rules %d",
		caught, len(cases), 100*recall, falseBlockers, len(bases), cleanFindings, len(rules))
	if recall < corpusMinRecall {
		t.Errorf("recall %.1f%% (%d of %d seeded gaps named by their rule), want at least %.0f%%", 100*recall, caught, len(cases), 100*corpusMinRecall)
	}
}
