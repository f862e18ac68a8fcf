package main

import (
	"fmt"
	"strings"
	"sync"

	"propose/interview"
	"propose/llm"
	"propose/proposal"
	"propose/proposal/pdf"
)

// modelSetup is the model configuration, read once per run: the config file,
// then OPENAI_BASE_URL, then the --model and --base-url flags.
type modelSetup struct {
	once     sync.Once
	cfg      llm.Config
	err      error
	warnings []string

	mu   sync.Mutex
	told bool // the warnings were shown
}

// load reads the configuration the first time it is asked for.
func (m *modelSetup) load(model, baseURL string) (llm.Config, []string, error) {
	m.once.Do(func() {
		cfg, warnings, err := llm.LoadConfig(llm.DefaultConfigPath())
		if err != nil {
			m.err = err
			return
		}
		cfg.Apply(model, baseURL)
		if !cfg.Enabled() && (strings.TrimSpace(model) != "" || strings.TrimSpace(baseURL) != "") {
			warnings = append(warnings, fmt.Sprintf(
				"--model needs a model server: set %s, or a base URL (--base-url or %s) for a local server; running offline",
				orDefault(cfg.APIKeyEnv, llm.DefaultAPIKeyEnv), llm.BaseURLEnv))
		}
		m.cfg, m.warnings = cfg, warnings
	})
	return m.cfg, m.warnings, m.err
}

// untold returns the warnings the first time it is called, then nothing.
func (m *modelSetup) untold() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.told {
		return nil
	}
	m.told = true
	return m.warnings
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// documentSettings are the exports' branding and fonts from the config
// file, whatever the engine. A config file that does not load brands
// nothing here: the model's setup reports why.
func (a *app) documentSettings() proposal.RenderOptions {
	cfg, _, err := a.models.load(a.model, a.baseURL)
	if err != nil {
		return proposal.RenderOptions{}
	}
	d := cfg.Document
	var out proposal.RenderOptions
	if d.Firm != "" || d.Logo != "" || d.Accent != "" || d.Contact != "" {
		out.Branding = &pdf.Branding{Firm: d.Firm, Logo: d.Logo, Accent: d.Accent, Contact: d.Contact}
	}
	out.Fonts = d.Fonts
	return out
}

// llmEngineConfig picks the engine: --offline forces the offline one; with
// neither an API key nor a base URL it runs offline too; otherwise the LLM
// engine, with a client of its own (its token counts are this session's).
// Warnings about the configuration are shown once: as a notice in the
// interface, or on stderr in a headless run.
func (a *app) llmEngineConfig() (interview.Config, error) {
	offline := interview.Config{EngineName: "offline", Render: a.documentSettings()}
	if a.offline {
		return offline, nil
	}
	cfg, _, err := a.models.load(a.model, a.baseURL)
	if err != nil {
		return offline, usageError("%v (or run with --offline)", err)
	}
	var out interview.Config
	if !cfg.Enabled() {
		out = offline
	} else {
		retries := &interview.RetryReporter{}
		client, err := llm.New(cfg, llm.WithOnRetry(retries.Report), llm.WithLogger(a.log()))
		if err != nil {
			return offline, usageError("%v", err)
		}
		out = interview.LLMConfig(client, retries)
		out.Render = offline.Render
	}
	attach := out.Attach
	out.Attach = func(e *interview.Engine) {
		if attach != nil {
			attach(e)
		}
		for _, w := range a.models.untold() {
			if e.Events() != nil {
				e.Post(interview.NoticeEvent{Text: w})
			} else {
				fmt.Fprintln(a.stderr, "propose: warning: "+w)
			}
		}
	}
	return out, nil
}
