// Package journal is the room's durable, ordered log: every event the room
// accepts (from a scenario, a live source or a responder), where its shared
// clock stands, and who came and went. The room appends to it before anyone
// sees a change, and a room restarted on its journal is the same room.
package journal

import (
	"errors"
	"fmt"
	"time"

	"github.com/warroom/warroom/model"
)

// Format is the journal's format version; a journal of another version is
// refused rather than misread.
const Format = 1

// Kind says what an entry holds.
type Kind string

const (
	// KindEvent is an event from a scenario or a live source. Entries
	// appended together share a Batch: the room merged them as one.
	KindEvent Kind = "event"
	// KindAction is a responder's action, inserted at Pos in the room's
	// list of events.
	KindAction Kind = "action"
	// KindClock is where the shared clock stands after a move.
	KindClock Kind = "clock"
	// KindPresence is a member joining or leaving the room.
	KindPresence Kind = "presence"
	// KindShown is the real time an inject reached the room.
	KindShown Kind = "shown"
)

// Kinds is every kind of entry, in the order summaries list them.
func Kinds() []Kind { return []Kind{KindEvent, KindAction, KindClock, KindPresence, KindShown} }

// Entry is one record of the journal.
type Entry struct {
	Seq   int64     // 1, 2, 3 … in the order the room accepted them
	Kind  Kind      // what the entry holds
	Batch int64     // KindEvent: the Seq of the first event entry of its Append
	Pos   int       // KindEvent, KindAction: the absolute index in the room's list of events where the event was merged or the action inserted
	Wall  time.Time // when the room accepted it

	Event    model.Event // KindEvent, KindAction
	Clock    Clock       // KindClock
	Presence Presence    // KindPresence
	Shown    Shown       // KindShown
}

// Clock is the shared clock: the replay's position and how it moves.
type Clock struct {
	At            time.Duration `json:"at"`  // the replay time
	Pos           int           `json:"pos"` // events applied
	Playing       bool          `json:"playing,omitempty"`
	Speed         float64       `json:"speed"`
	PauseOnInject bool          `json:"pause_on_inject,omitempty"`
}

// Presence is a member joining or leaving.
type Presence struct {
	Member  string `json:"member"`
	Role    string `json:"role"`
	Session string `json:"session"` // one connection; a member may have several
	Joined  bool   `json:"joined"`  // false: left
}

// Shown is an inject reaching the room.
type Shown struct {
	Inject string `json:"inject"`
}

// Header says what incident a journal belongs to.
type Header struct {
	Format int
	// Kind is "scenario" or "live".
	Kind string
	// Name is the scenario's or the config's name, for messages.
	Name string
	// Identity is a digest of what the room is: the scenario's events and
	// declarations, or a live config's declarations. A journal is only
	// ever reopened for the same identity.
	Identity string
	Created  time.Time
	// Declarations is what the incident declares, as its room wrote it
	// (JSON: title, start, host groups, carriers, topics, runbook), so that
	// the journal alone rebuilds the room: a debrief needs no scenario file.
	Declarations string
}

// Codec turns events into bytes and back; the journal stores events in
// the wire format that warroom's NDJSON source reads.
type Codec interface {
	EncodeEvent(model.Event) ([]byte, error)
	DecodeEvent([]byte) (model.Event, error)
}

// Log is a journal: SQLite on one machine (Open), or a stream shared by
// several servers.
type Log interface {
	// Header is what incident the journal belongs to.
	Header() Header
	// Append adds entries in order and returns them with their Seq and
	// Batch set. With durable it returns only once they are on disk (a
	// responder's action); without, a crash of the process still keeps
	// them but a crash of the machine may not (a batch of source events).
	Append(entries []Entry, durable bool) ([]Entry, error)
	// Entries calls fn with every entry in order, stopping at its first
	// error.
	Entries(fn func(Entry) error) error
	// Close closes the journal.
	Close() error
}

// ErrMismatch is returned by Open for a journal of another incident, or of
// another format.
var ErrMismatch = errors.New("journal belongs to another incident")

// ErrFormat is returned by Open for a journal of another format; the error
// is an ErrMismatch too.
var ErrFormat = errors.New("journal of another format")

// mismatch explains which incident a journal belongs to.
func mismatch(path string, have, want Header) error {
	return fmt.Errorf("%w: %s is the journal of %s %q (%.12s), not of %s %q (%.12s): give another journal file, or run the %s it was made with",
		ErrMismatch, path, have.Kind, have.Name, have.Identity, want.Kind, want.Name, want.Identity, what(have.Kind))
}

// what names what a room of a kind runs, for messages.
func what(kind string) string {
	if kind == "live" {
		return "live config"
	}
	return kind
}

// formatError is a journal of a format this package does not read.
type formatError struct {
	path string
	have int
}

func (e *formatError) Error() string {
	return fmt.Sprintf("%s is a journal of format %d; this warroom reads format %d", e.path, e.have, Format)
}

func (e *formatError) Is(target error) bool { return target == ErrFormat || target == ErrMismatch }
