package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

func TestScenariosListsEmbedded(t *testing.T) {
	out, _, err := runCLI(t, "scenarios")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range fixtures.Names() {
		if !strings.Contains(out, name) {
			t.Errorf("scenarios does not list %s:\n%s", name, out)
		}
	}
}

func TestScenariosExport(t *testing.T) {
	dir := t.TempDir()
	for _, name := range fixtures.Names() {
		t.Run(name, func(t *testing.T) {
			out, stderr, err := runCLI(t, "scenarios", "export", name)
			if err != nil {
				t.Fatalf("export: %v\n%s", err, stderr)
			}
			want, _ := fixtures.Read(name)
			if !bytes.Equal([]byte(out), want) {
				t.Errorf("export %s differs from the embedded file (%d bytes, want %d)", name, len(out), len(want))
			}
			// The exported copy is a scenario of its own: it loads from a file,
			// and validate accepts it.
			path := filepath.Join(dir, "my-"+name+".yaml")
			if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
				t.Fatal(err)
			}
			sc, err := feed.OpenScenario(path)
			if err != nil {
				t.Fatalf("exported file does not load: %v", err)
			}
			orig, err := model.LoadScenario(name+".yaml", want)
			if err != nil {
				t.Fatal(err)
			}
			if sc.Name != "my-"+name || len(sc.Events) != len(orig.Events) || sc.Meta != orig.Meta {
				t.Errorf("exported file loads as %q with %d events, want %d events and the same meta",
					sc.Name, len(sc.Events), len(orig.Events))
			}
			if vout, verr, err := runCLI(t, "validate", path); err != nil || !strings.Contains(vout, path+": ok") {
				t.Errorf("validate exported file: %v\n%s%s", err, vout, verr)
			}
		})
	}
}

func TestScenariosExportErrors(t *testing.T) {
	_, _, err := runCLI(t, "scenarios", "export", "no-such-scenario")
	if err == nil {
		t.Fatal("export of an unknown name: want an error")
	}
	for _, name := range fixtures.Names() {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not list the embedded scenario %s", err, name)
		}
	}
	for _, args := range [][]string{
		{"scenarios", "export"},
		{"scenarios", "export", fixtures.Default, "extra"},
		{"scenarios", "export", "../fixtures/" + fixtures.Default},
	} {
		if out, _, err := runCLI(t, args...); err == nil {
			t.Errorf("%v: want an error, got %d bytes", args, len(out))
		}
	}
}

func TestScenariosSchema(t *testing.T) {
	out, _, err := runCLI(t, "scenarios", "schema")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "..", "fixtures", "scenario.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Error("scenarios schema must print fixtures/scenario.schema.json byte for byte")
	}
}
