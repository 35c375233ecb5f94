package cli

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/warroom/warroom", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "27116f4ffc9563afd2e2326772bee66c5babaf43"},
			{Key: "vcs.time", Value: "2026-12-02T03:03:34Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	want := "warroom v1.4.0\n" +
		"revision  27116f4ffc9563afd2e2326772bee66c5babaf43\n" +
		"time      2026-12-02T03:03:34Z\n" +
		"modified  yes: built with changes not committed\n" +
		"go        go1.26.0\n"
	if got := versionText(bi, true); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	bi.Settings[3].Value = "false"
	if got := versionText(bi, true); !strings.Contains(got, "modified  no\n") {
		t.Errorf("a clean tree should say modified no:\n%s", got)
	}

	// go run and tests record no commit: say so rather than print nothing.
	bare := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}
	if got := versionText(bare, true); got != "warroom (devel)\nrevision  unknown (not built from a checkout with `go build`)\ngo        go1.26.0\n" {
		t.Errorf("no VCS information:\n%s", got)
	}
	if got := versionText(nil, false); !strings.Contains(got, "no build information") {
		t.Errorf("no build information: %q", got)
	}
}

// TestVersionFlagAndCommand: --version and `warroom version` print this
// binary's build information, the same.
func TestVersionFlagAndCommand(t *testing.T) {
	flag, _, err := runCLI(t, "--version")
	if err != nil {
		t.Fatal(err)
	}
	cmd, _, err := runCLI(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	if flag != cmd || flag != buildVersion() {
		t.Errorf("--version %q and version %q should both be %q", flag, cmd, buildVersion())
	}
	if !strings.HasPrefix(flag, "warroom ") || !strings.Contains(flag, "go        go1.") {
		t.Errorf("want the module version and the Go version:\n%s", flag)
	}
}

// TestUnknownZone: an unknown --tz or TZ is an error naming the flag or
// the variable and the value, exit status 2, before anything opens.
func TestUnknownZone(t *testing.T) {
	cases := []struct {
		args []string
		tz   string
		want string
	}{
		{[]string{"--tz", "Mars/Olympus"}, "", `warroom: --tz "Mars/Olympus": unknown time zone`},
		{[]string{"run", "--tz", "Nowhere"}, "Europe/Berlin", `warroom: --tz "Nowhere": unknown time zone`},
		{nil, "Atlantis/Capital", `warroom: TZ "Atlantis/Capital": unknown time zone`},
		{[]string{"serve", "--tz", "Mars/Olympus", "--team", "t.yaml", "--journal", "j.db"}, "",
			`warroom: --tz "Mars/Olympus": unknown time zone`},
	}
	for _, c := range cases {
		t.Setenv("TZ", c.tz)
		_, stderr, err := runCLI(t, c.args...)
		if err == nil || exitCode(err) != 2 {
			t.Errorf("%v (TZ=%s): err %v, exit %d; want exit 2", c.args, c.tz, err, exitCode(err))
		}
		if !strings.HasPrefix(stderr, c.want) {
			t.Errorf("%v (TZ=%s): stderr %q, want it to start %q", c.args, c.tz, stderr, c.want)
		}
	}
}
