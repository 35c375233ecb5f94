package feed

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/warroom/warroom/model"
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
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f:
			t.Fatalf("Sanitize(%q) = %q: contains control %U", in, out, r)
		case r >= 0x80 && r <= 0x9f:
			t.Fatalf("Sanitize(%q) = %q: contains C1 control %U", in, out, r)
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
		"a\xffb", "tab\tnl\n", "\x1bP\x1b\\", "äöü…", "\xc2", "\xc2\x9c"} {
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

func TestSanitizeEvent(t *testing.T) {
	evil := "x\x1b]0;pwned\x07\x1b[2J"
	long := strings.Repeat("y", MaxTextLen+10)
	inflow := 3.0
	questions := []string{"fine", evil}
	tests := []struct {
		in, want model.Body
	}{
		{model.HostStatus{Group: evil, Recovered: 1, State: model.HostState(evil)},
			model.HostStatus{Group: "x", Recovered: 1, State: "x"}},
		{model.BacklogObservation{Waiting: 5, Inflow: &inflow}, model.BacklogObservation{Waiting: 5, Inflow: &inflow}},
		{model.CarrierWarning{ID: evil, Carrier: evil, Phase: "issued", Severity: "major", Region: evil, Headline: long, Body: long},
			model.CarrierWarning{ID: "x", Carrier: "x", Phase: "issued", Severity: "major", Region: "x",
				Headline: long[:MaxNameLen-1] + "…", Body: long[:MaxTextLen-1] + "…"}},
		{model.SellerComplaint{Seller: evil, Channel: evil, Topic: evil, Text: evil},
			model.SellerComplaint{Seller: "x", Channel: "x", Topic: "x", Text: "x"}},
		{model.RunbookStepChange{Step: evil, State: "done", By: evil}, model.RunbookStepChange{Step: "x", State: "done", By: "x"}},
		{model.Inject{ID: evil, Title: evil, Prompt: evil, Questions: questions, Expected: []string{evil}, Notes: evil},
			model.Inject{ID: "x", Title: "x", Prompt: "x", Questions: []string{"fine", "x"}, Expected: []string{"x"}, Notes: "x"}},
		{model.Note{Author: evil, Text: evil}, model.Note{Author: "x", Text: "x"}},
		{model.StatusUpdate{From: evil, Text: evil}, model.StatusUpdate{From: "x", Text: "x"}},
		{model.Acknowledgement{Warning: evil, By: evil}, model.Acknowledgement{Warning: "x", By: "x"}},
		{model.SourceHealth{Source: evil, Status: "error", Error: evil, Feeds: []model.Kind{"hosts", model.Kind(evil)}},
			model.SourceHealth{Source: "x", Status: "error", Error: "x", Feeds: []model.Kind{"hosts", "x"}}},
		{model.InjectControl{Inject: evil, Action: "fire", By: evil}, model.InjectControl{Inject: "x", Action: "fire", By: "x"}},
		{model.Decision{Inject: evil, By: evil, Text: evil}, model.Decision{Inject: "x", By: "x", Text: "x"}},
		{model.ExpectedCheck{Inject: evil, By: evil}, model.ExpectedCheck{Inject: "x", By: "x"}},
		{model.WhatIf{Factor: 2, By: evil}, model.WhatIf{Factor: 2, By: "x"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.in.Kind()), func(t *testing.T) {
			got := SanitizeEvent(model.Event{At: 5, Source: evil, Text: evil, Body: tt.in})
			want := model.Event{At: 5, Source: "x", Text: "x", Body: tt.want}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("SanitizeEvent:\n got %#v\nwant %#v", got, want)
			}
		})
	}
	if questions[1] != evil {
		t.Errorf("SanitizeEvent edited the caller's list: %q", questions)
	}
}

// TestSanitizeEventCoversEveryField fills every string field of every body
// type with an escape sequence, by reflection, and checks that none is left:
// a field added to a body type later must be added to SanitizeEvent too.
func TestSanitizeEventCoversEveryField(t *testing.T) {
	bodies := []model.Body{model.HostStatus{}, model.BacklogObservation{}, model.CarrierWarning{},
		model.SellerComplaint{}, model.RunbookStepChange{}, model.Inject{}, model.Note{}, model.StatusUpdate{},
		model.Acknowledgement{}, model.SourceHealth{}, model.InjectControl{}, model.Decision{},
		model.ExpectedCheck{}, model.WhatIf{}}
	const evil = "\x1b[2J"
	for _, b := range bodies {
		v := reflect.New(reflect.TypeOf(b)).Elem()
		fillStrings(v, evil)
		e := SanitizeEvent(model.Event{Body: v.Interface().(model.Body)})
		if leak := findStringField(reflect.ValueOf(e.Body), evil); leak != "" {
			t.Errorf("%T: field %s is not sanitised", b, leak)
		}
	}
}

func fillStrings(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i), s)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			l := reflect.MakeSlice(v.Type(), 2, 2)
			fillStrings(l.Index(0), s)
			fillStrings(l.Index(1), s)
			v.Set(l)
		}
	}
}

func findStringField(v reflect.Value, s string) string {
	switch v.Kind() {
	case reflect.Interface:
		return findStringField(v.Elem(), s)
	case reflect.String:
		if strings.Contains(v.String(), s) {
			return "(value)"
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if leak := findStringField(v.Field(i), s); leak != "" {
				return v.Type().Field(i).Name
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if leak := findStringField(v.Index(i), s); leak != "" {
				return "[]"
			}
		}
	}
	return ""
}
