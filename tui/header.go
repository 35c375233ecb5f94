package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// header is the top line: title, severity, T+, wall time, mode, play state
// and speed; live, whether the view follows the present, and the sources'
// health. When the width is short the title is abbreviated first, then the
// words go ("playing", "REPLAY", the year), never the figures.
func header(st *Styles, s *room.Snapshot, look *headerLook, w int) string {
	meta := s.Scenario.Meta
	title := clean(meta.Title)
	if title == "" {
		title = clean(s.Scenario.Name)
	}
	sev := clean(meta.Severity)

	// The play state, longest form first.
	var play [3]string
	mode := "REPLAY"
	if s.Live {
		mode = "LIVE"
	}
	switch {
	case look != nil:
		room := model.FormatOffset(look.roomClock)
		play = [3]string{st.Paused.on("◀ viewing "+model.FormatOffset(s.Clock)) + " · room at " + room + " · L to rejoin",
			st.Paused.on("◀ viewing") + " · room " + room + " · L", st.Paused.on("◀") + " L"}
	case s.Live:
		switch {
		case s.Following:
			play = [3]string{st.Playing.on("● following"), st.Playing.on("● following"), st.Playing.on("●")}
		default:
			play = [3]string{st.Paused.on("❚❚ frozen") + " · L for live", st.Paused.on("❚❚ frozen") + " · L",
				st.Paused.on("❚❚") + " L"}
		}
	default:
		sym, word, playP := "❚❚", "paused", st.Paused
		switch {
		case s.Playing:
			sym, word, playP = "▶", "playing", st.Playing
		case s.Pos >= s.Len && s.Clock >= s.End:
			word = "at end"
		}
		speed := " ×" + strconv.FormatFloat(s.Speed, 'f', -1, 64)
		play = [3]string{playP.on(sym+" "+word) + speed, playP.on(sym) + speed, playP.on(sym) + speed}
	}
	srcLong := sourcesSummary(st, s.State.Sources, s.Clock, true)
	srcShort := sourcesSummary(st, s.State.Sources, s.Clock, false)
	extraLong, extraShort := roomExtras(st, s)
	srcLong, srcShort = joinSpaced(srcLong, extraLong), joinSpaced(srcShort, extraShort)

	// The forms to try, longest first, each with the least title it must
	// leave. Live, the play state's words outrank the title's.
	type variant struct {
		wall, mode, play, src string
		minTitle              int
	}
	long, short := st.headerWall(s.Wall()) // in the console's zone, named
	variants := []variant{
		{long, mode, play[0], srcLong, 16},
		{long, mode, play[0], srcShort, 16},
		{long, mode, play[1], srcShort, 16},
		{short, mode, play[1], srcShort, 16},
		{short, "", play[1], srcShort, 16},
	}
	if look != nil { // where the room is matters more than the wall time's year
		variants = []variant{
			{long, mode, play[0], srcLong, 16},
			{short, mode, play[0], srcShort, 16},
			{short, "", play[0], srcShort, 16},
			{short, "", play[0], srcShort, 10},
			{short, "", play[1], srcShort, 10},
			{short, "", play[2], srcShort, 10},
		}
	} else if s.Live {
		variants = []variant{
			{long, mode, play[0], srcLong, 16},
			{long, mode, play[0], srcShort, 16},
			{short, mode, play[0], srcShort, 16},
			{short, mode, play[1], srcShort, 12},
			{short, mode, play[2], srcShort, 12},
			{short, "", play[2], srcShort, 12},
		}
	}
	// With alerts unacknowledged, the first form names the first alert;
	// then each form counts them. Live or looking back, before a form drops
	// the mode, words of the play state or of the sources' health, the count
	// shrinks to the flag and a number ("⚑4") and the title to a few
	// letters: where the room is, whether it follows the present and how
	// fresh its data is matter more.
	type withAlerts struct {
		variant
		alerts alertForm
	}
	tries := make([]withAlerts, 0, 2*len(variants)+1)
	if len(s.State.UnackedAlerts()) > 0 {
		tries = append(tries, withAlerts{variants[0], alertNamed})
		for i, v := range variants {
			// Live or looking back, the play state and the sources' health
			// are what the header is for; in a replay its symbol says paused.
			prev := variants[max(i-1, 0)]
			if i > 0 && (s.Live || look != nil) && (v.mode != prev.mode || v.play != prev.play || v.src != prev.src) {
				prev.minTitle = min(prev.minTitle, 8)
				tries = append(tries, withAlerts{prev, alertTiny})
			}
			tries = append(tries, withAlerts{v, alertCounted})
		}
		last := variants[len(variants)-1]
		last.minTitle = min(last.minTitle, 8)
		tries = append(tries, withAlerts{last, alertTiny})
	} else {
		for _, v := range variants {
			tries = append(tries, withAlerts{v, alertCounted})
		}
	}
	var right string
	for i, v := range tries {
		parts := []string{}
		if al := alertHeader(st, &s.State, v.alerts); al != "" {
			parts = append(parts, al)
		}
		if sev != "" {
			parts = append(parts, st.SevBadge.on(" "+sev+" "))
		}
		parts = append(parts, st.Bold.on(model.FormatOffset(s.Clock)), v.wall)
		if v.mode != "" {
			parts = append(parts, st.Mode.on(v.mode)+" "+v.play)
		} else {
			parts = append(parts, v.play)
		}
		if v.src != "" {
			parts = append(parts, v.src)
		}
		right = strings.Join(parts, "  ") + " "
		if w-width(right)-2 >= v.minTitle || i == len(tries)-1 {
			break
		}
	}
	space := w - width(right) - 3
	t := ""
	if space > 0 {
		t = st.Title.on(trunc(title, space))
	}
	return fit(" "+t+repeat(" ", w-width(right)-1-width(t))+right, w)
}

// headerLook is what the header says of a console looking back on its own:
// where the room is.
type headerLook struct{ roomClock time.Duration }

// roomExtras is the header's word on the shared room: how many are in it
// ("3 in the room", short "3 here"), and a journal that cannot be written.
func roomExtras(st *Styles, s *room.Snapshot) (long, short string) {
	if n := s.Members(); n > 1 {
		long, short = itoa(n)+" in the room", itoa(n)+" here"
	}
	if s.JournalErr != "" {
		bad := st.Bad.on("journal ✗")
		long, short = joinSpaced(long, bad), joinSpaced(short, bad)
	}
	// A room shared through NATS: offline (with the actions kept to send
	// when it returns), or catching up with the stream.
	switch {
	case s.Offline && s.Kept > 0:
		long = joinSpaced(long, st.Bad.on("room offline ✗ "+itoa(s.Kept)+" kept"))
		short = joinSpaced(short, st.Bad.on("offline ✗"+itoa(s.Kept)))
	case s.Offline:
		long, short = joinSpaced(long, st.Bad.on("room offline ✗")), joinSpaced(short, st.Bad.on("offline ✗"))
	case s.Behind > 0:
		n := itoa(int(min(s.Behind, 1<<30)))
		long, short = joinSpaced(long, "catching up: "+n+" behind"), joinSpaced(short, n+" behind")
	}
	return long, short
}

// joinSpaced joins the parts that are not empty with two spaces.
func joinSpaced(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "  ")
}

// summary is the compact layout's strip of the four figures that must stay
// visible: hosts back, backlog size, ETA, unacked warnings.
func summary(st *Styles, s *room.Snapshot, fc model.Forecast, unacked, w int) string {
	rec, total, failed := s.State.HostTotals()
	hosts := st.Bold.on(itoa(percent(rec, total))+"%") + " hosts back"
	if total == 0 {
		hosts = st.Dim.on("no host reports")
	}
	if failed > 0 {
		hosts += " (" + st.Bad.on(itoa(failed)+"✗") + ")"
	}
	backlog := st.Dim.on("no backlog yet")
	if p, ok := s.State.Backlog.Latest(); ok {
		backlog = st.Bold.on(fmtCount(float64(p.Waiting))) + " waiting"
	}
	eta := etaText(st, s, fc, etaCompact)
	if fc.OK && !fc.Draining && !fc.Cleared {
		eta = st.Bad.on(eta)
	}
	warn := st.Good.on("✓ 0 unacked")
	if unacked > 0 {
		warn = st.Bad.on("! " + itoa(unacked) + " unacked")
	}
	hosts, backlog, eta = markFigures(st, &s.State, hosts, backlog, eta)
	line := " " + strings.Join([]string{hosts, backlog, eta, warn}, " · ")
	if width(line) > w { // narrow: drop the words, keep the figures
		hosts = itoa(percent(rec, total)) + "% back"
		backlog = "backlog " + fmtCount(float64(s.State.Backlog.Peak))
		if p, ok := s.State.Backlog.Latest(); ok {
			backlog = "backlog " + fmtCount(float64(p.Waiting))
		}
		hosts, backlog, eta = markFigures(st, &s.State, hosts, backlog, eta)
		line = " " + strings.Join([]string{hosts, backlog, eta, warn}, " · ")
	}
	return fit(line, w)
}
