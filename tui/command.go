package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
)

// commandHelp lists the command line's commands for errors and the help
// screen.
const commandHelp = ":note TEXT · :decide TEXT · :as NAME · :seek T+12:30 · :goto 12h30m · :speed 300 · :play · :pause · :restart · :q"

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
		a.apply(a.r.Act(a.responder(), model.Note{Author: a.responder(), Text: arg}, ""))
		a.info("note added at " + model.FormatOffset(a.snap.Clock))
	case "seek", "goto", "g":
		d, err := parseOffset(arg)
		if err != nil {
			a.fail(err.Error())
			return nil
		}
		a.apply(a.r.Seek(d))
		a.info("at " + model.FormatOffset(a.snap.Clock))
	case "speed":
		x, err := strconv.ParseFloat(strings.TrimLeft(arg, "×x"), 64)
		if err != nil || x <= 0 {
			a.fail(fmt.Sprintf("speed: want a number of seconds per second, like :speed 300, not %q", arg))
			return nil
		}
		a.apply(a.r.SetSpeed(x))
		a.info("speed ×" + strconv.FormatFloat(a.snap.Speed, 'f', -1, 64))
	case "play":
		a.apply(a.r.SetPlaying(true))
	case "pause":
		a.apply(a.r.SetPlaying(false))
	case "restart":
		a.restart()
	case "decide", "decision":
		a.decide(arg)
	case "as":
		a.setResponder(arg)
	case "whatif", "what-if":
		a.whatIf(arg)
	case "help":
		a.overlay = overlayHelp
	default:
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
	a.apply(a.r.Act(a.responder(), model.Decision{By: a.responder(), Text: text}, ""))
	a.info("decision recorded on " + clean(in.Title))
}

// setResponder is :as: two people sharing a keyboard take turns.
func (a *app) setResponder(name string) {
	name = strings.TrimSpace(clean(name))
	if name == "" {
		a.fail("usage: :as NAME")
		return
	}
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
