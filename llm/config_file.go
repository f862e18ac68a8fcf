package llm

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

var (
	topKeys      = []string{"base_url", "api_key_env", "model", "models", "context_window", "timeouts", "parallel", "limits", "branding", "fonts"}
	brandingKeys = []string{"firm", "logo", "accent", "contact"}
	limitKeys    = []string{"section_bytes", "fact_bytes"}
	modelKeys    = []string{"interviewer", "drafter", "reviewer"}
	timeoutKeys  = []string{"request", "idle", "connect"}
	secretKeys   = map[string]bool{"api_key": true, "apikey": true, "api-key": true, "openai_api_key": true, "key": true, "token": true}
	envNameRE    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	yamlLineRE   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	maxEnvLength = 64
)

// parseConfig walks the YAML tree itself, rather than decoding into a struct,
// so that every complaint names the file and line and never echoes a value.
func parseConfig(data []byte, path string) (Config, bool, error) {
	cfg := Config{path: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			return cfg, false, fmt.Errorf("%s:%s: %s; fix the YAML syntax", path, m[1], m[2])
		}
		return cfg, false, fmt.Errorf("%s: %s; fix the YAML syntax", path, msg)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, false, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return cfg, false, nil // only comments
	}
	p := &parser{path: path}
	keyEnvSet := false
	p.mapping(root, "the config file", topKeys, func(key string, v *yaml.Node) {
		switch key {
		case "base_url":
			if s, ok := p.str(v, key); ok {
				if msg := checkBaseURL(s); msg != "" {
					p.fail(v, "base_url %s", msg)
				}
				cfg.BaseURL = s
			}
		case "api_key_env":
			if s, ok := p.str(v, key); ok {
				switch {
				case strings.HasPrefix(s, "sk-") || len(s) > maxEnvLength:
					p.fail(v, "api_key_env looks like a key; it must be the NAME of the environment variable that holds the key, like OPENAI_API_KEY")
				case !envNameRE.MatchString(s):
					p.fail(v, "api_key_env must be an environment variable name, like OPENAI_API_KEY")
				default:
					cfg.APIKeyEnv = s
					keyEnvSet = true
				}
			}
		case "model":
			if s, ok := p.str(v, key); ok {
				cfg.Model = s
			}
		case "models":
			p.mapping(v, "models", modelKeys, func(agent string, mv *yaml.Node) {
				s, ok := p.str(mv, "models."+agent)
				if !ok {
					return
				}
				switch agent {
				case AgentInterviewer:
					cfg.Models.Interviewer = s
				case AgentDrafter:
					cfg.Models.Drafter = s
				case AgentReviewer:
					cfg.Models.Reviewer = s
				}
			})
		case "context_window":
			n, err := strconv.Atoi(strings.ReplaceAll(v.Value, "_", ""))
			if v.Kind != yaml.ScalarNode || err != nil || n < 512 || n > 100_000_000 {
				p.fail(v, "context_window must be a whole number of tokens, like 8192")
				return
			}
			cfg.ContextWindow = n
		case "parallel":
			n, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || n < 1 || n > 64 {
				p.fail(v, "parallel must be a whole number of requests from 1 to 64, like 1 for a local server")
				return
			}
			cfg.Parallel = n
		case "limits":
			p.mapping(v, "limits", limitKeys, func(name string, lv *yaml.Node) {
				n, err := strconv.Atoi(strings.ReplaceAll(lv.Value, "_", ""))
				if lv.Kind != yaml.ScalarNode || err != nil || n < 1024 || n > 16<<20 {
					p.fail(lv, "limits.%s must be a number of bytes from 1024 to 16777216, like 65536", name)
					return
				}
				switch name {
				case "section_bytes":
					cfg.Limits.SectionBytes = n
				case "fact_bytes":
					cfg.Limits.FactBytes = n
				}
			})
		case "branding":
			p.mapping(v, "branding", brandingKeys, func(name string, bv *yaml.Node) {
				s, ok := p.str(bv, "branding."+name)
				if !ok {
					return
				}
				switch name {
				case "firm":
					cfg.Document.Firm = s
				case "logo":
					cfg.Document.Logo = expandHome(s)
				case "accent":
					if !accentRE.MatchString(s) {
						p.fail(bv, "branding.accent must be a colour like \"#1f4e79\"")
						return
					}
					cfg.Document.Accent = s
				case "contact":
					cfg.Document.Contact = s
				}
			})
		case "fonts":
			if v.Kind != yaml.SequenceNode {
				p.fail(v, "fonts must be a list of TrueType font files (.ttf or .ttc), one per line starting with \"- \"")
				return
			}
			for _, fv := range v.Content {
				if s, ok := p.str(fv, "fonts"); ok {
					cfg.Document.Fonts = append(cfg.Document.Fonts, expandHome(s))
				}
			}
		case "timeouts":
			p.mapping(v, "timeouts", timeoutKeys, func(name string, tv *yaml.Node) {
				d, ok := p.duration(tv, "timeouts."+name)
				if !ok {
					return
				}
				switch name {
				case "request":
					cfg.Timeouts.Request = d
				case "idle":
					cfg.Timeouts.Idle = d
				case "connect":
					cfg.Timeouts.Connect = d
				}
			})
		}
	})
	if len(p.errs) > 0 {
		return Config{path: path}, false, errors.Join(p.errs...)
	}
	return cfg, keyEnvSet, nil
}

// accentRE is a colour as the PDF takes it.
var accentRE = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// expandHome turns a leading "~/" into the home folder.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

type parser struct {
	path string
	errs []error
}

func (p *parser) fail(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s:%d: %s", p.path, n.Line, fmt.Sprintf(format, args...)))
}

// mapping checks that n is a mapping whose keys are all allowed, then calls
// each with its value node.
func (p *parser) mapping(n *yaml.Node, what string, allowed []string, each func(key string, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.fail(n, "%s must be a list of `key: value` lines", what)
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		switch {
		case secretKeys[strings.ToLower(key)]:
			p.fail(k, "%s does not belong in the config file; put the key in an environment variable and set api_key_env to that variable's name (default %s), then remove this line", key, DefaultAPIKeyEnv)
			continue
		case !contains(allowed, key):
			p.fail(k, "unknown key %s in %s; the keys are %s", quoteKey(key), what, strings.Join(allowed, ", "))
			continue
		}
		if line, dup := seen[key]; dup {
			p.fail(k, "%s is set twice (first on line %d); keep one", key, line)
			continue
		}
		seen[key] = k.Line
		each(key, v)
	}
}

func (p *parser) str(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || strings.TrimSpace(n.Value) == "" {
		p.fail(n, "%s must be a non-empty text value", key)
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// duration accepts Go durations ("30s", "2m") or a plain number of seconds.
func (p *parser) duration(n *yaml.Node, key string) (time.Duration, bool) {
	if n.Kind == yaml.ScalarNode {
		if secs, err := strconv.ParseFloat(n.Value, 64); err == nil && secs > 0 && secs < 86400 {
			return time.Duration(secs * float64(time.Second)), true
		}
		if d, err := time.ParseDuration(n.Value); err == nil && d > 0 && d < 24*time.Hour {
			return d, true
		}
	}
	p.fail(n, "%s must be a duration like 30s or 2m", key)
	return 0, false
}

// checkBaseURL returns what is wrong with a base URL, or "".
func checkBaseURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be a URL like http://localhost:11434/v1"
	}
	return ""
}

// quoteKey names an unknown key without echoing anything that might be a secret
// pasted in the wrong place.
func quoteKey(k string) string {
	if strings.HasPrefix(k, "sk-") || len(k) > 40 {
		return "(a long key that looks like a secret)"
	}
	return strconv.Quote(k)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
