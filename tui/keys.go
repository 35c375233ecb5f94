package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap is every key binding of the app. It feeds the help bubble through
// helpKeys, which picks the bindings that matter for the focused pane.
type KeyMap struct {
	// Replay (Live: back to the present of a live room)
	Play, Next, Prev, NextInject, Faster, Slower, Restart, Live key.Binding
	// Panes
	FocusNext, FocusPrev, Focus, Zoom, Back key.Binding
	// Lists
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	// A search on in the focused pane gives it n and N (searchkeys.go)
	SearchNext, SearchPrev key.Binding
	// Actions
	Ack, Tick, Open, Filter, Command key.Binding
	// Exercise: everyone reopens the inject and the debrief; the rest is
	// the facilitator's (Check only while the inject overlay is open).
	ShowInject, Debrief                    key.Binding
	Fire, Skip, Hold, PauseOnInject, Check key.Binding
	// Shared room: follow a commander's view (a briefing)
	Follow key.Binding
	// Status-update drafts: open them; in them, edit, copy, mark sent,
	// fill again
	Drafts, DraftEdit, DraftCopy, DraftSent, DraftRefill key.Binding
	// Briefing: the layout to screen-share (briefing.go)
	Briefing key.Binding
	// App
	Help, Quit key.Binding
}

// DefaultKeyMap follows terminal-tool habits (DESIGN.md, Conventions).
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Play:       b("space", "play", " "),
		Next:       b("n/→", "next event", "n", "right"),
		Prev:       b("p/←", "prev event", "p", "left"),
		NextInject: b("i", "next inject", "i"),
		Faster:     b("]", "faster", "]"),
		Slower:     b("[", "slower", "["),
		Restart:    b("r", "restart", "r"),
		Live:       b("L", "back to live", "L"),

		FocusNext: b("tab", "next pane", "tab"),
		FocusPrev: b("shift+tab", "prev pane", "shift+tab"),
		Focus:     b("1-6", "focus pane", "1", "2", "3", "4", "5", "6"),
		Zoom:      b("z/enter", "zoom", "z", "enter"),
		Back:      b("esc", "back", "esc"),

		Up:       b("k/↑", "up", "k", "up"),
		Down:     b("j/↓", "down", "j", "down"),
		PageUp:   b("pgup", "page up", "pgup"),
		PageDown: b("pgdn", "page down", "pgdown"),
		Top:      b("g/home", "first", "g", "home"),
		Bottom:   b("G/end", "last", "G", "end"),

		SearchNext: b("n", "next match (while searching)", "n"),
		SearchPrev: b("N", "prev match (while searching)", "N"),

		Ack:     b("a", "ack warning", "a"),
		Tick:    b("x", "tick step", "x"),
		Open:    b("enter", "open notice", "enter"),
		Filter:  b("/", "search pane", "/"),
		Command: b(":", "command", ":"),

		ShowInject:    b("I", "show inject", "I"),
		Debrief:       b("D", "debrief", "D"),
		Fire:          b("F", "fire next inject", "F"),
		Skip:          b("S", "skip next inject", "S"),
		Hold:          b("H", "hold/release next", "H"),
		PauseOnInject: b("P", "pause on inject", "P"),
		Check:         b("1-9", "check expected action", "1", "2", "3", "4", "5", "6", "7", "8", "9"),

		Follow:   b("f", "follow commander", "f"),
		Briefing: b("b", "briefing view", "b"),

		Drafts:      b("c", "status-update drafts", "c"),
		DraftEdit:   b("e/enter", "edit draft", "e"),
		DraftCopy:   b("y", "copy draft (OSC 52)", "y"),
		DraftSent:   b("s", "mark draft sent", "s"),
		DraftRefill: b("r", "fill draft again", "r"),

		Help: b("?", "help", "?"),
		Quit: b("q", "quit", "q", "ctrl+c"),
	}
}

// helpKeys is the KeyMap as the help bubble sees it for one focused pane
// and one role: the facilitator's keys are listed only for the facilitator.
type helpKeys struct {
	k           *KeyMap
	focus       paneID
	facilitator bool
	live        bool // a live room: space freezes, L returns to the present
	searching   bool // a search is on in the focused pane: n/N are its
}

var _ help.KeyMap = helpKeys{}

// ShortHelp is the footer line: replay first, then what the focused pane
// offers, then the way out.
func (h helpKeys) ShortHelp() []key.Binding {
	k := h.k
	step := key.NewBinding(key.WithKeys("n", "p"), key.WithHelp("n/p", "step"))
	speed := key.NewBinding(key.WithKeys("]", "["), key.WithHelp("]/[", "speed"))
	focus := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/1-6", "focus"))
	zoom := key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom"))
	short := func(b key.Binding, desc string) key.Binding {
		b.SetHelp(b.Help().Key, desc)
		return b
	}
	if h.searching { // n/N are the search's; the arrows still step
		step = key.NewBinding(key.WithKeys("right", "left"), key.WithHelp("→/←", "step"))
	}
	out := []key.Binding{k.Play, step, speed, focus, zoom}
	if h.live {
		out = []key.Binding{short(k.Play, "freeze"), short(k.Live, "live"), step, focus, zoom}
	}
	if h.searching {
		out = append(out, key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n/N", "match")),
			short(k.Back, "end search"))
	}
	switch h.focus {
	case paneHosts:
		out = append(out, key.NewBinding(key.WithKeys("j", "k"), key.WithHelp("j/k", "group")))
	case paneCarriers:
		out = append(out, short(k.Ack, "ack"), short(k.Open, "notice"), short(k.Filter, "search"))
	case paneRunbook:
		out = append(out, short(k.Tick, "tick"), short(k.Filter, "search"))
	case paneTimeline:
		out = append(out, short(k.Filter, "search"))
	case paneComplaints:
		out = append(out, short(k.Filter, "filter"))
	}
	return append(out, short(k.Command, "cmd"), k.Help, k.Quit)
}

// FullHelp is the ? screen, one column per concern; the help lays out as
// many side by side as the width takes (keyColumns).
func (h helpKeys) FullHelp() [][]key.Binding {
	k := h.k
	play := k.Play
	if h.live {
		play.SetHelp(play.Help().Key, "freeze/follow")
	}
	return [][]key.Binding{
		{play, k.Live, k.Next, k.Prev, k.NextInject, k.Faster, k.Slower, k.Restart},
		{k.FocusNext, k.FocusPrev, k.Focus, k.Zoom, k.Back, k.Briefing, k.Help, k.Quit},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Ack, k.Open, k.Tick, k.Command, k.Follow, k.Drafts},
		{k.Filter, k.SearchNext, k.SearchPrev},
	}
}

// ExerciseHelp is the tabletop keys, a block of their own under the full
// help, titled as such. The facilitator's keys are listed only for the
// facilitator.
func (h helpKeys) ExerciseHelp() [][]key.Binding {
	k := h.k
	if !h.facilitator {
		return [][]key.Binding{{k.ShowInject}, {k.Debrief}}
	}
	return [][]key.Binding{{k.ShowInject, k.Debrief}, {k.Fire, k.Skip}, {k.Hold, k.PauseOnInject}, {k.Check}}
}
