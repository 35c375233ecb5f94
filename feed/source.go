package feed

import (
	"context"
	"time"

	"github.com/warroom/warroom/model"
)

// Source is one outside system warroom reads: a Prometheus server, a
// carrier's status page, an RSS feed, an HTTP endpoint, a command, an NDJSON
// stream. Every source turns what it reads into the same events a scenario
// file holds, so every pane works the same live and in replay.
type Source interface {
	// Name is the source's name from the config; health and errors carry it.
	Name() string
}

// Poller is a source read on an interval.
type Poller interface {
	Source
	// Poll reads the source once and returns the events it has not returned
	// before: polling the same status page update twice yields it once.
	// Text in the events is already sanitised. Poll must honour ctx (the
	// runner puts the source's timeout on it).
	Poll(ctx context.Context) ([]model.Event, error)
}

// Streamer is a source that pushes events as they arrive.
type Streamer interface {
	Source
	// Stream calls emit with batches of sanitised events until ctx ends or
	// the stream fails for good. It returns nil when ctx ended.
	Stream(ctx context.Context, emit func([]model.Event)) error
}

// Clock places outside timestamps on the incident's time axis.
type Clock struct {
	Origin time.Time        // the incident's T+0
	Now    func() time.Time // the real clock; tests replace it
}

// Offset is t as an offset from T+0.
func (c Clock) Offset(t time.Time) time.Duration { return t.Sub(c.Origin) }

// Since is now as an offset from T+0.
func (c Clock) Since() time.Duration { return c.Offset(c.now()) }

func (c Clock) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}
