package model

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

const stepsScenario = `title: t
summary: s
start: 2024-07-19T04:09:00Z
severity: SEV1
illustrative: i
host_groups:
  - id: wms
    name: WMS
    total: 100
  - id: labels
    name: Labels
    total: 20
timeline:
  - at: +0m
    hosts: {group: wms, recovered: 0, failed: 100, steps: {crashed: 100}}
  - at: +1h
    hosts: {group: wms, recovered: 10, failed: 90, steps: {crashed: 20, rebooting: 40, rescue: 15, manual: 8, bitlocker: 4, instance_store: 3}}
  - at: +1h
    hosts: {group: labels, recovered: 5, failed: 15}
`

// TestHostSteps: step counts load into the state and its history; a group
// that reports only recovered and failed has none, as before.
func TestHostSteps(t *testing.T) {
	sc, err := LoadScenario("steps.yaml", []byte(stepsScenario))
	if err != nil {
		t.Fatal(err)
	}
	s := NewState(sc)
	for _, e := range sc.Events {
		Apply(&s, e)
	}
	wms, labels := s.Hosts[0], s.Hosts[1]
	want := HostSteps{Crashed: 20, Rebooting: 40, Rescue: 15, Manual: 8, BitLocker: 4, InstanceStore: 3}
	if wms.Steps != want || wms.Steps.Sum() != 90 || !wms.Steps.Reported() {
		t.Errorf("wms steps %+v (sum %d), want %+v (sum 90)", wms.Steps, wms.Steps.Sum(), want)
	}
	if len(wms.History) != 2 || wms.History[0].Steps != (HostSteps{Crashed: 100}) || wms.History[1].Steps != want ||
		wms.History[1].Failed != 90 {
		t.Errorf("wms history %+v", wms.History)
	}
	if labels.Steps.Reported() || labels.Recovered != 5 || labels.Failed != 15 || len(labels.History) != 1 {
		t.Errorf("labels reported no steps: %+v", labels)
	}
}

func TestHostStepsProblems(t *testing.T) {
	_, err := loadScenarioFile(t, "testdata/bad/steps.yaml")
	var problems ProblemList
	if !errors.As(err, &problems) {
		t.Fatalf("error %v is not a ProblemList", err)
	}
	checkProblems(t, "problem", problems, []wantProblem{
		// 10 back + 50 + 30 + 11 = 101 > 100.
		{"12:47", "timeline[0].hosts.steps", "recovered + the steps (10 + 91: crashed 50, rebooting 30, rescue 11, manual 0, bitlocker 0, instance_store 0) exceeds total (100)"},
		{"14:56", "timeline[1].hosts.steps.manual", "must be >= 0, got -1"},
		{"16:62", "timeline[2].hosts.steps.stopped", `unknown field "stopped": expected one of crashed, rebooting, rescue, manual, bitlocker, instance_store`},
		// The report's own total (20): 0 + 10 + 11 = 21.
		{"22:14", "timeline[3].hosts.steps", "exceeds total (20)"},
	})
}

// TestHostStepsWire: steps round-trip through the wire format; a report
// without them is written as before, with no steps member.
func TestHostStepsWire(t *testing.T) {
	origin := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	for _, b := range []HostStatus{
		{Group: "wms", Recovered: 10, Total: 100, Failed: 90},
		{Group: "wms", Recovered: 10, Total: 100, Failed: 90, Steps: HostSteps{Crashed: 1, Rebooting: 2, Rescue: 3, Manual: 4, BitLocker: 5, InstanceStore: 6}},
	} {
		e := Event{At: time.Hour, Source: "prometheus", Body: b}
		line, err := EncodeEvent(e, origin)
		if err != nil {
			t.Fatal(err)
		}
		if has := bytes.Contains(line, []byte(`"steps"`)); has != b.Steps.Reported() {
			t.Errorf("steps member present %v, want %v: %s", has, b.Steps.Reported(), line)
		}
		if b.Steps.Reported() && !bytes.Contains(line, []byte(`"instance_store":6`)) {
			t.Errorf("instance_store missing: %s", line)
		}
		got, _, err := NewWireDecoder("test", origin, func() time.Duration { return 0 }).Event(line)
		if err != nil {
			t.Fatalf("decode %s: %v", line, err)
		}
		if got.Body != e.Body || got.At != e.At {
			t.Errorf("round trip: %+v, want %+v", got, e)
		}
	}
}

// TestHostStepsLint: steps that do not add up to failed are suspicious,
// not wrong (hosts between steps); without failed nothing is compared.
func TestHostStepsLint(t *testing.T) {
	_, warnings, err := lintScenarioFile(t, "testdata/lint/steps.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// 50 + 20 = 70 at steps, 80 failing.
	checkProblems(t, "warning", toProblems(warnings), []wantProblem{
		{"12:59", "timeline[1].hosts.steps", `host group "wms": the steps count 70 hosts, failed says 80`},
	})
}

func toProblems(ws []LintWarning) []Problem {
	out := make([]Problem, len(ws))
	for i, w := range ws {
		out[i] = Problem{File: w.File, Line: w.Line, Col: w.Col, Field: w.Field, Message: w.Message}
	}
	return out
}
