package proposal

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"propose/llm"
	"propose/templates"
)

// LLMDrafter writes each section's prose through a model, streamed, from the
// section's facts, the proposal's outline and the template's own wording for
// the section. Numbers stay exact: fee, option and milestone tables, their
// totals, the measures of success and signature lines are built by code from
// the facts whenever the document is assembled (Assemble), and the model is
// told not to write them; any table the model writes anyway is removed. Its
// prose passes the number guard: an amount, percentage or date the facts do
// not hold gets one redraft with a pointed instruction, then the section
// falls back to the offline drafter's text (a FallbackError).
type LLMDrafter struct {
	// Client talks to the model.
	Client *llm.Client
	// Now dates the prompts; nil means time.Now.
	Now func() time.Time
	// MaxBytes caps one section's reply; zero means DefaultSectionBytes.
	MaxBytes int
}

var _ Drafter = (*LLMDrafter)(nil)

// drafterReply caps a section: a proposal section is a few hundred words,
// with room left for a reasoning model's thinking.
const drafterReply = 2000

// DefaultSectionBytes caps a section's reply: a long section is 5 KB of
// prose; 64 KB leaves room for a reasoning model's thinking.
const DefaultSectionBytes = 64 << 10

// FallbackError says the model's prose for a section cannot be used and
// why; the document carries the offline drafter's text for it.
type FallbackError struct {
	// Section is the section's title.
	Section string
	// Reason is one of the Reason constants, with detail.
	Reason string
}

func (e *FallbackError) Error() string {
	return "the " + e.Section + " section uses the standard wording: " + e.Reason
}

// DraftSection streams the section's prose to emit and returns it: prose
// only, the blocks are the document's (Assemble). A reply cut short (no
// finish reason, or the length limit) returns an error matching
// ErrTruncated; prose that twice states figures the facts do not hold
// returns a *FallbackError.
func (d *LLMDrafter) DraftSection(ctx context.Context, req DraftRequest, emit func(string)) (string, error) {
	if d.Client == nil {
		return OfflineDrafter{}.DraftSection(ctx, req, emit)
	}
	if emit == nil {
		emit = func(string) {}
	}
	if req.Section.Internal {
		return "", nil // the consultant's own notes: never drafted, never sent
	}
	standard, err := ExecuteDraft(req.Section, req.Values)
	if err != nil {
		return "", err
	}
	prose, blocks := splitStandard(req.Section, req.Values, standard)
	if prose == "" {
		// Nothing to write around the blocks (or nothing at all, as on the
		// cover, which the exporter lays out from the facts).
		return "", nil
	}
	prompt, err := d.sectionPrompt(req, prose, blocks)
	if err != nil {
		return "", err
	}
	msgs := []llm.Message{llm.System(drafterSystem), llm.User(prompt)}
	text, err := d.stream(ctx, req, msgs, emit)
	if err != nil {
		return "", err
	}
	known := Known(req.Template, req.Facts, req.Today)
	stray := known.Stray(text)
	if len(stray) == 0 {
		return text, nil
	}
	// One redraft, saying exactly what was wrong. It is not streamed: the
	// pane keeps the first attempt until the section is done.
	msgs = append(msgs, llm.Assistant(text), llm.User(fmt.Sprintf(
		"Your text states %s, which the facts do not give. Write the section again. "+
			"State no amount, percentage, date, multiple or payback unless it appears in the facts above, exactly as written there; "+
			"refer to the tables the program appends instead of restating figures.", FigureList(stray))))
	text, err = d.stream(ctx, req, msgs, nil)
	if err != nil {
		return "", err
	}
	if stray = known.Stray(text); len(stray) > 0 {
		return "", &FallbackError{Section: req.Section.Title, Reason: ReasonFigures + " (" + FigureList(stray) + ")"}
	}
	return text, nil
}

// stream makes one drafting call and returns the cleaned prose.
func (d *LLMDrafter) stream(ctx context.Context, req DraftRequest, msgs []llm.Message, emit func(string)) (string, error) {
	if emit == nil {
		emit = func(string) {}
	}
	limit := d.MaxBytes
	if limit <= 0 {
		limit = DefaultSectionBytes
	}
	resp, err := d.Client.Stream(ctx, llm.Request{
		Agent:           llm.AgentDrafter,
		Messages:        msgs,
		MaxOutputTokens: drafterReply,
		MaxReplyBytes:   limit,
	}, (&thinkFilter{emit: emit}).write)
	if err != nil {
		// Truncated means part of the section arrived; a stream that ended
		// with no text at all is just a failure.
		if errors.Is(err, llm.ErrTruncated) && resp.Text != "" {
			return "", &truncatedError{err: err}
		}
		return "", err
	}
	if resp.FinishReason == "length" {
		return "", &truncatedError{err: fmt.Errorf("the reply from %s reached its length limit before the %s section was finished. Try again", resp.Model, req.Section.Title)}
	}
	// The offline text's rules for the model's too: a name ending in "."
	// does not take a second one, and no markup survives but the subset.
	text := templates.OneFullStop(ReduceMarkdown(escapeQuoted(cleanProse(resp.Text, req.Section.Title), req.Facts)))
	if text == "" {
		return "", fmt.Errorf("the model wrote nothing usable for the %s section. Try again", req.Section.Title)
	}
	return text, nil
}

// thinkFilter keeps a reasoning model's <think> block out of the draft pane
// while the section streams; the finished body is cleaned again as a whole.
type thinkFilter struct {
	emit func(string)
	full strings.Builder
	sent int
}

const thinkOpen = "<think>"

func (f *thinkFilter) write(delta string) {
	f.full.WriteString(delta)
	if f.sent == f.full.Len()-len(delta) && !strings.Contains(f.full.String(), "<") {
		f.sent += len(delta) // the usual case: nothing to hide
		f.emit(delta)
		return
	}
	vis := thinkBlockRE.ReplaceAllString(f.full.String(), "")
	if i := strings.Index(vis, thinkOpen); i >= 0 {
		vis = vis[:i] // thinking, not yet done
	}
	for k := len(thinkOpen) - 1; k > 0; k-- {
		if strings.HasSuffix(vis, thinkOpen[:k]) {
			vis = vis[:len(vis)-k] // perhaps the start of a <think>
			break
		}
	}
	if len(vis) > f.sent {
		f.emit(vis[f.sent:])
		f.sent = len(vis)
	}
}

// truncatedError is a reply that stopped early: it matches ErrTruncated and
// the llm error that says why, and reads as the latter.
type truncatedError struct{ err error }

func (e *truncatedError) Error() string   { return e.err.Error() }
func (e *truncatedError) Unwrap() []error { return []error{ErrTruncated, e.err} }

// block is a part of a section built by code: a table, the measures, the
// signature lines.
type block struct {
	pos  int
	text string
	what string // how the prompt names it; "" for signature lines
}

// byCode reports whether a field's rendering is appended by code rather than
// written by the model: anything with amounts, totals, dated rows or
// measures that must read exactly as recorded.
func byCode(f *templates.Field) bool {
	return f.Kind == templates.KindMoneyList || (f.Kind == templates.KindList && len(f.Columns) > 0) ||
		f.HasRole(templates.RoleMeasure) || f.HasRole(templates.RoleFees) ||
		f.HasRole(templates.RoleOptions) || f.HasRole(templates.RoleMilestones)
}

var blankLinesRE = regexp.MustCompile(`\n{3,}`)

// splitStandard takes the section's offline rendering apart: the prose the
// model improves on, and the blocks code appends, in the order they appear.
func splitStandard(s *templates.Section, values map[string]string, standard string) (string, []block) {
	prose := standard
	var blocks []block
	for i := range s.Fields {
		f := &s.Fields[i]
		v := strings.TrimSpace(values[f.ID])
		if !byCode(f) || v == "" {
			continue
		}
		pos := strings.Index(standard, v)
		if pos < 0 {
			continue // the section's wording does not show it
		}
		blocks = append(blocks, block{pos: pos, text: v, what: describeBlock(f, v)})
		prose = strings.Replace(prose, v, "", 1)
	}
	// Signature lines, with the short label line before them ("For Acme: Dana").
	paras := strings.Split(prose, "\n\n")
	for i := 0; i < len(paras); i++ {
		if !strings.Contains(paras[i], "___") {
			continue
		}
		text := strings.TrimSpace(paras[i])
		if i > 0 && isLabelLine(paras[i-1]) {
			text = strings.TrimSpace(paras[i-1]) + "\n\n" + text
			paras[i-1] = ""
		}
		blocks = append(blocks, block{pos: len(standard) + i, text: text})
		paras[i] = ""
	}
	prose = strings.TrimSpace(blankLinesRE.ReplaceAllString(strings.Join(paras, "\n\n"), "\n\n"))
	sort.SliceStable(blocks, func(i, j int) bool { return blocks[i].pos < blocks[j].pos })
	return prose, blocks
}

// isLabelLine is a short line that is not a sentence, such as "For Acme: Dana".
func isLabelLine(p string) bool {
	p = strings.TrimSpace(p)
	return p != "" && len(p) <= 120 && !strings.Contains(p, "\n") && !strings.ContainsAny(p[len(p)-1:], ".!?")
}

// describeBlock names a block for the prompt without its figures, so the
// model can refer to it but has no amounts to restate.
func describeBlock(f *templates.Field, rendered string) string {
	name := f.Label
	if name == "" {
		name = f.ID
	}
	if hasAssumptionMark(rendered) {
		return name + ": stated as an assumption"
	}
	var rows []string // first cells of the table's rows, header first
	bullets := 0
	for _, line := range strings.Split(rendered, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "|"):
			first := strings.TrimSpace(strings.Split(strings.Trim(line, "|"), "|")[0])
			if strings.HasPrefix(first, "---") || strings.HasPrefix(first, "**Total") {
				continue
			}
			rows = append(rows, first)
		case strings.HasPrefix(line, "- "):
			bullets++
		}
	}
	if len(rows) > 0 {
		rows = rows[1:]
	}
	switch {
	case f.Kind == templates.KindMoneyList:
		total := ""
		if len(rows) > 1 {
			total = " and their total"
		}
		return fmt.Sprintf("%s: a table of %d fee %s (%s)%s", name, len(rows), plural(len(rows), "line", "lines"), names(rows), total)
	case len(f.Columns) > 0:
		return fmt.Sprintf("%s: a table of %d %s (%s), with the columns %s", name, len(rows), plural(len(rows), "row", "rows"), names(rows), strings.Join(f.Columns, ", "))
	case bullets > 0:
		return fmt.Sprintf("%s: a list of %d %s", name, bullets, plural(bullets, "item", "items"))
	}
	return name
}

func names(rows []string) string {
	if len(rows) > 6 {
		return strings.Join(rows[:6], ", ") + ", …"
	}
	return strings.Join(rows, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func joinBlocks(blocks []block) string {
	parts := make([]string, 0, len(blocks))
	for _, b := range blocks {
		parts = append(parts, b.text)
	}
	return strings.Join(parts, "\n\n")
}

// Prompt data for a section.
type (
	sectionData struct {
		Today, Client, Date, Title, Standard string
		Language                             string
		Outline                              []outlineEntry
		Facts                                []draftFact
		Appended                             []string
	}
	outlineEntry struct {
		Title   string
		Current bool
	}
	draftFact struct {
		Label, Value string
		Assumed      bool
	}
)

func (d *LLMDrafter) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// sectionPrompt carries this section's facts only, never the transcript or
// the rest of the draft: a redraft costs the same at turn 30 as at turn 3.
func (d *LLMDrafter) sectionPrompt(req DraftRequest, prose string, blocks []block) (string, error) {
	cover := CoverOf(req.Template, req.Facts, req.Today)
	data := sectionData{
		Today:  FormatDate(d.now()),
		Client: cover.PreparedFor,
		Date:   cover.Date,
		Title:  req.Section.Title,
		// The facts say which answers are assumed; the mark in the
		// standard wording would only be copied into the prose.
		Standard: strings.ReplaceAll(prose, MarkFor(req.Template.Words()), ""),
		Language: llm.LanguageName(req.Language),
	}
	for _, s := range req.Template.Sections {
		if !s.NoHeading {
			data.Outline = append(data.Outline, outlineEntry{Title: s.Title, Current: s.ID == req.Section.ID})
		}
	}
	for _, id := range SectionFields(req.Section) {
		_, f := req.Template.Field(id)
		v := strings.TrimSpace(req.Values[id])
		if f == nil || v == "" || byCode(f) {
			continue // a block of this section, or another section's table it only mentions
		}
		assumed := req.Facts[id].Origin == Assumed
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(v, MarkFor(req.Template.Words())), AssumptionMark))
		data.Facts = append(data.Facts, draftFact{Label: label(f), Value: indent(v), Assumed: assumed})
	}
	for _, b := range blocks {
		if b.what != "" {
			data.Appended = append(data.Appended, b.what)
		}
	}
	if len(blocks) > 0 && blocks[len(blocks)-1].what == "" {
		data.Appended = append(data.Appended, "the signature lines")
	}
	return renderPrompt("drafter_section.tmpl", data)
}

var (
	thinkBlockRE = regexp.MustCompile(`(?is)<think>.*?</think>`)
	wholeFenceRE = regexp.MustCompile("(?s)^```[A-Za-z]*[ \t]*\n(.*?)\n?```$")
)

// cleanProse tidies the model's section: escapes stripped, reasoning and a
// wrapping code fence removed, a heading repeating the title dropped and
// other headings made bold, tables and signature lines the model wrote
// anyway removed (code appends the exact ones).
func cleanProse(text, title string) string {
	text = Sanitize(text)
	text = strings.TrimSpace(thinkBlockRE.ReplaceAllString(text, ""))
	if m := wholeFenceRE.FindStringSubmatch(text); m != nil {
		text = m[1]
	}
	var out []string
	first := true
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "|"), strings.Contains(t, "___"):
			continue
		case strings.HasPrefix(t, "#"):
			h := strings.TrimSpace(strings.TrimLeft(t, "#"))
			if h == "" || (first && strings.EqualFold(strings.Trim(h, "*: "), title)) {
				continue
			}
			line = "**" + strings.Trim(h, "*") + "**"
		}
		if t != "" {
			first = false
		}
		out = append(out, line)
	}
	return strings.TrimSpace(blankLinesRE.ReplaceAllString(strings.Join(out, "\n"), "\n\n"))
}

// hasAssumptionMark reports whether rendered text ends with the assumption
// mark of any built-in language ("*(supuesto)*").
func hasAssumptionMark(rendered string) bool {
	for _, c := range templates.BuiltinLanguages().List() {
		if strings.HasSuffix(rendered, strings.TrimSpace(MarkFor(c))) {
			return true
		}
	}
	return false
}

// escapeQuoted escapes the answers a model quotes, as the offline text
// escapes them: a title typed as "Margin *uplift* for Q&A_Corp <pilot>"
// reads so in the model's prose too, not in italics with "<pilot>" gone.
// Only one-line answers holding a character Markdown gives a meaning to are
// looked for, longest first.
func escapeQuoted(text string, facts Facts) string {
	var quoted []string
	for _, f := range facts {
		v := strings.TrimSpace(Sanitize(f.Value))
		if len(v) < 3 || strings.Contains(v, "\n") || !strings.ContainsAny(v, "\\`*_[]<>|~&") {
			continue
		}
		if strings.Contains(text, v) {
			quoted = append(quoted, v)
		}
	}
	sort.Slice(quoted, func(i, j int) bool { return len(quoted[i]) > len(quoted[j]) })
	for _, v := range quoted {
		text = strings.ReplaceAll(text, v, escapeInline(v))
	}
	return text
}
