package report

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

const h = time.Hour

// tiny is a small incident built in code: two host groups, a carrier, a
// two-step runbook, and the events given.
func tiny(events ...model.Event) *model.Scenario {
	return &model.Scenario{
		Meta:       model.Meta{Title: "Tiny", Severity: "SEV2", Start: time.Date(2024, 7, 19, 4, 0, 0, 0, time.UTC)},
		HostGroups: []model.HostGroupDef{{ID: "a", Name: "A", Total: 10}, {ID: "b", Name: "B", Total: 4}},
		Carriers:   []model.CarrierDef{{ID: "ups", Name: "UPS"}},
		Runbook:    []model.StepDef{{ID: "s1", Title: "Reboot"}, {ID: "s2", Title: "Repair"}},
		Events:     events,
	}
}

// input folds the scenario's events to at, as the room would.
func input(sc *model.Scenario, at time.Duration) Input {
	c := model.NewCursor(model.NewState(sc), sc.Events)
	c.Seek(at)
	return Input{Scenario: sc, Events: sc.Events, State: c.State().Clone()}
}

func backlog(at time.Duration, waiting int64) model.Event {
	return model.Event{At: at, Source: "scenario", Body: model.BacklogObservation{Waiting: waiting}}
}

func TestImpactAndTimings(t *testing.T) {
	sc := tiny(
		backlog(0, 100), backlog(1*h, 500), backlog(2*h, 900), backlog(3*h, 700), backlog(4*h, 400), backlog(5*h, 90), backlog(6*h, 80),
		model.Event{At: 30 * time.Minute, Source: "scenario", Body: model.HostStatus{Group: "a", Recovered: 0, Failed: 10}},
		model.Event{At: 40 * time.Minute, Source: "scenario", Body: model.RunbookStepChange{Step: "s1", State: model.StepActive, By: "fleet"}},
		model.Event{At: 50 * time.Minute, Source: "scenario", Body: model.CarrierWarning{ID: "w", Carrier: "ups", Severity: model.SeverityMajor, Headline: "Delays"}},
		model.Event{At: 80 * time.Minute, Source: "responder:ic", Body: model.Acknowledgement{Warning: "w", By: "ic"}},
		model.Event{At: 2 * h, Source: "scenario", Body: model.HostStatus{Group: "b", Recovered: 4}},
		model.Event{At: 150 * time.Minute, Source: "scenario", Body: model.RunbookStepChange{Step: "s2", State: model.StepDone, By: "fleet"}},
		model.Event{At: 3 * h, Source: "scenario", Body: model.RunbookStepChange{Step: "s1", State: model.StepDone, By: "fleet"}},
		model.Event{At: 4*h + 30*time.Minute, Source: "scenario", Body: model.HostStatus{Group: "a", Recovered: 10}},
	)
	sortEvents(sc.Events)
	for _, tc := range []struct {
		at                 time.Duration
		allBack, cleared   bool
		allBackAt, clearAt time.Duration
		s1Took             string
	}{
		{at: 2 * h, s1Took: "—"},
		{at: 6 * h, allBack: true, allBackAt: 4*h + 30*time.Minute, cleared: true, clearAt: 5 * h, s1Took: "2h20m"},
	} {
		r := Build(input(sc, tc.at))
		im := r.Impact
		if im.AllBack != tc.allBack || im.AllBackAt != tc.allBackAt {
			t.Errorf("at %v: all back %v at %v, want %v at %v", tc.at, im.AllBack, im.AllBackAt, tc.allBack, tc.allBackAt)
		}
		if im.Cleared != tc.cleared || im.ClearedAt != tc.clearAt {
			t.Errorf("at %v: cleared %v at %v, want %v at %v", tc.at, im.Cleared, im.ClearedAt, tc.cleared, tc.clearAt)
		}
		if im.Peak != 900 || im.PeakAt != 2*h || im.Baseline != 100 {
			t.Errorf("at %v: peak %d at %v, baseline %d", tc.at, im.Peak, im.PeakAt, im.Baseline)
		}
		took := "—"
		if d, ok := r.Runbook[0].Duration(); ok {
			took = model.FormatSpan(d)
		}
		if took != tc.s1Took {
			t.Errorf("at %v: step 1 took %s, want %s", tc.at, took, tc.s1Took)
		}
		// Step 2 went to done without being made active: no duration.
		if _, ok := r.Runbook[1].Duration(); ok {
			t.Errorf("at %v: step 2 has a duration, but it never started", tc.at)
		}
		if d, ok := r.Warnings[0].Delay(); !ok || d != 30*time.Minute || r.Warnings[0].AckedBy != "ic" {
			t.Errorf("at %v: acknowledgement delay %v %v by %q, want 30m by ic", tc.at, d, ok, r.Warnings[0].AckedBy)
		}
	}
}

func sortEvents(ev []model.Event) {
	for i := 1; i < len(ev); i++ {
		for j := i; j > 0 && ev[j].At < ev[j-1].At; j-- {
			ev[j], ev[j-1] = ev[j-1], ev[j]
		}
	}
}

// The forecast the report gives for an hour is the one the room showed at
// that hour: the state a fresh replay to that hour gives, its own forecast.
func TestHourlyForecastsAreTheRoomsOwn(t *testing.T) {
	sc := defaultScenario(t)
	r := Build(input(sc, sc.End()))
	if want := int(sc.End() / h); len(r.Forecasts) != want {
		t.Fatalf("%d hourly forecasts, want %d", len(r.Forecasts), want)
	}
	draining, scored := 0, 0
	for _, hf := range r.Forecasts {
		c := model.NewCursor(model.NewState(sc), sc.Events)
		c.Seek(hf.At)
		if want := c.State().BacklogForecast(); hf.Forecast != want {
			t.Errorf("at %v: forecast %v, the room showed %v", hf.At, hf.Forecast, want)
		}
		if hf.Forecast.Draining {
			draining++
		}
		if hf.HasError {
			scored++
			if hf.Error != r.Impact.ClearedAt-hf.Forecast.ETA {
				t.Errorf("at %v: error %v, want cleared %v − ETA %v", hf.At, hf.Error, r.Impact.ClearedAt, hf.Forecast.ETA)
			}
		}
	}
	if draining == 0 || scored != draining {
		t.Errorf("%d draining forecasts, %d scored: every draining forecast of a cleared backlog is scored", draining, scored)
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "cleared on time"},
		{30 * time.Second, "cleared on time"},
		{90 * time.Minute, "cleared 1h30m later"},
		{-25 * time.Minute, "cleared 25m earlier"},
	} {
		if got := errorText(tc.d); got != tc.want {
			t.Errorf("errorText(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func defaultScenario(t testing.TB) *model.Scenario {
	t.Helper()
	data, ok := fixtures.Read(fixtures.Default)
	if !ok {
		t.Fatal("no default scenario")
	}
	sc, err := model.LoadScenario(fixtures.Default+".yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// hostile is text a scenario or a responder could bring: terminal
// sequences (an OSC 52 clipboard write, a colour), a bidi override, HTML
// and Markdown that would act.
const hostile = "\x1b]52;c;ZXZpbA==\x07\x1b[31mred\u202e <script>alert(1)</script> [x](javascript:alert(1)) | cell\n# heading"

func hostileInput() Input {
	sc := tiny(
		backlog(0, 100), backlog(1*h, 500), backlog(2*h, 400),
		model.Event{At: 2 * h, Source: "responder:" + hostile, Body: model.Note{Author: hostile, Text: hostile}},
		model.Event{At: 2 * h, Source: "responder:ic", Body: model.CommsSent{Template: hostile, Audience: hostile, Text: hostile}},
	)
	sc.Meta.Title, sc.Meta.Summary = hostile, hostile
	sc.Runbook[0].Title = hostile
	in := input(sc, 2*h)
	in.Participants = []Participant{{Name: hostile, Roles: []string{hostile}}}
	in.Origin = "journal " + hostile
	return in
}

func TestHostileTextIsInert(t *testing.T) {
	r := Build(hostileInput())
	var html strings.Builder
	if err := r.HTML(&html); err != nil {
		t.Fatal(err)
	}
	md := r.Markdown()
	// In Markdown a "<" escaped with a backslash is text.
	for name, out := range map[string]string{"markdown": strings.ReplaceAll(md, `\<`, ""), "html": html.String()} {
		for _, bad := range []string{"\x1b", "\x07", "\u202e", "<script", "\n# heading"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s output holds %q", name, bad)
			}
		}
	}
	for _, want := range []string{`\<script>`, `\[x\](javascript:alert(1))`, `\| cell`} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks the escaped %q", want)
		}
	}
	if !strings.Contains(html.String(), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("html does not show the script tag as text")
	}
}

// TestStatusUpdateLinesReadAsText: a status update sent is given a
// paragraph a line, and a line that Markdown would make a list, a quote, a
// rule or an ordered list reads as the text it is.
func TestStatusUpdateLinesReadAsText(t *testing.T) {
	text := "Subject: hubs\n\n  - FedEx late\n> quoted\n12. twelfth\n---\n+ plus\n== eq\nplain 1. line"
	sc := tiny(backlog(0, 100), backlog(1*h, 500),
		model.Event{At: 1 * h, Source: "responder:bo", Body: model.CommsSent{Template: "seller", Audience: "sellers", Text: text}})
	md := Build(input(sc, 1*h)).Markdown()
	for _, want := range []string{
		"| T+01:00 | bo | seller | sellers | Subject: hubs |",
		"### T+01:00 seller to sellers, by bo\n\nSubject: hubs\n\n\\- FedEx late\n\n\\> quoted\n\n12\\. twelfth\n\n\\---\n\n\\+ plus\n\n\\== eq\n\nplain 1. line\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md[strings.Index(md, "## Status updates"):strings.Index(md, "## Forecast")])
		}
	}
}
