package model

import (
	"testing"
	"time"
)

// benchRules is one rule of each kind.
func benchRules() []AlertRule {
	return []AlertRule{
		{ID: "growing", BacklogGrowing: &BacklogGrowingRule{For: 30 * time.Minute}},
		{ID: "slip", ETASlip: &SlipRule{By: 2 * time.Hour}},
		{ID: "major", CarrierWarning: &CarrierWarningRule{Severity: SeverityMajor}},
		{ID: "spike", ComplaintSpike: &ComplaintSpikeRule{Factor: 2, Topic: "labels-failing"}},
		{ID: "stale", SourceStale: &SourceStaleRule{For: 5 * time.Minute}},
		{ID: "stalled", HostsStalled: &HostsStalledRule{For: time.Hour}},
	}
}

// BenchmarkCursorPlay is BenchmarkCursorPlayAlerts without rules.
func BenchmarkCursorPlay(b *testing.B) { benchPlay(b, nil) }

// BenchmarkCursorPlayAlerts is a playing replay's frame on the large state
// with one rule of each kind: 10s of incident time (×600 at 60 frames a
// second), the events in it applied and the minutes passed evaluated.
func BenchmarkCursorPlayAlerts(b *testing.B) { benchPlay(b, benchRules()) }

func benchPlay(b *testing.B, rules []AlertRule) {
	sc, events := largeEvents()
	sc.Alerts = rules
	c := NewCursor(NewState(sc), events)
	c.Seek(c.End() / 2)
	c.SetSpeed(600)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.SetPlaying(true)
		if !c.Advance(time.Second / 60) {
			b.StopTimer()
			c.Seek(c.End() / 2)
			b.StartTimer()
		}
	}
}

// BenchmarkAlertsMinute is what evaluating every kind of rule once costs
// on the large state at its end (what each minute of incident time costs).
func BenchmarkAlertsMinute(b *testing.B) {
	s := benchAlertState()
	g := s.Now.Truncate(time.Minute)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range s.Alerts {
			evaluateAlertAt(&s, &s.Alerts[i], g)
		}
	}
}

// BenchmarkApplyAlerts is BenchmarkApply with one rule of each kind: the
// rules on warnings and sources evaluated at every minute as events come.
func BenchmarkApplyAlerts(b *testing.B) {
	sc, events := largeEvents()
	sc.Alerts = benchRules()
	start := NewState(sc)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		s := start.Clone()
		for _, e := range events {
			Apply(&s, e)
		}
		s.EvaluateAlerts(s.Now)
		n += len(events)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCursorStepAlerts is a step forward on the large state with the
// rules: a snapshot as a playing replay makes one.
func BenchmarkCursorStepAlerts(b *testing.B) {
	sc, events := largeEvents()
	sc.Alerts = benchRules()
	c := NewCursor(NewState(sc), events)
	c.Seek(c.End())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.Prev()
		c.Next()
	}
}

// BenchmarkAlertRule is BenchmarkAlertsMinute rule by rule.
func BenchmarkAlertRule(b *testing.B) {
	s := benchAlertState()
	g := s.Now.Truncate(time.Minute)
	for i := range s.Alerts {
		b.Run(s.Alerts[i].Rule.ID, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				alertCondition(&s, &s.Alerts[i].Rule, g, false)
			}
		})
	}
}

// benchAlertState is the large state at its end, with one rule of each kind.
func benchAlertState() State {
	sc, events := largeEvents()
	sc.Alerts = benchRules()
	s := NewState(sc)
	for _, e := range events {
		Apply(&s, e)
	}
	return s
}
