package tui

import "strings"

// UTF8Locale reports whether the locale lets the terminal show UTF-8: the
// first of LC_ALL, LC_CTYPE and LANG that is set names a UTF-8 codeset.
// With none set, UTF-8 is assumed, as every current terminal does.
func UTF8Locale(getenv func(string) string) bool {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(k); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return true
}

// asciiSymbols stands in for the interface's own symbols and box drawing
// where the locale is not UTF-8 (LANG=C): the terminal would show them as
// question marks or worse. The user's own text is left as it is.
var asciiSymbols = strings.NewReplacer(
	"…", "...", "·", "-", "›", ">", "▸", ">", "•", "*", "—", "-", "–", "-",
	"│", "|", "─", "-", "╭", "+", "╮", "+", "╰", "+", "╯", "+", "┌", "+", "┐", "+", "└", "+", "┘", "+",
	"├", "+", "┤", "+", "┬", "+", "┴", "+", "┼", "+", "━", "=", "┃", "|",
	"▌", "|", "▎", "|", "█", "#", "░", ".", "▒", ":",
	"⚠", "!", "✎", "*", "✗", "x", "✓", "v", "○", "o", "◐", "O", "●", "@",
	"↑", "^", "↓", "v", "←", "<", "→", ">", "“", "\"", "”", "\"", "‘", "'", "’", "'",
)
