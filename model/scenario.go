package model

import "time"

// Scenario is an incident as a fixture: what it is, what exists in it (host
// groups, carriers, complaint topics, runbook steps) and its timeline.
type Scenario struct {
	Name       string // short name: the file name without extension
	Meta       Meta
	HostGroups []HostGroupDef
	Carriers   []CarrierDef
	Topics     []TopicDef
	Runbook    []StepDef
	Events     []Event // sorted by At; file order kept for equal offsets
}

// Meta describes the incident a scenario plays.
type Meta struct {
	Title        string
	Summary      string
	Start        time.Time // wall-clock time of T+0, UTC
	Severity     string    // "SEV1", ...
	Illustrative string    // which parts of the scenario are invented
}

// HostGroupDef declares a group of hosts that recover together.
type HostGroupDef struct {
	ID    string
	Name  string
	Total int
}

// CarrierDef declares a carrier that may post warnings.
type CarrierDef struct {
	ID   string
	Name string
}

// TopicDef declares a seller-complaint topic.
type TopicDef struct {
	ID   string
	Name string
}

// StepDef declares a runbook step.
type StepDef struct {
	ID     string
	Title  string
	Detail string
}

// End is the offset of the scenario's last event.
func (s *Scenario) End() time.Duration {
	if len(s.Events) == 0 {
		return 0
	}
	return s.Events[len(s.Events)-1].At
}

// WallTime converts an offset into the scenario's wall-clock time.
func (s *Scenario) WallTime(at time.Duration) time.Time {
	return s.Meta.Start.Add(at)
}
