package room

import (
	"testing"
	"time"
)

// TestPresentLook: a commander's look back travels with the view they
// share, each step a publication, so that a follower's screen moves with
// it; the room itself stays where it was.
func TestPresentLook(t *testing.T) {
	r := New(scenario())
	t.Cleanup(r.Close)
	r.Seek(2 * time.Hour)
	ana := r.Join(Member{Name: "ana", Role: RoleCommander}, "a")
	sub, unsub := r.Subscribe()
	t.Cleanup(unsub)
	drain := func() Snapshot {
		t.Helper()
		select {
		case s := <-sub:
			return s
		case <-time.After(5 * time.Second):
			t.Fatal("no snapshot published")
			return Snapshot{}
		}
	}

	here := r.Here()
	back := r.LookPrev(here)
	ana.Present(View{Focus: 2}.WithLook(&back))
	got := drain().Presenter
	if l, ok := got.Looking(); !ok || l != back || got.By != "ana" {
		t.Fatalf("presented %+v, want ana looking back at %+v", got, back)
	}
	if now := r.Here(); now != here {
		t.Errorf("presenting a look moved the room from %+v to %+v", here, now)
	}
	further := r.LookPrev(back)
	ana.Present(View{Focus: 2}.WithLook(&further))
	if l, _ := drain().Presenter.Looking(); l != further {
		t.Errorf("a further step back was not shared: %+v, want %+v", l, further)
	}
	ana.Present(View{Focus: 2}.WithLook(nil))
	if _, ok := drain().Presenter.Looking(); ok {
		t.Error("back with the room, the view should say so")
	}
}
