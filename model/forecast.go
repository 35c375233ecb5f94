package model

import (
	"math"
	"sort"
	"time"
)

// DefaultForecastWindow is how far back a forecast fits when
// ForecastOptions.Window is zero.
const DefaultForecastWindow = 3 * time.Hour

// ForecastOptions tunes a forecast.
type ForecastOptions struct {
	Window time.Duration // how far back to fit; default 3h when zero or negative
	Target int64         // the level that counts as cleared; default 0
}

// Forecast is what the recent backlog says about the future. When OK is false
// only Now, Target, Waiting and Points are set.
type Forecast struct {
	Now      time.Duration // the moment forecast for
	Target   int64         // the level the ETA is for (ForecastOptions.Target)
	Waiting  int64         // backlog at Now (last observation at or before Now)
	Rate     float64       // orders per hour over the window; negative when draining
	Points   int           // observations used
	Draining bool          // Rate < 0 and the target is reached within a useful horizon
	Cleared  bool          // Waiting <= Target already
	// ETA is the offset (from T+0) when the backlog reaches Target, valid
	// when Draining, rounded to the minute.
	ETA time.Duration
	// Early and Late bound the ETA (Early <= ETA <= Late), from the slope
	// plus and minus two standard errors. Late = -1 means "no upper bound":
	// the pessimistic rate is not draining.
	Early, Late time.Duration
	OK          bool // enough data (>= 3 points in window) to say anything
}

// maxETA keeps ETAs well inside time.Duration's range; a backlog that would
// take longer than this (about 146 years) is not draining in any useful sense.
const maxETA = float64(1 << 62)

// ForecastBacklog fits a straight line (ordinary least squares) to the
// observations with now-Window < At <= now and projects when the backlog
// reaches opt.Target. Observations after now are never used. points must be
// in time order, as Backlog.Points is. It does not allocate and costs
// O(log n + points in the window).
func ForecastBacklog(points []BacklogPoint, now time.Duration, opt ForecastOptions) Forecast {
	window := opt.Window
	f := Forecast{Now: now, Target: opt.Target}
	in, hi := windowAt(points, now, window)
	if hi == 0 {
		return f
	}
	f.Waiting = points[hi-1].Waiting
	f.Points = len(in)
	if len(in) < 3 {
		return f
	}

	slope, se, ok := fitLine(in, now)
	if !ok {
		return f
	}
	f.OK = true
	f.Rate = slope
	if f.Waiting <= opt.Target {
		f.Cleared = true
		return f
	}
	if slope >= 0 {
		return f
	}
	// Project from the last observation, not from now: with no new data the
	// ETA must stay where it is rather than slide later as time passes.
	last := points[hi-1].At
	gap := float64(f.Waiting - opt.Target)
	eta, ok := reachAt(last, gap, slope)
	if !ok {
		return f // so slow that it is not draining in any useful sense
	}
	f.Draining = true
	f.ETA = eta
	f.Early, _ = reachAt(last, gap, slope-2*se) // steeper: never later than ETA
	f.Late = -1
	if shallow := slope + 2*se; shallow < 0 {
		if late, ok := reachAt(last, gap, shallow); ok {
			f.Late = late
		}
	}
	return f
}

// windowAt is the observations a forecast at now fits (now-window < At <=
// now) and the index of the first observation after now.
func windowAt(points []BacklogPoint, now, window time.Duration) (in []BacklogPoint, hi int) {
	if window <= 0 {
		window = DefaultForecastWindow
	}
	hi = sort.Search(len(points), func(i int) bool { return points[i].At > now })
	from := now - window
	if from > now { // overflow for very early now: everything before now counts
		from = math.MinInt64
	}
	lo := sort.Search(hi, func(i int) bool { return points[i].At > from })
	return points[lo:hi], hi
}

// fitLine returns the least-squares slope of Waiting against time, in orders
// per hour, and its standard error (fitSeries does the arithmetic).
func fitLine(in []BacklogPoint, now time.Duration) (slope, se float64, ok bool) {
	return fitSeries(in, now, func(p BacklogPoint) (time.Duration, float64) { return p.At, float64(p.Waiting) })
}

// fitSeries returns the least-squares slope of a series' values against
// time, in units per hour, and its standard error; at gives each point's
// time and value. Times are taken relative to now, in hours, and sums are
// centred for accuracy. ok is false when all points share one time, so that
// no slope exists. The backlog and the host forecasts share it.
func fitSeries[P any](in []P, now time.Duration, at func(P) (time.Duration, float64)) (slope, se float64, ok bool) {
	hours := func(t time.Duration) float64 { return float64(t-now) / float64(time.Hour) }
	n := float64(len(in))
	var sx, sy float64
	for _, p := range in {
		t, y := at(p)
		sx += hours(t)
		sy += y
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for _, p := range in {
		t, y := at(p)
		dx := hours(t) - mx
		sxx += dx * dx
		sxy += dx * (y - my)
	}
	if sxx == 0 {
		return 0, 0, false
	}
	slope = sxy / sxx
	var rss float64
	for _, p := range in {
		t, y := at(p)
		r := y - my - slope*(hours(t)-mx)
		rss += r * r
	}
	se = math.Sqrt(rss / (n - 2) / sxx)
	return slope, se, true
}

// reachAt is when a backlog gap above the target closes at rate (< 0) orders
// per hour, counting from a moment, rounded to the minute; false when that lies
// beyond maxETA.
func reachAt(from time.Duration, gap, rate float64) (time.Duration, bool) {
	d := float64(from) + gap/-rate*float64(time.Hour)
	if !(d < maxETA) { // also catches NaN and +Inf
		return 0, false
	}
	return time.Duration(d).Round(time.Minute), true
}

// String renders a short human summary used in sitrep text, for example
// "draining 38k/h, clear ~T+54:10 (T+49:00–T+61:30)", "not draining (+12k/h)",
// "cleared" or "not enough data". With a non-zero target it says "to 200k"
// instead of "clear", and "(no upper bound)" stands for a Late of -1.
func (f Forecast) String() string {
	switch {
	case !f.OK:
		return "not enough data"
	case f.Cleared:
		if f.Target != 0 {
			return "cleared (at or below " + CompactFloat(float64(f.Target)) + ")"
		}
		return "cleared"
	case !f.Draining:
		return "not draining (" + Signed(f.Rate) + "/h" + ")"
	}
	goal := "clear"
	if f.Target != 0 {
		goal = "to " + CompactFloat(float64(f.Target))
	}
	late := "no upper bound"
	if f.Late >= 0 {
		late = FormatOffset(f.Late)
	}
	return "draining " + CompactFloat(-f.Rate) + "/h, " + goal + " ~" + FormatOffset(f.ETA) +
		" (" + FormatOffset(f.Early) + "–" + late + ")"
}
