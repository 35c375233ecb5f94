// Package tui is warroom's terminal console: a bubbletea program that renders
// a room's snapshots in six panes and sends responders' actions back to the
// room. Views never change state; everything goes through room methods.
package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/report"
	"github.com/warroom/warroom/room"
)

// Options configures the app.
type Options struct {
	Responder string // handle used for actions (ack, notes, ticks), e.g. $USER
	// FPS 0 (the default) has Run draw each frame the moment it changes;
	// N > 0 makes Run use bubbletea's own renderer at N frames a second.
	FPS int
	// Renderer renders the styles; nil means lipgloss's default renderer
	// (which honours NO_COLOR). An SSH server passes the session's renderer.
	Renderer *lipgloss.Renderer
	// Role is who sits at this console in a tabletop exercise; empty means
	// RolePlayer, so that nothing facilitator-only shows by accident.
	Role Role
	// DebriefOut, when set, is where Run writes the debrief (Markdown) when
	// the program ends: of the room DebriefOf gives (the room its journal
	// holds, so that the debrief is what was recorded), or else of the
	// room's last snapshot.
	DebriefOut string
	DebriefOf  func() (room.Snapshot, error)
	// Seat is the console's seat in a room shared with others (an SSH
	// session's): its member's name and role say who acts and what they
	// may do, and :as cannot change them. Nil seats a commander named
	// Responder in a room of one, who leaves when the console quits.
	Seat *room.Seat
	// NoBell keeps the terminal bell quiet when an alert fires.
	NoBell bool
	// Zone is the zone wall-clock times are shown in and the header names;
	// nil is UTC. LoadZone and ChooseZone read one.
	Zone *time.Location
	// Status is a line the console shows when it opens (an SSH client's
	// TZ it could not read, say).
	Status string
	// Drafts is the status-update drafts c opens; nil offers none.
	Drafts *report.Templates
	// Getenv reads the terminal's environment (TERM, TMUX: how to wrap
	// the clipboard's OSC 52 sequence); nil is os.Getenv. An SSH server
	// passes the client's.
	Getenv func(string) string
	// Theme is the colours the console paints with (ParseTheme); the zero
	// Theme is the default one.
	Theme Theme
}

// snapshotMsg carries a snapshot the room published.
type snapshotMsg struct{ snap room.Snapshot }

type inputMode int

const (
	inputNone inputMode = iota
	inputCommand
	inputFilter
	inputSearch // a pane's search (searchkeys.go)
)

type overlayKind int

const (
	overlayNone overlayKind = iota
	overlayNotice
	overlayHelp
	overlayInject
	overlayDebrief
	overlaySources
	overlayWho
	overlayAlerts
	overlayDrafts
)

// app is the bubbletea model. It is a pointer so that the panes' render
// caches survive between View calls.
type app struct {
	r     *room.Room
	opts  Options
	st    *Styles
	keys  KeyMap
	help  help.Model
	snap  room.Snapshot
	facts facts

	sub   <-chan room.Snapshot
	unsub func()

	w, h           int
	focus          paneID
	zoom           bool
	lower1, lower2 paneID // the compact layout's lower panes

	hosts      hostsPane
	backlog    backlogPane
	carriers   carriersPane
	complaints complaintsPane
	runbook    runbookPane
	timeline   timelinePane

	mode     inputMode
	searchIn paneID // the pane the open search prompt searches
	input    textinput.Model
	overlay  overlayKind
	notice   notice
	inject   injectOverlay
	debrief  debriefOverlay
	sources  sourcesOverlay
	who      whoOverlay
	alerts   alertsOverlay
	drafts   draftsOverlay
	// clip is an OSC 52 sequence waiting to be written between frames;
	// clipboardOK says a Screen writes it (not bubbletea's renderer).
	clip        string
	clipboardOK bool
	bell        bell // rings once per alert firing
	brief       briefing
	helpPg      pager
	helpFullKey helpOverlayKey // what helpPg holds the lines of

	seat    *room.Seat
	ownSeat bool // New seated it: it leaves when the console quits

	as         string // the responder handle; :as changes it
	atEndShown bool   // the debrief opened by itself at the end once

	// shared is the room's latest snapshot. While look is set this console
	// looks back on its own and snap shows the look; else snap is shared.
	shared room.Snapshot
	look   *lookBack
	// following is set while this console follows a commander's view (f).
	following bool
	shown     room.View // the view this console last shared (a commander's)

	status    string
	statusErr bool

	// The whole frame is cached: while nothing changes (paused, no keys)
	// View returns the same string and the terminal gets no bytes.
	uiRev    int
	frameKey frameKey
	frameOK  bool
	frame    string
	helpLine memo[helpKey]
}

type frameKey struct {
	seq         uint64
	uiRev, w, h int
}

type helpKey struct {
	focus     paneID
	w         int
	live      bool
	searching bool
	drafts    bool // the drafts are open: their keys, not the panes'
}

// New builds the app model on a room. Run runs it on a terminal (with the
// renderer opts.FPS picks); an SSH server runs it in a tea.Program of its own.
func New(r *room.Room, opts Options) tea.Model {
	st := NewThemedStyles(opts.Renderer, opts.Theme)
	st.Zone = opts.Zone
	in := textinput.New()                  // edits the text; inputView draws it
	in.Cursor.SetMode(cursor.CursorStatic) // a blinking cursor would tick
	in.CharLimit = maxInput
	h := help.New()
	h.Styles = st.Help
	h.ShortSeparator = " · "
	a := &app{
		r: r, opts: opts, st: st, keys: DefaultKeyMap(), help: h,
		focus: paneHosts, lower1: paneCarriers, lower2: paneTimeline,
		input: in, as: opts.Responder, timeline: newTimelinePane(),
		seat: opts.Seat, bell: bell{off: opts.NoBell},
	}
	if a.seat == nil {
		a.seat = r.Join(room.Member{Name: a.responder(), Role: room.RoleCommander}, "console")
		a.ownSeat = true
	}
	a.as = a.seat.Member().Name
	if opts.Status != "" {
		a.info(opts.Status)
	}
	// The first snapshot counts as a change from nothing at its own clock:
	// an inject delivered at that very moment (the room paused on it) is
	// shown, older ones are not.
	s := r.Snapshot()
	a.snap = s
	a.snap.State = model.State{Current: -1}
	a.apply(s)
	a.shared = s
	return a
}

// Init subscribes to the room and waits for its first snapshot. What the
// room published between New's snapshot and the subscription (a member who
// joined meanwhile) never reaches the subscription: it is taken now, or a
// paused room would leave this console behind until something else moved.
func (a *app) Init() tea.Cmd {
	a.sub, a.unsub = a.r.Subscribe()
	if s := a.r.Snapshot(); s.Seq != a.shared.Seq {
		return func() tea.Msg { return snapshotMsg{s} } // its handler waits for the next
	}
	return a.wait()
}

// wait blocks on the subscription until the room publishes; it is re-armed
// after every snapshot. Nothing else schedules work: a paused room means no
// messages, no renders, no bytes.
func (a *app) wait() tea.Cmd {
	sub := a.sub
	return func() tea.Msg {
		s, ok := <-sub
		if !ok {
			return nil // unsubscribed: the app is quitting
		}
		return snapshotMsg{s}
	}
}

func (a *app) responder() string {
	if a.as != "" {
		return a.as
	}
	return "responder"
}

// whoAmI is the footer's "you are …": the name, and the role in a shared
// room.
func (a *app) whoAmI() string {
	if !a.sharedRoom() {
		return clean(a.responder())
	}
	m := a.member()
	return clean(m.Name) + " (" + string(m.Role) + ")"
}

// member is who sits at this console, as the room knows them.
func (a *app) member() room.Member { return a.seat.Member() }

// sharedRoom reports whether the console sits in a room shared with others
// (an SSH session): names come from the team file, not from :as.
func (a *app) sharedRoom() bool { return !a.ownSeat }

// movesRoom reports whether this console's moves through history move the
// room: a commander's in a replay. Everyone else, and everyone in a live
// room (whose clock is now), looks back on their own.
func (a *app) movesRoom() bool { return a.member().Role.MovesClock() && !a.snap.Live }

// do takes the snapshot an action or a move returned, or says why it was
// refused; it reports whether it was taken.
func (a *app) do(s room.Snapshot, err error) bool {
	if a.look == nil {
		a.apply(s)
	}
	if err != nil {
		a.fail(err.Error())
		return false
	}
	return true
}

// act records an action as this console's member.
func (a *app) act(body model.Body) bool { return a.do(a.seat.Act(body, "")) }

// facilitator reports whether this console may see and do the
// facilitator's part of an exercise.
func (a *app) facilitator() bool { return a.opts.Role == RoleFacilitator }

// apply takes a snapshot the room returned for an action, unless a newer
// one already arrived. A newly delivered inject opens its overlay, and the
// end of the replay opens the debrief.
func (a *app) apply(s room.Snapshot) {
	if s.Seq < a.snap.Seq {
		return
	}
	prev := a.snap
	a.snap = s
	a.injectDelivered(prev)
	a.reachedEnd(prev)
	if a.look == nil { // looking back on its own, a console rings for nothing past
		a.bell.note(&a.snap.State)
	}
	switch a.overlay {
	case overlayNotice:
		a.notice.refresh(a)
	case overlayInject:
		a.inject.check(a)
	case overlayDrafts:
		a.drafts.refresh(a)
	}
}

func (a *app) quit() tea.Cmd {
	a.close()
	return tea.Quit
}

// close ends the subscription to the room and leaves the seat the console
// took itself; a seat passed in Options is its owner's to leave. Twice is
// once.
func (a *app) close() {
	if a.unsub != nil {
		a.unsub()
		a.unsub = nil
	}
	if a.ownSeat {
		a.seat.Leave()
	}
}

func (a *app) info(s string) { a.status, a.statusErr = s, false }
func (a *app) fail(s string) { a.status, a.statusErr = s, true }

func (a *app) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotMsg:
		a.shared = msg.snap
		if a.look != nil {
			a.refreshLook()
		} else {
			a.apply(msg.snap)
		}
		var cmd tea.Cmd
		if a.following {
			cmd = a.adopt(msg.snap.Presenter)
		} else if a.brief.awaiting {
			cmd = a.followWhenPresented()
		}
		return a, tea.Batch(a.wait(), cmd)
	case whoTickMsg:
		if a.overlay == overlayWho {
			a.uiRev++
			return a, whoTick()
		}
		return a, nil
	case tea.WindowSizeMsg:
		a.w, a.h = msg.Width, msg.Height
		a.help.Width = msg.Width
		a.input.Width = max(msg.Width-width(a.input.Prompt)-3, 1)
		a.uiRev++
		if a.overlay == overlayNotice {
			a.notice.refresh(a)
		}
		return a, nil
	case tea.KeyMsg:
		a.uiRev++
		a.seat.Touch()
		stopped := a.following && !key.Matches(msg, a.keys.Follow)
		if stopped {
			a.following = false
			a.seat.Follow("")
		}
		before := a.status
		cmd := a.handleKey(msg)
		if stopped && (a.status == "" || a.status == before) {
			a.info("no longer following: this console is yours again")
		}
		a.shareView()
		return a, cmd
	}
	return a, nil
}

// handleKey routes a key: ctrl+c always quits; then the open input, the
// open overlay, and the focused pane, in that order.
func (a *app) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyCtrlC {
		return a.quit()
	}
	if a.overlay == overlayDrafts && a.mode == inputNone {
		return a.draftsKeyMsg(msg) // the editor takes bursts and alt keys as text and edits
	}
	if msg.Alt && !msg.Paste && !(a.mode != inputNone && a.inputEditKey(msg)) {
		return a.escThen(msg)
	}
	if a.mode != inputNone {
		return a.inputKey(msg)
	}
	if a.brief.on {
		return a.briefingKey(msg)
	}
	// Several runes in one message are typed text or a paste arriving at
	// once (fast typing over SSH), never a key binding. Two exceptions: text
	// that starts with ':' or '/' opens the command line or the filter with
	// the rest as its text (":seek T+20h" typed fast); a held-down movement
	// key (jjjj) moves once per rune.
	if msg.Paste || (msg.Type == tea.KeyRunes && len(msg.Runes) > 1) {
		return a.multiRune(msg)
	}
	if a.overlay != overlayNone && !a.briefingOver(msg) {
		return a.overlayKey(msg)
	}
	a.status = ""
	k := &a.keys
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Help):
		a.openHelp()
	case key.Matches(msg, k.Command):
		return a.openInput(inputCommand, ":", "")
	case key.Matches(msg, k.Filter):
		return a.openSearch()
	case key.Matches(msg, k.Play):
		a.togglePlay()
	case key.Matches(msg, k.Live):
		a.returnLive()
	case key.Matches(msg, k.SearchNext) && a.searching():
		a.searchStep(1)
	case key.Matches(msg, k.SearchPrev):
		if !a.searching() {
			a.fail("N goes to the previous match of a search: / searches the focused pane")
			break
		}
		a.searchStep(-1)
	case key.Matches(msg, k.Next):
		a.navigate(a.seat.Next, a.r.LookNext)
	case key.Matches(msg, k.Prev):
		a.navigate(a.seat.Prev, a.r.LookPrev)
	case key.Matches(msg, k.NextInject):
		a.nextInject()
	case key.Matches(msg, k.Faster):
		a.setSpeed(a.seat.Faster)
	case key.Matches(msg, k.Slower):
		a.setSpeed(a.seat.Slower)
	case key.Matches(msg, k.Follow):
		return a.toggleFollow()
	case key.Matches(msg, k.Restart):
		a.restart()
	case key.Matches(msg, k.FocusNext):
		a.setFocus(a.focus%paneCount + 1)
	case key.Matches(msg, k.FocusPrev):
		a.setFocus((a.focus+paneCount-2)%paneCount + 1)
	case key.Matches(msg, k.Focus):
		a.setFocus(paneID(msg.Runes[0] - '0'))
	case key.Matches(msg, k.Back):
		a.back()
	case key.Matches(msg, k.Open) && a.focus == paneCarriers:
		a.openNotice()
	case key.Matches(msg, k.Zoom):
		a.zoom = !a.zoom
	case key.Matches(msg, k.Up):
		a.move(-1)
	case key.Matches(msg, k.Down):
		a.move(1)
	case key.Matches(msg, k.PageUp):
		a.move(-a.page())
	case key.Matches(msg, k.PageDown):
		a.move(a.page())
	case key.Matches(msg, k.Top):
		a.move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		a.move(1 << 30)
	case key.Matches(msg, k.Ack):
		a.ack()
	case key.Matches(msg, k.Tick):
		a.tick()
	case key.Matches(msg, k.ShowInject):
		a.showInject()
	case key.Matches(msg, k.Debrief):
		a.openDebrief()
	case key.Matches(msg, k.Drafts):
		a.openDrafts()
	case key.Matches(msg, k.Briefing):
		a.openBriefing()
	default:
		a.facilitatorKey(msg)
	}
	return nil
}

// restart goes back to T+0. The exercise runs again, so its injects show
// again as they are delivered.
func (a *app) restart() {
	if !a.movesRoom() {
		a.setLook(a.r.LookAt(0))
		a.info("looking back at T+00:00 on your own · L rejoins the room")
		return
	}
	a.inject.seen = nil
	a.atEndShown = false
	a.navigate(a.seat.Restart, nil)
	a.info("restarted at T+00:00")
}

// navigate moves through history: a commander in a replay moves the room
// (shared); anyone else, and anyone in a live room, looks back on their own
// (private, from where this console looks), while the room goes on.
func (a *app) navigate(shared func() (room.Snapshot, error), private func(room.Look) room.Look) {
	a.timeline.follow() // the events at the new clock are the news
	if a.movesRoom() || private == nil {
		a.do(shared())
		return
	}
	a.setLook(private(a.lookingAt()))
}

// lookingAt is where this console looks: its own look, or the room's place.
func (a *app) lookingAt() room.Look {
	if a.look != nil {
		return a.look.Look
	}
	return a.r.Here()
}

// lookBack is a console looking back on its own: where, and the room's
// epoch when it was taken (a rewritten history moves positions).
type lookBack struct {
	room.Look
	epoch int
}

// setLook shows history at l, privately; reaching the room's own place
// rejoins it.
func (a *app) setLook(l room.Look) {
	if here := a.r.Here(); l.Pos >= here.Pos {
		a.rejoin()
		return
	}
	if a.look == nil {
		a.shared = a.snap
	}
	a.look = &lookBack{Look: l, epoch: a.shared.State.Epoch}
	a.snap = a.r.SnapshotOf(l)
	a.seat.LookBack(true, l.Clock)
}

// refreshLook brings a private look up to date with the room: only the
// room's part of the snapshot changes, unless history was rewritten before
// the look (a live event arrived late), when the look is taken again at its
// clock.
func (a *app) refreshLook() {
	if a.shared.State.Epoch != a.look.epoch {
		a.look.Look = a.r.LookAt(a.look.Clock)
		a.look.epoch = a.shared.State.Epoch
		a.snap = a.r.SnapshotOf(a.look.Look)
		return
	}
	st, clock, pos, playing := a.snap.State, a.snap.Clock, a.snap.Pos, a.snap.Playing
	a.snap = a.shared
	a.snap.State, a.snap.Clock, a.snap.Pos, a.snap.Playing = st, clock, pos, playing
}

// rejoin ends a private look: the console shows the room again, and what
// the room delivered meanwhile (an inject) shows as it would have.
func (a *app) rejoin() {
	if a.look == nil {
		return
	}
	a.look = nil
	a.snap = a.shared
	a.apply(a.r.Snapshot())
	a.seat.LookBack(false, a.snap.Clock)
	a.timeline.follow()
}

// togglePlay is space: play or pause a replay; freeze a live room's view or
// follow the present again. Only a commander moves the room's clock.
func (a *app) togglePlay() {
	if a.look != nil {
		a.rejoin()
		a.info("back with the room at " + model.FormatOffset(a.snap.Clock))
		return
	}
	if !a.do(a.seat.TogglePlay()) || !a.snap.Live {
		return
	}
	if a.snap.Following {
		a.info("following live")
		return
	}
	a.info("frozen at " + model.FormatOffset(a.snap.Clock) + " · space or L returns to live")
}

// returnLive is L: back with the room from a private look; in a live room
// frozen by a commander, back to the present.
func (a *app) returnLive() {
	switch {
	case a.look != nil:
		a.rejoin()
		a.info("back with the room at " + model.FormatOffset(a.snap.Clock))
	case a.snap.Live && !a.snap.Following:
		if a.do(a.seat.ReturnLive()) {
			a.info("following live at " + model.FormatOffset(a.snap.Clock))
		}
	case a.snap.Live:
		a.info("already following live")
	default:
		a.info("already with the room at " + model.FormatOffset(a.snap.Clock))
	}
}

// setSpeed is ] and [: a replay's speed; a live room's clock is real time.
func (a *app) setSpeed(change func() (room.Snapshot, error)) {
	if a.snap.Live {
		a.fail("live: the clock follows real time; there is no replay speed")
		return
	}
	a.do(change())
}

// toggleFollow is f: follow the view a commander shares (focus, zoom,
// overlays) for a briefing, or stop; any other key stops it too.
func (a *app) toggleFollow() tea.Cmd {
	if a.following {
		a.following = false
		a.seat.Follow("")
		a.info("no longer following")
		return nil
	}
	v := a.shared.Presenter
	switch {
	case v.By == "":
		a.fail("no commander has shared a view yet: f follows a commander's focus, zoom and overlays")
		return nil
	case v.By == a.member().Name:
		a.fail("you are the one presenting: the others follow you with f")
		return nil
	}
	a.following = true
	a.seat.Follow(v.By)
	cmd := a.adopt(v)
	a.info("following " + clean(v.By) + " · any key stops")
	return cmd
}

// shareView publishes a commander's view when it changed, for the consoles
// that follow it.
func (a *app) shareView() {
	if !a.member().Role.MovesClock() || a.following {
		return
	}
	v := room.View{Focus: int(a.focus), Zoom: a.zoom, Overlay: overlayName(a.overlay), Item: a.overlayItem()}
	v = v.WithLook(a.ownLook())
	if v == a.shown {
		return
	}
	a.shown = v
	a.seat.Present(v)
}

// adopt shows a commander's shared view.
func (a *app) adopt(v room.View) tea.Cmd {
	if v.By == "" {
		return nil
	}
	a.adoptLook(v)
	a.setFocus(paneID(v.Focus))
	a.zoom = v.Zoom
	a.hosts.zoomTo(a, v.Item)
	a.uiRev++
	switch overlayByName(v.Overlay) {
	case overlayNone:
		a.overlay = overlayNone
	case overlayHelp:
		a.openHelp()
	case overlayNotice:
		if w, ok := a.snap.State.Warning(v.Item); ok {
			a.showNotice(w.ID)
		}
	case overlayInject:
		if in, ok := a.snap.State.InjectByID(v.Item); ok {
			a.openInject(in)
		}
	case overlayDebrief:
		a.openDebrief()
	case overlaySources:
		a.openSources()
	case overlayWho:
		return a.openWho()
	}
	return nil
}

// multiRune handles several runes that arrived in one message: keys typed
// fast over SSH, or held down, or a paste. A paste (bracketed) is text: it
// fills the command line or the filter when it starts with ':' or '/', and
// is otherwise ignored, saying so. Typed keys act one by one, as long as
// each only changes what this console shows (focus, zoom, scrolling, the
// help, stepping and speed): up to a ':' or '/', which opens the input line
// with the rest as its text (":seek T+20h" typed fast). A burst holding a
// key that changes the room or ends the console (a, x, q, space, r, F …)
// could be text pasted without bracketed paste, so none of it acts.
func (a *app) multiRune(msg tea.KeyMsg) tea.Cmd {
	runes := msg.Runes
	if len(runes) == 0 {
		return nil
	}
	if msg.Paste {
		if r := runes[0]; r == ':' || r == '/' {
			return a.typeInto(runes)
		}
		a.info("paste ignored: start it with : for a command or / for a filter")
		return nil
	}
	keys := runes
	if i := slices.IndexFunc(runes, func(r rune) bool { return r == ':' || r == '/' }); i >= 0 {
		keys = runes[:i]
	}
	if len(keys) > maxBurstKeys {
		a.fail(fmt.Sprintf("%d keys arrived at once: ignored (a key held down too long, or text pasted outside the command line)", len(keys)))
		return nil
	}
	for _, r := range keys {
		if !a.burstSafe(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}) {
			a.fail(fmt.Sprintf("%q arrived with other keys at once: ignored, in case it was pasted text; %q acts when pressed on its own",
				string(runes), string(r)))
			return nil
		}
	}
	var cmds []tea.Cmd
	for _, r := range keys {
		cmds = append(cmds, a.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))
	}
	if len(keys) < len(runes) {
		cmds = append(cmds, a.typeInto(runes[len(keys):]))
	}
	return tea.Batch(cmds...)
}

// typeInto acts on runes[0] (':' or '/') as the key it is and, if that
// opened an input line, types the rest into it.
func (a *app) typeInto(runes []rune) tea.Cmd {
	cmd := a.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: runes[:1]})
	if a.mode == inputNone || len(runes) == 1 {
		return cmd
	}
	a.insertText(runes[1:])
	a.inputChanged()
	return cmd
}

// maxBurstKeys is the most keys one message acts on: a held key repeats
// thirty times a second, and a longer run is not typing.
const maxBurstKeys = 64

// burstSafe reports whether a key may act when it arrives with others: it
// changes only what this console shows.
func (a *app) burstSafe(k tea.KeyMsg) bool {
	m := &a.keys
	if a.overlay == overlayInject && key.Matches(k, m.Check) {
		return false // digits score the inject there
	}
	return key.Matches(k, m.Focus, m.Zoom, m.Up, m.Down, m.Top, m.Bottom, m.Help, m.Next, m.Prev, m.SearchPrev,
		m.Faster, m.Slower, m.NextInject, m.ShowInject, m.Debrief, m.Live, m.Briefing, m.Drafts)
}

// back is esc: close the zoom, then clear a filter or end a search.
func (a *app) back() {
	switch {
	case a.zoom:
		a.zoom = false
	case a.focus == paneComplaints && a.complaints.filter != "":
		a.complaints.setFilter("")
	case a.endSearch():
	}
}

func (a *app) setFocus(p paneID) {
	if p < paneHosts || p > paneCount {
		return
	}
	a.focus = p
	switch p {
	case paneCarriers, paneRunbook:
		a.lower1 = p
	case paneComplaints, paneTimeline:
		a.lower2 = p
	}
}

// nextInject jumps to the next inject due on schedule; its delivery opens
// the inject overlay.
func (a *app) nextInject() {
	if !a.movesRoom() {
		a.fail("only a commander moves the room to the next inject")
		return
	}
	before := a.snap.Pos
	a.navigate(a.seat.NextInject, nil)
	if a.snap.Pos == before {
		a.info("no more injects")
		return
	}
	// Asked for: shown even if this delivery was seen before (a replay
	// stepped back over it).
	if in, ok := a.snap.State.CurrentInject(); ok && a.overlay != overlayInject {
		a.openInject(in)
	}
}

// move is j/k and friends for the focused pane.
func (a *app) move(d int) {
	s := &a.snap
	switch a.focus {
	case paneHosts:
		a.hosts.scroll(d, len(s.State.Hosts), a.page())
	case paneCarriers:
		a.carriers.move(s, d)
	case paneComplaints:
		a.complaints.scroll(s, d)
	case paneRunbook:
		a.runbook.move(s, d)
	case paneTimeline:
		a.timeline.scroll(s, d) // up goes back in time
	}
}

// page is the focused pane's content height, the step of pgup/pgdn.
func (a *app) page() int {
	lay := a.layout()
	for _, b := range lay.bands {
		for _, sl := range b.slots {
			if sl.pane == a.focus {
				return max(b.h-3, 1)
			}
		}
	}
	return 10
}

func (a *app) ack() {
	if a.focus != paneCarriers {
		a.fail("a acknowledges the selected carrier warning: focus pane 3 first")
		return
	}
	a.carriers.sync(&a.snap)
	w, ok := a.carriers.selected(&a.snap)
	if !ok {
		a.fail("no warning selected")
		return
	}
	a.ackWarning(w)
}

// ackWarning acknowledges a warning as the responder, unless it needs none.
func (a *app) ackWarning(w model.Warning) {
	switch {
	case w.Resolved:
		a.info(clean(w.CarrierName) + " warning is resolved: nothing to acknowledge")
	case w.Acked:
		a.info("already acknowledged by " + clean(w.AckedBy))
	default:
		if a.act(model.Acknowledgement{Warning: w.ID, By: a.responder()}) {
			a.info("acknowledged " + clean(w.CarrierName) + ": " + clean(w.Headline))
		}
	}
}

func (a *app) tick() {
	if a.focus != paneRunbook {
		a.fail("x ticks the selected runbook step: focus pane 5 first")
		return
	}
	st, ok := a.runbook.selected(&a.snap)
	if !ok {
		a.fail("no runbook step selected")
		return
	}
	next := nextStepState(st.State)
	if a.act(model.RunbookStepChange{Step: st.ID, State: next, By: a.responder()}) {
		a.info("step " + itoa(a.runbook.sel+1) + " " + string(next))
	}
}

// openInput opens the command line or the filter input at the bottom.
func (a *app) openInput(m inputMode, prompt, value string) tea.Cmd {
	a.mode = m
	a.input.Prompt = prompt
	switch {
	case m == inputFilter:
		a.input.Placeholder = filterPlaceholder
	case m == inputSearch:
		a.input.Placeholder = searchPlaceholder
	case a.snap.Live:
		a.input.Placeholder = commandPlaceholderLive
	default:
		a.input.Placeholder = commandPlaceholder
	}
	a.input.Width = max(a.w-width(prompt)-3, 1)
	a.input.SetValue(value)
	a.input.CursorEnd()
	return a.input.Focus()
}

func (a *app) closeInput() {
	a.mode = inputNone
	a.input.Blur()
	a.input.Reset()
}

// inputKey handles keys while the command line or filter is open: enter
// submits, esc cancels, editing keys edit, and every rune is text. Runes are
// inserted as they are, never matched against key names: typed fast or
// pasted, "up down end esc" arrives as messages whose text equals those
// keys' names, and it must reach the line unchanged.
func (a *app) inputKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case msg.Paste || msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace:
		a.insertText(msg.Runes)
	case msg.Type == tea.KeyEsc:
		switch a.mode {
		case inputFilter:
			a.complaints.setFilter("")
		case inputSearch:
			a.searchCancelled()
		}
		a.closeInput()
		return nil
	case msg.Type == tea.KeyEnter:
		m, v := a.mode, a.input.Value()
		a.closeInput()
		switch m {
		case inputCommand:
			return a.runCommand(v)
		case inputSearch:
			a.searchEntered(v)
			return nil
		}
		a.complaints.setFilter(strings.TrimSpace(v))
		return nil
	case a.inputEditKey(msg):
		a.input, _ = a.input.Update(msg)
	}
	a.inputChanged()
	return nil
}

// inputChanged follows the open filter or search as it is typed.
func (a *app) inputChanged() {
	switch a.mode {
	case inputFilter:
		a.complaints.setFilter(strings.TrimSpace(a.input.Value()))
	case inputSearch:
		a.searchTyped(a.input.Value())
	}
}

// inputEditKey reports whether a key edits the input line (cursor moves,
// deletions, the readline habits of alt+b, alt+f, alt+d, alt+backspace).
// Only these reach the textinput bubble; its other bindings (suggestions,
// ctrl+v reading the local clipboard, which over SSH is the server's) never
// run.
func (a *app) inputEditKey(msg tea.KeyMsg) bool {
	k := &a.input.KeyMap
	return key.Matches(msg, k.CharacterForward, k.CharacterBackward, k.WordForward, k.WordBackward,
		k.DeleteWordBackward, k.DeleteWordForward, k.DeleteAfterCursor, k.DeleteBeforeCursor,
		k.DeleteCharacterBackward, k.DeleteCharacterForward, k.LineStart, k.LineEnd)
}

// insertText puts typed or pasted runes into the input line at its cursor.
// Line breaks and tabs become spaces; other control characters are dropped.
// The line holds at most maxInput runes.
func (a *app) insertText(rs []rune) {
	ins := make([]rune, 0, len(rs))
	for _, r := range rs {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			ins = append(ins, ' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		default:
			ins = append(ins, r)
		}
	}
	val := []rune(a.input.Value())
	pos := min(max(a.input.Position(), 0), len(val))
	ins = ins[:min(len(ins), max(maxInput-len(val), 0))]
	if len(ins) == 0 {
		return
	}
	a.input.SetValue(string(val[:pos]) + string(ins) + string(val[pos:]))
	a.input.SetCursor(pos + len(ins))
}

// maxInput is the longest command line, in runes: a note or a decision is
// a few sentences, and a paste of a whole document is not a note.
const maxInput = 4000

// escThen handles a key read with the Alt modifier. A terminal sends alt+x
// as ESC followed by x, and so does a user pressing esc and then x when both
// arrive in one read (a laggy link, tmux, fast typing): warroom binds no alt
// keys, so it is esc followed by the key. Two esc presses read together
// (alt+esc) close two things.
func (a *app) escThen(msg tea.KeyMsg) tea.Cmd {
	first := a.handleKey(tea.KeyMsg{Type: tea.KeyEsc})
	msg.Alt = false
	return tea.Batch(first, a.handleKey(msg))
}

// openHelp opens the ? screen at its top.
func (a *app) openHelp() {
	a.overlay = overlayHelp
	a.helpPg.top = 0
}
