package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// largeSplitScenario is the large scenario with every backlog observation
// split into four promise classes, a tenth of each class late.
func largeSplitScenario() *model.Scenario {
	sc := largeScenario()
	ids := []string{"same-day", "one-day", "two-day", "standard"}
	for _, id := range ids {
		sc.PromiseClasses = append(sc.PromiseClasses, model.PromiseClassDef{ID: id, Name: id})
	}
	for i, e := range sc.Events {
		b, ok := e.Body.(model.BacklogObservation)
		if !ok {
			continue
		}
		parts := []int64{b.Waiting / 10, b.Waiting * 3 / 10, b.Waiting * 4 / 10}
		parts = append(parts, b.Waiting-parts[0]-parts[1]-parts[2])
		for k, n := range parts {
			b.Promise = append(b.Promise, model.PromiseCount{Class: ids[k], Waiting: n, Late: n / 10})
		}
		sc.Events[i].Body = b
	}
	return sc
}

// benchBacklogApp is the console at 200×50 on r at offset at, the backlog
// pane focused (and zoomed), rendered once.
func benchBacklogApp(b *testing.B, r *room.Room, at time.Duration, zoom bool) (*app, room.Snapshot) {
	b.Helper()
	s := r.Seek(at)
	a := New(r, Options{Responder: "ic"}).(*app)
	a.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'2'}})
	if zoom {
		a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'z'}})
	}
	a.View()
	return a, s
}

// BenchmarkViewPastEnd is a live room's frame: the clock has passed the
// last event and moves a second a frame, which moves the x axis's end but
// changes no column of the chart: nothing is drawn again.
func BenchmarkViewPastEnd(b *testing.B) {
	r := room.New(largeScenario())
	b.Cleanup(r.Close)
	a, s := benchBacklogApp(b, r, 48*time.Hour, false)
	base := s.Clock + 10*time.Minute
	s.Clock = base
	a.Update(snapshotMsg{s})
	a.View()
	gen := a.backlog.chart.gen
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		s.Clock = base + time.Duration(i%50)*time.Second
		s.Seq++
		a.Update(snapshotMsg{s})
		if v := a.View(); len(v) == 0 {
			b.Fatal("empty view")
		}
	}
	b.StopTimer()
	if a.backlog.chart.gen != gen {
		b.Errorf("the chart was drawn %d times more", a.backlog.chart.gen-gen)
	}
}

// BenchmarkViewPastEndMinutes is the same with the clock moving a minute a
// frame: the figures are laid out again, the chart only when a column
// changes (one in about fifteen frames at 200 columns over 48 hours).
func BenchmarkViewPastEndMinutes(b *testing.B) {
	r := room.New(largeScenario())
	b.Cleanup(r.Close)
	a, s := benchBacklogApp(b, r, 48*time.Hour, false)
	framesClockMoving(b, a, s)
}

// BenchmarkViewZoomedStacked is the zoomed backlog pane with its stacked
// chart by promise class on the large scenario, the clock moving a minute
// a frame.
func BenchmarkViewZoomedStacked(b *testing.B) {
	r := room.New(largeSplitScenario())
	b.Cleanup(r.Close)
	a, s := benchBacklogApp(b, r, 40*time.Hour, true)
	if len(a.snap.State.Backlog.Classes) != 4 {
		b.Fatalf("classes %v", a.snap.State.Backlog.Classes)
	}
	framesClockMoving(b, a, s)
}

// BenchmarkViewZoomedStackedCold draws the zoomed pane from nothing.
func BenchmarkViewZoomedStackedCold(b *testing.B) {
	r := room.New(largeSplitScenario())
	b.Cleanup(r.Close)
	benchBacklogApp(b, r, 40*time.Hour, true)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		a, _ := benchBacklogApp(b, r, 40*time.Hour, false)
		a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'z'}})
		b.StartTimer()
		if v := a.View(); len(v) == 0 {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkBacklogPanePastEnd is the backlog pane alone in the frame of
// BenchmarkViewPastEnd: a clock move that changes no column of the chart
// must cost no allocation.
func BenchmarkBacklogPanePastEnd(b *testing.B) {
	r := room.New(largeScenario())
	b.Cleanup(r.Close)
	a, s := benchBacklogApp(b, r, 48*time.Hour, false)
	base := s.Clock + 10*time.Minute
	for _, minutes := range []bool{false, true} {
		name := "seconds"
		if minutes {
			name = "minutes"
		}
		b.Run(name, func(b *testing.B) {
			a.snap.Clock = base
			a.paneView(paneBacklog, 100, 20)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				step := time.Duration(i%50) * time.Second
				if minutes {
					step = time.Duration(i%600) * time.Minute
				}
				a.snap.Clock = base + step
				if v := a.paneView(paneBacklog, 100, 20); len(v) == 0 {
					b.Fatal("empty pane")
				}
			}
		})
	}
}
