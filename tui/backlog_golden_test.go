package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
)

// TestGoldenBacklog: the backlog pane with the forecast, its band and the
// normal level; with a what-if as a second path; and zoomed, with the
// backlog stacked by promise class. Without colour every mark still has a
// glyph of its own.
func TestGoldenBacklog(t *testing.T) {
	cases := []struct {
		name string
		at   time.Duration
		keys []string
		cmd  string
		want []string // in the backlog pane
		tall []string // and at 120×40, where the normal level has a row above the axis
	}{
		{name: "forecast", at: 44 * time.Hour, keys: []string{"2"},
			want: []string{string(runeForecast), string(runeBand), "! 231k late"}, tall: []string{"normal │", "─ seen  • forecast  ░ range  ╌ normal"}},
		{name: "whatif", at: 30 * time.Hour, keys: []string{"2"}, cmd: "whatif 0.8 from T+30h",
			want: []string{string(runeWhatIf), string(runeForecast), "what-if ×0.8"}},
		{name: "zoomed", at: 30 * time.Hour, keys: []string{"2", "z"},
			want: []string{"█ same-day", "▓ one-day (Prime)", "▒ two-day (Prime)", "▚ standard", "! 259k late", "▒▒▓▓▓", "▚▚▒▒▒"}},
	}
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1]), func(t *testing.T) {
				tm := startAs(t, newRoom(t, c.at), RoleFacilitator, size[0], size[1])
				keys(tm, c.keys...)
				if c.cmd != "" {
					keys(tm, ":")
					typeText(tm, c.cmd)
					keys(tm, "<enter>")
				}
				screen := finish(t, tm)
				checkFrame(t, screen, size[0], size[1])
				pane := strings.Join(paneLines(t, screen, "2 Delivery backlog"), "\n")
				want := c.want
				if size[1] == 40 {
					want = append(want, c.tall...)
				}
				for _, w := range want {
					if !strings.Contains(pane, w) {
						t.Errorf("the backlog pane should show %q:\n%s", w, pane)
					}
				}
				teatest.RequireEqualOutput(t, []byte(screen))
			})
		}
	}
}
