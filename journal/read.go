package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Entries calls fn with every entry in order, reading them as it goes, and
// stops at fn's first error or at an entry that does not decode (naming
// it). It holds the journal while it reads: fn must not append.
func (j *SQLite) Entries(fn func(Entry) error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.readable(); err != nil {
		return err
	}
	var stop error
	err := j.scan(j.conn, func(r rawEntry) bool {
		if r.decodeErr != nil {
			stop = fmt.Errorf("journal %s: entry %d (%s): %w", j.path, r.Seq, r.Kind, r.decodeErr)
			return false
		}
		stop = fn(r.Entry)
		return stop == nil
	})
	return errors.Join(err, stop)
}

// readable says why the entries cannot be read, if they cannot.
func (j *SQLite) readable() error {
	switch {
	case j.closed:
		return fmt.Errorf("journal %s: %w", j.path, ErrClosed)
	case j.trouble != "":
		return fmt.Errorf("journal %s: %s", j.path, j.trouble)
	case j.header.Format != Format:
		return &formatError{path: j.path, have: j.header.Format}
	}
	return nil
}

// rawEntry is an entry as stored, with its body, its hash and whether it
// decoded.
type rawEntry struct {
	Entry
	body, hash []byte
	decodeErr  error
}

// querier is a connection or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// scan reads every entry in order; fn returns false to stop.
func (j *SQLite) scan(q querier, fn func(rawEntry) bool) error {
	rows, err := q.QueryContext(context.Background(),
		`SELECT seq, kind, batch, pos, wall, body, hash FROM entries ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r    rawEntry
			kind string
			wall int64
		)
		if err := rows.Scan(&r.Seq, &kind, &r.Batch, &r.Pos, &wall, &r.body, &r.hash); err != nil {
			return fmt.Errorf("journal %s: %w", j.path, err)
		}
		r.Kind, r.Wall = Kind(kind), time.Unix(0, wall).UTC()
		r.decodeErr = decodeBody(j.codec, &r.Entry, r.body)
		if !fn(r) {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}
