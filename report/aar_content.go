package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
)

// document lays the report out: the sections incident reviews use, then
// for an exercise what the exercise review adds.
func (r AAR) document() doc {
	d := doc{Title: "After-action report — " + r.Title}
	d.Meta = append(d.Meta,
		fmt.Sprintf("Severity %s. T+0 is %s UTC.", r.Severity, r.Start.UTC().Format("2006-01-02 15:04")),
		fmt.Sprintf("This report covers T+00:00 to %s (%s UTC).", model.FormatOffset(r.At), r.wall(r.At)))
	if r.Origin != "" {
		d.Meta = append(d.Meta, "Written from "+r.Origin+".")
	}
	d.Parts = append(d.Parts, r.summary(), r.impact(), r.timeline(), r.decisions(), r.runbook(), r.warnings())
	d.Parts = append(d.Parts, r.statusUpdates()...)
	d.Parts = append(d.Parts, r.forecastAccuracy())
	if r.Exercise {
		d.Parts = append(d.Parts, r.exerciseParts()...)
	}
	return d
}

func (r AAR) wall(at time.Duration) string { return r.Start.Add(at).UTC().Format("Jan 02 15:04") }

// when is an offset with its wall time: "T+06:10 (Jul 19 10:19)".
func (r AAR) when(at time.Duration) string {
	return model.FormatOffset(at) + " (" + r.wall(at) + ")"
}

func (r AAR) summary() section {
	im := r.Impact
	s := section{ID: "summary", Title: "Summary", Level: 2}
	if r.Summary != "" {
		s.Paras = append(s.Paras, r.Summary)
	}
	var b strings.Builder
	if im.HostsTotal > 0 {
		fmt.Fprintf(&b, "%d%% of hosts back (%d of %d)", im.PercentBack, im.HostsBack, im.HostsTotal)
		if im.AllBack {
			fmt.Fprintf(&b, ", all back at %s", model.FormatOffset(im.AllBackAt))
		}
		b.WriteString(". ")
	}
	fmt.Fprintf(&b, "The delivery backlog peaked at %s orders waiting at %s", model.Compact(im.Peak), model.FormatOffset(im.PeakAt))
	if im.Cleared {
		fmt.Fprintf(&b, " and was back to normal (%s) at %s. ", model.Compact(im.Baseline), model.FormatOffset(im.ClearedAt))
	} else {
		fmt.Fprintf(&b, " and was not back to normal (%s) by %s. ", model.Compact(im.Baseline), model.FormatOffset(r.At))
	}
	acked := 0
	for _, w := range r.Warnings {
		if w.Acked {
			acked++
		}
	}
	fmt.Fprintf(&b, "%s, %d acknowledged. %s. %s. %s sent.", model.Plural(len(r.Warnings), "carrier warning"), acked,
		model.Plural(im.Complaints, "seller complaint"), model.Plural(len(r.Decisions), "decision"),
		model.Plural(len(r.Sent), "status update"))
	s.Paras = append(s.Paras, b.String())
	return s
}

func (r AAR) impact() section {
	im := r.Impact
	t := &table{Head: []string{"figure", "value"}}
	add := func(k, v string) { t.Rows = append(t.Rows, []string{k, v}) }
	if im.HostsTotal > 0 {
		add("hosts back", fmt.Sprintf("%d of %d (%d%%), %d failing", im.HostsBack, im.HostsTotal, im.PercentBack, im.HostsFailed))
	} else {
		add("hosts back", "no host reports")
	}
	if im.AllBack {
		add("all hosts back", r.when(im.AllBackAt))
	} else {
		add("all hosts back", "not by "+model.FormatOffset(r.At))
	}
	add("backlog peak", model.Compact(im.Peak)+" orders at "+r.when(im.PeakAt))
	add("normal backlog", model.Compact(im.Baseline)+" orders")
	if im.Cleared {
		add("backlog back to normal", r.when(im.ClearedAt)+", "+model.FormatSpan(im.ClearedAt-im.PeakAt)+" after the peak")
	} else {
		add("backlog back to normal", "not by "+model.FormatOffset(r.At))
	}
	if im.HasLate {
		add("orders past their promise, most at once", model.Compact(im.PeakLate)+" at "+r.when(im.PeakLateAt))
	}
	add("seller complaints", fmt.Sprint(im.Complaints))
	add("carrier warnings", fmt.Sprintf("%d, %d unacknowledged at the end", im.Warnings, im.Unacked))
	return section{ID: "impact", Title: "Impact", Level: 2, Table: t, Chart: burndownChart}
}

func (r AAR) timeline() section {
	s := section{ID: "timeline", Title: "Timeline of key events", Level: 2}
	t := &table{Head: []string{"at", "UTC", "event"}}
	for _, e := range r.Timeline {
		t.Rows = append(t.Rows, []string{model.FormatOffset(e.At), r.wall(e.At), e.Text})
	}
	if len(t.Rows) == 0 {
		s.Paras = []string{"Nothing was recorded."}
		return s
	}
	s.Table = t
	if r.Omitted > 0 {
		s.Note = fmt.Sprintf("The %s before these are left out.", model.Plural(r.Omitted, "earlier event"))
	}
	return s
}

func (r AAR) decisions() section {
	s := section{ID: "decisions", Title: "Decisions", Level: 2}
	if len(r.Decisions) == 0 {
		s.Paras = []string{"No decision was recorded."}
		return s
	}
	t := &table{Head: []string{"at", "real time (UTC)", "by", "inject", "decision"}}
	for _, d := range r.Decisions {
		realTime := "—"
		if !d.Wall.IsZero() {
			realTime = d.Wall.UTC().Format("Jan 02 15:04:05")
		}
		t.Rows = append(t.Rows, []string{model.FormatOffset(d.At), realTime, orDash(d.By), r.injectTitle(d.Inject), d.Text})
	}
	s.Table = t
	return s
}

func (r AAR) injectTitle(id string) string {
	if r.Debrief != nil {
		for _, in := range r.Debrief.Injects {
			if in.ID == id {
				return in.Title
			}
		}
	}
	return orDash(id)
}

func (r AAR) runbook() section {
	s := section{ID: "runbook", Title: "Runbook steps", Level: 2}
	if len(r.Runbook) == 0 {
		s.Paras = []string{"The incident has no runbook."}
		return s
	}
	t := &table{Head: []string{"step", "state", "started", "done", "took", "by"}, Right: []bool{false, false, false, false, true, false}}
	for _, st := range r.Runbook {
		took := "—"
		if d, ok := st.Duration(); ok {
			took = model.FormatSpan(d)
		}
		t.Rows = append(t.Rows, []string{st.Title, string(st.State), offsetOrDash(st.Started), offsetOrDash(st.Done), took, orDash(st.By)})
	}
	s.Table = t
	return s
}

func (r AAR) warnings() section {
	s := section{ID: "warnings", Title: "Carrier warnings", Level: 2}
	if len(r.Warnings) == 0 {
		s.Paras = []string{"No carrier warned."}
		return s
	}
	t := &table{Head: []string{"carrier", "severity", "region", "headline", "issued", "acknowledged", "by", "after", "resolved"},
		Right: []bool{false, false, false, false, false, false, false, true, false}}
	var delays []time.Duration
	for _, w := range r.Warnings {
		acked, after := "no", "—"
		if d, ok := w.Delay(); ok {
			acked, after = model.FormatOffset(w.AckedAt), model.FormatSpan(d)
			delays = append(delays, d)
		}
		resolved := "no"
		if w.Resolved {
			resolved = model.FormatOffset(w.ResolvedAt)
		}
		t.Rows = append(t.Rows, []string{w.Carrier, strings.ToUpper(w.Severity), orDash(w.Region), w.Headline,
			model.FormatOffset(w.Issued), acked, orDash(w.AckedBy), after, resolved})
	}
	s.Table = t
	if len(delays) > 0 {
		slices.Sort(delays)
		s.Paras = []string{fmt.Sprintf("%d of %s acknowledged; time to acknowledge: median %s, longest %s.",
			len(delays), model.Plural(len(r.Warnings), "warning"), model.FormatSpan(delays[(len(delays)-1)/2]), model.FormatSpan(delays[len(delays)-1]))}
	} else {
		s.Paras = []string{"No warning was acknowledged."}
	}
	return s
}

// statusUpdates lists the updates sent by their first line, then gives
// each one's text as sent, a paragraph a line: in one table cell its
// headings and lists ran together.
func (r AAR) statusUpdates() []section {
	s := section{ID: "updates", Title: "Status updates sent", Level: 2}
	if len(r.Sent) == 0 {
		s.Paras = []string{"No status update was marked sent."}
		return []section{s}
	}
	t := &table{Head: []string{"at", "by", "draft", "to", "first line"}}
	parts := []section{s}
	for i, u := range r.Sent {
		var lines []string
		for l := range strings.Lines(u.Text) {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		first := "—"
		if len(lines) > 0 {
			first = lines[0]
		}
		t.Rows = append(t.Rows, []string{model.FormatOffset(u.At), orDash(u.By), u.Template, orDash(u.Audience), first})
		parts = append(parts, section{ID: fmt.Sprintf("update-%d", i+1), Level: 3, Paras: lines,
			Title: fmt.Sprintf("%s %s to %s, by %s", model.FormatOffset(u.At), u.Template, orDash(u.Audience), orDash(u.By))})
	}
	parts[0].Table = t
	return parts
}

func (r AAR) forecastAccuracy() section {
	s := section{ID: "forecast", Title: "Forecast accuracy", Level: 2, Chart: forecastChart}
	im := r.Impact
	if im.Cleared {
		s.Paras = []string{fmt.Sprintf("The ETA the console forecast at each hour, against when the backlog was back to normal (%s orders): %s.",
			model.Compact(im.Baseline), r.when(im.ClearedAt))}
	} else {
		s.Paras = []string{fmt.Sprintf("The ETA the console forecast at each hour. The backlog was not back to normal (%s orders) by %s, so no forecast can be scored yet.",
			model.Compact(im.Baseline), model.FormatOffset(r.At))}
	}
	if len(r.Forecasts) == 0 {
		s.Paras = append(s.Paras, "The report covers less than an hour: there is no hourly forecast.")
		s.Chart = noChart
		return s
	}
	t := &table{Head: []string{"at", "waiting", "forecast", "ETA", "vs actual"}, Right: []bool{false, true, false, false, false}}
	for _, h := range r.Forecasts {
		eta, vs := "—", "—"
		if h.Forecast.OK && h.Forecast.Draining {
			eta = r.wall(h.Forecast.ETA)
		}
		if h.HasError {
			vs = errorText(h.Error)
		}
		t.Rows = append(t.Rows, []string{model.FormatOffset(h.At), model.Compact(h.Forecast.Waiting), h.Forecast.String(), eta, vs})
	}
	s.Table = t
	return s
}

// errorText says how the backlog's clearing compared with a forecast ETA.
func errorText(d time.Duration) string {
	switch {
	case d.Abs() < time.Minute:
		return "cleared on time"
	case d > 0:
		return "cleared " + model.FormatSpan(d) + " later"
	}
	return "cleared " + model.FormatSpan(-d) + " earlier"
}

func (r AAR) injects() []section {
	d := r.Debrief
	var parts []section
	s := section{ID: "injects", Title: "Injects", Level: 2}
	s.Paras = []string{fmt.Sprintf("Injects scored: %d (%d met, %d partly, %d missed).", d.Scored, d.Met, d.Partly, d.Missed)}
	t := &table{Head: []string{"inject", "delivered", "first decision after", "real time", "expected done", "score", "comment"}}
	for _, in := range d.Injects {
		delivered, first, realTime := string(in.Status), "—", "—"
		if in.Status == model.InjectFired {
			delivered = model.FormatOffset(in.FiredAt)
			if in.FirstDecision >= 0 {
				first = model.FormatSpan(in.FirstDecision)
			} else {
				first = "no decision"
			}
			if in.FirstDecisionReal >= 0 {
				realTime = model.FormatRealSpan(in.FirstDecisionReal)
			}
		}
		done := 0
		for _, c := range in.Checked {
			if c {
				done++
			}
		}
		expected := "—"
		if len(in.Expected) > 0 {
			expected = fmt.Sprintf("%d of %d", done, len(in.Expected))
		}
		title := in.Title
		if in.AdHoc {
			title += " (added by " + orDash(in.AddedBy) + ")"
		}
		t.Rows = append(t.Rows, []string{title, delivered, first, realTime, expected, orDash(in.Score()), orDash(r.scoreComments(in.ID))})
		if len(in.Expected) > 0 {
			p := section{ID: "inject-" + in.ID, Title: in.Title, Level: 3}
			for i, e := range in.Expected {
				mark := "not done: "
				if i < len(in.Checked) && in.Checked[i] {
					mark = "done: "
				}
				p.List = append(p.List, mark+e)
			}
			parts = append(parts, p)
		}
	}
	s.Table = t
	return append([]section{s}, parts...)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func offsetOrDash(at time.Duration) string {
	if at < 0 {
		return "—"
	}
	return model.FormatOffset(at)
}
