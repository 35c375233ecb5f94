package tui

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// Alerts in the console: a rule that fires marks the pane it concerns
// (its top border carries "⚑" and what fired, so that it shows without
// colour), shows in the header until acknowledged, leaves lines in the
// timeline and rings this console's bell once. :alerts lists them.

// alertPane is the pane an alert rule concerns.
func alertPane(p model.AlertPane) paneID {
	switch p {
	case model.AlertPaneHosts:
		return paneHosts
	case model.AlertPaneBacklog:
		return paneBacklog
	case model.AlertPaneCarriers:
		return paneCarriers
	case model.AlertPaneComplaints:
		return paneComplaints
	case model.AlertPaneRunbook:
		return paneRunbook
	}
	return paneTimeline
}

// figureWords name a figure in a pane's alert mark.
var figureWords = map[model.AlertFigure]string{
	model.FigureWaiting:   "waiting ↑",
	model.FigureETA:       "ETA slipping",
	model.FigureWarnings:  "carrier warning",
	model.FigureRate:      "complaints spike",
	model.FigureRecovered: "recovery stalled",
	model.FigureSource:    "source stale",
}

// paneAlertMark is the mark on a pane's top border while a rule that
// concerns it fires: "⚑ ALERT waiting ↑ · ETA slipping"; "" when none.
func paneAlertMark(s *model.State, p paneID) string {
	var words []string
	on := false
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if !a.Active {
			continue
		}
		pane, fig := a.Rule.Target()
		if alertPane(pane) != p {
			continue
		}
		on = true
		if w := figureWords[fig]; w != "" && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	if !on {
		return ""
	}
	if len(words) == 0 {
		return "⚑ ALERT"
	}
	return "⚑ ALERT " + strings.Join(words, " · ")
}

// markAlertPane puts mark on the top border of a pane's lines (w cells
// wide), in the run of border at its right end, without touching the
// cached lines or the pane's title: the whole mark where it fits, else
// "⚑ ALERT", else "⚑".
func markAlertPane(st *Styles, lines []string, w int, mark string) []string {
	if mark == "" || len(lines) == 0 || w < 8 {
		return lines
	}
	plain := []rune(ansi.Strip(lines[0]))
	free := 0 // the border cells before the closing corner
	for i := len(plain) - 2; i >= 0 && plain[i] == '─'; i-- {
		free++
	}
	for _, m := range []string{mark, "⚑ ALERT", "⚑"} {
		m = " " + m + " "
		if width(m)+2 > free { // a border cell on each side
			continue
		}
		out := slices.Clone(lines)
		top := truncCells(lines[0], w-width(m)-2, "")
		if strings.Contains(top, "\x1b") {
			top += "\x1b[0m"
		}
		out[0] = top + st.Bad.on(m) + st.Border.on("─╮")
		return out
	}
	return lines
}

// alertHeader is the header's word on the alerts nobody has acknowledged:
// long, "⚑ ALERT backlog growing for 30m +1"; short, "⚑ 2 alerts"; once
// none fires any more, "⚑ 2 cleared unacked"; "" when every alert is
// acknowledged.
func alertHeader(st *Styles, s *model.State, form alertForm) string {
	un := s.UnackedAlerts()
	switch {
	case len(un) == 0:
		return ""
	case form == alertTiny && !un[0].Active:
		return st.Warn.on("⚑" + itoa(len(un)) + "✓")
	case form == alertTiny:
		return st.Bad.on("⚑" + itoa(len(un)))
	case !un[0].Active:
		return st.Warn.on("⚑ " + itoa(len(un)) + " cleared unacked")
	case form == alertCounted:
		return st.Bad.on("⚑ " + plural(len(un), "alert"))
	}
	text := "⚑ ALERT " + clean(un[0].Rule.Title())
	if len(un) > 1 {
		text += " +" + itoa(len(un)-1)
	}
	return st.Bad.on(text)
}

// alertForm is how much the header says of the alerts: the first one
// named, their count, or the flag and the count alone where the header is
// short of room.
type alertForm int

const (
	alertNamed alertForm = iota
	alertCounted
	alertTiny
)

// bell rings a console's terminal once per firing: it remembers the
// firings it rang for (a rule and the time it fired), so that a redraw, a
// second snapshot of the same firing, or going back and forth over it
// never rings again.
type bell struct {
	off  bool
	rung map[string]time.Duration // rule id → the latest firing rung for
	due  bool
}

// note looks at a new state: a rule that fires, unacknowledged, at a time
// not rung for yet makes the bell due.
func (b *bell) note(s *model.State) {
	if b.off {
		return
	}
	for i := range s.Alerts {
		a := &s.Alerts[i]
		f, ok := a.Latest()
		if !ok || !a.Active || f.Acked {
			continue
		}
		if at, seen := b.rung[a.Rule.ID]; seen && at >= f.FiredAt {
			continue
		}
		if b.rung == nil {
			b.rung = map[string]time.Duration{}
		}
		b.rung[a.Rule.ID] = f.FiredAt
		b.due = true
	}
}

// take reports whether the bell should ring now, once.
func (b *bell) take() bool {
	due := b.due
	b.due = false
	return due
}

// takeBell is the hook the terminal's screen rings by.
func (a *app) takeBell() bool { return a.bell.take() }

// alertTimeline is the timeline's entries with the alert lines in their
// places: an entry list that inserts a few lines into the events' own
// without copying them.
type alertTimeline struct {
	base  []model.Entry
	extra []model.Entry
	at    []int // extra[j] comes before base[at[j]]
}

// timelineOf is the snapshot's timeline with its alert lines.
func timelineOf(s *room.Snapshot) alertTimeline {
	t := alertTimeline{base: s.State.Timeline}
	lines := s.State.AlertLines()
	if len(lines) == 0 {
		return t
	}
	t.extra = make([]model.Entry, len(lines))
	t.at = make([]int, len(lines))
	for j, l := range lines {
		text := "⚑ " + l.Text
		if !l.Fired {
			text = "✓ " + l.Text
		}
		t.extra[j] = model.Entry{At: l.At, Kind: model.KindAlert, Source: "alert", Text: text}
		// after every event at or before its minute: the minute is evaluated with them
		t.at[j], _ = slices.BinarySearchFunc(t.base, l.At, func(e model.Entry, at time.Duration) int {
			if e.At <= at {
				return -1
			}
			return 1
		})
	}
	return t
}

// Len is how many entries there are.
func (t alertTimeline) Len() int { return len(t.base) + len(t.extra) }

// At is entry i.
func (t alertTimeline) At(i int) model.Entry {
	if len(t.extra) == 0 {
		return t.base[i]
	}
	// extra[j] stands at at[j]+j, increasing in j: the extras before i
	// are those standing before it.
	j := sort.Search(len(t.at), func(j int) bool { return t.at[j]+j >= i })
	if j < len(t.at) && t.at[j]+j == i {
		return t.extra[j]
	}
	return t.base[i-j]
}

// alertRow is one firing in the :alerts list.
type alertRow struct {
	rule   string
	title  string
	active bool
	f      model.AlertFiring
}

// alertRows are the firings, those firing now first, then the latest first.
func alertRows(s *model.State) []alertRow {
	var rows []alertRow
	for _, a := range s.Alerts {
		for j, f := range a.Firings {
			rows = append(rows, alertRow{rule: a.Rule.ID, title: a.Rule.Title(), active: a.Active && j == len(a.Firings)-1, f: f})
		}
	}
	slices.SortStableFunc(rows, func(x, y alertRow) int {
		if x.active != y.active {
			if x.active {
				return -1
			}
			return 1
		}
		return cmp.Compare(y.f.FiredAt, x.f.FiredAt)
	})
	return rows
}

// alertsOverlay is :alerts — every firing kept, active ones first, each
// with when it fired and cleared and who acknowledged it; a acknowledges
// the selected one.
type alertsOverlay struct {
	sel, top int
}

func (a *app) openAlerts() {
	a.overlay = overlayAlerts
	a.alerts = alertsOverlay{}
}

// alertsKeyMsg handles keys while :alerts is open.
func (a *app) alertsKeyMsg(msg tea.KeyMsg) tea.Cmd {
	k := &a.keys
	rows := alertRows(&a.snap.State)
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Back):
		a.overlay = overlayNone
	case key.Matches(msg, k.Command):
		a.overlay = overlayNone
		return a.openInput(inputCommand, ":", "")
	case key.Matches(msg, k.Up):
		a.alerts.sel--
	case key.Matches(msg, k.Down):
		a.alerts.sel++
	case key.Matches(msg, k.Top):
		a.alerts.sel = 0
	case key.Matches(msg, k.Bottom):
		a.alerts.sel = len(rows) - 1
	case key.Matches(msg, k.Ack), key.Matches(msg, k.Open):
		a.alerts.sel = min(max(a.alerts.sel, 0), max(len(rows)-1, 0))
		if len(rows) > 0 {
			a.ackAlert(rows[a.alerts.sel])
		}
	}
	a.alerts.sel = min(max(a.alerts.sel, 0), max(len(rows)-1, 0))
	return nil
}

// ackAlert acknowledges a rule's firings as the responder.
func (a *app) ackAlert(r alertRow) {
	switch {
	case r.f.Acked:
		a.info("already acknowledged by " + clean(r.f.AckedBy))
	case !a.member().Role.Acts():
		a.fail(clean(a.member().Name) + " is an observer: observers see everything and change nothing")
	default:
		if a.act(model.AlertAck{Alert: r.rule, By: a.responder()}) {
			a.info("acknowledged alert: " + clean(r.title))
		}
	}
}

func (o *alertsOverlay) view(a *app, lay layout) []string {
	st, s := a.st, &a.snap.State
	bw := max(min(a.w-4, 100), 20)
	cw := bw - 4
	rows := alertRows(s)
	bh := max(min(2*len(rows)+2, lay.panesH), 4)
	per := max((bh-2)/2, 1) // two lines a firing
	o.sel = min(max(o.sel, 0), max(len(rows)-1, 0))
	o.top = scrollWindow(o.top, o.sel, len(rows), per)
	var body []string
	if len(rows) == 0 {
		msg := "No alert has fired."
		if len(s.Alerts) == 0 {
			msg = "No alert rules: a scenario's or config's alerts: list declares them."
		}
		body = wrap(msg, cw)
	}
	for i := o.top; i < min(o.top+per, len(rows)); i++ {
		r := rows[i]
		lead := "  "
		if i == o.sel {
			lead = "› "
		}
		state := st.Good.on("✓ cleared")
		if r.active {
			state = st.Bad.on("⚑ FIRING ")
		}
		when := "fired " + model.FormatOffset(r.f.FiredAt)
		if r.f.Cleared {
			when += " · cleared " + model.FormatOffset(r.f.ClearedAt)
		}
		ack := st.Bad.on("unacked")
		if r.f.Acked {
			ack = "acked by " + clean(r.f.AckedBy) + " " + model.FormatOffset(r.f.AckedAt)
		}
		head := lead + state + " " + st.Bold.on(clean(r.title)) + st.Dim.on(" · "+when+" · ") + ack
		if i == o.sel {
			head = st.Selected.on(trunc(head, cw))
		}
		body = append(body, trunc(head, cw), st.Dim.on(trunc("            "+clean(r.f.Detail), cw)))
	}
	firing, unacked := 0, len(s.UnackedAlerts())
	for _, al := range s.Alerts {
		if al.Active {
			firing++
		}
	}
	name := "Alerts (" + itoa(firing) + " firing · " + itoa(unacked) + " unacked)"
	return st.box(boxSpec{name: name, corner: "j/k select · a ack · esc close", focused: true}, body, bw, bh)
}

// markFigures marks the summary strip's figures that a firing alert
// concerns with "⚑": hosts back, the backlog, its ETA. (The strip counts
// unacknowledged warnings, not the open ones a warning rule watches: the
// carriers pane's border carries that mark.)
func markFigures(st *Styles, s *model.State, hosts, backlog, eta string) (string, string, string) {
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if !a.Active {
			continue
		}
		_, fig := a.Rule.Target()
		mark := func(t *string) {
			if !strings.HasPrefix(*t, "⚑") && !strings.Contains(*t, "⚑") {
				*t = st.Bad.on("⚑") + " " + *t
			}
		}
		switch fig {
		case model.FigureRecovered:
			mark(&hosts)
		case model.FigureWaiting:
			mark(&backlog)
		case model.FigureETA:
			mark(&eta)
		}
	}
	return hosts, backlog, eta
}

// firingFigures are the figures in the panes that firing alerts concern:
// the backlog's waiting count and ETA, the hosts' total, and the host
// groups a stalled-hosts rule names (comma-joined; "" when it names none).
type firingFigures struct {
	waiting, eta, recovered bool
	groups                  string
}

// figuresFiring reads them from the state's alerts.
func figuresFiring(s *model.State) firingFigures {
	var f firingFigures
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if !a.Active {
			continue
		}
		_, fig := a.Rule.Target()
		switch fig {
		case model.FigureWaiting:
			f.waiting = true
		case model.FigureETA:
			f.eta = true
		case model.FigureRecovered:
			f.recovered = true
			if g := a.Rule.HostsStalled; g != nil && g.Group != "" {
				f.groups += "," + g.Group
			}
		}
	}
	if f.groups != "" {
		f.groups += ","
	}
	return f
}

// flagsGroup reports whether a firing rule names the group.
func (f firingFigures) flagsGroup(id string) bool {
	return f.groups != "" && strings.Contains(f.groups, ","+id+",")
}

// flag puts the alert mark before a figure.
func flag(st *Styles, text string) string { return st.Bad.on("⚑") + " " + text }
