package tui

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/warroom/warroom/room"
)

// Run opens the console on the terminal behind stdin and stdout and blocks
// until the user quits. With opts.FPS == 0 frames are drawn by a Screen as
// soon as they change; with opts.FPS > 0 bubbletea's own renderer draws at
// that frame rate instead (a fallback for terminals that misbehave). When
// the program has run and opts.DebriefOut is set, the debrief of the room as
// it ends is written there; an error writing it is returned.
func Run(r *room.Room, opts Options) error {
	// A hangup (a dropped SSH link, a closed tmux window) ends the program
	// as q does; it stays caught until the work after the program is done,
	// so a second one cannot cut the debrief short.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	ran, err := run(r, opts, hup)
	if ran {
		err = errors.Join(err, afterRun(r, opts))
	}
	return err
}

// afterRun is the work done once the program ended, whichever renderer
// drew it.
func afterRun(r *room.Room, opts Options) error {
	if opts.DebriefOut == "" {
		return nil
	}
	snap := r.Snapshot()
	if opts.DebriefOf != nil {
		s, err := opts.DebriefOf()
		if err != nil {
			return fmt.Errorf("debrief from the journal: %w", err)
		}
		snap = s
	}
	return writeDebrief(opts.DebriefOut, snap)
}

// run runs the program and reports whether it got as far as running.
func run(r *room.Room, opts Options, hup <-chan os.Signal) (ran bool, err error) {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.NewRenderer(os.Stdout)
		opts.Renderer.SetColorProfile(ColorProfile(os.Getenv))
	}
	m := New(r, opts)
	if opts.FPS > 0 {
		p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithFPS(opts.FPS))
		defer quitOn(p, hup)()
		_, err := p.Run()
		return true, err
	}
	in, out := os.Stdin, os.Stdout
	if !term.IsTerminal(out.Fd()) {
		return false, fmt.Errorf("the console needs a terminal on stdout (try `warroom sitrep` for text output)")
	}
	if !term.IsTerminal(in.Fd()) {
		// Standard input carries data (an ndjson source reading "-"): take
		// the keys from the controlling terminal instead.
		tty, err := os.Open("/dev/tty")
		if err != nil {
			return false, fmt.Errorf("keyboard: standard input is not a terminal and /dev/tty cannot be opened: %w", err)
		}
		defer tty.Close()
		in = tty
	}
	saved, err := term.MakeRaw(in.Fd())
	if err != nil {
		return false, fmt.Errorf("terminal raw mode: %w", err)
	}
	defer term.Restore(in.Fd(), saved) //nolint:errcheck // nothing more to do on the way out

	w, h, err := term.GetSize(out.Fd())
	if err != nil {
		return false, fmt.Errorf("terminal size: %w", err)
	}
	t := newTerminal(m.(*app), in, out, w, h)
	if err := t.Enter(); err != nil {
		return false, fmt.Errorf("terminal: %w", err)
	}
	defer t.Close() //nolint:errcheck // nothing more to do on the way out

	p := t.Program
	defer forwardResizes(p, out)()
	defer quitOn(p, hup)()
	go p.Send(tea.WindowSizeMsg{Width: w, Height: h})
	_, err = p.Run()
	return true, err
}

// forwardResizes sends the program a WindowSizeMsg on every SIGWINCH (the
// work bubbletea's renderer does when it is in charge).
func forwardResizes(p *tea.Program, out *os.File) (stop func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGWINCH)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-sig:
				if w, h, err := term.GetSize(out.Fd()); err == nil {
					p.Send(tea.WindowSizeMsg{Width: w, Height: h})
				}
			}
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}

// quitOn ends the program when a signal arrives on sig, the way q and
// SIGTERM do, so that everything after the program (the --out debrief)
// still runs.
func quitOn(p *tea.Program, sig <-chan os.Signal) (stop func()) {
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			p.Quit()
		case <-done:
		}
	}()
	return func() { close(done) }
}

// onChange wraps the app so that every View is drawn at once by a Screen.
// bubbletea calls View after every message on its event loop, so the screen
// is only ever touched from that one goroutine.
type onChange struct {
	inner  tea.Model
	screen *Screen
}

func (o *onChange) Init() tea.Cmd { return o.inner.Init() }

func (o *onChange) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		o.screen.Resize(ws.Width, ws.Height)
	}
	var cmd tea.Cmd
	o.inner, cmd = o.inner.Update(msg)
	return o, cmd
}

func (o *onChange) View() string {
	_, _ = o.screen.Draw(o.inner.View()) // a write error means the terminal is gone; input will end the program
	if b, ok := o.inner.(interface{ takeBell() bool }); ok && b.takeBell() {
		_ = o.screen.Bell()
	}
	if c, ok := o.inner.(interface{ takeClipboard() string }); ok {
		if seq := c.takeClipboard(); seq != "" {
			_ = o.screen.writeRaw(seq)
		}
	}
	return ""
}
