package interview

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"propose/proposal"
)

func testSession(id string, rev int) *Session {
	s := &Session{SchemaVersion: SchemaVersion, ID: id, Template: "consulting",
		Created: time.Unix(0, 0).UTC(), Updated: time.Unix(int64(rev), 0).UTC(), Facts: proposal.Facts{}}
	for i := 0; i < 40; i++ {
		k := fmt.Sprintf("f%02d", i)
		s.Facts[k] = proposal.Fact{Field: k, Value: fmt.Sprintf("rev %d %s", rev, strings.Repeat("x", 2000)), Turn: rev}
	}
	return s
}

// revOf checks that every fact of a loaded session comes from one revision.
func revOf(t *testing.T, s *Session) int {
	t.Helper()
	rev := -1
	for _, f := range s.Facts {
		if rev == -1 {
			rev = f.Turn
		} else if f.Turn != rev {
			t.Fatalf("session mixes revisions %d and %d: a partial save", rev, f.Turn)
		}
	}
	return rev
}

func openTestStore(t *testing.T) *Store {
	t.Helper()
	st, err := OpenStore(filepath.Join(t.TempDir(), "sessions"))
	if err != nil {
		t.Fatal(err)
	}
	// Emergency saves stay in the test's own folders, never the user's.
	return st.WithRescueDirs(filepath.Join(t.TempDir(), "state"), filepath.Join(t.TempDir(), "tmp"))
}

func TestStorePermissionsAndRoundTrip(t *testing.T) {
	st := openTestStore(t)
	s := testSession("abc12345", 1)
	if err := st.Save(s); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(st.Dir())
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("folder mode %o, want 700", fi.Mode().Perm())
		}
		fi, _ = os.Stat(filepath.Join(st.Dir(), "abc12345.json"))
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("file mode %o, want 600", fi.Mode().Perm())
		}
	}
	got, info, err := st.Load("abc12345")
	if err != nil || info.Recovered {
		t.Fatalf("load: %v %+v", err, info)
	}
	if revOf(t, got) != 1 || got.SchemaVersion != SchemaVersion {
		t.Fatalf("loaded %+v", got)
	}
}

func TestSaveKeepsBackup(t *testing.T) {
	st := openTestStore(t)
	for rev := 1; rev <= 3; rev++ {
		if err := st.Save(testSession("abc12345", rev)); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := os.ReadFile(filepath.Join(st.Dir(), "abc12345.json.bak"))
	b, err := decodeSession(data)
	if err != nil {
		t.Fatal(err)
	}
	if revOf(t, &b.Session) != 2 {
		t.Fatalf(".bak holds revision %d, want the previous one (2)", revOf(t, &b.Session))
	}
}

func TestCorruptFileFallsBackToBackupAndIsKeptAside(t *testing.T) {
	for name, damage := range map[string]func([]byte) []byte{
		"truncated": func(b []byte) []byte { return b[:len(b)/2] },
		"bit flip":  func(b []byte) []byte { b[0] ^= 0x40; return b },
		"empty":     func([]byte) []byte { return nil },
		"garbage":   func([]byte) []byte { return []byte("\x00\x01 not json") },
	} {
		t.Run(name, func(t *testing.T) {
			st := openTestStore(t)
			st.Save(testSession("abc12345", 1))
			st.Save(testSession("abc12345", 2))
			st.Save(testSession("other001", 7))
			p := filepath.Join(st.Dir(), "abc12345.json")
			data, _ := os.ReadFile(p)
			damaged := damage(data)
			os.WriteFile(p, damaged, 0o600)

			s, info, err := st.Load("abc12345")
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if !info.Recovered || info.KeptAside == "" || !strings.Contains(info.Notice(), "damaged") {
				t.Errorf("info = %+v, notice %q", info, info.Notice())
			}
			if revOf(t, s) != 1 {
				t.Errorf("recovered revision %d, want 1 (the .bak)", revOf(t, s))
			}
			if kept, err := os.ReadFile(info.KeptAside); err != nil || string(kept) != string(damaged) {
				t.Errorf("damaged file not kept aside intact: %v", err)
			}
			list, err := st.List()
			if err != nil || len(list) != 2 {
				t.Fatalf("list = %+v, %v; want both sessions", list, err)
			}
		})
	}
}

func TestDamagedWithoutBackupIsListedNotHidden(t *testing.T) {
	st := openTestStore(t)
	st.Save(testSession("good0001", 1))
	os.WriteFile(filepath.Join(st.Dir(), "bad00001.json"), []byte("{oops"), 0o600)
	list, err := st.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("list = %+v %v", list, err)
	}
	_, _, err = st.Load("bad00001")
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("load of damaged session: %v", err)
	}
	// With no backup to restore, the damaged file stays where it is, and
	// the session stays in the list as damaged rather than vanishing.
	if b, err := os.ReadFile(filepath.Join(st.Dir(), "bad00001.json")); err != nil || string(b) != "{oops" {
		t.Errorf("damaged file moved or changed: %v", err)
	}
	list, _ = st.List()
	found := false
	for _, sm := range list {
		if sm.ID == "bad00001" && sm.Damaged && strings.Contains(sm.Problem, "no good backup") {
			found = true
		}
	}
	if !found {
		t.Errorf("the damaged session vanished from the list: %+v", list)
	}
}

func TestNewerSchemaOpensReadOnly(t *testing.T) {
	st := openTestStore(t)
	s := testSession("abc12345", 1)
	st.Save(s)
	p := filepath.Join(st.Dir(), "abc12345.json")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(data), fmt.Sprintf(`"schema_version": %d`, SchemaVersion), `"schema_version": 99`, 1)), 0o600)
	got, info, err := st.Load("abc12345")
	if err != nil || !info.ReadOnly {
		t.Fatalf("load: %v %+v", err, info)
	}
	if err := st.Save(got); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("save of a newer session: %v, want ErrReadOnly", err)
	}
}

func TestFindByPrefix(t *testing.T) {
	st := openTestStore(t)
	for _, id := range []string{"abc12345", "abd99999", "ffff0000"} {
		st.Save(testSession(id, 1))
	}
	if id, err := st.Find("ff"); err != nil || id != "ffff0000" {
		t.Errorf("Find(ff) = %q %v", id, err)
	}
	if _, err := st.Find("ab"); err == nil || !strings.Contains(err.Error(), "matches 2") {
		t.Errorf("ambiguous prefix: %v", err)
	}
	if _, err := st.Find("zz"); err == nil {
		t.Error("unknown prefix found something")
	}
	if _, _, err := st.Load("../../etc/passwd"); err == nil {
		t.Error("a path as id loaded")
	}
}

func TestLockStopsSecondWriter(t *testing.T) {
	st := openTestStore(t)
	st.Save(testSession("abc12345", 1))
	l1, err := st.Lock("abc12345")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Lock("abc12345"); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "another propose") {
		t.Fatalf("second lock: %v", err)
	}
	l1.Release()
	l2, err := st.Lock("abc12345")
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	l2.Release()
}

// failingLayer fails writes after a number of bytes, as a full disk does.
type failingLayer struct {
	osLayer
	fail bool
}

type failingFile struct{ *os.File }

func (f failingFile) Write(p []byte) (int, error) {
	n, _ := f.File.Write(p[:len(p)/2])
	return n, syscall.ENOSPC
}

func (l *failingLayer) CreateTemp(dir, pattern string) (TempFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil || !l.fail {
		return f, err
	}
	return failingFile{f}, nil
}

func TestDiskFullLeavesOldFileAndLaterSaveWorks(t *testing.T) {
	st := openTestStore(t)
	st.Save(testSession("abc12345", 1))
	fl := &failingLayer{fail: true}
	full := st.WithFileLayer(fl)
	err := full.Save(testSession("abc12345", 2))
	if err == nil || !strings.Contains(err.Error(), "disk is full") {
		t.Fatalf("save on a full disk: %v", err)
	}
	s, _, err := st.Load("abc12345")
	if err != nil || revOf(t, s) != 1 {
		t.Fatalf("old file damaged by the failed save: %v", err)
	}
	if tmps, _ := filepath.Glob(filepath.Join(st.Dir(), ".abc12345.tmp-*")); len(tmps) != 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
	fl.fail = false
	if err := full.Save(testSession("abc12345", 3)); err != nil {
		t.Fatal(err)
	}
	if s, _, _ := st.Load("abc12345"); revOf(t, s) != 3 {
		t.Fatal("later save did not land")
	}
}

// TestKillDuringSave kills a process that saves in a loop at random moments:
// every load afterwards must give a whole revision, never a partial one.
func TestKillDuringSave(t *testing.T) {
	if os.Getenv("PROPOSE_SAVE_LOOP") != "" {
		saveLoop(os.Getenv("PROPOSE_SAVE_LOOP"))
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	dir := filepath.Join(t.TempDir(), "sessions")
	st, _ := OpenStore(dir)
	st.Save(testSession("kill0001", 0))
	kills := 200
	if testing.Short() {
		kills = 20
	}
	last := 0
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringSave$")
		cmd.Env = append(os.Environ(), "PROPOSE_SAVE_LOOP="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The kill lands at a random moment after the child has finished
		// its first save, however slow its start (the race detector, a
		// loaded machine), so that saves are really cut mid-way.
		ready := make([]byte, 1)
		if _, err := io.ReadFull(out, ready); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the saving process did not start: %v", err)
		}
		time.Sleep(time.Duration(rand.IntN(30)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		s, _, err := st.Load("kill0001")
		if err != nil {
			t.Fatalf("after kill %d: %v", i, err)
		}
		rev := revOf(t, s)
		if rev < last {
			t.Fatalf("after kill %d: revision went back from %d to %d", i, last, rev)
		}
		last = rev
	}
	if last == 0 {
		t.Fatal("no save ever completed: the test proved nothing")
	}
}

func saveLoop(dir string) {
	st, err := OpenStore(dir)
	if err != nil {
		os.Exit(3)
	}
	s, _, err := st.Load("kill0001")
	if err != nil {
		os.Exit(4)
	}
	rev := 0
	for _, f := range s.Facts {
		rev = max(rev, f.Turn)
	}
	for first := true; ; first = false {
		rev++
		if err := st.Save(testSession("kill0001", rev)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(5)
		}
		if first {
			os.Stdout.Write([]byte{'.'}) // saving: the parent may kill now
		}
	}
}

// TestLockAcrossProcesses holds a session's lock in another process: this
// one cannot take it and is told which process has it; once that process
// dies (even by SIGKILL) the lock is free again.
func TestLockAcrossProcesses(t *testing.T) {
	if dir := os.Getenv("PROPOSE_HOLD_LOCK"); dir != "" {
		st, _ := OpenStore(dir)
		if _, err := st.Lock("lock0001"); err != nil {
			os.Exit(3)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute)
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	dir := filepath.Join(t.TempDir(), "sessions")
	st, _ := OpenStore(dir)
	st.Save(testSession("lock0001", 1))
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockAcrossProcesses$")
	cmd.Env = append(os.Environ(), "PROPOSE_HOLD_LOCK="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := out.Read(buf); err != nil || string(buf) != "locked" {
		t.Fatalf("holder did not lock: %q %v", buf, err)
	}
	_, err := st.Lock("lock0001")
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("process %d", cmd.Process.Pid)) {
		t.Fatalf("second process: %v", err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	l, err := st.Lock("lock0001")
	if err != nil {
		t.Fatalf("lock not freed when its holder died: %v", err)
	}
	l.Release()
}

// TestOlderSchemaMigrates opens a session file written by version 1 (kept
// as a fixture from the build that wrote it): it loads with everything the
// user gave, saves as the current version with the original kept as
// .json.v1, and migrating again changes nothing.
func TestOlderSchemaMigrates(t *testing.T) {
	v1, err := os.ReadFile(filepath.Join("testdata", "sessions", "v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	st := openTestStore(t)
	const id = "f9e38a51"
	os.WriteFile(filepath.Join(st.Dir(), id+".json"), v1, 0o600)

	s, info, err := st.Load(id)
	if err != nil || !info.Migrated || info.ReadOnly {
		t.Fatalf("load of a version 1 file: %v %+v", err, info)
	}
	if s.SchemaVersion != SchemaVersion || len(s.Turns) != 26 || s.Facts.Value("title") != "Order-to-Cash Turnaround" {
		t.Fatalf("migrated session lost something: schema %d, %d turns, title %q", s.SchemaVersion, len(s.Turns), s.Facts.Value("title"))
	}
	e := Open(consulting(t), s, Config{Store: st, Now: clock})
	md := e.Markdown()
	for _, want := range []string{"## Situation", "## Terms and acceptance", "| **Total** | **€86,500** |"} {
		if !strings.Contains(md, want) {
			t.Errorf("migrated draft lacks %q", want)
		}
	}
	if err := e.Save(); err != nil {
		t.Fatal(err)
	}
	e.Close()

	saved, _ := os.ReadFile(filepath.Join(st.Dir(), id+".json"))
	if !strings.Contains(string(saved), fmt.Sprintf(`"schema_version": %d`, SchemaVersion)) || strings.Contains(string(saved), `"no_heading"`) {
		t.Errorf("saved file is not in the current shape")
	}
	if kept, _ := os.ReadFile(filepath.Join(st.Dir(), id+".json.v1")); string(kept) != string(v1) {
		t.Error("the version 1 file was not kept as .json.v1")
	}
	again, info, err := st.Load(id)
	if err != nil || info.Migrated {
		t.Fatalf("second load: %v %+v", err, info)
	}
	first, _ := json.Marshal(s)
	second, _ := json.Marshal(again)
	if string(first) != string(second) {
		t.Errorf("loading the migrated file gives a different session:\n%s\n%s", first, second)
	}

	// The step itself is idempotent: run on its own output, nothing changes.
	var doc map[string]any
	json.Unmarshal(saved, &doc)
	before, _ := json.Marshal(doc)
	if err := migrations[1](doc); err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(doc)
	if string(before) != string(after) {
		t.Error("migrating twice changed the file")
	}
}
