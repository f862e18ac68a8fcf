package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"propose/templates"
)

// languageFile is where the user's default proposal language is remembered:
// one BCP 47 tag in $XDG_CONFIG_HOME/propose/language. It sits beside
// config.yaml rather than in it because the config file is the model
// client's and refuses keys it does not know.
func languageFile() string {
	dir := templates.UserDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(dir), "language")
}

// defaultLanguage is the remembered default language, or "" (English).
func defaultLanguage() string {
	f := languageFile()
	if f == "" {
		return ""
	}
	data, err := os.ReadFile(f)
	if err != nil || len(data) > 64 {
		return ""
	}
	return strings.TrimSpace(string(data))
}

// saveDefaultLanguage remembers tag as the default for new proposals.
func saveDefaultLanguage(tag string) error {
	f := languageFile()
	if f == "" {
		return errors.New("cannot tell where the config folder is: set XDG_CONFIG_HOME or HOME")
	}
	if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
		return fmt.Errorf("cannot create the config folder: %w", err)
	}
	return os.WriteFile(f, []byte(tag+"\n"), 0o600)
}

// languageChoice is a language asked for, and where it was asked for
// ("--language", "answers.yaml: language:"), for the message when it is
// not one there is.
type languageChoice struct{ tag, from string }

// chooseLanguage picks a new proposal's language: the first of the given
// choices that is set (the flag, then the answers file's), else the
// remembered default, else English. It checks the tag against the catalogs.
func chooseLanguage(set *templates.Set, choices ...languageChoice) (string, error) {
	for _, c := range choices {
		if t := strings.TrimSpace(c.tag); t != "" {
			tag, err := set.Languages().ParseLanguage(t)
			if err != nil {
				return "", usageError("%s: %v", c.from, err)
			}
			return tag, nil
		}
	}
	if d := defaultLanguage(); d != "" {
		if tag, err := set.Languages().ParseLanguage(d); err == nil {
			return tag, nil
		}
		// A default whose catalog was removed: English, not a refusal.
	}
	return templates.DefaultLanguage, nil
}

// defaultLanguageFor is the remembered default as a tag the catalogs know,
// else English.
func (a *app) defaultLanguageFor(set *templates.Set) string {
	tag, err := chooseLanguage(set)
	if err != nil {
		return templates.DefaultLanguage
	}
	return tag
}

// languageCmd shows or changes a proposal's language, or lists languages.
func (a *app) languageCmd() *cobra.Command {
	var setDefault bool
	c := &cobra.Command{
		Use:   "language [ID [TAG]]",
		Short: "List languages, or change a proposal's",
		Long: "language lists the languages propose writes proposals in. With a session id it shows that\n" +
			"proposal's language; with an id and a BCP 47 tag (es, de, fr, pt, it, nl, en, or one you\n" +
			"added) it rewrites the proposal in that language: headings, drafted text, dates, labels.\n" +
			"--default TAG makes TAG the language of new proposals.",
		Example: "  propose language\n  propose language 3f2a9c1b es\n  propose language --default de",
		Args:    cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			set := a.templates()
			langs := set.Languages()
			if setDefault {
				if len(args) != 1 {
					return usageError("--default takes one language tag, such as es")
				}
				tag, err := langs.ParseLanguage(args[0])
				if err != nil {
					return usageError("%v", err)
				}
				if err := saveDefaultLanguage(tag); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "New proposals are written in %s (%s).\n", nameOf(langs, tag), tag)
				return nil
			}
			if len(args) == 0 {
				def := defaultLanguage()
				for _, cat := range langs.List() {
					mark := " "
					if cat.Tag.String() == def || (def == "" && cat.IsEnglish()) {
						mark = "*"
					}
					src := ""
					if cat.Source != templates.SourceBuiltIn {
						src = "  " + cat.Source
					}
					fmt.Fprintf(a.stdout, "%s %-6s %s%s\n", mark, cat.Tag, cat.Name, src)
				}
				fmt.Fprintf(a.stdout, "\n* the default for new proposals. Add a language: copy a catalog into %s.\n", templates.LanguagesDir())
				return nil
			}
			eng, info, err := a.openSession(cmd.Context(), args[0], false)
			if err != nil {
				return err
			}
			defer eng.Close()
			a.notice(info)
			if len(args) == 1 {
				tag := eng.Language()
				fmt.Fprintf(a.stdout, "%s (%s)\n", nameOf(langs, tag), tag)
				return nil
			}
			tag, err := langs.ParseLanguage(args[1])
			if err != nil {
				return usageError("%v", err)
			}
			if err := eng.SetLanguage(tag); err != nil {
				return err
			}
			if untranslated := eng.Template().Untranslated(); len(untranslated) > 0 {
				fmt.Fprintf(a.stdout, "%d texts stay in English (no translation): see propose review %s.\n", len(untranslated), eng.Info().ID)
			}
			fmt.Fprintf(a.stdout, "%s is now in %s (%s).\n", eng.Info().Title, nameOf(langs, tag), tag)
			return nil
		},
	}
	c.Flags().BoolVar(&setDefault, "default", false, "make the language the default for new proposals")
	return c
}

func nameOf(langs *templates.Languages, tag string) string {
	c, _ := langs.Match(tag)
	return c.Name
}
