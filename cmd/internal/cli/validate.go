package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/model"
)

func newValidateCmd() *cobra.Command {
	var strict bool
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files and print every problem and warning as file:line:col",
		Long: "validate checks scenario files. Problems make a file bad; warnings point at\n" +
			"things that are suspicious but valid (a host group's recovered count falling\n" +
			"with no failure, the backlog moving more than 10x in one step, an inject\n" +
			"without questions, a runbook step never reached). Problems and warnings go\n" +
			"to stderr, one \"ok\" line per good file to stdout. It exits 1 when a file has\n" +
			"problems, or with --strict when it has warnings.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			bad := false
			for _, file := range files {
				data, err := feed.ReadScenarioFile(file)
				if err != nil {
					fmt.Fprintln(errOut, model.Visible(fmt.Sprintf("%s: %v", file, err)))
					bad = true
					continue
				}
				sc, warnings, err := model.LoadScenarioChecked(file, data)
				var problems model.ProblemList
				switch {
				case errors.As(err, &problems):
					for _, p := range problems {
						fmt.Fprintln(errOut, p)
					}
					bad = true
					continue
				case err != nil:
					fmt.Fprintln(errOut, model.Visible(fmt.Sprintf("%s: %v", file, err)))
					bad = true
					continue
				}
				for _, w := range warnings {
					fmt.Fprintln(errOut, model.Visible(w.String()))
				}
				name := model.Visible(file)
				summary := model.Plural(len(sc.Events), "event") + " over " + model.FormatOffset(sc.End())
				switch {
				case len(warnings) == 0:
					fmt.Fprintf(out, "%s: ok (%s)\n", name, summary)
				case strict:
					fmt.Fprintf(errOut, "%s: failed: %s with --strict\n", name, countWarnings(len(warnings)))
					bad = true
				default:
					fmt.Fprintf(out, "%s: ok (%s; %s)\n", name, countWarnings(len(warnings)), summary)
				}
			}
			if bad {
				return errSilent
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "fail (exit 1) on warnings too")
	return cmd
}

func countWarnings(n int) string { return model.Plural(n, "warning") }
