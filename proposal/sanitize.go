package proposal

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes text from a user's paste or a model's reply safe to show in a
// terminal and to write to an export: it removes terminal escape sequences
// (CSI, OSC, DCS, APC, PM, SOS, in their 7-bit and 8-bit forms), other control
// characters and bidirectional overrides, and turns CR LF into LF. Every
// printable character is kept: accents, CJK and emoji included. A string
// sequence (OSC, DCS...) left unterminated ends at the end of its line, so a
// stray ESC ] never swallows the rest of an answer. Invalid UTF-8 bytes become
// U+FFFD.
func Sanitize(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			i++
		case r == 0x1b: // ESC
			i, _ = skipEscape(s, i+1)
		case r == 0x9b: // 8-bit CSI
			i, _ = skipCSI(s, i+size)
		case isStringIntroducer(r): // 8-bit OSC, DCS, APC, PM, SOS
			i, _ = skipString(s, i+size)
		case r == '\r':
			b.WriteByte('\n')
			i += size
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case r == '\n' || r == '\t':
			b.WriteRune(r)
			i += size
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0), isBidiControl(r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// isPlain reports whether s needs no change, so the common case allocates
// nothing.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 {
			return false
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

func isStringIntroducer(r rune) bool {
	return r == 0x9d || r == 0x90 || r == 0x9f || r == 0x9e || r == 0x98
}

// The skip functions below return the index after a sequence and whether
// the sequence was finished there; an unfinished one runs to the end of s,
// where the next piece of a stream may finish it.

// skipEscape skips the sequence introduced by an ESC at s[i-1].
func skipEscape(s string, i int) (int, bool) {
	if i >= len(s) {
		return i, false
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', '_', '^', 'X':
		return skipString(s, i+1)
	}
	// Two-byte sequences and nF sequences: intermediates 0x20-0x2f, then a
	// final byte 0x30-0x7e. A control character ends it without being eaten.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i >= len(s) {
		return i, false
	}
	if s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i, true
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, i int) (int, bool) {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f: // parameters and intermediates
			i++
		case c >= 0x40 && c <= 0x7e: // final byte
			return i + 1, true
		default: // anything else ends a malformed sequence without being eaten
			return i, true
		}
	}
	return i, false
}

// skipString skips a control string up to its terminator (BEL, ESC \ or the
// 8-bit ST), or up to the end of the line when it has none.
func skipString(s string, i int) (int, bool) {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1, true
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2, true
		case s[i] == 0x1b:
			// A new sequence starts: the string was unterminated. At the
			// very end it may yet be the ESC of an ESC \.
			return i, i+1 < len(s)
		case s[i] == '\n':
			return i, true
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + 2, true
		}
		i++
	}
	return i, false
}

// StreamSanitizer sanitizes text that arrives in pieces, such as a model's
// streamed reply. A sequence cut in two by the pieces is held back until
// its end arrives and then removed whole, so its tail (a link's address, a
// clipboard payload) is never shown as text. What Write returns, followed by
// Flush, is Sanitize of all the pieces joined.
type StreamSanitizer struct {
	held string
}

// Write takes the next piece and returns the clean text that can be shown
// now.
func (ss *StreamSanitizer) Write(piece string) string {
	text := ss.held + piece
	cut := unfinished(text)
	ss.held = text[cut:]
	return Sanitize(text[:cut])
}

// Flush returns what was held back: the stream has ended.
func (ss *StreamSanitizer) Flush() string {
	text := ss.held
	ss.held = ""
	return Sanitize(text)
}

// unfinished returns where a sequence (or a CR that may be the start of a
// CR LF) runs unfinished to the end of s, or len(s).
func unfinished(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var j int
		var done bool
		switch {
		case r == 0x1b:
			j, done = skipEscape(s, i+1)
		case r == 0x9b:
			j, done = skipCSI(s, i+size)
		case isStringIntroducer(r):
			j, done = skipString(s, i+size)
		case r == '\r' && i+size == len(s):
			return i
		default:
			i += size
			continue
		}
		if !done {
			return i
		}
		i = j
	}
	return len(s)
}
