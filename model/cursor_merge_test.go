package model

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// liveBatch is one Merge of a live feed and the present after it; back is
// how many events a responder steps back before the view returns to the
// present.
type liveBatch struct {
	events []Event
	now    time.Duration
	back   int
}

// scrubbing has a responder step back every few batches, then return.
func scrubbing(feed []liveBatch) []liveBatch {
	for i := range feed {
		if i%7 == 3 {
			feed[i].back = 1 + i%5
		}
	}
	return feed
}

// play merges b and follows the present, after stepping back b.back events.
func (b liveBatch) play(c *Cursor) (rewrote bool) {
	rewrote = c.Merge(b.events)
	for range b.back {
		c.Prev()
	}
	c.Follow(b.now)
	return rewrote
}

// health is a source's health report stamped at, as the feed runner sends
// after a batch; a report that is not ok puts a line in the timeline.
func health(at time.Duration, status HealthStatus) Event {
	return Event{At: at, Source: "ndjson", Body: SourceHealth{Source: "ndjson", Status: status, LastData: at, Feeds: []Kind{KindNote}}}
}

// listEvents is a sorted timeline that mostly grows the state's lists
// (host reports, backlog points, posts, notes, a few warnings), so that its
// mutable part stays small and snapshots come every minSnapshotGap events.
func listEvents(seed uint64, n int) []Event {
	return randomTimeline(seed, n, "feed", func(rng *rand.Rand, i int) Body {
		switch rng.IntN(6) {
		case 0:
			return HostStatus{Group: []string{"wms", "label"}[rng.IntN(2)], Recovered: rng.IntN(40)}
		case 1:
			return BacklogObservation{Waiting: int64(rng.IntN(2_000_000))}
		case 2:
			return SellerComplaint{Seller: "s", Topic: "late", Text: fmt.Sprint(i)}
		case 3:
			return CarrierWarning{ID: fmt.Sprint("w", rng.IntN(3)), Carrier: "ups", Severity: SeverityMinor, Headline: fmt.Sprint(i)}
		case 4:
			return Acknowledgement{Warning: fmt.Sprint("w", rng.IntN(3)), By: "ic"}
		}
		return Note{Author: "ic", Text: fmt.Sprint(i)}
	})
}

// randomTimeline is n events from source, each 0 to 89 s after the one
// before, their bodies made by body (the i'th event's).
func randomTimeline(seed uint64, n int, source string, body func(rng *rand.Rand, i int) Body) []Event {
	rng := rand.New(rand.NewPCG(seed, 3))
	events := make([]Event, 0, n)
	at := time.Duration(0)
	for i := range n {
		at += time.Duration(rng.IntN(90)) * time.Second
		events = append(events, Event{At: at, Source: source, Body: body(rng, i)})
	}
	return events
}

// runnerFeed is what the feed runner hands the room for a source catching up
// on events it logged: the source's health stamped now, then batches of
// events all older than now, each followed now and then by a new health
// report (some of them errors, which reach the timeline).
func runnerFeed(all []Event, batch int) []liveBatch {
	now := all[len(all)-1].At + time.Hour
	feed := []liveBatch{{events: []Event{health(now, HealthOK)}, now: now}}
	for i := 0; i < len(all); i += batch {
		feed = append(feed, liveBatch{events: append([]Event(nil), all[i:min(i+batch, len(all))]...), now: now})
		switch (i / batch) % 7 {
		case 3:
			feed = append(feed, liveBatch{events: []Event{health(now, HealthError)}, now: now})
		case 4:
			feed = append(feed, liveBatch{events: []Event{health(now, HealthOK)}, now: now})
		}
	}
	return feed
}

// steppingBackFeed is batches of events 250ms apart whose first event is
// stepBack older than the previous batch's last, the present at each
// batch's last event: late events land before some the room has applied.
func steppingBackFeed(all []Event, batch int, stepBack time.Duration) []liveBatch {
	const spacing = 250 * time.Millisecond
	period := time.Duration(batch-1)*spacing - stepBack
	var feed []liveBatch
	for i := 0; i < len(all); i += batch {
		start := time.Duration(i/batch) * period
		b := append([]Event(nil), all[i:min(i+batch, len(all))]...)
		for j := range b {
			b[j].At = start + time.Duration(j)*spacing
		}
		feed = append(feed, liveBatch{events: b, now: b[len(b)-1].At})
	}
	return feed
}

// farLateFeed is in-order batches with, now and then, an event from well
// before the last few snapshots.
func farLateFeed(seed uint64, n, batch int) []liveBatch {
	all := randomEvents(seed, n)
	rng := rand.New(rand.NewPCG(seed, 9))
	var feed []liveBatch
	for i := 0; i < len(all); i += batch {
		b := append([]Event(nil), all[i:min(i+batch, len(all))]...)
		if i > 400 && rng.IntN(3) == 0 {
			b = append(b, Event{At: all[i-300-rng.IntN(100)].At, Body: Note{Author: "late", Text: fmt.Sprint(i)}})
		}
		feed = append(feed, liveBatch{events: b, now: all[min(i+batch, len(all))-1].At})
	}
	return feed
}

// boundFeed crosses the timeline's bound: more than MaxTimeline notes, each
// batch stepping back so that rewrites fold across the point where the
// oldest half is dropped.
func boundFeed() []liveBatch {
	var feed []liveBatch
	const batch = 500
	for i := 0; i < MaxTimeline+3*batch; i += batch {
		var b []Event
		for j := range batch {
			at := time.Duration(i+j) * time.Second
			if i > 0 && j < 3 { // before the last events of the batch before
				at -= 3*time.Second + 500*time.Millisecond
			}
			b = append(b, Event{At: at, Source: "s", Body: Note{Author: "ic", Text: fmt.Sprint(i + j)}})
		}
		feed = append(feed, liveBatch{events: b, now: b[len(b)-1].At})
	}
	return feed
}

// hugeLateFeed is a batch of more events than any list's bound, all landing
// between events already applied: one rewrite folds them all.
func hugeLateFeed() []liveBatch {
	notes := func(n int, every time.Duration, offset time.Duration) []Event {
		var b []Event
		for i := range n {
			b = append(b, Event{At: offset + time.Duration(i)*every, Source: "s", Body: Note{Author: "ic", Text: fmt.Sprint(offset, i)}})
		}
		return b
	}
	return []liveBatch{
		{events: notes(1000, 10*time.Second, 0), now: 10_000 * time.Second},
		{events: notes(MaxTimeline+10_000, 300*time.Millisecond, time.Second), now: 10_000 * time.Second},
	}
}

// replayAt is a fresh cursor over events sought to t.
func replayAt(sc *Scenario, events []Event, t time.Duration) State {
	c := NewCursor(NewState(sc), events)
	c.Seek(t)
	return *c.State()
}

// replayTo is a fresh cursor over events after the first k, its clock at t.
func replayTo(sc *Scenario, events []Event, k int, t time.Duration) State {
	c := NewCursor(NewState(sc), events)
	for c.Pos() < k {
		c.Next()
	}
	c.setClock(t)
	return *c.State()
}

// TestLiveMergeEqualsFreshReplay feeds a cursor the way a live room is fed
// (Merge, then Follow the present) and checks after each batch, and then at
// random times going back, that its state is what a fresh replay of the
// same events gives.
func TestLiveMergeEqualsFreshReplay(t *testing.T) {
	tests := []struct {
		name       string
		feed       []liveBatch
		checkEvery int // batches between full comparisons
		rewrites   bool
	}{
		{"runner: batches before the health report stamped now", runnerFeed(randomEvents(31, 1500), 25), 1, true},
		{"runner: one event per batch", runnerFeed(randomEvents(32, 300), 1), 1, true},
		{"runner: frequent snapshots", runnerFeed(listEvents(36, 3000), 20), 1, true},
		{"batches stepping back 800ms", steppingBackFeed(randomEvents(33, 1500), 40, 800*time.Millisecond), 1, true},
		{"batches stepping back, frequent snapshots", steppingBackFeed(listEvents(37, 3000), 20, 800*time.Millisecond), 1, true},
		{"batches in order", steppingBackFeed(randomEvents(34, 1500), 40, 0), 1, false},
		{"an event from well before the last snapshots", farLateFeed(35, 2000, 30), 1, true},
		{"rewrites across the timeline's bound", boundFeed(), 5, true},
		{"a late batch longer than the bounds", hugeLateFeed(), 1, true},
		{"runner, a responder stepping back and returning", scrubbing(runnerFeed(listEvents(38, 3000), 20)), 1, true},
		{"in order, a responder stepping back and returning", scrubbing(steppingBackFeed(listEvents(39, 3000), 20, 0)), 1, false},
		{"runner, the hot wash's records", runnerFeed(hotWashEvents(41, 2000), 20), 1, true},
		{"the hot wash's records, stepping back 800ms", steppingBackFeed(hotWashEvents(42, 2000), 20, 800*time.Millisecond), 1, true},
		{"the hot wash's records, a responder stepping back and returning", scrubbing(runnerFeed(hotWashEvents(43, 2000), 15)), 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := testScenario()
			c := NewCursor(NewState(sc), nil)
			rewrites := 0
			type shown struct{ clone, fresh State }
			var published []shown // clones handed out, as a room publishes them
			for i, b := range tt.feed {
				if b.play(c) {
					rewrites++
				}
				if i%tt.checkEvery == 0 || i == len(tt.feed)-1 {
					fresh := replayTo(sc, c.Events(), c.Pos(), c.Clock())
					if !reflect.DeepEqual(*c.State(), fresh) {
						t.Fatalf("after batch %d (%d rewrites) the state differs from a fresh replay", i, rewrites)
					}
					if i%(3*tt.checkEvery) == 0 {
						published = append(published, shown{c.State().Clone(), fresh})
					}
				}
			}
			for i, p := range published {
				if !reflect.DeepEqual(p.clone, p.fresh) {
					t.Fatalf("a clone taken at check %d changed after later rewrites", i)
				}
			}
			if got := rewrites > 0; got != tt.rewrites {
				t.Errorf("%d rewrites, want some: %v", rewrites, tt.rewrites)
			}
			// Going back restores snapshots a rewrite may have moved to other arrays.
			rng := rand.New(rand.NewPCG(1, 2))
			end := c.Clock()
			for range 20 {
				at := c.Start() + time.Duration(rng.Int64N(int64(end-c.Start())+1))
				c.Seek(at)
				if !reflect.DeepEqual(*c.State(), replayAt(sc, c.Events(), at)) {
					t.Fatalf("seeking back to %v differs from a fresh replay", at)
				}
			}
		})
	}
}

// TestMergeAfterTheCursorDoesNotRewrite checks that events landing at or
// after the cursor's position never rebuild the state, whatever their time.
func TestMergeAfterTheCursorDoesNotRewrite(t *testing.T) {
	h := time.Hour
	known := []Event{
		{At: 0, Body: Note{Author: "a", Text: "0"}},
		{At: h, Body: Note{Author: "a", Text: "1"}},
		{At: 2 * h, Body: Note{Author: "a", Text: "2"}},
		{At: 3 * h, Body: Note{Author: "a", Text: "3"}},
	}
	tests := []struct {
		name    string
		seek    time.Duration // the cursor's time when the batch arrives
		batch   []Event
		rewrite bool
	}{
		{"after the last event", 3 * h, []Event{{At: 4 * h, Body: Note{Text: "x"}}}, false},
		{"at the last event's time: after it", 3 * h, []Event{{At: 3 * h, Body: Note{Text: "x"}}}, false},
		{"before the last event, after the cursor", h, []Event{{At: 2*h - time.Minute, Body: Note{Text: "x"}}}, false},
		{"at the cursor's last event's time", h, []Event{{At: h, Body: Note{Text: "x"}}}, false},
		{"before the cursor", 2 * h, []Event{{At: h + time.Minute, Body: Note{Text: "x"}}}, true},
		{"a batch partly before the cursor", 2 * h, []Event{{At: 5 * h, Body: Note{Text: "x"}}, {At: time.Minute, Body: Note{Text: "y"}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := testScenario()
			c := NewCursor(NewState(sc), nil)
			c.Merge(append([]Event(nil), known...))
			c.Seek(tt.seek)
			if got := c.Merge(append([]Event(nil), tt.batch...)); got != tt.rewrite {
				t.Errorf("Merge reported a rewrite: %v, want %v", got, tt.rewrite)
			}
			if !reflect.DeepEqual(*c.State(), replayTo(sc, c.Events(), c.Pos(), tt.seek)) {
				t.Error("the state differs from a fresh replay")
			}
		})
	}
}

// TestMergeOrdersTies checks where merged events go among events of the same
// time: after the known ones, in the order they came in.
func TestMergeOrdersTies(t *testing.T) {
	c := NewCursor(NewState(nil), nil)
	c.Merge([]Event{{At: time.Hour, Source: "a"}, {At: 2 * time.Hour, Source: "b"}})
	c.Merge([]Event{{At: 3 * time.Hour, Source: "e"}, {At: time.Hour, Source: "c"}, {At: time.Hour, Source: "d"}, {At: 0, Source: "z"}})
	var got string
	for _, e := range c.Events() {
		got += e.Source
	}
	if want := "zacdbe"; got != want {
		t.Errorf("order %q, want %q", got, want)
	}
}

// arrays counts the distinct arrays (from distinct first elements) that the
// snapshots' lists use: each is memory held once.
func arrays[T any](c *Cursor, list func(*State) []T) int {
	seen := map[*T]bool{}
	for _, s := range c.snaps {
		if l := list(&s.state); len(l) > 0 {
			seen[&l[0]] = true
		}
	}
	return len(seen)
}

// TestRewritesShareTheLists checks the memory a live cursor keeps: the
// snapshots of one that rewrites at every batch, or that a responder steps
// back in and returns to the present, use no more arrays per list than
// those of a replay of the same events (which grow them by appending), not
// one array per rewrite or per return.
func TestRewritesShareTheLists(t *testing.T) {
	tests := []struct {
		name string
		feed []liveBatch
	}{
		{"runner: batches before the health report stamped now", runnerFeed(listEvents(41, 6000), 20)},
		{"batches stepping back 800ms", steppingBackFeed(listEvents(42, 6000), 20, 800*time.Millisecond)},
		{"in order, a responder stepping back and returning", scrubbing(steppingBackFeed(listEvents(43, 6000), 20, 0))},
		{"runner, a responder stepping back and returning", scrubbing(runnerFeed(listEvents(44, 6000), 20))},
		{"runner, the hot wash's records", runnerFeed(hotWashEvents(45, 6000), 20)},
		{"the hot wash's records, stepping back 800ms", steppingBackFeed(hotWashEvents(46, 6000), 20, 800*time.Millisecond)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := testScenario()
			live := NewCursor(NewState(sc), nil)
			rewrites := 0
			for _, b := range tt.feed {
				if b.play(live) {
					rewrites++
				}
			}
			replay := NewCursor(NewState(sc), live.Events())
			replay.Seek(live.Clock())
			lists := []struct {
				name         string
				live, replay int
			}{
				{"timeline", arrays(live, func(s *State) []Entry { return s.Timeline }), arrays(replay, func(s *State) []Entry { return s.Timeline })},
				{"backlog", arrays(live, func(s *State) []BacklogPoint { return s.Backlog.Points }), arrays(replay, func(s *State) []BacklogPoint { return s.Backlog.Points })},
				{"posts", arrays(live, func(s *State) []Complaint { return s.Complaints.Posts }), arrays(replay, func(s *State) []Complaint { return s.Complaints.Posts })},
				{"host history", arrays(live, func(s *State) []HostPoint { return s.Hosts[0].History }), arrays(replay, func(s *State) []HostPoint { return s.Hosts[0].History })},
				{"hot wash notes", arrays(live, func(s *State) []NoteRecord { return s.HotWash.Notes }), arrays(replay, func(s *State) []NoteRecord { return s.HotWash.Notes })},
				{"hot wash acks", arrays(live, func(s *State) []AckRecord { return s.HotWash.Acks }), arrays(replay, func(s *State) []AckRecord { return s.HotWash.Acks })},
				{"hot wash observations", arrays(live, func(s *State) []ObservationRecord { return s.HotWash.Observations }), arrays(replay, func(s *State) []ObservationRecord { return s.HotWash.Observations })},
				{"hot wash score comments", arrays(live, func(s *State) []ScoreCommentRecord { return s.HotWash.ScoreComments }), arrays(replay, func(s *State) []ScoreCommentRecord { return s.HotWash.ScoreComments })},
				{"hot wash action items", arrays(live, func(s *State) []ActionItemRecord { return s.HotWash.ActionItems }), arrays(replay, func(s *State) []ActionItemRecord { return s.HotWash.ActionItems })},
			}
			for _, l := range lists {
				if l.live > l.replay+1 {
					t.Errorf("%s: the live cursor's snapshots use %d arrays after %d rewrites, a replay's %d", l.name, l.live, rewrites, l.replay)
				}
			}
		})
	}
}

// TestRewriteBeforeAHealthReportCopiesNothing checks the runner's case in
// detail: a batch that lands before the health report the cursor applied
// (which appended to no list) is appended to the working state's own
// arrays, as an in-order batch would be, whenever they have room.
func TestRewriteBeforeAHealthReportCopiesNothing(t *testing.T) {
	all := listEvents(51, 3000)
	now := all[len(all)-1].At + time.Hour
	c := NewCursor(NewState(testScenario()), nil)
	c.Merge([]Event{health(now, HealthOK)})
	c.Follow(now)
	type list struct {
		name      string
		first     func(*State) any // the array's first element
		len, room func(*State) int
	}
	lists := []list{
		{"timeline", func(s *State) any { return &s.Timeline[0] }, func(s *State) int { return len(s.Timeline) }, func(s *State) int { return cap(s.Timeline) - len(s.Timeline) }},
		{"backlog", func(s *State) any { return &s.Backlog.Points[0] }, func(s *State) int { return len(s.Backlog.Points) }, func(s *State) int { return cap(s.Backlog.Points) - len(s.Backlog.Points) }},
		{"posts", func(s *State) any { return &s.Complaints.Posts[0] }, func(s *State) int { return len(s.Complaints.Posts) }, func(s *State) int { return cap(s.Complaints.Posts) - len(s.Complaints.Posts) }},
		{"host history", func(s *State) any { return &s.Hosts[0].History[0] }, func(s *State) int { return len(s.Hosts[0].History) }, func(s *State) int { return cap(s.Hosts[0].History) - len(s.Hosts[0].History) }},
	}
	kept := 0
	for i := 0; i < len(all); i += 10 {
		type was struct {
			first     any
			len, room int
		}
		var before []was
		if i >= 1000 { // every list has entries by then
			for _, l := range lists {
				before = append(before, was{l.first(c.State()), l.len(c.State()), l.room(c.State())})
			}
		}
		if !c.Merge(append([]Event(nil), all[i:i+10]...)) {
			t.Fatalf("batch %d landed after the health report at %v", i/10, now)
		}
		c.Follow(now)
		for j, b := range before {
			l := lists[j]
			grew := l.len(c.State()) - b.len
			if grew <= b.room && l.first(c.State()) != b.first {
				t.Fatalf("batch %d: the %s had room for %d entries and was copied to add %d", i/10, l.name, b.room, grew)
			}
			if l.first(c.State()) == b.first {
				kept++
			}
		}
	}
	if kept == 0 {
		t.Fatal("no list ever kept its array")
	}
}

// hotWashEvents is a sorted timeline heavy in the hot wash's records
// (observations, findings, action items that cite them, score comments,
// notes, acknowledgements), for the lists the snapshots share.
func hotWashEvents(seed uint64, n int) []Event {
	return randomTimeline(seed, n, "responder:bo", func(rng *rand.Rand, i int) Body {
		switch rng.IntN(9) {
		case 0:
			return HostStatus{Group: "wms", Recovered: rng.IntN(40)}
		case 1:
			return CarrierWarning{ID: fmt.Sprint("w", rng.IntN(3)), Carrier: "ups", Severity: SeverityMinor, Headline: fmt.Sprint(i)}
		case 2:
			return Acknowledgement{Warning: fmt.Sprint("w", rng.IntN(3)), By: "ic"}
		case 3:
			return Observation{Text: fmt.Sprint("o", i), By: "fac"}
		case 4:
			return Finding{Type: FindingStrength, Text: fmt.Sprint("f", i)}
		case 5:
			return ActionItem{Text: fmt.Sprint("a", i), Owner: "x", Due: "2024-08-02", Finding: fmt.Sprint("F", 1+rng.IntN(5))}
		case 6:
			return ScoreComment{Inject: "i1", Text: fmt.Sprint("s", i)}
		case 7:
			return Note{Author: "ic", Text: fmt.Sprint(i)}
		}
		return BacklogObservation{Waiting: int64(rng.IntN(2_000_000))}
	})
}

// TestHotWashEventsRecordEveryKind: the hot wash's feeds above hold
// every kind of record the snapshots share.
func TestHotWashEventsRecordEveryKind(t *testing.T) {
	events := hotWashEvents(41, 2000)
	c := NewCursor(NewState(testScenario()), events)
	c.Seek(events[len(events)-1].At)
	h := c.State().HotWash
	if len(h.Notes) == 0 || len(h.Acks) == 0 || len(h.Observations) == 0 || len(h.ActionItems) == 0 || len(h.ScoreComments) == 0 {
		t.Fatalf("the feed recorded too little: %d notes, %d acks, %d observations, %d action items, %d score comments",
			len(h.Notes), len(h.Acks), len(h.Observations), len(h.ActionItems), len(h.ScoreComments))
	}
}
