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

// TestScenarioSizeLimit checks that a scenario file over MaxScenarioSize is
// refused, by name and with the limit, before any of it is loaded, and that
// one at the limit is read.
func TestScenarioSizeLimit(t *testing.T) {
	dir := t.TempDir()
	sized := func(name string, size int64) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, size); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name    string
		size    int64
		refused string // the size the message gives; "" when read
	}{
		{"100 MB", 100 << 20, "100 MiB"},
		{"one byte over", MaxScenarioSize + 1, "67108865 bytes"},
		{"at the limit", MaxScenarioSize, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := sized(strings.ReplaceAll(tt.name, " ", "-")+".yaml", tt.size)
			data, err := ReadScenarioFile(path)
			if tt.refused == "" {
				if err != nil || int64(len(data)) != tt.size {
					t.Fatalf("read %d bytes, %v; want all %d", len(data), err, tt.size)
				}
				return
			}
			var tooLarge *ScenarioTooLargeError
			if !errors.As(err, &tooLarge) || data != nil {
				t.Fatalf("ReadScenarioFile = %d bytes, %v; want it refused", len(data), err)
			}
			_, err = OpenScenario(path)
			for _, want := range []string{path, tt.refused, "64 MiB limit", "default scenario is 146 KiB"} {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("OpenScenario error %v, want it to say %q", err, want)
				}
			}
		})
	}
}
