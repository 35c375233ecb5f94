// Package model holds warroom's domain: typed events, the incident State they
// fold into, the backlog forecast, the scenario format and the replay cursor.
// It does no I/O and reads no clock: the same events always give the same state.
package model

import (
	"fmt"
	"time"
)

// Event is one thing that happened: when (an offset from T+0), who reported it
// and what it was. A responder's action is an event too, with the responder as
// its Source.
type Event struct {
	At     time.Duration // offset from the incident's T+0
	Source string        // "scenario", "responder:ic", "prometheus", ...
	Text   string        // optional line for the timeline pane
	Body   Body
}

// Kind names an event body's type as it is written in scenario files and JSON.
type Kind string

const (
	KindHostStatus   Kind = "hosts"
	KindBacklog      Kind = "backlog"
	KindWarning      Kind = "warning"
	KindComplaint    Kind = "complaint"
	KindRunbookStep  Kind = "step"
	KindInject       Kind = "inject"
	KindNote         Kind = "note"
	KindUpdate       Kind = "update"
	KindAck          Kind = "ack"
	KindSourceHealth Kind = "source"

	// Tabletop exercise actions: a responder's or the facilitator's.
	KindInjectControl Kind = "inject-control"
	KindDecision      Kind = "decision"
	KindCheck         Kind = "check"
	KindWhatIf        Kind = "whatif"
)

// Body is the typed payload of an Event. Each body type is a plain value.
type Body interface {
	Kind() Kind
}

// HostState summarises a host group's condition.
type HostState string

const (
	HostsHealthy    HostState = "healthy"
	HostsDegraded   HostState = "degraded"
	HostsDown       HostState = "down"
	HostsRecovering HostState = "recovering"
)

// HostStatus reports a host group's counts at a moment.
type HostStatus struct {
	Group     string
	Recovered int // hosts back in service
	Total     int // hosts in the group
	Failed    int // hosts known to be failing now (boot loop, crashed)
	State     HostState
}

// BacklogObservation reports the delivery backlog at a moment. Rates are orders
// per hour and optional: nil means the source did not report it.
type BacklogObservation struct {
	Waiting int64    // orders waiting to ship
	Inflow  *float64 // new orders per hour
	Shipped *float64 // orders shipped per hour
}

// Severity ranks a carrier warning.
type Severity string

const (
	SeverityInfo     Severity = "info"
	SeverityMinor    Severity = "minor"
	SeverityMajor    Severity = "major"
	SeverityCritical Severity = "critical"
)

// Rank orders severities, higher is worse; unknown severities rank lowest.
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 1
	case SeverityMinor:
		return 2
	case SeverityMajor:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

// WarningPhase is where a carrier warning is in its life.
type WarningPhase string

const (
	WarningIssued   WarningPhase = "issued"
	WarningUpdated  WarningPhase = "updated"
	WarningResolved WarningPhase = "resolved"
)

// CarrierWarning issues, updates or resolves a carrier's notice. ID ties the
// phases of one notice together. On update, empty fields keep their values.
type CarrierWarning struct {
	ID       string
	Carrier  string
	Phase    WarningPhase
	Severity Severity
	Region   string
	Headline string
	Body     string
}

// SellerComplaint is one seller's post.
type SellerComplaint struct {
	Seller  string
	Channel string // "forums", "case", "email", ...
	Topic   string // "late-shipment-rate", "labels-failing", ...
	Text    string
}

// StepState is a runbook step's state.
type StepState string

const (
	StepPending StepState = "pending"
	StepActive  StepState = "active"
	StepDone    StepState = "done"
	StepSkipped StepState = "skipped"
	StepBlocked StepState = "blocked"
)

// Valid reports whether s is one of the step states.
func (s StepState) Valid() bool {
	switch s {
	case StepPending, StepActive, StepDone, StepSkipped, StepBlocked:
		return true
	}
	return false
}

// RunbookStepChange moves a runbook step to a new state.
type RunbookStepChange struct {
	Step  string
	State StepState
	By    string
}

// Inject is a facilitator's prompt in a tabletop exercise. Players see the
// title, prompt and questions; Expected and Notes are for the facilitator.
type Inject struct {
	ID        string
	Title     string
	Prompt    string
	Questions []string // discussion questions
	Expected  []string // actions a good team takes; scored in the debrief
	Notes     string   // facilitator-only guidance
}

// InjectAction is what the facilitator does with an inject.
type InjectAction string

const (
	InjectFire    InjectAction = "fire"    // deliver now, whatever its time
	InjectSkip    InjectAction = "skip"    // never deliver it
	InjectHold    InjectAction = "hold"    // do not deliver it when its time comes
	InjectRelease InjectAction = "release" // end a hold: deliver now if its time has passed
)

// InjectControl is the facilitator acting on an inject.
type InjectControl struct {
	Inject string
	Action InjectAction
	By     string
}

// Decision is a responder's decision, recorded against an inject.
type Decision struct {
	Inject string // empty: the current inject
	By     string
	Text   string
	Wall   time.Time // real time it was taken (the scenario time is the event's)
}

// ExpectedCheck marks one of an inject's expected actions as done or not:
// the facilitator's scoring.
type ExpectedCheck struct {
	Inject string
	Item   int // index into Inject.Expected
	Done   bool
	By     string
}

// WhatIf scales the backlog's shipping capacity by Factor from From on, to
// compare a forecast against the baseline. A Factor of 0 or 1 clears it.
type WhatIf struct {
	Factor float64
	From   time.Duration
	By     string
}

// Note is free text added by a responder.
type Note struct {
	Author string
	Text   string
}

// StatusUpdate is an outside party's public update (a cloud provider's health
// dashboard, a vendor's statement).
type StatusUpdate struct {
	From string
	Text string
}

// Acknowledgement marks a carrier warning as seen by a responder.
type Acknowledgement struct {
	Warning string // CarrierWarning.ID
	By      string
}

// HealthStatus is a data source's condition.
type HealthStatus string

const (
	HealthOK    HealthStatus = "ok"
	HealthStale HealthStatus = "stale"
	HealthError HealthStatus = "error"
)

// SourceHealth reports a data source's health.
type SourceHealth struct {
	Source   string
	Status   HealthStatus
	Error    string        // the last error, kept while the status is not ok
	LastData time.Duration // offset of the last fresh data; negative: none yet
	Feeds    []Kind        // the kinds of events the source produces: which panes it feeds
	// Dropped counts, by reason, the items the source read since it started
	// and never delivered (an RSS item dated before T+0, a bad NDJSON line, a
	// report older than one already delivered), most first; nil: none.
	Dropped []DropCount
}

// DropCount is how many items a source dropped for one reason.
type DropCount struct {
	Reason string // "before T+0", "bad entry", "older than the latest", ...
	Count  int
}

// DroppedTotal sums the counts.
func DroppedTotal(d []DropCount) int {
	n := 0
	for _, c := range d {
		n += c.Count
	}
	return n
}

func (HostStatus) Kind() Kind         { return KindHostStatus }
func (BacklogObservation) Kind() Kind { return KindBacklog }
func (CarrierWarning) Kind() Kind     { return KindWarning }
func (SellerComplaint) Kind() Kind    { return KindComplaint }
func (RunbookStepChange) Kind() Kind  { return KindRunbookStep }
func (Inject) Kind() Kind             { return KindInject }
func (Note) Kind() Kind               { return KindNote }
func (StatusUpdate) Kind() Kind       { return KindUpdate }
func (Acknowledgement) Kind() Kind    { return KindAck }
func (SourceHealth) Kind() Kind       { return KindSourceHealth }
func (InjectControl) Kind() Kind      { return KindInjectControl }
func (Decision) Kind() Kind           { return KindDecision }
func (ExpectedCheck) Kind() Kind      { return KindCheck }
func (WhatIf) Kind() Kind             { return KindWhatIf }

// FormatOffset writes an offset as T+hh:mm (T-hh:mm before T+0). Hours grow
// past 99 rather than wrapping into days so that offsets sort as text.
func FormatOffset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign = "-"
		d = -d
	}
	m := int64(d / time.Minute)
	return fmt.Sprintf("T%s%02d:%02d", sign, m/60, m%60)
}
