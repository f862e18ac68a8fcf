package proposal

import (
	"context"
	"math"
	"strings"
	"testing"
)

// TestValueClaimsFound: the multiples and paybacks a proposal claims are
// read in every built-in language, in digits and in small number words.
func TestValueClaimsFound(t *testing.T) {
	for _, c := range []struct {
		text string
		mult float64 // 0: a payback
		days float64 // 0: a multiple
	}{
		{"This work returns eight times the investment.", 8, 0},
		{"a 3x return within the year", 3, 0},
		{"An ROI of 5x is realistic.", 5, 0},
		{"It pays for itself in four months.", 0, 4 * daysPerMonth},
		{"The programme will pay for itself within 6 weeks.", 0, 42},
		{"a payback period of 2.5 months", 0, 2.5 * daysPerMonth},
		{"it pays back in the first year", 0, daysPerYear},
		{"twice the investment", 2, 0},
		{"a 400% return on the fees", 4, 0},
		{"an ROI of 300%", 3, 0},
		{"un retorno de 500 %", 5, 0},
		{"el ahorro equivale a ocho veces la inversión", 8, 0},
		{"la inversión se amortiza en cuatro meses", 0, 4 * daysPerMonth},
		{"Der Nutzen beträgt das Achtfache der Investition.", 8, 0},
		{"das 8-fache des Honorars", 8, 0},
		{"Das Projekt amortisiert sich in vier Monaten.", 0, 4 * daysPerMonth},
		{"un gain de huit fois l'investissement", 8, 0},
		{"le projet se rentabilise en quatre mois", 0, 4 * daysPerMonth},
		{"um retorno de oito vezes o investimento", 8, 0},
		{"o projeto paga-se em quatro meses", 0, 4 * daysPerMonth},
		{"un beneficio pari a otto volte l'investimento", 8, 0},
		{"il progetto si ripaga in quattro mesi", 0, 4 * daysPerMonth},
		{"een opbrengst van acht keer de investering", 8, 0},
		{"het project verdient zichzelf binnen vier maanden terug", 0, 4 * daysPerMonth},
	} {
		cs := findClaims(c.text)
		if len(cs) != 1 {
			t.Errorf("%q: %d claims found, want 1", c.text, len(cs))
			continue
		}
		got := cs[0]
		if c.mult > 0 && (got.kind != claimMultiple || got.mult != c.mult) || c.days > 0 && (got.kind != claimPayback || math.Abs(got.days-c.days) > 0.5) {
			t.Errorf("%q: got %+v", c.text, got)
		}
	}
	// Numbers that are no claim: counts, times of day, a loan's term.
	for _, text := range []string{
		"We run 3 workshops over 8 weeks.",
		"Four times a year the board meets.",
		"The loan is repaid over 10 years.",
		"Order to cash has grown from 38 to 61 days.",
		"Each workshop runs 3 times 2 hours.",
	} {
		if cs := findClaims(text); len(cs) != 0 {
			t.Errorf("%q: claims %+v, want none", text, cs)
		}
	}
}

// claimFacts: fees of €52.000 and a value of €420,000 a year: eight times
// the fees in a year, paid back in about a month and a half.
func claimFacts(why string) Facts {
	facts := completeFacts()
	facts["value"] = Fact{Field: "value", Value: "Saving about €420,000 a year in interest and write-offs.", Origin: Stated}
	facts["why_us"] = Fact{Field: "why_us", Value: why, Origin: Stated}
	return facts
}

func claimFindings(t *testing.T, fs []Finding) []Finding {
	t.Helper()
	var out []Finding
	for _, f := range fs {
		if f.Rule == RuleValueClaim {
			out = append(out, f)
		}
	}
	return out
}

// TestValueClaimsCheckedAgainstFeesAndValue: a claim the fees and the
// value support passes; one they contradict is a warning when a little
// optimistic and a blocker when far off, on the answer that makes it; one
// with no value figure to check against leads to the value question.
func TestValueClaimsCheckedAgainstFeesAndValue(t *testing.T) {
	tm := consulting(t)
	for _, c := range []struct {
		why   string
		sev   Severity // "" : no finding
		field string
		in    string // in the message
	}{
		{"It returns eight times the investment in the first year.", "", "", ""},
		{"A 3x return, conservatively.", "", "", ""},
		{"It pays for itself in two months.", "", "", ""},
		{"It returns ten times the investment.", Warning, "why_us", "about 8.1 times"},
		{"It returns twenty times the investment.", Blocker, "why_us", "about 8.1 times"},
		{"It pays for itself in two weeks.", Blocker, "why_us", "1.5 months"},
		{"It returns twenty times the investment over three years.", "", "", ""},
		{"A 300% return.", "", "", ""},
		{"An ROI of 2000% is realistic.", Blocker, "why_us", "about 8.1 times"},
	} {
		fs := claimFindings(t, review(t, tm, claimFacts(c.why)))
		if c.sev == "" {
			if len(fs) != 0 {
				t.Errorf("%q: findings %+v, want none", c.why, fs)
			}
			continue
		}
		if len(fs) != 1 || fs[0].Severity != c.sev || fs[0].Field != c.field || !strings.Contains(fs[0].Message, c.in) || fs[0].Section == "" {
			t.Errorf("%q: findings %+v, want one %s on %s saying %q", c.why, fs, c.sev, c.field, c.in)
		}
	}
	// No value figure to check it against: the value question fixes it.
	facts := claimFacts("It returns eight times the investment.")
	facts["value"] = Fact{Field: "value", Value: "Faster cash and fewer disputes.", Origin: Stated}
	fs := claimFindings(t, review(t, tm, facts))
	if len(fs) != 1 || fs[0].Severity != Warning || fs[0].Field != "value" || !strings.Contains(fs[0].Message, "eight times the investment") {
		t.Errorf("unsupported claim: findings %+v, want one warning on value", fs)
	}
	// A payback needs the value per period: a one-off value cannot say when.
	facts = claimFacts("It pays for itself in four months.")
	facts["value"] = Fact{Field: "value", Value: "Releases €3.8 million of working capital.", Origin: Stated}
	fs = claimFindings(t, review(t, tm, facts))
	if len(fs) != 1 || fs[0].Field != "value" || !strings.Contains(fs[0].Message, "per year") {
		t.Errorf("payback against a one-off value: findings %+v", fs)
	}
}

// TestValueClaimsInEveryLanguage: the same check in the other languages,
// with the amounts written the language's way.
func TestValueClaimsInEveryLanguage(t *testing.T) {
	base := consulting(t)
	for _, c := range []struct {
		lang, value, good, bad string
	}{
		{"es", "Ahorra unos 420.000 € al año.", "Rinde ocho veces la inversión.", "Rinde veinte veces la inversión."},
		{"de", "Spart rund 420.000 € pro Jahr.", "Der Nutzen beträgt das Achtfache der Investition.", "Der Nutzen beträgt das Zwanzigfache der Investition."},
		{"fr", "Économise environ 420 000 € par an.", "Un gain de huit fois l'investissement.", "Un gain de vingt fois l'investissement."},
		{"pt", "Poupa cerca de 420.000 € por ano.", "Rende oito vezes o investimento.", "Rende vinte vezes o investimento."},
		{"it", "Risparmia circa 420.000 € all'anno.", "Rende otto volte l'investimento.", "Rende venti volte l'investimento."},
		{"nl", "Bespaart zo'n € 420.000 per jaar.", "Levert acht keer de investering op.", "Levert twintig keer de investering op."},
		{"es", "Ahorra 2,1 millones de euros al año.", "Se amortiza en un mes.", "Se amortiza en dos días."},
		{"de", "Spart rund 420.000 € pro Jahr.", "Das Projekt amortisiert sich in zwei Monaten.", "Das Projekt amortisiert sich in zwei Tagen."},
	} {
		tm := base.In(c.lang)
		for _, why := range []string{c.good, c.bad} {
			facts := claimFacts(why)
			facts["value"] = Fact{Field: "value", Value: c.value, Origin: Stated}
			fs := claimFindings(t, review(t, tm, facts))
			if why == c.good && len(fs) != 0 {
				t.Errorf("%s %q: findings %+v, want none", c.lang, why, fs)
			}
			if why == c.bad && (len(fs) != 1 || fs[0].Severity != Blocker) {
				t.Errorf("%s %q: findings %+v, want one blocker", c.lang, why, fs)
			}
		}
	}
}

// TestRetainerClaimsCountTheYearlyFee: a monthly fee is set against the
// value by the year.
func TestRetainerClaimsCountTheYearlyFee(t *testing.T) {
	tm := builtin(t, "retainer")
	_, answers := loadClean(t, "retainer")
	for why, want := range map[string]int{
		"The retainer returns thirty times its cost.":    0, // £2.55m a year against £78,000
		"The retainer returns a hundred times its cost.": 1,
		"The retainer pays for itself in two weeks.":     0,
	} {
		answers["value"] = "A 19% rise in average contract value on 300 customers adds about £2.4m of annual recurring revenue; one avoided senior mis-hire saves at least £150,000. " + why
		if got := len(claimFindings(t, corpusReview(t, tm, corpusFacts(tm, answers)))); got != want {
			t.Errorf("%q: %d findings, want %d", why, got, want)
		}
	}
}

// TestModelClaimNeverReachesTheClient: a model's multiple that the answers
// do not support is not printed (the section keeps its standard wording)
// and the review leads to the value question; one they support is kept.
func TestModelClaimNeverReachesTheClient(t *testing.T) {
	tm := consulting(t)
	facts := claimFacts("We have fixed the same process at two clients.")
	for prose, kept := range map[string]bool{
		"Releasing working capital returns about eight times the investment.": true,
		"Releasing working capital returns forty times the investment.":       false,
		"The engagement pays for itself within two months.":                   true,
		"The engagement pays for itself within a week.":                       false,
	} {
		d := modelDraft(t, facts, map[string]string{"situation": prose})
		doc, all := Assemble(tm, facts, today, d, "llm")
		var falls []Fallback
		for _, f := range all {
			if f.Section == "situation" {
				falls = append(falls, f)
			}
		}
		got := strings.Contains(doc.Section("situation").Body, prose)
		if got != kept {
			t.Errorf("%q kept = %v, want %v\n%s", prose, got, kept, doc.Section("situation").Body)
		}
		fs, _ := RuleReviewer{}.Review(context.Background(), ReviewRequest{Template: tm, Facts: facts, Draft: doc, Today: today})
		fs = claimFindings(t, fs)
		if kept && (len(falls) != 0 || len(fs) != 0) {
			t.Errorf("%q: fallbacks %+v, findings %+v", prose, falls, fs)
		}
		if !kept && (len(falls) != 1 || len(fs) != 1 || fs[0].Field != "value" || !strings.Contains(fs[0].Message, "model")) {
			t.Errorf("%q: fallbacks %+v, findings %+v, want one of each, leading to value", prose, falls, fs)
		}
	}
}

// TestClaimsKeepTheirOwnTimes: a multiple takes a horizon only when one is
// written right after it, and a payback only a time close to its verb, so
// two claims in one sentence are read apart.
func TestClaimsKeepTheirOwnTimes(t *testing.T) {
	cs := findClaims("Roughly a hundred times the investment, and the work pays for itself within two weeks.")
	if len(cs) != 2 || cs[0].text != "a hundred times the investment" || cs[0].kind != claimMultiple || cs[0].horizon != 0 || cs[1].kind != claimPayback || cs[1].days != 14 {
		t.Fatalf("claims = %+v", cs)
	}
	if cs := findClaims("Eight times the investment over three years."); len(cs) != 1 || math.Abs(cs[0].horizon-3*daysPerYear) > 1 {
		t.Errorf("horizon: %+v", cs)
	}
	if cs := findClaims("It pays for itself, and the project itself runs for 12 weeks."); len(cs) != 0 {
		t.Errorf("a payback with no time of its own: %+v", cs)
	}
}

// TestClaimsAreAboutTheWork: paying back a loan or recouping losses is no
// claim about the fees.
func TestClaimsAreAboutTheWork(t *testing.T) {
	for _, text := range []string{
		"The client pays back the bank loan in 3 years.",
		"They recouped their losses within 6 months.",
	} {
		if cs := findClaims(text); len(cs) != 0 {
			t.Errorf("%q: claims %+v", text, cs)
		}
	}
	if cs := findClaims("The work recoups its cost within 2 months."); len(cs) != 1 || cs[0].kind != claimPayback {
		t.Errorf("recoups its cost: %+v", cs)
	}
}
