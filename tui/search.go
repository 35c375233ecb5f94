package tui

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"

	"github.com/warroom/warroom/model"
)

// matcher finds a search's text in what a pane shows. The search is
// smart-case, as in less and vim: a query without an upper-case letter
// ignores case, one with an upper-case letter matches case exactly.
type matcher struct {
	q    string // lower-cased when fold
	fold bool
}

func newMatcher(q string) matcher {
	if hasUpper(q) {
		return matcher{q: q}
	}
	return matcher{q: strings.ToLower(q), fold: true}
}

func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// active reports whether there is anything to find.
func (m matcher) active() bool { return m.q != "" }

// index is where the first match at or after byte from starts in s and how
// many bytes of s it covers, or -1.
func (m matcher) index(s string, from int) (at, n int) {
	if m.q == "" || from > len(s) {
		return -1, 0
	}
	if !m.fold {
		i := strings.Index(s[from:], m.q)
		if i < 0 {
			return -1, 0
		}
		return from + i, len(m.q)
	}
	first := m.q[0]
	if first < utf8.RuneSelf {
		// An ASCII query starts with an ASCII letter in either case: jump
		// from one to the next (IndexByte is fast), then compare.
		up := first
		if 'a' <= first && first <= 'z' {
			up = first - 'a' + 'A'
		}
		for i := from; i < len(s); i++ {
			j := indexEither(s[i:], first, up)
			if j < 0 {
				return -1, 0
			}
			i += j
			if n, ok := foldPrefix(s[i:], m.q); ok {
				return i, n
			}
		}
		return -1, 0
	}
	for i := from; i < len(s); {
		if n, ok := foldPrefix(s[i:], m.q); ok {
			return i, n
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return -1, 0
}

// indexEither is the first index of a or b in s, or -1.
func indexEither(s string, a, b byte) int {
	i := strings.IndexByte(s, a)
	if a == b {
		return i
	}
	end := len(s)
	if i >= 0 {
		end = i
	}
	if j := strings.IndexByte(s[:end], b); j >= 0 {
		return j
	}
	return i
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldPrefix reports whether s starts with lower (lower-cased) ignoring
// case, and how many bytes of s that takes (a folded rune may have another
// length than its original).
func foldPrefix(s, lower string) (int, bool) {
	i := 0
	for _, qr := range lower {
		if i >= len(s) {
			return 0, false
		}
		if c := s[i]; c < utf8.RuneSelf {
			if rune(lowerASCII(c)) != qr {
				return 0, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.ToLower(r) != qr {
			return 0, false
		}
		i += size
	}
	return i, true
}

// contains reports whether s holds a match.
func (m matcher) contains(s string) bool {
	i, _ := m.index(s, 0)
	return i >= 0
}

// shows reports whether a field as a pane shows it (clean: on one line)
// holds a match. Fields from a scenario, a live source or a responder were
// sanitised when they came in, so clean only puts them on one line, which
// matters only to a query with a space: others are matched as they are
// (a search over thousands of warnings while the replay plays).
func (m matcher) shows(s string) bool {
	if strings.IndexByte(m.q, ' ') >= 0 {
		return m.contains(model.OneLine(s))
	}
	return m.contains(s)
}

// segs cuts text into pieces: the matches, painted hl, and the text
// between them, painted base.
func (m matcher) segs(text string, base, hl paint) []seg {
	var out []seg
	from := 0
	for m.active() {
		i, n := m.index(text, from)
		if i < 0 || n == 0 {
			break
		}
		if i > from {
			out = append(out, seg{t: text[from:i], p: base})
		}
		out = append(out, seg{t: text[i : i+n], p: hl})
		from = i + n
	}
	if from < len(text) || len(out) == 0 {
		out = append(out, seg{t: text[from:], p: base})
	}
	return out
}

// paint is text painted base with every match painted hl instead. It is
// applied before a line is cut to its width: the marks are part of what is
// measured (without colour they are brackets, and take cells).
func (m matcher) paint(text string, base, hl paint) string {
	if !m.active() {
		return base.on(text)
	}
	return render(m.segs(text, base, hl), nil)
}

// paneSearch is one pane's search: the query and the items that match it,
// in the pane's order, found again only when the pane's state, the query or
// what the console may see changed (View stays cheap while replay plays).
type paneSearch struct {
	query string
	m     matcher

	key     searchKey
	ok      bool
	hits    []int // item indices, ascending
	scanned int   // items looked at by the last sync (syncAppend)

	// saved is the pane as it was when the prompt opened: esc in the
	// prompt puts it back.
	saved     *savedSearch
	lastQuery string // enter on an empty prompt searches this again
}

type searchKey struct {
	query       string
	rev, epoch  int
	alerts      int // the timeline's alert lines (Rev.Alerts)
	facilitator bool
	zoomed      bool // the runbook shows each step's detail zoomed
}

type savedSearch struct {
	query string
	pos   int // the pane's own idea of where it was (selection or scroll)
}

// set changes the query; the hits are found again on the next sync.
func (ps *paneSearch) set(q string) {
	ps.query, ps.m = q, newMatcher(q)
}

// active reports whether the pane has a search on.
func (ps *paneSearch) active() bool { return ps.query != "" }

// sync brings the hits up to date: the items among n for which match says
// yes, rescanned when k changed.
func (ps *paneSearch) sync(k searchKey, n int, match func(i int) bool) []int {
	k.query = ps.query
	if ps.ok && k == ps.key {
		return ps.hits
	}
	ps.key, ps.ok = k, true
	ps.hits = ps.hits[:0]
	if !ps.active() {
		return ps.hits
	}
	for i := range n {
		if match(i) {
			ps.hits = append(ps.hits, i)
		}
	}
	return ps.hits
}

// syncAppend is sync for a list that only grows within an epoch (the
// timeline): only the items added since the last scan are looked at, as
// long as the list still starts where it started then (head says so; a
// list past its cap drops its older half). Playing with a search on then
// costs the new entries, not all of them.
func (ps *paneSearch) syncAppend(k searchKey, n int, head func(rescan bool) bool, match func(i int) bool) []int {
	k.query = ps.query
	prev := ps.key
	prev.rev = k.rev
	from := ps.scanned
	if !ps.ok || prev != k || n < from || !head(false) {
		from = 0
		head(true)
		ps.hits = ps.hits[:0]
	}
	ps.key, ps.ok, ps.scanned = k, true, n
	if !ps.active() {
		return ps.hits
	}
	for i := from; i < n; i++ {
		if match(i) {
			ps.hits = append(ps.hits, i)
		}
	}
	return ps.hits
}

// hitAfter is the first hit after item (dir > 0) or before it (dir < 0),
// going round the end; wrapped says it went round.
func hitAfter(hits []int, item, dir int) (hit int, wrapped bool) {
	if len(hits) == 0 {
		return -1, false
	}
	if dir > 0 {
		i := sort.SearchInts(hits, item+1)
		if i == len(hits) {
			return hits[0], true
		}
		return hits[i], false
	}
	i := sort.SearchInts(hits, item) - 1
	if i < 0 {
		return hits[len(hits)-1], true
	}
	return hits[i], false
}

// hitNear is where a search typed anew goes: the first hit at or after
// item, else the last before it.
func hitNear(hits []int, item int) int {
	if len(hits) == 0 {
		return -1
	}
	i := sort.SearchInts(hits, item)
	if i == len(hits) {
		return hits[len(hits)-1]
	}
	return hits[i]
}

// hitPos is item's place among the hits, from 1; 0 when it is not one.
func hitPos(hits []int, item int) int {
	i := sort.SearchInts(hits, item)
	if i < len(hits) && hits[i] == item {
		return i + 1
	}
	return 0
}

// searchTag is what a pane's title says of its search: "/ups match 3/17",
// "/ups 17 matches" when the current item is not one, "/ups no match".
func searchTag(query string, pos, n int) string {
	q := "/" + clean(query)
	switch {
	case n == 0:
		return q + " no match"
	case pos > 0:
		return q + " match " + itoa(pos) + "/" + itoa(n)
	}
	if n == 1 {
		return q + " 1 match"
	}
	return q + " " + itoa(n) + " matches"
}

// withTag puts the search's tag first in a title's extra, where a narrow
// pane cuts last.
func withTag(tag, extra string) string {
	switch {
	case tag == "":
		return extra
	case extra == "":
		return tag
	}
	return tag + " · " + extra
}

// matchPaints are the paints of a search's matches: reverse video for
// every match, reverse yellow for the current one, and in a selected row
// (itself reverse video) bold underlined normal video, which gives the row
// its reverse video back after the match. Without colour (NO_COLOR,
// TERM=dumb) no attribute shows, so matches are bracketed instead: [every]
// one, »the current« one.
func matchPaints(ns func() lipgloss.Style) (every, cur, sel paint) {
	every = newPaint(ns().Reverse(true))
	if every.pre == "" {
		every = paint{pre: "[", post: "]"}
		cur = paint{pre: "»", post: "«"}
		return every, cur, cur
	}
	cur = newPaint(ns().Reverse(true).Bold(true).Foreground(lipgloss.Color("3")))
	sel = paint{pre: "\x1b[27;1;4m", post: "\x1b[22;24;7m"} // off reverse, on bold+underline; and back
	return every, cur, sel
}

// markHow is which paint a row's matches get.
type markHow int

const (
	markEvery    markHow = iota // a match in a row that is not the current one
	markCurrent                 // the current match's row
	markSelected                // the selected row (reverse video)
)

// mark is text with the search's matches painted for a row: around them
// base, except in a selected row, which render paints whole (base is then
// not used).
func (m matcher) mark(st *Styles, text string, base paint, how markHow) string {
	switch how {
	case markSelected:
		return m.paint(text, paint{}, st.MatchSel)
	case markCurrent:
		return m.paint(text, base, st.MatchCur)
	}
	return m.paint(text, base, st.Match)
}

// aroundMatch is text to show in w cells so that its first match is in
// view: the text itself when the match ends within w cells, else "…" and
// the text from a third of the width before the match.
func (m matcher) aroundMatch(text string, w int) string {
	i, n := m.index(text, 0)
	if i < 0 || width(text[:i+n]) < w {
		return text
	}
	start := i
	for start > 0 && width(text[start:i]) < w/3 {
		_, size := utf8.DecodeLastRuneInString(text[:start])
		start -= size
	}
	return "…" + text[start:]
}
