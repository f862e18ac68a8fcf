package templates

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
)

// TodayKey is the key of the proposal's date in drafting data: the drafter
// sets .today to the day it drafts, written like "12 January 2027".
const TodayKey = "today"

// RecommendedKey is the key of the recommended option in drafting data: the
// name of the option its line marks "(recommended)", or "" when none is
// marked, so that drafting text claims a recommendation only when there is
// one ({{if .recommended_option}}).
const RecommendedKey = "recommended_option"

// FeesOptionKey is the key of the option the fees are for in drafting data:
// the name of the one option whose price the fee total equals, computed, or
// "" when none (or more than one) does, so that drafting text can say which
// option the fees and payments belong to ({{if .fees_option}}).
const FeesOptionKey = "fees_option"

// DraftKeys are the keys the drafter puts in drafting data besides the
// template's field ids. No field may use one as its id.
var DraftKeys = []string{TodayKey, RecommendedKey, FeesOptionKey, WeighsInaction, WeighsInHouse, WeighsFirm}

// DraftFuncs are the only functions drafting text may call. Drafting text
// from a user's folder is untrusted, so it gets no loops, no nested
// templates and nothing that could run for long or print without bound.
var DraftFuncs = []string{"and", "or", "not", "eq", "ne", "len", "print", "printf"}

// maxDraftOutput bounds what one section's drafting text may produce beyond
// the answers it draws on. Those may be long (a pasted brief of megabytes is
// the consultant's own text and must reach the proposal), so the limit
// grows with them: see draftLimit.
const maxDraftOutput = 4 << 20

// draftLimit is the most a section's drafting text may produce on data:
// every answer twice over, and maxDraftOutput more.
func draftLimit(data map[string]string) int {
	n := maxDraftOutput
	for _, v := range data {
		n += 2 * len(v)
	}
	return n
}

// parsedDraft is a section's drafting text, checked and parsed once.
type parsedDraft struct {
	tmpl   *template.Template
	fields []string // field ids the text refers to, in first-use order
}

// draftProblem is what is wrong with drafting text; line is within the text
// (1-based), or 0 when unknown.
type draftProblem struct {
	line int
	msg  string
}

// ParsedDraft returns the section's drafting text as a parsed template. For a
// section loaded by Load or Parse it was checked and parsed at load and is
// shared: execute it (safe from many goroutines), never modify it. Execute it
// on a map[string]string holding every field of the template by id plus
// DraftKeys; a key that is missing reads as "". For a section built in code
// the text is checked and parsed on each call (field ids are not checked,
// since the section does not know its template).
func (s *Section) ParsedDraft() (*template.Template, error) {
	if s.parsed != nil {
		return s.parsed.tmpl, nil
	}
	pd, prob := checkDraft(s.ID, s.Draft, nil)
	if prob != nil {
		return nil, draftError(s, prob)
	}
	return pd.tmpl, nil
}

// RenderDraft executes the section's drafting text on data (field id ->
// Markdown; see ParsedDraft) and tidies the result: surrounding blank lines
// are removed and runs of blank lines become one, so optional parts of the
// text can come and go without leaving gaps.
func (s *Section) RenderDraft(data map[string]string) (string, error) {
	t, err := s.ParsedDraft()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&limitWriter{w: &b, left: draftLimit(data)}, data); err != nil {
		return "", fmt.Errorf("drafting section %q: %w", s.ID, err)
	}
	return OneFullStop(dropLeadIns(s, TidyMarkdown(b.String()), data)), nil
}

// doubledStop is a full stop that follows another after a letter or digit
// and is not part of an ellipsis: "S.L." + "." from the drafting text.
var doubledStop = regexp.MustCompile(`([\p{L}\p{N}])\.\.([^.]|$)`)

// OneFullStop joins a name that ends in a full stop ("Ejemplo Logística
// S.L.") to the full stop that follows it without doubling it. An ellipsis
// ("...") and a path ("../x") are left as written.
func OneFullStop(text string) string {
	if !strings.Contains(text, "..") {
		return text
	}
	return doubledStop.ReplaceAllString(text, "$1.$2")
}

// TidyMarkdown trims blank lines from both ends of text and collapses each
// run of blank lines (lines of only spaces count) into one.
func TidyMarkdown(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = true
			continue
		}
		if blank && len(out) > 0 {
			out = append(out, "")
		}
		blank = false
		out = append(out, strings.TrimRight(l, " \t"))
	}
	return strings.Join(out, "\n")
}

// DraftFields returns the field ids the section's drafting text refers to, in
// the order they are first used (DraftKeys such as today are left out). It
// returns nil when the text does not parse.
func DraftFields(s *Section) []string {
	if s.parsed != nil {
		return append([]string(nil), s.parsed.fields...)
	}
	pd, prob := checkDraft(s.ID, s.Draft, nil)
	if prob != nil {
		return nil
	}
	return pd.fields
}

func draftError(s *Section, p *draftProblem) error {
	where := ""
	if p.line > 0 {
		where = fmt.Sprintf(" (line %d of the drafting text)", p.line)
	}
	return &LoadError{Problem: fmt.Sprintf("draft of section %q%s %s", s.ID, where, p.msg)}
}

func isDraftKey(id string) bool { return contains(DraftKeys, id) }

// parseFuncs tells the parser which function names exist; the values are
// never called (execution uses text/template's own built-ins of the same name).
var parseFuncs = func() map[string]any {
	m := map[string]any{}
	for _, f := range DraftFuncs {
		m[f] = func() string { return "" }
	}
	return m
}()

var (
	undefinedFuncRE = regexp.MustCompile(`function "([^"]*)" not defined`)
	execPrefixRE    = regexp.MustCompile(`^executing "[^"]*" at `)
)

// checkDraft parses drafting text and checks it is safe to run on untrusted
// input and refers only to known fields (any field, when fields is nil). It
// then runs it once on empty and once on filled-in data, so that mistakes
// that only show when drafting (such as len of a number) are found at load.
func checkDraft(name, text string, fields map[string]bool) (*parsedDraft, *draftProblem) {
	if name == "" {
		name = "draft"
	}
	trees, err := parse.Parse(name, text, "", "", parseFuncs)
	if err != nil {
		return nil, parseProblem(name, err)
	}
	main := trees[name]
	if len(trees) != 1 || main == nil {
		line := 0
		for other, tree := range trees {
			if l := nodeLine(tree, tree.Root); other != name && (line == 0 || l < line) {
				line = l
			}
		}
		return nil, &draftProblem{line: line,
			msg: "uses {{define}} or {{block}}, which drafting text may not use; write the text out in the section itself"}
	}
	w := &walker{tree: main, fields: fields, seen: map[string]bool{}}
	w.list(main.Root, true)
	if w.problem != nil {
		return nil, w.problem
	}
	tmpl, err := template.New(name).Option("missingkey=zero").AddParseTree(name, main)
	if err != nil {
		return nil, &draftProblem{msg: "does not parse: " + err.Error()}
	}
	pd := &parsedDraft{tmpl: tmpl, fields: w.used}
	if prob := tryDraft(name, tmpl, fields, w.used); prob != nil {
		return nil, prob
	}
	return pd, nil
}

// splitTemplateError splits a text/template error ("template: name:3: msg"
// or "template: name:3:7: executing ...") into its line and message.
func splitTemplateError(name string, err error) (int, string) {
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, "template: "+name+":")
	if !ok {
		return 0, msg
	}
	i := strings.Index(rest, ": ")
	if i < 0 {
		return 0, msg
	}
	line, aerr := strconv.Atoi(strings.Split(rest[:i], ":")[0])
	if aerr != nil {
		return 0, msg
	}
	return line, rest[i+2:]
}

// parseProblem turns a text/template parse error into a problem on a line.
func parseProblem(name string, err error) *draftProblem {
	line, msg := splitTemplateError(name, err)
	if m := undefinedFuncRE.FindStringSubmatch(msg); m != nil {
		return &draftProblem{line: line, msg: fmt.Sprintf("uses the function %q, which drafting text may not use (use only %s)",
			m[1], strings.Join(DraftFuncs, ", "))}
	}
	return &draftProblem{line: line, msg: "does not parse: " + msg + "; check the {{ }} actions there"}
}

// tryDraft runs the text on empty data and on data where every field is
// answered.
func tryDraft(name string, tmpl *template.Template, fields map[string]bool, used []string) *draftProblem {
	for _, value := range []string{"", "Sample answer"} {
		data := map[string]string{TodayKey: "12 January 2027"}
		for id := range fields {
			data[id] = value
		}
		for _, id := range used {
			data[id] = value
		}
		err := tmpl.Execute(&limitWriter{w: io.Discard, left: maxDraftOutput}, data)
		if err == nil {
			continue
		}
		line, msg := splitTemplateError(name, err)
		msg = execPrefixRE.ReplaceAllString(msg, "at ")
		return &draftProblem{line: line, msg: "fails when drafted, " + msg + "; check the {{ }} actions there"}
	}
	return nil
}

// walker checks a parse tree, collecting the fields it refers to. dot says
// whether . is the drafting data (true) or the value of a {{with}} (false).
type walker struct {
	tree    *parse.Tree
	fields  map[string]bool
	seen    map[string]bool
	used    []string
	problem *draftProblem
}

func (w *walker) fail(n parse.Node, format string, args ...any) {
	if w.problem == nil {
		w.problem = &draftProblem{line: nodeLine(w.tree, n), msg: fmt.Sprintf(format, args...)}
	}
}

func (w *walker) list(l *parse.ListNode, dot bool) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		if w.problem != nil {
			return
		}
		w.node(n, dot)
	}
}

func (w *walker) node(n parse.Node, dot bool) {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode:
	case *parse.ActionNode:
		w.pipe(n.Pipe, dot)
	case *parse.IfNode:
		w.pipe(n.Pipe, dot)
		w.list(n.List, dot)
		w.list(n.ElseList, dot)
	case *parse.WithNode:
		w.pipe(n.Pipe, dot)
		w.list(n.List, false)
		w.list(n.ElseList, dot)
	case *parse.RangeNode:
		w.fail(n, "uses {{range}}, which drafting text may not use: the drafter lays out lists and tables itself, so write {{.field}} instead")
	case *parse.TemplateNode:
		w.fail(n, "uses {{template}} or {{block}}, which drafting text may not use; write the text out in the section itself")
	default:
		w.fail(n, "uses %s, which drafting text may not use", clip(n.String(), 40))
	}
}

func (w *walker) pipe(p *parse.PipeNode, dot bool) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		w.command(c, dot)
	}
}

func (w *walker) command(c *parse.CommandNode, dot bool) {
	for i, arg := range c.Args {
		if id, ok := arg.(*parse.IdentifierNode); ok {
			w.function(c, id, i == 0)
			continue
		}
		w.arg(arg, dot)
	}
}

func (w *walker) function(c *parse.CommandNode, id *parse.IdentifierNode, head bool) {
	if !contains(DraftFuncs, id.Ident) {
		w.fail(id, "uses the function %q, which drafting text may not use (use only %s)", id.Ident, strings.Join(DraftFuncs, ", "))
		return
	}
	if id.Ident != "printf" {
		return
	}
	var format *parse.StringNode
	if head && len(c.Args) > 1 {
		format, _ = c.Args[1].(*parse.StringNode)
	}
	if format == nil {
		w.fail(id, `uses printf without a quoted format right after it; write it like {{printf "%%s" .field}}`)
		return
	}
	if msg := checkFormat(format.Text); msg != "" {
		w.fail(format, "uses printf with the format %s: %s", clip(strconv.Quote(format.Text), 30), msg)
	}
}

func (w *walker) arg(n parse.Node, dot bool) {
	switch n := n.(type) {
	case *parse.FieldNode:
		if !dot {
			w.fail(n, "uses %s inside {{with}}, where . is the value of the with; write $%s to use the field", n, n)
			return
		}
		w.field(n, n.Ident)
	case *parse.VariableNode:
		switch {
		case len(n.Ident) == 1 && n.Ident[0] == "$":
			w.fail(n, "uses $ on its own, which would print every answer; write $.field")
		case n.Ident[0] == "$":
			w.field(n, n.Ident[1:])
		case len(n.Ident) > 1:
			w.fail(n, "uses %s; refer to fields as .field or $.field", n)
		}
	case *parse.DotNode:
		if dot {
			w.fail(n, "uses {{.}} outside {{with}}, which would print every answer; write .field instead")
		}
	case *parse.PipeNode:
		w.pipe(n, dot)
	case *parse.ChainNode:
		w.fail(n, "uses %s; fields hold text and have no parts, so write .field", clip(n.String(), 40))
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
	default:
		w.fail(n, "uses %s, which drafting text may not use", clip(n.String(), 40))
	}
}

func (w *walker) field(n parse.Node, ident []string) {
	name := ident[0]
	if len(ident) > 1 {
		w.fail(n, "uses .%s; fields hold text and have no parts, so write .%s", strings.Join(ident, "."), name)
		return
	}
	if isDraftKey(name) {
		return
	}
	if w.fields != nil && !w.fields[name] {
		hint := ""
		known := make([]string, 0, len(w.fields)+len(DraftKeys))
		for id := range w.fields {
			known = append(known, id)
		}
		known = append(known, DraftKeys...)
		if c := closest(name, known); c != "" {
			hint = fmt.Sprintf(" (did you mean .%s?)", c)
		}
		w.fail(n, "uses .%s, which is not a field of this template%s", name, hint)
		return
	}
	if !w.seen[name] {
		w.seen[name] = true
		w.used = append(w.used, name)
	}
}

// checkFormat refuses printf verbs whose width or precision could make one
// call print without bound: * (taken from an argument) or more than 3 digits.
func checkFormat(f string) string {
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		for i < len(f) && strings.IndexByte("+-# 0", f[i]) >= 0 {
			i++
		}
		for part := 0; part < 2 && i < len(f); part++ { // width, then precision
			if part == 1 {
				if f[i] != '.' {
					break
				}
				i++
			}
			if i < len(f) && f[i] == '[' { // an argument index, such as %[2]d
				for i < len(f) && f[i] != ']' {
					i++
				}
				i++
			}
			if i < len(f) && f[i] == '*' {
				return "a width or precision taken from an argument (*) is not allowed; write it as at most 3 digits"
			}
			digits := 0
			for i < len(f) && f[i] >= '0' && f[i] <= '9' {
				digits++
				i++
			}
			if digits > 3 {
				return "a width or precision of more than 3 digits is not allowed; use at most 999"
			}
		}
		// f[i] is now the verb (or an argument index before it); the loop
		// moves past it.
	}
	return ""
}

// nodeLine is the 1-based line of node n within the drafting text.
func nodeLine(tree *parse.Tree, n parse.Node) int {
	if tree == nil || n == nil {
		return 0
	}
	loc, _ := tree.ErrorContext(n)
	parts := strings.Split(loc, ":")
	if len(parts) < 3 {
		return 0
	}
	line, err := strconv.Atoi(parts[len(parts)-2])
	if err != nil {
		return 0
	}
	return line
}

// limitWriter fails a write that would take the output past its limit.
type limitWriter struct {
	w    io.Writer
	left int
}

var errTooLong = errors.New("the drafted text is longer than twice its answers and 4 MiB more; shorten the answers or the drafting text")

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.left {
		return 0, errTooLong
	}
	l.left -= len(p)
	return l.w.Write(p)
}
