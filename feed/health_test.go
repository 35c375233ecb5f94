package feed

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// healthStep is one thing that happens to a source at a time, and what its
// health must be afterwards.
type healthStep struct {
	at     time.Duration
	do     string // "data", "fail", "listen", "end", "tick"
	status model.HealthStatus
	err    string
	due    time.Duration // when time alone changes the state next; -1: never
}

// TestHealthTransitions drives the health state with a fake clock: a
// source with an interval of 10s, so a stale window of 20s.
func TestHealthTransitions(t *testing.T) {
	const (
		ok, stale, failed = model.HealthOK, model.HealthStale, model.HealthError
		refused           = "connection refused"
		quiet             = "no fresh data for 2 intervals"
	)
	s := time.Second
	cases := []struct {
		name  string
		steps []healthStep
	}{
		{"a poller that fails goes stale, then error after the window", []healthStep{
			{0, "data", ok, "", 20 * s},
			{10 * s, "fail", stale, refused, 20 * s},
			{15 * s, "tick", stale, refused, 20 * s}, // not yet
			{19 * s, "fail", stale, refused, 20 * s},
			{20 * s, "tick", failed, refused, -1},
			{40 * s, "fail", failed, refused, -1},
			{60 * s, "data", ok, "", 80 * s},
		}},
		{"a failure past the window is an error at once", []healthStep{
			{0, "data", ok, "", 20 * s},
			{25 * s, "fail", failed, refused, -1},
		}},
		{"a source that never delivered fails straight to error", []healthStep{
			{0, "fail", failed, refused, -1},
			{10 * s, "data", ok, "", 30 * s},
		}},
		{"recovery before the window ends the staleness", []healthStep{
			{0, "data", ok, "", 20 * s},
			{10 * s, "fail", stale, refused, 20 * s},
			{15 * s, "data", ok, "", 35 * s},
			{30 * s, "fail", stale, refused, 35 * s},
			{35 * s, "tick", failed, refused, -1},
		}},
		{"the last error is the one shown", []healthStep{
			{0, "data", ok, "", 20 * s},
			{5 * s, "fail", stale, refused, 20 * s},
			{12 * s, "fail:timed out", stale, "timed out", 20 * s},
		}},
		{"a quiet stream goes stale and stays so", []healthStep{
			{0, "listen", ok, "", 20 * s},
			{19 * s, "tick", ok, "", 20 * s},
			{20 * s, "tick", stale, quiet, -1},
			{90 * s, "tick", stale, quiet, -1},
			{95 * s, "data", ok, "", 115 * s},
			{115 * s, "tick", stale, quiet, -1},
		}},
		{"a quiet stream that fails is an error: its data is old", []healthStep{
			{0, "data", ok, "", 20 * s},
			{20 * s, "tick", stale, quiet, -1},
			{30 * s, "fail", failed, refused, -1},
		}},
		{"a stream that never sent data fails to error", []healthStep{
			{0, "listen", ok, "", 20 * s},
			{3 * s, "fail", failed, refused, -1},
		}},
		{"a stream failing between batches is stale first", []healthStep{
			{0, "listen", ok, "", 20 * s},
			{4 * s, "data", ok, "", 24 * s},
			{6 * s, "fail", stale, refused, 24 * s},
			{24 * s, "tick", failed, refused, -1},
		}},
		{"the end of the input is stale for good", []healthStep{
			{0, "data", ok, "", 20 * s},
			{5 * s, "end", stale, "end of input", -1},
			{500 * s, "tick", stale, "end of input", -1},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHealthState(10 * time.Second)
			lastData := time.Duration(-1)
			for i, st := range c.steps {
				do, msg, found := strings.Cut(st.do, ":")
				if !found {
					msg = refused
				}
				switch do {
				case "data":
					h.delivered(st.at)
					lastData = st.at
				case "fail":
					h.failed(st.at, msg)
				case "listen":
					h.listening(st.at)
				case "end":
					h.endOfInput("end of input")
				case "tick":
					h.elapse(st.at)
				default:
					t.Fatalf("step %d: unknown action %q", i, st.do)
				}
				due, has := h.due()
				if !has {
					due = -1
				}
				if h.status != st.status || h.err != st.err || h.lastData != lastData || due != st.due {
					t.Fatalf("step %d (%s at %v): %s %q data %v due %v; want %s %q data %v due %v",
						i, st.do, st.at, h.status, h.err, h.lastData, due, st.status, st.err, lastData, st.due)
				}
			}
		})
	}
}

// countingSource is a source whose drop counts a test sets.
type countingSource struct {
	drops dropCounter
}

func (*countingSource) Name() string                 { return "src" }
func (s *countingSource) Dropped() []model.DropCount { return s.drops.counts() }

// TestHealthReports checks which health changes reach the room, and when,
// with a fake clock: status changes at once; drop counts and the age of an
// ok source's data at most every 10s, the age only by the minute; nothing
// minor while the source is in trouble.
func TestHealthReports(t *testing.T) {
	type step struct {
		at   time.Duration
		do   string // "data", "fail", "tick" (the wake is due now), "elapse" (none is due), "drop" (the source drops 2 bad entries), "old" (a report older than the last)
		want string // the report sent, "" for none: "status error dropped lastData"
	}
	s := time.Second
	cases := []struct {
		name  string
		steps []step
	}{
		{"status changes are reported at once, repeats are not", []step{
			{0, "data", "ok  - 0s"},
			{1 * s, "data", ""},
			{2 * s, "fail", "stale refused - 1s"},
			{3 * s, "fail", ""},
			{21 * s, "tick", "error refused - 1s"},
			{30 * s, "data", "ok  - 30s"},
		}},
		{"drop counts wait for 10s after the last report", []step{
			{0, "data", "ok  - 0s"},
			{2 * s, "drop", ""},
			{4 * s, "data", ""},
			{10 * s, "tick", "ok  bad entry:2 4s"},
			{11 * s, "drop", ""},
			{12 * s, "data", ""},
			{25 * s, "data", "ok  bad entry:4 25s"},
			{26 * s, "old", ""},
			{35 * s, "tick", "ok  bad entry:4,older than the latest:1 26s"},
		}},
		{"an ok source's data age is reported by the minute", []step{
			{0, "data", "ok  - 0s"},
			{30 * s, "data", ""},
			{59 * s, "data", ""},
			{60 * s, "data", "ok  - 1m0s"},
			{61 * s, "data", ""},
		}},
		{"counts wait while the source is in trouble", []step{
			{0, "data", "ok  - 0s"},
			{5 * s, "drop", ""},
			{6 * s, "fail", "stale refused bad entry:2 0s"},
			{7 * s, "drop", ""},
			{20 * s, "tick", "error refused bad entry:4 0s"},
			{40 * s, "drop", ""},
			{50 * s, "elapse", ""}, // nothing is due: time alone does nothing
			{60 * s, "data", "ok  bad entry:6 1m0s"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			origin := time.Date(2024, 7, 19, 4, 0, 0, 0, time.UTC)
			now := origin
			var col collector
			r := NewRunner(Clock{Origin: origin, Now: func() time.Time { return now }}, col.sink)
			src := &countingSource{}
			h := r.health(src, Schedule{Interval: 10 * time.Second})
			for i, st := range c.steps {
				now = origin.Add(st.at)
				before := len(col.health())
				switch st.do {
				case "data":
					h.deliver([]model.Event{{At: st.at, Body: model.HostStatus{Group: "g", Recovered: i}}})
				case "old":
					h.deliver([]model.Event{{At: st.at - 20*s, Body: model.HostStatus{Group: "g", Recovered: 1}}})
				case "fail":
					h.failed(errors.New("refused"))
				case "tick":
					if at, ok := h.nextWake(10*time.Second, false); !ok || at != st.at {
						t.Fatalf("step %d: next wake %v (%v), want %v", i, at, ok, st.at)
					}
					h.elapse()
				case "elapse":
					if at, ok := h.nextWake(10*time.Second, false); ok {
						t.Fatalf("step %d: a wake at %v, want none", i, at)
					}
					h.elapse()
				case "drop":
					src.drops.add(DropBadEntry, 2)
				}
				got := ""
				if hs := col.health(); len(hs) > before {
					if len(hs) > before+1 {
						t.Fatalf("step %d: %d reports at once", i, len(hs)-before)
					}
					got = reportText(hs[len(hs)-1])
				}
				if got != st.want {
					t.Fatalf("step %d (%s at %v): report %q, want %q", i, st.do, st.at, got, st.want)
				}
			}
		})
	}
}

func reportText(h model.SourceHealth) string {
	drops := "-"
	if len(h.Dropped) > 0 {
		var parts []string
		for _, d := range h.Dropped {
			parts = append(parts, fmt.Sprintf("%s:%d", d.Reason, d.Count))
		}
		drops = strings.Join(parts, ",")
	}
	return fmt.Sprintf("%s %s %s %v", h.Status, h.Error, drops, h.LastData)
}
