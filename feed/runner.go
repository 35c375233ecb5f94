package feed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/warroom/warroom/model"
)

// Schedule says how a source runs.
type Schedule struct {
	Interval time.Duration // between polls; for a stream, the silence after which data goes stale (times two)
	Timeout  time.Duration // the limit for one poll
	Feeds    []model.Kind  // what the source produces: the panes that show its health
}

// staleAfter is how many intervals without fresh data make a source stale.
const staleAfter = 2

// maxBackoff caps the wait between retries of a failing source.
const maxBackoff = 5 * time.Minute

// Runner keeps sources running, retries failures with exponential backoff
// and jitter, and reports each source's health as SourceHealth events: ok,
// stale (no fresh data for two intervals) or error (with the last error).
// Every source runs on its own goroutine, so a dead or hung source never
// blocks another one or the console.
type Runner struct {
	clock Clock
	sink  func([]model.Event) // receives events and health; must be safe for concurrent use
}

// NewRunner sends every source's events and health to sink.
func NewRunner(clock Clock, sink func([]model.Event)) *Runner {
	return &Runner{clock: clock, sink: sink}
}

// health tracks one source and reports changes.
type health struct {
	mu       sync.Mutex
	r        *Runner
	name     string
	feeds    []model.Kind
	status   model.HealthStatus
	err      string
	lastData time.Duration
	reported bool
	newFeeds bool // kinds seen that the last report did not list
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

func (r *Runner) health(name string, feeds []model.Kind) *health {
	return &health{r: r, name: name, feeds: feeds, lastData: -1}
}

func (h *health) set(status model.HealthStatus, err string, fresh bool) {
	h.mu.Lock()
	now := h.r.clock.Since()
	if fresh {
		h.lastData = now
	}
	changed := !h.reported || status != h.status || err != h.err || h.newFeeds
	h.status, h.err, h.reported, h.newFeeds = status, err, true, false
	ev := model.Event{At: now, Source: h.name, Body: model.SourceHealth{
		Source: h.name, Status: status, Error: err, LastData: h.lastData, Feeds: h.feeds}}
	h.mu.Unlock()
	if changed {
		h.r.sink([]model.Event{ev})
	}
}

// staleIfQuiet marks the source stale when its last fresh data is older than
// staleAfter intervals (and it is not already failing).
func (h *health) staleIfQuiet(interval time.Duration) {
	h.mu.Lock()
	quiet := h.status == model.HealthOK && h.r.clock.Since()-h.lastData > staleAfter*interval
	h.mu.Unlock()
	if quiet {
		h.set(model.HealthStale, fmt.Sprintf("no fresh data for %d intervals", staleAfter), false)
	}
}

// Poll runs p every interval until ctx ends.
func (r *Runner) Poll(ctx context.Context, p Poller, sch Schedule) {
	h := r.health(p.Name(), sch.Feeds)
	failures := 0
	next := time.NewTimer(0)
	defer next.Stop()
	watch := time.NewTicker(sch.Interval)
	defer watch.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-watch.C:
			h.staleIfQuiet(sch.Interval)
			continue
		case <-next.C:
		}
		events, err := pollOnce(ctx, p, sch.Timeout)
		if ctx.Err() != nil {
			return
		}
		delay := sch.Interval
		if err != nil {
			failures++
			delay = backoff(sch.Interval, failures)
			h.set(model.HealthError, err.Error(), false)
		} else {
			failures = 0
			if len(events) > 0 {
				h.sawEvents(events)
				r.sink(events)
			}
			h.set(model.HealthOK, "", true)
		}
		next.Reset(delay)
	}
}

// pollOnce polls with a timeout. A source that ignores its context still
// cannot hold the runner past the timeout: its error is reported at once,
// and the next poll waits until the stuck one returns, so a source never
// runs twice at a time.
func pollOnce(ctx context.Context, p Poller, timeout time.Duration) ([]model.Event, error) {
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		events []model.Event
		err    error
	}
	done := make(chan result, 1)
	go func() {
		ev, err := p.Poll(pctx)
		done <- result{ev, err}
	}()
	select {
	case res := <-done:
		if res.err != nil && errors.Is(res.err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, fmt.Errorf("timed out after %s", timeout)
		}
		return res.events, res.err
	case <-pctx.Done():
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		go func() { <-done }() // let the stuck poll finish in the background
		return nil, fmt.Errorf("timed out after %s (the source did not stop)", timeout)
	}
}

// Stream keeps s streaming until ctx ends, restarting it with backoff when
// it fails.
func (r *Runner) Stream(ctx context.Context, s Streamer, sch Schedule) {
	h := r.health(s.Name(), sch.Feeds)
	h.set(model.HealthOK, "", false)
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go func() {
		t := time.NewTicker(sch.Interval)
		defer t.Stop()
		for {
			select {
			case <-watchCtx.Done():
				return
			case <-t.C:
				h.staleIfQuiet(sch.Interval)
			}
		}
	}()
	var failures atomic.Int32 // emit may run on the streamer's own goroutine
	for {
		err := s.Stream(ctx, func(events []model.Event) {
			failures.Store(0)
			h.sawEvents(events)
			r.sink(events)
			h.set(model.HealthOK, "", true)
		})
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, ErrEndOfInput) { // stdin closed: nothing will come again
			h.set(model.HealthStale, "end of input", false)
			return
		}
		n := failures.Add(1)
		if err == nil {
			err = errors.New("stream ended")
		}
		h.set(model.HealthError, err.Error(), false)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff(sch.Interval, int(n))):
		}
	}
}

// BadEntries returns the function a source calls about entries it skipped
// (a bad NDJSON line, a malformed event in a good response): it puts one
// line in the timeline, at most once a minute per source, so that a feed
// partly broken is seen without a flood.
func (r *Runner) BadEntries(source string) func(error) {
	var mu sync.Mutex
	var last time.Time
	return func(err error) {
		now := r.clock.now()
		mu.Lock()
		quiet := now.Sub(last) < time.Minute
		if !quiet {
			last = now
		}
		mu.Unlock()
		if quiet {
			return
		}
		r.sink([]model.Event{{At: r.clock.Offset(now), Source: source, Body: model.StatusUpdate{
			From: source, Text: "skipped a bad entry: " + model.Sanitize(err.Error(), model.MaxNameLen)}}})
	}
}

// backoff is the wait before retry n (1-based): the interval doubled per
// failure, capped, with ±20% jitter so that many consoles retrying one dead
// server do not hit it in step.
func backoff(interval time.Duration, n int) time.Duration {
	d := interval
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, max(maxBackoff, interval))
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}
