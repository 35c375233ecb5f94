package journal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// ErrClosed is returned by a journal used after Close.
var ErrClosed = errors.New("journal is closed")

// ErrOtherWriter is returned by Append once another process has appended to
// the journal since this one opened it (a second room started on the same
// file): from then on this one appends nothing more, so that the journal
// stays one history.
var ErrOtherWriter = errors.New("another room appended to this journal")

// Append adds entries in one transaction: all of them or, on an error, none.
// Each gets the next Seq; the KindEvent entries get the Seq of the first
// of them as their Batch (the others 0), and an entry without a Wall gets
// the time now. With durable the commit is synced to disk (SQLite's
// synchronous=FULL) before Append returns; without, it is in the operating
// system's hands (synchronous=NORMAL): safe from a crash of the process,
// not of the machine.
func (j *SQLite) Append(entries []Entry, durable bool) ([]Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	switch {
	case j.closed:
		return nil, fmt.Errorf("journal %s: %w", j.path, ErrClosed)
	case j.readOnly:
		return nil, fmt.Errorf("journal %s: opened for reading only", j.path)
	case j.lost != nil:
		return nil, j.lost
	case len(entries) == 0:
		return entries, nil
	}
	out := make([]Entry, len(entries))
	bodies := make([][]byte, len(entries))
	seq, batch := j.next, int64(0)
	for i, e := range entries {
		e.Seq, e.Batch = seq+int64(i), 0
		if e.Kind == KindEvent {
			if batch == 0 {
				batch = e.Seq
			}
			e.Batch = batch
		}
		if e.Pos < 0 {
			return nil, fmt.Errorf("journal %s: entry %d (%s): position %d is negative", j.path, e.Seq, e.Kind, e.Pos)
		}
		if e.Wall.IsZero() {
			e.Wall = j.now()
		}
		e.Wall = e.Wall.UTC()
		body, err := encodeBody(j.codec, e)
		if err != nil {
			return nil, fmt.Errorf("journal %s: entry %d (%s): %w", j.path, e.Seq, e.Kind, err)
		}
		out[i], bodies[i] = e, body
	}
	last, err := j.write(out, bodies, durable)
	if errors.Is(err, ErrOtherWriter) {
		j.lost = err
		return nil, err
	}
	if err != nil {
		// The commit may or may not have happened: read back where the
		// journal stands rather than guess.
		if tailErr := j.readTail(); tailErr != nil {
			err = errors.Join(err, tailErr)
		}
		return nil, err
	}
	j.next, j.last = seq+int64(len(out)), last
	return out, nil
}

// write inserts the entries and moves the header's tail in one
// transaction, returning the last entry's hash. The transaction is begun
// and ended on the connection itself, not through database/sql's Tx, which
// would prepare the inserts again for every transaction.
func (j *SQLite) write(entries []Entry, bodies [][]byte, durable bool) (last [32]byte, err error) {
	ctx := context.Background()
	last = j.last
	if durable != j.durable {
		mode := "NORMAL"
		if durable {
			mode = "FULL"
		}
		if _, err := j.conn.ExecContext(ctx, "PRAGMA synchronous = "+mode); err != nil {
			return last, fmt.Errorf("journal %s: %w", j.path, err)
		}
		j.durable = durable
	}
	// IMMEDIATE takes the write lock now: the tail read next cannot move
	// before the commit.
	if _, err := j.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return last, fmt.Errorf("journal %s: %w", j.path, err)
	}
	defer func() {
		if err != nil {
			if _, rbErr := j.conn.ExecContext(ctx, "ROLLBACK"); rbErr != nil {
				err = errors.Join(err, fmt.Errorf("journal %s: rollback: %w", j.path, rbErr))
			}
		}
	}()
	var tail int64
	if err := j.tailSeq.QueryRowContext(ctx).Scan(&tail); err != nil {
		return last, fmt.Errorf("journal %s: %w", j.path, err)
	}
	if tail != j.next-1 {
		return last, fmt.Errorf("journal %s: %w: it ends at entry %d, not at %d where this room left it; this room appends no more to it",
			j.path, ErrOtherWriter, tail, j.next-1)
	}
	args := make([]any, 0, 7*min(len(entries), insertRows))
	for i := 0; i < len(entries); {
		stmt, n := j.insert, 1
		if len(entries)-i >= insertRows {
			stmt, n = j.insertN, insertRows
		}
		args = args[:0]
		for k := i; k < i+n; k++ {
			e := entries[k]
			last = chain(last, e, bodies[k])
			args = append(args, e.Seq, string(e.Kind), e.Batch, e.Pos, e.Wall.UnixNano(), bodies[k], bytes.Clone(last[:]))
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return last, fmt.Errorf("journal %s: entries %d to %d: %w (is another warroom writing to this journal?)",
				j.path, entries[i].Seq, entries[i+n-1].Seq, err)
		}
		i += n
	}
	if _, err := j.tail.ExecContext(ctx, entries[len(entries)-1].Seq, last[:]); err != nil {
		return last, fmt.Errorf("journal %s: %w", j.path, err)
	}
	if _, err := j.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return last, fmt.Errorf("journal %s: commit: %w", j.path, err)
	}
	return last, nil
}

// chain is the hash of an entry: the previous entry's hash (the header's
// for the first) and this one's fields, so that Verify finds an entry
// changed, removed or reordered.
func chain(prev [32]byte, e Entry, body []byte) [32]byte {
	h := sha256.New()
	h.Write(prev[:])
	var n [8]byte
	for _, v := range [...]int64{e.Seq, e.Batch, int64(e.Pos), e.Wall.UnixNano()} {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	h.Write([]byte(e.Kind))
	h.Write([]byte{0})
	h.Write(body)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// headerHash is the hash of a header, where the chain of entries starts:
// a header changed afterwards (made to belong to another incident) breaks
// it.
func headerHash(h Header) [32]byte {
	s := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(h.Format))
	s.Write(n[:])
	for _, f := range []string{h.Kind, h.Name, h.Identity, h.Created.UTC().Format(time.RFC3339Nano), h.Declarations} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		s.Write(n[:])
		s.Write([]byte(f))
	}
	var out [32]byte
	s.Sum(out[:0])
	return out
}
