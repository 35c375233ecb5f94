package model

import (
	"fmt"
	"strings"
	"time"
)

// CommsSent records a status update as it went out: which draft it was made
// from, whom it was for and its full text, as the responder edited it. Who
// sent it is the event's Source ("responder:NAME"), as for any action.
type CommsSent struct {
	Template string `json:"template" check:"required" doc:"The draft it was made from, e.g. customer, seller, leadership, carrier."`
	Audience string `json:"audience,omitzero" doc:"Whom it was sent to, e.g. \"Seller Fulfilled Prime sellers\"."`
	Text     string `json:"text" check:"required" sanitize:"text" doc:"The update's full text as sent."`
}

// Kind is comms-sent.
func (CommsSent) Kind() Kind { return KindCommsSent }

// KindCommsSent is a responder marking a status update as sent.
const KindCommsSent Kind = "comms-sent"

// SentUpdate is a status update as the room recorded it.
type SentUpdate struct {
	At       time.Duration
	By       string // the responder's handle (the event's source without "responder:")
	Template string
	Audience string
	Text     string
}

// MaxSent bounds the sent updates a state keeps.
const MaxSent = 20_000

// applyCommsSent keeps the update, in the order sent.
func applyCommsSent(s *State, e Event, b CommsSent) {
	s.Sent = bounded(append(s.Sent, SentUpdate{At: e.At, By: sender(e.Source), Template: b.Template,
		Audience: b.Audience, Text: b.Text}), MaxSent)
}

// sender is the handle of a responder's event source; any other source as
// it is.
func sender(source string) string {
	if h, ok := strings.CutPrefix(source, "responder:"); ok && h != "" {
		return h
	}
	return source
}

// commsLine is a sent update's timeline line: who sent which draft to whom,
// and the full text, its lines joined by " | " so that it stays one entry.
func commsLine(e Event, b CommsSent) string {
	to := ""
	if b.Audience != "" {
		to = " to " + b.Audience
	}
	return fmt.Sprintf("update sent (%s%s) by %s: %s", b.Template, to, sender(e.Source), oneLine(b.Text))
}

// oneLine joins a text's non-blank lines with " | ".
func oneLine(text string) string {
	var parts []string
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " | ")
}
