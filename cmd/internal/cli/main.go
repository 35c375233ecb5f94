// Package cli is warroom's command line: every command, and the programs
// that carry them. warroom is the console and the commands that print a
// scenario or check it; the SSH server (warroom-serve), the after-action
// report (warroom-report) and the journal's commands (warroom-journal) are
// programs of their own, which warroom serve, report and journal run, so
// that the console does not carry their code.
package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Main runs the program whose command line root makes, and returns its
// exit code.
func Main(root func() *cobra.Command) int {
	if err := run(root(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		return exitCode(err)
	}
	return 0
}

// run runs the command line with everything it prints going through a
// visibleWriter, and prints the error that ends it, if any. Problems
// already printed by the command (validate) come back as errSilent: exit 1
// without repeating them.
func run(root *cobra.Command, args []string, stdout, stderr io.Writer) error {
	out, errOut := newVisibleWriter(stdout), newVisibleWriter(stderr)
	defer out.Flush()    //nolint:errcheck // nowhere left to report it
	defer errOut.Flush() //nolint:errcheck // nowhere left to report it
	root.SetOut(out)
	root.SetErr(errOut)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil && err != errSilent {
		fmt.Fprintln(errOut, "warroom:", err)
	}
	return err
}

// Console is the warroom program. Its serve, report and journal run
// warroom-serve, warroom-report and warroom-journal: the SSH server, the
// report's charts and HTML and the journal's NATS client would make every
// console hold 1.5–1.8 MB more memory from its start, used or not
// (measured on the default scenario: 20.8–21.1 MB, 19.3–19.6 MB without them).
func Console() *cobra.Command {
	return newRootCmd(programCmd("serve", "warroom-serve", serveShort), programCmd("report", "warroom-report", reportShort),
		programCmd("journal", "warroom-journal", journalShort))
}

// Server is the warroom-serve program: warroom serve.
func Server() *cobra.Command { return programRoot(newServeCmd()) }

// Report is the warroom-report program: warroom report.
func Report() *cobra.Command { return programRoot(newReportCmd()) }

// Journal is the warroom-journal program: warroom journal.
func Journal() *cobra.Command { return programRoot(newJournalCmd()) }

func newRootCmd(more ...*cobra.Command) *cobra.Command {
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
	root.AddCommand(run, newValidateCmd(), newSitrepCmd(), newCommsCmd(), newScenariosCmd(), newSimulateCmd(), newVersionCmd())
	root.AddCommand(more...)
	return root
}
