package feed

import (
	"fmt"

	"github.com/warroom/warroom/model"
)

// Codec is the wire format as the room's journal keeps events: one event to
// one line of JSON and back, with its time to the nanosecond, so that a
// journal exported is NDJSON that the ndjson source reads. Clock.Origin is
// the incident's T+0; decoding never reads Clock.Now. It satisfies the
// journal's Codec interface without this package importing the journal.
type Codec struct {
	Clock Clock
}

// EncodeEvent writes e in the wire format. An event the decoder would refuse
// (a required field empty, a value out of range) is refused here, so that
// the journal never keeps an entry it cannot read back.
func (c Codec) EncodeEvent(e model.Event) ([]byte, error) {
	data, err := EncodeEvent(e, c.Clock)
	if err != nil {
		return nil, err
	}
	if _, _, err := decodeOne(data, c.Clock); err != nil {
		return nil, fmt.Errorf("encode event: %s would not read back: %w", e.Body.Kind(), err)
	}
	return data, nil
}

// DecodeEvent reads one event that EncodeEvent wrote. Unlike DecodeEvent of
// a live source's input, an event without a time of its own is refused:
// stamping it with the time it is read would make a replay differ from
// what happened.
func (c Codec) DecodeEvent(data []byte) (model.Event, error) {
	e, timed, err := decodeOne(data, c.Clock)
	if err != nil {
		return model.Event{}, err
	}
	if !timed {
		return model.Event{}, &DecodeError{model.Problem{Line: 1, Col: 1, Field: "time", Message: "missing: a journal's event has a time of its own"}}
	}
	return e, nil
}
