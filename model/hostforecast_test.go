package model

import (
	"testing"
	"time"
)

// pts builds a host history from (hours, recovered) pairs.
func pts(pairs ...float64) []HostPoint {
	var out []HostPoint
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, HostPoint{At: time.Duration(pairs[i] * float64(time.Hour)), Recovered: int(pairs[i+1])})
	}
	return out
}

func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

func TestForecastHostGroup(t *testing.T) {
	tests := []struct {
		name    string
		history []HostPoint
		total   int
		now     time.Duration
		outlook HostOutlook
		rate    float64
		points  int
		eta     time.Duration
		early   time.Duration
		late    time.Duration
	}{
		{
			// The window (3h) ends at the last report (3h): 1h, 2h, 3h. A
			// straight line: 10 hosts/h, no error. 70 to go: 3h + 70/10 h.
			name: "steady", history: pts(0, 0, 1, 10, 2, 20, 3, 30), total: 100, now: hm(3, 0),
			outlook: OutlookRecovering, rate: 10, points: 3, eta: hm(10, 0), early: hm(10, 0), late: hm(10, 0),
		},
		{
			// x (hours from 3h) = -2, -1, 0, mean -1; y = 10, 30, 35, mean 25.
			// dx = -1, 0, 1; dy = -15, 5, 10; sxx = 2, sxy = 15 + 10 = 25:
			// slope 12.5/h. Residuals -2.5, 5, -2.5: rss 37.5;
			// se = sqrt(37.5 / (3-2) / 2) = 4.3301. 65 to go:
			// ETA   3h + 65/12.5 h           = 8.2h     = 8h12m;
			// early 3h + 65/(12.5+8.6603) h  = 6.0718h  = 6h04m;
			// late  3h + 65/(12.5-8.6603) h  = 19.9284h = 19h56m.
			name: "noisy", history: pts(1, 10, 2, 30, 3, 35), total: 100, now: hm(3, 0),
			outlook: OutlookRecovering, rate: 12.5, points: 3, eta: hm(8, 12), early: hm(6, 4), late: hm(19, 56),
		},
		{
			// y = 10, 11, 40, mean 20.33; sxy = 10.33 + 19.67 = 30: slope 15/h.
			// Residuals 4.67, -9.33, 4.67: rss 130.67; se = sqrt(130.67/2) =
			// 8.083. slope - 2se < 0: no upper bound. 60 to go:
			// ETA 3h + 60/15 h = 7h; early 3h + 60/31.166 h = 4.9252h = 4h56m.
			name: "no upper bound", history: pts(1, 10, 2, 11, 3, 40), total: 100, now: hm(3, 0),
			outlook: OutlookRecovering, rate: 15, points: 3, eta: hm(7, 0), early: hm(4, 56), late: -1,
		},
		{
			// Reports 4h apart: the 3h window before the last one (8h) holds it
			// alone, so the fit takes the last three: 10/h, 20 to go: 8h + 2h.
			// The clock at 9h changes nothing: the ETA counts from the report.
			name: "sparse reports", history: pts(0, 0, 4, 40, 8, 80), total: 100, now: hm(9, 0),
			outlook: OutlookRecovering, rate: 10, points: 3, eta: hm(10, 0), early: hm(10, 0), late: hm(10, 0),
		},
		{
			// The report at 10h is in the future: unseen. As "steady" at 3h.
			name: "future ignored", history: pts(0, 0, 1, 10, 2, 20, 3, 30, 10, 100), total: 100, now: hm(3, 30),
			outlook: OutlookRecovering, rate: 10, points: 3, eta: hm(10, 0), early: hm(10, 0), late: hm(10, 0),
		},
		{
			// It got 20 back, then nothing over the window (3h, 4h, 5h): 0/h.
			name: "stalled", history: pts(0, 0, 1, 10, 2, 20, 3, 20, 4, 20, 5, 20), total: 100, now: hm(5, 0),
			outlook: OutlookStalled, points: 3,
		},
		{
			// Losing hosts again is no recovery either: 30, 25, 20 is -5/h.
			name: "losing hosts", history: pts(0, 10, 1, 30, 2, 25, 3, 20), total: 100, now: hm(3, 0),
			outlook: OutlookStalled, rate: -5, points: 3,
		},
		{
			// Never more back than at the first report.
			name: "no progress", history: pts(0, 5, 1, 5, 2, 5), total: 100, now: hm(2, 0),
			outlook: OutlookNoProgress, points: 3,
		},
		{
			name: "done", history: pts(0, 0, 1, 50, 2, 100), total: 100, now: hm(2, 0),
			outlook: OutlookDone,
		},
		{
			name: "two reports", history: pts(0, 0, 1, 10), total: 100, now: hm(1, 0),
			outlook: OutlookUnknown, points: 2,
		},
		{
			name: "no report yet", history: pts(1, 10, 2, 20, 3, 30), total: 100, now: hm(0, 30),
			outlook: OutlookUnknown,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ForecastHostGroup(tt.history, tt.total, tt.now, 0)
			if f.Outlook != tt.outlook || f.Points != tt.points || !near(f.Rate, tt.rate) {
				t.Fatalf("outlook %s, %d points, rate %g; want %s, %d, %g", f.Outlook, f.Points, f.Rate, tt.outlook, tt.points, tt.rate)
			}
			if f.Outlook != OutlookRecovering {
				return
			}
			if f.ETA != tt.eta || f.Early != tt.early || f.Late != tt.late {
				t.Errorf("ETA %s (%s–%s), want %s (%s–%s)", f.ETA, f.Early, f.Late, tt.eta, tt.early, tt.late)
			}
		})
	}
}

func near(a, b float64) bool { d := a - b; return d < 1e-9 && d > -1e-9 }

func TestForecastAllHosts(t *testing.T) {
	a := HostForecast{Outlook: OutlookRecovering, ETA: hm(10, 0), Early: hm(9, 0), Late: hm(12, 0)}
	b := HostForecast{Outlook: OutlookRecovering, ETA: hm(8, 0), Early: hm(6, 0), Late: -1}
	c := HostForecast{Outlook: OutlookRecovering, ETA: hm(9, 0), Early: hm(9, 30), Late: hm(11, 0)}
	done := HostForecast{Outlook: OutlookDone}
	stalled := HostForecast{Outlook: OutlookStalled}
	none := HostForecast{Outlook: OutlookNoProgress}
	unknown := HostForecast{Outlook: OutlookUnknown}
	tests := []struct {
		name             string
		in               []HostForecast
		ok, allBack      bool
		eta, early, late time.Duration
		stalled, unknown int
	}{
		// The last group back sets each bound: ETA max(10h, 9h), early
		// max(9h, 9h30), late max(12h, 11h); a done group changes nothing.
		{name: "latest of each", in: []HostForecast{a, c, done}, ok: true, eta: hm(10, 0), early: hm(9, 30), late: hm(12, 0)},
		// One group without an upper bound: the whole has none.
		{name: "no upper bound", in: []HostForecast{a, b}, ok: true, eta: hm(10, 0), early: hm(9, 0), late: -1},
		{name: "no upper bound first", in: []HostForecast{b, a}, ok: true, eta: hm(10, 0), early: hm(9, 0), late: -1},
		// A stalled group, or one without progress, leaves no ETA.
		{name: "stalled", in: []HostForecast{a, stalled, none}, stalled: 2},
		{name: "too few reports", in: []HostForecast{a, unknown}, unknown: 1},
		{name: "all back", in: []HostForecast{done, done}, allBack: true},
		{name: "nothing reported", in: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ForecastAllHosts(tt.in)
			if f.OK != tt.ok || f.AllBack() != tt.allBack || f.Stalled != tt.stalled || f.Unknown != tt.unknown {
				t.Fatalf("%+v: want ok %v, all back %v, %d stalled, %d unknown", f, tt.ok, tt.allBack, tt.stalled, tt.unknown)
			}
			if tt.ok && (f.ETA != tt.eta || f.Early != tt.early || f.Late != tt.late) {
				t.Errorf("ETA %s (%s–%s), want %s (%s–%s)", f.ETA, f.Early, f.Late, tt.eta, tt.early, tt.late)
			}
		})
	}
}

// TestHostsForecastSkipsUnseen: a declared group never reported is left out
// of the whole, and the per-group forecasts keep the order of State.Hosts.
func TestHostsForecastSkipsUnseen(t *testing.T) {
	sc := &Scenario{HostGroups: []HostGroupDef{{ID: "a", Name: "A", Total: 100}, {ID: "b", Name: "B", Total: 10}}}
	s := NewState(sc)
	for h, rec := range []int{0, 10, 20, 30} {
		Apply(&s, Event{At: time.Duration(h) * time.Hour, Body: HostStatus{Group: "b", Recovered: min(rec, 10)}})
	}
	fs, all := s.HostsForecast(3 * time.Hour)
	if len(fs) != 2 || fs[0].Outlook != OutlookUnknown || fs[1].Outlook != OutlookDone {
		t.Fatalf("forecasts %+v", fs)
	}
	if all.Groups != 1 || !all.AllBack() {
		t.Errorf("whole %+v: want the one reported group, all back", all)
	}
}
