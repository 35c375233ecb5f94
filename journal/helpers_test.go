package journal_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// The wire format's codec is the journal's: model satisfies the interface
// without importing the journal.
var _ journal.Codec = model.JournalCodec{}

// origin is T+0 of the incident the tests journal.
var origin = time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)

func testCodec() model.JournalCodec { return model.NewJournalCodec(origin) }

func scenarioHeader() journal.Header {
	return journal.Header{Kind: "scenario", Name: "crowdstrike-primeday-2024", Identity: "5f2a9c0e7b31d4a8e6f1"}
}

// newJournal opens a fresh journal in a test's temporary folder.
func newJournal(t testing.TB) (*journal.SQLite, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "incident.db")
	j, err := journal.Open(path, testCodec(), scenarioHeader())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j, path
}

// wall is a real time with nanoseconds, as a room stamps entries.
func wall(i int) time.Time {
	return time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Second + 123456789)
}

// oneOfEach is an entry of every kind, with times to the nanosecond.
func oneOfEach() []journal.Entry {
	return []journal.Entry{
		{Kind: journal.KindEvent, Pos: 0, Wall: wall(0), Event: model.Event{At: 30*time.Minute + 7, Source: "scenario",
			Body: model.HostStatus{Group: "wms-fulfilment", Recovered: 12, Total: 1240, Failed: 1228, State: model.HostsDown}}},
		{Kind: journal.KindEvent, Pos: 1, Wall: wall(0), Event: model.Event{At: 31 * time.Minute,
			Body: model.BacklogObservation{Waiting: 240000, Inflow: ptr(95000.5)}}},
		{Kind: journal.KindAction, Pos: 1, Wall: wall(1), Event: model.Event{At: 31 * time.Minute, Source: "responder:ic",
			Body: model.Decision{By: "ic", Text: "hold the statement", Wall: wall(1)}}},
		{Kind: journal.KindClock, Wall: wall(2), Clock: journal.Clock{At: 31*time.Minute + 1, Pos: 3, Playing: true, Speed: 60, PauseOnInject: true}},
		{Kind: journal.KindPresence, Wall: wall(3), Presence: journal.Presence{Member: "ana", Role: "commander", Session: "s1", Joined: true}},
		{Kind: journal.KindShown, Wall: wall(4), Shown: journal.Shown{Inject: "inj-guarantee"}},
	}
}

func ptr(f float64) *float64 { return &f }

// note is a responder's note as an action entry.
func note(i int, text string) journal.Entry {
	return journal.Entry{Kind: journal.KindAction, Pos: i, Wall: wall(i),
		Event: model.Event{At: time.Duration(i) * time.Minute, Source: "responder:ic", Body: model.Note{Author: "ic", Text: text}}}
}

// all reads every entry of a journal.
func all(t testing.TB, j journal.Log) []journal.Entry {
	t.Helper()
	var out []journal.Entry
	if err := j.Entries(func(e journal.Entry) error { out = append(out, e); return nil }); err != nil {
		t.Fatalf("Entries: %v", err)
	}
	return out
}

// rawSQL runs statements on a journal's file behind the journal's back, as
// someone editing it would.
func rawSQL(t testing.TB, path string, stmts ...string) {
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
