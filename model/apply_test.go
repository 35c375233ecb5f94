package model

import (
	"testing"
	"time"
)

func testScenario() *Scenario {
	return &Scenario{
		Name:       "test",
		Meta:       Meta{Title: "test", Start: time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)},
		HostGroups: []HostGroupDef{{ID: "wms", Name: "WMS", Total: 100}, {ID: "label", Name: "Labels", Total: 40}},
		Carriers:   []CarrierDef{{ID: "ups", Name: "UPS"}},
		Topics:     []TopicDef{{ID: "late", Name: "late shipment"}},
		Runbook:    []StepDef{{ID: "reboot", Title: "Reboot"}, {ID: "manual", Title: "Manual fix"}},
	}
}

func ptr(f float64) *float64 { return &f }

func TestApply(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name   string
		events []Event
		check  func(t *testing.T, s State)
	}{
		{
			name: "host status sets counts and history",
			events: []Event{
				{At: 0, Body: HostStatus{Group: "wms", Recovered: 0, Failed: 100, State: HostsDown}},
				{At: h, Body: HostStatus{Group: "wms", Recovered: 30, Failed: 70, State: HostsRecovering}},
			},
			check: func(t *testing.T, s State) {
				g := s.Hosts[0]
				if g.Recovered != 30 || g.Failed != 70 || g.Total != 100 || g.State != HostsRecovering {
					t.Errorf("group = %+v", g)
				}
				if len(g.History) != 2 || s.Rev.Hosts != 2 {
					t.Errorf("history %d, rev %d", len(g.History), s.Rev.Hosts)
				}
				if r, tot, f := s.HostTotals(); r != 30 || tot != 100 || f != 70 { // labels has not reported
					t.Errorf("totals %d/%d failed %d", r, tot, f)
				}
			},
		},
		{
			name:   "undeclared host group is added",
			events: []Event{{At: 0, Body: HostStatus{Group: "new", Recovered: 1, Total: 5}}},
			check: func(t *testing.T, s State) {
				if len(s.Hosts) != 3 || s.Hosts[2].ID != "new" || s.Hosts[2].Total != 5 {
					t.Errorf("hosts = %+v", s.Hosts)
				}
			},
		},
		{
			name: "backlog keeps history and peak",
			events: []Event{
				{At: 0, Body: BacklogObservation{Waiting: 100}},
				{At: h, Body: BacklogObservation{Waiting: 500, Inflow: ptr(900), Shipped: ptr(500)}},
				{At: 2 * h, Body: BacklogObservation{Waiting: 300}},
			},
			check: func(t *testing.T, s State) {
				if s.Backlog.Peak != 500 || s.Backlog.PeakAt != h {
					t.Errorf("peak %d at %v", s.Backlog.Peak, s.Backlog.PeakAt)
				}
				p := s.Backlog.Points[1]
				if !p.HasInflow || p.Inflow != 900 || !p.HasShipped || p.Shipped != 500 {
					t.Errorf("rates %+v", p)
				}
				if l, _ := s.Backlog.Latest(); l.Waiting != 300 {
					t.Errorf("latest %d", l.Waiting)
				}
			},
		},
		{
			name: "warning lifecycle with ack and escalation",
			events: []Event{
				{At: 0, Body: CarrierWarning{ID: "w1", Carrier: "ups", Phase: WarningIssued, Severity: SeverityMinor, Headline: "delays"}},
				{At: h, Body: Acknowledgement{Warning: "w1", By: "ic"}},
				{At: 2 * h, Body: CarrierWarning{ID: "w1", Phase: WarningUpdated, Severity: SeverityMajor}},
			},
			check: func(t *testing.T, s State) {
				w, _ := s.Warning("w1")
				if w.Acked || w.Severity != SeverityMajor || w.Headline != "delays" || w.Updates != 1 {
					t.Errorf("an escalation must clear the ack and keep the headline: %+v", w)
				}
				if s.UnackedWarnings() != 1 {
					t.Errorf("unacked %d", s.UnackedWarnings())
				}
			},
		},
		{
			name: "resolved warning needs no ack; resolving an unknown one does nothing",
			events: []Event{
				{At: 0, Body: CarrierWarning{ID: "w1", Carrier: "ups", Severity: SeverityMajor, Headline: "x"}},
				{At: h, Body: CarrierWarning{ID: "w1", Phase: WarningResolved}},
				{At: h, Body: CarrierWarning{ID: "ghost", Phase: WarningResolved}},
			},
			check: func(t *testing.T, s State) {
				if len(s.Warnings) != 1 || !s.Warnings[0].Resolved || s.Warnings[0].ResolvedAt != h || s.Warnings[0].CarrierName != "UPS" {
					t.Errorf("warnings %+v", s.Warnings)
				}
				if s.UnackedWarnings() != 0 {
					t.Errorf("unacked %d", s.UnackedWarnings())
				}
			},
		},
		{
			name: "complaints count per topic and hour, not in timeline",
			events: []Event{
				{At: 10 * time.Minute, Body: SellerComplaint{Seller: "a", Topic: "late", Text: "x"}},
				{At: 2*h + time.Minute, Body: SellerComplaint{Seller: "b", Topic: "late", Text: "y"}},
				{At: 2 * h, Body: SellerComplaint{Seller: "c", Topic: "labels", Text: "z"}},
			},
			check: func(t *testing.T, s State) {
				late := s.Complaints.Topics[0]
				if late.Count != 2 || len(late.Hourly) != 3 || late.Hourly[0] != 1 || late.Hourly[2] != 1 {
					t.Errorf("late %+v", late)
				}
				if s.Complaints.Total != 3 || len(s.Complaints.Topics) != 2 || len(s.Timeline) != 0 {
					t.Errorf("total %d topics %d timeline %d", s.Complaints.Total, len(s.Complaints.Topics), len(s.Timeline))
				}
			},
		},
		{
			name: "runbook step change and timeline text",
			events: []Event{
				{At: h, Body: RunbookStepChange{Step: "reboot", State: StepDone, By: "ic"}},
				{At: h, Body: RunbookStepChange{Step: "nope", State: StepDone}},
			},
			check: func(t *testing.T, s State) {
				if s.Runbook[0].State != StepDone || s.Runbook[0].By != "ic" || s.Runbook[1].State != StepPending {
					t.Errorf("runbook %+v", s.Runbook)
				}
				if len(s.Timeline) != 1 || s.Timeline[0].Text != "runbook done: Reboot (ic)" {
					t.Errorf("timeline %+v", s.Timeline)
				}
			},
		},
		{
			name:   "warning timeline line names the carrier and phase",
			events: []Event{{At: 0, Body: CarrierWarning{ID: "w", Carrier: "ups", Severity: SeverityMajor, Headline: "delays"}}},
			check: func(t *testing.T, s State) {
				if len(s.Timeline) != 1 || s.Timeline[0].Text != "UPS MAJOR issued: delays" {
					t.Errorf("timeline %+v", s.Timeline)
				}
			},
		},
		{
			name: "notes, updates, injects and explicit text reach the timeline",
			events: []Event{
				{At: 0, Body: StatusUpdate{From: "AWS", Text: "investigating"}},
				{At: h, Body: Inject{ID: "i1", Title: "Stop the hosts?", Prompt: "?"}},
				{At: 2 * h, Body: Note{Author: "ic", Text: "manual path"}},
				{At: 3 * h, Text: "custom line", Body: BacklogObservation{Waiting: 1}},
			},
			check: func(t *testing.T, s State) {
				want := []string{"AWS: investigating", "INJECT Stop the hosts?", "note (ic): manual path", "custom line"}
				if len(s.Timeline) != len(want) {
					t.Fatalf("timeline %+v", s.Timeline)
				}
				for i, w := range want {
					if s.Timeline[i].Text != w {
						t.Errorf("timeline[%d] = %q, want %q", i, s.Timeline[i].Text, w)
					}
				}
				if len(s.Injects) != 1 || s.Now != 3*h || s.Applied != 4 {
					t.Errorf("injects %d now %v applied %d", len(s.Injects), s.Now, s.Applied)
				}
			},
		},
		{
			name: "source health replaces the previous status",
			events: []Event{
				{At: 0, Body: SourceHealth{Source: "prom", Status: HealthError, Error: "refused"}},
				{At: h, Body: SourceHealth{Source: "prom", Status: HealthOK}},
			},
			check: func(t *testing.T, s State) {
				if len(s.Sources) != 1 || s.Sources[0].Status != HealthOK || len(s.Timeline) != 1 {
					t.Errorf("sources %+v timeline %+v", s.Sources, s.Timeline)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewState(testScenario())
			for _, e := range tt.events {
				Apply(&s, e)
			}
			tt.check(t, s)
		})
	}
}

func TestCloneIsIndependent(t *testing.T) {
	s := NewState(testScenario())
	Apply(&s, Event{At: 0, Body: HostStatus{Group: "wms", Recovered: 1}})
	Apply(&s, Event{At: 0, Body: CarrierWarning{ID: "w", Carrier: "ups", Severity: SeverityMinor, Headline: "h"}})
	Apply(&s, Event{At: 0, Body: SellerComplaint{Topic: "late"}})
	c := s.Clone()
	Apply(&s, Event{At: time.Hour, Body: HostStatus{Group: "wms", Recovered: 50}})
	Apply(&s, Event{At: time.Hour, Body: Acknowledgement{Warning: "w", By: "x"}})
	Apply(&s, Event{At: time.Hour, Body: SellerComplaint{Topic: "late"}})
	Apply(&s, Event{At: time.Hour, Body: Note{Author: "a", Text: "b"}})
	Apply(&c, Event{At: 2 * time.Hour, Body: Note{Author: "c", Text: "d"}})
	if c.Hosts[0].Recovered != 1 || len(c.Hosts[0].History) != 1 || c.Warnings[0].Acked || c.Complaints.Topics[0].Count != 1 {
		t.Errorf("clone changed by the original: %+v", c)
	}
	if last := c.Timeline[len(c.Timeline)-1]; len(c.Timeline) != 2 || last.Text != "note (c): d" || s.Timeline[1].Kind != KindAck {
		t.Errorf("shared timeline: clone %+v original %+v", c.Timeline, s.Timeline)
	}
}

func TestRecoveryRate(t *testing.T) {
	h := time.Hour
	hist := []HostPoint{{At: 0, Recovered: 0}, {At: h, Recovered: 100}, {At: 2 * h, Recovered: 300}, {At: 3 * h, Recovered: 400}, {At: 6 * h, Recovered: 700}}
	tests := []struct {
		name        string
		now, window time.Duration
		want        float64
	}{
		{"last hour", 3 * h, h, 100},
		{"two hours", 3 * h, 2 * h, 150},
		{"between reports: the window ends at the latest report", 3*h + 30*time.Minute, h, 100},
		{"sparse reports: from the last report at or before the window", 6 * h, h, 100},
		{"history shorter than the window", 2 * h, 10 * h, 150},
		{"reports after now are ignored", 90 * time.Minute, h, 100},
		{"one report gives no rate", 30 * time.Minute, h, 0},
		{"no window", 3 * h, 0, 0},
	}
	for _, tt := range tests {
		if got := RecoveryRate(hist, tt.now, tt.window); got != tt.want {
			t.Errorf("%s: RecoveryRate(now=%v, window=%v) = %v, want %v", tt.name, tt.now, tt.window, got, tt.want)
		}
	}
	if got := RecoveryRate(nil, h, h); got != 0 {
		t.Errorf("empty history: %v", got)
	}
}

func TestFormatOffset(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "T+00:00", 6*time.Hour + 42*time.Minute: "T+06:42", 49 * time.Hour: "T+49:00", -90 * time.Minute: "T-01:30",
	} {
		if got := FormatOffset(d); got != want {
			t.Errorf("FormatOffset(%v) = %q, want %q", d, got, want)
		}
	}
}
