package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
)

// hostsPane shows a bar per host group and the total. With more groups than
// lines it scrolls (j/k when focused) and renders only the visible groups.
type hostsPane struct {
	top  int
	memo memo[hostsKey]
}

type hostsKey struct {
	rev, epoch      int
	minute          int64 // recovery rates look back an hour from the clock
	w, h, top       int
	focused, zoomed bool
	alert           string // the failing sources, as text
}

func (p *hostsPane) scroll(d, n, rows int) {
	p.top = min(max(p.top+d, 0), max(n-rows, 0))
}

// rows is how many group lines fit: the last line is the total.
func (p *hostsPane) rows(f frame) int { _, h := f.inner(); return max(h-1, 0) }

func (p *hostsPane) view(f frame) []string {
	s := f.snap
	k := hostsKey{s.State.Rev.Hosts, s.State.Epoch, minute(s.Clock), f.w, f.h, p.top, f.focused, f.zoomed, f.alert.key}
	return p.memo.get(k, func() []string { return p.render(f) })
}

func (p *hostsPane) render(f frame) []string {
	st, s := f.st, f.snap
	groups := s.State.Hosts
	cw, ch := f.inner()
	rows := p.rows(f)
	top := min(p.top, max(len(groups)-rows, 0))
	vis := groups[top:min(top+rows, len(groups))]

	// Columns sized on the visible groups only. Narrow, the failed column
	// goes first (the bar shows failing hosts as ▓ and the total line
	// counts them), then the bar, then the rate.
	useIDs := false
	nameMax, idMax, digits, rateW, failW := 4, 0, 1, 0, 0
	rates := make([]float64, len(vis))
	for i, g := range vis {
		nameMax = max(nameMax, width(clean(groupName(g))))
		idMax = max(idMax, width(clean(g.ID)))
		digits = max(digits, len(strconv.Itoa(g.Total)), len(strconv.Itoa(g.Recovered)))
		rates[i] = groupRate(g, s.Clock)
		rateW = max(rateW, width(rateText(g, rates[i])))
		if g.Failed > 0 {
			failW = max(failW, 1+len(strconv.Itoa(g.Failed)))
		}
	}
	nameCap := min(max(cw/3, 12), 28)
	full := nameMax
	if nameMax > nameCap && idMax > 0 && idMax < nameMax {
		useIDs, full = true, idMax
	}
	nameW := min(full, nameCap)
	countW := 2*digits + 1
	used := nameW + 1 + countW
	showRate := used+1+rateW <= cw
	if showRate {
		used += 1 + rateW
	}
	const minBar = 5
	showFail := failW > 0 && used+1+failW+1+minBar <= cw
	if showFail {
		used += 1 + failW
	}
	barW := cw - used - 1
	showBar := barW >= minBar
	if !showBar { // no bar: give the names the room
		nameW = min(full, nameW+cw-used)
	} else if extra := min(full-nameW, barW-10); extra > 0 { // a long bar can spare some
		nameW += extra
		barW -= extra
	}

	body := make([]string, 0, ch)
	for i, g := range vis {
		var b strings.Builder
		name := groupName(g)
		if useIDs {
			name = g.ID
		}
		b.WriteString(fit(clean(name), nameW))
		if !g.Seen { // declared but never reported: unknown, not zero
			b.WriteString(" " + st.Dim.on(fit("no report yet", cw-nameW-1)))
			body = append(body, b.String())
			continue
		}
		if showBar {
			b.WriteByte(' ')
			b.WriteString(bar(st, g.Recovered, g.Failed, g.Total, barW))
		}
		fmt.Fprintf(&b, " %*d/%-*d", digits, g.Recovered, digits, g.Total)
		if showRate {
			txt := padLeft(rateText(g, rates[i]), rateW)
			if rates[i] <= 0 || recovered(g) {
				txt = st.Dim.on(txt)
			}
			b.WriteString(" " + txt)
		}
		if showFail {
			txt := ""
			if g.Failed > 0 {
				txt = "✗" + strconv.Itoa(g.Failed)
			}
			b.WriteString(" " + st.Bad.on(padLeft(txt, failW)))
		}
		body = append(body, b.String())
	}
	for len(body) < ch-1 {
		body = append(body, "")
	}
	if ch > 0 {
		body = append(body, hostsTotal(f, cw))
	}
	return st.box(boxSpec{
		digit: int(paneHosts), name: "Hosts", focused: f.focused,
		corner: listCorner(top, len(vis), len(groups)), alert: f.alert,
	}, body, f.w, f.h)
}

// hostsTotal is the total line: "total 43% back · +310 hosts/h · 12 failing".
func hostsTotal(f frame, w int) string {
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
	if failed > 0 {
		parts = append(parts, st.Bad.on(fmt.Sprintf("%d failing", failed)))
	}
	line := strings.Join(parts, " · ")
	if width(line) > w { // narrow: the short form
		line = fmt.Sprintf("%d%% back · %s", pct, rateTxt)
		if failed > 0 {
			line += " · " + st.Bad.on(fmt.Sprintf("%d✗", failed))
		}
	}
	return line
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
