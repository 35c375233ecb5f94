package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/model"
)

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files and print every problem as file:line:col",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			bad := false
			for _, file := range files {
				data, err := os.ReadFile(file)
				if err != nil {
					fmt.Fprintf(errOut, "%s: %v\n", file, err)
					bad = true
					continue
				}
				sc, err := model.LoadScenario(file, data)
				var problems model.ProblemList
				switch {
				case errors.As(err, &problems):
					for _, p := range problems {
						fmt.Fprintln(errOut, p)
					}
					bad = true
				case err != nil:
					fmt.Fprintf(errOut, "%s: %v\n", file, err)
					bad = true
				default:
					fmt.Fprintf(out, "%s: ok (%d events over %s)\n", file, len(sc.Events), model.FormatOffset(sc.End()))
				}
			}
			if bad {
				return errSilent
			}
			return nil
		},
	}
}
