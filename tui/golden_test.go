package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/room"
)

// TestGolden compares whole screens of the default scenario with golden
// files (go test ./tui -run TestGolden -update rewrites them).
func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, at := range []time.Duration{0, 6 * time.Hour, 48 * time.Hour} {
			name := fmt.Sprintf("%dx%d_T+%02dh", size[0], size[1], int(at.Hours()))
			t.Run(name, func(t *testing.T) {
				tm := start(t, newRoom(t, at), size[0], size[1])
				screen := finish(t, tm)
				checkFrame(t, screen, size[0], size[1])
				teatest.RequireEqualOutput(t, []byte(screen))
			})
		}
	}
}

// TestGoldenShortScenario: a 30-minute drill gets an x axis in minutes and
// trends of 5-minute buckets, not one "T+0" tick and a 12-hour trend.
func TestGoldenShortScenario(t *testing.T) {
	sc := loadFixture(t, "oncall-training-30m")
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			r := room.New(sc, room.WithPauseOnInject(false))
			t.Cleanup(r.Close)
			r.Seek(25 * time.Minute)
			tm := start(t, r, size[0], size[1])
			screen := finish(t, tm)
			checkFrame(t, screen, size[0], size[1])
			for _, want := range []string{"T+10m", "T+20m"} {
				if !strings.Contains(screen, want) {
					t.Errorf("the x axis should have a tick %s:\n%s", want, screen)
				}
			}
			if size[0] == 120 && !strings.Contains(screen, "30m trend") {
				t.Errorf("the trend should span the 30 minutes:\n%s", screen)
			}
			teatest.RequireEqualOutput(t, []byte(screen))
		})
	}
}
