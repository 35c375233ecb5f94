package cli

import (
	"strings"
	"testing"
)

// TestUnknownTheme: an unknown --theme is an error naming the flag, the
// value and the themes there are, exit status 2, before anything opens.
func TestUnknownTheme(t *testing.T) {
	want := `warroom: --theme: theme "neon": want default, high-contrast, okabe-ito`
	for _, args := range [][]string{
		{"--theme", "neon"},
		{"run", "--theme", "neon"},
		{"serve", "--theme", "neon", "--team", "t.yaml", "--journal", "j.db"},
	} {
		_, stderr, err := runCLI(t, args...)
		if err == nil || exitCode(err) != 2 {
			t.Errorf("%v: err %v, exit %d; want exit 2", args, err, exitCode(err))
		}
		if !strings.HasPrefix(stderr, want) {
			t.Errorf("%v: stderr %q, want it to start %q", args, stderr, want)
		}
	}
}
