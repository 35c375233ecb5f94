package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

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
		noBell   bool
		config   string
		jpath    string
		tz       string
		drafts   string
		theme    string
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Open the console on a scenario (the default command)",
		Example: "  warroom run\n" +
			"  warroom run --scenario my-drill.yaml --start T+6h --speed 300 --play\n" +
			"  warroom run --scenario oncall-training-30m --role facilitator --out debrief.md\n" +
			"  warroom run --config fixtures/live-example.yaml\n" +
			"  warroom run --scenario oncall-training-30m --journal drill.db   # run it again to go on where it stopped",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rl, err := tui.ParseRole(role)
			if err != nil {
				return fmt.Errorf("--role: %w", err)
			}
			zone, err := tui.ChooseZone(tz, cmd.Flags().Changed("tz"), os.Getenv)
			if err != nil {
				return usageError{err}
			}
			th, err := tui.ParseTheme(theme)
			if err != nil {
				return usageError{fmt.Errorf("--theme: %w", err)}
			}
			opts := tui.Options{Responder: as, FPS: fps, Role: rl, DebriefOut: out, Zone: zone, NoBell: noBell, Theme: th}
			if opts.Drafts, err = loadDrafts(drafts); err != nil {
				return err
			}
			if jpath != "" {
				opts.DebriefOf = func() (room.Snapshot, error) { return journalSnapshot(jpath) }
			}
			if path := liveConfigPath(config, cmd.Flags().Changed("scenario")); path != "" {
				return runLive(cmd.ErrOrStderr(), path, jpath, opts)
			}
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
			r, err := openRoom(sc, false, jpath, room.WithPauseOnInject(!noPause))
			if err != nil {
				return err
			}
			if !r.restored {
				r.SetSpeed(speed)
				r.Seek(at)
				if play {
					r.SetPlaying(true)
				}
			}
			err = tui.Run(r.Room, opts)
			return errors.Join(err, r.Close())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&scenario, "scenario", "s", fixtures.Default, "embedded scenario name or path to a scenario file")
	f.Float64Var(&speed, "speed", model.DefaultSpeed, "replay speed in simulated seconds per real second (1-3600)")
	f.StringVar(&start, "start", "T+0", "where to open the replay, e.g. T+6h or T+12:30")
	f.BoolVar(&play, "play", false, "start playing instead of paused")
	f.StringVar(&as, "as", responderName(), "your handle on acknowledgements, notes and runbook ticks")
	f.StringVar(&config, "config", "", "run live on the sources in this config (default: $XDG_CONFIG_HOME/warroom/config.yaml when it exists and no --scenario is given)")
	f.StringVar(&role, "role", string(tui.RolePlayer), "player, or facilitator (sees notes and expected actions, fires/skips/holds injects, scores)")
	f.StringVar(&out, "out", "", "write the exercise debrief as Markdown to this file on exit (from the journal, with --journal)")
	f.StringVar(&jpath, "journal", "", "keep the room's record in this SQLite file; run again with the same file and the room is restored where it was (--start, --speed and --play then change nothing)")
	f.BoolVar(&noPause, "no-pause-on-inject", false, "keep playing when an inject is delivered")
	f.BoolVar(&noBell, "no-bell", false, "ring no terminal bell when an alert fires")
	f.StringVar(&tz, "tz", "", zoneFlagHelp)
	f.StringVar(&drafts, "templates", "", templatesFlagHelp)
	f.StringVar(&theme, "theme", "default", themeFlagHelp)
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

// themeFlagHelp is --theme's line in the help of run and serve.
var themeFlagHelp = "colours: " + strings.Join(tui.ThemeNames(), ", ") +
	" (okabe-ito is safe with colour blindness; every colour also has a word or symbol; NO_COLOR still turns colour off)"

// zoneFlagHelp is --tz's line in the help of run and serve.
const zoneFlagHelp = "show wall-clock times in this zone, e.g. Europe/Berlin (default: $TZ, else UTC; files written stay in UTC)"
