package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/room"
)

// waitEnded waits for the server to end c's session, and returns all that
// was printed.
func waitEnded(t *testing.T, c *client) string {
	t.Helper()
	select {
	case <-c.ended:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s's session did not end", c.name)
	}
	_, raw, _ := c.view.snapshot()
	return raw
}

// TestTeamReload: the team file re-read with bo's role changed and cy taken
// out: bo's open session has the new role at once (his footer says it, the
// room enforces it), cy's ends with a line saying why, ana's goes on as it
// was; new logins follow the new file.
func TestTeamReload(t *testing.T) {
	mA := newMember(t, "ana", room.RoleCommander)
	mB := newMember(t, "bo", room.RoleResponder)
	mC := newMember(t, "cy", room.RoleObserver)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv := startServer(t, r, teamOf(t, mA, mB, mC))
	ana, bo, cy := connect(t, srv, mA, clientOpts{}), connect(t, srv, mB, clientOpts{}), connect(t, srv, mC, clientOpts{})
	for _, c := range []*client{ana, bo, cy} {
		c.waitText("you are " + c.name)
	}
	anaBytes := ana.view.written()

	mB.role = room.RoleObserver
	srv.SetTeam(teamOf(t, mA, mB))

	bo.waitText("you are bo (observer)")
	bo.press(":note still a responder?\r")
	bo.waitText("bo is an observer")
	raw := waitEnded(t, cy)
	if !strings.Contains(raw, "warroom: cy is no longer in the team file team.yaml\n") {
		t.Errorf("cy's session ended without saying why; it printed:\n%q", tail(raw, 300))
	}
	if err := cy.sess.Wait(); err == nil {
		t.Error("cy's session ended with status 0")
	}
	waitPresence(t, r, func(ps []room.Presence) bool { return len(ps) == 2 })

	// ana's session is untouched: no new console, no full repaint, and she
	// still acts.
	select {
	case <-ana.ended:
		t.Fatal("ana's session ended")
	default:
	}
	if rows, _, _ := ana.view.snapshot(); rowWith(rows, "you are ana (commander)") < 0 {
		t.Errorf("ana's screen changed:\n%s", strings.Join(rows, "\n"))
	}
	if n := ana.view.written() - anaBytes; n > 2000 {
		t.Errorf("ana's screen was redrawn (%d bytes) by a reload that did not concern her", n)
	}
	ana.press(":note ana carries on\r")
	bo.waitText("ana carries on")

	if _, err := dial(srv, mC.key); err == nil {
		t.Error("cy's key still logs in after the reload")
	}
}

// TestTeamReloadRoleToCommander: a member made commander gets the
// commander's console (the facilitator's part of the exercise) in the same
// SSH session; a commander made responder loses it.
func TestTeamReloadRoleToCommander(t *testing.T) {
	mA := newMember(t, "ana", room.RoleCommander)
	mB := newMember(t, "bo", room.RoleResponder)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv := startServer(t, r, teamOf(t, mA, mB))
	ana, bo := connect(t, srv, mA, clientOpts{}), connect(t, srv, mB, clientOpts{})
	ana.waitText("next inject")
	bo.waitText("you are bo (responder)")
	if rows, _, _ := bo.view.snapshot(); rowWith(rows, "next inject") >= 0 {
		t.Fatal("a responder sees the facilitator's line")
	}

	mA.role, mB.role = room.RoleResponder, room.RoleCommander
	srv.SetTeam(teamOf(t, mA, mB))
	bo.waitFor("bo's commander console", func(rows []string) bool {
		return rowWith(rows, "you are bo (commander)") >= 0 && rowWith(rows, "next inject") >= 0
	})
	ana.waitFor("ana's responder console", func(rows []string) bool {
		return rowWith(rows, "you are ana (responder)") >= 0 && rowWith(rows, "next inject") < 0
	})
	// The new console takes keys at once: the first is not lost.
	bo.press("n")
	waitPosition(t, r, 1)
	if got := len(r.Presence()); got != 2 {
		t.Errorf("%d seats after the consoles were rebuilt, want 2", got)
	}
}

// waitPosition waits for the room to have moved n events from where it was
// at T+03:40.
func waitPosition(t *testing.T, r *room.Room, n int) {
	t.Helper()
	start := defaultRoom(t, 3*time.Hour+40*time.Minute).Snapshot().Pos
	deadline := time.Now().Add(10 * time.Second)
	for r.Snapshot().Pos != start+n {
		if time.Now().After(deadline) {
			t.Fatalf("the room is at event %d, want %d", r.Snapshot().Pos, start+n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTeamReloadKeyRemoved: a member whose key was taken out of the file,
// who stays in it with another, is disconnected: the key is what let the
// session in.
func TestTeamReloadKeyRemoved(t *testing.T) {
	mA := newMember(t, "ana", room.RoleCommander)
	mB := newMember(t, "bo", room.RoleResponder)
	srv := startServer(t, defaultRoom(t, 0), teamOf(t, mA, mB))
	bo := connect(t, srv, mB, clientOpts{})
	bo.waitText("you are bo")
	old := mB.key
	mB.key = newSigner(t)
	srv.SetTeam(teamOf(t, mA, mB))
	raw := waitEnded(t, bo)
	want := "the key this session used (" + gossh.FingerprintSHA256(old.PublicKey()) + ") was taken out of bo's entry"
	if !strings.Contains(raw, want) {
		t.Errorf("bo's session ended without saying why; it printed:\n%q", tail(raw, 300))
	}
}

// TestShutdownEndsSessions: Shutdown ends every session with a line saying
// why, every member leaves the room, and new connections are refused.
func TestShutdownEndsSessions(t *testing.T) {
	mA := newMember(t, "ana", room.RoleCommander)
	mB := newMember(t, "bo", room.RoleResponder)
	r := defaultRoom(t, 0)
	srv := startServer(t, r, teamOf(t, mA, mB))
	ana, bo := connect(t, srv, mA, clientOpts{}), connect(t, srv, mB, clientOpts{})
	ana.waitText("you are ana")
	bo.waitText("you are bo")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	for _, c := range []*client{ana, bo} {
		if raw := waitEnded(t, c); !strings.Contains(raw, "warroom: the server is shutting down") {
			t.Errorf("%s's session ended without saying why:\n%q", c.name, tail(raw, 200))
		}
	}
	if ps := r.Presence(); len(ps) != 0 {
		t.Errorf("still in the room after shutdown: %+v", ps)
	}
	if _, err := dial(srv, mA.key); err == nil {
		t.Error("a connection was taken after shutdown")
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
