package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

func newScenariosCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the embedded scenarios",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tSPAN\tEVENTS\tTITLE")
			for _, name := range fixtures.Names() {
				sc, err := feed.OpenScenario(name)
				if err != nil {
					return fmt.Errorf("embedded scenario %s: %w", name, err)
				}
				def := ""
				if name == fixtures.Default {
					def = " (default)"
				}
				fmt.Fprintf(w, "%s%s\t%s\t%d\t%s\n", name, def, model.FormatOffset(sc.End()), len(sc.Events), sc.Meta.Title)
			}
			return w.Flush()
		},
	}
}
