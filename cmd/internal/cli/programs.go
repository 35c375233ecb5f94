package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
)

// programCmd is a command of warroom's that a program of its own carries:
// it runs that program with the command's arguments in warroom's place
// (the same terminal, signals and exit code), as git runs git-foo. The
// program is looked for beside warroom first, so that the two come from
// the same build, then on PATH. warroom help NAME is the program's help.
func programCmd(use, program, short string) *cobra.Command {
	runProgram := func(args []string) error {
		path, err := findProgram(program)
		if err != nil {
			return err
		}
		return fmt.Errorf("run %s: %w", path, syscall.Exec(path, append([]string{path}, args...), os.Environ()))
	}
	cmd := &cobra.Command{
		Use:                use,
		Short:              short,
		DisableFlagParsing: true, // the program reads them, --help too
		RunE:               func(_ *cobra.Command, args []string) error { return runProgram(args) },
	}
	cmd.SetHelpFunc(func(c *cobra.Command, _ []string) {
		if err := runProgram([]string{"--help"}); err != nil {
			fmt.Fprintln(c.ErrOrStderr(), "warroom:", err)
		}
	})
	return cmd
}

// findProgram is the path of one of warroom's programs.
func findProgram(name string) (string, error) {
	self, err := os.Executable()
	if err == nil {
		// A path with a slash: LookPath only checks it is an executable file.
		if path, err := exec.LookPath(filepath.Join(filepath.Dir(self), name)); err == nil {
			return path, nil
		}
	}
	if path, err := exec.LookPath(name); err == nil {
		return path, nil
	}
	return "", fmt.Errorf("%[1]s is a program of its own, found neither beside %[2]s nor on PATH: "+
		"go install ./cmd/... installs it with warroom; from the source tree, go run ./cmd/%[1]s runs it", name, self)
}

// programRoot makes a command the root of its own program, named in its
// help as the warroom command that runs it ("warroom journal export").
func programRoot(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[cobra.CommandDisplayNameAnnotation] = "warroom " + cmd.Name()
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.CompletionOptions.DisableDefaultCmd = true // warroom completion is the one
	return cmd
}
