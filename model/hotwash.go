package model

import (
	"fmt"
	"time"
)

// The hot wash of a tabletop exercise: what the facilitator saw, what the
// team found it did well and should do better, and the improvement plan's
// action items, each an event of the room (the wire format's: a scenario
// file plans an exercise, the room records what happened in it). An ad-hoc
// inject is an inject event with an id of its own, sent at the moment the
// facilitator adds it: it is delivered, shown and scored like any other.
const (
	KindObservation  Kind = "observation"
	KindFinding      Kind = "finding"
	KindActionItem   Kind = "action-item"
	KindScoreComment Kind = "score-comment"
)

// ObjectiveDef declares one of an exercise's objectives: what the exercise
// sets out to test, named by the injects that exercise it and by the
// findings and action items of its hot wash.
type ObjectiveDef struct {
	ID   string `json:"id" check:"required,id=objective" doc:"Unique id: lower-case letters, digits and '-'. Referenced by inject.objectives."`
	Text string `json:"text" check:"required" sanitize:"text" doc:"The objective, e.g. \"Decide within 30 minutes whether to stop next-day promises\"."`
}

// Observation is what the facilitator saw the team do, noted as it
// happened: facilitator only until the hot wash.
type Observation struct {
	Text   string `json:"text" check:"required" sanitize:"text" doc:"What the facilitator saw."`
	Inject string `json:"inject,omitzero" doc:"The inject it concerns; absent: none in particular."`
	By     string `json:"by,omitzero" doc:"The facilitator's handle."`
}

// FindingKind is a hot-wash finding's kind.
type FindingKind string

const (
	FindingStrength    FindingKind = "strength"
	FindingImprovement FindingKind = "improvement"
)

// Values are the finding kinds.
func (FindingKind) Values() []string {
	return []string{string(FindingStrength), string(FindingImprovement)}
}

// Finding is a strength or an area for improvement the hot wash agreed on.
// Findings are numbered in the order the room records them (F1, F2, …): an
// action item names one by its number.
type Finding struct {
	Type      FindingKind `json:"kind" check:"required" doc:"A strength or an area for improvement."`
	Text      string      `json:"text" check:"required" sanitize:"text" doc:"The finding."`
	Objective string      `json:"objective,omitzero" doc:"The objective it bears on (an objectives id)."`
	By        string      `json:"by,omitzero" doc:"Who recorded it."`
}

// ActionItem is one line of the improvement plan: what is to be done, by
// whom, by when.
type ActionItem struct {
	Text      string `json:"text" check:"required" sanitize:"text" doc:"What is to be done."`
	Owner     string `json:"owner" check:"required" doc:"Who owns it: a person or a team."`
	Due       string `json:"due" check:"required" doc:"When it is due, as a date YYYY-MM-DD."`
	Objective string `json:"objective,omitzero" doc:"The objective it serves (an objectives id)."`
	Finding   string `json:"finding,omitzero" doc:"The finding it answers, by its number: F1, F2, …"`
	By        string `json:"by,omitzero" doc:"Who recorded it."`
}

// DueDate is the item's due date; false when it is not a valid
// YYYY-MM-DD date.
func (a ActionItem) DueDate() (time.Time, bool) {
	t, err := time.Parse(DateLayout, a.Due)
	return t, err == nil
}

// DateLayout is how the hot wash writes dates: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// ScoreComment is the facilitator's comment on how an inject was scored:
// why it was met, partly or missed.
type ScoreComment struct {
	Inject string `json:"inject" check:"required" doc:"The inject whose score it comments on."`
	Text   string `json:"text" check:"required" sanitize:"text" doc:"The comment."`
	By     string `json:"by,omitzero" doc:"The facilitator's handle."`
}

func (Observation) Kind() Kind  { return KindObservation }
func (Finding) Kind() Kind      { return KindFinding }
func (ActionItem) Kind() Kind   { return KindActionItem }
func (ScoreComment) Kind() Kind { return KindScoreComment }

// FindingID is the number the n-th finding (from 0) goes by.
func FindingID(n int) string { return fmt.Sprintf("F%d", n+1) }
