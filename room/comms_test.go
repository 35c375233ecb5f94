package room

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// TestCommsSentJournaled: marking an update sent is a responder's action:
// refused to an observer and without text, journaled with its full text and
// sender, and there again, in the timeline and the sent list, in the room
// restored from the journal.
func TestCommsSentJournaled(t *testing.T) {
	jr := openJournaled(t)
	r := jr.r
	ana := r.Join(Member{Name: "ana", Role: RoleCommander}, "s1")
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s2")
	cy := r.Join(Member{Name: "cy", Role: RoleObserver}, "s3")
	must := mustAct(t)
	must(ana.Seek(12 * time.Hour))
	text := "Seller notice\n\nOrders are late.\x1b]52;c;ZXZpbA==\x07 ETA T+30h."
	if _, err := cy.Act(model.CommsSent{Template: "seller", Text: text}, ""); err == nil || !strings.Contains(err.Error(), "observer") {
		t.Errorf("an observer's sent update: %v", err)
	}
	if _, err := bo.Act(model.CommsSent{Template: "seller", Text: " \n"}, ""); err == nil {
		t.Error("a sent update without text was taken")
	}
	must(bo.Act(model.CommsSent{Template: "seller", Audience: "sellers", Text: text}, ""))
	before := r.Snapshot()
	jr.restart()
	r2 := jr.r
	same(t, "restored", r2.Snapshot(), before)
	st := r2.Snapshot().State
	clean := "Seller notice\n\nOrders are late. ETA T+30h."
	want := model.SentUpdate{At: 12 * time.Hour, By: "bo", Template: "seller", Audience: "sellers", Text: clean}
	if len(st.Sent) != 1 || st.Sent[0] != want {
		t.Fatalf("restored sent updates %+v, want [%+v]", st.Sent, want)
	}
	found := false
	for _, e := range st.Timeline {
		if e.Kind == model.KindCommsSent {
			found = true
			if e.Source != "responder:bo" || e.Text != "update sent (seller to sellers) by bo: Seller notice | Orders are late. ETA T+30h." {
				t.Errorf("timeline entry %+v", e)
			}
		}
	}
	if !found {
		t.Error("no sent update in the restored timeline")
	}
}
