package serve

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// TestActionReachesEveryScreen: three members in one room; what one of them
// does (a note, an acknowledgement, a runbook tick) shows on every screen.
func TestActionReachesEveryScreen(t *testing.T) {
	ana := newMember(t, "ana", room.RoleCommander)
	bo := newMember(t, "bo", room.RoleResponder)
	cy := newMember(t, "cy", room.RoleObserver)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute) // FedEx has warned; nobody acknowledged yet
	srv := startServer(t, r, teamOf(t, ana, bo, cy))
	clients := []*client{connect(t, srv, ana, clientOpts{}), connect(t, srv, bo, clientOpts{}), connect(t, srv, cy, clientOpts{})}
	for _, c := range clients {
		c.waitText("you are " + c.name)
	}
	if got := r.Snapshot().Members(); got != 3 {
		t.Fatalf("the room has %d members, want 3", got)
	}
	b := clients[1]

	b.press(":note hello from bo\r")
	for _, c := range clients {
		c.waitText("hello from bo")
	}

	b.press("3")
	b.waitText("▶ 3 Carrier warnings")
	b.press("a")
	for _, c := range clients {
		c.waitText("Carrier warnings (0 unacked)")
		c.waitText("bo acknowledged FedEx")
	}

	b.press("5")
	b.waitText("▶ 5 Runbook")
	steps := r.Snapshot().State.Runbook
	idx := slices.IndexFunc(steps, func(s model.Step) bool { return s.State != model.StepDone })
	if idx < 0 {
		t.Fatal("every runbook step is done already")
	}
	b.pressEach(strings.Repeat("j", idx) + "x")
	label := fmt.Sprintf("%d %s", idx+1, steps[idx].Title[:15])
	for _, c := range clients {
		c.waitFor("step "+label+" done", func(rows []string) bool {
			i := rowWith(rows, label)
			return i >= 0 && strings.Contains(rows[i], "✓")
		})
	}
	if got := r.Snapshot().State.Runbook[idx]; got.State != model.StepDone || got.By != "bo" {
		t.Errorf("step %d is %s by %q in the room, want done by bo", idx+1, got.State, got.By)
	}
}

// TestObserverCannotAct: an observer's note is refused with one line saying
// why, and nothing reaches the room.
func TestObserverCannotAct(t *testing.T) {
	ana := newMember(t, "ana", room.RoleCommander)
	cy := newMember(t, "cy", room.RoleObserver)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv := startServer(t, r, teamOf(t, ana, cy))
	a, c := connect(t, srv, ana, clientOpts{}), connect(t, srv, cy, clientOpts{})
	a.waitText("you are ana (commander)")
	c.waitText("you are cy (observer)")
	before := r.Snapshot()

	c.press(":note x\r")
	c.waitText("cy is an observer: observers see everything and change nothing")
	c.press("3")
	c.waitText("▶ 3 Carrier warnings")
	c.press("a")
	c.waitText("cy is an observer")

	after := r.Snapshot()
	if after.Len != before.Len || len(after.State.Timeline) != len(before.State.Timeline) {
		t.Errorf("an observer's action reached the room: %d events (was %d), %d timeline lines (was %d)",
			after.Len, before.Len, len(after.State.Timeline), len(before.State.Timeline))
	}
	for _, e := range after.State.Timeline {
		if e.Source == "responder:cy" || e.Kind == model.KindNote && strings.Contains(e.Text, "x") && e.At == after.Clock {
			t.Errorf("the timeline has cy's %s: %q", e.Kind, e.Text)
		}
	}
	if rows, _, _ := a.view.snapshot(); rowWith(rows, "cy is an observer") >= 0 {
		t.Error("the refusal shows on the commander's screen too")
	}
}
