package model

import (
	"strings"
	"testing"
)

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 open warnings"}, {1, "1 open warning"}, {2, "2 open warnings"}} {
		if got := Plural(tt.n, "open warning"); got != tt.want {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestSingularsInReports: one of a thing reads as one, not "1 warnings".
func TestSingularsInReports(t *testing.T) {
	r := Sitrep{Title: "t", Severity: "SEV2", Offset: "T+01:00",
		Hosts:      SitrepHosts{Total: 1, Groups: []SitrepGroup{{Name: "g", Total: 1}}},
		Warnings:   []SitrepWarning{{Carrier: "UPS", Severity: "major", Headline: "h"}},
		Complaints: SitrepComplaint{Total: 1},
	}
	text := r.Text()
	for _, want := range []string{"1 open warning,", "1 complaint,", "(1 host)"} {
		if !strings.Contains(text, want) {
			t.Errorf("sitrep lacks %q:\n%s", want, text)
		}
	}
	d := Debrief{Title: "t", Decisions: 1, Runbook: []DebriefStep{{Title: "s"}}}
	md := d.Markdown(testScenario())
	for _, want := range []string{"1 decision recorded", "0 of 1 step done"} {
		if !strings.Contains(md, want) {
			t.Errorf("debrief lacks %q:\n%s", want, md)
		}
	}
}
