package feed

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// collector is a sink that remembers what it got.
type collector struct {
	mu     sync.Mutex
	events []model.Event
}

func (c *collector) sink(evs []model.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, evs...)
}

func (c *collector) health() []model.SourceHealth {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []model.SourceHealth
	for _, e := range c.events {
		if h, ok := e.Body.(model.SourceHealth); ok {
			out = append(out, h)
		}
	}
	return out
}

func (c *collector) notes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range c.events {
		if _, ok := e.Body.(model.Note); ok {
			n++
		}
	}
	return n
}

// scripted is a poller that plays a script of results, one per poll.
type scripted struct {
	mu     sync.Mutex
	script []func(ctx context.Context) ([]model.Event, error)
	polls  []time.Time
}

func (s *scripted) Name() string { return "scripted" }

func (s *scripted) Poll(ctx context.Context) ([]model.Event, error) {
	s.mu.Lock()
	s.polls = append(s.polls, time.Now())
	i := len(s.polls) - 1
	s.mu.Unlock()
	if i >= len(s.script) {
		return nil, nil
	}
	return s.script[i](ctx)
}

func (s *scripted) pollTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.polls...)
}

func note() ([]model.Event, error) {
	return []model.Event{{Body: model.Note{Author: "x", Text: "y"}}}, nil
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestRunnerHealthAndBackoff(t *testing.T) {
	boom := func(context.Context) ([]model.Event, error) { return nil, errors.New("connection refused") }
	n := 0
	ok := func(context.Context) ([]model.Event, error) {
		n++
		return []model.Event{{At: time.Duration(n), Body: model.Note{Author: "x", Text: fmt.Sprint("note ", n)}}}, nil
	}
	p := &scripted{script: []func(context.Context) ([]model.Event, error){ok, boom, boom, boom, ok}}
	var c collector
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := NewRunner(Clock{Origin: time.Now()}, c.sink)
	go r.Poll(ctx, p, Schedule{Interval: 60 * time.Millisecond, Timeout: time.Second, Feeds: []model.Kind{model.KindNote}})
	waitFor(t, "recovery after three failures", func() bool { return c.notes() == 2 })
	cancel()

	var states []model.HealthStatus
	for _, h := range c.health() {
		states = append(states, h.Status)
	}
	// The first failure comes one interval after the data: stale; the
	// window of two intervals passes during the retries: error.
	want := []model.HealthStatus{model.HealthOK, model.HealthStale, model.HealthError, model.HealthOK}
	if !slices.Equal(states, want) {
		t.Fatalf("health went %v, want %v (each reported once for three failures)", states, want)
	}
	for _, h := range c.health()[1:3] {
		if h.Error != "connection refused" || h.LastData < 0 || len(h.Feeds) != 1 || h.Feeds[0] != model.KindNote {
			t.Errorf("failing health %+v", h)
		}
	}
	// Retries back off: the gaps between the failing polls grow.
	times := p.pollTimes()
	g1, g2 := times[2].Sub(times[1]), times[3].Sub(times[2])
	if g2 <= g1 {
		t.Errorf("retry gaps %v then %v: want them to grow", g1, g2)
	}
}

func TestRunnerTimesOutAHungSource(t *testing.T) {
	release := make(chan struct{})
	hang := func(context.Context) ([]model.Event, error) { <-release; return nil, nil } // ignores ctx
	p := &scripted{script: []func(context.Context) ([]model.Event, error){hang}}
	var c collector
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := NewRunner(Clock{Origin: time.Now()}, c.sink)
	start := time.Now()
	go r.Poll(ctx, p, Schedule{Interval: time.Hour, Timeout: 30 * time.Millisecond})
	waitFor(t, "the timeout error", func() bool {
		h := c.health()
		return len(h) > 0 && h[len(h)-1].Status == model.HealthError
	})
	if took := time.Since(start); took > time.Second {
		t.Errorf("a hung source was reported after %v", took)
	}
	close(release)
}

func TestRunnerStaleWhenQuiet(t *testing.T) {
	var c collector
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := NewRunner(Clock{Origin: time.Now()}, c.sink)
	s := &quietStream{}
	go r.Stream(ctx, s, Schedule{Interval: 10 * time.Millisecond})
	waitFor(t, "stale", func() bool {
		for _, h := range c.health() {
			if h.Status == model.HealthStale {
				return true
			}
		}
		return false
	})
}

// quietStream sends one batch, then nothing until cancelled.
type quietStream struct{}

func (quietStream) Name() string { return "quiet" }

func (quietStream) Stream(ctx context.Context, emit func([]model.Event)) error {
	ev, _ := note()
	emit(ev)
	<-ctx.Done()
	return nil
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 20: maxBackoff} {
		got := backoff(time.Second, n)
		if got < want*8/10 || got > want*12/10 {
			t.Errorf("backoff(1s, %d) = %v, want %v ±20%%", n, got, want)
		}
	}
}

func TestBadEntriesAtMostOnceAMinute(t *testing.T) {
	var c collector
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := NewRunner(Clock{Origin: now, Now: func() time.Time { return now }}, c.sink)
	bad := r.BadEntries("fleet")
	bad(errors.New("line 3: \x1b]0;pwned\x07bad"))
	bad(errors.New("line 4: bad"))
	now = now.Add(61 * time.Second)
	bad(errors.New("line 9: bad"))
	if len(c.events) != 2 {
		t.Fatalf("%d timeline lines, want 2 (one a minute)", len(c.events))
	}
	u := c.events[0].Body.(model.StatusUpdate)
	if u.From != "fleet" || strings.Contains(u.Text, "\x1b") {
		t.Errorf("update %+v", u)
	}
}

// endingStream sends one batch and then reports the end of its input.
type endingStream struct{ runs int }

func (*endingStream) Name() string { return "stdin" }

func (s *endingStream) Stream(ctx context.Context, emit func([]model.Event)) error {
	s.runs++
	ev, _ := note()
	emit(ev)
	return fmt.Errorf("stdin: %w", ErrEndOfInput)
}

func TestStreamEndOfInputIsFinal(t *testing.T) {
	var c collector
	r := NewRunner(Clock{Origin: time.Now()}, c.sink)
	s := &endingStream{}
	done := make(chan struct{})
	go func() { r.Stream(context.Background(), s, Schedule{Interval: time.Millisecond}); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the runner kept restarting a stream whose input ended")
	}
	h := c.health()
	if s.runs != 1 || h[len(h)-1].Status != model.HealthStale || h[len(h)-1].Error != "end of input" {
		t.Fatalf("runs %d, health %+v", s.runs, h)
	}
}
