package templates

import "strings"

// The drafting keys the program fills from the discovery's alternatives
// (the field playing RoleAlternatives): "yes" when the client weighs that
// alternative, "" otherwise. Drafting text may test them, so that what a
// printed section says answers what the client is weighing, while the
// internal answer itself is never printed:
//
//	{{if .weighs_inhouse}}Why an outside team{{else}}Why us{{end}}
const (
	WeighsInaction = "weighs_inaction" // doing nothing, waiting
	WeighsInHouse  = "weighs_inhouse"  // doing the work with their own people
	WeighsFirm     = "weighs_firm"     // another firm
)

// WeighsKeys are the alternatives' drafting keys, in the order above.
var WeighsKeys = []string{WeighsInaction, WeighsInHouse, WeighsFirm}

// weighsWords are the catalog keys listing, for each alternative, the words
// that name it in an answer.
var weighsWords = map[string]string{
	WeighsInaction: "alternatives.inaction",
	WeighsInHouse:  "alternatives.inhouse",
	WeighsFirm:     "alternatives.firm",
}

// Weighs reads an answer about the alternatives the client weighs and
// returns the drafting keys it names, each set to "yes". The words come from
// the English catalog and the template's language (answers are often typed
// in English whatever the proposal's language): comma-separated phrases,
// matched in lower case anywhere in the answer.
func (t *Template) Weighs(answer string) map[string]string {
	out := map[string]string{}
	a := strings.ToLower(answer)
	if strings.TrimSpace(a) == "" {
		return out
	}
	cats := []*Catalog{BuiltinLanguages().English()}
	if w := t.Words(); w != nil && !w.IsEnglish() {
		cats = append(cats, w)
	}
	for _, key := range WeighsKeys {
		for _, c := range cats {
			if mentions(a, c.Word(weighsWords[key])) {
				out[key] = "yes"
			}
		}
	}
	return out
}

// mentions reports whether text holds one of the comma-separated phrases.
func mentions(text, phrases string) bool {
	for _, p := range strings.Split(phrases, ",") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" && strings.Contains(text, p) {
			return true
		}
	}
	return false
}
