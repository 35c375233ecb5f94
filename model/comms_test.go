package model

import (
	"strings"
	"testing"
	"time"
)

// TestCommsSentApply: a sent update is kept in the order sent with its
// sender taken from the event's source, and its timeline line carries the
// full text on one line.
func TestCommsSentApply(t *testing.T) {
	s := NewState(testScenario())
	Apply(&s, Event{At: 12 * time.Hour, Source: "responder:bo",
		Body: CommsSent{Template: "seller", Audience: "sellers", Text: "Orders are late.\n\n  ETA T+30h.\n"}})
	c := s.Clone()
	Apply(&s, Event{At: 13 * time.Hour, Source: "responder:ana", Body: CommsSent{Template: "leadership", Text: "Update."}})
	Apply(&c, Event{At: 14 * time.Hour, Source: "responder:cy", Body: CommsSent{Template: "carrier", Text: "Note."}})

	want := []SentUpdate{
		{At: 12 * time.Hour, By: "bo", Template: "seller", Audience: "sellers", Text: "Orders are late.\n\n  ETA T+30h.\n"},
		{At: 13 * time.Hour, By: "ana", Template: "leadership", Text: "Update."},
	}
	if len(s.Sent) != len(want) {
		t.Fatalf("sent = %+v, want %+v", s.Sent, want)
	}
	for i := range want {
		if s.Sent[i] != want[i] {
			t.Errorf("sent[%d] = %+v, want %+v", i, s.Sent[i], want[i])
		}
	}
	if len(c.Sent) != 2 || c.Sent[1].By != "cy" {
		t.Errorf("the clone shares its sent list with the original: %+v", c.Sent)
	}
	lines := []string{}
	for _, e := range s.Timeline {
		if e.Kind == KindCommsSent {
			lines = append(lines, e.Text)
		}
	}
	wantLines := []string{
		"update sent (seller to sellers) by bo: Orders are late. | ETA T+30h.",
		"update sent (leadership) by ana: Update.",
	}
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("timeline lines:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
}

// TestCommsSentChecks: a sent update without a template or a text is
// refused, naming the field; the kind is the wire format's only.
func TestCommsSentChecks(t *testing.T) {
	origin := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	dec := NewWireDecoder("ndjson", origin, func() time.Duration { return 0 })
	for _, tt := range []struct{ line, want string }{
		{`{"at":"+1h","comms_sent":{"text":"x"}}`, "template"},
		{`{"at":"+1h","comms_sent":{"template":"seller"}}`, "text"},
		{`{"at":"+1h","comms_sent":{"template":"seller","text":""}}`, "text"},
	} {
		if _, _, err := dec.Event([]byte(tt.line)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one naming %s", tt.line, err, tt.want)
		}
	}
	if _, _, err := dec.Event([]byte(`{"at":"+1h","source":"responder:bo","comms_sent":{"template":"seller","text":"x"}}`)); err != nil {
		t.Errorf("a good line: %v", err)
	}
}
