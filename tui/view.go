package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"

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
	if a.brief.on {
		return a.briefingView()
	}
	lay := a.layout()
	if lay.tiny {
		return tooSmall(a.w, a.h)
	}
	s := &a.snap
	out := make([]string, 0, a.h)
	var look *headerLook
	if a.look != nil {
		look = &headerLook{roomClock: a.shared.Clock}
	}
	out = append(out, header(a.st, s, look, a.w))
	if lay.compact {
		a.carriers.sync(s)
		out = append(out, summary(a.st, s, a.facts.Forecast(s), a.carriers.unacked, a.w))
	}
	if a.overlay == overlayDebrief { // it covers every pane: draw none
		out = append(out, a.debrief.view(a, lay)...)
		return append(out, a.footer(lay)...)
	}
	if a.overlay == overlayDrafts { // so does the drafts editor
		out = append(out, a.drafts.view(a, lay)...)
		return append(out, a.footer(lay)...)
	}
	panes := make([]string, 0, lay.panesH)
	for _, b := range lay.bands {
		cols := make([][]string, 0, len(b.slots))
		for _, sl := range b.slots {
			cols = append(cols, markAlertPane(a.st, a.paneView(sl.pane, sl.w, b.h), sl.w, paneAlertMark(&s.State, sl.pane)))
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
	case overlaySources:
		panes = a.splice(panes, a.sources.view(a, lay))
	case overlayWho:
		panes = a.splice(panes, a.who.view(a, lay))
	case overlayAlerts:
		panes = a.splice(panes, a.alerts.view(a, lay))
	}
	out = append(out, panes...)
	return append(out, a.footer(lay)...)
}

// paneView renders one pane in a w×h box.
func (a *app) paneView(p paneID, w, h int) []string {
	f := frame{snap: &a.snap, st: a.st, facts: &a.facts, w: w, h: h, focused: p == a.focus, zoomed: a.zoom,
		facilitator: a.facilitator(), alert: a.facts.Alerts(a.st, &a.snap)[p]}
	return a.paneFrame(p, f)
}

// paneFrame renders pane p in the frame f.
func (a *app) paneFrame(p paneID, f frame) []string {
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
	return blank(f.w, f.h)
}

// footer is the status line and the short help; the compact layout has room
// for one of them, the input or a message taking the help's place.
func (a *app) footer(lay layout) []string {
	st := a.st
	var status string
	switch {
	case a.mode == inputSearch:
		status = a.searchPromptView(a.w - 1)
	case a.mode != inputNone:
		status = a.inputView(a.w - 1)
	case a.status != "" && a.statusErr:
		status = st.Error.on("✗ " + clean(a.status))
	case a.status != "":
		status = st.Info.on(clean(a.status))
	}
	helpLine := a.helpLine.get(helpKey{a.focus, a.w, a.snap.Live, a.searching(), a.overlay == overlayDrafts}, func() []string {
		if a.overlay == overlayDrafts { // the panes' keys do not act under the drafts
			k := &a.keys
			return []string{a.help.ShortHelpView([]key.Binding{k.DraftEdit, k.DraftCopy, k.DraftSent, k.DraftRefill, k.Back, k.Quit})}
		}
		return []string{a.help.ShortHelpView(a.helpKeys().ShortHelp())}
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
		_, all := a.hosts.forecasts.get(&a.snap)
		status = st.Dim.on(footerHosts(st, &a.snap, all, a.position(), "you are "+a.whoAmI(), a.w-1))
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
		left := fit(truncCells(line, x, ""), x)
		if strings.Contains(left, "\x1b") {
			left += "\x1b[0m" // a style cut open must not bleed into the box
		}
		right := cutCells(line, x+bw, a.w)
		out[y+i] = fit(left+b+right, a.w)
	}
	return out
}

// position is where the view stands in the events: "event 482/590 · ends
// T+76:05"; live, how many have arrived and the latest.
func (a *app) position() string {
	s := &a.snap
	switch {
	case a.look != nil:
		return "looking back on your own · the room is at " + model.FormatOffset(a.shared.Clock) + " · L rejoins it"
	case !s.Live:
		return "event " + itoa(s.Pos) + "/" + itoa(s.Len) + " · ends " + model.FormatOffset(s.End)
	case s.Following:
		return "live · " + plural(s.Len, "event") + " · latest " + model.FormatOffset(s.End)
	}
	return "event " + itoa(s.Pos) + "/" + itoa(s.Len) + " · latest " + model.FormatOffset(s.End) + " · L returns to live"
}

func (a *app) helpKeys() helpKeys {
	return helpKeys{&a.keys, a.focus, a.facilitator(), a.snap.Live, a.searching()}
}

// helpOverlayKey is what the help's lines depend on.
type helpOverlayKey struct {
	w, panes          int
	facilitator, live bool
}

// helpView is the ? screen: every key, then the commands and what the
// symbols mean. The key columns are laid out in as many rows as the width
// needs, never cut; what does not fit the height scrolls (j/k).
func (a *app) helpView(lay layout) []string {
	bw := min(a.w-2, 100)
	k := helpOverlayKey{bw, lay.panesH, a.facilitator(), a.snap.Live}
	if k != a.helpFullKey || a.helpPg.lines == nil {
		a.helpFullKey = k
		lines := a.helpLines(bw - 4)
		a.helpPg.set(lines, min(lay.panesH, len(lines)+2)-2)
	}
	corner := "esc or ? closes"
	if a.helpPg.more() {
		corner = a.helpPg.where() + " · j/k scroll · esc closes"
	}
	return a.st.box(boxSpec{digit: 0, name: "Help", corner: corner, focused: true}, a.helpPg.view(), bw, a.helpPg.h+2)
}

// helpLines is the help's text, w cells wide.
func (a *app) helpLines(w int) []string {
	hm := a.help
	hm.ShowAll, hm.Width = true, 0 // nothing cut: keyColumns chunks to fit
	hk := a.helpKeys()
	body := keyColumns(hm, hk.FullHelp(), w)
	title := "Tabletop exercise"
	if a.facilitator() {
		title += " (facilitator)"
	}
	body = append(body, "", title)
	body = append(body, keyColumns(hm, hk.ExerciseHelp(), w)...)
	body = append(body, "", "Commands (after :)")
	body = append(body, wrap(commandHelp+" · "+commandHelpHotWash, w)...)
	if a.facilitator() {
		body = append(body, wrap(commandHelpFacilitator+" · "+commandHelpHotWashFacilitator, w)...)
	}
	body = append(body, "")
	for _, l := range []string{
		"Focus is marked ▶ in a pane's title; the selected row with ›.",
		"Warnings: ! unacked  ✓ acked  ✔ resolved.",
		"Runbook: ✓ done  ▸ active  ✗ blocked  – skipped  (blank) pending.",
		"Sources: ✓ ok  ⚠ stale  ✗ error; a stale or failing source shows on the border of each pane it feeds (:sources lists them).",
		"Alerts: ⚑ ALERT on a pane's border and in the header while a rule fires; :alerts lists them and a acknowledges one.",
		"Live: space freezes the view or follows the present again; n/p and :seek scrub back; L returns to live.",
		searchHelp,
	} {
		body = append(body, wrap(l, w)...)
	}
	return append(body, "", "esc or ? closes this help")
}

// keyColumns renders key groups as columns, as many side by side as fit w,
// in rows of columns separated by a blank line.
func keyColumns(hm help.Model, groups [][]key.Binding, w int) []string {
	per := len(groups)
	for per > 1 && !chunksFit(hm, groups, per, w) {
		per--
	}
	var out []string
	for i := 0; i < len(groups); i += per {
		if i > 0 {
			out = append(out, "")
		}
		for _, l := range strings.Split(hm.FullHelpView(groups[i:min(i+per, len(groups))]), "\n") {
			out = append(out, trunc(l, w)) // one column wider than w: cut, the rest still shows
		}
	}
	return out
}

// chunksFit reports whether the groups laid out per to a row fit w cells.
func chunksFit(hm help.Model, groups [][]key.Binding, per, w int) bool {
	for i := 0; i < len(groups); i += per {
		for _, l := range strings.Split(hm.FullHelpView(groups[i:min(i+per, len(groups))]), "\n") {
			if width(l) > w {
				return false
			}
		}
	}
	return true
}
