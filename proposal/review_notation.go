package proposal

import (
	"regexp"

	"propose/templates"
)

func init() { registerRule((*ruleRun).amountAmbiguous) }

// singleGroupRE is a number with one group of three digits after a mark:
// "1.500", "24,000": to a reader used to the other convention, decimals.
var singleGroupRE = regexp.MustCompile(`^\d{1,3}[.,]\d{3}$`)

// amountAmbiguous: money has no third decimal, so "€1.500" is read as one
// thousand five hundred whatever the language, and printed in the
// language's marks ("€1,500" in English). When the other amounts in the
// same answer (the fees, the options) write their thousands the
// language's way, one written the other way may be a slip for "€1.50": the
// review asks, once an answer. An answer written the other way throughout
// is simply continental, and is printed in the language's marks.
func (r *ruleRun) amountAmbiguous() {
	w := r.t.Words()
	group, dec := w.Word("number.group"), w.Word("number.decimal")
	if group == "" || dec == "" {
		return
	}
	var fields []*templates.Field
	fields = append(fields, r.t.FieldsWithRole(templates.RoleFees)...)
	fields = append(fields, r.t.FieldsWithRole(templates.RoleOptions)...)
	type odd struct {
		field string
		line  FeeLine
		num   string
	}
	var odds []odd
	for _, f := range fields {
		if !r.stated(f.ID) {
			continue
		}
		ours := false
		var here []odd
		for _, it := range Items(r.facts.Value(f.ID)) {
			line, _ := recommendedMark(it)
			l := ParseFeeLine(line)
			if !l.HasAmount {
				continue
			}
			n := l.Notation
			switch {
			case n.Thousands == group && (n.Decimal == "" || n.Decimal == dec), n.Thousands == "" && n.Decimal == dec:
				ours = true
			case n.Thousands == dec && n.Decimal == "":
				for _, m := range findMoney(line) {
					if m.marked() && singleGroupRE.MatchString(m.num) {
						here = append(here, odd{f.ID, l, m.num})
						break
					}
				}
			}
		}
		if ours { // written the other way throughout, the answer leaves no doubt
			odds = append(odds, here...)
		}
	}
	seen := map[string]bool{}
	for _, o := range odds {
		if seen[o.field] {
			continue
		}
		seen[o.field] = true
		read := r.inDoc(o.line.Notation, o.line.Amount)
		small := Notation{Prefix: o.line.Notation.Prefix, Suffix: o.line.Notation.Suffix, Thousands: group, Decimal: dec, Decimals: true}.Format(o.line.Amount / 1000)
		r.add("amount-ambiguous", Warning, o.field,
			"%q is read as %s, while the other amounts write thousands with %q: if you meant %s, write it so; if not, write %s to match.",
			o.line.Raw, read, group, small, read)
	}
}
