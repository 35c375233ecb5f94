package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// The default scenario's report at T+30h, while the backlog drains.
func TestReportScenarioGolden(t *testing.T) {
	out, stderr, err := runCLI(t, "report", "--scenario", "crowdstrike-primeday-2024", "--at", "T+30h", "--format", "md")
	if err != nil {
		t.Fatalf("report: %v\n%s", err, stderr)
	}
	golden(t, "report-30h.md", out)
}

// writeDrillJournal runs the report drill in a room with a journal, as a
// facilitator and a responder would, the hot wash included, and closes it.
func writeDrillJournal(t *testing.T, dir string) string {
	t.Helper()
	sc, err := feed.OpenScenario(filepath.Join("testdata", "report-drill.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "drill.db")
	wall := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	r, err := openRoom(sc, false, path, room.WithPauseOnInject(false), room.WithClock(func() time.Time { return wall }))
	if err != nil {
		t.Fatal(err)
	}
	ana := r.Join(room.Member{Name: "ana", Role: room.RoleCommander}, "s1")
	ben := r.Join(room.Member{Name: "ben", Role: room.RoleResponder}, "s2")
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	act := func(by string, at time.Duration, body model.Body) {
		t.Helper()
		r.Seek(at)
		if _, err := r.Act(by, body, ""); err != nil {
			t.Fatalf("%s: %T: %v", by, body, err)
		}
	}
	act("ben", m(12), model.RunbookStepChange{Step: "identify", State: model.StepActive, By: "ben"})
	act("ben", m(15), model.Decision{By: "ben", Text: "check the sensor version on every down host"})
	act("ana", m(16), model.ExpectedCheck{Inject: "inj-scope", Item: 0, Done: true, By: "ana"})
	act("ana", m(16), model.ExpectedCheck{Inject: "inj-scope", Item: 1, Done: false, By: "ana"})
	act("ana", m(17), model.ScoreComment{Inject: "inj-scope", Text: "found the common factor; did not tag instance store", By: "ana"})
	act("ana", m(18), model.Observation{Inject: "inj-scope", Text: "ben went to the hosts' storage only when asked", By: "ana"})
	act("ben", m(25), model.RunbookStepChange{Step: "identify", State: model.StepDone, By: "ben"})
	act("ben", m(50), model.Acknowledgement{Warning: "nl-1", By: "ben"})
	act("ben", m(50), model.Note{Author: "ben", Text: "Northline pickups late; depot told to expect 2k parcels"})
	act("ana", m(68), model.Decision{By: "ana", Text: "post a seller status now, next update in 30 minutes"})
	act("ben", m(70), model.CommsSent{Template: "seller", Audience: "Seller Fulfilled Prime sellers", Text: "Labels are printing again at one site.\nNext update 07:00 UTC."})
	act("ana", m(72), model.ExpectedCheck{Inject: "inj-sellers", Item: 0, Done: true, By: "ana"})
	act("ana", m(73), model.Inject{ID: "inj-press", Title: "A reporter calls the site", Prompt: "A local reporter asks whether parcels are lost."})
	act("ben", m(74), model.Decision{Inject: "inj-press", By: "ben", Text: "refer the reporter to the press office"})
	act("ben", m(75), model.RunbookStepChange{Step: "reboot", State: model.StepActive, By: "ben"})
	act("ben", m(95), model.RunbookStepChange{Step: "reboot", State: model.StepDone, By: "ben"})
	act("ana", m(220), model.Finding{Type: model.FindingStrength, Text: "Seller status went out within the hour", Objective: "obj-comms", By: "ana"})
	act("ana", m(220), model.Finding{Type: model.FindingImprovement, Text: "Instance-store hosts were not tagged before the reboots", Objective: "obj-scope", By: "ana"})
	act("ana", m(220), model.ActionItem{Text: "Tag instance-store hosts in the inventory", Owner: "fleet-eng", Due: "2024-08-15", Objective: "obj-scope", Finding: "F2", By: "ana"})
	ben.Leave()
	ana.Leave()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// A small exercise's report from its journal alone: decisions with who and
// when, the runbook's timings, the warning's acknowledgement, the update
// sent, the hot wash with its improvement plan, the members and roles.
func TestReportJournalGolden(t *testing.T) {
	dir := t.TempDir()
	path := writeDrillJournal(t, dir)
	out, stderr, err := inDir(t, dir, "report", "--journal", path, "--format", "md")
	if err != nil {
		t.Fatalf("report: %v\n%s", err, stderr)
	}
	golden(t, "report-drill.md", out)
}

// --format html writes the page; so does an --out ending in .html.
func TestReportHTMLOut(t *testing.T) {
	dir := t.TempDir()
	path := writeDrillJournal(t, dir)
	for i, flags := range [][]string{{"--format", "html"}, nil} {
		out := filepath.Join(dir, fmt.Sprintf("drill%d.html", i))
		if _, stderr, err := runCLI(t, append([]string{"report", "--journal", path, "--out", out}, flags...)...); err != nil {
			t.Fatalf("report %v: %v\n%s", flags, err, stderr)
		}
		page, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"<!DOCTYPE html>", "<svg", "Improvement plan", "Tag instance-store hosts in the inventory", "fleet-eng", "2024-08-15"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("report %v: the page lacks %q", flags, want)
			}
		}
	}
}

func TestReportFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "give --journal FILE, or --at T"},
		{[]string{"report", "--scenario", "crowdstrike-primeday-2024"}, "give --journal FILE, or --at T"},
		{[]string{"report", "--journal", "x.db", "--scenario", "crowdstrike-primeday-2024"}, "give --journal alone"},
		{[]string{"report", "--scenario", "crowdstrike-primeday-2024", "--at", "T+1h", "--format", "pdf"}, `--format "pdf": want md or html`},
		{[]string{"report", "--scenario", "crowdstrike-primeday-2024", "--at", "soon"}, "--at:"},
		{[]string{"report", "--journal", filepath.Join(t.TempDir(), "none.db")}, "none.db"},
	} {
		_, stderr, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: error %v, stderr %q, want %q", tc.args, err, stderr, tc.want)
		}
	}
}

// --at alone reports on the default scenario, as sitrep and comms do.
func TestReportDefaultScenario(t *testing.T) {
	stdout, stderr, err := runCLI(t, "report", "--at", "T+6h")
	if err != nil {
		t.Fatalf("report --at T+6h: %v: %s", err, stderr)
	}
	if !strings.Contains(stdout, "# After-action report — CrowdStrike") || !strings.Contains(stdout, "at T+06:00") {
		t.Errorf("report --at T+6h should report on the default scenario at T+06:00:\n%.400s", stdout)
	}
}

// The report reads a journal once and folds its history itself: the state
// it gets is the one the room Replay restores from the same journal.
func TestReportStateIsTheReplaysState(t *testing.T) {
	path := writeDrillJournal(t, t.TempDir())
	r, err := replayJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := r.Snapshot()
	in, err := journalReport(path)
	if err != nil {
		t.Fatal(err)
	}
	got := in.State
	if got.Now != want.State.Now || got.Applied != want.State.Applied {
		t.Fatalf("state at %v after %d events, Replay's at %v after %d", got.Now, got.Applied, want.State.Now, want.State.Applied)
	}
	if !reflect.DeepEqual(model.BuildSitrep(in.Scenario, &got), model.BuildSitrep(want.Scenario, &want.State)) {
		t.Error("the sitreps differ")
	}
	for name, eq := range map[string]bool{
		"timeline":  reflect.DeepEqual(got.Timeline, want.State.Timeline),
		"decisions": reflect.DeepEqual(got.Decisions, want.State.Decisions),
		"injects":   reflect.DeepEqual(got.Injects, want.State.Injects),
		"sent":      reflect.DeepEqual(got.Sent, want.State.Sent),
		"hot wash":  reflect.DeepEqual(model.BuildHotWash(in.Scenario, &got), model.BuildHotWash(want.Scenario, &want.State)),
		"shown":     reflect.DeepEqual(in.Shown, want.Shown),
	} {
		if !eq {
			t.Errorf("the %s differ from Replay's", name)
		}
	}
}
