package llm_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"propose/llm"
)

// writeConfig writes a config file with mode 0600 and returns its path.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// cleanEnv unsets what LoadConfig reads.
func cleanEnv(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
}

func TestLoadConfigMissingFile(t *testing.T) {
	cleanEnv(t)
	cfg, warnings, err := llm.LoadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
	if err != nil || len(warnings) != 0 {
		t.Fatalf("err = %v, warnings = %v", err, warnings)
	}
	if cfg.ModelFor(llm.AgentDrafter) != "gpt-4o-mini" || cfg.ContextTokens() != 128000 || cfg.Enabled() {
		t.Errorf("defaults: %v", cfg)
	}
	if got := cfg.Describe(llm.AgentInterviewer); got != "gpt-4o-mini via api.openai.com" {
		t.Errorf("Describe = %q", got)
	}
}

func TestLoadConfigFull(t *testing.T) {
	cleanEnv(t)
	t.Setenv("LOCAL_KEY", "")
	path := writeConfig(t, `# propose
base_url: http://localhost:11434/v1
api_key_env: LOCAL_KEY
model: llama3.1
models:
  drafter: qwen2.5:14b
context_window: 32768
timeouts:
  request: 2m
  idle: 45
  connect: 3s
`)
	cfg, warnings, err := llm.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings %v (a base URL needs no key)", warnings)
	}
	if cfg.BaseURL != "http://localhost:11434/v1" || cfg.APIKeyEnv != "LOCAL_KEY" || cfg.ContextTokens() != 32768 {
		t.Errorf("cfg = %v", cfg)
	}
	if cfg.ModelFor(llm.AgentDrafter) != "qwen2.5:14b" || cfg.ModelFor(llm.AgentReviewer) != "llama3.1" {
		t.Errorf("models: %q %q", cfg.ModelFor(llm.AgentDrafter), cfg.ModelFor(llm.AgentReviewer))
	}
	if cfg.Timeouts != (llm.Timeouts{Request: 2 * time.Minute, Idle: 45 * time.Second, Connect: 3 * time.Second}) {
		t.Errorf("timeouts %+v", cfg.Timeouts)
	}
	if got := cfg.Describe(llm.AgentDrafter); got != "qwen2.5:14b via localhost:11434" {
		t.Errorf("Describe = %q", got)
	}
	if !cfg.Enabled() || cfg.Path() != path {
		t.Errorf("Enabled %v, Path %q", cfg.Enabled(), cfg.Path())
	}
}

func TestLoadConfigPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	cleanEnv(t)
	path := writeConfig(t, "model: gpt-4o\n")
	if _, warnings, _ := llm.LoadConfig(path); len(warnings) != 0 {
		t.Errorf("0600: warnings %v", warnings)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, warnings, err := llm.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0] != "config.yaml is readable by other users; run chmod 600 "+path {
		t.Errorf("warnings %q", warnings)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	cases := []struct {
		name, body string
		says       []string
		never      string
	}{
		{name: "unknown key", body: "model: x\nmodle: y\n", says: []string{":2:", `unknown key "modle"`, "base_url, api_key_env"}},
		{name: "unknown nested key", body: "models:\n  writer: x\n", says: []string{":2:", `"writer"`, "interviewer, drafter, reviewer"}},
		{name: "api_key", body: "model: x\napi_key: sk-live-verysecret123456\n",
			says: []string{":2:", "api_key does not belong", "api_key_env", "OPENAI_API_KEY"}, never: "verysecret"},
		{name: "key in api_key_env", body: "api_key_env: sk-live-verysecret123456\n",
			says: []string{":1:", "NAME of the environment variable"}, never: "verysecret"},
		{name: "key as a key", body: "sk-live-verysecret123456: x\n", says: []string{":1:", "unknown key"}, never: "verysecret"},
		{name: "bad env name", body: "api_key_env: my key\n", says: []string{":1:", "environment variable name"}},
		{name: "bad context window", body: "context_window: lots\n", says: []string{":1:", "whole number of tokens"}},
		{name: "bad duration", body: "timeouts:\n  idle: soon\n", says: []string{":2:", "timeouts.idle", "30s"}},
		{name: "bad base url", body: "base_url: localhost:11434\n", says: []string{":1:", "http://localhost:11434/v1"}},
		{name: "empty model", body: "model:\n", says: []string{":1:", "model must be"}},
		{name: "duplicate", body: "model: a\nmodel: b\n", says: []string{":2:", "set twice", "line 1"}},
		{name: "not a mapping", body: "- model\n", says: []string{":1:", "key: value"}},
		{name: "yaml syntax", body: "model: [x\n", says: []string{"fix the YAML syntax"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cleanEnv(t)
			path := writeConfig(t, tc.body)
			cfg, _, err := llm.LoadConfig(path)
			if err == nil {
				t.Fatalf("no error for %q", tc.body)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) {
				t.Errorf("error %q does not name the file", msg)
			}
			for _, s := range tc.says {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q does not say %q", msg, s)
				}
			}
			if tc.never != "" && strings.Contains(msg, tc.never) {
				t.Errorf("error %q echoes the secret", msg)
			}
			if cfg.ModelFor(llm.AgentDrafter) != llm.DefaultModel {
				t.Errorf("on error the config should hold defaults, got %v", cfg)
			}
		})
	}
}

func TestLoadConfigEmptyAndCommentsOnly(t *testing.T) {
	cleanEnv(t)
	for _, body := range []string{"", "# nothing yet\n"} {
		if _, _, err := llm.LoadConfig(writeConfig(t, body)); err != nil {
			t.Errorf("%q: %v", body, err)
		}
	}
}

func TestLoadConfigEnvOverride(t *testing.T) {
	cleanEnv(t)
	path := writeConfig(t, "base_url: http://file-host:1/v1\n")
	t.Setenv("OPENAI_BASE_URL", "http://env-host:2/v1")
	cfg, _, err := llm.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "http://env-host:2/v1" {
		t.Errorf("BaseURL %q, want the environment's", cfg.BaseURL)
	}
	t.Setenv("OPENAI_BASE_URL", "not a url")
	if _, _, err := llm.LoadConfig(path); err == nil || !strings.Contains(err.Error(), "OPENAI_BASE_URL") {
		t.Errorf("err = %v", err)
	}
}

func TestLoadConfigUnsetKeyEnvWarns(t *testing.T) {
	cleanEnv(t)
	t.Setenv("MY_KEY", "")
	_, warnings, err := llm.LoadConfig(writeConfig(t, "api_key_env: MY_KEY\n"))
	if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "MY_KEY") {
		t.Errorf("err = %v, warnings %q", err, warnings)
	}
}

func TestEnabled(t *testing.T) {
	cleanEnv(t)
	if (llm.Config{}).Enabled() {
		t.Error("no key and no base URL: disabled")
	}
	if (llm.Config{BaseURL: "https://api.openai.com/v1"}).Enabled() {
		t.Error("OpenAI's own URL without a key: disabled")
	}
	if !(llm.Config{BaseURL: "http://localhost:8080/v1"}).Enabled() {
		t.Error("a local server needs no key")
	}
	t.Setenv("OPENAI_API_KEY", testKey)
	if !(llm.Config{}).Enabled() {
		t.Error("a key enables")
	}
	t.Setenv("OTHER_KEY", testKey)
	if (llm.Config{APIKeyEnv: "ANOTHER_UNSET"}).Enabled() {
		t.Error("the named variable is the one that counts")
	}
}

func TestApplyFlags(t *testing.T) {
	cfg := llm.Config{Model: "a", Models: llm.Models{Drafter: "d"}, BaseURL: "http://x/v1"}
	cfg.Apply("", "")
	if cfg.ModelFor(llm.AgentDrafter) != "d" || cfg.BaseURL != "http://x/v1" {
		t.Errorf("empty flags changed the config: %v", cfg)
	}
	cfg.Apply("gpt-4.1", "http://localhost:1234/v1")
	if cfg.ModelFor(llm.AgentDrafter) != "gpt-4.1" || cfg.ModelFor(llm.AgentReviewer) != "gpt-4.1" || cfg.BaseURL != "http://localhost:1234/v1" {
		t.Errorf("after Apply: %v", cfg)
	}
	if cfg.ContextTokens() != 8192 {
		t.Errorf("context window %d for a local server", cfg.ContextTokens())
	}
}

func TestDefaultConfigPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if got := llm.DefaultConfigPath(); got != filepath.Join(dir, "propose", "config.yaml") {
		t.Errorf("DefaultConfigPath = %q", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	if got := llm.DefaultConfigPath(); !strings.HasSuffix(got, filepath.Join(".config", "propose", "config.yaml")) {
		t.Errorf("DefaultConfigPath = %q", got)
	}
}
