package model

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzWireDecode checks that no input makes the wire decoder panic, on one
// core or on several (an input over 32 KiB is cut into parts); that every
// problem is a *DecodeError at a line and column of the input with a
// one-line message free of control characters; that the events are as
// many with the input decoded whole as line by line; and that every event
// it emits encodes and decodes back to itself.
func FuzzWireDecode(f *testing.F) {
	for _, file := range []string{"../feed/testdata/wire/mixed.ndjson", "../feed/testdata/wire/events.json"} {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"at":"+1m","hosts":{"group":"g","recovered":12.0,"total":20}}` + "\n" + `{"time":"2024-07-19T12:51:00+02:00","note":{"author":"a","text":"b"}}`))
	f.Add([]byte(`[{"at":"T+06:42","warning":{"id":"w","carrier":"ups","severity":"major","headline":"h"}},{"at":"1m","ack":{"warning":"w"}}]`))
	origin := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		watchdog := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("decoding %q takes over 5 s", data)) })
		defer watchdog.Stop()
		lines := bytes.Count(data, []byte{'\n'}) + 1
		var events []Event
		dec := NewWireDecoder("fuzz", origin, func() time.Duration { return time.Hour })
		dec.Decode(data, func(e Event, _ bool) { events = append(events, e) }, func(err error) {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %v (%T) is no *DecodeError", err, err)
			}
			if de.Line < 1 || de.Line > lines || de.Col < 1 || strings.ContainsAny(de.Error(), "\n\x1b\x00") {
				t.Fatalf("bad problem %q (input of %d lines)", de.Error(), lines)
			}
		})
		if t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n"); len(t) == 0 || t[0] != '[' {
			// NDJSON: a big input in parts on every core, or line by line,
			// gives the same events.
			var one []Event
			for i, l := range bytes.Split(data, []byte{'\n'}) {
				dec.Lines(l, i+1, func(e Event, _ bool) { one = append(one, e) }, func(error) {})
			}
			if len(one) != len(events) {
				panic("events decoded whole and line by line differ in number")
			}
		}
		for _, e := range events {
			line, err := EncodeEvent(e, origin)
			if err != nil {
				continue // no wire form: an offset past the year 9999
			}
			back, _, err := NewWireDecoder("again", origin, nil).Event(line)
			if err != nil {
				t.Fatalf("%s does not decode: %v", line, err)
			}
			if !reflect.DeepEqual(back, e) {
				t.Fatalf("%s decodes to\n%#v\nnot\n%#v", line, back, e)
			}
		}
	})
}
