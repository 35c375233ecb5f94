package model

import (
	"maps"
	"slices"
	"time"
)

// State is the incident as known after folding events with Apply. A State is
// owned by one goroutine; share it only through Clone, which is cheap because
// append-only history is shared and only mutable parts are copied.
type State struct {
	Now     time.Duration // the cursor's time: never before the last applied event
	Applied int           // events folded in so far

	Hosts      []HostGroup
	Backlog    Backlog
	Warnings   []Warning
	Complaints Complaints
	Runbook    []Step
	Injects    []InjectState // every inject of the exercise, in schedule order
	Current    int           // index of the inject decisions attach to; -1 before any
	Decisions  []DecisionRecord
	WhatIf     WhatIf // Factor 0: none
	Timeline   []Entry
	Sources    []SourceStatus

	// Rev counts changes per part, so that views re-render only the parts that
	// changed. Equal revisions of one part mean equal content within one
	// history; Epoch (set by the room, never by Apply) changes when history is
	// rewritten, for example when an action is inserted before later events.
	Rev   Revisions
	Epoch int

	hostIndex    map[string]int
	warningIndex map[string]int
	stepIndex    map[string]int
	topicIndex   map[string]int
	injectIndex  map[string]int
	carrierNames map[string]string // declared carriers; never modified after NewState
}

// Revisions counts the changes applied to each part of a State.
type Revisions struct {
	Hosts, Backlog, Warnings, Complaints, Runbook, Injects, Timeline, Sources int
}

// HostGroup is a host group's current counts and its recovery history.
type HostGroup struct {
	ID, Name  string
	Total     int
	Recovered int
	Failed    int
	State     HostState
	UpdatedAt time.Duration
	Seen      bool        // a status has been received
	History   []HostPoint // append-only
}

// HostPoint is a host group's recovered count at a moment.
type HostPoint struct {
	At        time.Duration
	Recovered int
}

// Backlog is the delivery backlog's history and its extremes.
type Backlog struct {
	Points []BacklogPoint // append-only, in time order; the oldest drop past MaxBacklogPoints
	Peak   int64
	PeakAt time.Duration

	baseline    int64 // the first observation, kept when old points are dropped
	hasBaseline bool
}

// BacklogPoint is one observation of the backlog. Rates are orders per hour;
// HasInflow and HasShipped say whether the source reported them.
type BacklogPoint struct {
	At         time.Duration
	Waiting    int64
	Inflow     float64
	Shipped    float64
	HasInflow  bool
	HasShipped bool
}

// Latest is the most recent observation, and false before any.
func (b Backlog) Latest() (BacklogPoint, bool) {
	if len(b.Points) == 0 {
		return BacklogPoint{}, false
	}
	return b.Points[len(b.Points)-1], true
}

// Baseline is the backlog's normal level: the first observation, taken
// before the incident hit. The backlog counts as cleared when back to it, since
// a fulfilment network never runs at zero orders waiting.
func (b Backlog) Baseline() int64 { return b.baseline }

// BacklogForecast is the backlog forecast at Now, with the baseline as the
// level that counts as cleared.
func (s State) BacklogForecast() Forecast {
	return ForecastBacklog(s.Backlog.Points, s.Now, ForecastOptions{Target: s.Backlog.Baseline()})
}

// Warning is a carrier's notice as it stands now.
type Warning struct {
	ID, Carrier    string
	CarrierName    string // the carrier's display name
	Severity       Severity
	Region         string
	Headline, Body string
	IssuedAt       time.Duration
	UpdatedAt      time.Duration
	Resolved       bool
	ResolvedAt     time.Duration
	Acked          bool
	AckedBy        string
	AckedAt        time.Duration
	Updates        int // how many updates followed the first notice
}

// NeedsAck reports whether the warning is open and nobody has acknowledged it.
func (w Warning) NeedsAck() bool { return !w.Resolved && !w.Acked }

// Complaints is what sellers have posted.
type Complaints struct {
	Total  int
	Topics []TopicStat
	Posts  []Complaint // append-only, in time order
}

// TopicStat counts complaints of one topic, in total and per hour since T+0.
type TopicStat struct {
	ID, Name string
	Count    int
	Hourly   []int32 // Hourly[h] counts posts in [h, h+1) hours after T+0
}

// Complaint is one seller's post as received.
type Complaint struct {
	At      time.Duration
	Seller  string
	Channel string
	Topic   string
	Text    string
}

// Step is a runbook step and where it stands.
type Step struct {
	ID, Title, Detail string
	State             StepState
	ChangedAt         time.Duration
	By                string
}

// InjectStatus is where an inject stands in an exercise.
type InjectStatus string

const (
	InjectPending InjectStatus = "pending"
	InjectFired   InjectStatus = "fired"
	InjectHeld    InjectStatus = "held"
	InjectSkipped InjectStatus = "skipped"
)

// InjectState is an inject and what happened to it.
type InjectState struct {
	Inject
	Due     time.Duration // when the scenario schedules it
	Status  InjectStatus
	FiredAt time.Duration // valid when Status is fired
	Reached bool          // playback passed Due while it was held
	Checked []bool        // per Expected action: done
	Scored  bool          // the facilitator has checked or unchecked an expected action
}

// Score sums the facilitator's checks: "met" (all expected actions done),
// "partly", "missed" (scored, none done), or "" when there is nothing to
// score yet (not delivered, no expected actions, or not scored).
func (in InjectState) Score() string {
	if in.Status != InjectFired || len(in.Expected) == 0 || !in.Scored {
		return ""
	}
	done := 0
	for _, c := range in.Checked {
		if c {
			done++
		}
	}
	switch done {
	case len(in.Expected):
		return "met"
	case 0:
		return "missed"
	}
	return "partly"
}

// DecisionRecord is a decision as recorded: when in the scenario, when in
// real time, by whom, against which inject.
type DecisionRecord struct {
	At     time.Duration
	Wall   time.Time
	Inject string
	By     string
	Text   string
}

// CurrentInject is the inject decisions attach to.
func (s State) CurrentInject() (InjectState, bool) {
	if s.Current < 0 || s.Current >= len(s.Injects) {
		return InjectState{}, false
	}
	return s.Injects[s.Current], true
}

// InjectByID finds an inject.
func (s State) InjectByID(id string) (InjectState, bool) {
	i, ok := s.injectIndex[id]
	if !ok {
		return InjectState{}, false
	}
	return s.Injects[i], true
}

// NextInject is the first inject still to be delivered (pending or held).
func (s State) NextInject() (InjectState, bool) {
	for _, in := range s.Injects {
		if in.Status == InjectPending || in.Status == InjectHeld {
			return in, true
		}
	}
	return InjectState{}, false
}

// Entry is a line in the incident timeline.
type Entry struct {
	At     time.Duration
	Kind   Kind
	Source string
	Text   string
	// Facilitator marks a line only the facilitator may see (an inject held
	// or skipped: it would tell players what is coming).
	Facilitator bool
}

// SourceStatus is the last reported health of a data source.
type SourceStatus struct {
	Name     string
	Status   HealthStatus
	Error    string
	At       time.Duration // when this status was reported
	LastData time.Duration // offset of the last fresh data; negative: none yet
	Feeds    []Kind
}

// NewState is the state before any event: everything the scenario declares,
// nothing reported yet.
func NewState(sc *Scenario) State {
	s := State{
		hostIndex:    map[string]int{},
		warningIndex: map[string]int{},
		stepIndex:    map[string]int{},
		topicIndex:   map[string]int{},
		injectIndex:  map[string]int{},
		carrierNames: map[string]string{},
		Current:      -1,
	}
	if sc == nil {
		return s
	}
	for _, g := range sc.HostGroups {
		s.hostIndex[g.ID] = len(s.Hosts)
		s.Hosts = append(s.Hosts, HostGroup{ID: g.ID, Name: g.Name, Total: g.Total})
	}
	for _, c := range sc.Carriers {
		s.carrierNames[c.ID] = c.Name
	}
	for _, t := range sc.Topics {
		s.topicIndex[t.ID] = len(s.Complaints.Topics)
		s.Complaints.Topics = append(s.Complaints.Topics, TopicStat{ID: t.ID, Name: t.Name})
	}
	for _, e := range sc.Events {
		if in, ok := e.Body.(Inject); ok {
			s.addInject(in, e.At)
		}
	}
	for _, st := range sc.Runbook {
		s.stepIndex[st.ID] = len(s.Runbook)
		s.Runbook = append(s.Runbook, Step{ID: st.ID, Title: st.Title, Detail: st.Detail, State: StepPending})
	}
	return s
}

// Clone returns a State that shares nothing mutable with s: applying events
// to either leaves the other as it was.
func (s State) Clone() State {
	c := s
	c.Hosts = slices.Clone(s.Hosts)
	for i := range c.Hosts {
		c.Hosts[i].History = capped(c.Hosts[i].History)
	}
	c.Backlog.Points = capped(s.Backlog.Points)
	c.Warnings = slices.Clone(s.Warnings)
	c.Complaints.Topics = slices.Clone(s.Complaints.Topics)
	for i := range c.Complaints.Topics {
		c.Complaints.Topics[i].Hourly = slices.Clone(c.Complaints.Topics[i].Hourly)
	}
	c.Complaints.Posts = capped(s.Complaints.Posts)
	c.Runbook = slices.Clone(s.Runbook)
	c.Injects = slices.Clone(s.Injects)
	for i := range c.Injects {
		c.Injects[i].Checked = slices.Clone(c.Injects[i].Checked)
	}
	c.Decisions = capped(s.Decisions)
	c.Timeline = capped(s.Timeline)
	c.Sources = slices.Clone(s.Sources)
	c.hostIndex = maps.Clone(s.hostIndex)
	c.warningIndex = maps.Clone(s.warningIndex)
	c.stepIndex = maps.Clone(s.stepIndex)
	c.topicIndex = maps.Clone(s.topicIndex)
	c.injectIndex = maps.Clone(s.injectIndex)
	return c
}

// capped limits a slice's capacity to its length, so that appending to the
// copy reallocates instead of writing into the shared array.
func capped[T any](s []T) []T { return s[:len(s):len(s)] }

// appendOnly is a state's append-only lists, the ones Clone shares. Apply
// never reads them: it only appends, and drops the oldest half of a list
// past its bound (bounded). So within one history the lists at a position
// are prefixes of the lists at any later one, until a bound drops entries.
type appendOnly struct {
	timeline  []Entry
	points    []BacklogPoint
	posts     []Complaint
	decisions []DecisionRecord
	history   [][]HostPoint // per host group, by index
}

// takeAppendOnly moves the append-only lists out of s, leaving them empty.
// s must own its Hosts slice (a Clone does).
func (s *State) takeAppendOnly() appendOnly {
	l := appendOnly{timeline: s.Timeline, points: s.Backlog.Points, posts: s.Complaints.Posts, decisions: s.Decisions,
		history: make([][]HostPoint, len(s.Hosts))}
	s.Timeline, s.Backlog.Points, s.Complaints.Posts, s.Decisions = nil, nil, nil, nil
	for i := range s.Hosts {
		l.history[i], s.Hosts[i].History = s.Hosts[i].History, nil
	}
	return l
}

// putAppendOnly sets s's append-only lists; l has one history per host group.
func (s *State) putAppendOnly(l appendOnly) {
	s.Timeline, s.Backlog.Points, s.Complaints.Posts, s.Decisions = l.timeline, l.points, l.posts, l.decisions
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
	var k bool
	ahead.timeline, k = behind(lists.timeline, ref.timeline)
	ok = ok || k
	ahead.points, k = behind(lists.points, ref.points)
	ok = ok || k
	ahead.posts, k = behind(lists.posts, ref.posts)
	ok = ok || k
	ahead.decisions, k = behind(lists.decisions, ref.decisions)
	ok = ok || k
	ahead.history = make([][]HostPoint, len(ref.history))
	for i := range ahead.history {
		var l []HostPoint
		if i < len(lists.history) {
			l = lists.history[i]
		}
		ahead.history[i], k = behind(l, ref.history[i])
		ok = ok || k
	}
	return ahead, ok
}

// behind is ref when list is a shorter start of it (the same array, or
// empty), else nil.
func behind[T any](list, ref []T) ([]T, bool) {
	if len(ref) > len(list) && (len(list) == 0 || &list[0] == &ref[0]) {
		return ref, true
	}
	return nil, false
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
	var ok bool
	s.Timeline, ok = rebase(s.Timeline, base.timeline, tail.timeline, lists.timeline, MaxTimeline)
	shared = shared || ok
	s.Backlog.Points, ok = rebase(s.Backlog.Points, base.points, tail.points, lists.points, MaxBacklogPoints)
	shared = shared || ok
	s.Complaints.Posts, ok = rebase(s.Complaints.Posts, base.posts, tail.posts, lists.posts, MaxPosts)
	shared = shared || ok
	s.Decisions, ok = rebase(s.Decisions, base.decisions, tail.decisions, lists.decisions, MaxDecisions)
	shared = shared || ok
	for i := range min(len(s.Hosts), len(base.history)) {
		s.Hosts[i].History, ok = rebase(s.Hosts[i].History, base.history[i], tail.history[i], lists.history[i], MaxHostHistory)
		shared = shared || ok
	}
	return shared
}

// anyMoved reports whether spliceAppendOnly moved any list to a new array.
func anyMoved(base, tail, lists appendOnly) bool {
	m := moved(base.timeline, tail.timeline, lists.timeline, MaxTimeline) ||
		moved(base.points, tail.points, lists.points, MaxBacklogPoints) ||
		moved(base.posts, tail.posts, lists.posts, MaxPosts) ||
		moved(base.decisions, tail.decisions, lists.decisions, MaxDecisions)
	for i := range base.history {
		m = m || moved(base.history[i], tail.history[i], lists.history[i], MaxHostHistory)
	}
	return m
}

// rebase is x on list's array when x is a start of base (the same array
// from the same element, no longer) and spliceList moved base's entries
// there; shared says it was.
func rebase[T any](x, base, tail, list []T, max int) (_ []T, shared bool) {
	if !moved(base, tail, list, max) || len(x) == 0 || len(x) > len(base) || &x[0] != &base[0] {
		return x, false
	}
	return list[:len(x):len(x)], true
}

// mutableSize is roughly how many elements Clone copies.
func (s State) mutableSize() int {
	n := len(s.Hosts) + len(s.Warnings) + len(s.Runbook) + len(s.Sources) + len(s.Injects)
	for _, t := range s.Complaints.Topics {
		n += 1 + len(t.Hourly)
	}
	return n
}

// HostTotals sums the host groups that have reported: a group nobody has
// reported on yet is unknown, not down.
func (s State) HostTotals() (recovered, total, failed int) {
	for _, g := range s.Hosts {
		if !g.Seen {
			continue
		}
		recovered += g.Recovered
		total += g.Total
		failed += g.Failed
	}
	return recovered, total, failed
}

// UnackedWarnings counts open warnings nobody has acknowledged.
func (s State) UnackedWarnings() int {
	n := 0
	for _, w := range s.Warnings {
		if w.NeedsAck() {
			n++
		}
	}
	return n
}

// Warning finds a warning by id.
func (s State) Warning(id string) (Warning, bool) {
	i, ok := s.warningIndex[id]
	if !ok {
		return Warning{}, false
	}
	return s.Warnings[i], true
}

// Rate is the group's recovery rate per hour over the last hour of reports,
// and 0 once every host is back (an old report's rate is no longer news).
func (g HostGroup) Rate(now time.Duration) float64 {
	if g.Total > 0 && g.Recovered >= g.Total {
		return 0
	}
	return RecoveryRate(g.History, now, time.Hour)
}

// PercentBack is whole percent of hosts back, rounded down so that 99.6%
// never reads "100%" while hosts are still failing.
func PercentBack(recovered, total int) int {
	if total <= 0 {
		return 0
	}
	return recovered * 100 / total
}

// RecoveryRate is hosts recovered per hour over the window that ends at the
// group's latest report (not at now: reports can be hours apart late in an
// incident, and a quiet hour is not a stalled recovery). Reports after now
// are ignored. The window's start is the last report at or before it, or the
// first report when the history is shorter than the window.
func RecoveryRate(history []HostPoint, now, window time.Duration) float64 {
	n, _ := slices.BinarySearchFunc(history, now, func(p HostPoint, t time.Duration) int {
		if p.At <= t {
			return -1
		}
		return 1
	})
	if n < 2 || window <= 0 {
		return 0
	}
	last := history[n-1]
	from := last.At - window
	base := history[0]
	for i := n - 2; i >= 0; i-- {
		if history[i].At <= from {
			base = history[i]
			break
		}
	}
	span := last.At - base.At
	if span <= 0 {
		return 0
	}
	return float64(last.Recovered-base.Recovered) / span.Hours()
}
