package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/NimbleMarkets/ntcharts/linechart"

	"github.com/warroom/warroom/model"
)

// The layout's graph width is linechart's: the layout's columns are the
// canvas's.
func TestChartLayoutMatchesLinechart(t *testing.T) {
	var c chartCache
	for _, yMax := range []float64{10, 2500, 2.5e6, 1.2e7} {
		for _, w := range []int{8, 30, 61, 116, 196} {
			for _, h := range []int{4, 5, 9, 12, 21} {
				var l chartLayout
				c.layout(&l, chartInput{end: time.Hour, yMax: yMax, w: w, h: h})
				lc := linechart.New(w, h, 0, float64(l.gw), 0, float64(l.gh), linechart.WithXYSteps(1, 1),
					linechart.WithYLabelFormatter(yLabels(l.gh, yMax, 0)))
				if lc.GraphWidth() != l.gw || lc.GraphHeight() != l.gh {
					t.Errorf("%v %dx%d: layout %dx%d, linechart %dx%d", yMax, w, h, l.gw, l.gh, lc.GraphWidth(), lc.GraphHeight())
				}
			}
		}
	}
}

// A live room's clock moves every frame and the x axis's end with it; the
// chart is drawn again only when that moves something by a column.
func TestChartRedrawsOnlyWhenACellChanges(t *testing.T) {
	r := newRoom(t, 80*time.Hour) // past the last event at T+76:05
	s := r.Snapshot()
	st := NewStyles(nil)
	fc := s.State.BacklogForecast()
	in := func(clock time.Duration) chartInput {
		return chartInput{pts: s.State.Backlog.Points, end: chartEnd(s.End, clock, fc, model.Forecast{}), clock: clock,
			yMax: niceCeil(float64(s.State.Backlog.Peak) * 1.1), w: 60, h: 10, baseline: s.State.Backlog.Baseline(),
			proj: model.ProjectBacklog(s.State.Backlog.Points, s.State.Now, model.ForecastOptions{Target: s.State.Backlog.Baseline()})}
	}
	var c chartCache
	first := c.get(st, in(s.Clock))
	if c.gen != 1 {
		t.Fatalf("gen %d after the first chart", c.gen)
	}
	// 80h over about 55 columns: a column is about 87 minutes, so a
	// second moves nothing.
	for i := 1; i <= 30; i++ {
		if got := c.get(st, in(s.Clock+time.Duration(i)*time.Second)); strings.Join(got, "\n") != strings.Join(first, "\n") {
			t.Fatalf("a second later the chart differs:\n%s\n%s", strings.Join(first, "\n"), strings.Join(got, "\n"))
		}
	}
	if c.gen != 1 {
		t.Errorf("drawn %d times for clock moves that change no cell", c.gen)
	}
	// Four hours on, the now marker and the ticks have moved.
	later := c.get(st, in(s.Clock+4*time.Hour))
	if c.gen != 2 || strings.Join(later, "\n") == strings.Join(first, "\n") {
		t.Errorf("four hours later: gen %d, chart changed %v", c.gen, strings.Join(later, "\n") != strings.Join(first, "\n"))
	}
	// And what is drawn again is what a fresh cache draws.
	var fresh chartCache
	if got := fresh.get(st, in(s.Clock+4*time.Hour)); strings.Join(got, "\n") != strings.Join(later, "\n") {
		t.Errorf("the cached chart differs from a fresh one")
	}
}

func TestChartEnd(t *testing.T) {
	const h = time.Hour
	draining := func(eta time.Duration) model.Forecast { return model.Forecast{OK: true, Draining: true, ETA: eta} }
	tests := []struct {
		name       string
		end, clock time.Duration
		fc, wf     model.Forecast
		want       time.Duration
	}{
		{name: "no forecast", end: 76 * h, clock: 6 * h, want: 76 * h},
		{name: "ETA inside the scenario", end: 76 * h, clock: 48 * h, fc: draining(60 * h), want: 76 * h},
		// 76h/8 = 9.5h: the unit is the first tick step at least that,
		// 12h; the ETA T+80:07 rounds up to T+84h.
		{name: "ETA past the end", end: 76 * h, clock: 48 * h, fc: draining(80*h + 7*time.Minute), want: 84 * h},
		// Never more than twice the end: 152h, rounded to the unit.
		{name: "ETA far out", end: 76 * h, clock: 48 * h, fc: draining(400 * h), want: 156 * h},
		// Live: end is the clock, 8h; an eighth is 1h, and the forecast
		// gets room to T+9h even when not draining.
		{name: "live, not draining", end: 5 * h, clock: 8 * h, fc: model.Forecast{OK: true}, want: 9 * h},
		{name: "what-if later than the forecast", end: 76 * h, clock: 48 * h, fc: draining(60 * h), wf: draining(90 * h), want: 96 * h},
		{name: "cleared", end: 76 * h, clock: 70 * h, fc: model.Forecast{OK: true, Cleared: true}, want: 76 * h},
	}
	for _, tt := range tests {
		if got := chartEnd(tt.end, tt.clock, tt.fc, tt.wf); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}
