package journal_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

func TestOpenCreatesThenReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incident.db")
	before := time.Now()
	j, err := journal.Open(path, testCodec(), scenarioHeader())
	if err != nil {
		t.Fatal(err)
	}
	h := j.Header()
	if h.Format != journal.Format || h.Kind != "scenario" || h.Identity != scenarioHeader().Identity ||
		h.Created.Before(before.Add(-time.Second)) || h.Created.Location() != time.UTC {
		t.Errorf("header of a new journal: %+v", h)
	}
	first, err := j.Append(oneOfEach(), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("closing twice: %v", err)
	}
	if _, err := j.Append([]journal.Entry{note(9, "late")}, true); !errors.Is(err, journal.ErrClosed) {
		t.Errorf("Append after Close: %v, want ErrClosed", err)
	}

	// The same incident, renamed: the same journal, going on where it was.
	again := scenarioHeader()
	again.Name = "renamed.yaml"
	j, err = journal.Open(path, testCodec(), again)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer j.Close()
	if got := j.Header(); got != h {
		t.Errorf("reopened header %+v, want the stored %+v", got, h)
	}
	if got := all(t, j); !reflect.DeepEqual(got, first) {
		t.Errorf("entries after reopening:\n got %+v\nwant %+v", got, first)
	}
	more, err := j.Append([]journal.Entry{note(7, "after the restart"), oneOfEach()[0]}, true)
	if err != nil {
		t.Fatal(err)
	}
	if more[0].Seq != 7 || more[1].Seq != 8 || more[1].Batch != 8 {
		t.Errorf("appended after reopening: seq %d, %d, batch %d; want 7, 8 and batch 8", more[0].Seq, more[1].Seq, more[1].Batch)
	}
	if r := j.Verify(); len(r.Problems) > 0 || r.Entries != 8 {
		t.Errorf("Verify after reopening: %d entries, problems %v", r.Entries, r.Problems)
	}
}

func TestOpenRefuses(t *testing.T) {
	other := journal.Header{Kind: "scenario", Name: "carrier-hub-outage", Identity: "99aa00bb11cc22dd"}
	live := journal.Header{Kind: "live", Name: "warroom.yaml", Identity: scenarioHeader().Identity}
	tests := []struct {
		name    string
		prepare func(t *testing.T, path string) // makes the file at path
		open    journal.Header
		is      []error // the error is each of these
		want    []string
	}{
		{"another incident", existing, other, []error{journal.ErrMismatch},
			[]string{`journal belongs to another incident: `, `is the journal of scenario "crowdstrike-primeday-2024" (5f2a9c0e7b31)`,
				`not of scenario "carrier-hub-outage" (99aa00bb11cc)`, "or run the scenario it was made with"}},
		{"a scenario's journal for a live room", existing, live, []error{journal.ErrMismatch},
			[]string{`is the journal of scenario "crowdstrike-primeday-2024"`, `not of live "warroom.yaml"`}},
		{"another format", func(t *testing.T, path string) {
			existing(t, path)
			rawSQL(t, path, `UPDATE header SET format = 2`)
		}, scenarioHeader(), []error{journal.ErrFormat, journal.ErrMismatch},
			[]string{"is a journal of format 2; this warroom reads format 1"}},
		{"no header", func(t *testing.T, path string) {
			existing(t, path)
			rawSQL(t, path, `DELETE FROM header`)
		}, scenarioHeader(), nil, []string{"has no header: it is damaged, and is not written to"}},
		{"a changed header", func(t *testing.T, path string) {
			existing(t, path)
			rawSQL(t, path, `UPDATE header SET name = 'renamed behind its back'`)
		}, scenarioHeader(), nil, []string{"has a header changed after it was written: it is damaged, and is not written to"}},
		{"entries cut off the end", func(t *testing.T, path string) {
			existing(t, path)
			rawSQL(t, path, `DELETE FROM entries WHERE seq = 2`)
		}, scenarioHeader(), nil, []string{"ends at entry 1, not at entry 2, the last one written: it is damaged"}},
		{"a database with tables of the same names", func(t *testing.T, path string) {
			rawSQL(t, path, `CREATE TABLE header (x)`, `CREATE TABLE entries (y)`)
		}, scenarioHeader(), nil, []string{"not a warroom journal: an SQLite database of something else"}},
		{"not a database", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("title: a scenario, not a journal\n"+strings.Repeat("x", 200)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, scenarioHeader(), nil, []string{"not a warroom journal (", "not a database"}},
		{"a database of something else", func(t *testing.T, path string) {
			rawSQL(t, path, `CREATE TABLE orders (id INTEGER)`)
		}, scenarioHeader(), nil, []string{"not a warroom journal: an SQLite database of something else (tables orders); it is left as it is"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "incident.db")
			tt.prepare(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			j, err := journal.Open(path, testCodec(), tt.open)
			if err == nil {
				j.Close()
				t.Fatal("Open succeeded")
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("error %q is not %v", err, target)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Errorf("refusing the file changed it")
			}
		})
	}
}

// existing makes a journal of the default scenario with two entries.
func existing(t *testing.T, path string) {
	t.Helper()
	j, err := journal.Open(path, testCodec(), scenarioHeader())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append([]journal.Entry{note(0, "a"), note(1, "b")}, true); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestAppendNumbersAndBatches(t *testing.T) {
	j, _ := newJournal(t)
	event := oneOfEach()[0]
	appends := []struct {
		entries []journal.Entry
		seqs    []int64
		batches []int64
	}{
		{oneOfEach(), []int64{1, 2, 3, 4, 5, 6}, []int64{1, 1, 0, 0, 0, 0}},
		{[]journal.Entry{note(3, "x")}, []int64{7}, []int64{0}},
		{[]journal.Entry{oneOfEach()[3], event, event, note(5, "y"), event}, []int64{8, 9, 10, 11, 12}, []int64{0, 9, 9, 0, 9}},
		{nil, nil, nil},
		{[]journal.Entry{event}, []int64{13}, []int64{13}},
	}
	var want []journal.Entry
	for i, a := range appends {
		in := append([]journal.Entry(nil), a.entries...)
		for k := range in {
			in[k].Seq, in[k].Batch = 99, 99 // whatever the caller says, the journal numbers
		}
		got, err := j.Append(in, i%2 == 0)
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
		var seqs, batches []int64
		for k, e := range got {
			seqs, batches = append(seqs, e.Seq), append(batches, e.Batch)
			if e.Kind != a.entries[k].Kind || e.Pos != a.entries[k].Pos || !e.Wall.Equal(a.entries[k].Wall) {
				t.Errorf("append %d: entry %d came back as %+v", i, k, e)
			}
		}
		if !reflect.DeepEqual(seqs, a.seqs) || !reflect.DeepEqual(batches, a.batches) {
			t.Errorf("append %d: seqs %v batches %v, want %v and %v", i, seqs, batches, a.seqs, a.batches)
		}
		for k := range in {
			if in[k].Seq != 99 || in[k].Batch != 99 {
				t.Errorf("append %d changed the caller's entry %d", i, k)
			}
		}
		want = append(want, got...)
	}
	if got := all(t, j); !reflect.DeepEqual(got, want) {
		t.Errorf("Entries:\n got %+v\nwant %+v", got, want)
	}
}

func TestAppendStampsWallTime(t *testing.T) {
	j, _ := newJournal(t)
	e := note(0, "no wall time")
	e.Wall = time.Time{}
	before := time.Now()
	got, err := j.Append([]journal.Entry{e}, false)
	if err != nil {
		t.Fatal(err)
	}
	if w := got[0].Wall; w.Before(before.Add(-time.Second)) || w.After(time.Now().Add(time.Second)) || w.Location() != time.UTC {
		t.Errorf("Wall %v, want now in UTC", w)
	}
	if back := all(t, j); !back[0].Wall.Equal(got[0].Wall) {
		t.Errorf("stored Wall %v, returned %v", back[0].Wall, got[0].Wall)
	}
}

func TestAppendRefusesAll(t *testing.T) {
	bad := []struct {
		name  string
		entry journal.Entry
		want  string
	}{
		{"unknown kind", journal.Entry{Kind: "gossip", Wall: wall(0)}, `entry 3 (gossip): unknown kind "gossip"`},
		{"event without a body", journal.Entry{Kind: journal.KindEvent, Wall: wall(0)}, "entry 3 (event): an event without a body"},
		{"event the wire format cannot hold", journal.Entry{Kind: journal.KindAction, Wall: wall(0),
			Event: model.Event{Body: model.WhatIf{Factor: nan()}}}, "entry 3 (action): encode event: whatif.factor: unsupported value: NaN"},
		{"negative position", journal.Entry{Kind: journal.KindEvent, Pos: -1, Wall: wall(0), Event: oneOfEach()[0].Event},
			"entry 3 (event): position -1 is negative"},
		{"clock that is not a number", journal.Entry{Kind: journal.KindClock, Wall: wall(0), Clock: journal.Clock{Speed: nan()}},
			"entry 3 (clock): json: unsupported value: NaN"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := newJournal(t)
			if _, err := j.Append([]journal.Entry{note(0, "first")}, true); err != nil {
				t.Fatal(err)
			}
			_, err := j.Append([]journal.Entry{note(1, "good, but with a bad one"), tt.entry}, true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Append: %v, want an error with %q", err, tt.want)
			}
			got, err := j.Append([]journal.Entry{note(2, "next")}, true)
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Seq != 2 {
				t.Errorf("the next entry is %d, want 2: the refused append left something behind", got[0].Seq)
			}
			if n := len(all(t, j)); n != 2 {
				t.Errorf("%d entries, want 2", n)
			}
		})
	}
}

func nan() float64 { var z float64; return z / z }

func TestEntriesStopsAtTheFirstError(t *testing.T) {
	j, _ := newJournal(t)
	if _, err := j.Append(oneOfEach(), false); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("enough")
	n := 0
	err := j.Entries(func(journal.Entry) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("Entries: %v after %d entries, want the callback's error after 2", err, n)
	}
}

func TestPathsThatAreAwkwardInURIs(t *testing.T) {
	for _, name := range []string{"with space.db", "what?.db", "hash#tag.db", "100%.db", "ünï.db"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			j, err := journal.Open(path, testCodec(), scenarioHeader())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := j.Append([]journal.Entry{note(0, "x")}, true); err != nil {
				t.Fatal(err)
			}
			j.Close()
			if _, err := os.Stat(path); err != nil {
				t.Errorf("the journal is not at %q: %v", path, err)
			}
			files, _ := os.ReadDir(dir)
			for _, f := range files {
				if f.Name() != name && !strings.HasPrefix(f.Name(), name+"-") {
					t.Errorf("stray file %q beside %q", f.Name(), name)
				}
			}
			r, err := journal.OpenExisting(path, testCodec())
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if rep := r.Verify(); rep.Entries != 1 || len(rep.Problems) > 0 {
				t.Errorf("Verify: %+v", rep)
			}
		})
	}
}

func TestTheJournalIsAWALDatabase(t *testing.T) {
	j, path := newJournal(t)
	if _, err := j.Append([]journal.Entry{note(0, "x")}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no write-ahead log beside the journal: %v", err)
	}
	head := make([]byte, 20)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Read(head); err != nil {
		t.Fatal(err)
	}
	// The file format's read and write versions are 2 in WAL mode.
	if string(head[:16]) != "SQLite format 3\x00" || head[18] != 2 || head[19] != 2 {
		t.Errorf("file header %q: not an SQLite database in WAL mode", head)
	}
}

// TestConcurrentAppends has several responders act at once: every entry
// gets its own Seq, in one unbroken chain.
func TestConcurrentAppends(t *testing.T) {
	j, _ := newJournal(t)
	const writers, each = 4, 50
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			for i := range each {
				batch := []journal.Entry{note(w*each+i, "from a writer")}
				if i%5 == 0 {
					batch = append(batch, oneOfEach()...)
				}
				if _, err := j.Append(batch, i%2 == 0); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	entries := all(t, j)
	if want := writers * (each + each/5*len(oneOfEach())); len(entries) != want {
		t.Fatalf("%d entries, want %d", len(entries), want)
	}
	for i, e := range entries {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has Seq %d", i+1, e.Seq)
		}
	}
	if r := j.Verify(); len(r.Problems) > 0 {
		t.Errorf("Verify: %v", r.Problems)
	}
}

// TestASecondRoomOnTheSameJournal starts a second room on a journal while
// the first still runs: once the second has appended, the first appends no
// more, and the journal stays one history.
func TestASecondRoomOnTheSameJournal(t *testing.T) {
	first, path := newJournal(t)
	if _, err := first.Append([]journal.Entry{note(0, "first room")}, true); err != nil {
		t.Fatal(err)
	}
	second, err := journal.Open(path, testCodec(), scenarioHeader())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if got, err := second.Append([]journal.Entry{note(1, "second room")}, true); err != nil || got[0].Seq != 2 {
		t.Fatalf("the second room's append: %v, %v", got, err)
	}
	for range 2 { // and it stays refused
		_, err := first.Append([]journal.Entry{note(2, "first room again")}, true)
		if !errors.Is(err, journal.ErrOtherWriter) || !strings.Contains(err.Error(), "it ends at entry 2, not at 1 where this room left it") {
			t.Fatalf("the first room's append after the second's: %v, want ErrOtherWriter", err)
		}
	}
	if _, err := second.Append([]journal.Entry{note(3, "second room again")}, false); err != nil {
		t.Fatal(err)
	}
	if r := second.Verify(); len(r.Problems) > 0 || r.Entries != 3 {
		t.Errorf("Verify: %d entries, problems %v", r.Entries, r.Problems)
	}
}
