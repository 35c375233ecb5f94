package tui

import (
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// searchable is a pane that / searches: the timeline, the runbook and the
// carrier warnings. (The seller posts' search is their filter: the posts
// listed are the matches.) Items are what the pane lists, in its order.
type searchable interface {
	finder() *paneSearch
	// hits brings the matches up to date and returns them.
	hits(s *room.Snapshot, facilitator bool) []int
	// current is the current match's item, or the item n and N go on
	// from; -1 for none.
	current() int
	// start is where a search typed anew looks first: the top of the view
	// or the selection.
	start() int
	// show makes item the current match and brings it into view.
	show(s *room.Snapshot, item int)
	// pos and restore save and put back where the pane was (esc in the
	// prompt).
	pos() int
	restore(s *room.Snapshot, pos int)
}

// searchShown is what a pane's render depends on of its search.
type searchShown struct {
	tag string
	cur int
}

// shown is the search's part of a pane's cache key, and the title's tag.
func shownSearch(sr searchable, s *room.Snapshot, facilitator bool) searchShown {
	ps := sr.finder()
	if !ps.active() {
		return searchShown{cur: -1}
	}
	hits := sr.hits(s, facilitator)
	cur := sr.current()
	return searchShown{tag: searchTag(ps.query, hitPos(hits, cur), len(hits)), cur: cur}
}

// Timeline: items are entries, oldest first; hidden entries never match.

func (p *timelinePane) finder() *paneSearch { return &p.search }

func (p *timelinePane) hits(s *room.Snapshot, facilitator bool) []int {
	tl := p.entries(s) // the alert lines are entries too
	// An alert line may stand anywhere: a change of them is a new scan.
	k := searchKey{rev: s.State.Rev.Timeline, alerts: s.State.Rev.Alerts, epoch: s.State.Epoch, facilitator: facilitator}
	// The first entry as the last scan saw it: while it is still first,
	// the entries before the scanned count are the same ones.
	head := func(rescan bool) bool {
		var first model.Entry
		if tl.Len() > 0 {
			first = tl.At(0)
		}
		if rescan {
			p.searchHead = first
		}
		return first == p.searchHead
	}
	return p.search.syncAppend(k, tl.Len(), head, func(i int) bool {
		e := tl.At(i)
		return (facilitator || !facilitatorOnly(e)) && p.search.m.shows(e.Text)
	})
}

func (p *timelinePane) current() int { return p.at }

func (p *timelinePane) start() int {
	if p.top >= 0 {
		return p.top
	}
	return p.followTop
}

// show scrolls so that the entry is the first shown, or follows the end
// when it is on the last page.
func (p *timelinePane) show(_ *room.Snapshot, item int) {
	p.at = item
	p.top = item
	if item >= p.followTop {
		p.top = -1
	}
}

func (p *timelinePane) pos() int { return p.top }

func (p *timelinePane) restore(_ *room.Snapshot, pos int) { p.top, p.at = pos, -1 }

// Runbook: items are steps; the selection is the current match, so x ticks
// the step found. A step's detail shows, and is searched, only zoomed.

func (p *runbookPane) finder() *paneSearch { return &p.search }

func (p *runbookPane) hits(s *room.Snapshot, _ bool) []int {
	steps := s.State.Runbook
	k := searchKey{rev: s.State.Rev.Runbook, epoch: s.State.Epoch, zoomed: p.zoomed}
	m := p.search.m
	return p.search.sync(k, len(steps), func(i int) bool {
		x := &steps[i]
		by := x.By != "" && x.State != model.StepPending // shown after the title
		return m.shows(x.Title) || (by && m.shows(x.By)) || (p.zoomed && m.shows(x.Detail))
	})
}

func (p *runbookPane) current() int                      { return p.sel }
func (p *runbookPane) start() int                        { return p.sel }
func (p *runbookPane) show(_ *room.Snapshot, item int)   { p.sel = item }
func (p *runbookPane) pos() int                          { return p.sel }
func (p *runbookPane) restore(_ *room.Snapshot, pos int) { p.sel = pos }

// Carrier warnings: items are rows in the pane's order (open, worst
// first); the selection is the current match, so a acknowledges and enter
// opens the warning found.

func (p *carriersPane) finder() *paneSearch { return &p.search }

func (p *carriersPane) hits(s *room.Snapshot, _ bool) []int {
	p.sync(s)
	ws := s.State.Warnings
	k := searchKey{rev: s.State.Rev.Warnings, epoch: s.State.Epoch}
	m := p.search.m
	sev := map[model.Severity]bool{}   // the severity as the pane writes it, matched once each
	resolved := m.contains("resolved") // written in its place once a warning is resolved
	return p.search.sync(k, len(p.order), func(i int) bool {
		w := &ws[p.order[i]]
		hit, ok := sev[w.Severity]
		if !ok {
			hit = m.contains(sevWord(w.Severity))
			sev[w.Severity] = hit
		}
		if w.Resolved {
			hit = resolved
		}
		return hit || m.shows(w.CarrierName) || m.shows(w.Region) || m.shows(w.Headline)
	})
}

func (p *carriersPane) current() int { return p.sel }
func (p *carriersPane) start() int   { return p.sel }

func (p *carriersPane) show(s *room.Snapshot, item int) {
	p.sel = item
	p.remember(s)
}

func (p *carriersPane) pos() int { return p.sel }

func (p *carriersPane) restore(s *room.Snapshot, pos int) {
	p.sync(s)
	p.sel = min(max(pos, 0), max(len(p.order)-1, 0))
	p.remember(s)
}
