package room

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// TestObservationReachesEveryConsoleAndTheJournal: a facilitator's
// observation is an action of the room: a second console's subscription
// gets it, the journal holds it in the wire format, and the room opened
// again on the journal has it, with the hot wash's other records.
func TestObservationReachesEveryConsoleAndTheJournal(t *testing.T) {
	jr := openJournaled(t)
	sc, r := jr.sc, jr.r
	fac := r.Join(Member{Name: "fac", Role: RoleCommander}, "s1")
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s2")
	cy := r.Join(Member{Name: "cy", Role: RoleObserver}, "s3")
	second, stop := r.Subscribe() // bo's console
	defer stop()
	must := mustAct(t)
	must(fac.Seek(2 * time.Hour))
	<-second // the seek

	obs := model.Observation{Text: "nobody asked the carriers for an ETA", Inject: "inj-first-status", By: "fac"}
	if _, err := bo.Act(obs, ""); err == nil || !strings.Contains(err.Error(), "commander") {
		t.Errorf("a responder's observation: %v", err)
	}
	if _, err := fac.Act(model.Observation{Text: "x", Inject: "inj-nope"}, ""); err == nil || !strings.Contains(err.Error(), `no inject "inj-nope"`) {
		t.Errorf("an observation of an unknown inject: %v", err)
	}
	must(fac.Act(obs, ""))
	select {
	case snap := <-second:
		if o := snap.State.HotWash.Observations; len(o) != 1 || o[0].Text != obs.Text || o[0].By != "fac" || o[0].At != 2*time.Hour {
			t.Errorf("the second console got observations %+v", o)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second console got no snapshot with the observation")
	}
	if _, err := cy.Act(model.Finding{Type: model.FindingStrength, Text: "x"}, ""); err == nil || !strings.Contains(err.Error(), "observer") {
		t.Errorf("an observer's finding: %v", err)
	}
	must(bo.Act(model.Finding{Type: model.FindingImprovement, Text: "seller notice came late", By: "bo"}, ""))
	if _, err := fac.Act(model.ActionItem{Text: "t", Owner: "o", Due: "2024-02-30"}, ""); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("an action item due on no date: %v", err)
	}
	must(fac.Act(model.ActionItem{Text: "template the seller notice", Owner: "comms", Due: "2024-08-02", Finding: "F1", By: "fac"}, ""))
	must(fac.Act(model.ScoreComment{Inject: "inj-first-status", Text: "status went out at T+01:40", By: "fac"}, ""))
	must(fac.Act(model.Inject{ID: "adhoc-1", Title: "A reporter calls", Prompt: "What do you say?"}, ""))
	if _, err := fac.Act(model.Inject{ID: "adhoc-1", Title: "again", Prompt: "?"}, ""); err == nil {
		t.Error("a second inject with the same id was taken")
	}
	before := r.Snapshot()
	jr.restart()
	j2 := jr.j
	var kinds []string
	if err := j2.Entries(func(e journal.Entry) error {
		if e.Kind == journal.KindAction && e.Event.Body != nil {
			kinds = append(kinds, string(e.Event.Body.Kind()))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds, " "); got != "observation finding action-item score-comment inject" {
		t.Errorf("journaled actions %q", got)
	}
	rebuilt, err := ScenarioOf(j2)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Objectives) == 0 || !reflect.DeepEqual(rebuilt.Objectives, sc.Objectives) {
		t.Errorf("the journal's scenario has objectives %+v, want the scenario's %+v", rebuilt.Objectives, sc.Objectives)
	}
	after := jr.r.Snapshot()
	same(t, "restored", after, before)
	hw := after.State.HotWash
	if len(hw.Observations) != 1 || hw.Observations[0].Text != obs.Text || len(hw.ActionItems) != 1 || hw.ActionItems[0].Finding != "F1" {
		t.Errorf("restored hot wash %+v", hw)
	}
	if in, _ := after.State.InjectByID("adhoc-1"); !in.AdHoc || in.AddedBy != "fac" || in.Status != model.InjectFired {
		t.Errorf("restored ad-hoc inject %+v", in)
	}
}
