package report_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/report"
	"github.com/warroom/warroom/room"
)

func defaults(t testing.TB) *report.Templates {
	t.Helper()
	ts, err := report.LoadTemplates(fixtures.Templates(), fixtures.TemplatesDir, "")
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// roomAt is the default scenario and its room's snapshot at a moment.
func roomAt(t testing.TB, at time.Duration) (*model.Scenario, room.Snapshot) {
	t.Helper()
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	return sc, room.New(sc).Seek(at)
}

func buildFigures(sc *model.Scenario, snap room.Snapshot) report.Figures {
	return report.BuildFigures(sc, &snap.State, "ic")
}

// figuresAt is the default scenario's figures at a moment.
func figuresAt(t testing.TB, at time.Duration) report.Figures {
	t.Helper()
	return buildFigures(roomAt(t, at))
}

// TestDraftsRender fills each built-in draft with the default scenario's
// figures and checks what it must and must not say.
func TestDraftsRender(t *testing.T) {
	ts := defaults(t)
	if got, want := ts.Names(), []string{"customer", "seller", "leadership", "carrier"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("drafts %q, want %q", got, want)
	}
	tests := []struct {
		template string
		at       time.Duration
		want     []string
		not      []string
	}{
		{"seller", 12 * time.Hour, []string{
			"WHAT IS LATE", "2.03M orders are waiting to ship; 107k of them are already past their promised delivery date.",
			"  - same-day: 122k waiting, 103k late",
			"UPS (US, Europe): Third-party software outage affecting some UPS systems",
			"We cannot give an ETA yet: the backlog is still growing.",
			"late shipment rate (target under 4%)", "on-time delivery rate (target at least 93.5%)",
			"This notice does not change how these metrics are counted.",
		}, []string{"waive", "protected", "<no value>"}},
		{"seller", 30 * time.Hour, []string{
			"1.57M orders are waiting to ship; 341k of them",
			"by about Jul 21 03:33 UTC: at the earliest Jul 21 02:47 UTC, at the latest Jul 21 04:22 UTC.",
		}, []string{"We cannot give an ETA yet"}},
		{"customer", 12 * time.Hour, []string{
			"began on Jul 19 04:09 UTC", "68% of the affected systems are working again as of Jul 19 16:09 UTC",
			"We cannot yet say when every delayed order will ship.", "FedEx (Global), UPS (US, Europe)",
		}, []string{"metrics", "107k"}},
		{"customer", 30 * time.Hour, []string{"back on schedule by about Jul 21 03:33 UTC (between Jul 21 02:47 UTC and Jul 21 04:22 UTC)"}, nil},
		{"leadership", 12 * time.Hour, []string{
			"Subject: [SEV1] CrowdStrike Channel File 291", "update at T+12:00 (Jul 19 16:09 UTC)", "Prepared by ic.",
			"HOSTS 68% back (5062/7416), 2103 failing, +222 hosts/h",
			"Late (past promised date): 107k (5.3% of waiting)",
			"ETA back to normal: none yet: not draining",
			"CARRIERS 3 open warnings, 0 unacknowledged", "  - blocked: Retrieve BitLocker recovery keys",
			"UPDATES SENT none yet",
		}, nil},
		{"leadership", 30 * time.Hour, []string{
			"  - Carrier EDI gateways: 96/96, all back", "  - WMS fulfilment (Windows EC2): 1151/1240, 76 failing",
			"ETA back to normal: Jul 21 03:33 UTC (range Jul 21 02:47 UTC to Jul 21 04:22 UTC)",
		}, []string{"none yet: not draining"}},
		{"carrier", 30 * time.Hour, []string{
			"Air cargo backlog: departures rolled up to 48 hours (last update T+19:00; acknowledged)",
			"  - Label and manifest servers (instance store): 199/380 back",
			"Orders waiting to ship: 1.57M, of which 341k are past their promised delivery date.",
		}, []string{"Carrier EDI gateways"}}, // all back: not listed
	}
	for _, tt := range tests {
		t.Run(tt.template+"@"+model.FormatOffset(tt.at), func(t *testing.T) {
			tm, ok := ts.Get(tt.template)
			if !ok {
				t.Fatalf("no draft %q", tt.template)
			}
			out, err := tm.Render(figuresAt(t, tt.at))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q in:\n%s", w, out)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(out, w) {
					t.Errorf("says %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "\n\n\n") || !strings.HasSuffix(out, "\n") || strings.HasSuffix(out, "\n\n") || strings.HasPrefix(out, "\n") {
				t.Errorf("untidy text: %q", out)
			}
		})
	}
}

// TestDraftsSentListed: the leadership update lists the updates sent.
func TestDraftsSentListed(t *testing.T) {
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	r := room.New(sc)
	r.Seek(12 * time.Hour)
	if _, err := r.Act("bo", model.CommsSent{Template: "seller", Audience: "sellers", Text: "x"}, ""); err != nil {
		t.Fatal(err)
	}
	snap := r.Snapshot()
	tm, _ := defaults(t).Get("leadership")
	out, err := tm.Render(report.BuildFigures(sc, &snap.State, "ana"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "UPDATES SENT T+12:00 seller by bo") || !strings.Contains(out, "Prepared by ana.") {
		t.Errorf("leadership update:\n%s", out)
	}
}

// TestTemplateErrors: a field that does not exist, in a branch the checks
// reach, fails at load with the file, the line and the character column of
// the part of the field that does not exist (é counts as one); a parse
// error, which text/template gives a line alone, with the column of what
// it names.
func TestTemplateErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"missing field", "Hello {{.Title}}\nETA: {{.ETA.Soon}}\n",
			"drafts/seller.tmpl:2:12: .ETA.Soon: can't evaluate field Soon in type report.ETA"},
		{"in a branch the full figures take", "a\n\n  é {{if .ETA.Known}}{{.ETA.At}} {{.Nope}}{{end}}\n",
			"drafts/seller.tmpl:3:36: .Nope: can't evaluate field Nope in type report.Figures"},
		{"in an else branch", "{{if .Late.Known}}x{{else}}{{.Late.Count}}{{end}}",
			"drafts/seller.tmpl:1:35: .Late.Count: can't evaluate field Count"},
		{"inside range", "{{range .Warnings}}\n{{.Carrier}} {{.Name}}{{end}}",
			"drafts/seller.tmpl:2:16: .Name: can't evaluate field Name in type model.SitrepWarning"},
		{"parse error: an action left open", "ok\n{{if .Title}}no end\n", "drafts/seller.tmpl:3:1: unexpected EOF"},
		{"parse error: open on a last line", "ok\n{{if .Title}}é no end", "drafts/seller.tmpl:2:22: unexpected EOF"},
		{"unknown function", "{{shout .Title}}", `drafts/seller.tmpl:1:3: function "shout" not defined`},
		{"unknown function, not inside a longer name", "é {{compact .Backlog.Waiting | c}}", `drafts/seller.tmpl:1:32: function "c" not defined`},
		{"missing value", "a\n x {{ if }}\n", "drafts/seller.tmpl:2:7: missing value for if"},
		{"unexpected end", "{{.Title}} {{ end }}", "drafts/seller.tmpl:1:15: unexpected {{end}}"},
		{"undefined variable", "x\n {{.Title}} {{ $x }}", `drafts/seller.tmpl:2:16: undefined variable "$x"`},
		{"bad number", "{{ 3x }}", `drafts/seller.tmpl:1:4: bad number syntax: "3x"`},
		{"right paren", "{{ .Title ) }}", `drafts/seller.tmpl:1:11: unexpected right paren`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := report.ParseTemplate("drafts/seller.tmpl", "seller", tt.src)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v\nwant it to start %q", err, tt.want)
			}
		})
	}
	if _, err := report.ParseTemplate("x/Bad Name.tmpl", "Bad Name", "x"); err == nil || !strings.Contains(err.Error(), "bad template name") {
		t.Errorf("a bad name: %v", err)
	}
}

// TestTemplatesOverride: a directory's NAME.tmpl replaces the embedded
// draft of that name, a new name adds a draft after the built-in ones, and
// a bad file there fails the load naming its path.
func TestTemplatesOverride(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("seller.tmpl", "{{/* title: Our seller note\n     audience: our sellers */}}\n{{.Backlog.Waiting}} waiting at {{.Offset}}\n")
	write("press.tmpl", "Press line: {{.Hosts.PercentBack}}% back\n")
	write("notes.txt", "not a template")
	ts, err := report.LoadTemplates(fixtures.Templates(), fixtures.TemplatesDir, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ts.Names(), []string{"customer", "seller", "leadership", "carrier", "press"}; !reflect.DeepEqual(got, want) {
		t.Errorf("drafts %q, want %q", got, want)
	}
	seller, _ := ts.Get("seller")
	if seller.Title != "Our seller note" || seller.Audience != "our sellers" || seller.File != filepath.Join(dir, "seller.tmpl") {
		t.Errorf("seller draft %+v", seller)
	}
	out, err := seller.Render(figuresAt(t, 12*time.Hour))
	if err != nil || out != "2026350 waiting at T+12:00\n" {
		t.Errorf("overridden seller = %q, %v", out, err)
	}
	if c, _ := ts.Get("customer"); c.File != "fixtures/templates/customer.tmpl" {
		t.Errorf("customer draft read from %s", c.File)
	}

	write("press.tmpl", "Press line:\n  {{.Hosts.Back}}\n")
	_, err = report.LoadTemplates(fixtures.Templates(), fixtures.TemplatesDir, dir)
	want := filepath.Join(dir, "press.tmpl") + ":2:11: .Hosts.Back: can't evaluate field Back"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
	if _, err := report.LoadTemplates(fixtures.Templates(), fixtures.TemplatesDir, filepath.Join(dir, "none")); err != nil {
		t.Errorf("a missing directory reads the defaults: %v", err)
	}
}

// TestDraftSanitised: text from outside (a headline) cannot reach the
// draft as terminal control.
func TestDraftSanitised(t *testing.T) {
	f := figuresAt(t, 12*time.Hour)
	f.Warnings = append(f.Warnings, model.SitrepWarning{Carrier: "Evil\x1b]52;c;cHduZWQ=\x07", Region: "US", Headline: "\x1b[2Jgone"})
	tm, _ := defaults(t).Get("carrier")
	out, err := tm.Render(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 7) || !strings.Contains(out, "Evil, ") {
		t.Errorf("draft carries control sequences: %q", out)
	}
}
