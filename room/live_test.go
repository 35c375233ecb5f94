package room

import (
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

func TestLiveRoomFollowsScrubsAndReturns(t *testing.T) {
	sc := scenario()
	sc.Events = nil
	var mu sync.Mutex
	now := sc.Meta.Start.Add(2 * time.Hour)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	r := NewLive(sc, WithClock(clock))
	defer r.Close()
	s := r.Snapshot()
	if !s.Live || !s.Following || s.Clock != 2*time.Hour {
		t.Fatalf("a new live room follows now: %+v", s)
	}
	r.Ingest([]model.Event{
		{At: 90 * time.Minute, Body: model.HostStatus{Group: "wms", Recovered: 2, Failed: 8}},
		{At: 80 * time.Minute, Body: model.BacklogObservation{Waiting: 1000}}, // out of order
	})
	advance(10 * time.Minute)
	r.Ingest([]model.Event{{At: 2*time.Hour + 5*time.Minute, Body: model.HostStatus{Group: "wms", Recovered: 5, Failed: 5}}})
	s = r.Snapshot()
	if s.State.Hosts[0].Recovered != 5 || s.Clock != 2*time.Hour+10*time.Minute || s.Pos != 3 {
		t.Fatalf("following: recovered %d clock %v pos %d", s.State.Hosts[0].Recovered, s.Clock, s.Pos)
	}

	// Scrub back: the view stays in the past while data keeps arriving.
	s = r.Prev()
	if s.Following || s.State.Hosts[0].Recovered != 2 {
		t.Fatalf("scrubbed back: following %v recovered %d", s.Following, s.State.Hosts[0].Recovered)
	}
	r.Ingest([]model.Event{{At: 2*time.Hour + 9*time.Minute, Body: model.HostStatus{Group: "wms", Recovered: 9, Failed: 1}}})
	if s = r.Snapshot(); s.State.Hosts[0].Recovered != 2 || s.Len != 4 {
		t.Fatalf("ingestion while scrubbed back must not move the view: recovered %d len %d", s.State.Hosts[0].Recovered, s.Len)
	}
	s = r.ReturnLive()
	if !s.Following || s.State.Hosts[0].Recovered != 9 || s.Pos != 4 {
		t.Fatalf("back to live: following %v recovered %d pos %d", s.Following, s.State.Hosts[0].Recovered, s.Pos)
	}
	// An action in a live room happens now.
	s = r.Act("ic", model.Note{Author: "ic", Text: "hi"}, "")
	if last := s.State.Timeline[len(s.State.Timeline)-1]; last.At != 2*time.Hour+10*time.Minute {
		t.Errorf("note at %v, want now", last.At)
	}
	// Space freezes and unfreezes.
	if s = r.TogglePlay(); s.Following {
		t.Error("toggle should freeze the live view")
	}
	if s = r.TogglePlay(); !s.Following {
		t.Error("toggle again should follow")
	}
}

func TestLiveIngestFromManySources(t *testing.T) {
	sc := scenario()
	sc.Events = nil
	r := NewLive(sc, WithClock(func() time.Time { return sc.Meta.Start.Add(time.Hour) }))
	defer r.Close()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				r.Ingest([]model.Event{{At: time.Duration(g*100+i) * time.Second, Body: model.Note{Author: "s", Text: "x"}}})
			}
		}()
	}
	wg.Wait()
	if s := r.Snapshot(); s.Pos != 800 || len(s.State.Timeline) != 800 {
		t.Fatalf("pos %d timeline %d, want 800", s.Pos, len(s.State.Timeline))
	}
}

func TestLateEventMovesTheEpoch(t *testing.T) {
	sc := scenario()
	sc.Events = nil
	r := NewLive(sc, WithClock(func() time.Time { return sc.Meta.Start.Add(time.Hour) }))
	defer r.Close()
	r.Ingest([]model.Event{{At: 30 * time.Minute, Body: model.Note{Author: "a", Text: "on time"}}})
	before := r.Snapshot().State.Epoch
	r.Ingest([]model.Event{{At: 40 * time.Minute, Body: model.Note{Author: "a", Text: "in order"}}})
	if e := r.Snapshot().State.Epoch; e != before {
		t.Fatalf("an event in order must not move the epoch: %d -> %d", before, e)
	}
	r.Ingest([]model.Event{{At: 10 * time.Minute, Body: model.Note{Author: "a", Text: "late"}}})
	if e := r.Snapshot().State.Epoch; e == before {
		t.Fatal("a late event rewrote history: the epoch must move so views drop their caches")
	}
}
