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
	Group     string    `json:"group" check:"required,ref=host_groups" doc:"A host_groups id."`
	Recovered int       `json:"recovered" check:"present,min=0" doc:"Hosts back in service (>= 0, <= total)."`
	Total     int       `json:"total,omitzero" check:"min=1" doc:"Hosts in the group (> 0); defaults to the group's declared total."`
	Failed    int       `json:"failed,omitzero" check:"min=0" doc:"Hosts known to be failing now (>= 0); recovered + failed <= total."`
	State     HostState `json:"state,omitzero" doc:"The group's condition."`
	Steps     HostSteps `json:"steps,omitzero" doc:"How many of the hosts not yet back are at each recovery step; optional. recovered + the steps <= total."`
}

// HostSteps counts a group's hosts that are not back yet by where each is on
// its way back (the recovery runbook's steps). Instance-store hosts lose
// their data when stopped, so they never enter the stop-based rescue: they
// have a manual path of their own, counted apart. All zero means the source
// did not report steps.
type HostSteps struct {
	Crashed       int `json:"crashed,omitzero" check:"min=0" doc:"Down, no recovery started yet (blue screen, boot loop)."`
	Rebooting     int `json:"rebooting,omitzero" check:"min=0" doc:"Being rebooted, up to 15 times, for the sensor to fetch the fixed channel file."`
	Rescue        int `json:"rescue,omitzero" check:"min=0" doc:"In the SSM automation AWSSupport-StartEC2RescueWorkflow (it stops the instance)."`
	Manual        int `json:"manual,omitzero" check:"min=0" doc:"In the manual root-volume repair (snapshot, rescue instance, delete C-00000291*.sys, replace the root volume)."`
	BitLocker     int `json:"bitlocker,omitzero" check:"min=0" doc:"Waiting for their BitLocker recovery key before the volume can be repaired."`
	InstanceStore int `json:"instance_store,omitzero" check:"min=0" doc:"Instance-store hosts on their own manual path: never stopped, repaired in place."`
}

// Sum is the hosts counted at any step.
func (h HostSteps) Sum() int {
	return h.Crashed + h.Rebooting + h.Rescue + h.Manual + h.BitLocker + h.InstanceStore
}

// Reported says whether any step is counted: a source that reports only
// recovered and failed leaves them all zero.
func (h HostSteps) Reported() bool { return h != HostSteps{} }

// BacklogObservation reports the delivery backlog at a moment. Rates are orders
// per hour and optional: nil means the source did not report it.
type BacklogObservation struct {
	Waiting int64    `json:"waiting" check:"present,min=0" doc:"Orders waiting to ship (>= 0)."`
	Inflow  *float64 `json:"inflow,omitzero" check:"min=0" doc:"New orders per hour (>= 0); optional."`
	Shipped *float64 `json:"shipped,omitzero" check:"min=0" doc:"Orders shipped per hour (>= 0); optional."`
	// Late and Promise say who hurts: orders past their promised delivery
	// date count against a seller's metrics, and a next-day order waiting
	// is worse news than a standard one.
	Late    *int64         `json:"late,omitzero" check:"min=0" doc:"Orders already past their promised delivery date (>= 0, <= waiting); optional. Without it, the sum of the promise classes' late when they are given."`
	Promise []PromiseCount `json:"promise,omitzero" doc:"The backlog split by promise class; optional. Each class once; the classes' waiting sums to waiting, their late to late."`
}

// PromiseCount is the part of the backlog that carries one delivery promise.
type PromiseCount struct {
	Class   string `json:"class" check:"required,ref=promise_classes" doc:"A promise_classes id (in the wire format any id: a live source's own)."`
	Waiting int64  `json:"waiting" check:"present,min=0" doc:"Orders of this class waiting to ship (>= 0)."`
	Late    int64  `json:"late,omitzero" check:"min=0" doc:"Of those, orders already past their promised date (>= 0, <= this class's waiting); default 0."`
}

// LateCount is the observation's late orders: its own figure, else the sum
// of its classes' when it has a split; false when it reports neither.
func (b BacklogObservation) LateCount() (int64, bool) {
	if b.Late != nil {
		return *b.Late, true
	}
	if len(b.Promise) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b.Promise {
		n += c.Late
	}
	return n, true
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
	ID       string       `json:"id" check:"required" doc:"The notice's id; all phases of one notice share it. Issued once."`
	Carrier  string       `json:"carrier,omitzero" check:"ref=carriers" doc:"A carriers id; required when the phase is issued."`
	Phase    WarningPhase `json:"phase,omitzero" doc:"Where the notice is in its life; default issued. updated and resolved must follow an issued with the same id; on update, absent fields keep their values."`
	Severity Severity     `json:"severity,omitzero" doc:"How bad; required when the phase is issued."`
	Region   string       `json:"region,omitzero" doc:"Where it applies, e.g. \"US, Europe\"."`
	Headline string       `json:"headline,omitzero" doc:"One line; required when the phase is issued."`
	Body     string       `json:"body,omitzero" sanitize:"text" doc:"The notice's text."`
}

// SellerComplaint is one seller's post.
type SellerComplaint struct {
	Seller  string `json:"seller" check:"required" doc:"The seller's name."`
	Channel string `json:"channel" check:"required" doc:"Where it was posted: forums, case, email, social (free text)."`
	Topic   string `json:"topic" check:"required,ref=topics" doc:"A topics id."`
	Text    string `json:"text" check:"required" sanitize:"text" doc:"The post."`
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
	Step  string    `json:"step" check:"required,ref=runbook" doc:"A runbook id."`
	State StepState `json:"state" check:"required" doc:"The step's new state."`
	By    string    `json:"by,omitzero" doc:"Optional responder handle, e.g. ic."`
}

// Inject is a facilitator's prompt in a tabletop exercise. Players see the
// title, prompt and questions; Expected and Notes are for the facilitator.
type Inject struct {
	ID        string   `json:"id" check:"required" doc:"Unique among the scenario's injects."`
	Title     string   `json:"title" check:"required" doc:"One line shown to players."`
	Prompt    string   `json:"prompt" check:"required" sanitize:"text" doc:"The situation and the question put to players."`
	Questions []string `json:"questions,omitzero" check:"items" sanitize:"text" doc:"Discussion questions players see."`
	Expected  []string `json:"expected,omitzero" check:"items" sanitize:"text" doc:"Actions a good team takes; facilitator only, scored in the debrief."`
	Notes     string   `json:"notes,omitzero" sanitize:"text" doc:"Guidance for the facilitator; never shown to players."`
	// Objectives tie the inject to what the exercise tests, for the
	// after-action report.
	Objectives []string `json:"objectives,omitzero" check:"items,ref=objectives" doc:"The objectives it exercises: objectives ids."`
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
	Inject string       `json:"inject" check:"required" doc:"The inject's id."`
	Action InjectAction `json:"action" check:"required" doc:"What the facilitator does with it."`
	By     string       `json:"by,omitzero" doc:"The facilitator's handle."`
}

// Decision is a responder's decision, recorded against an inject.
type Decision struct {
	Inject string    `json:"inject,omitzero" doc:"The inject it answers; absent: the current inject."`
	By     string    `json:"by,omitzero" doc:"Who decided."`
	Text   string    `json:"text" check:"required" sanitize:"text" doc:"The decision."`
	Wall   time.Time `json:"wall,omitzero" doc:"The real time it was taken (RFC 3339; the scenario time is the event's)."`
}

// ExpectedCheck marks one of an inject's expected actions as done or not:
// the facilitator's scoring.
type ExpectedCheck struct {
	Inject string `json:"inject" check:"required" doc:"The inject's id."`
	Item   int    `json:"item" check:"present,min=0" doc:"Which expected action, from 0."`
	Done   bool   `json:"done,omitzero" doc:"Done (true) or not."`
	By     string `json:"by,omitzero" doc:"The facilitator's handle."`
}

// WhatIf scales the backlog's shipping capacity by Factor from From on, to
// compare a forecast against the baseline. A Factor of 0 or 1 clears it.
type WhatIf struct {
	Factor float64       `json:"factor" check:"present,min=0" doc:"Shipping capacity times this from From on; 0 or 1 clears it."`
	From   time.Duration `json:"from,omitzero" doc:"When the change starts (an offset or a time; default T+0)."`
	By     string        `json:"by,omitzero" doc:"The facilitator's handle."`
}

// Note is free text added by a responder.
type Note struct {
	Author string `json:"author" check:"required" doc:"Responder handle, e.g. ic."`
	Text   string `json:"text" check:"required" sanitize:"text" doc:"The note."`
}

// StatusUpdate is an outside party's public update (a cloud provider's health
// dashboard, a vendor's statement).
type StatusUpdate struct {
	From string `json:"from" check:"required" doc:"Who published it, e.g. \"AWS Health Dashboard\"."`
	Text string `json:"text" check:"required" sanitize:"text" doc:"What it said."`
}

// Acknowledgement marks a carrier warning as seen by a responder.
type Acknowledgement struct {
	Warning string `json:"warning" check:"required" doc:"The id of a warning issued earlier in the timeline."`
	By      string `json:"by,omitzero" doc:"Optional responder handle."`
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
	Source   string        `json:"source" check:"required" doc:"The source's name."`
	Status   HealthStatus  `json:"status" check:"required" doc:"Its health."`
	Error    string        `json:"error,omitzero" sanitize:"text" doc:"The last error, kept while the status is not ok."`
	LastData time.Duration `json:"last_data" doc:"When its last fresh data came (an offset or a time); negative: none yet."`
	Feeds    []Kind        `json:"feeds,omitzero" doc:"The kinds of events it produces: the panes it feeds."`
	// Dropped counts, by reason, the items the source read since it started
	// and never delivered (an RSS item dated before T+0, a bad NDJSON line, a
	// report older than one already delivered), most first; nil: none.
	Dropped []DropCount `json:"dropped,omitzero" doc:"Items it read and never delivered, by reason."`
}

// DropCount is how many items a source dropped for one reason.
type DropCount struct {
	Reason string `json:"reason" check:"required" doc:"Why, e.g. \"before T+0\", \"bad entry\"."`
	Count  int    `json:"count" check:"present,min=0" doc:"How many."`
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
