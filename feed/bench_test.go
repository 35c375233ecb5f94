package feed

import (
	"testing"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/room"
)

// BenchmarkReplayDefault replays the whole default scenario headless: parse
// and validate the embedded YAML, then fold every event in a room.
func BenchmarkReplayDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sc, err := OpenScenario(fixtures.Default)
		if err != nil {
			b.Fatal(err)
		}
		r := room.New(sc)
		if s := r.Seek(sc.End()); s.Pos != len(sc.Events) {
			b.Fatalf("replayed %d of %d events", s.Pos, len(sc.Events))
		}
	}
}

// BenchmarkReplayDefaultStepwise steps through the default scenario one event
// at a time, taking the snapshot a view would get after every step.
func BenchmarkReplayDefaultStepwise(b *testing.B) {
	sc, err := OpenScenario(fixtures.Default)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := room.New(sc)
		for s := r.Snapshot(); s.Pos < s.Len; {
			s = r.Next()
		}
	}
}

// BenchmarkLoadDefault is the parse and validation part of the replay above.
func BenchmarkLoadDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OpenScenario(fixtures.Default); err != nil {
			b.Fatal(err)
		}
	}
}
