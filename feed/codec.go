package feed

import (
	"github.com/warroom/warroom/model"
)

// Codec is the wire format as the room's journal keeps events: one event to
// one line of JSON and back, exactly (reflect.DeepEqual), so that a room
// restored from its journal is the room that wrote it, and a journal
// exported is NDJSON that the ndjson source reads. Clock.Origin is the
// incident's T+0; decoding never reads Clock.Now.
//
// The journal holds whatever the room accepted, so decoding takes values
// as they are (a host report whose recovered count exceeds its total, an
// empty name, a state of no known enumeration), where DecodeEvent, reading
// from the outside, refuses them; the form is checked as strictly, and
// text is sanitised all the same. The round trip is exact but for what
// sanitising changes, lists that are empty (they come back nil), a warning
// without a phase (it comes back issued, as Apply reads it), a source's
// negative LastData (-1: no data yet) and a Decision's Wall, which comes
// back in UTC without a monotonic clock reading.
//
// It satisfies the journal's Codec interface without this package
// importing the journal.
type Codec struct {
	Clock Clock
}

// EncodeEvent writes e in the wire format.
func (c Codec) EncodeEvent(e model.Event) ([]byte, error) {
	return EncodeEvent(e, c.Clock)
}

// DecodeEvent reads one event that EncodeEvent wrote. Unlike DecodeEvent of
// a live source's input, an event without a time of its own is refused:
// stamping it with the time it is read would make a replay differ from
// what happened.
func (c Codec) DecodeEvent(data []byte) (model.Event, error) {
	e, timed, err := decodeOne(data, c.Clock, true)
	if err != nil {
		return model.Event{}, err
	}
	if !timed {
		return model.Event{}, &DecodeError{model.Problem{Line: 1, Col: 1, Field: "time", Message: "missing: an event of the journal has a time of its own"}}
	}
	return e, nil
}
