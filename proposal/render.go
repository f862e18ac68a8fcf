package proposal

import (
	"strings"
	"time"

	"propose/templates"
)

// AssumptionMark follows an assumed answer wherever it is drafted in an
// English proposal, so the client reads it as an assumption to confirm, not a
// fact. Other languages take the word from their catalog: see MarkFor.
const AssumptionMark = " *(assumption)*"

// MarkFor is the assumption mark in the catalog's language.
func MarkFor(w *templates.Catalog) string {
	return " *(" + w.Word("mark.assumption") + ")*"
}

// FieldValues renders every field of the template as the Markdown the drafting
// text receives: text as typed, dates written out, lists as bullets, lists
// with columns and money lists as tables (money totals computed here, never
// asked). Unanswered fields are "" unless the template gives a default.
// The extra key "today" holds the drafting day.
//
// Every word the program adds (dates, table headers, "Total", the assumption
// mark) is in the template's language: see templates.Template.In.
func FieldValues(t *templates.Template, facts Facts, today time.Time) map[string]string {
	out := make(map[string]string, 32)
	for si := range t.Sections {
		for fi := range t.Sections[si].Fields {
			f := &t.Sections[si].Fields[fi]
			if t.Sections[si].Internal {
				// Never printed: drafting text cannot use it (the loader
				// refuses that), and no drafter is handed it.
				out[f.ID] = ""
				continue
			}
			out[f.ID] = RenderFieldIn(t, f, facts, today)
		}
	}
	out["today"] = FormatDateIn(t.Words(), today)
	out[templates.RecommendedKey] = recommendedValue(t, facts)
	out[templates.FeesOptionKey] = EscapeMarkdown(FeesOption(t, facts))
	frameValues(t, facts, out)
	for _, f := range t.FieldsWithRole(templates.RoleAlternatives) {
		for k, v := range t.Weighs(facts.Value(f.ID)) {
			out[k] = v
		}
	}
	return out
}

// RenderField renders one field's fact as Markdown in English (see
// FieldValues); RenderFieldIn renders it in a template's language.
func RenderField(f *templates.Field, facts Facts, today time.Time) string {
	return RenderFieldIn(nil, f, facts, today)
}

// RenderFieldIn renders one field of t (nil: English, no template) as
// Markdown in t's language (see FieldValues). What the user typed is escaped
// (EscapeMarkdown) so that it reads as typed in any Markdown renderer.
func RenderFieldIn(t *templates.Template, f *templates.Field, facts Facts, today time.Time) string {
	return renderField(t, f, facts, today, true)
}

// plainField renders a one-line field as plain text, not Markdown: the cover
// shows it as typed, and the Markdown title block escapes it itself.
func plainField(t *templates.Template, f *templates.Field, facts Facts, today time.Time) string {
	return renderField(t, f, facts, today, false)
}

// renderField renders a field as Markdown with the user's text escaped
// (markdown), or as plain text.
func renderField(t *templates.Template, f *templates.Field, facts Facts, today time.Time, markdown bool) string {
	esc, prose := EscapeMarkdown, escapeProse
	if !markdown {
		esc = func(s string) string { return s }
		prose = esc
	}
	w := templates.BuiltinLanguages().English()
	if t != nil {
		w = t.Words()
	}
	fact, ok := facts[f.ID]
	value := strings.TrimSpace(Sanitize(fact.Value))
	if !ok || value == "" || fact.Origin == Default {
		if f.Default == "today" && f.Kind == templates.KindDate {
			return FormatDateIn(w, today)
		}
		return esc(strings.TrimSpace(f.Default))
	}
	if fact.Origin == Assumed {
		return esc(restate(t, f, value)) + MarkFor(w)
	}
	switch f.Kind {
	case templates.KindDate:
		if d, ok := ParseDate(value); ok {
			return FormatDateIn(w, d)
		}
		return esc(value)
	case templates.KindList:
		if t != nil && f.HasRole(templates.RolePayments) {
			return paymentTable(w, t, f, facts, Items(value), esc)
		}
		if len(f.Columns) > 0 {
			return columnTable(w, f, Items(value), esc)
		}
		return bullets(Items(value), esc)
	case templates.KindMoneyList:
		months := 0
		if t != nil && f.HasRole(templates.RoleFees) {
			months = TermMonths(t, facts)
		}
		return feeTable(w, ParseFees(value), esc, months)
	case templates.KindChoice:
		// A choice is one of the template's own answers, compared by the
		// drafting text ({{if eq .pricing "fixed fee"}}): kept as written.
		return value
	default:
		return prose(value)
	}
}

// restate gives an assumption stated in one of the template's languages in
// the template's current one, so that a proposal whose language changed does
// not keep its assumptions in the old language. Other text is kept.
func restate(t *templates.Template, f *templates.Field, value string) string {
	if t == nil || f.Assume == "" {
		return value
	}
	for _, a := range t.AssumeTexts(f.ID) {
		if strings.TrimSpace(a) == value {
			return strings.TrimSpace(f.Assume)
		}
	}
	return value
}

func bullets(items []string, esc func(string) string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- ")
		b.WriteString(esc(it))
	}
	return b.String()
}

// SplitColumns splits an "a: b: c" line into n cells at its colons: the
// first cell is the text before the first colon, the last the text after the
// last one, and the middle keeps any colons of its own. A colon between two
// digits (09:30) does not split. Missing cells are empty.
func SplitColumns(line string, n int) []string {
	return splitCells(line, ":", n)
}

// SplitCells splits one line of a list field into its columns, at the
// field's separator (see templates.Field.Separator).
//
// A line with fewer cells than the field has columns fills them from the
// left, except that an amount typed last ("Lean: €24,000" under Option,
// Scope, Investment) goes to the money column it belongs in rather than
// under Scope.
func SplitCells(f *templates.Field, line string) []string {
	n := len(f.Columns)
	cells := splitCells(line, f.Separator(), n)
	last := -1
	for i, c := range cells {
		if c != "" {
			last = i
		}
	}
	if last <= 0 || last >= n-1 || f.ColumnType(n-1) != templates.ColumnMoney || f.ColumnType(last) == templates.ColumnMoney {
		return cells
	}
	if fl := ParseFeeLine("x: " + cells[last]); fl.HasAmount && !fl.Unparsed && isAmountOnly(cells[last]) {
		cells[n-1], cells[last] = cells[last], ""
	}
	return cells
}

// isAmountOnly reports whether a cell is an amount and nothing more (a
// currency, digits, a period such as "/ month"), not a scope that happens to
// hold a figure ("2 plants").
func isAmountOnly(cell string) bool {
	ms := findMoney(cell)
	if len(ms) != 1 || !ms[0].marked() {
		return false
	}
	rest := strings.TrimSpace(cell[:ms[0].start] + cell[ms[0].end:])
	return rest == "" || strings.TrimSpace(strings.TrimLeft(rest, "/")) == strings.TrimSpace(strings.TrimLeft(ms[0].period, "/"))
}

func splitCells(line, sep string, n int) []string {
	cells := make([]string, n)
	if n == 1 {
		cells[0] = strings.TrimSpace(line)
		return cells
	}
	parts := splitAt(line, sep)
	if len(parts) <= n {
		for i, p := range parts {
			cells[i] = strings.TrimSpace(p)
		}
		return cells
	}
	cells[0] = strings.TrimSpace(parts[0])
	cells[n-1] = strings.TrimSpace(parts[len(parts)-1])
	if n > 2 {
		mid := parts[1 : len(parts)-(n-2)]
		cells[1] = strings.TrimSpace(strings.Join(mid, sep))
		for i := 2; i < n-1; i++ {
			cells[i] = strings.TrimSpace(parts[len(parts)-(n-i)])
		}
	} else {
		cells[1] = strings.TrimSpace(strings.Join(parts[1:], sep))
	}
	return cells
}

// splitAt splits s at each sep, except a colon with a digit on both sides
// (a time, 09:30, or a ratio, 3:1), which is part of its cell.
func splitAt(s, sep string) []string {
	var parts []string
	start := 0
	for i := 0; i+len(sep) <= len(s); {
		if s[i:i+len(sep)] != sep {
			i++
			continue
		}
		if sep == ":" && i > 0 && i+1 < len(s) && isDigit(s[i-1]) && isDigit(s[i+1]) {
			i++
			continue
		}
		parts = append(parts, s[start:i])
		i += len(sep)
		start = i
	}
	return append(parts, s[start:])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// columnTable lays a list field's lines out in its columns. Each column is
// what the template says it is: only money columns align right, and date
// columns are written the way the rest of the proposal writes dates.
func columnTable(w *templates.Catalog, f *templates.Field, items []string, esc func(string) string) string {
	right := make([]bool, len(f.Columns))
	header := make([]string, len(f.Columns))
	for c, name := range f.Columns {
		right[c] = f.ColumnType(c) == templates.ColumnMoney
		header[c] = EscapeMarkdown(name)
	}
	return table(header, right, columnRows(w, f, items, esc))
}

// columnRows splits a list field's lines into their cells, dates written
// the way the rest of the proposal writes them, the rest escaped.
func columnRows(w *templates.Catalog, f *templates.Field, items []string, esc func(string) string) [][]string {
	rows := make([][]string, 0, len(items))
	options := f.HasRole(templates.RoleOptions)
	for _, it := range items {
		marked := false
		if options {
			it, marked = recommendedMark(it)
		}
		cells := SplitCells(f, it)
		for c := range cells {
			if f.ColumnType(c) == templates.ColumnDate {
				if d, ok := ParseDate(cells[c]); ok {
					cells[c] = FormatDateIn(w, d)
					continue
				}
			}
			cells[c] = esc(moneyCell(w, f, c, cells[c])) // money.go: the language's marks
		}
		if marked && len(cells) > 0 {
			cells[0] += " (" + w.Word("option.recommended") + ")"
		}
		rows = append(rows, cells)
	}
	return rows
}

// FeeTable lays fee lines out as a table with their computed total: one total
// row per currency and period. Lines without an amount keep what was written
// after their colon ("at cost"). FeeTable writes English headers;
// FeeTableIn the catalog's.
func FeeTable(lines []FeeLine) string {
	return FeeTableIn(templates.BuiltinLanguages().English(), lines)
}

// FeeTableIn is FeeTable in the catalog's language. A total is written in
// the notation the fee lines used; when they used neither a thousands nor a
// decimal mark, it takes the language's.
func FeeTableIn(w *templates.Catalog, lines []FeeLine) string {
	return feeTable(w, lines, EscapeMarkdown, 0)
}

// feeTable lays the lines out with their totals; termMonths (0: none) is the
// length of an initial term, whose total a monthly fee is also given.
func feeTable(w *templates.Catalog, lines []FeeLine, esc func(string) string, termMonths int) string {
	row := func(l FeeLine) []string {
		l.Notation = localNotation(w, l.Notation, l.Amount)
		amount := l.String()
		if !l.HasAmount {
			if i := strings.LastIndex(l.Raw, ":"); i >= 0 {
				amount = esc(strings.TrimSpace(l.Raw[i+1:]))
			}
		}
		return []string{esc(l.Item), amount}
	}
	// Rates ("€1,200 per meeting", "€900 a day") keep their unit and are in
	// no total; they come after the totals, so a total never reads as
	// covering them.
	rows := make([][]string, 0, len(lines)+2)
	var rates [][]string
	summed := 0
	for _, l := range lines {
		if l.HasAmount && isRate(l.Period) {
			rates = append(rates, row(l))
			continue
		}
		if l.HasAmount {
			summed++
		}
		rows = append(rows, row(l))
	}
	totals := Totals(lines)
	if summed > 1 || len(totals) > 1 {
		for _, t := range totals {
			label := "**" + w.Word("table.total") + "**"
			if len(totals) > 1 {
				label = "**" + w.Text("table.total_of", "what", totalLabel(w, t)) + "**"
			}
			t.Notation = localNotation(w, t.Notation, t.Amount)
			rows = append(rows, []string{label, "**" + t.String() + "**"})
		}
	}
	rows = append(rows, annualRows(w, totals, termMonths)...)
	rows = append(rows, rates...)
	return table([]string{w.Word("table.item"), w.Word("table.amount")}, []bool{false, true}, rows)
}

// annualRows give a monthly fee its yearly equivalent, computed: a buyer
// approves a retainer's budget by the year. The row is added only where the
// fees are monthly and nothing else, so a project with a one-off fee and a
// monthly support line is not given a figure that mixes the two. An initial
// term other than twelve months (termMonths) also gets its own total: what
// the client commits to by signing.
func annualRows(w *templates.Catalog, totals []Total, termMonths int) [][]string {
	if len(totals) != 1 || !isMonth(normPeriod(totals[0].Period)) {
		return nil
	}
	t := totals[0]
	n := localNotation(w, t.Notation, 12*t.Amount)
	rows := [][]string{{"**" + w.Word("annual.total") + "**", "**" + n.Format(12*t.Amount) + "**"}}
	if termMonths > 0 && termMonths != 12 && termMonths <= 120 {
		a := Amount(termMonths) * t.Amount
		n := localNotation(w, t.Notation, a)
		rows = append(rows, []string{"**" + w.Plural("units.term", termMonths) + "**", "**" + n.Format(a) + "**"})
	}
	return rows
}

// localNotation fills in the separators of an amount typed with none
// ("18000 €") from the language (18.000 € in Spanish, 18 000 € in French)
// where the amount is large enough to be grouped; what the user typed with
// separators is kept as typed.
func localNotation(w *templates.Catalog, n Notation, a Amount) Notation {
	return languageNotation(w, n, a) // money.go: the language decides which mark is the decimal
}

func totalLabel(w *templates.Catalog, t Total) string {
	parts := []string{}
	if t.Currency != "" {
		parts = append(parts, t.Currency)
	}
	if t.Period != "" {
		parts = append(parts, strings.TrimSpace(strings.TrimPrefix(t.Period, "/")))
	}
	if len(parts) == 0 {
		return w.Word("table.other")
	}
	return strings.Join(parts, ", ")
}

func table(header []string, right []bool, rows [][]string) string {
	var b strings.Builder
	b.WriteString("|")
	for _, h := range header {
		b.WriteString(" " + cell(h) + " |")
	}
	b.WriteString("\n|")
	for i := range header {
		if right[i] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	for _, r := range rows {
		b.WriteString("\n|")
		for _, c := range r {
			b.WriteString(" " + cell(c) + " |")
		}
	}
	return b.String()
}

// cell keeps a table cell on one line; its text is escaped already
// (EscapeMarkdown writes "|" as "\|"). No-break spaces (in "39 000 €",
// "11 %") are kept: they are what stops a break.
func cell(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}), " ")
}
