package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Finding 7 on a real read-only file system: every command failed, even
// list, show and export. Reads work; a command that must write says why
// with exit code 4. Mounting needs root (or CAP_SYS_ADMIN): elsewhere the
// test skips, and TestFinding07ReadOnlyFolderServesReads in interview
// covers the same through the store's file layer.
func TestFault12ReadOnlyFileSystem(t *testing.T) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=4m"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): needs root or CAP_SYS_ADMIN", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	data := filepath.Join(mnt, "sessions")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	answers := filepath.Join(t.TempDir(), "a.yaml")
	os.WriteFile(answers, []byte("template: consulting\nanswers:\n  title: Half done\n  client: Acme\n"), 0o600)
	if code, stdout, stderr := cli(t, data, "run", "--answers", answers); code != 1 {
		t.Fatalf("run: %d %s %s", code, stdout, stderr)
	}
	id := loadOnly(t, data).ID
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, "size=4m"); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
	for _, args := range [][]string{{"list"}, {"show", id}, {"review", id}, {"export", id, "--force", "--out", t.TempDir() + "/"}} {
		code, stdout, stderr := cli(t, data, args...)
		if (args[0] == "review" && code != exitBlocked) || (args[0] != "review" && code != 0) {
			t.Errorf("%v on a read-only file system: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
	pretendTerminal(t)
	code, _, stderr := cli(t, data, "resume", id)
	if code != exitNotSaved || !strings.Contains(stderr, "read-only file system") {
		t.Errorf("resume on a read-only file system: exit %d, want %d with the reason\n%s", code, exitNotSaved, stderr)
	}
}
