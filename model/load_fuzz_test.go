package model

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadScenario checks that no input makes the loader panic, and that it
// returns either a scenario with sorted events or a non-empty ProblemList
// whose problems have positions and one-line messages.
func FuzzLoadScenario(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimalHeader + "timeline:\n  - {at: +0m, hosts: {group: wms, recovered: 1}}\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := LoadScenario("fuzz.yaml", data)
		if err != nil {
			var problems ProblemList
			if !errors.As(err, &problems) || len(problems) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty ProblemList", err, err)
			}
			if sc != nil {
				t.Fatal("scenario returned with problems")
			}
			for _, p := range problems {
				if p.Line < 1 || p.Col < 1 || strings.Contains(p.Message, "\n") {
					t.Fatalf("bad problem %q", p.String())
				}
			}
			return
		}
		if sc == nil {
			t.Fatal("nil scenario without error")
		}
		for i := 1; i < len(sc.Events); i++ {
			if sc.Events[i].At < sc.Events[i-1].At {
				t.Fatalf("events not sorted at %d", i)
			}
		}
		for _, e := range sc.Events {
			if e.Body == nil || e.Source == "" || e.At < 0 {
				t.Fatalf("bad event %#v", e)
			}
		}
	})
}
