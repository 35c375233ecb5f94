// Command warroom is a terminal war-room console for large operational
// incidents. With no arguments it opens the default scenario.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	if err := execute(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		os.Exit(exitCode(err))
	}
}

// execute runs the command line with everything it prints going through a
// visibleWriter, and prints the error that ends it, if any. Problems
// already printed by the command (validate) come back as errSilent: exit 1
// without repeating them.
func execute(args []string, stdout, stderr io.Writer) error {
	out, errOut := newVisibleWriter(stdout), newVisibleWriter(stderr)
	defer out.Flush()    //nolint:errcheck // nowhere left to report it
	defer errOut.Flush() //nolint:errcheck // nowhere left to report it
	root := newRootCmd()
	root.SetOut(out)
	root.SetErr(errOut)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil && err != errSilent {
		fmt.Fprintln(errOut, "warroom:", err)
	}
	return err
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
	}
	// --version is a flag of our own, not cobra's Version field: cobra
	// prints that through text/template, whose calls of methods by name keep
	// every exported method of every type in the binary (4 MB more binary,
	// 1 MB more resident memory in every console, measured).
	var version bool
	root.Flags().BoolVar(&version, "version", false, "print the version, the commit it was built from and the Go that built it")
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if version {
			_, err := fmt.Fprint(cmd.OutOrStdout(), buildVersion())
			return err
		}
		return run.RunE(cmd, args)
	}
	root.Flags().AddFlagSet(run.Flags())
	root.AddCommand(run, newValidateCmd(), newSitrepCmd(), newCommsCmd(), newReportCmd(), newScenariosCmd(), newSimulateCmd(), newServeCmd(), newJournalCmd(), newVersionCmd())
	return root
}
