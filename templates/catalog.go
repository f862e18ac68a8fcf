package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// DefaultLanguage is the language a proposal is written in unless told
// otherwise, and the one every catalog falls back to.
const DefaultLanguage = "en"

//go:embed i18n/*.yaml
var catalogFS embed.FS

// pluralForms are the suffixes a catalog key may carry to give one form per
// CLDR plural category ("days.one", "days.other"); see Catalog.Plural.
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// Catalog holds every word the program itself writes into a proposal in one
// language: cover labels, table headers, "Total", footers, date and number
// formats, review messages. A key the catalog lacks falls back to English.
// A Catalog is read-only once loaded and safe for concurrent use.
type Catalog struct {
	// Tag is the catalog's BCP 47 language tag.
	Tag language.Tag
	// Name is the language's name in itself ("Español").
	Name string
	// Source is "built-in" or the path of the user's file.
	Source string

	words    map[string]string
	fallback *Catalog // English; nil for English itself
}

// Word returns the text of key, from English when this catalog lacks it, or
// the key itself when no catalog has it (so a missing key shows, never
// vanishes).
func (c *Catalog) Word(key string) string {
	for k := c; k != nil; k = k.fallback {
		if w, ok := k.words[key]; ok {
			return w
		}
	}
	return key
}

// Text returns the text of key with each {name} replaced: args are name,
// value pairs.
func (c *Catalog) Text(key string, args ...string) string {
	return fill(c.Word(key), args)
}

// Plural returns the form of key for the count n by the language's cardinal
// plural rules (x/text's CLDR data): key.one, key.few, ... falling back to
// key.other. {n} in the text is replaced by n, and the other args as in Text.
func (c *Catalog) Plural(key string, n int, args ...string) string {
	return c.form(plural.Cardinal, key, n, args)
}

// Ordinal is Plural by the language's ordinal rules (1st, 2nd; 1er, 2).
func (c *Catalog) Ordinal(key string, n int, args ...string) string {
	return c.form(plural.Ordinal, key, n, args)
}

func (c *Catalog) form(rules *plural.Rules, key string, n int, args []string) string {
	digits := []byte(strconv.Itoa(max(n, -n)))
	for i := range digits {
		digits[i] -= '0'
	}
	form := rules.MatchPlural(c.Tag, n, len(digits), 0, 0, 0)
	name := "other"
	switch form {
	case plural.Zero:
		name = "zero"
	case plural.One:
		name = "one"
	case plural.Two:
		name = "two"
	case plural.Few:
		name = "few"
	case plural.Many:
		name = "many"
	}
	args = append([]string{"n", strconv.Itoa(n)}, args...)
	// The form must come from this catalog, or from English as a whole:
	// mixing a Spanish "other" with an English "one" would be wrong.
	for k := c; k != nil; k = k.fallback {
		if w, ok := k.words[key+"."+name]; ok {
			return fill(w, args)
		}
		if w, ok := k.words[key+".other"]; ok {
			return fill(w, args)
		}
	}
	return fill(c.Word(key), args) // a key without plural forms
}

func fill(s string, args []string) string {
	if len(args) < 2 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Has reports whether the catalog itself (not its fallback) has key, or a
// plural form of it.
func (c *Catalog) Has(key string) bool {
	if _, ok := c.words[key]; ok {
		return true
	}
	_, ok := c.words[key+".other"]
	return ok
}

// Keys returns the catalog's own keys, plural forms folded into their base
// key, sorted.
func (c *Catalog) Keys() []string {
	seen := map[string]bool{}
	for k := range c.words {
		seen[baseKey(k)] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// baseKey strips a plural form suffix: "days.one" -> "days".
func baseKey(k string) string {
	if i := strings.LastIndexByte(k, '.'); i > 0 && contains(pluralForms, k[i+1:]) {
		return k[:i]
	}
	return k
}

// Missing returns the English keys this catalog lacks: the words that fall
// back to English in its documents (keys English leaves empty aside). It is
// nil for English.
func (c *Catalog) Missing() []string {
	if c.fallback == nil {
		return nil
	}
	var out []string
	for _, k := range c.fallback.Keys() {
		// A word English leaves empty (the client's article, no-break
		// spaces) shows nothing English when it falls back.
		if !c.Has(k) && (c.fallback.Word(k) != "" || c.fallback.Has(k+".other")) {
			out = append(out, k)
		}
	}
	return out
}

// IsEnglish reports whether the catalog is the English one every other falls
// back to.
func (c *Catalog) IsEnglish() bool { return c.fallback == nil }

// Languages is the set of catalogs the program can write proposals in.
type Languages struct {
	byTag map[string]*Catalog // by tag string ("es", "pt-BR")
	en    *Catalog
}

// List returns the catalogs, English first, then by tag.
func (l *Languages) List() []*Catalog {
	out := make([]*Catalog, 0, len(l.byTag))
	for _, c := range l.byTag {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].IsEnglish() != out[j].IsEnglish() {
			return out[i].IsEnglish()
		}
		return out[i].Tag.String() < out[j].Tag.String()
	})
	return out
}

// English returns the English catalog.
func (l *Languages) English() *Catalog { return l.en }

// Match returns the catalog for tag: the exact tag, else the tag's base
// language ("es-MX" -> "es"), else English. ok is false when it fell back to
// English for a language other than English.
func (l *Languages) Match(tag string) (c *Catalog, ok bool) {
	t, err := language.Parse(strings.TrimSpace(tag))
	if err != nil || tag == "" {
		return l.en, tag == ""
	}
	if c, found := l.byTag[t.String()]; found {
		return c, true
	}
	base, _ := t.Base()
	if c, found := l.byTag[base.String()]; found {
		return c, true
	}
	return l.en, base.String() == DefaultLanguage
}

// Tags returns every language's tag, English first.
func (l *Languages) Tags() []string {
	var out []string
	for _, c := range l.List() {
		out = append(out, c.Tag.String())
	}
	return out
}

// ParseLanguage checks a language a user typed ("es", "de-AT", "Spanish" is
// not one) against the catalogs: it returns the canonical BCP 47 tag, or an
// error saying which languages there are.
func (l *Languages) ParseLanguage(s string) (string, error) {
	s = strings.TrimSpace(s)
	t, err := language.Parse(s)
	if err != nil || s == "" {
		return "", fmt.Errorf("%q is not a language tag: use one of %s", s, strings.Join(l.Tags(), ", "))
	}
	if _, ok := l.Match(t.String()); !ok {
		return "", fmt.Errorf("no catalog for %s: use one of %s, or add %s.yaml to %s", t, strings.Join(l.Tags(), ", "),
			t, displayPath(LanguagesDir()))
	}
	return t.String(), nil
}

var (
	builtinOnce  sync.Once
	builtinLangs *Languages
	builtinErrs  []error
)

// BuiltinLanguages returns the catalogs embedded in the program. They are
// parsed once and shared.
func BuiltinLanguages() *Languages {
	builtinOnce.Do(func() {
		builtinLangs, builtinErrs = loadBuiltinLanguages()
	})
	return builtinLangs
}

func loadBuiltinLanguages() (*Languages, []error) {
	l := &Languages{byTag: map[string]*Catalog{}}
	var errs []error
	names, _ := fs.Glob(catalogFS, "i18n/*.yaml")
	var cats []*Catalog
	for _, name := range names {
		data, err := catalogFS.ReadFile(name)
		if err != nil {
			errs = append(errs, &LoadError{File: name, Problem: err.Error()})
			continue
		}
		c, lerr := parseCatalog(name, data)
		if lerr != nil {
			errs = append(errs, lerr)
			continue
		}
		c.Source = SourceBuiltIn
		cats = append(cats, c)
	}
	for _, c := range cats {
		if c.Tag.String() == DefaultLanguage {
			l.en = c
		}
	}
	if l.en == nil {
		// Without English nothing can fall back; the built-in file is part of
		// the program, so this is a build mistake a test catches.
		l.en = &Catalog{Tag: language.English, Name: "English", words: map[string]string{}, Source: SourceBuiltIn}
		errs = append(errs, errors.New("built-in English catalog missing"))
	}
	for _, c := range cats {
		if c != l.en {
			c.fallback = l.en
		}
		l.byTag[c.Tag.String()] = c
	}
	l.byTag[DefaultLanguage] = l.en
	return l, errs
}

// LanguagesDir returns the folder a user's own catalogs live in:
// $XDG_CONFIG_HOME/propose/languages (or ~/.config/propose/languages). A file
// there named by its tag (pl.yaml, es-MX.yaml) adds a language or, for a
// built-in one, replaces the words it gives.
func LanguagesDir() string {
	dir := UserDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(dir), "languages")
}

// LoadLanguages returns the built-in catalogs plus the user's from dir ("" or
// a missing folder: none). A user file for a built-in language overrides the
// keys it gives and keeps the rest. Each unusable file gives one *LoadError.
func LoadLanguages(dir string) (*Languages, []error) {
	b := BuiltinLanguages()
	errs := append([]error(nil), builtinErrs...)
	if dir == "" {
		return b, errs
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return b, errs
	}
	if err != nil {
		return b, append(errs, &LoadError{File: dir, Problem: fmt.Sprintf("cannot read the languages folder (%v)", unwrapPathError(err))})
	}
	l := &Languages{byTag: map[string]*Catalog{}, en: b.en}
	for k, v := range b.byTag {
		l.byTag[k] = v
	}
	for _, e := range entries {
		name := e.Name()
		ext := strings.ToLower(path.Ext(name))
		if strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") || e.IsDir() {
			continue
		}
		file := filepath.Join(dir, name)
		data, lerr := readTemplateFile(file)
		if lerr != nil {
			errs = append(errs, lerr)
			continue
		}
		c, lerr := parseCatalog(file, data)
		if lerr != nil {
			errs = append(errs, lerr)
			continue
		}
		c.Source = file
		key := c.Tag.String()
		if old, ok := l.byTag[key]; ok {
			merged := map[string]string{}
			for k, v := range old.words {
				merged[k] = v
			}
			for k, v := range c.words {
				merged[k] = v
			}
			c.words = merged
			if c.Name == "" {
				c.Name = old.Name
			}
		}
		if key == DefaultLanguage {
			l.en = c
		} else {
			c.fallback = l.en
		}
		l.byTag[key] = c
	}
	for k, c := range l.byTag {
		if k != DefaultLanguage && c.fallback != l.en {
			cc := *c
			cc.fallback = l.en
			l.byTag[k] = &cc
		}
	}
	return l, errs
}

// parseCatalog reads a catalog file: "language:" (a BCP 47 tag), "name:" (the
// language's own name) and "words:", a mapping of keys (nested mappings give
// dotted keys) to text.
func parseCatalog(file string, data []byte) (*Catalog, *LoadError) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, yamlProblem(file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &LoadError{File: file, Line: 1, Problem: "a catalog is a mapping with language:, name: and words:"}
	}
	root := doc.Content[0]
	c := &Catalog{words: map[string]string{}}
	var tagLine int
	var tag string
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "language":
			tag, tagLine = strings.TrimSpace(v.Value), v.Line
		case "name":
			c.Name = strings.TrimSpace(v.Value)
		case "words":
			if err := flatten("", v, c.words); err != nil {
				return nil, &LoadError{File: file, Line: err.line, Problem: err.msg}
			}
		default:
			return nil, &LoadError{File: file, Line: k.Line, Problem: fmt.Sprintf("unknown key %q: a catalog has language:, name: and words:", k.Value)}
		}
	}
	if tag == "" {
		return nil, &LoadError{File: file, Line: 1, Problem: `missing "language:": give the BCP 47 tag the catalog is for, such as "pl"`}
	}
	t, err := language.Parse(tag)
	if err != nil {
		return nil, &LoadError{File: file, Line: tagLine, Problem: fmt.Sprintf("%q is not a BCP 47 language tag; write one such as \"pl\" or \"pt-BR\"", tag)}
	}
	c.Tag = t
	return c, nil
}

type flatProblem struct {
	line int
	msg  string
}

func flatten(prefix string, n *yaml.Node, out map[string]string) *flatProblem {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := strings.TrimSpace(n.Content[i].Value)
			if k == "" {
				return &flatProblem{n.Content[i].Line, "a key is empty"}
			}
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			if err := flatten(key, n.Content[i+1], out); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		if prefix == "" {
			return &flatProblem{n.Line, "words: must be a mapping of keys to text"}
		}
		if msg := checkText(n.Value); msg != "" {
			return &flatProblem{n.Line, fmt.Sprintf("%s: %s", prefix, msg)}
		}
		out[prefix] = n.Value
	default:
		return &flatProblem{n.Line, fmt.Sprintf("%s: must be text or a mapping of keys to text", prefix)}
	}
	return nil
}
