package feed

import (
	"bytes"
	"cmp"
	"fmt"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// liveHeap is the heap the collector found reachable at the end of its last
// cycle (runtime/metrics /gc/heap/live:bytes): garbage not yet collected is
// not in it, so it measures what the room keeps, not how lazily the
// collector runs.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// settledHeap collects fully and returns the live heap.
func settledHeap() uint64 {
	runtime.GC()
	return liveHeap()
}

// closeRoom closes r and waits (a second at most) for its goroutines to
// end, so that the heap measured next no longer holds it.
func closeRoom(r *room.Room, goroutines int) {
	r.Close()
	for i := 0; i < 1000 && runtime.NumGoroutine() > goroutines; i++ {
		time.Sleep(time.Millisecond)
	}
}

const mib = 1 << 20

// ingestScenario declares what ingestLines' events refer to, as a live
// config's scenario would.
func ingestScenario() *model.Scenario {
	sc := &model.Scenario{Name: "live", Meta: model.Meta{Title: "memory", Start: ingestOrigin}}
	for _, g := range ingestGroups {
		sc.HostGroups = append(sc.HostGroups, model.HostGroupDef{ID: g, Name: g, Total: 4000})
	}
	for _, t := range ingestTopics {
		sc.Topics = append(sc.Topics, model.TopicDef{ID: t, Name: t})
	}
	sc.Carriers = []model.CarrierDef{{ID: "ups", Name: "UPS"}}
	sc.Runbook = []model.StepDef{{ID: "reboot", Title: "Reboot up to 15 times"}}
	return sc
}

// BenchmarkLiveIngestPeak2M feeds a live room 2M NDJSON events in batches
// of 512 (an NDJSON source's batch), the clock at each batch's last event,
// with a console subscribed, and compares the heap's high-water mark with
// the heap the room settles at. Two orders: batches in time order, and
// batches whose first event is 800ms older than the previous batch's last
// (late events merged into history the room has applied and shown, so that
// every batch rewrites).
//
// How the peak is measured: every peakSampleEvery batches, a full
// collection run from the ingesting goroutine, right after Ingest returns
// and while the console still holds the snapshot it showed before, gives
// the exact live heap (runtime/metrics /gc/heap/live:bytes). That is the
// moment a rewrite costs most: the room holds its new lists while the
// console still holds the old ones. The collector's own cycles are not
// used: objects allocated while they mark count as live, so what they
// report grows with the allocation rate and the machine's load, not with
// what the room keeps. The settled figure is the live heap after a full
// collection at the end, the console holding the latest snapshot.
func BenchmarkLiveIngestPeak2M(b *testing.B) {
	for _, tt := range []struct {
		name     string
		stepBack time.Duration
	}{{"in-order", 0}, {"late-800ms", 800 * time.Millisecond}} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				peak, settled, kept := livePeak(2_000_000, tt.stepBack)
				b.ReportMetric(float64(peak)/mib, "MiB-peak")
				b.ReportMetric(float64(settled)/mib, "MiB-settled")
				b.ReportMetric(float64(peak)/float64(settled), "peak/settled")
				b.ReportMetric(float64(kept), "events-kept")
			}
		})
	}
}

// peakSampleEvery is how many batches apart livePeak measures the heap: a
// full collection costs tens of milliseconds with the room at its size.
const peakSampleEvery = 8

// livePeak ingests n events and returns the live heap's high-water mark and
// its settled size, both above what was live before, and the events the
// room kept.
func livePeak(n int, stepBack time.Duration) (peak, settled uint64, kept int) {
	const batchSize = defaultBatchSize
	const spacing = 250 * time.Millisecond
	goroutines, base := runtime.NumGoroutine(), settledHeap()
	now := ingestOrigin
	clock := Clock{Origin: ingestOrigin, Now: func() time.Time { return now }}
	r := room.NewLive(ingestScenario(), room.WithClock(clock.Now))
	defer closeRoom(r, goroutines)
	updates, unsubscribe := r.Subscribe()
	defer unsubscribe()
	shown := make([]room.Snapshot, 1) // on the heap: what the console shows
	dec := newWireDecoder("bench", clock)
	gen := newIngestGen()
	gen.precise = true
	var lines bytes.Buffer
	period := time.Duration(batchSize-1)*spacing - stepBack // from one batch's first event to the next's
	for first := 0; first < n; first += batchSize {
		k := first / batchSize
		size := min(batchSize, n-first)
		start := time.Duration(k) * period
		now = ingestOrigin.Add(start + time.Duration(size-1)*spacing)
		lines.Reset()
		for j := range size {
			gen.write(&lines, first+j, start+time.Duration(j)*spacing)
		}
		batch := make([]model.Event, 0, size)
		dec.Lines(lines.Bytes(), 1, func(e model.Event, _ bool) { batch = append(batch, e) }, func(err error) { panic(err) })
		r.Ingest(batch)
		if k%peakSampleEvery == 0 {
			peak = max(peak, settledHeap())
		}
		shown[0] = <-updates
	}
	kept = shown[0].Len
	settled = settledHeap()
	runtime.KeepAlive(shown)
	return peak - min(peak, base), settled - min(settled, base), kept
}

// BenchmarkLiveRunnerMemory feeds ingestLines' events, every one with a
// time of its own, through the real runner and NDJSON source into a live
// room, as `warroom live` wires them: batches of events, and the source's
// health stamped now. The events' times are all before now (a feed
// catching up on what it logged), so every batch lands before the health
// report the room has already applied. It reports the heap the room
// retains (after a full collection, above what was live before it opened),
// beside what a replay of the same events keeps (a cursor over them, sought
// to the end): a live room must grow linearly with its events, like the
// replay.
func BenchmarkLiveRunnerMemory(b *testing.B) {
	for _, n := range []int{600, 6_000, 60_000} {
		gen := newIngestGen()
		gen.timed = true
		data := gen.lines(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				b.ReportMetric(float64(replayRetained(data))/mib, "MiB-replay")
				live, pos, dropped := liveRunnerRetained(b, data)
				// The distinct events and the source's health reports: the
				// generator repeats an event now and then, which the runner
				// delivers once; a report older than its group's latest is
				// dropped and counted.
				if want := distinctEvents(data); pos+dropped <= want {
					b.Fatalf("applied %d events and dropped %d, want %d and health reports", pos, dropped, want)
				}
				b.ReportMetric(float64(live)/mib, "MiB-live")
			}
		})
	}
}

// liveRunnerRetained returns the heap a live room fed data by the runner
// retains, the events it applied and those the runner dropped.
func liveRunnerRetained(b *testing.B, data []byte) (retained uint64, pos, dropped int) {
	goroutines, base := runtime.NumGoroutine(), settledHeap()
	clock := testClock // now is after every event of ingestLines(60_000)
	r := room.NewLive(ingestScenario(), room.WithClock(clock.Now))
	defer closeRoom(r, goroutines)
	src := NewNDJSON("bench", "-", clock)
	src.Input = bytes.NewReader(data)
	src.OnError = func(err error) { b.Error(err) }
	NewRunner(clock, r.Ingest).Stream(b.Context(), src, Schedule{Interval: time.Hour, Timeout: time.Minute})
	snap := r.Snapshot()
	for _, src := range snap.State.Sources {
		dropped += model.DroppedTotal(src.Dropped)
	}
	retained = settledHeap()
	runtime.KeepAlive(r)
	return retained - min(retained, base), snap.Pos, dropped
}

// distinctEvents counts the events of data that differ in time or content.
func distinctEvents(data []byte) int {
	seen := map[string]bool{}
	dec := newWireDecoder("bench", testClock)
	dec.Lines(data, 1, func(e model.Event, _ bool) {
		b, err := model.EncodeEvent(e, time.Unix(0, int64(e.At)))
		if err != nil {
			panic(err)
		}
		seen[string(b)] = true
	}, func(err error) { panic(err) })
	return len(seen)
}

// replayRetained is the heap a replay of data's events retains.
func replayRetained(data []byte) uint64 {
	base := settledHeap()
	var events []model.Event
	dec := newWireDecoder("bench", testClock)
	dec.Lines(data, 1, func(e model.Event, _ bool) { events = append(events, e) }, func(err error) { panic(err) })
	slices.SortStableFunc(events, func(a, b model.Event) int { return cmp.Compare(a.At, b.At) })
	c := model.NewCursor(model.NewState(ingestScenario()), events)
	c.Seek(c.End())
	retained := settledHeap()
	runtime.KeepAlive(c)
	return retained - min(retained, base)
}
