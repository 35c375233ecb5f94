package tui

import (
	"testing"

	"github.com/muesli/termenv"
)

// TestColorProfile: every terminal that can show 8 or 16 colours gets the
// ANSI colours, including TERM=screen (tmux's and GNU screen's default);
// NO_COLOR and dumb terminals get none.
func TestColorProfile(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want termenv.Profile
	}{
		{map[string]string{"TERM": "screen"}, termenv.ANSI},
		{map[string]string{"TERM": "screen-16color"}, termenv.ANSI},
		{map[string]string{"TERM": "tmux"}, termenv.ANSI},
		{map[string]string{"TERM": "xterm"}, termenv.ANSI},
		{map[string]string{"TERM": "linux"}, termenv.ANSI},
		{map[string]string{"TERM": "screen-256color"}, termenv.ANSI256},
		{map[string]string{"TERM": "xterm-256color"}, termenv.ANSI256},
		{map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, termenv.TrueColor},
		{map[string]string{"TERM": "vt100"}, termenv.Ascii}, // its entry has no colours
		{map[string]string{"TERM": "dumb"}, termenv.Ascii},
		{map[string]string{}, termenv.Ascii},
		{map[string]string{"TERM": "screen", "NO_COLOR": "1"}, termenv.Ascii},
		{map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"}, termenv.Ascii},
	}
	for _, tt := range tests {
		got := ColorProfile(func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("%v: profile %v, want %v", tt.env, got, tt.want)
		}
	}
}
