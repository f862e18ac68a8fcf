package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Every command's help reads at 80 columns: no line is wider, and only the
// commands that can use a model list the model's flags.
func TestHelpFitsEightyColumnsAndShowsOnlyUsedFlags(t *testing.T) {
	dir := setup(t)
	withModel := map[string]bool{"": true, "new": true, "resume": true, "run": true, "review": true, "export": true}
	for _, c := range []string{"", "new", "resume", "run", "list", "review", "export", "show", "templates", "delete", "repair"} {
		args := []string{"--help"}
		if c != "" {
			args = []string{c, "--help"}
		}
		code, out, errOut := cli(t, dir, args...)
		if code != 0 {
			t.Fatalf("%s --help: exit %d %s", c, code, errOut)
		}
		for _, l := range strings.Split(ansi.Strip(out), "\n") {
			if w := ansi.StringWidth(strings.TrimRight(l, " ")); w > 80 {
				t.Errorf("%q help: a line of %d columns: %q", c, w, strings.TrimSpace(l))
			}
		}
		if has := strings.Contains(out, "--model"); has != withModel[c] {
			t.Errorf("%q help lists --model: %v, want %v", c, has, withModel[c])
		}
	}
}

func TestVersionString(t *testing.T) {
	cases := []struct {
		set  string
		bi   *debug.BuildInfo
		want string
	}{
		{"1.4.0", nil, "1.4.0"},
		{"dev", &debug.BuildInfo{Main: debug.Module{Version: "v0.3.1"}}, "v0.3.1"},
		{"dev", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "43f3433a1b2c3d4e5f"}, {Key: "vcs.time", Value: "2026-11-28T04:12:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"dev (commit 43f3433a1b2c, 2026-11-28, with local changes, go1.26.8)"},
		{"dev", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "dev (go1.26.8)"},
	}
	for _, c := range cases {
		if got := versionString(c.set, c.bi); got != c.want {
			t.Errorf("versionString(%q) = %q, want %q", c.set, got, c.want)
		}
	}
}

// Shells complete session ids (with titles) and template ids.
func TestCompletion(t *testing.T) {
	dir := setup(t)
	if code, _, errOut := cli(t, dir, "run", "--answers", "examples/acme-operations.yaml"); code != 0 {
		t.Fatalf("run: %d %s", code, errOut)
	}
	_, out, _ := cli(t, dir, "__complete", "show", "")
	if !strings.Contains(out, "Order-to-Cash Turnaround") {
		t.Fatalf("no session offered:\n%s", out)
	}
	_, out, _ = cli(t, dir, "__complete", "new", "--template", "")
	for _, id := range []string{"consulting", "sow", "workshop", "retainer"} {
		if !strings.Contains(out, id) {
			t.Errorf("template %s not offered:\n%s", id, out)
		}
	}
}
