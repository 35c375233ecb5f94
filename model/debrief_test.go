package model

import (
	"strings"
	"testing"
	"time"
)

// handMade is a small exercise whose debrief is known: the backlog peaks at
// 900 at T+2h and drains 200 an hour back to its normal 100 at T+6h.
func handMade() *Scenario {
	sc := testScenario()
	bl := func(at time.Duration, waiting int64) Event {
		return Event{At: at, Body: BacklogObservation{Waiting: waiting, Inflow: ptr(200), Shipped: ptr(400)}}
	}
	sc.Events = []Event{
		bl(0, 100), bl(1*h, 500),
		{At: 1 * h, Body: Inject{ID: "i1", Title: "Stop the label hosts?", Expected: []string{"refuse the stop", "use the manual path"}}},
		bl(2*h, 900),
		{At: 2 * h, Body: RunbookStepChange{Step: "reboot", State: StepDone, By: "fleet"}},
		bl(3*h, 700), bl(4*h, 500),
		{At: 4 * h, Body: Inject{ID: "i2", Title: "Sellers ask for an ETA", Expected: []string{"post an ETA"}}},
		{At: 4*h + 30*time.Minute, Body: Inject{ID: "i3", Title: "never delivered"}},
		bl(5*h, 300), bl(6*h, 100), bl(7*h, 120),
	}
	return sc
}

func TestDebriefKnownAnswers(t *testing.T) {
	sc := handMade()
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(1 * h)
	c.Seek(90 * time.Minute)
	wall := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	c.Insert(Event{Body: Decision{By: "ana", Text: "no stop: instance store", Wall: wall}})
	c.Insert(Event{Body: ExpectedCheck{Inject: "i1", Item: 0, Done: true}})
	c.Insert(Event{Body: ExpectedCheck{Inject: "i1", Item: 1, Done: true}})
	c.Insert(Event{Body: InjectControl{Inject: "i3", Action: InjectSkip}})
	c.Seek(4*h + 45*time.Minute)
	c.Insert(Event{Body: Decision{By: "raj", Text: "ETA tomorrow", Wall: wall.Add(time.Hour)}})
	c.Insert(Event{Body: ExpectedCheck{Inject: "i2", Item: 0, Done: false}}) // scored: nothing done
	c.Seek(7 * h)

	d := BuildDebrief(sc, *c.State(), map[string]time.Time{"i1": wall.Add(-150 * time.Second)})
	if d.Peak != 900 || d.PeakAt != 2*h || !d.Cleared || d.ClearedAt != 6*h || d.Baseline != 100 {
		t.Errorf("backlog: peak %d at %v, cleared %v at %v, baseline %d", d.Peak, d.PeakAt, d.Cleared, d.ClearedAt, d.Baseline)
	}
	if d.Decisions != 2 || d.Scored != 2 || d.Met != 1 || d.Missed != 1 || d.Partly != 0 {
		t.Errorf("scores: %d decisions, scored %d, met %d, partly %d, missed %d", d.Decisions, d.Scored, d.Met, d.Partly, d.Missed)
	}
	i1, i2, i3 := d.Injects[0], d.Injects[1], d.Injects[2]
	if i1.FirstDecision != 30*time.Minute || i1.FirstDecisionReal != 150*time.Second || i1.Score() != "met" {
		t.Errorf("i1: first decision %v, score %q", i1.FirstDecision, i1.Score())
	}
	if i2.FirstDecision != 45*time.Minute || i2.Score() != "missed" {
		t.Errorf("i2: first decision %v, score %q", i2.FirstDecision, i2.Score())
	}
	// At i2 (T+4h) the last three hours fall 200 an hour from 500: back to
	// 100 in two hours, exactly when it happened.
	if f := i2.Forecast; !f.Draining || f.Rate != -200 || f.ETA != 6*h {
		t.Errorf("forecast at i2: %+v", f)
	}
	if i3.Status != InjectSkipped || i3.FirstDecision != -1 {
		t.Errorf("i3: %+v", i3)
	}
	if d.RunbookDone != 1 || d.Runbook[0].DoneAt != 2*h || d.Runbook[0].By != "fleet" {
		t.Errorf("runbook %+v", d.Runbook)
	}

	md := d.Markdown(sc)
	for _, want := range []string{
		"# Debrief — test",
		"Injects scored: 2 (1 met, 0 partly, 1 missed). Runbook: 1 of 2 steps done.",
		"- Peak: 900 orders waiting at T+02:00",
		"- Back to normal (100): T+06:00",
		"| Sellers ask for an ETA | T+04:00 | draining 200/h, to 100 ~T+06:00 (T+06:00–T+06:00) | Jul 19 10:09 | cleared 0m later |",
		"First decision after 30m of scenario time, 2m30s of real time. Score: **met**.",
		"- [x] use the manual path",
		"- T+01:30 (09:30:00 UTC, ana): no stop: instance store",
		"Not delivered: skipped (scheduled T+04:30).",
		"| Reboot | done | T+02:00 | fleet |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("debrief.md lacks %q:\n%s", want, md)
		}
	}
}

func TestForecastWhatIf(t *testing.T) {
	sc := handMade()
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(4 * h)
	pts := c.State().Backlog.Points
	opt := ForecastOptions{Target: 100}
	tests := []struct {
		name     string
		w        WhatIf
		draining bool
		eta      time.Duration
	}{
		{"no what-if is the baseline", WhatIf{}, true, 6 * h},
		{"capacity x2 from now: -600/h", WhatIf{Factor: 2, From: 4 * h}, true, 4*h + 40*time.Minute},
		{"capacity -25% from now: -100/h", WhatIf{Factor: 0.75, From: 4 * h}, true, 8 * h},
		{"capacity -25% from T+5h: baseline until then", WhatIf{Factor: 0.75, From: 5 * h}, true, 7 * h},
		{"capacity halved: not draining", WhatIf{Factor: 0.5, From: 4 * h}, false, 0},
		{"change after the baseline clears it changes nothing", WhatIf{Factor: 0.5, From: 9 * h}, true, 6 * h},
	}
	for _, tt := range tests {
		f := ForecastWhatIf(pts, 4*h, opt, tt.w)
		if f.Draining != tt.draining || (tt.draining && f.ETA != tt.eta) {
			t.Errorf("%s: draining %v ETA %v, want %v %v", tt.name, f.Draining, f.ETA, tt.draining, tt.eta)
		}
		if f.Draining && (f.Early > f.ETA || (f.Late >= 0 && f.Late < f.ETA)) {
			t.Errorf("%s: range %v–%v around %v", tt.name, f.Early, f.Late, f.ETA)
		}
	}
}
