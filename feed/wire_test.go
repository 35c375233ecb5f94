package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// testClock has T+0 at 04:09 UTC on the day of the incident and a fixed now.
var testClock = Clock{
	Origin: time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC),
	Now:    func() time.Time { return time.Date(2024, 7, 19, 11, 0, 0, 0, time.UTC) },
}

func rateOf(f float64) *float64 { return &f }

// The kind keys and the event's fields as the decoder's messages list them.
const (
	kindList  = "hosts, backlog, warning, complaint, step, inject, note, update, ack, source_health, inject_control, decision, check, score_comment, observation, finding, action_item, whatif, alert_ack, comms_sent"
	fieldList = "time, at, source, text, " + kindList
)

func TestDecodeEvent(t *testing.T) {
	now := 6*time.Hour + 51*time.Minute // testClock's now
	tests := []struct {
		name string
		in   string
		want model.Event
	}{
		{"hosts with time", `{"time":"2024-07-19T10:51:00Z","source":"prometheus","hosts":{"group":"wms-fulfilment","recovered":712,"total":1240,"failed":3,"state":"recovering"}}`,
			model.Event{At: 6*time.Hour + 42*time.Minute, Source: "prometheus",
				Body: model.HostStatus{Group: "wms-fulfilment", Recovered: 712, Total: 1240, Failed: 3, State: model.HostsRecovering}}},
		{"time with zone and fraction", `{"time":"2024-07-19T12:51:00.5+02:00","hosts":{"group":"g","recovered":0}}`,
			model.Event{At: 6*time.Hour + 42*time.Minute + 500*time.Millisecond, Body: model.HostStatus{Group: "g"}}},
		{"offset", `{"at":"+6h42m","backlog":{"waiting":1420000,"inflow":95000,"shipped":1.5e3}}`,
			model.Event{At: 6*time.Hour + 42*time.Minute, Body: model.BacklogObservation{Waiting: 1420000, Inflow: rateOf(95000), Shipped: rateOf(1500)}}},
		{"offset as T+hh:mm", `{"at":"T+06:42","backlog":{"waiting":0}}`,
			model.Event{At: 6*time.Hour + 42*time.Minute, Body: model.BacklogObservation{}}},
		{"no time: now", `{"note":{"author":"ic","text":"hello"}}`,
			model.Event{At: now, Body: model.Note{Author: "ic", Text: "hello"}}},
		{"nulls are absent", `{"time":null,"source":null,"backlog":{"waiting":7,"inflow":null}}`,
			model.Event{At: now, Body: model.BacklogObservation{Waiting: 7}}},
		{"warning issued by default", `{"at":"1h","warning":{"id":"ups-1","carrier":"ups","severity":"major","region":"US","headline":"Delays","body":"More."}}`,
			model.Event{At: time.Hour, Body: model.CarrierWarning{ID: "ups-1", Carrier: "ups", Phase: model.WarningIssued,
				Severity: model.SeverityMajor, Region: "US", Headline: "Delays", Body: "More."}}},
		{"warning resolved needs only the id", `{"at":"2h","warning":{"id":"ups-1","phase":"resolved"}}`,
			model.Event{At: 2 * time.Hour, Body: model.CarrierWarning{ID: "ups-1", Phase: model.WarningResolved}}},
		{"complaint", `{"at":"2h5m","complaint":{"seller":"Harbor & Pine","channel":"forums","topic":"late","text":"Late \"again\"\n\u00e9\ud83d\ude00"}}`,
			model.Event{At: 2*time.Hour + 5*time.Minute, Body: model.SellerComplaint{Seller: "Harbor & Pine", Channel: "forums", Topic: "late", Text: "Late \"again\"\né😀"}}},
		{"step", `{"at":"30m","step":{"step":"identify","state":"done","by":"ic"}}`,
			model.Event{At: 30 * time.Minute, Body: model.RunbookStepChange{Step: "identify", State: model.StepDone, By: "ic"}}},
		{"inject", `{"at":"3h","inject":{"id":"i","title":"T","prompt":"P","questions":["q1","q2"],"expected":["e"],"notes":"n"}}`,
			model.Event{At: 3 * time.Hour, Body: model.Inject{ID: "i", Title: "T", Prompt: "P", Questions: []string{"q1", "q2"}, Expected: []string{"e"}, Notes: "n"}}},
		{"update with text", `{"at":"5h26m","text":"AWS: working on it","update":{"from":"AWS","text":"Working on it."}}`,
			model.Event{At: 5*time.Hour + 26*time.Minute, Text: "AWS: working on it", Body: model.StatusUpdate{From: "AWS", Text: "Working on it."}}},
		{"ack", `{"at":"6h","ack":{"warning":"ups-1"}}`,
			model.Event{At: 6 * time.Hour, Body: model.Acknowledgement{Warning: "ups-1"}}},
		{"whole-number float count", `{"at":"1m","hosts":{"group":"g","recovered":12.0,"total":1e2}}`,
			model.Event{At: time.Minute, Body: model.HostStatus{Group: "g", Recovered: 12, Total: 100}}},
		{"whitespace everywhere", " {\n\"at\" : \"1m\" ,\t\"note\" : { \"author\" : \"a\" , \"text\" : \"b\" } }\r\n",
			model.Event{At: time.Minute, Body: model.Note{Author: "a", Text: "b"}}},
		{"source health", `{"time":"2024-07-19T10:51:00Z","source":"prom","source_health":{"source":"prom","status":"error","error":"connection refused","last_data":"2024-07-19T10:41:00.25Z","feeds":["hosts","backlog"],"dropped":[{"reason":"bad entry","count":3}]}}`,
			model.Event{At: 6*time.Hour + 42*time.Minute, Source: "prom", Body: model.SourceHealth{Source: "prom", Status: model.HealthError,
				Error: "connection refused", LastData: 6*time.Hour + 32*time.Minute + 250*time.Millisecond,
				Feeds: []model.Kind{model.KindHostStatus, model.KindBacklog}, Dropped: []model.DropCount{{Reason: "bad entry", Count: 3}}}}},
		{"source health without data yet", `{"at":"1m","source_health":{"source":"rss","status":"stale","feeds":[],"dropped":null}}`,
			model.Event{At: time.Minute, Body: model.SourceHealth{Source: "rss", Status: model.HealthStale, LastData: -1}}},
		{"source health with an offset", `{"at":"1m","source_health":{"source":"rss","status":"ok","last_data":"+45s"}}`,
			model.Event{At: time.Minute, Body: model.SourceHealth{Source: "rss", Status: model.HealthOK, LastData: 45 * time.Second}}},
		{"inject control", `{"at":"3h","inject_control":{"inject":"i","action":"release","by":"fac"}}`,
			model.Event{At: 3 * time.Hour, Body: model.InjectControl{Inject: "i", Action: model.InjectRelease, By: "fac"}}},
		{"decision with its wall time in UTC", `{"at":"3h","source":"responder:ic","decision":{"by":"ic","text":"post the status","wall":"2024-11-02T15:04:05.000000001+01:00"}}`,
			model.Event{At: 3 * time.Hour, Source: "responder:ic", Body: model.Decision{By: "ic", Text: "post the status",
				Wall: time.Date(2024, 11, 2, 14, 4, 5, 1, time.UTC)}}},
		{"decision against an inject", `{"at":"3h","decision":{"inject":"i","text":"t"}}`,
			model.Event{At: 3 * time.Hour, Body: model.Decision{Inject: "i", Text: "t"}}},
		{"check", `{"at":"3h","check":{"inject":"i","item":2,"done":true,"by":"fac"}}`,
			model.Event{At: 3 * time.Hour, Body: model.ExpectedCheck{Inject: "i", Item: 2, Done: true, By: "fac"}}},
		{"check undone", `{"at":"3h","check":{"inject":"i","item":0,"done":false}}`,
			model.Event{At: 3 * time.Hour, Body: model.ExpectedCheck{Inject: "i"}}},
		{"what-if from an offset", `{"at":"3h","whatif":{"factor":0.8,"from":"T+08:00","by":"fac"}}`,
			model.Event{At: 3 * time.Hour, Body: model.WhatIf{Factor: 0.8, From: 8 * time.Hour, By: "fac"}}},
		{"what-if from a time", `{"at":"3h","whatif":{"factor":2,"from":"2024-07-19T12:09:00Z"}}`,
			model.Event{At: 3 * time.Hour, Body: model.WhatIf{Factor: 2, From: 8 * time.Hour}}},
		{"what-if cleared", `{"at":"3h","whatif":{"factor":0}}`,
			model.Event{At: 3 * time.Hour, Body: model.WhatIf{}}},
		{"new kinds sanitised", `{"at":"1m","decision":{"by":"i\u001b[2Jc","text":"go\u202e!"},"text":"x"}`,
			model.Event{At: time.Minute, Text: "x", Body: model.Decision{By: "ic", Text: "go!"}}},
		{"sanitised", `{"at":"1m","source":"s\u001b[31m","text":"t\u0007","complaint":{"seller":"Harbor \u001b]0;pwned\u0007& Pine","channel":"forums","topic":"t","text":"miss\u001b[2J\u001b[H"}}`,
			model.Event{At: time.Minute, Source: "s", Text: "t", Body: model.SellerComplaint{Seller: "Harbor & Pine", Channel: "forums", Topic: "t", Text: "miss"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeEvent([]byte(tt.in), testClock)
			if err != nil {
				t.Fatalf("DecodeEvent: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeEvent:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestDecodeEventErrors(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := []struct {
		in   string
		want []string // each problem's "line:col: field: message", without the name
	}{
		{`{"at":"1m"}`, []string{"1:1: no event kind: expected exactly one of " + kindList}},
		{`{"at":"1m","note":{"author":"a","text":"b"},"ack":{"warning":"w"}}`,
			[]string{`1:45: ack: more than one event kind (note, ack): expected exactly one of ` + kindList}},
		{`{"at":"1m","colour":"red","note":{"author":"a","text":"b"}}`,
			[]string{`1:12: colour: unknown field "colour": expected one of ` + fieldList}},
		{`{"at":"1m","note":{"author":"a","text":"b","mood":"sad"}}`,
			[]string{`1:44: note.mood: unknown field "mood": expected one of author, text`}},
		{`{"at":"1m","at":"2m","note":{"author":"a","text":"b"}}`, []string{`1:12: at: duplicate field "at"`}},
		{`{"at":"1m","source":null,"source":"x","note":{"author":"a","text":"b"}}`, []string{`1:26: source: duplicate field "source"`}},
		{`{"at":"1m","time":"2024-07-19T10:51:00Z","note":{"author":"a","text":"b"}}`,
			[]string{`1:12: time: both time and at: expected only one of them`}},
		{`{"time":"yesterday","note":{"author":"a","text":"b"}}`,
			[]string{`1:9: time: bad timestamp "yesterday": expected an RFC 3339 time such as 2024-07-19T04:09:00Z`}},
		{`{"at":"soon","note":{"author":"a","text":"b"}}`,
			[]string{`1:7: at: bad offset "soon": expected an offset such as +6h42m or T+06:42, or an RFC 3339 time`}},
		{`{"at":"-5m","note":{"author":"a","text":"b"}}`,
			[]string{`1:7: at: negative offset "-5m": offsets count from T+0 and must not be negative`}},
		{`{"at":5,"note":{"author":"a","text":"b"}}`,
			[]string{`1:7: at: expected an offset such as +6h42m or T+06:42, or an RFC 3339 time, got a number 5`}},
		{`{"at":"1m","hosts":{"recovered":-1,"state":"rebooting"}}`, []string{
			`1:20: hosts.group: missing required field: expected a host group id`,
			`1:33: hosts.recovered: must be >= 0, got -1`,
			`1:44: hosts.state: unknown value "rebooting": expected one of healthy, degraded, down, recovering`}},
		{`{"at":"1m","hosts":{"group":"g","recovered":5,"total":4}}`,
			[]string{`1:45: hosts.recovered: recovered (5) exceeds total (4)`}},
		{`{"at":"1m","hosts":{"group":"g","recovered":3,"total":4,"failed":2}}`,
			[]string{`1:66: hosts.failed: recovered + failed (3 + 2) exceeds total (4)`}},
		{`{"at":"1m","hosts":{"group":"g","recovered":"3","total":0}}`, []string{
			`1:45: hosts.recovered: expected an integer >= 0, got a string "3"`,
			`1:57: hosts.total: must be >= 1, got 0`}},
		{`{"at":"1m","hosts":{"group":"g","recovered":1.5}}`,
			[]string{`1:45: hosts.recovered: expected an integer >= 0, got a number 1.5`}},
		{`{"at":"1m","hosts":{"group":"","recovered":1}}`, []string{`1:29: hosts.group: must not be empty`}},
		{`{"at":"1m","hosts":{"group":"\u001b[2J","recovered":1}}`, []string{`1:29: hosts.group: must not be empty`}},
		{`{"at":"1m","hosts":[1,2]}`, []string{`1:20: hosts: expected an object with group, recovered, total, failed, state, steps, got a list`}},
		{`{"at":"1m","backlog":{"inflow":-3}}`, []string{
			`1:22: backlog.waiting: missing required field: expected an integer >= 0`,
			`1:32: backlog.inflow: must be a number >= 0, got -3`}},
		{`{"at":"1m","warning":{"id":"w"}}`, []string{
			`1:22: warning.carrier: missing required field: expected a carrier id (required when phase is issued)`,
			`1:22: warning.severity: missing required field: expected one of info, minor, major, critical (required when phase is issued)`,
			`1:22: warning.headline: missing required field: expected a string (required when phase is issued)`}},
		{`{"at":"1m","warning":{"id":"w","phase":"gone","severity":"bad"}}`, []string{
			`1:40: warning.phase: unknown value "gone": expected one of issued, updated, resolved`,
			`1:58: warning.severity: unknown value "bad": expected one of info, minor, major, critical`}},
		{`{"at":"1m","complaint":{"seller":"s","text":"t"}}`, []string{
			`1:24: complaint.channel: missing required field: expected a string`,
			`1:24: complaint.topic: missing required field: expected a topic id`}},
		{`{"at":"1m","step":{"step":"s","state":"finished"}}`,
			[]string{`1:39: step.state: unknown value "finished": expected one of pending, active, done, skipped, blocked`}},
		{`{"at":"1m","step":{"step":"s"}}`,
			[]string{`1:19: step.state: missing required field: expected one of pending, active, done, skipped, blocked`}},
		{`{"at":"1m","inject":{"id":"i","title":"t","prompt":"p","questions":["a",""]}}`,
			[]string{`1:73: inject.questions[1]: must not be empty`}},
		{`{"at":"1m","source_health":{"status":"fine","last_data":"yesterday","feeds":"hosts"}}`, []string{
			`1:28: source_health.source: missing required field: expected a string`,
			`1:38: source_health.status: unknown value "fine": expected one of ok, stale, error`,
			`1:57: source_health.last_data: bad offset "yesterday": expected an offset such as +6h42m or T+06:42, or an RFC 3339 time`,
			`1:77: source_health.feeds: expected a list, got a string "hosts"`}},
		{`{"at":"1m","source_health":{"source":"s","status":"ok","last_data":"-5m","dropped":[{"reason":"x"},{"count":-1},7]}}`, []string{
			`1:68: source_health.last_data: negative offset "-5m": offsets count from T+0 and must not be negative`,
			`1:85: source_health.dropped[0].count: missing required field: expected an integer >= 0`,
			`1:100: source_health.dropped[1].reason: missing required field: expected a string`,
			`1:109: source_health.dropped[1].count: must be >= 0, got -1`,
			`1:113: source_health.dropped[2]: expected an object with reason, count, got a number 7`}},
		{`{"at":"1m","inject_control":{"action":"pause"}}`, []string{
			`1:29: inject_control.inject: missing required field: expected a string`,
			`1:39: inject_control.action: unknown value "pause": expected one of fire, skip, hold, release`}},
		{`{"at":"1m","decision":{"by":"ic","wall":"noon"}}`, []string{
			`1:23: decision.text: missing required field: expected a string`,
			`1:41: decision.wall: bad timestamp "noon": expected an RFC 3339 time such as 2024-07-19T04:09:00Z`}},
		{`{"at":"1m","decision":{"text":"","wall":5}}`, []string{
			`1:31: decision.text: must not be empty`,
			`1:41: decision.wall: expected an RFC 3339 time such as 2024-07-19T04:09:00Z, got a number 5`}},
		{`{"at":"1m","check":{"inject":"i","item":1.5,"done":"yes","by":"f","extra":1}}`, []string{
			`1:41: check.item: expected an integer >= 0, got a number 1.5`,
			`1:52: check.done: expected true or false, got a string "yes"`,
			`1:67: check.extra: unknown field "extra": expected one of inject, item, done, by`}},
		{`{"at":"1m","check":{"inject":"i"}}`, []string{
			`1:20: check.item: missing required field: expected an integer >= 0`}},
		{`{"at":"1m","whatif":{"factor":-0.5,"from":7}}`, []string{
			`1:31: whatif.factor: must be a number >= 0, got -0.5`,
			`1:43: whatif.from: expected an offset such as +6h42m or T+06:42, or an RFC 3339 time, got a number 7`}},
		{`{"at":"1m","whatif":{"by":"f"}}`, []string{
			`1:21: whatif.factor: missing required field: expected a number >= 0`}},
		{`{"at":"1m","source_health":{"source":"s","status":"ok"},"decision":{"text":"t"}}`,
			[]string{`1:57: decision: more than one event kind (source_health, decision): expected exactly one of ` + kindList}},
		{`{"time":"9999-01-01T00:00:00Z","note":{"author":"a","text":"b"}}`, []string{
			`1:9: time: time "9999-01-01T00:00:00Z" is too far from T+0 (2024-07-19T04:09:00Z): expected a time within 290 years of it`}},
		{`{"at":"1m","whatif":{"factor":1,"from":"0001-01-01T00:00:00Z"}}`, []string{
			`1:40: whatif.from: time "0001-01-01T00:00:00Z" is too far from T+0 (2024-07-19T04:09:00Z): expected a time within 290 years of it`}},
		{`{"at":"1m","note":{"author":"` + long + `","text":"t"}}`, nil}, // capped, not refused
		{`{"at":"1m","note":{"author":"a","text":"b"}} {}`,
			[]string{`1:46: invalid JSON: unexpected '{' after the event, expected the end of input`}},
		{`{"at":"1m","note":{"author":"a","text":"b"}`,
			[]string{`1:44: invalid JSON: unexpected end of input inside an object`}},
		{`{"at":"1m","note":{"author":"a","text":"b\x"}}`,
			[]string{"1:42: note.text: invalid JSON: invalid escape sequence `\\x` in string"}},
		{"{\"at\":\"1m\",\"note\":{\"author\":\"a\",\"text\":\"b\nc\"}}",
			[]string{`1:42: note.text: invalid JSON: invalid character '\n' in string (expecting non-control character)`}},
		{"{\n  \"at\": \"1m\",\n  \"note\": {\"author\": 7, \"text\": \"b\"}\n}",
			[]string{`3:22: note.author: expected a string, got a number 7`}},
		{`[1]`, []string{`1:1: expected an event object, got a list`}},
		{`nope`, []string{`1:1: invalid JSON: unexpected 'n', expected an event object`}},
		{``, []string{`1:1: invalid JSON: unexpected end of input, expected an event object`}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := DecodeEvent([]byte(tt.in), testClock)
			var got []string
			if err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					got = append(got, strings.TrimPrefix(line, "event:"))
				}
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Errorf("error %v (%T) is not a *DecodeError", err, err)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeEvent(%s):\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecodeEventsNDJSON(t *testing.T) {
	f, err := os.Open("testdata/wire/mixed.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, errs := DecodeEvents(f, "mixed.ndjson", testClock)
	var kinds []model.Kind
	for _, e := range events {
		kinds = append(kinds, e.Body.Kind())
	}
	wantKinds := []model.Kind{"hosts", "backlog", "warning", "complaint", "step", "note", "update", "ack", "inject"}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("kinds %v, want %v", kinds, wantKinds)
	}
	wantErrs := []string{
		`mixed.ndjson:6:59: hosts.recovered: recovered (500) exceeds total (380)`,
		`mixed.ndjson:8:1: invalid JSON: unexpected 't', expected an event object`,
		`mixed.ndjson:13:50: colour: unknown field "colour": expected one of ` + fieldList,
	}
	var gotErrs []string
	for _, err := range errs {
		gotErrs = append(gotErrs, err.Error())
	}
	if !reflect.DeepEqual(gotErrs, wantErrs) {
		t.Errorf("errors:\n got %q\nwant %q", gotErrs, wantErrs)
	}
	if len(events) == len(wantKinds) {
		c := events[3].Body.(model.SellerComplaint)
		if c.Seller != "Harbor & Pine Home Goods" || c.Text != "Next-day orders will miss the promise" {
			t.Errorf("complaint not sanitised: %#v", c)
		}
		if events[8].Body.(model.Inject).Questions[1] != "Which channel?" {
			t.Errorf("inject: %#v", events[8].Body)
		}
	}
}

func TestDecodeEventsArray(t *testing.T) {
	f, err := os.Open("testdata/wire/events.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, errs := DecodeEvents(f, "events.json", testClock)
	if len(events) != 2 || events[0].Body.Kind() != model.KindHostStatus || events[1].Body.Kind() != model.KindRunbookStep {
		t.Errorf("events %#v, want hosts and step", events)
	}
	want := []string{`events.json:5:27: backlog.waiting: must be >= 0, got -5`}
	if got := errorStrings(errs); !reflect.DeepEqual(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
}

func errorStrings(errs []error) []string {
	var out []string
	for _, err := range errs {
		out = append(out, err.Error())
	}
	return out
}

func TestDecodeEventsInputs(t *testing.T) {
	note := `{"at":"1m","note":{"author":"a","text":"b"}}`
	tests := []struct {
		name   string
		in     string
		events int
		errs   []string
	}{
		{"empty", "", 0, nil},
		{"blank lines", "\n\n  \n\r\n", 0, nil},
		{"empty array", " [ ] ", 0, nil},
		{"NDJSON without final newline", note + "\n" + note, 2, nil},
		{"CRLF lines", note + "\r\n" + note + "\r\n", 2, nil},
		{"byte order mark", "\xef\xbb\xbf" + note, 1, nil},
		{"array on one line", "[" + note + "," + note + "]", 2, nil},
		{"array with a non-object", "[" + note + ",42," + note + "]", 2, []string{"in:1:47: expected an event object, got a number 42"}},
		{"array syntax error stops it", "[" + note + ",\n" + note + "\n" + note + "," + note + "]", 2,
			[]string{"in:3:1: invalid JSON: invalid character '{' after array element (expecting ',' or ']')"}},
		{"unterminated array", "[" + note, 1, []string{"in:1:46: invalid JSON: unexpected end of input inside a list"}},
		{"data after the array", "[" + note + "] x", 1, []string{"in:1:48: invalid JSON: unexpected 'x' after the list of events, expected the end of input"}},
		{"two events on a line", note + note, 0, []string{"in:1:45: invalid JSON: unexpected '{' after the event, expected one event per line"}},
		{"column counts runes", `{"at":"1m","note":{"author":"äöü","text":7}}`, 0, []string{"in:1:42: note.text: expected a string, got a number 7"}},
		{"pretty-printed object is not NDJSON", "{\n" + `"at":"1m"}`, 0, []string{
			"in:1:2: invalid JSON: unexpected end of input inside an object",
			"in:2:1: expected an event object, got a string \"at\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, errs := DecodeEvents(strings.NewReader(tt.in), "in", testClock)
			if len(events) != tt.events {
				t.Errorf("%d events, want %d", len(events), tt.events)
			}
			if got := errorStrings(errs); !reflect.DeepEqual(got, tt.errs) {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.errs)
			}
		})
	}
}

func TestDecodeEventsReadError(t *testing.T) {
	r := &failingReader{data: `{"at":"1m","note":{"author":"a","text":"b"}}` + "\n"}
	events, errs := DecodeEvents(r, "in", testClock)
	if len(events) != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "in: read: boom") {
		t.Errorf("got %d events, errors %v; want 1 event and the read error", len(events), errs)
	}
}

type failingReader struct{ data string }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, errors.New("boom")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestEncodeEvent(t *testing.T) {
	e := model.Event{At: 6*time.Hour + 42*time.Minute, Source: "prometheus",
		Body: model.HostStatus{Group: "wms-fulfilment", Recovered: 712, Total: 1240}}
	data, err := EncodeEvent(e, testClock)
	want := `{"time":"2024-07-19T10:51:00Z","source":"prometheus","hosts":{"group":"wms-fulfilment","recovered":712,"total":1240}}`
	if err != nil || string(data) != want {
		t.Errorf("EncodeEvent = %s, %v\nwant %s", data, err, want)
	}
}

func TestEncodeEventRefuses(t *testing.T) {
	lastDay := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		origin time.Time // zero: testClock's
		e      model.Event
		want   string // in the error
	}{
		{"no body", time.Time{}, model.Event{}, "no body"},
		{"NaN rate", time.Time{}, model.Event{Body: model.BacklogObservation{Inflow: rateOf(notANumber())}}, "backlog.inflow: unsupported value: NaN"},
		{"NaN factor", time.Time{}, model.Event{Body: model.WhatIf{Factor: notANumber()}}, "whatif.factor: unsupported value: NaN"},
		{"infinite factor", time.Time{}, model.Event{Body: model.WhatIf{Factor: math.Inf(1)}}, "whatif.factor: unsupported value: +Inf"},
		{"time after 9999", lastDay, model.Event{At: 48 * time.Hour, Body: model.Note{Author: "a", Text: "b"}}, "time: "},
		{"last data after 9999", lastDay, model.Event{Body: model.SourceHealth{Source: "s", Status: model.HealthOK, LastData: 48 * time.Hour}},
			"source_health.last_data: "},
		{"what-if start after 9999", lastDay, model.Event{Body: model.WhatIf{Factor: 1, From: 48 * time.Hour}}, "whatif.from: "},
		{"wall time before year 0", time.Time{}, model.Event{Body: model.Decision{Text: "t", Wall: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}},
			"decision.wall: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := testClock
			if !tt.origin.IsZero() {
				clock.Origin = tt.origin
			}
			data, err := EncodeEvent(tt.e, clock)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("EncodeEvent = %s, %v; want an error with %q", data, err, tt.want)
			}
		})
	}
}

func notANumber() float64 { var z float64; return z / z }

func TestSeenSet(t *testing.T) {
	s := newSeenSet(3)
	ev := func(i int) model.Event {
		return model.Event{At: time.Duration(i) * time.Minute, Body: model.Note{Author: "a", Text: fmt.Sprint(i)}}
	}
	timed := []bool{true, true, true, true}
	got := s.fresh([]model.Event{ev(1), ev(2), ev(1), ev(3)}, timed)
	if len(got) != 3 {
		t.Fatalf("first batch: %d fresh, want 3 (one duplicate)", len(got))
	}
	if got := s.fresh([]model.Event{ev(1), ev(4)}, timed); len(got) != 1 || got[0].At != 4*time.Minute {
		t.Fatalf("second batch: %v, want only 4", got)
	}
	// 1 was forgotten when 4 came in: the set holds the last 3.
	if got := s.fresh([]model.Event{ev(1)}, timed); len(got) != 1 {
		t.Fatalf("third batch: %v, want 1 again after it was forgotten", got)
	}
	if len(s.set) != 3 || len(s.ring) != 3 {
		t.Errorf("set %d, ring %d: want both 3", len(s.set), len(s.ring))
	}
	// Without a time of their own, events are the same whatever their At.
	untimed := []bool{false}
	a, b := ev(9), ev(9)
	b.At += time.Hour
	if got := s.fresh([]model.Event{a}, untimed); len(got) != 1 {
		t.Fatal("untimed event not fresh")
	}
	if got := s.fresh([]model.Event{b}, untimed); len(got) != 0 {
		t.Error("the same untimed event read later is fresh again")
	}
}

// FuzzDecodeEvents feeds the decoder anything: it never panics, every event
// has a body and sanitised text, every error names a line and column, and
// what it accepts is JSON.
func FuzzDecodeEvents(f *testing.F) {
	for _, name := range []string{"testdata/wire/mixed.ndjson", "testdata/wire/events.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"", "[", "[]", "{}", `{"at":"1m","note":{"author":"a","text":"\ud83d"}}`,
		`{"at":"1m","inject":{"id":"i","title":"t","prompt":"p","questions":["\u001b[2J"]}}`,
		`{"at":"1m","x":[[[[{"a":[1,2,{"b":null}]}]]]],"note":{"author":"a","text":"b"}}`,
		`[{"at":"1m","note":{"author":"a","text":"b"}},{"at":"1m","hosts":{"group":"g","recovered":1e400}}]`,
		`{"time":"2024-07-19T10:51:00.5Z","source_health":{"source":"p","status":"error","error":"e","last_data":"+1h","feeds":["hosts"],"dropped":[{"reason":"r","count":2}]}}`,
		`{"at":"1m","inject_control":{"inject":"i","action":"hold","by":"f"}}`,
		`{"at":"1m","decision":{"inject":"i","by":"ic","text":"t","wall":"2024-07-19T10:51:00.000000001+02:00"}}`,
		`{"at":"1m","check":{"inject":"i","item":3,"done":true}}`,
		`{"at":"1m","whatif":{"factor":0.8,"from":"2024-07-19T12:09:00Z","by":"f"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		events, errs := DecodeEvents(bytes.NewReader(data), "fuzz", testClock)
		codec := model.NewJournalCodec(testClock.Origin)
		for _, e := range events {
			if e.Body == nil {
				t.Fatalf("event without a body: %#v", e)
			}
			if !reflect.DeepEqual(model.SanitizeEvent(e), e) {
				t.Fatalf("event not sanitised: %#v", e)
			}
			// What the decoder accepts, the journal keeps exactly.
			data, err := codec.EncodeEvent(e)
			if err != nil {
				t.Fatalf("EncodeEvent of decoded %#v: %v", e, err)
			}
			back, err := codec.DecodeEvent(data)
			if err != nil || !reflect.DeepEqual(back, e) {
				t.Fatalf("round trip of decoded %#v through %s: %#v, %v", e, data, back, err)
			}
		}
		for _, err := range errs {
			var de *DecodeError
			if !errors.As(err, &de) || de.Line < 1 || de.Col < 1 || de.File != "fuzz" {
				t.Fatalf("error %v (%T) does not name a position", err, err)
			}
		}
		// Every entry that is not an event is dropped, once, with a
		// reason; there are problems exactly when some entry was dropped;
		// and in NDJSON each line that is not blank is one or the other.
		d := newWireDecoder("fuzz", testClock)
		good, dropped := 0, 0
		d.Dropped = func(raw []byte, reason string) {
			dropped++
			switch reason {
			case DropBadEntry, DropBadTime, DropUnknownKind:
			default:
				t.Fatalf("drop reason %q", reason)
			}
			if len(raw) > 0 && !bytes.Contains(data, raw) {
				t.Fatalf("dropped %q is not part of the input", raw)
			}
		}
		d.Decode(data, func(model.Event, bool) { good++ }, func(error) {})
		if good != len(events) || (dropped > 0) != (len(errs) > 0) {
			t.Fatalf("%d good, %d dropped; DecodeEvents: %d events, %d problems", good, dropped, len(events), len(errs))
		}
		body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if first := bytes.TrimLeft(body, " \t\r\n"); len(first) == 0 || first[0] != '[' {
			lines := 0
			for _, l := range bytes.Split(body, []byte("\n")) {
				if len(bytes.Trim(l, " \t\r")) > 0 {
					lines++
				}
			}
			if good+dropped != lines {
				t.Fatalf("%d lines: %d good and %d dropped", lines, good, dropped)
			}
		}
		// Whatever the decoder accepts, encoding/json accepts too.
		if len(errs) == 0 && len(bytes.TrimSpace(data)) > 0 {
			first := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
			if len(first) > 0 && first[0] == '[' {
				if !json.Valid(data) && !json.Valid(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) {
					t.Fatalf("accepted invalid JSON %q", data)
				}
			} else {
				for _, line := range bytes.Split(data, []byte("\n")) {
					if len(bytes.TrimSpace(line)) > 0 && !json.Valid(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))) {
						t.Fatalf("accepted invalid JSON line %q", line)
					}
				}
			}
		}
	})
}
