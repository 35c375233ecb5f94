package tui

import (
	"fmt"
	"strings"
)

// Size limits. Below the minimum the app only says how big it must be; below
// the full size it uses the compact layout with a summary strip.
const (
	minWidth, minHeight   = 60, 16
	fullWidth, fullHeight = 100, 30
)

// slot is one pane's place in a band, and band a row of panes of one height.
type slot struct {
	pane paneID
	w    int
}

type band struct {
	h     int
	slots []slot
}

// layout is where everything goes for one terminal size and UI state.
type layout struct {
	w, h    int
	tiny    bool // below the minimum: only the size message
	compact bool // summary strip, two bands, one footer line
	top     int  // lines above the panes: header (+ summary strip)
	bands   []band
	panesH  int // lines for the panes
	footer  int // lines below the panes
}

// computeLayout lays out the screen. In the compact layout the lower band
// shows one pane of each pair (carriers or runbook, complaints or timeline):
// whichever was focused last. strip adds the facilitator's line above the
// footer in the full layout (the compact one shows it in the footer).
func computeLayout(w, h int, zoom, strip bool, focus, lower1, lower2 paneID) layout {
	l := layout{w: w, h: h}
	if w < minWidth || h < minHeight {
		l.tiny = true
		return l
	}
	l.compact = w < fullWidth || h < fullHeight
	if l.compact {
		l.top, l.footer = 2, 1
	} else {
		l.top, l.footer = 1, 2
		if strip {
			l.footer++
		}
	}
	l.panesH = h - l.top - l.footer
	// Hosts and the runbook need less width than the chart and the
	// timeline; carriers and complaints share evenly.
	narrow := w * 9 / 20
	half := w / 2
	switch {
	case zoom:
		l.bands = []band{{h: l.panesH, slots: []slot{{focus, w}}}}
	case l.compact:
		b1 := l.panesH / 2
		l.bands = []band{
			{h: b1, slots: []slot{{paneHosts, half}, {paneBacklog, w - half}}},
			{h: l.panesH - b1, slots: []slot{{lower1, half}, {lower2, w - half}}},
		}
	default:
		b1 := l.panesH * 2 / 5
		b2 := (l.panesH - b1) / 2
		l.bands = []band{
			{h: b1, slots: []slot{{paneHosts, narrow}, {paneBacklog, w - narrow}}},
			{h: b2, slots: []slot{{paneCarriers, half}, {paneComplaints, w - half}}},
			{h: l.panesH - b1 - b2, slots: []slot{{paneRunbook, narrow}, {paneTimeline, w - narrow}}},
		}
	}
	return l
}

// tooSmall is the screen for a terminal below the minimum size.
func tooSmall(w, h int) []string {
	msg := fmt.Sprintf("warroom needs at least %d×%d (now %d×%d)", minWidth, minHeight, w, h)
	lines := make([]string, h)
	for i := range lines {
		lines[i] = repeat(" ", w)
	}
	if h > 0 {
		lines[h/2] = center(msg, w)
	}
	return lines
}

// boxSpec is what a pane puts in its frame.
type boxSpec struct {
	digit   int
	name    string     // "Carrier warnings"
	extra   string     // "(2 unacked)"
	corner  string     // bottom-right note: "3/120"
	alert   paneAlerts // bottom-left: the stale and failing sources feeding it
	focused bool
}

// box frames body lines in a rounded border: exactly h lines of exactly w
// cells. The focused pane's border is coloured and its title carries a ▶, so
// focus is visible without colour.
func (s *Styles) box(spec boxSpec, body []string, w, h int) []string {
	if w < 4 || h < 2 {
		return blank(w, h)
	}
	border, titleP := s.Border, s.PaneTitle
	lead := "─ "
	if spec.focused {
		border, titleP = s.BorderFocus, s.PaneFocus
		lead = "▶ "
	}
	inner := w - 2
	// Top: ╭─ 1 Hosts extra ───╮, the title cut to the width.
	title := clean(spec.name)
	if spec.digit > 0 {
		title = fmt.Sprintf("%d %s", spec.digit, title)
	}
	extra := ""
	if spec.extra != "" {
		extra = " " + clean(spec.extra)
	}
	space := inner - width(lead) - 1
	title = trunc(title, space)
	extra = trunc(extra, space-width(title))
	used := width(lead) + width(title) + width(extra) + 1
	top := border.on("╭"+lead) + titleP.on(title) + extra + border.on(" "+repeat("─", inner-used)+"╮")

	out := make([]string, 0, h)
	out = append(out, top)
	side := border.on("│")
	cw := inner - 2
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		out = append(out, side+" "+fit(line, cw)+" "+side)
	}
	corner := ""
	if spec.corner != "" && inner > 6 {
		corner = " " + trunc(spec.corner, inner-4) + " "
	}
	// Bottom: ╰─ alert ──── corner ─╯, the alert cut to what the corner
	// leaves.
	alert := ""
	if room := inner - width(corner) - 5; len(spec.alert.srcs) > 0 && room >= 3 {
		alert = " " + spec.alert.line(s, room) + " "
	}
	fill := inner - width(corner) - width(alert) - 2
	if alert == "" {
		return append(out, border.on("╰─"+repeat("─", fill)+corner+"─╯"))
	}
	out = append(out, border.on("╰─")+alert+border.on(repeat("─", fill)+corner+"─╯"))
	return out
}

// blank is h lines of w spaces.
func blank(w, h int) []string {
	out := make([]string, max(h, 0))
	for i := range out {
		out[i] = repeat(" ", w)
	}
	return out
}

// joinBand sets the panes of a band side by side.
func joinBand(cols [][]string, h int) []string {
	out := make([]string, h)
	var b strings.Builder
	for i := range out {
		b.Reset()
		for _, c := range cols {
			if i < len(c) {
				b.WriteString(c[i])
			}
		}
		out[i] = b.String()
	}
	return out
}

// memo keeps the last rendering of something and the key it was made for:
// a pane re-renders only when its key (the revisions, size, focus and clock
// it depends on) changed.
type memo[K comparable] struct {
	ok  bool
	key K
	val []string
}

func (m *memo[K]) get(k K, render func() []string) []string {
	if !m.ok || m.key != k {
		m.key, m.val, m.ok = k, render(), true
	}
	return m.val
}

// scrollWindow returns the first visible row of a list of n rows shown in h
// lines, keeping sel visible and moving the window as little as possible.
func scrollWindow(top, sel, n, h int) int {
	if h <= 0 || n <= h {
		return 0
	}
	if sel < top {
		top = sel
	}
	if sel >= top+h {
		top = sel - h + 1
	}
	return min(max(top, 0), n-h)
}
