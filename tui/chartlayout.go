package tui

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/warroom/warroom/model"
)

// chartLayout is the backlog chart in cells: everything its pixels depend
// on and nothing else. Two equal layouts draw the same lines, so a frame
// whose clock moved by less than a column (every frame of a live room)
// compares layouts and keeps the drawn chart. Building one allocates
// nothing once its lists have grown.
type chartLayout struct {
	w, h, gw, gh int
	lw           int // the y labels' width
	yMax         float64
	nowX         int   // the now marker's graph column; 0: none
	base         int32 // the normal level's row; 0: none (it would be the axis)
	hist         []chartCell
	ticks        []chartTick
	proj         []projCell
	what         []chartCell
}

// chartCell is a graph column and row (row 0 is the x axis).
type chartCell struct{ x, y int32 }

type chartTick struct {
	x  int32
	at time.Duration
}

// projCell is the forecast at one column: its path's row and its band's.
type projCell struct {
	x, mid, lo, hi int32
	midOn          bool
}

func (l *chartLayout) equal(o *chartLayout) bool {
	return l.w == o.w && l.h == o.h && l.gw == o.gw && l.gh == o.gh && l.yMax == o.yMax && l.nowX == o.nowX &&
		l.base == o.base && slices.Equal(l.hist, o.hist) && slices.Equal(l.ticks, o.ticks) &&
		slices.Equal(l.proj, o.proj) && slices.Equal(l.what, o.what)
}

// chartInput is what a backlog chart is made from.
type chartInput struct {
	pts        []model.BacklogPoint // as known at the clock
	end, clock time.Duration        // the x axis spans 0 to end
	yMax       float64
	minLabelW  int // the y labels' least width
	w, h       int
	proj, what model.Projection // the forecast and the what-if; not OK: none
	baseline   int64
}

// chartCache keeps the drawn chart and the layout it was drawn from.
type chartCache struct {
	cur, next chartLayout
	lines     []string
	ok        bool
	gen       int // counts redraws, for what is cached on top of the chart
	cols      []model.ProjectedColumn
	// The y labels' width, which costs strings to find: kept for its
	// rows and scale.
	lwGH   int
	lwYMax float64
	lw     int
}

// get is the chart for in, drawn again only when its layout changed.
func (c *chartCache) get(st *Styles, in chartInput) []string {
	c.layout(&c.next, in)
	if c.ok && c.next.equal(&c.cur) {
		return c.lines
	}
	c.cur, c.next = c.next, c.cur
	c.lines, c.ok = drawBacklogChart(st, &c.cur), true
	c.gen++
	return c.lines
}

// layout lays in out into l, reusing its lists.
func (c *chartCache) layout(l *chartLayout, in chartInput) {
	gh := in.h - 2
	if c.lwGH != gh || c.lwYMax != in.yMax || c.lw == 0 {
		c.lwGH, c.lwYMax, c.lw = gh, in.yMax, yLabelWidth(gh, in.yMax)
	}
	lw := max(c.lw, in.minLabelW)
	*l = chartLayout{w: in.w, h: in.h, gh: gh, lw: lw, yMax: in.yMax, gw: in.w - lw - 1,
		hist: l.hist[:0], ticks: l.ticks[:0], proj: l.proj[:0], what: l.what[:0]}
	if in.w < 8 || in.h < 4 || l.gw <= 0 || in.end <= 0 {
		return
	}
	gw, end := l.gw, in.end
	row := func(v float64) int32 {
		return int32(min(max(math.Round(v/in.yMax*float64(gh)), 0), float64(gh+1)))
	}
	col := func(t time.Duration) int { return int(math.Round(float64(t) / float64(end) * float64(gw))) }

	// One point per column, the last observation in it, found by binary
	// search: 100k points cost what the chart's width costs.
	pts, from := in.pts, 0
	for x := 0; x <= gw && from < len(pts); x++ {
		limit := time.Duration(float64(end) * (float64(x) + 0.5) / float64(gw))
		i := from + sort.Search(len(pts)-from, func(i int) bool { return pts[from+i].At > limit })
		if i == from {
			continue
		}
		from = i
		l.hist = append(l.hist, chartCell{int32(x), row(float64(pts[i-1].Waiting))})
	}

	for t, step := time.Duration(0), axisStep(end, gw); t <= end; t += step {
		x := col(t)
		if lw+1+x+axisLabelLen(t) > in.w {
			continue
		}
		l.ticks = append(l.ticks, chartTick{int32(x), t})
	}
	if nowX := col(in.clock); nowX > 0 && lw+1+nowX < in.w {
		l.nowX = nowX
	}
	if len(pts) > 0 && in.baseline > 0 {
		l.base = row(float64(in.baseline))
	}

	c.cols = in.proj.Columns(end, gw, c.cols[:0])
	for _, pc := range c.cols {
		l.proj = append(l.proj, projCell{x: int32(pc.Col), mid: row(pc.Mid), lo: row(pc.Lo), hi: row(pc.Hi), midOn: !pc.MidDone})
	}
	c.cols = in.what.Columns(end, gw, c.cols[:0])
	for _, pc := range c.cols {
		if !pc.MidDone {
			l.what = append(l.what, chartCell{int32(pc.Col), row(pc.Mid)})
		}
	}
}

// chartEnd is the x axis's right end: the scenario's end or the clock,
// pushed out to show the forecast up to its ETA (no further than twice
// that), in steps of an eighth of it so that the axis does not move with
// every new ETA. A live room, whose end is the clock, keeps an eighth of
// the chart for the forecast.
func chartEnd(end, clock time.Duration, fc, wf model.Forecast) time.Duration {
	e := max(end, clock, 10*time.Minute)
	if !fc.OK || fc.Cleared {
		return e
	}
	unit := axisSteps[len(axisSteps)-1]
	for _, s := range axisSteps {
		if s >= e/8 {
			unit = s
			break
		}
	}
	horizon := max(e, clock+e/8)
	if fc.Draining {
		horizon = max(horizon, fc.ETA)
	}
	if wf.OK && wf.Draining {
		horizon = max(horizon, wf.ETA)
	}
	horizon = min(horizon, 2*e)
	if horizon == e {
		return e
	}
	return (horizon + unit - 1) / unit * unit
}
