package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// wireEntry is an entry as a stream's message holds it. Seq, Batch and an
// event's Pos are not sent: readers work them out the same way everywhere.
type wireEntry struct {
	Kind Kind            `json:"k"`
	Pos  int             `json:"p,omitempty"` // as the sender saw it; readers place events by time
	Wall int64           `json:"w"`
	Body json.RawMessage `json:"b"`
}

// encodeMessages turns entries into the bodies of messages of at most
// maxMessage bytes each (one, unless the entries are many).
func encodeMessages(codec Codec, entries []Entry, now func() time.Time) ([][]byte, error) {
	var (
		out [][]byte
		buf = []byte{'['}
	)
	for i, e := range entries {
		if e.Wall.IsZero() {
			e.Wall = now()
		}
		body, err := encodeBody(codec, e)
		if err != nil {
			return nil, fmt.Errorf("entry %d (%s): %w", i+1, e.Kind, err)
		}
		body = bytes.TrimSpace(body)
		if len(buf) > 1 && len(buf)+len(body) > maxMessage {
			out = append(out, append(buf, ']'))
			buf = []byte{'['}
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"k":`...)
		buf = strconv.AppendQuote(buf, string(e.Kind))
		if e.Pos != 0 {
			buf = append(buf, `,"p":`...)
			buf = strconv.AppendInt(buf, int64(e.Pos), 10)
		}
		buf = append(buf, `,"w":`...)
		buf = strconv.AppendInt(buf, e.Wall.UTC().UnixNano(), 10)
		buf = append(buf, `,"b":`...)
		buf = append(buf, body...)
		buf = append(buf, '}')
	}
	if len(buf) > 1 {
		out = append(out, append(buf, ']'))
	}
	return out, nil
}

// reading is where a reader of a stream stands: the same on every server
// that read the same messages.
type reading struct {
	pos   uint64          // the last message read
	next  int64           // the next entry's Seq
	times []time.Duration // every event's time, in the room's order
	seen  map[[16]byte]struct{}
	boot  string // this process's part of message ids
}

func newReading() reading { return reading{next: 1, seen: map[[16]byte]struct{}{}} }

// decodeMessage reads one message's entries, numbering and placing them,
// and leaving out source events an earlier message holds.
func (r *reading) decodeMessage(codec Codec, pos uint64, data []byte) ([]Entry, error) {
	var wire []wireEntry
	if err := json.Unmarshal(data, &wire); err != nil {
		return nil, fmt.Errorf("message %d: %w", pos, err)
	}
	out := make([]Entry, 0, len(wire))
	mine := map[[16]byte]struct{}{}
	batch := int64(0)
	for i, w := range wire {
		e := Entry{Kind: w.Kind, Wall: time.Unix(0, w.Wall).UTC()}
		if err := decodeBody(codec, &e, w.Body); err != nil {
			return nil, fmt.Errorf("message %d, entry %d (%s): %w", pos, i+1, e.Kind, err)
		}
		if e.Kind == KindEvent {
			sum := sha256.Sum256(w.Body)
			var key [16]byte
			copy(key[:], sum[:])
			if _, dup := r.seen[key]; dup {
				if _, same := mine[key]; !same {
					continue // sent again by another leader: kept once
				}
			}
			r.seen[key], mine[key] = struct{}{}, struct{}{}
		}
		e.Seq = r.next
		r.next++
		if e.Kind == KindEvent || e.Kind == KindAction {
			e.Pos = r.place(e.Event.At)
		}
		if e.Kind == KindEvent {
			if batch == 0 {
				batch = e.Seq
			}
			e.Batch = batch
		}
		out = append(out, e)
	}
	r.pos = pos
	return out, nil
}

// place is where an event at t goes: after every event at or before t.
func (r *reading) place(t time.Duration) int {
	k, _ := slices.BinarySearchFunc(r.times, t, func(a, t time.Duration) int {
		if a <= t {
			return -1
		}
		return 1
	})
	r.times = slices.Insert(r.times, k, t)
	return k
}
