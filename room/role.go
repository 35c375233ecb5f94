package room

import (
	"fmt"
	"strings"
)

// Role is what a member may do in a room. The room enforces it: an action
// from a member whose role does not allow it is refused with a message
// saying why, and nothing reaches the journal.
type Role string

const (
	// RoleCommander moves the shared clock (play, pause, step, seek,
	// speed), controls injects (fire, skip, hold), scores expected actions
	// and sees the facilitator's notes; the facilitator of an exercise is a
	// commander. A commander also does everything a responder does.
	RoleCommander Role = "commander"
	// RoleResponder acknowledges warnings, adds notes, ticks runbook steps
	// and records decisions.
	RoleResponder Role = "responder"
	// RoleObserver sees what responders see and changes nothing.
	RoleObserver Role = "observer"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleCommander, RoleResponder, RoleObserver}

// ParseRole reads a role as a team file or a command line gives it.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Roles {
		if r == known {
			return r, nil
		}
	}
	return "", fmt.Errorf("role %q: want commander, responder or observer", s)
}

// MovesClock reports whether the role moves the shared clock.
func (r Role) MovesClock() bool { return r == RoleCommander }

// Acts reports whether the role acknowledges, notes, ticks and decides.
func (r Role) Acts() bool { return r == RoleCommander || r == RoleResponder }

// Facilitates reports whether the role controls injects and scores.
func (r Role) Facilitates() bool { return r == RoleCommander }
