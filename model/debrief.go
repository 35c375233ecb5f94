package model

import (
	"fmt"
	"strings"
	"time"
)

// Debrief is the hot wash of an exercise: how the team met each inject, when
// the runbook was done, and how the backlog forecast compared with what
// happened.
type Debrief struct {
	Title       string
	At          time.Duration // the moment the debrief describes
	Injects     []DebriefInject
	Runbook     []DebriefStep
	Peak        int64
	PeakAt      time.Duration
	Baseline    int64         // the backlog's normal level
	Cleared     bool          // the backlog got back to Baseline after its peak
	ClearedAt   time.Duration // valid when Cleared
	Decisions   int
	Scored      int // injects with expected actions that were delivered
	Met         int
	Partly      int
	Missed      int
	RunbookDone int
	// HotWash is the review's record: objectives, findings, the
	// improvement plan, observations, notes, acknowledgements, comments.
	HotWash HotWash
}

// DebriefInject is one inject in the debrief.
type DebriefInject struct {
	InjectState
	Decisions     []DecisionRecord
	FirstDecision time.Duration // scenario time from delivery to the first decision; -1: none
	// FirstDecisionReal is the real time from the inject reaching the room to
	// the first decision; -1 when unknown. In a tabletop the clock usually
	// stands still at an inject, so this is the figure that tells.
	FirstDecisionReal time.Duration
	Forecast          Forecast // the backlog forecast when it was delivered
}

// DebriefStep is one runbook step in the debrief.
type DebriefStep struct {
	Title  string
	State  StepState
	DoneAt time.Duration // valid when State is done
	By     string
}

// BuildDebrief reads the debrief off a state (normally the end of the
// exercise). Forecasts at each inject are recomputed from the backlog history
// up to the inject's delivery, so they are what the team saw then. shown
// holds the real time each inject reached the room, when known: in a
// tabletop the scenario clock stands still at an inject, so real time is
// what tells how long the team took to decide.
func BuildDebrief(sc *Scenario, s State, shown map[string]time.Time) Debrief {
	d := Debrief{Title: sc.Meta.Title, At: s.Now, Peak: s.Backlog.Peak, PeakAt: s.Backlog.PeakAt,
		Baseline: s.Backlog.Baseline(), Decisions: len(s.Decisions)}
	opt := ForecastOptions{Target: d.Baseline}
	for _, in := range s.Injects {
		di := DebriefInject{InjectState: in, FirstDecision: -1, FirstDecisionReal: -1}
		for _, dec := range s.Decisions {
			if dec.Inject != in.ID {
				continue
			}
			di.Decisions = append(di.Decisions, dec)
			if in.Status == InjectFired && di.FirstDecision < 0 {
				di.FirstDecision = max(dec.At-in.FiredAt, 0)
				if at, ok := shown[in.ID]; ok && !dec.Wall.IsZero() {
					di.FirstDecisionReal = max(dec.Wall.Sub(at), 0)
				}
			}
		}
		if in.Status == InjectFired {
			di.Forecast = ForecastBacklog(s.Backlog.Points, in.FiredAt, opt)
		}
		switch in.Score() {
		case "met":
			d.Met++
		case "partly":
			d.Partly++
		case "missed":
			d.Missed++
		}
		if in.Score() != "" {
			d.Scored++
		}
		d.Injects = append(d.Injects, di)
	}
	for _, st := range s.Runbook {
		ds := DebriefStep{Title: st.Title, State: st.State, By: st.By}
		if st.State == StepDone {
			ds.DoneAt = st.ChangedAt
			d.RunbookDone++
		}
		d.Runbook = append(d.Runbook, ds)
	}
	d.HotWash = BuildHotWash(sc, &s)
	for _, p := range s.Backlog.Points {
		if p.At > s.Backlog.PeakAt && p.At <= s.Now && p.Waiting <= d.Baseline {
			d.Cleared, d.ClearedAt = true, p.At
			break
		}
	}
	return d
}

// Markdown writes the debrief for the after-action report. Text from the
// scenario or the room is escaped to read as text (see mdText), and the
// whole is sanitised once more on the way out.
func (d Debrief) Markdown(sc *Scenario) string {
	var b strings.Builder
	wall := func(at time.Duration) string { return sc.WallTime(at).Format("Jan 02 15:04") }
	fmt.Fprintf(&b, "# Debrief — %s\n\n", mdText(d.Title))
	fmt.Fprintf(&b, "At %s (%s UTC). %s recorded. ", FormatOffset(d.At), wall(d.At), Plural(d.Decisions, "decision"))
	fmt.Fprintf(&b, "Injects scored: %d (%d met, %d partly, %d missed). Runbook: %d of %s done.\n\n",
		d.Scored, d.Met, d.Partly, d.Missed, d.RunbookDone, Plural(len(d.Runbook), "step"))

	d.HotWash.markdownPlan(&b)
	b.WriteString("## Backlog\n\n")
	fmt.Fprintf(&b, "- Peak: %s orders waiting at %s (%s UTC)\n", Compact(d.Peak), FormatOffset(d.PeakAt), wall(d.PeakAt))
	if d.Cleared {
		fmt.Fprintf(&b, "- Back to normal (%s): %s (%s UTC)\n", Compact(d.Baseline), FormatOffset(d.ClearedAt), wall(d.ClearedAt))
	} else {
		fmt.Fprintf(&b, "- Back to normal (%s): not by %s\n", Compact(d.Baseline), FormatOffset(d.At))
	}
	b.WriteString("\n| inject | delivered | forecast then | ETA then | vs actual |\n|---|---|---|---|---|\n")
	for _, in := range d.Injects {
		if in.Status != InjectFired {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdText(in.Title), FormatOffset(in.FiredAt),
			in.Forecast.String(), d.etaThen(in.Forecast, wall), d.etaError(in.Forecast))
	}

	b.WriteString("\n## Injects\n")
	for _, in := range d.Injects {
		fmt.Fprintf(&b, "\n### %s\n\n", mdText(in.Title))
		switch in.Status {
		case InjectFired:
			fmt.Fprintf(&b, "Delivered %s (scheduled %s).", FormatOffset(in.FiredAt), FormatOffset(in.Due))
			if in.FirstDecision >= 0 {
				fmt.Fprintf(&b, " First decision after %s of scenario time", FormatSpan(in.FirstDecision))
				if in.FirstDecisionReal >= 0 {
					fmt.Fprintf(&b, ", %s of real time", FormatRealSpan(in.FirstDecisionReal))
				}
				b.WriteString(".")
			} else {
				b.WriteString(" No decision recorded.")
			}
			if sc := in.Score(); sc != "" {
				fmt.Fprintf(&b, " Score: **%s**.", sc)
			}
			if in.AdHoc {
				fmt.Fprintf(&b, " Added during the exercise by %s.", mdText(in.AddedBy))
			}
			b.WriteString("\n")
		default:
			fmt.Fprintf(&b, "Not delivered: %s (scheduled %s).\n", in.Status, FormatOffset(in.Due))
		}
		if len(in.Expected) > 0 {
			b.WriteString("\nExpected actions:\n\n")
			for i, e := range in.Expected {
				box := " "
				if i < len(in.Checked) && in.Checked[i] {
					box = "x"
				}
				fmt.Fprintf(&b, "- [%s] %s\n", box, mdText(e))
			}
		}
		if len(in.Decisions) > 0 {
			b.WriteString("\nDecisions:\n\n")
			for _, dec := range in.Decisions {
				fmt.Fprintf(&b, "- %s (%s UTC, %s): %s\n", FormatOffset(dec.At), dec.Wall.UTC().Format("15:04:05"), mdText(dec.By), mdText(dec.Text))
			}
		}
		d.HotWash.markdownComments(&b, in.ID)
	}

	d.HotWash.markdownRecord(&b, wall)

	b.WriteString("\n## Runbook\n\n| step | state | done at | by |\n|---|---|---|---|\n")
	for _, st := range d.Runbook {
		done := ""
		if st.State == StepDone {
			done = FormatOffset(st.DoneAt)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdText(st.Title), mdText(string(st.State)), done, mdText(st.By))
	}
	return Sanitize(b.String(), 0)
}

func (d Debrief) etaThen(f Forecast, wall func(time.Duration) string) string {
	if !f.OK || !f.Draining {
		return "—"
	}
	return wall(f.ETA)
}

// etaError compares the forecast ETA with the actual time the backlog
// cleared: "+6h late" means it cleared six hours after the forecast said.
func (d Debrief) etaError(f Forecast) string {
	switch {
	case !f.OK || !f.Draining:
		return "—"
	case !d.Cleared:
		return "not cleared yet"
	}
	diff := d.ClearedAt - f.ETA
	if diff >= 0 {
		return "cleared " + FormatSpan(diff) + " later"
	}
	return "cleared " + FormatSpan(-diff) + " earlier"
}

// FormatRealSpan writes a short real-time span: "45s", "3m20s", "1h02m".
func FormatRealSpan(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	}
	return FormatSpan(d)
}

// FormatSpan writes a duration as "2h05m" or "12m".
func FormatSpan(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < time.Hour {
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
