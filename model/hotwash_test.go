package model

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// exercise is the drill with two objectives, its first inject naming both.
func exercise() *Scenario {
	sc := drill()
	sc.Objectives = []ObjectiveDef{{ID: "comms", Text: "Tell sellers what is late"}, {ID: "triage", Text: "Triage hosts"}}
	for i, e := range sc.Events {
		if in, ok := e.Body.(Inject); ok && in.ID == "i1" {
			in.Objectives = []string{"comms", "triage"}
			sc.Events[i].Body = in
		}
	}
	return sc
}

func TestHotWashWireRoundTrip(t *testing.T) {
	origin := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	events := []Event{
		{At: time.Hour, Source: "responder:fac", Body: Observation{Text: "nobody asked carriers", Inject: "i1", By: "fac"}},
		{At: time.Hour, Body: Observation{Text: "o"}},
		{At: 2 * time.Hour, Body: Finding{Type: FindingStrength, Text: "fast triage", Objective: "triage", By: "ic"}},
		{At: 2 * time.Hour, Body: Finding{Type: FindingImprovement, Text: "late seller notice"}},
		{At: 3 * time.Hour, Body: ActionItem{Text: "template the notice", Owner: "comms lead", Due: "2024-08-02", Objective: "comms", Finding: "F2", By: "fac"}},
		{At: 3 * time.Hour, Body: ScoreComment{Inject: "i1", Text: "carriers never called", By: "fac"}},
		{At: 4 * time.Hour, Body: Inject{ID: "adhoc-1", Title: "UPS hub closes", Prompt: "What now?", Expected: []string{"call UPS"}, Objectives: []string{"comms"}}},
	}
	roundTrip(t, origin, events)
	line, _ := EncodeEvent(events[4], origin)
	for _, key := range []string{`"action_item":`, `"owner":"comms lead"`, `"due":"2024-08-02"`, `"finding":"F2"`} {
		if !strings.Contains(string(line), key) {
			t.Errorf("encoded action item %s lacks %s", line, key)
		}
	}
}

// TestHotWashWireChecks: a live source's hot-wash events are checked at
// their line and column like any other.
func TestHotWashWireChecks(t *testing.T) {
	origin := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want string // "" : good
	}{
		{`{"at":"1m","observation":{"text":"ok"}}`, ""},
		{`{"at":"1m","observation":{"inject":"i1"}}`, `1:26: observation.text: missing required field`},
		{`{"at":"1m","finding":{"kind":"weakness","text":"x"}}`, `1:30: finding.kind: unknown value "weakness": expected one of strength, improvement`},
		{`{"at":"1m","finding":{"text":"x"}}`, `1:22: finding.kind: missing required field`},
		{`{"at":"1m","action_item":{"text":"x","owner":"o","due":"2024-02-30"}}`, `1:56: action_item.due: bad date "2024-02-30": expected YYYY-MM-DD`},
		{`{"at":"1m","action_item":{"text":"x","owner":"o","due":"next week"}}`, `1:56: action_item.due: bad date "next week"`},
		{`{"at":"1m","action_item":{"text":"x","due":"2024-08-02"}}`, `1:26: action_item.owner: missing required field`},
		{`{"at":"1m","action_item":{"text":"x","owner":"o","due":"2024-08-02","finding":"second"}}`, `1:79: action_item.finding: bad finding "second": expected a finding's number`},
		{`{"at":"1m","action_item":{"text":"x","owner":"o","due":"2024-08-02","finding":"F2"}}`, ""},
		{`{"at":"1m","score_comment":{"text":"x"}}`, `1:28: score_comment.inject: missing required field`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := NewWireDecoder("src", origin, func() time.Duration { return 0 })
			_, _, err := d.Event([]byte(tt.in))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("want no error, got %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestScenarioObjectivesLoadAndChecks(t *testing.T) {
	good := minimalHeader + `objectives:
  - {id: comms, text: Tell sellers what is late}
  - {id: triage, text: Triage hosts}
timeline:
  - at: +1h
    inject: {id: i1, title: T, prompt: P, questions: [q], objectives: [comms, triage]}
`
	sc, err := LoadScenario("x.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Objectives) != 2 || sc.Objectives[1] != (ObjectiveDef{ID: "triage", Text: "Triage hosts"}) {
		t.Errorf("objectives %+v", sc.Objectives)
	}
	if in := sc.Events[0].Body.(Inject); !reflect.DeepEqual(in.Objectives, []string{"comms", "triage"}) {
		t.Errorf("inject objectives %v", in.Objectives)
	}
	if st := NewState(sc); len(st.HotWash.Objectives) != 2 {
		t.Errorf("state objectives %+v", st.HotWash.Objectives)
	}

	tests := []struct {
		name, text string
		want       []string // "line:col field: message" parts
	}{
		{"unknown objective", minimalHeader + `objectives: [{id: comms, text: c}]
timeline:
  - at: +1h
    inject: {id: i1, title: T, prompt: P, objectives: [comms, speed]}
`, []string{`x.yaml:13:63: timeline[0].inject.objectives[1]: unknown objective "speed": expected an id declared under objectives (comms)`}},
		{"duplicate objective", minimalHeader + `objectives:
  - {id: comms, text: c}
  - {id: comms, text: d}
`, []string{`x.yaml:12:10: objectives[1].id: duplicate objective id "comms" (first declared at line 11)`}},
		{"objective without text", minimalHeader + `objectives: [{id: comms}]
`, []string{`x.yaml:10:14: objectives[0].text: missing required field`}},
		{"bad objective id", minimalHeader + `objectives: [{id: Comms Team, text: c}]
`, []string{`x.yaml:10:19: objectives[0].id: bad objective id "Comms Team"`}},
		{"hot-wash kinds are the wire format's", minimalHeader + `timeline:
  - at: +1h
    observation: {text: x}
`, []string{`x.yaml:12:5: timeline[0].observation: observation is the wire format's`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadScenario("x.yaml", []byte(tt.text))
			if err == nil {
				t.Fatal("want problems, got none")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems\n%v\nwant one containing %q", err, w)
				}
			}
		})
	}
}

func TestHotWashApply(t *testing.T) {
	at := func(d time.Duration, src string, b Body) Event { return Event{At: d, Source: src, Body: b} }
	tests := []struct {
		name   string
		events []Event
		check  func(t *testing.T, s State)
	}{
		{"observation is recorded in order and facilitator only", []Event{
			at(time.Hour, "responder:fac", Observation{Text: "quiet room", Inject: "i1"}),
			at(2*time.Hour, "responder:fac", Observation{Text: "second", By: "ann"}),
		}, func(t *testing.T, s State) {
			want := []ObservationRecord{{At: time.Hour, By: "fac", Inject: "i1", Text: "quiet room"}, {At: 2 * time.Hour, By: "ann", Text: "second"}}
			if !reflect.DeepEqual(s.HotWash.Observations, want) {
				t.Errorf("observations %+v", s.HotWash.Observations)
			}
			e := lastEntry(s, KindObservation)
			if !e.Facilitator || e.Text != "observation (ann): second" {
				t.Errorf("timeline line %+v: want facilitator only", e)
			}
		}},
		{"findings are numbered and action items name them", []Event{
			at(time.Hour, "responder:ic", Finding{Type: FindingStrength, Text: "fast triage", Objective: "triage"}),
			at(time.Hour, "responder:fac", Finding{Type: FindingImprovement, Text: "slow notice"}),
			at(2*time.Hour, "responder:fac", ActionItem{Text: "template", Owner: "comms", Due: "2024-08-02", Finding: "f2"}),
		}, func(t *testing.T, s State) {
			f := s.HotWash.Findings
			if len(f) != 2 || f[0].ID != "F1" || f[1].ID != "F2" || f[0].By != "ic" || f[1].Kind != FindingImprovement {
				t.Errorf("findings %+v", f)
			}
			a := s.HotWash.ActionItems
			if len(a) != 1 || a[0] != (ActionItemRecord{At: 2 * time.Hour, By: "fac", Text: "template", Owner: "comms", Due: "2024-08-02", Finding: "F2"}) {
				t.Errorf("action items %+v", a)
			}
			if e := lastEntry(s, KindFinding); e.Facilitator || e.Text != "F2 area for improvement (fac): slow notice" {
				t.Errorf("finding line %+v", e)
			}
			if e := lastEntry(s, KindActionItem); e.Text != "action item (fac): template — owner comms, due 2024-08-02" {
				t.Errorf("action item line %q", e.Text)
			}
		}},
		{"score comment names the inject, facilitator only", []Event{
			at(time.Hour, "scenario", exercise().Events[1].Body),
			at(time.Hour, "responder:fac", ScoreComment{Inject: "i1", Text: "carriers never called"}),
		}, func(t *testing.T, s State) {
			if c := s.HotWash.ScoreComments; len(c) != 1 || c[0].By != "fac" || c[0].Inject != "i1" {
				t.Errorf("score comments %+v", c)
			}
			if e := lastEntry(s, KindScoreComment); !e.Facilitator || e.Text != "score comment (fac) on title i1: carriers never called" {
				t.Errorf("line %+v", e)
			}
		}},
		{"notes and acknowledgements are kept with their delay", []Event{
			at(time.Hour, "carrier", CarrierWarning{ID: "w1", Carrier: "ups", Severity: SeverityMajor, Headline: "delays", Phase: WarningIssued}),
			at(time.Hour+20*time.Minute, "responder:ic", Acknowledgement{Warning: "w1", By: "ic"}),
			at(time.Hour+30*time.Minute, "responder:ic", Acknowledgement{Warning: "nope", By: "ic"}),
			at(2*time.Hour, "responder:bo", Note{Author: "bo", Text: "labels manual"}),
		}, func(t *testing.T, s State) {
			want := []AckRecord{{At: time.Hour + 20*time.Minute, By: "ic", Of: AckWarning, ID: "w1", Title: "UPS: delays", Delay: 20 * time.Minute}}
			if !reflect.DeepEqual(s.HotWash.Acks, want) {
				t.Errorf("acks %+v, want %+v (an ack of nothing is not kept)", s.HotWash.Acks, want)
			}
			if n := s.HotWash.Notes; len(n) != 1 || n[0] != (NoteRecord{At: 2 * time.Hour, Author: "bo", Text: "labels manual"}) {
				t.Errorf("notes %+v", n)
			}
		}},
		{"an ad-hoc inject is delivered at once, marked, and scored", []Event{
			at(90*time.Minute, "responder:fac", Inject{ID: "adhoc-1", Title: "UPS hub closes", Prompt: "?", Expected: []string{"call UPS"}}),
			at(90*time.Minute, "responder:fac", ExpectedCheck{Inject: "adhoc-1", Item: 0, Done: true}),
		}, func(t *testing.T, s State) {
			in, ok := s.InjectByID("adhoc-1")
			if !ok || !in.AdHoc || in.AddedBy != "fac" || in.Status != InjectFired || in.FiredAt != 90*time.Minute || in.Score() != "met" {
				t.Errorf("ad-hoc inject %+v", in)
			}
			if cur, _ := s.CurrentInject(); cur.ID != "adhoc-1" {
				t.Errorf("current inject %q: decisions go to the ad-hoc one", cur.ID)
			}
			if i1, _ := s.InjectByID("i1"); i1.AdHoc {
				t.Error("a scheduled inject is not ad hoc")
			}
			if e := lastEntry(s, KindInject); e.Text != "INJECT UPS hub closes" || e.Facilitator {
				t.Errorf("line %+v", e)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewState(exercise())
			for _, e := range tt.events {
				Apply(&s, e)
			}
			tt.check(t, s)
		})
	}
}

func lastEntry(s State, k Kind) Entry {
	for i := len(s.Timeline) - 1; i >= 0; i-- {
		if s.Timeline[i].Kind == k {
			return s.Timeline[i]
		}
	}
	return Entry{}
}

func TestHotWashCloneSharesNothingMutable(t *testing.T) {
	s := NewState(exercise())
	Apply(&s, Event{At: time.Hour, Body: Observation{Text: "a", By: "f"}})
	c := s.Clone()
	Apply(&c, Event{At: 2 * time.Hour, Body: Observation{Text: "b", By: "f"}})
	Apply(&s, Event{At: 2 * time.Hour, Body: Observation{Text: "c", By: "f"}})
	if len(c.HotWash.Observations) != 2 || c.HotWash.Observations[1].Text != "b" || s.HotWash.Observations[1].Text != "c" {
		t.Errorf("clone %+v original %+v", c.HotWash.Observations, s.HotWash.Observations)
	}
}

func TestHotWashSanitised(t *testing.T) {
	e := SanitizeEvent(Event{Source: "responder:f", Body: Observation{Text: "ok\x1b]52;c;ZXZpbA==\x07 done", By: "f\x1b[2J"}})
	o := e.Body.(Observation)
	if strings.ContainsRune(o.Text, 0x1b) || strings.ContainsRune(o.By, 0x1b) || !strings.Contains(o.Text, "ok") {
		t.Errorf("sanitised %q by %q", o.Text, o.By)
	}
	a := SanitizeEvent(Event{Body: ActionItem{Text: "x\x1b[31m", Owner: "o\u202e", Due: "2024-08-02"}}).Body.(ActionItem)
	if strings.ContainsRune(a.Text, 0x1b) || strings.ContainsRune(a.Owner, '\u202e') {
		t.Errorf("sanitised action item %+v", a)
	}
}

func TestCheckHotWashAction(t *testing.T) {
	s := NewState(exercise())
	Apply(&s, Event{At: time.Hour, Body: Finding{Type: FindingStrength, Text: "x"}})
	tests := []struct {
		body Body
		want string // "": accepted
	}{
		{Observation{Text: "x"}, ""},
		{Observation{Text: "x", Inject: "i9"}, `there is no inject "i9"`},
		{Observation{Text: "  "}, "needs text"},
		{Finding{Type: FindingImprovement, Text: "x", Objective: "comms"}, ""},
		{Finding{Type: FindingImprovement, Text: "x", Objective: "speed"}, `there is no objective "speed" (comms, triage)`},
		{Finding{Type: "meh", Text: "x"}, "a strength or an improvement"},
		{ActionItem{Text: "x", Owner: "o", Due: "2024-08-02", Finding: "F1"}, ""},
		{ActionItem{Text: "x", Owner: "o", Due: "2024-13-02"}, `due "2024-13-02": expected a date YYYY-MM-DD`},
		{ActionItem{Text: "x", Owner: "", Due: "2024-08-02"}, "needs an owner"},
		{ActionItem{Text: "x", Owner: "o", Due: "2024-08-02", Finding: "F2"}, `there is no finding "F2" (findings are F1 to F1)`},
		{ScoreComment{Inject: "i1", Text: "x"}, ""},
		{ScoreComment{Inject: "", Text: "x"}, `there is no inject ""`},
		{Note{Author: "a", Text: "b"}, ""},
	}
	for _, tt := range tests {
		err := CheckHotWashAction(&s, tt.body)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%#v: %v", tt.body, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%#v: got %v, want %q", tt.body, err, tt.want)
		}
	}
	if err := CheckHotWashAction(&s, ActionItem{Text: "x", Owner: "o", Due: "x"}); errors.Unwrap(err) != nil {
		t.Errorf("a plain message, got %v", err)
	}
}

// TestHotWashParticipantSentUpdates: who marked a status update sent is a
// participant, with the updates they sent counted.
func TestHotWashParticipantSentUpdates(t *testing.T) {
	sc := exercise()
	c := NewCursor(NewState(sc), sc.Events)
	c.SetPauseOnInject(false)
	c.Seek(2 * h)
	for _, e := range []Event{
		{Source: "responder:bo", Body: CommsSent{Template: "seller", Text: "Subject: late"}},
		{Source: "responder:bo", Body: CommsSent{Template: "customer", Text: "Subject: later"}},
	} {
		e.At = c.Clock()
		c.Insert(e)
	}
	hw := BuildHotWash(sc, c.State())
	i := slices.IndexFunc(hw.Participants, func(p HotWashParticipant) bool { return p.Name == "bo" })
	if i < 0 || hw.Participants[i].Did["status-update"] != 2 {
		t.Errorf("participants %+v: want bo with 2 status updates", hw.Participants)
	}
}

func TestBuildHotWash(t *testing.T) {
	sc := exercise()
	c := NewCursor(NewState(sc), sc.Events)
	c.SetPauseOnInject(false)
	c.Seek(2 * h)
	for _, e := range []Event{
		{Source: "responder:ic", Body: Decision{By: "ic", Text: "stop next-day"}},
		{Source: "responder:fac", Body: ExpectedCheck{Inject: "i2", Item: 0, Done: true}},
		{Source: "responder:fac", Body: ScoreComment{Inject: "i2", Text: "half there", By: "fac"}},
		{Source: "responder:fac", Body: Observation{Text: "no carrier call", By: "fac"}},
		{Source: "responder:fac", Body: Inject{ID: "adhoc-1", Title: "Hub", Prompt: "?"}},
		{Source: "responder:bo", Body: Finding{Type: FindingStrength, Text: "triage", Objective: "triage", By: "bo"}},
		{Source: "responder:fac", Body: Finding{Type: FindingImprovement, Text: "notice late", Objective: "comms", By: "fac"}},
		{Source: "responder:fac", Body: ActionItem{Text: "template", Owner: "comms lead", Due: "2024-08-02", Objective: "comms", Finding: "F2", By: "fac"}},
	} {
		e.At = c.Clock()
		c.Insert(e)
	}
	st := c.State()
	hw := BuildHotWash(sc, st)
	if hw.Title != "test" || hw.At != 2*h {
		t.Errorf("title %q at %v", hw.Title, hw.At)
	}
	if len(hw.Strengths) != 1 || hw.Strengths[0].ID != "F1" || len(hw.Improvements) != 1 || hw.Improvements[0].ID != "F2" {
		t.Errorf("strengths %+v improvements %+v", hw.Strengths, hw.Improvements)
	}
	if len(hw.ActionItems) != 1 || hw.ActionItems[0].Finding != "F2" || len(hw.Observations) != 1 || len(hw.Decisions) != 1 {
		t.Errorf("action items %+v observations %+v decisions %+v", hw.ActionItems, hw.Observations, hw.Decisions)
	}
	wantObj := []HotWashObjective{
		{ObjectiveDef: sc.Objectives[0], Injects: []string{"i1"}, Findings: []string{"F2"}, ActionItems: 1},
		{ObjectiveDef: sc.Objectives[1], Injects: []string{"i1"}, Findings: []string{"F1"}},
	}
	if !reflect.DeepEqual(hw.Objectives, wantObj) {
		t.Errorf("objectives\n got %+v\nwant %+v", hw.Objectives, wantObj)
	}
	if len(hw.Injects) != 4 {
		t.Fatalf("injects %+v: want the three scheduled and the ad-hoc one", hw.Injects)
	}
	i2, adhoc := hw.Injects[1], hw.Injects[3]
	if i2.Score != "partly" || i2.Done != 1 || i2.Expected != 2 || len(i2.Comments) != 1 || i2.Comments[0].Text != "half there" || i2.Decisions != 1 {
		t.Errorf("i2 %+v", i2)
	}
	if !adhoc.AdHoc || adhoc.AddedBy != "fac" || adhoc.Status != InjectFired {
		t.Errorf("ad-hoc %+v", adhoc)
	}
	var names []string
	for _, p := range hw.Participants {
		names = append(names, p.Name)
	}
	if !reflect.DeepEqual(names, []string{"ic", "fac", "bo"}) {
		t.Errorf("participants %v: want the order each first recorded something (ic decided first)", names)
	}
	if fac := hw.Participants[1].Did; fac["observation"] != 1 || fac["finding"] != 1 || fac["action-item"] != 1 || fac["score-comment"] != 1 || fac["inject"] != 1 {
		t.Errorf("fac did %v", fac)
	}
	if empty := BuildHotWash(nil, &State{}); empty.Title != "" || len(empty.Injects) != 0 {
		t.Errorf("empty %+v", empty)
	}
}

func TestDebriefMarkdownHasTheHotWash(t *testing.T) {
	sc := exercise()
	c := NewCursor(NewState(sc), sc.Events)
	c.SetPauseOnInject(false)
	c.Seek(time.Hour)
	for _, e := range []Event{
		{Source: "responder:fac", Body: Observation{Text: "no carrier call", Inject: "i1"}},
		{Source: "responder:ic", Body: Note{Author: "ic", Text: "labels on manual path"}},
		{Source: "responder:bo", Body: Finding{Type: FindingStrength, Text: "fast triage", Objective: "triage"}},
		{Source: "responder:fac", Body: Finding{Type: FindingImprovement, Text: "seller notice late", Objective: "comms"}},
		{Source: "responder:fac", Body: ActionItem{Text: "template the seller notice", Owner: "comms lead", Due: "2024-08-02", Objective: "comms", Finding: "F2"}},
		{Source: "responder:fac", Body: ScoreComment{Inject: "i1", Text: "carriers never called"}},
	} {
		e.At = c.Clock()
		c.Insert(e)
	}
	st := c.State()
	md := BuildDebrief(sc, *st, nil).Markdown(sc)
	for _, want := range []string{
		"## Objectives\n\n- **comms** — Tell sellers what is late (injects i1; findings F2; 1 action item)\n",
		"- **triage** — Triage hosts (injects i1; findings F1)\n",
		"## Participants\n\n- ic: 2 notes\n- fac: 1 observation, 1 finding, 1 action item, 1 score comment\n- bo: 1 finding\n", // the scenario's notes are ic's too
		"## Strengths\n\n- F1 fast triage (objective triage) — bo, T+01:00\n",
		"## Areas for improvement\n\n- F2 seller notice late (objective comms) — fac, T+01:00\n",
		"| 1 | template the seller notice | comms lead | 2024-08-02 | comms | F2 |\n",
		"On the score:\n\n- T+01:00 (fac): carriers never called\n",
		"## Facilitator observations\n\n- T+01:00 (fac) on i1: no carrier call\n",
		"## Notes\n\n- T+00:00 (ic): start\n- T+01:00 (ic): labels on manual path\n",
		"## Acknowledgements\n\nNone recorded.\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("debrief lacks %q:\n%s", want, md)
		}
	}
}

func TestLintObjectiveNoInjectExercises(t *testing.T) {
	text := minimalHeader + `objectives:
  - {id: comms, text: c}
  - {id: speed, text: s}
timeline:
  - at: +1h
    inject: {id: i1, title: T, prompt: P, questions: [q], objectives: [comms]}
`
	_, warnings, err := LoadScenarioChecked("x.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warnings {
		if strings.Contains(w.Message, "objective") {
			got = append(got, w.String())
		}
	}
	want := []string{`x.yaml:12:10: warning: objectives[1].id: objective "speed" is exercised by no inject: name it in an inject's objectives`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
}
