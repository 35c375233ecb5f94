package report

// The after-action report: what is said about an incident after it, as
// Markdown or as one self-contained HTML page with its charts drawn in
// SVG, from a scenario, the incident's events and the state they folded
// into. It writes only to the writer it is given.

import (
	"time"

	"github.com/warroom/warroom/model"
)

// Input is what a report is written from.
type Input struct {
	Scenario *model.Scenario
	// Events is the incident's whole history in the room's order, the
	// responders' actions in their place; the report replays it to read
	// the forecast each hour and the runbook's timings.
	Events []model.Event
	// State is the incident at the moment the report describes (its Now).
	State model.State
	// Shown is the real time each inject reached the room, when known.
	Shown map[string]time.Time
	// Participants are the room's members and their roles, from the
	// journal's presence entries; none for a scenario without a journal.
	Participants []Participant
	// Origin says what the report was written from, e.g. "journal drill.db".
	Origin string
}

// Participant is a member of the room and the roles they joined with.
type Participant struct {
	Name  string
	Roles []string
}

// AAR is the after-action report: everything the Markdown and HTML forms
// show, worked out once.
type AAR struct {
	Title, Severity, Summary, Origin string
	Start                            time.Time     // wall time of T+0
	At                               time.Duration // the moment described
	Exercise                         bool          // the scenario has injects

	Impact    Impact
	Timeline  []model.Entry
	Omitted   int // key events left out of Timeline (the oldest)
	Decisions []model.DecisionRecord
	Runbook   []StepTiming
	Warnings  []WarningAck
	Sent      []model.SentUpdate
	Forecasts []HourForecast
	// Burndown is the backlog sampled for its chart, with the forecast
	// from the report's moment drawn on while it has not cleared.
	Burndown []BurnColumn

	Participants []Participant
	Debrief      *model.Debrief // for an exercise
	HotWash      *model.HotWash // for an exercise
}

// Impact is the incident's figures.
type Impact struct {
	HostsTotal, HostsBack, HostsFailed int
	PercentBack                        int
	AllBack                            bool
	AllBackAt                          time.Duration // valid when AllBack
	Peak                               int64
	PeakAt                             time.Duration
	Baseline                           int64
	Cleared                            bool
	ClearedAt                          time.Duration // valid when Cleared
	PeakLate                           int64         // most orders past their promise at once
	PeakLateAt                         time.Duration
	HasLate                            bool
	Complaints                         int
	Warnings                           int
	Unacked                            int
}

// StepTiming is a runbook step and how long it took: from the first time it
// became active (or its first change) to done.
type StepTiming struct {
	Title   string
	State   model.StepState
	Started time.Duration // -1: never started
	Done    time.Duration // -1: not done
	By      string
}

// Duration is how long the step took; false when it did not both start
// and finish.
func (s StepTiming) Duration() (time.Duration, bool) {
	if s.Started < 0 || s.Done < 0 {
		return 0, false
	}
	return s.Done - s.Started, true
}

// WarningAck is a carrier warning and how long it waited for a responder.
type WarningAck struct {
	Carrier, Severity, Region, Headline string
	Issued                              time.Duration
	Acked                               bool
	AckedAt                             time.Duration
	AckedBy                             string
	Resolved                            bool
	ResolvedAt                          time.Duration
}

// Delay is the time from issue to acknowledgement; false when unacknowledged.
func (w WarningAck) Delay() (time.Duration, bool) {
	if !w.Acked {
		return 0, false
	}
	return max(w.AckedAt-w.Issued, 0), true
}

// HourForecast is the backlog forecast the room showed at one hour of the
// incident, and how far its ETA was from when the backlog cleared.
type HourForecast struct {
	At       time.Duration
	Forecast model.Forecast
	// Error is the actual clearing time minus the forecast ETA (positive:
	// it cleared later than forecast); valid when HasError.
	Error    time.Duration
	HasError bool
}

// maxTimeline is how many key events a report lists; a long live incident
// keeps the latest.
const maxTimeline = 400

// Build works the report out.
func Build(in Input) AAR {
	sc, s := in.Scenario, in.State
	r := AAR{Title: sc.Meta.Title, Severity: sc.Meta.Severity, Summary: sc.Meta.Summary, Origin: in.Origin,
		Start: sc.Meta.Start, At: s.Now, Exercise: len(s.Injects) > 0 || len(s.HotWash.Objectives) > 0, Participants: in.Participants,
		Decisions: s.Decisions, Sent: s.Sent}
	r.Impact = impactOf(s)
	r.Timeline, r.Omitted = keyEvents(s.Timeline)
	r.Runbook = stepTimings(s, in.Events)
	r.Warnings = warningAcks(s)
	r.Forecasts = hourlyForecasts(sc, in.Events, r.Impact, s.Now)
	// The forecast is drawn on while the backlog drains towards normal.
	opt := model.ForecastOptions{Target: r.Impact.Baseline}
	f := model.ForecastBacklog(s.Backlog.Points, s.Now, opt)
	var p model.Projection
	if !r.Impact.Cleared && f.Draining {
		p = model.ProjectBacklog(s.Backlog.Points, s.Now, opt)
	}
	r.Burndown = burndownColumns(s.Backlog.Points, s.Now, r.Impact.Baseline, p, f)
	if r.Exercise {
		d := model.BuildDebrief(sc, s, in.Shown)
		hw := model.BuildHotWash(sc, &s)
		r.Debrief, r.HotWash = &d, &hw
	}
	return r
}
