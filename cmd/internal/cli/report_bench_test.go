package cli

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

// peakHeap runs f and returns the most heap its objects held meanwhile,
// sampled every millisecond.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return peak
}

// benchReport runs warroom report with args (and --out to a file) and
// reports its peak heap.
func benchReport(b *testing.B, args ...string) {
	out := filepath.Join(b.TempDir(), "report.out")
	args = append(args, "--out", out)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			var stdout, stderr bytes.Buffer
			if err := execute(args, &stdout, &stderr); err != nil {
				b.Fatalf("report: %v\n%s", err, stderr.String())
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkReportDefaultScenario is warroom report on the default
// scenario's whole span.
func BenchmarkReportDefaultScenario(b *testing.B) {
	for _, format := range []string{"md", "html"} {
		b.Run(format, func(b *testing.B) {
			benchReport(b, "report", "--scenario", fixtures.Default, "--at", "end", "--format", format)
		})
	}
}

// BenchmarkReportJournal200k is warroom report on the journal of a room
// that took 200k events: a backlog report every 10 s for 23 days, host
// counts, seller posts and notes among them.
func BenchmarkReportJournal200k(b *testing.B) {
	path := bigJournal(b, 200_000)
	for _, format := range []string{"md", "html"} {
		b.Run(format, func(b *testing.B) {
			benchReport(b, "report", "--journal", path, "--format", format)
		})
	}
}

// bigJournal writes the journal of a room on the report drill's
// declarations with n generated events, played to the end, and closes it.
func bigJournal(b *testing.B, n int) string {
	b.Helper()
	sc, err := feed.OpenScenario(filepath.Join("testdata", "report-drill.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	sc.Topics = []model.TopicDef{{ID: "late", Name: "late shipments"}}
	sc.Events = bigEvents(n)
	path := filepath.Join(b.TempDir(), "big.db")
	r, err := openRoom(sc, false, path)
	if err != nil {
		b.Fatal(err)
	}
	r.Seek(sc.End()) // the report covers the incident to where the clock stands
	if err := r.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// bigEvents is n events 10 s apart: the backlog grows for the first 40%
// of the span and drains after; every 10th is a host count, every 50th a
// seller post, every 500th a note.
func bigEvents(n int) []model.Event {
	events := make([]model.Event, 0, n)
	for i := range n {
		at := time.Duration(i) * 10 * time.Second
		e := model.Event{At: at, Source: "bench"}
		switch {
		case i%500 == 499:
			e.Body = model.Note{Author: "ic", Text: fmt.Sprintf("status check %d", i/500)}
		case i%50 == 49:
			e.Body = model.SellerComplaint{Seller: fmt.Sprintf("seller-%d", i%997), Channel: "forums", Topic: "late", Text: "Where are my labels?"}
		case i%10 == 9:
			e.Body = model.HostStatus{Group: "labels", Recovered: min(10, i*10/n*2), Failed: 10 - min(10, i*10/n*2)}
		default:
			peak := n * 4 / 10
			w := 1000 + int64(i)*50
			if i > peak {
				w = max(1000+int64(peak)*50-int64(i-peak)*34, 900)
			}
			e.Body = model.BacklogObservation{Waiting: w}
		}
		events = append(events, e)
	}
	return events
}
