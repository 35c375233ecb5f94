package model

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Apply folds one event into the state, in place. It is deterministic: it
// reads no clock and does no I/O, so replaying the same events from the same
// start always gives the same state. Events that refer to things the state
// does not know (a warning never issued, a step not in the runbook) change
// nothing but the timeline, so a bad live source cannot corrupt the picture.
func Apply(s *State, e Event) {
	if s.hostIndex == nil {
		*s = NewState(nil)
	}
	if len(s.Alerts) > 0 {
		evaluateAlerts(s, e.At, false, !s.listsAside) // the minutes before this event, without it
	}
	if e.At > s.Now {
		s.Now = e.At
	}
	s.Applied++
	if len(s.Sources) > 0 && e.Body != nil {
		noteFeed(s, e.Source, e.Body.Kind())
	}
	switch b := e.Body.(type) {
	case HostStatus:
		applyHosts(s, e.At, b)
	case BacklogObservation:
		applyBacklog(s, e.At, b)
	case CarrierWarning:
		applyWarning(s, e.At, b)
	case SellerComplaint:
		applyComplaint(s, e.At, b)
		return // complaints have their own pane; the timeline would drown
	case RunbookStepChange:
		applyStep(s, e.At, b)
	case Inject:
		_, scheduled := s.injectIndex[b.ID]
		if !applyInject(s, e.At, b) {
			return // held, skipped or already fired: nothing reaches the room
		}
		if !scheduled {
			markAdHoc(s, b.ID, e)
		}
	case InjectControl:
		if !applyInjectControl(s, e.At, b) {
			return
		}
	case Decision:
		applyDecision(s, e.At, b)
	case ExpectedCheck:
		applyCheck(s, b)
	case WhatIf:
		s.WhatIf = b
		if b.Factor == 1 {
			s.WhatIf = WhatIf{}
		}
		s.Rev.Injects++
	case Acknowledgement:
		applyAck(s, e.At, b)
	case AlertAck:
		if !applyAlertAck(s, e.At, b) {
			return // nothing to acknowledge: no line either
		}
	case SourceHealth:
		applySourceHealth(s, e.At, b)
	case CommsSent:
		applyCommsSent(s, e, b)
	}
	recordHotWash(s, e)
	if text := timelineText(s, e); text != "" {
		kind := Kind("")
		if e.Body != nil {
			kind = e.Body.Kind()
		}
		s.Timeline = bounded(append(s.Timeline, Entry{At: e.At, Kind: kind, Source: e.Source, Text: text,
			Facilitator: facilitatorOnly(s, e)}), MaxTimeline)
		s.Rev.Timeline++
	}
}

// facilitatorOnly reports whether an event's timeline line must be hidden
// from players: a facilitator holding, releasing early or skipping an inject
// would reveal what is coming. Delivering one is for everybody.
func facilitatorOnly(s *State, e Event) bool {
	if hotWashFacilitatorOnly(e.Body) {
		return true
	}
	c, ok := e.Body.(InjectControl)
	if !ok {
		return false
	}
	in, _ := s.InjectByID(c.Inject)
	return !(in.Status == InjectFired && in.FiredAt == e.At)
}

// Bounds on the history a State keeps, so that a console fed live for days
// stays within a fixed amount of memory. Counts, totals and peaks are kept
// exactly; only the oldest entries of these lists are dropped.
const (
	MaxBacklogPoints = 200_000 // about 23 days at one point every 10 s
	MaxHostHistory   = 20_000  // per host group
	MaxPosts         = 20_000  // seller posts kept for the list
	MaxTimeline      = 20_000
	MaxDecisions     = 20_000
)

// bounded drops the oldest half of a list that grew past max. Halving keeps
// the cost amortised O(1), and reslicing never writes to an array that a
// clone may share.
func bounded[T any](s []T, max int) []T {
	if len(s) <= max {
		return s
	}
	return s[len(s)-max/2:]
}

func applyHosts(s *State, at time.Duration, b HostStatus) {
	i, ok := s.hostIndex[b.Group]
	if !ok {
		// A live source may report a group the scenario did not declare.
		i = len(s.Hosts)
		s.hostIndex[b.Group] = i
		s.Hosts = append(s.Hosts, HostGroup{ID: b.Group, Name: b.Group})
	}
	g := &s.Hosts[i]
	if b.Total > 0 {
		g.Total = b.Total
	}
	g.Recovered = b.Recovered
	g.Failed = b.Failed
	g.Steps = b.Steps
	if b.State != "" {
		g.State = b.State
	}
	g.UpdatedAt = at
	g.Seen = true
	// Always append, never edit a point in place: clones share the history.
	g.History = bounded(append(g.History, HostPoint{At: at, Recovered: b.Recovered, Failed: b.Failed, Steps: b.Steps}), MaxHostHistory)
	s.Rev.Hosts++
}

func applyBacklog(s *State, at time.Duration, b BacklogObservation) {
	p := BacklogPoint{At: at, Waiting: b.Waiting}
	if b.Inflow != nil {
		p.Inflow, p.HasInflow = *b.Inflow, true
	}
	if b.Shipped != nil {
		p.Shipped, p.HasShipped = *b.Shipped, true
	}
	p.Late, p.HasLate = b.LateCount()
	if len(b.Promise) > 0 {
		p.promise, p.promiseN = &b.Promise[0], int32(min(len(b.Promise), math.MaxInt32))
		notePromiseClasses(&s.Backlog, b.Promise)
	}
	s.Backlog.Points = bounded(append(s.Backlog.Points, p), MaxBacklogPoints)
	if !s.Backlog.hasBaseline {
		s.Backlog.baseline, s.Backlog.hasBaseline = b.Waiting, true
	}
	if b.Waiting > s.Backlog.Peak {
		s.Backlog.Peak, s.Backlog.PeakAt = b.Waiting, at
	}
	s.Rev.Backlog++
}

// notePromiseClasses adds the classes a live source reports that the
// scenario did not declare, named by their ids.
func notePromiseClasses(b *Backlog, split []PromiseCount) {
	for _, pc := range split {
		known := false
		for _, c := range b.Classes {
			if c.ID == pc.Class {
				known = true
				break
			}
		}
		if !known && pc.Class != "" {
			b.Classes = append(b.Classes, PromiseClass{ID: pc.Class, Name: pc.Class})
		}
	}
}

func applyWarning(s *State, at time.Duration, b CarrierWarning) {
	i, ok := s.warningIndex[b.ID]
	if !ok {
		if b.Phase == WarningResolved {
			return // a resolution of a notice never seen: nothing to close
		}
		s.warningIndex[b.ID] = len(s.Warnings)
		name := s.carrierNames[b.Carrier]
		if name == "" {
			name = b.Carrier
		}
		s.Warnings = append(s.Warnings, Warning{
			ID: b.ID, Carrier: b.Carrier, CarrierName: name, Severity: b.Severity, Region: b.Region,
			Headline: b.Headline, Body: b.Body, IssuedAt: at, UpdatedAt: at,
		})
		s.Rev.Warnings++
		return
	}
	w := &s.Warnings[i]
	if b.Severity != "" && b.Severity.Rank() > w.Severity.Rank() {
		w.Acked, w.AckedBy = false, "" // an escalation needs a fresh look
	}
	if b.Severity != "" {
		w.Severity = b.Severity
	}
	if b.Region != "" {
		w.Region = b.Region
	}
	if b.Headline != "" {
		w.Headline = b.Headline
	}
	if b.Body != "" {
		w.Body = b.Body
	}
	w.UpdatedAt = at
	switch b.Phase {
	case WarningResolved:
		w.Resolved, w.ResolvedAt = true, at
	default:
		if b.Phase == WarningUpdated {
			w.Updates++
		}
		w.Resolved = false
	}
	s.Rev.Warnings++
}

func applyComplaint(s *State, at time.Duration, b SellerComplaint) {
	s.Complaints.Total++
	s.Complaints.Posts = bounded(append(s.Complaints.Posts, Complaint{
		At: at, Seller: b.Seller, Channel: b.Channel, Topic: b.Topic, Text: b.Text,
	}), MaxPosts)
	i, ok := s.topicIndex[b.Topic]
	if !ok {
		i = len(s.Complaints.Topics)
		s.topicIndex[b.Topic] = i
		s.Complaints.Topics = append(s.Complaints.Topics, TopicStat{ID: b.Topic, Name: b.Topic})
	}
	t := &s.Complaints.Topics[i]
	t.Count++
	if h := int(at / time.Hour); h >= 0 {
		for len(t.Hourly) <= h {
			t.Hourly = append(t.Hourly, 0)
		}
		t.Hourly[h]++
	}
	s.Rev.Complaints++
}

// addInject registers an inject as pending (from the scenario, or the first
// time a live source sends one).
func (s *State) addInject(in Inject, due time.Duration) int {
	if i, ok := s.injectIndex[in.ID]; ok {
		return i
	}
	s.injectIndex[in.ID] = len(s.Injects)
	s.Injects = append(s.Injects, InjectState{Inject: in, Due: due, Status: InjectPending,
		Checked: make([]bool, len(in.Expected))})
	return len(s.Injects) - 1
}

// applyInject is an inject's scheduled time arriving. It reports whether the
// inject was delivered now.
func applyInject(s *State, at time.Duration, b Inject) bool {
	i := s.addInject(b, at)
	in := &s.Injects[i]
	s.Rev.Injects++
	switch in.Status {
	case InjectPending:
		in.Status, in.FiredAt = InjectFired, at
		s.Current = i
		return true
	case InjectHeld:
		in.Reached = true
	}
	return false
}

// applyInjectControl is the facilitator firing, skipping, holding or
// releasing an inject. It reports whether anything changed.
func applyInjectControl(s *State, at time.Duration, b InjectControl) bool {
	i, ok := s.injectIndex[b.Inject]
	if !ok {
		return false
	}
	in := &s.Injects[i]
	before := *in
	switch {
	case b.Action == InjectFire && (in.Status == InjectPending || in.Status == InjectHeld),
		b.Action == InjectRelease && in.Status == InjectHeld && (in.Reached || at >= in.Due):
		in.Status, in.FiredAt = InjectFired, at
		s.Current = i
	case b.Action == InjectRelease && in.Status == InjectHeld:
		in.Status = InjectPending // released before its time: it fires on schedule
	case b.Action == InjectSkip && (in.Status == InjectPending || in.Status == InjectHeld):
		in.Status = InjectSkipped
	case b.Action == InjectHold && in.Status == InjectPending:
		in.Status = InjectHeld
	}
	if in.Status == before.Status {
		return false
	}
	s.Rev.Injects++
	return true
}

func applyDecision(s *State, at time.Duration, b Decision) {
	id := b.Inject
	if id == "" {
		if in, ok := s.CurrentInject(); ok {
			id = in.ID
		}
	}
	s.Decisions = bounded(append(s.Decisions, DecisionRecord{At: at, Wall: b.Wall, Inject: id, By: b.By, Text: b.Text}), MaxDecisions)
	s.Rev.Injects++
}

func applyCheck(s *State, b ExpectedCheck) {
	i, ok := s.injectIndex[b.Inject]
	if !ok || b.Item < 0 || b.Item >= len(s.Injects[i].Checked) {
		return
	}
	s.Injects[i].Checked[b.Item] = b.Done
	s.Injects[i].Scored = true
	s.Rev.Injects++
}

func applyStep(s *State, at time.Duration, b RunbookStepChange) {
	i, ok := s.stepIndex[b.Step]
	if !ok {
		return
	}
	st := &s.Runbook[i]
	st.State, st.ChangedAt, st.By = b.State, at, b.By
	s.Rev.Runbook++
}

func applyAck(s *State, at time.Duration, b Acknowledgement) {
	i, ok := s.warningIndex[b.Warning]
	if !ok {
		return
	}
	w := &s.Warnings[i]
	w.Acked, w.AckedBy, w.AckedAt = true, b.By, at
	s.Rev.Warnings++
}

// noteFeed remembers that a live source produced events of a kind, so that
// the panes showing that kind can show the source's health.
func noteFeed(s *State, source string, kind Kind) {
	if kind == KindSourceHealth {
		return
	}
	for i := range s.Sources {
		st := &s.Sources[i]
		if st.Name != source {
			continue
		}
		if !slices.Contains(st.Feeds, kind) {
			st.Feeds = append(slices.Clip(st.Feeds), kind) // clones share the old array
			s.Rev.Sources++
		}
		return
	}
}

func applySourceHealth(s *State, at time.Duration, b SourceHealth) {
	st := SourceStatus{Name: b.Source, Status: b.Status, Error: b.Error, At: at, FirstAt: at, LastData: b.LastData, Feeds: b.Feeds,
		Dropped: b.Dropped}
	s.Rev.Sources++
	for i := range s.Sources {
		if s.Sources[i].Name == b.Source {
			st.FirstAt = s.Sources[i].FirstAt
			// A source started again (a room restarted on its journal) has
			// had no data of its own yet; the room's last data from it stands.
			if st.LastData < 0 {
				st.LastData = s.Sources[i].LastData
			}
			for _, k := range s.Sources[i].Feeds { // keep what it was seen to produce
				if !slices.Contains(st.Feeds, k) {
					st.Feeds = append(slices.Clip(st.Feeds), k)
				}
			}
			s.Sources[i] = st
			return
		}
	}
	s.Sources = append(s.Sources, st)
}

// timelineText is the line an event leaves in the timeline, or "" for events
// too frequent to list (host counts and backlog figures without a text).
func timelineText(s *State, e Event) string {
	if e.Text != "" {
		return e.Text
	}
	switch b := e.Body.(type) {
	case CarrierWarning:
		w, ok := s.Warning(b.ID)
		if !ok {
			return ""
		}
		phase := b.Phase
		if phase == "" {
			phase = WarningIssued
		}
		return fmt.Sprintf("%s %s %s: %s", w.CarrierName, strings.ToUpper(string(w.Severity)), phase, w.Headline)
	case RunbookStepChange:
		if i, ok := s.stepIndex[b.Step]; ok {
			who := ""
			if b.By != "" {
				who = " (" + b.By + ")"
			}
			return fmt.Sprintf("runbook %s: %s%s", b.State, s.Runbook[i].Title, who)
		}
	case Inject:
		return "INJECT " + b.Title
	case InjectControl:
		in, _ := s.InjectByID(b.Inject)
		verb := map[InjectAction]string{InjectFire: "fired", InjectSkip: "skipped", InjectHold: "held", InjectRelease: "released"}[b.Action]
		line := fmt.Sprintf("facilitator %s inject: %s", verb, in.Title)
		if in.Status == InjectFired && in.FiredAt == e.At {
			line = "INJECT " + in.Title + " (" + verb + " by the facilitator)"
		}
		return line
	case Decision:
		return fmt.Sprintf("decision (%s): %s", b.By, b.Text)
	case Observation, Finding, ActionItem, ScoreComment:
		return hotWashLine(s, e)
	case WhatIf:
		if b.Factor == 0 || b.Factor == 1 {
			return "what-if cleared"
		}
		return fmt.Sprintf("what-if: shipping capacity ×%g from %s", b.Factor, FormatOffset(b.From))
	case Note:
		return fmt.Sprintf("note (%s): %s", b.Author, b.Text)
	case StatusUpdate:
		return fmt.Sprintf("%s: %s", b.From, b.Text)
	case Acknowledgement:
		if w, ok := s.Warning(b.Warning); ok {
			return fmt.Sprintf("%s acknowledged %s warning: %s", b.By, w.CarrierName, w.Headline)
		}
	case CommsSent:
		return commsLine(e, b)
	case AlertAck:
		if a, ok := s.Alert(b.Alert); ok {
			return fmt.Sprintf("%s acknowledged alert: %s", b.By, a.Rule.Title())
		}
	case SourceHealth:
		if b.Status != HealthOK {
			return fmt.Sprintf("source %s %s: %s", b.Source, b.Status, b.Error)
		}
	}
	return ""
}
