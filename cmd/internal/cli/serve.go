package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/serve"
	"github.com/warroom/warroom/tui"
)

const serveShort = "Serve one shared room over SSH to the team"

func newServeCmd() *cobra.Command {
	var (
		listen, teamPath, jpath, scenario, config, hostKey string
		noPause, noBell                                    bool
		tz, drafts, theme                                  string
		shared                                             streamFlags
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: serveShort,
		Long: "serve opens one room — a scenario for an exercise, or live sources for an\n" +
			"incident — and serves it over SSH to the members of a team file: each member\n" +
			"logs in with their own key and gets a console of their own over the one room.\n" +
			"Everything the room accepts is written to the journal before anyone sees it;\n" +
			"started again on the same journal, the room is restored where it was. The team\n" +
			"file is read again on SIGHUP without dropping anyone.\n\n" +
			"With --nats and --room the room is kept in a NATS JetStream stream that several\n" +
			"servers (one per bastion) share: each applies the stream's events in the\n" +
			"stream's order, catches up with it before it lets anyone in, and keeps its\n" +
			"consoles up when NATS is out of reach (actions are kept and sent when it\n" +
			"returns). Live sources are polled by one of the servers at a time.",
		Example: "  warroom serve --listen 127.0.0.1:2222 --team team.yaml --journal drill.db --scenario oncall-training-30m\n" +
			"  warroom serve --team team.yaml --journal incident.db --config live.yaml\n" +
			"  warroom serve --team team.yaml --config live.yaml --nats nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222 \\\n" +
			"      --room crowdstrike --name bastion-eu",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			errOut := cmd.ErrOrStderr()
			switch {
			case teamPath == "":
				return errors.New("--team: required: the team file names who may enter (see fixtures/README.md, The team file)")
			case jpath == "" && shared.url == "":
				return errors.New("--journal: required: a shared room keeps its record in a journal file (or in a NATS stream: --nats and --room)")
			case jpath != "" && shared.url != "":
				return errors.New("--journal and --nats: give one: a journal file for one server, or a NATS stream several servers share")
			case (shared.url == "") != (shared.room == ""):
				return errors.New("--nats and --room: give both: where the NATS cluster is, and the room's name in it")
			case config != "" && cmd.Flags().Changed("scenario"):
				return errors.New("--scenario and --config: give one: a scenario to exercise on, or live sources")
			}
			zone, err := tui.ChooseZone(tz, cmd.Flags().Changed("tz"), os.Getenv)
			if err != nil {
				return usageError{err}
			}
			th, err := tui.ParseTheme(theme)
			if err != nil {
				return usageError{fmt.Errorf("--theme: %w", err)}
			}
			templates, err := loadDrafts(drafts)
			if err != nil {
				return err
			}
			team, err := readTeam(errOut, teamPath)
			if err != nil {
				return err
			}
			if hostKey == "" {
				if hostKey, err = serve.DefaultHostKeyPath(); err != nil {
					return err
				}
			}
			ctx, stop := context.WithCancel(context.Background())
			defer stop()
			shared.dir = filepath.Dir(hostKey) // the outbox lives beside the host key
			r, wait, err := serveRoom(ctx, errOut, scenario, config, where{path: jpath, stream: shared}, noPause)
			if err != nil {
				return err
			}
			defer func() { stop(); wait(); r.Close() }()
			srv, err := serve.New(serve.Config{Addr: listen, HostKeyPath: hostKey, Team: team, Room: r.Room,
				Logger: slog.New(slog.NewTextHandler(errOut, nil)), Zone: zone, NoBell: noBell, Drafts: templates, Theme: th})
			if err != nil {
				return err
			}
			if err := srv.Listen(); err != nil {
				return fmt.Errorf("--listen %s: %w", listen, err)
			}
			announce(cmd.OutOrStdout(), r, srv, hostKey, r.where(), team)
			return runServer(errOut, srv, teamPath)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:2222", "address to listen on for SSH")
	f.StringVar(&teamPath, "team", "", "the team file: who may enter, as what, with which keys (required)")
	f.StringVar(&jpath, "journal", "", "the room's journal (SQLite); the same file restores the room (required without --nats)")
	shared.register(f)
	f.StringVarP(&scenario, "scenario", "s", fixtures.Default, "embedded scenario name or scenario file, for an exercise")
	f.StringVar(&config, "config", "", "run live on the sources in this config instead of a scenario")
	f.StringVar(&hostKey, "host-key", "", "the server's host key, created on first start (default $XDG_DATA_HOME/warroom/host_ed25519)")
	f.BoolVar(&noPause, "no-pause-on-inject", false, "keep playing when an inject is delivered")
	f.BoolVar(&noBell, "no-bell", false, "ring no session's terminal bell when an alert fires")
	f.StringVar(&tz, "tz", "", zoneFlagHelp+"; a client's own TZ (ssh -o SetEnv=TZ=...) wins for its console")
	f.StringVar(&drafts, "templates", "", templatesFlagHelp)
	f.StringVar(&theme, "theme", "default", themeFlagHelp+"; a client's own WARROOM_THEME (ssh -o SetEnv=WARROOM_THEME=...) wins for its console")
	return cmd
}

// readTeam reads and checks the team file, printing every problem.
func readTeam(errOut io.Writer, path string) (*serve.Team, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--team: %w", err)
	}
	team, err := serve.LoadTeam(path, data)
	var problems model.ProblemList
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(errOut, p)
		}
		return nil, errSilent
	}
	return team, err
}

// serveRoom opens the room to serve with its journal: a scenario's, or a
// live one fed by the config's sources until ctx ends (wait waits for
// them).
func serveRoom(ctx context.Context, errOut io.Writer, scenario, config string, at where, noPause bool) (*openedRoom, func(), error) {
	none := func() {}
	if config == "" {
		sc, err := feed.OpenScenario(scenario)
		if err != nil {
			return nil, none, err
		}
		r, err := openRoomAt(errOut, sc, false, at, room.WithPauseOnInject(!noPause))
		return r, none, err
	}
	cfg, err := loadLiveConfig(errOut, config)
	if err != nil {
		return nil, none, err
	}
	sc, err := liveScenario(cfg, time.Now())
	if err != nil {
		return nil, none, err
	}
	r, err := openRoomAt(errOut, sc, true, at)
	if err != nil {
		return nil, none, err
	}
	clock := feed.Clock{Origin: sc.Meta.Start}
	runner := feed.NewRunner(clock, r.Ingest)
	sources, err := cfg.Build(clock, os.LookupEnv, runner)
	if err != nil {
		r.Close()
		return nil, none, err
	}
	if r.stream == nil {
		return r, feed.Start(ctx, runner, sources), nil
	}
	wait, err := leadSources(ctx, errOut, r.stream, at.stream.lease, func(ctx context.Context) func() {
		// Each time this server leads, its sources start anew; what they
		// send again, the stream keeps once.
		sources, err := cfg.Build(clock, os.LookupEnv, runner)
		if err != nil {
			fmt.Fprintln(errOut, "warroom: sources:", err)
			return func() {}
		}
		return feed.Start(ctx, runner, sources)
	})
	if err != nil {
		r.Close()
		return nil, none, err
	}
	return r, wait, nil
}

// announce says what is served where, with the host key's fingerprint for
// members to check on their first connection, and how to connect.
func announce(out io.Writer, r *openedRoom, srv *serve.Server, hostKey, jpath string, team *serve.Team) {
	if r.stream != nil {
		defer fmt.Fprintf(out, "room     %s on NATS as %s; live sources polled by one server at a time\n", r.stream.Name(), r.stream.Origin())
	}
	s := r.Snapshot()
	state := "new"
	if r.restored {
		state = "restored at " + model.FormatOffset(s.Clock)
	}
	host, port, err := net.SplitHostPort(srv.Addr())
	if err != nil {
		host, port = srv.Addr(), "22"
	}
	fmt.Fprintf(out, "warroom: serving %q (%s) on %s for %s\n", s.Scenario.Meta.Title, state, srv.Addr(),
		model.Plural(len(team.Members), "member"))
	fmt.Fprintf(out, "host key %s (%s)\n", srv.Fingerprint(), hostKey)
	fmt.Fprintf(out, "journal  %s\n", jpath)
	fmt.Fprintf(out, "connect  ssh -p %s NAME@%s    (SIGHUP re-reads the team file; ctrl+c stops)\n", port, host)
}

// runServer serves until SIGINT or SIGTERM, re-reading the team file on
// SIGHUP: a file with problems is refused whole and the team stays as it
// was.
func runServer(errOut io.Writer, srv *serve.Server, teamPath string) error {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	for {
		select {
		case err := <-served:
			if errors.Is(err, serve.ErrServerClosed) {
				return nil
			}
			return err
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				team, err := readTeam(errOut, teamPath)
				if err != nil {
					if !errors.Is(err, errSilent) {
						fmt.Fprintln(errOut, "warroom:", err)
					}
					fmt.Fprintln(errOut, "warroom: the team file was not reloaded; the team stays as it was")
					continue
				}
				srv.SetTeam(team)
				fmt.Fprintf(errOut, "warroom: team reloaded: %s\n", model.Plural(len(team.Members), "member"))
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err := srv.Shutdown(ctx)
			cancel()
			<-served
			return err
		}
	}
}
