package model

import (
	"reflect"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Item is one event as the formats write it: a scenario's timeline item and
// a wire event (the NDJSON that the http, exec and ndjson sources read, the
// simulator serves and the journal stores) are the same type. It has
// exactly one kind, and the kind's fields are the body type's own (their
// json tags name them; their check tags say what the checks require; their
// doc tags describe them for the schema). Fields tagged format:"wire" are
// the wire format's only: a scenario file has neither an absolute time nor
// the kinds a room records as it runs.
type Item struct {
	Time   *time.Time     `json:"time,omitzero" format:"wire" doc:"When, as an RFC 3339 time (instead of at)."`
	At     *time.Duration `json:"at,omitzero" doc:"When, as an offset from T+0: a Go duration with an optional leading '+', e.g. +0m, +2h15m, +49h30m, 90s. Never negative."`
	Source string         `json:"source,omitzero" doc:"Who reported it, e.g. fleet-inventory, carrier-alerts, \"responder:ic\". Default \"scenario\"."`
	Text   string         `json:"text,omitzero" sanitize:"text" doc:"Optional line for the Timeline pane, shown instead of the generated one."`

	Hosts     *HostStatus         `json:"hosts,omitzero" kind:"hosts" doc:"A host group's counts at this moment."`
	Backlog   *BacklogObservation `json:"backlog,omitzero" kind:"backlog" doc:"The delivery backlog at this moment."`
	Warning   *CarrierWarning     `json:"warning,omitzero" kind:"warning" doc:"A carrier notice: issued, updated or resolved."`
	Complaint *SellerComplaint    `json:"complaint,omitzero" kind:"complaint" doc:"A seller's post."`
	Step      *RunbookStepChange  `json:"step,omitzero" kind:"step" doc:"A runbook step changes state."`
	Inject    *Inject             `json:"inject,omitzero" kind:"inject" doc:"A facilitator's prompt in a tabletop exercise."`
	Note      *Note               `json:"note,omitzero" kind:"note" doc:"Free text from a responder."`
	Update    *StatusUpdate       `json:"update,omitzero" kind:"update" doc:"An outside party's public update (a health dashboard, a vendor's statement)."`
	Ack       *Acknowledgement    `json:"ack,omitzero" kind:"ack" doc:"A responder acknowledges a carrier warning."`

	SourceHealth  *SourceHealth  `json:"source_health,omitzero" kind:"source" format:"wire" doc:"A data source's health."`
	InjectControl *InjectControl `json:"inject_control,omitzero" kind:"inject-control" format:"wire" doc:"A facilitator fires, skips, holds or releases an inject."`
	Decision      *Decision      `json:"decision,omitzero" kind:"decision" format:"wire" doc:"A decision recorded against an inject."`
	Check         *ExpectedCheck `json:"check,omitzero" kind:"check" format:"wire" doc:"A facilitator scores an expected action."`
	ScoreComment  *ScoreComment  `json:"score_comment,omitzero" kind:"score-comment" format:"wire" doc:"A facilitator comments on an inject's score."`
	Observation   *Observation   `json:"observation,omitzero" kind:"observation" format:"wire" doc:"A facilitator's observation of the team during an exercise."`
	Finding       *Finding       `json:"finding,omitzero" kind:"finding" format:"wire" doc:"A hot-wash finding: a strength or an area for improvement."`
	ActionItem    *ActionItem    `json:"action_item,omitzero" kind:"action-item" format:"wire" doc:"An improvement-plan action item: what, who, by when."`
	WhatIf        *WhatIf        `json:"whatif,omitzero" kind:"whatif" format:"wire" doc:"A what-if on the backlog's shipping capacity."`
	AlertAck      *AlertAck      `json:"alert_ack,omitzero" kind:"alert-ack" format:"wire" doc:"A responder acknowledges an alert."`
	CommsSent     *CommsSent     `json:"comms_sent,omitzero" kind:"comms-sent" format:"wire" doc:"A responder marks a status update as sent: its full text, who it was for."`
}

// Body is the item's event body: its one kind, or nil without one (with
// more than one, the first in the order of the fields).
func (it *Item) Body() Body {
	v := reflect.ValueOf(it).Elem()
	for _, i := range itemKinds().kinds {
		if k := v.Field(i); !k.IsNil() {
			return k.Elem().Interface().(Body)
		}
	}
	return nil
}

// setBody makes b the item's kind: the field of b's type.
func (it *Item) setBody(b Body) {
	v := reflect.ValueOf(it).Elem()
	bv := reflect.ValueOf(b)
	for _, i := range itemKinds().kinds {
		if f := v.Field(i); f.Type().Elem() == bv.Type() {
			p := reflect.New(bv.Type())
			p.Elem().Set(bv)
			f.Set(p)
			return
		}
	}
}

// itemKinds is the type info of Item, whose kinds are its fields tagged
// kind.
func itemKinds() *typeInfo { return infoOf(reflect.TypeFor[Item]()) }

// ScenarioFile is a scenario file as written: the incident, what exists in
// it, and its timeline.
type ScenarioFile struct {
	Meta       `json:",inline"`
	HostGroups []HostGroupDef `json:"host_groups,omitzero" check:"unique=host group" doc:"Groups of hosts that fail and recover together. Ids are unique."`
	Carriers   []CarrierDef   `json:"carriers,omitzero" check:"unique=carrier" doc:"Carriers that may post warnings. Ids are unique."`
	Topics     []TopicDef     `json:"topics,omitzero" check:"unique=topic" doc:"Seller-complaint topics. Ids are unique."`
	Runbook    []StepDef      `json:"runbook,omitzero" check:"unique=runbook step" doc:"Runbook steps in display order. Ids are unique."`
	Objectives []ObjectiveDef `json:"objectives,omitzero" check:"unique=objective" doc:"An exercise's objectives: what it sets out to test. Ids are unique; injects name the ones they exercise."`
	Alerts     []AlertRule    `json:"alerts,omitzero" check:"unique=alert" doc:"Alert rules: conditions that fire an alert in the console. Ids are unique; each rule has exactly one kind."`
	// PromiseClasses name the classes the backlog is split by, so that
	// a split is checked against them and shown by name.
	PromiseClasses []PromiseClassDef `json:"promise_classes,omitzero" check:"unique=promise class" doc:"Delivery promises the backlog is split by (backlog.promise), in display order, e.g. same-day, next-day, two-day, standard. Ids are unique."`
	Timeline       []Item            `json:"timeline,omitzero" doc:"The events. Each item has at, exactly one kind key and optional source and text. Need not be sorted: the loader sorts by at, keeping file order for equal offsets."`
}

// Values are the host states.
func (HostState) Values() []string {
	return []string{string(HostsHealthy), string(HostsDegraded), string(HostsDown), string(HostsRecovering)}
}

// Values are the severities.
func (Severity) Values() []string {
	return []string{string(SeverityInfo), string(SeverityMinor), string(SeverityMajor), string(SeverityCritical)}
}

// Values are the warning phases.
func (WarningPhase) Values() []string {
	return []string{string(WarningIssued), string(WarningUpdated), string(WarningResolved)}
}

// Values are the runbook step states.
func (StepState) Values() []string {
	return []string{string(StepPending), string(StepActive), string(StepDone), string(StepSkipped), string(StepBlocked)}
}

// Values are the inject actions.
func (InjectAction) Values() []string {
	return []string{string(InjectFire), string(InjectSkip), string(InjectHold), string(InjectRelease)}
}

// Values are the health states.
func (HealthStatus) Values() []string {
	return []string{string(HealthOK), string(HealthStale), string(HealthError)}
}

// enum is a type whose values are a fixed list of words.
type enum interface{ Values() []string }

// In both formats a source without data yet has no last_data: LastData -1.
type plainSourceHealth SourceHealth

// UnmarshalJSONFrom reads a source's health; without last_data it has had
// no data yet.
func (h *SourceHealth) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	p := plainSourceHealth{LastData: -1}
	if err := json.UnmarshalDecode(dec, &p); err != nil {
		return err
	}
	*h = SourceHealth(p)
	return nil
}

// MarshalJSONTo writes a source's health, leaving last_data out while it
// has had no data.
func (h SourceHealth) MarshalJSONTo(enc *jsontext.Encoder) error {
	if h.LastData >= 0 {
		return json.MarshalEncode(enc, plainSourceHealth(h))
	}
	return json.MarshalEncode(enc, struct {
		plainSourceHealth `json:",inline"`
		LastData          struct{} `json:"last_data,omitzero"` // hides the one inlined
	}{plainSourceHealth: plainSourceHealth(h)})
}
