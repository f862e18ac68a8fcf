package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The keys each level of a template file may hold. They match the yaml tags
// of Template, Section and Field (a test keeps them in step).
var (
	templateKeys = []string{"id", "name", "description", "document", "sections"}
	sectionKeys  = []string{"id", "title", "fields", "draft", "no_heading", "internal"}
	fieldKeys    = []string{"id", "label", "question", "why", "example", "kind", "required",
		"choices", "default", "assume", "columns", "split", "frame", "frame_end", "roles"}
)

// Parse reads and validates one template file. name is the file's path (or
// any name for error messages); it becomes the template's Source. Every
// problem is a *LoadError naming the file and the line of the offending node;
// Parse reports the first problem it finds. The drafting text of each section
// is checked and parsed once here, so the drafter need not parse it again.
func Parse(name string, data []byte) (*Template, error) {
	t, _, err := parseFile(name, data)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// parseFile is Parse that also returns where each part of the template was in the
// file, for problems found later (such as a duplicate id across files).
func parseFile(name string, data []byte) (t *Template, l *lines, lerr *LoadError) {
	if len(data) > MaxFileSize {
		return nil, nil, tooBig(name, int64(len(data)))
	}
	// The YAML library is not our code and the input is untrusted: a panic in
	// it must become a problem with this file, not a crash of the program.
	defer func() {
		if r := recover(); r != nil {
			t, l = nil, nil
			lerr = &LoadError{File: name, Problem: fmt.Sprintf("the file could not be read as YAML (%v); check that it is a valid YAML file", r)}
		}
	}()
	if lerr := scanChars(name, data); lerr != nil {
		return nil, nil, lerr
	}
	root, lerr := readYAML(name, data)
	if lerr != nil {
		return nil, nil, lerr
	}
	d := &decoder{file: name}
	t, l, lerr = d.template(root)
	if lerr != nil {
		return nil, nil, lerr
	}
	t.Source = name
	drafts, lerr := validate(t, l, name)
	if lerr != nil {
		return nil, nil, lerr
	}
	for i := range t.Sections {
		t.Sections[i].parsed = drafts[i]
	}
	addAcceptance(t, BuiltinLanguages().English())
	return t, l, nil
}

// Validate checks a template built in code the way Parse checks a file: ids,
// kinds, roles, fields and drafting text. Problems are *LoadError values with
// the template's Source as File and no line.
func (t *Template) Validate() error {
	if _, err := validate(t, nil, t.Source); err != nil {
		return err
	}
	return nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// readYAML parses the file into a node tree and returns the document's root,
// refusing empty files and files with more than one document.
func readYAML(name string, data []byte) (*yaml.Node, *LoadError) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, emptyFile(name)
		}
		return nil, yamlProblem(name, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlProblem(name, err)
	default:
		return nil, &LoadError{File: name, Line: extra.Line,
			Problem: `a second YAML document starts here ("---"); keep one template per file`}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, emptyFile(name)
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, emptyFile(name)
	}
	return root, nil
}

func emptyFile(name string) *LoadError {
	return &LoadError{File: name, Problem: `the file is empty; a template needs "id", "name" and "sections" (propose templates --doc shows how to write one)`}
}

// yamlParserProblems are the problems the YAML library's parser (not its
// scanner) reports. It gives their lines counted from 0, so they are one less
// than the line an editor shows.
var yamlParserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected key", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected ',' or ']'",
	"did not find expected ',' or '}'", "found duplicate %YAML directive",
	"found incompatible YAML document", "found undefined tag handle",
	"found duplicate %TAG directive",
}

func yamlProblem(name string, err error) *LoadError {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if contains(yamlParserProblems, m[2]) {
			line++
		}
		return &LoadError{File: name, Line: line,
			Problem: fmt.Sprintf("not valid YAML: %s; check the indentation and quoting on and around this line", m[2])}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return &LoadError{File: name, Problem: fmt.Sprintf("not valid YAML: %s; check the indentation and quoting", msg)}
}

// pos records where one mapping of the file (the template, a section or a
// field) and its values were, so that problems found after decoding can still
// name a line. A nil *pos (a template built in code) answers 0 everywhere.
type pos struct {
	line  int              // the mapping's first line
	keys  map[string]int   // the line of each key's value
	items map[string][]int // the line of each item of a list value
	// draftFirst is the file line of the first line of the drafting text, and
	// draftExact says whether later lines of it follow one-to-one (a literal
	// block, "|"), so a problem on line n of the text is on file line
	// draftFirst+n-1.
	draftFirst int
	draftExact bool
}

func (p *pos) at(key string) int {
	if p == nil {
		return 0
	}
	if l, ok := p.keys[key]; ok {
		return l
	}
	return p.line
}

func (p *pos) item(key string, i int) int {
	if p != nil && i < len(p.items[key]) {
		return p.items[key][i]
	}
	return p.at(key)
}

// lines holds the positions of a template's parts, parallel to its sections
// and fields. A nil *lines is a template built in code.
type lines struct {
	tmpl     *pos
	sections []*pos
	fields   [][]*pos
}

func (l *lines) section(i int) *pos {
	if l == nil || i >= len(l.sections) {
		return nil
	}
	return l.sections[i]
}

func (l *lines) field(i, j int) *pos {
	if l == nil || i >= len(l.fields) || j >= len(l.fields[i]) {
		return nil
	}
	return l.fields[i][j]
}

// decoder turns the YAML node tree into a Template, checking only the shape
// (known keys, text where text belongs, lists where lists belong). The
// meaning is checked afterwards by validate.
type decoder struct {
	file string
}

func (d *decoder) fail(line int, format string, args ...any) *LoadError {
	return &LoadError{File: d.file, Line: line, Problem: fmt.Sprintf(format, args...)}
}

func (d *decoder) template(n *yaml.Node) (*Template, *lines, *LoadError) {
	vals, p, err := d.mapping(n, "", "the top level", templateKeys)
	if err != nil {
		return nil, nil, err
	}
	t := &Template{}
	l := &lines{tmpl: p}
	if t.ID, err = d.text(vals, "", "id"); err != nil {
		return nil, nil, err
	}
	if t.Name, err = d.text(vals, "", "name"); err != nil {
		return nil, nil, err
	}
	if t.Description, err = d.text(vals, "", "description"); err != nil {
		return nil, nil, err
	}
	if t.Document, err = d.text(vals, "", "document"); err != nil {
		return nil, nil, err
	}
	seq, err := d.sequence(vals, "", "sections")
	if err != nil {
		return nil, nil, err
	}
	for i, sn := range seq {
		s, sp, fps, err := d.section(sn, i)
		if err != nil {
			return nil, nil, err
		}
		t.Sections = append(t.Sections, s)
		l.sections = append(l.sections, sp)
		l.fields = append(l.fields, fps)
	}
	return t, l, nil
}

func (d *decoder) section(n *yaml.Node, i int) (Section, *pos, []*pos, *LoadError) {
	ctx := fmt.Sprintf("section %d: ", i+1)
	if id := peekID(n); id != "" {
		ctx = fmt.Sprintf("section %q: ", id)
	}
	var s Section
	vals, p, err := d.mapping(n, ctx, "a section", sectionKeys)
	if err != nil {
		return s, nil, nil, err
	}
	if s.ID, err = d.text(vals, ctx, "id"); err != nil {
		return s, nil, nil, err
	}
	if s.Title, err = d.text(vals, ctx, "title"); err != nil {
		return s, nil, nil, err
	}
	if s.NoHeading, err = d.boolean(vals, ctx, "no_heading"); err != nil {
		return s, nil, nil, err
	}
	if s.Internal, err = d.boolean(vals, ctx, "internal"); err != nil {
		return s, nil, nil, err
	}
	if v := vals["draft"]; v != nil {
		if s.Draft, err = d.scalar(v, ctx, "draft"); err != nil {
			return s, nil, nil, err
		}
		p.draftFirst, p.draftExact = v.Line, false
		switch {
		case v.Style&yaml.LiteralStyle != 0:
			p.draftFirst, p.draftExact = v.Line+1, true
		case v.Style&yaml.FoldedStyle != 0:
			p.draftFirst = v.Line + 1
		case !strings.Contains(s.Draft, "\n"):
			p.draftExact = true
		}
	}
	seq, err := d.sequence(vals, ctx, "fields")
	if err != nil {
		return s, nil, nil, err
	}
	var fps []*pos
	for j, fn := range seq {
		f, fp, err := d.field(fn, ctx, j)
		if err != nil {
			return s, nil, nil, err
		}
		s.Fields = append(s.Fields, f)
		fps = append(fps, fp)
	}
	return s, p, fps, nil
}

func (d *decoder) field(n *yaml.Node, sectionCtx string, j int) (Field, *pos, *LoadError) {
	ctx := fmt.Sprintf("%sfield %d: ", sectionCtx, j+1)
	if id := peekID(n); id != "" {
		ctx = fmt.Sprintf("field %q: ", id)
	}
	var f Field
	vals, p, err := d.mapping(n, ctx, "a field", fieldKeys)
	if err != nil {
		return f, nil, err
	}
	texts := []struct {
		key string
		dst *string
	}{
		{"id", &f.ID}, {"label", &f.Label}, {"question", &f.Question}, {"why", &f.Why},
		{"example", &f.Example}, {"default", &f.Default}, {"assume", &f.Assume},
		{"split", &f.Split}, {"frame", &f.Frame}, {"frame_end", &f.FrameEnd},
	}
	for _, tx := range texts {
		if *tx.dst, err = d.text(vals, ctx, tx.key); err != nil {
			return f, nil, err
		}
	}
	kind, err := d.text(vals, ctx, "kind")
	if err != nil {
		return f, nil, err
	}
	f.Kind = Kind(kind)
	if _, ok := vals["kind"]; !ok {
		f.Kind = KindText // the README promises text when kind is left out
	}
	if f.Required, err = d.boolean(vals, ctx, "required"); err != nil {
		return f, nil, err
	}
	lists := []struct {
		key string
		dst *[]string
	}{{"choices", &f.Choices}, {"roles", &f.Roles}}
	for _, ls := range lists {
		if *ls.dst, err = d.textList(vals, p, ctx, ls.key); err != nil {
			return f, nil, err
		}
	}
	if f.Columns, f.ColumnTypes, err = d.columns(vals, p, ctx); err != nil {
		return f, nil, err
	}
	if f.Label == "" {
		f.Label = labelFromID(f.ID)
	}
	return f, p, nil
}

// columns reads a field's columns: each a name (a text column) or a mapping
// of name and type ({name: Time, type: time}).
func (d *decoder) columns(vals map[string]*yaml.Node, p *pos, ctx string) ([]string, []ColumnType, *LoadError) {
	v := vals["columns"]
	if v == nil || v.Kind == yaml.ScalarNode {
		names, err := d.textList(vals, p, ctx, "columns")
		return names, nil, err
	}
	items, err := d.sequence(vals, ctx, "columns")
	if err != nil {
		return nil, nil, err
	}
	var names []string
	var types []ColumnType
	typed := false
	for _, item := range items {
		p.items["columns"] = append(p.items["columns"], item.Line)
		switch item.Kind {
		case yaml.ScalarNode:
			s, err := d.scalar(item, ctx, "columns")
			if err != nil {
				return nil, nil, err
			}
			names = append(names, strings.TrimSpace(s))
			types = append(types, ColumnText)
		case yaml.MappingNode:
			cv, _, err := d.mapping(item, ctx, "a column", []string{"name", "type"})
			if err != nil {
				return nil, nil, err
			}
			name, err := d.text(cv, ctx, "name")
			if err != nil {
				return nil, nil, err
			}
			kind, err := d.text(cv, ctx, "type")
			if err != nil {
				return nil, nil, err
			}
			if kind == "" {
				kind = string(ColumnText)
			}
			names = append(names, name)
			types = append(types, ColumnType(kind))
			typed = true
		default:
			return nil, nil, d.fail(item.Line, "%seach item of \"columns\" should be a name or {name: ..., type: ...}, not %s", ctx, describe(item))
		}
	}
	if !typed {
		types = nil
	}
	return names, types, nil
}

// peekID returns a mapping's id value, if it has a usable one, so problems
// inside it can name it before it is decoded.
func peekID(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "id" && v.Kind == yaml.ScalarNode && idRE.MatchString(v.Value) && len(v.Value) <= maxIDLen {
			return v.Value
		}
	}
	return ""
}

// mapping checks that n is a mapping of known, unique keys and returns the
// value of each key with its position.
func (d *decoder) mapping(n *yaml.Node, ctx, what string, known []string) (map[string]*yaml.Node, *pos, *LoadError) {
	if n.Kind == yaml.AliasNode {
		return nil, nil, d.alias(n, ctx)
	}
	if n.Kind != yaml.MappingNode {
		return nil, nil, d.fail(n.Line, "%s%s should be a mapping of keys (%s), not %s",
			ctx, what, strings.Join(known, ", "), describe(n))
	}
	vals := map[string]*yaml.Node{}
	p := &pos{line: n.Line, keys: map[string]int{}, items: map[string][]int{}}
	keyLine := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode || v.Kind == yaml.AliasNode {
			return nil, nil, d.alias(k, ctx)
		}
		if k.Kind != yaml.ScalarNode {
			return nil, nil, d.fail(k.Line, "%skeys must be plain words such as %q", ctx, known[0])
		}
		key := k.Value
		if first, dup := keyLine[key]; dup {
			return nil, nil, d.fail(k.Line, "%s%q is given twice (first on line %d); keep one", ctx, key, first)
		}
		if !contains(known, key) {
			hint := fmt.Sprintf("the keys of %s are %s", what, strings.Join(known, ", "))
			if c := closest(key, known); c != "" {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			where := "in " + what
			if ctx == "" {
				where = "at the top level"
			}
			return nil, nil, d.fail(k.Line, "%sunknown key %q %s; %s", ctx, key, where, hint)
		}
		keyLine[key] = k.Line
		vals[key] = v
		p.keys[key] = v.Line
	}
	return vals, p, nil
}

func (d *decoder) alias(n *yaml.Node, ctx string) *LoadError {
	return d.fail(n.Line, "%sYAML aliases (*name) and merge keys are not supported in templates; write the value out in full", ctx)
}

// text returns the key's value as text ("" when absent or null), trimmed of
// surrounding space except for drafting text, whose spacing may matter.
func (d *decoder) text(vals map[string]*yaml.Node, ctx, key string) (string, *LoadError) {
	v := vals[key]
	if v == nil {
		return "", nil
	}
	s, err := d.scalar(v, ctx, key)
	return strings.TrimSpace(s), err
}

func (d *decoder) scalar(v *yaml.Node, ctx, key string) (string, *LoadError) {
	if v.Kind == yaml.AliasNode {
		return "", d.alias(v, ctx)
	}
	if v.Kind != yaml.ScalarNode {
		return "", d.fail(v.Line, "%s%q should be text, not %s", ctx, key, describe(v))
	}
	if v.ShortTag() == "!!null" {
		return "", nil
	}
	if err := checkText(v.Value); err != "" {
		return "", d.fail(v.Line, "%s%q %s", ctx, key, err)
	}
	return v.Value, nil
}

func (d *decoder) boolean(vals map[string]*yaml.Node, ctx, key string) (bool, *LoadError) {
	v := vals[key]
	if v == nil || (v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null") {
		return false, nil
	}
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		return false, d.fail(v.Line, "%s%q must be true or false, not %s", ctx, key, describe(v))
	}
	return b, nil
}

// sequence returns the items of a list value (none when absent or null).
func (d *decoder) sequence(vals map[string]*yaml.Node, ctx, key string) ([]*yaml.Node, *LoadError) {
	v := vals[key]
	if v == nil || (v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null") {
		return nil, nil
	}
	if v.Kind == yaml.AliasNode {
		return nil, d.alias(v, ctx)
	}
	if v.Kind != yaml.SequenceNode {
		return nil, d.fail(v.Line, "%s%q should be a list (items starting with \"- \"), not %s", ctx, key, describe(v))
	}
	for _, item := range v.Content {
		if item.Kind == yaml.AliasNode {
			return nil, d.alias(item, ctx)
		}
	}
	return v.Content, nil
}

// textList returns a list of short texts. A single text is taken as a list of
// one, so "roles: title" works as well as "roles: [title]".
func (d *decoder) textList(vals map[string]*yaml.Node, p *pos, ctx, key string) ([]string, *LoadError) {
	v := vals[key]
	if v == nil {
		return nil, nil
	}
	if v.Kind == yaml.ScalarNode {
		s, err := d.text(vals, ctx, key)
		if err != nil || s == "" {
			return nil, err
		}
		p.items[key] = []int{v.Line}
		return []string{s}, nil
	}
	items, err := d.sequence(vals, ctx, key)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, item := range items {
		if item.Kind != yaml.ScalarNode {
			return nil, d.fail(item.Line, "%seach item of %q should be text, not %s", ctx, key, describe(item))
		}
		s, err := d.scalar(item, ctx, key)
		if err != nil {
			return nil, err
		}
		out = append(out, strings.TrimSpace(s))
		p.items[key] = append(p.items[key], item.Line)
	}
	return out, nil
}

// checkText refuses control characters: template text is shown in the
// terminal, and an escape sequence in a user's file must not reach it.
func checkText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text; save the file as UTF-8"
	}
	for _, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return fmt.Sprintf("contains the control character U+%04X; remove it", r)
		}
		if name, ok := hiddenChars[r]; ok {
			return fmt.Sprintf("contains U+%04X (%s), which hides or reorders text on screen; remove it", r, name)
		}
	}
	return ""
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping of keys"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "empty"
		}
		return strconv.Quote(clip(n.Value, 40))
	}
	return "an alias"
}

// labelFromID turns "out_of_scope" into "Out of scope".
func labelFromID(id string) string {
	s := strings.ReplaceAll(id, "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// closest returns the option nearest to word by edit distance when it is
// near enough to be a likely typo, or "".
func closest(word string, options []string) string {
	best, bestD := "", 0
	for _, o := range options {
		d := editDistance(strings.ToLower(word), o)
		if best == "" || d < bestD {
			best, bestD = o, d
		}
	}
	limit := 1 + len(word)/4
	if limit > 3 {
		limit = 3
	}
	if best == "" || bestD > limit {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 1 << 20 // far too long to be a typo of a key
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// clip shortens s to at most n characters for a message, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
