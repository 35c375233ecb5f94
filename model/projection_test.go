package model

import (
	"math"
	"testing"
	"time"
)

func TestProjectBacklog(t *testing.T) {
	const h = time.Hour
	// 1,000,000 at T+10h falling 50,000/h: an exact line, so SE is 0 and
	// the band is the line itself.
	linear := forecastLinear(0, 10*h, 12*time.Minute, 10*h, 1_000_000, -50_000)
	// The forecast test's shallow drain (a 4h window holds all four): slope −80/h, SE √(98000/2/5) =
	// 98.995/h, so Steep = −80 − 197.990 = −277.990 and Shallow = +117.990.
	shallow := forecastPoints([]time.Duration{0, 1 * h, 2 * h, 3 * h}, []int64{1000, 1200, 700, 900})
	const twoSE = 197.98989873223329

	tests := []struct {
		name          string
		points        []BacklogPoint
		now           time.Duration
		opt           ForecastOptions
		at            time.Duration
		mid, lo, hi   float64
		notOK         bool
		from, waiting float64
	}{
		// 1,000,000 − 2h × 50,000 = 900,000.
		{name: "linear, 2h on", points: linear, now: 10 * h, at: 12 * h, mid: 900_000, lo: 900_000, hi: 900_000},
		// Past the ETA (T+30h) the path stays at the target.
		{name: "linear, past the ETA", points: linear, now: 10 * h, at: 31 * h, mid: 0, lo: 0, hi: 0},
		// To a target of 200,000, reached at T+26h: at T+28h still 200,000.
		{name: "linear to a target", points: linear, now: 10 * h, opt: ForecastOptions{Target: 200_000}, at: 28 * h,
			mid: 200_000, lo: 200_000, hi: 200_000},
		// 900 at T+3h; an hour on: 900 − 80 = 820, 900 − 277.99 = 622.01,
		// 900 + 117.99 = 1017.99.
		{name: "shallow, 1h on", points: shallow, now: 3 * h, opt: ForecastOptions{Window: 4 * h}, at: 4 * h, mid: 820, lo: 900 - 80 - twoSE, hi: 900 - 80 + twoSE},
		// Two hours on, with the baseline at 600: 900 − 160 = 740; the low
		// edge 900 − 555.98 = 344 stops at 600.
		{name: "shallow, the band's low edge at the baseline", points: shallow, now: 3 * h, opt: ForecastOptions{Target: 600, Window: 4 * h},
			at: 5 * h, mid: 740, lo: 600, hi: 900 - 160 + 2*twoSE},
		// Before From: the last observation.
		{name: "before the last observation", points: shallow, now: 3 * h, at: 2 * h, mid: 900, lo: 900, hi: 900},
		// Two points are not a forecast.
		{name: "too few points", points: shallow[:2], now: 3 * h, notOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ProjectBacklog(tt.points, tt.now, tt.opt)
			if p.OK == tt.notOK {
				t.Fatalf("OK %v, want %v", p.OK, !tt.notOK)
			}
			if tt.notOK {
				return
			}
			mid, lo, hi := p.At(tt.at)
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"mid", mid, tt.mid}, {"lo", lo, tt.lo}, {"hi", hi, tt.hi}} {
				if math.Abs(c.got-c.want) > 1e-6 {
					t.Errorf("%s at %s = %.4f, want %.4f", c.what, FormatOffset(tt.at), c.got, c.want)
				}
			}
		})
	}
}

// The projection's paths reach the target where the forecast says: the
// central one at ETA, the band's edges at Early and Late (within the
// minute the forecast rounds to).
func TestProjectionAgreesWithForecast(t *testing.T) {
	const h = time.Hour
	for seed := range uint64(8) {
		pts := forecastNoisy(seed, 0, 10*h, 5*time.Minute, 1_000_000, -40_000, 8_000)
		opt := ForecastOptions{Target: 150_000}
		f := ForecastBacklog(pts, 10*h, opt)
		p := ProjectBacklog(pts, 10*h, opt)
		if !f.Draining || !p.OK {
			t.Fatalf("seed %d: want a draining forecast, got %v", seed, f)
		}
		tol := 40_000.0/60 + 2*8_000.0 // a minute of the rate, plus a noisy slope's spread
		near := func(what string, at time.Duration, v float64) {
			if math.Abs(v-150_000) > tol {
				t.Errorf("seed %d: %s at %s is %.0f, want 150000", seed, what, FormatOffset(at), v)
			}
		}
		mid, _, _ := p.At(f.ETA)
		near("mid", f.ETA, mid)
		_, lo, _ := p.At(f.Early)
		near("lo", f.Early, lo)
		if f.Late >= 0 {
			_, _, hi := p.At(f.Late)
			near("hi", f.Late, hi)
		}
	}
}

func TestProjectWhatIf(t *testing.T) {
	const h = time.Hour
	linear := forecastLinear(0, 10*h, 12*time.Minute, 10*h, 1_000_000, -50_000)
	shipped := append([]BacklogPoint(nil), linear...)
	shipped[len(shipped)-1].Shipped, shipped[len(shipped)-1].HasShipped = 120_000, true

	tests := []struct {
		name   string
		points []BacklogPoint
		w      WhatIf
		at     time.Duration
		mid    float64
		eta    time.Duration
	}{
		// No shipped rate: the drain rate stands for it. ×0.8 from T+12h
		// slows the drain by 0.2 × 50,000 = 10,000/h: 900,000 at T+12h,
		// then −40,000/h: 500,000 at T+22h, 0 at 12h + 900k/40k = T+34h30.
		{name: "slower from T+12h", points: linear, w: WhatIf{Factor: 0.8, From: 12 * h}, at: 22 * h, mid: 500_000, eta: 34*h + 30*time.Minute},
		// Shipped 120,000/h: ×0.5 from now slows it by 60,000/h, so the
		// backlog grows 10,000/h: 1,050,000 five hours on, never clearing.
		{name: "halved from now", points: shipped, w: WhatIf{Factor: 0.5}, at: 15 * h, mid: 1_050_000, eta: -1},
		// ×2 from T+11h adds (1−2) × 50,000: −100,000/h: 950,000 at T+11h,
		// 0 at 11h + 9.5h = T+20h30.
		{name: "doubled from T+11h", points: linear, w: WhatIf{Factor: 2, From: 11 * h}, at: 13 * h, mid: 750_000, eta: 20*h + 30*time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ProjectWhatIf(tt.points, 10*h, ForecastOptions{}, tt.w)
			if !p.OK {
				t.Fatal("not OK")
			}
			if mid, _, _ := p.At(tt.at); math.Abs(mid-tt.mid) > 1e-6 {
				t.Errorf("at %s: %.2f, want %.2f", FormatOffset(tt.at), mid, tt.mid)
			}
			f := ForecastWhatIf(tt.points, 10*h, ForecastOptions{}, tt.w)
			switch {
			case tt.eta < 0 && f.Draining:
				t.Errorf("the what-if forecast drains (ETA %s); the projection does not", FormatOffset(f.ETA))
			case tt.eta >= 0 && f.ETA != tt.eta:
				t.Errorf("ForecastWhatIf ETA %s, want %s", FormatOffset(f.ETA), FormatOffset(tt.eta))
			case tt.eta >= 0:
				if mid, _, _ := p.At(tt.eta); mid != 0 {
					t.Errorf("the path is at %.0f at the ETA, want 0", mid)
				}
			}
		})
	}
	if p := ProjectWhatIf(linear, 10*h, ForecastOptions{}, WhatIf{Factor: 1}); p.OK {
		t.Error("a factor of 1 is no what-if")
	}
}

func TestProjectionColumns(t *testing.T) {
	const h = time.Hour
	linear := forecastLinear(0, 10*h, 12*time.Minute, 10*h, 1_000_000, -50_000)
	// A chart of 8 columns spanning T+0–T+40h: column c at 5h × c. From
	// T+10h (column 2) the path falls 250,000 a column and reaches 0 at
	// T+30h (column 6); column 7 has nothing left to draw.
	cols := ProjectBacklog(linear, 10*h, ForecastOptions{}).Columns(40*h, 8, nil)
	want := []struct {
		col     int
		mid     float64
		reached bool
	}{{2, 1_000_000, false}, {3, 750_000, false}, {4, 500_000, false}, {5, 250_000, false}, {6, 0, true}}
	if len(cols) != len(want) {
		t.Fatalf("%d columns, want %d: %+v", len(cols), len(want), cols)
	}
	for i, w := range want {
		c := cols[i]
		if c.Col != w.col || math.Abs(c.Mid-w.mid) > 1e-6 || c.ReachedFloor != w.reached || c.MidDone || c.BandDone != w.reached {
			t.Errorf("column %d: %+v, want col %d mid %.0f reached %v", i, c, w.col, w.mid, w.reached)
		}
	}

	// A band that is wider: the shallow drain from T+3h over T+0–T+8h in
	// 4 columns (2h each). Column 2 (T+4h): mid 900 − 80 = 820, lo 622.01,
	// hi 1017.99; column 4 (T+8h): mid 500, lo max(600, −489.95) = 600.
	shallow := forecastPoints([]time.Duration{0, 1 * h, 2 * h, 3 * h}, []int64{1000, 1200, 700, 900})
	cols = ProjectBacklog(shallow, 3*h, ForecastOptions{Target: 600, Window: 4 * h}).Columns(8*h, 4, nil)
	if len(cols) != 3 || cols[0].Col != 2 || math.Abs(cols[0].Mid-820) > 1e-6 ||
		math.Abs(cols[2].Mid-600) > 1e-6 || cols[2].Lo != 600 || !cols[2].ReachedFloor {
		t.Errorf("shallow columns %+v", cols)
	}
	// Column 3 (T+6h): mid 900 − 240 = 660, hi 900 + 3 × 117.99 = 1253.97.
	if math.Abs(cols[1].Mid-660) > 1e-6 || math.Abs(cols[1].Hi-(900+3*(-80+197.98989873223329))) > 1e-6 {
		t.Errorf("column 3 %+v", cols[1])
	}
	if got := (Projection{}).Columns(8*h, 4, nil); len(got) != 0 {
		t.Errorf("no projection has columns: %+v", got)
	}
}
