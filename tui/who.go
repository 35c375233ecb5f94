package tui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// whoOverlay is :who — every member in the room, their role, how long they
// have been idle, and whether they are with the room, looking back on their
// own, or following a commander's view.
type whoOverlay struct {
	pg     pager
	bw, bh int
}

// whoTickMsg re-draws :who once a minute while it is open: idle times move
// without anything being published.
type whoTickMsg struct{}

func whoTick() tea.Cmd {
	return tea.Tick(time.Minute, func(time.Time) tea.Msg { return whoTickMsg{} })
}

func (a *app) openWho() tea.Cmd {
	a.overlay = overlayWho
	a.who.pg.top = 0
	return whoTick()
}

func (a *app) whoKeyMsg(msg tea.KeyMsg) tea.Cmd {
	k := &a.keys
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Back):
		a.overlay = overlayNone
	default:
		a.who.pg.key(msg, k)
	}
	return nil
}

func (o *whoOverlay) view(a *app, lay layout) []string {
	o.bw = max(min(a.w-4, 90), 20)
	lines := whoLines(a.st, a.r.Presence(), a.shared.Clock, time.Now(), o.bw-4)
	o.bh = min(len(lines)+2, max(lay.panesH, 4))
	o.pg.set(lines, o.bh-2)
	corner := "esc close"
	if o.pg.more() {
		corner = o.pg.where() + " · j/k scroll · esc close"
	}
	return a.st.box(boxSpec{name: "Who is here", extra: plural(members(a.r.Presence()), "member"), corner: corner, focused: true},
		o.pg.view(), o.bw, o.bh)
}

// members counts distinct members among seats.
func members(ps []room.Presence) int {
	n := 0
	for i, p := range ps {
		if i == 0 || p.Name != ps[i-1].Name {
			n++
		}
	}
	return n
}

// whoLines is one line per seat: "ana  commander  idle 2m  with the room".
func whoLines(st *Styles, ps []room.Presence, roomClock time.Duration, now time.Time, w int) []string {
	if len(ps) == 0 {
		return []string{st.Dim.on("nobody")}
	}
	nameW := 4
	for _, p := range ps {
		nameW = max(nameW, width(clean(p.Name)))
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		where := "with the room"
		switch {
		case p.Following != "":
			where = "follows " + clean(p.Following)
		case p.Private:
			where = "looking back at " + model.FormatOffset(p.Viewing) + " (room at " + model.FormatOffset(roomClock) + ")"
		}
		idle := "active"
		if d := now.Sub(p.Active); d >= time.Minute {
			idle = "idle " + fmtAge(d)
		}
		line := fit(clean(p.Name), nameW) + "  " + fit(string(p.Role), 9) + "  " + fit(idle, 9) + "  " + where
		out = append(out, trunc(line, w))
	}
	return out
}

// overlayNames name the overlays a commander's shared view can hold.
var overlayNames = map[overlayKind]string{
	overlayHelp: "help", overlayNotice: "notice", overlayInject: "inject", overlayDebrief: "debrief",
	overlaySources: "sources", overlayWho: "who",
}

func overlayName(o overlayKind) string { return overlayNames[o] }

func overlayByName(name string) overlayKind {
	for k, v := range overlayNames {
		if v == name {
			return k
		}
	}
	return overlayNone
}

// overlayItem is what the open overlay shows: the warning or the inject.
func (a *app) overlayItem() string {
	switch a.overlay {
	case overlayNotice:
		return a.notice.id
	case overlayInject:
		return a.inject.id
	case overlayNone:
		return a.hosts.zoomedID(a) // the group a commander zoomed on, for followers
	}
	return ""
}
