package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVisible(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain: Lieferverzögerung 配送遅延 ✓", "plain: Lieferverzögerung 配送遅延 ✓"},
		{"keeps\nnewlines\tand tabs", "keeps\nnewlines\tand tabs"},
		{"title\x1b]0;pwned\x07\x1b[2J", `title\x1b]0;pwned\x07\x1b[2J`},
		{"\x9b2J\x9d0;c1pwn\x07", `\x9b2J\x9d0;c1pwn\x07`},
		{"\u009b2J", `\u009b2J`},
		{"crlf\r\n", "crlf\\r\n"},
		{"del\x7f nul\x00", `del\x7f nul\x00`},
		{"invoice\u202Egpj.exe", `invoice\u202egpj.exe`},
		{"zero\u200Bwidth\uFEFF", `zero\u200bwidth\ufeff`},
		{"👍🏽", `👍\U0001f3fd`},
		{"🇺🇸", `\U0001f1fa\U0001f1f8`},
		{"❤️", `❤\ufe0f`},
		{"bad\xffbyte", `bad\xffbyte`},
		{`already \x1b escaped`, `already \x1b escaped`},
	} {
		got := Visible(tc.in)
		if got != tc.want {
			t.Errorf("Visible(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := Visible(got); again != got {
			t.Errorf("Visible not idempotent: %q then %q", got, again)
		}
	}
}

func TestVisibleReturnsCleanInputItself(t *testing.T) {
	s := strings.Repeat("nothing to escape here, 配送遅延 ✓\n", 10)
	if n := testing.AllocsPerRun(100, func() { _ = Visible(s) }); n != 0 {
		t.Errorf("Visible of clean text allocates %v times", n)
	}
}

func TestEscapeJSON(t *testing.T) {
	for _, s := range []string{"plain", "\u009b2J\u009d0;x\u0007", "a\x7fb", "invoice\u202Egpj.exe \u2066x\u2069",
		"\U0001F44D\U0001F3FD", "\U0001F3F4\U000E0067\U000E007F", "配送 e\u0301 ✓", "<&>"} {
		checkEscapeJSON(t, s)
	}
}

// checkEscapeJSON asserts that EscapeJSON leaves nothing Sanitize would
// change and that the JSON decodes to the same string as before.
func checkEscapeJSON(t *testing.T, s string) {
	t.Helper()
	enc, err := json.Marshal(map[string]string{"text": s})
	if err != nil {
		t.Fatal(err)
	}
	esc := EscapeJSON(enc)
	if clean := Sanitize(string(esc), 0); clean != string(esc) {
		t.Fatalf("EscapeJSON(%s) = %s: Sanitize still changes it to %s", enc, esc, clean)
	}
	var before, after map[string]string
	if err := json.Unmarshal(enc, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(esc, &after); err != nil {
		t.Fatalf("EscapeJSON(%s) = %s: %v", enc, esc, err)
	}
	if before["text"] != after["text"] {
		t.Fatalf("EscapeJSON changed the data: %q became %q", before["text"], after["text"])
	}
}

func FuzzVisible(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;pwned\x07", "\x9b2J\x9d0;c1pwn\x07", "\u202E", "👍🏽", "🇺🇸", "a\xffb", "\r\n\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := Visible(s)
		if clean := Sanitize(v, 0); clean != v {
			t.Fatalf("Visible(%q) = %q: Sanitize still changes it to %q", s, v, clean)
		}
		if again := Visible(v); again != v {
			t.Fatalf("Visible not idempotent: %q then %q", v, again)
		}
		checkEscapeJSON(t, s)
	})
}
