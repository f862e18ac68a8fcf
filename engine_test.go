package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"propose/interview"
	"propose/llm/llmtest"
)

// mainTestKey is long and distinctive, so a leak of it is easy to find.
const mainTestKey = "sk-test-PROPOSE-main-7b1e44c2a9"

// fakeModel answers drafting calls (streamed) with prose and review calls
// (not streamed) with one finding.
func fakeModel() llmtest.Step {
	return llmtest.StepFunc(func(x *llmtest.Exchange) {
		if x.Req.Stream {
			llmtest.Reply("We set out below what this part of the work involves.").Chunk(16).Serve(x)
			return
		}
		llmtest.JSON(map[string]any{"findings": []map[string]any{{"rule": "vague-deliverables", "severity": "suggestion",
			"section": "approach", "field": "deliverables", "message": "Say what the handover pack holds."}}}).Serve(x)
	})
}

// withServer points the program at a fake server through OPENAI_BASE_URL.
func withServer(t *testing.T, step llmtest.Step) *llmtest.Server {
	t.Helper()
	srv := llmtest.New(t)
	srv.Otherwise(step)
	t.Setenv("OPENAI_BASE_URL", srv.URL())
	return srv
}

// loadOnly reads the one session in the data folder.
func loadOnly(t *testing.T, data string) *interview.Session {
	t.Helper()
	st, err := interview.OpenStore(data)
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.List()
	if err != nil || len(list) != 1 {
		t.Fatalf("%d sessions: %v", len(list), err)
	}
	s, _, err := st.Load(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRunUsesTheConfiguredModel(t *testing.T) {
	data := setup(t)
	srv := withServer(t, fakeModel())
	out := filepath.Join(t.TempDir(), "acme.md")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out, "--model", "local-model")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	md, _ := os.ReadFile(out)
	if !strings.Contains(string(md), "## Investment\n\nWe set out below what this part of the work involves.") ||
		!strings.Contains(string(md), "| **Total** | **€86,500** |") {
		t.Errorf("the export lacks the model's prose or the computed total:\n%s", md)
	}
	if !strings.Contains(stdout, "suggestion  vague-deliverables") {
		t.Errorf("the model's finding is not printed:\n%s", stdout)
	}
	reqs := srv.Requests()
	if len(reqs) < 10 || reqs[0].Model != "local-model" {
		t.Errorf("%d requests, model %q", len(reqs), reqs[0].Model)
	}
	s := loadOnly(t, data)
	if s.Engine != "llm" || s.Usage["drafter"].CompletionTokens == 0 || s.Usage["reviewer"].PromptTokens == 0 {
		t.Errorf("engine %q, usage %+v", s.Engine, s.Usage)
	}
}

// TestRunWhenTheServerFailsExportsTheStandardWording: a server that fails
// every call does not leave a hollow export or a failed run: every section
// carries the offline drafter's text, each is named in a one-line warning,
// and the exit code follows the rule review alone.
func TestRunWhenTheServerFailsExportsTheStandardWording(t *testing.T) {
	data := setup(t)
	withServer(t, llmtest.ServerError())
	out := filepath.Join(t.TempDir(), "a.md")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, stdout, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.HasPrefix(line, "propose: warning: ") {
			t.Errorf("stderr line %q", line)
		}
	}
	if !strings.Contains(stderr, "the Investment section uses the standard wording: the model failed:") || !strings.Contains(stderr, "had a problem (500)") ||
		!strings.Contains(stderr, "the model's review failed") {
		t.Errorf("stderr:\n%s", stderr)
	}
	md, _ := os.ReadFile(out)
	for _, want := range []string{"## Situation\n\nThis is our understanding of the situation at Acme Components Ltd", "| **Total** | **€86,500** |", "## Terms and acceptance"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the export lacks %q:\n%s", want, md)
		}
	}
	// What was answered is saved, whole.
	if s := loadOnly(t, data); s.Facts.Value("client") != "Acme Components Ltd" || len(s.Facts) < 20 {
		t.Errorf("facts not saved: %d", len(s.Facts))
	}
}

func TestOfflineFlagAndNoConfigStayOffline(t *testing.T) {
	data := setup(t)
	srv := withServer(t, fakeModel())
	if code, stdout, stderr := cli(t, data, "--offline", "run", "--answers", "examples/acme-operations.yaml"); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if n := srv.RequestCount(); n != 0 {
		t.Errorf("--offline sent %d requests", n)
	}
	if s := loadOnly(t, data); s.Engine != "offline" {
		t.Errorf("engine %q", s.Engine)
	}

	// Neither a key nor a base URL: offline, and --model says why it is unused.
	data = setup(t)
	t.Setenv("OPENAI_BASE_URL", "")
	code, _, stderr := cli(t, data, "--model", "gpt-4o", "run", "--answers", "examples/acme-operations.yaml")
	if code != 0 || !strings.Contains(stderr, "propose: warning: --model needs a model server") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

func TestConfigFileWarningsAndErrors(t *testing.T) {
	data := setup(t)
	cfgDir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "propose")
	os.MkdirAll(cfgDir, 0o700)
	path := filepath.Join(cfgDir, "config.yaml")

	srv := withServer(t, fakeModel())
	t.Setenv("OPENAI_BASE_URL", "")
	os.WriteFile(path, []byte("base_url: "+srv.URL()+"\nmodels:\n  drafter: writer\n"), 0o644)
	os.Chmod(path, 0o644)
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if strings.Count(stderr, "readable by other users") != 1 {
		t.Errorf("the permissions warning is not shown once:\n%s", stderr)
	}
	if reqs := srv.Requests(); len(reqs) == 0 || reqs[0].Model != "writer" {
		t.Errorf("the drafter's own model was not used")
	}

	os.WriteFile(path, []byte("base_url: "+srv.URL()+"\napi_key: sk-oops\n"), 0o600)
	code, _, stderr = cli(t, data, "run", "--answers", "examples/acme-operations.yaml")
	if code != 2 || !strings.Contains(stderr, "config.yaml:2: api_key does not belong in the config file") ||
		!strings.Contains(stderr, "--offline") || strings.Contains(stderr, "sk-oops") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	os.Remove(path)
	if code, _, stderr := cli(t, data, "--base-url", "localhost:8080", "run", "--answers", "examples/acme-operations.yaml"); code != 2 ||
		!strings.Contains(stderr, "must be a URL like http://localhost:11434/v1") {
		t.Errorf("bad --base-url: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestKeyNeverReachesOutput: a run whose every call is refused by a server
// that quotes the key back leaves the key in no output, session or export.
func TestKeyNeverReachesOutput(t *testing.T) {
	data := setup(t)
	t.Setenv("OPENAI_API_KEY", mainTestKey)
	withServer(t, llmtest.StepFunc(func(x *llmtest.Exchange) {
		if x.Req.Stream {
			llmtest.StreamError("We ", "server_error", "", "bad key "+strings.TrimPrefix(x.R.Header.Get("Authorization"), "Bearer ")).Serve(x)
			return
		}
		llmtest.Unauthorized().Serve(x)
	}))
	out := filepath.Join(t.TempDir(), "out.md")
	code, stdout, stderr := cli(t, data, "run", "--answers", "examples/acme-operations.yaml", "--out", out, "--force")
	if code != 0 {
		t.Errorf("exit %d, want 0 (the standard wording is exported)", code)
	}
	_, show, _ := cli(t, data, "show", loadOnly(t, data).ID)
	_, list, _ := cli(t, data, "list", "--json")
	for name, s := range map[string]string{"stdout": stdout, "stderr": stderr, "show": show, "list": list} {
		if strings.Contains(s, mainTestKey) {
			t.Errorf("the key is in %s:\n%s", name, s)
		}
	}
	filepath.WalkDir(filepath.Dir(out), func(p string, d os.DirEntry, err error) error { return checkNoKey(t, p, d) })
	filepath.WalkDir(data, func(p string, d os.DirEntry, err error) error { return checkNoKey(t, p, d) })
	var s map[string]any
	b, _ := os.ReadFile(filepath.Join(data, loadOnly(t, data).ID+".json"))
	if json.Unmarshal(b, &s) != nil {
		t.Error("the session file does not parse")
	}
}

func checkNoKey(t *testing.T, path string, d os.DirEntry) error {
	if d == nil || d.IsDir() {
		return nil
	}
	b, err := os.ReadFile(path)
	if err == nil && strings.Contains(string(b), mainTestKey) {
		t.Errorf("the key is in %s", path)
	}
	return nil
}
