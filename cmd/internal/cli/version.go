package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// versionText is what --version and `warroom version` print: the module's
// version, the commit it was built from, when, whether the tree had
// changes, and the Go that built it, from the build information the
// toolchain embeds (a `go build` in a checkout records the commit; `go
// run` and tests do not).
func versionText(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "warroom: no build information in this binary\n"
	}
	var b strings.Builder
	v := bi.Main.Version
	if v == "" {
		v = "(unknown)"
	}
	fmt.Fprintf(&b, "warroom %s\n", v)
	set := map[string]string{}
	for _, s := range bi.Settings {
		set[s.Key] = s.Value
	}
	rev, when, modified := set["vcs.revision"], set["vcs.time"], set["vcs.modified"]
	if rev == "" {
		b.WriteString("revision  unknown (not built from a checkout with `go build`)\n")
	} else {
		fmt.Fprintf(&b, "revision  %s\n", rev)
		if when != "" {
			fmt.Fprintf(&b, "time      %s\n", when)
		}
		switch modified {
		case "true":
			b.WriteString("modified  yes: built with changes not committed\n")
		case "false":
			b.WriteString("modified  no\n")
		}
	}
	if bi.GoVersion != "" {
		fmt.Fprintf(&b, "go        %s\n", bi.GoVersion)
	}
	return b.String()
}

// buildVersion is this binary's versionText.
func buildVersion() string { return versionText(debug.ReadBuildInfo()) }

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit it was built from and the Go that built it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), buildVersion())
			return err
		},
	}
}
