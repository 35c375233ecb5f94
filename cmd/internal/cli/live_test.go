package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
)

func TestRunConfigProblemsAreReportedWithPositions(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(bad, []byte("sources:\n  - name: a\n    kind: kafka\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runCLI(t, "run", "--config", bad)
	if err != errSilent || !strings.Contains(stderr, bad+":3:11: sources[0].kind: unknown kind") {
		t.Fatalf("err %v, stderr:\n%s", err, stderr)
	}
}

func TestLiveScenarioFromConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "fixtures", "live-example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := feed.LoadConfig("live-example.yaml", data, os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 10, 3, 30, 0, time.UTC)
	sc, err := liveScenario(cfg, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Events) != 0 || len(sc.HostGroups) == 0 || !strings.Contains(sc.Meta.Title, "live drill") {
		t.Errorf("live scenario: %d events, %d host groups, title %q", len(sc.Events), len(sc.HostGroups), sc.Meta.Title)
	}
	if !sc.Meta.Start.Equal(now.Truncate(time.Minute)) {
		t.Errorf("T+0 %v, want now to the minute", sc.Meta.Start)
	}
	if base, _ := feed.OpenScenario(cfg.Incident.Scenario); len(base.Events) == 0 {
		t.Error("borrowing declarations must not empty the embedded scenario")
	}
}
