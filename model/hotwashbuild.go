package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// HotWash is an exercise's review in the shape of an after-action report
// with an improvement plan: what it set out to test, who took part, what
// went well and what should improve, the plan of action items, and the
// record it rests on. Every list is in the order the room recorded it
// (scenario time, then the order actions arrived). Text is as the room
// keeps it: sanitised on the way in, still to be escaped for the format it
// is written in.
type HotWash struct {
	Title string        // the scenario's title
	At    time.Duration // the moment the review describes (the state's Now)

	// Objectives are the scenario's, each with the injects that exercise it
	// and the findings and action items that name it.
	Objectives []HotWashObjective
	// Participants are everyone who recorded something, in the order each
	// first did, with how much. Their roles are the room's (the team
	// file's), not the state's: a report joins them by Name.
	Participants []HotWashParticipant

	Strengths    []FindingRecord    // findings of kind strength
	Improvements []FindingRecord    // findings of kind improvement: the areas for improvement
	ActionItems  []ActionItemRecord // the improvement plan

	Injects       []HotWashInject     // every inject, scheduled or ad hoc, with its score and comments
	Observations  []ObservationRecord // the facilitator's, made during the exercise
	Notes         []NoteRecord
	Acks          []AckRecord // carrier warnings and alerts acknowledged, with the delay
	Decisions     []DecisionRecord
	ScoreComments []ScoreCommentRecord
}

// HotWashObjective is one objective and what bears on it.
type HotWashObjective struct {
	ObjectiveDef
	Injects     []string // ids of the injects that name it
	Findings    []string // ids (F1 …) of the findings that name it
	ActionItems int      // action items that name it
}

// HotWashParticipant is someone who recorded something during the
// exercise or its hot wash.
type HotWashParticipant struct {
	Name string
	// Did counts what they recorded, by kind: "decision", "note", "ack",
	// "observation", "finding", "action-item", "score-comment", "inject"
	// (ad hoc), "status-update" (a draft marked sent).
	Did map[string]int
}

// HotWashInject is an inject as the review shows it.
type HotWashInject struct {
	ID, Title  string
	Objectives []string
	Status     InjectStatus
	Due        time.Duration
	FiredAt    time.Duration // valid when Status is fired
	AdHoc      bool          // added during the exercise
	AddedBy    string
	Score      string // met, partly, missed or "" (see InjectState.Score)
	Expected   int    // expected actions
	Done       int    // of those, checked done
	Comments   []ScoreCommentRecord
	Decisions  int
}

// BuildHotWash reads the review off a state, normally the end of the
// exercise. sc may be nil (a live incident's journal): the title is then
// empty and the objectives are the state's own.
func BuildHotWash(sc *Scenario, s *State) HotWash {
	h := HotWash{At: s.Now, Observations: s.HotWash.Observations, ActionItems: s.HotWash.ActionItems,
		Notes: s.HotWash.Notes, Acks: s.HotWash.Acks, Decisions: s.Decisions, ScoreComments: s.HotWash.ScoreComments}
	if sc != nil {
		h.Title = sc.Meta.Title
	}
	for _, f := range s.HotWash.Findings {
		if f.Kind == FindingImprovement {
			h.Improvements = append(h.Improvements, f)
		} else {
			h.Strengths = append(h.Strengths, f)
		}
	}
	for _, in := range s.Injects {
		hi := HotWashInject{ID: in.ID, Title: in.Title, Objectives: in.Objectives, Status: in.Status, Due: in.Due,
			FiredAt: in.FiredAt, AdHoc: in.AdHoc, AddedBy: in.AddedBy, Score: in.Score(), Expected: len(in.Expected)}
		for _, c := range in.Checked {
			if c {
				hi.Done++
			}
		}
		for _, c := range s.HotWash.ScoreComments {
			if c.Inject == in.ID {
				hi.Comments = append(hi.Comments, c)
			}
		}
		for _, d := range s.Decisions {
			if d.Inject == in.ID {
				hi.Decisions++
			}
		}
		h.Injects = append(h.Injects, hi)
	}
	for _, o := range s.HotWash.Objectives {
		ho := HotWashObjective{ObjectiveDef: o}
		for _, in := range s.Injects {
			if slices.Contains(in.Objectives, o.ID) {
				ho.Injects = append(ho.Injects, in.ID)
			}
		}
		for _, f := range s.HotWash.Findings {
			if f.Objective == o.ID {
				ho.Findings = append(ho.Findings, f.ID)
			}
		}
		for _, a := range s.HotWash.ActionItems {
			if a.Objective == o.ID {
				ho.ActionItems++
			}
		}
		h.Objectives = append(h.Objectives, ho)
	}
	h.Participants = participants(s)
	return h
}

// participants lists who recorded what, in the order each first appears
// in scenario time.
func participants(s *State) []HotWashParticipant {
	type did struct {
		at   time.Duration
		who  string
		kind string
	}
	var all []did
	add := func(at time.Duration, who, kind string) {
		if who = strings.TrimSpace(who); who != "" {
			all = append(all, did{at, who, kind})
		}
	}
	for _, d := range s.Decisions {
		add(d.At, d.By, string(KindDecision))
	}
	for _, n := range s.HotWash.Notes {
		add(n.At, n.Author, string(KindNote))
	}
	for _, a := range s.HotWash.Acks {
		add(a.At, a.By, string(KindAck))
	}
	for _, o := range s.HotWash.Observations {
		add(o.At, o.By, string(KindObservation))
	}
	for _, f := range s.HotWash.Findings {
		add(f.At, f.By, string(KindFinding))
	}
	for _, a := range s.HotWash.ActionItems {
		add(a.At, a.By, string(KindActionItem))
	}
	for _, c := range s.HotWash.ScoreComments {
		add(c.At, c.By, string(KindScoreComment))
	}
	for _, u := range s.Sent {
		add(u.At, u.By, "status-update")
	}
	for _, in := range s.Injects {
		if in.AdHoc {
			add(in.FiredAt, in.AddedBy, string(KindInject))
		}
	}
	slices.SortStableFunc(all, func(a, b did) int { return cmp.Compare(a.at, b.at) })
	var out []HotWashParticipant
	index := map[string]int{}
	for _, d := range all {
		i, ok := index[d.who]
		if !ok {
			i = len(out)
			index[d.who] = i
			out = append(out, HotWashParticipant{Name: d.who, Did: map[string]int{}})
		}
		out[i].Did[d.kind]++
	}
	return out
}
