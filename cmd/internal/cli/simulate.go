package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/sim"
)

func newSimulateCmd() *cobra.Command {
	var (
		scenario, listen, start string
		speed                   float64
		fresh                   bool
	)
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Serve a scenario as live endpoints (Prometheus, status pages, RSS, NDJSON)",
		Long: "Replay a scenario in real time and serve it the way live sources would:\n" +
			"Prometheus metrics on /metrics, an Atlassian Statuspage per carrier on\n" +
			"/statuspage/CARRIER/api/v2/summary.json, seller complaints as RSS on\n" +
			"/rss/complaints.xml and every event as NDJSON on /events.ndjson. Documents\n" +
			"carry real time, so a live console (warroom run --config\n" +
			"fixtures/live-example.yaml) can be drilled end to end. Restarted, it goes\n" +
			"on with the same incident at the same times, as a real system would, until\n" +
			"the scenario is over; --fresh starts it over.",
		Example: "  warroom simulate --scenario crowdstrike-primeday-2024 --start T+4h --speed 60",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc, err := feed.OpenScenario(scenario)
			if err != nil {
				return err
			}
			from, err := model.ParseOffset(start)
			if err != nil {
				return fmt.Errorf("--start: %w", err)
			}
			if speed < 0 || speed > model.MaxSpeed {
				return fmt.Errorf("--speed %v: want 0 (frozen) to %d", speed, model.MaxSpeed)
			}
			out := cmd.OutOrStdout()
			tl := sim.Timeline{Scenario: sc.Name, Speed: speed, Start: from, Began: time.Now()}
			continued := false
			if path, err := sim.TimelinePath(sc.Name); err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", err)
			} else if tl, continued, err = sim.ContinueTimeline(path, sc, speed, from, tl.Began, fresh); err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", err)
			}
			s := sim.NewTimeline(sc, tl, nil)
			s.StampRealTime()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("--listen: %w", err)
			}
			base := "http://" + ln.Addr().String()
			if continued {
				fmt.Fprintf(out, "simulating %s at %v× on %s, going on at %s with the incident begun %s (--fresh starts over; ctrl+c to stop)\n",
					sc.Name, speed, base, model.FormatOffset(s.Offset()), tl.Began.Local().Format("15:04:05"))
			} else {
				fmt.Fprintf(out, "simulating %s from %s at %v× on %s (ctrl+c to stop)\n", sc.Name, model.FormatOffset(from), speed, base)
			}
			fmt.Fprintf(out, "  %s/metrics\n  %s/events.ndjson\n  %s/rss/complaints.xml\n", base, base, base)
			for _, c := range sc.Carriers {
				fmt.Fprintf(out, "  %s/statuspage/%s/api/v2/summary.json\n", base, c.ID)
			}
			srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				_ = srv.Shutdown(shut)
			}()
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&scenario, "scenario", "s", fixtures.Default, "embedded scenario name or path to a scenario file")
	f.StringVar(&listen, "listen", "127.0.0.1:9464", "address to serve on")
	f.StringVar(&start, "start", "T+0", "scenario time to start from, e.g. T+4h")
	f.Float64Var(&speed, "speed", 1, "simulated seconds per real second (0 freezes the clock)")
	f.BoolVar(&fresh, "fresh", false, "start the incident over instead of going on with the last run's")
	return cmd
}
