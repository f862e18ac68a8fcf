package main

import (
	"context"
	"image/color"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"

	"propose/interview"
	"propose/templates"
	"propose/tui"
)

// The start-up benchmarks split the work propose does in its own code
// between main and the first frame; scripts/bench sets them beside the
// measured start of the real binary.

// BenchmarkStartupTemplates loads the built-in templates (and an empty user
// folder), as every start does before the first screen.
func BenchmarkStartupTemplates(b *testing.B) {
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if set, errs := templates.Load(dir); len(errs) > 0 || len(set.List()) == 0 {
			b.Fatalf("templates: %v", errs)
		}
	}
}

// BenchmarkStartupFirstView builds the interface on a fresh session folder
// and draws its first screen at 140x40: New, Init, the window size, View.
func BenchmarkStartupFirstView(b *testing.B) {
	set, errs := templates.Load(b.TempDir())
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	st, err := interview.OpenStore(filepath.Join(b.TempDir(), "sessions"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m := tui.New(tui.Options{Context: context.Background(), Sessions: st, Templates: set.List()})
		_ = m.Init()
		m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
		m.Update(tea.BackgroundColorMsg{Color: color.Black}) // the terminal's answer, which the first frame waits for
		if v := m.View(); v.Content == "" {
			b.Fatal("nothing drawn")
		}
	}
}
