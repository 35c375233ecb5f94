package tui

import (
	"io"
	"os"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"

	"github.com/warroom/warroom/model"
)

// clipboardSequence is the OSC 52 sequence that puts text on the clipboard
// of the terminal the user sits at, through SSH and, wrapped, through tmux
// or screen. The text travels base64-encoded: nothing in it reaches the
// terminal as text. Inside tmux it goes twice, plain and wrapped: tmux
// 3.3+ drops the wrapped one unless allow-passthrough is on, and takes
// the plain one only with set-clipboard on, and either is a common setup.
func clipboardSequence(text string, getenv func(string) string) string {
	seq := osc52.New(text)
	term := getenv("TERM")
	switch {
	case getenv("TMUX") != "" || strings.HasPrefix(term, "tmux"):
		return seq.String() + seq.Tmux().String()
	case strings.HasPrefix(term, "screen"):
		seq = seq.Screen()
	}
	return seq.String()
}

// copyDraft is y: the selected draft to the clipboard, written between
// frames to this console's own terminal (an SSH session's channel, not
// the server's standard output).
func (a *app) copyDraft() {
	if !a.clipboardOK {
		a.fail("copy needs the console's own screen (run without --fps)")
		return
	}
	text := a.drafts.draftText(a)
	if strings.TrimSpace(text) == "" {
		a.fail("the draft is empty: nothing to copy")
		return
	}
	getenv := a.opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	a.clip = clipboardSequence(text, getenv)
	a.info("copied " + clean(a.drafts.current(a).Title) + " (" + model.Plural(len([]rune(text)), "character") +
		") to your terminal's clipboard (OSC 52)")
}

// takeClipboard is the clipboard sequence waiting to be written, once.
func (a *app) takeClipboard() string {
	s := a.clip
	a.clip = ""
	return s
}

// writeRaw writes a sequence the console built itself (the clipboard's)
// between frames.
func (s *Screen) writeRaw(seq string) error {
	_, err := io.WriteString(s.out, seq)
	return err
}
