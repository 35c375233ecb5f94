package model

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMembersAndLocate(t *testing.T) {
	raw := []byte(`{"at": "+1h", "hosts": {"group": "wms", "recovered": 3, "state": null}, "text": "x"}`)
	got := members(raw)
	for _, want := range []string{"/at", "/hosts", "/hosts/group", "/hosts/recovered", "/text"} {
		if !got[want] {
			t.Errorf("members lack %s: %v", want, got)
		}
	}
	if got["/hosts/state"] {
		t.Errorf("a null member is not present: %v", got)
	}
	for _, tt := range []struct {
		ptr  string
		key  bool
		want string
	}{
		{"/hosts/recovered", false, "3"},
		{"/hosts/recovered", true, `"recovered"`},
		{"/hosts", false, `{"group"`},
		{"/text", false, `"x"`},
		{"/hosts/missing", false, `{"group"`},
	} {
		off := locate(raw, tt.ptr, tt.key)
		if !strings.HasPrefix(string(raw[off:]), tt.want) {
			t.Errorf("locate(%s, %v) at %q, want %q", tt.ptr, tt.key, raw[off:min(off+12, len(raw))], tt.want)
		}
	}
}

func TestWireRoundTripEveryKind(t *testing.T) {
	origin := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	in, sh := 1.5e3, 0.25
	events := []Event{
		{At: time.Hour + 3*time.Nanosecond, Source: "s", Text: "t", Body: HostStatus{Group: "g", Recovered: 3, Total: 10, Failed: 2, State: HostsDown}},
		{At: 2 * time.Hour, Body: BacklogObservation{Waiting: 12, Inflow: &in, Shipped: &sh}},
		{At: 2 * time.Hour, Body: BacklogObservation{Waiting: 0}},
		{Body: CarrierWarning{ID: "w", Carrier: "ups", Phase: WarningUpdated, Severity: SeverityMajor, Region: "US", Headline: "h", Body: "b"}},
		{Body: SellerComplaint{Seller: "a", Channel: "forums", Topic: "t", Text: "x"}},
		{Body: RunbookStepChange{Step: "s", State: StepDone, By: "ic"}},
		{Body: Inject{ID: "i", Title: "t", Prompt: "p", Questions: []string{"q"}, Expected: []string{"e1", "e2"}, Notes: "n"}},
		{Body: Note{Author: "ic", Text: "n"}},
		{Body: StatusUpdate{From: "f", Text: "t"}},
		{Body: Acknowledgement{Warning: "w", By: "ic"}},
		{Body: SourceHealth{Source: "s", Status: HealthStale, Error: "e", LastData: -1, Feeds: []Kind{KindHostStatus}, Dropped: []DropCount{{Reason: "r", Count: 2}}}},
		{Body: SourceHealth{Source: "s", Status: HealthOK, LastData: 90 * time.Minute}},
		{Body: InjectControl{Inject: "i", Action: InjectHold, By: "f"}},
		{Body: Decision{Inject: "i", By: "b", Text: "d", Wall: time.Date(2026, 12, 1, 9, 30, 1, 5, time.UTC)}},
		{Body: ExpectedCheck{Inject: "i", Item: 0, Done: true, By: "f"}},
		{Body: WhatIf{Factor: 0.8, From: 8 * time.Hour, By: "f"}},
		{Body: AlertAck{Alert: "a", By: "ic"}},
		{At: 12 * time.Hour, Source: "responder:bo", Body: CommsSent{Template: "seller", Audience: "sellers", Text: "Line one.\n\n\tLine two: 1,200 late."}},
	}
	roundTrip(t, origin, events)
}

// roundTrip checks that each event, encoded and decoded again, is itself.
func roundTrip(t *testing.T, origin time.Time, events []Event) {
	t.Helper()
	dec := NewJournalDecoder(origin)
	for _, e := range events {
		line, err := EncodeEvent(e, origin)
		if err != nil {
			t.Fatalf("encode %#v: %v", e, err)
		}
		got, timed, err := dec.Event(line)
		if err != nil {
			t.Fatalf("decode %s: %v", line, err)
		}
		if !timed || !reflect.DeepEqual(got, e) {
			t.Errorf("round trip of %s:\n got %#v\nwant %#v", line, got, e)
		}
	}
}

// An event the library's own readers take differently from the format's
// (a time with a zone offset, lower-case t and z, a count written 12.0) is
// read again and comes out as its plain form does.
func TestWireDecoderPlainAndFormatReadersAgree(t *testing.T) {
	origin := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	decode := func(s string) Event {
		t.Helper()
		e, _, err := NewWireDecoder("t", origin, func() time.Duration { return 0 }).Event([]byte(s))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		return e
	}
	for _, pair := range [][2]string{
		{`{"time":"2024-07-19T12:51:00+02:00","hosts":{"group":"g","recovered":12}}`, `{"time":"2024-07-19T10:51:00Z","hosts":{"group":"g","recovered":12}}`},
		{`{"time":"2024-07-19t10:51:00z","hosts":{"group":"g","recovered":12}}`, `{"at":"+6h42m","hosts":{"group":"g","recovered":12}}`},
		{`{"at":"+6h42m","hosts":{"group":"g","recovered":12.0}}`, `{"at":"T+06:42","hosts":{"group":"g","recovered":12}}`},
		{`{"at":"1m","decision":{"text":"t","wall":"2024-07-19T12:51:00+02:00"}}`, `{"at":"1m","decision":{"text":"t","wall":"2024-07-19T10:51:00Z"}}`},
	} {
		if a, b := decode(pair[0]), decode(pair[1]); !reflect.DeepEqual(a, b) {
			t.Errorf("%s\n  = %+v\n%s\n  = %+v", pair[0], a, pair[1], b)
		}
	}
}
