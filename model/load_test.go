package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func loadScenarioFile(t *testing.T, file string) (*Scenario, error) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return LoadScenario(file, data)
}

func TestLoadScenarioMinimal(t *testing.T) {
	sc, err := loadScenarioFile(t, "testdata/good/minimal.yaml")
	if err != nil {
		t.Fatalf("LoadScenario: %v", err)
	}
	if sc.Name != "minimal" {
		t.Errorf("Name = %q, want minimal", sc.Name)
	}
	wantMeta := Meta{
		Title:        "CrowdStrike Channel File 291 — Windows EC2 down",
		Summary:      "A faulty sensor update crashed Windows hosts.\n",
		Start:        time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC),
		Severity:     "SEV1",
		Illustrative: "Host counts and backlog sizes are invented.",
	}
	if !reflect.DeepEqual(sc.Meta, wantMeta) {
		t.Errorf("Meta = %+v, want %+v", sc.Meta, wantMeta)
	}
	if want := []HostGroupDef{{ID: "wms-fulfilment", Name: "WMS fulfilment (Windows EC2)", Total: 1240}}; !reflect.DeepEqual(sc.HostGroups, want) {
		t.Errorf("HostGroups = %+v, want %+v", sc.HostGroups, want)
	}
	if want := []CarrierDef{{ID: "ups", Name: "UPS"}}; !reflect.DeepEqual(sc.Carriers, want) {
		t.Errorf("Carriers = %+v, want %+v", sc.Carriers, want)
	}
	if want := []TopicDef{{ID: "late-shipment-rate", Name: "late shipment rate"}}; !reflect.DeepEqual(sc.Topics, want) {
		t.Errorf("Topics = %+v, want %+v", sc.Topics, want)
	}
	wantSteps := []StepDef{
		{ID: "identify", Title: "Identify affected Windows hosts", Detail: "Query the fleet."},
		{ID: "reboot", Title: "Reboot up to 15 times"},
	}
	if !reflect.DeepEqual(sc.Runbook, wantSteps) {
		t.Errorf("Runbook = %+v, want %+v", sc.Runbook, wantSteps)
	}

	inflow := 95000.0
	want := []Event{
		{At: 0, Source: "crowdstrike", Body: HostStatus{Group: "wms-fulfilment", Recovered: 0, Total: 1240, Failed: 1240, State: HostsDown}},
		{At: 30 * time.Minute, Source: "scenario", Body: RunbookStepChange{Step: "identify", State: StepActive, By: "ic"}},
		{At: time.Hour, Source: "scenario", Body: BacklogObservation{Waiting: 120000, Inflow: &inflow}},
		{At: 2 * time.Hour, Source: "scenario", Body: CarrierWarning{ID: "ups-1", Carrier: "ups", Phase: WarningIssued, Severity: SeverityMajor, Region: "US, Europe", Headline: "Delays possible"}},
		{At: 2 * time.Hour, Source: "scenario", Text: "UPS updates its advisory", Body: CarrierWarning{ID: "ups-1", Phase: WarningUpdated, Region: "US"}},
		{At: 2*time.Hour + 5*time.Minute, Source: "scenario", Body: SellerComplaint{Seller: "Harbor & Pine Home Goods", Channel: "forums", Topic: "late-shipment-rate", Text: "Next-day orders will miss the promise."}},
		{At: 3 * time.Hour, Source: "scenario", Body: Inject{ID: "inj-backlog", Title: "Backlog question", Prompt: "What do you tell sellers?"}},
		{At: 5 * time.Hour, Source: "scenario", Body: Note{Author: "ic", Text: "label hosts need the manual path"}},
		{At: 5*time.Hour + 26*time.Minute, Source: "scenario", Body: StatusUpdate{From: "AWS Health Dashboard", Text: "Still working on it"}},
		{At: 6 * time.Hour, Source: "scenario", Body: Acknowledgement{Warning: "ups-1", By: "ic"}},
		{At: 49*time.Hour + 30*time.Minute, Source: "scenario", Body: HostStatus{Group: "wms-fulfilment", Recovered: 1200, Total: 1240, Failed: 10, State: HostsRecovering}},
	}
	if len(sc.Events) != len(want) {
		t.Fatalf("got %d events, want %d", len(sc.Events), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(sc.Events[i], want[i]) {
			t.Errorf("event %d:\n got %#v\nwant %#v", i, sc.Events[i], want[i])
		}
	}
	if sc.End() != 49*time.Hour+30*time.Minute {
		t.Errorf("End() = %v", sc.End())
	}
}

// minimalHeader is a valid scenario without a timeline, for the variant tests.
const minimalHeader = `title: t
summary: s
start: 2024-07-19T04:09:00Z
severity: SEV1
illustrative: i
host_groups: [{id: wms, name: WMS, total: 10}]
carriers: [{id: ups}]
topics: [{id: late}]
runbook: [{id: identify, title: Identify}]
`

func TestLoadScenarioVariants(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		yaml  string
		check func(t *testing.T, sc *Scenario)
	}{
		{
			name: "name from path",
			file: "fixtures/crowdstrike-291.yaml",
			yaml: minimalHeader,
			check: func(t *testing.T, sc *Scenario) {
				if sc.Name != "crowdstrike-291" {
					t.Errorf("Name = %q", sc.Name)
				}
				if len(sc.Events) != 0 {
					t.Errorf("Events = %v, want none", sc.Events)
				}
			},
		},
		{
			name: "name defaults to id",
			yaml: minimalHeader,
			check: func(t *testing.T, sc *Scenario) {
				if sc.Carriers[0].Name != "ups" || sc.Topics[0].Name != "late" {
					t.Errorf("Carriers = %+v, Topics = %+v", sc.Carriers, sc.Topics)
				}
			},
		},
		{
			name: "start with offset is converted to UTC",
			yaml: strings.Replace(minimalHeader, "2024-07-19T04:09:00Z", "2024-07-19T06:09:00+02:00", 1),
			check: func(t *testing.T, sc *Scenario) {
				want := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
				if !sc.Meta.Start.Equal(want) || sc.Meta.Start.Location() != time.UTC {
					t.Errorf("Start = %v, want %v", sc.Meta.Start, want)
				}
			},
		},
		{
			name: "stable sort keeps file order for equal offsets",
			yaml: minimalHeader + `timeline:
  - {at: +2h, note: {author: a, text: "3"}}
  - {at: +1h, note: {author: a, text: "1"}}
  - {at: 60m, note: {author: a, text: "2"}}
  - {at: 0, note: {author: a, text: "0"}}
`,
			check: func(t *testing.T, sc *Scenario) {
				var got []string
				for _, e := range sc.Events {
					got = append(got, e.Body.(Note).Text)
				}
				if strings.Join(got, "") != "0123" {
					t.Errorf("order = %v, want 0 1 2 3", got)
				}
			},
		},
		{
			name: "hosts total defaults to the group's",
			yaml: minimalHeader + "timeline:\n  - {at: 90s, hosts: {group: wms, recovered: 4, failed: 6}}\n",
			check: func(t *testing.T, sc *Scenario) {
				want := HostStatus{Group: "wms", Recovered: 4, Total: 10, Failed: 6}
				if got := sc.Events[0].Body; got != want {
					t.Errorf("body = %#v, want %#v", got, want)
				}
				if sc.Events[0].At != 90*time.Second {
					t.Errorf("At = %v", sc.Events[0].At)
				}
			},
		},
		{
			name: "warning resolved and acknowledged after issue",
			yaml: minimalHeader + `timeline:
  - {at: +3h, warning: {id: w, phase: resolved}}
  - {at: +1h, warning: {id: w, carrier: ups, severity: critical, headline: h, body: b}}
  - {at: +2h, ack: {warning: w}}
`,
			check: func(t *testing.T, sc *Scenario) {
				if w := sc.Events[0].Body.(CarrierWarning); w.Phase != WarningIssued || w.Severity != SeverityCritical || w.Body != "b" {
					t.Errorf("first = %#v", w)
				}
				if w := sc.Events[2].Body.(CarrierWarning); w.Phase != WarningResolved {
					t.Errorf("last = %#v", w)
				}
			},
		},
		{
			name: "anchors, aliases and block scalars",
			yaml: minimalHeader + `timeline:
  - at: +0m
    text: &line "shared text"
    note: {author: ic, text: *line}
  - at: +1m
    step: {step: identify, state: done}
    text: |
      two
      lines
`,
			check: func(t *testing.T, sc *Scenario) {
				if n := sc.Events[0].Body.(Note); n.Text != "shared text" || sc.Events[0].Text != "shared text" {
					t.Errorf("note = %#v, text %q", n, sc.Events[0].Text)
				}
				if sc.Events[1].Text != "two\nlines\n" {
					t.Errorf("text = %q", sc.Events[1].Text)
				}
			},
		},
		{
			name: "backlog rates",
			yaml: minimalHeader + "timeline:\n  - {at: +1h, backlog: {waiting: 0, shipped: 1.5e3}}\n",
			check: func(t *testing.T, sc *Scenario) {
				b := sc.Events[0].Body.(BacklogObservation)
				if b.Waiting != 0 || b.Inflow != nil || b.Shipped == nil || *b.Shipped != 1500 {
					t.Errorf("backlog = %+v", b)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "inline.yaml"
			}
			sc, err := LoadScenario(file, []byte(tt.yaml))
			if err != nil {
				t.Fatalf("LoadScenario: %v", err)
			}
			tt.check(t, sc)
		})
	}
}

// want is one expected problem: its position, its field and part of its message.
// checkProblems compares problems (or warnings) with what a test expects,
// in order: position, field and part of the message.
func checkProblems(t *testing.T, what string, got []Problem, want []wantProblem) {
	t.Helper()
	for i, p := range got {
		if i >= len(want) {
			t.Errorf("unexpected %s: %s", what, p)
			continue
		}
		w := want[i]
		if pos := fmt.Sprintf("%d:%d", p.Line, p.Col); pos != w.pos {
			t.Errorf("%s %d at %s, want %s: %s", what, i, pos, w.pos, p)
		}
		if p.Field != w.field {
			t.Errorf("%s %d field %q, want %q: %s", what, i, p.Field, w.field, p)
		}
		if !strings.Contains(p.Message, w.msg) {
			t.Errorf("%s %d message %q, want it to contain %q", what, i, p.Message, w.msg)
		}
	}
	for _, w := range want[min(len(got), len(want)):] {
		t.Errorf("missing %s at %s: %s: %s", what, w.pos, w.field, w.msg)
	}
}

type wantProblem struct {
	pos, field, msg string
}

func TestLoadScenarioBad(t *testing.T) {
	tests := []struct {
		file string
		want []wantProblem
	}{
		{"syntax.yaml", []wantProblem{
			{"1:8", "", "YAML syntax error: found unexpected end of stream (while scanning a quoted scalar, at 3:1)"},
		}},
		{"syntax_indent.yaml", []wantProblem{
			{"8:11", "", "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping, at 9:1)"},
			{"9:5", "timeline[1]", "no event kind"},
		}},
		{"empty.yaml", []wantProblem{
			{"1:1", "", "empty scenario: expected a mapping with title"},
		}},
		{"not_mapping.yaml", []wantProblem{
			{"1:1", "", "expected a mapping with title, summary, start, severity, illustrative, host_groups, carriers, topics, runbook, objectives, alerts, promise_classes, timeline, got a list"},
		}},
		{"multi_doc.yaml", []wantProblem{
			{"7:1", "", "expected one YAML document, found 2"},
		}},
		{"unknown_fields.yaml", []wantProblem{
			{"6:1", "owner", `unknown field "owner": expected one of title, summary`},
			{"11:5", "host_groups[0].region", `unknown field "region": expected one of id, name, total`},
			{"14:39", "timeline[0].hosts.recoverd", `unknown field "recoverd": expected one of group, recovered, total, failed, state`},
			{"16:5", "timeline[1].colour", `unknown field "colour"`},
		}},
		{"duplicate_keys.yaml", []wantProblem{
			{"6:1", "title", `duplicate field "title" (first at line 1)`},
			{"9:5", "timeline[0].at", `duplicate field "at" (first at line 8)`},
			{"10:35", "timeline[0].note.author", `duplicate field "author"`},
		}},
		{"offsets.yaml", []wantProblem{
			{"7:9", "timeline[0].at", `bad offset "2 hours": expected an offset such as +0m, +2h15m or 90s`},
			{"9:9", "timeline[1].at", `negative offset "-5m"`},
			{"11:5", "timeline[2].at", "missing required field: expected an offset"},
			{"12:9", "timeline[3].at", `expected an offset such as +0m, +2h15m or 90s, got a number 90`},
			{"14:9", "timeline[4].at", "expected an offset such as +0m, +2h15m or 90s, got a list"},
		}},
		{"types.yaml", []wantProblem{
			{"1:8", "title", "expected a string, got a mapping"},
			{"9:12", "host_groups[0].total", `expected an integer >= 1, got a string "many"`},
			{"12:36", "timeline[0].hosts.recovered", `expected an integer >= 0, got a number 1.5`},
			{"14:24", "timeline[1].backlog.waiting", `expected an integer >= 0, got a string "lots"`},
			{"14:40", "timeline[1].backlog.inflow", `expected a number >= 0, got a string "fast"`},
			{"14:55", "timeline[1].backlog.shipped", "must be a number >= 0, got -3"},
			{"16:11", "timeline[2].note", "expected a mapping with author, text, got a list"},
			{"17:5", "timeline[3]", `expected a mapping with at, source, text, hosts, backlog, warning, complaint, step, inject, note, update, ack, got a string "just a string"`},
		}},
		{"missing.yaml", []wantProblem{
			{"1:1", "title", "missing required field: expected a string"},
			{"1:1", "start", "missing required field: expected an RFC 3339 time"},
			{"1:1", "illustrative", "missing required field"},
			{"4:5", "host_groups[0].name", "missing required field"},
			{"7:5", "runbook[0].title", "missing required field"},
			{"10:11", "timeline[0].note.text", "missing required field"},
			{"12:13", "timeline[1].update.from", "missing required field"},
			{"14:14", "timeline[2].backlog.waiting", "missing required field: expected an integer >= 0"},
			{"17:7", "timeline[3].inject.prompt", "missing required field"},
			{"18:14", "timeline[3].inject.title", "must not be empty"},
		}},
		{"counts.yaml", []wantProblem{
			{"12:12", "host_groups[1].total", "must be >= 1, got 0"},
			{"17:18", "timeline[0].hosts.recovered", "recovered (120) exceeds total (100)"},
			{"19:48", "timeline[1].hosts.failed", "recovered + failed (60 + 50) exceeds total (100)"},
			{"21:59", "timeline[2].hosts.failed", "recovered + failed (10 + 11) exceeds total (20)"},
			{"23:36", "timeline[3].hosts.recovered", "must be >= 0, got -1"},
			{"23:48", "timeline[3].hosts.failed", "must be >= 0, got -2"},
			{"25:24", "timeline[4].backlog.waiting", "must be >= 0, got -10"},
			{"27:46", "timeline[5].hosts.total", "must be >= 1, got 0"},
		}},
		{"enums.yaml", []wantProblem{
			{"4:11", "severity", `unknown value "SEV9": expected one of SEV1, SEV2, SEV3, SEV4`},
			{"11:46", "timeline[0].hosts.state", `unknown value "broken": expected one of healthy, degraded, down, recovering`},
			{"13:47", "timeline[1].warning.severity", `unknown value "severe": expected one of info, minor, major, critical`},
			{"15:30", "timeline[2].warning.phase", `unknown value "reopened": expected one of issued, updated, resolved`},
			{"17:35", "timeline[3].step.state", `unknown value "finished": expected one of pending, active, done, skipped, blocked`},
		}},
		{"refs.yaml", []wantProblem{
			{"12:20", "timeline[0].hosts.group", `unknown host group "wms-eu": expected an id declared under host_groups (wms)`},
			{"14:32", "timeline[1].warning.carrier", `unknown carrier "dhl"`},
			{"16:52", "timeline[2].complaint.topic", `unknown topic "labels"`},
			{"18:18", "timeline[3].step.step", `unknown runbook step "reboot"`},
		}},
		{"duplicates.yaml", []wantProblem{
			{"8:10", "host_groups[1].id", `duplicate host group id "wms" (first declared at line 7)`},
			{"11:10", "carriers[1].id", `duplicate carrier id "ups"`},
			{"14:10", "topics[1].id", `duplicate topic id "late"`},
			{"17:10", "runbook[1].id", `duplicate runbook step id "identify"`},
			{"22:18", "timeline[1].inject.id", `duplicate inject id "inj-1" (first at line 20)`},
			{"26:19", "timeline[3].warning.id", `duplicate warning id "w1": already issued at line 24`},
		}},
		{"warning_order.yaml", []wantProblem{
			{"11:19", "timeline[1].warning.id", `warning "ups-1" is updated at T+00:30, before it is issued at T+01:00`},
			{"13:19", "timeline[2].warning.id", `warning "ups-2" is resolved but never issued earlier`},
			{"15:20", "timeline[3].ack.warning", `warning "ups-1" is acknowledged at T+00:10, before it is issued`},
			{"17:20", "timeline[4].ack.warning", `warning "fedex-1" is acknowledged but never issued`},
		}},
		{"kinds.yaml", []wantProblem{
			{"7:5", "timeline[0]", "no event kind: expected exactly one of hosts, backlog, warning"},
			{"11:5", "timeline[1].update", "more than one event kind (note, update, ack)"},
			{"12:5", "timeline[1].ack", "more than one event kind"},
		}},
		{"start.yaml", []wantProblem{
			{"3:8", "start", `bad timestamp "2024-07-19 04:09": expected an RFC 3339 time`},
			{"7:9", "host_groups[0].id", `bad host group id "WMS_Fulfilment"`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			sc, err := loadScenarioFile(t, filepath.Join("testdata", "bad", tt.file))
			if sc != nil {
				t.Errorf("got a scenario with problems")
			}
			var problems ProblemList
			if !errors.As(err, &problems) {
				t.Fatalf("error %v (%T) is not a ProblemList", err, err)
			}
			checkProblems(t, "problem", problems, tt.want)
		})
	}
}

// TestProblemFormat checks that every problem in every bad file reads
// "file:line:col: ..." and that the error has one line per problem.
func TestProblemFormat(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) < 12 {
		t.Fatalf("want at least 12 bad files, got %d (%v)", len(files), err)
	}
	for _, file := range files {
		_, err := loadScenarioFile(t, file)
		var problems ProblemList
		if !errors.As(err, &problems) || len(problems) == 0 {
			t.Errorf("%s: error %v is not a non-empty ProblemList", file, err)
			continue
		}
		for _, p := range problems {
			prefix := fmt.Sprintf("%s:%d:%d: ", file, p.Line, p.Col)
			if p.Line < 1 || p.Col < 1 || !strings.HasPrefix(p.String(), prefix) {
				t.Errorf("%q does not start with file:line:col: (%q)", p.String(), prefix)
			}
		}
		if lines := strings.Split(err.Error(), "\n"); len(lines) != len(problems) {
			t.Errorf("%s: Error() has %d lines for %d problems", file, len(lines), len(problems))
		}
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.yaml", Line: 3, Col: 7, Field: "timeline[2].hosts.recovered", Message: "recovered (5) exceeds total (4)"},
			"a.yaml:3:7: timeline[2].hosts.recovered: recovered (5) exceeds total (4)"},
		{Problem{File: "a.yaml", Line: 1, Col: 8, Message: "YAML syntax error: x"},
			"a.yaml:1:8: YAML syntax error: x"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	l := ProblemList{tests[0].p, tests[1].p}
	if got, want := l.Error(), tests[0].want+"\n"+tests[1].want; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
