package tui

import (
	"fmt"
	"strings"

	"github.com/warroom/warroom/model"
)

// hotWashHeading heads the debrief's hot wash; :hotwash scrolls to it.
const hotWashHeading = "HOT WASH"

// hotWashPlan is the debrief's first part, the hot wash as an after-action
// report's: objectives, participants, strengths, areas for improvement and
// the improvement plan, each with the command that adds to it while it is
// empty. Everything in it is the whole team's.
func hotWashPlan(st *Styles, hw model.HotWash, w int) []string {
	head := func(t string) string { return st.Inject.on(t) }
	none := func(hint string) string { return trunc(st.Dim.on(" none yet · "+hint), w) }
	var out []string
	add := func(ls ...string) { out = append(out, ls...) }

	add("", head(hotWashHeading)+st.Dim.on(trunc(" · : then strength, improve, action (? lists them)", max(w-8, 0))))
	add(head("OBJECTIVES"))
	if len(hw.Objectives) == 0 {
		add(st.Dim.on(trunc(" the scenario declares none", w)))
	}
	for _, o := range hw.Objectives {
		add(hanging(" "+st.Bold.on(clean(o.ID))+" ", clean(o.Text), w, paint{})...)
		var bits []string
		if n := len(o.Injects); n > 0 {
			bits = append(bits, plural(n, "inject"))
		}
		if len(o.Findings) > 0 {
			bits = append(bits, "findings "+strings.Join(o.Findings, " "))
		}
		if o.ActionItems > 0 {
			bits = append(bits, plural(o.ActionItems, "action item"))
		}
		if len(bits) > 0 {
			add(trunc("   "+st.Dim.on(strings.Join(bits, " · ")), w))
		}
	}

	add(head("PARTICIPANTS"))
	if len(hw.Participants) == 0 {
		add(st.Dim.on(trunc(" nobody has recorded anything yet", w)))
	}
	for _, p := range hw.Participants {
		add(hanging(" "+clean(p.Name)+" ", p.Summary(), w, st.Dim)...)
	}

	findings := func(title string, fs []model.FindingRecord, hint string, p paint) {
		add(head(title))
		if len(fs) == 0 {
			add(none(hint))
		}
		for _, f := range fs {
			tail := " — " + clean(f.By) + " " + model.FormatOffset(f.At)
			if f.Objective != "" {
				tail = " · " + clean(f.Objective) + tail
			}
			add(hanging(" "+p.on(f.ID)+" ", clean(f.Text)+st.Dim.on(tail), w, paint{})...)
		}
	}
	findings("STRENGTHS", hw.Strengths, ":strength TEXT [#objective]", st.Good)
	findings("AREAS FOR IMPROVEMENT", hw.Improvements, ":improve TEXT [#objective]", st.Warn)

	add(head("IMPROVEMENT PLAN"))
	if len(hw.ActionItems) == 0 {
		add(none(":action TEXT @owner due YYYY-MM-DD [#objective] [#F2]"))
	}
	for i, ai := range hw.ActionItems {
		lead := fmt.Sprintf(" %2d ", i+1)
		add(hanging(lead, clean(ai.Text), w, st.Bold)...)
		meta := "owner " + clean(ai.Owner) + " · due " + clean(ai.Due)
		if ai.Finding != "" {
			meta += " · " + clean(ai.Finding)
		}
		if ai.Objective != "" {
			meta += " · " + clean(ai.Objective)
		}
		add(hanging(strings.Repeat(" ", width(lead)), meta, w, st.Dim)...)
	}
	return out
}

// hotWashRecord is the debrief's record besides decisions: the
// facilitator's observations (the facilitator's only), notes and
// acknowledgements.
func hotWashRecord(st *Styles, hw model.HotWash, injectTitle func(string) string, fac bool, w int) []string {
	head := func(t string) string { return st.Inject.on(t) }
	var out []string
	add := func(ls ...string) { out = append(out, ls...) }

	add("", head("OBSERVATIONS")+st.Dim.on(" (facilitator)"))
	switch {
	case !fac && len(hw.Observations) > 0:
		add(st.Dim.on(trunc(" "+plural(len(hw.Observations), "observation")+" by the facilitator, for the hot wash", w)))
	case len(hw.Observations) == 0:
		add(st.Dim.on(trunc(" none yet · :observe TEXT (facilitator)", w)))
	}
	if fac {
		for _, o := range hw.Observations {
			lead := " " + model.FormatOffset(o.At) + " " + clean(o.By)
			if o.Inject != "" {
				lead += " on " + trunc(clean(injectTitle(o.Inject)), 24)
			}
			add(hanging(lead+": ", clean(o.Text), w, st.Note)...)
		}
	}

	add("", head("NOTES"))
	if len(hw.Notes) == 0 {
		add(st.Dim.on(trunc(" none · :note TEXT", w)))
	}
	for _, n := range hw.Notes {
		add(hanging(" "+model.FormatOffset(n.At)+" "+clean(n.Author)+": ", clean(n.Text), w, st.Note)...)
	}

	add("", head("ACKNOWLEDGEMENTS"))
	if len(hw.Acks) == 0 {
		add(st.Dim.on(trunc(" none", w)))
	}
	for _, k := range hw.Acks {
		delay := "delay unknown"
		if k.Delay >= 0 {
			delay = model.FormatSpan(k.Delay) + " after it was raised"
		}
		lead := " " + model.FormatOffset(k.At) + " " + clean(k.By) + " ✓ " + string(k.Of) + " "
		add(hanging(lead, clean(k.Title)+st.Dim.on(" · "+delay), w, paint{})...)
	}
	return out
}

// scoreComments are an inject's score comments for its debrief block.
func scoreComments(st *Styles, hw model.HotWash, inject string, w int) []string {
	var out []string
	for _, c := range hw.ScoreComments {
		if c.Inject != inject {
			continue
		}
		lead := "    " + st.Dim.on("score note") + " " + clean(c.By) + ": "
		out = append(out, hanging(lead, clean(c.Text), w, paint{})...)
	}
	return out
}

// adHocMark is the mark an inject added during the exercise carries.
func adHocMark(in model.InjectState) string {
	if !in.AdHoc {
		return ""
	}
	return " (ad hoc, " + clean(in.AddedBy) + ")"
}
