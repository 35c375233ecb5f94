package tui

import (
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// timelinePane shows the incident timeline, newest last. It follows the end
// unless scrolled back; then it stays on the same entries while new ones
// arrive below.
type timelinePane struct {
	pin  int // entries shown up to (exclusive); 0 follows the end
	memo memo[timelineKey]
}

type timelineKey struct {
	rev, epoch      int
	w, h, end       int
	focused, zoomed bool
	alert           string // the failing sources, as text
}

// end is the index after the last entry shown.
func (p *timelinePane) end(s *room.Snapshot) int {
	n := len(s.State.Timeline)
	if p.pin <= 0 || p.pin >= n {
		return n
	}
	return p.pin
}

// scroll moves by d entries, negative towards the start; reaching the end
// follows it again.
func (p *timelinePane) scroll(s *room.Snapshot, d int) {
	n := len(s.State.Timeline)
	e := min(max(p.end(s)+d, min(1, n)), n)
	p.pin = e
	if e >= n {
		p.pin = 0
	}
}

func (p *timelinePane) view(f frame) []string {
	s := f.snap
	k := timelineKey{s.State.Rev.Timeline, s.State.Epoch, f.w, f.h, p.end(s), f.focused, f.zoomed, f.alert.key}
	return p.memo.get(k, func() []string { return p.render(f) })
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
	case model.KindSourceHealth:
		return st.Bad
	}
	return paint{}
}

// facilitatorOnly reports whether an entry is hidden from players (the
// model marks lines that would reveal the inject queue).
func facilitatorOnly(e model.Entry) bool { return e.Facilitator }

func (p *timelinePane) render(f frame) []string {
	st, s := f.st, f.snap
	cw, ch := f.inner()
	tl := s.State.Timeline
	end := p.end(s)
	const stampW = 8 // "T+05:26 "

	// Walk back from the end until the pane is full: never more entries
	// than fit.
	var rev [][]string
	lines := 0
	for i := end - 1; i >= 0 && lines < ch; i-- {
		e := tl[i]
		if !f.facilitator && facilitatorOnly(e) {
			continue
		}
		pt := entryPaint(st, e)
		stamp := st.Dim.on(model.FormatOffset(e.At)) + " "
		text := clean(e.Text)
		if !f.zoomed {
			rev = append(rev, []string{stamp + pt.on(trunc(text, cw-stampW))})
			lines++
			continue
		}
		var block []string
		for j, l := range wrap(text, cw-stampW) {
			lead := repeat(" ", stampW)
			if j == 0 {
				lead = stamp
			}
			block = append(block, lead+pt.on(l))
		}
		rev = append(rev, block)
		lines += len(block)
	}
	body := make([]string, 0, lines)
	for i := len(rev) - 1; i >= 0; i-- {
		body = append(body, rev[i]...)
	}
	if len(body) > ch { // the oldest block was cut: keep its end
		body = body[len(body)-ch:]
	}
	if len(tl) == 0 {
		body = append(body, st.Dim.on("nothing has happened yet"))
	}
	corner := ""
	if end < len(tl) {
		corner = "↓" + itoa(len(tl)-end) + " newer"
	}
	return st.box(boxSpec{
		digit: int(paneTimeline), name: "Timeline", focused: f.focused, corner: corner, alert: f.alert,
	}, body, f.w, f.h)
}
