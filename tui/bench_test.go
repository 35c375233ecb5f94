package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// largeScenario is a synthetic incident far bigger than any fixture: 500
// host groups with 50k hosts, 100k backlog points, 2k carrier warnings and
// 20k seller complaints over 48 hours.
func largeScenario() *model.Scenario {
	const span = 48 * time.Hour
	sc := &model.Scenario{
		Name: "large",
		Meta: model.Meta{
			Title: "Synthetic large incident", Severity: "SEV1",
			Start: time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC),
		},
	}
	var ev []model.Event
	add := func(at time.Duration, text string, b model.Body) {
		ev = append(ev, model.Event{At: at, Source: "scenario", Text: text, Body: b})
	}
	for g := range 500 {
		id := fmt.Sprintf("group-%03d", g)
		sc.HostGroups = append(sc.HostGroups, model.HostGroupDef{ID: id, Name: "Host group " + id, Total: 100})
		for k := range 40 { // a status every 72 minutes
			rec := min(100, k*3+g%7)
			failed := (100 - rec) / 4
			add(time.Duration(k)*span/40, "", model.HostStatus{Group: id, Recovered: rec, Total: 100, Failed: failed,
				Steps: model.HostSteps{Rebooting: failed / 2, Manual: failed - failed/2}})
		}
	}
	for i := range 100_000 {
		at := time.Duration(i) * span / 100_000
		h := at.Hours()
		waiting := int64(180_000 + 2_000_000*h/14)
		if h > 14 {
			waiting = int64(2_180_000 - 40_000*(h-14))
		}
		add(at, "", model.BacklogObservation{Waiting: max(waiting, 0)})
	}
	carriers := []string{"ups", "fedex", "dhl", "usps", "ontrac"}
	for _, c := range carriers {
		sc.Carriers = append(sc.Carriers, model.CarrierDef{ID: c, Name: c})
	}
	sevs := []model.Severity{model.SeverityInfo, model.SeverityMinor, model.SeverityMajor, model.SeverityCritical}
	for i := range 2000 {
		at := time.Duration(i) * span / 2000
		id := fmt.Sprintf("w%d", i)
		add(at, "", model.CarrierWarning{
			ID: id, Carrier: carriers[i%len(carriers)], Phase: model.WarningIssued, Severity: sevs[i%4],
			Region: "US", Headline: fmt.Sprintf("Service alert %d: delays possible in the region", i),
			Body: "Long body text of the notice.",
		})
		if i%3 == 0 {
			add(at+time.Hour, "", model.CarrierWarning{ID: id, Phase: model.WarningResolved})
		}
	}
	for t := range 10 {
		id := fmt.Sprintf("topic-%d", t)
		sc.Topics = append(sc.Topics, model.TopicDef{ID: id, Name: "topic " + itoa(t)})
	}
	for i := range 20_000 {
		add(time.Duration(i)*span/20_000, "", model.SellerComplaint{
			Seller: fmt.Sprintf("Seller %d", i%997), Channel: "forums", Topic: fmt.Sprintf("topic-%d", i%10),
			Text: "Orders will miss the promise and labels time out; what about our metrics?",
		})
	}
	for s := range 30 {
		id := fmt.Sprintf("step-%d", s)
		sc.Runbook = append(sc.Runbook, model.StepDef{ID: id, Title: "Runbook step " + id, Detail: "Do the thing."})
		add(time.Duration(s)*time.Hour, "", model.RunbookStepChange{Step: id, State: model.StepDone, By: "ic"})
	}
	slices.SortStableFunc(ev, func(a, b model.Event) int { return cmp.Compare(a.At, b.At) })
	sc.Events = ev
	return sc
}

// benchApp is the app at 200×50 on the large scenario at T+40h, rendered
// once.
func benchApp(b *testing.B) (*app, *room.Room, room.Snapshot) {
	b.Helper()
	r := room.New(largeScenario())
	b.Cleanup(r.Close)
	s := r.Seek(40 * time.Hour)
	if n := len(s.State.Backlog.Points); n < 80_000 {
		b.Fatalf("only %d backlog points applied", n)
	}
	a := New(r, Options{Responder: "ic"}).(*app)
	a.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	a.View()
	return a, r, s
}

// BenchmarkView measures a frame after a clock-only change: the clock moves
// a minute, nothing else does. Panes that depend on the clock re-render
// (rates, ages, the forecast, the now marker); the rest come from cache.
func BenchmarkView(b *testing.B) {
	a, _, s := benchApp(b)
	framesClockMoving(b, a, s)
}

// BenchmarkViewHostZoom is BenchmarkView with the Hosts pane zoomed on a
// group: its figures follow the minute, its chart and funnel redraw only
// when a report arrives or the now marker moves a column.
func BenchmarkViewHostZoom(b *testing.B) {
	a, _, s := benchApp(b)
	for _, k := range []string{"j", "z"} {
		a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
	}
	if v := a.View(); !strings.Contains(v, "Hosts › Host group group-001") || !strings.Contains(v, "recovery steps") {
		b.Fatalf("not zoomed on a group:\n%s", v)
	}
	framesClockMoving(b, a, s)
}

// BenchmarkViewCold measures a first frame: every pane renders.
func BenchmarkViewCold(b *testing.B) {
	_, r, _ := benchApp(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		a := New(r, Options{Responder: "ic"}).(*app)
		a.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
		b.StartTimer()
		if v := a.View(); len(v) == 0 {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkViewIdle measures View with nothing changed: the cached frame.
func BenchmarkViewIdle(b *testing.B) {
	a, _, _ := benchApp(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		a.View()
	}
}

// BenchmarkViewPlaying measures frames while the replay plays at ×600:
// every frame brings new backlog points, complaints and warnings.
func BenchmarkViewPlaying(b *testing.B) {
	a, r, s := benchApp(b)
	framesPlaying(b, a, r, s)
}

// BenchmarkFirstFrameDefault is what start-up costs on the default
// scenario before the terminal shows anything: load the embedded scenario,
// open a room at T+0, make the console and draw its first frame at 120×40.
func BenchmarkFirstFrameDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sc, err := feed.OpenScenario(fixtures.Default)
		if err != nil {
			b.Fatal(err)
		}
		r := room.New(sc)
		a := New(r, Options{Responder: "ic"}).(*app)
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if v := a.View(); len(v) == 0 {
			b.Fatal("empty view")
		}
		r.Close()
	}
}

// framesClockMoving times b.N frames in which only the clock moves, a
// minute a frame, from s.
func framesClockMoving(b *testing.B, a *app, s room.Snapshot) {
	base := s.Clock
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		s.Clock = base + time.Duration(i%600+1)*time.Minute
		s.Seq++
		a.Update(snapshotMsg{s})
		if v := a.View(); len(v) == 0 {
			b.Fatal("empty view")
		}
	}
}

// framesPlaying times b.N frames of a replay playing from s: each brings
// the events of a minute more (64 snapshots, made before the timer starts).
func framesPlaying(b *testing.B, a *app, r *room.Room, s room.Snapshot) {
	var snaps []room.Snapshot
	for i := range 64 {
		snaps = append(snaps, r.Seek(s.Clock+time.Duration(i)*time.Minute))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		next := snaps[i%len(snaps)]
		next.Seq = uint64(i) + s.Seq + 1000
		a.Update(snapshotMsg{next})
		a.View()
	}
}
