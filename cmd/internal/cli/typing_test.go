package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// typedNotes are texts full of words that are also key names: typed into
// the command line they must arrive exactly.
var typedNotes = []string{
	"A 54 down all",
	"up down left right",
	"ETA end of day",
	"esc then q and home",
	"tab enter space pgup",
}

// TestTypingInTmux types notes into the console in a real tmux, once in one
// burst each (send-keys -l: fast typing over SSH, an unbracketed paste) and
// once key by key, and reads them back from the timeline exactly.
func TestTypingInTmux(t *testing.T) {
	for _, burst := range []bool{true, false} {
		name := "key by key"
		if burst {
			name = "burst"
		}
		t.Run(name, func(t *testing.T) {
			s := startTmux(t, 120, 40, "run", "--as", "typist")
			s.waitFor("the console", func(sc []string) bool { return strings.Contains(strings.Join(sc, "\n"), "1 Hosts") })
			for _, text := range typedNotes {
				if burst {
					s.typeBurst(":note " + text)
				} else {
					for _, r := range ":note " + text {
						s.typeBurst(string(r))
					}
				}
				s.keys("Enter")
				want := "note (typist): " + text
				s.waitFor(want, func(sc []string) bool {
					for _, l := range sc {
						if i := strings.Index(l, want); i >= 0 && strings.HasPrefix(l[i+len(want):], " ") {
							return true
						}
					}
					return false
				})
			}
		})
	}
}

// TestHangupWritesDebrief: closing the terminal (tmux kills the window, the
// process gets SIGHUP, as when an SSH link drops) ends the console as q
// does, and the --out debrief is written.
func TestHangupWritesDebrief(t *testing.T) {
	out := filepath.Join(t.TempDir(), "debrief.md")
	s := startTmux(t, 120, 40, "run", "--scenario", "oncall-training-30m", "--out", out, "--as", "typist")
	s.waitFor("the console", func(sc []string) bool { return strings.Contains(strings.Join(sc, "\n"), "1 Hosts") })
	s.typeBurst(":seek T+20m")
	s.keys("Enter")
	s.waitFor("the seek", func(sc []string) bool { return strings.Contains(strings.Join(sc, "\n"), "T+00:20") })
	s.run("kill-session", "-t", "test")
	deadline := time.Now().Add(10 * time.Second)
	for {
		md, err := os.ReadFile(out)
		if err == nil && strings.Contains(string(md), "# Debrief") && strings.Contains(string(md), "T+00:20") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no debrief at T+00:20 after the hangup (err %v):\n%s", err, md)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
