package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/tui"
)

func newRunCmd() *cobra.Command {
	var (
		scenario string
		speed    float64
		start    string
		play     bool
		as       string
		fps      int
		role     string
		out      string
		noPause  bool
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Open the console on a scenario (the default command)",
		Example: "  warroom run\n" +
			"  warroom run --scenario my-drill.yaml --start T+6h --speed 300 --play\n" +
			"  warroom run --scenario oncall-training-30m --role facilitator --out debrief.md",
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
			rl, err := tui.ParseRole(role)
			if err != nil {
				return fmt.Errorf("--role: %w", err)
			}
			r := room.New(sc, room.WithPauseOnInject(!noPause))
			defer r.Close()
			r.SetSpeed(speed)
			r.Seek(at)
			if play {
				r.SetPlaying(true)
			}
			return tui.Run(r, tui.Options{Responder: as, FPS: fps, Role: rl, DebriefOut: out})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&scenario, "scenario", "s", fixtures.Default, "embedded scenario name or path to a scenario file")
	f.Float64Var(&speed, "speed", model.DefaultSpeed, "replay speed in simulated seconds per real second (1-3600)")
	f.StringVar(&start, "start", "T+0", "where to open the replay, e.g. T+6h or T+12:30")
	f.BoolVar(&play, "play", false, "start playing instead of paused")
	f.StringVar(&as, "as", responderName(), "your handle on acknowledgements, notes and runbook ticks")
	f.StringVar(&role, "role", string(tui.RolePlayer), "player, or facilitator (sees notes and expected actions, fires/skips/holds injects, scores)")
	f.StringVar(&out, "out", "", "write the exercise debrief as Markdown to this file on exit")
	f.BoolVar(&noPause, "no-pause-on-inject", false, "keep playing when an inject is delivered")
	f.IntVar(&fps, "fps", 0, "0 draws each change at once; N > 0 uses bubbletea's renderer at N frames a second")
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
