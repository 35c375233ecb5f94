package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// execute runs warroom's command line with every command in this process,
// serve, report and journal too (the binaries' tests run them as their own
// programs).
func execute(args []string, stdout, stderr io.Writer) error {
	return run(newRootCmd(newServeCmd(), newReportCmd(), newJournalCmd()), args, stdout, stderr)
}

// runCLI runs the command line as a user would and returns what it printed.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = execute(args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/internal/cli -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestSitrepGolden(t *testing.T) {
	for _, at := range []string{"T+0", "T+6h", "T+12h", "T+48h"} {
		for _, format := range []string{"text", "markdown", "json"} {
			name := "sitrep-" + strings.TrimPrefix(at, "T+") + "." + format
			t.Run(name, func(t *testing.T) {
				out, _, err := runCLI(t, "sitrep", "--at", at, "--format", format)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, name, out)
			})
		}
	}
}

func TestSitrepFiguresMoveOverTime(t *testing.T) {
	read := func(at string) map[string]any {
		out, _, err := runCLI(t, "sitrep", "--at", at, "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	early, late := read("T+2h"), read("T+60h")
	hosts := func(v map[string]any) float64 { return v["hosts"].(map[string]any)["recovered"].(float64) }
	if hosts(late) <= hosts(early) {
		t.Errorf("hosts recovered should grow: %v then %v", hosts(early), hosts(late))
	}
	if peak := late["backlog"].(map[string]any)["peak"].(float64); peak < 1_000_000 {
		t.Errorf("backlog peak %v: the scenario's backlog should pass a million", peak)
	}
}

func TestSitrepErrors(t *testing.T) {
	for _, args := range [][]string{
		{"sitrep", "--at", "soon"},
		{"sitrep", "--format", "xml"},
		{"sitrep", "--scenario", "no-such-scenario"},
	} {
		if _, _, err := runCLI(t, args...); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	out, _, err := runCLI(t, "scenarios")
	if err != nil || !strings.Contains(out, "crowdstrike-primeday-2024 (default)") {
		t.Fatalf("scenarios: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "fixtures", "crowdstrike-primeday-2024.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, data, 0o600); err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), "timeline:", "timelime:", 1)
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCLI(t, "validate", good, bad)
	if err != errSilent {
		t.Fatalf("validate with a bad file: err %v, want exit 1", err)
	}
	if !strings.Contains(stdout, good+": ok") {
		t.Errorf("good file not reported ok:\n%s", stdout)
	}
	if !strings.Contains(stderr, bad+":") || !strings.Contains(stderr, "timelime") {
		t.Errorf("bad file problems not reported with file and field:\n%s", stderr)
	}
	if _, _, err := runCLI(t, "validate", good); err != nil {
		t.Errorf("validate good file: %v", err)
	}
}
