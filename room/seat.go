package room

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// Member is who sits at a console: a name everyone sees on what they did,
// and a role that says what they may do.
type Member struct {
	Name string
	Role Role
}

// ErrRefused is what every refusal of an action matches (errors.Is): a
// role that does not allow it, a warning or step that does not exist, a
// flood. The error's text says why, for the status line.
var ErrRefused = errors.New("refused")

// refusal is an action the room did not take, and why.
type refusal struct{ why string }

func (r *refusal) Error() string        { return r.why }
func (r *refusal) Is(target error) bool { return target == ErrRefused }

func refuse(format string, args ...any) error { return &refusal{fmt.Sprintf(format, args...)} }

// Seat is one console in the room: a member's session. Every action and
// move of the shared clock a console makes goes through its seat, which
// checks the member's role, keeps a flood of actions out, and names the
// member on what they did.
type Seat struct {
	r       *Room
	session string
	joined  time.Time

	// Guarded by r.mu.
	member    Member
	active    time.Time // the last key pressed
	following string    // the member whose view this seat follows, or ""
	viewing   time.Duration
	private   bool // looking back on its own, at viewing
	bucket    tokenBucket
	left      bool
}

// Presence is a seat as everyone sees it: who, as what, since when, and
// what they are looking at.
type Presence struct {
	Member
	Session   string
	Joined    time.Time
	Active    time.Time     // the last key pressed
	Following string        // follows this member's view (f), or ""
	Private   bool          // looking back on its own, at Viewing
	Viewing   time.Duration // when Private
}

// View is what a commander's console shows, for the consoles that follow
// it in a briefing (f): the focused pane, the zoom, the overlay open and
// what it shows.
type View struct {
	By      string // the commander whose view it is
	Focus   int
	Zoom    bool
	Overlay string
	Item    string // the notice or inject the overlay shows
	// Back says the commander looks back on their own, at Look (a live
	// room's history: see follow.go); followers look there too.
	Back bool
	Look Look
}

// Join seats a member in the room for one session (an SSH connection, a
// terminal). The join goes to the journal, not to the timeline.
func (r *Room) Join(m Member, session string) *Seat {
	now := r.now().UTC()
	s := &Seat{r: r, session: session, joined: now, member: m, active: now, bucket: newTokenBucket(now)}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seats[s] = struct{}{}
	r.journalLocked([]journal.Entry{{Kind: journal.KindPresence, Wall: now,
		Presence: journal.Presence{Member: m.Name, Role: string(m.Role), Session: session, Joined: true}}}, false)
	r.publishLocked()
	return s
}

// Leave ends the seat: the session closed. Its leaving goes to the
// journal. Leave twice is once.
func (s *Seat) Leave() {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if s.left {
		return
	}
	s.left = true
	delete(r.seats, s)
	r.journalLocked([]journal.Entry{{Kind: journal.KindPresence, Wall: r.now().UTC(),
		Presence: journal.Presence{Member: s.member.Name, Role: string(s.member.Role), Session: s.session}}}, false)
	r.publishLocked()
}

// Room is the room the seat is in.
func (s *Seat) Room() *Room { return s.r }

// Member is who sits here.
func (s *Seat) Member() Member {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	return s.member
}

// SetRole changes the member's role (the team file was re-read); everyone
// sees the change.
func (s *Seat) SetRole(role Role) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if s.member.Role == role || s.left {
		return
	}
	s.member.Role = role
	r.publishLocked()
}

// Rename changes the member's name, for a room of one where people share
// a keyboard and take turns (:as); a shared room's names come from its team.
func (s *Seat) Rename(name string) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if s.member.Name == name || s.left {
		return
	}
	s.member.Name = name
	r.publishLocked()
}

// Touch records a key pressed at this console: presence shows how long a
// member has been idle. It publishes nothing.
func (s *Seat) Touch() {
	s.r.mu.Lock()
	s.active = s.r.now().UTC()
	s.r.mu.Unlock()
}

// Follow makes this seat follow a commander's view in a briefing (name) or
// stop following (""); everyone sees who follows.
func (s *Seat) Follow(name string) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if s.following == name {
		return
	}
	s.following = name
	r.publishLocked()
}

// LookBack says this console is looking back on its own, at clock (or has
// rejoined the room, private false). It is what presence shows; the room
// itself does not move. It publishes only when the seat leaves or rejoins
// the shared clock, not at every step.
func (s *Seat) LookBack(private bool, clock time.Duration) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	changed := s.private != private
	s.private, s.viewing = private, clock
	if changed {
		r.publishLocked()
	}
}

// Present shares a commander's view for the consoles that follow it. Only
// a commander's view is shared; a change publishes.
func (s *Seat) Present(v View) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if !s.member.Role.MovesClock() {
		return
	}
	v.By = s.member.Name
	if r.presenter == v {
		return
	}
	r.presenter = v
	r.publishLocked()
}

// presenceLocked is every seat as presence shows it, by name then join.
func (r *Room) presenceLocked() []Presence {
	out := make([]Presence, 0, len(r.seats))
	for s := range r.seats {
		out = append(out, Presence{Member: s.member, Session: s.session, Joined: s.joined, Active: s.active,
			Following: s.following, Private: s.private, Viewing: s.viewing})
	}
	slices.SortFunc(out, func(a, b Presence) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		return a.Joined.Compare(b.Joined)
	})
	return out
}

// Presence is who is in the room now, with how long each has been idle.
func (r *Room) Presence() []Presence {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.presenceLocked()
}

// moves checks that the seat may move the shared clock.
func (s *Seat) moves() error {
	m := s.Member()
	if m.Role.MovesClock() {
		return nil
	}
	return refuse("only a commander moves the room's clock; you (%s, %s) can look back on your own with p, n and :seek", m.Name, m.Role)
}

// clock runs a move of the shared clock if the seat may.
func (s *Seat) clock(move func() Snapshot) (Snapshot, error) {
	if err := s.moves(); err != nil {
		return s.r.Snapshot(), err
	}
	return move(), nil
}

// The moves of the shared clock: a commander's only.
func (s *Seat) TogglePlay() (Snapshot, error) { return s.clock(s.r.TogglePlay) }
func (s *Seat) SetPlaying(on bool) (Snapshot, error) {
	return s.clock(func() Snapshot { return s.r.SetPlaying(on) })
}
func (s *Seat) ReturnLive() (Snapshot, error) { return s.clock(s.r.ReturnLive) }
func (s *Seat) Next() (Snapshot, error)       { return s.clock(s.r.Next) }
func (s *Seat) Prev() (Snapshot, error)       { return s.clock(s.r.Prev) }
func (s *Seat) NextInject() (Snapshot, error) { return s.clock(s.r.NextInject) }
func (s *Seat) Seek(t time.Duration) (Snapshot, error) {
	return s.clock(func() Snapshot { return s.r.Seek(t) })
}
func (s *Seat) Restart() (Snapshot, error) { return s.clock(s.r.Restart) }
func (s *Seat) Faster() (Snapshot, error)  { return s.clock(s.r.Faster) }
func (s *Seat) Slower() (Snapshot, error)  { return s.clock(s.r.Slower) }
func (s *Seat) SetSpeed(x float64) (Snapshot, error) {
	return s.clock(func() Snapshot { return s.r.SetSpeed(x) })
}
func (s *Seat) SetPauseOnInject(on bool) (Snapshot, error) {
	return s.clock(func() Snapshot { return s.r.SetPauseOnInject(on) })
}

// Act records the member's action: it checks the role, that what the action
// is about exists, and the pace of the seat's actions, then hands it to the
// room, which journals it before anyone sees it. A refusal (ErrRefused)
// says why and changes nothing.
func (s *Seat) Act(body model.Body, text string) (Snapshot, error) {
	m := s.Member()
	if err := allowed(m, body); err != nil {
		return s.r.Snapshot(), err
	}
	if !s.take() {
		return s.r.Snapshot(), refuse("slow down: more than %d actions in a few seconds from %s; this one was not recorded", burstActions, m.Name)
	}
	return s.r.act(m.Name, body, text)
}

// take takes a token for one action.
func (s *Seat) take() bool {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	return s.bucket.take(s.r.now())
}

// allowed checks an action against the member's role.
func allowed(m Member, body model.Body) error {
	switch body.(type) {
	case model.InjectControl, model.ExpectedCheck, model.WhatIf:
		if !m.Role.Facilitates() {
			return refuse("only a commander controls injects, scores and what-ifs; you (%s) are a %s", m.Name, m.Role)
		}
	case model.Observation, model.ScoreComment, model.Inject:
		if !m.Role.Facilitates() {
			return refuse("only a commander observes for the hot wash, comments on scores and adds injects; you (%s) are a %s", m.Name, m.Role)
		}
	case model.Acknowledgement, model.AlertAck, model.RunbookStepChange, model.Note, model.Decision, model.CommsSent,
		model.Finding, model.ActionItem: // the hot wash is the whole team's: any responder records what it agrees
		if !m.Role.Acts() {
			return refuse("%s is an observer: observers see everything and change nothing", m.Name)
		}
	default:
		return refuse("%T is not an action a console takes", body)
	}
	return nil
}

// The pace of a seat's actions: a burst of burstActions, then one every
// 1/actionsPerSecond. A person acknowledges, ticks and notes at a few a
// second at most; a stuck key or a paste runs far faster.
const (
	burstActions     = 20
	actionsPerSecond = 5
)

// tokenBucket limits the pace of one seat's actions.
type tokenBucket struct {
	tokens float64
	at     time.Time
}

func newTokenBucket(now time.Time) tokenBucket { return tokenBucket{tokens: burstActions, at: now} }

func (b *tokenBucket) take(now time.Time) bool {
	b.tokens = min(burstActions, b.tokens+now.Sub(b.at).Seconds()*actionsPerSecond)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// validLocked checks that what an action is about exists in the state, so
// that a bad action gets a clear message rather than a silent no-op in the
// journal.
func validLocked(st *model.State, body model.Body) error {
	switch b := body.(type) {
	case model.Acknowledgement:
		w, ok := st.Warning(b.Warning)
		switch {
		case !ok:
			return refuse("there is no warning %q to acknowledge", model.Visible(b.Warning))
		case w.Resolved:
			return refuse("%s's warning is resolved: nothing to acknowledge", w.CarrierName)
		case w.Acked:
			return refuse("already acknowledged by %s", w.AckedBy)
		}
	case model.AlertAck:
		a, ok := st.Alert(b.Alert)
		if !ok {
			return refuse("there is no alert %q to acknowledge", model.Visible(b.Alert))
		}
		if f, fired := a.Latest(); !fired || f.Acked {
			return refuse("alert %q has nothing to acknowledge", model.Visible(b.Alert))
		}
	case model.RunbookStepChange:
		if !stepExists(st, b.Step) {
			return refuse("there is no runbook step %q", model.Visible(b.Step))
		}
		if !b.State.Valid() {
			return refuse("a runbook step is pending, active, done, skipped or blocked, not %q", model.Visible(string(b.State)))
		}
	case model.Note:
		if b.Text == "" {
			return refuse("a note needs text")
		}
	case model.Decision:
		if b.Text == "" {
			return refuse("a decision needs text")
		}
		if _, ok := st.CurrentInject(); !ok && b.Inject == "" {
			return refuse("no inject delivered yet: a decision answers one")
		}
	case model.CommsSent:
		if b.Template == "" || strings.TrimSpace(b.Text) == "" {
			return refuse("a sent update needs its draft's name and its text")
		}
	case model.InjectControl:
		if _, ok := st.InjectByID(b.Inject); !ok {
			return refuse("there is no inject %q", model.Visible(b.Inject))
		}
	case model.Observation, model.Finding, model.ActionItem, model.ScoreComment:
		if err := model.CheckHotWashAction(st, body); err != nil {
			return refuse("%s", err)
		}
	case model.Inject:
		if _, ok := st.InjectByID(b.ID); ok || b.ID == "" {
			return refuse("an added inject needs an id of its own, not %q", model.Visible(b.ID))
		}
		if strings.TrimSpace(b.Title) == "" || strings.TrimSpace(b.Prompt) == "" {
			return refuse("an added inject needs a title and a prompt")
		}
	case model.ExpectedCheck:
		in, ok := st.InjectByID(b.Inject)
		if !ok {
			return refuse("there is no inject %q", model.Visible(b.Inject))
		}
		if b.Item < 0 || b.Item >= len(in.Expected) {
			return refuse("inject %s has %s", in.ID, model.Plural(len(in.Expected), "expected action"))
		}
	}
	return nil
}

func stepExists(st *model.State, id string) bool {
	for _, s := range st.Runbook {
		if s.ID == id {
			return true
		}
	}
	return false
}

// seats is the set of seats; a type so that Room's zero value needs a make.
type seats = map[*Seat]struct{}
