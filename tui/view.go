package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/warroom/warroom/model"
)

// layout is the layout for the current size and UI state.
func (a *app) layout() layout {
	return computeLayout(a.w, a.h, a.zoom, a.facilitator(), a.focus, a.lower1, a.lower2)
}

// View renders the frame: exactly h lines of at most w cells. It returns the
// cached frame when neither the snapshot nor the UI changed.
func (a *app) View() string {
	if a.w <= 0 || a.h <= 0 {
		return ""
	}
	k := frameKey{a.snap.Seq, a.uiRev, a.w, a.h}
	if a.frameOK && k == a.frameKey {
		return a.frame
	}
	a.frameKey, a.frameOK = k, true
	a.frame = strings.Join(a.render(), "\n")
	return a.frame
}

func (a *app) render() []string {
	lay := a.layout()
	if lay.tiny {
		return tooSmall(a.w, a.h)
	}
	s := &a.snap
	out := make([]string, 0, a.h)
	out = append(out, header(a.st, s, a.w))
	if lay.compact {
		a.carriers.sync(s)
		out = append(out, summary(a.st, s, a.facts.Forecast(s), a.carriers.unacked, a.w))
	}
	if a.overlay == overlayDebrief { // it covers every pane: draw none
		out = append(out, a.debrief.view(a, lay)...)
		return append(out, a.footer(lay)...)
	}
	panes := make([]string, 0, lay.panesH)
	for _, b := range lay.bands {
		cols := make([][]string, 0, len(b.slots))
		for _, sl := range b.slots {
			cols = append(cols, a.paneView(sl.pane, sl.w, b.h))
		}
		panes = append(panes, joinBand(cols, b.h)...)
	}
	switch a.overlay {
	case overlayNotice:
		panes = a.splice(panes, a.notice.view(a, lay))
	case overlayHelp:
		panes = a.splice(panes, a.helpView(lay))
	case overlayInject:
		panes = a.splice(panes, a.inject.view(a, lay))
	}
	out = append(out, panes...)
	return append(out, a.footer(lay)...)
}

// paneView renders one pane in a w×h box.
func (a *app) paneView(p paneID, w, h int) []string {
	f := frame{snap: &a.snap, st: a.st, facts: &a.facts, w: w, h: h, focused: p == a.focus, zoomed: a.zoom,
		facilitator: a.facilitator()}
	switch p {
	case paneHosts:
		return a.hosts.view(f)
	case paneBacklog:
		return a.backlog.view(f)
	case paneCarriers:
		return a.carriers.view(f)
	case paneComplaints:
		return a.complaints.view(f)
	case paneRunbook:
		return a.runbook.view(f)
	case paneTimeline:
		return a.timeline.view(f)
	}
	return blank(w, h)
}

// footer is the status line and the short help; the compact layout has room
// for one of them, the input or a message taking the help's place.
func (a *app) footer(lay layout) []string {
	st := a.st
	var status string
	switch {
	case a.mode != inputNone:
		status = a.input.View()
	case a.status != "" && a.statusErr:
		status = st.Error.on("✗ " + clean(a.status))
	case a.status != "":
		status = st.Info.on(clean(a.status))
	}
	helpLine := a.helpLine.get(helpKey{a.focus, a.w}, func() []string {
		return []string{a.help.ShortHelpView(helpKeys{&a.keys, a.focus, a.facilitator()}.ShortHelp())}
	})[0]
	if lay.compact {
		switch {
		case status != "":
		case a.facilitator():
			return []string{a.strip()}
		default:
			status = helpLine
		}
		return []string{fit(" "+status, a.w)}
	}
	if status == "" {
		s := &a.snap
		status = st.Dim.on("event " + itoa(s.Pos) + "/" + itoa(s.Len) + " · ends " + model.FormatOffset(s.End) +
			" · you are " + clean(a.responder()))
	}
	out := []string{fit(" "+status, a.w), fit(" "+helpLine, a.w)}
	if a.facilitator() {
		out = append([]string{a.strip()}, out...)
	}
	return out
}

// splice lays an overlay box over the middle of the panes.
func (a *app) splice(panes, box []string) []string {
	if len(box) == 0 {
		return panes
	}
	bw := width(box[0])
	x := max((a.w-bw)/2, 0)
	y := max((len(panes)-len(box))/2, 0)
	out := append([]string(nil), panes...)
	for i, b := range box {
		if y+i >= len(out) {
			break
		}
		line := out[y+i]
		left := fit(ansi.Truncate(line, x, ""), x)
		if strings.Contains(left, "\x1b") {
			left += "\x1b[0m" // a style cut open must not bleed into the box
		}
		right := ansi.Cut(line, x+bw, a.w)
		out[y+i] = fit(left+b+right, a.w)
	}
	return out
}

// helpView is the ? screen: every key, then the commands.
func (a *app) helpView(lay layout) []string {
	bw := min(a.w-2, 100)
	hm := a.help
	hm.ShowAll, hm.Width = true, bw-4
	hk := helpKeys{&a.keys, a.focus, a.facilitator()}
	body := strings.Split(hm.FullHelpView(hk.FullHelp()), "\n")
	title := "Tabletop exercise"
	if a.facilitator() {
		title += " (facilitator)"
	}
	body = append(body, "", title)
	body = append(body, strings.Split(hm.FullHelpView(hk.ExerciseHelp()), "\n")...)
	body = append(body, "", "Commands (after :)")
	body = append(body, wrap(commandHelp, bw-4)...)
	if a.facilitator() {
		body = append(body, wrap(commandHelpFacilitator, bw-4)...)
	}
	body = append(body, "",
		"Focus is marked ▶ in a pane's title; the selected row with ›.",
		"Warnings: ! unacked  ✓ acked  ✔ resolved.  Runbook: ✓ done  ▸ active  ✗ blocked  – skipped",
		"", "esc or ? closes this help")
	bh := min(lay.panesH, len(body)+2)
	return a.st.box(boxSpec{digit: 0, name: "Help", focused: true}, body, bw, bh)
}
