package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

const goodConfig = `incident:
  title: Windows hosts down
  start: 2024-07-19T04:09:00Z
  scenario: crowdstrike-primeday-2024
sources:
  - name: fleet
    kind: prometheus
    url: http://127.0.0.1:9090
    interval: 15s
    timeout: 5s
    auth: {bearer_env: PROM_TOKEN}
    hosts: {recovered: warroom_hosts_recovered, total: warroom_hosts_total, label: group}
    backlog: {waiting: warroom_backlog_waiting, backfill: 6h}
  - name: ups
    kind: statuspage
    url: http://127.0.0.1:9464/statuspage/ups/api/v2/summary.json
    carrier: ups
  - name: forum
    kind: rss
    url: http://127.0.0.1:9464/rss/complaints.xml
    as: complaints
    topics: [{topic: labels-failing, keywords: [label]}]
  - name: aws
    kind: exec
    command: [sh, -c, "echo"]
  - name: stream
    kind: ndjson
    path: "-"
`

func TestLoadConfig(t *testing.T) {
	c, err := LoadConfig("w.yaml", []byte(goodConfig), env(map[string]string{"PROM_TOKEN": "secret"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 5 || c.Sources[0].Schedule().Interval != 15*time.Second || c.Sources[1].Schedule().Interval != DefaultInterval {
		t.Fatalf("sources %+v", c.Sources)
	}
	if c.Sources[4].Schedule().Timeout != DefaultTimeout {
		t.Errorf("default timeout: %v", c.Sources[4].Schedule().Timeout)
	}
	if got := c.StartTime(time.Now()); !got.Equal(time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)) {
		t.Errorf("start %v", got)
	}
}

// The backlog's late orders and its split by promise, as a config writes
// them, reach the Prometheus source.
func TestLoadConfigPromise(t *testing.T) {
	c, err := LoadConfig("w.yaml", []byte("sources:\n  - name: p\n    kind: prometheus\n    url: http://x\n    backlog:\n"+
		"      waiting: w\n      late: l\n      by_promise: {waiting: pw, late: pl, label: class}\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	b := c.Sources[0].Backlog
	if b.Late != "l" || b.ByPromise == nil || *b.ByPromise != (PromPromiseConfig{Waiting: "pw", Late: "pl", Label: "class"}) {
		t.Fatalf("backlog config %+v (by promise %+v)", b, b.ByPromise)
	}
}

func TestLoadConfigProblems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // "line:col: field: message part"
	}{
		{"unknown field", "sources:\n  - name: a\n    kind: ndjson\n    path: x\n    colour: red\n",
			[]string{"5:5:", "unknown field \"colour\""}},
		{"syntax", "sources:\n  - name: [a\n", []string{"w.yaml:"}},
		{"bad kind and interval", "sources:\n  - name: a\n    kind: kafka\n  - name: b\n    kind: http\n    url: http://x\n    interval: soon\n",
			[]string{"3:11: sources[0].kind: unknown kind \"kafka\"", "7:15: sources[1].interval: want a positive duration"}},
		{"missing url and duplicate name", "sources:\n  - name: a\n    kind: statuspage\n    carrier: ups\n  - name: a\n    kind: ndjson\n    path: '-'\n",
			[]string{"sources[0].url: want an http or https URL", "5:11: sources[1].name: duplicate source name \"a\""}},
		{"secret env missing", "sources:\n  - name: p\n    kind: prometheus\n    url: http://x\n    auth: {bearer_env: NOPE}\n    backlog: {waiting: q}\n",
			[]string{"sources[0].auth.bearer_env: environment variable NOPE is not set"}},
		{"rss mapping and exec command", "sources:\n  - name: r\n    kind: rss\n    url: http://x\n    as: tweets\n  - name: e\n    kind: exec\n",
			[]string{"5:9: sources[0].as: want complaints or warnings", "sources[1].command: missing"}},
		{"bad start", "incident: {start: yesterday}\nsources:\n  - {name: s, kind: ndjson, path: '-'}\n",
			[]string{"1:19: incident.start: want an RFC 3339 time"}},
		{"no sources", "incident: {title: x}\n", []string{"sources: no sources"}},
		{"by promise without waiting", "sources:\n  - name: p\n    kind: prometheus\n    url: http://x\n    backlog:\n      waiting: q\n      by_promise: {late: l}\n",
			[]string{"7:19: sources[0].backlog.by_promise.waiting: missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig("w.yaml", []byte(tt.yaml), env(nil))
			var problems model.ProblemList
			if !errors.As(err, &problems) {
				t.Fatalf("want problems, got %v", err)
			}
			text := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("problems lack %q:\n%s", w, text)
				}
			}
			for _, p := range problems {
				if p.Line < 1 || p.Col < 1 || !strings.HasPrefix(p.String(), "w.yaml:") {
					t.Errorf("problem without a position: %s", p)
				}
			}
		})
	}
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	_, err := LoadConfig("w.yaml", []byte("sources:\n  - name: p\n    kind: http\n    url: ftp://x\n    auth: {bearer_env: TOKEN}\n"),
		env(map[string]string{"TOKEN": "hunter2"}))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v", err)
	}
}

func TestLiveExampleConfigLoadsAndBuilds(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "live-example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig("live-example.yaml", data, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	clock := Clock{Origin: time.Now()}
	sources, err := c.Build(clock, env(nil), NewRunner(clock, func([]model.Event) {}))
	if err != nil || len(sources) != len(c.Sources) {
		t.Fatalf("build: %d sources, %v", len(sources), err)
	}
	if _, err := OpenScenario(c.Incident.Scenario); err != nil {
		t.Errorf("the example's scenario: %v", err)
	}
}

func TestConfigAlerts(t *testing.T) {
	good := "sources:\n  - {name: s, kind: ndjson, path: '-'}\nalerts:\n" +
		"  - id: stale\n    source_stale: {for: 5m, source: s}\n" +
		"  - id: growing\n    name: \"Backlog \\e[31mgrowing\"\n    backlog_growing: {for: 30m}\n"
	c, err := LoadConfig("w.yaml", []byte(good), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Alerts) != 2 || c.Alerts[0].SourceStale == nil || c.Alerts[0].SourceStale.For != 5*time.Minute {
		t.Fatalf("alerts %+v", c.Alerts)
	}
	if strings.ContainsRune(c.Alerts[1].Name, 0x1b) {
		t.Errorf("a rule's name keeps a terminal escape: %q", c.Alerts[1].Name)
	}

	for _, tc := range []struct {
		name, alerts string
		want         []string
	}{
		{"no kind and a duplicate id", "  - {id: a}\n  - {id: a, backlog_growing: {for: 30m}}\n",
			[]string{"4:5: alerts[0]: no alert kind", `5:10: alerts[1].id: duplicate alert id "a" (first declared at line 4)`}},
		{"bad span and severity", "  - {id: a, backlog_growing: {for: 10s}}\n  - {id: b, carrier_warning: {severity: bad}}\n",
			[]string{"4:36: alerts[0].backlog_growing.for: must be at least 1m", `5:41: alerts[1].carrier_warning.severity: unknown value "bad"`}},
		{"unknown key", "  - {id: a, hosts_stalled: {for: 1h, grup: x}}\n",
			[]string{`4:38: alerts[0].hosts_stalled.grup: unknown field "grup"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig("w.yaml", []byte("sources:\n  - {name: s, kind: ndjson, path: '-'}\nalerts:\n"+tc.alerts), env(nil))
			if err == nil {
				t.Fatal("no problems")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), "w.yaml:"+w) {
					t.Errorf("problems lack %q:\n%s", w, err)
				}
			}
		})
	}
}

// TestConfigTypeProblems: a value of the wrong type is a problem at its
// place, said once (not also by the config's own checks).
func TestConfigTypeProblems(t *testing.T) {
	_, err := LoadConfig("w.yaml", []byte("sources:\n  - name: a\n    kind: [ndjson]\n    path: '-'\n    shell: maybe\n"), env(nil))
	if err == nil {
		t.Fatal("no problems")
	}
	var problems model.ProblemList
	errors.As(err, &problems)
	got := err.Error()
	for _, w := range []string{"w.yaml:3:11: sources[0].kind: expected a string, got a list", "w.yaml:5:12: sources[0].shell: expected true or false"} {
		if !strings.Contains(got, w) {
			t.Errorf("problems lack %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "unknown kind") {
		t.Errorf("the refused kind is reported twice:\n%s", got)
	}
}
