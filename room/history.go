package room

import (
	"fmt"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// History is a journal read back whole, in one pass, for an after-action
// report: the scenario it was made for (as ScenarioOf gives it), every
// event and action in its place in the incident's list (a room restored
// from a long journal keeps only its latest events), where the shared
// clock last stood, when each inject reached the room, and every session
// that joined, with its member's role.
type History struct {
	Scenario *model.Scenario
	Events   []model.Event
	Clock    *journal.Clock // nil: the journal never recorded the clock
	Shown    map[string]time.Time
	Joined   []journal.Presence
}

// ReadHistory reads a journal's history.
func ReadHistory(log journal.Log) (History, error) {
	sc, err := declaredScenario(log.Header())
	if err != nil {
		return History{}, err
	}
	rs, err := readJournal(log)
	if err != nil {
		return History{}, fmt.Errorf("read the journal: %w", err)
	}
	sc.Events = scenarioEvents(rs)
	return History{Scenario: sc, Events: rs.events, Clock: rs.clock, Shown: rs.shown, Joined: rs.joined}, nil
}

// State is the incident where the journal's clock last stood: the state
// of the room Replay restores from the same journal, without a room.
func (h History) State() model.State {
	c := model.NewCursor(model.NewState(h.Scenario), h.Events)
	if h.Clock != nil {
		c.GoTo(h.Clock.Pos, h.Clock.At)
	} else {
		c.Seek(0)
	}
	return c.State().Clone()
}
