package tui

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/NimbleMarkets/ntcharts/linechart"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// chartKey is everything the backlog chart's drawing depends on. The clock
// is in it only through nowX: moving it by less than a column does not
// redraw the chart.
type chartKey struct {
	rev, epoch int
	n          int           // points drawn
	end        time.Duration // right edge of the x axis
	yMax       float64
	w, h       int
	nowX       int // the marker's column in the graph area
}

// newChartKey computes the chart's geometry the way linechart will: the y
// range from the peak so far, the label width it needs, and from those the
// graph width and the column of the "now" marker.
func newChartKey(s *room.Snapshot, n, w, h int) chartKey {
	end := max(s.End, s.Clock, 10*time.Minute)
	k := chartKey{
		rev: s.State.Rev.Backlog, epoch: s.State.Epoch, n: n, end: end,
		yMax: niceCeil(float64(s.State.Backlog.Peak) * 1.1), w: w, h: h,
	}
	gh := h - 2
	labelW := 0
	f := yLabels(gh)
	for i := 0; i <= gh; i++ {
		labelW = max(labelW, len(f(i, k.yMax*float64(i)/float64(max(gh, 1)))))
	}
	if gw := w - labelW - 1; gw > 0 {
		k.nowX = int(math.Round(float64(s.Clock) / float64(end) * float64(gw)))
	}
	return k
}

// yLabels labels the bottom, the top and, when it falls on a row, the
// middle of the y axis, in k/M.
func yLabels(gh int) linechart.LabelFormatter {
	return func(i int, v float64) string {
		if i == 0 || i == gh || (gh >= 4 && gh%2 == 0 && i == gh/2) {
			return fmtCount(v)
		}
		return ""
	}
}

// niceCeil rounds up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of
// ten, so that the top and middle labels read as round numbers.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 10
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// drawBacklogChart draws the chart with ntcharts' linechart: axes, arc line
// runes, y labels in k/M; x labels at whole-hour ticks and the now marker are
// drawn on its canvas here. At most one point per column is drawn, found by
// binary search, so 100k points cost what the chart's width costs.
func drawBacklogChart(st *Styles, pts []model.BacklogPoint, k chartKey) []string {
	if k.w < 8 || k.h < 4 {
		return blank(k.w, k.h)
	}
	endH := k.end.Hours()
	lc := linechart.New(k.w, k.h, 0, endH, 0, k.yMax,
		linechart.WithXYSteps(1, 1),
		linechart.WithXLabelFormatter(func(int, float64) string { return "" }),
		linechart.WithYLabelFormatter(yLabels(k.h-2)),
	)
	lc.DrawXYAxisAndLabel()
	origin, gw := lc.Origin(), lc.GraphWidth()

	// One point per column, the last observation in it, found by binary
	// search; consecutive ones are joined by arc line runes.
	var line []canvas.Float64Point
	from := 0
	for col := 0; col <= gw && from < len(pts); col++ {
		limit := time.Duration(float64(k.end) * (float64(col) + 0.5) / float64(gw))
		i := from + sort.Search(len(pts)-from, func(i int) bool { return pts[from+i].At > limit })
		if i == from {
			continue
		}
		from = i
		p := pts[i-1]
		line = append(line, canvas.Float64Point{X: p.At.Hours(), Y: float64(p.Waiting)})
	}
	for i := 1; i < len(line); i++ {
		lc.DrawLine(line[i-1], line[i], runes.ArcLineStyle)
	}
	if len(line) == 1 {
		lc.DrawRune(line[0], '•')
	}

	// X labels at round ticks, as many as fit: minutes for a short drill,
	// hours to days for a long incident.
	labelY := origin.Y + 1
	step := axisStep(k.end, gw)
	for t := time.Duration(0); t <= k.end; t += step {
		x := origin.X + int(math.Round(t.Hours()/endH*float64(gw)))
		lbl := axisLabel(t)
		if x+len(lbl) > k.w {
			continue
		}
		if c := lc.Canvas.Cell(canvas.Point{X: x, Y: origin.Y}); c.Rune == '─' {
			lc.Canvas.SetRune(canvas.Point{X: x, Y: origin.Y}, '┬')
		}
		lc.Canvas.SetString(canvas.Point{X: x, Y: labelY}, lbl)
	}

	// The now marker: a dotted column where the line is not, "now" on top.
	nowX := origin.X + k.nowX
	marker := map[canvas.Point]bool{}
	if nowX > origin.X && nowX < k.w {
		for y := 0; y < origin.Y; y++ {
			p := canvas.Point{X: nowX, Y: y}
			if lc.Canvas.Cell(p).Rune == runes.Null {
				lc.Canvas.SetRune(p, '┊')
				marker[p] = true
			}
		}
		lx := nowX + 1
		if lx+3 > k.w {
			lx = nowX - 3
		}
		if free(&lc.Canvas, lx, 0, 3) {
			lc.Canvas.SetString(canvas.Point{X: lx, Y: 0}, "now")
			for i := range 3 {
				marker[canvas.Point{X: lx + i, Y: 0}] = true
			}
		}
	}
	return chartLines(st, &lc, marker)
}

// axisSteps are the x axis's tick spacings, finest first.
var axisSteps = [...]time.Duration{5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	48 * time.Hour, 96 * time.Hour, 168 * time.Hour}

// axisStep is the finest tick spacing whose labels ("T+12h", "T+1h30")
// keep a gap between them across gw columns.
func axisStep(end time.Duration, gw int) time.Duration {
	for _, s := range axisSteps {
		labelW := 6 // "T+12h " and "T+45m "
		if s%time.Hour != 0 && end > time.Hour {
			labelW = 8 // "T+1h30 "
		}
		if float64(end)/float64(s)*float64(labelW+1) <= float64(gw) {
			return s
		}
	}
	return axisSteps[len(axisSteps)-1]
}

// axisLabel is a tick's label: T+0, T+45m, T+2h, T+1h30.
func axisLabel(t time.Duration) string {
	h, m := int(t/time.Hour), int(t%time.Hour/time.Minute)
	switch {
	case t == 0:
		return "T+0"
	case h == 0:
		return "T+" + strconv.Itoa(m) + "m"
	case m == 0:
		return "T+" + strconv.Itoa(h) + "h"
	}
	return "T+" + strconv.Itoa(h) + "h" + fmt.Sprintf("%02d", m)
}

// free reports whether n cells from (x, y) are empty.
func free(c *canvas.Model, x, y, n int) bool {
	if x < 0 || x+n > c.Width() {
		return false
	}
	for i := range n {
		if c.Cell(canvas.Point{X: x + i, Y: y}).Rune != runes.Null {
			return false
		}
	}
	return true
}

// chartLines turns the canvas into painted lines. Each cell's class (label,
// axis, line, marker) comes from its place, so runs of one class are painted
// at once instead of rendering a lipgloss style per cell.
func chartLines(st *Styles, lc *linechart.Model, marker map[canvas.Point]bool) []string {
	origin := lc.Origin()
	w, h := lc.Width(), lc.Height()
	out := make([]string, 0, h)
	var line, run strings.Builder
	for y := range h {
		line.Reset()
		run.Reset()
		var cur paint
		flush := func() {
			line.WriteString(cur.on(run.String()))
			run.Reset()
		}
		for x := range w {
			p := canvas.Point{X: x, Y: y}
			r := lc.Canvas.Cell(p).Rune
			if r == runes.Null {
				r = ' '
			}
			var cls paint
			switch {
			case marker[p]:
				cls = st.Now
			case x < origin.X || y > origin.Y:
				cls = st.Label
			case x == origin.X && (r == '│' || r == '└'), y == origin.Y && (r == '─' || r == '┬' || r == '└'):
				cls = st.Axis
			default:
				cls = st.Line
			}
			if cls != cur {
				flush()
				cur = cls
			}
			run.WriteRune(r)
		}
		flush()
		out = append(out, line.String())
	}
	return out
}
