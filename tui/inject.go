package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// injectOverlay shows one delivered inject: its prompt, the questions to
// discuss and the decisions recorded against it, and for the facilitator
// the notes, the expected actions (checked with 1-9) and the score. It
// refers to the inject by id, so decisions and checks show as they land.
type injectOverlay struct {
	id     string
	pg     pager
	key    injectKey
	bw, bh int
	// seen holds the deliveries (inject and delivery time) already shown:
	// once closed, an inject opens again only on I, not each time a
	// snapshot passes it.
	seen map[string]bool
}

type injectKey struct {
	id                   string
	rev, epoch, w, panes int
}

func deliveryKey(in model.InjectState) string { return in.ID + "@" + in.FiredAt.String() }

// injectDelivered opens the overlay when the snapshot delivered an inject:
// the current inject changed to one fired at or after the clock of the
// previous snapshot. Stepping back to an older inject is not a delivery.
func (a *app) injectDelivered(prev room.Snapshot) {
	in, ok := a.snap.State.CurrentInject()
	if !ok || in.Status != model.InjectFired {
		return
	}
	if p, ok := prev.State.CurrentInject(); ok && p.Status == model.InjectFired && deliveryKey(p) == deliveryKey(in) {
		return
	}
	if in.FiredAt < prev.Clock || a.inject.seen[deliveryKey(in)] {
		return
	}
	if a.overlay == overlayDebrief { // reading the debrief: do not yank it away
		a.markSeen(in)
		a.info("INJECT " + clean(in.Title) + " — I shows it")
		return
	}
	a.openInject(in)
}

func (a *app) markSeen(in model.InjectState) {
	if a.inject.seen == nil {
		a.inject.seen = map[string]bool{}
	}
	a.inject.seen[deliveryKey(in)] = true
}

func (a *app) openInject(in model.InjectState) {
	a.markSeen(in)
	a.inject.id, a.inject.key, a.inject.pg.top = in.ID, injectKey{}, 0
	a.overlay = overlayInject
}

// showInject is I: reopen the current inject.
func (a *app) showInject() {
	in, ok := a.snap.State.CurrentInject()
	if !ok {
		a.fail("no inject delivered yet")
		return
	}
	a.openInject(in)
}

// check closes the overlay when its inject is no longer delivered (the
// replay went back before it): an undelivered inject is not the players'.
func (o *injectOverlay) check(a *app) {
	if in, ok := a.snap.State.InjectByID(o.id); !ok || in.Status != model.InjectFired {
		a.overlay = overlayNone
	}
}

// injectKeyMsg handles keys while the inject overlay is open. The command
// line stays reachable for :decide, and the facilitator keeps F/S/H/P.
func (a *app) injectKeyMsg(msg tea.KeyMsg) tea.Cmd {
	k := &a.keys
	a.status = ""
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Back):
		a.overlay = overlayNone
	case key.Matches(msg, k.Command):
		return a.openInput(inputCommand, ":", "")
	case key.Matches(msg, k.ShowInject):
		a.showInject()
	case key.Matches(msg, k.Debrief):
		a.openDebrief()
	case key.Matches(msg, k.Check):
		if a.facilitator() {
			a.toggleExpected(int(msg.Runes[0] - '1'))
		}
	case a.inject.pg.key(msg, k):
	default:
		a.facilitatorKey(msg)
	}
	return nil
}

// toggleExpected checks or unchecks expected action i of the shown inject.
func (a *app) toggleExpected(i int) {
	in, ok := a.snap.State.InjectByID(a.inject.id)
	if !ok || i < 0 || i >= len(in.Expected) {
		return
	}
	done := i >= len(in.Checked) || !in.Checked[i]
	if !a.act(model.ExpectedCheck{Inject: in.ID, Item: i, Done: done, By: a.responder()}) {
		return
	}
	mark := "unchecked "
	if done {
		mark = "checked "
	}
	after, _ := a.snap.State.InjectByID(in.ID)
	a.info(mark + itoa(i+1) + " · score: " + after.Score())
}

// refresh rebuilds the lines when the inject, the decisions or the size
// changed, keeping the scroll position.
func (o *injectOverlay) refresh(a *app, lay layout) {
	s := &a.snap
	bw := max(min(a.w-4, 96), 20) // as wide as reads well; as tall as it needs
	k := injectKey{o.id, s.State.Rev.Injects, s.State.Epoch, bw, lay.panesH}
	if k == o.key {
		return
	}
	o.key, o.bw = k, bw
	in, _ := s.State.InjectByID(o.id)
	lines := injectLines(a, in, bw-4)
	o.bh = min(len(lines)+3, max(lay.panesH, 4)) // border, hint line
	o.pg.set(lines, o.bh-3)
}

const injectHint = ":decide TEXT to record a decision · esc close · I reopen"

// view is the inject in its box, the hint on its last line.
func (o *injectOverlay) view(a *app, lay layout) []string {
	o.refresh(a, lay)
	in, _ := a.snap.State.InjectByID(o.id)
	corner := ""
	if o.pg.more() {
		corner = o.pg.where() + " · j/k scroll"
	}
	body := append(append([]string(nil), o.pg.view()...), a.st.Dim.on(trunc(injectHint, o.bw-4)))
	for len(body) < o.bh-2 { // keep the hint on the last line
		body = append(body[:len(body)-1], "", body[len(body)-1])
	}
	return a.st.box(boxSpec{
		name: "INJECT " + in.Title, extra: "· " + model.FormatOffset(in.FiredAt), corner: corner, focused: true,
	}, body, o.bw, o.bh)
}

// injectLines is the inject as text w cells wide. Players get what the
// team would get; the facilitator's part comes last, marked as such.
func injectLines(a *app, in model.InjectState, w int) []string {
	st, sc, fac := a.st, a.snap.Scenario, a.facilitator()
	var out []string
	when := "delivered " + model.FormatOffset(in.FiredAt) + " · " + st.wallStamp(sc.WallTime(in.FiredAt))
	if fac && in.FiredAt != in.Due {
		when += " · scheduled " + model.FormatOffset(in.Due)
	}
	out = append(out, st.Dim.on(trunc(when, w)), "")
	for _, para := range strings.Split(cleanBlock(in.Prompt), "\n") {
		for _, l := range wrap(para, w) {
			out = append(out, st.Bold.on(l))
		}
	}
	if len(in.Questions) > 0 {
		out = append(out, "", st.Inject.on("Discuss:"))
		for i, q := range in.Questions {
			out = append(out, hanging(" "+itoa(i+1)+". ", clean(q), w, paint{})...)
		}
	}
	out = append(out, "", st.Inject.on("Decisions:"))
	n := 0
	for _, d := range a.snap.State.Decisions {
		if d.Inject != in.ID {
			continue
		}
		n++
		lead := " " + model.FormatOffset(d.At) + " " + clean(d.By) + ": "
		out = append(out, hanging(lead, clean(d.Text), w, st.Note)...)
	}
	if n == 0 {
		out = append(out, st.Dim.on(" none yet"))
	}
	if fac {
		out = append(out, facilitatorLines(st, in, w)...)
	}
	return append(out, "")
}

// facilitatorLines is the facilitator's part of the inject overlay.
func facilitatorLines(st *Styles, in model.InjectState, w int) []string {
	label := "── facilitator only "
	out := []string{"", st.Warn.on(label + repeat("─", w-width(label)))}
	if notes := strings.TrimSpace(in.Notes); notes != "" {
		out = append(out, st.Inject.on("Notes:"))
		for _, para := range strings.Split(cleanBlock(notes), "\n") {
			out = append(out, hanging(" ", para, w, paint{})...)
		}
	}
	if len(in.Expected) == 0 {
		return out
	}
	head := st.Inject.on("Expected actions") + " · score: " + scoreText(st, in) +
		st.Dim.on(" · 1-"+itoa(min(len(in.Expected), 9))+" checks")
	out = append(out, "", trunc(head, w))
	for i, e := range in.Expected {
		box, p := "[ ]", paint{}
		if i < len(in.Checked) && in.Checked[i] {
			box, p = "[x]", st.Good
		}
		out = append(out, hanging(" "+box+" "+itoa(i+1)+" ", clean(e), w, p)...)
	}
	return out
}

// scoreText is the score with its count, painted: "partly (2 of 4)".
func scoreText(st *Styles, in model.InjectState) string {
	done := 0
	for _, c := range in.Checked {
		if c {
			done++
		}
	}
	count := " (" + itoa(done) + " of " + itoa(len(in.Expected)) + ")"
	switch sc := in.Score(); sc {
	case "met":
		return st.Good.on("met") + count
	case "partly":
		return st.Warn.on("partly") + count
	case "missed":
		return st.Bad.on("missed") + count
	case "":
		return st.Dim.on("not scored")
	default:
		return sc + count
	}
}

// hanging wraps text after a lead, indenting the following lines under the
// text's start, and paints the text.
func hanging(lead, text string, w int, p paint) []string {
	lw := width(lead)
	if w-lw < 10 { // too narrow to indent: wrap under the lead
		return prefixed(wrap(lead+text, w), p)
	}
	var out []string
	for i, l := range wrap(text, w-lw) {
		if i == 0 {
			out = append(out, lead+p.on(l))
			continue
		}
		out = append(out, repeat(" ", lw)+p.on(l))
	}
	return out
}

func prefixed(ls []string, p paint) []string {
	for i, l := range ls {
		ls[i] = p.on(l)
	}
	return ls
}
