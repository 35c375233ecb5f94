package room

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// A room on a shared journal (a JetStream stream several servers append
// to) applies nothing when it accepts it: it publishes, and applies what
// the stream hands back, in the stream's order, its own entries among the
// others'. Every server thus folds the same events in the same order and
// shows the same room. A source event is placed by its time and an action
// by the time it was taken (Merge), so that where it lands does not depend
// on what a server had applied when it sent it.

// ErrOffline is the error of an action taken while the room's stream
// cannot be reached: the action is kept, and sent when it returns.
var ErrOffline = errors.New("room offline")

// offlineError says what was kept.
type offlineError struct{ what string }

func (e *offlineError) Error() string {
	return fmt.Sprintf("room offline: your %s is kept and sent when it returns", e.what)
}

func (e *offlineError) Is(target error) bool { return target == ErrOffline }

// queued is an action kept while the room is offline, with the id it is
// sent with every time, so that the stream keeps it once.
type queued struct {
	entry  journal.Entry
	id     string
	onDisk bool // in the outbox file: dropped from it once sent
}

// streamState is a shared room's view of its stream.
type streamState struct {
	log       journal.Shared
	connected bool     // the connection to NATS is up
	outbox    []queued // actions kept while offline, in order
	applied   uint64   // the last message applied
	behind    uint64   // messages the stream holds past it
	appliedCh chan struct{}
	kick      chan struct{} // wakes the sender of the outbox
	published time.Time     // when a snapshot was last published while catching up
	stop      context.CancelFunc
	done      chan struct{}
}

// startStreamLocked starts following the stream from where the journal's
// entries were read to, and sending what is kept while offline.
func (r *Room) startStreamLocked(log journal.Shared) {
	ctx, cancel := context.WithCancel(context.Background())
	r.stream = &streamState{log: log, connected: log.Online(), appliedCh: make(chan struct{}),
		kick: make(chan struct{}, 1), stop: cancel, done: make(chan struct{})}
	st := r.stream
	if r.outbox != nil { // what a server killed while offline had kept
		for _, k := range r.outbox.Kept() {
			st.outbox = append(st.outbox, queued{entry: k.Entry, id: k.ID, onDisk: true})
		}
		st.wake()
	}
	log.OnStatus(func(online bool) {
		r.mu.Lock()
		st.connected = online
		r.publishLocked()
		r.mu.Unlock()
		st.wake()
	})
	go func() {
		defer close(st.done)
		go r.sendKept(ctx, st)
		if err := log.Follow(ctx, r.applyStreamed); err != nil {
			r.mu.Lock()
			r.journalErr = model.Sanitize(err.Error(), model.MaxTextLen)
			r.publishLocked()
			r.mu.Unlock()
		}
	}()
}

func (st *streamState) wake() {
	select {
	case st.kick <- struct{}{}:
	default:
	}
}

// stopStream ends following the stream.
func (r *Room) stopStream() {
	r.mu.Lock()
	st := r.stream
	r.mu.Unlock()
	if st == nil {
		return
	}
	st.stop()
	<-st.done
}

// offlineLocked says the room cannot reach its stream, or has actions
// still to send.
func (r *Room) offlineLocked() bool {
	return r.stream != nil && (!r.stream.connected || len(r.stream.outbox) > 0)
}

// applyStreamed applies one message of the stream: its events merged by
// time, its actions where they were taken, the shared clock of an
// exercise where it was moved.
func (r *Room) applyStreamed(pos uint64, entries []journal.Entry, behind uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var events []model.Event
	flush := func() {
		if len(events) == 0 {
			return
		}
		if r.cur.Merge(events) {
			r.epoch++
		}
		events = nil
	}
	for _, e := range entries {
		switch e.Kind {
		case journal.KindEvent:
			events = append(events, e.Event)
		case journal.KindAction:
			flush()
			r.applyActionLocked(e.Event)
		case journal.KindClock:
			flush()
			r.applyClockLocked(e)
		case journal.KindShown:
			if _, ok := r.shown[e.Shown.Inject]; !ok {
				shown := maps.Clone(r.shown)
				shown[e.Shown.Inject] = e.Wall
				r.shown = shown
			}
		}
	}
	flush()
	if r.following {
		r.cur.Follow(r.nowOffset())
	}
	st := r.stream
	st.applied, st.behind = pos, behind
	close(st.appliedCh)
	st.appliedCh = make(chan struct{})
	// Catching up, the consoles are shown how far it got ten times a
	// second, not at every message.
	if now := r.now(); behind == 0 || now.Sub(st.published) >= 100*time.Millisecond {
		st.published = now
		r.publishLocked()
	}
}

// applyActionLocked merges an action at the time it was taken, and shows
// it at once when the clock is there.
func (r *Room) applyActionLocked(e model.Event) {
	c := r.cur
	c.Merge([]model.Event{e})
	r.epoch++
	switch {
	case r.following:
		c.Follow(max(r.nowOffset(), e.At))
	case e.At <= c.Clock():
		c.Follow(c.Clock())
	}
}

// applyClockLocked moves an exercise's shared clock where a server moved
// it; a playing clock has played on since. A live room's clock follows
// the present on every server.
func (r *Room) applyClockLocked(e journal.Entry) {
	if r.live {
		return
	}
	c, cl := r.cur, e.Clock
	c.SetSpeed(cl.Speed)
	c.SetPauseOnInject(cl.PauseOnInject)
	c.GoTo(cl.Pos, cl.At)
	// Actions merged at the clock's time since it was journaled (they
	// move no clock on a shared stream) are applied too.
	c.Follow(cl.At)
	c.SetPlaying(cl.Playing)
	if cl.Playing {
		if since := r.now().Sub(e.Wall); since > 0 {
			c.Advance(since)
		}
	}
	r.syncPlayLocked()
	r.logged = r.clockLocked()
}

// clockLocked is the shared clock as the journal records it.
func (r *Room) clockLocked() journal.Clock {
	c := r.cur
	return journal.Clock{At: c.Clock(), Pos: c.Base() + c.Pos(), Playing: c.Playing(), Speed: c.Speed(),
		PauseOnInject: c.PauseOnInject()}
}

// actShared sends an action to the stream and waits until it is applied,
// in its place among every server's. Offline, it is kept and sent when
// the stream returns; the responder is told so.
func (r *Room) actShared(e model.Event) (Snapshot, error) {
	r.mu.Lock()
	c := r.cur
	if r.following {
		c.Follow(r.nowOffset())
	}
	if err := validLocked(c.State(), e.Body); err != nil {
		defer r.mu.Unlock()
		return r.snapshotLocked(), err
	}
	e.At = c.Clock()
	st := r.stream
	q := queued{entry: journal.Entry{Kind: journal.KindAction, Pos: c.InsertPos(), Wall: r.now().UTC(), Event: e},
		id: st.log.NewID()}
	if len(st.outbox) > 0 || !st.connected {
		return r.keepLocked(q, e) // after those kept before it
	}
	r.mu.Unlock()
	pos, err := st.log.Publish([]journal.Entry{q.entry}, q.id, true)
	r.mu.Lock()
	if err != nil {
		return r.keepLocked(q, e)
	}
	for st.applied < pos {
		ch := st.appliedCh
		r.mu.Unlock()
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
			r.mu.Lock()
			defer r.mu.Unlock()
			return r.snapshotLocked(), nil // stored; it shows when the stream delivers it
		}
		r.mu.Lock()
	}
	defer r.mu.Unlock()
	return r.snapshotLocked(), nil
}

// keepLocked keeps an action to send when the stream returns, and unlocks.
func (r *Room) keepLocked(q queued, e model.Event) (Snapshot, error) {
	defer r.mu.Unlock()
	if r.outbox != nil {
		if err := r.outbox.Add(journal.Kept{ID: q.id, Entry: q.entry}); err != nil {
			r.journalErr = model.Sanitize(err.Error(), model.MaxTextLen) // still kept, in memory
		} else {
			q.onDisk = true
		}
	}
	r.stream.outbox = append(r.stream.outbox, q)
	r.stream.wake()
	what := "action"
	if _, ok := e.Body.(model.Note); ok {
		what = "note"
	}
	return r.publishLocked(), &offlineError{what: what}
}

// sendKept sends the actions kept while offline, in order, each with its
// own id, as soon as the stream takes them; it tries again every second.
func (r *Room) sendKept(ctx context.Context, st *streamState) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-st.kick:
		case <-tick.C:
		}
		for {
			r.mu.Lock()
			if len(st.outbox) == 0 {
				r.mu.Unlock()
				break
			}
			q := st.outbox[0]
			r.mu.Unlock()
			if _, err := st.log.Publish([]journal.Entry{q.entry}, q.id, true); err != nil {
				break
			}
			r.mu.Lock()
			st.outbox = st.outbox[1:]
			if r.outbox != nil && q.onDisk { // the file's oldest: one kept in memory only is not in it
				if err := r.outbox.Sent(); err != nil {
					r.journalErr = model.Sanitize(err.Error(), model.MaxTextLen)
				}
			}
			r.publishLocked()
			r.mu.Unlock()
		}
	}
}
