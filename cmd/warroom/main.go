// Command warroom is a terminal war-room console for large operational
// incidents. With no arguments it opens the default scenario.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		// Problems already printed by the command (validate) come back as
		// errSilent: exit 1 without repeating them.
		if err != errSilent {
			fmt.Fprintln(os.Stderr, "warroom:", err)
		}
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	run := newRunCmd()
	root := &cobra.Command{
		Use:   "warroom",
		Short: "A terminal war-room console for large operational incidents",
		Long: "warroom shows one shared picture of an incident — host recovery, the delivery\n" +
			"backlog and its ETA, carrier warnings, seller complaints, the runbook and a\n" +
			"timeline — live or replayed from a scenario. With no command it runs the\n" +
			"default scenario (the same as `warroom run`).",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE:          run.RunE,
	}
	root.Flags().AddFlagSet(run.Flags())
	root.AddCommand(run, newValidateCmd(), newSitrepCmd(), newScenariosCmd(), newSimulateCmd())
	return root
}
