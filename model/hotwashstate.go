package model

import (
	"fmt"
	"strings"
	"time"
)

// HotWashLog is what a State keeps for an exercise's review: the
// scenario's objectives, and in the order the room recorded them every
// facilitator observation, finding, action item and score comment, and
// every note and acknowledgement (the debrief had only decisions and
// scores). The lists are append-only, shared by clones like Decisions,
// and bounded by MaxDecisions each.
type HotWashLog struct {
	Objectives    []ObjectiveDef // the scenario's, never modified
	Observations  []ObservationRecord
	Findings      []FindingRecord
	ActionItems   []ActionItemRecord
	ScoreComments []ScoreCommentRecord
	Notes         []NoteRecord
	Acks          []AckRecord
}

// ObservationRecord is a facilitator's observation as recorded.
type ObservationRecord struct {
	At     time.Duration
	By     string
	Inject string // "" when it concerns none in particular
	Text   string
}

// FindingRecord is a hot-wash finding as recorded, with the number it goes
// by (F1, F2, …).
type FindingRecord struct {
	ID        string
	At        time.Duration
	By        string
	Kind      FindingKind
	Objective string
	Text      string
}

// ActionItemRecord is an improvement-plan action item as recorded.
type ActionItemRecord struct {
	At        time.Duration
	By        string
	Text      string
	Owner     string
	Due       string // YYYY-MM-DD
	Objective string
	Finding   string // a FindingRecord.ID, or ""
}

// ScoreCommentRecord is a comment on an inject's score as recorded.
type ScoreCommentRecord struct {
	At     time.Duration
	By     string
	Inject string
	Text   string
}

// NoteRecord is a responder's note as recorded.
type NoteRecord struct {
	At     time.Duration
	Author string
	Text   string
}

// AckKind says what an acknowledgement was of.
type AckKind string

const (
	AckWarning AckKind = "warning" // a carrier warning
	AckAlert   AckKind = "alert"   // an alert rule's firings
)

// AckRecord is an acknowledgement as recorded: who saw what, and how long
// after it was raised.
type AckRecord struct {
	At    time.Duration
	By    string
	Of    AckKind
	ID    string        // the warning's or the alert rule's id
	Title string        // "UPS: delays possible in US and Europe", or the rule's title
	Delay time.Duration // from the warning's issue or the alert's firing to the ack; -1 unknown
}

// clone shares the lists as Clone shares Decisions: appending to the copy
// reallocates rather than writing into the shared arrays.
func (h HotWashLog) clone() HotWashLog {
	return HotWashLog{Objectives: h.Objectives, Observations: capped(h.Observations), Findings: capped(h.Findings),
		ActionItems: capped(h.ActionItems), ScoreComments: capped(h.ScoreComments), Notes: capped(h.Notes), Acks: capped(h.Acks)}
}

// Objective finds an objective by id.
func (h HotWashLog) Objective(id string) (ObjectiveDef, bool) {
	for _, o := range h.Objectives {
		if o.ID == id {
			return o, true
		}
	}
	return ObjectiveDef{}, false
}

// Finding finds a finding by its number (F1, F2, …).
func (h HotWashLog) Finding(id string) (FindingRecord, bool) {
	for _, f := range h.Findings {
		if strings.EqualFold(f.ID, id) {
			return f, true
		}
	}
	return FindingRecord{}, false
}

// actor is who did it: the body's own name, else the responder the room
// recorded as the event's source.
func actor(by, source string) string {
	if by != "" {
		return by
	}
	return strings.TrimPrefix(source, "responder:")
}

// recordHotWash keeps what an applied event adds to the review. It runs
// after the event has changed the state, so that an acknowledgement is
// recorded only when it acknowledged something.
func recordHotWash(s *State, e Event) {
	h := &s.HotWash
	switch b := e.Body.(type) {
	case Observation:
		h.Observations = bounded(append(h.Observations, ObservationRecord{At: e.At, By: actor(b.By, e.Source), Inject: b.Inject, Text: b.Text}), MaxDecisions)
	case Finding:
		id := FindingID(len(h.Findings))
		if n := len(h.Findings); n > 0 {
			id = nextFindingID(h.Findings[n-1].ID) // numbers go on after the oldest are dropped
		}
		h.Findings = bounded(append(h.Findings, FindingRecord{ID: id, At: e.At, By: actor(b.By, e.Source), Kind: b.Type,
			Objective: b.Objective, Text: b.Text}), MaxDecisions)
	case ActionItem:
		fid := b.Finding
		if f, ok := h.Finding(fid); ok {
			fid = f.ID // F2 however it was typed
		}
		h.ActionItems = bounded(append(h.ActionItems, ActionItemRecord{At: e.At, By: actor(b.By, e.Source), Text: b.Text,
			Owner: b.Owner, Due: b.Due, Objective: b.Objective, Finding: fid}), MaxDecisions)
	case ScoreComment:
		h.ScoreComments = bounded(append(h.ScoreComments, ScoreCommentRecord{At: e.At, By: actor(b.By, e.Source), Inject: b.Inject, Text: b.Text}), MaxDecisions)
	case Note: // its timeline line says it changed: Rev.Timeline
		h.Notes = bounded(append(h.Notes, NoteRecord{At: e.At, Author: actor(b.Author, e.Source), Text: b.Text}), MaxDecisions)
		return
	case Acknowledgement: // Rev.Warnings or Rev.Alerts say it changed
		w, ok := s.Warning(b.Warning)
		if !ok {
			return
		}
		h.Acks = bounded(append(h.Acks, AckRecord{At: e.At, By: actor(b.By, e.Source), Of: AckWarning, ID: w.ID,
			Title: w.CarrierName + ": " + w.Headline, Delay: max(e.At-w.IssuedAt, 0)}), MaxDecisions)
		return
	case AlertAck:
		a, ok := s.Alert(b.Alert)
		if !ok {
			return
		}
		delay := time.Duration(-1)
		for _, f := range a.Firings {
			if f.AckedAt == e.At && f.Acked && f.FiredAt <= e.At {
				delay = e.At - f.FiredAt // the oldest firing this ack covered
				break
			}
		}
		h.Acks = bounded(append(h.Acks, AckRecord{At: e.At, By: actor(b.By, e.Source), Of: AckAlert, ID: a.Rule.ID,
			Title: a.Rule.Title(), Delay: delay}), MaxDecisions)
		return
	default:
		return
	}
	s.Rev.Injects++ // the debrief reads these
}

// nextFindingID is the number after id (F7 → F8).
func nextFindingID(id string) string {
	var n int
	if _, err := fmt.Sscanf(id, "F%d", &n); err != nil {
		return id + "'"
	}
	return FindingID(n)
}

// markAdHoc notes that an inject was added during the exercise: one the
// scenario did not schedule, delivered when it was sent.
func markAdHoc(s *State, id string, e Event) {
	i, ok := s.injectIndex[id]
	if !ok {
		return
	}
	s.Injects[i].AdHoc = true
	s.Injects[i].AddedBy = actor("", e.Source)
}

// hotWashLine is the timeline line of a hot-wash event (recorded
// already: a finding's line carries the number it was given).
func hotWashLine(s *State, e Event) string {
	switch b := e.Body.(type) {
	case Observation:
		line := fmt.Sprintf("observation (%s): %s", actor(b.By, e.Source), b.Text)
		if in, ok := s.InjectByID(b.Inject); ok {
			line += " [on " + in.Title + "]"
		}
		return line
	case Finding:
		id := ""
		if n := len(s.HotWash.Findings); n > 0 {
			id = s.HotWash.Findings[n-1].ID + " "
		}
		return fmt.Sprintf("%s%s (%s): %s", id, findingWord(b.Type), actor(b.By, e.Source), b.Text)
	case ActionItem:
		return fmt.Sprintf("action item (%s): %s — owner %s, due %s", actor(b.By, e.Source), b.Text, b.Owner, b.Due)
	case ScoreComment:
		title := b.Inject
		if in, ok := s.InjectByID(b.Inject); ok {
			title = in.Title
		}
		return fmt.Sprintf("score comment (%s) on %s: %s", actor(b.By, e.Source), title, b.Text)
	}
	return ""
}

// findingWord is how a finding's kind reads in a line.
func findingWord(k FindingKind) string {
	if k == FindingImprovement {
		return "area for improvement"
	}
	return "strength"
}

// hotWashFacilitatorOnly reports the hot-wash events players must not see
// during the exercise: what the facilitator observes of them, and how
// they were scored.
func hotWashFacilitatorOnly(b Body) bool {
	switch b.(type) {
	case Observation, ScoreComment:
		return true
	}
	return false
}

// CheckHotWashAction checks that what a hot-wash action refers to exists
// in the state: an objective, an inject, a finding; and that an action
// item's due date is a date. The room refuses a bad action with its
// message rather than journal a silent no-op.
func CheckHotWashAction(s *State, b Body) error {
	objective := func(id string) error {
		if id == "" {
			return nil
		}
		if _, ok := s.HotWash.Objective(id); !ok {
			return fmt.Errorf("there is no objective %q%s", Visible(id), s.HotWash.objectiveList())
		}
		return nil
	}
	inject := func(id string, required bool) error {
		if id == "" && !required {
			return nil
		}
		if _, ok := s.InjectByID(id); !ok {
			return fmt.Errorf("there is no inject %q", Visible(id))
		}
		return nil
	}
	switch b := b.(type) {
	case Observation:
		if strings.TrimSpace(b.Text) == "" {
			return fmt.Errorf("an observation needs text")
		}
		return inject(b.Inject, false)
	case Finding:
		if b.Type != FindingStrength && b.Type != FindingImprovement {
			return fmt.Errorf("a finding is a strength or an improvement, not %q", Visible(string(b.Type)))
		}
		if strings.TrimSpace(b.Text) == "" {
			return fmt.Errorf("a finding needs text")
		}
		return objective(b.Objective)
	case ActionItem:
		switch {
		case strings.TrimSpace(b.Text) == "":
			return fmt.Errorf("an action item needs text")
		case strings.TrimSpace(b.Owner) == "":
			return fmt.Errorf("an action item needs an owner")
		}
		if _, ok := b.DueDate(); !ok {
			return fmt.Errorf("due %q: expected a date YYYY-MM-DD, e.g. 2024-08-02", Visible(b.Due))
		}
		if b.Finding != "" {
			if _, ok := s.HotWash.Finding(b.Finding); !ok {
				return fmt.Errorf("there is no finding %q (findings are F1 to F%d)", Visible(b.Finding), len(s.HotWash.Findings))
			}
		}
		return objective(b.Objective)
	case ScoreComment:
		if strings.TrimSpace(b.Text) == "" {
			return fmt.Errorf("a score comment needs text")
		}
		return inject(b.Inject, true)
	}
	return nil
}

// objectiveList is " (id, id …)" for a message, or " (none declared)".
func (h HotWashLog) objectiveList() string {
	if len(h.Objectives) == 0 {
		return " (the scenario declares none)"
	}
	ids := make([]string, len(h.Objectives))
	for i, o := range h.Objectives {
		ids[i] = o.ID
	}
	return " (" + strings.Join(ids, ", ") + ")"
}
