package serve

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/tui"
)

// fgSeq is the escape sequence a colour starts with in 256 colours.
func fgSeq(c lipgloss.TerminalColor) string {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	out := r.NewStyle().Foreground(c).Render("x")
	return out[:strings.IndexByte(out, 'x')]
}

// TestThemePerSession: each console paints in the WARROOM_THEME its client
// sends (ssh -o SetEnv=WARROOM_THEME=okabe-ito), else in the server's
// theme; a name it does not know leaves the server's, and the console
// says so.
func TestThemePerSession(t *testing.T) {
	ana := newMember(t, "ana", room.RoleCommander)
	bo := newMember(t, "bo", room.RoleResponder)
	cy := newMember(t, "cy", room.RoleObserver)
	srv := startServer(t, defaultRoom(t, 6*time.Hour), teamOf(t, ana, bo, cy))
	srv.theme = tui.HighContrastTheme()

	okabe := connect(t, srv, ana, clientOpts{env: map[string]string{"WARROOM_THEME": "okabe-ito"}})
	server := connect(t, srv, bo, clientOpts{})
	bad := connect(t, srv, cy, clientOpts{env: map[string]string{"WARROOM_THEME": "neon"}})
	okabe.waitText("you are ana")
	server.waitText("you are bo")
	bad.waitText(`your WARROOM_THEME: theme "neon": want default, high-contrast, okabe-ito`)

	grey := fgSeq(tui.OkabeItoTheme().Muted)       // Okabe-Ito's borders
	defaultGrey := fgSeq(tui.DefaultTheme().Muted) // what high contrast never uses
	if got := string(okabe.view.received()); !strings.Contains(got, grey) {
		t.Errorf("WARROOM_THEME=okabe-ito: no %q (its grey) in what was drawn", grey)
	}
	for _, c := range []*client{server, bad} {
		got := string(c.view.received())
		if strings.Contains(got, grey) || strings.Contains(got, defaultGrey) {
			t.Errorf("%s should have the server's high-contrast theme, with no grey at all", c.name)
		}
		if !strings.Contains(got, "\x1b[") {
			t.Errorf("%s: no colour at all in xterm-256color", c.name)
		}
	}
}
