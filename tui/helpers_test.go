package tui

import (
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// TestMain renders without colour so that golden screens are plain text and
// do not depend on the terminal the tests run in.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// defaultScenario loads the scenario warroom opens with.
func defaultScenario(tb testing.TB) *model.Scenario {
	tb.Helper()
	return loadFixture(tb, fixtures.Default)
}

// loadFixture loads an embedded scenario.
func loadFixture(tb testing.TB, name string) *model.Scenario {
	tb.Helper()
	data, ok := fixtures.Read(name)
	if !ok {
		tb.Fatalf("fixture %s not embedded", name)
	}
	sc, err := model.LoadScenario(name+".yaml", data)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return sc
}

// newRoom opens a room on the default scenario at offset at.
func newRoom(tb testing.TB, at time.Duration) *room.Room {
	tb.Helper()
	r := room.New(defaultScenario(tb))
	tb.Cleanup(r.Close)
	if at > 0 {
		r.Seek(at)
	}
	return r
}

// start runs the real app on a room in a w×h terminal.
func start(tb testing.TB, r *room.Room, w, h int) *teatest.TestModel {
	tb.Helper()
	return teatest.NewTestModel(tb, New(r, Options{Responder: "ic"}), teatest.WithInitialTermSize(w, h))
}

// finish quits the program and returns the final screen.
func finish(tb testing.TB, tm *teatest.TestModel) string {
	tb.Helper()
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	m := tm.FinalModel(tb, teatest.WithFinalTimeout(5*time.Second))
	return m.View()
}

// keys sends key presses: single runes, or named keys in angle brackets
// ("<tab>", "<enter>", "<esc>", "<down>").
func keys(tm *teatest.TestModel, ks ...string) {
	named := map[string]tea.KeyType{
		"<tab>": tea.KeyTab, "<s-tab>": tea.KeyShiftTab, "<enter>": tea.KeyEnter, "<esc>": tea.KeyEsc,
		"<down>": tea.KeyDown, "<up>": tea.KeyUp, "<space>": tea.KeySpace, "<right>": tea.KeyRight,
		"<left>": tea.KeyLeft, "<pgdown>": tea.KeyPgDown, "<pgup>": tea.KeyPgUp,
	}
	for _, k := range ks {
		if k == "<space>" { // as bubbletea reads it: the rune too
			tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			continue
		}
		if t, ok := named[k]; ok {
			tm.Send(tea.KeyMsg{Type: t})
			continue
		}
		for _, r := range k {
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
}

// typeText sends text as one message, as fast typing or a paste over SSH
// arrives.
func typeText(tm *teatest.TestModel, s string) {
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
}

// checkFrame fails unless the screen has exactly h lines of at most w cells.
func checkFrame(tb testing.TB, screen string, w, h int) {
	tb.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		tb.Errorf("%d×%d: %d lines, want %d", w, h, len(lines), h)
	}
	for i, l := range lines {
		if n := width(l); n > w {
			tb.Errorf("%d×%d: line %d is %d cells wide: %q", w, h, i+1, n, l)
		}
	}
}
