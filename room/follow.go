package room

// Following a commander (a briefing on a shared screen) means showing what
// the commander's console shows: the pane and overlay (View's Focus, Zoom,
// Overlay, Item) and the place in history. In a replay the commander moves
// the room's clock, so everyone with the room is already there; in a live
// room a commander looks back on their own (a Look), which nobody else
// sees unless they follow: the view carries it.

// Looking is where the view's commander looks back on their own, if they
// do; a follower shows that place (SnapshotOf), or the room when not.
func (v View) Looking() (Look, bool) { return v.Look, v.Back }

// WithLook is the view with the commander's own look: nil is with the
// room.
func (v View) WithLook(l *Look) View {
	v.Back, v.Look = l != nil, Look{}
	if l != nil {
		v.Look = *l
	}
	return v
}
