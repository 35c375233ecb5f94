package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// briefing is the briefing view (b): a layout to screen-share and read
// from across a room, with the four figures that matter in large type,
// the burn-down chart with its forecast and the last lines of the
// timeline. It shows no key hints, no status line and nothing of the
// facilitator's, whatever the console's role: a shared screen is seen by
// everyone in the room.
type briefing struct {
	on bool
	// awaiting: f was pressed here before any commander shared a view;
	// the screen follows the first who does (followWhenPresented).
	awaiting bool

	figsKey figuresKey
	figsOK  bool
	figs    [4]briefFigure
	tiles   memo[tilesKey]
	chart   chartCache
	legend  memo[legendKey]
}

// tilesKey is what the drawn figures are made from.
type tilesKey struct {
	figs figuresKey
	w, h int
}

// openBriefing switches to the briefing view; nothing else of the console
// changes, and closeBriefing finds it as it was (but unzoomed: the view
// shows a zoomed pane only when following a commander who zoomed one).
func (a *app) openBriefing() {
	a.brief.on = true
	a.zoom = false
	a.status = ""
}

func (a *app) closeBriefing() {
	a.brief.on = false
	a.brief.awaiting = false
	a.status = ""
}

// briefingKey handles a key in the briefing view. b or esc goes back, q
// quits; the keys that move through the incident (space, n/p, [ ], L, r)
// work as in the console, so that one presenter can drive the briefing;
// f follows a commander. Every other key does nothing here: nothing on
// the shared screen changes by accident.
func (a *app) briefingKey(msg tea.KeyMsg) tea.Cmd {
	k := &a.keys
	if msg.Paste || (msg.Type == tea.KeyRunes && len(msg.Runes) > 1) {
		return a.briefingBurst(msg)
	}
	if !key.Matches(msg, k.Follow) {
		a.brief.awaiting = false // any other key, as it stops following
	}
	switch {
	case key.Matches(msg, k.Briefing, k.Back):
		a.closeBriefing()
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Follow):
		return a.briefingFollow()
	case key.Matches(msg, k.Play):
		a.togglePlay()
	case key.Matches(msg, k.Live):
		a.returnLive()
	case key.Matches(msg, k.Next):
		a.navigate(a.seat.Next, a.r.LookNext)
	case key.Matches(msg, k.Prev):
		a.navigate(a.seat.Prev, a.r.LookPrev)
	case key.Matches(msg, k.Faster):
		a.setSpeed(a.seat.Faster)
	case key.Matches(msg, k.Slower):
		a.setSpeed(a.seat.Slower)
	case key.Matches(msg, k.Restart):
		a.restart()
	}
	return nil
}

// briefingBurst is several keys in one message (typed fast over SSH, or
// held): steps and speed act one by one; b first leaves the briefing and
// the console takes the rest as it takes any burst ("bc" typed fast opens
// the drafts); anything else may be pasted text, and none of it acts.
func (a *app) briefingBurst(msg tea.KeyMsg) tea.Cmd {
	if msg.Paste || len(msg.Runes) > maxBurstKeys {
		return nil
	}
	k := &a.keys
	if first := (tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[:1]}); key.Matches(first, k.Briefing) {
		a.closeBriefing()
		rest := msg.Runes[1:]
		if len(rest) == 1 {
			return a.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: rest})
		}
		return a.multiRune(tea.KeyMsg{Type: tea.KeyRunes, Runes: rest})
	}
	for _, r := range msg.Runes {
		if !key.Matches(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}, k.Next, k.Prev, k.Faster, k.Slower) {
			return nil
		}
	}
	for _, r := range msg.Runes {
		a.briefingKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return nil
}

// briefingFollow is f in the briefing: follow the commander who shares
// their view, or stop. With none yet, the screen waits for one (the
// header says so): a screen is often set up before the commander starts.
func (a *app) briefingFollow() tea.Cmd {
	switch {
	case a.brief.awaiting:
		a.brief.awaiting = false
		return nil
	case !a.following && a.shared.Presenter.By == "":
		a.brief.awaiting = true
		return nil
	}
	return a.toggleFollow()
}

// followWhenPresented starts following once a commander shares a view.
func (a *app) followWhenPresented() tea.Cmd {
	if by := a.shared.Presenter.By; by == "" || by == a.member().Name {
		return nil
	}
	a.brief.awaiting = false
	a.uiRev++
	return a.toggleFollow()
}

// briefingOver reports whether a key opens the briefing over the open
// overlay: b does over those that read no text (an inject delivered just
// before a briefing must not keep the screen from it); the overlay is
// there again when the briefing closes.
func (a *app) briefingOver(msg tea.KeyMsg) bool {
	switch a.overlay {
	case overlayNotice, overlayHelp, overlayInject, overlayDebrief, overlaySources, overlayWho, overlayAlerts:
		return key.Matches(msg, a.keys.Briefing)
	}
	return false
}
