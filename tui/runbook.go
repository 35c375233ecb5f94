package tui

import (
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// runbookPane lists the runbook's steps with their state; x ticks the
// selected one. Zoomed, each step's detail is shown wrapped under it.
type runbookPane struct {
	sel, top int
	search   paneSearch // the selection is its current match
	zoomed   bool       // as last shown: the search looks in the details too
	memo     memo[runbookKey]
}

type runbookKey struct {
	rev, epoch      int
	w, h, sel, top  int
	focused, zoomed bool
	alert           string // the failing sources, as text
	search          searchShown
}

// stepSymbol is a step state as a symbol, readable without colour.
func stepSymbol(st *Styles, s model.StepState) (string, paint) {
	switch s {
	case model.StepDone:
		return "✓", st.Good
	case model.StepActive:
		return "▸", st.Warn
	case model.StepBlocked:
		return "✗", st.Bad
	case model.StepSkipped:
		return "–", st.Dim
	}
	return " ", paint{}
}

// nextStepState is what x does: pending, active, blocked or skipped become
// done; done reopens as active.
func nextStepState(s model.StepState) model.StepState {
	if s == model.StepDone {
		return model.StepActive
	}
	return model.StepDone
}

func (p *runbookPane) move(s *room.Snapshot, d int) {
	p.sel = min(max(p.sel+d, 0), max(len(s.State.Runbook)-1, 0))
}

func (p *runbookPane) selected(s *room.Snapshot) (model.Step, bool) {
	if p.sel < 0 || p.sel >= len(s.State.Runbook) {
		return model.Step{}, false
	}
	return s.State.Runbook[p.sel], true
}

func (p *runbookPane) view(f frame) []string {
	s := f.snap
	_, ch := f.inner()
	p.sel = min(p.sel, max(len(s.State.Runbook)-1, 0))
	p.zoomed = f.zoomed
	if !f.zoomed {
		p.top = scrollWindow(p.top, p.sel, len(s.State.Runbook), ch)
	}
	sh := shownSearch(p, s, f.facilitator)
	k := runbookKey{s.State.Rev.Runbook, s.State.Epoch, f.w, f.h, p.sel, p.top, f.focused, f.zoomed, f.alert.key, sh}
	return p.memo.get(k, func() []string { return p.render(f, sh.tag) })
}

func (p *runbookPane) render(f frame, tag string) []string {
	st, s := f.st, f.snap
	cw, ch := f.inner()
	steps := s.State.Runbook
	done := 0
	for _, x := range steps {
		if x.State == model.StepDone {
			done++
		}
	}
	numW := len(itoa(len(steps)))
	m := p.search.m // its matches are marked
	row := func(i int) string {
		x := steps[i]
		sym, symP := stepSymbol(st, x.State)
		gutter := "  "
		var sel *paint
		how := markEvery
		if f.focused && i == p.sel {
			gutter, sel, how = "› ", &st.Selected, markSelected
		}
		titleP := paint{}
		switch x.State {
		case model.StepActive:
			titleP = st.Bold
		case model.StepSkipped:
			titleP = st.Dim
		}
		by := ""
		if x.By != "" && x.State != model.StepPending {
			by = " (" + clean(x.By) + ")"
		}
		if sel != nil { // render paints the selected row whole
			titleP = paint{}
		}
		byP := st.Dim
		if sel != nil {
			byP = paint{}
		}
		return render([]seg{
			{gutter, paint{}},
			{sym, symP},
			{" " + padLeft(itoa(i+1), numW) + " ", paint{}},
			{m.mark(st, clean(x.Title), titleP, how), paint{}},
			{m.mark(st, by, byP, how), paint{}},
		}, sel)
	}

	var body []string
	corner := ""
	if f.zoomed {
		// Every step with its detail; the window starts so that the
		// selected step's block is in view.
		var blocks [][]string
		var stepOf []int // the step each line belongs to
		selLine := 0
		for i, x := range steps {
			b := []string{fit(row(i), cw)}
			if x.Detail != "" {
				indent := repeat(" ", 4+numW)
				for _, l := range wrap(cleanBlock(x.Detail), cw-len(indent)) {
					b = append(b, indent+m.mark(st, l, st.Dim, markEvery))
				}
			}
			if i == p.sel {
				selLine = len(body)
			}
			blocks = append(blocks, b)
			body = append(body, b...)
			for range b {
				stepOf = append(stepOf, i)
			}
		}
		start := 0
		if p.sel < len(blocks) && selLine+len(blocks[p.sel]) > ch {
			start = min(selLine, max(len(body)-ch, 0))
		}
		if len(body) > ch {
			first, last := stepOf[start], stepOf[min(start+ch, len(body))-1]
			corner = listCorner(first, last-first+1, len(steps))
		}
		body = body[start:]
	} else {
		for i := p.top; i < len(steps) && len(body) < ch; i++ {
			body = append(body, row(i))
		}
		corner = listCorner(p.top, len(body), len(steps))
	}
	if len(steps) == 0 {
		body = append(body, st.Dim.on("no runbook in this scenario"))
	}
	return st.box(boxSpec{
		digit: int(paneRunbook), name: "Runbook", extra: withTag(tag, itoa(done)+"/"+itoa(len(steps))+" done"),
		focused: f.focused, corner: corner, alert: f.alert,
	}, body, f.w, f.h)
}
