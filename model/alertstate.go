package model

import (
	"slices"
	"time"
)

// Alert is one rule as it stands in a room: the rule, whether it fires
// now, and its firings, oldest first.
type Alert struct {
	Rule    AlertRule
	Active  bool
	Firings []AlertFiring // at most MaxAlertFirings, the oldest dropped
	next    time.Duration // the next minute the rule is evaluated at
	// acks are the acknowledgements of the rule, in time order (at most
	// MaxAlertFirings). An ack covers every firing at or before its time,
	// whenever the firing was evaluated: rules on history are evaluated
	// after the events of a fold, acks among them.
	acks []alertAck
}

// alertAck is one acknowledgement of a rule.
type alertAck struct {
	at time.Duration
	by string
}

// AlertFiring is one time a rule fired: when, why, when it cleared and
// who acknowledged it.
type AlertFiring struct {
	FiredAt   time.Duration
	Detail    string // what made it fire, e.g. "label-manifest 150/380, none back in 45m"
	Cleared   bool
	ClearedAt time.Duration
	Acked     bool
	AckedBy   string
	AckedAt   time.Duration
}

// MaxAlertFirings bounds the firings kept per rule: a rule that flaps for
// days keeps its latest ones.
const MaxAlertFirings = 64

// AlertAck is a responder acknowledging a rule's firings that nobody has
// acknowledged yet (the one firing now, and any before it).
type AlertAck struct {
	Alert string `json:"alert" check:"required" doc:"The id of an alert rule."`
	By    string `json:"by,omitzero" doc:"The responder's handle."`
}

// Kind is alert-ack.
func (AlertAck) Kind() Kind { return KindAlertAck }

// KindAlertAck is a responder acknowledging an alert.
const KindAlertAck Kind = "alert-ack"

// KindAlert marks the timeline lines a view makes of alerts firing and
// clearing (they are not in State.Timeline, see AlertLines).
const KindAlert Kind = "alert"

// newAlerts is the alerts of a scenario's rules, none firing.
func newAlerts(rules []AlertRule) []Alert {
	if len(rules) == 0 {
		return nil
	}
	out := make([]Alert, len(rules))
	for i, r := range rules {
		out[i] = Alert{Rule: r}
	}
	return out
}

// cloneAlerts copies the alerts and their firings.
func cloneAlerts(as []Alert) []Alert {
	if as == nil {
		return nil
	}
	c := slices.Clone(as)
	for i := range c {
		c[i].Firings = slices.Clone(c[i].Firings)
		c[i].acks = slices.Clip(c[i].acks) // only appended to
	}
	return c
}

// Unacked reports whether the firing still waits for a responder.
func (f AlertFiring) Unacked() bool { return !f.Acked }

// Latest is the rule's latest firing, and false before any.
func (a Alert) Latest() (AlertFiring, bool) {
	if len(a.Firings) == 0 {
		return AlertFiring{}, false
	}
	return a.Firings[len(a.Firings)-1], true
}

// Alert finds a rule's alert by the rule's id.
func (s State) Alert(id string) (Alert, bool) {
	for _, a := range s.Alerts {
		if a.Rule.ID == id {
			return a, true
		}
	}
	return Alert{}, false
}

// UnackedAlerts are the rules whose latest firing nobody has acknowledged,
// firing or cleared since: those firing first, then the most recent
// firing first.
func (s State) UnackedAlerts() []Alert {
	var out []Alert
	for _, a := range s.Alerts {
		if f, ok := a.Latest(); ok && !f.Acked {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b Alert) int {
		if a.Active != b.Active {
			if a.Active {
				return -1
			}
			return 1
		}
		fa, _ := a.Latest()
		fb, _ := b.Latest()
		return int(fb.FiredAt - fa.FiredAt)
	})
	return out
}

// ActiveAlert reports whether a rule concerning pane fires now, and the
// figures concerned.
func (s State) ActiveAlert(pane AlertPane) (on bool, figures []AlertFigure) {
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if !a.Active {
			continue
		}
		if p, fig := a.Rule.Target(); p == pane {
			on = true
			if fig != "" && !slices.Contains(figures, fig) {
				figures = append(figures, fig)
			}
		}
	}
	return on, figures
}

// AlertLine is a line a view shows in the timeline for an alert firing or
// clearing.
type AlertLine struct {
	At    time.Duration
	Fired bool // fired, else cleared
	Rule  string
	Text  string
}

// AlertLines are the lines of every kept firing and clearing, in time
// order (firings before clearings at one time). They are derived from
// Alerts, not kept in Timeline: alerts also fire as the clock moves
// between events, and the timeline is the events' own.
func (s State) AlertLines() []AlertLine {
	var out []AlertLine
	for _, a := range s.Alerts {
		title := a.Rule.Title()
		for _, f := range a.Firings {
			text := "ALERT " + title
			if f.Detail != "" {
				text += ": " + f.Detail
			}
			out = append(out, AlertLine{At: f.FiredAt, Fired: true, Rule: a.Rule.ID, Text: text})
			if f.Cleared {
				out = append(out, AlertLine{At: f.ClearedAt, Rule: a.Rule.ID, Text: "alert cleared: " + title})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b AlertLine) int {
		switch {
		case a.At != b.At:
			return int(a.At - b.At)
		case a.Fired != b.Fired:
			if a.Fired {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// ackFiring marks a new firing acknowledged when an ack at or after its
// time is known already.
func (a *Alert) ackFiring(f *AlertFiring) {
	i, _ := slices.BinarySearchFunc(a.acks, f.FiredAt, func(k alertAck, t time.Duration) int {
		if k.at < t {
			return -1
		}
		return 1
	})
	if i < len(a.acks) {
		f.Acked, f.AckedBy, f.AckedAt = true, a.acks[i].by, a.acks[i].at
	}
}

// applyAlertAck acknowledges the rule's firings nobody has acknowledged
// yet. It reports whether the rule is known.
func applyAlertAck(s *State, at time.Duration, b AlertAck) bool {
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if a.Rule.ID != b.Alert {
			continue
		}
		a.acks = append(a.acks, alertAck{at: at, by: b.By})
		if len(a.acks) > MaxAlertFirings {
			a.acks = append([]alertAck(nil), a.acks[len(a.acks)-MaxAlertFirings:]...)
		}
		changed := true
		for j := range a.Firings {
			if f := &a.Firings[j]; !f.Acked {
				f.Acked, f.AckedBy, f.AckedAt = true, b.By, at
				changed = true
			}
		}
		if changed {
			s.Rev.Alerts++
		}
		return true
	}
	return false
}
