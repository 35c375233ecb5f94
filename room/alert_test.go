package room

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// TestAlertAckJournaled: acknowledging an alert is a responder's action:
// refused to an observer and for an alert with nothing to acknowledge,
// journaled through the wire format, and there again in the restored room
// and in the scenario rebuilt from the journal alone.
func TestAlertAckJournaled(t *testing.T) {
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	codec := model.NewJournalCodec(sc.Meta.Start)
	path := filepath.Join(t.TempDir(), "incident.db")
	j, err := journal.Open(path, codec, JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(sc, j)
	if err != nil {
		t.Fatal(err)
	}
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
	r.Close()
	j.Close()

	j2, err := journal.Open(path, codec, JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	r2, err := Open(sc, j2)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
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
