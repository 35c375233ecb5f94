package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

// TestWireRoundTripIsExact encodes every event of every embedded scenario,
// and generated events of every kind, and decodes them again: what comes
// back must be the very event (reflect.DeepEqual), times to the nanosecond
// included, through DecodeEvent as a live source reads the wire format and
// through the journal's Codec. The journal relies on it: a room restored
// from its journal is the same room.
func TestWireRoundTripIsExact(t *testing.T) {
	var events []model.Event
	for _, name := range fixtures.Names() {
		data, ok := fixtures.Read(name)
		if !ok {
			t.Fatalf("fixtures.Read(%q): not found", name)
		}
		sc, err := model.LoadScenario(name, data)
		if err != nil {
			t.Fatalf("LoadScenario(%s): %v", name, err)
		}
		events = append(events, sc.Events...)
	}
	fromScenarios := len(events)
	events = append(events, edgeEvents()...)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		events = append(events, randomEvent(rng, false))
	}
	kinds := map[model.Kind]int{}
	codec := model.NewJournalCodec(testClock.Origin)
	for i, e := range events {
		data, err := EncodeEvent(e, testClock)
		if err != nil {
			t.Fatalf("event %d: EncodeEvent(%#v): %v", i, e, err)
		}
		if got, err := DecodeEvent(data, testClock); err != nil || !reflect.DeepEqual(got, e) {
			t.Fatalf("event %d (scenario: %v): DecodeEvent(%s):\n got %#v, %v\nwant %#v", i, i < fromScenarios, data, got, err, e)
		}
	}
	// The journal keeps whatever the room accepted, plausible or not.
	events = append(events, wildEvents()...)
	for range 2000 {
		events = append(events, randomEvent(rng, true))
	}
	for i, e := range events {
		kinds[e.Body.Kind()]++
		data, err := codec.EncodeEvent(e)
		if err != nil {
			t.Fatalf("event %d: EncodeEvent(%#v): %v", i, e, err)
		}
		if !json.Valid(data) || bytes.ContainsAny(data, "\n") {
			t.Fatalf("event %d: EncodeEvent = %s: not one line of JSON", i, data)
		}
		got, err := codec.DecodeEvent(data)
		if err != nil {
			t.Fatalf("event %d: DecodeEvent(%s): %v", i, data, err)
		}
		want := e
		if w, ok := want.Body.(model.CarrierWarning); ok && w.Phase == "" {
			w.Phase = model.WarningIssued // the one value that comes back otherwise: Apply reads both the same
			want.Body = w
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("event %d (scenario: %v): round trip of %s:\n got %#v\nwant %#v", i, i < fromScenarios, data, got, want)
		}
		// Encoding is a function of the event: what was read back writes
		// the same bytes, so an export of a journal is its bodies.
		again, err := codec.EncodeEvent(got)
		if err != nil {
			t.Fatal(err)
		}
		if wantData, _ := codec.EncodeEvent(want); !bytes.Equal(again, wantData) {
			t.Fatalf("event %d: encoding the decoded event gives %s; want %s", i, again, wantData)
		}
	}
	for _, k := range allKinds {
		if kinds[k] == 0 {
			t.Errorf("the round trip covers no event of kind %q", k)
		}
	}
	t.Logf("%d scenario events and %d generated, by kind: %v", fromScenarios, len(events)-fromScenarios, kinds)
}

// allKinds is every kind of event the model has.
var allKinds = []model.Kind{model.KindHostStatus, model.KindBacklog, model.KindWarning, model.KindComplaint,
	model.KindRunbookStep, model.KindInject, model.KindNote, model.KindUpdate, model.KindAck,
	model.KindSourceHealth, model.KindInjectControl, model.KindDecision, model.KindCheck, model.KindWhatIf}

// edgeEvents are events at the edges of what the format holds: zero
// values, optional fields absent, times with nanoseconds, awkward text.
func edgeEvents() []model.Event {
	wall := time.Date(2024, 7, 19, 10, 51, 3, 123456789, time.UTC)
	return []model.Event{
		{At: 0, Body: model.HostStatus{Group: "g"}},
		{At: -90 * time.Second, Body: model.Note{Author: "ic", Text: "before T+0"}},
		{At: time.Nanosecond, Body: model.BacklogObservation{}},
		{At: 1500 * time.Millisecond, Body: model.BacklogObservation{Waiting: 1 << 40, Inflow: rateOf(0), Shipped: rateOf(1e22)}},
		{At: 3*time.Hour + 7, Body: model.BacklogObservation{Waiting: 5, Shipped: rateOf(1e-9)}},
		{At: time.Hour, Source: "sim", Text: "a\tb\n\"c\"\\ <&> é😀",
			Body: model.HostStatus{Group: "g", Recovered: 1, Total: 2, Failed: 1, State: model.HostsDegraded}},
		{At: time.Hour, Body: model.CarrierWarning{ID: "w", Phase: model.WarningUpdated}},
		{At: time.Hour, Body: model.CarrierWarning{ID: "w", Phase: model.WarningResolved}},
		{At: time.Hour, Body: model.Inject{ID: "i", Title: "t", Prompt: "p"}},
		{At: time.Hour, Body: model.Acknowledgement{Warning: "w"}},
		{At: time.Hour, Body: model.RunbookStepChange{Step: "s", State: model.StepBlocked}},
		{At: time.Hour, Body: model.SourceHealth{Source: "prom", Status: model.HealthOK, LastData: -1}},
		{At: time.Hour, Body: model.SourceHealth{Source: "prom", Status: model.HealthError, Error: "connection refused",
			LastData: 0, Feeds: []model.Kind{model.KindHostStatus, model.KindBacklog},
			Dropped: []model.DropCount{{Reason: DropBadEntry, Count: 3}, {Reason: DropBeforeStart, Count: 1}}}},
		{At: time.Hour, Body: model.SourceHealth{Source: "rss", Status: model.HealthStale, LastData: 59*time.Minute + 999999999}},
		{At: time.Hour, Body: model.InjectControl{Inject: "i", Action: model.InjectHold}},
		{At: time.Hour, Source: "responder:ic", Body: model.Decision{By: "ic", Text: "hold the statement", Wall: wall}},
		{At: time.Hour, Body: model.Decision{Inject: "i", Text: "no wall time"}},
		{At: time.Hour, Body: model.ExpectedCheck{Inject: "i", Item: 0}},
		{At: time.Hour, Body: model.ExpectedCheck{Inject: "i", Item: 3, Done: true, By: "fac"}},
		{At: time.Hour, Body: model.WhatIf{}},
		{At: time.Hour, Body: model.WhatIf{Factor: 0.8, From: 8*time.Hour + 1, By: "fac"}},
		{At: time.Hour, Body: model.WhatIf{Factor: 1e-7, From: -time.Hour}},
	}
}

// wildEvents are events a live source would be refused but the room may
// hold all the same: counts that do not add up, empty names, values of no
// known enumeration, the extremes of int64.
func wildEvents() []model.Event {
	return []model.Event{
		{At: time.Hour, Source: "prometheus", Body: model.HostStatus{Group: "g", Recovered: 500, Total: 380, Failed: 7, State: "rebooting"}},
		{At: time.Hour, Body: model.HostStatus{Group: "", Recovered: -1, Total: -5, Failed: math.MaxInt64}},
		{At: time.Hour, Body: model.BacklogObservation{Waiting: math.MinInt64, Inflow: rateOf(-3.5), Shipped: rateOf(math.MaxFloat64)}},
		{At: time.Hour, Body: model.BacklogObservation{Waiting: math.MaxInt64}},
		{At: time.Hour, Body: model.CarrierWarning{ID: "w", Phase: model.WarningIssued}},
		{At: time.Hour, Body: model.CarrierWarning{ID: "w", Phase: "withdrawn", Severity: "apocalyptic"}},
		{At: time.Hour, Body: model.SellerComplaint{Seller: "s"}},
		{At: time.Hour, Body: model.RunbookStepChange{}},
		{At: time.Hour, Body: model.Inject{Questions: []string{"", "q"}}},
		{At: time.Hour, Body: model.Note{}},
		{At: time.Hour, Body: model.StatusUpdate{}},
		{At: time.Hour, Body: model.Acknowledgement{}},
		{At: time.Hour, Body: model.SourceHealth{LastData: -1, Feeds: []model.Kind{""}, Dropped: []model.DropCount{{Count: -2}}}},
		{At: time.Hour, Body: model.InjectControl{Action: "postpone"}},
		{At: time.Hour, Body: model.Decision{}},
		{At: time.Hour, Body: model.ExpectedCheck{Item: -1}},
		{At: time.Hour, Body: model.WhatIf{Factor: -0.5}},
	}
}

// randomEvent makes an event of any kind with random fields: valid ones,
// or with wild anything the room may hold.
func randomEvent(r *rand.Rand, wild bool) model.Event {
	name := func() string {
		if wild && r.IntN(4) == 0 {
			return ""
		}
		return randomText(r, 1+r.IntN(30))
	}
	opt := func() string {
		if r.IntN(3) == 0 {
			return ""
		}
		return name()
	}
	text := func() string { return randomText(r, 1+r.IntN(300)) }
	list := func() []string {
		if r.IntN(3) == 0 {
			return nil
		}
		l := make([]string, 1+r.IntN(4))
		for i := range l {
			l[i] = text()
		}
		return l
	}
	rate := func() *float64 {
		switch r.IntN(4) {
		case 0:
			return nil
		case 1:
			return rateOf(float64(r.IntN(200000)))
		}
		return rateOf(r.ExpFloat64() * 1e5)
	}
	pick := func(values []string) string {
		if wild && r.IntN(4) == 0 {
			return opt()
		}
		return values[r.IntN(len(values))]
	}
	count := func(n int) int {
		if wild && r.IntN(3) == 0 {
			return int(r.Uint64()) // any int, negative or huge
		}
		return r.IntN(n)
	}
	offset := func() time.Duration { return time.Duration(r.Int64N(int64(100 * time.Hour))) }
	var body model.Body
	switch allKinds[r.IntN(len(allKinds))] {
	case model.KindHostStatus:
		total := r.IntN(5000)
		h := model.HostStatus{Group: name(), Total: total, State: model.HostState(pick(append(model.HostState("").Values(), "")))}
		if total > 0 {
			h.Recovered = r.IntN(total + 1)
			h.Failed = r.IntN(total - h.Recovered + 1)
		} else {
			h.Recovered, h.Failed = r.IntN(100), r.IntN(100)
		}
		if wild {
			h.Recovered, h.Total, h.Failed = count(5000), count(5000), count(5000)
		}
		body = h
	case model.KindBacklog:
		b := model.BacklogObservation{Waiting: r.Int64N(1 << 50), Inflow: rate(), Shipped: rate()}
		if wild {
			b.Waiting = r.Int64() - r.Int64()
			if b.Inflow != nil {
				*b.Inflow = -*b.Inflow
			}
		}
		body = b
	case model.KindWarning:
		w := model.CarrierWarning{ID: name(), Phase: model.WarningPhase(pick(model.WarningPhase("").Values())), Region: opt(), Body: opt()}
		if w.Phase == model.WarningIssued || r.IntN(2) == 0 || wild {
			w.Carrier, w.Severity, w.Headline = name(), model.Severity(pick(model.Severity("").Values())), name()
		}
		body = w
	case model.KindComplaint:
		body = model.SellerComplaint{Seller: name(), Channel: name(), Topic: name(), Text: text()}
	case model.KindRunbookStep:
		body = model.RunbookStepChange{Step: name(), State: model.StepState(pick(model.StepState("").Values())), By: opt()}
	case model.KindInject:
		body = model.Inject{ID: name(), Title: name(), Prompt: text(), Questions: list(), Expected: list(), Notes: opt()}
	case model.KindNote:
		body = model.Note{Author: name(), Text: text()}
	case model.KindUpdate:
		body = model.StatusUpdate{From: name(), Text: text()}
	case model.KindAck:
		body = model.Acknowledgement{Warning: name(), By: opt()}
	case model.KindSourceHealth:
		h := model.SourceHealth{Source: name(), Status: model.HealthStatus(pick(model.HealthStatus("").Values())), Error: opt(), LastData: -1}
		if r.IntN(4) > 0 {
			h.LastData = offset()
		}
		for range r.IntN(4) {
			h.Feeds = append(h.Feeds, allKinds[r.IntN(len(allKinds))])
		}
		for range r.IntN(3) {
			h.Dropped = append(h.Dropped, model.DropCount{Reason: name(), Count: 1 + count(1e6)})
		}
		body = h
	case model.KindInjectControl:
		body = model.InjectControl{Inject: name(), Action: model.InjectAction(pick(model.InjectAction("").Values())), By: opt()}
	case model.KindDecision:
		d := model.Decision{Inject: opt(), By: opt(), Text: text()}
		if r.IntN(4) > 0 {
			d.Wall = testClock.Origin.Add(offset())
		}
		body = d
	case model.KindCheck:
		body = model.ExpectedCheck{Inject: name(), Item: count(20), Done: r.IntN(2) == 0, By: opt()}
	case model.KindWhatIf:
		w := model.WhatIf{Factor: r.Float64() * 3, From: offset(), By: opt()}
		if wild {
			w.Factor = r.NormFloat64() * 1e10
		}
		body = w
	}
	return model.Event{At: offset(), Source: opt(), Text: opt(), Body: body}
}

// randomText is n runes of text that Sanitize keeps as it is, awkward for
// JSON: quotes, backslashes, tabs, newlines, non-ASCII.
func randomText(r *rand.Rand, n int) string {
	const alphabet = "abcXYZ019 _-.:/\"\\\t\n<&>éß€中😀"
	runes := []rune(alphabet)
	var b strings.Builder
	for i := range n {
		c := runes[r.IntN(len(runes))]
		if (i == 0 || i == n-1) && strings.ContainsRune(" \t\n", c) {
			c = 'x' // keep the ends printable, so that a name is never blank
		}
		b.WriteRune(c)
	}
	s := b.String()
	if model.Sanitize(s, 0) != s {
		panic(fmt.Sprintf("randomText made %q, which Sanitize changes", s))
	}
	return s
}

// TestCodecReadsTheRoomsOwnRecord checks where the journal's codec and a
// live source's decoder part: the codec takes the values the room held,
// checks the form as strictly, and refuses an event without a time.
func TestCodecReadsTheRoomsOwnRecord(t *testing.T) {
	const at = `"time":"2024-07-19T05:09:00.000000001Z"`
	tests := []struct {
		name    string
		in      string
		want    model.Event // from the codec
		codec   string      // the codec's error; "" for none
		outside bool        // DecodeEvent accepts it too
	}{
		{"implausible counts", `{` + at + `,"hosts":{"group":"g","recovered":500,"total":380,"failed":-2}}`,
			model.Event{At: time.Hour + 1, Body: model.HostStatus{Group: "g", Recovered: 500, Total: 380, Failed: -2}}, "", false},
		{"empty names", `{` + at + `,"complaint":{"seller":"","channel":"","topic":"","text":""}}`,
			model.Event{At: time.Hour + 1, Body: model.SellerComplaint{}}, "", false},
		{"a state of no enumeration, sanitised", `{` + at + `,"step":{"step":"s","state":"re\u001b[2Jbooting"}}`,
			model.Event{At: time.Hour + 1, Body: model.RunbookStepChange{Step: "s", State: "rebooting"}}, "", false},
		{"the largest count", `{` + at + `,"backlog":{"waiting":9223372036854775807}}`,
			model.Event{At: time.Hour + 1, Body: model.BacklogObservation{Waiting: math.MaxInt64}}, "", true},
		{"a good event", `{` + at + `,"note":{"author":"ic","text":"t"}}`,
			model.Event{At: time.Hour + 1, Body: model.Note{Author: "ic", Text: "t"}}, "", true},
		{"no time", `{"note":{"author":"ic","text":"t"}}`, model.Event{}, "event:1:1: time: missing: an event of the journal has a time of its own", true},
		{"an unknown field", `{` + at + `,"note":{"author":"ic","text":"t","mood":"sad"}}`, model.Event{},
			`event:1:75: note.mood: unknown field "mood": expected one of author, text`, false},
		{"a missing field", `{` + at + `,"note":{"text":"t"}}`, model.Event{},
			"event:1:49: note.author: missing required field: expected a string", false},
		{"a wrong type", `{` + at + `,"hosts":{"group":"g","recovered":"all"}}`, model.Event{},
			`event:1:75: hosts.recovered: expected an integer >= 0, got a string "all"`, false},
		{"not JSON", `{` + at + `,`, model.Event{}, "event:1:42: invalid JSON: unexpected end of input inside an object", false},
	}
	codec := model.NewJournalCodec(testClock.Origin)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := codec.DecodeEvent([]byte(tt.in))
			switch {
			case tt.codec != "" && (err == nil || err.Error() != tt.codec):
				t.Errorf("codec: %v, want the error %q", err, tt.codec)
			case tt.codec == "" && err != nil:
				t.Errorf("codec: %v", err)
			case tt.codec == "" && !reflect.DeepEqual(got, tt.want):
				t.Errorf("codec:\n got %#v\nwant %#v", got, tt.want)
			}
			if _, err := DecodeEvent([]byte(tt.in), testClock); (err == nil) != tt.outside {
				t.Errorf("DecodeEvent from the outside: %v; want accepted %v", err, tt.outside)
			}
		})
	}
}

// FuzzCodecDecodeEvent feeds the journal's codec anything: it never panics,
// what it reads is sanitised and has a body, and writing it out and reading
// it again gives it back.
func FuzzCodecDecodeEvent(f *testing.F) {
	codec := model.NewJournalCodec(testClock.Origin)
	for _, e := range append(edgeEvents(), wildEvents()...) {
		data, err := codec.EncodeEvent(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"time":"2024-07-19T05:09:00Z","hosts":{"group":"\u001b[2J","recovered":-1e3,"state":"x"}}`))
	f.Add([]byte(`{"at":"1m","note":{"author":"a","text":"b"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := codec.DecodeEvent(data)
		if err != nil {
			return
		}
		if e.Body == nil || !reflect.DeepEqual(model.SanitizeEvent(e), e) {
			t.Fatalf("decoded %#v: no body, or not sanitised", e)
		}
		again, err := codec.EncodeEvent(e)
		if err != nil {
			t.Fatalf("EncodeEvent(%#v): %v", e, err)
		}
		back, err := codec.DecodeEvent(again)
		if err != nil || !reflect.DeepEqual(back, e) {
			t.Fatalf("%s read back as %#v, %v; want %#v", again, back, err, e)
		}
	})
}
