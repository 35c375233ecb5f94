package model

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	long := strings.Repeat("ab", 150) // 300 runes
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "Next-day orders will miss the promise", 200, "Next-day orders will miss the promise"},
		{"unicode kept", "Lieferverzögerung — 配送遅延 ✓", 200, "Lieferverzögerung — 配送遅延 ✓"},
		{"tabs and newlines kept", "line 1\n\tline 2\n", 200, "line 1\n\tline 2\n"},
		{"seller sets the title and clears the screen",
			"Labels fail\x1b]0;pwned\x07\x1b[2J\x1b[H since 09:00", 200, "Labels fail since 09:00"},
		{"OSC ended by ST", "a\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\b", 200, "alinkb"},
		{"unterminated OSC swallows the rest", "ok \x1b]0;title never ends\nmore", 200, "ok "},
		{"CSI with parameters and intermediates", "\x1b[38;2;255;0;0mred\x1b[0m \x1b[?1049h\x1b[1 q", 200, "red "},
		{"unterminated CSI", "text\x1b[12;", 200, "text"},
		{"CSI cut short by a control", "a\x1b[1\nb", 200, "a\nb"},
		{"two-char escapes", "\x1bcreset\x1b(Bcharset\x1b7save\x1b#8", 200, "resetcharsetsave"},
		{"lone ESC at the end", "abc\x1b", 200, "abc"},
		{"ESC before non-ASCII", "a\x1bé", 200, "aé"},
		{"DCS, SOS, PM, APC", "1\x1bPq#0;2;0;0;0\x1b\\2\x1bXsos\x1b\\3\x1b^pm\x1b\\4\x1b_apc\x07 5", 200, "1234 5"},
		{"string cancelled by CAN", "a\x1b]0;x\x18b", 200, "ab"},
		{"8-bit CSI (U+009B) with parameters", "a\u009b2Jb\u009b31mc", 200, "abc"},
		{"8-bit OSC (U+009D) to ST (U+009C)", "a\u009d0;pwned\u009cb", 200, "ab"},
		{"8-bit OSC to BEL", "a\u009d0;pwned\x07b", 200, "ab"},
		{"other C1 controls", "a\u0085b\u0084c\u0090q\u009cd", 200, "abcd"},
		{"raw 8-bit CSI byte", "a\x9b2Jb", 200, "ab"},
		{"raw C1 byte", "a\x85b", 200, "ab"},
		{"C0 controls and DEL", "a\x00b\x07c\x08d\re\x7ff\x0cg", 200, "abcdefg"},
		{"CRLF becomes LF", "one\r\ntwo", 200, "one\ntwo"},
		{"invalid UTF-8", "a\xffb\xc3(c\xed\xa0\xbfd", 200, "a\uFFFDb\uFFFD(c\uFFFD\uFFFD\uFFFDd"},
		{"cap", long, 10, "ababababa…"},
		{"cap counts runes not bytes", "äöüäöüäöü", 5, "äöüä…"},
		{"exactly at the cap", "abcde", 5, "abcde"},
		{"cap after stripping", "\x1b[31mabcde\x1b[0m", 5, "abcde"},
		{"cap of 1", "abc", 1, "…"},
		{"no cap", long, 0, long},
		{"empty", "", 10, ""},
		{"only controls", "\x1b[2J\x1b[H", 10, ""},

		// 8-bit C1 sequences go whole, parameters and terminators included.
		{"issue example, raw bytes", "\x9b2J\x9d0;c1pwn\x07", 0, ""},
		{"issue example, UTF-8", "\u009b2J\u009d0;c1pwn\u0007", 0, ""},
		{"raw OSC to raw ST", "a\x9d52;c;ZXZpbA==\x9cb", 0, "ab"},
		{"raw DCS to ESC backslash", "a\x90q#0;2\x1b\\b", 0, "ab"},
		{"raw APC, PM, SOS", "1\x9fapc\x9c2\x9epm\x9c3\x98sos\x9c4", 0, "1234"},
		{"UTF-8 CSI with private parameters", "a\u009b?1049hb", 0, "ab"},

		// Invisible format characters: bidi controls, zero-width characters.
		{"bidi override", "invoice\u202Egpj.exe", 0, "invoicegpj.exe"},
		{"every bidi embedding, override, isolate and mark",
			"a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j\u200Ek\u200Fl\u061Cm", 0, "abcdefghijklm"},
		{"zero-width characters", "a\u200Bb\u200Cc\u200Dd\u2060e\u2061f\u2062g\u2063h\u2064i\uFEFFj", 0, "abcdefghij"},
		{"soft hyphen", "co\u00ADoperate", 0, "cooperate"},
		{"other format characters", "\u0600\u06DD1\U000110BD2\uFFF9a\uFFFBb", 0, "12ab"},
		{"line and paragraph separators", "one\u2028two\u2029three", 0, "one\ntwo\nthree"},

		// Sequences whose width terminals disagree on.
		{"skin-tone modifier", "\U0001F44D\U0001F3FD ok", 0, "\U0001F44D ok"},
		{"every skin tone", "\U0001F44B\U0001F3FB\U0001F44B\U0001F3FC\U0001F44B\U0001F3FD\U0001F44B\U0001F3FE\U0001F44B\U0001F3FF", 0,
			"\U0001F44B\U0001F44B\U0001F44B\U0001F44B\U0001F44B"},
		{"ZWJ family", "\U0001F468\u200D\U0001F469\u200D\U0001F467", 0, "\U0001F468\U0001F469\U0001F467"},
		{"ZWJ with modifiers and VS16", "\U0001F469\U0001F3FD\u200D\u2764\uFE0F\u200D\U0001F468\U0001F3FB", 0, "\U0001F469\u2764\U0001F468"},
		{"VS16 heart", "\u2764\uFE0F", 0, "\u2764"},
		{"VS15 text presentation", "\U0001F600\uFE0E", 0, "\U0001F600"},
		{"other variation selectors stay", "\u845B\U000E0100 \u2205\uFE00", 0, "\u845B\U000E0100 \u2205\uFE00"},
		{"keycap", "1\uFE0F\u20E3 #\u20E3", 0, "1 #"},
		{"flags become letters", "\U0001F1FA\U0001F1F8 \U0001F1E9\U0001F1EA", 0, "US DE"},
		{"a lone regional indicator", "\U0001F1FF", 0, "Z"},
		{"subdivision flag tags", "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", 0, "\U0001F3F4"},
		{"Unicode 15 emoji", "pink \U0001FA77 heart", 0, "pink \uFFFD heart"},
		{"hexagram and trigram", "\u4DC0\u2630", 0, "\uFFFD\uFFFD"},
		{"unassigned code point", "a\U0003FFFEb\uFDD0c", 0, "a\uFFFDb\uFFFDc"},
		{"CJK, combining marks, private use stay", "\u914D\u9001 e\u0301 \u0915\u094D\u0937 \uE000", 0, "\u914D\u9001 e\u0301 \u0915\u094D\u0937 \uE000"},
		{"cap counts what remains", "\U0001F1FA\U0001F1F8\u200B\u200Babc", 3, "US…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sanitize(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Sanitize(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if again := Sanitize(got, tt.max); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
			checkSanitized(t, tt.in, tt.max, got)
		})
	}
}

// checkSanitized asserts what Sanitize promises about its output.
func checkSanitized(t *testing.T, in string, max int, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		if what := unsafeRune(r); what != "" {
			t.Fatalf("Sanitize(%q) = %q: contains %s %U", in, out, what, r)
		}
	}
	if n := utf8.RuneCountInString(out); max > 0 && n > max {
		t.Fatalf("Sanitize(%q, %d) = %q: %d runes", in, max, out, n)
	}
}

func TestSanitizeReturnsCleanInputItself(t *testing.T) {
	s := strings.Repeat("clean text, nothing to do ", 10)
	if n := testing.AllocsPerRun(100, func() { _ = Sanitize(s, MaxTextLen) }); n != 0 {
		t.Errorf("Sanitize of clean text allocates %v times", n)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;pwned\x07\x1b[2J\x1b[H", "\u009b2J", "\x9b31m", "\x1b]unterminated",
		"a\xffb", "tab\tnl\n", "\x1bP\x1b\\", "äöü…", "\xc2", "\xc2\x9c", "\x9b2J\x9d0;c1pwn\x07",
		"\u202Eabc\u2066", "\U0001F44D\U0001F3FD", "\U0001F468\u200D\U0001F469", "\U0001F1FA\U0001F1F8\U0001F1E9",
		"\u2764\uFE0F", "1\uFE0F\u20E3", "\U0001F3F4\U000E0067\U000E007F", "e\u0301\u914D", "\u2028"} {
		f.Add(s, 10)
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 300
		out := Sanitize(s, max)
		checkSanitized(t, s, max, out)
		if again := Sanitize(out, max); again != out {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
	})
}

// unsafeRune names what is wrong with r in sanitised text, or returns "".
// It is written from the classes Sanitize promises to remove, not from
// Sanitize's own tables, so that the two check each other.
func unsafeRune(r rune) string {
	switch {
	case r == '\n' || r == '\t':
		return ""
	case r < 0x20 || r == 0x7f:
		return "a control"
	case r >= 0x80 && r <= 0x9f:
		return "a C1 control"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return "a bidi control"
	case r >= 0x200b && r <= 0x200d, r >= 0x2060 && r <= 0x2064, r == 0xfeff, r == 0xad:
		return "a zero-width character"
	case unicode.Is(unicode.Cf, r):
		return "a format character"
	case r == 0x2028 || r == 0x2029:
		return "a line separator"
	case r >= 0x1f3fb && r <= 0x1f3ff:
		return "a skin-tone modifier"
	case r == 0xfe0e || r == 0xfe0f:
		return "an emoji variation selector"
	case r == 0x20e3:
		return "a keycap"
	case r >= 0x1f1e6 && r <= 0x1f1ff:
		return "a regional indicator"
	case r >= 0xe0000 && r <= 0xe007f:
		return "a tag character"
	case !unicode.IsGraphic(r) && !unicode.Is(unicode.Co, r):
		return "an unassigned code point"
	}
	return ""
}

// TestSanitizeEveryCodePoint runs every code point through Sanitize alone,
// after a letter and before one, as text and as raw bytes of a C1 control.
func TestSanitizeEveryCodePoint(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		in := "a" + string(r) + "b"
		out := Sanitize(in, 0)
		checkSanitized(t, in, 0, out)
		if !strings.HasPrefix(out, "a") || !strings.HasSuffix(out, "b") && r != 0x1b && !startsSequence(r) {
			t.Fatalf("Sanitize(%q) = %q: the letters around the code point are gone", in, out)
		}
		if again := Sanitize(out, 0); again != out {
			t.Fatalf("not idempotent on %U: %q then %q", r, out, again)
		}
	}
}

// startsSequence is a C1 control that starts a sequence (CSI) or a string
// running to its terminator (OSC, DCS, SOS, PM, APC): it swallows the "b".
func startsSequence(r rune) bool {
	switch r {
	case 0x90, 0x98, 0x9d, 0x9e, 0x9f, 0x9b:
		return true
	}
	return false
}

// BenchmarkSanitize measures the three cases a source or the loader meets:
// plain ASCII and clean Unicode (returned as they are) and hostile text.
func BenchmarkSanitize(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"ascii", strings.Repeat("Next-day orders will miss the promise. ", 10)},
		{"unicode", strings.Repeat("Lieferverzögerung — 配送遅延 ✓ \u0915\u094D\u0937 ", 10)},
		{"hostile", strings.Repeat("a\x1b]0;t\x07\x1b[2J\u202e\U0001F44D\U0001F3FD\U0001F1FA\U0001F1F8\u200d\x9b2J ", 10)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.s)))
			for b.Loop() {
				_ = Sanitize(bc.s, MaxTextLen)
			}
		})
	}
}

// TestMapRuneFastPaths: the blocks mapRune keeps without the tables are
// kept by the rules too.
func TestMapRuneFastPaths(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		if fast, slow := mapRune(r), mapRuneSlow(r); fast != slow {
			t.Fatalf("mapRune(%U) = %d, by the rules %d", r, fast, slow)
		}
	}
}
