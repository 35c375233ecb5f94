package model

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkBuildHotWash reads the review off a long exercise's state: the
// default scenario's injects, 10,000 notes and 1,000 each of observations,
// findings, action items and score comments.
func BenchmarkBuildHotWash(b *testing.B) {
	sc := exercise()
	s := NewState(sc)
	for _, e := range sc.Events {
		Apply(&s, e)
	}
	for i := range 10_000 {
		at := time.Duration(i) * time.Second
		who := "r" + strconv.Itoa(i%40)
		Apply(&s, Event{At: at, Source: "responder:" + who, Body: Note{Author: who, Text: "note " + strconv.Itoa(i)}})
		if i%10 == 0 {
			Apply(&s, Event{At: at, Source: "responder:fac", Body: Observation{Text: "seen", Inject: "i1"}})
			Apply(&s, Event{At: at, Source: "responder:" + who, Body: Finding{Type: FindingImprovement, Text: "f", Objective: "comms"}})
			Apply(&s, Event{At: at, Source: "responder:fac", Body: ActionItem{Text: "a", Owner: "o", Due: "2024-08-02", Objective: "comms"}})
			Apply(&s, Event{At: at, Source: "responder:fac", Body: ScoreComment{Inject: "i2", Text: "c"}})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		hw := BuildHotWash(sc, &s)
		if len(hw.ActionItems) != 1000 {
			b.Fatal(len(hw.ActionItems))
		}
	}
}

// BenchmarkApplyObservation is the cost a hot-wash action adds to the
// room's fold.
func BenchmarkApplyObservation(b *testing.B) {
	sc := exercise()
	s := NewState(sc)
	e := Event{At: time.Hour, Source: "responder:fac", Body: Observation{Text: "seen", Inject: "i1"}}
	b.ReportAllocs()
	for b.Loop() {
		Apply(&s, e)
		if len(s.HotWash.Observations) > 10_000 {
			s.HotWash.Observations, s.Timeline = nil, nil
		}
	}
}
