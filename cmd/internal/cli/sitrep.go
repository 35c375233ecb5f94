package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

func newSitrepCmd() *cobra.Command {
	var scenario, at, format string
	cmd := &cobra.Command{
		Use:   "sitrep",
		Short: "Print the situation at a moment of a scenario, without the console",
		Example: "  warroom sitrep --at T+12h\n" +
			"  warroom sitrep --scenario my-drill.yaml --at T+30:15 --format markdown",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc, snap, err := scenarioMoment(cmd, scenario, at, false, "showing")
			if err != nil {
				return err
			}
			rep := model.BuildSitrep(sc, &snap.State)
			out := cmd.OutOrStdout()
			switch format {
			case "text":
				_, err = fmt.Fprint(out, rep.Text())
			case "markdown", "md":
				_, err = fmt.Fprint(out, rep.Markdown())
			case "json":
				// encoding/json leaves C1, bidi and zero-width characters
				// as they are; EscapeJSON writes them as \u escapes, which
				// decode to the same strings.
				var data []byte
				if data, err = json.MarshalIndent(rep, "", "  "); err == nil {
					_, err = out.Write(append(model.EscapeJSON(data), '\n'))
				}
			default:
				return fmt.Errorf("--format %q: want text, json or markdown", format)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVarP(&scenario, "scenario", "s", fixtures.Default, "embedded scenario name or path to a scenario file")
	f.StringVar(&at, "at", "T+0", "the moment, e.g. T+12h or T+12:30")
	f.StringVarP(&format, "format", "f", "text", "text, json or markdown")
	return cmd
}

// scenarioMoment opens a scenario and plays it to the moment --at names
// ("end" too, with endOK), saying on standard error when the moment is
// outside the scenario: the nearest one is what the command is doing
// ("showing the nearest moment").
func scenarioMoment(cmd *cobra.Command, ref, at string, endOK bool, doing string) (*model.Scenario, room.Snapshot, error) {
	sc, err := feed.OpenScenario(ref)
	if err != nil {
		return nil, room.Snapshot{}, err
	}
	t := sc.End()
	if !endOK || at != "end" {
		if t, err = model.ParseOffset(at); err != nil {
			return nil, room.Snapshot{}, fmt.Errorf("--at: %w", err)
		}
	}
	if t < 0 || t > sc.End() {
		fmt.Fprintf(cmd.ErrOrStderr(), "warroom: --at %s is outside the scenario (T+00:00 to %s); %s the nearest moment\n",
			model.FormatOffset(t), model.FormatOffset(sc.End()), doing)
	}
	r := room.New(sc)
	defer r.Close()
	return sc, r.Seek(t), nil
}
