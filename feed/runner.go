package feed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// staleAfter is how many intervals without fresh data make a quiet source
// stale, and a failing one an error.
const staleAfter = 2

// maxBackoff caps the wait between retries of a failing source.
const maxBackoff = 5 * time.Minute

// Runner keeps sources running, retries failures with exponential backoff
// and jitter, and reports each source's health as SourceHealth events: ok;
// stale when a stream goes quiet, or when a source fails while its last
// data is still the newest there is (for two intervals); error past that,
// or at once for a source that never delivered data. Every source runs on
// its own goroutine, so a dead or hung source never blocks another one or
// the console. Between each source and the sink stands a deliveryGuard: a
// source never delivers an event twice, nor a host or backlog report older
// than one it delivered.
type Runner struct {
	clock Clock
	sink  func([]model.Event) // receives events and health; must be safe for concurrent use
}

// NewRunner sends every source's events and health to sink.
func NewRunner(clock Clock, sink func([]model.Event)) *Runner {
	return &Runner{clock: clock, sink: sink}
}

// Poll runs p every interval until ctx ends.
func (r *Runner) Poll(ctx context.Context, p Poller, sch Schedule) {
	h := r.health(p, sch)
	failures := 0
	next := time.NewTimer(0)
	defer next.Stop()
	due := time.NewTimer(time.Hour)
	defer due.Stop()
	for {
		h.arm(due, sch.Interval, false)
		select {
		case <-ctx.Done():
			return
		case <-due.C:
			h.elapse()
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
			h.failed(err)
		} else {
			failures = 0
			h.deliver(events)
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
	h := r.health(s, sch)
	h.listening()
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go func() {
		t := time.NewTimer(time.Hour)
		defer t.Stop()
		for {
			h.arm(t, sch.Interval, true)
			select {
			case <-watchCtx.Done():
				return
			case <-h.wake: // something changed: look again when the next thing is due
			case <-t.C:
				h.elapse()
			}
		}
	}()
	var failures atomic.Int32 // emit may run on the streamer's own goroutine
	for {
		err := s.Stream(ctx, func(events []model.Event) {
			failures.Store(0)
			h.deliver(events)
		})
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, ErrEndOfInput) { // stdin closed: nothing will come again
			h.endOfInput("end of input")
			return
		}
		n := failures.Add(1)
		if err == nil {
			err = errors.New("stream ended")
		}
		h.failed(err)
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
