package tui

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// paneOf is the pane that shows events of a kind: a source's health is shown
// on the borders of the panes it feeds. Kinds without a pane of their own
// (notes, status updates, injects, acknowledgements …) show in the timeline.
func paneOf(k model.Kind) paneID {
	switch k {
	case model.KindHostStatus:
		return paneHosts
	case model.KindBacklog:
		return paneBacklog
	case model.KindWarning:
		return paneCarriers
	case model.KindComplaint:
		return paneComplaints
	case model.KindRunbookStep:
		return paneRunbook
	}
	return paneTimeline
}

// healthMark is a source status as a symbol and a word, so that it reads
// without colour, and its paint.
func healthMark(st *Styles, h model.HealthStatus) (sym, word string, p paint) {
	switch h {
	case model.HealthOK:
		return "✓", "ok", st.Good
	case model.HealthStale:
		return "⚠", "stale", st.Warn
	case model.HealthError:
		return "✗", "error", st.Bad
	}
	return "?", clean(string(h)), st.Warn
}

// healthy reports whether a source needs no attention.
func healthy(src model.SourceStatus) bool { return src.Status == model.HealthOK }

// dataAge is how old a source's last fresh data is at the clock. For a
// source in trouble, whose age is what one watches, it is to the second
// under an hour: "45s", "1m20s", "12m05s", then "3h"; for an ok source, to
// the minute: "<1m", "12m". "no data yet" for a source that never
// delivered.
func dataAge(src model.SourceStatus, clock time.Duration) string {
	if src.LastData < 0 {
		return "no data yet"
	}
	d := max(clock-src.LastData, 0)
	switch {
	case d >= time.Hour:
		return fmtAge(d)
	case healthy(src) && d < time.Minute:
		return "<1m"
	case healthy(src):
		return fmtAge(d)
	case d < time.Minute:
		return itoa(int(d/time.Second)) + "s"
	}
	sec := int(d/time.Second) % 60
	return itoa(int(d/time.Minute)) + "m" + string(rune('0'+sec/10)) + string(rune('0'+sec%10)) + "s"
}

// healthTick is the clock at the resolution the sources' health is shown
// at: by the second while a source in trouble shows an age under an hour,
// else by the minute. Views of the health key their caches on it.
func healthTick(srcs []model.SourceStatus, clock time.Duration) int64 {
	for _, src := range srcs {
		if !healthy(src) && src.LastData >= 0 && clock-src.LastData < time.Hour {
			return int64(clock/time.Second) << 1 // apart from the minutes below
		}
	}
	return minute(clock)<<1 | 1
}

// paneAlerts are the stale and failing sources that feed one pane, worst
// first, as of a clock. Key is their full text: panes key their caches on it.
type paneAlerts struct {
	key   string
	srcs  []model.SourceStatus
	clock time.Duration
}

// alertItem is a stale or failing source as a pane border shows it, the age
// of its data after its state and its last error after that:
// "⚠ prometheus stale 1m20s: connection refused", "✗ ups error 2h: HTTP
// 503", "✗ forum error (no data yet): HTTP 429"; msgW cells of the error
// at most (negative: all of it, 0: none).
func alertItem(st *Styles, src model.SourceStatus, clock time.Duration, msgW int) string {
	sym, word, p := healthMark(st, src.Status)
	age := dataAge(src, clock)
	if src.LastData < 0 {
		age = "(" + age + ")"
	}
	txt := sym + " " + clean(src.Name) + " " + word + " " + age
	msg := strings.TrimSpace(clean(src.Error))
	if msg == "" || msgW == 0 {
		return p.on(txt)
	}
	if msgW > 0 {
		msg = trunc(msg, msgW)
	}
	return p.on(txt + ": " + msg)
}

// line is the alerts in w cells at most: every one in full if they fit;
// else the first error's message shortened to what the others leave;
// else cut.
func (a paneAlerts) line(st *Styles, w int) string {
	if len(a.srcs) == 0 || w <= 0 {
		return ""
	}
	sep := st.Dim.on(" · ")
	join := func(msgW func(i int) int) string {
		parts := make([]string, len(a.srcs))
		for i, src := range a.srcs {
			parts[i] = alertItem(st, src, a.clock, msgW(i))
		}
		return strings.Join(parts, sep)
	}
	if full := join(func(int) int { return -1 }); width(full) <= w {
		return full
	}
	bare := join(func(int) int { return 0 })
	first := -1 // the worst source with a message: errors come first
	for i, src := range a.srcs {
		if strings.TrimSpace(clean(src.Error)) != "" {
			first = i
			break
		}
	}
	// A message adds ": " before it.
	if room := w - width(bare) - 2; first >= 0 && room >= 8 {
		return trunc(join(func(i int) int {
			if i == first {
				return room
			}
			return 0
		}), w)
	}
	return trunc(bare, w)
}

// alertsKey is what the pane alerts depend on: the sources and, for the
// ages, the clock by the second or the minute (healthTick).
type alertsKey struct {
	rev, epoch int
	tick       int64
}

// Alerts is, per pane, the stale and failing sources that feed it, worst
// first (errors, then stale ones, by name); empty for a pane whose sources
// are all well.
func (f *facts) Alerts(st *Styles, s *room.Snapshot) *[paneCount + 1]paneAlerts {
	k := alertsKey{s.State.Rev.Sources, s.State.Epoch, healthTick(s.State.Sources, s.Clock)}
	if f.alOK && k == f.alKey {
		return &f.alerts
	}
	f.alKey, f.alOK = k, true
	f.alerts = [paneCount + 1]paneAlerts{}
	bad := make([]model.SourceStatus, 0, len(s.State.Sources))
	for _, src := range s.State.Sources {
		if !healthy(src) {
			bad = append(bad, src)
		}
	}
	slices.SortStableFunc(bad, func(a, b model.SourceStatus) int {
		if a.Status != b.Status {
			if a.Status == model.HealthError {
				return -1
			}
			if b.Status == model.HealthError {
				return 1
			}
		}
		return cmp.Compare(a.Name, b.Name)
	})
	for _, src := range bad {
		var on [paneCount + 1]bool
		for _, k := range src.Feeds {
			on[paneOf(k)] = true
		}
		if len(src.Feeds) == 0 { // what it feeds is unknown: the timeline says so
			on[paneTimeline] = true
		}
		for p := paneHosts; p <= paneCount; p++ {
			if on[p] {
				f.alerts[p].srcs = append(f.alerts[p].srcs, src)
			}
		}
	}
	for p := range f.alerts {
		a := &f.alerts[p]
		if len(a.srcs) > 0 {
			a.clock = s.Clock
			a.key = a.line(st, 1<<20)
		}
	}
	return &f.alerts
}

// healthCounts counts sources by status.
func healthCounts(srcs []model.SourceStatus) (ok, stale, failed int) {
	for _, src := range srcs {
		switch src.Status {
		case model.HealthOK:
			ok++
		case model.HealthError:
			failed++
		default:
			stale++
		}
	}
	return ok, stale, failed
}

// sourcesSummary is the header's source health: long, "src ✓3 ok ⚠1 stale
// 1m20s ✗1 error", the stale ones with the age of the oldest data they hold
// (the data the panes still show as current), or short, "src 3✓ 1⚠ 1✗"; ""
// without sources. Counts of zero are left out, except ok.
func sourcesSummary(st *Styles, srcs []model.SourceStatus, clock time.Duration, long bool) string {
	if len(srcs) == 0 {
		return ""
	}
	ok, stale, failed := healthCounts(srcs)
	part := func(n int, sym, word string, p paint, status model.HealthStatus) string {
		if !long {
			return p.on(itoa(n) + sym)
		}
		txt := sym + itoa(n) + " " + word
		if status == model.HealthStale {
			if age := oldestStale(srcs, clock); age != "" {
				txt += " " + age
			}
		}
		return p.on(txt)
	}
	parts := []string{"src", part(ok, "✓", "ok", st.Good, model.HealthOK)}
	if stale > 0 {
		parts = append(parts, part(stale, "⚠", "stale", st.Warn, model.HealthStale))
	}
	if failed > 0 {
		parts = append(parts, part(failed, "✗", "error", st.Bad, model.HealthError))
	}
	return strings.Join(parts, " ")
}

// oldestStale is the age of the oldest data among the stale sources (every
// status but ok and error counts as stale), "" when none has data.
func oldestStale(srcs []model.SourceStatus, clock time.Duration) string {
	var oldest *model.SourceStatus
	for i := range srcs {
		src := &srcs[i]
		stale := src.Status != model.HealthOK && src.Status != model.HealthError
		if stale && src.LastData >= 0 && (oldest == nil || src.LastData < oldest.LastData) {
			oldest = src
		}
	}
	if oldest == nil {
		return ""
	}
	return dataAge(*oldest, clock)
}

// sourcesOverlay is :sources — every live source with its status, what it
// feeds, how old its data is and its last error — in a scrolling box over
// the panes. It follows the room: a source that recovers shows it at once.
type sourcesOverlay struct {
	pg     pager
	key    sourcesKey
	bw, bh int
}

type sourcesKey struct {
	rev, epoch int
	tick       int64 // healthTick
	w, panes   int
}

func (a *app) openSources() {
	a.overlay = overlaySources
	a.sources.key, a.sources.pg.top = sourcesKey{}, 0
}

// sourcesKeyMsg handles keys while the sources overlay is open: esc, q or
// ? close it; the list keys scroll.
func (a *app) sourcesKeyMsg(msg tea.KeyMsg) tea.Cmd {
	k := &a.keys
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Back):
		a.overlay = overlayNone
	case key.Matches(msg, k.Command):
		a.overlay = overlayNone
		return a.openInput(inputCommand, ":", "")
	default:
		a.sources.pg.key(msg, k)
	}
	return nil
}

func (o *sourcesOverlay) refresh(a *app, lay layout) {
	s := &a.snap
	bw := max(min(a.w-4, 100), 20)
	k := sourcesKey{s.State.Rev.Sources, s.State.Epoch, healthTick(s.State.Sources, s.Clock), bw, lay.panesH}
	if k == o.key {
		return
	}
	o.key, o.bw = k, bw
	lines := sourcesLines(a.st, s, bw-4)
	o.bh = min(len(lines)+2, max(lay.panesH, 4))
	o.pg.set(lines, o.bh-2)
}

func (o *sourcesOverlay) view(a *app, lay layout) []string {
	o.refresh(a, lay)
	corner := "esc close"
	if o.pg.more() {
		corner = o.pg.where() + " · j/k scroll · esc close"
	}
	return a.st.box(boxSpec{name: "Sources", corner: corner, focused: true}, o.pg.view(), o.bw, o.bh)
}

// sourcesLines is the sources overlay's text, w cells wide: one block per
// source, failing ones first.
func sourcesLines(st *Styles, s *room.Snapshot, w int) []string {
	srcs := slices.Clone(s.State.Sources)
	if len(srcs) == 0 {
		msg := "No live sources report to this room."
		if !s.Live {
			msg = "No live sources: this is a replay of a scenario."
		}
		return wrap(msg, w)
	}
	rank := func(h model.HealthStatus) int {
		switch h {
		case model.HealthError:
			return 0
		case model.HealthOK:
			return 2
		}
		return 1
	}
	slices.SortStableFunc(srcs, func(a, b model.SourceStatus) int {
		if d := rank(a.Status) - rank(b.Status); d != 0 {
			return d
		}
		return cmp.Compare(a.Name, b.Name)
	})
	ok, stale, failed := healthCounts(srcs)
	dropped := ""
	total := 0
	for _, src := range srcs {
		total += model.DroppedTotal(src.Dropped)
	}
	if total > 0 {
		dropped = " · " + st.Warn.on(itoa(total)+" dropped")
	}
	out := []string{trunc(st.Good.on("✓ "+itoa(ok)+" ok")+" · "+st.Warn.on("⚠ "+itoa(stale)+" stale")+" · "+
		st.Bad.on("✗ "+itoa(failed)+" error")+dropped+st.Dim.on(" · ages at "+model.FormatOffset(s.Clock)), w)}
	nameW := 8
	for _, src := range srcs {
		nameW = max(nameW, width(clean(src.Name)))
	}
	nameW = min(nameW, max(w/3, 8))
	const markW = 8 // "✗ error "
	indent := repeat(" ", markW)
	for _, src := range srcs {
		sym, word, p := healthMark(st, src.Status)
		age := dataAge(src, s.Clock)
		if src.LastData >= 0 {
			age = "data " + age + " old"
		}
		head := p.on(fit(sym+" "+word, markW)) + st.Bold.on(fit(clean(src.Name), nameW)) +
			"  " + age + st.Dim.on(" · reported "+model.FormatOffset(src.At))
		out = append(out, "", trunc(head, w))
		out = append(out, hanging(indent+"feeds ", feedsText(src.Feeds), w, paint{})...)
		if d := droppedText(src.Dropped); d != "" {
			out = append(out, hanging(indent+"dropped ", d, w, st.Warn)...)
		}
		if e := strings.TrimSpace(clean(src.Error)); e != "" {
			label := "error "
			switch src.Status {
			case model.HealthOK:
				label = "last error "
			case model.HealthStale:
				label = "reason "
			}
			out = append(out, hanging(indent+label, e, w, p)...)
		}
	}
	out = append(out, "")
	return append(out, prefixed(wrap("A stale or failing source also shows on the border of each pane it feeds.", w), st.Dim)...)
}

// droppedText is what a source dropped: "12 (9 before T+0, 3 bad entry)",
// or "3 before T+0" for one reason; "" for nothing.
func droppedText(d []model.DropCount) string {
	total := model.DroppedTotal(d)
	if total == 0 {
		return ""
	}
	if len(d) == 1 {
		return itoa(total) + " " + clean(d[0].Reason)
	}
	parts := make([]string, 0, len(d))
	for _, c := range d {
		parts = append(parts, itoa(c.Count)+" "+clean(c.Reason))
	}
	return itoa(total) + " (" + strings.Join(parts, ", ") + ")"
}

// feedsText lists the kinds a source produces with the pane each shows in:
// "hosts→1, backlog→2".
func feedsText(kinds []model.Kind) string {
	if len(kinds) == 0 {
		return "nothing yet"
	}
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, clean(string(k))+"→"+itoa(int(paneOf(k))))
	}
	return strings.Join(parts, ", ")
}
