package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/warroom/warroom/model"
)

// The exercise's part of the report, in the shape of the after-action
// report and improvement plan of CISA's tabletop exercise packages:
// objectives, participants and their roles, strengths, areas for
// improvement, the improvement plan, then how each inject went and the
// record the hot wash rests on.

func (r AAR) exerciseParts() []section {
	parts := []section{r.objectives(), r.participants(), r.findings("strengths", "Strengths", r.HotWash.Strengths),
		r.findings("improvements", "Areas for improvement", r.HotWash.Improvements), r.improvementPlan()}
	parts = append(parts, r.injects()...)
	return append(parts, r.observations(), r.notes())
}

func (r AAR) objectives() section {
	s := section{ID: "objectives", Title: "Objectives", Level: 2}
	if len(r.HotWash.Objectives) == 0 {
		s.Paras = []string{"The scenario names no objectives."}
		return s
	}
	t := &table{Head: []string{"objective", "exercised by", "findings", "action items"}, Right: []bool{false, false, false, true}}
	for _, o := range r.HotWash.Objectives {
		var injects []string
		for _, id := range o.Injects {
			injects = append(injects, r.injectTitle(id))
		}
		t.Rows = append(t.Rows, []string{o.Text, orDash(strings.Join(injects, "; ")), orDash(strings.Join(o.Findings, ", ")), fmt.Sprint(o.ActionItems)})
	}
	s.Table = t
	return s
}

// participants joins the room's members and their roles (from the
// journal's presence entries) with what each recorded.
func (r AAR) participants() section {
	s := section{ID: "participants", Title: "Participants", Level: 2}
	type row struct {
		name, roles string
		did         map[string]int
	}
	var rows []row
	index := map[string]int{}
	for _, p := range r.Participants {
		index[p.Name] = len(rows)
		roles := make([]string, len(p.Roles))
		for i, role := range p.Roles {
			roles[i] = exerciseRole(role)
		}
		rows = append(rows, row{name: p.Name, roles: strings.Join(roles, ", ")})
	}
	for _, p := range r.HotWash.Participants {
		i, ok := index[p.Name]
		if !ok {
			i = len(rows)
			index[p.Name] = i
			rows = append(rows, row{name: p.Name})
		}
		rows[i].did = p.Did
	}
	if len(rows) == 0 {
		s.Paras = []string{"No one joined the room or recorded anything (a scenario played without a journal records no members)."}
		return s
	}
	t := &table{Head: []string{"participant", "role", "recorded"}}
	for _, p := range rows {
		t.Rows = append(t.Rows, []string{p.name, orDash(p.roles), orDash(didText(p.did))})
	}
	s.Table = t
	if len(r.Participants) == 0 {
		s.Note = "Roles come from a journal's members; this report was written without one."
	}
	return s
}

// exerciseRole is a room's role as an exercise names it: the commander is
// who runs the exercise (the facilitator's console joins its room as one).
func exerciseRole(role string) string {
	if role == "commander" {
		return "commander (facilitator)"
	}
	return role
}

// didText is what someone recorded, by kind in a fixed order:
// "2 decisions, 1 note".
func didText(did map[string]int) string {
	kinds := make([]string, 0, len(did))
	for k := range did {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var parts []string
	for _, k := range kinds {
		parts = append(parts, model.Plural(did[k], strings.ReplaceAll(k, "-", " ")))
	}
	return strings.Join(parts, ", ")
}

func (r AAR) findings(id, title string, fs []model.FindingRecord) section {
	s := section{ID: id, Title: title, Level: 2}
	if len(fs) == 0 {
		s.Paras = []string{"None recorded."}
		return s
	}
	t := &table{Head: []string{"", "finding", "objective", "by", "at"}}
	for _, f := range fs {
		t.Rows = append(t.Rows, []string{f.ID, f.Text, r.objectiveText(f.Objective), orDash(f.By), model.FormatOffset(f.At)})
	}
	s.Table = t
	return s
}

func (r AAR) improvementPlan() section {
	s := section{ID: "plan", Title: "Improvement plan", Level: 2}
	if len(r.HotWash.ActionItems) == 0 {
		s.Paras = []string{"No action item was recorded."}
		return s
	}
	t := &table{Head: []string{"action item", "owner", "due", "finding", "objective"}}
	for _, a := range r.HotWash.ActionItems {
		t.Rows = append(t.Rows, []string{a.Text, a.Owner, a.Due, orDash(a.Finding), r.objectiveText(a.Objective)})
	}
	s.Table = t
	return s
}

func (r AAR) objectiveText(id string) string {
	for _, o := range r.HotWash.Objectives {
		if o.ID == id {
			return o.Text
		}
	}
	return orDash(id)
}

func (r AAR) observations() section {
	s := section{ID: "observations", Title: "Facilitator observations", Level: 2}
	if len(r.HotWash.Observations) == 0 {
		s.Paras = []string{"None recorded."}
		return s
	}
	t := &table{Head: []string{"at", "by", "inject", "observation"}}
	for _, o := range r.HotWash.Observations {
		inject := "—"
		if o.Inject != "" {
			inject = r.injectTitle(o.Inject)
		}
		t.Rows = append(t.Rows, []string{model.FormatOffset(o.At), orDash(o.By), inject, o.Text})
	}
	s.Table = t
	return s
}

func (r AAR) notes() section {
	s := section{ID: "notes", Title: "Notes", Level: 2}
	if len(r.HotWash.Notes) == 0 {
		s.Paras = []string{"None recorded."}
		return s
	}
	t := &table{Head: []string{"at", "by", "note"}}
	for _, n := range r.HotWash.Notes {
		t.Rows = append(t.Rows, []string{model.FormatOffset(n.At), orDash(n.Author), n.Text})
	}
	s.Table = t
	return s
}

// scoreComments are the facilitator's comments on an inject's score.
func (r AAR) scoreComments(id string) string {
	for _, in := range r.HotWash.Injects {
		if in.ID != id {
			continue
		}
		var cs []string
		for _, c := range in.Comments {
			cs = append(cs, c.Text)
		}
		return strings.Join(cs, " / ")
	}
	return ""
}
