package cli

import (
	"strings"
	"testing"
)

// TestSearchInTmux searches the timeline in a real tmux, the query typed
// in one burst (send-keys -l: fast typing over SSH) and key by key: the
// timeline's title counts the matches, n moves to the next, esc ends the
// search. Also with --tz: the header names the zone.
func TestSearchInTmux(t *testing.T) {
	for _, burst := range []bool{true, false} {
		name := "key by key"
		if burst {
			name = "burst"
		}
		t.Run(name, func(t *testing.T) {
			s := startTmux(t, 120, 40, "run", "--start", "T+6h", "--tz", "Europe/Berlin")
			s.waitFor("the console", func(sc []string) bool { return strings.Contains(strings.Join(sc, "\n"), "1 Hosts") })
			if head := s.screen()[0]; !strings.Contains(head, "2024-07-19 12:09 CEST") {
				t.Fatalf("the header should show Berlin's time: %q", head)
			}
			s.keys("6")
			if burst {
				s.typeBurst("/ups")
			} else {
				for _, r := range "/ups" {
					s.typeBurst(string(r))
				}
			}
			s.waitFor("the matches counted", func(sc []string) bool { return strings.Contains(strings.Join(sc, "\n"), "6 Timeline /ups match 3/4") })
			s.keys("Enter", "n")
			s.waitFor("the next match", func(sc []string) bool { return strings.Contains(strings.Join(sc, "\n"), "6 Timeline /ups match 4/4") })
			s.keys("Escape")
			s.waitFor("the search ended", func(sc []string) bool {
				all := strings.Join(sc, "\n")
				return strings.Contains(all, "search ended") && !strings.Contains(all, "/ups")
			})
		})
	}
}
