package feed

import (
	"cmp"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/warroom/warroom/model"
)

// Why a source read an item and did not deliver it. An item delivered on an
// earlier read and read again is not news and is not counted: only what
// never reaches the room is.
const (
	DropBeforeStart = "before T+0" // dated before the incident: history
	DropDuplicate   = "duplicate"  // a second item with the key of one in the same document
	DropBadEntry    = model.DropBadEntry
	DropBadTime     = model.DropBadTime
	DropUnknownKind = model.DropUnknownKind
	DropOlder       = "older than the latest" // a host or backlog report older than one already delivered
	DropNoGroup     = "no group label"        // a Prometheus series that names no host group
	DropNoID        = "no id"                 // a status page incident without an id
)

// dropCounter counts a source's dropped items by reason. Safe for
// concurrent use.
type dropCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (d *dropCounter) add(reason string, n int) {
	if n <= 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.n == nil {
		d.n = map[string]int{}
	}
	d.n[reason] += n
}

// counts is the counts so far, most first, then by reason; nil when none.
func (d *dropCounter) counts() []model.DropCount {
	d.mu.Lock()
	defer d.mu.Unlock()
	return dropList(d.n)
}

// dropList orders counts most first, then by reason.
func dropList(n map[string]int) []model.DropCount {
	if len(n) == 0 {
		return nil
	}
	out := make([]model.DropCount, 0, len(n))
	for r, c := range n {
		out = append(out, model.DropCount{Reason: r, Count: c})
	}
	slices.SortFunc(out, func(a, b model.DropCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Reason, b.Reason)
	})
	return out
}

// mergeDrops adds two sets of counts.
func mergeDrops(a, b []model.DropCount) []model.DropCount {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	n := map[string]int{}
	for _, c := range a {
		n[c.Reason] += c.Count
	}
	for _, c := range b {
		n[c.Reason] += c.Count
	}
	return dropList(n)
}

// dropReporter is a source that counts what it drops; the runner puts the
// counts in the source's health.
type dropReporter interface {
	Dropped() []model.DropCount
}

// rereadSet remembers what one read of a source held (a polled document, a
// version of a followed file), to tell what the next read only repeats: a
// bad entry a document keeps listing is one dropped item, not one a poll.
// It counts the copies, so that a second copy is news. It keeps the hashes
// of the last read and of this one, at most maxReadHashes each (past that,
// repeats of the rest count again).
type rereadSet struct {
	seed      maphash.Seed
	prev, cur map[uint64]int
}

// maxReadHashes bounds what a rereadSet keeps of one read.
const maxReadHashes = defaultSeen

func newRereadSet() *rereadSet { return &rereadSet{seed: maphash.MakeSeed()} }

// next starts a new read: this one becomes the last.
func (s *rereadSet) next() { s.prev, s.cur = s.cur, nil }

// repeat records b in this read and reports whether it only repeats a copy
// in the last read (when reread says it may: it is where the last read was).
func (s *rereadSet) repeat(b []byte, reread bool) bool {
	h := maphash.Bytes(s.seed, b)
	if s.cur == nil {
		s.cur = map[uint64]int{}
	}
	n := s.cur[h] + 1 // this copy
	if n > 1 || len(s.cur) < maxReadHashes {
		s.cur[h] = n
	}
	return reread && n <= s.prev[h]
}

// entryDrops counts the bad entries of a polled wire-format source (HTTP,
// exec): each poll's are compared with the last poll's, so that a document
// that keeps a bad entry counts it once.
type entryDrops struct {
	mu     sync.Mutex
	reads  *rereadSet
	counts dropCounter
}

// badEntry is an entry of a read that was not an event.
type badEntry struct {
	raw    []byte
	reason string
}

// read counts a good read's bad entries.
func (d *entryDrops) read(bad []badEntry) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.reads == nil {
		d.reads = newRereadSet()
	}
	d.reads.next()
	for _, b := range bad {
		if !d.reads.repeat(b.raw, true) {
			d.counts.add(b.reason, 1)
		}
	}
}
