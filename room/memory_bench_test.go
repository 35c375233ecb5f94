package room

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// BenchmarkLiveRoomMemory1M feeds a live room a million events (host
// reports, backlog points, complaints, notes, warnings) and reports the heap
// it keeps. History is bounded: the cursor keeps model.DefaultMaxEvents
// events for scrubbing back (older ones are folded into its start), and the
// state's lists are capped (model.MaxBacklogPoints, MaxPosts, MaxTimeline,
// MaxHostHistory per group).
func BenchmarkLiveRoomMemory1M(b *testing.B) {
	const n = 1_000_000
	sc := &model.Scenario{Meta: model.Meta{Title: "memory", Start: time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)}}
	for g := range 50 {
		sc.HostGroups = append(sc.HostGroups, model.HostGroupDef{ID: fmt.Sprint("g", g), Name: fmt.Sprint("group ", g), Total: 1000})
	}
	for b.Loop() {
		now := sc.Meta.Start
		r := NewLive(sc, WithClock(func() time.Time { return now }))
		batch := make([]model.Event, 0, 1000)
		for i := range n {
			at := time.Duration(i) * time.Second
			var body model.Body
			switch i % 10 {
			case 0, 1, 2, 3:
				body = model.HostStatus{Group: fmt.Sprint("g", i%50), Recovered: i % 1000, Total: 1000}
			case 4, 5:
				body = model.BacklogObservation{Waiting: int64(i % 2_000_000)}
			case 6, 7:
				body = model.SellerComplaint{Seller: "Harbor & Pine", Channel: "forums", Topic: "late-shipment-rate",
					Text: "Next-day orders will miss the promise through no fault of ours; please protect our metrics."}
			case 8:
				body = model.Note{Author: "ic", Text: "status posted to sellers with the next update time"}
			default:
				body = model.CarrierWarning{ID: fmt.Sprint("w", i%500), Carrier: "ups", Severity: model.SeverityMajor, Headline: "delays possible"}
			}
			batch = append(batch, model.Event{At: at, Source: "bench", Body: body})
			if len(batch) == cap(batch) {
				now = sc.Meta.Start.Add(at)
				r.Ingest(batch)
				batch = make([]model.Event, 0, 1000)
			}
		}
		r.Ingest(batch)
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "MiB-heap")
		s := r.Snapshot()
		b.ReportMetric(float64(s.Len), "events-kept")
		r.Close()
	}
}
