package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

func newScenariosCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenarios",
		Short: "List the embedded scenarios",
		Long: "List the embedded scenarios with their span, number of events and title.\n" +
			"`warroom scenarios export NAME > my.yaml` starts a new scenario from one of them.",
		Args: cobra.NoArgs,
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
	cmd.AddCommand(newScenariosExportCmd(), newScenariosSchemaCmd())
	return cmd
}

func newScenariosExportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "export NAME",
		Short: "Print an embedded scenario's YAML, to start a new scenario from it",
		Long: "Print an embedded scenario's YAML to standard output exactly as it is embedded:\n" +
			"  warroom scenarios export " + fixtures.Default + " > my.yaml\n" +
			"Edit my.yaml, check it with `warroom validate my.yaml` and run it with\n" +
			"`warroom run --scenario my.yaml`. The file's first lines point editors at\n" +
			"scenario.schema.json (see fixtures/README.md) for completion.",
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return fixtures.Names(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			data, ok := fixtures.Read(args[0])
			if !ok {
				return fmt.Errorf("no embedded scenario %q (embedded: %s)", args[0], strings.Join(fixtures.Names(), ", "))
			}
			_, err := cmd.OutOrStdout().Write(data)
			return err
		},
	}
}

func newScenariosSchemaCmd() *cobra.Command {
	wire := false
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the scenario format's JSON Schema, for editors",
		Long: "Print the JSON Schema of the scenario format, made from the same types the\n" +
			"loader decodes into. Save it next to a scenario exported with\n" +
			"`warroom scenarios export` so that the file's\n" +
			"`# yaml-language-server: $schema=scenario.schema.json` line finds it:\n" +
			"  warroom scenarios schema > scenario.schema.json\n" +
			"With --wire, the schema of one event of the wire format (NDJSON) instead.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			schema := model.ScenarioSchema()
			if wire {
				schema = model.WireSchema()
			}
			_, err := cmd.OutOrStdout().Write(schema)
			return err
		},
	}
	cmd.Flags().BoolVar(&wire, "wire", false, "the wire format's event instead of the scenario file")
	return cmd
}
