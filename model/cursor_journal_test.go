package model

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestMergePositions: the positions MergePositions gives are where Merge
// puts each event, for batches in order, late, tied with known events and
// after compaction; and a list rebuilt by inserting each event at its
// position in order is the list the cursor keeps.
func TestMergePositions(t *testing.T) {
	sc := testScenario()
	c := NewCursor(NewState(sc), nil)
	c.SetMaxEvents(200)
	var whole []Event // every event, inserted at its recorded position
	n := 0
	note := func(at time.Duration) Event {
		n++
		return Event{At: at, Body: Note{Author: "t", Text: itoaT(n)}}
	}
	batches := [][]Event{}
	for b := range 40 {
		at := time.Duration(b) * 10 * time.Minute
		batch := []Event{note(at), note(at + time.Minute), note(at - 3*time.Minute), note(at), note(at + 30*time.Second)}
		if b%7 == 3 {
			batch = append(batch, note(at-2*time.Hour)) // well before: lands among older events
		}
		batches = append(batches, batch)
	}
	for _, batch := range batches {
		pos := c.MergePositions(batch)
		for j, e := range batch {
			whole = slices.Insert(whole, pos[j], e)
		}
		c.Merge(batch)
		c.Follow(c.End())
		for j, e := range batch {
			if k := pos[j] - c.Base(); k >= 0 && !reflect.DeepEqual(c.Events()[k], e) {
				t.Fatalf("event %v predicted at %d, the cursor has %v there", e, pos[j], c.Events()[k])
			}
		}
	}
	if c.Base() == 0 {
		t.Fatal("fixture: the cursor should have compacted")
	}
	if !reflect.DeepEqual(whole[c.Base():], c.Events()) {
		t.Fatalf("the list rebuilt from positions differs from the cursor's kept events")
	}
	// The state at the end equals a fresh fold of the whole rebuilt list.
	fresh := NewCursor(NewState(sc), whole)
	fresh.Seek(c.End())
	if got, want := c.State().Timeline, fresh.State().Timeline; !reflect.DeepEqual(got, want) {
		t.Errorf("state differs from a fold of the rebuilt list")
	}
}

func itoaT(n int) string { return time.Duration(n).String() }

// TestGoToAndStateAt: GoTo restores a position and clock exactly; StateAt
// gives the state a fresh replay gives at any position without moving the
// cursor.
func TestGoToAndStateAt(t *testing.T) {
	sc := handMade()
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(7 * h)
	for k := 0; k <= len(sc.Events); k++ {
		fresh := NewCursor(NewState(sc), sc.Events)
		fresh.goTo(k)
		clock := fresh.lastAt() + time.Minute
		fresh.setClock(clock)
		got := c.StateAt(k, clock)
		if !reflect.DeepEqual(got.Backlog, fresh.State().Backlog) || !reflect.DeepEqual(got.Runbook, fresh.State().Runbook) ||
			got.Now != clock || got.Applied != fresh.State().Applied {
			t.Fatalf("StateAt(%d) differs from a fresh replay", k)
		}
		if c.Pos() != len(sc.Events) {
			t.Fatalf("StateAt moved the cursor to %d", c.Pos())
		}
		g := NewCursor(NewState(sc), sc.Events)
		g.GoTo(k, clock)
		if g.Pos() != k || g.Clock() != clock || g.State().Applied != fresh.State().Applied {
			t.Fatalf("GoTo(%d, %v): at %d, clock %v", k, clock, g.Pos(), g.Clock())
		}
	}
}
