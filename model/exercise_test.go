package model

import (
	"reflect"
	"testing"
	"time"
)

const h = time.Hour

// drill is an exercise with three injects an hour apart.
func drill() *Scenario {
	inj := func(id string) Inject {
		return Inject{ID: id, Title: "title " + id, Prompt: "?", Expected: []string{"a", "b"}}
	}
	sc := testScenario()
	sc.Events = []Event{
		{At: 0, Body: Note{Author: "ic", Text: "start"}},
		{At: 1 * h, Body: inj("i1")},
		{At: 90 * time.Minute, Body: Note{Author: "ic", Text: "between"}},
		{At: 2 * h, Body: inj("i2")},
		{At: 3 * h, Body: inj("i3")},
		{At: 4 * h, Body: Note{Author: "ic", Text: "end"}},
	}
	return sc
}

func playing(sc *Scenario) *Cursor {
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(0)
	c.SetSpeed(MaxSpeed)
	c.SetPlaying(true)
	return c
}

func status(c *Cursor, id string) InjectState {
	in, _ := c.State().InjectByID(id)
	return in
}

func TestPlaybackPausesAtEachInjectEvenInALongJump(t *testing.T) {
	c := playing(drill())
	for _, want := range []struct {
		id string
		at time.Duration
	}{{"i1", 1 * h}, {"i2", 2 * h}, {"i3", 3 * h}} {
		c.Advance(24 * time.Hour) // far past every inject in one step
		in := status(c, want.id)
		if c.Playing() || c.Clock() != want.at || in.Status != InjectFired || in.FiredAt != want.at {
			t.Fatalf("want a pause at %s with %s fired on time: playing %v clock %v %+v", FormatOffset(want.at), want.id, c.Playing(), c.Clock(), in)
		}
		if cur, _ := c.State().CurrentInject(); cur.ID != want.id {
			t.Errorf("current inject %q, want %q", cur.ID, want.id)
		}
		c.SetPlaying(true)
	}
	c.Advance(24 * time.Hour)
	if c.Clock() != 4*h || c.Playing() || c.Pos() != c.Len() {
		t.Errorf("after the last inject playback runs to the end: clock %v pos %d/%d", c.Clock(), c.Pos(), c.Len())
	}
}

func TestPauseAndResumeNeverShiftAnInject(t *testing.T) {
	c := playing(drill())
	c.SetSpeed(60)
	c.Advance(75 * time.Second) // to T+01:15 at 60x: i1 delivered at T+01:00 and paused there
	if c.Clock() != 1*h {
		t.Fatalf("clock %v, want the pause at i1", c.Clock())
	}
	c.SetPlaying(true)
	c.Advance(15 * time.Second) // T+01:15
	c.SetPlaying(false)
	for range 10 { // a long pause: real time passes, the clock does not
		if c.Advance(time.Hour) {
			t.Fatal("a paused cursor moved")
		}
	}
	c.SetPlaying(true)
	for c.Playing() {
		c.Advance(7 * time.Second)
	}
	if in := status(c, "i2"); c.Clock() != 2*h || in.FiredAt != 2*h {
		t.Fatalf("after pause and resume i2 must fire at T+02:00: clock %v %+v", c.Clock(), in)
	}
}

func TestHoldReleaseSkipAndFireNow(t *testing.T) {
	sc := drill()
	c := playing(sc)
	c.Advance(24 * time.Hour) // paused at i1
	c.Insert(Event{Body: InjectControl{Inject: "i2", Action: InjectHold, By: "fac"}})
	c.Insert(Event{Body: InjectControl{Inject: "i3", Action: InjectFire, By: "fac"}})
	if in := status(c, "i3"); in.Status != InjectFired || in.FiredAt != 1*h {
		t.Fatalf("fire now: %+v", in)
	}
	c.SetPlaying(true)
	c.Advance(24 * time.Hour)
	// i2 is held and i3 already fired: nothing stops playback before the end.
	if c.Clock() != 4*h || c.Playing() {
		t.Fatalf("held and fired injects must not pause playback: clock %v", c.Clock())
	}
	if in := status(c, "i2"); in.Status != InjectHeld || !in.Reached {
		t.Fatalf("held inject past its time: %+v", in)
	}
	if in := status(c, "i3"); in.FiredAt != 1*h {
		t.Fatalf("an inject fired early must not fire again on schedule: %+v", in)
	}
	c.Insert(Event{Body: InjectControl{Inject: "i2", Action: InjectRelease, By: "fac"}})
	if in := status(c, "i2"); in.Status != InjectFired || in.FiredAt != 4*h {
		t.Fatalf("released after its time fires at release: %+v", in)
	}
	if cur, _ := c.State().CurrentInject(); cur.ID != "i2" {
		t.Errorf("current inject after release: %q", cur.ID)
	}
	for _, e := range c.State().Timeline {
		if e.Kind == KindInjectControl && e.Facilitator == (e.Text[:6] == "INJECT") {
			t.Errorf("facilitator-only marking wrong on %q", e.Text)
		}
	}
	// Nothing was lost: all three fired, each exactly once in the timeline.
	n := 0
	for _, e := range c.State().Timeline {
		if e.Kind == KindInject || (e.Kind == KindInjectControl && len(e.Text) > 6 && e.Text[:6] == "INJECT") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d inject deliveries in the timeline, want 3", n)
	}
}

func TestReleaseBeforeItsTimeFiresOnSchedule(t *testing.T) {
	c := playing(drill())
	c.Advance(24 * time.Hour) // at i1
	c.Insert(Event{Body: InjectControl{Inject: "i2", Action: InjectHold}})
	c.Insert(Event{Body: InjectControl{Inject: "i2", Action: InjectRelease}})
	c.SetPlaying(true)
	c.Advance(24 * time.Hour)
	if in := status(c, "i2"); c.Clock() != 2*h || in.FiredAt != 2*h {
		t.Fatalf("released before T+02:00, i2 must fire on schedule: clock %v %+v", c.Clock(), in)
	}
}

func TestSkippedInjectNeverFires(t *testing.T) {
	c := playing(drill())
	c.Insert(Event{Body: InjectControl{Inject: "i1", Action: InjectSkip}})
	c.SetPlaying(true)
	c.Advance(24 * time.Hour)
	if c.Clock() != 2*h || status(c, "i1").Status != InjectSkipped {
		t.Fatalf("skipped i1: playback must stop first at i2: clock %v", c.Clock())
	}
	if !c.NextInject() || c.Clock() != 3*h {
		t.Fatalf("next inject from i2 is i3: clock %v", c.Clock())
	}
}

func TestNoPauseOnInject(t *testing.T) {
	c := playing(drill())
	c.SetPauseOnInject(false)
	c.Advance(24 * time.Hour)
	if c.Clock() != 4*h {
		t.Fatalf("without pause-on-inject playback runs to the end: %v", c.Clock())
	}
	for _, id := range []string{"i1", "i2", "i3"} {
		if in := status(c, id); in.Status != InjectFired || in.FiredAt != in.Due {
			t.Errorf("%s: %+v", id, in)
		}
	}
}

func TestDecisionsChecksAndScore(t *testing.T) {
	c := playing(drill())
	c.Advance(24 * time.Hour) // i1
	wall := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	c.Insert(Event{Body: Decision{By: "ana", Text: "post a status", Wall: wall}})
	if got := status(c, "i1").Score(); got != "" {
		t.Errorf("delivered but not scored yet: score %q", got)
	}
	c.Insert(Event{Body: ExpectedCheck{Inject: "i1", Item: 0, Done: true}})
	c.Insert(Event{Body: ExpectedCheck{Inject: "i1", Item: 5, Done: true}}) // out of range: ignored
	s := c.State()
	if len(s.Decisions) != 1 || s.Decisions[0].Inject != "i1" || s.Decisions[0].At != h || !s.Decisions[0].Wall.Equal(wall) {
		t.Fatalf("decisions %+v", s.Decisions)
	}
	if got := status(c, "i1").Score(); got != "partly" {
		t.Errorf("one of two expected actions: score %q", got)
	}
	c.Insert(Event{Body: ExpectedCheck{Inject: "i1", Item: 1, Done: true}})
	if got := status(c, "i1").Score(); got != "met" {
		t.Errorf("both: score %q", got)
	}
	if got := status(c, "i2").Score(); got != "" {
		t.Errorf("an inject not yet delivered has no score: %q", got)
	}
	// Seeking back before the check undoes it; forward redoes it.
	c.Seek(30 * time.Minute)
	if len(c.State().Decisions) != 0 {
		t.Error("decision visible before it was taken")
	}
	c.Seek(h)
	if status(c, "i1").Score() != "met" || len(c.State().Decisions) != 1 {
		t.Error("decision or checks lost after seeking back and forth")
	}
}

func TestExerciseReplayIsExact(t *testing.T) {
	sc := drill()
	c := playing(sc)
	c.Advance(24 * time.Hour)
	c.Insert(Event{Body: InjectControl{Inject: "i3", Action: InjectFire}})
	c.Insert(Event{Body: Decision{By: "ana", Text: "x"}})
	c.Insert(Event{Body: ExpectedCheck{Inject: "i3", Item: 1, Done: true}})
	c.Insert(Event{Body: WhatIf{Factor: 0.8, From: 2 * h}})
	c.Seek(4 * h)
	end := c.State().Clone()
	fresh := NewCursor(NewState(sc), c.Events())
	fresh.Seek(4 * h)
	if !reflect.DeepEqual(end, *fresh.State()) {
		t.Fatal("replaying the recorded exercise gives a different state")
	}
	if end.WhatIf.Factor != 0.8 {
		t.Errorf("what-if %+v", end.WhatIf)
	}
}
