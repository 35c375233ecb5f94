package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// whatIf is :whatif FACTOR [from T+8h] | off: the facilitator asks the
// room what the backlog would do if shipping capacity changed.
func (a *app) whatIf(arg string) {
	if !a.facilitator() {
		a.fail("facilitator only")
		return
	}
	w, err := parseWhatIf(arg, a.snap.Clock)
	if err != nil {
		a.fail(err.Error())
		return
	}
	w.By = a.responder()
	if !a.act(w) {
		return
	}
	if w.Factor == 0 {
		a.info("what-if cleared")
		return
	}
	a.info("what-if: shipping capacity " + factorText(w.Factor) + " from " + model.FormatOffset(w.From))
}

// parseWhatIf reads "0.8 from T+8h", "×2", "2 T+8h" or "off"; without a
// time the change starts now.
func parseWhatIf(arg string, now time.Duration) (model.WhatIf, error) {
	usage := fmt.Errorf("usage: :whatif FACTOR [from T+8h], e.g. :whatif 0.8 from T+8h, or :whatif off")
	f := strings.Fields(arg)
	if len(f) == 0 {
		return model.WhatIf{}, usage
	}
	switch strings.ToLower(f[0]) {
	case "off", "clear", "none", "1":
		if len(f) > 1 {
			return model.WhatIf{}, usage
		}
		return model.WhatIf{}, nil
	}
	x, err := strconv.ParseFloat(strings.TrimLeft(f[0], "×xX*"), 64)
	if err != nil || x <= 0 || x > 100 {
		return model.WhatIf{}, fmt.Errorf("whatif: want a capacity factor like 0.8 or 2, not %q", f[0])
	}
	rest := f[1:]
	if len(rest) > 0 && strings.EqualFold(rest[0], "from") {
		if rest = rest[1:]; len(rest) == 0 {
			return model.WhatIf{}, usage
		}
	}
	from := now
	switch len(rest) {
	case 0:
	case 1:
		if from, err = model.ParseOffset(rest[0]); err != nil {
			return model.WhatIf{}, fmt.Errorf("whatif: %w", err)
		}
		if from < 0 {
			return model.WhatIf{}, fmt.Errorf("whatif: %s is before T+0", rest[0])
		}
	default:
		return model.WhatIf{}, usage
	}
	return model.WhatIf{Factor: x, From: from}, nil
}

// factorText is a factor as the screen shows it: ×0.8.
func factorText(x float64) string { return "×" + strconv.FormatFloat(x, 'f', -1, 64) }

// whatIfOn reports whether a what-if is set (0 and 1 mean none).
func whatIfOn(w model.WhatIf) bool { return w.Factor > 0 && w.Factor != 1 }

// WhatIf is the what-if forecast at the snapshot's clock, computed when the
// backlog, the clock or the what-if changed.
func (f *facts) WhatIf(s *room.Snapshot) model.Forecast {
	k := whatIfKey{s.State.Rev.Backlog, s.State.Epoch, s.Clock, s.State.WhatIf}
	if !f.wfOK || k != f.wfKey {
		f.wfKey, f.wfOK = k, true
		f.whatIf = model.ForecastWhatIf(s.State.Backlog.Points, s.Clock,
			model.ForecastOptions{Target: s.State.Backlog.Baseline()}, s.State.WhatIf)
	}
	return f.whatIf
}

type whatIfKey struct {
	rev, epoch int
	clock      time.Duration
	w          model.WhatIf
}

// whatIfLine sets the baseline and the what-if side by side in w cells:
// "baseline ETA Jul 21 09:00 │ what-if ×0.8 from T+08:00: ETA Jul 21 20:00
// (+11h)", shorter forms as the width shrinks.
func whatIfLine(st *Styles, s *room.Snapshot, base, wf model.Forecast, w int) string {
	wi := s.State.WhatIf
	wall := func(d time.Duration) string { return st.wallShort(s.Scenario.WallTime(d)) }
	baseETA := "not draining"
	switch {
	case !base.OK:
		baseETA = "no forecast"
	case base.Cleared:
		baseETA = "back to normal"
	case base.Draining:
		baseETA = "ETA " + wall(base.ETA)
	}
	wfETA, delta := st.Bad.on("not draining"), ""
	switch {
	case !wf.OK:
		wfETA = "no forecast"
	case wf.Cleared:
		wfETA = "back to normal"
	case wf.Draining:
		wfETA = "ETA " + wall(wf.ETA)
		if base.OK && base.Draining {
			delta = " (" + signedSpan(wf.ETA-base.ETA) + ")"
		}
	}
	lbl := st.Inject.on("what-if " + factorText(wi.Factor))
	from := " from " + model.FormatOffset(wi.From)
	bar := st.Dim.on(" │ ")
	for _, c := range []string{
		"baseline " + baseETA + bar + lbl + from + ": " + wfETA + delta,
		"baseline " + strings.TrimPrefix(baseETA, "ETA ") + bar + lbl + from + ": " + strings.TrimPrefix(wfETA, "ETA ") + delta,
		lbl + from + ": " + wfETA + delta,
		lbl + ": " + wfETA + delta,
		st.Inject.on(factorText(wi.Factor)) + " " + strings.TrimPrefix(wfETA, "ETA ") + delta,
	} {
		if width(c) <= w {
			return c
		}
	}
	return trunc(st.Inject.on(factorText(wi.Factor))+" "+strings.TrimPrefix(wfETA, "ETA "), w)
}

// signedSpan is a difference of ETAs: "+11h", "−2h30m", "±0".
func signedSpan(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d == 0:
		return "±0"
	case d < 0:
		return "−" + shortSpan(-d)
	}
	return "+" + shortSpan(d)
}

// shortSpan drops zero minutes: 11h, 2h30m, 45m.
func shortSpan(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return itoa(int(d/time.Hour)) + "h"
	}
	return model.FormatSpan(d)
}
