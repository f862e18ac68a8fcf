package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
)

// modelFlags gives a command the flags that choose a model.
func (a *app) modelFlags(c *cobra.Command) {
	c.Flags().BoolVar(&a.offline, "offline", false, "the offline engine, even if a model is set up")
	c.Flags().StringVar(&a.model, "model", "", "model for every agent (overrides config)")
	c.Flags().StringVar(&a.baseURL, "base-url", "", "a server speaking the OpenAI API,\ne.g. http://localhost:11434/v1")
}

// helpWidth is the widest a help line may be: it reads in an 80-column
// terminal with room for fang's indent.
const helpWidth = 76

// wrapHelp lays every command's long description out at helpWidth, one
// paragraph per blank-line-separated block, so help is written as prose and
// never wraps twice in a narrow terminal. The completion command cobra adds
// gets a short line that fits too.
func wrapHelp(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Name() == "completion" {
			c.Short = "Print a shell completion script"
		}
		if c.Long != "" {
			var paras []string
			for _, p := range strings.Split(c.Long, "\n\n") {
				paras = append(paras, ansi.Wordwrap(strings.Join(strings.Fields(p), " "), helpWidth, ""))
			}
			c.Long = strings.Join(paras, "\n\n")
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completions completes session ids (with their titles) where a command
// takes one, and template ids for --template.
func (a *app) completions(root *cobra.Command) {
	sessions := func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		list, err := a.sessions()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		out := make([]cobra.Completion, 0, len(list))
		for _, s := range list {
			out = append(out, cobra.CompletionWithDesc(s.ID, clip(s.Title, 50)))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	tmpls := func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, t := range a.templates().List() {
			out = append(out, cobra.CompletionWithDesc(t.ID, t.Name))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	for _, c := range root.Commands() {
		switch c.Name() {
		case "resume", "review", "export", "show", "delete", "repair":
			c.ValidArgsFunction = sessions
		}
		if c.Flags().Lookup("template") != nil {
			_ = c.RegisterFlagCompletionFunc("template", tmpls)
		}
	}
}

// versionString is what --version prints: the release's version when the
// build was given one, else the module version, else "dev" with the commit
// and date the binary was built from, when the build recorded them.
func versionString(set string, bi *debug.BuildInfo) string {
	if set != "" && set != "dev" {
		return set
	}
	if bi == nil {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, when string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev (" + bi.GoVersion + ")"
	}
	var parts []string
	parts = append(parts, "commit "+rev[:min(len(rev), 12)])
	if when != "" {
		parts = append(parts, strings.SplitN(when, "T", 2)[0])
	}
	if modified {
		parts = append(parts, "with local changes")
	}
	return fmt.Sprintf("dev (%s, %s)", strings.Join(parts, ", "), bi.GoVersion)
}

// buildVersion is versionString for this binary.
func buildVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return versionString(version, bi)
}
