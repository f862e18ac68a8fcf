//go:build unix

package main

import (
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"propose/interview"
)

// The command-line tests of issue 12 (sessions never lost, whatever the
// disk, the terminal or the file names do), one a finding.

// storeSetup is setup with the emergency-save places kept in the test's own
// folders, and one session made from the example answers. It returns the
// data folder and the session's id.
func storeSetup(t *testing.T) (string, string) {
	t.Helper()
	data := setup(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("TMPDIR", t.TempDir())
	if code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml"); code != 0 {
		t.Fatalf("run: %d\n%s\n%s", code, stdout, stderr)
	}
	return data, loadOnly(t, data).ID
}

// folder is every file in a folder with its bytes.
func folder(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = string(b)
	}
	return out
}

func keys(m map[string]string) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func unchanged(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	if keys(before) != keys(after) {
		t.Errorf("%s changed the session folder:\nbefore %s\nafter  %s", what, keys(before), keys(after))
		return
	}
	for k := range before {
		if before[k] != after[k] {
			t.Errorf("%s rewrote %s", what, k)
		}
	}
}

func listJSON(t *testing.T, data string) []interview.Summary {
	t.Helper()
	code, stdout, stderr := cli(t, data, "list", "--json")
	var list []interview.Summary
	if code != 0 || json.Unmarshal([]byte(stdout), &list) != nil {
		t.Fatalf("list --json: %d %s %s", code, stdout, stderr)
	}
	return list
}

// Finding 1: review of a copied file rewrote the original while a TUI held
// the original's lock. The copy is refused and left as it is; repair gives
// it an id of its own.
func TestFault12CopiedSessionFile(t *testing.T) {
	data, id := storeSetup(t)
	st, _ := interview.OpenStore(data)
	held, err := st.Lock(id) // the original is open in the interface
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	orig, _ := os.ReadFile(filepath.Join(data, id+".json"))
	os.WriteFile(filepath.Join(data, "copy0001.json"), orig, 0o600)

	for _, args := range [][]string{{"review", "copy0001"}, {"show", "copy0001"}, {"export", "copy0001", "--out", t.TempDir() + "/"}} {
		code, stdout, stderr := cli(t, data, args...)
		if code != exitNotSaved || !strings.Contains(stderr, "propose repair copy0001") {
			t.Errorf("%s: exit %d, want %d with the way out\n%s%s", args[0], code, exitNotSaved, stdout, stderr)
		}
	}
	if now, _ := os.ReadFile(filepath.Join(data, id+".json")); string(now) != string(orig) {
		t.Fatal("the original session was rewritten through its copy")
	}
	var copyLine *interview.Summary
	list := listJSON(t, data)
	for i := range list {
		if list[i].ID == "copy0001" {
			copyLine = &list[i]
		}
	}
	if copyLine == nil || !copyLine.Damaged || !strings.Contains(copyLine.Problem, "repair") {
		t.Errorf("list does not show the copy as one: %+v", list)
	}

	code, stdout, stderr := cli(t, data, "repair", "copy0001")
	if code != 0 || !strings.Contains(stdout, "is now session") {
		t.Fatalf("repair: %d %s %s", code, stdout, stderr)
	}
	list = listJSON(t, data)
	if len(list) != 2 || list[0].ID == list[1].ID || list[0].Damaged || list[1].Damaged {
		t.Fatalf("after repair: %+v", list)
	}
	newID := strings.TrimSuffix(strings.Fields(strings.TrimPrefix(stdout, "copy0001 is now session "))[0], ":")
	if code, stdout, stderr := cli(t, data, "review", newID); code != 0 {
		t.Errorf("review of the repaired session: %d %s %s", code, stdout, stderr)
	}
	if now, _ := os.ReadFile(filepath.Join(data, id+".json")); string(now) != string(orig) {
		t.Fatal("the original session was rewritten")
	}
}

// Finding 3: closing the terminal (SIGHUP) lost the text typed but not
// submitted, left the terminal unrestored and the lock behind. The real
// main runs in a child process; the test types, hangs up and looks.
func TestFault12SIGHUPKeepsTypedTextAndRestores(t *testing.T) {
	if args := os.Getenv("PROPOSE_MAIN_ARGS"); args != "" {
		os.Args = append([]string{"propose"}, strings.Split(args, "\x1f")...)
		// The terminal is a pair of pipes, as in the other full-program
		// tests; signals are the program's own.
		programOptions = []tea.ProgramOption{tea.WithInput(os.Stdin), tea.WithOutput(os.Stdout), tea.WithWindowSize(90, 30)}
		main()
		return
	}
	data := setup(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	answers := filepath.Join(t.TempDir(), "a.yaml")
	os.WriteFile(answers, []byte("template: consulting\nanswers:\n  title: Half done\n  client: Acme\n"), 0o600)
	cli(t, data, "run", "--answers", answers)
	pending := loadOnly(t, data)
	id := pending.ID
	if pending.Pending == nil {
		t.Fatal("no question waiting")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFault12SIGHUPKeepsTypedTextAndRestores$")
	cmd.Env = append(os.Environ(), "PROPOSE_MAIN_ARGS="+strings.Join([]string{"--data-dir", data, "resume", id}, "\x1f"), "TERM=xterm-256color")
	in, _ := cmd.StdinPipe()
	out := &screenBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	}()
	const typed = "Half a thought about the steering group"
	io.WriteString(in, "\x1b[8;30;90t")
	waitFor(t, "the question", func() bool {
		io.WriteString(in, "\x1b[8;30;90t")
		time.Sleep(20 * time.Millisecond)
		return strings.Contains(out.since(0), squeeze(pending.Pending.Text))
	})
	io.WriteString(in, typed)
	waitFor(t, "the typed text on screen", func() bool {
		io.WriteString(in, "\x1b[8;30;90t")
		time.Sleep(20 * time.Millisecond)
		return strings.Contains(out.since(0), squeeze(typed))
	})
	cmd.Process.Signal(syscall.SIGHUP)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("propose did not end on SIGHUP")
	}
	st, _ := interview.OpenStore(data)
	s, _, err := st.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Pending == nil || s.Pending.Typed != typed {
		t.Errorf("the typed text was lost: %+v", s.Pending)
	}
	for _, name := range []string{id + ".lock", id + ".lock.pid"} {
		if _, err := os.Stat(filepath.Join(data, name)); err == nil {
			t.Errorf("%s left behind", name)
		}
	}
	screen := out.b.String()
	exit := strings.LastIndex(screen, ansi.ResetModeAltScreenSaveCursor)
	if exit < 0 || exit < strings.LastIndex(screen, ansi.SetModeAltScreenSaveCursor) ||
		!strings.Contains(screen[exit:], ansi.SetModeTextCursorEnable) {
		t.Errorf("the terminal was not restored; the output ends %q", screen[max(0, len(screen)-200):])
	}
}

// Finding 4: show (meant to read only) renamed a damaged file aside, and a
// damaged session with no backup then vanished from list. Read-only
// commands change nothing on disk, and list says what it sees.
func TestFault12ReadOnlyCommandsChangeNothing(t *testing.T) {
	data, id := storeSetup(t)
	// Make the session's last save damaged (its .bak is good) and add a
	// damaged session with no backup.
	os.WriteFile(filepath.Join(data, id+".json"), []byte(`{"schema_version": 2, "id": "`+id+`", "tem`), 0o600)
	os.WriteFile(filepath.Join(data, "bad00001.json"), []byte("{oops"), 0o600)
	before := folder(t, data)
	out := t.TempDir()
	for _, args := range [][]string{{"list"}, {"show", id}, {"review", id}, {"export", id, "--out", out + "/"},
		{"export", id, "--format", "pdf", "--out", out + "/"}, {"show", "bad00001"}} {
		code, stdout, stderr := cli(t, data, args...)
		if args[len(args)-1] == "bad00001" {
			if code != exitNotSaved || !strings.Contains(stderr, "no good backup") {
				t.Errorf("show of a damaged session: %d %s", code, stderr)
			}
		} else if code != 0 {
			t.Errorf("%v: exit %d\n%s%s", args, code, stdout, stderr)
		} else if args[0] != "list" && !strings.Contains(stderr, "damaged") {
			t.Errorf("%v does not say it shows the previous save: %s", args, stderr)
		}
		unchanged(t, strings.Join(args, " "), before, folder(t, data))
	}
	list := listJSON(t, data)
	states := map[string]string{}
	for _, s := range list {
		states[s.ID] = map[bool]string{true: "recovered", false: "ok"}[s.Recovered]
		if s.Damaged {
			states[s.ID] = "damaged"
		}
	}
	if states[id] != "recovered" || states["bad00001"] != "damaged" {
		t.Errorf("list shows %v, want %s recovered and bad00001 damaged", states, id)
	}
	code, stdout, _ := cli(t, data, "list")
	if code != 0 || !strings.Contains(stdout, "bad00001") || !strings.Contains(stdout, "damaged") || !strings.Contains(stdout, "recovered") {
		t.Errorf("list:\n%s", stdout)
	}
}

// fullDisk makes writes in one folder fail as a full disk does.
type fullDisk struct{ dir string }

func (fullDisk) Rename(from, to string) error { return os.Rename(from, to) }
func (fullDisk) Link(from, to string) error   { return os.Link(from, to) }
func (fullDisk) Remove(name string) error     { return os.Remove(name) }
func (fullDisk) Open(name string) (interview.ReadFile, error) {
	return os.Open(name)
}
func (fullDisk) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

type fullFile struct{ *os.File }

func (f fullFile) Write(p []byte) (int, error) {
	n, _ := f.File.Write(p[:len(p)/2])
	return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
}

func (l fullDisk) CreateTemp(dir, pattern string) (interview.TempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil || filepath.Clean(dir) != filepath.Clean(l.dir) {
		return f, err
	}
	return fullFile{f}, nil
}

// Finding 6: a command whose save failed exited 0. Now the failure is
// said plainly, the exit code is 4, the work is saved elsewhere (and
// said where), and the next start brings it back.
func TestFault12FailedSaveExitsNonZero(t *testing.T) {
	data, _ := storeSetup(t)
	fileLayer = fullDisk{dir: data}
	defer func() { fileLayer = nil }()
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml")
	fileLayer = nil
	if code != exitNotSaved || !strings.Contains(stderr, "disk is full") || !strings.Contains(stderr, "saved to ") {
		t.Fatalf("run on a full disk: exit %d (want %d)\n%s%s", code, exitNotSaved, stdout, stderr)
	}
	if strings.Contains(stderr, ".tmp-") {
		t.Errorf("the message names a temporary file:\n%s", stderr)
	}
	if len(listJSON(t, data)) != 1 {
		t.Fatal("the session saved nowhere is in the folder")
	}
	// The next command that writes brings it back.
	code, _, stderr = cli(t, data, "delete", "nonexistent")
	if !strings.Contains(stderr, "back in the session folder") {
		t.Errorf("the rescued session was not picked up: %d %s", code, stderr)
	}
	if len(listJSON(t, data)) != 2 {
		t.Error("the rescued session is not in the list")
	}
}

// Finding 7: the data folder was chmod'ed to 0700 by every command, so a
// read-only folder broke even list.
func TestFault12FolderModeRespected(t *testing.T) {
	data, id := storeSetup(t)
	for _, mode := range []os.FileMode{0o755, 0o500} {
		os.Chmod(data, mode)
		for _, args := range [][]string{{"list"}, {"show", id}, {"export", id, "--out", t.TempDir() + "/"}} {
			code, stdout, stderr := cli(t, data, args...)
			if code != 0 {
				t.Errorf("%v in a %o folder: %d %s %s", args, mode, code, stdout, stderr)
			}
			if mode == 0o755 && !strings.Contains(stderr, "can be read by others") {
				t.Errorf("no warning about a folder others can read: %s", stderr)
			}
		}
		if fi, _ := os.Stat(data); fi.Mode().Perm() != mode {
			t.Errorf("the folder's mode changed from %o to %o", mode, fi.Mode().Perm())
		}
	}
	os.Chmod(data, 0o700)
}

// Finding 8: export --force replaced a FIFO or a device with a file.
func TestFault12ExportOnlyToRegularFiles(t *testing.T) {
	data, id := storeSetup(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.md")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	targets := map[string]fs.FileMode{fifo: fs.ModeNamedPipe}
	if os.Geteuid() == 0 {
		dev := filepath.Join(dir, "null.md")
		if err := syscall.Mknod(dev, syscall.S_IFCHR|0o600, 1<<8|3); err == nil { // a /dev/null of our own
			targets[dev] = fs.ModeCharDevice
		}
	} else {
		t.Log("not root: the device case is not made (mknod needs root); the FIFO stands for every special file")
	}
	for target, kind := range targets {
		for _, force := range []bool{false, true} {
			args := []string{"export", id, "--out", target}
			if force {
				args = append(args, "--force")
			}
			code, stdout, stderr := cli(t, data, args...)
			if code != exitUsage || !strings.Contains(stderr, "not a regular file") {
				t.Errorf("%v: exit %d\n%s%s", args, code, stdout, stderr)
			}
			if fi, err := os.Lstat(target); err != nil || fi.Mode().Type() != kind.Type()|fi.Mode().Type()&fs.ModeDevice {
				t.Errorf("%s was replaced: %v %v", target, fi.Mode(), err)
			}
		}
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*")); len(tmps) != 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}

// Finding 10: delete left the lock, the kept original and damaged copies.
func TestFault12DeleteRemovesEveryFile(t *testing.T) {
	data, id := storeSetup(t)
	for _, name := range []string{id + ".json.v1", id + ".json.corrupt-20260101T000000", id + ".lock"} {
		os.WriteFile(filepath.Join(data, name), []byte("x"), 0o600)
	}
	if code, stdout, stderr := cli(t, data, "delete", id); code != 0 {
		t.Fatalf("delete: %d %s %s", code, stdout, stderr)
	}
	for name := range folder(t, data) {
		if strings.HasPrefix(name, id) || strings.HasPrefix(name, "."+id) {
			t.Errorf("delete left %s", name)
		}
	}
}

// mine is a user template of two fields, for the template tests.
const mine = `id: mine
name: Mine
sections:
  - id: intro
    title: Introduction
    fields:
      - id: client
        question: Who is the client?
        roles: [client]
      - id: budget
        question: What is the budget?
    draft: |-
      For {{.client}}, within {{.budget}}.
`

// Finding 11: a session died with its template: a renamed field dropped
// its answer, and a removed or broken template locked the session out.
func TestFault12SessionOutlivesItsTemplate(t *testing.T) {
	data := setup(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	tdir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "propose", "templates")
	os.MkdirAll(tdir, 0o700)
	tfile := filepath.Join(tdir, "mine.yaml")
	os.WriteFile(tfile, []byte(mine), 0o600)
	answers := filepath.Join(t.TempDir(), "a.yaml")
	os.WriteFile(answers, []byte("template: mine\nanswers:\n  client: Acme\n  budget: Forty thousand euros\n"), 0o600)
	// The bare template has no acceptance text, a review blocker (exit 1):
	// what matters here is that the session is saved.
	if code, stdout, stderr := cli(t, data, "run", "--answers", answers); code != 0 && code != exitBlocked {
		t.Fatalf("run: %d %s %s", code, stdout, stderr)
	}
	id := loadOnly(t, data).ID

	// The field is renamed: the answer is kept and shown as no longer asked.
	os.WriteFile(tfile, []byte(strings.ReplaceAll(mine, "budget", "funds")), 0o600)
	code, _, stderr := cli(t, data, "show", id)
	if code != 0 || !strings.Contains(stderr, "Answers no longer asked") || !strings.Contains(stderr, "budget: Forty thousand euros") {
		t.Errorf("show after a field was renamed: %d\n%s", code, stderr)
	}
	code, stdout, _ := cli(t, data, "review", id)
	if !strings.Contains(stdout, "budget: Forty thousand euros") {
		t.Errorf("review does not show the answer no longer asked (exit %d):\n%s", code, stdout)
	}

	// The template has a typo, then is gone: the session's copy is used.
	for name, change := range map[string]func(){
		"a YAML typo": func() { os.WriteFile(tfile, []byte(strings.Replace(mine, "    fields:", "   fields:", 1)), 0o600) },
		"removed":     func() { os.Remove(tfile) },
	} {
		change()
		code, stdout, stderr := cli(t, data, "show", id)
		if code != 0 || !strings.Contains(stdout, "within Forty thousand euros") || !strings.Contains(stderr, "copy of it kept with the session") {
			t.Errorf("show with the template %s: %d\n%s%s", name, code, stdout, stderr)
		}
		if strings.Contains(stderr, `no template "mine"`) {
			t.Errorf("show says the user mistyped: %s", stderr)
		}
		if code, stdout, stderr := cli(t, data, "export", id, "--out", t.TempDir()+"/", "--force"); code != 0 {
			t.Errorf("export with the template %s: %d %s %s", name, code, stdout, stderr)
		}
	}
}

// Finding 12: export of a session open in the interface was refused with
// exit 1 (the blockers' code), and errors named temporary files.
func TestFault12ReadWhileHeldAndExitCodes(t *testing.T) {
	data, id := storeSetup(t)
	st, _ := interview.OpenStore(data)
	held, err := st.Lock(id)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "p.md")
	code, stdout, stderr := cli(t, data, "export", id, "--out", out)
	if code != 0 || !strings.Contains(stderr, "open in another propose") || !strings.Contains(stdout, "Wrote "+out) {
		t.Errorf("export of a held session: %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := cli(t, data, "review", id); code != 0 || !strings.Contains(stderr, "last saved state") {
		t.Errorf("review of a held session: %d %s", code, stderr)
	}
	pretendTerminal(t)
	for _, args := range [][]string{{"resume", id}, {"delete", id}} {
		code, _, stderr := cli(t, data, args...)
		if code != exitInUse || !strings.Contains(stderr, "open in another propose") {
			t.Errorf("%v of a held session: exit %d, want %d\n%s", args, code, exitInUse, stderr)
		}
	}
	held.Release()

	// A folder that is not there: the message names the export, not a
	// temporary file beside it.
	missing := filepath.Join(t.TempDir(), "no", "such", "sow.md")
	code, _, stderr = cli(t, data, "export", id, "--out", missing)
	if code == 0 || strings.Contains(stderr, ".tmp-") || !strings.Contains(stderr, missing) {
		t.Errorf("export to a missing folder: %d %s", code, stderr)
	}
}
