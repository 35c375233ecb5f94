// Package room is the incident room: the one place that applies events and
// responders' actions, and hands views immutable snapshots. Several views can
// share a room; each subscribes and receives the latest snapshot whenever the
// picture changes. While a replay is paused the room runs no timer at all; a
// live room wakes once a minute to move its clock, once a second while a
// source is stale or failing (the console shows its data's age to the
// second).
package room

import (
	"maps"
	"sync"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// Snapshot is the room as a view sees it. It is immutable: the State is a
// clone that nothing else holds.
type Snapshot struct {
	Scenario *model.Scenario // static; never modified
	State    model.State
	Clock    time.Duration // replay time (T+)
	Pos, Len int           // events applied, events known
	End      time.Duration // offset of the last event
	Playing  bool
	Speed    float64
	Live     bool // fed by live sources: the clock follows real time
	// Following is true while a live room shows the present; false after the
	// user scrubbed back (Live stays true, ingestion goes on).
	Following bool
	// PauseOnInject says playback stops at each delivered inject.
	PauseOnInject bool
	Seq           uint64 // increases with every snapshot the room publishes
	// Shown is the real time each delivered inject reached the room (for the
	// debrief's time to decide). Read only.
	Shown map[string]time.Time
	// Present is who is in the room, by name (read only); Presenter the
	// view a commander shares for the consoles that follow it.
	Present   []Presence
	Presenter View
	// Journaled says the room keeps a journal; JournalErr is its last
	// failure to write, "" while it writes.
	Journaled  bool
	JournalErr string
	// Shared says the journal is a stream other servers share. Offline
	// says it cannot be reached now (or actions kept meanwhile are not
	// all sent yet); Kept is how many actions wait to be sent; Behind is
	// how many of the stream's messages this server has not applied yet.
	Shared  bool
	Offline bool
	Kept    int
	Behind  uint64
}

// Members is how many members are in the room (a member with two
// sessions counts once).
func (s Snapshot) Members() int {
	n := 0
	for i, p := range s.Present {
		if i == 0 || p.Name != s.Present[i-1].Name {
			n++
		}
	}
	return n
}

// Wall is the wall-clock time of the snapshot's clock.
func (s Snapshot) Wall() time.Time { return s.Scenario.WallTime(s.Clock) }

// Room owns a replay cursor and the subscribers that watch it.
type Room struct {
	mu       sync.Mutex
	scenario *model.Scenario
	cur      *model.Cursor
	epoch    int
	seq      uint64
	subs     map[int]chan Snapshot
	nextSub  int
	frame    time.Duration // how often a playing clock advances
	stopPlay chan struct{} // closed to stop the playing goroutine; nil when paused
	now      func() time.Time

	shown map[string]time.Time // real time each delivered inject reached the room

	live      bool
	following bool
	stopLive  chan struct{} // closed by Close to end the live clock

	seats     seats
	presenter View

	log        journal.Log   // nil: no journal
	logged     journal.Clock // the clock as last journaled
	checkpoint time.Time     // when a playing clock was last journaled
	journalErr string
	stream     *streamState // nil unless the journal is shared
	outbox     *journal.Outbox
}

// Option configures a Room.
type Option func(*Room)

// WithFrame sets how often a playing clock advances (default 100ms).
func WithFrame(d time.Duration) Option { return func(r *Room) { r.frame = d } }

// WithPauseOnInject sets whether playback pauses at each delivered inject
// (default on).
func WithPauseOnInject(on bool) Option { return func(r *Room) { r.cur.SetPauseOnInject(on) } }

// WithOutbox keeps a shared room's actions taken while offline in o, on
// disk, until the stream has them: a server killed meanwhile sends them
// when it starts again on the same outbox.
func WithOutbox(o *journal.Outbox) Option { return func(r *Room) { r.outbox = o } }

// WithClock replaces the real clock, for tests.
func WithClock(now func() time.Time) Option { return func(r *Room) { r.now = now } }

// New opens a room on a scenario, paused at T+0 with the events at T+0
// applied.
func New(sc *model.Scenario, opts ...Option) *Room {
	r := newRoom(sc, sc.Events, opts)
	r.cur.Seek(0)
	return r
}

// newRoom is a room on events (sorted by time), nothing applied.
func newRoom(sc *model.Scenario, events []model.Event, opts []Option) *Room {
	r := &Room{
		scenario: sc,
		cur:      model.NewCursor(model.NewState(sc), events),
		subs:     map[int]chan Snapshot{},
		shown:    map[string]time.Time{},
		seats:    seats{},
		frame:    100 * time.Millisecond,
		now:      time.Now,
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Scenario is the scenario the room plays.
func (r *Room) Scenario() *model.Scenario { return r.scenario }

// Snapshot is the room now.
func (r *Room) Snapshot() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snapshotLocked()
}

func (r *Room) snapshotLocked() Snapshot {
	st := r.cur.State().Clone()
	st.Epoch = r.epoch
	s := Snapshot{
		Scenario: r.scenario,
		State:    st,
		Clock:    r.cur.Clock(),
		Pos:      r.cur.Pos(),
		Len:      r.cur.Len(),
		End:      r.cur.End(),
		Playing:  r.cur.Playing(),
		Speed:    r.cur.Speed(),
		Seq:      r.seq,

		PauseOnInject: r.cur.PauseOnInject(),
		Shown:         r.shown,
		Live:          r.live,
		Following:     r.live && r.following,
		Present:       r.presenceLocked(),
		Presenter:     r.presenter,
		Journaled:     r.log != nil,
		JournalErr:    r.journalErr,
	}
	if st := r.stream; st != nil {
		s.Shared, s.Offline, s.Kept, s.Behind = true, r.offlineLocked(), len(st.outbox), st.behind
	}
	return s
}

// SnapshotAt is the room as it was after whole-list position pos, at
// clock: a console looking back on its own while the room goes on. It is
// never ahead of the room: a later position is the room's own. Everything
// but the state and the clock is the room's now.
func (r *Room) SnapshotAt(pos int, clock time.Duration) Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.snapshotLocked()
	k := pos - r.cur.Base()
	if k >= r.cur.Pos() {
		return s
	}
	k, clock = max(k, 0), min(clock, r.cur.Clock())
	s.State = r.cur.StateAt(k, clock)
	s.State.Epoch = r.epoch
	s.Clock, s.Pos = clock, k
	s.Playing = false
	return s
}

// Subscribe returns a channel that always holds the latest snapshot not yet
// received (older ones are dropped, so a slow view never blocks the room),
// and a function that ends the subscription and closes the channel.
func (r *Room) Subscribe() (<-chan Snapshot, func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.nextSub
	r.nextSub++
	ch := make(chan Snapshot, 1)
	r.subs[id] = ch
	return ch, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if _, ok := r.subs[id]; ok {
			delete(r.subs, id)
			close(ch)
		}
	}
}

// publishLocked sends the current snapshot to every subscriber and returns it.
func (r *Room) publishLocked() Snapshot {
	r.markShownLocked()
	r.seq++
	s := r.snapshotLocked()
	for _, ch := range r.subs {
		select {
		case <-ch: // drop the unread older snapshot
		default:
		}
		ch <- s
	}
	return s
}

// markShownLocked records the real time an inject delivered just now reached
// the room (once), and pauses a playing replay there when the facilitator
// delivered it out of schedule, as a scheduled delivery would.
func (r *Room) markShownLocked() {
	st := r.cur.State()
	in, ok := st.CurrentInject()
	if _, seen := r.shown[in.ID]; !ok || seen || in.Status != model.InjectFired || in.FiredAt != r.cur.Clock() {
		return
	}
	// Copy on write: published snapshots share the map.
	shown := maps.Clone(r.shown)
	shown[in.ID] = r.now().UTC()
	r.shown = shown
	r.journalLocked([]journal.Entry{{Kind: journal.KindShown, Wall: shown[in.ID], Shown: journal.Shown{Inject: in.ID}}}, false)
	if r.cur.PauseOnInject() && r.cur.Playing() {
		r.cur.SetPlaying(false)
		r.syncPlayLocked()
	}
}

// change runs f on the cursor under the lock, keeps the play loop in step
// with the cursor's playing flag, and publishes.
func (r *Room) change(f func(c *model.Cursor)) Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r.cur)
	r.syncPlayLocked()
	r.journalClockLocked()
	return r.publishLocked()
}

// TogglePlay plays or pauses a replay; in a live room it freezes the view
// or returns it to the present.
func (r *Room) TogglePlay() Snapshot {
	return r.change(func(c *model.Cursor) {
		if r.live {
			r.setFollowingLocked(!r.following)
			return
		}
		c.SetPlaying(!c.Playing())
	})
}

// SetPlaying plays or pauses (in a live room: follows the present or not).
func (r *Room) SetPlaying(on bool) Snapshot {
	return r.change(func(c *model.Cursor) {
		if r.live {
			r.setFollowingLocked(on)
			return
		}
		c.SetPlaying(on)
	})
}

// ReturnLive goes back to the present of a live room.
func (r *Room) ReturnLive() Snapshot {
	return r.change(func(*model.Cursor) { r.setFollowingLocked(true) })
}

func (r *Room) setFollowingLocked(on bool) {
	r.following = on && r.live
	if r.following {
		r.cur.Follow(r.nowOffset())
	}
}

func (r *Room) nowOffset() time.Duration { return r.now().Sub(r.scenario.Meta.Start) }

// NewLive opens a live room: sc declares what exists (host groups, carriers,
// topics, runbook) and its Meta.Start is T+0; events arrive through Ingest
// and the clock follows real time.
func NewLive(sc *model.Scenario, opts ...Option) *Room {
	r := New(sc, opts...)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.startLiveLocked()
	return r
}

// startLiveLocked makes the room live: following now, with a clock.
func (r *Room) startLiveLocked() {
	r.live, r.following = true, true
	r.cur.SetPauseOnInject(false)
	r.cur.Follow(r.nowOffset())
	r.stopLive = make(chan struct{})
	go r.liveClock(r.stopLive)
}

// Ingest adds events from live sources, in any order; late ones are placed
// where they belong in time. A room following the present shows them at
// once. Safe for concurrent use by many sources.
func (r *Room) Ingest(events []model.Event) {
	if len(events) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// Journaled before anyone sees them, at the places Merge will put them.
	pos := r.cur.MergePositions(events)
	entries := make([]journal.Entry, len(events))
	now := r.now().UTC()
	for i, e := range events {
		entries[i] = journal.Entry{Kind: journal.KindEvent, Pos: pos[i], Wall: now, Event: e}
	}
	r.journalLocked(entries, false)
	if r.stream != nil {
		return // applied as the stream hands them back
	}
	if r.cur.Merge(events) {
		r.epoch++ // a late event rewrote history the views have seen
	}
	if r.following {
		r.cur.Follow(r.nowOffset())
	}
	r.publishLocked()
}

// liveClock moves a following room's clock at each new minute, the
// resolution the console shows time at, so the header stays current when no
// data arrives; at each new second while a source is stale or failing with
// data under an hour old, whose age the console shows in minutes and
// seconds. It learns of such a source from the snapshots the room publishes,
// its own included: no polling, and a healthy room still wakes once a
// minute.
func (r *Room) liveClock(stop chan struct{}) {
	snaps, unsubscribe := r.Subscribe()
	defer unsubscribe()
	tick := liveTick(r.Snapshot()) // what was published before it subscribed
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		off := r.nowOffset()
		timer.Reset(tick - off%tick)
		select {
		case <-stop:
			return
		case s := <-snaps:
			tick = liveTick(s)
			continue
		case <-timer.C:
		}
		r.mu.Lock()
		if r.following {
			r.cur.Follow(r.nowOffset())
			r.publishLocked()
		}
		r.mu.Unlock()
	}
}

// liveTick is how often a live room's clock must move for what s shows: a
// second while a source in trouble has data under an hour old (its age shows
// seconds), else a minute.
func liveTick(s Snapshot) time.Duration {
	if !s.Following {
		return time.Minute // the clock stands still anyway
	}
	for _, src := range s.State.Sources {
		if src.Status != model.HealthOK && src.LastData >= 0 && s.Clock-src.LastData < time.Hour {
			return time.Second
		}
	}
	return time.Minute
}

// Next and Prev step one event; they pause a playing replay.
func (r *Room) Next() Snapshot {
	return r.navigate(func(c *model.Cursor) { c.SetPlaying(false); c.Next() })
}

func (r *Room) Prev() Snapshot {
	return r.navigate(func(c *model.Cursor) { c.SetPlaying(false); c.Prev() })
}

// NextInject jumps to the next facilitator inject and pauses there.
func (r *Room) NextInject() Snapshot {
	return r.navigate(func(c *model.Cursor) { c.SetPlaying(false); c.NextInject() })
}

// Seek jumps to a time; a playing replay keeps playing from there.
func (r *Room) Seek(t time.Duration) Snapshot {
	return r.navigate(func(c *model.Cursor) { c.Seek(t) })
}

// Restart goes back to T+0, paused.
func (r *Room) Restart() Snapshot {
	return r.navigate(func(c *model.Cursor) { c.Restart() })
}

// navigate is a move through history: in a live room it stops following
// the present until ReturnLive.
func (r *Room) navigate(f func(c *model.Cursor)) Snapshot {
	return r.change(func(c *model.Cursor) {
		r.following = false
		f(c)
	})
}

// Faster, Slower and SetSpeed change the replay speed.
func (r *Room) Faster() Snapshot { return r.change(func(c *model.Cursor) { c.Faster() }) }
func (r *Room) Slower() Snapshot { return r.change(func(c *model.Cursor) { c.Slower() }) }
func (r *Room) SetSpeed(x float64) Snapshot {
	return r.change(func(c *model.Cursor) { c.SetSpeed(x) })
}

// Act records a responder's action (an acknowledgement, a runbook step
// change, a note, a decision, a facilitator's inject control) as an event at
// the current time, without checking a role: consoles act through a Seat,
// which does. Its text is sanitised as text from outside is, since it shows
// on everyone's terminal. An action about something that does not exist is
// refused (ErrRefused). It is journaled, with a synchronous commit, before
// anyone sees it; when the journal cannot take it, it is not taken either.
// Inserting it rewrites the history after this point, so the epoch moves
// and views refresh. A decision without a wall time gets the room's.
func (r *Room) Act(by string, body model.Body, text string) (Snapshot, error) {
	return r.act(by, body, text)
}

func (r *Room) act(by string, body model.Body, text string) (Snapshot, error) {
	if d, ok := body.(model.Decision); ok && d.Wall.IsZero() {
		d.Wall = r.now().UTC()
		body = d
	}
	e := model.SanitizeEvent(model.Event{Source: "responder:" + by, Text: text, Body: body})
	if r.shared() {
		return r.actShared(e)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.cur
	if r.following {
		c.Follow(r.nowOffset()) // an action in a live room happens now
	}
	if err := validLocked(c.State(), e.Body); err != nil {
		return r.snapshotLocked(), err
	}
	e.At = c.Clock()
	if err := r.journalLocked([]journal.Entry{{Kind: journal.KindAction, Pos: c.InsertPos(), Wall: r.now().UTC(), Event: e}}, true); err != nil {
		return r.snapshotLocked(), err
	}
	c.Insert(e)
	r.epoch++
	r.syncPlayLocked()
	r.journalClockLocked()
	return r.publishLocked(), nil
}

// shared says the room's journal is a stream other servers share.
func (r *Room) shared() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stream != nil
}

// SetPauseOnInject turns pausing at delivered injects on or off.
func (r *Room) SetPauseOnInject(on bool) Snapshot {
	return r.change(func(c *model.Cursor) { c.SetPauseOnInject(on) })
}

// Close stops the play loop and journals where the clock stands.
// Subscribers receive nothing more. The journal stays open: it is its
// opener's to close.
func (r *Room) Close() {
	r.stopStream()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.journalClockLocked()
	if r.stopPlay != nil {
		close(r.stopPlay)
		r.stopPlay = nil
	}
	if r.stopLive != nil {
		close(r.stopLive)
		r.stopLive = nil
	}
}

// syncPlayLocked starts the play loop when the cursor plays and none runs,
// and stops it when the cursor paused.
func (r *Room) syncPlayLocked() {
	switch {
	case r.cur.Playing() && r.stopPlay == nil:
		r.stopPlay = make(chan struct{})
		go r.play(r.stopPlay)
	case !r.cur.Playing() && r.stopPlay != nil:
		close(r.stopPlay)
		r.stopPlay = nil
	}
}

// play advances the clock every frame until stopped or the replay ends.
func (r *Room) play(stop chan struct{}) {
	t := time.NewTicker(r.frame)
	defer t.Stop()
	last := r.now()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := r.now()
		r.mu.Lock()
		select {
		case <-stop: // paused while we waited for the lock
			r.mu.Unlock()
			return
		default:
		}
		pos, minute := r.cur.Pos(), r.cur.Clock()/time.Minute
		// Publish only what a view can show: a new event or a new minute
		// (the finest time the console displays).
		if r.cur.Advance(now.Sub(last)) && (r.cur.Pos() != pos || r.cur.Clock()/time.Minute != minute) {
			if now.Sub(r.checkpoint) >= time.Second && r.stream == nil {
				r.checkpoint = now
				r.journalClockLocked()
			}
			r.publishLocked()
		}
		last = now
		if !r.cur.Playing() {
			r.stopPlay = nil
			if r.stream == nil { // every server's clock ends there by itself
				r.journalClockLocked()
			}
			r.publishLocked() // the replay ended: views show it paused
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
	}
}
