package model

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// promiseScenario is a scenario whose backlog items are given by the
// caller, with next-day and standard declared as promise classes.
func promiseScenario(items string) []byte {
	return []byte(`title: "t"
summary: "s"
start: 2024-07-19T04:09:00Z
severity: SEV2
illustrative: "all"
promise_classes:
  - {id: next-day, name: "Next day"}
  - {id: standard}
timeline:
` + items)
}

func TestPromiseScenarioLoads(t *testing.T) {
	sc, err := LoadScenario("p.yaml", promiseScenario(`  - at: +0m
    backlog: {waiting: 100}
  - at: +1h
    backlog:
      waiting: 300
      late: 40
      promise:
        - {class: next-day, waiting: 120, late: 40}
        - {class: standard, waiting: 180}
  - at: +2h
    backlog:
      waiting: 200
      promise: [{class: next-day, waiting: 50, late: 5}, {class: standard, waiting: 150, late: 7}]
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []PromiseClassDef{{ID: "next-day", Name: "Next day"}, {ID: "standard", Name: "standard"}}
	if !reflect.DeepEqual(sc.PromiseClasses, want) {
		t.Errorf("classes %+v, want %+v (the name defaults to the id)", sc.PromiseClasses, want)
	}
	s := NewState(sc)
	for _, e := range sc.Events {
		Apply(&s, e)
	}
	if got := s.Backlog.Classes; !reflect.DeepEqual(got, []PromiseClass{{"next-day", "Next day"}, {"standard", "standard"}}) {
		t.Errorf("state classes %+v", got)
	}
	pts := s.Backlog.Points
	tests := []struct {
		i                 int
		hasLate           bool
		late, nextDay, st int64
		split             int
	}{
		{0, false, 0, 0, 0, 0},     // no late, no split: an old file's item
		{1, true, 40, 120, 180, 2}, // its own late
		{2, true, 12, 50, 150, 2},  // late from the classes: 5 + 7
	}
	for _, tt := range tests {
		p := pts[tt.i]
		if p.HasLate != tt.hasLate || p.Late != tt.late || len(p.Promise()) != tt.split ||
			p.ClassWaiting("next-day") != tt.nextDay || p.ClassWaiting("standard") != tt.st {
			t.Errorf("point %d: late %v/%d, split %v; want %v/%d, next-day %d, standard %d",
				tt.i, p.HasLate, p.Late, p.Promise(), tt.hasLate, tt.late, tt.nextDay, tt.st)
		}
	}
}

func TestPromiseScenarioProblems(t *testing.T) {
	tests := []struct {
		name, items string
		want        []wantProblem
	}{
		{"unknown class", `  - at: +0m
    backlog: {waiting: 10, promise: [{class: same-day, waiting: 10}]}
`, []wantProblem{{"11:46", "timeline[0].backlog.promise[0].class", `unknown promise class "same-day": expected an id declared under promise_classes (next-day, standard)`}}},
		{"sum of waiting", `  - at: +0m
    backlog: {waiting: 10, promise: [{class: next-day, waiting: 4}, {class: standard, waiting: 5}]}
`, []wantProblem{{"11:37", "timeline[0].backlog.promise", "the promise classes' waiting sums to 9, not waiting (10)"}}},
		{"late above waiting", `  - at: +0m
    backlog: {waiting: 10, late: 11}
`, []wantProblem{{"11:34", "timeline[0].backlog.late", "late (11) exceeds waiting (10)"}}},
		{"class late above its waiting", `  - at: +0m
    backlog: {waiting: 10, promise: [{class: next-day, waiting: 4, late: 5}, {class: standard, waiting: 6}]}
`, []wantProblem{{"11:74", "timeline[0].backlog.promise[0].late", "late (5) exceeds this class's waiting (4)"}}},
		{"class twice", `  - at: +0m
    backlog: {waiting: 10, promise: [{class: next-day, waiting: 4}, {class: next-day, waiting: 6}]}
`, []wantProblem{{"11:77", "timeline[0].backlog.promise[1].class", `promise class "next-day" given twice (first at promise[0])`}}},
		{"sum of late", `  - at: +0m
    backlog: {waiting: 10, late: 3, promise: [{class: next-day, waiting: 4, late: 1}, {class: standard, waiting: 6}]}
`, []wantProblem{{"11:46", "timeline[0].backlog.promise", "the promise classes' late sums to 1, not late (3)"}}},
		{"negative late", `  - at: +0m
    backlog: {waiting: 10, late: -1}
`, []wantProblem{{"11:34", "timeline[0].backlog.late", "must be >= 0, got -1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadScenario("p.yaml", promiseScenario(tt.items))
			var problems ProblemList
			if !errors.As(err, &problems) {
				t.Fatalf("error %v is not a ProblemList", err)
			}
			checkProblems(t, "problem", problems, tt.want)
		})
	}
}

// A live source may report classes the room has never heard of: the wire
// format takes any id, and the state adds it after the declared ones.
func TestPromiseWire(t *testing.T) {
	origin := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	late := int64(3)
	e := Event{At: time.Hour, Source: "prom", Body: BacklogObservation{Waiting: 10, Late: &late,
		Promise: []PromiseCount{{Class: "next-day", Waiting: 4, Late: 3}, {Class: "freight", Waiting: 6}}}}
	line, err := EncodeEvent(e, origin)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"promise":[{"class":"next-day","waiting":4,"late":3},{"class":"freight","waiting":6}]`; !strings.Contains(string(line), want) {
		t.Errorf("encoded %s, want it to contain %s", line, want)
	}
	got, _, err := NewJournalDecoder(origin).Event(line)
	if err != nil || !reflect.DeepEqual(got, e) {
		t.Fatalf("round trip %s: %#v, %v", line, got, err)
	}
	// An old event has neither field, and encodes as it did.
	old, _ := EncodeEvent(Event{At: time.Hour, Body: BacklogObservation{Waiting: 10}}, origin)
	if strings.Contains(string(old), "late") || strings.Contains(string(old), "promise") {
		t.Errorf("an event without the new fields encodes them: %s", old)
	}

	var bad error
	NewWireDecoder("src", origin, nil).Decode([]byte(`{"at":"+1h","backlog":{"waiting":10,"promise":[{"class":"a","waiting":3}]}}`+"\n"),
		func(Event, bool) { t.Error("a split that does not add up was accepted") }, func(err error) { bad = err })
	if bad == nil || !strings.Contains(bad.Error(), "sums to 3, not waiting (10)") {
		t.Errorf("want the sum named, got %v", bad)
	}

	sc := &Scenario{PromiseClasses: []PromiseClassDef{{ID: "standard", Name: "Standard"}}}
	s := NewState(sc)
	Apply(&s, got)
	want := []PromiseClass{{"standard", "Standard"}, {"next-day", "next-day"}, {"freight", "freight"}}
	if !reflect.DeepEqual(s.Backlog.Classes, want) {
		t.Errorf("classes %+v, want %+v", s.Backlog.Classes, want)
	}
	// A clone's new class does not reach the original.
	c := s.Clone()
	Apply(&c, Event{At: 2 * time.Hour, Body: BacklogObservation{Waiting: 1, Promise: []PromiseCount{{Class: "x", Waiting: 1}}}})
	if len(s.Backlog.Classes) != 3 || len(c.Backlog.Classes) != 4 {
		t.Errorf("clone shares its classes: %d and %d", len(s.Backlog.Classes), len(c.Backlog.Classes))
	}
}

// A live source's class id is shown as the class's name: it is sanitised
// like every string from outside, and the event it came in is not edited.
func TestPromiseClassSanitised(t *testing.T) {
	split := []PromiseCount{{Class: "next\x1b[2Jday\x07", Waiting: 1}}
	e := SanitizeEvent(Event{Body: BacklogObservation{Waiting: 1, Promise: split}})
	if got := e.Body.(BacklogObservation).Promise[0].Class; got != "nextday" {
		t.Errorf("class %q, want the escape and the bell gone", got)
	}
	if split[0].Class != "next\x1b[2Jday\x07" {
		t.Error("the source's own list was edited")
	}
}
