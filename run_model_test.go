package main

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"propose/llm/llmtest"
)

// TestRunReviewerFailureIsAdvisory: a model reviewer that answers with
// unusable JSON costs the run nothing but a one-line warning: the rule
// findings print, the export is written, exit 0.
func TestRunReviewerFailureIsAdvisory(t *testing.T) {
	data := setup(t)
	withServer(t, llmtest.StepFunc(func(x *llmtest.Exchange) {
		if x.Req.Stream {
			llmtest.Reply("We set out below what this part of the work involves.").Serve(x)
			return
		}
		llmtest.Reply("I think the proposal looks fine overall!").Serve(x)
	}))
	out := filepath.Join(t.TempDir(), "acme.md")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, stdout, stderr)
	}
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 ||
		!strings.HasPrefix(lines[0], "propose: warning: the model's review failed, so only the rule review is shown:") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if !strings.Contains(stdout, "No findings") && !strings.Contains(stdout, "0 blockers") {
		t.Errorf("the rule findings are not printed:\n%s", stdout)
	}
	if md, err := os.ReadFile(out); err != nil || !strings.Contains(string(md), "| **Total** | **€86,500** |") {
		t.Errorf("export: %v\n%s", err, md)
	}
}

// TestRunOneSlotServerShortIdle: a one-slot local server that takes longer
// than the idle timeout to begin each reply (it works through the queue)
// drafts every section: nothing counts as stalled and only one request is
// ever in flight.
func TestRunOneSlotServerShortIdle(t *testing.T) {
	data := setup(t)
	cfgDir := os.Getenv("XDG_CONFIG_HOME")
	if err := os.MkdirAll(filepath.Join(cfgDir, "propose"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "propose", "config.yaml"), []byte("timeouts:\n  idle: 100ms\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var inFlight, most atomic.Int32
	withServer(t, llmtest.StepFunc(func(x *llmtest.Exchange) {
		n := inFlight.Add(1)
		if n > most.Load() {
			most.Store(n)
		}
		if !x.Req.Stream {
			inFlight.Add(-1)
			llmtest.JSON(map[string]any{"findings": []any{}}).Serve(x)
			return
		}
		x.StartStream()
		x.Sleep(150 * time.Millisecond) // the slot is busy, then the model starts
		x.ContentChunk("We set out below what this part of the work involves.")
		inFlight.Add(-1)
		x.FinishChunk("stop")
		x.Done()
	}))
	out := filepath.Join(t.TempDir(), "acme.md")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out)
	if code != 0 || strings.TrimSpace(stderr) != "" {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if most.Load() != 1 {
		t.Errorf("%d requests in flight at once on a one-slot server", most.Load())
	}
	md, _ := os.ReadFile(out)
	if n := strings.Count(string(md), "We set out below what this part of the work involves."); n < 8 {
		t.Errorf("%d sections in the model's words:\n%s", n, md)
	}
}

// TestRunKeyEchoedAcrossChunks: a server that echoes the key split over
// two chunks leaves it in no file: session, backup, export, log.
func TestRunKeyEchoedAcrossChunks(t *testing.T) {
	data := setup(t)
	t.Setenv("OPENAI_API_KEY", mainTestKey)
	half := len(mainTestKey) / 2
	withServer(t, llmtest.StepFunc(func(x *llmtest.Exchange) {
		if !x.Req.Stream {
			llmtest.JSON(map[string]any{"findings": []any{}}).Serve(x)
			return
		}
		x.StartStream()
		x.ContentChunk("We checked your access with " + mainTestKey[:half])
		x.ContentChunk(mainTestKey[half:] + " and set out below what this part of the work involves.")
		x.FinishChunk("stop")
		x.Done()
	}))
	out := filepath.Join(t.TempDir(), "acme.md")
	// "[redacted]" in the prose is a placeholder the review blocks on, as a
	// client must never get it: the export is forced.
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out, "--force")
	if code != 0 || !strings.Contains(stdout, `placeholder "[redacted]"`) {
		t.Fatalf("exit %d, want 0 (forced) with the redaction flagged\n%s\n%s", code, stdout, stderr)
	}
	// Run again so the first save has a .bak.
	if code, _, stderr := cli(t, data, "export", loadOnly(t, data).ID, "--out", out, "--force"); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	md, _ := os.ReadFile(out)
	if !strings.Contains(string(md), "We checked your access with [redacted] and set out below") {
		t.Errorf("the export:\n%s", md)
	}
	for _, dir := range []string{data, filepath.Dir(out)} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				if strings.Contains(string(b), mainTestKey[:half]) || strings.Contains(string(b), mainTestKey[half:]) {
					t.Errorf("part of the key is in %s", p)
				}
			}
			return nil
		})
	}
}

// TestRunTwoMegabyteReply: a section reply of 2 MB is stopped at the cap;
// the run says so plainly and exports the standard wording for it.
func TestRunTwoMegabyteReply(t *testing.T) {
	data := setup(t)
	huge := strings.Repeat("We propose a thorough review. ", 2<<20/30)
	withServer(t, llmtest.StepFunc(func(x *llmtest.Exchange) {
		if !x.Req.Stream {
			llmtest.JSON(map[string]any{"findings": []any{}}).Serve(x)
			return
		}
		if strings.Contains(x.Req.LastUser(), `Write the section "Situation"`) {
			llmtest.Reply(huge).Chunk(8192).Serve(x)
			return
		}
		llmtest.Reply("We set out below what this part of the work involves.").Serve(x)
	}))
	out := filepath.Join(t.TempDir(), "acme.md")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	want := "propose: warning: the Situation section uses the standard wording: the model failed: The reply from gpt-4o-mini grew past 64 KB, far more than asked for, so it was stopped."
	if strings.TrimSpace(stderr) != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	md, _ := os.ReadFile(out)
	if len(md) > 64<<10 || strings.Contains(string(md), "We propose a thorough review.") ||
		!strings.Contains(string(md), "This is our understanding of the situation at Acme Components Ltd") {
		t.Errorf("export of %d bytes", len(md))
	}
	s := loadOnly(t, data)
	if len(s.Draft.Section("situation").Body) > 0 {
		t.Errorf("the capped reply was stored: %d bytes", len(s.Draft.Section("situation").Body))
	}
}

// TestRunSignalDuringStalledStream: SIGTERM while every section's stream
// hangs mid-reply ends the run within a second: requests cancelled, the
// session saved, exit 143 (130 for Ctrl+C).
func TestRunSignalDuringStalledStream(t *testing.T) {
	if os.Getenv("PROPOSE_SIGNAL_CHILD") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // as main does
		defer stop()
		os.Exit(run(ctx, strings.Split(os.Getenv("PROPOSE_SIGNAL_ARGS"), "\x1f"), os.Stdout, os.Stderr))
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGINT, 130}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			data := setup(t)
			started := make(chan struct{}, 64)
			withServer(t, llmtest.StepFunc(func(x *llmtest.Exchange) {
				x.StartStream()
				x.ContentChunk("We begin")
				started <- struct{}{}
				x.Hang()
			}))
			cmd := exec.Command(os.Args[0], "-test.run", "^TestRunSignalDuringStalledStream$")
			cmd.Env = append(os.Environ(), "PROPOSE_SIGNAL_CHILD=1", "PROPOSE_SIGNAL_ARGS="+strings.Join([]string{
				"--data-dir", data, "run", "--answers", "examples/acme-operations.yaml", "--out", filepath.Join(t.TempDir(), "a.md")}, "\x1f"))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-started:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatal("no stream started")
			}
			sent := time.Now()
			cmd.Process.Signal(tc.sig)
			err := cmd.Wait()
			took := time.Since(sent)
			code := cmd.ProcessState.ExitCode()
			if bound := raceSlowdown * time.Second; code != tc.code || took > bound {
				t.Errorf("exit %d after %v (err %v), want %d within %v\n%s", code, took, err, tc.code, bound, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted: session ") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
			if s := loadOnly(t, data); s.Facts.Value("client") != "Acme Components Ltd" {
				t.Errorf("the session was not saved")
			}
		})
	}
}
