package feed

import (
	"time"

	"github.com/warroom/warroom/model"
)

// deliveryGuard stands between one source and the room, so that a source
// that restarts and sends again what it had sent (a simulator or an
// exporter restarted, an HTTP document listing the last hour again, an
// NDJSON file rewritten) never moves the room backwards:
//
//   - an event already delivered (the same time and content) is not
//     delivered again; it is not news, so it is not counted as dropped;
//   - a report of a host group or of the backlog older than the newest one
//     already delivered for that group (or the backlog) is dropped and
//     counted: it would rewrite a past the room has shown, and once merged
//     in its place in time it would be the latest news of nothing.
//
// Reports within one batch are weighed against what was delivered before
// the batch, not against each other, so that a document listing the newest
// first is read whole. Dropped events are remembered too: one sent again is
// counted once.
type deliveryGuard struct {
	seen   *seenSet
	newest map[stateEntity]time.Duration
	batch  map[stateEntity]time.Duration // the newest in the batch being filtered
	drops  dropCounter
}

// stateEntity is what a state report is about: a host group, or the
// backlog (group "").
type stateEntity struct {
	kind  model.Kind
	group string
}

func newDeliveryGuard() *deliveryGuard {
	return &deliveryGuard{seen: newSeenSet(defaultSeen), newest: map[stateEntity]time.Duration{},
		batch: map[stateEntity]time.Duration{}}
}

// filter returns the events of a batch that may be delivered, in their
// order, reusing events' array. It is called by one goroutine at a time.
func (g *deliveryGuard) filter(events []model.Event) []model.Event {
	out := events[:0]
	older := 0
	for _, e := range events {
		if !g.seen.addEvent(e, true) {
			continue
		}
		if k, ok := entityOf(e.Body); ok {
			if newest, seen := g.newest[k]; seen && e.At < newest {
				older++
				continue
			}
			if b, ok := g.batch[k]; !ok || e.At > b {
				g.batch[k] = e.At
			}
		}
		out = append(out, e)
	}
	for k, at := range g.batch {
		if n, ok := g.newest[k]; !ok || at > n {
			g.newest[k] = at
		}
	}
	clear(g.batch)
	g.drops.add(DropOlder, older)
	clear(events[len(out):])
	return out
}

// entityOf is what a state report reports on; false for other events.
func entityOf(b model.Body) (stateEntity, bool) {
	switch x := b.(type) {
	case model.HostStatus:
		return stateEntity{model.KindHostStatus, x.Group}, true
	case model.BacklogObservation:
		return stateEntity{kind: model.KindBacklog}, true
	}
	return stateEntity{}, false
}
