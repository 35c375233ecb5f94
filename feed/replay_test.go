package feed

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

// TestDefaultScenarioReplayIsExact plays the default scenario forward to a
// random time and back to an earlier one, many times, and checks each state
// against a brand-new replay to the same time.
func TestDefaultScenarioReplayIsExact(t *testing.T) {
	sc, err := OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	fresh := func(at time.Duration) model.State {
		c := model.NewCursor(model.NewState(sc), sc.Events)
		c.Seek(at)
		return *c.State()
	}
	// freshSteps is a new cursor stepped forward event by event to k events.
	freshSteps := func(k int) model.State {
		c := model.NewCursor(model.NewState(sc), sc.Events)
		for c.Pos() < k {
			c.Next()
		}
		return *c.State()
	}
	c := model.NewCursor(model.NewState(sc), sc.Events)
	rng := rand.New(rand.NewPCG(2024, 7))
	for i := range 300 {
		forward := time.Duration(rng.Int64N(int64(sc.End()) + 1))
		back := time.Duration(rng.Int64N(int64(forward) + 1))
		c.Seek(forward)
		for range rng.IntN(5) {
			c.Next()
		}
		c.Seek(back)
		if got := *c.State(); !reflect.DeepEqual(got, fresh(back)) {
			t.Fatalf("#%d: forward to %s then back to %s differs from a fresh replay",
				i, model.FormatOffset(forward), model.FormatOffset(back))
		}
		for range 1 + rng.IntN(4) {
			c.Prev()
		}
		if got := *c.State(); !reflect.DeepEqual(got, freshSteps(c.Pos())) {
			t.Fatalf("#%d: stepping back to %d events differs from stepping forward to it", i, c.Pos())
		}
	}
}

// TestDefaultScenarioShape checks the default scenario delivers what the
// console promises to show.
func TestDefaultScenarioShape(t *testing.T) {
	sc, err := OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[model.Kind]int{}
	for _, e := range sc.Events {
		counts[e.Body.Kind()]++
	}
	total := 0
	for _, g := range sc.HostGroups {
		total += g.Total
	}
	switch { // each check reports on its own below; this one stops at the first
	case len(sc.Events) < 300:
		t.Errorf("%d events, want at least 300", len(sc.Events))
	case sc.End() < 72*time.Hour:
		t.Errorf("ends at %s, want at least 72 hours", model.FormatOffset(sc.End()))
	case counts[model.KindComplaint] < 40:
		t.Errorf("%d complaints, want at least 40", counts[model.KindComplaint])
	case counts[model.KindInject] < 8:
		t.Errorf("%d injects, want at least 8", counts[model.KindInject])
	case len(sc.HostGroups) < 5 || total < 1000:
		t.Errorf("%d host groups with %d hosts, want 5+ groups and thousands of hosts", len(sc.HostGroups), total)
	}
	want := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	if !sc.Meta.Start.Equal(want) {
		t.Errorf("T+0 is %v, want the Channel File 291 push at %v", sc.Meta.Start, want)
	}
	// The backlog rises for hours after the crash, then drains.
	c := model.NewCursor(model.NewState(sc), sc.Events)
	c.Seek(sc.End())
	b := c.State().Backlog
	if b.PeakAt < 3*time.Hour || b.PeakAt > 24*time.Hour {
		t.Errorf("backlog peaks at %s, want some hours after the crash", model.FormatOffset(b.PeakAt))
	}
	d := model.BuildDebrief(sc, *c.State(), nil)
	if !d.Cleared || d.ClearedAt-b.PeakAt < 36*time.Hour || d.ClearedAt-b.PeakAt > 84*time.Hour {
		t.Errorf("backlog back to normal (%d) at %s after a peak at %s: want it to drain over days, within the scenario",
			d.Baseline, model.FormatOffset(d.ClearedAt), model.FormatOffset(b.PeakAt))
	}
}
