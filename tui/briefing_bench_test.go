package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/room"
)

// briefingApp is benchApp's large incident at 200×50 in the briefing view.
func briefingApp(b *testing.B) (*app, room.Snapshot) {
	a, _, s := benchApp(b)
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("b")})
	if v := a.View(); !strings.HasPrefix(v, " BRIEFING") {
		b.Fatalf("not in the briefing view:\n%s", v)
	}
	return a, s
}

// BenchmarkBriefingView measures a briefing frame after a clock-only
// change on the large incident: the figures (the sitrep) and the chart
// follow the clock.
func BenchmarkBriefingView(b *testing.B) {
	a, s := briefingApp(b)
	framesClockMoving(b, a, s)
}

// BenchmarkBriefingPlaying measures briefing frames while the large
// incident's replay plays.
func BenchmarkBriefingPlaying(b *testing.B) {
	a, r, s := benchApp(b)
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("b")})
	framesPlaying(b, a, r, s)
}

// BenchmarkBriefingViewSeconds is BenchmarkBriefingView with the clock
// moving six seconds a frame, as a replay at ×60 does: the figures change
// once a minute.
func BenchmarkBriefingViewSeconds(b *testing.B) {
	a, s := briefingApp(b)
	base := s.Clock
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		s.Clock = base + time.Duration(i%6000+1)*6*time.Second
		s.Seq++
		a.Update(snapshotMsg{s})
		if v := a.View(); len(v) == 0 {
			b.Fatal("empty view")
		}
	}
}
