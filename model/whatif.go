package model

import "time"

// ForecastWhatIf is the backlog forecast if shipping capacity were scaled by
// w.Factor from w.From on. The baseline rate is the fitted one; the what-if
// rate adds (1−Factor) × the latest shipped rate (or × the drain rate when
// the source reports no shipped rate). Before From the baseline rate holds.
// The range is the baseline's, carried through the same change.
func ForecastWhatIf(points []BacklogPoint, now time.Duration, opt ForecastOptions, w WhatIf) Forecast {
	base := ForecastBacklog(points, now, opt)
	if !base.OK || base.Cleared || w.Factor <= 0 || w.Factor == 1 {
		return base
	}
	shipped := -base.Rate
	if p, ok := latestAt(points, now); ok && p.HasShipped {
		shipped = p.Shipped
	}
	delta := (1 - w.Factor) * shipped // rate = inflow − shipped: less shipping, slower drain
	out := base
	out.Rate = base.Rate + delta
	gap := float64(base.Waiting - base.Target)
	eta := func(rate float64) (time.Duration, bool) {
		return reachWithChange(now, gap, rate, rate+delta, max(w.From, now))
	}
	var ok bool
	if out.ETA, ok = eta(base.Rate); !ok {
		out.Draining, out.Late = false, -1
		return out
	}
	out.Draining = true
	if !base.Draining { // no baseline range to carry: only the estimate
		out.ETA = roundMinute(out.ETA)
		out.Early, out.Late = out.ETA, -1
		return out
	}
	// The range: the rates the baseline's early and late ETAs imply.
	out.Early, _ = eta(impliedRate(now, gap, base.Early))
	out.Late = -1
	if base.Late >= 0 {
		if late, ok := eta(impliedRate(now, gap, base.Late)); ok {
			out.Late = late
		}
	}
	out.Early, out.Late = roundMinute(min(out.Early, out.ETA)), roundLate(out.Late, out.ETA)
	out.ETA = roundMinute(out.ETA)
	return out
}

// reachWithChange is when a gap closes at rate before the change and at
// after from then on (rates in orders per hour, negative closes it).
func reachWithChange(now time.Duration, gap, before, after float64, change time.Duration) (time.Duration, bool) {
	hours := (change - now).Hours()
	if before < 0 && gap+before*hours <= 0 {
		return now + time.Duration(gap/-before*float64(time.Hour)), true
	}
	left := gap + before*hours
	if after >= 0 {
		return 0, false
	}
	return change + time.Duration(left/-after*float64(time.Hour)), true
}

// impliedRate is the rate that closes gap exactly at eta.
func impliedRate(now time.Duration, gap float64, eta time.Duration) float64 {
	hours := (eta - now).Hours()
	if hours <= 0 {
		return -gap
	}
	return -gap / hours
}

func latestAt(points []BacklogPoint, now time.Duration) (BacklogPoint, bool) {
	for i := len(points) - 1; i >= 0; i-- {
		if points[i].At <= now {
			return points[i], true
		}
	}
	return BacklogPoint{}, false
}

func roundMinute(d time.Duration) time.Duration { return d.Round(time.Minute) }

func roundLate(late, eta time.Duration) time.Duration {
	if late < 0 {
		return -1
	}
	return roundMinute(max(late, eta))
}
