package model

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// forecastLinear samples waiting(t) = at0 + rate*(t - t0) hours every step from
// start to end inclusive.
func forecastLinear(start, end, step time.Duration, t0 time.Duration, at0 int64, rate float64) []BacklogPoint {
	var ps []BacklogPoint
	for t := start; t <= end; t += step {
		w := float64(at0) + rate*float64(t-t0)/float64(time.Hour)
		ps = append(ps, BacklogPoint{At: t, Waiting: int64(math.Round(w))})
	}
	return ps
}

// forecastNoisy is a draining series with Gaussian noise from a fixed-seed PCG.
func forecastNoisy(seed uint64, start, end, step time.Duration, at0 int64, rate, sigma float64) []BacklogPoint {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var ps []BacklogPoint
	for t := start; t <= end; t += step {
		w := float64(at0) + rate*float64(t-end)/float64(time.Hour) + sigma*r.NormFloat64()
		ps = append(ps, BacklogPoint{At: t, Waiting: int64(math.Round(w))})
	}
	return ps
}

func forecastPoints(at []time.Duration, waiting []int64) []BacklogPoint {
	ps := make([]BacklogPoint, len(at))
	for i := range at {
		ps[i] = BacklogPoint{At: at[i], Waiting: waiting[i]}
	}
	return ps
}

func TestForecastBacklog(t *testing.T) {
	const h = time.Hour
	// 1,000,000 at T+10h, falling 50,000/h (10,000 every 12 minutes) from T+0.
	linear := forecastLinear(0, 10*h, 12*time.Minute, 10*h, 1_000_000, -50_000)

	// Growing before the window, draining inside it: the old half must not count.
	oldThenLinear := append(forecastLinear(0, 7*h, 12*time.Minute, 7*h, 1_150_000, +90_000),
		forecastLinear(7*h+12*time.Minute, 10*h, 12*time.Minute, 10*h, 1_000_000, -50_000)...)

	// Linear up to now, then a huge spike after now: look-ahead would see it.
	withFuture := append(append([]BacklogPoint(nil), linear...),
		BacklogPoint{At: 10*h + 12*time.Minute, Waiting: 9_000_000},
		BacklogPoint{At: 11 * h, Waiting: 9_500_000},
		BacklogPoint{At: 12 * h, Waiting: 9_900_000})

	// Shallow drain with large scatter: slope -80/h, SE 98.99/h, so the
	// pessimistic slope (+118/h) is not draining.
	// x̄ = 1.5h, ȳ = 950, Sxy = -400, Sxx = 5, residuals ±70, ±210.
	shallow := forecastPoints([]time.Duration{0, 1 * h, 2 * h, 3 * h}, []int64{1000, 1200, 700, 900})

	tests := []struct {
		name    string
		points  []BacklogPoint
		now     time.Duration
		opt     ForecastOptions
		want    Forecast
		rateTol float64
		str     string
	}{
		{
			name: "linear draining", points: linear, now: 10 * h,
			want: Forecast{Now: 10 * h, Waiting: 1_000_000, Rate: -50_000, Points: 15,
				Draining: true, ETA: 30 * h, Early: 30 * h, Late: 30 * h, OK: true},
			str: "draining 50k/h, clear ~T+30:00 (T+30:00–T+30:00)",
		},
		{
			name: "linear to a target", points: linear, now: 10 * h, opt: ForecastOptions{Target: 200_000},
			want: Forecast{Now: 10 * h, Target: 200_000, Waiting: 1_000_000, Rate: -50_000, Points: 15,
				Draining: true, ETA: 26 * h, Early: 26 * h, Late: 26 * h, OK: true},
			str: "draining 50k/h, to 200k ~T+26:00 (T+26:00–T+26:00)",
		},
		{
			name: "linear, earlier now", points: linear, now: 5 * h,
			// 1,250,000 at T+5h: 25 hours to go.
			want: Forecast{Now: 5 * h, Waiting: 1_250_000, Rate: -50_000, Points: 15,
				Draining: true, ETA: 30 * h, Early: 30 * h, Late: 30 * h, OK: true},
			str: "draining 50k/h, clear ~T+30:00 (T+30:00–T+30:00)",
		},
		{
			name: "now between observations", points: linear, now: 10*h - 6*time.Minute,
			// Window (T+6:54, T+9:54]: T+7:00 .. T+9:48, 15 points. Waiting is the
			// T+9:48 observation, 1,010,000: 20.2h from that observation is
			// T+30:00 — the same answer as at T+10:00, since nothing new came.
			want: Forecast{Now: 10*h - 6*time.Minute, Waiting: 1_010_000, Rate: -50_000, Points: 15,
				Draining: true, ETA: 30 * h, Early: 30 * h, Late: 30 * h, OK: true},
			str: "draining 50k/h, clear ~T+30:00 (T+30:00–T+30:00)",
		},
		{
			name: "growing", points: forecastLinear(0, 4*h, 15*time.Minute, 4*h, 300_000, +12_000), now: 4 * h,
			want: Forecast{Now: 4 * h, Waiting: 300_000, Rate: 12_000, Points: 12, OK: true},
			str:  "not draining (+12k/h)",
		},
		{
			name: "flat", points: forecastLinear(0, 4*h, 15*time.Minute, 4*h, 420_000, 0), now: 4 * h,
			want: Forecast{Now: 4 * h, Waiting: 420_000, Rate: 0, Points: 12, OK: true},
			str:  "not draining (0/h)",
		},
		{
			name: "old points outside the window are ignored", points: oldThenLinear, now: 10 * h,
			want: Forecast{Now: 10 * h, Waiting: 1_000_000, Rate: -50_000, Points: 15,
				Draining: true, ETA: 30 * h, Early: 30 * h, Late: 30 * h, OK: true},
			str: "draining 50k/h, clear ~T+30:00 (T+30:00–T+30:00)",
		},
		{
			name: "points after now are ignored", points: withFuture, now: 10 * h,
			want: Forecast{Now: 10 * h, Waiting: 1_000_000, Rate: -50_000, Points: 15,
				Draining: true, ETA: 30 * h, Early: 30 * h, Late: 30 * h, OK: true},
			str: "draining 50k/h, clear ~T+30:00 (T+30:00–T+30:00)",
		},
		{
			name: "custom window", points: linear, now: 10 * h, opt: ForecastOptions{Window: time.Hour},
			// (T+9:00, T+10:00]: T+9:12 .. T+10:00.
			want: Forecast{Now: 10 * h, Waiting: 1_000_000, Rate: -50_000, Points: 5,
				Draining: true, ETA: 30 * h, Early: 30 * h, Late: 30 * h, OK: true},
			str: "draining 50k/h, clear ~T+30:00 (T+30:00–T+30:00)",
		},
		{
			name: "window start is exclusive, now inclusive",
			points: forecastPoints([]time.Duration{1 * h, 2 * h, 3 * h, 4 * h, 5 * h},
				[]int64{999_999, 400, 300, 200, 100}),
			now: 4 * h, opt: ForecastOptions{Window: 2 * h},
			// Only T+3h and T+4h are in (T+2h, T+4h].
			want: Forecast{Now: 4 * h, Waiting: 200, Points: 2},
			str:  "not enough data",
		},
		{
			name:   "fewer than 3 points",
			points: forecastPoints([]time.Duration{1 * h, 2 * h}, []int64{5000, 4000}), now: 2 * h,
			want: Forecast{Now: 2 * h, Waiting: 4000, Points: 2},
			str:  "not enough data",
		},
		{
			name: "no points", points: nil, now: 2 * h,
			want: Forecast{Now: 2 * h},
			str:  "not enough data",
		},
		{
			name: "now before the first point", points: linear, now: -time.Minute,
			want: Forecast{Now: -time.Minute},
			str:  "not enough data",
		},
		{
			name:   "all at one moment",
			points: forecastPoints([]time.Duration{1 * h, 1 * h, 1 * h}, []int64{300, 200, 100}), now: 2 * h,
			want: Forecast{Now: 2 * h, Waiting: 100, Points: 3},
			str:  "not enough data",
		},
		{
			name: "already cleared", points: forecastLinear(0, 2*h, 30*time.Minute, 2*h, 0, -10_000), now: 2 * h,
			// 20k, 15k, 10k, 5k, 0.
			want: Forecast{Now: 2 * h, Waiting: 0, Rate: -10_000, Points: 5, Cleared: true, OK: true},
			str:  "cleared",
		},
		{
			name: "cleared to a target", points: linear, now: 10 * h, opt: ForecastOptions{Target: 1_000_000},
			want: Forecast{Now: 10 * h, Target: 1_000_000, Waiting: 1_000_000, Rate: -50_000, Points: 15,
				Cleared: true, OK: true},
			str: "cleared (at or below 1M)",
		},
		{
			name: "pessimistic slope not draining", points: shallow, now: 3 * h, opt: ForecastOptions{Window: 4 * h},
			// ETA 3h + 900/80 h = T+14:15; Early 3h + 900/(80+2·98.995) h = T+06:14.
			want: Forecast{Now: 3 * h, Waiting: 900, Rate: -80, Points: 4,
				Draining: true, ETA: 14*h + 15*time.Minute, Early: 6*h + 14*time.Minute, Late: -1, OK: true},
			str: "draining 80/h, clear ~T+14:15 (T+06:14–no upper bound)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ForecastBacklog(tc.points, tc.now, tc.opt)
			if math.Abs(got.Rate-tc.want.Rate) > 1e-6 {
				t.Errorf("Rate = %.9f, want %.9f", got.Rate, tc.want.Rate)
			}
			got.Rate, tc.want.Rate = 0, 0
			if got != tc.want {
				type raw Forecast // print fields, not String()
				t.Errorf("ForecastBacklog =\n %+v, want\n %+v", raw(got), raw(tc.want))
			}
			if s := ForecastBacklog(tc.points, tc.now, tc.opt).String(); s != tc.str {
				t.Errorf("String() = %q, want %q", s, tc.str)
			}
		})
	}
}

func TestForecastBacklogNoisy(t *testing.T) {
	const h = time.Hour
	const (
		trueRate = -40_000.0
		sigma    = 20_000.0
		now      = 12 * h
	)
	// Every 5 minutes from T+6h to T+12h; 1.5M at T+12h. The 3h window holds 36.
	ps := forecastNoisy(42, 6*h, now, 5*time.Minute, 1_500_000, trueRate, sigma)
	f := ForecastBacklog(ps, now, ForecastOptions{})
	if !f.OK || !f.Draining || f.Cleared || f.Points != 36 {
		t.Fatalf("forecast = %+v, want OK draining with 36 points", f)
	}
	// The slope's standard error is about sigma/sqrt(Sxx) ≈ 20000/5.2 ≈ 3.9k/h;
	// allow three of them (this seed lands 6.8k/h off).
	if math.Abs(f.Rate-trueRate) > 12_000 {
		t.Errorf("Rate = %.0f, want within 12000 of %.0f", f.Rate, trueRate)
	}
	if !(f.Early <= f.ETA && f.ETA <= f.Late && f.Early < f.Late) {
		t.Errorf("range: Early %v, ETA %v, Late %v; want Early <= ETA <= Late, Early < Late", f.Early, f.ETA, f.Late)
	}
	for _, at := range []time.Duration{f.ETA, f.Early, f.Late} {
		if at%time.Minute != 0 {
			t.Errorf("%v is not rounded to the minute", at)
		}
	}
	want := "draining " + CompactFloat(-f.Rate) + "/h, clear ~" + FormatOffset(f.ETA) +
		" (" + FormatOffset(f.Early) + "–" + FormatOffset(f.Late) + ")"
	if s := f.String(); s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
	type raw Forecast
	t.Logf("%+v: %s", raw(f), f)

	// The same seed gives the same forecast: nothing depends on a clock.
	if g := ForecastBacklog(forecastNoisy(42, 6*h, now, 5*time.Minute, 1_500_000, trueRate, sigma), now, ForecastOptions{}); g != f {
		t.Errorf("not deterministic: %+v vs %+v", g, f)
	}
}

// Over many noisy series the range [Early, Late] holds the true clearing time
// about as often as slope ± 2 standard errors should (~95%).
func TestForecastBacklogNoisyCoverage(t *testing.T) {
	const (
		h        = time.Hour
		trueRate = -40_000.0
		now      = 12 * h
		runs     = 1000
	)
	hits := 0
	for seed := range uint64(runs) {
		ps := forecastNoisy(seed, 6*h, now, 5*time.Minute, 1_500_000, trueRate, 20_000)
		f := ForecastBacklog(ps, now, ForecastOptions{})
		if !f.OK || !f.Draining || f.Late < 0 {
			t.Fatalf("seed %d: %s", seed, f)
		}
		if !(f.Early <= f.ETA && f.ETA <= f.Late && f.Early < f.Late) {
			t.Fatalf("seed %d: Early %v, ETA %v, Late %v", seed, f.Early, f.ETA, f.Late)
		}
		truth := now + time.Duration(float64(f.Waiting)/-trueRate*float64(time.Hour))
		if f.Early <= truth && truth <= f.Late {
			hits++
		}
	}
	cover := float64(hits) / runs
	t.Logf("coverage %.3f", cover)
	if cover < 0.92 || cover > 0.98 {
		t.Errorf("true ETA within [Early, Late] in %.1f%% of runs, want about 95%%", 100*cover)
	}
}

// Appending observations after now never changes a forecast for now.
func TestForecastBacklogNoLookAhead(t *testing.T) {
	const h = time.Hour
	ps := forecastNoisy(7, 0, 20*h, time.Minute, 2_000_000, -60_000, 30_000)
	for _, now := range []time.Duration{3 * h, 7*h + 30*time.Second, 11 * h, 19*h + 59*time.Minute} {
		cut := 0
		for cut < len(ps) && ps[cut].At <= now {
			cut++
		}
		want := ForecastBacklog(ps[:cut], now, ForecastOptions{})
		if got := ForecastBacklog(ps, now, ForecastOptions{}); got != want {
			t.Errorf("now %v: with future points %+v, without %+v", now, got, want)
		}
	}
}

func TestForecastStringExample(t *testing.T) {
	const h = time.Hour
	f := Forecast{OK: true, Draining: true, Rate: -38_200,
		ETA: 54*h + 10*time.Minute, Early: 49 * h, Late: 61*h + 30*time.Minute}
	if s, want := f.String(), "draining 38k/h, clear ~T+54:10 (T+49:00–T+61:30)"; s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
}

func TestForecastFormatCount(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {0.4, "0"}, {850, "850"}, {999.4, "999"}, {999.6, "1k"}, {4210, "4.2k"},
		{9949, "9.9k"}, {9951, "10k"}, {38_200, "38k"}, {999_400, "999k"}, {999_600, "1M"},
		{1_420_000, "1.42M"}, {12_000_000, "12M"},
	} {
		if got := CompactFloat(tc.v); got != tc.want {
			t.Errorf("CompactFloat(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		r    float64
		want string
	}{{12_000, "+12k/h"}, {-850, "-850/h"}, {0.2, "0/h"}, {-0.2, "0/h"}} {
		if got := Signed(tc.r) + "/h"; got != tc.want {
			t.Errorf("Signed(%v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestForecastBacklogAllocs(t *testing.T) {
	ps := forecastLinear(0, 100_000*time.Minute, time.Minute, 0, 5_000_000, -1_000)
	now := 50_000*time.Minute + 30*time.Second
	if n := testing.AllocsPerRun(100, func() { ForecastBacklog(ps, now, ForecastOptions{}) }); n != 0 {
		t.Errorf("ForecastBacklog allocates %v times per run, want 0", n)
	}
}

func BenchmarkForecastBacklog(b *testing.B) {
	// 100k observations a minute apart (about 69 days); a 3h window holds 180.
	ps := forecastNoisy(1, 0, 99_999*time.Minute, time.Minute, 1_000_000, -100, 5_000)
	if len(ps) != 100_000 {
		b.Fatalf("len = %d", len(ps))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		now := time.Duration(i%100_000) * time.Minute
		ForecastBacklog(ps, now, ForecastOptions{})
		i += 7919
	}
}
