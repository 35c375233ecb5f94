package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/fixtures"
)

// alertScenario is a small incident whose rules fire and clear at offsets
// worked out by hand below.
const alertScenario = `title: alerts
summary: A small incident for the alert rules.
start: 2024-07-19T04:09:00Z
severity: SEV2
illustrative: everything
host_groups:
  - {id: wms, name: WMS, total: 100}
carriers: [{id: ups, name: UPS}]
topics: [{id: late}]
alerts:
  - id: growing
    backlog_growing: {for: 30m}
  - id: stalled
    hosts_stalled: {for: 30m, group: wms}
  - id: ups-major
    carrier_warning: {severity: major, carrier: ups}
  - id: critical
    carrier_warning: {severity: critical}
  - id: spike
    complaint_spike: {factor: 3, window: 30m, baseline: 1h, min_posts: 3}
timeline:
  - {at: +0m, backlog: {waiting: 1000}}
  - {at: +10m, backlog: {waiting: 1200}}
  - {at: +20m, backlog: {waiting: 1300}}
  - {at: +40m, backlog: {waiting: 1400}}
  - {at: +50m, backlog: {waiting: 900}}
  - {at: +0m, hosts: {group: wms, recovered: 10}}
  - {at: +10m, hosts: {group: wms, recovered: 20}}
  - {at: +20m, hosts: {group: wms, recovered: 20}}
  - {at: +40m, hosts: {group: wms, recovered: 20}}
  - {at: +70m, hosts: {group: wms, recovered: 30}}
  - {at: +15m, warning: {id: w1, carrier: ups, severity: major, headline: delays}}
  - {at: +45m, warning: {id: w1, phase: resolved}}
  - {at: +5m, complaint: {seller: a, channel: forums, topic: late, text: one}}
  - {at: +62m, complaint: {seller: b, channel: forums, topic: late, text: two}}
  - {at: +63m, complaint: {seller: c, channel: forums, topic: late, text: three}}
  - {at: +64m, complaint: {seller: d, channel: forums, topic: late, text: four}}
  - {at: +65m, complaint: {seller: e, channel: forums, topic: late, text: five}}
  - {at: +2h, note: {author: ic, text: end}}
`

// firings writes each rule's firings as "id fired-cleared" (cleared "-"
// while it still fires).
func firings(s *State) []string {
	var out []string
	for _, a := range s.Alerts {
		for _, f := range a.Firings {
			c := "-"
			if f.Cleared {
				c = FormatOffset(f.ClearedAt)
			}
			out = append(out, a.Rule.ID+" "+FormatOffset(f.FiredAt)+" "+c)
		}
	}
	return out
}

func TestAlertsFireAndClearAtKnownOffsets(t *testing.T) {
	sc, err := LoadScenario("alerts.yaml", []byte(alertScenario))
	if err != nil {
		t.Fatal(err)
	}
	// growing: at T+40 the latest (1400 @40m) is above 1200 @10m, 30m
	// earlier, with no fall between; 900 @50m is a fall: clears at T+50.
	// stalled: 20 back at T+10; at T+40 the latest (20 @40m, within the
	// last 30m) is no more than the last report 30m before (20 @10m):
	// fires; 30 @70m is progress over 20 @40m (T+70-30 = T+40): clears at
	// T+70 (T+01:10); from T+01:40 no report is 30m recent: unknown, not
	// stalled.
	// ups-major: issued major at T+15, resolved at T+45.
	// critical: never (nothing critical).
	// spike: at T+64 the recent window (34m, 64m] holds 3 posts (62, 63,
	// 64): 3 >= min_posts; the baseline (0, 34m] holds 1 post over 34m;
	// 3/0.5h = 6/h >= 3 × 1/(34/60)h = 5.29/h: fires. At T+63 only 2
	// recent posts. At T+93 (63m, 93m] holds 2 (64, 65) < 3: clears
	// (at T+92, (62m, 92m] holds 3, and 3/0.5h = 6/h >= 3 × 2/1h = 6/h).
	want := []string{
		"growing T+00:40 T+00:50",
		"stalled T+00:40 T+01:10",
		"ups-major T+00:15 T+00:45",
		"spike T+01:04 T+01:33",
	}
	paths := map[string]func(c *Cursor){
		"seek to the end": func(c *Cursor) { c.Seek(2 * time.Hour) },
		"step by event": func(c *Cursor) {
			for c.Next() {
			}
		},
		"play in 7s steps at ×60": func(c *Cursor) {
			c.SetPlaying(true)
			for c.Advance(7 * time.Second) {
			}
		},
		"seek back and forth": func(c *Cursor) {
			c.Seek(90 * time.Minute)
			c.Seek(20 * time.Minute)
			c.Seek(2 * time.Hour)
		},
	}
	for name, move := range paths {
		t.Run(name, func(t *testing.T) {
			c := NewCursor(NewState(sc), sc.Events)
			move(c)
			if got := firings(c.State()); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("firings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}

	// Half-way, what fires now is what the panes mark.
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(42 * time.Minute)
	s := c.State()
	for _, tc := range []struct {
		pane AlertPane
		on   bool
		figs string
	}{
		{AlertPaneBacklog, true, "waiting"},
		{AlertPaneHosts, true, "recovered"},
		{AlertPaneCarriers, true, "warnings"},
		{AlertPaneComplaints, false, ""},
	} {
		on, figs := s.ActiveAlert(tc.pane)
		if on != tc.on || fmt.Sprint(figs) != "["+tc.figs+"]" {
			t.Errorf("%s at T+42m: on %v figures %v, want %v [%s]", tc.pane, on, figs, tc.on, tc.figs)
		}
	}
	if got := len(s.UnackedAlerts()); got != 3 {
		t.Errorf("unacked alerts at T+42m: %d, want 3", got)
	}
}

func TestAlertAckIsAnEvent(t *testing.T) {
	sc, err := LoadScenario("alerts.yaml", []byte(alertScenario))
	if err != nil {
		t.Fatal(err)
	}
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(42 * time.Minute)
	c.Insert(Event{Source: "responder:ic", Body: AlertAck{Alert: "growing", By: "ic"}})
	a, _ := c.State().Alert("growing")
	f, _ := a.Latest()
	if !f.Acked || f.AckedBy != "ic" || f.AckedAt != 42*time.Minute {
		t.Errorf("after the ack: %+v", f)
	}
	if got := len(c.State().UnackedAlerts()); got != 2 {
		t.Errorf("unacked after one ack: %d, want 2", got)
	}
	tl := c.State().Timeline
	if last := tl[len(tl)-1].Text; last != "ic acknowledged alert: backlog growing for 30m" {
		t.Errorf("timeline line: %q", last)
	}
	// Going back before the ack and forward again keeps it (it is in the events).
	c.Seek(10 * time.Minute)
	c.Seek(45 * time.Minute)
	a, _ = c.State().Alert("growing")
	if f, _ := a.Latest(); !f.Acked {
		t.Error("the ack was lost on going back and forth")
	}
	// An ack of an unknown rule changes nothing and leaves no line.
	n := len(c.State().Timeline)
	c.Insert(Event{Source: "responder:ic", Body: AlertAck{Alert: "nope", By: "ic"}})
	if len(c.State().Timeline) != n {
		t.Error("an ack of an unknown rule left a timeline line")
	}
}

func TestAlertsOfLiveSources(t *testing.T) {
	rules := []AlertRule{
		{ID: "stale", SourceStale: &SourceStaleRule{For: 10 * time.Minute}},
		{ID: "slip", ETASlip: &SlipRule{By: 1000 * time.Hour}},
	}
	health := func(at, last time.Duration) Event {
		return Event{At: at, Source: "prom", Body: SourceHealth{Source: "prom", Status: HealthOK, LastData: last}}
	}
	backlog := func(at time.Duration, n int64) Event {
		return Event{At: at, Source: "prom", Body: BacklogObservation{Waiting: n}}
	}
	m := time.Minute
	events := []Event{
		backlog(0, 1000), backlog(10*m, 10000), health(0, 0), health(5*m, 5*m),
		// stale: last data at T+5m; 10m later, at T+15m, it fires; fresh
		// data reported at T+30m clears it; with no report after it, it is
		// 10m old at T+40m: fires again.
		{At: 20 * m, Source: "prom", Body: SourceHealth{Source: "prom", Status: HealthStale, LastData: 5 * m}},
		health(30*m, 30*m),
	}
	// slip: an exact drain of 400/h from T+1h (9000) to T+4h (7800), then
	// a jump to 30000 at T+4h30. At T+4h30 the forecast window (1h30,
	// 4h30] ends on the jump: the slope is positive, no longer draining;
	// an hour earlier, (0h30, 3h30] was the exact line, draining, ETA
	// T+3h30 + (8000-1000)/400 h = T+21:00: fires at T+04:30. From
	// T+5h30 the hour-ago forecast ends on the jump too: nothing to slip
	// from, cleared. (Before T+4h the hour-ago window still holds the
	// first points, 1000 and 10000, and does not drain.)
	for i := range 7 {
		events = append(events, backlog(time.Hour+time.Duration(i)*30*m, 9000-int64(i)*200))
	}
	for _, at := range []time.Duration{270 * m, 300 * m, 330 * m, 360 * m} {
		events = append(events, backlog(at, 30000))
	}
	sortEvents(events)
	c := NewCursor(NewState(&Scenario{Alerts: rules}), events)
	c.Seek(6 * time.Hour)
	got := strings.Join(firings(c.State()), "\n")
	want := "stale T+00:15 T+00:30\nstale T+00:40 -\nslip T+04:30 T+05:30"
	if got != want {
		t.Errorf("firings:\n%s\nwant:\n%s", got, want)
	}
	a, _ := c.State().Alert("slip")
	if f, _ := a.Latest(); f.Detail != "no longer draining (ETA was T+21:00 1h00m ago)" {
		t.Errorf("slip detail: %q", f.Detail)
	}
}

func sortEvents(es []Event) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].At < es[j-1].At; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func TestAlertRuleProblems(t *testing.T) {
	head := "title: t\nsummary: s\nstart: 2024-07-19T04:09:00Z\nseverity: SEV2\nillustrative: all\n" +
		"host_groups: [{id: wms, name: WMS, total: 10}]\ntimeline: [{at: +0m, note: {author: ic, text: hi}}]\nalerts:\n"
	for _, tc := range []struct {
		name, rules, want string
	}{
		{"no kind", "  - id: a\n", "alerts.yaml:9:5: alerts[0]: no alert kind: expected exactly one of backlog_growing, eta_slip, carrier_warning, complaint_spike, source_stale, hosts_stalled"},
		{"two kinds", "  - id: a\n    backlog_growing: {for: 30m}\n    hosts_stalled: {for: 30m}\n", "alerts.yaml:11:5: alerts[0].hosts_stalled: more than one alert kind (backlog_growing, hosts_stalled)"},
		{"unknown group", "  - id: a\n    hosts_stalled: {for: 30m, group: nope}\n", `alerts.yaml:10:38: alerts[0].hosts_stalled.group: unknown host group "nope"`},
		{"too short", "  - id: a\n    backlog_growing: {for: 30s}\n", "alerts.yaml:10:28: alerts[0].backlog_growing.for: must be at least 1m (rules are evaluated once a minute), got 30s"},
		{"missing span", "  - id: a\n    source_stale: {source: prom}\n", "alerts.yaml:10:19: alerts[0].source_stale.for: missing required field"},
		{"bad severity", "  - id: a\n    carrier_warning: {severity: awful}\n", `alerts.yaml:10:33: alerts[0].carrier_warning.severity: unknown value "awful"`},
		{"duplicate id", "  - {id: a, backlog_growing: {for: 30m}}\n  - {id: a, backlog_growing: {for: 1h}}\n", `alerts.yaml:10:10: alerts[1].id: duplicate alert id "a" (first declared at line 9)`},
		{"bad id", "  - {id: A B, backlog_growing: {for: 30m}}\n", `alerts.yaml:9:10: alerts[0].id: bad alert id "A B"`},
		{"unknown field", "  - {id: a, backlog_growing: {for: 30m, by: 2h}}\n", `alerts.yaml:9:41: alerts[0].backlog_growing.by: unknown field "by"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadScenario("alerts.yaml", []byte(head+tc.rules))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant it to contain %s", err, tc.want)
			}
		})
	}
}

// TestCrowdStrikeAlerts: the embedded scenario's rules fire where its
// timeline says they must.
func TestCrowdStrikeAlerts(t *testing.T) {
	data, ok := fixtures.Read(fixtures.Default)
	if !ok {
		t.Fatal("default scenario not embedded")
	}
	sc, err := LoadScenario("crowdstrike-primeday-2024.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(sc.End())
	byRule := map[string][]string{}
	for _, a := range c.State().Alerts {
		for _, f := range a.Firings {
			cl := "-"
			if f.Cleared {
				cl = FormatOffset(f.ClearedAt)
			}
			byRule[a.Rule.ID] = append(byRule[a.Rule.ID], FormatOffset(f.FiredAt)+" "+cl)
		}
	}
	for _, tc := range []struct {
		rule string
		want []string
		why  string
	}{
		{"labels-stalled", []string{"T+01:08 T+01:54"},
			"label-manifest reports 6 back at +8m and again at +54m: at +1h08m the latest (6 @54m, within the hour) is no more than at +8m; 12 back at +1h54m clears it"},
		{"carrier-major", []string{"T+03:35 T+58:30"},
			"FedEx issues a MAJOR notice at +3h35m; a MAJOR stays open (UPS, then air cargo escalated at +19h) until air-1 is resolved at +58h30m"},
		{"backlog-growing", []string{"T+00:45 T+15:00", "T+70:00 T+72:30"},
			"the backlog rises from T+0 without a fall: 45m later it has grown; it first falls at +15h"},
	} {
		if got := byRule[tc.rule]; strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s fired %v, want %v: %s", tc.rule, got, tc.want, tc.why)
		}
	}
	for _, id := range []string{"eta-slip", "complaint-spike"} {
		if len(byRule[id]) == 0 {
			t.Errorf("%s never fired in the whole incident", id)
		}
	}
}

// TestComplaintSpikeCountsPostsAtTPlusZero: posts stamped T+0 are in the
// recent window once it is cut at T+0, so a scenario that opens with them
// fires at once (it did not: the cut window started after T+0).
func TestComplaintSpikeCountsPostsAtTPlusZero(t *testing.T) {
	const doc = `title: spike at T+0
summary: Posts from the first moment.
start: 2024-07-19T04:09:00Z
severity: SEV2
illustrative: everything
topics: [{id: late}]
alerts:
  - id: spike
    complaint_spike: {factor: 3, window: 30m, baseline: 1h, min_posts: 3}
timeline:
  - {at: +0m, complaint: {seller: a, channel: forums, topic: late, text: one}}
  - {at: +0m, complaint: {seller: b, channel: forums, topic: late, text: two}}
  - {at: +0m, complaint: {seller: c, channel: forums, topic: late, text: three}}
  - {at: +1h, note: {author: ic, text: end}}
`
	sc, err := LoadScenario("spike.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(time.Hour)
	// At T+0 the recent window holds the three posts and there is no
	// baseline yet: fires. At T+30 (T+0, T+30] holds none: clears.
	if got, want := strings.Join(firings(c.State()), "\n"), "spike T+00:00 T+00:30"; got != want {
		t.Errorf("firings %q, want %q", got, want)
	}
}

// TestLateLiveEventReevaluatesAlerts: a live event stamped before a minute
// the rules were already evaluated at (a source's sample from a moment
// ago) rebuilds the state from before it, so that the alerts are those a
// restart on the same events gives.
func TestLateLiveEventReevaluatesAlerts(t *testing.T) {
	sc := &Scenario{Alerts: []AlertRule{{ID: "grow", BacklogGrowing: &BacklogGrowingRule{For: 2 * time.Minute}}}}
	obs := func(at time.Duration, w int64) Event {
		return Event{At: at, Source: "prom", Body: BacklogObservation{Waiting: w}}
	}
	m := time.Minute
	known := []Event{obs(0, 100), obs(m, 110), obs(2*m, 120)}
	late := obs(2*m+59*time.Second, 50) // arrives at T+3:30, after T+3:00 was evaluated

	live := NewCursor(NewState(sc), slices.Clone(known))
	live.Follow(3*m + 30*time.Second) // growing since T+2 (120 over 100 2m before); T+3 evaluated
	if !live.Merge([]Event{late}) {
		t.Error("a point stamped before an evaluated minute should rewrite the state")
	}
	live.Follow(5 * m)

	replay := NewCursor(NewState(sc), append(slices.Clone(known), late))
	replay.Follow(5 * m)
	// The late 50 at T+2:59 is a fall: the rule clears at T+3, live too.
	if l, r := firings(live.State()), firings(replay.State()); strings.Join(l, ",") != strings.Join(r, ",") || strings.Join(r, ",") != "grow T+00:02 T+00:03" {
		t.Errorf("live %v, a replay of the same events %v, want both [grow T+00:02 T+00:03]", l, r)
	}

	// A point stamped after the last evaluated minute changes nothing
	// already evaluated: no rewrite.
	if live.Merge([]Event{obs(5*m+10*time.Second, 40)}) {
		t.Error("a point after every evaluated minute rewrote the state")
	}
}

// TestSourceStaleCountsFromFirstReport: a source with no data yet is stale
// from its first report, not from T+0; and a source started again (a room
// restarted on its journal), whose first report says it has no data yet,
// keeps the last data the room had from it.
func TestSourceStaleCountsFromFirstReport(t *testing.T) {
	sc := &Scenario{Alerts: []AlertRule{{ID: "stale", SourceStale: &SourceStaleRule{For: 10 * time.Minute}}}}
	health := func(at, last time.Duration, status HealthStatus) Event {
		return Event{At: at, Source: "prom", Body: SourceHealth{Source: "prom", Status: status, LastData: last}}
	}
	h := time.Hour
	m := time.Minute

	// First heard of at T+5:00 with no data: stale at T+5:10, not at once.
	s := NewState(sc)
	s.AdvanceTo(5 * h)
	Apply(&s, health(5*h, -1, HealthError))
	s.AdvanceTo(5*h + 10*m)
	if got, want := strings.Join(firings(&s), ","), "stale T+05:10 -"; got != want {
		t.Errorf("no data since its first report: %q, want %q", got, want)
	}

	// Data until T+5:59; started again at T+6:00 with none of its own yet.
	s = NewState(sc)
	Apply(&s, health(5*h+59*m, 5*h+59*m, HealthOK))
	s.AdvanceTo(6 * h)
	Apply(&s, health(6*h, -1, HealthError))
	if got := s.Sources[0].LastData; got != 5*h+59*m {
		t.Errorf("the room's last data from the source = %v, want T+5:59", FormatOffset(got))
	}
	s.AdvanceTo(6*h + 20*m)
	if got, want := strings.Join(firings(&s), ","), "stale T+06:09 -"; got != want {
		t.Errorf("after a restart: %q, want %q", got, want)
	}
}
