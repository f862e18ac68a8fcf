package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const columnsTemplate = `id: cols
name: Cols
sections:
  - id: plan
    title: Plan
    fields:
      - id: agenda
        kind: list
        question: What is the agenda?
        columns: [{name: Time, type: time}, Session, {name: Cost, type: money}]
      - id: old
        kind: list
        question: Old style?
        columns: [Date, Milestone]
      - id: piped
        kind: list
        question: Piped?
        split: " | "
        columns: [Step, {name: Length, type: duration}]
    draft: "{{.agenda}} {{.old}} {{.piped}}"
`

// TestColumnsDeclareTheirTypes: a column is a name (text) or a name and a
// type; a field may say what splits its lines.
func TestColumnsDeclareTheirTypes(t *testing.T) {
	tp, err := Parse("cols.yaml", []byte(columnsTemplate))
	if err != nil {
		t.Fatal(err)
	}
	_, f := tp.Field("agenda")
	if strings.Join(f.Columns, ",") != "Time,Session,Cost" {
		t.Errorf("columns = %v", f.Columns)
	}
	if f.ColumnType(0) != ColumnTime || f.ColumnType(1) != ColumnText || f.ColumnType(2) != ColumnMoney || f.Separator() != ":" {
		t.Errorf("types = %v, split %q", f.ColumnTypes, f.Separator())
	}
	_, old := tp.Field("old")
	if old.ColumnType(0) != ColumnText || old.ColumnType(1) != ColumnText {
		t.Errorf("a column given by name only is text, got %v", old.ColumnTypes)
	}
	_, piped := tp.Field("piped")
	if piped.Separator() != "|" || piped.ColumnType(1) != ColumnDuration {
		t.Errorf("piped: split %q, types %v", piped.Separator(), piped.ColumnTypes)
	}
}

func TestColumnProblems(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{"{name: Cost, type: money}", "{name: Cost, type: currency}", `column "Cost" has the unknown type "currency"; use one of text, money, date, time, duration`},
		{"{name: Cost, type: money}", "{name: Cost, kind: money}", `unknown key "kind" in a column`},
		{"{name: Cost, type: money}", "[Cost]", `should be a name or {name: ..., type: ...}`},
	} {
		_, err := Parse("cols.yaml", []byte(strings.Replace(columnsTemplate, c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.to, err, c.want)
		}
	}
	_, err := Parse("cols.yaml", []byte(strings.Replace(columnsTemplate, "      - id: old\n        kind: list\n", "      - id: old\n        kind: list\n        split: \";\"\n        columns: []\n", 1)))
	if err == nil {
		t.Error("a repeated columns key was accepted")
	}
}

// TestBuiltinColumnTypes: the built-in templates type their columns, and a
// translation renames them without losing the types.
func TestBuiltinColumnTypes(t *testing.T) {
	set := builtins(t)
	for _, c := range []struct {
		tmpl, field string
		types       []ColumnType
	}{
		{"workshop", "agenda", []ColumnType{ColumnTime, ColumnText}},
		{"consulting", "options", []ColumnType{ColumnText, ColumnText, ColumnMoney}},
		{"consulting", "milestones", []ColumnType{ColumnDate, ColumnText}},
		{"sow", "milestones", []ColumnType{ColumnDate, ColumnText}},
		{"retainer", "response_times", []ColumnType{ColumnText, ColumnDuration}},
	} {
		tm, ok := set.Get(c.tmpl)
		if !ok {
			t.Fatalf("no %s", c.tmpl)
		}
		for _, lang := range []string{"en", "es", "de"} {
			tr := tm.In(lang)
			_, f := tr.Field(c.field)
			if f == nil {
				t.Fatalf("%s has no field %s", c.tmpl, c.field)
			}
			for i, want := range c.types {
				if f.ColumnType(i) != want {
					t.Errorf("%s/%s in %s: column %d (%s) is %s, want %s", c.tmpl, c.field, lang, i, f.Columns[i], f.ColumnType(i), want)
				}
			}
		}
	}
}

// TestGuideShipsAndItsTranslationLoads: the guide is in the program, and its
// translation example translates its complete example: columns renamed,
// types kept.
func TestGuideShipsAndItsTranslationLoads(t *testing.T) {
	if !strings.HasPrefix(Guide, "# Writing your own proposal template") || !strings.Contains(Guide, "propose templates --doc") {
		t.Fatal("the embedded guide is not templates/README.md")
	}
	block := func(start string) string {
		i := strings.Index(Guide, "```yaml\n"+start)
		if i < 0 {
			t.Fatalf("the guide has no example starting %q", start)
		}
		body := Guide[i+len("```yaml\n"):]
		return body[:strings.Index(body, "```")]
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "board.yaml"), []byte(block("id: board_advisory\nname: Board advisory\ndescription: A short")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "board.es.yaml"), []byte(block("template: board_advisory")), 0o600); err != nil {
		t.Fatal(err)
	}
	set, errs := Load(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tm, ok := set.Get("board_advisory")
	if !ok {
		t.Fatal("the example did not load")
	}
	if errs := set.CheckTranslations(); len(errs) > 0 {
		t.Fatal(errs)
	}
	es := tm.In("es")
	_, f := es.Field("milestones")
	if es.Section("role").Title != "La función" || strings.Join(f.Columns, ",") != "Fecha,Hito" || f.ColumnType(0) != ColumnDate {
		t.Errorf("translated: %q, columns %v %v", es.Section("role").Title, f.Columns, f.ColumnTypes)
	}
	// The example writes its own acceptance: the program adds none.
	last := tm.Sections[len(tm.Sections)-1].Draft
	if strings.Count(last, "Signed:") != 1 || strings.Contains(last, "Signature:") {
		t.Errorf("the example's acceptance was changed:\n%s", last)
	}
}

// TestTranslationMayCopyTypedColumns: a translation that writes a column as
// the template does ({name, type}) renames it; the type stays the template's.
func TestTranslationMayCopyTypedColumns(t *testing.T) {
	dir := t.TempDir()
	tr := "template: cols\nlanguage: es\nfields:\n  agenda:\n    columns: [{name: Hora, type: time}, Sesión, {name: Coste, type: text}]\n"
	if err := os.WriteFile(filepath.Join(dir, "cols.yaml"), []byte(columnsTemplate), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cols.es.yaml"), []byte(tr), 0o600); err != nil {
		t.Fatal(err)
	}
	set, errs := Load(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tm, _ := set.Get("cols")
	if errs := set.CheckTranslations(); len(errs) > 0 {
		t.Fatal(errs)
	}
	_, f := tm.In("es").Field("agenda")
	if strings.Join(f.Columns, ",") != "Hora,Sesión,Coste" || f.ColumnType(2) != ColumnMoney {
		t.Errorf("columns %v, types %v", f.Columns, f.ColumnTypes)
	}
}
