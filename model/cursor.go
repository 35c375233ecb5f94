package model

import (
	"cmp"
	"slices"
	"time"
)

// Speed limits for replay, in simulated seconds per real second.
const (
	MinSpeed     = 1
	MaxSpeed     = 3600
	DefaultSpeed = 60
)

// speedSteps are the speeds [ and ] move between.
var speedSteps = [...]float64{1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 3600}

// minSnapshotGap is the fewest events between two kept states. The gap grows
// with the state's mutable size (host groups, warnings, ...), so that cloning
// for snapshots never costs more than folding the events in between: memory
// and time stay proportional to the event count whatever the state's shape.
const minSnapshotGap = 64

// snapshot is the state after the first pos events.
type snapshot struct {
	pos   int
	state State
}

// Cursor replays a list of events: play and pause, speed, step by event, jump
// to the next inject, seek to a time, restart. It is pure: Advance is told how
// much real time passed. The state at any position is exactly what a fresh
// replay of the events up to it gives, because going back restores the
// nearest earlier snapshot and folds forward from there.
type Cursor struct {
	start   State
	events  []Event
	snaps   []snapshot // in pos order; snaps[0] is the start
	state   State
	pos     int           // events applied
	clock   time.Duration // replay time; >= the last applied event's At
	playing bool
	speed   float64
	// pauseOnInject stops a playing clock at every inject it delivers, so a
	// facilitator never has to catch one on the fly.
	pauseOnInject bool
	// maxEvents bounds the events kept for scrubbing back in a live feed.
	maxEvents int
	// base is how many events compaction folded into start: events[0] is
	// the incident's event number base. A journal records positions in
	// the whole list, which compaction does not change.
	base int
	// ahead is, while the cursor is behind the furthest state it built (it
	// went back, or a rewrite refolds), that state's lists: folding forward
	// again splices onto their arrays (which only the cursor can append to)
	// instead of copying every list. nil when nothing is ahead.
	ahead *appendOnly
	// fold is the fold in progress with the lists set aside, or nil.
	fold *pendingFold
}

// pendingFold is a fold with the working state's lists set aside: base is
// what they held when it began, at event pos, and the snapshots from
// firstSnap on were taken during it, holding only what the fold appended.
type pendingFold struct {
	base      appendOnly
	pos       int
	firstSnap int
}

// DefaultMaxEvents is how many events a live cursor keeps for scrubbing
// back; older ones are folded into its starting state.
const DefaultMaxEvents = 200_000

// NewCursor starts a cursor at the beginning of events (which must be sorted
// by At), before anything is applied, paused at the default speed.
func NewCursor(start State, events []Event) *Cursor {
	// Clip, so that appending live events never writes into the caller's array.
	c := &Cursor{start: start.Clone(), events: slices.Clip(events), speed: DefaultSpeed, pauseOnInject: true,
		maxEvents: DefaultMaxEvents}
	c.snaps = []snapshot{{0, c.start.Clone()}}
	c.state = c.start.Clone()
	return c
}

// State is the current state. It stays owned by the cursor: Clone it before
// handing it to another goroutine or keeping it past the next cursor call.
func (c *Cursor) State() *State { return &c.state }

// Pos is how many events are applied; Len how many there are.
func (c *Cursor) Pos() int { return c.pos }
func (c *Cursor) Len() int { return len(c.events) }

// Base is how many events compaction folded into the starting state: the
// events the cursor keeps are numbered from Base on in the incident's whole
// list, and Base+Pos is the whole list's position.
func (c *Cursor) Base() int { return c.base }

// Clock is the replay time.
func (c *Cursor) Clock() time.Duration { return c.clock }

// Playing reports whether the clock runs.
func (c *Cursor) Playing() bool { return c.playing }

// Speed is simulated seconds per real second.
func (c *Cursor) Speed() float64 { return c.speed }

// End is the offset of the last event.
func (c *Cursor) End() time.Duration {
	if len(c.events) == 0 {
		return 0
	}
	return c.events[len(c.events)-1].At
}

// AtEnd reports whether every event is applied and the clock is at the end.
func (c *Cursor) AtEnd() bool { return c.pos == len(c.events) && c.clock >= c.End() }

// Events is the event list. Callers must not modify it, nor keep it past
// the next Merge, which moves events within it.
func (c *Cursor) Events() []Event { return c.events }

// SetPlaying starts or stops the clock. Playing at the end restarts nothing:
// it stays paused.
func (c *Cursor) SetPlaying(on bool) {
	c.playing = on && !c.AtEnd()
}

// SetPauseOnInject turns pausing at delivered injects on or off.
func (c *Cursor) SetPauseOnInject(on bool) { c.pauseOnInject = on }

// PauseOnInject reports whether playback pauses at delivered injects.
func (c *Cursor) PauseOnInject() bool { return c.pauseOnInject }

// SetSpeed sets the speed, clamped to [MinSpeed, MaxSpeed].
func (c *Cursor) SetSpeed(x float64) {
	c.speed = min(max(x, MinSpeed), MaxSpeed)
}

// Faster and Slower move to the next speed step.
func (c *Cursor) Faster() {
	for _, s := range speedSteps {
		if s > c.speed {
			c.speed = s
			return
		}
	}
}

func (c *Cursor) Slower() {
	for i := len(speedSteps) - 1; i >= 0; i-- {
		if speedSteps[i] < c.speed {
			c.speed = speedSteps[i]
			return
		}
	}
}

// Advance moves a playing clock by real*speed and applies the events it
// passes. It stops (and pauses) at the last event. It reports whether the
// clock or the state moved.
func (c *Cursor) Advance(real time.Duration) bool {
	if !c.playing || real <= 0 {
		return false
	}
	to := c.clock + time.Duration(float64(real)*c.speed)
	if end := c.End(); to >= end {
		to = end
		c.playing = false
	}
	from := c.clock
	if c.forwardTo(to, c.pauseOnInject) {
		c.playing = false
	}
	return c.clock != from
}

// forwardTo applies the events up to t and sets the clock to t (t >= clock).
// With stopAtInject it stops instead right after an inject is delivered,
// with the clock at the inject's time, and reports that it stopped there:
// however long the step, no inject is passed over and none moves.
func (c *Cursor) forwardTo(t time.Duration, stopAtInject bool) (stopped bool) {
	if c.beginFold() {
		defer c.endFold()
	}
	for c.pos < len(c.events) && c.events[c.pos].At <= t {
		e := c.events[c.pos]
		delivered := c.state.Rev.Injects
		c.applyNext()
		if stopAtInject && e.Body != nil && e.Body.Kind() == KindInject && c.delivered(delivered, e.At) {
			c.setClock(e.At)
			return true
		}
	}
	c.setClock(t)
	return false
}

// delivered reports whether the event just applied delivered an inject: the
// current inject fired at this very moment and the injects part changed.
func (c *Cursor) delivered(revBefore int, at time.Duration) bool {
	in, ok := c.state.CurrentInject()
	return ok && c.state.Rev.Injects != revBefore && in.Status == InjectFired && in.FiredAt == at
}

func (c *Cursor) applyNext() {
	if c.fold != nil && c.pos-c.fold.pos >= maxSplicedFold {
		c.endFold() // before the lists set aside could reach a bound
		c.beginFold()
	}
	Apply(&c.state, c.events[c.pos])
	c.pos++
	if c.pos-c.snaps[len(c.snaps)-1].pos >= c.snapshotGap(&c.state) {
		c.snaps = append(c.snaps, snapshot{c.pos, c.state.Clone()})
	}
}

// snapshotGap is how many events apart snapshots of st are kept: never
// further apart than a quarter of the kept events, so that compacting
// always finds a snapshot to restart from.
func (c *Cursor) snapshotGap(st *State) int {
	return min(max(minSnapshotGap, st.mutableSize()), c.maxEvents/4)
}

// nearestSnapshot is the index of the last snapshot at or before k events.
func (c *Cursor) nearestSnapshot(k int) int {
	i, _ := slices.BinarySearchFunc(c.snaps, k, func(s snapshot, k int) int {
		if s.pos <= k {
			return -1
		}
		return 1
	})
	return i - 1
}

// goTo puts the cursor after exactly k events, restoring a snapshot when
// going back or when one is nearer than folding forward.
func (c *Cursor) goTo(k int) {
	k = min(max(k, 0), len(c.events))
	if s := c.snaps[c.nearestSnapshot(k)]; k < c.pos || s.pos > c.pos {
		c.restore(s)
	}
	if c.beginFold() {
		defer c.endFold()
	}
	for c.pos < k {
		c.applyNext()
	}
}

// restore makes snapshot s the working state. The working state's lists go
// ahead (where nothing further is ahead already), so that folding forward
// again reuses their arrays.
func (c *Cursor) restore(s snapshot) {
	cur := c.state.takeAppendOnly()
	if c.ahead != nil {
		cur = c.ahead.or(cur)
	}
	c.ahead = &cur
	c.state, c.pos = s.state.Clone(), s.pos
}

// beginFold sets the working state's lists aside when lists lie ahead, so
// that endFold can splice what the fold appends onto their arrays. It
// reports whether it began a fold (and the caller must end it).
func (c *Cursor) beginFold() bool {
	if c.ahead == nil || c.fold != nil {
		return false
	}
	c.fold = &pendingFold{base: c.state.takeAppendOnly(), pos: c.pos, firstSnap: len(c.snaps)}
	return true
}

// endFold splices the lists back (spliceAppendOnly): onto the arrays ahead
// where the fold rebuilt their entries, copying only a list whose entries
// changed; the snapshots taken during the fold get prefixes of the result.
// A list that had to be copied takes along every older snapshot that shared
// its old array (rebaseAppendOnly), so that one array per list stays alive,
// not one per rewrite.
func (c *Cursor) endFold() {
	f := c.fold
	if f == nil {
		return // a long fold ended early, having caught up (see applyNext)
	}
	c.fold = nil
	taken := make([]*State, 0, len(c.snaps)-f.firstSnap)
	for i := f.firstSnap; i < len(c.snaps); i++ {
		taken = append(taken, &c.snaps[i].state)
		c.snaps[i].state.listsAside = false // they get their lists below
	}
	tail := c.state.takeAppendOnly()
	ref := c.ahead.or(f.base)
	lists := spliceAppendOnly(f.base, tail, ref, taken)
	c.state.putAppendOnly(lists)
	c.evaluateAlerts() // the rules on history, which wait for the lists
	if anyMoved(f.base, tail, lists) {
		for i := c.nearestSnapshot(f.pos); i >= 0 && c.snaps[i].state.rebaseAppendOnly(f.base, tail, lists); i-- {
		}
		c.start.rebaseAppendOnly(f.base, tail, lists)
	}
	if ahead, ok := stillAhead(lists, ref); ok {
		c.ahead = &ahead
	} else {
		c.ahead = nil
	}
}

// Next applies the next event and moves the clock to it.
func (c *Cursor) Next() bool {
	if c.pos >= len(c.events) {
		return false
	}
	if c.beginFold() {
		defer c.endFold()
	}
	c.applyNext()
	c.setClock(c.events[c.pos-1].At)
	return true
}

// Prev takes back the last applied event; the clock moves to the event
// before it.
func (c *Cursor) Prev() bool {
	if c.pos == 0 {
		return false
	}
	c.goTo(c.pos - 1)
	c.setClock(c.lastAt())
	return true
}

// NextInject moves to just after the next inject still to be delivered on
// schedule (held and skipped ones are passed over), if there is one.
func (c *Cursor) NextInject() bool {
	for k := c.pos; k < len(c.events); k++ {
		in, ok := c.events[k].Body.(Inject)
		if !ok {
			continue
		}
		if st, known := c.state.InjectByID(in.ID); !known || st.Status == InjectPending {
			c.forwardTo(c.events[k].At, false)
			return true
		}
	}
	return false
}

// Seek puts the cursor at time t with every event at or before t applied.
func (c *Cursor) Seek(t time.Duration) {
	t = min(max(t, 0, c.Start()), max(c.End(), c.clock))
	c.goTo(c.PosAt(t))
	c.setClock(t)
	if c.AtEnd() {
		c.playing = false
	}
}

// Restart goes back to T+0 (with the events at T+0 applied) and pauses.
func (c *Cursor) Restart() {
	c.playing = false
	c.Seek(0)
}

// Insert adds an event at the current position with the current clock as
// its time and applies it: a responder's action during replay. Later events
// keep their times; snapshots past this point are dropped.
func (c *Cursor) Insert(e Event) {
	e.At = c.clock
	c.events = slices.Insert(slices.Clip(c.events), c.pos, e)
	c.snaps = c.snaps[:c.nearestSnapshot(c.pos)+1]
	if c.beginFold() {
		defer c.endFold()
	}
	c.applyNext()
	c.setClock(e.At)
}

// Merge adds events that arrive from a live feed, keeping the list in time
// order: an event older than ones already known goes where it belongs, and
// if that is before the cursor the current state is rebuilt so that it still
// equals a fresh replay. Nothing is applied past the clock: Follow or the
// other moves do that. Merge sorts events in place. It reports whether the
// history already applied changed (views must then drop what they cached).
func (c *Cursor) Merge(events []Event) (rewrote bool) {
	if len(events) == 0 {
		return false
	}
	slices.SortStableFunc(events, func(a, b Event) int { return cmp.Compare(a.At, b.At) })
	// The new events go after every known event at or before their time.
	first, _ := slices.BinarySearchFunc(c.events, events[0].At, func(e Event, t time.Duration) int {
		if e.At <= t {
			return -1
		}
		return 1
	})
	known := len(c.events)
	c.events = append(c.events, events...)
	// Merge the known events after first with the new ones in place, from
	// the end, so that only the part that moves is written: a late batch
	// costs what it displaces, not the whole history.
	i, j, k := known-1, len(events)-1, len(c.events)-1
	for ; i >= first && j >= 0; k-- {
		if c.events[i].At > events[j].At {
			c.events[k] = c.events[i]
			i--
		} else {
			c.events[k] = events[j]
			j--
		}
	}
	if first < known {
		copy(c.events[first:k+1], events[:j+1])
	}
	// An event at or before a minute the alert rules were evaluated at
	// was missed there: the state is rebuilt from before it, so that the
	// alerts are those a fresh replay of the same events gives.
	if first < c.pos || c.state.alertsEvaluatedAt(events[0].At) {
		c.rewrite(first)
		rewrote = true
	}
	c.compact()
	return rewrote
}

// MergePositions sorts events as Merge will (stably, by time) and returns
// the position in the incident's whole list (Base on) each will take: after
// every known event at or before its time, and after the batch's earlier
// ones. A journal records them before Merge runs, so that a room rebuilt
// from it places every event where it was.
func (c *Cursor) MergePositions(events []Event) []int {
	slices.SortStableFunc(events, func(a, b Event) int { return cmp.Compare(a.At, b.At) })
	pos := make([]int, len(events))
	for j, e := range events {
		after, _ := slices.BinarySearchFunc(c.events, e.At, func(k Event, t time.Duration) int {
			if k.At <= t {
				return -1
			}
			return 1
		})
		pos[j] = c.base + after + j
	}
	return pos
}

// InsertPos is where Insert puts an event now, in the whole list.
func (c *Cursor) InsertPos() int { return c.base + c.pos }

// GoTo puts the cursor after the events before whole-list position pos,
// with the clock at clock (a room restored to where its journal says it
// was). A position before the events kept is the earliest kept.
func (c *Cursor) GoTo(pos int, clock time.Duration) {
	c.goTo(pos - c.base)
	c.setClock(max(clock, c.lastAt(), c.Start()))
}

// StateAt is the state after the first k events kept, at clock, without
// moving the cursor: a console looking back on its own while the room goes
// on. It is a state of its own (folded from the nearest snapshot).
func (c *Cursor) StateAt(k int, clock time.Duration) State {
	k = min(max(k, 0), len(c.events))
	var st State
	if k == c.pos {
		st = c.state.Clone()
	} else {
		s := c.snaps[c.nearestSnapshot(k)]
		st = s.state.Clone()
		for _, e := range c.events[s.pos:k] {
			Apply(&st, e)
		}
	}
	st.AdvanceTo(max(clock, st.Now))
	return st
}

// PosAt is how many kept events are at or before t.
func (c *Cursor) PosAt(t time.Duration) int {
	k, _ := slices.BinarySearchFunc(c.events, t, func(e Event, t time.Duration) int {
		if e.At <= t {
			return -1
		}
		return 1
	})
	return k
}

// rewrite rebuilds the state after the history changed from event first on,
// before the cursor: it drops the snapshots that change spoils and refolds
// from the last one left to the same time.
//
// A live feed rewrites at nearly every batch (a batch lands before the
// source's health report stamped now), so a rewrite must neither copy the
// state's lists nor leave copies behind: like any fold from a restored
// snapshot, it folds with the lists set aside and splices them onto the
// arrays the working state had built (see endFold), so that a batch landing
// before a health report (which appends to no list) copies nothing.
func (c *Cursor) rewrite(first int) {
	c.snaps = c.snaps[:c.nearestSnapshot(first)+1]
	c.restore(c.snaps[len(c.snaps)-1])
	c.forwardTo(c.clock, false)
}

// maxSplicedFold is the most events folded with the lists set aside before
// they are spliced back: no more than the smallest bound, so that the lists
// set aside never drop entries themselves.
const maxSplicedFold = min(MaxTimeline, MaxPosts, MaxDecisions, MaxHostHistory, MaxBacklogPoints)

// Follow moves the clock to now (a live feed's present) and applies every
// event up to it.
func (c *Cursor) Follow(now time.Duration) {
	if now < c.clock {
		now = c.clock
	}
	c.forwardTo(now, false)
}

// SetMaxEvents bounds the events kept for scrubbing back.
func (c *Cursor) SetMaxEvents(n int) { c.maxEvents = max(n, 2*minSnapshotGap) }

// compact folds the oldest events into the starting state once more than
// maxEvents are kept: it restarts the list at a snapshot half-way, so memory
// stays bounded and scrubbing back reaches the last maxEvents/2 or more.
func (c *Cursor) compact() {
	if len(c.events) <= c.maxEvents {
		return
	}
	cut := len(c.events) - c.maxEvents/2
	i := c.nearestSnapshot(min(cut, c.pos))
	base := c.snaps[i]
	if base.pos == 0 {
		return // the cursor sits near the start: keep everything for now
	}
	c.start = base.state.Clone()
	// Move the kept events to the front of the same array rather than into
	// a new one: the array never exists twice, and the space freed is what
	// the next events fill. Clearing the rest lets the folded events go.
	kept := copy(c.events, c.events[base.pos:])
	clear(c.events[kept:])
	c.events = c.events[:kept]
	snaps := make([]snapshot, 0, len(c.snaps)-i)
	for _, s := range c.snaps[i:] {
		snaps = append(snaps, snapshot{s.pos - base.pos, s.state})
	}
	c.snaps = snaps
	c.pos -= base.pos
	c.base += base.pos
}

// Compact folds the oldest events into the starting state when more than
// the events kept for scrubbing back are held (a room restored from a long
// journal); Merge does so itself.
func (c *Cursor) Compact() { c.compact() }

// Start is the earliest time the cursor can go back to.
func (c *Cursor) Start() time.Duration { return c.start.Now }

func (c *Cursor) lastAt() time.Duration {
	if c.pos == 0 {
		return 0
	}
	return c.events[c.pos-1].At
}

func (c *Cursor) setClock(t time.Duration) {
	c.clock = t
	c.state.Now = t
	if c.fold == nil { // else when the fold ends, with the lists back
		c.evaluateAlerts()
	}
}

// evaluateAlerts evaluates the alert rules up to the state's time: the
// minutes whose events are all applied (an event still to come at that
// very time, as when stepping through events of one time, leaves its
// minute for later).
func (c *Cursor) evaluateAlerts() {
	if len(c.state.Alerts) == 0 {
		return
	}
	t := c.state.Now
	if c.pos < len(c.events) && c.events[c.pos].At <= t {
		c.state.evaluateAlertsBefore(c.events[c.pos].At)
		return
	}
	c.state.EvaluateAlerts(t)
}
