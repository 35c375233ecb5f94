package serve

import (
	"regexp"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/warroom/warroom/room"
)

// colourSGR finds a select-graphic-rendition sequence that sets a colour
// (30–37, 38, 39, 40–47, 48, 90–97, 100–107), among any other attributes.
var colourSGR = regexp.MustCompile(`\x1b\[(?:[0-9]+;)*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]+)*m`)

// TestColourPerSession: each session's colours come from its own terminal:
// NO_COLOR sent by one client, or a TERM without colours, gives that
// session none, and never changes another's.
func TestColourPerSession(t *testing.T) {
	ana := newMember(t, "ana", room.RoleCommander)
	bo := newMember(t, "bo", room.RoleResponder)
	cy := newMember(t, "cy", room.RoleObserver)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv := startServer(t, r, teamOf(t, ana, bo, cy))
	// wish's bubbletea middleware sets lipgloss's global profile once (to
	// none, in New). Set it to the richest: a console that drew anything
	// with the default renderer would then colour the sessions that have
	// none.
	lipgloss.SetColorProfile(termenv.TrueColor)
	t.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })

	colour := connect(t, srv, ana, clientOpts{})
	colour.waitText("you are ana")
	plain := connect(t, srv, bo, clientOpts{env: map[string]string{"NO_COLOR": "1"}})
	dumb := connect(t, srv, cy, clientOpts{term: "dumb"})
	plain.waitText("you are bo")
	dumb.waitText("you are cy")

	// Something new for everyone to draw, after the plain sessions came in.
	mark := len(colour.view.received())
	plain.press(":note drawn in every session's own colours\r")
	for _, c := range []*client{colour, plain, dumb} {
		c.waitText("drawn in every session's own colours")
	}

	if got := colour.view.received(); !colourSGR.Match(got[mark:]) {
		t.Errorf("xterm-256color: no colour in what was drawn after a NO_COLOR client joined:\n%q", got[mark:])
	}
	for _, c := range []*client{plain, dumb} {
		if m := colourSGR.Find(c.view.received()); m != nil {
			t.Errorf("%s: a colour %q in a session that has none", c.name, m)
		}
	}
}
