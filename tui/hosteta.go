package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// hostForecasts caches the host groups' forecasts and their whole: the
// pane, its zoom and the footer read them. A forecast reads the reports up
// to the clock; once the clock is past every event applied (the state's
// Now), as it is but when looking back, it no longer matters, and they
// change only when a report arrives. The buffers are reused.
type hostForecasts struct {
	key struct {
		rev, epoch, n int
		clock         time.Duration // -1: past every event
	}
	ok     bool
	groups []model.HostForecast // by index in State.Hosts
	seen   []model.HostForecast // the groups that have reported
	all    model.AllHostsForecast
}

func (c *hostForecasts) get(s *room.Snapshot) ([]model.HostForecast, model.AllHostsForecast) {
	k := c.key
	k.rev, k.epoch, k.n, k.clock = s.State.Rev.Hosts, s.State.Epoch, len(s.State.Hosts), s.Clock
	if s.Clock >= s.State.Now {
		k.clock = -1
	}
	if !c.ok || k != c.key {
		c.key, c.ok = k, true
		c.groups, c.seen = c.groups[:0], c.seen[:0]
		for _, g := range s.State.Hosts {
			f := g.Forecast(s.Clock)
			c.groups = append(c.groups, f)
			if g.Seen {
				c.seen = append(c.seen, f)
			}
		}
		c.all = model.ForecastAllHosts(c.seen)
	}
	return c.groups, c.all
}

// groupETA is a group's ETA column, relative to the clock: "11h (9–16h)"
// with its range, "11h" without; or what it says instead: "done",
// "stalled", "no gain" (nothing back since its first report), "due" (the
// ETA passed with no report of it) and "–" (too few reports to fit).
func groupETA(f model.HostForecast, now time.Duration, withRange bool) string {
	switch f.Outlook {
	case model.OutlookDone:
		return "✓"
	case model.OutlookStalled:
		return "stalled"
	case model.OutlookNoProgress:
		return "no gain"
	case model.OutlookRecovering:
	default:
		return "–"
	}
	if f.ETA <= now {
		return "due"
	}
	eta := fmtSpanH(f.ETA - now)
	if !withRange {
		return eta
	}
	return eta + " (" + spanRange(f.Early-now, f.Late-now, f.Late < 0) + ")"
}

// spanRange writes a range of spans from now, its ends rounded outwards so
// that it never reads narrower than it is: "9–16h" when both ends share a
// unit, "40m–2h" when not, "9h+" with no upper bound.
func spanRange(early, late time.Duration, open bool) string {
	e := spanRounded(max(early, 0), false)
	if open {
		return e + "+"
	}
	l := spanRounded(late, true)
	if eu, lu := e[len(e)-1], l[len(l)-1]; eu == lu {
		return e[:len(e)-1] + "–" + l
	}
	return e + "–" + l
}

// spanUnit is the unit fmtSpanH writes a span in.
func spanUnit(d time.Duration) (time.Duration, string) {
	switch {
	case d < time.Hour:
		return time.Minute, "m"
	case d < 99*time.Hour+30*time.Minute:
		return time.Hour, "h"
	}
	return 24 * time.Hour, "d"
}

// spanRounded writes a span in its unit, rounded down or up.
func spanRounded(d time.Duration, up bool) string {
	u, name := spanUnit(d)
	n := d / u
	if up && d%u != 0 {
		n++
	}
	return strconv.Itoa(int(n)) + name
}

// fmtSpanH is fmtSpan counting hours up to 99 before days, so that a range
// a day or two out still reads in hours: 52h (50–55h), not 2d (2–2d).
func fmtSpanH(d time.Duration) string {
	if d >= 48*time.Hour && d < 99*time.Hour+30*time.Minute {
		return strconv.Itoa(int((d+30*time.Minute)/time.Hour)) + "h"
	}
	return fmtSpan(d)
}

// etaPaint is how a group's ETA column is painted: a stall is bad news,
// an ETA passed without a report a warning; the words say it without colour.
func etaPaint(st *Styles, f model.HostForecast, now time.Duration) paint {
	switch {
	case f.Outlook == model.OutlookStalled, f.Outlook == model.OutlookNoProgress:
		return st.Bad
	case f.Outlook == model.OutlookRecovering && f.ETA <= now:
		return st.Warn
	case f.Outlook == model.OutlookDone, f.Outlook == model.OutlookUnknown:
		return st.Dim
	}
	return paint{}
}

// allHostsText is the footer's total: when every host is back, as wall
// time with its range (the backlog's ETA form), or why there is no ETA.
// form etaCompact writes the range relative to the ETA. "" before any
// group has reported.
func allHostsText(st *Styles, s *room.Snapshot, a model.AllHostsForecast, form etaForm) string {
	switch {
	case a.Groups == 0:
		return ""
	case a.AllBack():
		return "all hosts back"
	case a.Stalled > 0:
		return "all hosts: no ETA, " + plural(a.Stalled, "group") + " stalled"
	case a.Unknown > 0:
		return "all hosts: no ETA yet, " + plural(a.Unknown, "group") + " with too few reports"
	case !a.OK:
		return "all hosts: no ETA"
	}
	sc := s.Scenario
	if a.ETA <= s.Clock {
		return "all hosts due back: ETA " + st.wallShort(sc.WallTime(a.ETA)) + " passed, not reported yet"
	}
	return etaRange(st, s, "all hosts back ETA ", a.ETA, a.Early, a.Late, form)
}

// allHostsShort is the total in a few cells for the pane's total line:
// "all in 30h", "all back", "1 stalled".
func allHostsShort(a model.AllHostsForecast, now time.Duration) string {
	switch {
	case a.Groups == 0:
		return ""
	case a.AllBack():
		return "all back"
	case a.Stalled > 0:
		return itoa(a.Stalled) + " stalled"
	case !a.OK:
		return "no ETA yet"
	case a.ETA <= now:
		return "all due"
	}
	return "all in " + fmtSpan(a.ETA-now)
}

// footerHosts puts the all-hosts ETA into the footer's status line,
// between where the view stands and who you are, in the longest form that
// fits w.
func footerHosts(st *Styles, s *room.Snapshot, a model.AllHostsForecast, position, who string, w int) string {
	for _, form := range []etaForm{etaFull, etaCompact} {
		t := allHostsText(st, s, a, form)
		if t == "" {
			break
		}
		if line := strings.Join([]string{position, t, who}, " · "); width(line) <= w {
			return line
		}
	}
	return position + " · " + who
}
