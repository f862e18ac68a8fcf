package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"propose/interview"
	"propose/proposal"
	"propose/templates"
	"propose/tui"
)

func (a *app) newCmd() *cobra.Command {
	var tmpl, lang string
	c := &cobra.Command{
		Use:   "new",
		Short: "Start a new proposal",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.needTerminal(); err != nil {
				return err
			}
			a.interactive = true
			set := a.templates()
			t, err := a.template(set, tmpl)
			if err != nil {
				return err
			}
			tag, err := chooseLanguage(set, languageChoice{lang, "--language"})
			if err != nil {
				return err
			}
			eng, err := a.newSession(cmd.Context(), t.In(tag), true)
			if err != nil {
				return err
			}
			return a.tui(cmd.Context(), tui.StartTemplates, eng, "")
		},
	}
	c.Flags().StringVarP(&tmpl, "template", "t", templates.DefaultID, "template id (see propose templates)")
	c.Flags().StringVarP(&lang, "language", "l", "", "the proposal's language, a BCP 47 tag: en, es,\nde, fr, pt, it, nl (default: yours; see\npropose language)")
	return c
}

func (a *app) resumeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "resume [ID]",
		Short: "Resume a session where it stopped",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.needTerminal(); err != nil {
				return err
			}
			a.interactive = true
			id := ""
			if len(args) == 1 {
				id = args[0]
			} else {
				list, err := a.sessions()
				if err != nil {
					return err
				}
				for _, s := range list {
					if !s.Damaged {
						id = s.ID
						break
					}
				}
				if id == "" {
					return usageError("no session to resume: run propose new to start one")
				}
			}
			eng, info, err := a.openSession(cmd.Context(), id, true)
			if err != nil {
				return err
			}
			return a.tui(cmd.Context(), tui.StartSessions, eng, info.Notice())
		},
	}
}

func (a *app) runCmd() *cobra.Command {
	var tmplID, answersPath, out, pageSize, lang string
	var force, showAssumptions bool
	c := &cobra.Command{
		Use:   "run --answers FILE",
		Short: "Interview from an answers file, headless",
		Long: "run reads an answers file (YAML: template: and answers: mapping field ids to text or lists),\n" +
			"drafts and reviews the proposal, prints the findings and saves the session. With --out it\n" +
			"writes the export (format from the extension: .md or .pdf) unless review blockers remain;\n" +
			"--force writes it anyway and overwrites an existing file.",
		Example: "  propose run --answers examples/acme-operations.yaml --out acme.md",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if answersPath == "" {
				return usageError("--answers FILE is required (see examples/ for one)")
			}
			answers, err := interview.LoadAnswers(answersPath)
			if err != nil {
				return usageError("%v", err)
			}
			id := tmplID
			if id == "" {
				id = answers.Template
			}
			if tmplID != "" && answers.Template != "" && tmplID != answers.Template {
				return usageError("--template %s does not match the answers file's template: %s", tmplID, answers.Template)
			}
			set := a.templates()
			t, err := a.template(set, id)
			if err != nil {
				return err
			}
			tag, err := chooseLanguage(set, languageChoice{lang, "--language"},
				languageChoice{answers.Language, answersPath + ": language:"})
			if err != nil {
				return err
			}
			t = t.In(tag)
			if err := answers.Check(t); err != nil {
				return usageError("%s: %v", answersPath, err)
			}
			var format proposal.Format
			if out != "" {
				f, ok := proposal.FormatFor(out)
				if isFolder(out) {
					f, ok = proposal.Formats[0], true
				}
				if !ok {
					return usageError("--out %s: cannot tell the format from the extension; use .md or .pdf", out)
				}
				format = f
			}
			st, err := a.writableStore()
			if err != nil {
				return err
			}
			s := interview.NewSession(t, time.Now())
			lock, err := st.Lock(s.ID)
			if err != nil {
				return err
			}
			cfg, err := a.engineConfig(cmd.Context())
			if err != nil {
				lock.Release()
				return err
			}
			cfg.Store, cfg.Lock = st, lock
			e := interview.Open(t, s, cfg)
			defer func() { err = closed(err, e.Close()) }()
			ctx, signalled, stop := runSignals(cmd.Context())
			defer stop()
			if err := e.RecordAnswers(answers); err != nil {
				return usageError("%v", err)
			}
			if err := e.Settle(ctx); err != nil {
				if code := signalled(); code != 0 {
					return a.interrupted(e, code)
				}
				return err
			}
			// The model reviewer is advisory: when it fails the rule
			// findings stand alone, and only their blockers set the exit code.
			findings, rerr := e.Review(ctx)
			if code := signalled(); code != 0 {
				return a.interrupted(e, code)
			}
			if rerr != nil {
				fmt.Fprintln(a.stderr, "propose: warning: "+oneLineMsg(rerr))
			}
			a.warnFallbacks(e)
			printFindings(a.stdout, findings)
			fmt.Fprintf(a.stdout, "Saved session %s (%s).\n", e.Info().ID, e.Info().Title)
			if out == "" {
				if proposal.Blockers(findings) > 0 {
					return &exitError{code: exitBlocked, err: fmt.Errorf("%d review blockers remain", proposal.Blockers(findings))}
				}
				return nil
			}
			path, err := e.Export(interview.ExportRequest{Format: format, Path: out, Force: force, IgnoreBlockers: force,
				ShowAssumptions: showAssumptions, Options: proposal.RenderOptions{PageSize: pageSize, Warn: a.warn}})
			return a.exported(path, err)
		},
	}
	c.Flags().StringVarP(&tmplID, "template", "t", "", "template id (default: the answers file's,\nelse consulting)")
	c.Flags().StringVarP(&answersPath, "answers", "a", "", "answers file (YAML)")
	c.Flags().StringVarP(&lang, "language", "l", "", "the proposal's language, a BCP 47 tag\n(default: the answers file's, else yours)")
	c.Flags().StringVarP(&out, "out", "o", "", "write the export here: a file (.md or .pdf) or a folder")
	c.Flags().BoolVarP(&force, "force", "f", false, "export despite review blockers, and\noverwrite an existing file")
	c.Flags().StringVar(&pageSize, "page-size", "A4", "page size of a PDF: A4 or Letter")
	c.Flags().BoolVar(&showAssumptions, "show-assumptions", false, "keep the \"(assumption)\" marks in the\nexport, for an internal draft")
	return c
}

// warn tells the user of something an export could not do as asked (a
// character no font has, a logo it cannot read), one line on stderr.
func (a *app) warn(msg string) { fmt.Fprintln(a.stderr, "propose: warning: "+msg) }

// warnFallbacks says which sections the document carries in the standard
// wording because the model's prose could not be used, and why.
func (a *app) warnFallbacks(e *interview.Engine) {
	for _, f := range e.Fallbacks() {
		fmt.Fprintf(a.stderr, "propose: warning: the %s section uses the standard wording: %s.\n", f.Title, f.Reason)
	}
}

// oneLineMsg is an error's message on one line.
func oneLineMsg(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// isFolder reports whether an --out names a folder rather than a file.
func isFolder(out string) bool {
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(os.PathSeparator)) {
		return true
	}
	st, err := os.Stat(out)
	return err == nil && st.IsDir()
}

// exported reports an export's outcome.
func (a *app) exported(path string, err error) error {
	if errors.Is(err, interview.ErrBlocked) {
		return &exitError{code: exitBlocked, err: fmt.Errorf("%w (fix them, or export anyway with --force)", err)}
	}
	if errors.Is(err, proposal.ErrExists) {
		return usageError("%v; use --force to overwrite it or choose another path", err)
	}
	if errors.Is(err, proposal.ErrIsFolder) {
		return usageError("%v (or leave --out as the folder)", err)
	}
	if errors.Is(err, proposal.ErrSymlink) || errors.Is(err, proposal.ErrNotRegular) {
		return usageError("%v", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Wrote %s\n", path)
	return nil
}

// printFindings writes one finding a line: severity, rule, section, message.
func printFindings(w io.Writer, fs []proposal.Finding) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "No findings: the proposal is ready to send.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range fs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Severity, f.Rule, f.Section, proposal.Sanitize(f.Message))
	}
	tw.Flush()
	b := proposal.Blockers(fs)
	fmt.Fprintf(w, "%d %s, %d %s.\n", b, pluralS(b, "blocker"), len(fs)-b, pluralS(len(fs)-b, "other finding"))
}

func pluralS(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func (a *app) listCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List sessions, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := a.sessions()
			if err != nil {
				return err
			}
			set := a.templates()
			type row struct {
				interview.Summary
				Total    int    `json:"total"`
				Progress string `json:"progress"`
			}
			rows := make([]row, 0, len(list))
			for _, s := range list {
				r := row{Summary: s}
				if t, ok := set.Get(s.Template); ok {
					for _, sec := range t.Sections {
						r.Total += len(sec.Fields)
					}
				}
				if r.Total > 0 && !s.Damaged {
					r.Progress = fmt.Sprintf("%d/%d", s.Answered, r.Total)
				}
				rows = append(rows, r)
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			if st, err := a.store(); err == nil {
				for _, p := range st.Rescued() {
					fmt.Fprintf(a.stderr, "propose: newer work of a session is in %s (an emergency save); it goes back into the session folder the next time you open propose\n", p)
				}
			}
			if len(rows) == 0 {
				fmt.Fprintln(a.stdout, "No sessions yet: run propose to start one.")
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tCLIENT\tTEMPLATE\tANSWERED\tUPDATED")
			for _, r := range rows {
				updated := ""
				if !r.Updated.IsZero() {
					updated = r.Updated.Local().Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, clip(r.Title, 40), clip(r.Client, 24), r.Template, r.Progress, updated)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			// Sessions that do not open as they are, and why.
			for _, r := range rows {
				switch {
				case r.Damaged:
					fmt.Fprintf(a.stdout, "%s damaged: %s\n", r.ID, r.Problem)
				case r.Recovered:
					fmt.Fprintf(a.stdout, "%s recovered: %s\n", r.ID, r.Problem)
				}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: an array of sessions")
	return c
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (a *app) reviewCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "review ID",
		Short: "Review a session (exit 1 on blockers)",
		Long: "review reads the session as last saved and prints the findings; it changes nothing on disk,\n" +
			"so it also works on a session open in another propose.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, info, err := a.peekSession(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer e.Close()
			a.notice(info)
			if err := e.Start(cmd.Context()); err != nil {
				return err
			}
			findings, err := e.Review(cmd.Context())
			if err != nil {
				fmt.Fprintln(a.stderr, "propose: warning: "+err.Error())
			}
			printFindings(a.stdout, findings)
			orphans(a.stdout, e.Template(), e.Facts())
			if b := proposal.Blockers(findings); b > 0 {
				return &exitError{code: exitBlocked, err: fmt.Errorf("%d review %s", b, pluralS(b, "blocker"))}
			}
			return nil
		},
	}
}

// closed adds the outcome of closing a session (its last save) to a
// command's error: a save that failed is never dropped.
func closed(err, cerr error) error {
	switch {
	case cerr == nil:
		return err
	case err == nil:
		return cerr
	case errors.Is(err, interview.ErrNotSaved):
		return cerr // the same failed save, now with where it was rescued to
	}
	return errors.Join(err, cerr)
}

func (a *app) notice(info interview.LoadInfo) {
	if n := info.Notice(); n != "" {
		fmt.Fprintln(a.stderr, "propose: "+n)
	}
}

func (a *app) exportCmd() *cobra.Command {
	var format, out, pageSize string
	var force, showAssumptions bool
	c := &cobra.Command{
		Use:     "export ID",
		Short:   "Export a session to Markdown or PDF",
		Example: "  propose export 3fa2 --format pdf --out ~/Proposals/",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, ok := proposal.FormatFor(format)
			if !ok {
				return usageError("unknown format %q: use md or pdf", format)
			}
			if !cmd.Flags().Changed("format") && out != "" && !isFolder(out) {
				if ff, ok := proposal.FormatFor(out); ok {
					f = ff
				}
			}
			e, info, err := a.peekSession(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer e.Close()
			a.notice(info)
			if err := e.Start(cmd.Context()); err != nil {
				return err
			}
			e.Wait()
			a.warnFallbacks(e)
			path, err := e.Export(interview.ExportRequest{Format: f, Path: out, Force: force, IgnoreBlockers: force,
				ShowAssumptions: showAssumptions, Options: proposal.RenderOptions{PageSize: pageSize, Warn: a.warn}})
			return a.exported(path, err)
		},
	}
	c.Flags().StringVar(&format, "format", "md", "md or pdf")
	c.Flags().StringVarP(&out, "out", "o", "", "a file or a folder (default: a name from\nthe title, here)")
	c.Flags().BoolVarP(&force, "force", "f", false, "export despite review blockers, and\noverwrite an existing file")
	c.Flags().StringVar(&pageSize, "page-size", "A4", "page size of a PDF: A4 or Letter")
	c.Flags().BoolVar(&showAssumptions, "show-assumptions", false, "keep the \"(assumption)\" marks in the\nexport, for an internal draft")
	return c
}

func (a *app) showCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Print a session's proposal as Markdown",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.store()
			if err != nil {
				return err
			}
			id, err := st.Find(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			s, info, err := st.Peek(id)
			if err != nil {
				return err
			}
			info.InUse = st.InUse(id)
			t, note, err := a.sessionTemplate(s)
			if err != nil {
				return err
			}
			info.TemplateNote = note
			a.notice(info)
			// Read-only: no lock, no save; the draft is shown as last saved.
			e := interview.Open(t, s, interview.Config{ReadOnly: true, EngineName: s.Engine})
			orphans(a.stderr, t, s.Facts)
			_, err = io.WriteString(a.stdout, e.Markdown())
			return err
		},
	}
}

func (a *app) templatesCmd() *cobra.Command {
	var doc bool
	c := &cobra.Command{
		Use:   "templates",
		Short: "List the templates (--doc: write your own)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if doc {
				_, err := io.WriteString(a.stdout, templates.Guide)
				return err
			}
			set := a.templates()
			for _, err := range set.CheckTranslations() {
				fmt.Fprintln(a.stderr, "propose: warning: "+err.Error())
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tQUESTIONS\tLANGUAGES\tSOURCE")
			for _, t := range set.List() {
				n := 0
				for _, s := range t.Sections {
					n += len(s.Fields)
				}
				langs := append([]string{templates.DefaultLanguage}, t.Translations()...)
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", t.ID, t.Name, n, strings.Join(langs, " "), t.Source)
			}
			tw.Flush()
			fmt.Fprintf(a.stdout, "\nYour own templates go in %s; propose templates --doc says how to write one.\n", templates.UserDir())
			return nil
		},
	}
	c.Flags().BoolVar(&doc, "doc", false, "print the guide to writing your own templates")
	return c
}

func (a *app) deleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a session and every file of it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.writableStore()
			if err != nil {
				return err
			}
			id, err := st.Find(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			if err := st.Delete(id); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Deleted session %s.\n", id)
			return nil
		},
	}
}

func (a *app) repairCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "repair ID|FILE",
		Short: "Give a copied session file its own id",
		Long: "A session file copied or renamed under another name (cp a.json b.json, a sync tool's\n" +
			"\"conflicted copy\") holds another session's id, so propose will not open it. repair gives\n" +
			"it a new id of its own and saves it in the session folder; the copy is kept aside as\n" +
			"<name>.json.repaired-<time>. Given a session file from elsewhere, it imports it.",
		Example: "  propose repair b\n  propose repair ~/Downloads/3fa2c1d0.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.writableStore()
			if err != nil {
				return err
			}
			id, err := st.Repair(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s is now session %s: propose resume %s\n", args[0], id, id)
			return nil
		},
	}
}
