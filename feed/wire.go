package feed

// The sources read the wire format (model.WireDecoder) and remember what
// they have delivered, so that a document read again repeats nothing.

import (
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"time"

	"github.com/warroom/warroom/model"
)

// DecodeError is one problem in wire-format input, at name:line:col.
type DecodeError = model.DecodeError

// EncodeEvent writes an event as one line of the wire format, without the
// newline, its time clock.Origin+At.
func EncodeEvent(e model.Event, clock Clock) ([]byte, error) {
	return model.EncodeEvent(e, clock.Origin)
}

func newWireDecoder(name string, clock Clock) *model.WireDecoder {
	return model.NewWireDecoder(name, clock.Origin, clock.Since)
}

// longLine is the problem of an NDJSON line longer than model.MaxWireLine.
var longLine = fmt.Sprintf("line longer than the limit of %s: skipped", sizeText(model.MaxWireLine))

// seenSet remembers the last n distinct events a poller returned, by a hash
// of their canonical wire form, so that a source read again does not
// repeat itself. Memory is bounded: the oldest are forgotten first.
type seenSet struct {
	mu   sync.Mutex
	seed maphash.Seed
	n    int
	set  map[uint64]struct{}
	ring []uint64
	next int
	buf  []byte
	enc  *model.WireEncoder // the canonical form, as of an incident at the Unix epoch
}

// defaultSeen is how many events a poller remembers.
const defaultSeen = 100_000

func newSeenSet(n int) *seenSet {
	return &seenSet{seed: maphash.MakeSeed(), n: max(n, 1), set: map[uint64]struct{}{}, enc: model.NewWireEncoder(time.Unix(0, 0))}
}

// fresh returns the events not seen before, remembering them. timed[i]
// says whether events[i] had a time of its own: the time of one that had
// none is when it was read, and not part of what it is.
func (s *seenSet) fresh(events []model.Event, timed []bool) []model.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := events[:0]
	for i, e := range events {
		if fresh, known := s.addLocked(e, timed[i]); fresh && known {
			out = append(out, e)
		}
	}
	clear(events[len(out):]) // let go of the duplicates
	return out
}

// addEvent remembers e, with its time or without, and says whether it is
// new. An event the wire format has no form for is never remembered and
// always new.
func (s *seenSet) addEvent(e model.Event, withTime bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	fresh, known := s.addLocked(e, withTime)
	return fresh || !known
}

// addLocked remembers e; known is false for an event without a wire form
// (then fresh says nothing). The caller holds s.mu.
func (s *seenSet) addLocked(e model.Event, withTime bool) (fresh, known bool) {
	b, err := s.enc.Append(s.buf[:0], e, withTime)
	if err != nil {
		return false, false
	}
	s.buf = b
	h := maphash.Bytes(s.seed, b)
	if _, ok := s.set[h]; ok {
		return false, true
	}
	s.add(h)
	return true, true
}

func (s *seenSet) add(h uint64) {
	s.set[h] = struct{}{}
	if len(s.ring) < s.n {
		s.ring = append(s.ring, h)
		return
	}
	delete(s.set, s.ring[s.next])
	s.ring[s.next] = h
	s.next = (s.next + 1) % s.n
}

// pollResult is what a poller read, decoded.
type pollResult struct {
	events  []model.Event // good and not seen before
	good    int           // good events, seen before or not
	errs    []error       // the first maxReported problems
	bad     int           // all problems
	dropped []badEntry    // the entries that were not events
}

// err joins the problems into one error, listing the first few.
func (r pollResult) err(name string) error {
	errs := r.errs
	if r.bad > len(errs) {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("%s: and %d more problems", name, r.bad-len(errs)))
	}
	return errors.Join(errs...)
}

// decodeFresh decodes a poll's output and keeps the events not seen before.
// Events without a source get name.
func decodeFresh(data []byte, name string, clock Clock, seen *seenSet) pollResult {
	var (
		r     pollResult
		timed []bool
	)
	d := newWireDecoder(name, clock)
	d.Dropped = func(raw []byte, reason string) { r.dropped = append(r.dropped, badEntry{raw, reason}) }
	d.Decode(data, func(e model.Event, t bool) {
		if e.Source == "" {
			e.Source = name
		}
		r.events = append(r.events, e)
		timed = append(timed, t)
	}, func(err error) {
		if r.bad++; len(r.errs) < maxReported {
			r.errs = append(r.errs, err)
		}
	})
	r.good = len(r.events)
	r.events = seen.fresh(r.events, timed)
	return r
}

// report settles a poll's decoded output: when nothing in it was good, its
// problems are the poll's error; otherwise the good events are returned,
// the entries that were not events are counted in drops, and the problems
// go to onError (when set), so that one bad entry does not throw away the
// rest.
func (r pollResult) report(name string, onError func(error), drops *entryDrops) ([]model.Event, error) {
	if r.bad == 0 {
		drops.read(nil)
		return r.events, nil
	}
	if r.good == 0 {
		return nil, r.err(name)
	}
	drops.read(r.dropped)
	if onError != nil {
		onError(r.err(name))
	}
	return r.events, nil
}

// maxReported is how many problems of one read an error lists.
const maxReported = 10
