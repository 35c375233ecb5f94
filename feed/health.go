package feed

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/warroom/warroom/model"
)

// healthState is a source's health as the runner tracks it. Its methods are
// the transitions, functions of what happened and when (offsets from T+0),
// so that they are tested with a fake clock:
//
//   - data (a good poll, a batch from a stream): ok;
//   - a failure: stale while the last data is still the newest there is,
//     that is for the stale window (staleAfter intervals) after it, then
//     error; error at once for a source that never delivered data;
//   - quiet (a stream sending nothing) for the stale window: stale;
//   - the end of the input (stdin closed): stale for good.
type healthState struct {
	window   time.Duration // staleAfter × interval
	status   model.HealthStatus
	err      string        // the last error, kept while not ok
	lastData time.Duration // the last fresh data; negative: none yet
	since    time.Duration // when a stream started listening, for a stream without data yet
	failing  bool          // the last attempt failed
	ended    bool          // nothing will come again
}

func newHealthState(interval time.Duration) healthState {
	return healthState{window: staleAfter * interval, lastData: -1}
}

// listening: a stream started, with no data yet.
func (h *healthState) listening(now time.Duration) {
	h.status, h.err, h.failing, h.since = model.HealthOK, "", false, now
}

// delivered: fresh data at now.
func (h *healthState) delivered(now time.Duration) {
	h.status, h.err, h.failing, h.lastData = model.HealthOK, "", false, now
}

// failed: an attempt failed at now with msg.
func (h *healthState) failed(now time.Duration, msg string) {
	h.failing, h.err = true, msg
	if h.lastData < 0 || now-h.lastData >= h.window {
		h.status = model.HealthError
		return
	}
	h.status = model.HealthStale
}

// endOfInput: the input ended at now; the data stays the newest there is.
func (h *healthState) endOfInput(msg string) {
	h.status, h.err, h.failing, h.ended = model.HealthStale, msg, false, true
}

// elapse moves the state to now: a quiet source turns stale, a failing
// stale one turns to error once its data is older than the window.
func (h *healthState) elapse(now time.Duration) {
	due, ok := h.due()
	if !ok || now < due {
		return
	}
	if h.status == model.HealthOK {
		h.status, h.err = model.HealthStale, fmt.Sprintf("no fresh data for %d intervals", staleAfter)
		return
	}
	h.status = model.HealthError
}

// due is when elapse changes the state next, if time alone will change it.
func (h *healthState) due() (time.Duration, bool) {
	switch {
	case h.ended || h.window <= 0:
		return 0, false
	case h.status == model.HealthOK && h.lastData >= 0:
		return h.lastData + h.window, true
	case h.status == model.HealthOK:
		return h.since + h.window, true
	case h.status == model.HealthStale && h.failing && h.lastData >= 0:
		return h.lastData + h.window, true
	}
	return 0, false
}

// Reporting. A change of status or error, or a new kind of event, is
// reported at once. Counts of dropped items and the age of an ok source's
// data change all the time: they are reported at most every
// minorReportEvery, and the age only when it moved by a minute (what the
// console shows of an ok source), so that a busy source does not fill the
// room's history with health. While a source is not ok they wait for the
// next change, since every report of a source in trouble is a line in the
// timeline.
const minorReportEvery = 10 * time.Second

// health tracks one source for the runner and reports it as SourceHealth
// events. Safe for concurrent use: a stream's batches and its watch run on
// different goroutines.
type health struct {
	mu       sync.Mutex
	r        *Runner
	name     string
	feeds    []model.Kind
	newFeeds bool // kinds seen that the last report did not list
	st       healthState
	guard    *deliveryGuard
	source   dropReporter // nil when the source counts nothing itself
	wake     chan struct{}

	reported bool // a report was sent; rep is what it said
	rep      struct {
		status   model.HealthStatus
		err      string
		lastData time.Duration
		dropped  []model.DropCount
		at       time.Duration
	}
}

func (r *Runner) health(src Source, sch Schedule) *health {
	h := &health{r: r, name: src.Name(), feeds: sch.Feeds, st: newHealthState(sch.Interval),
		guard: newDeliveryGuard(), wake: make(chan struct{}, 1)}
	if d, ok := src.(dropReporter); ok {
		h.source = d
	}
	return h
}

// deliver hands a batch to the room, less what was delivered before or is
// older than what was, and marks the data fresh.
func (h *health) deliver(events []model.Event) {
	events = h.guard.filter(events)
	if len(events) > 0 {
		h.sawEvents(events)
		h.r.sink(events)
	}
	h.update(func(st *healthState, now time.Duration) { st.delivered(now) })
}

func (h *health) listening() {
	h.update(func(st *healthState, now time.Duration) { st.listening(now) })
}

func (h *health) failed(err error) {
	h.update(func(st *healthState, now time.Duration) { st.failed(now, err.Error()) })
}

func (h *health) endOfInput(msg string) {
	h.update(func(st *healthState, _ time.Duration) { st.endOfInput(msg) })
}

// elapse lets time act, and reports what waited.
func (h *health) elapse() {
	h.update(func(st *healthState, now time.Duration) { st.elapse(now) })
}

// update applies a transition at the clock's now and reports what is due.
// The report is sent under the lock, so that reports reach the room in the
// order they were made.
func (h *health) update(f func(st *healthState, now time.Duration)) {
	h.mu.Lock()
	now := h.r.clock.Since()
	f(&h.st, now)
	if ev, send := h.reportLocked(now); send {
		h.r.sink([]model.Event{ev})
	}
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// dropped is every count: the source's own and the guard's.
func (h *health) dropped() []model.DropCount {
	var own []model.DropCount
	if h.source != nil {
		own = h.source.Dropped()
	}
	return mergeDrops(own, h.guard.drops.counts())
}

// reportLocked builds the report and says whether it is due now. The
// caller holds h.mu.
func (h *health) reportLocked(now time.Duration) (model.Event, bool) {
	st := &h.st
	dropped := h.dropped()
	major := !h.reported || st.status != h.rep.status || st.err != h.rep.err || h.newFeeds
	if !major && !h.minorDueLocked(now, dropped) {
		return model.Event{}, false
	}
	h.reported, h.newFeeds = true, false
	h.rep.status, h.rep.err, h.rep.lastData, h.rep.dropped, h.rep.at = st.status, st.err, st.lastData, dropped, now
	return model.Event{At: now, Source: h.name, Body: model.SourceHealth{
		Source: h.name, Status: st.status, Error: st.err, LastData: st.lastData, Feeds: h.feeds, Dropped: dropped}}, true
}

// minorDueLocked reports whether counts or the data's age changed enough,
// long enough after the last report, for an ok source.
func (h *health) minorDueLocked(now time.Duration, dropped []model.DropCount) bool {
	if h.st.status != model.HealthOK || now-h.rep.at < minorReportEvery {
		return false
	}
	return !slices.Equal(dropped, h.rep.dropped) || h.st.lastData-h.rep.lastData >= time.Minute
}

// nextWake is the offset at which elapse has something to do: a transition
// time brings, or a minor change waiting to be reported. readCounts says the
// source's counts change between batches (a stream's bad lines), so that
// they are read every interval.
func (h *health) nextWake(interval time.Duration, readCounts bool) (time.Duration, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	due, ok := h.st.due()
	if h.reported && h.st.status == model.HealthOK {
		waiting := !slices.Equal(h.dropped(), h.rep.dropped) || h.st.lastData-h.rep.lastData >= time.Minute
		if at := h.rep.at + minorReportEvery; waiting && (!ok || at < due) {
			due, ok = at, true
		}
	}
	if readCounts {
		if at := h.r.clock.Since() + interval; !ok || at < due {
			due, ok = at, true
		}
	}
	return due, ok
}

// arm sets t to fire when the source next needs looking at.
func (h *health) arm(t *time.Timer, interval time.Duration, readCounts bool) {
	at, ok := h.nextWake(interval, readCounts)
	if !ok {
		t.Stop()
		return
	}
	t.Reset(max(at-h.r.clock.Since(), time.Millisecond))
}

// sawEvents adds the kinds of events the source produced to what it feeds:
// an http, exec or ndjson source declares nothing, and its events may carry
// their own source names, so only the runner knows where they came from.
func (h *health) sawEvents(events []model.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range events {
		if e.Body == nil || e.Body.Kind() == model.KindSourceHealth || slices.Contains(h.feeds, e.Body.Kind()) {
			continue
		}
		h.feeds = append(slices.Clip(h.feeds), e.Body.Kind())
		h.newFeeds = true
	}
}
