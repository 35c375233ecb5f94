package tui

import (
	"sort"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
)

// backlogPane charts the orders waiting from T+0 to the scenario's end with a
// marker at the clock, and states the size, the rate, the peak and the ETA.
// The chart is re-drawn only when a point arrives, the size changes or the
// clock moves the marker by a whole column; the figures below it only when
// the minute changes.
type backlogPane struct {
	chart memo[chartKey]
	box   memo[backlogKey]
}

// backlogKey is what the pane depends on. The clock counts by the minute:
// the figures show minutes, and a chart column spans more than a minute
// for any scenario over an hour long.
type backlogKey struct {
	rev, epoch, n   int
	end             int64
	minute          int64
	w, h            int
	focused, zoomed bool
	whatIf          model.WhatIf
	alert           string // the failing sources, as text
}

func (p *backlogPane) view(f frame) []string {
	s := f.snap
	cw, ch := f.inner()
	pts := visiblePoints(s.State.Backlog.Points, s.Clock)
	// The figures take one or two lines; the chart gets the rest, if
	// that is enough for a chart.
	// A what-if adds its line under the figures.
	wi := s.State.WhatIf
	wiOn := whatIfOn(wi) && len(pts) > 0
	avail := ch
	if wiOn {
		avail--
	}
	// Two lines of figures as soon as the chart keeps five rows: the ETA
	// and its range must fit next to the size at 80 columns.
	maxStats := 1
	if avail >= 7 {
		maxStats = 2
	}
	if avail-maxStats < 4 {
		maxStats = max(avail, 0)
	}
	k := backlogKey{s.State.Rev.Backlog, s.State.Epoch, len(pts), int64(s.End), minute(s.Clock), f.w, f.h, f.focused, f.zoomed, wi, f.alert.key}
	return p.box.get(k, func() []string {
		stats := backlogStats(f, pts, cw, maxStats)
		extra := ""
		if wiOn {
			stats = append(stats, whatIfLine(f.st, s, f.facts.Forecast(s), f.facts.WhatIf(s), cw))
			extra = "what-if " + factorText(wi.Factor)
		}
		var body []string
		if chartH := ch - len(stats); chartH >= 4 {
			ck := newChartKey(s, len(pts), cw, chartH)
			body = append(body, p.chart.get(ck, func() []string {
				return drawBacklogChart(f.st, pts, ck)
			})...)
		}
		body = append(body, stats...)
		return f.st.box(boxSpec{digit: int(paneBacklog), name: "Delivery backlog", extra: extra, focused: f.focused, alert: f.alert}, body, f.w, f.h)
	})
}

// visiblePoints is the backlog as known at the clock: in replay the future
// is unknown, so nothing after it is drawn.
func visiblePoints(pts []model.BacklogPoint, clock time.Duration) []model.BacklogPoint {
	n := sort.Search(len(pts), func(i int) bool { return pts[i].At > clock })
	return pts[:n]
}

// backlogStats is the figures line(s): "1.42M waiting · −38k/h · peak 2.1M
// at T+12:30 · ETA Jul 21 09:00 (Jul 20 22:00–Jul 22 03:00)". When the
// width is short, the peak and the rate go and the range is written
// relative to the ETA ("(−11h…+18h)"); the range itself never goes.
func backlogStats(f frame, pts []model.BacklogPoint, w, lines int) []string {
	st, s := f.st, f.snap
	if lines <= 0 {
		return nil
	}
	if len(pts) == 0 {
		return []string{st.Dim.on("no backlog data yet")}
	}
	fc := f.facts.Forecast(s)
	waiting := st.Bold.on(fmtCount(float64(pts[len(pts)-1].Waiting)) + " waiting")
	rate := ""
	if fc.OK && fc.Draining {
		rate = st.Good.on(fmtRate(fc.Rate))
	} else if fc.OK && !fc.Cleared {
		rate = "" // "not draining (+12k/h)" says it
	}
	peak := ""
	if b := s.State.Backlog; b.Peak > 0 {
		peak = "peak " + fmtCount(float64(b.Peak)) + " at " + model.FormatOffset(b.PeakAt)
	}
	etaP := st.Bold
	if fc.OK && !fc.Draining && !fc.Cleared {
		etaP = st.Bad
	}
	etaLong := etaP.on(etaText(st, s, fc, etaFull))
	etaShort := etaP.on(etaText(st, s, fc, etaCompact))

	join := func(parts ...string) string {
		var kept []string
		for _, p := range parts {
			if p != "" {
				kept = append(kept, p)
			}
		}
		return strings.Join(kept, " · ")
	}
	var candidates [][]string
	if lines >= 2 {
		candidates = [][]string{
			{join(waiting, rate, peak, etaLong)},
			{join(waiting, rate, peak), etaLong},
			{join(waiting, rate), etaLong},
			{join(waiting, rate), etaShort},
			{waiting, etaShort},
		}
	}
	// The last resort keeps the figures and drops the words.
	terse := fmtCount(float64(pts[len(pts)-1].Waiting))
	if fc.OK {
		terse += " · " + fmtRate(fc.Rate)
	}
	switch {
	case fc.OK && fc.Draining:
		terse += " · " + etaText(st, s, fc, etaCompact)
	case fc.OK && fc.Cleared:
		terse += " · cleared"
	case fc.OK:
		terse += " · " + st.Bad.on("not draining")
	}
	candidates = append(candidates,
		[]string{join(waiting, rate, peak, etaLong)},
		[]string{join(waiting, rate, etaLong)},
		[]string{join(waiting, rate, etaShort)},
		[]string{join(waiting, etaShort)},
		[]string{terse},
	)
	for _, c := range candidates {
		ok := true
		for _, l := range c {
			ok = ok && width(l) <= w
		}
		if ok {
			return c
		}
	}
	return []string{terse} // the box truncates it
}
