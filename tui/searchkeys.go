package tui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// The keys of a search. / opens the prompt for the focused pane's search:
// the timeline, the runbook and the carrier warnings are searched; in the
// seller posts / is their filter, as it is from the panes that hold nothing
// to search (hosts, the backlog chart), which it focuses. While a search is
// on in the focused pane (or its filter, in the posts), n and N move to the
// next and the previous match, and esc ends it, after which n steps the
// replay again; → and ← always step.

// searchPane is the pane's search, if / searches it.
func (a *app) searchPane(p paneID) searchable {
	switch p {
	case paneTimeline:
		return &a.timeline
	case paneRunbook:
		a.runbook.zoomed = a.zoom && a.focus == paneRunbook
		return &a.runbook
	case paneCarriers:
		return &a.carriers
	}
	return nil
}

// paneName is a pane as messages name it.
func paneName(p paneID) string {
	switch p {
	case paneTimeline:
		return "the timeline"
	case paneRunbook:
		return "the runbook"
	case paneCarriers:
		return "the carrier warnings"
	case paneComplaints:
		return "the seller posts"
	}
	return "this pane"
}

// openSearch is /.
func (a *app) openSearch() tea.Cmd {
	sr := a.searchPane(a.focus)
	if sr == nil {
		a.setFocus(paneComplaints)
		return a.openInput(inputFilter, "/", a.complaints.filter)
	}
	ps := sr.finder()
	ps.saved = &savedSearch{query: ps.query, pos: sr.pos()}
	a.searchIn = a.focus
	return a.openInput(inputSearch, "/", "")
}

// searchTyped follows the prompt as it is typed: each change searches
// again from where the pane was when the prompt opened and shows the
// nearest match (the first at or after it, else the last before it).
func (a *app) searchTyped(v string) {
	sr := a.searchPane(a.searchIn)
	if sr == nil {
		return
	}
	ps := sr.finder()
	saved := ps.saved
	if saved == nil {
		saved = &savedSearch{query: ps.query, pos: sr.pos()}
		ps.saved = saved
	}
	sr.restore(&a.snap, saved.pos)
	if v == "" { // nothing typed (yet, or any more): the search as it was
		ps.set(saved.query)
		return
	}
	ps.set(v)
	if h := hitNear(sr.hits(&a.snap, a.facilitator()), sr.start()); h >= 0 {
		sr.show(&a.snap, h)
	}
}

// searchEntered is enter in the prompt: the search stays on, its matches
// marked, for n and N. Enter on an empty prompt searches for the last
// query again.
func (a *app) searchEntered(v string) {
	sr := a.searchPane(a.searchIn)
	if sr == nil {
		return
	}
	ps := sr.finder()
	if v == "" {
		v = ps.lastQuery
		if ps.saved != nil && ps.saved.query != "" {
			v = ps.saved.query
		}
		a.searchTyped(v)
	}
	ps.saved = nil
	if v == "" {
		a.info("nothing to search for: type a word after /")
		return
	}
	ps.lastQuery = v
	a.searchSays(sr, false)
}

// searchCancelled is esc in the prompt: the pane as it was before.
func (a *app) searchCancelled() {
	sr := a.searchPane(a.searchIn)
	if sr == nil {
		return
	}
	ps := sr.finder()
	if ps.saved != nil {
		ps.set(ps.saved.query)
		sr.restore(&a.snap, ps.saved.pos)
		ps.saved = nil
	}
}

// searching reports whether the focused pane has a search on, which gives
// n and N to its matches.
func (a *app) searching() bool {
	if a.focus == paneComplaints {
		return a.complaints.filter != ""
	}
	sr := a.searchPane(a.focus)
	return sr != nil && sr.finder().active()
}

// searchStep is n (dir 1) and N (dir -1) while a search is on: the next or
// previous match, going round the end.
func (a *app) searchStep(dir int) {
	s := &a.snap
	if a.focus == paneComplaints {
		n := a.complaints.count(s)
		if n == 0 {
			a.fail("no post matches /" + clean(a.complaints.filter))
			return
		}
		// The posts listed are the matches, newest first: the next is one
		// further down, round the end.
		top := min(a.complaints.top, n-1) + dir
		wrapped := top < 0 || top >= n
		a.complaints.top = (top + n) % n
		msg := searchTag(a.complaints.filter, a.complaints.top+1, n) + " in the seller posts · n/N next/prev · esc ends"
		if wrapped {
			msg += " · went round the end"
		}
		a.info(msg)
		return
	}
	sr := a.searchPane(a.focus)
	if sr == nil {
		return
	}
	hits := sr.hits(s, a.facilitator())
	if len(hits) == 0 {
		a.fail("no match for /" + clean(sr.finder().query) + " in " + paneName(a.focus))
		return
	}
	var h int
	wrapped := false
	if cur := sr.current(); cur >= 0 {
		h, wrapped = hitAfter(hits, cur, dir)
	} else {
		h = hitNear(hits, sr.start())
	}
	sr.show(s, h)
	a.searchSays(sr, wrapped)
}

// searchSays puts where the search stands in the status line.
func (a *app) searchSays(sr searchable, wrapped bool) {
	ps := sr.finder()
	hits := sr.hits(&a.snap, a.facilitator())
	tag := searchTag(ps.query, hitPos(hits, sr.current()), len(hits))
	if len(hits) == 0 {
		a.fail(tag + " in " + paneName(a.focus) + " · esc ends the search")
		return
	}
	msg := tag + " in " + paneName(a.focus) + " · n/N next/prev · esc ends"
	if wrapped {
		msg += " · went round the end"
	}
	a.info(msg)
}

// endSearch is esc while the focused pane has a search on; it reports
// whether one ended.
func (a *app) endSearch() bool {
	sr := a.searchPane(a.focus)
	if sr == nil || !sr.finder().active() {
		return false
	}
	sr.finder().set("")
	if a.focus == paneTimeline {
		a.timeline.at = -1
	}
	a.info("search ended · n steps the replay again")
	return true
}

// searchPromptTag is what the open prompt says after the text: "match
// 3/17", "no match".
func (a *app) searchPromptTag() string {
	sr := a.searchPane(a.searchIn)
	if sr == nil || !sr.finder().active() || a.input.Value() == "" {
		return ""
	}
	hits := sr.hits(&a.snap, a.facilitator())
	switch pos := hitPos(hits, sr.current()); {
	case len(hits) == 0:
		return "no match"
	case pos > 0:
		return "match " + itoa(pos) + "/" + itoa(len(hits))
	}
	return itoa(len(hits)) + " matches"
}

// searchHelp is the ? screen's word on searching.
const searchHelp = "Search: / searches the focused pane (the timeline, the runbook, the carrier warnings; in the seller posts, " +
	"and from the hosts or the chart, / filters the posts), as it shows it: a runbook step's detail when zoomed. " +
	"Lower case ignores case; an upper-case letter matches case exactly. " +
	"Matches are marked (without colour [like this], the current one »like this«) and the title says \"match 3/17\". " +
	"While a search is on in the focused pane, n and N go to the next and the previous match and esc ends it; " +
	"then n steps the replay again. → and ← always step."

// searchPromptView is the open search prompt in w cells, with where the
// search stands after the text.
func (a *app) searchPromptView(w int) string {
	tag := a.searchPromptTag()
	if tag == "" {
		return a.inputView(w)
	}
	if long := "  " + tag + " in " + paneName(a.searchIn); width(long) <= w/3 {
		tag = long
	} else {
		tag = trunc("  "+tag, max(w/3, 0))
	}
	return fit(a.inputView(w-width(tag)), w-width(tag)) + a.st.Dim.on(tag)
}
