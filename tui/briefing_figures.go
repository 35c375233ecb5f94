package tui

import (
	"strings"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// briefFigure is one of the briefing's four figures: its value in large
// type (the forms to try, longest first, each with the label it needs),
// the value as plain text when large type does not fit, and the line
// under it. Every figure says in words what its colour says.
type briefFigure struct {
	forms  []bigForm
	labels []string // the label in normal type, longest first
	plain  []string // the value in normal type, longest first
	sub    []string // the line under it, longest first
	paint  paint    // the value's
	subP   paint    // the line under it
}

// bigForm is a figure's value in large type and the label above it.
type bigForm struct{ big, label string }

// figuresKey is what the figures are made from: the parts of the state
// they show (a look back has its own revisions), the clock to the minute
// (the figures' rates and times are to the minute), the forecast and the
// zone the ETA is written in. A replay playing at ×60 moves the clock six
// seconds a frame: nine frames in ten reuse the figures.
type figuresKey struct {
	hosts, backlog, warnings, epoch int
	minute                          int64
	fc                              model.Forecast
	zoneName                        string
}

// figures are the four figures at the snapshot: the sitrep's
// (sitrepNumbers) and the backlog forecast they are made from. The
// briefing says what `warroom sitrep` says, never a figure of its own.
func (b *briefing) figures(st *Styles, s *room.Snapshot, fc model.Forecast) [4]briefFigure {
	rev := s.State.Rev
	k := figuresKey{rev.Hosts, rev.Backlog, rev.Warnings, s.State.Epoch, minute(s.Clock), fc, st.zone().String()}
	k.fc.Now = 0
	if !b.figsOK || k != b.figsKey {
		n := sitrepNumbers(&s.State, fc)
		b.figs = [4]briefFigure{hostsFigure(st, n), backlogFigure(st, s, n, fc), etaFigure(st, s, fc), warningsFigure(st, n)}
		b.figsKey, b.figsOK = k, true
	}
	return b.figs
}

// briefNumbers are the figures of model.BuildSitrep the briefing shows.
type briefNumbers struct {
	recovered, total, failed, percent int
	hostRate                          float64 // hosts back per hour, all groups
	waiting, peak                     int64
	rate                              float64 // the backlog's, per hour
	draining                          bool
	open, unacked                     int // carrier warnings
}

// sitrepNumbers is the sitrep's headline (model.State.Headline, which
// model.BuildSitrep uses too) and the backlog's forecast: BuildSitrep
// itself also copies and sorts every warning and counts the posts of the
// last hour, which on a large incident costs a frame several times over.
func sitrepNumbers(s *model.State, fc model.Forecast) briefNumbers {
	h := s.Headline()
	return briefNumbers{recovered: h.Recovered, total: h.Total, failed: h.Failed, percent: h.PercentBack,
		hostRate: h.HostRate, waiting: fc.Waiting, peak: s.Backlog.Peak, rate: fc.Rate, draining: fc.Draining,
		open: h.OpenWarnings, unacked: h.Unacked}
}

func hostsFigure(st *Styles, h briefNumbers) briefFigure {
	if h.total == 0 {
		return briefFigure{labels: []string{"Hosts back"}, plain: []string{"no host reports yet", "no reports"}, paint: st.Dim}
	}
	pct := itoa(h.percent) + "%"
	f := briefFigure{forms: []bigForm{{pct, "Hosts back"}}, labels: []string{"Hosts back"}, plain: []string{pct + " back"},
		paint: st.Bold, subP: st.Bold}
	counts := itoa(h.recovered) + "/" + itoa(h.total)
	rate := fmtRate(h.hostRate)
	switch {
	case h.recovered >= h.total:
		f.paint, f.subP = st.Good, st.Good
		f.sub = []string{"✓ all " + itoa(h.total) + " hosts back", "✓ all back"}
	case h.failed > 0:
		f.subP = st.Bad
		f.sub = []string{counts + " · " + rate + " · ✗ " + itoa(h.failed) + " failing",
			counts + " · ✗ " + itoa(h.failed) + " failing", rate + " · ✗" + itoa(h.failed), "✗" + itoa(h.failed)}
	default:
		f.sub = []string{counts + " hosts · " + rate, counts + " · " + rate, rate}
	}
	return f
}

func backlogFigure(st *Styles, s *room.Snapshot, b briefNumbers, fc model.Forecast) briefFigure {
	if _, ok := s.State.Backlog.Latest(); !ok {
		return briefFigure{labels: []string{"Orders waiting"}, plain: []string{"no backlog data yet", "no data"}, paint: st.Dim}
	}
	n := fmtCount(float64(b.waiting))
	f := briefFigure{forms: []bigForm{{n, "Orders waiting"}}, labels: []string{"Orders waiting", "Waiting"},
		plain: []string{n + " waiting", n}, paint: st.Bold}
	rate := fmtRate(b.rate)
	switch {
	case fc.OK && fc.Cleared:
		f.subP = st.Good
		f.sub = []string{"✓ back to normal", "✓ normal"}
	case b.draining:
		f.subP = st.Good
		f.sub = []string{"draining " + strings.TrimPrefix(rate, "−") + " · peak " + fmtCount(float64(b.peak)),
			"draining " + strings.TrimPrefix(rate, "−"), rate}
	case fc.OK:
		f.paint, f.subP = st.Bad, st.Bad
		f.sub = []string{"! not draining: " + rate, "! growing " + rate, "! " + rate}
	default:
		f.subP = st.Dim
		f.sub = []string{"rate: not enough data yet", "rate: no data"}
	}
	return f
}

// etaFigure is the backlog's ETA back to normal, with its range: a time
// without its range reads as a promise.
func etaFigure(st *Styles, s *room.Snapshot, fc model.Forecast) briefFigure {
	labels := []string{"ETA back to normal", "ETA"}
	switch {
	case !fc.OK:
		return briefFigure{labels: labels, plain: []string{"not enough data yet", "no data yet"}, paint: st.Dim}
	case fc.Cleared:
		return briefFigure{labels: labels, plain: []string{"✓ back to normal", "✓ normal"}, paint: st.Good,
			sub: []string{"the backlog has cleared", "cleared"}, subP: st.Good}
	case !fc.Draining:
		return briefFigure{labels: labels, plain: []string{"! none: the backlog is not draining", "! none: not draining", "! not draining"},
			paint: st.Bad, subP: st.Bad, sub: []string{"it grows " + fmtRate(fc.Rate), fmtRate(fc.Rate)}}
	}
	sc, zone := s.Scenario, st.zone()
	eta := sc.WallTime(fc.ETA).In(zone)
	zn := st.zoneName(eta)
	f := briefFigure{
		forms: []bigForm{
			{eta.Format("Jan 2 15:04"), "ETA back to normal (" + zn + ")"},
			{eta.Format("15:04"), "ETA " + eta.Format("Jan 2") + " · " + zn},
		},
		labels: labels,
		plain:  []string{st.wallShort(sc.WallTime(fc.ETA)) + " " + zn, st.wallShort(sc.WallTime(fc.ETA)), eta.Format("15:04")},
		paint:  st.Bold, subP: st.Bold,
	}
	hi, hiRel := "no upper bound", "no bound"
	if fc.Late >= 0 {
		hi, hiRel = st.wallShort(sc.WallTime(fc.Late)), "+"+fmtSpan(fc.Late-fc.ETA)
	}
	lo := st.wallShort(sc.WallTime(fc.Early))
	f.sub = []string{"range " + lo + " – " + hi, lo + "–" + hi, "range −" + fmtSpan(fc.ETA-fc.Early) + " … " + hiRel,
		"−" + fmtSpan(fc.ETA-fc.Early) + "…" + hiRel}
	return f
}

// warningsFigure is the carrier warnings still open, and how many of them
// nobody has acknowledged.
func warningsFigure(st *Styles, w briefNumbers) briefFigure {
	open := w.open
	n := itoa(open)
	f := briefFigure{forms: []bigForm{{n, "Carrier warnings open"}}, labels: []string{"Carrier warnings open", "Carrier warnings", "Warnings"},
		plain: []string{model.Plural(open, "warning") + " open", n + " open"}, paint: st.Bold}
	switch {
	case w.unacked > 0:
		f.paint, f.subP = st.Bad, st.Bad
		f.sub = []string{"! " + itoa(w.unacked) + " not acknowledged", "! " + itoa(w.unacked) + " unacked", "! " + itoa(w.unacked)}
	case open > 0:
		f.subP = st.Good
		f.sub = []string{"✓ all acknowledged", "✓ all acked", "✓"}
	default:
		f.paint, f.subP = st.Good, st.Good
		f.sub = []string{"✓ none open", "✓"}
	}
	return f
}

// firstFit is the first of the texts that fits w cells, else the last cut
// to w.
func firstFit(texts []string, w int) string {
	for _, t := range texts {
		if width(t) <= w {
			return t
		}
	}
	if len(texts) == 0 {
		return ""
	}
	return trunc(texts[len(texts)-1], w)
}
