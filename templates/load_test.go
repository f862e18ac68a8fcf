package templates

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestUserDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)

	t.Setenv("XDG_CONFIG_HOME", "/xdg/config")
	if got, want := UserDir(), filepath.Join("/xdg/config", "propose", "templates"); got != want {
		t.Errorf("UserDir() = %q, want %q", got, want)
	}
	want := filepath.Join(home, ".config", "propose", "templates")
	t.Setenv("XDG_CONFIG_HOME", "")
	if got := UserDir(); got != want {
		t.Errorf("UserDir() without XDG_CONFIG_HOME = %q, want %q", got, want)
	}
	// The XDG specification says a relative path is to be ignored.
	t.Setenv("XDG_CONFIG_HOME", "relative/config")
	if got := UserDir(); got != want {
		t.Errorf("UserDir() with a relative XDG_CONFIG_HOME = %q, want %q", got, want)
	}
}

// userTemplates writes files into a fresh user template folder found the way
// the program finds it, and returns the folder.
func userTemplates(t *testing.T, files map[string]string) string {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := UserDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadUserFolder(t *testing.T) {
	override := strings.Replace(minimal, "id: mini\nname: Mini", "id: consulting\nname: My consulting", 1)
	added := strings.Replace(minimal, "id: mini\nname: Mini", "id: board_advisory\nname: Board advisory", 1)
	malformed := strings.Replace(minimal, "kind: money-list", "kind: mony", 1)
	dir := userTemplates(t, map[string]string{
		"consulting.yaml": override,
		"board.yml":       added,
		"broken.yaml":     malformed,
		"notes.txt":       "not a template",
		".hidden.yaml":    "ignored: true",
	})
	if err := os.Mkdir(filepath.Join(dir, "folder.yaml"), 0o700); err != nil {
		t.Fatal(err)
	}

	set, errs := Load(UserDir())
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one for broken.yaml", errs)
	}
	var le *LoadError
	if !errors.As(errs[0], &le) {
		t.Fatalf("error %T is not a *LoadError", errs[0])
	}
	if le.File != filepath.Join(dir, "broken.yaml") || le.Line != 11 ||
		le.Problem != `field "fees": unknown kind "mony" (use one of text, list, money-list, date, choice)` {
		t.Errorf("error = %#v", le)
	}
	if want := filepath.Join(dir, "broken.yaml") + ":11: field"; !strings.HasPrefix(errs[0].Error(), want) {
		t.Errorf("Error() = %q, want it to start %q", errs[0].Error(), want)
	}

	var ids []string
	for _, tp := range set.List() {
		ids = append(ids, tp.ID)
	}
	if want := []string{"consulting", "board_advisory", "retainer", "sow", "workshop"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	c := set.Default()
	if c.Name != "My consulting" || c.Source != filepath.Join(dir, "consulting.yaml") {
		t.Errorf("consulting was not overridden: %q from %q", c.Name, c.Source)
	}
	if b, ok := set.Get("board_advisory"); !ok || b.Source != filepath.Join(dir, "board.yml") {
		t.Errorf("board_advisory = %v, %v", b, ok)
	}
	if s, _ := set.Get("sow"); s.Source != SourceBuiltIn {
		t.Errorf("sow Source = %q", s.Source)
	}
	if _, ok := set.Get("mini"); ok {
		t.Error("the malformed file's template was loaded")
	}
}

func TestLoadMissingAndEmptyFolder(t *testing.T) {
	for name, dir := range map[string]string{
		"missing": filepath.Join(t.TempDir(), "nope"),
		"none":    "",
		"empty":   t.TempDir(),
	} {
		set, errs := Load(dir)
		if len(errs) != 0 || len(set.List()) != 4 {
			t.Errorf("%s: %d templates, errors %v", name, len(set.List()), errs)
		}
	}
}

func TestLoadFolderIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "templates")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	set, errs := Load(file)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "cannot read the templates folder") {
		t.Errorf("errors = %v", errs)
	}
	if set.Default() == nil {
		t.Error("built-ins should still load")
	}
}

func TestLoadDuplicateUserIDs(t *testing.T) {
	dir := userTemplates(t, map[string]string{"a.yaml": minimal, "b.yaml": minimal})
	set, errs := Load(dir)
	if len(errs) != 1 {
		t.Fatalf("errors = %v", errs)
	}
	le := errs[0].(*LoadError)
	if le.File != filepath.Join(dir, "b.yaml") || le.Line != 1 || !strings.Contains(le.Problem, `template id "mini" is already used by`) {
		t.Errorf("error = %#v", le)
	}
	if m, _ := set.Get("mini"); m.Source != filepath.Join(dir, "a.yaml") {
		t.Errorf("mini came from %q, want a.yaml", m.Source)
	}
}

func TestLoadOversizeFile(t *testing.T) {
	dir := userTemplates(t, map[string]string{
		"big.yaml": minimal + "# " + strings.Repeat("x", MaxFileSize) + "\n",
	})
	_, errs := Load(dir)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "big.yaml: the file is") {
		t.Errorf("errors = %v", errs)
	}
}

func TestSetGetMissing(t *testing.T) {
	set := builtins(t)
	if _, ok := set.Get("nope"); ok {
		t.Error("Get found a template that does not exist")
	}
	// The slice from List is the caller's own.
	l := set.List()
	l[0] = nil
	if set.List()[0] == nil {
		t.Error("List shares its slice")
	}
}
