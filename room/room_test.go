package room

import (
	"runtime"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

func scenario() *model.Scenario {
	h := time.Hour
	return &model.Scenario{
		Name:       "t",
		Meta:       model.Meta{Title: "t", Start: time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)},
		HostGroups: []model.HostGroupDef{{ID: "wms", Name: "WMS", Total: 10}},
		Carriers:   []model.CarrierDef{{ID: "ups", Name: "UPS"}},
		Runbook:    []model.StepDef{{ID: "reboot", Title: "Reboot"}},
		Events: []model.Event{
			{At: 0, Body: model.HostStatus{Group: "wms", Recovered: 0, Failed: 10}},
			{At: h, Body: model.CarrierWarning{ID: "w", Carrier: "ups", Severity: model.SeverityMajor, Headline: "delays"}},
			{At: 2 * h, Body: model.HostStatus{Group: "wms", Recovered: 5, Failed: 5}},
			{At: 3 * h, Body: model.Inject{ID: "i", Title: "decide"}},
		},
	}
}

func TestNewOpensPausedAtZero(t *testing.T) {
	r := New(scenario())
	s := r.Snapshot()
	if s.Clock != 0 || s.Pos != 1 || s.Playing || s.Speed != model.DefaultSpeed || s.Len != 4 {
		t.Fatalf("snapshot %+v", s)
	}
	if want := time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC); !s.Wall().Equal(want) {
		t.Errorf("wall %v", s.Wall())
	}
}

func TestSnapshotsAreImmutable(t *testing.T) {
	r := New(scenario())
	before := r.Snapshot()
	r.Seek(3 * time.Hour)
	if before.State.Hosts[0].Recovered != 0 || len(before.State.Warnings) != 0 {
		t.Fatalf("an earlier snapshot changed: %+v", before.State.Hosts)
	}
}

func TestActInsertsAtClockAndMovesEpoch(t *testing.T) {
	r := New(scenario())
	r.Seek(90 * time.Minute)
	s, _ := r.Act("ic", model.Acknowledgement{Warning: "w", By: "ic"}, "")
	if w, _ := s.State.Warning("w"); !w.Acked || w.AckedAt != 90*time.Minute {
		t.Fatalf("warning %+v", w)
	}
	if s.State.Epoch != 1 || s.Len != 5 {
		t.Errorf("epoch %d len %d", s.State.Epoch, s.Len)
	}
	// Back before the ack it is undone; forward again it is there.
	if w, _ := r.Seek(80 * time.Minute).State.Warning("w"); w.Acked {
		t.Error("ack visible before it happened")
	}
	if w, _ := r.Seek(3 * time.Hour).State.Warning("w"); !w.Acked {
		t.Error("ack lost after seeking past it")
	}
}

func TestPlayRunsToTheEndAndStops(t *testing.T) {
	// A clock that moves a real minute per frame: at 60x an hour per frame.
	fake := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := New(scenario(), WithFrame(time.Millisecond), WithClock(func() time.Time {
		fake = fake.Add(time.Minute)
		return fake
	}))
	defer r.Close()
	ch, cancel := r.Subscribe()
	defer cancel()
	r.SetPlaying(true)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-ch:
			if !s.Playing && s.Pos == s.Len {
				if s.Clock != 3*time.Hour {
					t.Fatalf("ended at %v", s.Clock)
				}
				return
			}
		case <-deadline:
			t.Fatal("replay did not reach the end")
		}
	}
}

func TestPausedRoomRunsNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	r := New(scenario(), WithFrame(time.Millisecond))
	r.SetPlaying(true)
	if runtime.NumGoroutine() <= base {
		t.Fatal("playing should run the play loop")
	}
	r.SetPlaying(false)
	for range 100 {
		if runtime.NumGoroutine() <= base {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("play loop still running after pause: %d goroutines, %d before", runtime.NumGoroutine(), base)
}

func TestSubscriberGetsOnlyTheLatest(t *testing.T) {
	r := New(scenario())
	ch, cancel := r.Subscribe()
	r.Next()
	r.Next()
	last := r.Next()
	s := <-ch
	if s.Seq != last.Seq || s.Pos != last.Pos {
		t.Fatalf("got seq %d pos %d, want the latest seq %d pos %d", s.Seq, s.Pos, last.Seq, last.Pos)
	}
	select {
	case extra := <-ch:
		t.Fatalf("stale snapshot queued: %+v", extra.Seq)
	default:
	}
	cancel()
	cancel() // twice is harmless
	r.Next()
	if s, ok := <-ch; ok {
		t.Fatalf("cancelled subscription still receives: %+v", s.Seq)
	}
}

func TestStepAndInjectPause(t *testing.T) {
	r := New(scenario())
	r.SetPlaying(true)
	if s := r.Next(); s.Playing || s.Pos != 2 || s.Clock != time.Hour {
		t.Fatalf("next: %+v", s)
	}
	if s := r.NextInject(); s.Clock != 3*time.Hour || len(s.State.Injects) != 1 {
		t.Fatalf("inject: clock %v", s.Clock)
	}
	if s := r.Prev(); s.Clock != 2*time.Hour || s.Pos != 3 {
		t.Fatalf("prev: clock %v pos %d", s.Clock, s.Pos)
	}
	if s := r.Restart(); s.Clock != 0 || s.Pos != 1 {
		t.Fatalf("restart: clock %v pos %d", s.Clock, s.Pos)
	}
}

func TestPlayStopsAtInjectAndDecisionGetsWallTime(t *testing.T) {
	fake := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	r := New(scenario(), WithFrame(time.Millisecond), WithClock(func() time.Time {
		fake = fake.Add(time.Minute)
		return fake
	}))
	defer r.Close()
	ch, cancel := r.Subscribe()
	defer cancel()
	r.SetSpeed(model.MaxSpeed)
	r.SetPlaying(true)
	for s := range ch {
		if !s.Playing {
			if s.Clock != 3*time.Hour || len(s.State.Injects) != 1 || s.State.Injects[0].Status != model.InjectFired {
				t.Fatalf("want a stop at the inject (T+03:00): clock %v injects %+v", s.Clock, s.State.Injects)
			}
			break
		}
	}
	s, _ := r.Act("ana", model.Decision{By: "ana", Text: "hold the line"}, "")
	d := s.State.Decisions[0]
	if d.Inject != "i" || d.At != 3*time.Hour || d.Wall.IsZero() || d.By != "ana" {
		t.Fatalf("decision %+v", d)
	}
}

func TestWithoutPauseOnInject(t *testing.T) {
	r := New(scenario(), WithPauseOnInject(false))
	if r.Snapshot().PauseOnInject {
		t.Fatal("option not applied")
	}
	if !r.SetPauseOnInject(true).PauseOnInject {
		t.Fatal("SetPauseOnInject(true) not applied")
	}
}

func TestDeliveryRecordsRealTimeOnceAndPausesOnFire(t *testing.T) {
	fake := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	r := New(scenario(), WithClock(func() time.Time { return fake }))
	s := r.NextInject()
	if at, ok := s.Shown["i"]; !ok || !at.Equal(fake) {
		t.Fatalf("delivery time not recorded: %v", s.Shown)
	}
	fake = fake.Add(time.Hour)
	r.Prev()
	s = r.Next()
	if at := s.Shown["i"]; !at.Equal(fake.Add(-time.Hour)) {
		t.Errorf("stepping back and forth must keep the first arrival time, got %v", at)
	}
	// A facilitator firing an inject while playing pauses there.
	r2 := New(scenario(), WithClock(func() time.Time { return fake }), WithFrame(time.Hour))
	defer r2.Close()
	r2.SetPlaying(true)
	s, _ = r2.Act("fac", model.InjectControl{Inject: "i", Action: model.InjectFire}, "")
	if s.Playing || s.State.Injects[0].Status != model.InjectFired {
		t.Fatalf("fire while playing: playing %v status %v", s.Playing, s.State.Injects[0].Status)
	}
}
