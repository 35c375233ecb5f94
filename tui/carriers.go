package tui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// carriersPane lists carrier warnings: open ones first, worst first, then
// the resolved ones, dimmed. The order is computed once per change of the
// warnings; rendering touches only the visible rows.
type carriersPane struct {
	sel   int    // index into order
	selID string // the selected warning, kept across re-ordering
	top   int

	search paneSearch // the selection is its current match

	orderKey [2]int // Rev.Warnings, Epoch
	orderOK  bool
	order    []int // indices into State.Warnings
	unacked  int

	memo memo[carriersKey]
}

type carriersKey struct {
	rev, epoch      int
	minute          int64 // ages
	w, h, sel, top  int
	focused, zoomed bool
	alert           string // the failing sources, as text
	search          searchShown
}

// sync re-orders the warnings when they changed and keeps the selection on
// the same warning.
func (p *carriersPane) sync(s *room.Snapshot) {
	k := [2]int{s.State.Rev.Warnings, s.State.Epoch}
	if p.orderOK && k == p.orderKey {
		return
	}
	p.orderKey, p.orderOK = k, true
	ws := s.State.Warnings
	p.unacked = s.State.UnackedWarnings()
	p.order = p.order[:0]
	for i := range ws {
		p.order = append(p.order, i)
	}
	slices.SortStableFunc(p.order, func(a, b int) int {
		wa, wb := &ws[a], &ws[b]
		if wa.Resolved != wb.Resolved {
			if wa.Resolved {
				return 1
			}
			return -1
		}
		if wa.Resolved {
			return cmp.Compare(wb.ResolvedAt, wa.ResolvedAt) // latest resolved first
		}
		if d := wb.Severity.Rank() - wa.Severity.Rank(); d != 0 {
			return d
		}
		if wa.NeedsAck() != wb.NeedsAck() { // unacked before acked
			if wa.NeedsAck() {
				return -1
			}
			return 1
		}
		return cmp.Compare(wb.UpdatedAt, wa.UpdatedAt)
	})
	p.sel = min(p.sel, max(len(p.order)-1, 0))
	if p.selID == "" {
		p.sel = p.firstNeedingAck(ws)
	}
	for i, wi := range p.order {
		if p.selID != "" && ws[wi].ID == p.selID {
			p.sel = i
			break
		}
	}
	p.remember(s)
}

// firstNeedingAck is where the selection starts: the first row that needs
// an acknowledgement, else the first row.
func (p *carriersPane) firstNeedingAck(ws []model.Warning) int {
	for i, wi := range p.order {
		if ws[wi].NeedsAck() {
			return i
		}
	}
	return 0
}

func (p *carriersPane) remember(s *room.Snapshot) {
	if w, ok := p.selected(s); ok {
		p.selID = w.ID
	}
}

func (p *carriersPane) move(s *room.Snapshot, d int) {
	p.sync(s)
	p.sel = min(max(p.sel+d, 0), max(len(p.order)-1, 0))
	p.remember(s)
}

func (p *carriersPane) selected(s *room.Snapshot) (model.Warning, bool) {
	if p.sel < 0 || p.sel >= len(p.order) || p.order[p.sel] >= len(s.State.Warnings) {
		return model.Warning{}, false
	}
	return s.State.Warnings[p.order[p.sel]], true
}

func (p *carriersPane) title() string {
	return "(" + itoa(p.unacked) + " unacked)"
}

func (p *carriersPane) view(f frame) []string {
	s := f.snap
	p.sync(s)
	cw, ch := f.inner()
	p.top = scrollWindow(p.top, p.sel, len(p.order), carrierSlots(cw, ch, len(p.order)))
	sh := shownSearch(p, s, f.facilitator)
	k := carriersKey{s.State.Rev.Warnings, s.State.Epoch, minute(s.Clock), f.w, f.h, p.sel, p.top, f.focused, f.zoomed, f.alert.key, sh}
	return p.memo.get(k, func() []string { return p.render(f, sh.tag) })
}

// carrierRows is how many lines a warning takes: one when the pane is wide
// enough for every column, else two, so that the region and the headline
// both stay readable instead of being cut to a few letters.
func carrierRows(innerW int) int {
	if innerW >= 80 {
		return 1
	}
	return 2
}

// carrierHeader reports whether the list has a header row naming its
// columns: when there are warnings and room for the row and one warning.
func carrierHeader(cw, ch, n int) bool { return n > 0 && ch >= carrierRows(cw)+1 }

// carrierSlots is how many warnings fit in the pane.
func carrierSlots(cw, ch, n int) int {
	if carrierHeader(cw, ch, n) {
		ch--
	}
	return ch / carrierRows(cw)
}

func (p *carriersPane) render(f frame, tag string) []string {
	st, s := f.st, f.snap
	cw, ch := f.inner()
	ws := s.State.Warnings
	rows := carrierRows(cw)
	end := min(p.top+carrierSlots(cw, ch, len(p.order)), len(p.order))

	// Column widths from the visible rows.
	carW, regW, sevW, ageW := 3, 0, 8, 4
	for _, wi := range p.order[p.top:end] {
		w := &ws[wi]
		carW = max(carW, width(clean(w.CarrierName)))
		regW = max(regW, width(clean(w.Region)))
	}
	carW = min(carW, 20)
	if cw < 50 {
		carW = min(carW, 10)
	}
	regW = min(regW, 18)
	fixed := 1 + 1 + 1 + carW + 1 + sevW + 1 + 1 + ageW // gutter, mark and the columns' spaces
	if rows == 2 {
		regW = max(min(regW, cw-fixed), 0)
	}
	headW := cw - fixed - regW - 1
	if rows == 2 {
		headW = cw - 3
	}

	m := p.search.m // its matches are marked
	body := make([]string, 0, ch)
	if carrierHeader(cw, ch, len(p.order)) {
		// Columns as the rows lay them out; the age column is the time
		// since the last update (or the resolution), right-aligned.
		hdr := "   " + fit("carrier", carW) + " " + fit("severity", sevW) + " " + fit("region", regW)
		if rows == 1 {
			hdr += " notice"
		}
		const age = "updated"
		body = append(body, st.Dim.on(fit(trunc(hdr, cw-len(age)-1), cw-len(age))+age))
	}
	for i := p.top; i < end; i++ {
		w := &ws[p.order[i]]
		selected := f.focused && i == p.sel
		gutter := " "
		if selected {
			gutter = "›"
		}
		mark, markP := "!", st.Bad
		switch {
		case w.Resolved:
			mark, markP = "✔", st.Dim
		case w.Acked:
			mark, markP = "✓", st.Good
		}
		age := s.Clock - w.UpdatedAt
		sev, sevP, textP := sevWord(w.Severity), st.Sev[w.Severity], paint{}
		if w.Resolved {
			age = s.Clock - w.ResolvedAt
			sev, sevP, textP = "resolved", st.Dim, st.Dim
		}
		var sel *paint
		how := markEvery
		if selected {
			sel, how = &st.Selected, markSelected
		}
		// mk is a column's text with the search's matches marked, painted
		// p unless the row is selected (render paints it whole).
		mk := func(text string, p paint) string {
			if selected {
				p = paint{}
			}
			return m.mark(st, text, p, how)
		}
		head := []seg{
			{gutter, paint{}},
			{mark, markP},
			{" " + fit(mk(clean(w.CarrierName), textP), carW) + " ", paint{}},
			{fit(mk(sev, sevP), sevW), paint{}},
		}
		region, headline := fit(mk(clean(w.Region), textP), regW), fit(mk(clean(w.Headline), textP), headW)
		if rows == 1 {
			head = append(head, seg{" " + region + " " + headline + " ", paint{}}, seg{padLeft(fmtAge(age), ageW), textP})
			body = append(body, render(head, sel))
			continue
		}
		head = append(head, seg{" " + region + " ", paint{}}, seg{padLeft(fmtAge(age), cw-fixed+ageW-regW), textP})
		body = append(body,
			render(head, sel),
			render([]seg{{gutter + "  " + headline, paint{}}}, sel))
	}
	if len(p.order) == 0 {
		body = append(body, st.Dim.on("no carrier warnings"))
	}
	return st.box(boxSpec{
		digit: int(paneCarriers), name: "Carrier warnings", extra: withTag(tag, p.title()),
		corner: listCorner(p.top, end-p.top, len(p.order)), focused: f.focused, alert: f.alert,
	}, body, f.w, f.h)
}

// sevWord is a severity as a word in capitals, so it reads without colour.
func sevWord(s model.Severity) string {
	if s == "" {
		return "UNKNOWN"
	}
	return strings.ToUpper(clean(string(s)))
}
