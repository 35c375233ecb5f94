package model

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// randomEvents builds a sorted timeline touching every part of the state,
// with several events sharing an offset.
func randomEvents(seed uint64, n int) []Event {
	rng := rand.New(rand.NewPCG(seed, 1))
	at := time.Duration(0)
	events := make([]Event, 0, n)
	issued := 0
	for i := range n {
		if rng.IntN(3) > 0 {
			at += time.Duration(rng.IntN(40)) * time.Minute
		}
		var b Body
		switch rng.IntN(8) {
		case 0:
			b = HostStatus{Group: []string{"wms", "label"}[rng.IntN(2)], Recovered: rng.IntN(40), Failed: rng.IntN(10)}
		case 1:
			b = BacklogObservation{Waiting: int64(rng.IntN(2_000_000))}
		case 2:
			issued++
			b = CarrierWarning{ID: fmt.Sprint("w", issued), Carrier: "ups", Severity: SeverityMajor, Headline: "h"}
		case 3:
			if issued > 0 {
				b = Acknowledgement{Warning: fmt.Sprint("w", 1+rng.IntN(issued)), By: "ic"}
			} else {
				b = Note{Author: "ic", Text: "n"}
			}
		case 4:
			b = SellerComplaint{Seller: "s", Topic: []string{"late", "labels"}[rng.IntN(2)], Text: fmt.Sprint(i)}
		case 5:
			b = RunbookStepChange{Step: "reboot", State: []StepState{StepActive, StepDone}[rng.IntN(2)]}
		case 6:
			b = Inject{ID: fmt.Sprint("i", i), Title: "t"}
		default:
			b = Note{Author: "ic", Text: fmt.Sprint(i)}
		}
		events = append(events, Event{At: at, Source: "scenario", Body: b})
	}
	return events
}

// freshAt is the state a brand-new replay gives at time t.
func freshAt(sc *Scenario, events []Event, t time.Duration) State {
	c := NewCursor(NewState(sc), events)
	c.Seek(t)
	return *c.State()
}

func TestCursorBackEqualsFresh(t *testing.T) {
	sc := testScenario()
	events := randomEvents(7, 1500)
	end := events[len(events)-1].At
	rng := rand.New(rand.NewPCG(42, 42))
	c := NewCursor(NewState(sc), events)
	for i := range 200 {
		forward := time.Duration(rng.Int64N(int64(end) + 1))
		back := time.Duration(rng.Int64N(int64(forward) + 1))
		c.Seek(forward)
		if got, want := *c.State(), freshAt(sc, events, forward); !reflect.DeepEqual(got, want) {
			t.Fatalf("#%d forward to %v differs from a fresh replay", i, forward)
		}
		c.Seek(back)
		if got, want := *c.State(), freshAt(sc, events, back); !reflect.DeepEqual(got, want) {
			t.Fatalf("#%d forward to %v then back to %v differs from a fresh replay", i, forward, back)
		}
	}
}

func TestCursorPrevUndoesNext(t *testing.T) {
	sc := testScenario()
	events := randomEvents(3, 400)
	c := NewCursor(NewState(sc), events)
	var states []State
	states = append(states, c.State().Clone())
	for c.Next() {
		states = append(states, c.State().Clone())
	}
	if c.Pos() != len(events) || c.Clock() != events[len(events)-1].At {
		t.Fatalf("after stepping through: pos %d clock %v", c.Pos(), c.Clock())
	}
	for k := len(events) - 1; k >= 0; k-- {
		if !c.Prev() {
			t.Fatalf("Prev refused at %d", k+1)
		}
		if c.Pos() != k || !reflect.DeepEqual(*c.State(), states[k]) {
			t.Fatalf("stepping back to %d differs from stepping forward to it", k)
		}
	}
	if c.Prev() {
		t.Error("Prev at the start must refuse")
	}
}

func TestCursorAdvance(t *testing.T) {
	h := time.Hour
	events := []Event{
		{At: 0, Body: Note{Text: "a"}},
		{At: h, Body: Note{Text: "b"}},
		{At: 2 * h, Body: Note{Text: "c"}},
	}
	c := NewCursor(NewState(nil), events)
	c.Seek(0)
	if c.Pos() != 1 {
		t.Fatalf("Seek(0) applies the events at T+0: pos %d", c.Pos())
	}
	if c.Advance(time.Second) {
		t.Error("a paused cursor must not move")
	}
	c.SetPlaying(true)
	c.SetSpeed(60)
	c.Advance(30 * time.Second) // 30 simulated minutes
	if c.Clock() != 30*time.Minute || c.Pos() != 1 {
		t.Errorf("after 30s at 60x: clock %v pos %d", c.Clock(), c.Pos())
	}
	c.Advance(30 * time.Second)
	if c.Clock() != h || c.Pos() != 2 {
		t.Errorf("after 60s at 60x: clock %v pos %d", c.Clock(), c.Pos())
	}
	c.Advance(time.Hour)
	if c.Clock() != 2*h || c.Pos() != 3 || c.Playing() {
		t.Errorf("past the end: clock %v pos %d playing %v", c.Clock(), c.Pos(), c.Playing())
	}
	c.SetPlaying(true)
	if c.Playing() {
		t.Error("playing at the end must stay paused")
	}
}

func TestCursorSpeed(t *testing.T) {
	c := NewCursor(NewState(nil), nil)
	if c.Speed() != DefaultSpeed {
		t.Fatalf("default speed %v", c.Speed())
	}
	c.SetSpeed(1e9)
	if c.Speed() != MaxSpeed {
		t.Errorf("clamp high: %v", c.Speed())
	}
	c.Faster()
	if c.Speed() != MaxSpeed {
		t.Errorf("faster at max: %v", c.Speed())
	}
	c.SetSpeed(0)
	if c.Speed() != MinSpeed {
		t.Errorf("clamp low: %v", c.Speed())
	}
	c.Slower()
	if c.Speed() != MinSpeed {
		t.Errorf("slower at min: %v", c.Speed())
	}
	c.SetSpeed(60)
	c.Faster()
	if c.Speed() != 120 {
		t.Errorf("faster from 60: %v", c.Speed())
	}
	c.Slower()
	c.Slower()
	if c.Speed() != 30 {
		t.Errorf("slower twice from 120: %v", c.Speed())
	}
}

func TestCursorNextInject(t *testing.T) {
	h := time.Hour
	events := []Event{
		{At: 0, Body: Note{Text: "a"}},
		{At: h, Body: Inject{ID: "i1", Title: "one"}},
		{At: h, Body: Note{Text: "same time"}},
		{At: 3 * h, Body: Inject{ID: "i2", Title: "two"}},
	}
	c := NewCursor(NewState(nil), events)
	c.Seek(0)
	if !c.NextInject() || c.Clock() != h || c.Pos() != 3 {
		t.Fatalf("first inject: clock %v pos %d", c.Clock(), c.Pos())
	}
	if !c.NextInject() || c.Clock() != 3*h || len(c.State().Injects) != 2 {
		t.Fatalf("second inject: clock %v injects %d", c.Clock(), len(c.State().Injects))
	}
	if c.NextInject() {
		t.Error("no inject left")
	}
}

func TestCursorInsertKeepsLaterEvents(t *testing.T) {
	sc := testScenario()
	events := randomEvents(11, 300)
	c := NewCursor(NewState(sc), events)
	mid := events[150].At
	c.Seek(mid)
	pos := c.Pos()
	c.Insert(Event{Body: Note{Author: "ic", Text: "inserted"}})
	if c.Len() != len(events)+1 || c.Pos() != pos+1 {
		t.Fatalf("len %d pos %d", c.Len(), c.Pos())
	}
	if last := c.State().Timeline[len(c.State().Timeline)-1]; last.Text != "note (ic): inserted" || last.At != mid {
		t.Fatalf("inserted entry %+v", last)
	}
	// Going to the end and back must still include the note and give the same
	// state as a fresh replay of the new event list.
	c.Seek(events[len(events)-1].At)
	c.Seek(mid)
	if !reflect.DeepEqual(*c.State(), freshAt(sc, c.Events(), mid)) {
		t.Fatal("after insert, seeking back differs from a fresh replay")
	}
	if events[pos].Body == nil || c.Events()[pos].Body.Kind() != KindNote {
		t.Fatal("insert must not modify the caller's event slice")
	}
}

func TestCursorMergeKeepsReplayExact(t *testing.T) {
	sc := testScenario()
	all := randomEvents(21, 600)
	c := NewCursor(NewState(sc), nil)
	// Feed in batches, some arriving late (older than what is known), and
	// follow the present after each batch.
	rng := rand.New(rand.NewPCG(5, 5))
	for i := 0; i < len(all); {
		n := 1 + rng.IntN(40)
		batch := append([]Event(nil), all[i:min(i+n, len(all))]...)
		if i > 100 && rng.IntN(3) == 0 { // one event from the past
			batch = append(batch, Event{At: all[i-50].At, Body: Note{Author: "late", Text: fmt.Sprint(i)}})
		}
		i += n
		c.Merge(batch)
		c.Follow(batch[len(batch)-1].At)
	}
	fresh := NewCursor(NewState(sc), c.Events())
	fresh.Seek(c.Clock())
	if !reflect.DeepEqual(*c.State(), *fresh.State()) {
		t.Fatal("a cursor fed live differs from a fresh replay of the same events")
	}
	for k := 0; k < 50; k++ {
		c.Prev()
	}
	ref := NewCursor(NewState(sc), c.Events())
	for ref.Pos() < c.Pos() {
		ref.Next()
	}
	if !reflect.DeepEqual(*c.State(), *ref.State()) {
		t.Fatal("scrubbing back in a live cursor differs from a fresh replay")
	}
}

func TestCursorCompactBoundsEventsAndKeepsState(t *testing.T) {
	sc := testScenario()
	all := randomEvents(8, 5000)
	c := NewCursor(NewState(sc), nil)
	c.SetMaxEvents(500)
	for i := 0; i < len(all); i += 25 {
		batch := append([]Event(nil), all[i:min(i+25, len(all))]...)
		c.Merge(batch)
		c.Follow(batch[len(batch)-1].At)
		if c.Len() > 500 {
			t.Fatalf("kept %d events, bound 500", c.Len())
		}
	}
	full := NewCursor(NewState(sc), all)
	full.Seek(c.Clock())
	if !reflect.DeepEqual(*c.State(), *full.State()) {
		t.Fatal("compacting changed the state")
	}
	if c.Start() <= 0 {
		t.Error("the start did not move forward")
	}
	c.Seek(0)
	if c.Clock() != c.Start() || c.Pos() != 0 {
		t.Errorf("seeking before the kept history stops at its start: clock %v start %v", c.Clock(), c.Start())
	}
}
