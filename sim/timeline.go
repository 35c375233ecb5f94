package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/warroom/warroom/model"
)

// Timeline is when a simulated incident began: the real time at which its
// clock passed Start, running Speed simulated seconds a second. A simulator
// restarted on the same timeline goes on with the same incident, its
// documents carrying the same times as before; one restarted on a new
// timeline replays the scenario from Start, every event under a new time.
// That is wrong for a drill: the console's sources would take the old
// events for news (a host group back from 244 to 198, runbook lines
// repeated) where a real system that restarts keeps its history.
type Timeline struct {
	Scenario string        `json:"scenario"`
	Speed    float64       `json:"speed"`
	Start    time.Duration `json:"start"`
	Began    time.Time     `json:"began"`
}

// offset is the simulated time at now, unclamped.
func (tl Timeline) offset(now time.Time) time.Duration {
	return tl.Start + time.Duration(float64(now.Sub(tl.Began))*max(tl.Speed, 0))
}

// ContinueTimeline is the timeline to simulate sc on: the one saved at path
// when it is for the same scenario, speed and start and its incident is
// still going on at now (begun, not yet past the scenario's end), else a
// new one beginning now. fresh always begins a new one. The timeline
// returned is saved at path for the next run; an error saving it is
// returned with it, the timeline still good to use.
func ContinueTimeline(path string, sc *model.Scenario, speed float64, start time.Duration, now time.Time, fresh bool) (tl Timeline, continued bool, err error) {
	tl = Timeline{Scenario: sc.Name, Speed: speed, Start: start, Began: now}
	if !fresh {
		if saved, err := loadTimeline(path); err == nil && saved.Scenario == tl.Scenario && saved.Speed == speed &&
			saved.Start == start && speed > 0 && !saved.Began.After(now) && saved.offset(now) < sc.End() {
			return saved, true, nil
		}
	}
	return tl, false, saveTimeline(path, tl)
}

func loadTimeline(path string) (Timeline, error) {
	var tl Timeline
	data, err := os.ReadFile(path)
	if err != nil {
		return tl, err
	}
	if err := json.Unmarshal(data, &tl); err != nil {
		return tl, fmt.Errorf("%s: %w", path, err)
	}
	return tl, nil
}

func saveTimeline(path string, tl Timeline) error {
	data, err := json.MarshalIndent(tl, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("keeping the timeline: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("keeping the timeline: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("keeping the timeline: %w", err)
	}
	return nil
}

// TimelinePath is where `warroom simulate` keeps the timeline of a
// scenario between runs: in the user's cache directory.
func TimelinePath(scenario string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory to keep the timeline in: %w", err)
	}
	safe := []byte(filepath.Base(scenario))
	for i, c := range safe {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			safe[i] = '_'
		}
	}
	return filepath.Join(dir, "warroom", "simulate", string(safe)+".json"), nil
}
