package journal

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// TestVerify tampers with a journal of five entries (an event, three
// notes, a clock move) behind its back and checks what Verify says.
func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, path string)
		want   []string // each problem, or the start of it
	}{
		{"a good journal", func(*testing.T, string) {}, nil},
		{"a changed body", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE entries SET body = replace(body, '"b"', '"B"') WHERE seq = 3`)
		}, []string{"entry 3: does not chain to the entry before: one of them was changed or moved after it was written"}},
		{"a changed time", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE entries SET wall = wall + 1 WHERE seq = 2`)
		}, []string{"entry 2: does not chain to the entry before: one of them was changed or moved after it was written"}},
		{"a deleted entry", func(t *testing.T, path string) {
			sqlOn(t, path, `DELETE FROM entries WHERE seq = 3`)
		}, []string{"entry 4: follows entry 2: entry 3 is missing"}},
		{"two deleted entries", func(t *testing.T, path string) {
			sqlOn(t, path, `DELETE FROM entries WHERE seq IN (2, 3)`)
		}, []string{"entry 4: follows entry 1: entries 2 to 3 are missing"}},
		{"a deleted entry, the chain forged", func(t *testing.T, path string) {
			sqlOn(t, path, `DELETE FROM entries WHERE seq = 3`)
			rechain(t, path, true)
		}, []string{"entry 4: follows entry 2: entry 3 is missing"}},
		{"the last entry deleted", func(t *testing.T, path string) {
			sqlOn(t, path, `DELETE FROM entries WHERE seq = 5`)
		}, []string{"the journal ends at entry 4, but entries up to 5 were written: the last ones are missing"}},
		{"an entry added behind the journal's back", func(t *testing.T, path string) {
			sqlOn(t, path, `INSERT INTO entries SELECT 6, kind, batch, pos, wall, body, hash FROM entries WHERE seq = 4`)
			rechain(t, path, false)
		}, []string{"the journal goes on to entry 6, but the header says entry 5 was the last written"}},
		{"the last entry replaced", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE entries SET body = '{"at":1}' WHERE seq = 5`)
			rechain(t, path, false)
		}, []string{"entry 5: is not the last entry that was written: its hash is not the one the header keeps"}},
		{"two entries swapped", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE entries SET seq = -1 WHERE seq = 2`, `UPDATE entries SET seq = 2 WHERE seq = 3`,
				`UPDATE entries SET seq = 3 WHERE seq = -1`)
		}, []string{
			"entry 2: does not chain to the entry before: one of them was changed or moved after it was written",
			"entry 3: does not chain to the entry before: one of them was changed or moved after it was written",
			"entry 4: does not chain to the entry before: one of them was changed or moved after it was written"}},
		{"an entry that does not decode", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE entries SET body = '{"time":"2024-07-19T05:09:00Z","note":{"text":"b"}}' WHERE seq = 3`)
			rechain(t, path, true)
		}, []string{"entry 3: action does not decode: event:1:39: note.author: missing required field: expected a string"}},
		{"a clock that does not decode", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE entries SET body = '{"at":0,"pos":0,"speed":1,"colour":"red"}' WHERE seq = 5`)
			rechain(t, path, true)
		}, []string{`entry 5: clock does not decode: json: unknown field "colour"`}},
		{"an event out of its batch", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE entries SET batch = 7 WHERE seq = 1`, `UPDATE entries SET batch = 1 WHERE seq = 2`)
			rechain(t, path, true)
		}, []string{
			"entry 1: event of batch 7: a batch is the Seq of its first entry, from 1 to the entry's own",
			"entry 2: action with batch 1: only events have a batch"}},
		{"no header", func(t *testing.T, path string) {
			sqlOn(t, path, `DELETE FROM header`)
		}, []string{"no header: the journal says nothing of the incident it belongs to"}},
		{"no header table", func(t *testing.T, path string) {
			sqlOn(t, path, `DROP TABLE header`)
		}, []string{"no header: the journal's header table is gone"}},
		{"a changed header", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE header SET identity = 'another'`)
		}, []string{"header: changed after it was written (its hash does not match): the journal may be made out to belong to another incident"}},
		{"a header of another format", func(t *testing.T, path string) {
			sqlOn(t, path, `UPDATE header SET format = 2`)
		}, []string{"is a journal of format 2; this warroom reads format 1: its entries are not checked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fiveEntries(t)
			tt.tamper(t, path)
			j, err := OpenExisting(path, verifyCodec)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			r := j.Verify()
			var got []string
			for _, p := range r.Problems {
				got = append(got, p.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("problems:\n got %q\nwant %q", got, tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("problem %d: %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestVerifyCounts(t *testing.T) {
	j, err := OpenExisting(fiveEntries(t), verifyCodec)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	r := j.Verify()
	want := map[Kind]int{KindEvent: 1, KindAction: 3, KindClock: 1}
	if r.Entries != 5 || !reflect.DeepEqual(r.ByKind, want) || r.Header.Name != "verify" || r.Header.Format != Format {
		t.Errorf("report %+v, want 5 entries %v of the journal \"verify\"", r, want)
	}
	if _, err := j.Append([]Entry{{Kind: KindClock, Clock: Clock{Speed: 1}}}, false); err == nil {
		t.Error("a journal opened to be read took an entry")
	}
}

// TestVerifyWhileTheRoomAppends reads a journal that is being written:
// every report is of one moment, and none finds a problem.
func TestVerifyWhileTheRoomAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "live.db")
	w, err := Open(path, verifyCodec, Header{Kind: "live", Name: "warroom.yaml", Identity: "id"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	const appends = 300
	done := make(chan error, 1)
	go func() {
		for i := range appends {
			if _, err := w.Append([]Entry{verifyNote(i), verifyNote(i)}, i%10 == 0); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	r, err := OpenExisting(path, verifyCodec)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	reports, last := 0, 0
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		default:
		}
		rep := r.Verify()
		reports++
		if len(rep.Problems) > 0 || rep.Entries%2 != 0 || rep.Entries < last {
			t.Fatalf("report %d: %d entries (after %d), problems %v", reports, rep.Entries, last, rep.Problems)
		}
		last = rep.Entries
	}
	if last != 2*appends {
		t.Errorf("the last report saw %d entries, want %d", last, 2*appends)
	}
	t.Logf("%d reports while appending", reports)
}

var verifyCodec = model.NewJournalCodec(time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC))

func verifyNote(i int) Entry {
	return Entry{Kind: KindAction, Pos: i, Wall: time.Date(2025, 1, 2, 3, 4, 5, i, time.UTC),
		Event: model.Event{At: time.Duration(i) * time.Hour, Source: "responder:ic", Body: model.Note{Author: "ic", Text: fmt.Sprint(i)}}}
}

// fiveEntries writes a journal: an event, three notes (a, b, c) and a clock move.
func fiveEntries(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "incident.db")
	j, err := Open(path, verifyCodec, Header{Kind: "scenario", Name: "verify", Identity: "0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ev := Entry{Kind: KindEvent, Event: model.Event{At: time.Minute, Body: model.BacklogObservation{Waiting: 10}}}
	notes := []Entry{verifyNote(1), verifyNote(2), verifyNote(3)}
	for i, text := range []string{"a", "b", "c"} {
		n := notes[i].Event.Body.(model.Note)
		n.Text = text
		notes[i].Event.Body = n
	}
	for _, batch := range [][]Entry{{ev}, notes[:1], notes[1:], {{Kind: KindClock, Clock: Clock{At: time.Hour, Pos: 4, Speed: 60}}}} {
		if _, err := j.Append(batch, true); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func sqlOn(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rechain recomputes every entry's hash, as someone forging a journal
// would, and with tail the header's record of the last entry too.
func rechain(t *testing.T, path string, tail bool) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var start []byte
	if err := db.QueryRow(`SELECT hash FROM header`).Scan(&start); err != nil {
		t.Fatal(err)
	}
	var prev [32]byte
	copy(prev[:], start)
	rows, err := db.Query(`SELECT seq, kind, batch, pos, wall, body FROM entries ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		e    Entry
		body []byte
	}
	var all []row
	for rows.Next() {
		var (
			r    row
			kind string
			w    int64
		)
		if err := rows.Scan(&r.e.Seq, &kind, &r.e.Batch, &r.e.Pos, &w, &r.body); err != nil {
			t.Fatal(err)
		}
		r.e.Kind, r.e.Wall = Kind(kind), time.Unix(0, w)
		all = append(all, r)
	}
	rows.Close()
	for _, r := range all {
		prev = chain(prev, r.e, r.body)
		if _, err := db.Exec(`UPDATE entries SET hash = ? WHERE seq = ?`, prev[:], r.e.Seq); err != nil {
			t.Fatal(err)
		}
	}
	if tail {
		if _, err := db.Exec(`UPDATE header SET last_seq = ?, last_hash = ?`, all[len(all)-1].e.Seq, prev[:]); err != nil {
			t.Fatal(err)
		}
	}
}
