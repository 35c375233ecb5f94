package journal

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Problem is one thing Verify found wrong.
type Problem struct {
	Seq     int64 // 0: the journal as a whole
	Message string
}

func (p Problem) String() string {
	if p.Seq == 0 {
		return p.Message
	}
	return fmt.Sprintf("entry %d: %s", p.Seq, p.Message)
}

// Report is what Verify found.
type Report struct {
	Header   Header
	Entries  int
	ByKind   map[Kind]int
	Problems []Problem
}

// maxProblems is how many problems Verify lists; a journal mangled
// throughout says so without a line per entry.
const maxProblems = 100

// Verify checks a journal as it stands at one moment (a room may go on
// appending meanwhile): SQLite's own integrity check; the header, there
// and unchanged, of this format; entries numbered 1, 2, 3 … without a gap,
// each one decoding, each one's hash chaining to the one before (nothing
// changed, removed or reordered), and the last one the one the header
// says (nothing cut off the end).
func (j *SQLite) Verify() Report {
	j.mu.Lock()
	defer j.mu.Unlock()
	r := Report{Header: j.header, ByKind: map[Kind]int{}}
	if j.closed {
		r.add(0, ErrClosed.Error())
		return r
	}
	ctx := context.Background()
	tx, err := j.conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		r.add(0, fmt.Sprintf("cannot read the journal: %v", err))
		return r
	}
	defer tx.Rollback() //nolint:errcheck // read only
	r.integrity(tx)
	start, ok := j.verifyHeader(tx, &r)
	if !ok {
		return r
	}
	r.verifyEntries(j, tx, start)
	return r
}

func (r *Report) add(seq int64, msg string) {
	switch {
	case len(r.Problems) < maxProblems:
		r.Problems = append(r.Problems, Problem{Seq: seq, Message: msg})
	case len(r.Problems) == maxProblems:
		r.Problems = append(r.Problems, Problem{Message: "more problems than these: the rest are not listed"})
	}
}

// integrity runs SQLite's check of the file's structure.
func (r *Report) integrity(tx *sql.Tx) {
	rows, err := tx.QueryContext(context.Background(), `PRAGMA integrity_check(20)`)
	if err != nil {
		r.add(0, fmt.Sprintf("SQLite integrity check: %v", err))
		return
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			r.add(0, fmt.Sprintf("SQLite integrity check: %v", err))
			return
		}
		if line != "ok" {
			r.add(0, "SQLite integrity check: "+line)
		}
	}
	if err := rows.Err(); err != nil {
		r.add(0, fmt.Sprintf("SQLite integrity check: %v", err))
	}
}

// verifyHeader checks the header and returns the hash the chain starts
// from; false when the entries cannot be checked.
func (j *SQLite) verifyHeader(tx *sql.Tx, r *Report) ([32]byte, bool) {
	var start [32]byte
	if j.trouble != "" {
		r.add(0, j.trouble)
		return start, false
	}
	if j.header.Format != Format {
		r.add(0, (&formatError{path: j.path, have: j.header.Format}).Error()+": its entries are not checked")
		return start, false
	}
	var stored []byte
	if err := tx.QueryRowContext(context.Background(), `SELECT hash FROM header`).Scan(&stored); err != nil {
		r.add(0, fmt.Sprintf("header: %v", err))
		return start, false
	}
	if sum := headerHash(j.header); !bytes.Equal(sum[:], stored) {
		r.add(0, "header: changed after it was written (its hash does not match): the journal may be made out to belong to another incident")
	}
	copy(start[:], stored) // go on from what is stored, so that one change is reported once
	return start, true
}

// verifyEntries checks every entry and the tail.
func (r *Report) verifyEntries(j *SQLite, tx *sql.Tx, start [32]byte) {
	prev, want := start, int64(1)
	err := j.scan(tx, func(e rawEntry) bool {
		r.Entries++
		r.ByKind[e.Kind]++
		gap := e.Seq != want
		// An entry's hash takes in the one before it: after a gap the entry
		// itself cannot be checked, only the ones after it.
		switch {
		case e.Seq > want+1:
			r.add(e.Seq, fmt.Sprintf("follows entry %d: entries %d to %d are missing (and this one cannot be checked)", want-1, want, e.Seq-1))
		case e.Seq == want+1:
			r.add(e.Seq, fmt.Sprintf("follows entry %d: entry %d is missing (and this one cannot be checked)", want-1, want))
		case gap:
			r.add(e.Seq, fmt.Sprintf("numbered %d after %d", e.Seq, want-1))
		}
		want = e.Seq + 1
		if e.decodeErr != nil {
			r.add(e.Seq, fmt.Sprintf("%s does not decode: %v", e.Kind, e.decodeErr))
		}
		if msg := batchProblem(e.Entry); msg != "" {
			r.add(e.Seq, msg)
		}
		sum := chain(prev, e.Entry, e.body)
		if !gap && !bytes.Equal(sum[:], e.hash) { // after a gap the chain breaks anyway
			r.add(e.Seq, "does not chain to the entry before: one of them was changed or moved after it was written")
		}
		copy(prev[:], e.hash)
		return true
	})
	if err != nil {
		r.add(0, err.Error())
		return
	}
	var (
		lastSeq  int64
		lastHash []byte
	)
	if err := tx.QueryRowContext(context.Background(), `SELECT last_seq, last_hash FROM header`).Scan(&lastSeq, &lastHash); err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			r.add(0, fmt.Sprintf("header: %v", err))
		}
		return
	}
	switch last := want - 1; {
	case lastSeq > last:
		r.add(0, fmt.Sprintf("the journal ends at entry %d, but entries up to %d were written: the last ones are missing", last, lastSeq))
	case lastSeq < last:
		r.add(0, fmt.Sprintf("the journal goes on to entry %d, but the header says entry %d was the last written", last, lastSeq))
	case !bytes.Equal(lastHash, prev[:]):
		r.add(lastSeq, "is not the last entry that was written: its hash is not the one the header keeps")
	}
}

// batchProblem says what is wrong with an entry's Batch.
func batchProblem(e Entry) string {
	switch {
	case e.Kind == KindEvent && (e.Batch < 1 || e.Batch > e.Seq):
		return fmt.Sprintf("event of batch %d: a batch is the Seq of its first entry, from 1 to the entry's own", e.Batch)
	case e.Kind != KindEvent && e.Batch != 0:
		return fmt.Sprintf("%s with batch %d: only events have a batch", e.Kind, e.Batch)
	}
	return ""
}
