package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
)

// hostsPane shows a bar per host group, its recovery rate and ETA, and the
// total. j/k (when focused) move a cursor over the groups; with more groups
// than lines the list scrolls and renders only the visible groups. Zoomed,
// it shows the group under the cursor: its history and its funnel.
type hostsPane struct {
	top, sel  int
	memo      memo[hostsKey]
	forecasts hostForecasts
	zoom      hostZoom
}

type hostsKey struct {
	rev, epoch      int
	minute          int64 // rates and ETAs look back and ahead from the clock
	w, h, top, sel  int
	focused, zoomed bool
	alert           string        // the failing sources, as text
	flagged         firingFigures // the figures a firing alert marks
}

// scroll moves the cursor by d over n groups shown rows at a time, the
// window following it.
func (p *hostsPane) scroll(d, n, rows int) {
	p.sel = min(max(p.sel+d, 0), max(n-1, 0))
	p.top = scrollWindow(p.top, p.sel, n, max(rows, 1))
}

// zoomedID is the group the Hosts pane is zoomed on, "" when it is not:
// a commander shares it with the consoles that follow.
func (p *hostsPane) zoomedID(a *app) string {
	hs := a.snap.State.Hosts
	if !a.zoom || a.focus != paneHosts || p.sel >= len(hs) {
		return ""
	}
	return hs[p.sel].ID
}

// zoomTo puts the cursor on the group a followed commander zoomed on.
func (p *hostsPane) zoomTo(a *app, id string) {
	if !a.zoom || a.focus != paneHosts || id == "" {
		return
	}
	for i, g := range a.snap.State.Hosts {
		if g.ID == id {
			p.sel = i
			return
		}
	}
}

// rows is how many group lines fit: the last line is the total.
func (p *hostsPane) rows(f frame) int { _, h := f.inner(); return max(h-1, 0) }

func (p *hostsPane) view(f frame) []string {
	s := f.snap
	p.sel = min(p.sel, max(len(s.State.Hosts)-1, 0))
	if f.zoomed && len(s.State.Hosts) > 0 {
		return p.zoom.view(f, p.sel, &p.forecasts)
	}
	k := hostsKey{s.State.Rev.Hosts, s.State.Epoch, minute(s.Clock), f.w, f.h, p.top, p.sel, f.focused, f.zoomed, f.alert.key, figuresFiring(&s.State)}
	return p.memo.get(k, func() []string { return p.render(f) })
}

// hostCols is how a group row is laid out: which columns show and how wide.
type hostCols struct {
	useIDs                      bool
	nameW, digits, barW         int
	rateW, etaW, failW          int
	showRate, showBar, showFail bool
	showETA, etaRange           bool
}

// layoutHostCols fits the columns to w cells. The name and the counts
// always show; then, as room allows, the rate, the ETA, the bar, the ETA's
// range, the names' full length and the failing count, in that order; what
// is left widens the bar.
func layoutHostCols(vis []model.HostGroup, fcs []model.HostForecast, rates []float64, now time.Duration, w int) hostCols {
	var c hostCols
	nameMax, idMax, etaShort, etaLong := 4, 0, 0, 0
	c.digits = 1
	for i, g := range vis {
		nameMax = max(nameMax, width(clean(groupName(g))))
		idMax = max(idMax, width(clean(g.ID)))
		c.digits = max(c.digits, len(strconv.Itoa(g.Total)), len(strconv.Itoa(g.Recovered)))
		c.rateW = max(c.rateW, width(rateText(g, rates[i])))
		if g.Failed > 0 {
			c.failW = max(c.failW, 1+len(strconv.Itoa(g.Failed)))
		}
		if g.Seen {
			etaShort = max(etaShort, width(groupETA(fcs[i], now, false)))
			etaLong = max(etaLong, width(groupETA(fcs[i], now, true)))
		}
	}
	nameCap := min(max(w/3, 12), 28)
	full := nameMax
	if nameMax > nameCap && idMax > 0 && idMax < nameMax {
		c.useIDs, full = true, idMax
	}
	const minName, minBar = 8, 4
	c.nameW = min(full, minName)
	used := 1 + c.nameW + 1 + 2*c.digits + 1 // gutter, name, counts
	fits := func(n int) bool { return used+1+n <= w }
	if c.showRate = fits(c.rateW); c.showRate {
		used += 1 + c.rateW
	}
	if c.showETA = etaShort > 0 && fits(etaShort); c.showETA {
		c.etaW = etaShort
		used += 1 + etaShort
	}
	if c.showBar = fits(minBar); c.showBar {
		used += 1 + minBar
	}
	if c.showETA && etaLong > etaShort && used-etaShort+etaLong <= w {
		c.etaRange = true
		used += etaLong - etaShort
		c.etaW = etaLong
	}
	grow := min(full-c.nameW, w-used)
	c.nameW += grow
	used += grow
	if c.showFail = c.failW > 0 && fits(c.failW); c.showFail {
		used += 1 + c.failW
	}
	if c.showBar {
		c.barW = minBar + w - used
	}
	return c
}

func (p *hostsPane) render(f frame) []string {
	st, s := f.st, f.snap
	groups := s.State.Hosts
	cw, ch := f.inner()
	rows := p.rows(f)
	top := scrollWindow(min(p.top, max(len(groups)-rows, 0)), p.sel, len(groups), max(rows, 1))
	p.top = top
	vis := groups[top:min(top+rows, len(groups))]
	all, _ := p.forecasts.get(s)
	fcs := all[top : top+len(vis)]

	rates := make([]float64, len(vis))
	for i, g := range vis {
		rates[i] = groupRate(g, s.Clock)
	}
	c := layoutHostCols(vis, fcs, rates, s.Clock, cw)

	flagged := figuresFiring(&s.State)
	body := make([]string, 0, ch)
	for i, g := range vis {
		var b strings.Builder
		name := groupName(g)
		if c.useIDs {
			name = g.ID
		}
		selected := f.focused && top+i == p.sel
		name = fit(clean(name), c.nameW)
		switch {
		case selected:
			b.WriteString("›" + st.Selected.on(name))
		case flagged.flagsGroup(g.ID): // a stalled-hosts rule on this group fires
			b.WriteString(st.Bad.on("⚑") + st.Bad.on(name))
		default:
			b.WriteString(" " + name)
		}
		if !g.Seen { // declared but never reported: unknown, not zero
			b.WriteString(" " + st.Dim.on(fit("no report yet", cw-c.nameW-2)))
			body = append(body, b.String())
			continue
		}
		if c.showBar {
			b.WriteByte(' ')
			b.WriteString(bar(st, g.Recovered, g.Failed, g.Total, c.barW))
		}
		fmt.Fprintf(&b, " %*d/%-*d", c.digits, g.Recovered, c.digits, g.Total)
		if c.showRate {
			txt := padLeft(rateText(g, rates[i]), c.rateW)
			if rates[i] <= 0 || recovered(g) {
				txt = st.Dim.on(txt)
			}
			b.WriteString(" " + txt)
		}
		if c.showETA {
			b.WriteString(" " + etaPaint(st, fcs[i], s.Clock).on(fit(groupETA(fcs[i], s.Clock, c.etaRange), c.etaW)))
		}
		if c.showFail {
			txt := ""
			if g.Failed > 0 {
				txt = "✗" + strconv.Itoa(g.Failed)
			}
			b.WriteString(" " + st.Bad.on(padLeft(txt, c.failW)))
		}
		body = append(body, b.String())
	}
	for len(body) < ch-1 {
		body = append(body, "")
	}
	if ch > 0 {
		body = append(body, hostsTotal(f, &p.forecasts, cw))
	}
	return st.box(boxSpec{
		digit: int(paneHosts), name: "Hosts", focused: f.focused,
		corner: listCorner(top, len(vis), len(groups)), alert: f.alert,
	}, body, f.w, f.h)
}

// hostsTotal is the total line: "total 43% back · +310 hosts/h · 12
// failing", and when every host is due back ("all in 30h") if that fits too:
// the compact layout's footer has no room for the all-hosts ETA.
func hostsTotal(f frame, fc *hostForecasts, w int) string {
	st, s := f.st, f.snap
	rec, total, failed := s.State.HostTotals()
	if total == 0 {
		return st.Dim.on(fit("no host reports yet", w))
	}
	rate := 0.0
	for _, g := range s.State.Hosts {
		rate += groupRate(g, s.Clock)
	}
	pct := percent(rec, total)
	rateTxt := fmtRate(rate)
	parts := []string{
		st.Bold.on(fmt.Sprintf("total %d%% back", pct)),
		strings.TrimSuffix(rateTxt, "/h") + " hosts/h",
	}
	if figuresFiring(&s.State).recovered { // a stalled-hosts rule fires
		parts[0] = flag(st, parts[0])
	}
	if failed > 0 {
		parts = append(parts, st.Bad.on(fmt.Sprintf("%d failing", failed)))
	}
	_, all := fc.get(s)
	eta := allHostsShort(all, s.Clock)
	if all.Stalled > 0 || (all.Groups > 0 && !all.OK && !all.AllBack()) {
		eta = st.Bad.on(eta)
	}
	short := fmt.Sprintf("%d%% back · %s", pct, rateTxt)
	shortFail := short
	if failed > 0 {
		shortFail += " · " + st.Bad.on(fmt.Sprintf("%d✗", failed))
	}
	for _, line := range []string{
		strings.Join(append(parts, eta), " · "),
		strings.Join(parts, " · "),
		shortFail + " · " + eta,
		short + " · " + eta,
	} {
		if eta == "" && strings.HasSuffix(line, " · ") {
			continue
		}
		if width(line) <= w {
			return line
		}
	}
	return shortFail
}

// recovered reports whether every host of a group is back: it has no
// recovery rate any more.
func recovered(g model.HostGroup) bool { return g.Total > 0 && g.Recovered >= g.Total }

// groupRate is a group's recovery rate in hosts per hour over the last
// hour; 0 for a group fully back, which adds nothing to the total's rate.
func groupRate(g model.HostGroup, now time.Duration) float64 {
	if recovered(g) {
		return 0
	}
	return model.RecoveryRate(g.History, now, time.Hour)
}

// rateText is a group's rate column: "+6/h", or "done" when fully back.
func rateText(g model.HostGroup, rate float64) string {
	if recovered(g) {
		return "done"
	}
	return fmtRate(rate)
}

func groupName(g model.HostGroup) string {
	if g.Name != "" {
		return g.Name
	}
	return g.ID
}

// percent is whole percent, rounded down so that 99.6% never reads "100%".
func percent(n, total int) int {
	if total <= 0 {
		return 0
	}
	return n * 100 / total
}

// bar draws a group in w cells: recovered █ (coloured by the share back),
// failing ▓, the rest ░. Lengths carry the meaning; colour only adds to it.
func bar(st *Styles, rec, failed, total, w int) string {
	filled, bad := 0, 0
	if total > 0 {
		filled = min(max(rec*w/total, 0), w)
		if rec > 0 && filled == 0 {
			filled = 1 // something is back: show it
		}
		bad = min(max(failed*w/total, 0), w-filled)
		if failed > 0 && bad == 0 && filled < w {
			bad = 1
		}
	}
	fill := st.BarFillBad
	switch pct := percent(rec, total); {
	case pct >= 90:
		fill = st.BarFill
	case pct >= 50:
		fill = st.BarFillWarn
	}
	return fill.on(repeat("█", filled)) + st.Bad.on(repeat("▓", bad)) + st.BarEmpty.on(repeat("░", w-filled-bad))
}

// listCorner is the bottom-border note of a scrolled list: "9-16/500".
func listCorner(top, shown, n int) string {
	if shown >= n {
		return ""
	}
	return fmt.Sprintf("%d-%d/%d", top+1, top+shown, n)
}
