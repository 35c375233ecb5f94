package room

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// Open opens a room on a scenario with its journal. A journal that holds
// entries restores the room exactly as it was: the same events in the same
// places (the scenario's, and every responder's action), the same clock
// position, playing state and speed, the same inject times. An empty one
// gets the scenario's events, so that the journal alone holds the whole
// exercise. log must belong to this scenario (see Identity).
func Open(sc *model.Scenario, log journal.Log, opts ...Option) (*Room, error) {
	return open(sc, log, false, false, opts)
}

// Replay is the room a journal holds, restored without writing to it (a
// journal opened for reading, a journal of a room that is gone): to write
// its debrief later, or look at it. The room keeps no journal.
func Replay(sc *model.Scenario, log journal.Log, opts ...Option) (*Room, error) {
	return open(sc, log, log.Header().Kind == "live", true, opts)
}

// OpenLive opens a live room with its journal, restoring what its sources
// and responders brought it before; the clock follows now.
func OpenLive(sc *model.Scenario, log journal.Log, opts ...Option) (*Room, error) {
	return open(sc, log, true, false, opts)
}

// restored is what a journal holds, read back.
type restored struct {
	entries int
	events  []model.Event // the incident's whole list, each event in its place
	actions []bool        // events[i] is a responder's action
	clock   *journal.Clock
	clockAt time.Time // when the clock was journaled
	shown   map[string]time.Time
	open    map[string]journal.Presence // sessions that joined and never left
	joined  []journal.Presence          // every session that joined, in order
}

func readJournal(log journal.Log) (restored, error) {
	rs := restored{shown: map[string]time.Time{}, open: map[string]journal.Presence{}}
	err := log.Entries(func(e journal.Entry) error {
		rs.entries++
		switch e.Kind {
		case journal.KindEvent, journal.KindAction:
			if e.Pos < 0 || e.Pos > len(rs.events) {
				return fmt.Errorf("entry %d: position %d, but only %d events come before it", e.Seq, e.Pos, len(rs.events))
			}
			action := e.Kind == journal.KindAction
			if e.Pos == len(rs.events) {
				rs.events, rs.actions = append(rs.events, e.Event), append(rs.actions, action)
			} else {
				rs.events = slices.Insert(rs.events, e.Pos, e.Event)
				rs.actions = slices.Insert(rs.actions, e.Pos, action)
			}
		case journal.KindClock:
			c := e.Clock
			rs.clock, rs.clockAt = &c, e.Wall
		case journal.KindShown:
			rs.shown[e.Shown.Inject] = e.Wall
		case journal.KindPresence:
			if e.Presence.Joined {
				rs.open[e.Presence.Session] = e.Presence
				rs.joined = append(rs.joined, e.Presence)
			} else {
				delete(rs.open, e.Presence.Session)
			}
		}
		return nil
	})
	return rs, err
}

func open(sc *model.Scenario, log journal.Log, live, readOnly bool, opts []Option) (*Room, error) {
	rs, err := readJournal(log)
	if err != nil {
		return nil, fmt.Errorf("restore the room: %w", err)
	}
	shared, _ := log.(journal.Shared)
	if readOnly {
		shared = nil
	}
	if shared != nil && rs.entries == 0 && len(sc.Events) > 0 {
		// The first server on the stream gives it the scenario's events;
		// two at once give them twice, which the stream's readers keep once.
		if rs, err = seedStream(sc, log); err != nil {
			return nil, err
		}
	}
	events := rs.events
	if rs.entries == 0 {
		events = sc.Events
	}
	r := newRoom(sc, events, opts)
	r.shown = rs.shown
	if !readOnly {
		r.log = log
	}
	if rs.entries == 0 && len(events) > 0 && !readOnly && shared == nil {
		// The scenario's events, in order, as the journal's first batch.
		now := r.now().UTC()
		entries := make([]journal.Entry, len(events))
		for i, e := range events {
			entries[i] = journal.Entry{Kind: journal.KindEvent, Pos: i, Wall: now, Event: e}
		}
		if _, err := log.Append(entries, true); err != nil {
			return nil, fmt.Errorf("journal the scenario's events: %w", err)
		}
	}
	// Sessions the journal saw join and never leave ended with the process
	// that served them.
	var left []journal.Entry
	for _, p := range rs.open {
		if shared != nil {
			break // other servers' sessions may well be open
		}
		p.Joined = false
		left = append(left, journal.Entry{Kind: journal.KindPresence, Wall: r.now().UTC(), Presence: p})
	}
	slices.SortFunc(left, func(a, b journal.Entry) int { return cmpString(a.Presence.Session, b.Presence.Session) })
	if err := r.journalLocked(left, false); err != nil {
		return nil, err
	}
	c := r.cur
	switch {
	case rs.clock != nil:
		c.SetSpeed(rs.clock.Speed)
		c.SetPauseOnInject(rs.clock.PauseOnInject)
		c.GoTo(rs.clock.Pos, rs.clock.At)
		if shared != nil {
			c.Follow(rs.clock.At) // the actions taken at that time since (see applyClockLocked)
		}
		r.logged = *rs.clock
	default:
		c.Seek(0)
	}
	if live && !readOnly {
		r.mu.Lock()
		r.startLiveLocked()
		r.mu.Unlock()
	}
	c.Compact()
	r.mu.Lock()
	defer r.mu.Unlock()
	if rs.clock != nil && rs.clock.Playing && !live && !readOnly {
		c.SetPlaying(true)
		if since := r.now().Sub(rs.clockAt); shared != nil && since > 0 {
			c.Advance(since) // the other servers played on meanwhile
		}
		r.syncPlayLocked()
	}
	if shared != nil {
		r.logged = r.clockLocked()
		r.startStreamLocked(shared)
	}
	r.journalClockLocked()
	return r, nil
}

// seedStream appends the scenario's events to an empty stream and reads
// it back.
func seedStream(sc *model.Scenario, log journal.Log) (restored, error) {
	now := time.Now().UTC()
	entries := make([]journal.Entry, len(sc.Events))
	for i, e := range sc.Events {
		entries[i] = journal.Entry{Kind: journal.KindEvent, Pos: i, Wall: now, Event: e}
	}
	if _, err := log.Append(entries, true); err != nil {
		return restored{}, fmt.Errorf("journal the scenario's events: %w", err)
	}
	rs, err := readJournal(log)
	if err != nil {
		return restored{}, fmt.Errorf("restore the room: %w", err)
	}
	return rs, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// journalLocked appends entries to the journal, if the room keeps one. A
// failure is kept for the header to show and returned; the room goes on.
func (r *Room) journalLocked(entries []journal.Entry, durable bool) error {
	if r.log == nil || len(entries) == 0 {
		return nil
	}
	if _, err := r.log.Append(entries, durable); err != nil {
		r.journalErr = model.Sanitize(err.Error(), model.MaxTextLen)
		return fmt.Errorf("not recorded: the journal cannot be written (%w)", err)
	}
	r.journalErr = ""
	return nil
}

// journalClockLocked journals where the shared clock stands when it moved
// since it was last journaled (a position, a speed, playing or not); a
// playing clock is journaled at most once a second (see play).
func (r *Room) journalClockLocked() {
	if r.log == nil {
		return
	}
	c := r.cur
	now := journal.Clock{At: c.Clock(), Pos: c.Base() + c.Pos(), Playing: c.Playing(), Speed: c.Speed(),
		PauseOnInject: c.PauseOnInject()}
	if now == r.logged {
		return
	}
	if r.journalLocked([]journal.Entry{{Kind: journal.KindClock, Wall: r.now().UTC(), Clock: now}}, false) == nil {
		r.logged = now
	}
}

// Identity is the digest a journal of this room is known by: the
// scenario's declarations and, for a replay, its events; a live room's
// declarations but its T+0. A journal opened for another identity is
// refused, never mixed.
func Identity(sc *model.Scenario, live bool) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	kind := "scenario"
	if live {
		kind = "live"
	}
	meta := sc.Meta
	if live {
		// A live room's T+0 is when it first opened, unless its config
		// fixes one: the journal keeps it, and a restart is the same room.
		meta.Start = time.Time{}
	}
	_ = enc.Encode([]any{kind, meta, sc.HostGroups, sc.Carriers, sc.Topics, sc.Runbook})
	if !live {
		for _, e := range sc.Events {
			_ = enc.Encode([]any{e.At, e.Source, e.Text, kindOf(e.Body), e.Body})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func kindOf(b model.Body) model.Kind {
	if b == nil {
		return ""
	}
	return b.Kind()
}

// JournalHeader is the header a journal of this room carries: what the
// incident is, and what it declares, so that the journal alone rebuilds it.
func JournalHeader(sc *model.Scenario, live bool) journal.Header {
	kind := "scenario"
	if live {
		kind = "live"
	}
	decl, _ := json.Marshal(declarations{Name: sc.Name, Meta: sc.Meta, HostGroups: sc.HostGroups,
		Carriers: sc.Carriers, Topics: sc.Topics, Runbook: sc.Runbook, Alerts: sc.Alerts, PromiseClasses: sc.PromiseClasses,
		Objectives: sc.Objectives})
	return journal.Header{Kind: kind, Name: sc.Meta.Title, Identity: Identity(sc, live), Declarations: string(decl)}
}

// declarations is what a scenario or a live config declares, as a journal
// keeps it.
type declarations struct {
	Name       string
	Meta       model.Meta
	HostGroups []model.HostGroupDef
	Carriers   []model.CarrierDef
	Topics     []model.TopicDef
	Runbook    []model.StepDef
	Alerts     []model.AlertRule // not in the identity: rules say what to watch, not what happened
	// PromiseClasses name the backlog's split; absent in older journals.
	PromiseClasses []model.PromiseClassDef `json:",omitempty"`
	// Objectives are an exercise's; absent in older journals.
	Objectives []model.ObjectiveDef `json:",omitempty"`
}

// JournalStart is the T+0 a journal's incident began at, from its
// declarations; false when it does not say.
func JournalStart(h journal.Header) (time.Time, bool) {
	var d declarations
	if err := json.Unmarshal([]byte(h.Declarations), &d); err != nil || d.Meta.Start.IsZero() {
		return time.Time{}, false
	}
	return d.Meta.Start, true
}

// ScenarioOf is the scenario a journal was made for, rebuilt from it: its
// declarations, and the events its sources and scenario brought (those an
// exercise schedules, injects among them). With it, Open restores the room
// from the journal alone — to write a debrief after the room is gone.
func ScenarioOf(log journal.Log) (*model.Scenario, error) {
	sc, err := declaredScenario(log.Header())
	if err != nil {
		return nil, err
	}
	rs, err := readJournal(log)
	if err != nil {
		return nil, err
	}
	sc.Events = scenarioEvents(rs)
	return sc, nil
}

// declaredScenario is the scenario a journal's header declares, without
// its events.
func declaredScenario(h journal.Header) (*model.Scenario, error) {
	var d declarations
	if err := json.Unmarshal([]byte(h.Declarations), &d); err != nil || h.Declarations == "" {
		return nil, fmt.Errorf("the journal does not say what incident it is (no declarations in its header): %v", err)
	}
	return &model.Scenario{Name: d.Name, Meta: d.Meta, HostGroups: d.HostGroups, Carriers: d.Carriers,
		Topics: d.Topics, Runbook: d.Runbook, Alerts: d.Alerts, PromiseClasses: d.PromiseClasses,
		Objectives: d.Objectives}, nil
}

// scenarioEvents are the events a journal holds that are not actions: its
// scenario's or its sources'.
func scenarioEvents(rs restored) []model.Event {
	var events []model.Event
	for i, e := range rs.events {
		if !rs.actions[i] {
			events = append(events, e)
		}
	}
	return events
}
