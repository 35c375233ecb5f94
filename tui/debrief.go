package tui

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// debriefOverlay is the hot wash: the whole exercise on one scrolling page
// over the panes, read off model.BuildDebrief. It opens on D, and by itself
// once when the replay reaches its end.
type debriefOverlay struct {
	pg  pager
	key debriefKey
	// toHotWash scrolls the page to its hot wash when it is next laid
	// out (:hotwash).
	toHotWash bool
}

// debriefKey is everything the debrief is built from.
type debriefKey struct {
	injects, runbook, backlog, epoch int
	timeline, warnings, alerts       int // notes and acknowledgements
	now                              time.Duration
	w, h                             int
}

func (a *app) openDebrief() {
	a.overlay = overlayDebrief
	a.debrief.key, a.debrief.pg.top = debriefKey{}, 0
}

// atEnd is the end of a replay: every event applied, the clock on the last
// one, nothing playing.
func atEnd(s room.Snapshot) bool {
	return !s.Live && s.Pos == s.Len && !s.Playing && s.Clock == s.End
}

// reachedEnd opens the debrief the first time the replay arrives at its end.
func (a *app) reachedEnd(prev room.Snapshot) {
	if a.atEndShown || !atEnd(a.snap) || atEnd(prev) {
		return
	}
	a.atEndShown = true
	a.openDebrief()
}

// debriefKeyMsg handles keys while the debrief is open: esc, q or D close it,
// the list keys scroll.
func (a *app) debriefKeyMsg(msg tea.KeyMsg) tea.Cmd {
	k := &a.keys
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Back), key.Matches(msg, k.Debrief):
		a.overlay = overlayNone
	case key.Matches(msg, k.Command): // the hot wash is captured with the debrief open
		return a.openInput(inputCommand, ":", "")
	default:
		a.debrief.pg.key(msg, k)
	}
	return nil
}

// view is the debrief filling the panes' area.
func (o *debriefOverlay) view(a *app, lay layout) []string {
	s := &a.snap
	st := s.State
	k := debriefKey{st.Rev.Injects, st.Rev.Runbook, st.Rev.Backlog, st.Epoch, st.Rev.Timeline, st.Rev.Warnings, st.Rev.Alerts,
		st.Now, a.w, lay.panesH}
	if k != o.key {
		o.key = k
		d := model.BuildDebrief(s.Scenario, st, s.Shown)
		lines := debriefLines(a, d, a.w-4)
		o.pg.set(lines, lay.panesH-2)
		if o.toHotWash {
			o.toHotWash = false
			for i, l := range lines {
				if strings.HasPrefix(l, a.st.Inject.on(hotWashHeading)) {
					o.pg.scroll(i - o.pg.top)
					break
				}
			}
		}
	}
	corner := "esc close"
	if o.pg.more() {
		corner = o.pg.where() + " · j/k pgup/pgdn scroll · esc close"
	}
	return a.st.box(boxSpec{name: "Debrief", extra: "— " + s.Scenario.Meta.Title, corner: corner, focused: true},
		o.pg.view(), a.w, lay.panesH)
}

// debriefLines is the debrief as a terminal page w cells wide: a summary,
// the backlog and the forecast at each inject, each inject, the runbook.
// Players see every delivered inject with its decisions, times and score;
// the expected-action checklists and what was never delivered stay the
// facilitator's.
func debriefLines(a *app, d model.Debrief, w int) []string {
	st, sc, fac := a.st, a.snap.Scenario, a.facilitator()
	wall := func(at time.Duration) string { return st.wallStamp(sc.WallTime(at)) } // "Jul 19 12:09 CEST"
	head := func(t string) string { return st.Inject.on(t) }
	var out []string
	add := func(ls ...string) { out = append(out, ls...) }

	summary := fmt.Sprintf("At %s (%s) · %s · %s scored: %d met, %d partly, %d missed · runbook %d of %s done",
		model.FormatOffset(d.At), wall(d.At), plural(d.Decisions, "decision"), plural(d.Scored, "inject"),
		d.Met, d.Partly, d.Missed, d.RunbookDone, plural(len(d.Runbook), "step"))
	add(wrap(summary, w)...)

	add("", head("BACKLOG"))
	add(trunc(fmt.Sprintf(" peak %s waiting at %s (%s)", model.Compact(d.Peak), model.FormatOffset(d.PeakAt), wall(d.PeakAt)), w))
	if d.Cleared {
		add(trunc(fmt.Sprintf(" back to normal (%s) at %s (%s)", model.Compact(d.Baseline), model.FormatOffset(d.ClearedAt), wall(d.ClearedAt)), w))
	} else {
		add(trunc(fmt.Sprintf(" back to normal (%s): "+st.Bad.on("not by %s"), model.Compact(d.Baseline), model.FormatOffset(d.At)), w))
	}
	add("", head("FORECAST AT EACH INJECT")+st.Dim.on(" vs the actual clear time"))
	// The table's times without the zone, which the summary names: its
	// column keeps its width.
	add(forecastTable(st, d, func(at time.Duration) string { return st.wallShort(sc.WallTime(at)) }, w)...)

	add("", head("INJECTS"))
	n, hidden := 0, 0
	for _, in := range d.Injects {
		if in.Status != model.InjectFired && !fac {
			hidden++
			continue
		}
		n++
		if n > 1 {
			add("")
		}
		add(debriefInject(st, in, n, fac, w)...)
		add(scoreComments(st, d.HotWash, in.ID, w)...)
	}
	if hidden > 0 {
		add(st.Dim.on(fmt.Sprintf(" %d more not delivered", hidden)))
	}
	add(hotWashPlan(st, d.HotWash, w)...)
	injectTitle := func(id string) string {
		if in, ok := a.snap.State.InjectByID(id); ok {
			return in.Title
		}
		return id
	}
	add(hotWashRecord(st, d.HotWash, injectTitle, fac, w)...)

	add("", head("RUNBOOK"))
	// Title, then state (or when done) and who, in columns.
	byW := min(20, w/5)
	titleW := max(w-byW-16, 8)
	for _, s := range d.Runbook {
		sym, p := stepSymbol(st, s.State)
		state := string(s.State)
		if s.State == model.StepDone {
			state = "done " + model.FormatOffset(s.DoneAt)
		}
		add(trunc(" "+p.on(fit(sym, 1))+" "+fit(clean(s.Title), titleW-3)+" "+fit(state, 14)+" "+st.Dim.on(clean(s.By)), w))
	}
	return out
}

// forecastTable lists each delivered inject with the forecast the team saw
// then and how it compared with the clear time. Narrow screens lose the
// trend column first.
func forecastTable(st *Styles, d model.Debrief, wall func(time.Duration) string, w int) []string {
	const whenW, trendW, etaW, vsW = 8, 23, 13, 22
	withTrend := w-(whenW+trendW+etaW+vsW) >= 24
	titleW := w - (whenW + etaW + vsW) - 1
	if withTrend {
		titleW -= trendW
	}
	titleW = max(titleW, 8)
	row := func(title, when, trend, eta, vs string) string {
		r := " " + fit(title, titleW-1) + " " + fit(when, whenW)
		if withTrend {
			r += fit(trend, trendW)
		}
		return trunc(r+fit(eta, etaW)+vs, w)
	}
	out := []string{st.Dim.on(row("inject", "at", "backlog then", "ETA then", "vs actual"))}
	shown := false
	for _, in := range d.Injects {
		if in.Status != model.InjectFired {
			continue
		}
		shown = true
		f := in.Forecast
		trend, eta, vs := "no forecast", "—", "—"
		switch {
		case !f.OK:
		case f.Cleared:
			trend = "back to normal"
		case !f.Draining:
			trend = "not draining " + fmtRate(f.Rate)
		default:
			trend = "draining " + fmtRate(f.Rate)
			eta = wall(f.ETA)
			vs = vsActual(d, f.ETA)
		}
		out = append(out, row(clean(in.Title), model.FormatOffset(in.FiredAt), trend, eta, vs))
	}
	if !shown {
		out = append(out, st.Dim.on(" no inject delivered"))
	}
	return out
}

// vsActual compares a forecast ETA with when the backlog really cleared.
func vsActual(d model.Debrief, eta time.Duration) string {
	if !d.Cleared {
		return "not cleared yet"
	}
	if diff := d.ClearedAt - eta; diff < 0 {
		return "cleared " + model.FormatSpan(-diff) + " earlier"
	}
	return "cleared " + model.FormatSpan(d.ClearedAt-eta) + " later"
}

// debriefInject is one inject's block: title and score, when, the
// checklist (facilitator) and the decisions.
func debriefInject(st *Styles, in model.DebriefInject, n int, fac bool, w int) []string {
	score := ""
	if in.Score() != "" {
		score = scoreText(st, in.InjectState)
	}
	lead := fmt.Sprintf(" %2d ", n)
	title := lead + st.Bold.on(trunc(clean(in.Title)+adHocMark(in.InjectState), max(w-width(lead)-width(score)-2, 8)))
	out := []string{fit(title, w-width(score)) + score}

	var when string
	switch in.Status {
	case model.InjectFired:
		when = "delivered " + model.FormatOffset(in.FiredAt)
		if in.FiredAt != in.Due {
			when += " (scheduled " + model.FormatOffset(in.Due) + ")"
		}
		if in.FirstDecision >= 0 {
			when += " · first decision after " + model.FormatSpan(in.FirstDecision)
			if in.FirstDecisionReal >= 0 {
				when += " (" + model.FormatRealSpan(in.FirstDecisionReal) + " real time)"
			}
		} else {
			when += " · " + st.Bad.on("no decision recorded")
		}
	default:
		when = st.Warn.on(string(in.Status)) + " · scheduled " + model.FormatOffset(in.Due) + " · not delivered"
	}
	out = append(out, hanging("    ", when, w, paint{})...)
	if fac && in.Status == model.InjectFired {
		for i, e := range in.Expected {
			box, p := "[ ]", paint{}
			if i < len(in.Checked) && in.Checked[i] {
				box, p = "[x]", st.Good
			}
			out = append(out, hanging("    "+box+" ", clean(e), w, p)...)
		}
	}
	for _, dec := range in.Decisions {
		lead := "    " + model.FormatOffset(dec.At) + " " + clean(dec.By) + ": "
		out = append(out, hanging(lead, clean(dec.Text), w, st.Note)...)
	}
	return out
}

// plural is "1 inject", "2 injects".
func plural(n int, noun string) string { return model.Plural(n, noun) }

// writeDebrief writes the debrief of a room's snapshot as Markdown. The file
// is for people, who will cat it or open it in a terminal editor: what
// Markdown builds is sanitised, and it is sanitised once more here.
func writeDebrief(path string, s room.Snapshot) error {
	d := model.BuildDebrief(s.Scenario, s.State, s.Shown)
	if err := os.WriteFile(path, []byte(model.Sanitize(d.Markdown(s.Scenario), 0)), 0o644); err != nil {
		return fmt.Errorf("debrief: %w", err)
	}
	return nil
}
