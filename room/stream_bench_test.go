package room

import (
	"strconv"
	"testing"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// catchUpEvents is the size of the room BenchmarkSharedCatchUp opens.
const catchUpEvents = 200_000

// BenchmarkSharedCatchUp: a live room of 200k source events (host and
// backlog reports, complaints and status lines, in batches of 100 as a
// source delivers them, 2,000 messages) in an R3 stream; each round a
// server opens the room and catches up with the whole stream before it
// could let anyone in. Reports the events applied a second.
func BenchmarkSharedCatchUp(b *testing.B) {
	c := startCluster(b)
	sc := scenario()
	sc.Events = nil
	codec := model.NewJournalCodec(sc.Meta.Start)
	s, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "catchup", Origin: "seed"}, codec, JournalHeader(sc, true))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const batch = 100
	for i := 0; i < catchUpEvents; i += batch {
		entries := make([]journal.Entry, batch)
		for k := range entries {
			entries[k] = journal.Entry{Kind: journal.KindEvent, Event: catchUpEvent(i + k)}
		}
		if _, err := s.Publish(entries, s.NewID(), i+batch >= catchUpEvents); err != nil {
			b.Fatal(err)
		}
	}
	var took time.Duration
	rounds := 0
	for b.Loop() {
		rounds++
		start := time.Now()
		j, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "catchup", Origin: "late"}, codec, JournalHeader(sc, true))
		if err != nil {
			b.Fatal(err)
		}
		r, err := OpenLive(sc, j)
		if err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
		if got := r.Snapshot().Len; got < catchUpEvents/2 {
			b.Fatalf("caught up with %d events", got)
		}
		r.Close()
		j.Close()
	}
	b.ReportMetric(float64(rounds*catchUpEvents)/took.Seconds(), "events/s")
	b.ReportMetric(took.Seconds()/float64(rounds), "s/200k")
}

// catchUpEvent is the i-th event of a busy live incident: a second apart,
// a mix of what sources report.
func catchUpEvent(i int) model.Event {
	at := time.Duration(i) * time.Second
	switch i % 4 {
	case 0:
		return model.Event{At: at, Source: "fleet", Body: model.HostStatus{Group: "wms", Recovered: i % 10, Total: 10, Failed: 10 - i%10}}
	case 1:
		return model.Event{At: at, Source: "fleet", Body: model.BacklogObservation{Waiting: int64(100000 + i)}}
	case 2:
		return model.Event{At: at, Source: "forum", Body: model.SellerComplaint{Seller: "s" + strconv.Itoa(i%50), Channel: "forums", Topic: "late", Text: "labels fail again"}}
	}
	return model.Event{At: at, Source: "status", Body: model.StatusUpdate{From: "AWS", Text: "still working on it"}}
}
