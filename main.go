// Command propose interviews a consultant into a finished client proposal.
//
// Plain `propose` opens the interview in the terminal; subcommands run a
// headless interview from an answers file, list, review, show and export
// sessions. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

// Exit codes: 0 success, 1 when review blockers stop an export (or a run
// fails), 2 on bad usage or input.
const (
	exitOK      = 0
	exitBlocked = 1
	exitUsage   = 2
)

// exitError carries an exit code with the one-line message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks bad input: exit code 2.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := fang.Execute(ctx, root,
		fang.WithVersion(version),
		fang.WithoutManpage(),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) {
			printError(w, err)
		}),
	)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if isCobraUsage(err) {
		return exitUsage
	}
	return exitBlocked
}

// printError writes the one-line error.
func printError(w io.Writer, err error) {
	prefix := "propose: "
	if f, ok := w.(*os.File); ok && isTerminal(f) && os.Getenv("NO_COLOR") == "" {
		prefix = lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true).Render("propose:") + " "
	}
	fmt.Fprintln(w, prefix+err.Error())
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// isCobraUsage recognises the one usage error cobra makes outside flag
// parsing and argument checks (both wrapped as exitError): a command that
// does not exist.
func isCobraUsage(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command")
}

// usageArgs makes a command's argument check fail as bad usage (exit 2).
func usageArgs(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		usageArgs(c)
	}
	if check := cmd.Args; check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
			}
			return nil
		}
	}
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	app := &app{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "propose",
		Short: "Interview yourself into a client proposal worth sending",
		Long: "propose asks one question at a time about the engagement, drafts the proposal as you\n" +
			"answer, reviews it for gaps before it goes out, and exports Markdown and PDF.\n" +
			"It works offline by default; set OPENAI_API_KEY or OPENAI_BASE_URL to use a model.",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE:          app.runTUI,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&app.dataDir, "data-dir", "", "folder for sessions (default $PROPOSE_DATA_DIR or $XDG_DATA_HOME/propose/sessions)")
	root.PersistentFlags().BoolVar(&app.offline, "offline", false, "use the built-in offline engine even when a model is configured")
	root.PersistentFlags().StringVar(&app.model, "model", "", "model for every agent (overrides the config file)")
	root.PersistentFlags().StringVar(&app.baseURL, "base-url", "", "server speaking the OpenAI API, e.g. http://localhost:11434/v1")
	root.AddCommand(app.newCmd(), app.resumeCmd(), app.runCmd(), app.listCmd(), app.reviewCmd(),
		app.exportCmd(), app.showCmd(), app.templatesCmd(), app.deleteCmd(), app.languageCmd())
	usageArgs(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w (see propose --help)", err)}
	})
	return root
}
