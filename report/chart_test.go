package report

import (
	"math"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// The burn-down shows what waited up to the report's moment and, while the
// backlog drains, the forecast after it out to its ETA; once cleared, no
// forecast.
func TestBurndownColumns(t *testing.T) {
	sc := defaultScenario(t)
	for _, tc := range []struct {
		at           time.Duration
		wantForecast bool
	}{
		{30 * h, true},    // draining: the forecast is drawn on
		{sc.End(), false}, // cleared at T+66:00
		{10 * h, false},   // still growing: no ETA to draw
	} {
		r := Build(input(sc, tc.at))
		cols := r.Burndown
		if len(cols) != chartCols+1 || cols[0].At != 0 {
			t.Fatalf("at %v: %d columns from %v", tc.at, len(cols), cols[0].At)
		}
		forecast := false
		for _, c := range cols {
			if c.At <= tc.at && math.IsNaN(c.Waiting) {
				t.Errorf("at %v: nothing waiting drawn at %v", tc.at, c.At)
			}
			if c.At > tc.at && !math.IsNaN(c.Waiting) {
				t.Errorf("at %v: a backlog drawn at %v, after the report's moment", tc.at, c.At)
			}
			if !math.IsNaN(c.Mid) {
				forecast = true
				if c.Lo > c.Mid || c.Mid > c.Hi {
					t.Errorf("at %v: forecast band %v–%v does not hold %v at %v", tc.at, c.Lo, c.Hi, c.Mid, c.At)
				}
			}
		}
		if forecast != tc.wantForecast {
			t.Errorf("at %v: forecast drawn %v, want %v", tc.at, forecast, tc.wantForecast)
		}
		last := cols[len(cols)-1].At
		f := model.ForecastBacklog(input(sc, tc.at).State.Backlog.Points, tc.at, model.ForecastOptions{Target: r.Impact.Baseline})
		if tc.wantForecast && (last < f.ETA || last > 3*tc.at) {
			t.Errorf("at %v: the chart ends at %v, want past the ETA %v and no later than 3×", tc.at, last, f.ETA)
		}
		if !tc.wantForecast && last != tc.at {
			t.Errorf("at %v: the chart ends at %v, want at the report's moment", tc.at, last)
		}
	}
}
