package tui

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// classGlyphs are the promise classes' shades in the stacked chart, in
// class order, bottom up: each class has a glyph of its own as well as a
// colour, so that the stack reads without colour.
// '░' is the forecast band's: never a class's.
var classGlyphs = [...]rune{'█', '▓', '▒', '▚', '#', '+', ':', '.'}

func classGlyph(i int) rune { return classGlyphs[i%len(classGlyphs)] }

func classPaint(st *Styles, i int) paint {
	if len(st.Classes) == 0 {
		return paint{}
	}
	return st.Classes[i%len(st.Classes)]
}

// stackCache keeps the stacked chart and what it was drawn from: the point
// shown at each column, the scale, the ticks and the size. Like the
// burn-down chart, a clock move that changes none of them draws nothing.
type stackCache struct {
	cur, next []int32
	lines     []string
	ok        bool
	gen       int
}

// stackChartH is the rows of the stacked chart in a part of h rows: the
// rest is its legend.
func stackChartH(h, legend int) int { return h - legend }

// get is the stacked chart and its legend in w×h cells.
func (c *stackCache) get(st *Styles, s *room.Snapshot, pts []model.BacklogPoint, end time.Duration, w, h, lw int) []string {
	b := &s.State.Backlog
	yMax := niceCeil(float64(b.Peak) * 1.1)
	// One legend line, or two when its entries ("█ name 470k ! 259k
	// late", about 22 cells and the name) would not fit in one.
	legendH, need := 1, 0
	for _, c := range b.Classes {
		need += len(c.Name) + 25
	}
	if need > w {
		legendH = 2
	}
	gh := stackChartH(h, legendH) - 2
	lw = max(lw, yLabelWidth(gh, yMax))
	gw := w - lw - 1

	// What the picture depends on: size, scale, classes, and the point
	// each column shows.
	sig := append(c.next[:0], int32(w), int32(h), int32(len(b.Classes)), int32(len(pts)),
		int32(math.Float64bits(yMax)>>32), int32(math.Float64bits(yMax)), int32(end/time.Minute), int32(lw))
	from := 0
	for x := 0; x <= gw && from < len(pts) && gw > 0; x++ {
		limit := time.Duration(float64(end) * (float64(x) + 0.5) / float64(gw))
		i := from + sort.Search(len(pts)-from, func(i int) bool { return pts[from+i].At > limit })
		if i == from {
			continue
		}
		from = i
		sig = append(sig, int32(x), int32(i-1))
	}
	c.next = sig
	if c.ok && slices.Equal(c.cur, c.next) {
		return c.lines
	}
	c.cur, c.next = c.next, c.cur
	c.lines, c.ok = drawStacked(st, b, pts, c.cur[8:], w, h, lw, legendH, yMax, end), true
	c.gen++
	return c.lines
}

// drawStacked draws the backlog stacked by class: each column the point
// the signature names, its classes bottom up in class order, each its own
// glyph and colour; y labels in k/M, x ticks as the burn-down chart has
// them, and a legend with each class's orders waiting and late now.
func drawStacked(st *Styles, b *model.Backlog, pts []model.BacklogPoint, cols []int32, w, h, lw, legendH int, yMax float64, end time.Duration) []string {
	chartH := stackChartH(h, legendH)
	if w < 12 || chartH < 4 {
		return blank(w, h)
	}
	gh := chartH - 2
	labels := yLabels(gh, yMax, lw)
	gw := w - lw - 1

	// cell[y][x]: 0 empty, else class index + 1.
	grid := make([][]int, gh)
	for y := range grid {
		grid[y] = make([]int, gw+1)
	}
	withSplit := 0
	for i := 0; i+1 < len(cols); i += 2 {
		x, p := int(cols[i]), pts[cols[i+1]]
		split := p.Promise()
		if len(split) == 0 {
			continue
		}
		withSplit++
		var cum float64
		bounds := make([]float64, len(b.Classes))
		for ci, c := range b.Classes {
			cum += float64(p.ClassWaiting(c.ID))
			bounds[ci] = cum
		}
		for r := range gh { // row r from the bottom covers (r, r+1] × yMax/gh
			v := (float64(r) + 0.5) / float64(gh) * yMax
			for ci := range bounds {
				if v <= bounds[ci] {
					grid[gh-1-r][x] = ci + 1
					break
				}
			}
		}
	}

	out := make([]string, 0, h)
	var line strings.Builder
	for y := range gh {
		line.Reset()
		line.WriteString(st.Label.on(padLeft(labels(gh-y, 0), lw)))
		line.WriteString(st.Axis.on("│"))
		// Column 0 is the axis's, as in the burn-down chart above.
		for x := 1; x <= gw; x++ {
			ci := grid[y][x]
			if ci == 0 {
				line.WriteByte(' ')
				continue
			}
			// A run of one class is painted at once.
			j := x
			for j+1 <= gw && grid[y][j+1] == ci {
				j++
			}
			line.WriteString(classPaint(st, ci-1).on(strings.Repeat(string(classGlyph(ci-1)), j-x+1)))
			x = j
		}
		out = append(out, line.String())
	}
	// The x axis with ticks and their labels.
	axis := []rune(strings.Repeat("─", gw))
	lbl := []rune(strings.Repeat(" ", w))
	step := axisStep(end, gw)
	for t := time.Duration(0); t <= end; t += step {
		x := int(math.Round(float64(t) / float64(end) * float64(gw)))
		l := axisLabel(t)
		if lw+1+x+len(l) > w { // as the burn-down chart fits its labels
			continue
		}
		if x > 0 && x <= gw {
			axis[x-1] = '┬'
		}
		copy(lbl[lw+x:], []rune(l))
	}
	out = append(out, st.Label.on(padLeft(labels(0, 0), lw))+st.Axis.on("└"+string(axis)))
	out = append(out, st.Label.on(string(lbl)))
	out = append(out, stackLegend(st, b, pts, withSplit > 0, w, legendH)...)
	return out
}

// stackLegend is a line or two naming each class with its glyph, and its
// orders waiting and late at the latest split: "█ same-day 120k ! 31k".
func stackLegend(st *Styles, b *model.Backlog, pts []model.BacklogPoint, any bool, w, lines int) []string {
	if !any {
		return padLines([]string{st.Dim.on("no split by promise class reported yet")}, lines)
	}
	var latest model.BacklogPoint
	for i := len(pts) - 1; i >= 0; i-- {
		if len(pts[i].Promise()) > 0 {
			latest = pts[i]
			break
		}
	}
	var entries []string
	for ci, c := range b.Classes {
		e := classPaint(st, ci).on(string(classGlyph(ci))) + " " + clean(c.Name)
		var late int64
		for _, pc := range latest.Promise() {
			if pc.Class == c.ID {
				late = pc.Late
			}
		}
		e += " " + fmtCount(float64(latest.ClassWaiting(c.ID)))
		if late > 0 {
			e += " " + st.Bad.on("! "+fmtCount(float64(late))+" late")
		}
		entries = append(entries, e)
	}
	var out []string
	cur := ""
	for _, e := range entries {
		switch {
		case cur == "":
			cur = e
		case width(cur)+3+width(e) <= w:
			cur += st.Dim.on(" · ") + e
		case len(out) < lines-1:
			out = append(out, cur)
			cur = e
		default:
			cur = trunc(cur+st.Dim.on(" · ")+e, w)
		}
	}
	out = append(out, trunc(cur, w))
	return padLines(out, lines)
}

// padLines makes a list of exactly n lines.
func padLines(l []string, n int) []string {
	for len(l) < n {
		l = append(l, "")
	}
	return l[:n]
}
