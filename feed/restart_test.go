package feed_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/sim"
)

// roomPicture is what a restart must not change: every pane's content, and
// the timeline without the lines about the sources' health.
type roomPicture struct {
	Hosts      []model.HostGroup
	Backlog    []model.BacklogPoint
	Warnings   []model.Warning
	Complaints int
	Runbook    []model.Step
	Timeline   []model.Entry
}

func picture(s room.Snapshot) roomPicture {
	p := roomPicture{Hosts: s.State.Hosts, Backlog: s.State.Backlog.Points, Warnings: s.State.Warnings,
		Complaints: s.State.Complaints.Total, Runbook: s.State.Runbook}
	for _, e := range s.State.Timeline {
		if e.Kind != model.KindSourceHealth {
			p.Timeline = append(p.Timeline, e)
		}
	}
	return p
}

// TestRestartedSimulatorChangesNothing is the drill of the issue: a live
// room fed by the simulator over HTTP, RSS and a status page; the
// simulator stops, and starts again on its timeline, serving everything it
// had served. The room is as it was; then the incident goes on.
func TestRestartedSimulatorChangesNothing(t *testing.T) {
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	clk := &stepClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	live := *sc
	live.Events, live.Meta.Start = nil, clk.now() // the console's T+0: when it starts
	r := room.NewLive(&live, room.WithClock(clk.now))
	defer r.Close()

	tlPath := filepath.Join(t.TempDir(), "timeline.json")
	start := func() *sim.Simulator {
		tl, _, err := sim.ContinueTimeline(tlPath, sc, 60, 0, clk.now(), false)
		if err != nil {
			t.Fatal(err)
		}
		s := sim.NewTimeline(sc, tl, clk.now)
		s.StampRealTime()
		return s
	}
	var serving atomic.Pointer[sim.Simulator]
	serving.Store(start())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		s := serving.Load()
		if s == nil {
			http.Error(w, "simulator stopped", http.StatusServiceUnavailable)
			return
		}
		s.Handler().ServeHTTP(w, req)
	}))
	defer srv.Close()

	clock := feed.Clock{Origin: live.Meta.Start, Now: clk.now}
	runner := feed.NewRunner(clock, r.Ingest)
	sch := feed.Schedule{Interval: 20 * time.Millisecond, Timeout: time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	wait := feed.Start(ctx, runner, []feed.Running{
		{Source: feed.NewHTTP("fleet", srv.URL+"/events.ndjson?kind=hosts&kind=backlog&kind=update&kind=step", nil, clock), Schedule: sch},
		{Source: feed.NewRSS("seller-forum", srv.URL+"/rss/complaints.xml", feed.RSSMapping{}, clock, nil), Schedule: sch},
		{Source: feed.NewStatuspage("ups-status", srv.URL+"/statuspage/ups/api/v2/summary.json", "ups", clock, nil), Schedule: sch},
	})
	defer func() { cancel(); wait() }()

	// The room holds the scenario as far as the simulator is.
	replayHosts := func(at time.Duration) map[string]int {
		c := model.NewCursor(model.NewState(sc), sc.Events)
		c.Seek(at)
		out := map[string]int{}
		for _, g := range c.State().Hosts {
			if g.Seen {
				out[g.ID] = g.Recovered
			}
		}
		return out
	}
	roomHosts := func() map[string]int {
		out := map[string]int{}
		for _, g := range r.Snapshot().State.Hosts {
			if g.Seen {
				out[g.ID] = g.Recovered
			}
		}
		return out
	}
	allOK := func() bool {
		srcs := r.Snapshot().State.Sources
		for _, s := range srcs {
			if s.Status != model.HealthOK {
				return false
			}
		}
		return len(srcs) == 3
	}
	caughtUp := func(at time.Duration) func() bool {
		want := replayHosts(at)
		return func() bool { return allOK() && reflect.DeepEqual(roomHosts(), want) }
	}
	clk.advance(5 * time.Minute) // T+5h in the simulator
	waitUntil(t, "the room at T+5h", caughtUp(5*time.Hour))
	time.Sleep(100 * time.Millisecond) // a few more polls: nothing more comes
	before := picture(r.Snapshot())
	if len(before.Timeline) == 0 || before.Complaints == 0 || len(before.Warnings) == 0 {
		t.Fatalf("the drill has not started: %d timeline lines, %d complaints, %d warnings",
			len(before.Timeline), before.Complaints, len(before.Warnings))
	}

	// Stopped: the sources fail and go stale (the clock stands still, so
	// their data stays the newest there is); started again on its timeline.
	serving.Store(nil)
	waitUntil(t, "the sources failing", func() bool {
		for _, s := range r.Snapshot().State.Sources {
			if s.Status != model.HealthStale || s.Error == "" {
				return false
			}
		}
		return true
	})
	serving.Store(start())
	waitUntil(t, "the sources back", allOK)
	time.Sleep(100 * time.Millisecond)
	if after := picture(r.Snapshot()); !reflect.DeepEqual(after, before) {
		t.Errorf("the restart changed the room:\n%s", pictureDiff(before, after))
	}

	// The incident goes on from where it was.
	clk.advance(2 * time.Minute)
	waitUntil(t, "the room at T+7h", caughtUp(7*time.Hour))
}

// pictureDiff names what differs between two pictures.
func pictureDiff(a, b roomPicture) string {
	out := ""
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out += fmt.Sprintf("%s:\n  before %+v\n  after  %+v\n", va.Type().Field(i).Name, va.Field(i).Interface(), vb.Field(i).Interface())
		}
	}
	return out
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestDroppedItemsReachTheRoom: what a source drops is counted in its
// health, by reason, as the room shows it.
func TestDroppedItemsReachTheRoom(t *testing.T) {
	origin := time.Date(2024, 7, 19, 4, 0, 0, 0, time.UTC)
	now := func() time.Time { return origin.Add(6 * time.Hour) }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"at":"+5h","hosts":{"group":"wms","recovered":244,"total":1240}}`+"\n"+
			`{"at":"+4h","hosts":{"group":"wms","recovered":198,"total":1240}}`+"\n"+ // newest first: read whole
			"not json\n"+`{"at":"+5h","pager":{"text":"p1"}}`+"\n")
	}))
	defer srv.Close()
	sc := &model.Scenario{Meta: model.Meta{Title: "drops", Start: origin}}
	r := room.NewLive(sc, room.WithClock(now))
	defer r.Close()
	clock := feed.Clock{Origin: origin, Now: now}
	runner := feed.NewRunner(clock, r.Ingest)
	h := feed.NewHTTP("fleet", srv.URL, nil, clock)
	ctx, cancel := context.WithCancel(context.Background())
	wait := feed.Start(ctx, runner, []feed.Running{{Source: h, Schedule: feed.Schedule{Interval: 20 * time.Millisecond, Timeout: time.Second}}})
	defer func() { cancel(); wait() }()
	want := []model.DropCount{{Reason: feed.DropBadEntry, Count: 1}, {Reason: feed.DropUnknownKind, Count: 1}}
	waitUntil(t, "the counts in the room", func() bool {
		srcs := r.Snapshot().State.Sources
		return len(srcs) == 1 && reflect.DeepEqual(srcs[0].Dropped, want)
	})
	if g := r.Snapshot().State.Hosts; len(g) != 1 || g[0].Recovered != 244 || len(g[0].History) != 2 {
		t.Errorf("hosts %+v, want both reports, 244 the latest", g)
	}
}
