package model

import (
	"slices"
	"time"
)

// DefaultHostForecastWindow is how far back a host group's forecast fits.
const DefaultHostForecastWindow = 3 * time.Hour

// minHostFitPoints is the fewest reports a host forecast fits: a line
// through two points has no error to give a range from.
const minHostFitPoints = 3

// HostOutlook is where a host group's recovery is going.
type HostOutlook string

const (
	OutlookUnknown    HostOutlook = "unknown"     // fewer than 3 reports: nothing to fit
	OutlookRecovering HostOutlook = "recovering"  // hosts come back: an ETA
	OutlookStalled    HostOutlook = "stalled"     // it got hosts back before, none over the window
	OutlookNoProgress HostOutlook = "no progress" // no more back than at its first report
	OutlookDone       HostOutlook = "done"        // every host back
)

// HostForecast is what a host group's recent reports say about when all of
// its hosts will be back.
type HostForecast struct {
	Now       time.Duration
	Recovered int     // at the last report at or before Now
	Total     int     // the group's hosts
	Rate      float64 // hosts per hour, fitted; 0 unless at least 3 reports
	Points    int     // reports fitted
	Outlook   HostOutlook
	// ETA is when every host is back, valid when Outlook is recovering,
	// rounded to the minute. Early and Late bound it from the fitted rate
	// plus and minus two standard errors, as the backlog's ETA; Late = -1
	// means no upper bound (the pessimistic rate recovers nothing).
	ETA, Early, Late time.Duration
}

// ForecastHostGroup fits a straight line to a group's recovered count over
// the window that ends at its last report at or before now (not at now:
// late in an incident reports come hours apart, and a quiet hour is not a
// stall; a source that stops reporting is stale, which its health says) and
// projects when the rest of its total is back. The fit takes at least the
// last 3 reports even when they span more than the window. Reports after now
// are never used. history must be in time order, as HostGroup.History is.
func ForecastHostGroup(history []HostPoint, total int, now, window time.Duration) HostForecast {
	if window <= 0 {
		window = DefaultHostForecastWindow
	}
	f := HostForecast{Now: now, Total: total, Outlook: OutlookUnknown}
	hi, _ := slices.BinarySearchFunc(history, now, func(p HostPoint, t time.Duration) int {
		if p.At <= t {
			return -1
		}
		return 1
	})
	if hi == 0 || total <= 0 {
		return f
	}
	last := history[hi-1]
	f.Recovered = last.Recovered
	if total > 0 && last.Recovered >= total {
		f.Outlook = OutlookDone
		return f
	}
	lo, _ := slices.BinarySearchFunc(history[:hi], last.At-window, func(p HostPoint, t time.Duration) int {
		if p.At <= t {
			return -1
		}
		return 1
	})
	lo = min(lo, max(hi-minHostFitPoints, 0))
	in := history[lo:hi]
	f.Points = len(in)
	if len(in) < minHostFitPoints {
		return f
	}
	slope, se, ok := fitSeries(in, last.At, func(p HostPoint) (time.Duration, float64) { return p.At, float64(p.Recovered) })
	if !ok {
		return f
	}
	f.Rate = slope
	gap := float64(total - last.Recovered)
	eta, reach := reachAt(last.At, gap, -slope)
	if slope <= 0 || !reach {
		f.Outlook = OutlookStalled
		if last.Recovered <= history[0].Recovered {
			f.Outlook = OutlookNoProgress
		}
		return f
	}
	f.Outlook = OutlookRecovering
	f.ETA = eta
	f.Early, _ = reachAt(last.At, gap, -(slope + 2*se)) // faster: never later than ETA
	f.Late = -1
	if slow := slope - 2*se; slow > 0 {
		if late, ok := reachAt(last.At, gap, -slow); ok {
			f.Late = late
		}
	}
	return f
}

// Forecast is the group's forecast at now over the default window.
func (g HostGroup) Forecast(now time.Duration) HostForecast {
	return ForecastHostGroup(g.History, g.Total, now, DefaultHostForecastWindow)
}

// AllHostsForecast is when every host of every group that has reported is
// back: when the last group is. It has an ETA only when every such group
// is done or recovering; a group stalled, without progress or with too few
// reports leaves the whole without one, and says so by its count.
type AllHostsForecast struct {
	Groups     int // groups that have reported
	Done       int
	Recovering int
	Stalled    int // stalled or without progress
	Unknown    int // too few reports
	// ETA, Early and Late are the latest of the recovering groups'
	// (Late -1 when any group's is), valid when OK.
	ETA, Early, Late time.Duration
	OK               bool // every group done or recovering, at least one recovering
}

// AllBack reports whether every group that reported has all its hosts back.
func (a AllHostsForecast) AllBack() bool { return a.Groups > 0 && a.Done == a.Groups }

// ForecastAllHosts combines the groups' forecasts.
func ForecastAllHosts(groups []HostForecast) AllHostsForecast {
	var a AllHostsForecast
	for _, f := range groups {
		a.Groups++
		switch f.Outlook {
		case OutlookDone:
			a.Done++
		case OutlookRecovering:
			if a.Recovering == 0 || f.ETA > a.ETA {
				a.ETA = f.ETA
			}
			if a.Recovering == 0 || f.Early > a.Early {
				a.Early = f.Early
			}
			if a.Recovering == 0 || (a.Late >= 0 && (f.Late < 0 || f.Late > a.Late)) {
				a.Late = f.Late
			}
			a.Recovering++
		case OutlookStalled, OutlookNoProgress:
			a.Stalled++
		default:
			a.Unknown++
		}
	}
	a.OK = a.Recovering > 0 && a.Stalled == 0 && a.Unknown == 0
	return a
}

// HostsForecast forecasts every group, in the order of s.Hosts, and their
// whole; groups never reported are left out of the whole, as HostTotals
// leaves them out (their own forecast is unknown).
func (s State) HostsForecast(now time.Duration) ([]HostForecast, AllHostsForecast) {
	fs := make([]HostForecast, len(s.Hosts))
	seen := make([]HostForecast, 0, len(s.Hosts))
	for i, g := range s.Hosts {
		fs[i] = g.Forecast(now)
		if g.Seen {
			seen = append(seen, fs[i])
		}
	}
	return fs, ForecastAllHosts(seen)
}
