package tui

import (
	"bytes"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/room"
)

// TestJoinBeforeStartShows: a member who joins between a console's build
// (New takes the room's snapshot) and its start (Init subscribes) is in its
// header, as an SSH session's console starts while others connect. The
// room publishes that join once; a paused room publishes nothing after it,
// so a console that missed it would show one member too few until
// something else happened.
func TestJoinBeforeStartShows(t *testing.T) {
	r := newRoom(t, 3*time.Hour)
	ana := console(t, r, "ana", room.RoleCommander)
	bo := r.Join(room.Member{Name: "bo", Role: room.RoleResponder}, "bo-session")
	t.Cleanup(bo.Leave)

	tm := teatest.NewTestModel(t, ana, teatest.WithInitialTermSize(120, 40))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("2 in the room")) },
		teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	finish(t, tm)
}
