package room

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// TestAlertAckJournaled: acknowledging an alert is a responder's action:
// refused to an observer and for an alert with nothing to acknowledge,
// journaled through the wire format, and there again in the restored room
// and in the scenario rebuilt from the journal alone.
func TestAlertAckJournaled(t *testing.T) {
	jr := openJournaled(t)
	sc, r := jr.sc, jr.r
	ana := r.Join(Member{Name: "ana", Role: RoleCommander}, "s1")
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s2")
	cy := r.Join(Member{Name: "cy", Role: RoleObserver}, "s3")
	must := mustAct(t)
	must(ana.Seek(70 * time.Minute)) // label hosts stalled since T+01:08
	if _, err := cy.Act(model.AlertAck{Alert: "labels-stalled", By: "cy"}, ""); err == nil || !strings.Contains(err.Error(), "observer") {
		t.Errorf("an observer's ack: %v", err)
	}
	if _, err := bo.Act(model.AlertAck{Alert: "eta-slip", By: "bo"}, ""); err == nil {
		t.Error("an ack of an alert that never fired was taken")
	}
	must(bo.Act(model.AlertAck{Alert: "labels-stalled", By: "bo"}, ""))
	if _, err := bo.Act(model.AlertAck{Alert: "labels-stalled", By: "bo"}, ""); err == nil {
		t.Error("a second ack of the same firing was taken")
	}
	must(ana.Seek(3 * time.Hour))
	before := r.Snapshot()
	jr.restart()
	r2, j2 := jr.r, jr.j
	same(t, "restored", r2.Snapshot(), before)
	a, _ := r2.Snapshot().State.Alert("labels-stalled")
	if f, _ := a.Latest(); !f.Acked || f.AckedBy != "bo" || f.AckedAt != 70*time.Minute {
		t.Errorf("restored ack: %+v", f)
	}
	rebuilt, err := ScenarioOf(j2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rebuilt.Alerts) != len(sc.Alerts) || rebuilt.Alerts[0].ID != sc.Alerts[0].ID {
		t.Errorf("the journal's scenario has alerts %+v, want %d rules", rebuilt.Alerts, len(sc.Alerts))
	}
}
