package serve

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// liveDefaultRoom is a live room on the default scenario's declarations,
// six hours in, fed its events up to now (injects aside).
func liveDefaultRoom(t *testing.T) *room.Room {
	t.Helper()
	sc := defaultRoom(t, 0).Scenario()
	live := *sc
	live.Meta.Start = time.Now().Add(-6 * time.Hour)
	live.Events = nil
	r := room.NewLive(&live)
	t.Cleanup(r.Close)
	var in []model.Event
	for _, e := range sc.Events {
		if _, inject := e.Body.(model.Inject); inject || e.At > 6*time.Hour {
			continue
		}
		e.Source = "drill"
		in = append(in, e)
	}
	r.Ingest(in)
	return r
}

// TestBriefingFollowsOverSSH: two sessions of one live room, the commander
// at her console and a shared screen in the briefing view following her.
// When she looks back on her own the shared screen looks back with her,
// its header naming her; when she zooms a pane it shows that pane; back
// with the room, it is back too.
func TestBriefingFollowsOverSSH(t *testing.T) {
	mA := newMember(t, "ana", room.RoleCommander)
	mW := newMember(t, "wall", room.RoleObserver)
	r := liveDefaultRoom(t)
	srv := startServer(t, r, teamOf(t, mA, mW))
	ana, wall := connect(t, srv, mA, clientOpts{}), connect(t, srv, mW, clientOpts{w: 200, h: 50})
	ana.waitText("you are ana")
	wall.waitText("you are wall")

	ana.pressEach("3") // a commander's every key shares her view
	waitView(t, r, 3)
	wall.press("b")
	wall.waitFor("the briefing", func(rows []string) bool { return strings.HasPrefix(rows[0], " BRIEFING") })
	wall.press("f")
	head := func(what string, ok func(string) bool) {
		t.Helper()
		wall.waitFor(what, func(rows []string) bool { return ok(rows[0]) })
	}
	head("following ana, live", func(h string) bool { return strings.Contains(h, "following ana") && strings.Contains(h, "● LIVE") })
	waitPresence(t, r, func(ps []room.Presence) bool { return following(ps, "wall") == "ana" })

	ana.pressEach("ppp")
	ana.waitFor("ana looking back", func(rows []string) bool { return strings.Contains(rows[0], "◀ viewing") })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if l, back := r.Snapshot().Presenter.Looking(); back && l.Pos == r.Here().Pos-3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ana's look back never reached the room's shared view: %+v", r.Snapshot().Presenter)
		}
		time.Sleep(5 * time.Millisecond)
	}
	l, _ := r.Snapshot().Presenter.Looking()
	at := model.FormatOffset(l.Clock)
	head("looking back at "+at+" with ana", func(h string) bool {
		return strings.Contains(h, "◀ looking back") && strings.Contains(h, at) && strings.Contains(h, "following ana")
	})
	if s := r.Snapshot(); !s.Following {
		t.Error("a shared screen looking back with ana froze the live room")
	}

	ana.pressEach("2z")
	wall.waitFor("the pane ana zoomed", func(rows []string) bool {
		return strings.Contains(rows[0], "following ana") && rowWith(rows, "2 Delivery backlog") >= 0 && rowWith(rows, "Orders waiting") < 0
	})
	ana.pressEach("z")
	ana.press("L")
	head("back live with ana", func(h string) bool { return strings.Contains(h, "● LIVE") && strings.Contains(h, "following ana") })
	wall.waitFor("the briefing again", func(rows []string) bool { return rowWith(rows, "Orders waiting") >= 0 })
}
