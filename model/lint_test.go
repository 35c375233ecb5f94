package model

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/warroom/warroom/fixtures"
)

func lintScenarioFile(t *testing.T, file string) (*Scenario, []LintWarning, error) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return LoadScenarioChecked(file, data)
}

func TestLint(t *testing.T) {
	tests := []struct {
		file string
		want []wantProblem // every warning, in order
	}{
		{"clean.yaml", nil},
		{"hosts.yaml", []wantProblem{
			{"9:46", "timeline[1].hosts.recovered", `host group "wms": recovered goes down from 40 at T+01:00 to 30 at T+02:00 without a failure: ` +
				"failed goes from 50 to 50, not up by at least 10, and the state is recovering, not down or degraded"},
			// 30 -> 20 with failed 50 -> 60 is accounted for, and so are
			// falls to state down and degraded.
			{"11:46", "timeline[3].hosts.recovered", `host group "wms": recovered goes down from 20 at T+03:00 to 10 at T+04:00 without a failure: ` +
				"failed goes from 60 to 65, not up by at least 10, and the state is unset"},
			// labels' events come between wms's in time but are compared
			// only with each other.
			{"18:18", "timeline[7].hosts.recovered", `host group "labels": recovered goes down from 45 at T+00:30 to 44 at T+01:30 without a failure: ` +
				"failed goes from 0 to 0, not up by at least 1"},
		}},
		{"backlog.yaml", []wantProblem{
			// In file order; steps are taken in timeline order: the entry
			// at +3h comes after the one at +2h.
			{"8:34", "timeline[1].backlog.waiting", "backlog drops 13.3× in one step, from 20000 waiting at T+02:00 to 1500 at T+03:00"},
			{"9:34", "timeline[2].backlog.waiting", "backlog jumps 20× in one step, from 1000 waiting at T+01:00 to 20000 at T+02:00"},
			{"10:34", "timeline[3].backlog.waiting", "backlog drops in one step, from 1500 waiting at T+03:00 to 0 at T+04:00"},
			// 0 -> 800 stays under the floor, 800 -> 5000 is 6.25×, and
			// 5000 -> 50000 is exactly 10×, not more.
			{"16:16", "timeline[7].backlog.waiting", "backlog drops 12.5× in one step, from 50000 waiting at T+07:00 to 4000 at T+08:00"},
			{"18:34", "timeline[8].backlog.waiting", "backlog drops in one step, from 4000 waiting at T+08:00 to 0 at T+09:00"},
			{"19:35", "timeline[9].backlog.waiting", "backlog jumps in one step, from 0 waiting at T+09:00 to 5000 at T+10:00"},
		}},
		{"injects.yaml", []wantProblem{
			{"9:7", "timeline[0].inject.questions", `inject "inj-none" has no discussion questions`},
			{"13:82", "timeline[1].inject.questions", `inject "inj-empty" has no discussion questions`},
			{"19:7", "timeline[2].inject.questions", `inject "inj-null" has no discussion questions`},
		}},
		{"runbook.yaml", []wantProblem{
			{"9:9", "runbook[1].id", `runbook step "reboot" is never reached: no step event makes it active, done, skipped or blocked`},
			// A step event that sets pending does not reach the step;
			// blocked and skipped do.
			{"11:10", "runbook[2].id", `runbook step "comms" is never reached`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join("testdata", "lint", tt.file)
			sc, warnings, err := lintScenarioFile(t, file)
			if err != nil || sc == nil {
				t.Fatalf("LoadScenarioChecked: %v", err)
			}
			got := make([]Problem, len(warnings))
			for i, w := range warnings {
				got[i] = Problem(w)
				if w.File != file {
					t.Errorf("warning %d file %q, want %q", i, w.File, file)
				}
			}
			checkProblems(t, "warning", got, tt.want)

			// LoadScenario ignores warnings and decodes the same scenario.
			plain, err := loadScenarioFile(t, file)
			if err != nil {
				t.Fatalf("LoadScenario: %v", err)
			}
			if !reflect.DeepEqual(plain, sc) {
				t.Errorf("LoadScenario and LoadScenarioChecked decode differently")
			}
		})
	}
}

// TestLintBadFile checks that a bad file gets its problems and no warnings.
func TestLintBadFile(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad files: %v", err)
	}
	for _, file := range files {
		sc, warnings, err := lintScenarioFile(t, file)
		_, plainErr := loadScenarioFile(t, file)
		var problems ProblemList
		if sc != nil || warnings != nil || !errors.As(err, &problems) {
			t.Errorf("%s: got scenario %v, warnings %v, error %v; want only a ProblemList", file, sc != nil, warnings, err)
			continue
		}
		if err.Error() != plainErr.Error() {
			t.Errorf("%s: problems differ from LoadScenario's:\n%v\n---\n%v", file, err, plainErr)
		}
	}
}

func TestLintWarningString(t *testing.T) {
	tests := []struct {
		w    LintWarning
		want string
	}{
		{LintWarning{File: "a.yaml", Line: 3, Col: 7, Field: "timeline[2].inject.questions", Message: `inject "x" has no discussion questions`},
			`a.yaml:3:7: warning: timeline[2].inject.questions: inject "x" has no discussion questions`},
		{LintWarning{File: "a.yaml", Line: 1, Col: 1, Message: "odd"},
			"a.yaml:1:1: warning: odd"},
	}
	for _, tt := range tests {
		if got := tt.w.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

// TestLintEmbeddedScenarios lints the scenarios that ship with warroom. An
// inject without questions is reported in the log only (questions are being
// written); any other warning fails.
func TestLintEmbeddedScenarios(t *testing.T) {
	for _, name := range fixtures.Names() {
		data, _ := fixtures.Read(name)
		file := "fixtures/" + name + ".yaml"
		_, warnings, err := LoadScenarioChecked(file, data)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for _, w := range warnings {
			if strings.HasSuffix(w.Field, ".inject.questions") {
				t.Log(w)
			} else {
				t.Error(w)
			}
		}
	}
}

// FuzzLoadScenarioChecked checks that the lint pass never panics, that it
// leaves the result of LoadScenario alone, and that every warning has a
// position, a field and a one-line message, in position order.
func FuzzLoadScenarioChecked(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, warnings, err := LoadScenarioChecked("fuzz.yaml", data)
		plain, plainErr := LoadScenario("fuzz.yaml", data)
		if (err == nil) != (plainErr == nil) || err != nil && err.Error() != plainErr.Error() {
			t.Fatalf("errors differ: %v\n---\n%v", err, plainErr)
		}
		if !reflect.DeepEqual(sc, plain) {
			t.Fatal("scenarios differ")
		}
		if err != nil && warnings != nil {
			t.Fatal("warnings for a bad file")
		}
		for i, w := range warnings {
			if w.Line < 1 || w.Col < 1 || w.Field == "" || strings.Contains(w.Message, "\n") {
				t.Fatalf("bad warning %q", w.String())
			}
			if i > 0 && (w.Line < warnings[i-1].Line || w.Line == warnings[i-1].Line && w.Col < warnings[i-1].Col) {
				t.Fatalf("warnings out of order at %d", i)
			}
		}
	})
}
