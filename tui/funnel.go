package tui

import (
	"slices"
	"strconv"
	"time"

	"github.com/warroom/warroom/model"
)

// funnelRow is one line of a group's recovery funnel.
type funnelRow struct {
	label     string
	n, before int  // now, and an hour before the latest report
	hasBefore bool // a report that old exists
	paint     func(*Styles) paint
}

// funnelRows are a group's hosts by recovery step, along the runbook's path
// (crashed, rebooting, SSM rescue, manual root-volume repair, BitLocker key,
// recovered), then apart the instance-store hosts that must never be
// stopped, on their own manual path, and the hosts no step counts. A group
// that reports no steps has recovered, failing and not reported only.
// before is the latest report at least an hour older than the last one.
func funnelRows(g model.HostGroup, last, before model.HostPoint, hasBefore bool) (path, apart []funnelRow) {
	row := func(label string, n, b int, p func(*Styles) paint) funnelRow {
		return funnelRow{label: label, n: n, before: b, hasBefore: hasBefore, paint: p}
	}
	bad := func(st *Styles) paint { return st.Bad }
	warn := func(st *Styles) paint { return st.Warn }
	good := func(st *Styles) paint { return st.BarFill }
	recoveredBefore := hasBefore
	if !stepsShown(g, last) {
		unknown := max(g.Total-last.Recovered-last.Failed, 0)
		path = []funnelRow{
			row("failing", last.Failed, before.Failed, bad),
			row("recovered", last.Recovered, before.Recovered, good),
		}
		if unknown > 0 {
			apart = append(apart, row("not reported", unknown, max(g.Total-before.Recovered-before.Failed, 0), nil))
		}
		return path, apart
	}
	n, b := last.Steps, before.Steps
	// Steps change against a report that had them, else not at all.
	hasBefore = hasBefore && b.Reported()
	path = []funnelRow{
		row("crashed", n.Crashed, b.Crashed, bad),
		row("rebooting", n.Rebooting, b.Rebooting, warn),
		row("SSM rescue", n.Rescue, b.Rescue, warn),
		row("manual repair", n.Manual, b.Manual, warn),
		row("BitLocker key", n.BitLocker, b.BitLocker, warn),
		{label: "recovered", n: last.Recovered, before: before.Recovered, hasBefore: recoveredBefore, paint: good},
	}
	apart = []funnelRow{row("instance store", n.InstanceStore, b.InstanceStore, warn)}
	if unknown := g.Total - last.Recovered - n.Sum(); unknown > 0 {
		apart = append(apart, row("not reported", unknown, max(g.Total-before.Recovered-b.Sum(), 0), nil))
	}
	return path, apart
}

// stepsShown reports whether the funnel shows the recovery steps: the
// report counts hosts at some step, or has every host back, when all steps
// are empty whether the source counts them or not.
func stepsShown(g model.HostGroup, last model.HostPoint) bool {
	return last.Steps.Reported() || (g.Total > 0 && last.Recovered >= g.Total)
}

// hourBefore is the latest report at least an hour before the last one, for
// the funnel's change column; false when the history is shorter.
func hourBefore(pts []model.HostPoint) (model.HostPoint, bool) {
	if len(pts) < 2 {
		return model.HostPoint{}, false
	}
	limit := pts[len(pts)-1].At - time.Hour
	i, _ := slices.BinarySearchFunc(pts, limit, func(p model.HostPoint, t time.Duration) int {
		if p.At <= t {
			return -1
		}
		return 1
	})
	if i == 0 {
		return model.HostPoint{}, false
	}
	return pts[i-1], true
}

// drawFunnel draws the funnel in w×h: a head line, the path's steps, a rule
// naming the instance-store path, and its rows. Each row is a label, a bar
// scaled to the group's total (at least one cell for any host), the count
// and its change over the last hour ("−40", "+12"). At most h lines: rows
// that do not fit are cut from the bottom.
func drawFunnel(st *Styles, g model.HostGroup, pts []model.HostPoint, w, h int) []string {
	if w < 16 || h < 1 || len(pts) == 0 {
		return blank(max(w, 0), max(h, 0))
	}
	last := pts[len(pts)-1]
	before, ok := hourBefore(pts)
	path, apart := funnelRows(g, last, before, ok)
	rows := append(slices.Clone(path), apart...)

	labelW, countW, deltaW := 0, 1, 0
	for _, r := range rows {
		labelW = max(labelW, width(r.label))
		countW = max(countW, len(strconv.Itoa(r.n)))
		deltaW = max(deltaW, width(funnelDelta(r)))
	}
	labelW = min(labelW, max(w/2, 8))
	barW := w - labelW - countW - 2
	if deltaW > 0 && barW-deltaW-1 >= 6 {
		barW -= deltaW + 1
	} else {
		deltaW = 0
	}
	line := func(r funnelRow) string {
		filled := 0
		if g.Total > 0 && barW > 0 {
			filled = min(r.n*barW/g.Total, barW)
			if r.n > 0 && filled == 0 {
				filled = 1
			}
		}
		p := st.BarEmpty
		if r.paint != nil {
			p = r.paint(st)
		}
		txt := fit(r.label, labelW) + " " + p.on(repeat("█", filled)) + st.BarEmpty.on(repeat("·", max(barW-filled, 0))) +
			" " + padLeft(strconv.Itoa(r.n), countW)
		if deltaW > 0 {
			txt += " " + st.Dim.on(padLeft(funnelDelta(r), deltaW))
		}
		return txt
	}

	head := "recovery steps"
	if !stepsShown(g, last) {
		head = "no step counts reported"
	}
	if deltaW > 0 {
		head = fit(head, w-deltaW-1) + " " + padLeft("1h", deltaW)
	}
	out := []string{st.Dim.on(fit(head, w))}
	for _, r := range path {
		out = append(out, line(r))
	}
	for i, r := range apart {
		if i == 0 && stepsShown(g, last) { // the instance-store hosts' own path
			rule := "┄ never stopped: own path "
			out = append(out, st.Dim.on(trunc(rule, w)+repeat("┄", max(w-width(rule), 0))))
		}
		out = append(out, line(r))
	}
	if len(out) > h {
		out = out[:h]
	}
	return out
}

// funnelDelta is a row's change over the last hour: "+12", "−40", "" when
// unchanged or unknown.
func funnelDelta(r funnelRow) string {
	d := r.n - r.before
	switch {
	case !r.hasBefore || d == 0:
		return ""
	case d > 0:
		return "+" + strconv.Itoa(d)
	}
	return "−" + strconv.Itoa(-d)
}
