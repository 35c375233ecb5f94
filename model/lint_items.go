package model

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
)

// itemLinter collects the warnings of a valid scenario, at the positions
// the loader kept.
type itemLinter struct {
	file     string
	warnings []LintWarning
}

func (l *itemLinter) warn(at yamlPos, ptr, format string, args ...any) {
	l.warnings = append(l.warnings, LintWarning{File: l.file, Line: at.line, Col: at.col, Field: fieldPath(ptr),
		Message: fmt.Sprintf(format, args...)})
}

// at warns at a field of an item (or the nearest place kept).
func (l *itemLinter) at(li *loadedItem, field, format string, args ...any) {
	ptr := li.ptr + "/" + string(li.e.Body.Kind()) + "/" + field
	if k := li.e.Body.Kind(); k != "" {
		ptr = li.ptr + "/" + kindMember(k) + "/" + field
	}
	l.warn(li.posOf(ptr), ptr, format, args...)
}

// kindMember is the member that holds a kind in an Item.
func kindMember(k Kind) string {
	for _, f := range infoOf(reflect.TypeFor[Item]()).fields {
		if f.kind == k {
			return f.name
		}
	}
	return string(k)
}

// lint looks for suspicious things in a valid scenario: see
// LoadScenarioChecked.
func (l *loader) lint(sc *Scenario, top *yamlPart, loaded, items []*loadedItem) []LintWarning {
	il := &itemLinter{file: l.file}
	il.hosts(items)
	il.backlog(items)
	il.injects(items)
	il.runbook(sc, top)
	il.objectives(sc, top)
	il.warnings = append(il.warnings, l.sanitized(loaded)...)
	slices.SortStableFunc(il.warnings, func(a, b LintWarning) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return il.warnings
}

// hosts warns when a group's recovered count falls with no failure to
// account for it.
func (l *itemLinter) hosts(items []*loadedItem) {
	last := map[string]*loadedItem{}
	for _, li := range items {
		h, ok := li.e.Body.(HostStatus)
		if !ok {
			continue
		}
		if n := h.Steps.Sum(); h.Steps.Reported() && h.Failed > 0 && n != h.Failed {
			l.at(li, "steps", "host group %q: the steps count %d hosts, failed says %d: a host not back is usually at one step",
				h.Group, n, h.Failed)
		}
		prevItem, seen := last[h.Group]
		last[h.Group] = li
		if !seen {
			continue
		}
		prev := prevItem.e.Body.(HostStatus)
		drop := prev.Recovered - h.Recovered
		if drop <= 0 || h.Failed-prev.Failed >= drop || h.State == HostsDown || h.State == HostsDegraded {
			continue
		}
		state := "unset"
		if h.State != "" {
			state = string(h.State)
		}
		l.at(li, "recovered",
			"host group %q: recovered goes down from %d at %s to %d at %s without a failure: "+
				"failed goes from %d to %d, not up by at least %d, and the state is %s, not down or degraded",
			h.Group, prev.Recovered, FormatOffset(prevItem.e.At), h.Recovered, FormatOffset(li.e.At),
			prev.Failed, h.Failed, drop, state)
	}
}

// backlog warns when the backlog moves by more than backlogJump times in one
// step between consecutive backlog events.
func (l *itemLinter) backlog(items []*loadedItem) {
	var prev *loadedItem
	for _, li := range items {
		b, ok := li.e.Body.(BacklogObservation)
		if !ok {
			continue
		}
		if prev != nil {
			l.backlogStep(prev, li, prev.e.Body.(BacklogObservation).Waiting, b.Waiting)
		}
		prev = li
	}
}

func (l *itemLinter) backlogStep(from, to *loadedItem, a, b int64) {
	lo, hi := min(a, b), max(a, b)
	if hi <= backlogFloor || float64(hi) <= backlogJump*float64(lo) { // float: 10*lo may overflow
		return
	}
	verb := "jumps"
	if b < a {
		verb = "drops"
	}
	factor := "" // no ratio from or to 0
	if lo > 0 {
		factor = " " + trimZeros(strconv.FormatFloat(float64(hi)/float64(lo), 'f', 1, 64)) + "×"
	}
	l.at(to, "waiting", "backlog %s%s in one step, from %d waiting at %s to %d at %s",
		verb, factor, a, FormatOffset(from.e.At), b, FormatOffset(to.e.At))
}

// injects warns about injects with no discussion question.
func (l *itemLinter) injects(items []*loadedItem) {
	for _, li := range items {
		if in, ok := li.e.Body.(Inject); ok && len(in.Questions) == 0 {
			l.at(li, "questions", "inject %q has no discussion questions: expected a list of questions for the players", in.ID)
		}
	}
}

// runbook warns about steps that no step event moves out of pending.
func (l *itemLinter) runbook(sc *Scenario, top *yamlPart) {
	reached := map[string]bool{}
	for _, e := range sc.Events {
		if c, ok := e.Body.(RunbookStepChange); ok && c.State != StepPending {
			reached[c.Step] = true
		}
	}
	for i, s := range sc.Runbook {
		if !reached[s.ID] {
			ptr := "/runbook/" + strconv.Itoa(i) + "/id"
			l.warn(top.pos(ptr, false), ptr, "runbook step %q is never reached: no step event makes it active, done, skipped or blocked", s.ID)
		}
	}
}
