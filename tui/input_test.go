package tui

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// rawConsole runs the real app on a room with bubbletea reading raw bytes
// from a pipe, the way it reads a terminal: what one Write holds arrives in
// one read, as a burst of fast typing or an unbracketed paste over SSH does,
// and bubbletea's own parser splits it into messages.
type rawConsole struct {
	r    *room.Room
	in   *io.PipeWriter
	done chan tea.Model
}

func startRaw(t *testing.T, r *room.Room, opts Options) *rawConsole {
	t.Helper()
	pr, pw := io.Pipe()
	if opts.Responder == "" {
		opts.Responder = "typist"
	}
	p := tea.NewProgram(New(r, opts), tea.WithInput(pr), tea.WithOutput(io.Discard),
		tea.WithoutRenderer(), tea.WithoutSignalHandler())
	c := &rawConsole{r: r, in: pw, done: make(chan tea.Model, 1)}
	go func() {
		m, _ := p.Run()
		c.done <- m
	}()
	p.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	t.Cleanup(func() {
		p.Kill()
		pw.Close()
	})
	return c
}

// write sends bytes in one write: one read for the program.
func (c *rawConsole) write(t *testing.T, s string) {
	t.Helper()
	if _, err := c.in.Write([]byte(s)); err != nil {
		t.Fatalf("write %q: %v", s, err)
	}
}

// waitNote waits until the room's timeline holds a note typed at this
// console, and returns its text.
func (c *rawConsole) waitNote(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		st := c.r.Snapshot().State
		for _, e := range st.Timeline {
			if e.Kind == model.KindNote && e.Source == "responder:typist" {
				return e.Text
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no note reached the room")
	return ""
}

// TestBurstTextArrivesExactly: text typed into the command line in one
// burst reaches the room exactly, whatever words it holds: words that are
// key names ("down", "end", "esc", "q", "left") are text while the line has
// focus. Only enter and esc pressed on their own act.
func TestBurstTextArrivesExactly(t *testing.T) {
	texts := []string{
		"A 54 down all",
		"up down left right",
		"ETA end of day",
		"esc esc then home",
		"q quit tab enter space",
		"ctrl+c is not typed here; backspace neither",
		"pgup pgdown delete insert f1",
		"n p ] [ : / ? 1 2 z x a",
	}
	for _, text := range texts {
		t.Run(text, func(t *testing.T) {
			c := startRaw(t, newRoom(t, 6*time.Hour), Options{})
			c.write(t, ":note "+text+"\r")
			if got := c.waitNote(t); !strings.HasSuffix(got, text) {
				t.Errorf("note = %q, want it to end with %q", got, text)
			}
		})
	}
}

// TestBurstKeyByKey: the same text typed one key at a time arrives the same.
func TestBurstKeyByKey(t *testing.T) {
	text := "A 54 down all, ETA end of day esc"
	c := startRaw(t, newRoom(t, 6*time.Hour), Options{})
	for _, r := range ":note " + text {
		c.write(t, string(r))
	}
	c.write(t, "\r")
	if got := c.waitNote(t); !strings.HasSuffix(got, text) {
		t.Errorf("note = %q, want it to end with %q", got, text)
	}
}

// TestEditKeysStillEdit: real editing keys (arrows, backspace, ctrl+a)
// still edit the line; only their names typed as text are text.
func TestEditKeysStillEdit(t *testing.T) {
	c := startRaw(t, newRoom(t, 6*time.Hour), Options{})
	// "ETA nd", left twice, "e"; ctrl+e to the end, " ok", two
	// backspaces, "day".
	c.write(t, ":note ETA nd")
	c.write(t, "\x1b[D\x1b[D")
	c.write(t, "e")
	c.write(t, "\x05 ok\x7f\x7fday")
	c.write(t, "\r")
	if got := c.waitNote(t); !strings.HasSuffix(got, "ETA end day") {
		t.Errorf("note = %q, want \"ETA end day\"", got)
	}
}

// TestEscPressedOnItsOwnCancels: esc pressed on its own cancels the line,
// and nothing typed reaches the room.
func TestEscPressedOnItsOwnCancels(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	tm := start(t, r, 120, 40)
	typeText(tm, ":note")
	keys(tm, "<space>")
	typeText(tm, "never sent")
	keys(tm, "<esc>", "<enter>")
	finish(t, tm)
	for _, e := range r.Snapshot().State.Timeline {
		if e.Kind == model.KindNote && e.Source == "responder:typist" {
			t.Fatalf("a cancelled note reached the timeline: %q", e.Text)
		}
	}
}

// TestDoubleEscClosesTwo: two esc presses read together (alt+esc) close
// two things — the help overlay and then the zoom — and the keys after them
// still act.
func TestDoubleEscClosesTwo(t *testing.T) {
	tm := start(t, newRoom(t, 6*time.Hour), 120, 40)
	keys(tm, "2", "z", "?")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc, Alt: true})
	keys(tm, "4")
	screen := finish(t, tm)
	if strings.Contains(screen, "Keys") && strings.Contains(screen, "esc close") {
		t.Errorf("help still open after two esc:\n%s", screen)
	}
	if !strings.Contains(screen, "1 Hosts") {
		t.Errorf("zoom not closed by the second esc:\n%s", screen)
	}
	if !strings.Contains(screen, "╭▶ 4 Seller complaints") {
		t.Errorf("the key after the two esc presses was lost:\n%s", screen)
	}
}

// TestEscThenKeyTogether: esc and a key read together (alt+z) are esc,
// then the key.
func TestEscThenKeyTogether(t *testing.T) {
	c := startRaw(t, newRoom(t, 6*time.Hour), Options{})
	// Open the command line, then esc and ":" read as one: the line is
	// cancelled and opened again; the note typed after it is sent.
	c.write(t, ":note lost")
	c.write(t, "\x1b:note kept\r")
	if got := c.waitNote(t); !strings.HasSuffix(got, "kept") || strings.Contains(got, "lost") {
		t.Errorf("note = %q, want only \"kept\"", got)
	}
}

// TestQuitFromOverlays: q quits from every overlay, as the hint line says.
func TestQuitFromOverlays(t *testing.T) {
	for _, open := range []string{"?", "D", ":sources\r"} {
		t.Run(open, func(t *testing.T) {
			c := startRaw(t, newRoom(t, 6*time.Hour), Options{})
			c.write(t, open)
			c.write(t, "q")
			select {
			case <-c.done:
			case <-time.After(5 * time.Second):
				t.Fatalf("q did not quit with %q open", open)
			}
		})
	}
}

// TestQuitFromInject: q quits while an inject is open.
func TestQuitFromInject(t *testing.T) {
	c := startRaw(t, newRoom(t, 0), Options{})
	c.write(t, "i")
	deadline := time.Now().Add(5 * time.Second)
	for c.r.Snapshot().State.Current < 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	c.write(t, "q")
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		t.Fatal("q did not quit with the inject open")
	}
}
