package tui

import (
	"strings"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// briefLayout is where the briefing's parts go at one size.
type briefLayout struct {
	perRow  int // figures side by side: 4, or 2 in two rows
	scale   int // of the large type; 0: the figures in normal type
	tilesH  int // lines of the figures, with the blank line between rows
	chartH  int // the chart's box
	recentH int // the timeline's box
}

// The briefing's proportions: the timeline's last lines by height, the
// least a chart is worth drawing in, and the share of the height the
// figures may take (more would starve the chart).
const (
	briefMinChartBox = 8
	briefMaxScale    = 8
)

func briefRecentLines(h int) int {
	switch {
	case h < 20:
		return 2
	case h < 30:
		return 3
	case h < 40:
		return 4
	}
	return 6
}

// tileWidths splits w cells into n figures with a one-cell rule between
// them.
func tileWidths(w, n int) []int {
	inner := w - (n - 1)
	out := make([]int, n)
	for i := range out {
		out[i] = inner / n
		if i < inner%n {
			out[i]++
		}
	}
	return out
}

// layoutBriefing picks the largest type every figure fits in, four in a
// row or two by two (four in a row when both give the same size), within
// the figures' share of the height; normal type when no scale fits.
func layoutBriefing(figs [4]briefFigure, w, h int) briefLayout {
	l := briefLayout{recentH: briefRecentLines(h) + 2}
	budget := min(h*9/20, h-1-l.recentH-briefMinChartBox)
	tileH := func(scale int) int { return 2 + bigHeight(scale) } // label, type, the line under
	// Normal type two by two reads better than four cut short, where
	// there is the height.
	best := briefLayout{perRow: 4}
	if w < 100 && 7 <= h-1-l.recentH-briefMinChartBox {
		best.perRow = 2
	}
	for _, per := range []int{4, 2} {
		tw := tileWidths(w, per)[per-1] // the narrowest
		rows := 4 / per
		for scale := briefMaxScale; scale >= 1; scale-- {
			th := rows*tileH(scale) + rows - 1
			if th > budget || !figuresFit(figs, tw, scale) {
				continue
			}
			if scale > best.scale {
				best = briefLayout{perRow: per, scale: scale, tilesH: th}
			}
			break
		}
	}
	l.perRow, l.scale, l.tilesH = best.perRow, best.scale, best.tilesH
	if l.scale == 0 {
		rows := 4 / l.perRow
		l.tilesH = rows*3 + rows - 1
	}
	l.chartH = h - 1 - l.tilesH - l.recentH
	return l
}

// figuresFit reports whether each figure has a form in large type that
// fits w cells at scale (a figure with none is shown in normal type).
func figuresFit(figs [4]briefFigure, w, scale int) bool {
	for _, f := range figs {
		if len(f.forms) > 0 && f.form(w, scale) < 0 {
			return false
		}
	}
	return true
}

// form is the first of the figure's large forms that fits w cells at
// scale, or -1.
func (f briefFigure) form(w, scale int) int {
	for i, fm := range f.forms {
		if bigSupported(fm.big) && bigWidth(fm.big, scale) <= w {
			return i
		}
	}
	return -1
}

// briefingView is the briefing screen: exactly h lines of w cells.
func (a *app) briefingView() []string {
	w, h := a.w, a.h
	if w < minWidth || h < minHeight {
		return tooSmall(w, h)
	}
	st, s := a.st, &a.snap
	out := make([]string, 0, h)
	out = append(out, a.briefingHeader(w))
	if a.following && a.zoom { // the commander zoomed a pane: show it, as theirs
		return append(out, a.briefingZoomed(h-1)...)
	}
	fc := a.facts.Forecast(s)
	figs := a.brief.figures(st, s, fc)
	l := layoutBriefing(figs, w, h)
	out = append(out, a.brief.tiles.get(tilesKey{a.brief.figsKey, w, h}, func() []string { return briefTiles(st, figs, l, w) })...)
	out = append(out, a.briefingChart(fc, w, l.chartH)...)
	out = append(out, a.briefingRecent(w, l.recentH)...)
	return out
}

// briefTiles draws the figures, a rule between those side by side.
func briefTiles(st *Styles, figs [4]briefFigure, l briefLayout, w int) []string {
	widths := tileWidths(w, l.perRow)
	var out []string
	for row := 0; row < 4/l.perRow; row++ {
		if row > 0 { // a rule between the rows, crossing the one between the columns
			var b strings.Builder
			for i, tw := range widths {
				if i > 0 {
					b.WriteString("┼")
				}
				b.WriteString(repeat("─", tw))
			}
			out = append(out, st.Border.on(b.String()))
		}
		cols := make([][]string, l.perRow)
		for i := range cols {
			cols[i] = briefTile(st, figs[row*l.perRow+i], widths[i], l.scale)
		}
		rule := st.Border.on("│")
		for y := range cols[0] {
			parts := make([]string, len(cols))
			for i := range cols {
				parts[i] = cols[i][y]
			}
			out = append(out, strings.Join(parts, rule))
		}
	}
	return out
}

// briefTile is one figure w cells wide: its label, its value in large type
// at scale (or in normal type in the middle of that space) and the line
// under it, each centred.
func briefTile(st *Styles, f briefFigure, w, scale int) []string {
	bigH := bigHeight(scale)
	if scale == 0 {
		bigH = 1
	}
	label, body := firstFit(f.labels, w), []string(nil)
	if i := f.form(w, scale); scale > 0 && i >= 0 {
		fm := f.forms[i]
		if width(fm.label) <= w {
			label = fm.label
		}
		for _, l := range bigLines(fm.big, scale) {
			body = append(body, centerPainted(f.paint, l, w))
		}
	} else {
		mid := repeat(" ", w)
		body = make([]string, bigH)
		for i := range body {
			body[i] = mid
		}
		body[bigH/2] = centerPainted(f.paint, firstFit(f.plain, w), w)
	}
	out := make([]string, 0, bigH+2)
	out = append(out, centerPainted(st.Bold, label, w))
	out = append(out, body...)
	return append(out, centerPainted(f.subP, firstFit(f.sub, w), w))
}

// centerPainted is text centred in w cells, the text alone painted.
func centerPainted(p paint, s string, w int) string {
	s = trunc(s, w)
	left := (w - width(s)) / 2
	return repeat(" ", left) + p.on(s) + repeat(" ", w-left-width(s))
}

// briefingChart is the burn-down: the backlog pane's chart of the orders
// waiting with the forecast and its range drawn on, and its legend. A
// what-if is left out: the shared screen shows the forecast, not a
// hypothesis.
func (a *app) briefingChart(fc model.Forecast, w, h int) []string {
	st, s := a.st, &a.snap
	cw, ch := w-4, h-2
	pts := visiblePoints(s.State.Backlog.Points, s.Clock)
	legend := ch >= 6 && len(pts) > 0
	chartH := ch
	if legend {
		chartH--
	}
	var body []string
	if chartH >= 4 {
		proj, _ := a.backlog.projections(s)
		body = a.brief.chart.get(st, chartInput{
			pts: pts, end: chartEnd(s.End, s.Clock, fc, model.Forecast{}), clock: s.Clock,
			yMax: niceCeil(float64(s.State.Backlog.Peak) * 1.1), w: cw, h: chartH,
			proj: proj, baseline: s.State.Backlog.Baseline(),
		})
	}
	if legend && body != nil {
		l := &a.brief.chart.cur
		lk := legendKey{cw, len(l.proj) > 0, false, l.base > 0, len(l.hist) > 0}
		body = append(append([]string(nil), body...), a.brief.legend.get(lk, func() []string { return []string{chartLegend(st, lk)} })...)
	}
	if len(pts) == 0 {
		body = []string{st.Dim.on("no backlog data yet")}
	}
	return st.box(boxSpec{name: "Delivery backlog: orders waiting and the forecast"}, body, w, h)
}

// briefingRecent is the timeline's last lines, newest last, never a line
// for the facilitator's eyes only: the briefing is for everyone.
func (a *app) briefingRecent(w, h int) []string {
	st, s := a.st, &a.snap
	return st.box(boxSpec{name: "Latest"}, recentLines(st, a.timeline.entries(s), w-4, h-2), w, h)
}

// recentLines is the last n lines of the timeline a player may see, cw
// cells wide.
func recentLines(st *Styles, tl alertTimeline, cw, n int) []string {
	var rev []string
	for i := tl.Len() - 1; i >= 0 && len(rev) < n; i-- {
		e := tl.At(i)
		if facilitatorOnly(e) {
			continue
		}
		stamp := model.FormatOffset(e.At) + " "
		rev = append(rev, st.Dim.on(stamp)+entryPaint(st, e).on(trunc(clean(e.Text), cw-width(stamp))))
	}
	if len(rev) == 0 {
		return []string{st.Dim.on("nothing has happened yet")}
	}
	out := make([]string, 0, len(rev))
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// briefingZoomed is the pane a followed commander zoomed, drawn as a player
// sees it: the timeline as the briefing's own list (never a facilitator's
// line), the others as their panes.
func (a *app) briefingZoomed(h int) []string {
	s := &a.snap
	if a.focus == paneTimeline {
		return a.st.box(boxSpec{digit: int(paneTimeline), name: "Timeline"},
			recentLines(a.st, a.timeline.entries(s), a.w-4, h-2), a.w, h)
	}
	f := frame{snap: s, st: a.st, facts: &a.facts, w: a.w, h: h, zoomed: true,
		alert: a.facts.Alerts(a.st, s)[a.focus]}
	return a.paneFrame(a.focus, f)
}

// briefingHeader is the briefing's top line: what it is, the incident,
// where the clock is and, when this screen follows a commander, whom.
// It names no keys.
func (a *app) briefingHeader(w int) string {
	st, s := a.st, &a.snap
	meta := s.Scenario.Meta
	title := clean(meta.Title)
	if title == "" {
		title = clean(s.Scenario.Name)
	}
	long, short := st.headerWall(s.Wall())
	state := briefingState(st, s, a.look, a.shared.Clock)
	follow := ""
	switch {
	case a.following:
		follow = st.Info.on("⇢ following " + clean(a.shared.Presenter.By))
	case a.brief.awaiting:
		follow = st.Info.on("⇢ waiting for a commander to follow")
	}
	var right string
	for _, wall := range []string{long, short, ""} {
		parts := []string{}
		if sev := clean(meta.Severity); sev != "" {
			parts = append(parts, st.SevBadge.on(" "+sev+" "))
		}
		parts = append(parts, st.Bold.on(model.FormatOffset(s.Clock)))
		if wall != "" {
			parts = append(parts, wall)
		}
		parts = append(parts, joinSpaced(state, follow))
		right = strings.Join(parts, "  ") + " "
		if w-width(right)-len(" BRIEFING  ")-12 >= 0 {
			break
		}
	}
	left := " " + st.Title.on("BRIEFING") + "  "
	space := w - width(right) - width(left) - 1
	t := ""
	if space > 0 {
		t = trunc(title, space)
	}
	return fit(left+t+repeat(" ", w-width(left)-width(t)-width(right))+right, w)
}

// briefingState is where the clock is, in words: playing, paused, live,
// or looking back at a time while the room is elsewhere.
func briefingState(st *Styles, s *room.Snapshot, look *lookBack, roomClock time.Duration) string {
	switch {
	case look != nil:
		return st.Paused.on("◀ looking back") + " · room at " + model.FormatOffset(roomClock)
	case s.Live && s.Following:
		return st.Playing.on("● LIVE")
	case s.Live:
		return st.Paused.on("❚❚ LIVE, frozen")
	case s.Playing:
		return st.Playing.on("▶ replay playing")
	case s.Pos >= s.Len && s.Clock >= s.End:
		return st.Paused.on("❚❚ replay at its end")
	}
	return st.Paused.on("❚❚ replay paused")
}
