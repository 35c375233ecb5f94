package tui

import (
	"io"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/room"
)

// Terminal is a console on a terminal it reaches through a reader of keys
// and a writer of frames: the local terminal Run opens, or an SSH session's
// channel. Frames are drawn by a Screen the moment they change, with
// bubbletea's own renderer off (see Screen for why).
type Terminal struct {
	// Program runs the console. Whoever runs it sends it the terminal's
	// size changes as tea.WindowSizeMsg; the first one draws the first frame.
	Program *tea.Program
	screen  *Screen
	console *app
}

// NewTerminal builds a console on r (as New does) for a terminal of w×h
// cells whose keys are read from in and whose frames go to out. popts are
// added to the program's options (an SSH session turns bubbletea's signal
// handler off: signals are the server's).
func NewTerminal(r *room.Room, opts Options, in io.Reader, out io.Writer, w, h int, popts ...tea.ProgramOption) *Terminal {
	return newTerminal(New(r, opts).(*app), in, out, w, h, popts...)
}

func newTerminal(a *app, in io.Reader, out io.Writer, w, h int, popts ...tea.ProgramOption) *Terminal {
	screen := NewScreen(out, w, h)
	a.clipboardOK = true // the screen writes the clipboard's sequence
	popts = append([]tea.ProgramOption{tea.WithoutRenderer(), tea.WithInput(in), tea.WithOutput(out)}, popts...)
	return &Terminal{
		Program: tea.NewProgram(&onChange{inner: a, screen: screen}, popts...),
		screen:  screen,
		console: a,
	}
}

// Enter takes the terminal over (the alternate screen, no cursor, bracketed
// paste) before the program runs.
func (t *Terminal) Enter() error { return t.screen.Enter() }

// Close ends the console once its program has ended, however it ended (q,
// a Quit or Kill from outside, a dropped link): it stops taking the room's
// snapshots, leaves the seat it took itself (a seat passed in Options is
// its owner's to leave), and gives the terminal back as Enter found it.
func (t *Terminal) Close() error {
	t.console.close()
	return t.screen.Leave()
}
