package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
)

// Role is who sits at a console in a tabletop exercise.
type Role string

const (
	// RolePlayer is a member of the team that practises: it sees what the
	// team would see in a real incident and nothing of the script.
	RolePlayer Role = "player"
	// RoleFacilitator runs the exercise: it also sees the facilitator's
	// notes, the expected actions and the inject queue, and controls them.
	RoleFacilitator Role = "facilitator"
)

// ParseRole reads a role as a command line gives it; empty is RolePlayer.
func ParseRole(s string) (Role, error) {
	switch Role(strings.ToLower(strings.TrimSpace(s))) {
	case "", RolePlayer:
		return RolePlayer, nil
	case RoleFacilitator:
		return RoleFacilitator, nil
	}
	return "", fmt.Errorf("role %q: want %s or %s", s, RolePlayer, RoleFacilitator)
}

// facilitatorKey handles F, S, H and P. A player pressing them is told
// they are not theirs rather than left wondering.
func (a *app) facilitatorKey(msg tea.KeyMsg) bool {
	k := &a.keys
	if !key.Matches(msg, k.Fire, k.Skip, k.Hold, k.PauseOnInject) {
		return false
	}
	if !a.facilitator() {
		a.fail("facilitator only")
		return true
	}
	switch {
	case key.Matches(msg, k.Fire):
		a.control(model.InjectFire)
	case key.Matches(msg, k.Skip):
		a.control(model.InjectSkip)
	case key.Matches(msg, k.Hold):
		a.control(model.InjectHold)
	case key.Matches(msg, k.PauseOnInject):
		if a.do(a.seat.SetPauseOnInject(!a.snap.PauseOnInject)) {
			a.info("pause on inject: " + onOff(a.snap.PauseOnInject))
		}
	}
	return true
}

// control fires, skips, holds or releases the next inject still to be
// delivered. H on a held inject releases it.
func (a *app) control(action model.InjectAction) {
	next, ok := a.snap.State.NextInject()
	if !ok {
		a.info("no injects left")
		return
	}
	if action == model.InjectHold && next.Status == model.InjectHeld {
		action = model.InjectRelease
	}
	if !a.act(model.InjectControl{Inject: next.ID, Action: action, By: a.responder()}) {
		return
	}
	after, _ := a.snap.State.InjectByID(next.ID)
	if after.Status == next.Status {
		a.fail(fmt.Sprintf("%s: not possible while it is %s", action, next.Status))
		return
	}
	verb := map[model.InjectAction]string{
		model.InjectFire: "fired", model.InjectSkip: "skipped", model.InjectHold: "held", model.InjectRelease: "released",
	}[action]
	msg := verb + ": " + clean(next.Title)
	if action == model.InjectRelease && after.Status == model.InjectFired {
		msg += " (its time had come: delivered now)"
	}
	a.info(msg)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// strip is the facilitator's line above the footer: the next inject, how
// far the exercise is, and whether playback pauses at injects.
func (a *app) strip() string {
	st, s := a.st, &a.snap
	delivered, total := 0, len(s.State.Injects)
	for _, in := range s.State.Injects {
		if in.Status == model.InjectFired {
			delivered++
		}
	}
	if total == 0 {
		return fit(" "+st.Dim.on("facilitator · this scenario has no injects"), a.w)
	}
	keys := st.Dim.on("F fire · S skip · H hold · P pause")
	pause := "pause on inject: " + onOff(s.PauseOnInject)
	count := itoa(delivered) + "/" + itoa(total) + " delivered"
	next, ok := s.State.NextInject()
	if !ok {
		return fit(" "+st.Inject.on("▸")+" no injects left · "+count+" · "+pause, a.w)
	}
	status := string(next.Status)
	if next.Status == model.InjectHeld && next.Reached {
		status = "held, due passed"
	}
	head := st.Inject.on("▸") + " next inject " + st.Bold.on(model.FormatOffset(next.Due)) + " "
	tail := " (" + status + ") · " + count + " · " + pause
	// The keys give way first, then the count; the title takes what is left.
	tails := []string{tail + " · " + keys, tail, " (" + status + ") · " + pause}
	for i, t := range tails {
		space := a.w - 1 - width(head) - width(t)
		if space >= 16 || i == len(tails)-1 {
			return fit(" "+head+trunc(clean(next.Title), max(space, 1))+t, a.w)
		}
	}
	return ""
}
