package tui

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/NimbleMarkets/ntcharts/linechart"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// hostZoom is the Hosts pane zoomed on one group: its figures and ETA, its
// history as a chart (recovered and failing over time) and its funnel. The
// chart is redrawn only when a report arrives, the size changes or the
// clock moves the now marker by a column; the rest when the minute changes.
type hostZoom struct {
	box   memo[hostZoomKey]
	chart memo[hostChartKey]
}

type hostZoomKey struct {
	rev, epoch int
	minute     int64
	sel        int
	w, h       int
	focused    bool
	alert      string
	chart      hostChartKey
}

// hostChartKey is what a group's chart depends on.
type hostChartKey struct {
	epoch, sel, n int
	first         time.Duration // the first point's: a history cut to its newer half starts later
	total         int
	end           time.Duration
	w, h, nowX    int
}

func (z *hostZoom) view(f frame, sel int, fcs *hostForecasts) []string {
	s := f.snap
	g := s.State.Hosts[sel]
	cw, ch := f.inner()
	pts := visibleHostPoints(g.History, s.Clock)
	chartW, chartH, funnelW, funnelH, side := zoomAreas(cw, ch-zoomHead)
	ck := newHostChartKey(s, sel, len(pts), g.Total, chartW, chartH)
	if len(pts) > 0 {
		ck.first = pts[0].At
	}
	k := hostZoomKey{s.State.Rev.Hosts, s.State.Epoch, minute(s.Clock), sel, f.w, f.h, f.focused, f.alert.key, ck}
	return z.box.get(k, func() []string {
		groups, _ := fcs.get(s)
		body := zoomHeadLines(f, g, groups[sel], cw)
		chart := z.chart.get(ck, func() []string { return drawHostChart(f.st, pts, ck) })
		funnel := drawFunnel(f.st, g, pts, funnelW, funnelH)
		if rest := funnelH - len(funnel) - 1; side && rest >= 3 {
			funnel = append(append(funnel, ""), zoomGroupList(f, groups, sel, funnelW, rest)...)
		}
		if side {
			for i := range max(chartH, funnelH) {
				l, r := "", ""
				if i < len(chart) {
					l = chart[i]
				}
				if i < len(funnel) {
					r = funnel[i]
				}
				body = append(body, fit(l, chartW)+"  "+r)
			}
		} else {
			body = append(append(body, chart...), funnel...)
		}
		name := "Hosts › " + groupName(g)
		return f.st.box(boxSpec{
			digit: int(paneHosts), name: name, extra: "group " + itoa(sel+1) + "/" + itoa(len(s.State.Hosts)),
			corner: "j/k group · esc back", focused: f.focused, alert: f.alert,
		}, body, f.w, f.h)
	})
}

// zoomGroupList lists the groups under the funnel, the zoomed one marked
// ›, as many as fit h lines around it: j/k move the zoom along them.
func zoomGroupList(f frame, fcs []model.HostForecast, sel, w, h int) []string {
	st, s := f.st, f.snap
	groups := s.State.Hosts
	out := []string{st.Dim.on(fit("groups · j/k to move", w))}
	rows := h - 1
	top := scrollWindow(max(sel-rows/2, 0), sel, len(groups), rows)
	digits := 1
	for _, g := range groups[top:min(top+rows, len(groups))] {
		digits = max(digits, len(itoa(g.Total)))
	}
	for i := top; i < min(top+rows, len(groups)); i++ {
		g := groups[i]
		tail := " " + padLeft(itoa(g.Recovered), digits) + "/" + fit(itoa(g.Total), digits) + " " +
			fit(groupETA(fcs[i], s.Clock, false), 7)
		if !g.Seen {
			tail = " " + fit("no report", 2*digits+9)
		}
		name := fit(clean(g.ID), max(w-2-width(tail), 1))
		if i == sel {
			out = append(out, "› "+st.Selected.on(name)+tail)
			continue
		}
		out = append(out, "  "+name+tail)
	}
	return out
}

// zoomHead is the lines above the chart: the figures, the ETA, a gap.
const zoomHead = 3

// zoomAreas splits the room under the head between the chart and the
// funnel: side by side when wide enough (the funnel gets up to 44 cells),
// else the chart above the funnel.
func zoomAreas(w, h int) (chartW, chartH, funnelW, funnelH int, side bool) {
	h = max(h, 0)
	if w >= 60 {
		funnelW = min(44, w*2/5)
		return w - funnelW - 2, h, funnelW, h, true
	}
	funnelH = min(10, h/2)
	if h-funnelH < minHostChartH { // no room for a chart: the funnel takes it all
		return w, 0, w, h, false
	}
	return w, h - funnelH, w, funnelH, false
}

// minHostChartH is the least height a chart is drawn in: the legend, two
// rows of graph, the axis and its labels.
const minHostChartH = 5

// zoomHeadLines are the group's figures and its ETA in words, then a gap.
func zoomHeadLines(f frame, g model.HostGroup, fc model.HostForecast, w int) []string {
	st, s := f.st, f.snap
	if !g.Seen {
		return []string{fit(clean(groupName(g)), w), st.Dim.on("no report yet"), ""}
	}
	parts := []string{
		st.Bold.on(itoa(g.Recovered) + "/" + itoa(g.Total) + " back (" + itoa(percent(g.Recovered, g.Total)) + "%)"),
	}
	if g.Failed > 0 {
		parts = append(parts, st.Bad.on("✗ "+itoa(g.Failed)+" failing"))
	}
	if !recovered(g) {
		parts = append(parts, fmtRate(groupRate(g, s.Clock))+" last hour")
	}
	if g.State != "" {
		parts = append(parts, string(g.State))
	}
	parts = append(parts, "updated "+model.FormatOffset(g.UpdatedAt))
	figures := strings.Join(parts, " · ")
	if name := clean(g.Name); name != "" && name != g.ID && width(name)+3+width(figures) <= w {
		figures = name + " · " + figures
	}
	eta := groupETALine(st, s, fc, etaLineFitted)
	for _, form := range []etaLineForm{etaLineWall, etaLineRelative} {
		if width(eta) <= w {
			break
		}
		eta = groupETALine(st, s, fc, form)
	}
	return []string{trunc(figures, w), etaPaint(st, fc, s.Clock).on(trunc(eta, w)), ""}
}

// etaLineForm is how much a group's ETA line says, longest first.
type etaLineForm int

const (
	etaLineFitted   etaLineForm = iota // … (Jul 19 23:36–Jul 20 00:03) at +73/h fitted over the last 3h of reports
	etaLineWall                        // … (Jul 19 23:36–Jul 20 00:03)
	etaLineRelative                    // … (−13m…+14m)
)

// groupETALine says in words when the group is all back, with its range,
// or why there is no ETA.
func groupETALine(st *Styles, s *room.Snapshot, f model.HostForecast, form etaLineForm) string {
	window := "the last " + fmtSpan(model.DefaultHostForecastWindow)
	switch f.Outlook {
	case model.OutlookDone:
		return "✓ every host back"
	case model.OutlookStalled:
		return "stalled: no more hosts back over " + window + " of reports (" + fmtRate(f.Rate) + ")"
	case model.OutlookNoProgress:
		return "no progress: no more hosts back than at its first report"
	case model.OutlookUnknown:
		return "no ETA yet: " + plural(f.Points, "report") + ", an ETA needs 3"
	}
	sc := s.Scenario
	late := "no upper bound"
	if f.Late >= 0 {
		late = st.wallShort(sc.WallTime(f.Late))
	}
	when := "in " + fmtSpan(f.ETA-s.Clock)
	if f.ETA <= s.Clock {
		when = "due, not reported yet"
	}
	line := "all back " + when + ": ETA " + st.wallShort(sc.WallTime(f.ETA))
	if form == etaLineRelative {
		late = "no bound"
		if f.Late >= 0 {
			late = "+" + fmtSpan(f.Late-f.ETA)
		}
		return line + " (−" + fmtSpan(f.ETA-f.Early) + "…" + late + ")"
	}
	line += " (" + st.wallShort(sc.WallTime(f.Early)) + "–" + late + ")"
	if form == etaLineFitted {
		line += " at " + fmtRate(f.Rate) + " fitted over " + window + " of reports"
	}
	return line
}

// visibleHostPoints is a group's history up to the clock.
func visibleHostPoints(pts []model.HostPoint, clock time.Duration) []model.HostPoint {
	n, _ := slices.BinarySearchFunc(pts, clock, func(p model.HostPoint, t time.Duration) int {
		if p.At <= t {
			return -1
		}
		return 1
	})
	return pts[:n]
}

// newHostChartKey computes the chart's geometry as linechart will: the y
// axis spans the group's total, and the now marker's column follows from
// the graph width that the labels leave.
func newHostChartKey(s *room.Snapshot, sel, n, total, w, h int) hostChartKey {
	end := hostChartEnd(s.Clock)
	k := hostChartKey{epoch: s.State.Epoch, sel: sel, n: n, total: total, end: end, w: w, h: h}
	gh := h - 3 // the legend, the axis and its labels
	labelW := 0
	f := yLabels(gh, float64(max(total, 1)), 0)
	for i := 0; i <= gh; i++ {
		labelW = max(labelW, len(f(i, float64(max(total, 1))*float64(i)/float64(max(gh, 1)))))
	}
	if gw := w - labelW - 1; gw > 0 {
		k.nowX = int(math.Round(float64(s.Clock) / float64(end) * float64(gw)))
	}
	return k
}

// hostChartEnds are the x axis's right ends, in hours: the group's chart spans
// its history so far with room to spare, and its end moves in these steps
// only, so that a clock moving by minutes rarely redraws it.
var hostChartEnds = [...]int{1, 2, 3, 4, 6, 8, 12, 16, 24, 36, 48, 72, 96, 144, 192, 288, 384, 576, 768}

// hostChartEnd is the first end at least a tenth past the clock.
func hostChartEnd(clock time.Duration) time.Duration {
	want := clock + clock/10
	for _, h := range hostChartEnds {
		if end := time.Duration(h) * time.Hour; end >= want {
			return end
		}
	}
	return want.Round(24 * time.Hour)
}

// drawHostChart draws a group's history: recovered as a line (arcs),
// failing as dots, one point per column, from T+0 to a little past the
// clock, with the now marker and a legend above; the glyphs tell the
// series apart without colour.
func drawHostChart(st *Styles, pts []model.HostPoint, k hostChartKey) []string {
	if k.w < 12 || k.h < minHostChartH {
		return blank(max(k.w, 0), max(k.h, 0))
	}
	legend := st.Line.on("─ recovered") + "  " + st.Bad.on("· failing") + "  " + st.Now.on("┊ now")
	gh := k.h - 1
	endH := k.end.Hours()
	lc := linechart.New(k.w, gh, 0, endH, 0, float64(max(k.total, 1)),
		linechart.WithXYSteps(1, 1),
		linechart.WithXLabelFormatter(func(int, float64) string { return "" }),
		linechart.WithYLabelFormatter(yLabels(gh-2, float64(max(k.total, 1)), 0)),
	)
	lc.DrawXYAxisAndLabel()
	origin, graphW := lc.Origin(), lc.GraphWidth()

	// One point per column: the last report in it.
	type col struct{ rec, failed canvas.Float64Point }
	var cols []col
	from := 0
	for c := 0; c <= graphW && from < len(pts); c++ {
		limit := time.Duration(float64(k.end) * (float64(c) + 0.5) / float64(graphW))
		i, _ := slices.BinarySearchFunc(pts[from:], limit, func(p model.HostPoint, t time.Duration) int {
			if p.At <= t {
				return -1
			}
			return 1
		})
		if i == 0 {
			continue
		}
		from += i
		p := pts[from-1]
		x := p.At.Hours()
		cols = append(cols, col{canvas.Float64Point{X: x, Y: float64(p.Recovered)}, canvas.Float64Point{X: x, Y: float64(p.Failed)}})
	}
	for i := 1; i < len(cols); i++ {
		lc.DrawLine(cols[i-1].rec, cols[i].rec, runes.ArcLineStyle)
	}
	if len(cols) == 1 {
		lc.DrawRune(cols[0].rec, '•')
	}
	failed := map[canvas.Point]bool{}
	for _, c := range cols {
		p := canvas.CanvasPointFromFloat64Point(origin, lc.ScaleFloat64PointForLine(c.failed))
		if p.X > origin.X && p.Y < origin.Y && lc.Canvas.Cell(p).Rune == runes.Null {
			lc.Canvas.SetRune(p, '·')
			failed[p] = true
		}
	}

	// Whole-hour ticks as many as fit, as the backlog chart has.
	step := axisStep(k.end, graphW)
	for t := time.Duration(0); t <= k.end; t += step {
		x := origin.X + int(math.Round(t.Hours()/endH*float64(graphW)))
		lbl := axisLabel(t)
		if x+len(lbl) > k.w {
			continue
		}
		if c := lc.Canvas.Cell(canvas.Point{X: x, Y: origin.Y}); c.Rune == '─' {
			lc.Canvas.SetRune(canvas.Point{X: x, Y: origin.Y}, '┬')
		}
		lc.Canvas.SetString(canvas.Point{X: x, Y: origin.Y + 1}, lbl)
	}
	marker := map[canvas.Point]bool{}
	if nowX := origin.X + k.nowX; nowX > origin.X && nowX < k.w {
		for y := 0; y < origin.Y; y++ {
			p := canvas.Point{X: nowX, Y: y}
			if lc.Canvas.Cell(p).Rune == runes.Null {
				lc.Canvas.SetRune(p, '┊')
				marker[p] = true
			}
		}
	}
	return append([]string{fit(legend, k.w)}, hostChartLines(st, &lc, marker, failed)...)
}

// hostChartLines is chartLines with the failing series in a paint of its
// own: runs of one class are painted at once.
func hostChartLines(st *Styles, lc *linechart.Model, marker, failed map[canvas.Point]bool) []string {
	origin := lc.Origin()
	out := make([]string, 0, lc.Height())
	var line, run strings.Builder
	for y := range lc.Height() {
		line.Reset()
		run.Reset()
		var cur paint
		for x := range lc.Width() {
			p := canvas.Point{X: x, Y: y}
			r := lc.Canvas.Cell(p).Rune
			if r == runes.Null {
				r = ' '
			}
			var cls paint
			switch {
			case marker[p]:
				cls = st.Now
			case failed[p]:
				cls = st.Bad
			case x < origin.X || y > origin.Y:
				cls = st.Label
			case x == origin.X && (r == '│' || r == '└'), y == origin.Y && (r == '─' || r == '┬' || r == '└'):
				cls = st.Axis
			default:
				cls = st.Line
			}
			if cls != cur {
				line.WriteString(cur.on(run.String()))
				run.Reset()
				cur = cls
			}
			run.WriteRune(r)
		}
		line.WriteString(cur.on(run.String()))
		out = append(out, line.String())
	}
	return out
}
