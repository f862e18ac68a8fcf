package templates

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// A translation gives a template's document text in one language: headings,
// drafting text, table columns, assumptions and defaults, keyed by section
// and field id. It lives in a file beside the template: consulting.es.yaml
// for the built-ins, any *.yaml with a top-level "language:" in the user's
// templates folder. The questions asked of the consultant stay as the
// template has them.
type translation struct {
	Template    string                  `yaml:"template"`
	Language    string                  `yaml:"language"`
	Name        string                  `yaml:"name"`
	Description string                  `yaml:"description"`
	Document    string                  `yaml:"document"`
	Sections    map[string]sectionText  `yaml:"sections"`
	Fields      map[string]fieldText    `yaml:"fields"`
	parsed      map[string]*parsedDraft `yaml:"-"`
	file        string                  `yaml:"-"`
}

type sectionText struct {
	Title *string `yaml:"title"`
	Draft *string `yaml:"draft"`
}

type fieldText struct {
	Label   *string     `yaml:"label"`
	Default *string     `yaml:"default"`
	Assume  *string     `yaml:"assume"`
	Columns columnNames `yaml:"columns"`
	// Frame is kept as its node so that a problem in it names its line.
	Frame    yaml.Node `yaml:"frame"`
	FrameEnd yaml.Node `yaml:"frame_end"`
}

// columnNames are a translation's column names. A column may be written as
// in the template, {name: Fecha, type: date}: the name is taken, and the
// type stays the template's.
type columnNames []string

func (c *columnNames) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("line %d: columns should be a list of names", n.Line)
	}
	out := columnNames{}
	for _, item := range n.Content {
		switch item.Kind {
		case yaml.ScalarNode:
			out = append(out, strings.TrimSpace(item.Value))
		case yaml.MappingNode:
			var col struct {
				Name string `yaml:"name"`
				Type string `yaml:"type"`
			}
			if err := item.Decode(&col); err != nil {
				return err
			}
			out = append(out, strings.TrimSpace(col.Name))
		default:
			return fmt.Errorf("line %d: each column should be a name", item.Line)
		}
	}
	*c = out
	return nil
}

// pending is a translation file as loaded. Reading and checking one costs
// about a millisecond, and a start-up would pay it for every language of
// every template; so built-in files are kept as bytes and a user's file as
// parsed YAML, and each is checked against its template the first time its
// language is asked for (or by CheckTranslations).
type pending struct {
	file    string
	builtin bool         // file is in the program, read when first used
	tr      *translation // the parsed file
	done    bool         // checked: tr is usable, or err says why not
	err     *LoadError
}

// l10n is a template's language data. The template a Set holds (the base)
// keeps its translations and a cache of translated copies; a translated copy
// points back to its base and knows its catalog and what it lacks.
type l10n struct {
	langs        *Languages
	translations map[string]*pending // by language tag

	base    *Template
	words   *Catalog
	missing []string

	mu    sync.Mutex
	cache map[string]*Template
}

// isTranslation reports whether a YAML file is a translation rather than a
// template: it has a top-level "language:".
func isTranslation(data []byte) bool {
	var probe struct {
		Language any `yaml:"language"`
	}
	if yaml.Unmarshal(data, &probe) != nil {
		return false
	}
	return probe.Language != nil
}

// parseTranslation reads a translation file.
func parseTranslation(file string, data []byte) (tr *translation, lerr *LoadError) {
	defer func() {
		if r := recover(); r != nil {
			tr, lerr = nil, &LoadError{File: file, Problem: fmt.Sprintf("the file could not be read as YAML (%v)", r)}
		}
	}()
	tr = &translation{file: file}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(tr); err != nil {
		return nil, yamlProblem(file, err)
	}
	if tr.Template == "" {
		return nil, &LoadError{File: file, Line: 1, Problem: `missing "template:": name the id of the template this file translates`}
	}
	tag, err := language.Parse(strings.TrimSpace(tr.Language))
	if err != nil {
		return nil, &LoadError{File: file, Line: 1, Problem: fmt.Sprintf("%q is not a BCP 47 language tag; write one such as \"es\" or \"pt-BR\"", tr.Language)}
	}
	tr.Language = tag.String()
	for _, s := range []string{tr.Name, tr.Description, tr.Document} {
		if msg := checkText(s); msg != "" {
			return nil, &LoadError{File: file, Problem: msg}
		}
	}
	return tr, nil
}

// addTranslation keeps a translation file for the language, to be read when
// the language is first asked for.
func (t *Template) addTranslation(lang string, p *pending) {
	if t.l10n == nil {
		t.l10n = &l10n{}
	}
	if t.l10n.translations == nil {
		t.l10n.translations = map[string]*pending{}
	}
	t.l10n.translations[lang] = p
}

// resolve reads and checks a pending translation once; t is its base
// template, whose l10n.mu the caller holds.
func (t *Template) resolve(p *pending) (*translation, *LoadError) {
	if !p.done {
		p.done = true
		if p.tr == nil && p.builtin {
			data, err := builtinFS.ReadFile(p.file)
			if err != nil {
				p.err = &LoadError{File: p.file, Problem: "cannot read the built-in translation: " + err.Error()}
			} else {
				p.tr, p.err = parseTranslation(p.file, data)
			}
		}
		if p.err == nil {
			p.err = t.check(p.tr)
		}
		if p.err != nil {
			p.tr = nil
		}
	}
	return p.tr, p.err
}

// CheckTranslations reads and checks every template's translations now
// rather than when their language is first used, and returns the problems:
// what propose templates reports.
func (s *Set) CheckTranslations() []error {
	var errs []error
	for _, t := range s.List() {
		if t.l10n == nil {
			continue
		}
		t.l10n.mu.Lock()
		for _, k := range sortedKeys(t.l10n.translations) {
			if _, err := t.resolve(t.l10n.translations[k]); err != nil {
				errs = append(errs, err)
			}
		}
		t.l10n.mu.Unlock()
	}
	return errs
}

// check checks a translation against its template (ids it names exist,
// drafting text is safe and refers to the template's fields, as many columns
// as the template's) and parses its drafting text.
func (t *Template) check(tr *translation) *LoadError {
	fail := func(format string, args ...any) *LoadError {
		return &LoadError{File: tr.file, Problem: fmt.Sprintf(format, args...)}
	}
	fields := map[string]bool{}
	for _, s := range t.Sections {
		for _, f := range s.Fields {
			fields[f.ID] = true
		}
	}
	tr.parsed = map[string]*parsedDraft{}
	for _, id := range sortedKeys(tr.Sections) {
		st := tr.Sections[id]
		s := t.Section(id)
		if s == nil {
			return fail("section %q is not a section of template %q; use one of its section ids", id, t.ID)
		}
		if st.Title != nil {
			if msg := checkText(*st.Title); msg != "" {
				return fail("section %q: title %s", id, msg)
			}
		}
		if st.Draft != nil && s.Internal && strings.TrimSpace(*st.Draft) != "" {
			return fail("section %q is internal: it is never printed, so it has no drafting text; remove its draft", id)
		}
		if st.Draft != nil {
			pd, prob := checkDraft(id, *st.Draft, fields)
			if prob != nil {
				where := ""
				if prob.line > 0 {
					where = fmt.Sprintf(" (line %d of the drafting text)", prob.line)
				}
				return fail("draft of section %q%s %s", id, where, prob.msg)
			}
			for _, used := range pd.fields {
				if t.Internal(used) {
					return fail("draft of section %q uses .%s, a field of an internal section: its answer is never printed; leave it out", id, used)
				}
			}
			tr.parsed[id] = pd
		}
	}
	for _, id := range sortedKeys(tr.Fields) {
		ft := tr.Fields[id]
		_, f := t.Field(id)
		if f == nil {
			return fail("field %q is not a field of template %q; use one of its field ids", id, t.ID)
		}
		if ft.Columns != nil && len(ft.Columns) != len(f.Columns) {
			return fail("field %q: %d columns, but the template has %d (%s); give one name for each", id, len(ft.Columns), len(f.Columns), strings.Join(f.Columns, ", "))
		}
		for _, fr := range []*yaml.Node{&ft.Frame, &ft.FrameEnd} {
			if fr.Kind == 0 {
				continue
			}
			if fr.Kind != yaml.ScalarNode {
				return &LoadError{File: tr.file, Line: fr.Line, Problem: fmt.Sprintf("field %q: frame should be one sentence of text", id)}
			}
			if msg := checkFrame(f, fr.Value, fields); msg != "" {
				return &LoadError{File: tr.file, Line: fr.Line, Problem: fmt.Sprintf("field %q: %s", id, msg)}
			}
		}
		for _, p := range []*string{ft.Label, ft.Default, ft.Assume} {
			if p != nil {
				if msg := checkText(*p); msg != "" {
					return fail("field %q: %s", id, msg)
				}
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Base returns the template as loaded, in its own (English) text: itself,
// unless it is a translated copy made by In.
func (t *Template) Base() *Template {
	if t.l10n != nil && t.l10n.base != nil {
		return t.l10n.base
	}
	return t
}

// languages returns the catalogs the template was loaded with (the built-in
// ones for a template built in code).
func (t *Template) languages() *Languages {
	if b := t.Base(); b.l10n != nil && b.l10n.langs != nil {
		return b.l10n.langs
	}
	return BuiltinLanguages()
}

// Words returns the catalog of the template's language: English unless the
// template is a translated copy made by In.
func (t *Template) Words() *Catalog {
	if t.l10n != nil && t.l10n.words != nil {
		return t.l10n.words
	}
	return t.languages().English()
}

// Language returns the BCP 47 tag the template writes in ("en" unless it is
// a translated copy).
func (t *Template) Language() string { return t.Words().Tag.String() }

// Languages returns the catalogs the template can write in.
func (t *Template) Languages() *Languages { return t.languages() }

// Untranslated lists what the template's document text lacks in its language
// and so stays in English: the template's own texts first ("section
// \"value\" heading"), then the catalog's words ("word cover.attention"). It
// is empty for English and for a complete translation.
func (t *Template) Untranslated() []string {
	if t.l10n == nil {
		return nil
	}
	return append([]string(nil), t.l10n.missing...)
}

// In returns the template translated into the language tag (BCP 47: "es",
// "de-AT"): the same sections, fields and questions, with the document text
// of its translation for that language and its catalog's words. A language
// with no catalog gives English. Text the translation lacks stays English and
// is listed by Untranslated. Copies are made once per language and shared:
// like the template, they must not be modified.
func (t *Template) In(tag string) *Template {
	base := t.Base()
	cat, _ := base.languages().Match(tag)
	key := cat.Tag.String()
	bl := base.l10n
	if bl == nil {
		// A template built in code: no translations, nothing shared to
		// cache in (it may be in use elsewhere), so a fresh copy each time.
		bl = &l10n{}
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	if c, ok := bl.cache[key]; ok {
		return c
	}
	nt := *base
	nt.l10n = &l10n{base: base, words: cat}
	nt.Sections = make([]Section, len(base.Sections))
	for i, s := range base.Sections {
		s.Fields = append([]Field(nil), s.Fields...)
		nt.Sections[i] = s
	}
	if !cat.IsEnglish() {
		p := bl.translations[key]
		if p == nil {
			if b, _ := cat.Tag.Base(); bl.translations[b.String()] != nil {
				p = bl.translations[b.String()]
			}
		}
		var tr *translation
		var problem *LoadError
		if p != nil {
			tr, problem = base.resolve(p)
		}
		nt.l10n.missing = translate(&nt, tr)
		addAcceptance(&nt, cat)
		if problem != nil {
			nt.l10n.missing = append([]string{"translation " + problem.Error()}, nt.l10n.missing...)
		}
		for _, k := range cat.Missing() {
			nt.l10n.missing = append(nt.l10n.missing, "word "+k)
		}
	}
	if bl.cache == nil {
		bl.cache = map[string]*Template{}
	}
	bl.cache[key] = &nt
	return &nt
}

// translate puts a translation's text into a copy of its template and
// returns what it lacked. tr may be nil (no translation at all).
func translate(t *Template, tr *translation) []string {
	if tr == nil {
		tr = &translation{}
	}
	var missing []string
	if tr.Name != "" {
		t.Name = tr.Name
	}
	if tr.Description != "" {
		t.Description = tr.Description
	}
	if tr.Document != "" {
		t.Document = tr.Document
	} else if t.Document != "" {
		missing = append(missing, "document kind")
	}
	for i := range t.Sections {
		s := &t.Sections[i]
		st := tr.Sections[s.ID]
		if st.Title != nil {
			s.Title = *st.Title
		} else if !s.NoHeading && !s.Internal && s.Title != "" {
			missing = append(missing, fmt.Sprintf("section %q heading", s.ID))
		}
		if st.Draft != nil {
			s.Draft = *st.Draft
			s.parsed = tr.parsed[s.ID]
		} else if strings.TrimSpace(s.Draft) != "" {
			missing = append(missing, fmt.Sprintf("section %q text", s.ID))
		}
		for j := range s.Fields {
			f := &s.Fields[j]
			ft := tr.Fields[f.ID]
			if ft.Label != nil {
				f.Label = *ft.Label
			}
			if ft.Columns != nil {
				f.Columns = ft.Columns
			} else if len(f.Columns) > 0 {
				missing = append(missing, fmt.Sprintf("field %q columns", f.ID))
			}
			if ft.Assume != nil {
				f.Assume = *ft.Assume
			} else if f.Assume != "" {
				missing = append(missing, fmt.Sprintf("field %q assumption", f.ID))
			}
			if ft.Frame.Kind == yaml.ScalarNode {
				f.Frame = ft.Frame.Value
			} else if f.Frame != "" {
				missing = append(missing, fmt.Sprintf("field %q frame", f.ID))
			}
			if ft.FrameEnd.Kind == yaml.ScalarNode {
				f.FrameEnd = ft.FrameEnd.Value
			} else if f.FrameEnd != "" {
				missing = append(missing, fmt.Sprintf("field %q frame_end", f.ID))
			}
			if ft.Default != nil {
				f.Default = *ft.Default
			} else if f.Default != "" && f.Default != "today" {
				missing = append(missing, fmt.Sprintf("field %q default", f.ID))
			}
		}
	}
	return missing
}

// Translations returns the language tags the template has a translation
// for, sorted (English, its own text, is not listed).
func (t *Template) Translations() []string {
	b := t.Base()
	if b.l10n == nil {
		return nil
	}
	return sortedKeys(b.l10n.translations)
}

// AssumeTexts returns the field's assumption in every language the template
// has, its own first: an assumed answer stated in one language can then be
// recognised, and restated, in another.
func (t *Template) AssumeTexts(fieldID string) []string {
	b := t.Base()
	_, f := b.Field(fieldID)
	if f == nil {
		return nil
	}
	out := []string{f.Assume}
	if b.l10n != nil {
		b.l10n.mu.Lock()
		defer b.l10n.mu.Unlock()
		for _, k := range sortedKeys(b.l10n.translations) {
			tr, _ := b.resolve(b.l10n.translations[k])
			if tr == nil {
				continue
			}
			if a := tr.Fields[fieldID].Assume; a != nil {
				out = append(out, *a)
			}
		}
	}
	return out
}
