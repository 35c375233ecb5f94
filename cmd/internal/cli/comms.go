package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/report"
)

func newCommsCmd() *cobra.Command {
	var scenario, at, name, dir, as string
	cmd := &cobra.Command{
		Use:   "comms",
		Short: "Print a status-update draft filled with a scenario's figures at a moment",
		Example: "  warroom comms --template seller --at T+12h\n" +
			"  warroom comms --template leadership --scenario my-drill.yaml --at T+30:15\n" +
			"  warroom comms --templates ./drafts --template press --at T+6h",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ts, err := loadDrafts(dir)
			if err != nil {
				return err
			}
			tm, ok := ts.Get(name)
			if !ok {
				return usageError{fmt.Errorf("--template %q: want one of %s", name, strings.Join(ts.Names(), ", "))}
			}
			sc, snap, err := scenarioMoment(cmd, scenario, at, false, "showing")
			if err != nil {
				return err
			}
			text, err := tm.Render(report.BuildFigures(sc, &snap.State, as))
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), text)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVarP(&scenario, "scenario", "s", fixtures.Default, "embedded scenario name or path to a scenario file")
	f.StringVar(&at, "at", "T+0", "the moment, e.g. T+12h or T+12:30")
	f.StringVarP(&name, "template", "t", "", "the draft: customer, seller, leadership, carrier, or one of the templates directory's")
	f.StringVar(&dir, "templates", "", templatesFlagHelp)
	f.StringVar(&as, "as", responderName(), "the sender the draft names")
	return cmd
}

// templatesFlagHelp is --templates' line in the help of comms, run and
// serve.
const templatesFlagHelp = "a directory of NAME.tmpl draft templates that replace or add to the built-in ones (default: $XDG_CONFIG_HOME/warroom/templates when it exists)"

// loadDrafts reads the built-in drafts and those of dir, or of the user's
// configuration directory when dir is empty.
func loadDrafts(dir string) (*report.Templates, error) {
	if dir == "" {
		if cfg, err := os.UserConfigDir(); err == nil {
			dir = filepath.Join(cfg, "warroom", "templates")
		}
	} else if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("--templates %s: not a directory", dir)
	}
	return report.LoadTemplates(fixtures.Templates(), fixtures.TemplatesDir, dir)
}
