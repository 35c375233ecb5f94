package journal

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, "sqlite"
)

// SQLite is a journal in one SQLite file, in WAL mode. It has one writer:
// the room that opened it with Open. Its methods are safe for concurrent
// use.
type SQLite struct {
	path  string
	codec Codec
	now   func() time.Time // the wall clock for entries without a Wall

	mu       sync.Mutex
	db       *sql.DB
	conn     *sql.Conn // the one connection: writes are ordered, the pragmas are ours
	insert   *sql.Stmt // one entry, prepared on conn
	insertN  *sql.Stmt // insertRows entries
	tail     *sql.Stmt // sets the header's record of the last entry
	tailSeq  *sql.Stmt // reads it
	header   Header
	hashed   [32]byte // the header's hash: where the chain starts
	trouble  string   // OpenExisting: what is wrong with the header, for Verify
	lost     error    // another room appended: Append refuses
	next     int64    // the next Seq
	last     [32]byte // the hash of the last entry (the header's before the first)
	durable  bool     // synchronous=FULL is set on conn
	readOnly bool
	closed   bool
}

var _ Log = (*SQLite)(nil)

// applicationID marks an SQLite file as a warroom journal ("WRJ1").
const applicationID = 0x57524a31

const schema = `
CREATE TABLE header (
	format    INTEGER NOT NULL,
	kind      TEXT    NOT NULL,
	name      TEXT    NOT NULL,
	identity  TEXT    NOT NULL,
	created   TEXT    NOT NULL,
	declarations TEXT NOT NULL,
	hash      BLOB    NOT NULL, -- of the fields above: where the chain starts
	last_seq  INTEGER NOT NULL, -- the last entry and its hash, so that
	last_hash BLOB    NOT NULL  -- entries cut off the end are found too
);
CREATE TABLE entries (
	seq   INTEGER PRIMARY KEY,
	kind  TEXT    NOT NULL,
	batch INTEGER NOT NULL,
	pos   INTEGER NOT NULL,
	wall  INTEGER NOT NULL,
	body  BLOB    NOT NULL,
	hash  BLOB    NOT NULL -- of the entry and the hash before it
);`

// Open opens the journal at path for the incident h describes, creating
// it when there is none. A journal of another incident (h.Kind and
// h.Identity) is refused with ErrMismatch, one of another format with
// ErrFormat, never mixed; so is a file that is not a warroom journal.
func Open(path string, codec Codec, h Header) (*SQLite, error) {
	j, err := open(path, codec, false)
	if err != nil {
		return nil, err
	}
	if err := j.openForWriting(h); err != nil {
		j.Close()
		return nil, err
	}
	return j, nil
}

func (j *SQLite) openForWriting(want Header) error {
	ctx := context.Background()
	tables, err := j.tables()
	if err != nil {
		return err
	}
	if len(tables) == 0 {
		return j.create(want)
	}
	if err := j.isJournal(tables); err != nil {
		return err
	}
	if _, err := j.conn.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	damaged := func(what string) error {
		return fmt.Errorf("journal %s %s: it is damaged, and is not written to (warroom journal verify %s says more)", j.path, what, j.path)
	}
	have, ok, err := j.readHeader()
	switch {
	case err != nil:
		return err
	case !ok:
		return damaged("has no header")
	case have.Format != Format:
		return &formatError{path: j.path, have: have.Format}
	case headerHash(have) != j.hashed:
		return damaged("has a header changed after it was written")
	case have.Kind != want.Kind || have.Identity != want.Identity:
		return mismatch(j.path, have, want)
	}
	j.header = have
	if err := j.readTail(); err != nil {
		return err
	}
	var lastSeq int64
	var lastHash []byte
	if err := j.conn.QueryRowContext(ctx, `SELECT last_seq, last_hash FROM header`).Scan(&lastSeq, &lastHash); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if lastSeq != j.next-1 || !bytes.Equal(lastHash, j.last[:]) {
		return damaged(fmt.Sprintf("ends at entry %d, not at entry %d, the last one written", j.next-1, lastSeq))
	}
	return j.prepare()
}

// isJournal refuses a database that has tables but is not a journal.
func (j *SQLite) isJournal(tables map[string]bool) error {
	var id int64
	if err := j.conn.QueryRowContext(context.Background(), "PRAGMA application_id").Scan(&id); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if id != applicationID || !tables["entries"] {
		return j.notJournal(tables)
	}
	return nil
}

// create makes a new journal: the schema and the header in one transaction,
// so that a journal never exists without its header.
func (j *SQLite) create(h Header) error {
	ctx := context.Background()
	if _, err := j.conn.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	h.Format = Format
	if h.Created.IsZero() {
		h.Created = j.now()
	}
	h.Created = h.Created.UTC()
	sum := headerHash(h)
	tx, err := j.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for _, q := range []string{schema, fmt.Sprintf("PRAGMA application_id = %d", applicationID)} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("journal %s: create: %w", j.path, err)
		}
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO header (format, kind, name, identity, created, declarations, hash, last_seq, last_hash) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
		h.Format, h.Kind, h.Name, h.Identity, h.Created.Format(time.RFC3339Nano), h.Declarations, sum[:], sum[:]); err != nil {
		return fmt.Errorf("journal %s: write header: %w", j.path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("journal %s: create: %w", j.path, err)
	}
	j.header, j.hashed, j.last, j.next = h, sum, sum, 1
	return j.prepare()
}

// OpenExisting opens a journal that must exist, whatever incident it
// belongs to, for reading only: for export and verify. A journal whose
// header is missing or damaged opens all the same, so that Verify can say
// what is wrong; Entries refuses it.
func OpenExisting(path string, codec Codec) (*SQLite, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	j, err := open(path, codec, true)
	if err != nil {
		return nil, err
	}
	tables, err := j.tables()
	if err == nil {
		err = j.isJournal(tables)
	}
	if err != nil {
		j.Close()
		return nil, err
	}
	if !tables["header"] {
		j.trouble = "no header: the journal's header table is gone"
		return j, nil
	}
	h, ok, err := j.readHeader()
	switch {
	case err != nil:
		j.trouble = err.Error()
	case !ok:
		j.trouble = "no header: the journal says nothing of the incident it belongs to"
	default:
		j.header = h
	}
	return j, nil
}

func open(path string, codec Codec, readOnly bool) (*SQLite, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	if readOnly {
		q.Add("mode", "ro")
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(context.Background())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return &SQLite{path: path, db: db, conn: conn, codec: codec, now: time.Now, next: 1, readOnly: readOnly}, nil
}

// tables lists the file's tables. A file that is not an SQLite database
// fails here.
func (j *SQLite) tables() (map[string]bool, error) {
	rows, err := j.conn.QueryContext(context.Background(), `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		return nil, fmt.Errorf("journal %s: not a warroom journal (%w)", j.path, err)
	}
	defer rows.Close()
	tables := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("journal %s: %w", j.path, err)
		}
		tables[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal %s: not a warroom journal (%w)", j.path, err)
	}
	return tables, nil
}

// notJournal refuses an SQLite database of something else.
func (j *SQLite) notJournal(tables map[string]bool) error {
	var names []string
	for n := range tables {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) > 5 {
		names = append(names[:5], "…")
	}
	return fmt.Errorf("journal %s: not a warroom journal: an SQLite database of something else (tables %s); it is left as it is",
		j.path, strings.Join(names, ", "))
}

func (j *SQLite) readHeader() (Header, bool, error) {
	var (
		h       Header
		created string
		n       int
	)
	rows, err := j.conn.QueryContext(context.Background(),
		`SELECT format, kind, name, identity, created, declarations, hash FROM header`)
	if err != nil {
		return Header{}, false, fmt.Errorf("journal %s: read header: %w", j.path, err)
	}
	defer rows.Close()
	var hash []byte
	for rows.Next() {
		if n++; n > 1 {
			return Header{}, false, fmt.Errorf("journal %s: more than one header", j.path)
		}
		if err := rows.Scan(&h.Format, &h.Kind, &h.Name, &h.Identity, &created, &h.Declarations, &hash); err != nil {
			return Header{}, false, fmt.Errorf("journal %s: read header: %w", j.path, err)
		}
	}
	if err := rows.Err(); err != nil {
		return Header{}, false, fmt.Errorf("journal %s: read header: %w", j.path, err)
	}
	if n == 0 {
		return Header{}, false, nil
	}
	if h.Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return Header{}, false, fmt.Errorf("journal %s: header: created %q is not a time", j.path, created)
	}
	copy(j.hashed[:], hash)
	return h, true, nil
}

// readTail finds the next Seq and the last hash.
func (j *SQLite) readTail() error {
	ctx := context.Background()
	var (
		seq  int64
		hash []byte
	)
	j.next, j.last = 1, j.hashed
	err := j.conn.QueryRowContext(ctx, `SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("journal %s: %w", j.path, err)
	default:
		j.next = seq + 1
		copy(j.last[:], hash)
	}
	return nil
}

// insertRows is how many entries one INSERT of a batch writes: a statement
// per row spends more in database/sql and the driver than SQLite spends
// storing it (BenchmarkAppendBatch: 65–70k entries/s one row a statement,
// 76–90k with 64).
const insertRows = 64

func (j *SQLite) prepare() error {
	const insert = `INSERT INTO entries (seq, kind, batch, pos, wall, body, hash) VALUES `
	const row = `(?, ?, ?, ?, ?, ?, ?)`
	ctx := context.Background()
	var err error
	if j.insert, err = j.conn.PrepareContext(ctx, insert+row); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if j.insertN, err = j.conn.PrepareContext(ctx, insert+strings.Repeat(row+", ", insertRows-1)+row); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if j.tail, err = j.conn.PrepareContext(ctx, `UPDATE header SET last_seq = ?, last_hash = ?`); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if j.tailSeq, err = j.conn.PrepareContext(ctx, `SELECT last_seq FROM header`); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	return nil
}

// Header is what incident the journal belongs to.
func (j *SQLite) Header() Header { return j.header }

// Next is the Seq the next entry appended will get.
func (j *SQLite) Next() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.next
}

// Path is the journal's file.
func (j *SQLite) Path() string { return j.path }

// Close closes the journal; closing it again does nothing.
func (j *SQLite) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	var errs []error
	for _, stmt := range []*sql.Stmt{j.insert, j.insertN, j.tail, j.tailSeq} {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	errs = append(errs, j.conn.Close(), j.db.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("journal %s: close: %w", j.path, err)
	}
	return nil
}
