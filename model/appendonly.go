package model

import "slices"

// appendOnly is a state's append-only lists, the ones Clone shares. Apply
// never reads them: it only appends, and drops the oldest half of a list
// past its bound (bounded). So within one history the lists at a position
// are prefixes of the lists at any later one, until a bound drops entries.
// The hot wash's findings are not among them: Apply numbers a finding
// after the last one.
type appendOnly struct {
	timeline  []Entry
	points    []BacklogPoint
	posts     []Complaint
	decisions []DecisionRecord
	history   [][]HostPoint // per host group, by index
	// The hot wash's records, bounded at MaxDecisions.
	notes         []NoteRecord
	acks          []AckRecord
	observations  []ObservationRecord
	scoreComments []ScoreCommentRecord
	actionItems   []ActionItemRecord
}

// takeAppendOnly moves the append-only lists out of s, leaving them empty.
// s must own its Hosts slice (a Clone does).
func (s *State) takeAppendOnly() appendOnly {
	l := appendOnly{timeline: s.Timeline, points: s.Backlog.Points, posts: s.Complaints.Posts, decisions: s.Decisions,
		history: make([][]HostPoint, len(s.Hosts))}
	s.Timeline, s.Backlog.Points, s.Complaints.Posts, s.Decisions = nil, nil, nil, nil
	h := &s.HotWash
	l.notes, l.acks, l.observations, l.scoreComments, l.actionItems = h.Notes, h.Acks, h.Observations, h.ScoreComments, h.ActionItems
	h.Notes, h.Acks, h.Observations, h.ScoreComments, h.ActionItems = nil, nil, nil, nil, nil
	s.listsAside = true
	for i := range s.Hosts {
		l.history[i], s.Hosts[i].History = s.Hosts[i].History, nil
	}
	return l
}

// putAppendOnly sets s's append-only lists; l has one history per host group.
func (s *State) putAppendOnly(l appendOnly) {
	s.Timeline, s.Backlog.Points, s.Complaints.Posts, s.Decisions = l.timeline, l.points, l.posts, l.decisions
	h := &s.HotWash
	h.Notes, h.Acks, h.Observations, h.ScoreComments, h.ActionItems = l.notes, l.acks, l.observations, l.scoreComments, l.actionItems
	s.listsAside = false
	for i := range s.Hosts {
		s.Hosts[i].History = l.history[i]
	}
}

// spliceAppendOnly is the append-only lists after a fold with the lists set
// aside: base is what they held when it began, tail what the fold appended,
// and ahead the lists built furthest along this history (the working
// state's before a rewrite, or the ones left ahead when the cursor went
// back), which usually start with base and go on with much of tail: the
// same events, folded before. snaps are states taken during the fold, whose
// lists hold what the fold had appended then; each gets its lists back as
// prefixes of the result, so that they share its arrays. See spliceList.
func spliceAppendOnly(base, tail, ahead appendOnly, snaps []*State) appendOnly {
	l := appendOnly{
		timeline: spliceList(base.timeline, tail.timeline, ahead.timeline, MaxTimeline,
			fields(snaps, func(s *State) *[]Entry { return &s.Timeline })),
		points: spliceList(base.points, tail.points, ahead.points, MaxBacklogPoints,
			fields(snaps, func(s *State) *[]BacklogPoint { return &s.Backlog.Points })),
		posts: spliceList(base.posts, tail.posts, ahead.posts, MaxPosts,
			fields(snaps, func(s *State) *[]Complaint { return &s.Complaints.Posts })),
		decisions: spliceList(base.decisions, tail.decisions, ahead.decisions, MaxDecisions,
			fields(snaps, func(s *State) *[]DecisionRecord { return &s.Decisions })),
		notes: spliceList(base.notes, tail.notes, ahead.notes, MaxDecisions,
			fields(snaps, func(s *State) *[]NoteRecord { return &s.HotWash.Notes })),
		acks: spliceList(base.acks, tail.acks, ahead.acks, MaxDecisions,
			fields(snaps, func(s *State) *[]AckRecord { return &s.HotWash.Acks })),
		observations: spliceList(base.observations, tail.observations, ahead.observations, MaxDecisions,
			fields(snaps, func(s *State) *[]ObservationRecord { return &s.HotWash.Observations })),
		scoreComments: spliceList(base.scoreComments, tail.scoreComments, ahead.scoreComments, MaxDecisions,
			fields(snaps, func(s *State) *[]ScoreCommentRecord { return &s.HotWash.ScoreComments })),
		actionItems: spliceList(base.actionItems, tail.actionItems, ahead.actionItems, MaxDecisions,
			fields(snaps, func(s *State) *[]ActionItemRecord { return &s.HotWash.ActionItems })),
		history: make([][]HostPoint, len(tail.history)),
	}
	for i := range l.history {
		var b, a []HostPoint
		if i < len(base.history) {
			b = base.history[i]
		}
		if i < len(ahead.history) {
			a = ahead.history[i]
		}
		var had []*[]HostPoint // the snapshots that know group i
		for _, s := range snaps {
			if i < len(s.Hosts) {
				had = append(had, &s.Hosts[i].History)
			}
		}
		l.history[i] = spliceList(b, tail.history[i], a, MaxHostHistory, had)
	}
	return l
}

// copyRoom bounds the spare capacity a copied list gets beyond what it
// holds: enough for many batches in place, little next to a long list that
// the next late event may copy again.
const copyRoom = 4096

// fields is a pointer to one list of each state.
func fields[T any](states []*State, field func(*State) *[]T) []*[]T {
	l := make([]*[]T, len(states))
	for i, s := range states {
		l[i] = field(s)
	}
	return l
}

// spliceList is base followed by tail, as Apply builds it. ahead is the
// list built furthest along this history: when it starts with base's
// entries and goes on with tail's (the same events, folded before), the
// result is ahead itself, cut to length or with the rest of tail appended in
// place. That is safe: only the cursor's working state holds a list with
// spare capacity (snapshots and published clones are capped), so nothing
// else can see that space, and entries are only ever added past every
// slice anyone holds. Only a list whose entries after base changed (a late
// event lands before entries already shown) is copied, with room to grow.
// Each of snaps, a list that held a prefix of tail, becomes that prefix of
// the result.
func spliceList[T comparable](base, tail, ahead []T, max int, snaps []*[]T) []T {
	n := len(base) + len(tail)
	if n > max { // the bound drops entries on the way: drop them the same way
		list, next := base, 0
		for i, e := range tail {
			for ; next < len(snaps) && len(*snaps[next]) == i; next++ {
				*snaps[next] = capped(list)
			}
			list = bounded(append(list, e), max)
		}
		for ; next < len(snaps); next++ {
			*snaps[next] = capped(list)
		}
		return list
	}
	var list []T
	switch {
	case n == 0:
		list = base // as restored: nil stays nil
	case len(ahead) > 0 && startsWith(ahead, base):
		done := ahead[len(base):]
		same := 0
		for same < min(len(done), len(tail)) && done[same] == tail[same] {
			same++
		}
		switch {
		case same == len(done):
			list = append(ahead, tail[same:]...)
		case same == len(tail):
			list = ahead[:n:n]
		default:
			kept := ahead[: len(base)+same : len(base)+same]
			list = append(slices.Grow(kept, len(tail)-same+min(n/8, copyRoom)), tail[same:]...)
		}
	case len(base) == 0:
		list = tail
	default:
		list = append(base, tail...) // base is capped: this copies
	}
	for _, s := range snaps {
		k := len(base) + len(*s)
		*s = list[:k:k]
	}
	return list
}

// or is, list by list, l's list where it has entries, else m's.
func (l appendOnly) or(m appendOnly) appendOnly {
	r := appendOnly{timeline: orList(l.timeline, m.timeline), points: orList(l.points, m.points),
		posts: orList(l.posts, m.posts), decisions: orList(l.decisions, m.decisions),
		notes: orList(l.notes, m.notes), acks: orList(l.acks, m.acks), observations: orList(l.observations, m.observations),
		scoreComments: orList(l.scoreComments, m.scoreComments), actionItems: orList(l.actionItems, m.actionItems),
		history: make([][]HostPoint, max(len(l.history), len(m.history)))}
	for i := range r.history {
		var a, b []HostPoint
		if i < len(l.history) {
			a = l.history[i]
		}
		if i < len(m.history) {
			b = m.history[i]
		}
		r.history[i] = orList(a, b)
	}
	return r
}

func orList[T any](a, b []T) []T {
	if len(a) > 0 {
		return a
	}
	return b
}

// stillAhead is, list by list, ref's list where the list in lists is a
// shorter start of it on its array (a fold that has not caught up yet),
// else nil; ok reports whether any list is still ahead.
func stillAhead(lists, ref appendOnly) (ahead appendOnly, ok bool) {
	ahead.timeline = behind(lists.timeline, ref.timeline, &ok)
	ahead.points = behind(lists.points, ref.points, &ok)
	ahead.posts = behind(lists.posts, ref.posts, &ok)
	ahead.decisions = behind(lists.decisions, ref.decisions, &ok)
	ahead.notes = behind(lists.notes, ref.notes, &ok)
	ahead.acks = behind(lists.acks, ref.acks, &ok)
	ahead.observations = behind(lists.observations, ref.observations, &ok)
	ahead.scoreComments = behind(lists.scoreComments, ref.scoreComments, &ok)
	ahead.actionItems = behind(lists.actionItems, ref.actionItems, &ok)
	ahead.history = make([][]HostPoint, len(ref.history))
	for i := range ahead.history {
		var l []HostPoint
		if i < len(lists.history) {
			l = lists.history[i]
		}
		ahead.history[i] = behind(l, ref.history[i], &ok)
	}
	return ahead, ok
}

// behind is ref when list is a shorter start of it (the same array, or
// empty), and then sets ok; else nil.
func behind[T any](list, ref []T, ok *bool) []T {
	if len(ref) > len(list) && (len(list) == 0 || &list[0] == &ref[0]) {
		*ok = true
		return ref
	}
	return nil
}

// startsWith reports whether list begins with base's entries: on the same
// array from the same element, or else equal entries (an array that grew
// since base was taken holds a copy of them).
func startsWith[T comparable](list, base []T) bool {
	if len(base) == 0 {
		return true
	}
	return len(list) >= len(base) && (&list[0] == &base[0] || slices.Equal(list[:len(base)], base))
}

// moved reports whether spliceList put base's entries into a new array.
func moved[T any](base, tail, list []T, max int) bool {
	return len(base) > 0 && len(base)+len(tail) <= max && &list[0] != &base[0]
}

// rebaseAppendOnly points each list of s that is a start of base's (the
// same array from the same first element, no longer) at the array that
// spliceAppendOnly moved base's entries to, so that one array serves every
// state sharing a list and the old one can be freed. It reports whether any
// moved list of s started where base's does: states further back share
// less.
func (s *State) rebaseAppendOnly(base, tail, lists appendOnly) (shared bool) {
	rebase(&s.Timeline, base.timeline, tail.timeline, lists.timeline, MaxTimeline, &shared)
	rebase(&s.Backlog.Points, base.points, tail.points, lists.points, MaxBacklogPoints, &shared)
	rebase(&s.Complaints.Posts, base.posts, tail.posts, lists.posts, MaxPosts, &shared)
	rebase(&s.Decisions, base.decisions, tail.decisions, lists.decisions, MaxDecisions, &shared)
	rebase(&s.HotWash.Notes, base.notes, tail.notes, lists.notes, MaxDecisions, &shared)
	rebase(&s.HotWash.Acks, base.acks, tail.acks, lists.acks, MaxDecisions, &shared)
	rebase(&s.HotWash.Observations, base.observations, tail.observations, lists.observations, MaxDecisions, &shared)
	rebase(&s.HotWash.ScoreComments, base.scoreComments, tail.scoreComments, lists.scoreComments, MaxDecisions, &shared)
	rebase(&s.HotWash.ActionItems, base.actionItems, tail.actionItems, lists.actionItems, MaxDecisions, &shared)
	for i := range min(len(s.Hosts), len(base.history)) {
		rebase(&s.Hosts[i].History, base.history[i], tail.history[i], lists.history[i], MaxHostHistory, &shared)
	}
	return shared
}

// anyMoved reports whether spliceAppendOnly moved any list to a new array.
func anyMoved(base, tail, lists appendOnly) bool {
	m := moved(base.timeline, tail.timeline, lists.timeline, MaxTimeline) ||
		moved(base.points, tail.points, lists.points, MaxBacklogPoints) ||
		moved(base.posts, tail.posts, lists.posts, MaxPosts) ||
		moved(base.decisions, tail.decisions, lists.decisions, MaxDecisions) ||
		moved(base.notes, tail.notes, lists.notes, MaxDecisions) ||
		moved(base.acks, tail.acks, lists.acks, MaxDecisions) ||
		moved(base.observations, tail.observations, lists.observations, MaxDecisions) ||
		moved(base.scoreComments, tail.scoreComments, lists.scoreComments, MaxDecisions) ||
		moved(base.actionItems, tail.actionItems, lists.actionItems, MaxDecisions)
	for i := range base.history {
		m = m || moved(base.history[i], tail.history[i], lists.history[i], MaxHostHistory)
	}
	return m
}

// rebase puts *x on list's array when it is a start of base (the same
// array from the same element, no longer) and spliceList moved base's
// entries there, and then sets shared.
func rebase[T any](x *[]T, base, tail, list []T, max int, shared *bool) {
	if !moved(base, tail, list, max) || len(*x) == 0 || len(*x) > len(base) || &(*x)[0] != &base[0] {
		return
	}
	*x = list[:len(*x):len(*x)]
	*shared = true
}
