package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// goldenBriefingAt is a moment the backlog drains with an ETA and a range,
// hosts are still failing and a warning is open.
const goldenBriefingAt = 30 * time.Hour

// TestGoldenBriefing compares the briefing view with golden files at the
// three sizes it is made for.
func TestGoldenBriefing(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := start(t, newRoom(t, goldenBriefingAt), size[0], size[1])
			keys(tm, "b")
			screen := finish(t, tm)
			checkFrame(t, screen, size[0], size[1])
			teatest.RequireEqualOutput(t, []byte(screen))
		})
	}
}

// themed starts the app with a theme, in 256 colours.
func themed(t *testing.T, r *room.Room, th Theme, w, h int) *teatest.TestModel {
	t.Helper()
	rd := lipgloss.NewRenderer(io.Discard)
	rd.SetColorProfile(termenv.ANSI256)
	return teatest.NewTestModel(t, New(r, Options{Responder: "ic", Renderer: rd, Theme: th}), teatest.WithInitialTermSize(w, h))
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestGoldenBriefingThemes: each theme's briefing in 256 colours, as a
// golden file with its escape codes. The themes' colours differ; their
// text does not: colour is never the only signal.
func TestGoldenBriefingThemes(t *testing.T) {
	screens := map[string]string{}
	for _, th := range Themes() {
		t.Run(th.Name, func(t *testing.T) {
			tm := themed(t, newRoom(t, goldenBriefingAt), th, 120, 40)
			keys(tm, "b")
			screen := finish(t, tm)
			if !sgr.MatchString(screen) {
				t.Fatalf("%s: no colour in 256 colours", th.Name)
			}
			checkFrame(t, screen, 120, 40)
			screens[th.Name] = screen
			teatest.RequireEqualOutput(t, []byte(screen))
		})
	}
	plain := sgr.ReplaceAllString(screens["default"], "")
	for name, s := range screens {
		if name != "default" && s == screens["default"] {
			t.Errorf("%s paints exactly as the default theme", name)
		}
		if got := sgr.ReplaceAllString(s, ""); got != plain {
			t.Errorf("%s: without its colours the screen should read as the default's:\n%s\nwant\n%s", name, got, plain)
		}
	}
}

// TestParseTheme: the flag's names, and a clear error for any other.
func TestParseTheme(t *testing.T) {
	for _, tt := range []struct{ in, want, err string }{
		{"", "default", ""},
		{"default", "default", ""},
		{" High-Contrast ", "high-contrast", ""},
		{"okabe-ito", "okabe-ito", ""},
		{"neon", "", `theme "neon": want default, high-contrast, okabe-ito`},
	} {
		th, err := ParseTheme(tt.in)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("ParseTheme(%q) error %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || th.Name != tt.want):
			t.Errorf("ParseTheme(%q) = %q, %v; want %q", tt.in, th.Name, err, tt.want)
		}
	}
}

// TestBriefingScales: the figures' type grows with the terminal, and
// falls back to normal type where no large type fits.
func TestBriefingScales(t *testing.T) {
	r := newRoom(t, goldenBriefingAt)
	s := r.Snapshot()
	st := NewStyles(nil)
	var b briefing
	figs := b.figures(st, &s, s.State.BacklogForecast())
	tests := []struct {
		w, h             int
		perRow, minScale int
		maxScale         int
	}{
		{60, 16, 4, 0, 0},
		{80, 24, 4, 1, 1},
		{120, 40, 2, 2, 2},
		{200, 50, 2, 3, 8},
		{300, 80, 2, 4, 8},
	}
	prev := -1
	for _, tt := range tests {
		l := layoutBriefing(figs, tt.w, tt.h)
		if l.perRow != tt.perRow || l.scale < tt.minScale || l.scale > tt.maxScale {
			t.Errorf("%d×%d: %d a row at scale %d, want %d a row at %d–%d", tt.w, tt.h, l.perRow, l.scale, tt.perRow, tt.minScale, tt.maxScale)
		}
		if l.scale < prev {
			t.Errorf("%d×%d: scale %d is smaller than a smaller terminal's %d", tt.w, tt.h, l.scale, prev)
		}
		prev = l.scale
		if l.chartH < briefMinChartBox || 1+l.tilesH+l.chartH+l.recentH != tt.h {
			t.Errorf("%d×%d: figures %d + chart %d + latest %d do not fill the height", tt.w, tt.h, l.tilesH, l.chartH, l.recentH)
		}
	}
	// Normal type still says every figure.
	a := New(r, Options{Responder: "ic"}).(*app)
	screen := view(t, a, 60, 16, keyMsgs("b")...)
	for _, want := range []string{"BRIEFING", "Hosts back", "waiting", "ETA", "Warnings", "Jul 21 03:33"} {
		if !strings.Contains(screen, want) {
			t.Errorf("60×16: %q missing:\n%s", want, screen)
		}
	}
}

// TestBriefingFigures: the figures are the sitrep's, and each says in words
// what its colour says.
func TestBriefingFigures(t *testing.T) {
	r := newRoom(t, goldenBriefingAt)
	s := r.Snapshot()
	sr := model.BuildSitrep(s.Scenario, &s.State)
	a := New(r, Options{Responder: "ic"}).(*app)
	screen := view(t, a, 200, 50, keyMsgs("b")...)
	for _, want := range []string{
		itoa(sr.Hosts.Recovered) + "/" + itoa(sr.Hosts.Total), "✗ " + itoa(sr.Hosts.Failed) + " failing",
		"draining " + strings.TrimPrefix(fmtRate(sr.Backlog.RatePerHour), "−"),
		"range " + a.st.wallShort(*sr.Backlog.ETAEarly) + " – " + a.st.wallShort(*sr.Backlog.ETALate),
		"ETA " + sr.Backlog.ETA.Format("Jan 2") + " · UTC",
		"✓ all acknowledged",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the briefing should show %q:\n%s", want, screen)
		}
	}
	big := strings.Join(bigLines(sr.Backlog.ETA.Format("15:04"), a.brief.figs[2].scaleShown(a)), "\n")
	if big == "" {
		t.Fatal("no large type drawn for the ETA")
	}
	for _, l := range strings.Split(big, "\n") {
		if !strings.Contains(screen, strings.TrimSpace(l)) {
			t.Fatalf("the ETA %s should be drawn in large type:\n%s", sr.Backlog.ETA.Format("15:04"), screen)
		}
	}
}

// scaleShown is the scale the app's last briefing was laid out at.
func (f briefFigure) scaleShown(a *app) int {
	return layoutBriefing(a.brief.figs, a.w, a.h).scale
}

// TestBriefingKeys: b opens it, b or esc goes back; it shows no key
// hints, and keys that would change the room or the console do nothing.
func TestBriefingKeys(t *testing.T) {
	r := newRoom(t, goldenBriefingAt)
	a := New(r, Options{Responder: "ic"}).(*app)
	normal := view(t, a, 120, 40)
	if !strings.Contains(normal, "? help") {
		t.Fatalf("the console should show its key hints:\n%s", normal)
	}
	screen := view(t, a, 120, 40, keyMsgs("b")...)
	if !strings.HasPrefix(screen, " BRIEFING") {
		t.Fatalf("b should open the briefing:\n%s", screen)
	}
	for _, hint := range []string{"? help", "q quit", "esc", "space play", "you are"} {
		if strings.Contains(screen, hint) {
			t.Errorf("the briefing shows %q:\n%s", hint, screen)
		}
	}
	before := r.Snapshot()
	screen = view(t, a, 120, 40, keyMsgs("a", "x", "3", "z", ":", "F", "?")...)
	if !strings.HasPrefix(screen, " BRIEFING") || a.mode != inputNone || a.overlay != overlayNone || a.zoom {
		t.Errorf("keys other than the briefing's changed the screen:\n%s", screen)
	}
	if s := r.Snapshot(); len(s.State.Timeline) != len(before.State.Timeline) {
		t.Error("a key in the briefing acted on the room")
	}
	view(t, a, 120, 40, keyMsgs("n")...)
	if s := r.Snapshot(); s.Pos != before.Pos+1 {
		t.Errorf("n in the briefing should step the replay: %d, want %d", s.Pos, before.Pos+1)
	}
	if screen = view(t, a, 120, 40, keyMsgs("<esc>")...); strings.HasPrefix(screen, " BRIEFING") {
		t.Errorf("esc should go back to the console:\n%s", screen)
	}
	view(t, a, 120, 40, keyMsgs("b")...)
	if screen = view(t, a, 120, 40, keyMsgs("b")...); !strings.Contains(screen, "? help") {
		t.Errorf("b again should go back to the console:\n%s", screen)
	}
}

// TestBriefingBurst: keys typed fast over SSH arrive as one message: "bc"
// leaves the briefing and opens the drafts, "2b" in the console focuses a
// pane and opens the briefing, and a burst that may be pasted text does
// nothing.
func TestBriefingBurst(t *testing.T) {
	r := newRoom(t, goldenBriefingAt)
	a := New(r, Options{Responder: "ic", Drafts: drafts(t)}).(*app)
	burst := func(s string) tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	view(t, a, 120, 40, keyMsgs("b")...)
	if screen := view(t, a, 120, 40, burst("bc")); strings.HasPrefix(screen, " BRIEFING") || !strings.Contains(screen, "Drafts") {
		t.Fatalf("\"bc\" at once should leave the briefing and open the drafts:\n%s", screen)
	}
	view(t, a, 120, 40, keyMsgs("<esc>")...)
	if screen := view(t, a, 120, 40, burst("2b")); !strings.HasPrefix(screen, " BRIEFING") || a.focus != paneBacklog {
		t.Fatalf("\"2b\" at once should focus the backlog and open the briefing:\n%s", screen)
	}
	before := r.Snapshot()
	if screen := view(t, a, 120, 40, burst("ax")); !strings.HasPrefix(screen, " BRIEFING") {
		t.Fatalf("a burst of other keys should leave the briefing as it is:\n%s", screen)
	}
	if s := r.Snapshot(); len(s.State.Timeline) != len(before.State.Timeline) {
		t.Error("a burst in the briefing acted on the room")
	}
}

// TestBriefingNoFacilitatorContent: a facilitator's console in the
// briefing shows nothing of the facilitator's: no strip, no timeline line
// meant for the facilitator alone.
func TestBriefingNoFacilitatorContent(t *testing.T) {
	r := newRoom(t, 0)
	a := New(r, Options{Responder: "ic", Role: RoleFacilitator}).(*app)
	view(t, a, 120, 40, keyMsgs("H")...) // holding an inject is the facilitator's own line
	var secret model.Entry
	for _, e := range r.Snapshot().State.Timeline {
		if e.Facilitator {
			secret = e
		}
	}
	if secret.Text == "" {
		t.Fatal("holding an inject should add a facilitator's timeline line")
	}
	shown := secret.Text[:min(len(secret.Text), 30)]
	normal := view(t, a, 120, 40, keyMsgs("6", "z")...)
	if !strings.Contains(normal, shown) || !strings.Contains(normal, "(held)") {
		t.Fatalf("the facilitator's console should show %q and the strip:\n%s", shown, normal)
	}
	view(t, a, 120, 40, keyMsgs("<esc>")...)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		screen := view(t, a, size[0], size[1], keyMsgs("b")...)
		if strings.Contains(screen, shown) || strings.Contains(screen, "(held)") || strings.Contains(screen, "next inject") {
			t.Errorf("%d×%d: the briefing shows the facilitator's part:\n%s", size[0], size[1], screen)
		}
		view(t, a, size[0], size[1], keyMsgs("b")...)
	}
}

// TestBriefingFollowsCommander: in a shared live room a briefing screen
// (an observer's session) follows the commander: it looks back where
// the commander looks back on their own, shows the pane the commander
// zooms, says in its header whom it follows, and comes back with them.
func TestBriefingFollowsCommander(t *testing.T) {
	r := liveRoom(t)
	ana := console(t, r, "ana", room.RoleCommander)
	wall := console(t, r, "wall", room.RoleObserver)
	view(t, ana, 120, 40, keyMsgs("1")...) // ana shares her view
	deliver(wall)
	screen := view(t, wall, 120, 40, keyMsgs("b", "f")...)
	head := strings.Split(screen, "\n")[0]
	if !wall.following || !strings.Contains(head, "following ana") || !strings.Contains(head, "● LIVE") {
		t.Fatalf("the briefing's header should say it follows ana, live: %q", head)
	}

	// ana looks back on her own: the shared screen goes with her.
	view(t, ana, 120, 40, keyMsgs("p", "p", "p")...)
	if ana.look == nil {
		t.Fatal("a commander's p in a live room should look back on her own")
	}
	deliver(wall)
	screen = view(t, wall, 120, 40)
	head = strings.Split(screen, "\n")[0]
	if wall.snap.Clock != ana.snap.Clock || wall.snap.Pos != ana.snap.Pos {
		t.Errorf("the briefing shows %v (event %d), ana looks at %v (event %d)", wall.snap.Clock, wall.snap.Pos, ana.snap.Clock, ana.snap.Pos)
	}
	if !strings.Contains(head, "◀ looking back") || !strings.Contains(head, model.FormatOffset(ana.snap.Clock)) || !strings.Contains(head, "following ana") {
		t.Errorf("the header should say it looks back with ana at %s: %q", model.FormatOffset(ana.snap.Clock), head)
	}
	if s := r.Snapshot(); !s.Following {
		t.Error("following a look back must not freeze the live room")
	}

	// ana zooms the backlog: the shared screen shows it; unzoomed, the
	// briefing again.
	view(t, ana, 120, 40, keyMsgs("2", "z")...)
	deliver(wall)
	screen = view(t, wall, 120, 40)
	if !strings.Contains(screen, "2 Delivery backlog") || !strings.Contains(strings.Split(screen, "\n")[0], "following ana") {
		t.Errorf("the briefing should show the pane ana zoomed, under its header:\n%s", screen)
	}
	view(t, ana, 120, 40, keyMsgs("z", "L")...)
	deliver(wall)
	screen = view(t, wall, 120, 40)
	if wall.look != nil || strings.Contains(screen, "2 Delivery backlog") || !strings.Contains(screen, "Orders waiting") {
		t.Errorf("ana back with the room and unzoomed: the briefing should be too:\n%s", screen)
	}

	// Any key on the shared screen stops following, and says so nowhere
	// but the header.
	screen = view(t, wall, 120, 40, keyMsgs("x")...)
	if wall.following || strings.Contains(strings.Split(screen, "\n")[0], "following") {
		t.Errorf("a key should stop following: %q", strings.Split(screen, "\n")[0])
	}
}

// TestBriefingFollowsReplay: in a replay the commander moves the room, and
// the briefing with it.
func TestBriefingFollowsReplay(t *testing.T) {
	r := newRoom(t, goldenBriefingAt)
	ana := console(t, r, "ana", room.RoleCommander)
	wall := console(t, r, "wall", room.RoleObserver)
	view(t, ana, 120, 40, keyMsgs("1")...)
	deliver(wall)
	view(t, wall, 120, 40, keyMsgs("b", "f")...)
	view(t, ana, 120, 40, keyMsgs(":", "seek T+40h", "<enter>")...)
	if s := r.Snapshot(); s.Clock != 40*time.Hour {
		t.Fatalf("ana's :seek T+40h left the room at %v", s.Clock)
	}
	deliver(wall)
	screen := view(t, wall, 120, 40)
	if wall.snap.Clock != 40*time.Hour || !strings.Contains(strings.Split(screen, "\n")[0], "T+40:00") {
		t.Errorf("the briefing should be at the room's T+40:00: %q", strings.Split(screen, "\n")[0])
	}
}

// TestBriefingWaitsForCommander: f on a shared screen set up before any
// commander shared a view waits for one, saying so, and follows the first
// who does; another key gives up waiting.
func TestBriefingWaitsForCommander(t *testing.T) {
	r := newRoom(t, goldenBriefingAt)
	ana := console(t, r, "ana", room.RoleCommander)
	wall := console(t, r, "wall", room.RoleObserver)
	head := func() string { return strings.Split(wall.View(), "\n")[0] }
	view(t, wall, 120, 40, keyMsgs("b", "f")...)
	if h := head(); wall.following || !strings.Contains(h, "waiting for a commander") {
		t.Fatalf("f before any commander shared a view should wait, saying so: %q", h)
	}
	view(t, ana, 120, 40, keyMsgs("3")...)
	deliver(wall)
	if h := head(); !wall.following || !strings.Contains(h, "following ana") {
		t.Errorf("the screen should follow ana once she shares her view: %q", h)
	}

	other := console(t, newRoom(t, 0), "cy", room.RoleObserver)
	view(t, other, 120, 40, keyMsgs("b", "f", "n")...)
	if other.brief.awaiting || strings.Contains(strings.Split(other.View(), "\n")[0], "waiting") {
		t.Error("another key should give up waiting")
	}
}

// TestBriefingNumbersAreTheSitreps: the briefing's figures are those
// model.BuildSitrep gives, at every stage of the incident and looking
// back.
func TestBriefingNumbersAreTheSitreps(t *testing.T) {
	r := newRoom(t, 76*time.Hour)
	for _, at := range []time.Duration{0, 3 * time.Hour, 6 * time.Hour, 30 * time.Hour, 48 * time.Hour, 76 * time.Hour} {
		s := r.SnapshotOf(r.LookAt(at))
		sr := model.BuildSitrep(s.Scenario, &s.State)
		n := sitrepNumbers(&s.State, s.State.BacklogForecast())
		want := briefNumbers{
			recovered: sr.Hosts.Recovered, total: sr.Hosts.Total, failed: sr.Hosts.Failed, percent: sr.Hosts.PercentBack,
			hostRate: sr.Hosts.RatePerHour, waiting: sr.Backlog.Waiting, peak: sr.Backlog.Peak,
			rate: sr.Backlog.RatePerHour, draining: sr.Backlog.Draining, open: len(sr.Warnings), unacked: sr.Unacked,
		}
		if n != want {
			t.Errorf("%s: briefing %+v, sitrep %+v", model.FormatOffset(at), n, want)
		}
	}
}

// TestBriefingOverAnInject: an inject delivered just before the briefing
// does not keep the screen from it: b opens it over the inject, and the
// inject is there again when it closes.
func TestBriefingOverAnInject(t *testing.T) {
	a := New(newRoom(t, 0), Options{Responder: "ic"}).(*app)
	view(t, a, 120, 40, keyMsgs("i")...)
	if a.overlay != overlayInject {
		t.Fatal("i should deliver the first inject and open it")
	}
	if screen := view(t, a, 120, 40, keyMsgs("b")...); !strings.HasPrefix(screen, " BRIEFING") || strings.Contains(screen, "INJECT ") && strings.Contains(screen, "esc close") {
		t.Fatalf("b should open the briefing over the inject:\n%s", screen)
	}
	view(t, a, 120, 40, keyMsgs("b")...)
	if a.overlay != overlayInject {
		t.Error("closing the briefing should find the inject open again")
	}
}
