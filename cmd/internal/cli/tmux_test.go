package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/journal/natstest"
)

// A harness for tests that look at warroom as a real terminal draws it: the
// binary runs in a detached tmux session of a fixed size, keys are sent with
// send-keys and the screen is read with capture-pane. Each session has a
// tmux server of its own (-L), so tests never touch a user's tmux.

// warroomBinary builds warroom, and the programs its serve, report and
// journal run beside it, once for every test that needs them. It looks at every Go
// file of the module first: go test caches a result by the files a test
// opened or examined, and the build that reads them runs in another
// process.
var warroomBinary = sync.OnceValues(func() (string, error) {
	if err := filepath.WalkDir("../../..", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			_, err = os.Stat(path)
		}
		return err
	}); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "warroom-test-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "warroom")
	if out, err := exec.Command("go", "build", "-o", dir, "../../warroom", "../../warroom-serve", "../../warroom-report", "../../warroom-journal").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func TestMain(m *testing.M) {
	natstest.RunNodeIfAsked() // the binary started again as a NATS node of a test cluster
	code := m.Run()
	if bin, err := warroomBinary(); err == nil && strings.Contains(bin, "warroom-test-bin-") {
		os.RemoveAll(filepath.Dir(bin))
	}
	os.Exit(code)
}

// needTmux returns tmux's path, skipping the test when it is missing, or
// failing it when CI is set (CI installs tmux).
func needTmux(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("tmux is needed and CI is set: %v", err)
		}
		t.Skipf("tmux not installed (%v): skipping the terminal test", err)
	}
	return path
}

// tmuxSession is one detached tmux session running one command.
type tmuxSession struct {
	t      *testing.T
	tmux   string
	socket string // the -L name of its own server
	w, h   int
}

// startTmux runs the warroom binary with args in a new w×h tmux session, in
// a UTF-8 locale, with OSC 52 accepted into tmux's paste buffers so that a
// test can tell whether anything tried to write the clipboard. The session
// is killed when the test ends.
func startTmux(t *testing.T, w, h int, args ...string) *tmuxSession {
	t.Helper()
	tm := needTmux(t)
	bin, err := warroomBinary()
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g status off\nset -g escape-time 0\nset -g set-clipboard on\n"+
		"set -g remain-on-exit on\nset -g allow-rename on\nset -g default-terminal tmux-256color\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	name := strings.NewReplacer("/", "-", " ", "-").Replace(fmt.Sprintf("warroom-test-%s-%d", t.Name(), os.Getpid()))
	s := &tmuxSession{t: t, tmux: tm, socket: name, w: w, h: h}
	cmd := append([]string{"-f", conf, "new-session", "-d", "-s", "test", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h),
		"-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", "--", bin}, args...)
	s.run(cmd...)
	t.Cleanup(func() { _ = exec.Command(tm, "-L", s.socket, "kill-server").Run() })
	return s
}

// run runs a tmux command against the session's server and returns its output.
func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command(s.tmux, append([]string{"-u", "-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends keys as tmux names them ("q", "Enter", "Escape", "C-c"), one
// write each, a moment apart: an Escape that arrived with the next key in
// one read would be taken for Alt and that key.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for i, k := range keys {
		if i > 0 {
			time.Sleep(50 * time.Millisecond)
		}
		s.run("send-keys", "-t", "test", k)
	}
}

// typeBurst sends text as literal keys in a single write, as fast as a
// terminal can deliver them.
func (s *tmuxSession) typeBurst(text string) {
	s.t.Helper()
	s.run("send-keys", "-t", "test", "-l", text)
}

// screen is the pane as it is drawn, one string per row, trailing spaces
// kept, so that every row has all its cells.
func (s *tmuxSession) screen() []string {
	s.t.Helper()
	out := s.run("capture-pane", "-p", "-N", "-t", "test")
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

// waitFor polls the screen until ok accepts it, and fails after a while.
func (s *tmuxSession) waitFor(what string, ok func(screen []string) bool) []string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		sc := s.screen()
		if ok(sc) {
			return sc
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; the screen:\n%s", what, strings.Join(sc, "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// format expands a tmux format in the session, e.g. "#{pane_title}".
func (s *tmuxSession) format(f string) string {
	s.t.Helper()
	return strings.TrimSuffix(s.run("display-message", "-p", "-t", "test", f), "\n")
}

// widths asks tmux how many cells it draws each rune in, all at once
// (tmux's #{w:} is the width its own drawing uses). ASCII is one cell.
func (s *tmuxSession) widths(runes map[rune]bool) map[rune]int {
	s.t.Helper()
	var list []rune
	var args, format []string
	for r := range runes {
		if r < 0x80 {
			continue
		}
		n := len(list)
		list = append(list, r)
		args = append(args, "set-option", "-g", fmt.Sprintf("@r%d", n), string(r), ";")
		format = append(format, fmt.Sprintf("#{w:@r%d}", n))
	}
	got := map[rune]int{}
	if len(list) == 0 {
		return got
	}
	args = append(args, "display-message", "-p", "-t", "test", strings.Join(format, " "))
	fields := strings.Fields(s.run(args...))
	if len(fields) != len(list) {
		s.t.Fatalf("tmux gave %d widths for %d runes", len(fields), len(list))
	}
	for i, f := range fields {
		w, err := strconv.Atoi(f)
		if err != nil {
			s.t.Fatalf("tmux width %q: %v", f, err)
		}
		got[list[i]] = w
	}
	return got
}
