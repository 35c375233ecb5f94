package model

import (
	"fmt"
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
	if e.At > s.Now {
		s.Now = e.At
	}
	s.Applied++
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
		s.Injects = append(s.Injects, FiredInject{At: e.At, ID: b.ID, Title: b.Title, Prompt: b.Prompt})
		s.Rev.Injects++
	case Acknowledgement:
		applyAck(s, e.At, b)
	case SourceHealth:
		applySourceHealth(s, e.At, b)
	}
	if text := timelineText(s, e); text != "" {
		kind := Kind("")
		if e.Body != nil {
			kind = e.Body.Kind()
		}
		s.Timeline = append(s.Timeline, Entry{At: e.At, Kind: kind, Source: e.Source, Text: text})
		s.Rev.Timeline++
	}
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
	if b.State != "" {
		g.State = b.State
	}
	g.UpdatedAt = at
	g.Seen = true
	// Always append, never edit a point in place: clones share the history.
	g.History = append(g.History, HostPoint{At: at, Recovered: b.Recovered})
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
	s.Backlog.Points = append(s.Backlog.Points, p)
	if b.Waiting > s.Backlog.Peak {
		s.Backlog.Peak, s.Backlog.PeakAt = b.Waiting, at
	}
	s.Rev.Backlog++
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
	s.Complaints.Posts = append(s.Complaints.Posts, Complaint{
		At: at, Seller: b.Seller, Channel: b.Channel, Topic: b.Topic, Text: b.Text,
	})
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

func applySourceHealth(s *State, at time.Duration, b SourceHealth) {
	st := SourceStatus{Name: b.Source, Status: b.Status, Error: b.Error, At: at}
	s.Rev.Sources++
	for i := range s.Sources {
		if s.Sources[i].Name == b.Source {
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
	case Note:
		return fmt.Sprintf("note (%s): %s", b.Author, b.Text)
	case StatusUpdate:
		return fmt.Sprintf("%s: %s", b.From, b.Text)
	case Acknowledgement:
		if w, ok := s.Warning(b.Warning); ok {
			return fmt.Sprintf("%s acknowledged %s warning: %s", b.By, w.CarrierName, w.Headline)
		}
	case SourceHealth:
		if b.Status != HealthOK {
			return fmt.Sprintf("source %s %s: %s", b.Source, b.Status, b.Error)
		}
	}
	return ""
}
