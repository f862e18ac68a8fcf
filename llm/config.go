package llm

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Agent names. They pick the model for a call and key the usage totals.
const (
	AgentInterviewer = "interviewer"
	AgentDrafter     = "drafter"
	AgentReviewer    = "reviewer"
)

// Defaults used where the config file, the environment and the flags say nothing.
const (
	DefaultModel     = "gpt-4o-mini"
	DefaultAPIKeyEnv = "OPENAI_API_KEY"
	// BaseURLEnv names the environment variable that overrides base_url.
	BaseURLEnv = "OPENAI_BASE_URL"

	defaultOpenAIBaseURL = "https://api.openai.com/v1"
	openAIHost           = "api.openai.com"
	// OpenAI's current small models take 128k tokens. Local servers are
	// usually started with far less (Ollama's default is 2k-8k, llama.cpp's is
	// whatever -c says), so a smaller guess keeps the pre-flight check honest.
	defaultOpenAIWindow   = 128000
	defaultLocalWindow    = 8192
	defaultRequestTimeout = 5 * time.Minute
	defaultIdleTimeout    = 30 * time.Second
	defaultConnectTimeout = 10 * time.Second
	defaultMaxAttempts    = 3
)

// Models names a model per agent. An empty field falls back to Config.Model.
type Models struct {
	Interviewer string
	Drafter     string
	Reviewer    string
}

// Timeouts bound one HTTP request. Zero fields take the defaults.
type Timeouts struct {
	// Request caps one HTTP request from dial to last byte (default 5m).
	Request time.Duration
	// Idle is the stream watchdog: a stream that sends no byte for this long
	// (waiting for the headers included) is abandoned as stalled (default
	// 30s). Keep-alive comments count as bytes. Non-streamed calls send
	// nothing until they are done, so only Request bounds them.
	Idle time.Duration
	// Connect caps dialing the server (default 10s).
	Connect time.Duration
}

// Limits cap the size of what a model hands back. Zero fields take the
// defaults.
type Limits struct {
	// SectionBytes caps one drafted section's reply (default 64 KB).
	SectionBytes int
	// FactBytes caps one fact the interviewer extracts (default 8 KB).
	FactBytes int
}

// Default limits.
const (
	DefaultSectionBytes = 64 << 10
	DefaultFactBytes    = 8 << 10
)

// Config says which server and models the LLM engine talks to. It never holds
// the API key itself, only the name of the environment variable that does; the
// client reads the key when it is created.
type Config struct {
	// BaseURL of an OpenAI-compatible API, including /v1. Empty means OpenAI.
	BaseURL string
	// APIKeyEnv names the environment variable holding the key (default OPENAI_API_KEY).
	APIKeyEnv string
	// Model applies to every agent without its own entry in Models (default gpt-4o-mini).
	Model string
	// Models overrides Model per agent.
	Models Models
	// ContextWindow is the model's context in tokens. Zero means 128000 for
	// OpenAI and 8192 for any other server.
	ContextWindow int
	// Timeouts bound each request.
	Timeouts Timeouts
	// MaxAttempts is the number of tries for a retryable failure (default 3).
	MaxAttempts int
	// Parallel is how many requests may be in flight at once. Zero means 4
	// for OpenAI and 1 for any other server: a local server (Ollama,
	// llama.cpp) usually has one slot and queues the rest, and a queued
	// request must not count as a stalled one.
	Parallel int
	// Limits cap what a model may hand back.
	Limits Limits
	// Document holds the settings of the exported document that live in
	// the same file (the consultancy's branding, extra fonts). This package
	// only reads them; the exporter uses them, model or not.
	Document Document

	path string // the file this came from, named in messages
}

// Document is the exported document's part of the config file.
type Document struct {
	// Firm, Logo (a PNG or JPEG file), Accent ("#rrggbb") and Contact (one
	// line of address and contact details) brand the PDF.
	Firm, Logo, Accent, Contact string
	// Fonts are TrueType files for characters the PDF's own fonts lack.
	Fonts []string
}

// DefaultConfigPath is $XDG_CONFIG_HOME/propose/config.yaml, falling back to
// ~/.config/propose/config.yaml.
func DefaultConfigPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "propose", "config.yaml")
}

// LoadConfig reads the config file at path (DefaultConfigPath when empty) and
// then applies the environment: OPENAI_BASE_URL overrides base_url. A missing
// file gives the defaults and no error. Warnings are things the user should fix
// that do not stop the program (a file other users can read). On error the
// returned Config holds the defaults, so the caller can still run offline.
func LoadConfig(path string) (Config, []string, error) {
	if path == "" {
		path = DefaultConfigPath()
	}
	cfg := Config{path: path}
	var warnings []string
	keyEnvSet := false

	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return cfg, nil, fmt.Errorf("cannot open %s: %w; fix its permissions or move it away", path, err)
	default:
		data, perm, err := readConfigFile(f)
		if err != nil {
			return cfg, nil, fmt.Errorf("cannot read %s: %w; fix its permissions or move it away", path, err)
		}
		if runtime.GOOS != "windows" && perm&0o077 != 0 {
			warnings = append(warnings, fmt.Sprintf(
				"%s is readable by other users; run chmod 600 %s", filepath.Base(path), path))
		}
		parsed, explicitEnv, err := parseConfig(data, path)
		if err != nil {
			return cfg, warnings, err
		}
		cfg = parsed
		keyEnvSet = explicitEnv
	}

	if v := strings.TrimSpace(os.Getenv(BaseURLEnv)); v != "" {
		if msg := checkBaseURL(v); msg != "" {
			return Config{path: path}, warnings, fmt.Errorf("%s %s; fix or unset it", BaseURLEnv, msg)
		}
		cfg.BaseURL = v
	}
	if keyEnvSet && os.Getenv(cfg.keyEnv()) == "" && cfg.BaseURL == "" {
		warnings = append(warnings, fmt.Sprintf(
			"api_key_env in %s names %s, but it is not set; the LLM engine stays off", path, cfg.keyEnv()))
	}
	return cfg, warnings, nil
}

func readConfigFile(f *os.File) ([]byte, fs.FileMode, error) {
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if st.IsDir() {
		return nil, 0, errors.New("it is a folder, not a file")
	}
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	return data, st.Mode().Perm(), err
}

// Apply lays the command-line flags over the file and the environment. A
// non-empty model replaces the model of every agent; a non-empty baseURL
// replaces base_url.
func (c *Config) Apply(model, baseURL string) {
	if model = strings.TrimSpace(model); model != "" {
		c.Model = model
		c.Models = Models{}
	}
	if baseURL = strings.TrimSpace(baseURL); baseURL != "" {
		c.BaseURL = baseURL
	}
}

// Enabled reports whether the LLM engine can run: an API key is set, or a base
// URL points at a server other than OpenAI (local servers need no key).
func (c Config) Enabled() bool {
	if os.Getenv(c.keyEnv()) != "" {
		return true
	}
	return c.BaseURL != "" && !c.isOpenAI()
}

// ModelFor returns the model the given agent uses.
func (c Config) ModelFor(agent string) string {
	var m string
	switch agent {
	case AgentInterviewer:
		m = c.Models.Interviewer
	case AgentDrafter:
		m = c.Models.Drafter
	case AgentReviewer:
		m = c.Models.Reviewer
	}
	if m == "" {
		m = c.Model
	}
	if m == "" {
		m = DefaultModel
	}
	return m
}

// Host is the server's host (and port), e.g. "api.openai.com" or "localhost:11434".
func (c Config) Host() string {
	if c.BaseURL == "" {
		return openAIHost
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Host == "" {
		return "the server"
	}
	return u.Host
}

// Describe says which model an agent uses and where, for the status bar:
// "gpt-4o-mini via api.openai.com".
func (c Config) Describe(agent string) string {
	return c.ModelFor(agent) + " via " + c.Host()
}

// ContextTokens is the context window the pre-flight check uses.
func (c Config) ContextTokens() int {
	if c.ContextWindow > 0 {
		return c.ContextWindow
	}
	if c.isOpenAI() {
		return defaultOpenAIWindow
	}
	return defaultLocalWindow
}

// Path is the config file this Config was loaded from, or the default path.
func (c Config) Path() string {
	if c.path != "" {
		return c.path
	}
	return DefaultConfigPath()
}

// String describes the config without any secret.
func (c Config) String() string {
	keyState := "not set"
	if os.Getenv(c.keyEnv()) != "" {
		keyState = "set"
	}
	return fmt.Sprintf("llm.Config{base_url=%s model=%s interviewer=%s drafter=%s reviewer=%s api_key_env=%s key=%s context_window=%d}",
		c.safeBaseURL(), c.ModelFor(""), c.ModelFor(AgentInterviewer), c.ModelFor(AgentDrafter),
		c.ModelFor(AgentReviewer), c.keyEnv(), keyState, c.ContextTokens())
}

// GoString is String: %#v must not dump fields either.
func (c Config) GoString() string { return c.String() }

// Format makes every verb (%v, %+v, %#v, %s, %d...) print String, so no
// formatting of a Config can reach a secret.
func (c Config) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue gives slog the same redacted view.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.safeBaseURL()),
		slog.String("model", c.ModelFor("")),
		slog.String("interviewer", c.ModelFor(AgentInterviewer)),
		slog.String("drafter", c.ModelFor(AgentDrafter)),
		slog.String("reviewer", c.ModelFor(AgentReviewer)),
		slog.String("api_key_env", c.keyEnv()),
		slog.Bool("key_set", os.Getenv(c.keyEnv()) != ""),
		slog.Int("context_window", c.ContextTokens()),
	)
}

func (c Config) keyEnv() string {
	if c.APIKeyEnv != "" {
		return c.APIKeyEnv
	}
	return DefaultAPIKeyEnv
}

// DefaultParallel is 4 requests at once for OpenAI, 1 for any other server.
func (c Config) DefaultParallel() int {
	if c.isOpenAI() {
		return 4
	}
	return 1
}

func (c Config) isOpenAI() bool {
	return c.BaseURL == "" || strings.EqualFold(c.Host(), openAIHost)
}

func (c Config) baseURL() string {
	if c.BaseURL == "" {
		return defaultOpenAIBaseURL
	}
	return strings.TrimRight(c.BaseURL, "/")
}

// safeBaseURL hides a password in the URL's user info, should there be one.
func (c Config) safeBaseURL() string {
	u, err := url.Parse(c.baseURL())
	if err != nil {
		return "(invalid)"
	}
	u.RawQuery = ""
	return u.Redacted()
}

// withDefaults fills every zero field.
func (c Config) withDefaults() Config {
	if c.APIKeyEnv == "" {
		c.APIKeyEnv = DefaultAPIKeyEnv
	}
	if c.Model == "" {
		c.Model = DefaultModel
	}
	if c.ContextWindow <= 0 {
		c.ContextWindow = c.ContextTokens()
	}
	if c.Timeouts.Request <= 0 {
		c.Timeouts.Request = defaultRequestTimeout
	}
	if c.Timeouts.Idle <= 0 {
		c.Timeouts.Idle = defaultIdleTimeout
	}
	if c.Timeouts.Connect <= 0 {
		c.Timeouts.Connect = defaultConnectTimeout
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = defaultMaxAttempts
	}
	if c.Parallel <= 0 {
		c.Parallel = c.DefaultParallel()
	}
	if c.Limits.SectionBytes <= 0 {
		c.Limits.SectionBytes = DefaultSectionBytes
	}
	if c.Limits.FactBytes <= 0 {
		c.Limits.FactBytes = DefaultFactBytes
	}
	return c
}
