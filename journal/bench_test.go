package journal_test

import (
	"os"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/journal"
)

// BenchmarkAppendAction appends one responder action per Append with a
// synchronous commit, as the room does for every action.
func BenchmarkAppendAction(b *testing.B) {
	j, path := newJournal(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := j.Append([]journal.Entry{note(i, "label hosts need the manual path: instance store")}, true); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	report(b, j, path, b.N)
}

// BenchmarkAppendBatch appends source events 500 per Append without a
// synchronous commit, as the room does for a live source's batches: the
// default scenario's events, over and over.
func BenchmarkAppendBatch(b *testing.B) {
	const size = 500
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]journal.Entry, size)
	for i := range batch {
		e := sc.Events[i%len(sc.Events)]
		batch[i] = journal.Entry{Kind: journal.KindEvent, Pos: i, Wall: time.Now(), Event: e}
	}
	j, path := newJournal(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := j.Append(batch, false); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	report(b, j, path, b.N*size)
}

// BenchmarkEntries reads a journal of the default scenario's events back,
// as a room restarting on its journal does.
func BenchmarkEntries(b *testing.B) {
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		b.Fatal(err)
	}
	j, _ := newJournal(b)
	const n = 20000
	entries := make([]journal.Entry, 0, n)
	for i := range n {
		entries = append(entries, journal.Entry{Kind: journal.KindEvent, Pos: i, Event: sc.Events[i%len(sc.Events)]})
	}
	if _, err := j.Append(entries, false); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		read := 0
		if err := j.Entries(func(journal.Entry) error { read++; return nil }); err != nil || read != n {
			b.Fatalf("read %d entries: %v", read, err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "entries/s")
}

// report gives the rate, and the size of the journal per entry once it is
// closed (its write-ahead log checkpointed into it).
func report(b *testing.B, j *journal.SQLite, path string, entries int) {
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(st.Size())/float64(entries), "disk-B/entry")
}
