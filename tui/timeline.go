package tui

import (
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// timelinePane shows the incident timeline, newest last. It follows the end
// unless scrolled back; then it stays on the same entries while new ones
// arrive below. Moving through history (n, p, :seek …) follows the end
// again (follow), so the newest events at the clock are never hidden.
type timelinePane struct {
	top int // index of the first entry shown when scrolled back; -1 follows the end
	// followTop is the first entry shown when following the end, as the
	// last render laid it out: scrolling starts from it, and reaching it
	// follows the end again.
	followTop int
	// search is the pane's / search; at is its current match (an entry),
	// -1 for none.
	search     paneSearch
	at         int
	searchHead model.Entry // the first entry when the search last scanned from the start
	memo       memo[timelineKey]
	// merged is the timeline with the alert lines, made again only when
	// either changed: a frame that changes neither reuses it.
	merged    alertTimeline
	mergedKey [3]int // Rev.Timeline, Rev.Alerts, Epoch
	mergedOK  bool
}

// entries is the timeline with its alert lines (timelineOf), cached.
func (p *timelinePane) entries(s *room.Snapshot) alertTimeline {
	k := [3]int{s.State.Rev.Timeline, s.State.Rev.Alerts, s.State.Epoch}
	if !p.mergedOK || k != p.mergedKey {
		p.merged, p.mergedKey, p.mergedOK = timelineOf(s), k, true
	}
	return p.merged
}

type timelineKey struct {
	rev, alerts     int
	epoch           int
	w, h, top       int
	focused, zoomed bool
	alert           string // the failing sources, as text
	search          searchShown
}

func newTimelinePane() timelinePane { return timelinePane{top: -1, at: -1} }

// follow shows the end again.
func (p *timelinePane) follow() { p.top = -1 }

// scroll moves by d entries, negative towards the start; reaching the last
// page follows the end again.
func (p *timelinePane) scroll(s *room.Snapshot, d int) {
	n := p.entries(s).Len()
	top := p.top
	if top < 0 {
		top = p.followTop
	}
	top = min(max(top+d, 0), max(n-1, 0))
	p.top = top
	if top >= p.followTop {
		p.top = -1
	}
}

func (p *timelinePane) view(f frame) []string {
	s := f.snap
	if p.top >= p.entries(s).Len() { // history was rewritten shorter
		p.top = -1
	}
	sh := shownSearch(p, s, f.facilitator)
	k := timelineKey{s.State.Rev.Timeline, s.State.Rev.Alerts, s.State.Epoch, f.w, f.h, p.top, f.focused, f.zoomed, f.alert.key, sh}
	return p.memo.get(k, func() []string { return p.render(f, sh.tag) })
}

// entryPaint colours an entry by kind; the text itself says what it is
// ("INJECT …", "note (ic): …", "UPS issued: …").
func entryPaint(st *Styles, e model.Entry) paint {
	switch e.Kind {
	case model.KindInject:
		return st.Inject
	case model.KindNote:
		return st.Note
	case model.KindWarning:
		return st.Warn
	case model.KindAck, model.KindRunbookStep:
		return st.Action
	case model.KindSourceHealth, model.KindAlert:
		return st.Bad
	}
	return paint{}
}

// facilitatorOnly reports whether an entry is hidden from players (the
// model marks lines that would reveal the inject queue).
func facilitatorOnly(e model.Entry) bool { return e.Facilitator }

func (p *timelinePane) render(f frame, tag string) []string {
	st, s := f.st, f.snap
	cw, ch := f.inner()
	tl := p.entries(s) // with the alert lines
	const stampW = 8   // "T+05:26 "

	// block is an entry's lines: one, or wrapped when zoomed; none for a
	// line hidden from players.
	// Matches of the search are marked, the current one apart.
	m := p.search.m
	block := func(i int) []string {
		e := tl.At(i)
		if !f.facilitator && facilitatorOnly(e) {
			return nil
		}
		pt := entryPaint(st, e)
		how := markEvery
		if i == p.at {
			how = markCurrent
		}
		stamp := st.Dim.on(model.FormatOffset(e.At)) + " "
		text := clean(e.Text)
		if !f.zoomed {
			if how == markCurrent { // a match past the cut still shows
				text = m.aroundMatch(text, cw-stampW)
			}
			return []string{stamp + trunc(m.mark(st, text, pt, how), cw-stampW)}
		}
		var out []string
		for j, l := range wrap(text, cw-stampW) {
			lead := repeat(" ", stampW)
			if j == 0 {
				lead = stamp
			}
			out = append(out, lead+m.mark(st, l, pt, how))
		}
		return out
	}

	// Following: walk back from the end until the pane is full, never
	// laying out more entries than fit. The first entry it reaches is where
	// scrolling back starts.
	var rev [][]string
	lines, first := 0, tl.Len()
	for i := tl.Len() - 1; i >= 0 && lines < ch; i-- {
		if b := block(i); len(b) > 0 {
			rev = append(rev, b)
			lines += len(b)
			first = i
		}
	}
	p.followTop = first
	body := make([]string, 0, ch)
	end := tl.Len()
	if p.top < 0 {
		for i := len(rev) - 1; i >= 0; i-- {
			body = append(body, rev[i]...)
		}
		if len(body) > ch { // the oldest block was cut: keep its end
			body = body[len(body)-ch:]
		}
	} else {
		// Scrolled back: from the top entry forward until the pane is full.
		end = p.top
		for end < tl.Len() && len(body) < ch {
			body = append(body, block(end)...)
			end++
		}
		body = body[:min(len(body), ch)]
	}
	if tl.Len() == 0 {
		body = append(body, st.Dim.on("nothing has happened yet"))
	}
	corner := ""
	if end < tl.Len() {
		corner = "↓" + itoa(tl.Len()-end) + " newer"
	}
	return st.box(boxSpec{
		digit: int(paneTimeline), name: "Timeline", extra: tag, focused: f.focused, corner: corner, alert: f.alert,
	}, body, f.w, f.h)
}
