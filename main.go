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
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"

	"propose/interview"
)

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

// Exit codes: 0 success, 1 when review blockers stop an export (or a run
// fails), 2 on bad usage or input, 3 when the session is open in another
// propose, 4 when a session could not be saved or read (a full disk, no
// permission, a damaged or copied file). README.md has the table.
const (
	exitOK       = 0
	exitBlocked  = 1
	exitUsage    = 2
	exitInUse    = 3
	exitNotSaved = 4
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
	// A closed terminal (SIGHUP) ends propose as SIGTERM does: typed text
	// saved, the terminal restored, the lock given up.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := fang.Execute(ctx, root,
		fang.WithVersion(buildVersion()),
		fang.WithoutManpage(),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) {
			printError(w, err)
		}),
	)
	if err == nil {
		return exitOK
	}
	return exitCode(err)
}

// exitCode is the exit code for a command's error.
func exitCode(err error) int {
	var ee *exitError
	var mismatch *interview.MismatchError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case isCobraUsage(err):
		return exitUsage
	case errors.Is(err, interview.ErrLocked):
		return exitInUse
	case errors.Is(err, interview.ErrNotSaved), errors.Is(err, interview.ErrNotRescued), errors.Is(err, interview.ErrUnreadable), errors.Is(err, interview.ErrDamaged),
		errors.As(err, &mismatch), errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return exitNotSaved
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
		Long: "propose asks one question at a time about the engagement, drafts the proposal\n" +
			"as you answer, reviews it for gaps before it goes out, and exports Markdown and\n" +
			"PDF. It works offline by default; set OPENAI_API_KEY or OPENAI_BASE_URL to use\n" +
			"a model.",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE:          app.runTUI,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&app.dataDir, "data-dir", "", "sessions folder (default: $PROPOSE_DATA_DIR,\nelse $XDG_DATA_HOME/propose/sessions)")
	root.AddCommand(app.newCmd(), app.resumeCmd(), app.runCmd(), app.listCmd(), app.reviewCmd(),
		app.exportCmd(), app.showCmd(), app.templatesCmd(), app.deleteCmd(), app.repairCmd(), app.languageCmd())
	// Only the commands that can use a model take the model's flags.
	app.modelFlags(root)
	for _, c := range root.Commands() {
		switch c.Name() {
		case "new", "resume", "run", "review", "export":
			app.modelFlags(c)
		}
	}
	app.completions(root)
	wrapHelp(root)
	usageArgs(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: fmt.Errorf("%w (see propose --help)", err)}
	})
	return root
}
