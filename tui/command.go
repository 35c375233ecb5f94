package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// commandHelp lists the command line's commands for errors and the help
// screen.
const commandHelp = ":note TEXT · :decide TEXT · :as NAME · :seek T+12:30 · :goto 12h30m · :speed 300 · :play · :pause · :restart · :sources (live sources' health) · :alerts (alerts fired; a acknowledges) · :who (who is here) · :help · :q"

// commandHelpFacilitator is the facilitator's extra commands.
const commandHelpFacilitator = ":whatif 0.8 from T+8h (shipping capacity ×0.8 from T+08:00) · :whatif 2 (from now) · :whatif off"

// runCommand executes a command line (without the leading ':'). Errors go
// to the status line; nothing a responder types can crash the console.
func (a *app) runCommand(line string) tea.Cmd {
	line = strings.TrimSpace(line)
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch strings.ToLower(name) {
	case "":
		return nil
	case "q", "quit", "exit":
		return a.quit()
	case "note":
		if arg == "" {
			a.fail("usage: :note TEXT")
			return nil
		}
		if a.act(model.Note{Author: a.responder(), Text: arg}) {
			a.info("note added at " + model.FormatOffset(a.snap.Clock))
		}
	case "seek", "goto", "g":
		d, err := parseOffset(arg)
		if err != nil {
			a.fail(err.Error())
			return nil
		}
		a.navigate(func() (room.Snapshot, error) { return a.seat.Seek(d) },
			func(room.Look) room.Look { return a.r.LookAt(d) })
		switch {
		case a.look != nil:
			a.info("looking back at " + model.FormatOffset(a.snap.Clock) + " on your own · L rejoins the room")
		case a.status == "":
			a.info("at " + model.FormatOffset(a.snap.Clock))
		}
	case "speed":
		if a.snap.Live {
			a.fail("live: the clock follows real time; there is no replay speed")
			return nil
		}
		x, err := strconv.ParseFloat(strings.TrimLeft(arg, "×x"), 64)
		if err != nil || x <= 0 {
			a.fail(fmt.Sprintf("speed: want a number of seconds per second, like :speed 300, not %q", arg))
			return nil
		}
		if a.do(a.seat.SetSpeed(x)) {
			a.info("speed ×" + strconv.FormatFloat(a.snap.Speed, 'f', -1, 64))
		}
	case "play":
		a.do(a.seat.SetPlaying(true))
	case "pause":
		a.do(a.seat.SetPlaying(false))
	case "restart":
		a.restart()
	case "decide", "decision":
		a.decide(arg)
	case "as":
		a.setResponder(arg)
	case "whatif", "what-if":
		a.whatIf(arg)
	case "help":
		a.openHelp()
	case "who":
		return a.openWho()
	case "sources", "source", "src":
		a.openSources()
	case "alerts", "alert":
		a.openAlerts()
	default:
		if a.hotWashCommand(name, arg) {
			return nil
		}
		a.fail(fmt.Sprintf("unknown command %q — try %s", name, commandHelp))
	}
	return nil
}

// decide records a decision against the current inject.
func (a *app) decide(text string) {
	in, ok := a.snap.State.CurrentInject()
	switch {
	case !ok:
		a.fail("no inject delivered yet")
		return
	case text == "":
		a.fail("usage: :decide TEXT")
		return
	}
	if a.act(model.Decision{By: a.responder(), Text: text}) {
		a.info("decision recorded on " + clean(in.Title))
	}
}

// setResponder is :as: two people sharing a keyboard take turns.
func (a *app) setResponder(name string) {
	name = strings.TrimSpace(clean(name))
	switch {
	case a.sharedRoom():
		a.fail("in a shared room your name is the team file's: you are " + clean(a.member().Name))
		return
	case name == "":
		a.fail("usage: :as NAME")
		return
	}
	a.seat.Rename(name)
	a.as = name
	a.info("you are " + name)
}

// parseOffset reads a time to seek to as the command line's --start does
// (model.ParseOffset: T+12:30, T+6h, 12h30m, 12:30); before T+0 is an error.
func parseOffset(s string) (time.Duration, error) {
	if strings.TrimSpace(s) == "" {
		return 0, errors.New("seek: want a time like T+12:30 or 12h30m")
	}
	d, err := model.ParseOffset(s)
	if err != nil {
		return 0, fmt.Errorf("seek: %w", err)
	}
	if d < 0 {
		return 0, fmt.Errorf("seek: %s is before T+0", s)
	}
	return d, nil
}

// Placeholders of the input lines, shown (after "e.g.") while they are
// empty.
const (
	commandPlaceholder     = "note TEXT · seek T+12:30 · speed 300 · sources · restart · q"
	commandPlaceholderLive = "note TEXT · sources · seek T+12:30 (L: back to live) · q"
	filterPlaceholder      = "a word in the seller, topic or post"
	searchPlaceholder      = "a word to find · Upper case matches case · enter keeps it · esc cancels"
)

// inputView is the open command line or filter in w cells: the prompt, the
// text and a cursor that does not blink (a blinking one would tick). With
// colour the cursor is a reverse-video cell; without (NO_COLOR drops
// reverse video too) it is a "▏" before the cell it stands on. While the
// text is empty the placeholder shows after "e.g.", so that it never reads
// as typed text, even without faint.
func (a *app) inputView(w int) string {
	st := a.st
	prompt := st.Bold.on(a.input.Prompt)
	avail := w - width(a.input.Prompt) - 1 // the cursor may need a cell of its own
	if avail < 1 {
		return trunc(prompt, w)
	}
	val := []rune(a.input.Value())
	pos := min(max(a.input.Position(), 0), len(val))
	if len(val) == 0 {
		cur := st.Cursor.on(" ")
		if st.Cursor.pre == "" {
			cur = "▏"
		}
		ph := ""
		if a.input.Placeholder != "" {
			ph = st.Dim.on(trunc(" e.g. "+a.input.Placeholder, avail))
		}
		return prompt + cur + ph
	}
	// The window of text shown: the cursor always in it, as much before it
	// as fits.
	cells := make([]int, len(val))
	for i, r := range val {
		cells[i] = max(width(string(r)), 1)
	}
	start, used := pos, 0
	if pos < len(val) {
		used = cells[pos]
	}
	for start > 0 && used+cells[start-1] <= avail-1 {
		start--
		used += cells[start]
	}
	end := pos
	if end < len(val) {
		end++
	}
	for end < len(val) && used+cells[end] <= avail-1 {
		used += cells[end]
		end++
	}
	before := string(val[start:pos])
	if st.Cursor.pre == "" {
		return prompt + before + "▏" + string(val[pos:end])
	}
	under, after := " ", ""
	if pos < len(val) {
		under, after = string(val[pos]), string(val[pos+1:end])
	}
	return prompt + before + st.Cursor.on(under) + after
}
