package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/model"
)

// terminalSafe reports what in out a terminal would act on, or "".
func terminalSafe(out string) string {
	if v := model.Visible(out); v != out {
		return v
	}
	return ""
}

// TestSitrepOfHostileScenario: every format of the sitrep of a hostile
// scenario prints nothing a terminal acts on, keeps the texts warroom can
// show, and JSON still decodes to them.
func TestSitrepOfHostileScenario(t *testing.T) {
	for _, format := range []string{"text", "markdown", "json"} {
		t.Run(format, func(t *testing.T) {
			out, stderr, err := runCLI(t, "sitrep", "--scenario", "testdata/hostile.yaml", "--at", "T+1h", "--format", format)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			if bad := terminalSafe(out); bad != "" {
				t.Errorf("output holds what a terminal acts on:\n%s", bad)
			}
			for _, want := range []string{"Hostile 👍 👨👩👧 US ❤ 配送遅延 e\u0301 evil", "UPS US", "label \u0915\u094D\u0937 e\u0301"} {
				if format == "markdown" {
					want = strings.ReplaceAll(want, "|", `\|`)
				}
				if !strings.Contains(out, want) && format != "json" {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if format == "json" {
				var rep model.Sitrep
				if err := json.Unmarshal([]byte(out), &rep); err != nil {
					t.Fatal(err)
				}
				if want := "Hostile 👍 👨👩👧 US ❤ 配送遅延 e\u0301 evil"; rep.Title != want {
					t.Errorf("JSON title %q, want %q", rep.Title, want)
				}
			}
		})
	}
}

// TestValidateShowsHostileFilesHarmlessly: problems and warnings about a
// hostile file, and its name, reach the terminal as visible escapes.
func TestValidateShowsHostileFilesHarmlessly(t *testing.T) {
	dir := t.TempDir()
	badKey := filepath.Join(dir, "bad-key.yaml")
	data, err := os.ReadFile("testdata/hostile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(badKey, append(data, "\"ti\x1b]0;pwned\x07tle\x1b[2J\": x\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	evilName := filepath.Join(dir, "evil\x1b]0;pwned\x07\u202e.yaml")
	if err := os.WriteFile(evilName, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		wants []string // in stdout or stderr
	}{
		{"warnings about changed text", []string{"testdata/hostile.yaml"},
			[]string{`testdata/hostile.yaml:7:8: warning: title: `, `"Hostile 👍\U0001f3fd`, `hostile.yaml:59:11: warning: timeline[14].text: `,
				`"raw \x1b]0;raw-title\a\x1b[2J\x1b[H by…" becomes "raw  bytes"`, `testdata/hostile.yaml: ok (`}},
		{"a key holding an escape sequence", []string{badKey},
			[]string{`"ti\x1b]0;pwned\atle\x1b[2J": unknown field "ti\x1b]0;pwned\atle\x1b[2J"`}},
		{"a file name holding one", []string{evilName},
			[]string{`evil\x1b]0;pwned\x07\u202e.yaml: ok (`}},
		{"a missing file with such a name", []string{filepath.Join(dir, "gone\x1b[2J.yaml")},
			[]string{`gone\x1b[2J.yaml: open `}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, _ := runCLI(t, append([]string{"validate"}, tc.args...)...)
			for _, out := range []string{stdout, stderr} {
				if bad := terminalSafe(out); bad != "" {
					t.Errorf("output holds what a terminal acts on:\n%s", bad)
				}
			}
			for _, want := range tc.wants {
				if !strings.Contains(stdout+stderr, want) {
					t.Errorf("output lacks %s:\n%s%s", want, stdout, stderr)
				}
			}
		})
	}
}

// TestErrorsAreShownHarmlessly: an error naming something from outside (a
// scenario name, a flag value) is printed with visible escapes.
func TestErrorsAreShownHarmlessly(t *testing.T) {
	for _, args := range [][]string{
		{"sitrep", "--scenario", "no\x1b]0;pwned\x07such"},
		{"sitrep", "--at", "soon\x9b2J"},
		{"sitrep", "--format", "x\u202egol"},
		{"scenarios", "export", "\x1b[2Jnone"},
		{"no-such-command\x1b]52;c;ZXZpbA==\x07"},
	} {
		stdout, stderr, err := runCLI(t, args...)
		if err == nil {
			t.Errorf("%q: want an error", args)
		}
		for _, out := range []string{stdout, stderr} {
			if bad := terminalSafe(out); bad != "" {
				t.Errorf("%q: output holds what a terminal acts on:\n%s", args, bad)
			}
		}
		if !strings.Contains(stderr, "warroom: ") || !strings.Contains(stderr, `\x`) && !strings.Contains(stderr, `\u`) {
			t.Errorf("%q: the error does not show the escapes:\n%s", args, stderr)
		}
	}
}

func TestVisibleWriter(t *testing.T) {
	var b bytes.Buffer
	w := newVisibleWriter(&b)
	for _, chunk := range []string{"ok \x1b", "]0;pwned\x07 é", "\xc3", "\xa9 配", "\xe9", "\x85\x8d\n", "\xe2\x80"} {
		if n, err := w.Write([]byte(chunk)); err != nil || n != len(chunk) {
			t.Fatalf("Write(%q) = %d, %v", chunk, n, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	// A sequence split across writes is shown all the same, a rune split
	// across writes arrives whole, and a rune never finished is shown as bytes.
	if want := `ok \x1b]0;pwned\x07 éé 配配` + "\n" + `\xe2\x80`; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
