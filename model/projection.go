package model

import (
	"math"
	"time"
)

// Projection is the backlog forecast as a path: where the backlog goes from
// the last observation on, at the fitted rate, with a band between the
// rates two standard errors either side of it (the same slopes that give
// Forecast's Early and Late), and, with a what-if, the rate changed from a
// moment on. No path goes below the level that counts as cleared: a
// backlog back to normal stays there.
type Projection struct {
	OK      bool          // enough data for a forecast (Forecast.OK)
	From    time.Duration // the path's start: the last observation (a what-if's: now)
	Waiting float64       // the backlog at From
	Target  float64       // the level that counts as cleared
	// Rate is the fitted rate; Steep and Shallow bound it (Rate ∓ 2 SE),
	// in orders per hour. Steep drains fastest: the band's low edge.
	Rate, Steep, Shallow float64
	// From Change on, every rate is Delta higher (a what-if on shipping).
	Change time.Duration
	Delta  float64
}

// ProjectBacklog is the projection of the forecast ForecastBacklog makes
// with the same arguments: its central path reaches opt.Target at the
// forecast's ETA, its band's edges at Early and Late.
func ProjectBacklog(points []BacklogPoint, now time.Duration, opt ForecastOptions) Projection {
	in, hi := windowAt(points, now, opt.Window)
	if len(in) < 3 {
		return Projection{}
	}
	slope, se, ok := fitLine(in, now)
	if !ok {
		return Projection{}
	}
	last := points[hi-1]
	return Projection{OK: true, From: last.At, Waiting: float64(last.Waiting), Target: float64(opt.Target),
		Rate: slope, Steep: slope - 2*se, Shallow: slope + 2*se, Change: math.MaxInt64}
}

// ProjectWhatIf is the path of ForecastWhatIf with the same arguments:
// from now at the fitted rate, and from the what-if's start on at that rate
// plus (1−Factor) × the latest shipped rate. It has no band: it is compared
// with the baseline's, which has one. Without a what-if it is not OK.
func ProjectWhatIf(points []BacklogPoint, now time.Duration, opt ForecastOptions, w WhatIf) Projection {
	base := ProjectBacklog(points, now, opt)
	if !base.OK || w.Factor <= 0 || w.Factor == 1 || base.Waiting <= base.Target {
		return Projection{}
	}
	shipped := -base.Rate
	if p, ok := latestAt(points, now); ok && p.HasShipped {
		shipped = p.Shipped
	}
	p := base
	p.From, p.Steep, p.Shallow = now, base.Rate, base.Rate
	p.Change, p.Delta = max(w.From, now), (1-w.Factor)*shipped
	return p
}

// At is the projected backlog at t (t >= From): the central path and the
// band's low and high edges.
func (p Projection) At(t time.Duration) (mid, lo, hi float64) {
	return p.along(t, p.Rate), p.along(t, p.Steep), p.along(t, p.Shallow)
}

// along is the path at rate from From, with the what-if's change.
func (p Projection) along(t time.Duration, rate float64) float64 {
	floor := math.Min(p.Waiting, p.Target)
	if t <= p.From {
		return p.Waiting
	}
	var v float64
	if t <= p.Change {
		v = p.Waiting + rate*(t-p.From).Hours()
	} else {
		at := p.Waiting + rate*(p.Change-p.From).Hours()
		if at <= floor && rate < 0 { // cleared before the change
			return floor
		}
		v = at + (rate+p.Delta)*(t-p.Change).Hours()
	}
	return math.Max(v, floor)
}

// ProjectedColumn is the projection at one column of a chart.
type ProjectedColumn struct {
	Col          int
	Mid, Lo, Hi  float64
	MidDone      bool // the central path has reached the target by this column: nothing left to draw of it
	BandDone     bool // so has the band's high edge
	At           time.Duration
	ReachedFloor bool // Mid is at the floor (cleared)
}

// Columns is the projection at each column of a chart whose cols+1
// columns span 0 to end (column c at end×c/cols, as the chart places
// points), from the first column at or after From to the last, appended to
// out. A column past the point where all three paths have reached the
// target is left out.
func (p Projection) Columns(end time.Duration, cols int, out []ProjectedColumn) []ProjectedColumn {
	if !p.OK || cols <= 0 || end <= 0 {
		return out
	}
	floor := math.Min(p.Waiting, p.Target)
	first := int(math.Ceil(float64(p.From) / float64(end) * float64(cols)))
	for c := max(first, 0); c <= cols; c++ {
		at := time.Duration(float64(end) * float64(c) / float64(cols))
		mid, lo, hi := p.At(max(at, p.From))
		pc := ProjectedColumn{Col: c, At: at, Mid: mid, Lo: lo, Hi: hi,
			ReachedFloor: mid <= floor+0.5 && p.Waiting > floor}
		pc.MidDone = pc.ReachedFloor && len(out) > 0 && out[len(out)-1].ReachedFloor
		pc.BandDone = hi <= floor+0.5 && p.Waiting > floor // within half an order: rounding
		if pc.MidDone && pc.BandDone {
			break
		}
		out = append(out, pc)
	}
	return out
}
