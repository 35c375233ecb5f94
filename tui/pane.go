package tui

import (
	"strconv"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// paneID names a pane; its value is the digit that focuses it.
type paneID int

const (
	paneHosts paneID = iota + 1
	paneBacklog
	paneCarriers
	paneComplaints
	paneRunbook
	paneTimeline
	paneCount = paneTimeline
)

// frame is what a pane renders from: the snapshot, the styles, facts shared
// between panes and the header, and its own box.
type frame struct {
	snap    *room.Snapshot
	st      *Styles
	facts   *facts
	w, h    int // the whole box, border included
	focused bool
	zoomed  bool
	// alert is the stale or failing sources that feed the pane, for its
	// bottom border.
	alert paneAlerts
	// facilitator: the console may show the facilitator's part of an
	// exercise (the timeline hides what would reveal the inject queue).
	facilitator bool
}

// inner is the content area inside the border and its one-cell padding.
func (f frame) inner() (w, h int) { return f.w - 4, f.h - 2 }

// facts are figures more than one view shows (the header's summary strip and
// the panes), computed once per change of what they depend on.
type facts struct {
	fcKey struct {
		rev, epoch int
		clock      time.Duration
	}
	fcOK     bool
	forecast model.Forecast

	wfKey  whatIfKey
	wfOK   bool
	whatIf model.Forecast

	alKey  alertsKey
	alOK   bool
	alerts [paneCount + 1]paneAlerts // by paneID
}

// Forecast is the backlog forecast at the snapshot's clock.
func (f *facts) Forecast(s *room.Snapshot) model.Forecast {
	k := f.fcKey
	k.rev, k.epoch, k.clock = s.State.Rev.Backlog, s.State.Epoch, s.Clock
	if !f.fcOK || k != f.fcKey {
		f.fcKey, f.fcOK = k, true
		f.forecast = s.State.BacklogForecast()
	}
	return f.forecast
}

// etaText is the forecast's ETA as wall time (in the console's zone), with
// its range, or what the
// forecast says instead: "Jul 21 09:00 (Jul 20 22:00–Jul 22 03:00)".
func etaText(st *Styles, s *room.Snapshot, fc model.Forecast, withRange etaForm) string {
	switch {
	case !fc.OK:
		return "ETA: not enough data"
	case fc.Cleared:
		return "back to normal"
	case !fc.Draining:
		return "not draining (" + fmtRate(fc.Rate) + ")"
	}
	return etaRange(st, s, "ETA ", fc.ETA, fc.Early, fc.Late, withRange)
}

// etaRange is an ETA as wall time after its label, with its range: whole,
// "ETA Jul 21 09:00 (Jul 20 22:00–Jul 22 03:00)", or compact, relative to
// the ETA, "ETA Jul 21 09:00 (−11h…+18h)". A late bound of −1 is none.
func etaRange(st *Styles, s *room.Snapshot, label string, eta, early, late time.Duration, form etaForm) string {
	sc := s.Scenario
	t := label + st.wallShort(sc.WallTime(eta))
	if form == etaCompact {
		hi := "no bound"
		if late >= 0 {
			hi = "+" + fmtSpan(late-eta)
		}
		return t + " (−" + fmtSpan(eta-early) + "…" + hi + ")"
	}
	hi := "no upper bound"
	if late >= 0 {
		hi = st.wallShort(sc.WallTime(late))
	}
	return t + " (" + st.wallShort(sc.WallTime(early)) + "–" + hi + ")"
}

// etaForm is how an ETA's range is written. Every form that shows an ETA
// shows its range: an ETA without one reads as a promise.
type etaForm int

const (
	etaFull    etaForm = iota // ETA Jul 21 09:00 (Jul 20 22:00–Jul 22 03:00)
	etaCompact                // ETA Jul 21 09:00 (−11h…+18h)
)

// fmtSpan writes a positive span coarsely, as a range around an ETA needs:
// 40m, 11h, 3d.
func fmtSpan(d time.Duration) string {
	d = max(d, 0)
	switch {
	case d < time.Hour:
		return strconv.Itoa(int((d+30*time.Second)/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int((d+30*time.Minute)/time.Hour)) + "h"
	}
	return strconv.Itoa(int((d+12*time.Hour)/(24*time.Hour))) + "d"
}
