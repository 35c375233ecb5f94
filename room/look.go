package room

import "time"

// Look is a place in the incident's history a console looks at on its own,
// while the room goes on: a position in the whole list of events and a
// clock. Looks are never ahead of the room.
type Look struct {
	Pos   int           // events applied, in the whole list (see model.Cursor.Base)
	Clock time.Duration // the clock shown
}

// Here is where the room is: looking here is being with the room.
func (r *Room) Here() Look {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hereLocked()
}

func (r *Room) hereLocked() Look {
	return Look{Pos: r.cur.Base() + r.cur.Pos(), Clock: r.cur.Clock()}
}

// LookPrev is one event back from l: the last event before it taken back,
// the clock at the event before that (as the room's own step back does).
func (r *Room) LookPrev(l Look) Look {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := l.Pos - r.cur.Base() - 1
	if k < 0 {
		return Look{Pos: r.cur.Base(), Clock: r.cur.Start()}
	}
	return Look{Pos: r.cur.Base() + k, Clock: r.atLocked(k)}
}

// LookNext is one event on from l, never past the room.
func (r *Room) LookNext(l Look) Look {
	r.mu.Lock()
	defer r.mu.Unlock()
	here := r.hereLocked()
	k := l.Pos - r.cur.Base()
	if l.Pos >= here.Pos || k < 0 {
		return here
	}
	return Look{Pos: l.Pos + 1, Clock: r.cur.Events()[k].At}
}

// LookAt is time t with every event at or before it applied, never past
// the room.
func (r *Room) LookAt(t time.Duration) Look {
	r.mu.Lock()
	defer r.mu.Unlock()
	here := r.hereLocked()
	if t >= here.Clock {
		return here
	}
	t = max(t, r.cur.Start())
	return Look{Pos: r.cur.Base() + min(r.cur.PosAt(t), r.cur.Pos()), Clock: t}
}

// atLocked is the clock after the first k kept events: the last one's time.
func (r *Room) atLocked(k int) time.Duration {
	if k <= 0 {
		return r.cur.Start()
	}
	return r.cur.Events()[k-1].At
}

// Snapshot of a look: see SnapshotAt.
func (r *Room) SnapshotOf(l Look) Snapshot { return r.SnapshotAt(l.Pos, l.Clock) }
