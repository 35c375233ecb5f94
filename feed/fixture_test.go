package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

func TestOpenEveryEmbeddedScenario(t *testing.T) {
	names := fixtures.Names()
	if len(names) == 0 {
		t.Fatal("no embedded scenarios")
	}
	for _, name := range names {
		sc, err := OpenScenario(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sc.Name != name || len(sc.Events) == 0 {
			t.Errorf("%s: name %q, %d events", name, sc.Name, len(sc.Events))
		}
	}
}

func TestOpenScenarioFile(t *testing.T) {
	data, _ := fixtures.Read(fixtures.Default)
	path := filepath.Join(t.TempDir(), "drill.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sc, err := OpenScenario(path)
	if err != nil || sc.Name != "drill" {
		t.Fatalf("OpenScenario(file) = %v, %v", sc, err)
	}
}

func TestOpenScenarioErrors(t *testing.T) {
	if _, err := OpenScenario("no-such-scenario"); err == nil || !strings.Contains(err.Error(), fixtures.Default) {
		t.Errorf("unknown name should list the embedded ones: %v", err)
	}
	if _, err := OpenScenario("missing/file.yaml"); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("title: x\nbogus: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := OpenScenario(bad)
	var problems model.ProblemList
	if !errors.As(err, &problems) || !strings.Contains(err.Error(), bad+":2:1:") {
		t.Errorf("bad file should give file:line:col problems, got %v", err)
	}
}
