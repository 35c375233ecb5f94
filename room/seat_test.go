package room

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// TestRolesDecideWhoActs: a commander moves the clock and controls injects;
// a responder acknowledges, notes, ticks and decides; an observer changes
// nothing; each refusal says why and leaves the room as it was.
func TestRolesDecideWhoActs(t *testing.T) {
	r := New(scenario())
	defer r.Close()
	cmd := r.Join(Member{Name: "ana", Role: RoleCommander}, "s1")
	rsp := r.Join(Member{Name: "bo", Role: RoleResponder}, "s2")
	obs := r.Join(Member{Name: "cy", Role: RoleObserver}, "s3")
	r.Seek(2 * time.Hour)

	tests := []struct {
		name string
		seat *Seat
		do   func(s *Seat) (Snapshot, error)
		ok   bool
		why  string
	}{
		{"commander steps", cmd, (*Seat).Next, true, ""},
		{"responder cannot step the room", rsp, (*Seat).Next, false, "only a commander moves the room's clock"},
		{"observer cannot play", obs, (*Seat).TogglePlay, false, "only a commander"},
		{"responder notes", rsp, func(s *Seat) (Snapshot, error) { return s.Act(model.Note{Author: "bo", Text: "hi"}, "") }, true, ""},
		{"observer cannot note", obs, func(s *Seat) (Snapshot, error) { return s.Act(model.Note{Author: "cy", Text: "hi"}, "") }, false,
			"cy is an observer: observers see everything and change nothing"},
		{"responder acks", rsp, func(s *Seat) (Snapshot, error) { return s.Act(model.Acknowledgement{Warning: "w", By: "bo"}, "") }, true, ""},
		{"a second ack says who", cmd, func(s *Seat) (Snapshot, error) { return s.Act(model.Acknowledgement{Warning: "w", By: "ana"}, "") }, false,
			"already acknowledged by bo"},
		{"no such warning", rsp, func(s *Seat) (Snapshot, error) { return s.Act(model.Acknowledgement{Warning: "nope", By: "bo"}, "") }, false,
			`there is no warning "nope"`},
		{"no such step", rsp, func(s *Seat) (Snapshot, error) {
			return s.Act(model.RunbookStepChange{Step: "nope", State: model.StepDone, By: "bo"}, "")
		}, false, `there is no runbook step "nope"`},
		{"responder cannot fire an inject", rsp, func(s *Seat) (Snapshot, error) {
			return s.Act(model.InjectControl{Inject: "i", Action: model.InjectFire}, "")
		}, false, "only a commander controls injects"},
		{"commander fires", cmd, func(s *Seat) (Snapshot, error) {
			return s.Act(model.InjectControl{Inject: "i", Action: model.InjectFire}, "")
		}, true, ""},
	}
	for _, tt := range tests {
		before := r.Snapshot()
		_, err := tt.do(tt.seat)
		after := r.Snapshot()
		switch {
		case tt.ok && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case !tt.ok && err == nil:
			t.Errorf("%s: allowed", tt.name)
		case !tt.ok && (!errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tt.why)):
			t.Errorf("%s: %v, want a refusal saying %q", tt.name, err, tt.why)
		case !tt.ok && (after.Len != before.Len || after.Pos != before.Pos || after.Clock != before.Clock):
			t.Errorf("%s: a refusal changed the room", tt.name)
		}
	}
	// What a responder did carries their name.
	var found bool
	for _, e := range r.Snapshot().State.Timeline {
		if e.Source == "responder:bo" && strings.Contains(e.Text, "hi") {
			found = true
		}
	}
	if !found {
		t.Error("bo's note is not in the timeline under bo's name")
	}
}

// TestFloodOfActions: a stuck key or a paste sends actions faster than a
// person does; past the burst they are refused, and once the seat slows
// down it acts again.
func TestFloodOfActions(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	r := New(scenario(), WithClock(func() time.Time { return now }))
	defer r.Close()
	s := r.Join(Member{Name: "bo", Role: RoleResponder}, "s")
	taken, refused := 0, 0
	for range 200 {
		if _, err := s.Act(model.Note{Author: "bo", Text: "x"}, ""); err != nil {
			if !strings.Contains(err.Error(), "slow down") {
				t.Fatalf("refusal: %v", err)
			}
			refused++
			continue
		}
		taken++
	}
	if taken != burstActions || refused != 200-burstActions {
		t.Errorf("took %d, refused %d; want the burst of %d taken", taken, refused, burstActions)
	}
	now = now.Add(time.Second)
	if _, err := s.Act(model.Note{Author: "bo", Text: "later"}, ""); err != nil {
		t.Errorf("a second later the seat should act again: %v", err)
	}
	if got := countNotes(r.Snapshot().State); got != burstActions+1 {
		t.Errorf("%d notes in the room, want %d", got, burstActions+1)
	}
}

func countNotes(st model.State) int {
	n := 0
	for _, e := range st.Timeline {
		if e.Kind == model.KindNote {
			n++
		}
	}
	return n
}

// TestResponderTextIsSanitised: what a responder types shows on other
// people's terminals; it passes the same sanitiser as source text.
func TestResponderTextIsSanitised(t *testing.T) {
	r := New(scenario())
	defer r.Close()
	s := r.Join(Member{Name: "bo", Role: RoleResponder}, "s")
	if _, err := s.Act(model.Note{Author: "bo", Text: "ok\x1b]0;pwned\x07 \x9b2J\u202edone"}, ""); err != nil {
		t.Fatal(err)
	}
	tl := r.Snapshot().State.Timeline
	last := tl[len(tl)-1].Text
	if v := model.Visible(last); v != last {
		t.Errorf("the note kept what a terminal acts on: %s", v)
	}
}

// TestPresence: joins and leaves show in the snapshot; a member with two
// sessions counts once; leaving twice is once.
func TestPresence(t *testing.T) {
	r := New(scenario())
	defer r.Close()
	a1 := r.Join(Member{Name: "ana", Role: RoleCommander}, "s1")
	a2 := r.Join(Member{Name: "ana", Role: RoleCommander}, "s2")
	b := r.Join(Member{Name: "bo", Role: RoleObserver}, "s3")
	if s := r.Snapshot(); len(s.Present) != 3 || s.Members() != 2 {
		t.Fatalf("present %d seats, %d members; want 3 and 2", len(s.Present), s.Members())
	}
	b.Follow("ana")
	b.LookBack(true, time.Hour)
	for _, p := range r.Presence() {
		if p.Name == "bo" && (p.Following != "ana" || !p.Private || p.Viewing != time.Hour) {
			t.Errorf("bo's presence: %+v", p)
		}
	}
	a1.Leave()
	a1.Leave()
	b.Leave()
	if s := r.Snapshot(); len(s.Present) != 1 || s.Present[0].Session != "s2" {
		t.Errorf("after leaving: %+v", s.Present)
	}
	a2.Leave()
	if s := r.Snapshot(); len(s.Present) != 0 {
		t.Errorf("everyone left: %+v", s.Present)
	}
}

// TestLooksNeverPassTheRoom: a console looking back steps on its own and
// never past where the room is; the state it shows is a fresh replay's.
func TestLooksNeverPassTheRoom(t *testing.T) {
	sc := scenario()
	r := New(sc)
	defer r.Close()
	r.Seek(3 * time.Hour)
	here := r.Here()
	l := r.LookPrev(r.LookPrev(here))
	if l.Pos != here.Pos-2 {
		t.Fatalf("two steps back: %d, want %d", l.Pos, here.Pos-2)
	}
	snap := r.SnapshotOf(l)
	fresh := New(sc)
	defer fresh.Close()
	for fresh.Snapshot().Pos < l.Pos {
		fresh.Next()
	}
	if got, want := snap.State.Backlog.Points, fresh.Snapshot().State.Backlog.Points; len(got) != len(want) {
		t.Errorf("look's backlog has %d points, a fresh replay %d", len(got), len(want))
	}
	if r.Snapshot().Pos != here.Pos {
		t.Error("looking back moved the room")
	}
	for range 10 {
		l = r.LookNext(l)
	}
	if l != here {
		t.Errorf("stepping on stops at the room: %+v, room %+v", l, here)
	}
	if l := r.LookAt(100 * time.Hour); l != here {
		t.Errorf("a look past the room is the room: %+v", l)
	}
}
