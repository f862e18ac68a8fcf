package proposal

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitizeStripsEscapesKeepsText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\x1b[31mred\x1b[0m b", "ared b"},
		{"clear\x1b[2J\x1b[Hscreen", "clearscreen"},
		{"x\x1b]0;evil title\x07y", "xy"},
		{"x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\z", "xlinkz"},
		{"copy\x1b]52;c;ZXZpbA==\x07!", "copy!"},
		{"p\x1bPqdcs\x1b\\q", "pq"},
		{"u\x1b]0;unterminated\nnext line kept", "u\nnext line kept"},
		{"c\u009b31mX", "cX"},
		{"bel\x07l", "bell"},
		{"nul\x00byte", "nulbyte"},
		{"bidi \u202eevil\u202c text", "bidi evil text"},
		{"line1\r\nline2\rline3", "line1\nline2\nline3"},
		{"tab\tkept", "tab\tkept"},
		{"Diagnóstico €12.500 — 東京 😀 Ωμέγα Москва", "Diagnóstico €12.500 — 東京 😀 Ωμέγα Москва"},
		{"bad \xff utf8", "bad \ufffd utf8"},
		{"esc at end\x1b", "esc at end"},
		{"\x1b(Bcharset", "charset"},
	}
	for _, c := range cases {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"a\x1b[31mb", "\x1b]0;x\x07", "\x1bP\x1b\\", "é😀", "\u009b1m", "\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r) {
				t.Fatalf("control %U left in %q (from %q)", r, out, s)
			}
		}
		if Sanitize(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
		if len(out) > len(s)*3 {
			t.Fatalf("grew from %d to %d bytes", len(s), len(out))
		}
		// Printable text with no escapes is never altered.
		if !strings.ContainsAny(s, "\x1b\r\u009b\u009d\u0090\u009f\u009e\u0098") && utf8.ValidString(s) {
			for _, r := range s {
				if r >= 0x20 && r != 0x7f && !(r >= 0x80 && r < 0xa0) && !isBidiControl(r) && !strings.ContainsRune(out, r) {
					t.Fatalf("printable %q dropped from %q", r, s)
				}
			}
		}
	})
}

// TestStreamSanitizerMatchesSanitize: however a text is cut into pieces (at
// rune boundaries, as a stream delivers it), what the stream sanitizer gives
// out is what Sanitize makes of the whole, and no piece of output shows part
// of a sequence.
func TestStreamSanitizerMatchesSanitize(t *testing.T) {
	inputs := []string{
		"a\x1b[31mred\x1b[0m b", "clear\x1b[2J\x1b[Hscreen", "x\x1b]0;evil title\x07y",
		"x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\z", "copy\x1b]52;c;ZXZpbA==\x07!", "p\x1bPqdcs\x1b\\q",
		"u\x1b]0;unterminated\nnext line kept", "c\u009b31mX", "o\u009d0;t\u009cp", "bidi \u202eevil\u202c text",
		"line1\r\nline2\rline3\r", "esc at end\x1b", "\x1b(Bcharset", "str\x1b]0;a\x1b[31mb", "Diagnóstico €12.500 😀",
	}
	for _, in := range inputs {
		want := Sanitize(in)
		runes := []rune(in)
		for size := 1; size <= 4; size++ {
			for offset := 0; offset < size; offset++ {
				var ss StreamSanitizer
				var got strings.Builder
				for i := 0; i < len(runes); {
					end := min(len(runes), i+size)
					if i == 0 {
						end = min(len(runes), offset+1)
					}
					out := ss.Write(string(runes[i:end]))
					if strings.ContainsAny(out, "\x1b\u009b\u009d") || strings.Contains(out, "evil") && !strings.Contains(want, "evil") {
						t.Fatalf("%q cut every %d: a piece shows %q", in, size, out)
					}
					got.WriteString(out)
					i = end
				}
				got.WriteString(ss.Flush())
				if got.String() != want {
					t.Errorf("%q cut every %d from %d: got %q, want %q", in, size, offset, got.String(), want)
				}
			}
		}
	}
}
