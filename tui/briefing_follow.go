package tui

import "github.com/warroom/warroom/room"

// ownLook is where this console looks back on its own, nil when it is
// with the room: a commander shares it with the view (shareView), so that
// a briefing screen following them looks back with them.
func (a *app) ownLook() *room.Look {
	if a.look == nil {
		return nil
	}
	l := a.look.Look
	return &l
}

// adoptLook shows the place in history a followed commander looks at:
// their own look back, or the room when they are with it.
func (a *app) adoptLook(v room.View) {
	l, back := v.Looking()
	switch {
	case !back:
		if a.look != nil {
			a.rejoin()
		}
	case a.look == nil || a.look.Look != l:
		a.timeline.follow()
		a.setLook(l)
	}
}
