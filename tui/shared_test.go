package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// console is a console of a member in a shared room.
func console(t *testing.T, r *room.Room, name string, role room.Role) *app {
	t.Helper()
	seat := r.Join(room.Member{Name: name, Role: role}, name+"-session")
	t.Cleanup(seat.Leave)
	view := RolePlayer
	if role == room.RoleCommander {
		view = RoleFacilitator
	}
	return New(r, Options{Seat: seat, Role: view}).(*app)
}

// deliver hands a console the room's latest snapshot, as its subscription
// would.
func deliver(a *app) { a.Update(snapshotMsg{a.r.Snapshot()}) }

// TestLookingBackIsPrivate: a responder's p looks back on their own, with
// the header saying where the room is; the room and the commander's console
// do not move; L rejoins. A commander's n moves everyone.
func TestLookingBackIsPrivate(t *testing.T) {
	r := newRoom(t, 9*time.Hour+10*time.Minute)
	ana := console(t, r, "ana", room.RoleCommander)
	bo := console(t, r, "bo", room.RoleResponder)
	view(t, ana, 120, 40)
	before := r.Snapshot()
	screen := view(t, bo, 120, 40, keyMsgs("p", "p", "p")...)
	head := strings.Split(screen, "\n")[0]
	if !strings.Contains(head, "◀ viewing") || !strings.Contains(head, "room at T+09:10 · L to rejoin") {
		t.Errorf("bo's header should say he looks back on his own: %q", head)
	}
	if s := r.Snapshot(); s.Pos != before.Pos || s.Clock != before.Clock {
		t.Errorf("bo's p moved the room from %d to %d", before.Pos, s.Pos)
	}
	if bo.snap.Pos != before.Pos-3 {
		t.Errorf("bo shows event %d, want %d", bo.snap.Pos, before.Pos-3)
	}
	deliver(ana)
	if ana.snap.Pos != before.Pos {
		t.Errorf("ana's console moved with bo's look: %d", ana.snap.Pos)
	}
	for _, p := range r.Presence() {
		if p.Name == "bo" && !p.Private {
			t.Error("presence should show bo looking back")
		}
	}

	// A commander's n moves the room, and everyone with it.
	view(t, ana, 120, 40, keyMsgs("n")...)
	if s := r.Snapshot(); s.Pos != before.Pos+1 {
		t.Fatalf("ana's n: room at %d, want %d", s.Pos, before.Pos+1)
	}
	deliver(bo)
	if bo.snap.Pos != before.Pos-3 {
		t.Errorf("bo, looking back, moved with the room: %d", bo.snap.Pos)
	}
	screen = view(t, bo, 120, 40, keyMsgs("L")...)
	if bo.look != nil || bo.snap.Pos != before.Pos+1 || !strings.Contains(screen, "back with the room") {
		t.Errorf("L should rejoin the room at %d: shows %d\n%s", before.Pos+1, bo.snap.Pos, lastLine(screen, 2))
	}
	// n on one's own never passes the room.
	view(t, bo, 120, 40, keyMsgs("p", "n", "n", "n")...)
	if bo.look != nil || bo.snap.Pos != before.Pos+1 {
		t.Errorf("stepping on past the room: look %v at %d", bo.look != nil, bo.snap.Pos)
	}
}

// TestObserverChangesNothing: an observer sees the room and every attempt
// to change it gets a one-line message saying why.
func TestObserverChangesNothing(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	cy := console(t, r, "cy", room.RoleObserver)
	before := r.Snapshot()
	view(t, cy, 120, 40)
	msgs := append(keyMsgs(":"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("note from cy")}, tea.KeyMsg{Type: tea.KeyEnter})
	screen := view(t, cy, 120, 40, msgs...)
	if !strings.Contains(lastLine(screen, 2), "cy is an observer: observers see everything and change nothing") {
		t.Errorf("the refusal should say why:\n%s", lastLine(screen, 2))
	}
	screen = view(t, cy, 120, 40, keyMsgs("3", "a")...)
	if !strings.Contains(lastLine(screen, 2), "observer") {
		t.Errorf("an ack should be refused too:\n%s", lastLine(screen, 2))
	}
	screen = view(t, cy, 120, 40, keyMsgs(" ")...)
	if !strings.Contains(lastLine(screen, 2), "only a commander") {
		t.Errorf("space should be refused:\n%s", lastLine(screen, 2))
	}
	if after := r.Snapshot(); after.Len != before.Len || after.Playing || after.State.UnackedWarnings() != before.State.UnackedWarnings() {
		t.Error("an observer changed the room")
	}
	if got := lastLine(screen, 2); strings.Contains(got, "you are") {
		t.Log(got)
	}
}

// TestFollowTheCommander: f makes a console follow the commander's focus,
// zoom and overlays; any key of its own ends it.
func TestFollowTheCommander(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	ana := console(t, r, "ana", room.RoleCommander)
	bo := console(t, r, "bo", room.RoleResponder)
	view(t, bo, 120, 40)
	screen := view(t, bo, 120, 40, keyMsgs("f")...)
	if !strings.Contains(lastLine(screen, 2), "no commander has shared a view yet") {
		t.Errorf("f with nothing to follow: %s", lastLine(screen, 2))
	}
	view(t, ana, 120, 40, keyMsgs("3", "z")...)
	deliver(bo)
	screen = view(t, bo, 120, 40, keyMsgs("f")...)
	if !strings.Contains(screen, "╭▶ 3 Carrier warnings") || strings.Contains(screen, "1 Hosts") {
		t.Fatalf("bo should follow ana's zoomed pane 3:\n%s", screen)
	}
	view(t, ana, 120, 40, keyMsgs("D")...)
	deliver(bo)
	if bo.overlay != overlayDebrief {
		t.Errorf("bo should follow ana into the debrief")
	}
	if p := presenceOf(r, "bo"); p.Following != "ana" {
		t.Errorf("presence should show bo following ana: %+v", p)
	}
	screen = view(t, bo, 120, 40, keyMsgs("1")...)
	if bo.following || presenceOf(r, "bo").Following != "" {
		t.Error("a key of bo's own should end following")
	}
	if !strings.Contains(lastLine(screen, 2), "no longer following") {
		t.Errorf("ending following should say so: %s", lastLine(screen, 2))
	}
	view(t, ana, 120, 40, keyMsgs("5")...)
	deliver(bo)
	if bo.focus == paneRunbook {
		t.Error("bo no longer follows: ana's focus must not move his")
	}
}

func presenceOf(r *room.Room, name string) room.Presence {
	for _, p := range r.Presence() {
		if p.Name == name {
			return p
		}
	}
	return room.Presence{}
}

// TestWho: :who lists each member with their role, idle time and where
// they look; the header counts the members.
func TestWho(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	ana := console(t, r, "ana", room.RoleCommander)
	bo := console(t, r, "bo", room.RoleResponder)
	console(t, r, "cy", room.RoleObserver)
	view(t, bo, 120, 40, keyMsgs("p")...)
	deliver(ana)
	msgs := append(keyMsgs(":"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("who")}, tea.KeyMsg{Type: tea.KeyEnter})
	screen := view(t, ana, 120, 40, msgs...)
	if !strings.Contains(strings.Split(screen, "\n")[0], "3 in the room") {
		t.Errorf("the header should count the members: %q", strings.Split(screen, "\n")[0])
	}
	for _, want := range []string{"Who is here", "ana   commander  active     with the room", "bo    responder  active     looking back at",
		"cy    observer   active     with the room"} {
		if !strings.Contains(screen, want) {
			t.Errorf(":who lacks %q:\n%s", want, screen)
		}
	}
}

// TestNamesComeFromTheTeam: in a shared room :as cannot change who acts,
// and actions carry the member's name.
func TestNamesComeFromTheTeam(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	bo := console(t, r, "bo", room.RoleResponder)
	msgs := append(keyMsgs(":"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("as ana")}, tea.KeyMsg{Type: tea.KeyEnter})
	screen := view(t, bo, 120, 40, msgs...)
	if !strings.Contains(lastLine(screen, 2), "your name is the team file's") {
		t.Errorf(":as in a shared room: %s", lastLine(screen, 2))
	}
	msgs = append(keyMsgs(":"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("note mine")}, tea.KeyMsg{Type: tea.KeyEnter})
	view(t, bo, 120, 40, msgs...)
	tl := r.Snapshot().State.Timeline
	if last := tl[len(tl)-1]; last.Kind != model.KindNote || last.Source != "responder:bo" {
		t.Errorf("the note should be bo's: %+v", last)
	}
}
