package cli

import (
	"github.com/warroom/warroom/fixtures"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const validateHeader = `title: t
summary: s
start: 2024-07-19T04:09:00Z
severity: SEV1
illustrative: i
runbook: [{id: identify, title: Identify}]
timeline:
  - {at: +0m, step: {step: identify, state: active}}
`

// Scenario files for the validate tests: without warnings, with two
// warnings, and with a problem.
var validateFiles = map[string]string{
	"clean.yaml": validateHeader +
		"  - {at: +1h, inject: {id: i1, title: T, prompt: P, questions: [Q]}}\n",
	"warnings.yaml": validateHeader +
		"  - {at: +1h, inject: {id: i1, title: T, prompt: P}}\n" +
		"  - {at: +2h, backlog: {waiting: 100}}\n" +
		"  - {at: +3h, backlog: {waiting: 5000}}\n",
	"bad.yaml": validateHeader +
		"  - {at: +1h, inject: {id: i1, title: T}}\n",
}

func writeValidateFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	paths := map[string]string{}
	for name, text := range validateFiles {
		paths[name] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[name], []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

func TestValidateWarnings(t *testing.T) {
	f := writeValidateFiles(t)
	clean, warn, bad := f["clean.yaml"], f["warnings.yaml"], f["bad.yaml"]
	warnLines := warn + ":9:23: warning: timeline[1].inject.questions: inject \"i1\" has no discussion questions" +
		": expected a list of questions for the players\n" +
		warn + ":11:34: warning: timeline[3].backlog.waiting: backlog jumps 50× in one step, from 100 waiting at T+02:00 to 5000 at T+03:00\n"
	tests := []struct {
		name           string
		args           []string
		fail           bool
		stdout, stderr string // exactly
	}{
		{
			name:   "clean",
			args:   []string{clean},
			stdout: clean + ": ok (2 events over T+01:00)\n",
		},
		{
			name:   "clean with --strict",
			args:   []string{"--strict", clean},
			stdout: clean + ": ok (2 events over T+01:00)\n",
		},
		{
			name:   "warnings only are ok",
			args:   []string{warn},
			stdout: warn + ": ok (2 warnings; 4 events over T+03:00)\n",
			stderr: warnLines,
		},
		{
			name:   "--strict fails on warnings",
			args:   []string{warn, "--strict"},
			fail:   true,
			stderr: warnLines + warn + ": failed: 2 warnings with --strict\n",
		},
		{
			name:   "problems fail",
			args:   []string{bad},
			fail:   true,
			stderr: bad + ":9:23: timeline[1].inject.prompt: missing required field: expected a string\n",
		},
		{
			name: "every file is reported",
			args: []string{bad, warn, clean},
			fail: true,
			stdout: warn + ": ok (2 warnings; 4 events over T+03:00)\n" +
				clean + ": ok (2 events over T+01:00)\n",
			stderr: bad + ":9:23: timeline[1].inject.prompt: missing required field: expected a string\n" + warnLines,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runCLI(t, append([]string{"validate"}, tt.args...)...)
			switch {
			case tt.fail && err != errSilent:
				t.Errorf("err = %v, want exit 1 (errSilent)", err)
			case !tt.fail && err != nil:
				t.Errorf("err = %v, want exit 0", err)
			}
			if stdout != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.stdout)
			}
			if stderr != tt.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tt.stderr)
			}
		})
	}
}

// TestValidateEmbeddedScenarios validates the shipped scenarios from their
// files: they have no problems, and whatever warnings they have are printed
// as warnings (see model.TestLintEmbeddedScenarios for which are allowed).
func TestValidateEmbeddedScenarios(t *testing.T) {
	var files []string
	for _, name := range fixtures.Names() { // not live-example.yaml: a config, not a scenario
		files = append(files, filepath.Join("..", "..", "..", "fixtures", name+".yaml"))
	}
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	stdout, stderr, err := runCLI(t, append([]string{"validate"}, files...)...)
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, stderr)
	}
	for _, file := range files {
		if !strings.Contains(stdout, file+": ok (") {
			t.Errorf("%s not reported ok:\n%s", file, stdout)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if line != "" && !strings.Contains(line, ": warning: ") {
			t.Errorf("stderr line is no warning: %s", line)
		}
	}
	if stderr != "" {
		t.Logf("warnings:\n%s", stderr)
	}
}
