package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/NimbleMarkets/ntcharts/linechart"
)

// The glyphs of the backlog chart. History is a solid line; everything
// projected is drawn with other runes, so that without colour a reader
// still tells what was seen from what is forecast.
const (
	runeForecast = '•' // the projected backlog
	runeBand     = '░' // the forecast's range
	runeBaseline = '╌' // the backlog's normal level
	runeWhatIf   = '×' // the what-if's projection
	runeNow      = '┊'
)

// yLabels labels the bottom, the top and, when it falls on a row, the
// middle of the y axis, in k/M, right-aligned in at least minW cells (two
// charts one above the other share their axis's column). The chart's y
// range is its rows, so the value is the row's share of yMax.
func yLabels(gh int, yMax float64, minW int) linechart.LabelFormatter {
	return func(i int, _ float64) string {
		if i == 0 || i == gh || (gh >= 4 && gh%2 == 0 && i == gh/2) {
			l := fmtCount(yMax * float64(i) / float64(max(gh, 1)))
			if len(l) < minW {
				l = strings.Repeat(" ", minW-len(l)) + l
			}
			return l
		}
		return ""
	}
}

// widestYLabel is the widest label any height of chart gives a scale.
func widestYLabel(yMax float64) int {
	return max(len(fmtCount(yMax)), len(fmtCount(yMax/2)), 1)
}

// yLabelWidth is the widest y label: the graph starts one cell right of it.
func yLabelWidth(gh int, yMax float64) int {
	f, w := yLabels(gh, yMax, 0), 0
	for i := 0; i <= gh; i++ {
		w = max(w, len(f(i, 0)))
	}
	return w
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

// drawBacklogChart draws a laid-out chart with ntcharts' linechart: axes,
// y labels in k/M and the history as arc line runes; the x ticks, the
// forecast, its band, the normal level, the what-if and the now marker
// are set on its canvas here. Its x and y ranges are the graph's columns
// and rows, so every cell comes from the layout's integers.
func drawBacklogChart(st *Styles, l *chartLayout) []string {
	if l.w < 8 || l.h < 4 || l.gw <= 0 {
		return blank(l.w, l.h)
	}
	lc := linechart.New(l.w, l.h, 0, float64(l.gw), 0, float64(l.gh),
		linechart.WithXYSteps(1, 1),
		linechart.WithXLabelFormatter(func(int, float64) string { return "" }),
		linechart.WithYLabelFormatter(yLabels(l.gh, l.yMax, l.lw)),
	)
	lc.DrawXYAxisAndLabel()
	origin := lc.Origin()
	at := func(x, row int32) canvas.Point { return canvas.Point{X: origin.X + int(x), Y: origin.Y - int(row)} }

	for i := 1; i < len(l.hist); i++ {
		a, b := l.hist[i-1], l.hist[i]
		lc.DrawLine(canvas.Float64Point{X: float64(a.x), Y: float64(a.y)}, canvas.Float64Point{X: float64(b.x), Y: float64(b.y)}, runes.ArcLineStyle)
	}
	if len(l.hist) == 1 {
		lc.DrawRune(canvas.Float64Point{X: float64(l.hist[0].x), Y: float64(l.hist[0].y)}, '─') // solid, as history is
	}

	// Each cell's class, for painting: the history, axes and labels are
	// known by their place; what is set here says what it is.
	cls := make([]chartClass, l.w*l.h)
	set := func(p canvas.Point, r rune, c chartClass) {
		if p.X <= origin.X || p.X >= l.w || p.Y < 0 || p.Y >= origin.Y {
			return
		}
		old := lc.Canvas.Cell(p).Rune
		if old != runes.Null && cls[p.Y*l.w+p.X] == classLine {
			return // history is never drawn over
		}
		if old != runes.Null && cls[p.Y*l.w+p.X] > c {
			return // a stronger mark is there
		}
		lc.Canvas.SetRune(p, r)
		cls[p.Y*l.w+p.X] = c
	}
	// The history's cells, so that nothing is drawn over them.
	for y := range origin.Y {
		for x := origin.X + 1; x < l.w; x++ {
			if lc.Canvas.Cell(canvas.Point{X: x, Y: y}).Rune != runes.Null {
				cls[y*l.w+x] = classLine
			}
		}
	}
	// "now" on top of the now marker's column, before the forecast, which
	// starts there and must not hide it; the column's dots come last,
	// where nothing else is.
	nowX := origin.X + l.nowX
	if l.nowX > 0 {
		lx := nowX + 1
		if lx+3 > l.w {
			lx = nowX - 3
		}
		if free(&lc.Canvas, lx, 0, 3) {
			lc.Canvas.SetString(canvas.Point{X: lx, Y: 0}, "now")
			for i := range 3 {
				cls[lx+i] = classNow
			}
		}
	}
	for _, p := range l.proj {
		for r := p.lo; r <= p.hi; r++ {
			set(at(p.x, r), runeBand, classBand)
		}
	}
	if l.base > 0 {
		for x := int32(1); x <= int32(l.gw); x++ {
			set(at(x, l.base), runeBaseline, classBaseline)
		}
	}
	for _, p := range l.what {
		set(at(p.x, p.y), runeWhatIf, classWhatIf)
	}
	for _, p := range l.proj {
		if p.midOn {
			set(at(p.x, p.mid), runeForecast, classForecast)
		}
	}

	// X labels at round ticks, as many as fit: minutes for a short drill,
	// hours to days for a long incident.
	labelY := origin.Y + 1
	for _, t := range l.ticks {
		x := origin.X + int(t.x)
		if c := lc.Canvas.Cell(canvas.Point{X: x, Y: origin.Y}); c.Rune == '─' {
			lc.Canvas.SetRune(canvas.Point{X: x, Y: origin.Y}, '┬')
		}
		lc.Canvas.SetString(canvas.Point{X: x, Y: labelY}, axisLabel(t.at))
	}

	if l.nowX > 0 {
		for y := 0; y < origin.Y; y++ {
			p := canvas.Point{X: nowX, Y: y}
			if lc.Canvas.Cell(p).Rune == runes.Null {
				lc.Canvas.SetRune(p, runeNow)
				cls[y*l.w+nowX] = classNow
			}
		}
	}
	// The normal level's name at its right end, where there is room.
	if l.base > 0 {
		y := origin.Y - int(l.base)
		if x := l.w - len("normal"); y >= 0 && x > origin.X && freeOf(&lc.Canvas, cls, l.w, x, y, 6, classBaseline) {
			lc.Canvas.SetString(canvas.Point{X: x, Y: y}, "normal")
			for i := range 6 {
				cls[y*l.w+x+i] = classBaseline
			}
		}
	}
	return chartLines(st, &lc, cls)
}

// chartClass is what a chart cell shows, for its paint; a higher class
// wins a cell from a lower one.
type chartClass uint8

const (
	classNone chartClass = iota
	classBand
	classBaseline
	classWhatIf
	classForecast
	classNow
	classLine
)

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

// axisLabelLen is len(axisLabel(t)), without making the label.
func axisLabelLen(t time.Duration) int {
	h, m := int(t/time.Hour), int(t%time.Hour/time.Minute)
	switch {
	case t == 0:
		return 3
	case h == 0:
		return 3 + digits(m)
	case m == 0:
		return 3 + digits(h)
	}
	return 5 + digits(h)
}

func digits(n int) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
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

// freeOf is free, counting cells of class ok as empty.
func freeOf(c *canvas.Model, cls []chartClass, w, x, y, n int, ok chartClass) bool {
	if x < 0 || x+n > c.Width() {
		return false
	}
	for i := range n {
		if c.Cell(canvas.Point{X: x + i, Y: y}).Rune != runes.Null && cls[y*w+x+i] != ok {
			return false
		}
	}
	return true
}

// chartLines turns the canvas into painted lines. A cell's class is the one
// set when it was drawn, or else comes from its place (label, axis, line),
// so runs of one class are painted at once instead of rendering a lipgloss
// style per cell.
func chartLines(st *Styles, lc *linechart.Model, cls []chartClass) []string {
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
			var pt paint
			switch c := cls[y*w+x]; {
			case c == classNow:
				pt = st.Now
			case c == classBand:
				pt = st.Band
			case c == classBaseline:
				pt = st.Baseline
			case c == classWhatIf:
				pt = st.Inject
			case c == classForecast:
				pt = st.Forecast
			case x < origin.X || y > origin.Y:
				pt = st.Label
			case x == origin.X && (r == '│' || r == '└'), y == origin.Y && (r == '─' || r == '┬' || r == '└'):
				pt = st.Axis
			default:
				pt = st.Line
			}
			if pt != cur {
				flush()
				cur = pt
			}
			run.WriteRune(r)
		}
		flush()
		out = append(out, line.String())
	}
	return out
}
