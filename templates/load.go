package templates

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// DefaultID is the id of the template a new proposal uses unless told otherwise.
const DefaultID = "consulting"

// MaxFileSize is the largest template file Load and Parse accept, in bytes.
const MaxFileSize = 1 << 20

// SourceBuiltIn is the Source of a template embedded in the program.
const SourceBuiltIn = "built-in"

//go:embed builtin/*.yaml
var builtinFS embed.FS

// LoadError is a problem with one template file: where it is and what to do
// about it. Line is 0 when the problem is with the file as a whole.
type LoadError struct {
	// File is the path of the template file (or "builtin/<name>.yaml").
	File string
	// Line is the 1-based line of the offending YAML node, or 0.
	Line int
	// Problem says what is wrong and how to put it right.
	Problem string
}

// Error reads like "~/.config/propose/templates/x.yaml:12: field "fees": ...",
// with the home folder shortened to ~ so the message stays short.
func (e *LoadError) Error() string {
	file := displayPath(e.File)
	switch {
	case file == "":
		return e.Problem
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", file, e.Line, e.Problem)
	default:
		return file + ": " + e.Problem
	}
}

// displayPath shortens a path under the home folder to start with ~.
func displayPath(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || p == "" {
		return p
	}
	home = filepath.Clean(home)
	if p == home {
		return "~"
	}
	if rest, ok := strings.CutPrefix(p, home+string(filepath.Separator)); ok {
		return "~" + string(filepath.Separator) + rest
	}
	return p
}

// UserDir returns the folder the user's own templates live in:
// $XDG_CONFIG_HOME/propose/templates, or ~/.config/propose/templates when
// XDG_CONFIG_HOME is unset or not an absolute path (as the XDG specification
// asks). It returns "" when neither can be determined. The folder need not
// exist.
func UserDir() string {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "propose", "templates")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "propose", "templates")
}

// Set is the templates available to the program, by id. A Set and the
// templates in it are read-only once Load returns, and safe for concurrent use.
type Set struct {
	byID  map[string]*Template
	langs *Languages
}

// Languages returns the catalogs the set's templates write in.
func (s *Set) Languages() *Languages {
	if s.langs == nil {
		return BuiltinLanguages()
	}
	return s.langs
}

// List returns every template: the default (consulting) first, then the others
// by id. The slice is the caller's; the templates are shared and must not be
// modified.
func (s *Set) List() []*Template {
	out := make([]*Template, 0, len(s.byID))
	for _, t := range s.byID {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].ID, out[j].ID
		if (a == DefaultID) != (b == DefaultID) {
			return a == DefaultID
		}
		return a < b
	})
	return out
}

// Get returns the template with the id.
func (s *Set) Get(id string) (*Template, bool) {
	t, ok := s.byID[id]
	return t, ok
}

// Default returns the consulting template (the user's version if they override
// it). It is never nil for a Set returned by Load, since the built-in
// consulting template is always there.
func (s *Set) Default() *Template {
	if t, ok := s.byID[DefaultID]; ok {
		return t
	}
	if l := s.List(); len(l) > 0 {
		return l[0]
	}
	return nil
}

// Load returns the built-in templates, then the user's templates from userDir
// (each *.yaml or *.yml file; a missing folder is fine, and "" skips it), with
// the built-in language catalogs. A user template with the id of a built-in
// replaces it. Each file that cannot be used gives one *LoadError and is left
// out; the other files still load.
func Load(userDir string) (*Set, []error) { return LoadWith(userDir, "") }

// LoadWith is Load that also reads the user's language catalogs from
// languagesDir (see LoadLanguages; "" for the built-in ones only).
//
// A file whose top level has "language:" is a translation of a template
// (see localize.go), not a template: built-in translations are named
// <id>.<language>.yaml; a user's may have any name and translate a template
// of theirs or a built-in one. A user template that replaces a built-in one
// does not inherit the built-in's translations, whose ids may not fit it.
func LoadWith(userDir, languagesDir string) (*Set, []error) {
	langs, errs := LoadLanguages(languagesDir)
	set := &Set{byID: map[string]*Template{}, langs: langs}

	names, _ := fs.Glob(builtinFS, "builtin/*.yaml")
	type builtinTranslation struct{ id, lang, file string }
	var builtinTr []builtinTranslation
	for _, name := range names {
		// consulting.es.yaml: the Spanish of consulting, read when first used.
		if id, lang, ok := strings.Cut(strings.TrimSuffix(path.Base(name), ".yaml"), "."); ok {
			tag, err := language.Parse(lang)
			if err != nil {
				errs = append(errs, &LoadError{File: name, Problem: fmt.Sprintf("%q is not a language tag", lang)})
				continue
			}
			builtinTr = append(builtinTr, builtinTranslation{id, tag.String(), name})
			continue
		}
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			errs = append(errs, &LoadError{File: name, Problem: "cannot read the built-in template: " + err.Error()})
			continue
		}
		t, err := Parse(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.Source = SourceBuiltIn
		t.l10n = &l10n{langs: langs}
		set.byID[t.ID] = t
	}
	for _, bt := range builtinTr {
		if t, ok := set.byID[bt.id]; ok {
			t.addTranslation(bt.lang, &pending{file: bt.file, builtin: true})
		}
	}

	if userDir == "" {
		return set, errs
	}
	entries, err := os.ReadDir(userDir)
	if errors.Is(err, fs.ErrNotExist) {
		return set, errs
	}
	if err != nil {
		errs = append(errs, &LoadError{File: userDir,
			Problem: fmt.Sprintf("cannot read the templates folder (%v); check that it is a folder you can read", unwrapPathError(err))})
		// ReadDir may still have returned the entries it could read.
	}
	fromUser := map[string]string{} // template id -> the user file that defined it
	var userTr []*translation
	for _, e := range entries {
		name := e.Name()
		ext := strings.ToLower(path.Ext(name))
		if strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") || e.IsDir() {
			continue
		}
		file := filepath.Join(userDir, name)
		data, lerr := readTemplateFile(file)
		if lerr != nil {
			errs = append(errs, lerr)
			continue
		}
		if isTranslation(data) {
			tr, lerr := parseTranslation(file, data)
			if lerr != nil {
				errs = append(errs, lerr)
				continue
			}
			userTr = append(userTr, tr)
			continue
		}
		t, lines, perr := parseFile(file, data)
		if perr != nil {
			errs = append(errs, perr)
			continue
		}
		if first, ok := fromUser[t.ID]; ok {
			errs = append(errs, &LoadError{File: file, Line: lines.tmpl.at("id"),
				Problem: fmt.Sprintf("template id %q is already used by %s; give this template another id", t.ID, displayPath(first))})
			continue
		}
		fromUser[t.ID] = file
		t.Source = file
		t.l10n = &l10n{langs: langs}
		set.byID[t.ID] = t
	}
	for _, tr := range userTr {
		t, ok := set.byID[tr.Template]
		if !ok {
			errs = append(errs, &LoadError{File: tr.file, Problem: fmt.Sprintf("translates template %q, which is not loaded; check its template: id", tr.Template)})
			continue
		}
		t.addTranslation(tr.Language, &pending{file: tr.file, tr: tr})
	}
	return set, errs
}

// readTemplateFile reads a user's template file, refusing anything that is
// not a regular file or is larger than MaxFileSize.
func readTemplateFile(file string) ([]byte, *LoadError) {
	info, err := os.Stat(file)
	if err != nil {
		return nil, &LoadError{File: file, Problem: fmt.Sprintf("cannot read the file (%v); check that it exists and you can read it", unwrapPathError(err))}
	}
	if !info.Mode().IsRegular() {
		return nil, &LoadError{File: file, Problem: "not a regular file; a template must be a plain YAML file"}
	}
	if info.Size() > MaxFileSize {
		return nil, tooBig(file, info.Size())
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, &LoadError{File: file, Problem: fmt.Sprintf("cannot open the file (%v); check its permissions", unwrapPathError(err))}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &LoadError{File: file, Problem: fmt.Sprintf("cannot read the file (%v)", unwrapPathError(err))}
	}
	if len(data) > MaxFileSize {
		return nil, tooBig(file, int64(len(data)))
	}
	return data, nil
}

func tooBig(file string, size int64) *LoadError {
	return &LoadError{File: file, Problem: fmt.Sprintf(
		"the file is %d bytes, more than the 1 MiB a template may be; shorten it or split it into two templates", size)}
}

// unwrapPathError drops the path from an *fs.PathError, which the LoadError
// already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
