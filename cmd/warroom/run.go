package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/tui"
)

// defaultFPS is bubbletea's frame rate: high enough that a key press shows
// within 50 ms, low enough that an idle console costs almost nothing (see
// the README's performance section for the measurements).
const defaultFPS = 30

func newRunCmd() *cobra.Command {
	var (
		scenario string
		speed    float64
		start    string
		play     bool
		as       string
		fps      int
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Open the console on a scenario (the default command)",
		Example: "  warroom run\n" +
			"  warroom run --scenario my-drill.yaml --start T+6h --speed 300 --play",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc, err := feed.OpenScenario(scenario)
			if err != nil {
				return err
			}
			at, err := model.ParseOffset(start)
			if err != nil {
				return fmt.Errorf("--start: %w", err)
			}
			if speed < model.MinSpeed || speed > model.MaxSpeed {
				return fmt.Errorf("--speed %v: want %d to %d simulated seconds per second", speed, model.MinSpeed, model.MaxSpeed)
			}
			r := room.New(sc)
			defer r.Close()
			r.SetSpeed(speed)
			r.Seek(at)
			if play {
				r.SetPlaying(true)
			}
			p := tea.NewProgram(tui.New(r, tui.Options{Responder: as, FPS: fps}),
				tea.WithAltScreen(), tea.WithFPS(fps))
			_, err = p.Run()
			return err
		},
	}
	f := cmd.Flags()
	f.StringVarP(&scenario, "scenario", "s", fixtures.Default, "embedded scenario name or path to a scenario file")
	f.Float64Var(&speed, "speed", model.DefaultSpeed, "replay speed in simulated seconds per real second (1-3600)")
	f.StringVar(&start, "start", "T+0", "where to open the replay, e.g. T+6h or T+12:30")
	f.BoolVar(&play, "play", false, "start playing instead of paused")
	f.StringVar(&as, "as", responderName(), "your handle on acknowledgements, notes and runbook ticks")
	f.IntVar(&fps, "fps", defaultFPS, "terminal frame rate (higher: snappier keys, more idle CPU)")
	return cmd
}

func responderName() string {
	for _, k := range []string{"WARROOM_AS", "USER", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "responder"
}
