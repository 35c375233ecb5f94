package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgramsRunFromWarroom: warroom serve, report and journal run their
// programs with every argument as given, and print what those print.
func TestProgramsRunFromWarroom(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	bin, err := warroomBinary()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"report", "--scenario", "oncall-training-30m", "--at", "T+20m", "--format", "md"}
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("warroom %s: %v", strings.Join(args, " "), err)
	}
	want, _, err := runCLI(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != want {
		t.Errorf("warroom report through warroom-report printed:\n%s\nwant what the command prints in one process:\n%s", out, want)
	}
	help, err := exec.Command(bin, "serve", "--help").Output()
	if err != nil {
		t.Fatalf("warroom serve --help: %v", err)
	}
	if !strings.Contains(string(help), "warroom serve [flags]") || !strings.Contains(string(help), "--team string") {
		t.Errorf("warroom serve --help should print warroom-serve's help, its flags too; got:\n%s", help)
	}
	help, err = exec.Command(bin, "help", "journal").Output()
	if err != nil {
		t.Fatalf("warroom help journal: %v", err)
	}
	if !strings.Contains(string(help), "warroom journal [command]") || !strings.Contains(string(help), "verify ") {
		t.Errorf("warroom help journal should print warroom-journal's help, naming its commands as warroom journal's; got:\n%s", help)
	}
	bad := exec.Command(bin, "serve", "--no-such-flag")
	msg, err := bad.CombinedOutput()
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(msg), "unknown flag: --no-such-flag") {
		t.Errorf("warroom serve --no-such-flag: want warroom-serve's error and its exit code 1, got %v:\n%s", err, msg)
	}
	missing := filepath.Join(t.TempDir(), "none.db")
	msg, err = exec.Command(bin, "journal", "verify", missing).CombinedOutput()
	_, _, inProcess := runCLI(t, "journal", "verify", missing)
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 1 || inProcess == nil || string(msg) != "warroom: "+inProcess.Error()+"\n" {
		t.Errorf("warroom journal verify of a missing file: want warroom-journal's error %v, got %v:\n%s", inProcess, err, msg)
	}
	bad = exec.Command(bin, "report", "--journal", "j.db", "--format", "pdf")
	msg, err = bad.CombinedOutput()
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(msg), `--format "pdf": want md or html`) {
		t.Errorf("warroom report --format pdf: want warroom-report's error, got %v:\n%s", err, msg)
	}
}

// TestProgramMissing: warroom alone, without its programs beside it or on
// PATH, says which program it needs and how to get it.
func TestProgramMissing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	bin, err := warroomBinary()
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(t.TempDir(), "warroom")
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(alone, "serve", "--team", "team.yaml")
	cmd.Env = append(os.Environ(), "PATH="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("want exit code 1, got %v:\n%s", err, out)
	}
	for _, want := range []string{"warroom-serve is a program of its own", "go install ./cmd/...", "go run ./cmd/warroom-serve"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the message should say %q; got:\n%s", want, out)
		}
	}
}

// TestConsoleCarriesNoServerOrReport: the console's binary holds none of
// the SSH server's code, the report's charts or the journal's NATS client,
// whose start-up would make every console hold 1.5–1.8 MB more memory.
// Something that links them into warroom again fails here.
func TestConsoleCarriesNoServerOrReport(t *testing.T) {
	out := consoleSymbols(t)
	bin, err := warroomBinary()
	if err != nil {
		t.Fatal(err)
	}
	// What a program calls, not what the packages' start-up runs: those
	// packages are imported all the same (the console's drafts are the
	// report package's, and the room's journal flags share code with
	// serve's), and the linker keeps their init functions.
	for _, sym := range []string{
		"github.com/warroom/warroom/serve.New", "github.com/warroom/warroom/serve.(*Server).Listen",
		"github.com/charmbracelet/wish.NewServer", "github.com/warroom/warroom/report.AAR.HTML",
		"github.com/go-analyze/charts.New", "github.com/warroom/warroom/journal.OpenStream",
		"github.com/nats-io/nats%2ego.Connect", // the linker escapes the dot
	} {
		if strings.Contains(out, " "+sym) {
			t.Errorf("warroom holds %s: the console links what warroom-serve, warroom-report or warroom-journal should carry alone", sym)
		}
	}
	for _, prog := range []string{"warroom-serve", "warroom-report", "warroom-journal"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(bin), prog)); err != nil {
			t.Errorf("%s was not built beside warroom: %v", prog, err)
		}
	}
}
