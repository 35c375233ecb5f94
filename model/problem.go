package model

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// Problem is one thing wrong with a scenario file.
type Problem struct {
	File      string
	Line, Col int
	Field     string // path of the field, e.g. "timeline[12].hosts.recovered"; may be empty
	Message   string // what is wrong and what was expected
}

// String formats the problem as "file:line:col: field: message", leaving out
// the field part when the problem concerns no particular field. What comes
// from the file (and the file's own name) is shown through Visible, so a
// control sequence in it reads as \x1b… instead of acting on the terminal.
func (p Problem) String() string {
	if p.Field == "" {
		return Visible(fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message))
	}
	return Visible(fmt.Sprintf("%s:%d:%d: %s: %s", p.File, p.Line, p.Col, p.Field, p.Message))
}

// ProblemList is every problem found in one file; it is the error
// LoadScenario returns.
type ProblemList []Problem

// Error lists the problems, one per line.
func (l ProblemList) Error() string {
	lines := make([]string, len(l))
	for i, p := range l {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// LoadScenario parses and validates a scenario. file is used in messages and,
// without extension and directory, as Scenario.Name. When the file is bad the
// error is a ProblemList naming every problem found, and the scenario is nil.
//
// LoadScenario does not look for suspicious things in a valid scenario;
// LoadScenarioChecked (lint.go) does.
func LoadScenario(file string, data []byte) (*Scenario, error) {
	sc, _, err := loadFile(file, data, false)
	return sc, err
}

// scenarioName is the file name without directory and extension.
func scenarioName(file string) string {
	base := path.Base(filepath.ToSlash(file))
	return strings.TrimSuffix(base, path.Ext(base))
}

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
