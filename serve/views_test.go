package serve

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// threeMembers is a commander, a responder and an observer in a room at
// T+03:40, each at a console.
func threeMembers(t *testing.T) (r *room.Room, srv *Server, ana, bo, cy *client) {
	t.Helper()
	mA := newMember(t, "ana", room.RoleCommander)
	mB := newMember(t, "bo", room.RoleResponder)
	mC := newMember(t, "cy", room.RoleObserver)
	r = defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv = startServer(t, r, teamOf(t, mA, mB, mC))
	ana, bo, cy = connect(t, srv, mA, clientOpts{}), connect(t, srv, mB, clientOpts{}), connect(t, srv, mC, clientOpts{})
	// Each console has taken every join once its header counts three: a
	// header read before then would change under the test.
	for _, c := range []*client{ana, bo, cy} {
		c.waitFor("you are "+c.name+", 3 in the room", func(rows []string) bool {
			return rowWith(rows, "you are "+c.name) >= 0 && strings.Contains(rows[0], "3 in the room")
		})
	}
	return r, srv, ana, bo, cy
}

// position is the footer's "event N/M".
var eventPosition = regexp.MustCompile(`event (\d+)/\d+`)

func eventShown(rows []string) string {
	for _, r := range rows {
		if m := eventPosition.FindStringSubmatch(r); m != nil {
			return m[1]
		}
	}
	return ""
}

// TestLookBackIsPrivate: a responder's p looks back on their own (their
// header says so and where the room is) while the commander's screen does
// not move; a commander's n moves everyone who is with the room.
func TestLookBackIsPrivate(t *testing.T) {
	r, _, ana, bo, cy := threeMembers(t)
	here := r.Snapshot()
	at := fmt.Sprint(here.Pos)
	anaHeader := ana.waitFor("ana's position", func(rows []string) bool { return eventShown(rows) == at })[0]

	bo.press("p")
	bo.waitFor("bo looking back", func(rows []string) bool {
		return strings.Contains(rows[0], "◀ viewing") && rowWith(rows, "looking back on your own · the room is at T+03:40") >= 0
	})
	// Presence shows bo looking back: wait until ana's console has taken
	// that snapshot, then check that her view is where it was.
	waitPresence(t, r, func(ps []room.Presence) bool { return lookingBack(ps, "bo") })
	rows := ana.waitFor("ana still with the room", func(rows []string) bool { return eventShown(rows) == at })
	if rows[0] != anaHeader || rowWith(rows, "viewing") >= 0 {
		t.Errorf("the commander's header moved with bo's look back:\n was %q\n now %q", anaHeader, rows[0])
	}
	if s := r.Snapshot(); s.Pos != here.Pos || s.Clock != here.Clock {
		t.Errorf("bo's look back moved the room to event %d at %v", s.Pos, s.Clock)
	}

	ana.press("n")
	next := fmt.Sprint(here.Pos + 1)
	for _, c := range []*client{ana, cy} {
		c.waitFor("event "+next, func(rows []string) bool { return eventShown(rows) == next })
	}
	// bo still looks back on his own, and sees where the room went.
	roomAt := model.FormatOffset(r.Snapshot().Clock)
	moved := "the room is at " + roomAt
	bo.waitFor("bo still looking back, the room moved on", func(rows []string) bool {
		return strings.Contains(rows[0], "◀ viewing") && rowWith(rows, moved) >= 0
	})
	bo.press("L")
	bo.waitFor("bo back with the room", func(rows []string) bool {
		return !strings.Contains(rows[0], "viewing") && strings.Contains(rows[0], roomAt) &&
			rowWith(rows, "back with the room at "+roomAt) >= 0
	})
}

// TestFollowTheCommander: a member who presses f follows the commander's
// focus and zoom; a key of their own ends it.
func TestFollowTheCommander(t *testing.T) {
	r, _, ana, _, cy := threeMembers(t)
	ana.pressEach("2") // a commander's every key shares the view
	// The room has ana's view; cy's console has it once it took the
	// snapshot that carries it, which can be after a key he types at once
	// (f would then say no commander has shared a view yet). Her note
	// comes after her view: once cy's screen shows it, his f follows her.
	waitView(t, r, 2)
	ana.press(":note pane 2 shared\r")
	cy.waitText("pane 2 shared")
	cy.press("f")
	cy.waitText("following ana")
	waitPresence(t, r, func(ps []room.Presence) bool { return following(ps, "cy") == "ana" })

	ana.pressEach("3z")
	zoomed3 := func(rows []string) bool {
		return rowWith(rows, "▶ 3 Carrier warnings") >= 0 && rowWith(rows, "1 Hosts") < 0 && rowWith(rows, "6 Timeline") < 0
	}
	ana.waitFor("ana's pane 3 zoomed", zoomed3)
	cy.waitFor("cy following to pane 3 zoomed", zoomed3)

	cy.press("1")
	cy.waitText("▶ 1 Hosts")
	waitPresence(t, r, func(ps []room.Presence) bool { return following(ps, "cy") == "" })

	ana.pressEach("4")
	ana.waitText("▶ 4 Seller complaints")
	// The room has ana's new view; her seek after it reaches cy's header
	// in a snapshot that carries that view, which his console has then
	// taken. cy's focus stays his own.
	waitView(t, r, 4)
	ana.press(":seek T+04:00\r")
	rows := cy.waitFor("cy's header at T+04:00", func(rows []string) bool { return strings.Contains(rows[0], "T+04:00") })
	if rowWith(rows, "▶ 4 Seller complaints") >= 0 || rowWith(rows, "▶ 1 Hosts") < 0 {
		t.Errorf("cy followed ana after pressing a key of his own:\n%s", strings.Join(rows, "\n"))
	}
}

func waitPresence(t *testing.T, r *room.Room, ok func([]room.Presence) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok(r.Presence()) {
		if time.Now().After(deadline) {
			t.Fatalf("presence never became what the test waits for: %+v", r.Presence())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func waitView(t *testing.T, r *room.Room, focus int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for r.Snapshot().Presenter.Focus != focus {
		if time.Now().After(deadline) {
			t.Fatalf("the commander's view never had focus %d", focus)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func lookingBack(ps []room.Presence, name string) bool {
	for _, p := range ps {
		if p.Name == name && p.Private {
			return true
		}
	}
	return false
}

func following(ps []room.Presence, name string) string {
	for _, p := range ps {
		if p.Name == name {
			return p.Following
		}
	}
	return "?"
}
