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
	Alerts     []AlertRule
	// Objectives are an exercise's objectives, in the file's order.
	Objectives []ObjectiveDef
	// PromiseClasses are the backlog's delivery promises, in display order.
	PromiseClasses []PromiseClassDef
	Events         []Event // sorted by At; file order kept for equal offsets
}

// Meta describes the incident a scenario plays.
type Meta struct {
	Title        string    `json:"title" check:"required" doc:"One-line title of the incident, shown in the console's header."`
	Summary      string    `json:"summary" check:"required" doc:"What happened, in 2 to 6 sentences."`
	Start        time.Time `json:"start" check:"required" doc:"Wall-clock time of T+0 as an RFC 3339 timestamp, e.g. 2024-07-19T04:09:00Z. Offsets are converted to UTC."`
	Severity     string    `json:"severity" check:"required,oneof=SEV1|SEV2|SEV3|SEV4" doc:"Incident severity, SEV1 (worst) to SEV4."`
	Illustrative string    `json:"illustrative" check:"required" doc:"Which parts of the scenario are invented (host counts, backlog sizes, seller posts ...) and which come from the public record."`
}

// HostGroupDef declares a group of hosts that recover together.
type HostGroupDef struct {
	ID    string `json:"id" check:"required,id" doc:"Unique id: lower-case letters, digits and '-'. Referenced by hosts.group."`
	Name  string `json:"name" check:"required" doc:"Display name, e.g. \"WMS fulfilment (Windows EC2)\"."`
	Total int    `json:"total" check:"required,min=1" doc:"Number of hosts in the group (> 0). Default for hosts.total."`
}

// CarrierDef declares a carrier that may post warnings.
type CarrierDef struct {
	ID   string `json:"id" check:"required" doc:"Unique id, referenced by warning.carrier."`
	Name string `json:"name,omitzero" doc:"Display name; defaults to the id."`
}

// TopicDef declares a seller-complaint topic.
type TopicDef struct {
	ID   string `json:"id" check:"required" doc:"Unique id, referenced by complaint.topic."`
	Name string `json:"name,omitzero" doc:"Display name; defaults to the id."`
}

// PromiseClassDef declares a delivery promise the backlog is split by.
type PromiseClassDef struct {
	ID   string `json:"id" check:"required" doc:"Unique id, referenced by backlog.promise[].class, e.g. next-day."`
	Name string `json:"name,omitzero" doc:"Display name; defaults to the id."`
}

// StepDef declares a runbook step.
type StepDef struct {
	ID     string `json:"id" check:"required" doc:"Unique id, referenced by step.step in the timeline."`
	Title  string `json:"title" check:"required" doc:"One line shown in the runbook pane."`
	Detail string `json:"detail,omitzero" doc:"Optional longer instructions for the step."`
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
