package room

import (
	"bytes"
	"encoding/gob"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// gobCodec stores events for these tests; the product stores the wire
// format (feed), whose own tests check its round trip.
type gobCodec struct{}

func init() {
	for _, b := range []model.Body{model.HostStatus{}, model.BacklogObservation{}, model.CarrierWarning{},
		model.SellerComplaint{}, model.RunbookStepChange{}, model.Inject{}, model.Note{}, model.StatusUpdate{},
		model.Acknowledgement{}, model.SourceHealth{}, model.InjectControl{}, model.Decision{},
		model.ExpectedCheck{}, model.WhatIf{}} {
		gob.Register(b)
	}
}

func (gobCodec) EncodeEvent(e model.Event) ([]byte, error) {
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(&e)
	return b.Bytes(), err
}

func (gobCodec) DecodeEvent(data []byte) (model.Event, error) {
	var e model.Event
	err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e)
	return e, err
}

func openJournal(t *testing.T, path string, sc *model.Scenario, live bool) *journal.SQLite {
	t.Helper()
	j, err := journal.Open(path, gobCodec{}, JournalHeader(sc, live))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

// mustAct is a check that an action or a move was taken.
func mustAct(t *testing.T) func(Snapshot, error) {
	return func(_ Snapshot, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// same fails unless two snapshots show the same room: state, clock,
// position, playing, speed, inject times.
func same(t *testing.T, what string, got, want Snapshot) {
	t.Helper()
	g, w := got.State, want.State
	g.Epoch, w.Epoch = 0, 0
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: the state differs:\n got  hosts %+v warnings %+v runbook %+v decisions %+v injects %+v\n want hosts %+v warnings %+v runbook %+v decisions %+v injects %+v",
			what, g.Hosts, g.Warnings, g.Runbook, g.Decisions, g.Injects, w.Hosts, w.Warnings, w.Runbook, w.Decisions, w.Injects)
	}
	if got.Clock != want.Clock || got.Pos != want.Pos || got.Len != want.Len || got.Playing != want.Playing ||
		got.Speed != want.Speed || got.PauseOnInject != want.PauseOnInject {
		t.Errorf("%s: clock %v pos %d/%d playing %v speed %v pause %v; want %v %d/%d %v %v %v", what,
			got.Clock, got.Pos, got.Len, got.Playing, got.Speed, got.PauseOnInject,
			want.Clock, want.Pos, want.Len, want.Playing, want.Speed, want.PauseOnInject)
	}
	if !reflect.DeepEqual(got.Shown, want.Shown) {
		t.Errorf("%s: inject times %v, want %v", what, got.Shown, want.Shown)
	}
}

// TestRestoreReplay: an exercise restarted on its journal is the same room:
// every action in its place, the clock where it stood, the speed, the
// inject's delivery time and its score.
func TestRestoreReplay(t *testing.T) {
	sc := scenario()
	sc.Events[3].Body = model.Inject{ID: "i", Title: "decide", Expected: []string{"tell sellers"}}
	sc.PromiseClasses = []model.PromiseClassDef{{ID: "next-day", Name: "next-day (Prime)"}}
	path := filepath.Join(t.TempDir(), "incident.db")
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	j := openJournal(t, path, sc, false)
	r, err := Open(sc, j, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	ana := r.Join(Member{Name: "ana", Role: RoleCommander}, "s1")
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s2")
	must := mustAct(t)
	must(ana.Seek(90 * time.Minute))
	must(bo.Act(model.Acknowledgement{Warning: "w", By: "bo"}, ""))
	must(bo.Act(model.Note{Author: "bo", Text: "first"}, ""))
	must(ana.Next())
	must(bo.Act(model.RunbookStepChange{Step: "reboot", State: model.StepDone, By: "bo"}, ""))
	must(ana.Seek(3 * time.Hour)) // the inject is delivered
	now = now.Add(time.Minute)
	must(bo.Act(model.Decision{By: "bo", Text: "hold"}, ""))
	must(ana.Act(model.ExpectedCheck{Inject: "i", Item: 0, Done: true}, ""))
	must(ana.Prev())
	must(ana.SetSpeed(300))
	must(ana.SetPauseOnInject(false))
	before := r.Snapshot()
	ana.Leave()
	r.Close()
	j.Close()

	j2 := openJournal(t, path, sc, false)
	r2, err := Open(sc, j2, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	same(t, "restored", r2.Snapshot(), before)
	if s := r2.Snapshot(); len(s.Present) != 0 {
		t.Errorf("nobody is in a restored room until they come back: %+v", s.Present)
	}
	// Going back and forth in the restored room gives what the first one
	// gave: the actions are where they were, not at the end.
	r.Seek(100 * time.Minute)
	r2.Seek(100 * time.Minute)
	same(t, "both at T+01:40", r2.Snapshot(), r.Snapshot())
}

// TestRestoreLive: a live room restarted on its journal holds every event
// its sources brought, late ones where they belong, and every action.
func TestRestoreLive(t *testing.T) {
	sc := scenario()
	sc.Events = nil
	path := filepath.Join(t.TempDir(), "live.db")
	now := sc.Meta.Start.Add(6 * time.Hour)
	clock := func() time.Time { return now }
	j := openJournal(t, path, sc, true)
	r, err := OpenLive(sc, j, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s")
	for i := range 30 {
		at := time.Duration(i) * 10 * time.Minute
		r.Ingest([]model.Event{
			{At: at, Source: "fleet", Body: model.HostStatus{Group: "wms", Recovered: i % 10, Failed: 10 - i%10}},
			{At: at - 25*time.Minute, Source: "late", Body: model.StatusUpdate{From: "late", Text: "late"}},
		})
		if i == 10 {
			r.Ingest([]model.Event{{At: at, Body: model.CarrierWarning{ID: "w", Carrier: "ups", Severity: model.SeverityMinor, Headline: "h"}}})
			if _, err := bo.Act(model.Acknowledgement{Warning: "w", By: "bo"}, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := r.Snapshot()
	r.Close()
	j.Close()

	r2, err := OpenLive(sc, openJournal(t, path, sc, true), WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	same(t, "restored live room", r2.Snapshot(), before)
}

// TestJournalOfAnotherIncident: a journal is reopened only for the
// incident it belongs to.
func TestJournalOfAnotherIncident(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incident.db")
	sc := scenario()
	openJournal(t, path, sc, false).Close()
	other := scenario()
	other.Events = other.Events[:2]
	_, err := journal.Open(path, gobCodec{}, JournalHeader(other, false))
	if !errors.Is(err, journal.ErrMismatch) {
		t.Fatalf("another scenario's journal: %v, want ErrMismatch", err)
	}
	if _, err := journal.Open(path, gobCodec{}, JournalHeader(sc, true)); !errors.Is(err, journal.ErrMismatch) {
		t.Fatalf("a live room on a scenario's journal: %v, want ErrMismatch", err)
	}
}

// TestRefusedActionIsNotJournaled: an action the room refuses never reaches
// the journal.
func TestRefusedActionIsNotJournaled(t *testing.T) {
	sc := scenario()
	path := filepath.Join(t.TempDir(), "incident.db")
	j := openJournal(t, path, sc, false)
	r, err := Open(sc, j)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	obs := r.Join(Member{Name: "cy", Role: RoleObserver}, "s")
	rsp := r.Join(Member{Name: "bo", Role: RoleResponder}, "s2")
	obs.Act(model.Note{Author: "cy", Text: "no"}, "")
	rsp.Act(model.Acknowledgement{Warning: "missing", By: "bo"}, "")
	n := 0
	if err := j.Entries(func(e journal.Entry) error {
		if e.Kind == journal.KindAction {
			n++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d refused actions reached the journal", n)
	}
}

// TestRestoreWithTheWireCodec: the default scenario's exercise, journaled
// in the wire format as the product does, restores exactly: every kind of
// action, the clock, the speed.
func TestRestoreWithTheWireCodec(t *testing.T) {
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	codec := model.NewJournalCodec(sc.Meta.Start)
	path := filepath.Join(t.TempDir(), "incident.db")
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	j, err := journal.Open(path, codec, JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(sc, j, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	ana := r.Join(Member{Name: "ana", Role: RoleCommander}, "s1")
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s2")
	must := mustAct(t)
	must(ana.NextInject())
	in, _ := r.Snapshot().State.CurrentInject()
	now = now.Add(90 * time.Second)
	must(bo.Act(model.Decision{By: "bo", Text: "post the status now"}, ""))
	must(ana.Act(model.ExpectedCheck{Inject: in.ID, Item: 0, Done: true, By: "ana"}, ""))
	must(ana.Seek(7 * time.Hour))
	st := r.Snapshot().State
	var open string
	for _, w := range st.Warnings {
		if w.NeedsAck() {
			open = w.ID
		}
	}
	if open == "" {
		t.Fatal("fixture: an unacknowledged warning at T+7h")
	}
	must(bo.Act(model.Acknowledgement{Warning: open, By: "bo"}, ""))
	must(bo.Act(model.RunbookStepChange{Step: st.Runbook[1].ID, State: model.StepDone, By: "bo"}, ""))
	must(bo.Act(model.Note{Author: "bo", Text: "label hosts: manual path only"}, ""))
	must(ana.Act(model.WhatIf{Factor: 0.8, From: 8 * time.Hour, By: "ana"}, ""))
	next, _ := r.Snapshot().State.NextInject()
	must(ana.Act(model.InjectControl{Inject: next.ID, Action: model.InjectHold, By: "ana"}, ""))
	must(ana.SetSpeed(600))
	must(ana.Prev())
	before := r.Snapshot()
	r.Close()
	j.Close()

	j2, err := journal.Open(path, codec, JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	r2, err := Open(sc, j2, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	same(t, "restored through the wire format", r2.Snapshot(), before)
}

// TestScenarioOfJournal: the journal alone rebuilds the room it was made
// for, with its declarations and events, so that a debrief can be written
// after the room is gone.
func TestScenarioOfJournal(t *testing.T) {
	sc := scenario()
	sc.Events[3].Body = model.Inject{ID: "i", Title: "decide", Expected: []string{"tell sellers"}}
	sc.PromiseClasses = []model.PromiseClassDef{{ID: "next-day", Name: "next-day (Prime)"}}
	path := filepath.Join(t.TempDir(), "incident.db")
	j := openJournal(t, path, sc, false)
	r, err := Open(sc, j)
	if err != nil {
		t.Fatal(err)
	}
	r.Seek(3 * time.Hour)
	if _, err := r.Act("bo", model.Decision{By: "bo", Text: "hold"}, ""); err != nil {
		t.Fatal(err)
	}
	before := r.Snapshot()
	r.Close()
	j.Close()

	j2, err := journal.OpenExisting(path, gobCodec{})
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	rebuilt, err := ScenarioOf(j2)
	if err != nil {
		t.Fatal(err)
	}
	if rebuilt.Meta.Title != sc.Meta.Title || len(rebuilt.HostGroups) != 1 || len(rebuilt.Events) != len(sc.Events) {
		t.Fatalf("rebuilt scenario: %+v", rebuilt)
	}
	if len(rebuilt.PromiseClasses) != 1 || rebuilt.PromiseClasses[0] != sc.PromiseClasses[0] {
		t.Errorf("rebuilt promise classes %+v, want %+v", rebuilt.PromiseClasses, sc.PromiseClasses)
	}
	if Identity(rebuilt, false) != Identity(sc, false) {
		t.Error("the rebuilt scenario is not the one the journal was made for")
	}
	r2, err := Replay(rebuilt, j2)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	same(t, "rebuilt from the journal alone", r2.Snapshot(), before)
}
