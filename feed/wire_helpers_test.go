package feed

import (
	"fmt"
	"io"

	"github.com/warroom/warroom/model"
)

// The tests' ways into the wire decoder that the sources use.

// DecodeEvent decodes one event from outside. Its text is sanitised (see
// model.SanitizeEvent); without a time it happened now, clock.Since(). A
// bad event's error is a *DecodeError, or several joined with errors.Join.
func DecodeEvent(data []byte, clock Clock) (model.Event, error) {
	e, _, err := newWireDecoder("", clock).Event(data)
	return e, err
}

// DecodeEvents decodes a JSON array of events or NDJSON (one event per line,
// blank lines allowed; lines up to model.MaxWireLine). name is used in
// errors, which are *DecodeErrors naming name:line:col, and a read error
// last; a bad event never loses the others. In an array, a syntax error
// ends the array, as nothing after it can be trusted. It reads r to the
// end: callers reading from the network cap it first.
func DecodeEvents(r io.Reader, name string, clock Clock) ([]model.Event, []error) {
	data, err := io.ReadAll(r)
	var (
		events []model.Event
		errs   []error
	)
	newWireDecoder(name, clock).Decode(data, func(e model.Event, _ bool) { events = append(events, e) },
		func(err error) { errs = append(errs, err) })
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: read: %w", name, err))
	}
	return events, errs
}
