package report

import (
	"time"

	"github.com/warroom/warroom/model"
)

// impactOf reads the incident's figures off its state.
func impactOf(s model.State) Impact {
	im := Impact{Peak: s.Backlog.Peak, PeakAt: s.Backlog.PeakAt, Baseline: s.Backlog.Baseline(),
		Complaints: s.Complaints.Total, Warnings: len(s.Warnings), Unacked: s.UnackedWarnings()}
	im.HostsBack, im.HostsTotal, im.HostsFailed = s.HostTotals()
	im.PercentBack = model.PercentBack(im.HostsBack, im.HostsTotal)
	im.AllBack, im.AllBackAt = allHostsBack(s.Hosts)
	for _, p := range s.Backlog.Points {
		if p.At > s.Now {
			break
		}
		if p.HasLate && (!im.HasLate || p.Late > im.PeakLate) {
			im.HasLate, im.PeakLate, im.PeakLateAt = true, p.Late, p.At
		}
		// Cleared: back to the normal level after the peak, as the
		// debrief counts it.
		if !im.Cleared && p.At > s.Backlog.PeakAt && p.Waiting <= im.Baseline {
			im.Cleared, im.ClearedAt = true, p.At
		}
	}
	return im
}

// allHostsBack is when the last host group had every host back; false while
// any group has hosts down or has not reported.
func allHostsBack(groups []model.HostGroup) (bool, time.Duration) {
	var at time.Duration
	for _, g := range groups {
		if !g.Seen || g.Total <= 0 {
			return false, 0
		}
		back := false
		for _, p := range g.History {
			if p.Recovered >= g.Total {
				back, at = true, max(at, p.At)
				break
			}
		}
		if !back {
			return false, 0
		}
	}
	return len(groups) > 0, at
}

// keyEvents is the timeline without the sources' health lines, which a live
// incident writes by the thousand, and at most maxTimeline lines: the latest.
func keyEvents(timeline []model.Entry) (kept []model.Entry, omitted int) {
	for _, e := range timeline {
		if e.Kind == model.KindSourceHealth {
			continue
		}
		kept = append(kept, e)
	}
	if n := len(kept) - maxTimeline; n > 0 {
		return kept[n:], n
	}
	return kept, 0
}

// stepTimings is each runbook step with when it was first made active, from
// the events up to the state's moment, and when it was done.
func stepTimings(s model.State, events []model.Event) []StepTiming {
	started := map[string]time.Duration{}
	for _, e := range events {
		if e.At > s.Now {
			break
		}
		if c, ok := e.Body.(model.RunbookStepChange); ok && c.State == model.StepActive {
			if _, seen := started[c.Step]; !seen {
				started[c.Step] = e.At
			}
		}
	}
	out := make([]StepTiming, 0, len(s.Runbook))
	for _, st := range s.Runbook {
		t := StepTiming{Title: st.Title, State: st.State, By: st.By, Started: -1, Done: -1}
		if at, ok := started[st.ID]; ok {
			t.Started = at
		}
		if st.State == model.StepDone {
			t.Done = st.ChangedAt
		}
		out = append(out, t)
	}
	return out
}

// warningAcks is every carrier warning with its acknowledgement.
func warningAcks(s model.State) []WarningAck {
	out := make([]WarningAck, 0, len(s.Warnings))
	for _, w := range s.Warnings {
		out = append(out, WarningAck{Carrier: w.CarrierName, Severity: string(w.Severity), Region: w.Region,
			Headline: w.Headline, Issued: w.IssuedAt, Acked: w.Acked, AckedAt: w.AckedAt, AckedBy: w.AckedBy,
			Resolved: w.Resolved, ResolvedAt: w.ResolvedAt})
	}
	return out
}

// maxForecastRows bounds the forecast-accuracy table: a longer incident is
// read every few hours instead of every hour.
const maxForecastRows = 200

// hourlyForecasts replays the events with the model's cursor and takes, at
// each whole hour of incident time up to now, the backlog forecast the room
// showed then, to compare with when the backlog actually cleared.
func hourlyForecasts(sc *model.Scenario, events []model.Event, im Impact, now time.Duration) []HourForecast {
	hours := int(now / time.Hour)
	if hours < 1 {
		return nil
	}
	step := time.Hour * time.Duration((hours+maxForecastRows-1)/maxForecastRows)
	c := model.NewCursor(model.NewState(sc), events)
	out := make([]HourForecast, 0, hours)
	for at := step; at <= now; at += step {
		c.Seek(at)
		st := c.State()
		// The forecast at this hour from the points the room had then:
		// the cursor stops at the last event, and the hour may be later.
		f := model.ForecastBacklog(st.Backlog.Points, at, model.ForecastOptions{Target: st.Backlog.Baseline()})
		h := HourForecast{At: at, Forecast: f}
		if im.Cleared && f.OK && f.Draining {
			h.Error, h.HasError = im.ClearedAt-f.ETA, true
		}
		out = append(out, h)
	}
	return out
}
