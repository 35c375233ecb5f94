package tui

import (
	"sort"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// backlogPane charts the orders waiting from T+0 with a marker at the
// clock, the forecast from there to its ETA (its range as a band, a
// what-if as a second path) and the backlog's normal level, and states the
// size, the late orders, the rate, the peak and the ETA. Zoomed, it adds
// the backlog stacked by promise class. Each part is cached on what it is
// made from: the figures on the forecast, the chart on its layout in cells
// (a clock move that changes no column draws nothing), the box on both.
type backlogPane struct {
	stats    memo[statsKey]
	statsGen int
	chart    chartCache
	stack    stackCache
	legend   memo[legendKey]
	box      memo[backlogKey]

	lwYMax float64 // the scale widestYLabel was found for
	lw     int

	projKey  whatIfKey
	projOK   bool
	proj, wp model.Projection
}

// statsKey is what the figures under the chart are made from. A
// forecast's Now is left out: it moves with the clock, the figures do not.
type statsKey struct {
	rev, epoch, n int
	fc, wf        model.Forecast
	whatIf        model.WhatIf
	w, lines      int
	flagged       firingFigures // the figures a firing alert marks
}

// backlogKey is what the box is made from: its parts' generations.
type backlogKey struct {
	stats, chart, stack int
	legend              bool
	w, h                int
	focused, zoomed     bool
	whatIf              model.WhatIf
	alert               string // the failing sources, as text
}

type legendKey struct {
	w             int
	band, whatIf  bool
	base, history bool
}

func (p *backlogPane) view(f frame) []string {
	s := f.snap
	cw, ch := f.inner()
	pts := visiblePoints(s.State.Backlog.Points, s.Clock)
	fc := f.facts.Forecast(s)
	wi := s.State.WhatIf
	wiOn := whatIfOn(wi) && len(pts) > 0
	var wf model.Forecast
	if wiOn {
		wf = f.facts.WhatIf(s)
	}

	// Zoomed, the stacked chart by promise class takes the lower part,
	// when the backlog has a split to show.
	stackH := 0
	if f.zoomed && len(s.State.Backlog.Classes) > 0 && ch >= 14 {
		stackH = ch / 2
		if ch >= 30 {
			stackH = ch * 2 / 5
		}
	}
	top := ch - stackH
	// The figures take one or two lines; the chart gets the rest, if
	// that is enough for a chart. A what-if adds its line under the figures.
	avail := top
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
	sk := statsKey{s.State.Rev.Backlog, s.State.Epoch, len(pts), fc, wf, wi, cw, maxStats, figuresFiring(&s.State)}
	sk.fc.Now, sk.wf.Now = 0, 0
	stats := p.stats.get(sk, func() []string {
		p.statsGen++
		lines := backlogStats(f, pts, cw, maxStats)
		if wiOn {
			lines = append(lines, whatIfLine(f.st, s, fc, wf, cw))
		}
		return lines
	})

	chartH := top - len(stats)
	legend := chartH >= 9 && len(pts) > 0
	if legend {
		chartH--
	}
	var chart []string
	end := chartEnd(s.End, s.Clock, fc, wf)
	yMax := niceCeil(float64(s.State.Backlog.Peak) * 1.1)
	lw := 0 // one above the other, the charts share their y axis's column
	if stackH > 0 {
		if p.lwYMax != yMax || p.lw == 0 {
			p.lwYMax, p.lw = yMax, widestYLabel(yMax)
		}
		lw = p.lw
	}
	if chartH >= 4 {
		proj, wp := p.projections(s)
		chart = p.chart.get(f.st, chartInput{
			pts: pts, end: end, clock: s.Clock,
			yMax: yMax, minLabelW: lw, w: cw, h: chartH,
			proj: proj, what: wp, baseline: s.State.Backlog.Baseline(),
		})
	}
	var stack []string
	if stackH > 0 {
		stack = p.stack.get(f.st, s, pts, end, cw, stackH, lw)
	}

	k := backlogKey{p.statsGen, p.chart.gen, p.stack.gen, legend, f.w, f.h, f.focused, f.zoomed, wi, f.alert.key}
	if chartH < 4 {
		k.chart = -1
	}
	if stackH == 0 {
		k.stack = -1
	}
	return p.box.get(k, func() []string {
		extra := ""
		if wiOn {
			extra = "what-if " + factorText(wi.Factor)
		}
		body := make([]string, 0, ch)
		body = append(body, chart...)
		if legend && chart != nil {
			l := &p.chart.cur
			lk := legendKey{cw, len(l.proj) > 0, len(l.what) > 0, l.base > 0, len(l.hist) > 0}
			body = append(body, p.legend.get(lk, func() []string { return []string{chartLegend(f.st, lk)} })...)
		}
		body = append(body, stats...)
		body = append(body, stack...)
		return f.st.box(boxSpec{digit: int(paneBacklog), name: "Delivery backlog", extra: extra, focused: f.focused, alert: f.alert}, body, f.w, f.h)
	})
}

// projections are the forecast's and the what-if's paths at the clock,
// computed when the backlog, the clock or the what-if changed.
func (p *backlogPane) projections(s *room.Snapshot) (proj, wp model.Projection) {
	k := whatIfKey{s.State.Rev.Backlog, s.State.Epoch, s.Clock, s.State.WhatIf}
	if !p.projOK || k != p.projKey {
		p.projKey, p.projOK = k, true
		opt := model.ForecastOptions{Target: s.State.Backlog.Baseline()}
		// At the state's time, as the forecast shown beside it is; the
		// what-if at the clock, as its figures are.
		p.proj = model.ProjectBacklog(s.State.Backlog.Points, s.State.Now, opt)
		p.wp = model.Projection{}
		if whatIfOn(s.State.WhatIf) {
			p.wp = model.ProjectWhatIf(s.State.Backlog.Points, s.Clock, opt, s.State.WhatIf)
		}
	}
	return p.proj, p.wp
}

// chartLegend names the chart's marks, as many as fit: "─ seen • forecast
// ░ range ╌ normal × what-if".
func chartLegend(st *Styles, k legendKey) string {
	type mark struct {
		p           paint
		glyph       string
		long, terse string
		on          bool
	}
	marks := []mark{
		{st.Line, "─", "seen", "seen", k.history},
		{st.Forecast, string(runeForecast), "forecast", "fcst", k.band},
		{st.Band, string(runeBand), "range", "range", k.band},
		{st.Baseline, string(runeBaseline), "normal", "norm", k.base},
		{st.Inject, string(runeWhatIf), "what-if", "w-if", k.whatIf},
	}
	for _, terse := range []bool{false, true} {
		var parts []string
		n := 0
		for _, m := range marks {
			if !m.on {
				continue
			}
			word := m.long
			if terse {
				word = m.terse
			}
			parts = append(parts, m.p.on(m.glyph)+" "+st.Dim.on(word))
			n += 2 + len(word) + 2
		}
		if n-2 <= k.w || terse {
			return trunc(strings.Join(parts, "  "), k.w)
		}
	}
	return ""
}

// visiblePoints is the backlog as known at the clock: in replay the future
// is unknown, so nothing after it is drawn.
func visiblePoints(pts []model.BacklogPoint, clock time.Duration) []model.BacklogPoint {
	n := sort.Search(len(pts), func(i int) bool { return pts[i].At > clock })
	return pts[:n]
}

// lateText is the late orders as their own figure, "! 31k late", or ""
// when the source does not report them.
func lateText(st *Styles, p model.BacklogPoint) string {
	if !p.HasLate {
		return ""
	}
	if p.Late == 0 {
		return st.Good.on("0 late")
	}
	return st.Bad.on("! " + fmtCount(float64(p.Late)) + " late")
}

// backlogStats is the figures line(s): "1.42M waiting · ! 31k late ·
// −38k/h · peak 2.1M at T+12:30 · ETA Jul 21 09:00 (Jul 20 22:00–Jul 22
// 03:00)". When the width is short, the peak and the rate go and the range
// is written relative to the ETA ("(−11h…+18h)"); the range itself and
// the late orders never go.
func backlogStats(f frame, pts []model.BacklogPoint, w, lines int) []string {
	st, s := f.st, f.snap
	if lines <= 0 {
		return nil
	}
	if len(pts) == 0 {
		return []string{st.Dim.on("no backlog data yet")}
	}
	last := pts[len(pts)-1]
	fc := f.facts.Forecast(s)
	waiting := st.Bold.on(fmtCount(float64(last.Waiting)) + " waiting")
	late := lateText(st, last)
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
	// A firing alert marks the figure it watches, as its border says.
	if fl := figuresFiring(&s.State); fl.waiting || fl.eta {
		if fl.waiting {
			waiting = flag(st, waiting)
		}
		if fl.eta {
			etaLong, etaShort = flag(st, etaLong), flag(st, etaShort)
		}
	}

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
			{join(waiting, late, rate, peak, etaLong)},
			{join(waiting, late, rate, peak), etaLong},
			{join(waiting, late, rate), etaLong},
			{join(waiting, late, rate), etaShort},
			{join(waiting, late), etaShort},
		}
	}
	// The last resort keeps the figures and drops the words.
	terse := fmtCount(float64(last.Waiting))
	if late != "" {
		terse += " · " + late
	}
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
		[]string{join(waiting, late, rate, peak, etaLong)},
		[]string{join(waiting, late, rate, etaLong)},
		[]string{join(waiting, late, rate, etaShort)},
		[]string{join(waiting, late, etaShort)},
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
