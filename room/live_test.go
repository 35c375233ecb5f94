package room

import (
	"fmt"
	"reflect"
	"slices"
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
	s, _ = r.Act("ic", model.Note{Author: "ic", Text: "hi"}, "")
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

// shownLists is a deep copy of the lists a snapshot shows.
type shownLists struct {
	timeline []model.Entry
	points   []model.BacklogPoint
	posts    []model.Complaint
	history  []model.HostPoint
}

func copyLists(s *model.State) shownLists {
	return shownLists{slices.Clone(s.Timeline), slices.Clone(s.Backlog.Points), slices.Clone(s.Complaints.Posts), slices.Clone(s.Hosts[0].History)}
}

// TestLiveSnapshotsStayAsShown ingests batches that rewrite history (each
// lands before the health report stamped now, or steps back before events
// already shown) while a console reads every snapshot on its own
// goroutine, and checks that no snapshot changes after it was published:
// rewrites keep and extend the room's arrays in place, which must never be
// memory a published snapshot shows (run with -race to see it read).
func TestLiveSnapshotsStayAsShown(t *testing.T) {
	sc := scenario()
	sc.Events = nil
	sc.Topics = []model.TopicDef{{ID: "late", Name: "late"}}
	now := sc.Meta.Start.Add(100 * time.Hour)
	r := NewLive(sc, WithClock(func() time.Time { return now }))
	defer r.Close()
	updates, unsubscribe := r.Subscribe()

	type kept struct {
		snap  Snapshot
		lists shownLists
	}
	done := make(chan []kept)
	go func() {
		var all []kept
		for s := range updates {
			all = append(all, kept{s, copyLists(&s.State)}) // reads every entry shown
		}
		done <- all
	}()

	health := func(status model.HealthStatus) []model.Event {
		return []model.Event{{At: 100 * time.Hour, Source: "ndjson", Body: model.SourceHealth{Source: "ndjson", Status: status}}}
	}
	r.Ingest(health(model.HealthOK))
	at := time.Duration(0)
	for b := range 300 {
		var batch []model.Event
		if b%3 == 0 {
			at -= 2 * time.Second // this batch steps back before events already shown
		}
		for i := range 12 {
			at += time.Second
			var body model.Body
			switch i % 4 {
			case 0:
				body = model.HostStatus{Group: "wms", Recovered: i}
			case 1:
				body = model.BacklogObservation{Waiting: int64(b*100 + i)}
			case 2:
				body = model.SellerComplaint{Seller: "s", Topic: "late", Text: fmt.Sprint(b, i)}
			default:
				body = model.Note{Author: "ic", Text: fmt.Sprint(b, i)}
			}
			batch = append(batch, model.Event{At: at, Source: "ndjson", Body: body})
		}
		r.Ingest(batch)
		if b%10 == 0 {
			r.Ingest(health(model.HealthError)) // a report that reaches the timeline
		}
	}
	unsubscribe()
	all := <-done
	if len(all) < 10 {
		t.Fatalf("the console saw %d snapshots", len(all))
	}
	for i, k := range all {
		if now := copyLists(&k.snap.State); !reflect.DeepEqual(now, k.lists) {
			t.Fatalf("snapshot %d (seq %d) changed after it was published", i, k.snap.Seq)
		}
	}
	if last := all[len(all)-1].snap; last.Pos != last.Len || len(last.State.Complaints.Posts) != 300*3 {
		t.Errorf("the last snapshot has %d of %d events applied and %d posts, want all and 900", last.Pos, last.Len, len(last.State.Complaints.Posts))
	}
}
