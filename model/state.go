package model

import (
	"maps"
	"slices"
	"time"
	"unsafe"
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
	HotWash    HotWashLog // objectives, observations, findings, action items, notes, acks
	WhatIf     WhatIf     // Factor 0: none
	Timeline   []Entry
	Sources    []SourceStatus
	Alerts     []Alert      // one per rule, in the rules' order
	Sent       []SentUpdate // status updates marked sent, in the order sent

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
	// listsAside is set while a cursor's fold holds the append-only lists
	// (takeAppendOnly): Apply then leaves the alert rules on history to
	// the fold's end.
	listsAside bool
}

// Revisions counts the changes applied to each part of a State.
type Revisions struct {
	Hosts, Backlog, Warnings, Complaints, Runbook, Injects, Timeline, Sources, Alerts int
}

// HostGroup is a host group's current counts and its recovery history.
type HostGroup struct {
	ID, Name  string
	Total     int
	Recovered int
	Failed    int
	State     HostState
	Steps     HostSteps // where the hosts not back are; all zero: not reported
	UpdatedAt time.Duration
	Seen      bool        // a status has been received
	History   []HostPoint // append-only
}

// HostPoint is a host group's counts at a moment: the zoomed group's chart
// and funnel read them.
type HostPoint struct {
	At        time.Duration
	Recovered int
	Failed    int
	Steps     HostSteps
}

// Backlog is the delivery backlog's history and its extremes.
type Backlog struct {
	Points []BacklogPoint // append-only, in time order; the oldest drop past MaxBacklogPoints
	Peak   int64
	PeakAt time.Duration

	// Classes are the promise classes the backlog is split by: the
	// scenario's declared ones in their order, then any a source reports
	// first, in the order they came. Append-only.
	Classes []PromiseClass

	baseline    int64 // the first observation, kept when old points are dropped
	hasBaseline bool
}

// PromiseClass is a delivery promise the backlog is split by.
type PromiseClass struct{ ID, Name string }

// BacklogPoint is one observation of the backlog. Rates are orders per hour;
// HasInflow and HasShipped say whether the source reported them.
type BacklogPoint struct {
	At      time.Duration
	Waiting int64
	Inflow  float64
	Shipped float64
	Late    int64 // orders past their promised date, valid when HasLate

	// The split by class as the source reported it, kept as the event's
	// own array (never modified) by its first element and length, so that
	// a point stays comparable: the same event folded again gives an
	// equal point, which lets a refold keep the lists it built.
	promise  *PromiseCount
	promiseN int32

	HasInflow  bool
	HasShipped bool
	HasLate    bool // the source reported late orders
}

// Promise is the point's split by promise class; nil when it has none.
func (p BacklogPoint) Promise() []PromiseCount {
	if p.promise == nil {
		return nil
	}
	return unsafe.Slice(p.promise, p.promiseN)
}

// ClassWaiting is how many orders of class id wait at this point (0 when
// the point has no split or not that class).
func (p BacklogPoint) ClassWaiting(id string) int64 {
	for _, c := range p.Promise() {
		if c.Class == id {
			return c.Waiting
		}
	}
	return 0
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
	AdHoc   bool          // added by the facilitator during the exercise, not scheduled
	AddedBy string        // who added it, when AdHoc
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
	FirstAt  time.Duration // when the source first reported
	LastData time.Duration // offset of the last fresh data; negative: none yet
	Feeds    []Kind
	Dropped  []DropCount // items read and never delivered, by reason, most first; shared by clones, never modified
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
	s.HotWash.Objectives = sc.Objectives
	for _, c := range sc.PromiseClasses {
		s.Backlog.Classes = append(s.Backlog.Classes, PromiseClass{ID: c.ID, Name: c.Name})
	}
	for _, st := range sc.Runbook {
		s.stepIndex[st.ID] = len(s.Runbook)
		s.Runbook = append(s.Runbook, Step{ID: st.ID, Title: st.Title, Detail: st.Detail, State: StepPending})
	}
	s.Alerts = newAlerts(sc.Alerts)
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
	c.Backlog.Classes = capped(s.Backlog.Classes)
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
	c.HotWash = s.HotWash.clone()
	c.Timeline = capped(s.Timeline)
	c.Sources = slices.Clone(s.Sources)
	c.Alerts = cloneAlerts(s.Alerts)
	c.Sent = capped(s.Sent)
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

// mutableSize is roughly how many elements Clone copies.
func (s State) mutableSize() int {
	n := len(s.Hosts) + len(s.Warnings) + len(s.Runbook) + len(s.Sources) + len(s.Injects) + len(s.Alerts)
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
