package tui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// The first inject of the default scenario, and what only the facilitator
// may see of it.
const (
	firstInject    = "inj-first-status"
	firstTitle     = "Sellers are asking; you have no ETA"
	firstNotes     = "Teams tend to wait for an ETA"
	firstExpected  = "Post a first seller status within the hour"
	secondTitle    = "Stop all label hosts to speed up the fix?"
	facilitatorTag = "facilitator only"
)

// startAs runs the app as role on a room in a w×h terminal.
func startAs(tb testing.TB, r *room.Room, role Role, w, h int) *teatest.TestModel {
	tb.Helper()
	return teatest.NewTestModel(tb, New(r, Options{Responder: "ic", Role: role}), teatest.WithInitialTermSize(w, h))
}

// atFirstInject is a room paused right after the first inject's delivery.
func atFirstInject(tb testing.TB) *room.Room {
	tb.Helper()
	r := newRoom(tb, 0)
	s := r.NextInject()
	if in, ok := s.State.CurrentInject(); !ok || in.ID != firstInject {
		tb.Fatalf("fixture: the first inject is not %s", firstInject)
	}
	return r
}

// TestGoldenInject compares the same inject as the facilitator and a player
// see it, and checks the player's screen holds nothing of the script.
func TestGoldenInject(t *testing.T) {
	cases := []struct {
		role Role
		w, h int
	}{
		{RoleFacilitator, 120, 40}, {RolePlayer, 120, 40}, {RolePlayer, 80, 24}, {RoleFacilitator, 80, 24},
	}
	for _, c := range cases {
		t.Run(string(c.role)+"_"+itoa(c.w)+"x"+itoa(c.h), func(t *testing.T) {
			tm := startAs(t, atFirstInject(t), c.role, c.w, c.h)
			screen := finish(t, tm)
			checkFrame(t, screen, c.w, c.h)
			teatest.RequireEqualOutput(t, []byte(screen))
			if !strings.Contains(screen, "INJECT "+firstTitle) || !strings.Contains(screen, "Discuss:") {
				t.Errorf("the inject overlay should be open:\n%s", screen)
			}
			secret := []string{firstNotes, firstExpected, facilitatorTag, "Expected actions", "next inject", secondTitle}
			for _, s := range secret {
				switch has := strings.Contains(screen, s); {
				case c.role == RolePlayer && has:
					t.Errorf("player screen shows %q:\n%s", s, screen)
				case c.role == RoleFacilitator && c.w == 120 && !has:
					t.Errorf("facilitator screen lacks %q:\n%s", s, screen)
				}
			}
		})
	}
}

func TestDecideAndAs(t *testing.T) {
	r := atFirstInject(t)
	tm := startAs(t, r, RolePlayer, 120, 40)
	keys(tm, ":")
	typeText(tm, "decide post a holding status now")
	keys(tm, "<enter>", ":")
	typeText(tm, "as ana")
	keys(tm, "<enter>", ":")
	typeText(tm, "decide comms owns seller status")
	keys(tm, "<enter>")
	screen := finish(t, tm)
	decs := r.Snapshot().State.Decisions
	if len(decs) != 2 {
		t.Fatalf("%d decisions, want 2", len(decs))
	}
	want := [][2]string{{"ic", "post a holding status now"}, {"ana", "comms owns seller status"}}
	for i, d := range decs {
		if d.By != want[i][0] || d.Text != want[i][1] || d.Inject != firstInject || d.Wall.IsZero() {
			t.Errorf("decision %d: %+v, want %s: %s on %s with a wall time", i, d, want[i][0], want[i][1], firstInject)
		}
	}
	for _, s := range []string{"T+01:50 ic: post a holding status now", "T+01:50 ana: comms owns seller status",
		"decision (ana): comms owns seller status"} {
		if !strings.Contains(screen, s) {
			t.Errorf("screen should show %q:\n%s", s, screen)
		}
	}

	tm = startAs(t, r, RolePlayer, 120, 40)
	keys(tm, "<esc>", ":")
	typeText(tm, "as bo")
	keys(tm, "<enter>")
	if screen := finish(t, tm); !strings.Contains(screen, " you are bo") {
		t.Errorf(":as should say who you are:\n%s", screen)
	}

	tm = startAs(t, newRoom(t, 0), RolePlayer, 120, 40)
	keys(tm, ":")
	typeText(tm, "decide too early")
	keys(tm, "<enter>")
	if screen := finish(t, tm); !strings.Contains(screen, "✗ no inject delivered yet") {
		t.Errorf("a decision before any inject should fail:\n%s", screen)
	}
}

func TestExpectedCheckChangesScore(t *testing.T) {
	r := atFirstInject(t)
	if got := r.Snapshot().State.Injects[0].Score(); got != "" { // delivered, not scored yet
		t.Fatalf("score before any check: %q", got)
	}
	tm := startAs(t, r, RoleFacilitator, 120, 40)
	keys(tm, "1", "3")
	screen := finish(t, tm)
	in := r.Snapshot().State.Injects[0]
	if !in.Checked[0] || in.Checked[1] || !in.Checked[2] || in.Score() != "partly" {
		t.Fatalf("after 1 and 3: checked %v, score %s", in.Checked, in.Score())
	}
	for _, s := range []string{"[x] 1 " + firstExpected, "[ ] 2 ", "score: partly (2 of 4)"} {
		if !strings.Contains(screen, s) {
			t.Errorf("overlay should show %q:\n%s", s, screen)
		}
	}

	// 1 again unchecks; a player's digits change nothing.
	tm = startAs(t, r, RoleFacilitator, 120, 40)
	keys(tm, "1")
	finish(t, tm)
	tm = startAs(t, r, RolePlayer, 120, 40)
	keys(tm, "2", "4")
	finish(t, tm)
	in = r.Snapshot().State.Injects[0]
	if in.Checked[0] || in.Checked[1] || !in.Checked[2] || in.Checked[3] {
		t.Errorf("checked %v, want only 3", in.Checked)
	}
}

func TestFacilitatorControls(t *testing.T) {
	r := newRoom(t, 0)
	status := func(id string) model.InjectStatus {
		in, _ := r.Snapshot().State.InjectByID(id)
		return in.Status
	}
	step := func(k, wantStatus string) string {
		t.Helper()
		tm := startAs(t, r, RoleFacilitator, 120, 40)
		keys(tm, k)
		screen := finish(t, tm)
		if !strings.Contains(screen, wantStatus) {
			t.Errorf("after %s the status line should read %q:\n%s", k, wantStatus, screen)
		}
		return screen
	}
	screen := step("H", "held: "+firstTitle)
	if status(firstInject) != model.InjectHeld || !strings.Contains(screen, "(held)") {
		t.Errorf("H: %s is %s, want held and shown held in the strip", firstInject, status(firstInject))
	}
	step("H", "released: "+firstTitle)
	if status(firstInject) != model.InjectPending {
		t.Errorf("H on a held inject: %s, want pending", status(firstInject))
	}
	screen = step("S", "skipped: "+firstTitle)
	if status(firstInject) != model.InjectSkipped || !strings.Contains(screen, "next inject T+02:45 "+secondTitle) {
		t.Errorf("S: %s is %s; the strip should name the next one:\n%s", firstInject, status(firstInject), screen)
	}
	screen = step("F", "fired: "+secondTitle)
	if status("inj-stop-label") != model.InjectFired || !strings.Contains(screen, "INJECT "+secondTitle) {
		t.Errorf("F should deliver %s and open it:\n%s", secondTitle, screen)
	}
	if !r.Snapshot().PauseOnInject {
		t.Fatal("pause on inject should start on")
	}
	step("P", "pause on inject: off")
	if r.Snapshot().PauseOnInject {
		t.Error("P should turn pause on inject off")
	}

	// A player is refused every one of them, and sees nothing of what the
	// facilitator did to injects not delivered.
	before := r.Snapshot()
	for _, k := range []string{"F", "S", "H", "P"} {
		tm := startAs(t, r, RolePlayer, 120, 40)
		keys(tm, "<esc>", k)
		screen := finish(t, tm)
		if !strings.Contains(screen, "✗ facilitator only") {
			t.Errorf("player pressing %s: want \"facilitator only\":\n%s", k, screen)
		}
		if strings.Contains(screen, "facilitator held") || strings.Contains(screen, "facilitator skipped") || strings.Contains(screen, "next inject") {
			t.Errorf("player timeline shows the facilitator's queue:\n%s", screen)
		}
	}
	if after := r.Snapshot(); after.Pos != before.Pos || after.PauseOnInject != before.PauseOnInject {
		t.Error("a player's F/S/H/P changed the room")
	}
}

func TestWhatIf(t *testing.T) {
	r := newRoom(t, 30*time.Hour)
	tm := startAs(t, r, RoleFacilitator, 120, 40)
	keys(tm, ":")
	typeText(tm, "whatif 0.8 from T+8h")
	keys(tm, "<enter>")
	screen := finish(t, tm)
	s := r.Snapshot()
	if want := (model.WhatIf{Factor: 0.8, From: 8 * time.Hour, By: "ic"}); s.State.WhatIf != want {
		t.Fatalf("WhatIf %+v, want %+v", s.State.WhatIf, want)
	}
	base := s.State.BacklogForecast()
	wf := model.ForecastWhatIf(s.State.Backlog.Points, s.Clock, model.ForecastOptions{Target: s.State.Backlog.Baseline()}, s.State.WhatIf)
	if !base.Draining || !wf.Draining || wf.ETA <= base.ETA {
		t.Fatalf("fixture at T+30h: want both draining and the what-if later: %v / %v", base, wf)
	}
	pane := strings.Join(paneLines(t, screen, "2 Delivery backlog"), "\n")
	for _, want := range []string{
		"ETA " + NewStyles(nil).wallShort(s.Scenario.WallTime(base.ETA)),
		"what-if ×0.8 from T+08:00: ETA " + NewStyles(nil).wallShort(s.Scenario.WallTime(wf.ETA)),
		"(+" + shortSpan(wf.ETA-base.ETA) + ")",
	} {
		if !strings.Contains(pane, want) {
			t.Errorf("backlog pane should show %q:\n%s", want, pane)
		}
	}

	// 80×24 keeps the what-if ETA in its short form.
	tm = startAs(t, r, RolePlayer, 80, 24)
	screen = finish(t, tm)
	checkFrame(t, screen, 80, 24)
	pane = strings.Join(paneLines(t, screen, "2 Delivery backlog"), "\n")
	if !strings.Contains(pane, "×0.8") || !strings.Contains(pane, NewStyles(nil).wallShort(s.Scenario.WallTime(wf.ETA))) {
		t.Errorf("80×24 backlog pane should show the what-if ETA:\n%s", pane)
	}

	// A player may not set one; off clears it.
	tm = startAs(t, r, RolePlayer, 120, 40)
	keys(tm, ":")
	typeText(tm, "whatif 2")
	keys(tm, "<enter>")
	if screen := finish(t, tm); !strings.Contains(screen, "✗ facilitator only") || r.Snapshot().State.WhatIf.Factor != 0.8 {
		t.Errorf("player :whatif should be refused:\n%s", screen)
	}
	tm = startAs(t, r, RoleFacilitator, 120, 40)
	keys(tm, ":")
	typeText(tm, "whatif off")
	keys(tm, "<enter>")
	screen = finish(t, tm)
	if r.Snapshot().State.WhatIf.Factor != 0 || strings.Contains(screen, "what-if ×") {
		t.Errorf(":whatif off should clear it:\n%s", screen)
	}
}

func TestParseWhatIf(t *testing.T) {
	now := 5 * time.Hour
	for _, c := range []struct {
		in   string
		want model.WhatIf
		err  bool
	}{
		{"0.8 from T+8h", model.WhatIf{Factor: 0.8, From: 8 * time.Hour}, false},
		{"2", model.WhatIf{Factor: 2, From: now}, false},
		{"×1.5 T+12:30", model.WhatIf{Factor: 1.5, From: 12*time.Hour + 30*time.Minute}, false},
		{"off", model.WhatIf{}, false},
		{"", model.WhatIf{}, true},
		{"0", model.WhatIf{}, true},
		{"-1", model.WhatIf{}, true},
		{"fast", model.WhatIf{}, true},
		{"0.8 from", model.WhatIf{}, true},
		{"0.8 from tomorrow", model.WhatIf{}, true},
		{"0.8 from T-2h", model.WhatIf{}, true},
	} {
		got, err := parseWhatIf(c.in, now)
		if (err != nil) != c.err || (!c.err && got != c.want) {
			t.Errorf("parseWhatIf(%q) = %+v, %v; want %+v, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

// TestInjectOverlayOnce: a closed inject does not come back by itself when
// the replay steps back and forward over it; I brings it back.
func TestInjectOverlayOnce(t *testing.T) {
	tm := startAs(t, atFirstInject(t), RolePlayer, 120, 40)
	keys(tm, "<esc>", "p", "n")
	if screen := finish(t, tm); strings.Contains(screen, "INJECT "+firstTitle+" ·") {
		t.Errorf("a closed inject must not reopen by itself:\n%s", screen)
	}
	tm = startAs(t, atFirstInject(t), RolePlayer, 120, 40)
	keys(tm, "<esc>", "I")
	if screen := finish(t, tm); !strings.Contains(screen, "INJECT "+firstTitle+" ·") {
		t.Errorf("I should reopen the current inject:\n%s", screen)
	}
	// Playing into an inject opens it: the room pauses there.
	tm = startAs(t, newRoom(t, 0), RolePlayer, 120, 40)
	keys(tm, ":")
	typeText(tm, "speed 3600")
	keys(tm, "<enter>", "<space>")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "INJECT "+firstTitle+" ·") },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	finish(t, tm)
}

func TestDebriefKey(t *testing.T) {
	r := atFirstInject(t)
	r.Act("ic", model.Decision{By: "ic", Text: "hold the status until 07:00"}, "")
	tm := startAs(t, r, RolePlayer, 120, 40)
	keys(tm, "<esc>", "D")
	screen := finish(t, tm)
	checkFrame(t, screen, 120, 40)
	for _, s := range []string{"Debrief", "BACKLOG", "FORECAST AT EACH INJECT", "INJECTS", firstTitle,
		"first decision after 0m", "T+01:50 ic: hold the status until 07:00", "11 more not delivered"} {
		if !strings.Contains(screen, s) {
			t.Errorf("debrief should show %q:\n%s", s, screen)
		}
	}
	for _, s := range []string{secondTitle, firstExpected, firstNotes} {
		if strings.Contains(screen, s) {
			t.Errorf("player debrief shows %q:\n%s", s, screen)
		}
	}

	tm = startAs(t, r, RoleFacilitator, 120, 40)
	keys(tm, "<esc>", "D")
	screen = finish(t, tm)
	for _, s := range []string{firstExpected, secondTitle + " ", "pending · scheduled T+02:45"} {
		if !strings.Contains(screen, s) {
			t.Errorf("facilitator debrief should show %q:\n%s", s, screen)
		}
	}

	tm = startAs(t, r, RoleFacilitator, 120, 40)
	keys(tm, "<esc>", "D", "G", "<esc>")
	if screen := finish(t, tm); strings.Contains(screen, "Debrief") {
		t.Errorf("esc should close the debrief:\n%s", screen)
	}
}

func TestDebriefScrolls(t *testing.T) {
	a := New(newRoom(t, 80*time.Hour), Options{Responder: "ic", Role: RoleFacilitator}).(*app)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, m := range keyMsgs("D") {
		a.Update(m)
	}
	top := a.View()
	for _, m := range keyMsgs("j", "j") {
		a.Update(m)
	}
	a.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	down := a.View()
	if top == down || !strings.Contains(top, "BACKLOG") || strings.Contains(down, "BACKLOG") {
		t.Errorf("j and pgdn should scroll the debrief:\n%s\n---\n%s", top, down)
	}
	a.Update(tea.KeyMsg{Type: tea.KeyPgUp})
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")})
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")})
	if a.View() != top {
		t.Error("k and pgup should scroll back to the top")
	}
}

// TestDebriefAtEnd plays into the end of the replay: the debrief opens by
// itself, once.
func TestDebriefAtEnd(t *testing.T) {
	r := newRoom(t, 76*time.Hour)
	tm := startAs(t, r, RolePlayer, 120, 40)
	keys(tm, ":")
	typeText(tm, "speed 3600")
	keys(tm, "<enter>", "<space>")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "Debrief —") },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	keys(tm, "<esc>", "n")
	if screen := finish(t, tm); strings.Contains(screen, "Debrief —") {
		t.Errorf("the debrief opens by itself once:\n%s", screen)
	}
	if s := r.Snapshot(); !atEnd(s) {
		t.Errorf("replay should be at its end: pos %d/%d clock %v/%v", s.Pos, s.Len, s.Clock, s.End)
	}
}

func TestDebriefOut(t *testing.T) {
	r := atFirstInject(t)
	r.Act("ic", model.Decision{By: "ic", Text: "post now"}, "")
	path := filepath.Join(t.TempDir(), "debrief.md")
	if err := afterRun(r, Options{DebriefOut: path}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"# Debrief", "### " + firstTitle, "post now"} {
		if !strings.Contains(string(data), s) {
			t.Errorf("debrief file lacks %q:\n%s", s, data)
		}
	}
	if err := afterRun(r, Options{}); err != nil {
		t.Errorf("no DebriefOut: %v", err)
	}
	err = afterRun(r, Options{DebriefOut: filepath.Join(t.TempDir(), "missing", "debrief.md")})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "debrief") {
		t.Errorf("writing into a missing directory: %v", err)
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"": RolePlayer, "player": RolePlayer, "Facilitator": RoleFacilitator} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseRole("observer"); err == nil {
		t.Error("ParseRole(observer) should fail")
	}
}

// TestHelpByRole: the facilitator's keys and commands are listed only for
// the facilitator; everyone gets I and D.
func TestHelpByRole(t *testing.T) {
	for _, role := range []Role{RolePlayer, RoleFacilitator} {
		tm := startAs(t, newRoom(t, 0), role, 120, 40)
		keys(tm, "?")
		screen := finish(t, tm)
		for _, s := range []string{"I show inject", "D debrief", ":decide TEXT", ":as NAME"} {
			if !strings.Contains(screen, s) {
				t.Errorf("%s help should list %q:\n%s", role, s, screen)
			}
		}
		for _, s := range []string{"F fire next inject", "S skip next inject", "H hold/release next", "P pause on inject", "1-9 check expected", ":whatif"} {
			if has := strings.Contains(screen, s); has != (role == RoleFacilitator) {
				t.Errorf("%s help: %q listed %v:\n%s", role, s, has, screen)
			}
		}
	}
}

// TestIdleWithInjectOpen: the facilitator's console, paused on an inject
// with its overlay open, writes nothing while nothing happens.
func TestIdleWithInjectOpen(t *testing.T) {
	tm := startAs(t, atFirstInject(t), RoleFacilitator, 120, 40)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "Expected actions") },
		teatest.WithDuration(3*time.Second))
	time.Sleep(200 * time.Millisecond)
	_, _ = io.ReadAll(tm.Output())
	time.Sleep(700 * time.Millisecond)
	if idle, _ := io.ReadAll(tm.Output()); len(idle) != 0 {
		t.Errorf("paused console wrote %d bytes", len(idle))
	}
	finish(t, tm)
}
