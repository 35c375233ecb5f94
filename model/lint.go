package model

import (
	"fmt"
	"sort"
	"strconv"
)

// LintWarning is something suspicious in a valid scenario: the file loads and
// plays, but a facilitator would probably want to look at it. It has the same
// fields as a Problem — the position of the event or definition concerned and
// the path of the field — but is its own type so that a ProblemList only ever
// holds what makes a file bad.
type LintWarning Problem

// String formats the warning as "file:line:col: warning: field: message",
// leaving out the field part when the warning concerns no particular field.
func (w LintWarning) String() string {
	if w.Field == "" {
		return fmt.Sprintf("%s:%d:%d: warning: %s", w.File, w.Line, w.Col, w.Message)
	}
	return fmt.Sprintf("%s:%d:%d: warning: %s: %s", w.File, w.Line, w.Col, w.Field, w.Message)
}

// LoadScenarioChecked is LoadScenario followed by a lint pass over the valid
// scenario. It returns what LoadScenario returns, plus the warnings sorted by
// position (nil when there are none). A bad file gets a nil scenario, no
// warnings and its ProblemList: the lint pass only runs on a valid scenario.
//
// The warnings are:
//
//   - a host group's recovered count goes down between two of its hosts
//     events without a failure at the later one: its failed count does not
//     rise by at least as much, and its state is neither down nor degraded;
//   - the backlog moves more than 10× in one step (see backlogJump);
//   - an inject has no discussion questions;
//   - a runbook step is never reached: no step event moves it out of pending.
func LoadScenarioChecked(file string, data []byte) (*Scenario, []LintWarning, error) {
	return loadFile(file, data, true)
}

// Backlog steps are warned about when the larger of the two values is more
// than backlogJump times the smaller. Small backlogs move by large factors
// without anything being wrong (40 orders to 900 is noise), so a step is only
// checked when one of its values exceeds backlogFloor. That also settles
// steps from or to 0, which have no ratio: 0 to 5000 is a warning ("from 0"),
// 0 to 800 is not, and likewise for a backlog that empties in one step.
const (
	backlogJump  = 10
	backlogFloor = 1000
)

// linter collects the warnings of one scenario.
type linter struct {
	d        *decoder
	warnings []LintWarning
}

func (l *linter) warn(v yamlValue, format string, args ...any) {
	at := v.pos()
	l.warnings = append(l.warnings, LintWarning{File: l.d.file, Line: at.line, Col: at.col,
		Field: v.path, Message: fmt.Sprintf(format, args...)})
}

// lint looks for suspicious things in sc, which the decoder has just decoded
// without problems; d.items are its events with their sources.
func (d *decoder) lint(sc *Scenario) []LintWarning {
	l := &linter{d: d}
	l.hosts()
	l.backlog()
	l.injects()
	l.runbook(sc)
	sort.SliceStable(l.warnings, func(i, j int) bool {
		a, b := l.warnings[i], l.warnings[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return l.warnings
}

// member is the value of field name of the mapping v, or its absence, found
// without reporting anything: the file has been checked already. As in
// yamlObject, the first of duplicate keys counts.
func (d *decoder) member(v yamlValue, name string) yamlValue {
	path := joinPath(v.path, name)
	at := v.pos()
	entries, _ := mappingValues(v.node)
	for _, mv := range entries {
		if isNilNode(mv) {
			continue
		}
		if k, ok := keyName(mv.Key); ok && k == name {
			return d.value(path, mv.Key, mv.Value, at)
		}
	}
	return yamlValue{d: d, path: path, at: at}
}

// body is the kind's field of a timeline entry, such as timeline[3].hosts.
func (l *linter) body(it timelineItem) yamlValue {
	return l.d.member(it.src, string(it.ev.Body.Kind()))
}

// hosts warns when a group's recovered count falls with no failure to
// account for it.
func (l *linter) hosts() {
	last := map[string]timelineItem{} // group -> its previous hosts event
	for _, it := range l.d.items {
		h, ok := it.ev.Body.(HostStatus)
		if !ok {
			continue
		}
		prevItem, seen := last[h.Group]
		last[h.Group] = it
		if !seen {
			continue
		}
		prev := prevItem.ev.Body.(HostStatus)
		drop := prev.Recovered - h.Recovered
		if drop <= 0 || h.Failed-prev.Failed >= drop || h.State == HostsDown || h.State == HostsDegraded {
			continue
		}
		state := "unset"
		if h.State != "" {
			state = string(h.State)
		}
		l.warn(l.d.member(l.body(it), "recovered"),
			"host group %q: recovered goes down from %d at %s to %d at %s without a failure: "+
				"failed goes from %d to %d, not up by at least %d, and the state is %s, not down or degraded",
			h.Group, prev.Recovered, FormatOffset(prevItem.ev.At), h.Recovered, FormatOffset(it.ev.At),
			prev.Failed, h.Failed, drop, state)
	}
}

// backlog warns when the backlog moves by more than backlogJump times in one
// step between consecutive backlog events.
func (l *linter) backlog() {
	var prev *timelineItem
	for _, it := range l.d.items {
		b, ok := it.ev.Body.(BacklogObservation)
		if !ok {
			continue
		}
		if prev != nil {
			l.backlogStep(*prev, it, prev.ev.Body.(BacklogObservation).Waiting, b.Waiting)
		}
		prev = &it
	}
}

func (l *linter) backlogStep(from, to timelineItem, a, b int64) {
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
	l.warn(l.d.member(l.body(to), "waiting"),
		"backlog %s%s in one step, from %d waiting at %s to %d at %s",
		verb, factor, a, FormatOffset(from.ev.At), b, FormatOffset(to.ev.At))
}

// injects warns about injects with no discussion question.
func (l *linter) injects() {
	for _, it := range l.d.items {
		in, ok := it.ev.Body.(Inject)
		if !ok || len(in.Questions) > 0 {
			continue
		}
		l.warn(l.d.member(l.body(it), "questions"),
			"inject %q has no discussion questions: expected a list of questions for the players", in.ID)
	}
}

// runbook warns about steps that no step event moves out of pending.
func (l *linter) runbook(sc *Scenario) {
	reached := map[string]bool{}
	for _, e := range sc.Events {
		if c, ok := e.Body.(RunbookStepChange); ok && c.State != StepPending {
			reached[c.Step] = true
		}
	}
	for _, idv := range l.d.stepDecl {
		id, _ := scalarText(idv.node)
		if !reached[id] {
			l.warn(idv, "runbook step %q is never reached: no step event makes it active, done, skipped or blocked", id)
		}
	}
}
