package tui

import (
	"bytes"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Screen puts frames on a terminal the moment they change, writing only the
// lines that differ from what is already there. It has no timer: bubbletea
// v1's own renderer wakes up every frame whether or not anything changed,
// which costs CPU at idle and delays a key press by up to a frame; drawing on
// change costs nothing at idle and shows a key press at once. Each frame is
// one write, wrapped in synchronized-output mode so terminals that know it
// never show half a frame.
type Screen struct {
	out  io.Writer
	w, h int
	last []string // lines as the terminal shows them; nil forces a full paint
	buf  bytes.Buffer
}

// NewScreen draws on out, a terminal of w×h cells.
func NewScreen(out io.Writer, w, h int) *Screen {
	return &Screen{out: out, w: w, h: h}
}

// Enter switches to the alternate screen, hides the cursor and turns on
// bracketed paste (so a paste arrives as one message, not as keys).
func (s *Screen) Enter() error {
	s.last = nil
	_, err := io.WriteString(s.out, ansi.SetModeAltScreenSaveCursor+ansi.EraseEntireScreen+
		ansi.CursorHomePosition+ansi.HideCursor+ansi.SetModeBracketedPaste)
	return err
}

// Leave restores what Enter changed.
func (s *Screen) Leave() error {
	_, err := io.WriteString(s.out, ansi.ResetModeBracketedPaste+ansi.ShowCursor+ansi.ResetModeAltScreenSaveCursor)
	return err
}

// Resize records a new terminal size; the next Draw paints everything,
// since the terminal may have reflowed or cleared what was there.
func (s *Screen) Resize(w, h int) {
	s.w, s.h, s.last = w, h, nil
}

// Bell rings the terminal's bell (BEL), between frames.
func (s *Screen) Bell() error {
	_, err := io.WriteString(s.out, "\a")
	return err
}

// Draw shows frame, writing only the lines that changed since the last
// Draw. It returns how many bytes it wrote: 0 when nothing changed.
func (s *Screen) Draw(frame string) (int, error) {
	lines := strings.Split(frame, "\n")
	if s.h > 0 && len(lines) > s.h {
		lines = lines[:s.h]
	}
	s.buf.Reset()
	for i, line := range lines {
		if s.last != nil && i < len(s.last) && s.last[i] == line {
			continue
		}
		if s.buf.Len() == 0 {
			s.buf.WriteString(ansi.SetModeSynchronizedOutput)
		}
		s.buf.WriteString(ansi.CursorPosition(1, i+1))
		if s.w > 0 {
			line = truncCells(line, s.w, "")
		}
		s.buf.WriteString(line)
		if s.w <= 0 || width(line) < s.w {
			s.buf.WriteString(ansi.EraseLineRight)
		}
	}
	if (s.last == nil || len(lines) < len(s.last)) && (s.h <= 0 || len(lines) < s.h) {
		// Clear what a longer earlier frame (or the shell) left below.
		if s.buf.Len() == 0 {
			s.buf.WriteString(ansi.SetModeSynchronizedOutput)
		}
		s.buf.WriteString(ansi.CursorPosition(1, len(lines)+1) + ansi.EraseScreenBelow)
	}
	s.last = lines
	if s.buf.Len() == 0 {
		return 0, nil
	}
	s.buf.WriteString(ansi.ResetModeSynchronizedOutput)
	return s.out.Write(s.buf.Bytes())
}
