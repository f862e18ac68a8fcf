package tui

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"propose/interview"
)

// fullFolder fails every write in one folder as a full disk does.
type fullFolder struct{ dir string }

type fullTemp struct{ *os.File }

func (f fullTemp) Write(p []byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

func (l fullFolder) CreateTemp(dir, pattern string) (interview.TempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil || filepath.Clean(dir) != filepath.Clean(l.dir) {
		return f, err
	}
	return fullTemp{f}, nil
}
func (fullFolder) Rename(from, to string) error { return os.Rename(from, to) }
func (fullFolder) Link(from, to string) error   { return os.Link(from, to) }
func (fullFolder) Remove(name string) error     { return os.Remove(name) }
func (fullFolder) SyncDir(string) error         { return nil }
func (fullFolder) Open(name string) (interview.ReadFile, error) {
	return os.Open(name)
}

// Issue 12, finding 2: quitting while the disk is full exited at once and
// the last edit was in no file. The quit saves to a fallback place, and
// the program ends saying where (run prints the error).
func TestQuitOnFullDiskSavesElsewhere(t *testing.T) {
	st := openStore(t)
	rescue := filepath.Join(t.TempDir(), "rescued")
	full := st.WithFileLayer(fullFolder{dir: st.Dir()}).WithRescueDirs(rescue)
	eng := newEngine(t, full, "f011d15c")
	h := newHarness(t, options(t, full, eng), 100, 30)
	h.typeText("Acme Components, typed as the disk filled")
	h.press("ctrl+c")
	if !h.quit {
		t.Fatal("the program did not quit though the work was saved elsewhere")
	}
	closed, err := h.m.Closed()
	var rescued *interview.RescuedError
	if !closed || !errors.As(err, &rescued) || !strings.HasPrefix(rescued.Path, rescue) {
		t.Fatalf("closed %v with %v; want the emergency save's place", closed, err)
	}
	if b, _ := os.ReadFile(rescued.Path); !strings.Contains(string(b), "typed as the disk filled") {
		t.Error("the emergency save lacks the typed text")
	}
}

// When even the fallback places cannot take the save, the program asks
// before quitting: the first quit stays and says so; the second quits.
func TestQuitAsksWhenNothingCanBeSaved(t *testing.T) {
	st := openStore(t)
	blocker := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(blocker, nil, 0o600)
	full := st.WithFileLayer(fullFolder{dir: st.Dir()}).WithRescueDirs(filepath.Join(blocker, "rescued"))
	eng := newEngine(t, full, "f011d15d")
	h := newHarness(t, options(t, full, eng), 100, 30)
	h.typeText("Acme Components")
	h.press("ctrl+c")
	if h.quit {
		t.Fatal("the program quit with the work in no file")
	}
	if s := strings.Join(strings.Fields(h.screen()), " "); !strings.Contains(s, "Nothing could be saved") || !strings.Contains(s, "ctrl+c again to quit without saving") {
		t.Fatalf("the user is not asked:\n%s", h.screen())
	}
	if !onSession(h.screen()) || boxText(h) != "Acme Components" {
		t.Fatal("the session or the typed text is gone")
	}
	h.press("ctrl+c")
	if !h.quit {
		t.Fatal("the second quit did not quit")
	}
}
