package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// drillAt is the 30-minute drill paused at T+20m, its first three injects
// delivered.
func drillAt(tb testing.TB) *room.Room {
	tb.Helper()
	r := room.New(loadFixture(tb, "oncall-training-30m"), room.WithPauseOnInject(false))
	tb.Cleanup(r.Close)
	r.Seek(20 * time.Minute)
	return r
}

// hotWash is what the golden screens type, each command as one burst of
// runes (fast typing over SSH), the ':' with it.
var hotWash = []string{
	":observe nobody asked the carrier for a parcel count",
	":strength label servers were never stopped #safe-recovery",
	":improve the seller answer had no next-update time #communicate",
	":action add a next-update line to the seller template @comms_lead due 2024-08-02 #F2 #communicate",
	":comment facts right, no update time",
	":note seller status 2 went out at 05:38",
}

// TestGoldenHotWash: the hot wash captured in the console, then the
// debrief showing it: its first page (the plan), and its end (what the
// facilitator observed, the notes, the acknowledgements), at both sizes.
func TestGoldenHotWash(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		w, h := size[0], size[1]
		t.Run("capture_"+itoa(w)+"x"+itoa(h), func(t *testing.T) {
			tm := startAs(t, drillAt(t), RoleFacilitator, w, h)
			keys(tm, "<esc>") // the inject overlay
			for _, c := range hotWash {
				typeText(tm, c)
				keys(tm, "<enter>")
			}
			typeText(tm, ":hotwash")
			keys(tm, "<enter>")
			typeText(tm, ":action call Northline before the 06:00 pickup @oncall due 2024-07-2") // still typing
			screen := finish(t, tm)
			checkFrame(t, screen, w, h)
			for _, want := range []string{"HOT WASH", "OBJECTIVES", "safe-recovery", ":action call Northline"} {
				if !strings.Contains(screen, want) {
					t.Errorf("the capture screen lacks %q:\n%s", want, screen)
				}
			}
			teatest.RequireEqualOutput(t, []byte(screen))
		})
		t.Run("debrief_"+itoa(w)+"x"+itoa(h), func(t *testing.T) {
			r := drillAt(t)
			tm := startAs(t, r, RoleFacilitator, w, h)
			keys(tm, "<esc>")
			for _, c := range hotWash {
				typeText(tm, c)
				keys(tm, "<enter>")
			}
			keys(tm, "D", "G")
			screen := finish(t, tm)
			checkFrame(t, screen, w, h)
			teatest.RequireEqualOutput(t, []byte(screen))
			hw := r.Snapshot().State.HotWash
			if len(hw.Observations) != 1 || len(hw.Findings) != 2 || len(hw.ActionItems) != 1 || len(hw.ScoreComments) != 1 {
				t.Fatalf("the room holds %+v", hw)
			}
			if a := hw.ActionItems[0]; a.Owner != "comms lead" || a.Due != "2024-08-02" || a.Finding != "F2" || a.Objective != "communicate" ||
				a.Text != "add a next-update line to the seller template" {
				t.Errorf("action item %+v", a)
			}
			if c := hw.ScoreComments[0]; c.Inject != "inj-seller-status" {
				t.Errorf("the comment should go to the current inject: %+v", c)
			}
		})
	}
}

// TestHotWashCommands: what each command records, and the message when it
// cannot; the facilitator's own are refused to a player.
func TestHotWashCommands(t *testing.T) {
	tests := []struct {
		name    string
		role    Role
		command string
		check   func(*model.HotWashLog, *model.State) bool
		status  string
	}{
		{"strength", RolePlayer, ":strength quick triage",
			func(h *model.HotWashLog, _ *model.State) bool {
				return len(h.Findings) == 1 && h.Findings[0].Kind == model.FindingStrength && h.Findings[0].Text == "quick triage" && h.Findings[0].By == "ic"
			}, "strength F1 recorded"},
		{"improvement with an objective", RolePlayer, ":improve late seller answer #communicate",
			func(h *model.HotWashLog, _ *model.State) bool {
				return len(h.Findings) == 1 && h.Findings[0].Kind == model.FindingImprovement && h.Findings[0].Objective == "communicate"
			}, "area for improvement F1 recorded"},
		{"strength naming a responder and a date", RolePlayer, ":strength @ana kept the timeline due 2024-07-19 on time #assess",
			func(h *model.HotWashLog, _ *model.State) bool {
				return len(h.Findings) == 1 && h.Findings[0].Text == "@ana kept the timeline due 2024-07-19 on time" && h.Findings[0].Objective == "assess"
			}, "strength F1 recorded"},
		{"improvement naming a finding", RolePlayer, ":improve #F1 again: no next-update time",
			func(h *model.HotWashLog, _ *model.State) bool {
				return len(h.Findings) == 1 && h.Findings[0].Text == "#F1 again: no next-update time" && h.Findings[0].Objective == ""
			}, "area for improvement F1 recorded"},
		{"unknown objective", RolePlayer, ":improve x #speed", nil, `✗ there is no objective "speed" (assess, safe-recovery, communicate)`},
		{"action item", RolePlayer, ":action write the template @ana due 2024-08-02",
			func(h *model.HotWashLog, _ *model.State) bool {
				return len(h.ActionItems) == 1 && h.ActionItems[0].Owner == "ana" && h.ActionItems[0].Due == "2024-08-02"
			}, "action item 1: ana, due 2024-08-02"},
		{"action item without owner", RolePlayer, ":action write it due 2024-08-02", nil, "✗ usage: :action TEXT @owner due 2024-08-02"},
		{"action item on no date", RolePlayer, ":action write it @ana due 2024-02-30", nil, `✗ due "2024-02-30": expected a date YYYY-MM-DD`},
		{"action item for a finding there is not", RolePlayer, ":action x @ana due 2024-08-02 #F3", nil, `✗ there is no finding "F3"`},
		{"observation", RoleFacilitator, ":observe quiet bridge",
			func(h *model.HotWashLog, _ *model.State) bool {
				return len(h.Observations) == 1 && h.Observations[0].Inject == "inj-seller-status" && h.Observations[0].Text == "quiet bridge"
			}, "observation recorded on A seller asks whether to cancel"},
		{"a player's observation", RolePlayer, ":observe x", nil, "✗ an observation is the facilitator's"},
		{"score comment on a named inject", RoleFacilitator, ":comment #inj-first-minutes counted well",
			func(h *model.HotWashLog, _ *model.State) bool {
				return len(h.ScoreComments) == 1 && h.ScoreComments[0].Inject == "inj-first-minutes" && h.ScoreComments[0].Text == "counted well"
			}, "score comment on Your first five minutes on the bridge"},
		{"score comment on no inject", RoleFacilitator, ":comment #nope x", nil, `✗ there is no inject "nope"`},
		{"a player's score comment", RolePlayer, ":comment x", nil, "✗ a score comment is the facilitator's"},
		{"ad-hoc inject", RoleFacilitator, ":inject Truck leaves early — The driver will not wait. What now? | call Northline | split the load",
			func(_ *model.HotWashLog, s *model.State) bool {
				in, ok := s.InjectByID("adhoc-1")
				return ok && in.AdHoc && in.Status == model.InjectFired && in.Title == "Truck leaves early" &&
					in.Prompt == "The driver will not wait. What now?" && len(in.Expected) == 2
			}, "inject adhoc-1 delivered now: Truck leaves early"},
		{"ad-hoc inject without a prompt", RoleFacilitator, ":inject Truck leaves early", nil, "✗ usage: :inject TITLE — PROMPT"},
		{"a player's inject", RolePlayer, ":inject a - b", nil, "✗ adding an inject is the facilitator's"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := drillAt(t)
			a := New(r, Options{Responder: "ic", Role: tt.role}).(*app)
			screen := view(t, a, 120, 40, keyMsgs("<esc>", tt.command, "<enter>")...)
			st := r.Snapshot().State
			if tt.check != nil && !tt.check(&st.HotWash, &st) {
				t.Errorf("the room holds %+v", st.HotWash)
			}
			if tt.check == nil && (len(st.HotWash.Findings)+len(st.HotWash.ActionItems)+len(st.HotWash.Observations)+len(st.HotWash.ScoreComments) != 0) {
				t.Errorf("a refused command recorded %+v", st.HotWash)
			}
			if !strings.Contains(screen, tt.status) {
				t.Errorf("status line %q, want %q", lastLine(screen, 2), tt.status)
			}
		})
	}
}

// TestParseTags: the text of a command and its tags.
func TestParseTags(t *testing.T) {
	hw := &model.HotWashLog{Objectives: []model.ObjectiveDef{{ID: "comms"}, {ID: "f9"}}}
	tests := []struct {
		in   string
		want tagged
	}{
		{"fix it @ann due 2024-08-02 #comms #F2", tagged{text: "fix it", owner: "ann", due: "2024-08-02", dueGiven: true, objective: "comms", finding: "F2"}},
		{"  many   spaces  ", tagged{text: "many spaces"}},
		{"#f2 lower case finding", tagged{text: "lower case finding", finding: "F2"}},
		{"#f9 an objective that looks like a finding", tagged{text: "an objective that looks like a finding", objective: "f9"}},
		{"due is a word at the end due", tagged{text: "due is a word at the end due"}},
		{"send it due soon due 2024-8-2", tagged{text: "send it due soon", due: "2024-8-2", dueGiven: true}},
		{"# @ lone marks", tagged{text: "# @ lone marks"}},
	}
	for _, tt := range tests {
		if got := parseTags(tt.in, hw); got != tt.want {
			t.Errorf("parseTags(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// TestObservationReachesTheOtherConsoles: a facilitator's observation
// reaches the other consoles of a shared room: a second commander's
// debrief shows it, a responder's counts it without showing it.
func TestObservationReachesTheOtherConsoles(t *testing.T) {
	r := drillAt(t)
	ana := console(t, r, "ana", room.RoleCommander)
	cy := console(t, r, "cy", room.RoleCommander)
	bo := console(t, r, "bo", room.RoleResponder)
	view(t, ana, 120, 40, keyMsgs("<esc>", ":observe nobody asked the carrier", "<enter>")...)
	deliver(cy)
	deliver(bo)
	if o := bo.snap.State.HotWash.Observations; len(o) != 1 || o[0].By != "ana" {
		t.Fatalf("bo's console has observations %+v", o)
	}
	view(t, cy, 120, 40, keyMsgs("<esc>", "D")...)
	screen := view(t, cy, 120, 40, keyMsgs("G")...) // the page is laid out when first drawn
	if !strings.Contains(screen, "ana on A seller asks whether t…: nobody asked the carrier") {
		t.Errorf("cy's debrief should show ana's observation:\n%s", screen)
	}
	view(t, bo, 120, 40, keyMsgs("<esc>", "D")...)
	screen = view(t, bo, 120, 40, keyMsgs("G")...)
	if strings.Contains(screen, "nobody asked the carrier") || !strings.Contains(screen, "1 observation by the facilitator") {
		t.Errorf("bo's debrief should count the observation, not show it:\n%s", screen)
	}
	if strings.Contains(view(t, bo, 120, 40, keyMsgs("<esc>", "6", "z")...), "nobody asked the carrier") {
		t.Error("bo's timeline shows the facilitator's observation")
	}
}

// TestDebriefRefreshesOnANote: a note typed with the debrief open shows in
// it at once.
func TestDebriefRefreshesOnANote(t *testing.T) {
	a := New(drillAt(t), Options{Responder: "ic", Role: RoleFacilitator}).(*app)
	view(t, a, 120, 40, keyMsgs("<esc>", "D")...)
	view(t, a, 120, 40, keyMsgs("G")...)
	screen := view(t, a, 120, 40, keyMsgs(":note carrier called back", "<enter>")...)
	if !strings.Contains(screen, "T+00:20 ic: carrier called back") || !strings.Contains(screen, "Debrief") {
		t.Errorf("the open debrief should show the new note:\n%s", screen)
	}
}
