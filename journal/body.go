package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/warroom/warroom/model"
)

// encodeBody is what an entry holds, as stored: an event in the codec's
// wire format, anything else as JSON.
func encodeBody(codec Codec, e Entry) ([]byte, error) {
	switch e.Kind {
	case KindEvent, KindAction:
		if e.Event.Body == nil {
			return nil, errors.New("an event without a body")
		}
		return codec.EncodeEvent(e.Event)
	case KindClock:
		return json.Marshal(e.Clock)
	case KindPresence:
		return json.Marshal(e.Presence)
	case KindShown:
		return json.Marshal(e.Shown)
	}
	return nil, fmt.Errorf("unknown kind %q", e.Kind)
}

// decodeBody reads what an entry holds into e. The journal is a file like
// any other: its text is sanitised, and a field it never writes is refused.
func decodeBody(codec Codec, e *Entry, body []byte) error {
	switch e.Kind {
	case KindEvent, KindAction:
		ev, err := codec.DecodeEvent(body)
		e.Event = ev
		return err
	case KindClock:
		return decodeJSON(body, &e.Clock)
	case KindPresence:
		if err := decodeJSON(body, &e.Presence); err != nil {
			return err
		}
		p := &e.Presence
		p.Member = model.Sanitize(p.Member, model.MaxNameLen)
		p.Role = model.Sanitize(p.Role, model.MaxNameLen)
		p.Session = model.Sanitize(p.Session, model.MaxNameLen)
		return nil
	case KindShown:
		if err := decodeJSON(body, &e.Shown); err != nil {
			return err
		}
		e.Shown.Inject = model.Sanitize(e.Shown.Inject, model.MaxNameLen)
		return nil
	}
	return fmt.Errorf("unknown kind %q", model.Sanitize(string(e.Kind), model.MaxNameLen))
}

// decodeJSON reads exactly one JSON value into v, refusing unknown fields.
func decodeJSON(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}
