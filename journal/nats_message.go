package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
)

// A stream's message is one Append: a format byte, then each entry as
// its kind, its sender's position, its wall time and its body (an event in
// the wire format, anything else as JSON), each length or number as a
// varint. Seq, Batch and an event's Pos are not taken from the message:
// readers work them out the same way everywhere.
const messageFormat = 1

// maxEntryKind bounds a kind's name in a message.
const maxEntryKind = 32

// encodeMessages turns entries into the bodies of messages of at most
// maxMessage bytes each (one, unless the entries are many).
func encodeMessages(codec Codec, entries []Entry, now func() time.Time) ([][]byte, error) {
	var (
		out [][]byte
		buf = []byte{messageFormat}
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
			out = append(out, buf)
			buf = []byte{messageFormat}
		}
		buf = binary.AppendUvarint(buf, uint64(len(e.Kind)))
		buf = append(buf, e.Kind...)
		buf = binary.AppendVarint(buf, int64(e.Pos))
		buf = binary.AppendVarint(buf, e.Wall.UTC().UnixNano())
		buf = binary.AppendUvarint(buf, uint64(len(body)))
		buf = append(buf, body...)
	}
	if len(buf) > 1 {
		out = append(out, buf)
	}
	return out, nil
}

// rawMessageEntry is an entry as a message holds it.
type rawMessageEntry struct {
	kind Kind
	wall int64
	body []byte
}

// splitMessage reads a message's entries, refusing one cut short or of
// another format.
func splitMessage(data []byte) ([]rawMessageEntry, error) {
	if len(data) == 0 || data[0] != messageFormat {
		return nil, errors.New("not a warroom journal message of format 1")
	}
	data = data[1:]
	var out []rawMessageEntry
	uvarint := func(limit uint64) (uint64, error) {
		v, n := binary.Uvarint(data)
		if n <= 0 || v > limit {
			return 0, errors.New("cut short or damaged")
		}
		data = data[n:]
		return v, nil
	}
	varint := func() (int64, error) {
		v, n := binary.Varint(data)
		if n <= 0 {
			return 0, errors.New("cut short or damaged")
		}
		data = data[n:]
		return v, nil
	}
	for len(data) > 0 {
		var r rawMessageEntry
		n, err := uvarint(maxEntryKind)
		if err != nil || uint64(len(data)) < n {
			return nil, fmt.Errorf("entry %d: cut short or damaged", len(out)+1)
		}
		r.kind, data = Kind(data[:n]), data[n:]
		if _, err := varint(); err != nil { // the sender's position: readers place events themselves
			return nil, fmt.Errorf("entry %d: %w", len(out)+1, err)
		}
		if r.wall, err = varint(); err != nil {
			return nil, fmt.Errorf("entry %d: %w", len(out)+1, err)
		}
		if n, err = uvarint(2 * maxMessage); err != nil || uint64(len(data)) < n {
			return nil, fmt.Errorf("entry %d: body cut short or damaged", len(out)+1)
		}
		r.body, data = data[:n], data[n:]
		out = append(out, r)
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
	wire, err := splitMessage(data)
	if err != nil {
		return nil, fmt.Errorf("message %d: %w", pos, err)
	}
	out := make([]Entry, 0, len(wire))
	mine := map[[16]byte]struct{}{}
	batch := int64(0)
	for i, w := range wire {
		e := Entry{Kind: w.kind, Wall: time.Unix(0, w.wall).UTC()}
		if err := decodeBody(codec, &e, w.body); err != nil {
			return nil, fmt.Errorf("message %d, entry %d (%s): %w", pos, i+1, e.Kind, err)
		}
		if e.Kind == KindEvent {
			sum := sha256.Sum256(w.body)
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
