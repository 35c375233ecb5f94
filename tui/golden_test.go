package tui

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
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
