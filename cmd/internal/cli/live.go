package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/tui"
)

// liveConfigPath is the config to run live with: the --config flag, or the
// default file when it exists and no scenario was asked for.
func liveConfigPath(flag string, scenarioSet bool) string {
	if flag != "" || scenarioSet {
		return flag
	}
	if p := feed.DefaultConfigPath(); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// runLive opens the console on live sources. Config problems go to errOut.
func runLive(errOut io.Writer, path, jpath string, opts tui.Options) error {
	cfg, err := loadLiveConfig(errOut, path)
	if err != nil {
		return err
	}
	sc, err := liveScenario(cfg, time.Now())
	if err != nil {
		return err
	}
	r, err := openRoom(sc, true, jpath)
	if err != nil {
		return err
	}
	defer r.Close()
	clock := feed.Clock{Origin: sc.Meta.Start} // the journal's T+0, when it has one
	runner := feed.NewRunner(clock, r.Ingest)
	sources, err := cfg.Build(clock, os.LookupEnv, runner)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	wait := feed.Start(ctx, runner, sources)
	err = tui.Run(r.Room, opts)
	cancel()
	wait()
	return err
}

// loadLiveConfig reads a live config, printing every problem to errOut.
func loadLiveConfig(errOut io.Writer, path string) (*feed.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := feed.LoadConfig(path, data, os.LookupEnv)
	var problems model.ProblemList
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(errOut, p)
		}
		return nil, errSilent
	}
	return cfg, err
}

// liveScenario is what the live room starts from: the declarations of the
// scenario the config names (its timeline left out), with the config's
// title, severity, T+0 and alert rules.
func liveScenario(cfg *feed.Config, now time.Time) (*model.Scenario, error) {
	sc := &model.Scenario{Name: "live"}
	if cfg.Incident.Scenario != "" {
		base, err := feed.OpenScenario(cfg.Incident.Scenario)
		if err != nil {
			return nil, fmt.Errorf("%s: incident.scenario: %w", cfg.File, err)
		}
		copied := *base
		copied.Events = nil
		sc = &copied
	}
	if cfg.Incident.Title != "" {
		sc.Meta.Title = cfg.Incident.Title
	}
	if cfg.Incident.Severity != "" {
		sc.Meta.Severity = cfg.Incident.Severity
	}
	if len(cfg.Alerts) > 0 { // the config's rules, else the lent scenario's
		sc.Alerts = cfg.Alerts
	}
	if sc.Meta.Title == "" {
		sc.Meta.Title = "Live incident"
	}
	sc.Meta.Start = cfg.StartTime(now)
	return sc, nil
}
