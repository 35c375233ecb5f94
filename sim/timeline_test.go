package sim_test

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/warroom/warroom/sim"
)

func TestContinueTimeline(t *testing.T) {
	sc := defaultScenario(t) // ends at T+76h05m: 76 minutes at ×60
	began := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	saved := sim.Timeline{Scenario: sc.Name, Speed: 60, Start: 4 * time.Hour, Began: began}
	cases := []struct {
		name      string
		file      string // "": the saved timeline; "none": no file
		speed     float64
		start     time.Duration
		now       time.Time
		fresh     bool
		continued bool
	}{
		{"restarted a while later: the same incident goes on", "", 60, 4 * time.Hour, began.Add(10 * time.Minute), false, true},
		{"--fresh starts over", "", 60, 4 * time.Hour, began.Add(10 * time.Minute), true, false},
		{"another speed is another incident", "", 120, 4 * time.Hour, began.Add(10 * time.Minute), false, false},
		{"another start is another incident", "", 60, 0, began.Add(10 * time.Minute), false, false},
		{"the saved incident is over", "", 60, 4 * time.Hour, began.Add(73 * time.Minute), false, false},
		{"a timeline from the future is not trusted", "", 60, 4 * time.Hour, began.Add(-time.Minute), false, false},
		{"a frozen clock has nothing to go on with", "", 0, 4 * time.Hour, began, false, false},
		{"no file yet", "none", 60, 4 * time.Hour, began, false, false},
		{"a damaged file", "{not json", 60, 4 * time.Hour, began, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state", "tl.json")
			if c.file != "none" {
				if _, _, err := sim.ContinueTimeline(path, sc, saved.Speed, saved.Start, saved.Began, true); err != nil {
					t.Fatal(err)
				}
			}
			if c.file != "" && c.file != "none" {
				if err := os.WriteFile(path, []byte(c.file), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tl, continued, err := sim.ContinueTimeline(path, sc, c.speed, c.start, c.now, c.fresh)
			if err != nil {
				t.Fatal(err)
			}
			want := sim.Timeline{Scenario: sc.Name, Speed: c.speed, Start: c.start, Began: c.now}
			if c.continued {
				want = saved
			}
			if continued != c.continued || tl != want {
				t.Errorf("got %+v (continued %v), want %+v (continued %v)", tl, continued, want, c.continued)
			}
			// Whatever it is, it is what the next run finds.
			again, _, err := sim.ContinueTimeline(path, sc, c.speed, c.start, c.now, false)
			if err != nil || (c.speed > 0 && again != tl) {
				t.Errorf("next run: %+v, %v; want %+v", again, err, tl)
			}
		})
	}
}

// A simulator restarted on its timeline serves the same documents as the
// one it replaces would have: the same events at the same times.
func TestRestartedSimulatorGoesOn(t *testing.T) {
	sc := defaultScenario(t)
	clk := &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "tl.json")
	tl, _, err := sim.ContinueTimeline(path, sc, 60, 4*time.Hour, clk.now(), false)
	if err != nil {
		t.Fatal(err)
	}
	first := sim.NewTimeline(sc, tl, clk.now)
	first.StampRealTime()
	clk.advance(5 * time.Minute) // stopped here, started again
	tl2, continued, err := sim.ContinueTimeline(path, sc, 60, 4*time.Hour, clk.now(), false)
	if err != nil || !continued {
		t.Fatalf("restart: continued %v, %v", continued, err)
	}
	second := sim.NewTimeline(sc, tl2, clk.now)
	second.StampRealTime()
	if first.Offset() != 9*time.Hour || second.Offset() != first.Offset() {
		t.Fatalf("offsets %v and %v, want T+9h both", first.Offset(), second.Offset())
	}
	for _, path := range []string{"/events.ndjson", "/rss/complaints.xml", "/statuspage/ups/api/v2/summary.json"} {
		get := func(s *sim.Simulator) string {
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			b, _ := io.ReadAll(rec.Body)
			return string(b)
		}
		if a, b := get(first), get(second); a != b || a == "" {
			t.Errorf("%s differs after the restart:\n%.300s\n---\n%.300s", path, a, b)
		}
	}
}
