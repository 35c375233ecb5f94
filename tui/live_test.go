package tui

import (
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// liveNow is where the live rooms of these tests stand: the present.
const liveNow = 6*time.Hour + 30*time.Minute

// liveSource is the source that sends events of a kind in liveRoom.
func liveSource(k model.Kind) string {
	switch k {
	case model.KindHostStatus:
		return "prometheus"
	case model.KindBacklog:
		return "wms-backlog"
	case model.KindWarning:
		return "ups-status"
	}
	return "scenario"
}

// health is a source health report at the present.
func health(name string, st model.HealthStatus, errText string, lastData time.Duration, feeds ...model.Kind) model.Event {
	return model.Event{At: liveNow, Source: name, Body: model.SourceHealth{
		Source: name, Status: st, Error: errText, LastData: lastData, Feeds: feeds}}
}

// withDrops adds counts of dropped items to a health report.
func withDrops(e model.Event, d ...model.DropCount) model.Event {
	h := e.Body.(model.SourceHealth)
	h.Dropped = d
	e.Body = h
	return e
}

// liveRoom is a live room on the default scenario's declarations, its clock
// fixed at T+06:30, fed the scenario's events up to then (injects aside) by
// three sources: prometheus (hosts) is ok, wms-backlog (backlog) is stale
// (and dropped 12 items), ups-status (carrier warnings) fails.
func liveRoom(tb testing.TB) *room.Room {
	tb.Helper()
	sc := defaultScenario(tb)
	events := sc.Events
	sc.Events = nil
	now := sc.Meta.Start.Add(liveNow)
	r := room.NewLive(sc, room.WithClock(func() time.Time { return now }))
	tb.Cleanup(r.Close)
	var in []model.Event
	for _, e := range events {
		if _, ok := e.Body.(model.Inject); ok || e.At > liveNow {
			continue
		}
		if e.Body != nil {
			e.Source = liveSource(e.Body.Kind())
		}
		in = append(in, e)
	}
	r.Ingest(in)
	r.Ingest([]model.Event{
		health("prometheus", model.HealthOK, "", liveNow, model.KindHostStatus),
		withDrops(health("wms-backlog", model.HealthStale, "no new sample for 5 scrapes", liveNow-4*time.Minute, model.KindBacklog),
			model.DropCount{Reason: "before T+0", Count: 9}, model.DropCount{Reason: "bad entry", Count: 3}),
		health("ups-status", model.HealthError, "Get \"https://status.ups.example/api\": dial tcp 10.2.0.7:443: connect: connection refused",
			liveNow-47*time.Minute, model.KindWarning),
	})
	if s := r.Snapshot(); !s.Live || !s.Following || s.Clock != liveNow || len(s.State.Sources) != 3 {
		tb.Fatalf("live room: live %v following %v clock %v sources %d", s.Live, s.Following, s.Clock, len(s.State.Sources))
	}
	return r
}

// TestGoldenLive compares a live room's screens, with one source ok, one
// stale and one failing, with golden files.
func TestGoldenLive(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		t.Run(itoa(size[0])+"x"+itoa(size[1]), func(t *testing.T) {
			tm := start(t, liveRoom(t), size[0], size[1])
			screen := finish(t, tm)
			checkFrame(t, screen, size[0], size[1])
			teatest.RequireEqualOutput(t, []byte(screen))
		})
	}
}

func TestLiveHeader(t *testing.T) {
	r := liveRoom(t)
	head := func(a *app) string { return strings.Split(a.View(), "\n")[0] }
	a := New(r, Options{Responder: "ic"}).(*app)
	view(t, a, 120, 40)
	h := head(a)
	for _, want := range []string{"LIVE ● following", "src ✓1 ok ⚠1 stale 4m00s ✗1 error", "T+06:30"} {
		if !strings.Contains(h, want) {
			t.Errorf("header should show %q: %q", want, h)
		}
	}
	if strings.Contains(h, "REPLAY") || strings.Contains(h, "×") {
		t.Errorf("a live header shows no replay and no speed: %q", h)
	}
	a.Update(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	if h := head(a); !strings.Contains(h, "LIVE ❚❚ frozen · L for live") || r.Snapshot().Following {
		t.Errorf("space should freeze: %q", h)
	}
	a.Update(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	if h := head(a); !strings.Contains(h, "● following") || !r.Snapshot().Following {
		t.Errorf("space again should follow: %q", h)
	}
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	if h := head(a); !strings.Contains(h, "LIVE ◀ viewing") || !strings.Contains(h, "room at T+06:30 · L to rejoin") {
		t.Errorf("p should look back on its own: %q", h)
	}
	if !r.Snapshot().Following {
		t.Error("a console looking back must not stop the room following the present")
	}
	if got := lastLine(a.View(), 2); !strings.Contains(got, "L rejoins") {
		t.Errorf("status line should say how to get back: %q", got)
	}
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("]")})
	if got := lastLine(a.View(), 2); !strings.Contains(got, "no replay speed") {
		t.Errorf("] in a live room: %q", got)
	}

	// 80 columns keep LIVE, the following state and the source counts.
	a = New(r, Options{Responder: "ic"}).(*app)
	view(t, a, 80, 24, keyMsgs("L")...)
	if h := head(a); !strings.Contains(h, "LIVE ● following") || !strings.Contains(h, "src 1✓ 1⚠ 1✗") {
		t.Errorf("80×24 header: %q", h)
	}
}

// TestLiveReturn: p looks back on this console's own while the room goes
// on following the present; L rejoins it. In a replay L says the console is
// with the room already.
func TestLiveReturn(t *testing.T) {
	r := liveRoom(t)
	a := New(r, Options{Responder: "ic"}).(*app)
	view(t, a, 120, 40, keyMsgs("p", "p")...)
	if s := r.Snapshot(); !s.Following || s.Pos != s.Len {
		t.Fatalf("p p moved the room: following %v at %d/%d", s.Following, s.Pos, s.Len)
	}
	if a.look == nil || a.snap.Pos != r.Snapshot().Len-2 {
		t.Fatalf("p p: this console should look at event %d, it shows %d", r.Snapshot().Len-2, a.snap.Pos)
	}
	screen := view(t, a, 120, 40, keyMsgs("L")...)
	if a.look != nil || a.snap.Pos != r.Snapshot().Len {
		t.Errorf("L: still looking back at %d", a.snap.Pos)
	}
	if !strings.Contains(screen, "LIVE ● following") || !strings.Contains(screen, "back with the room at T+06:30") {
		t.Errorf("L should say it is back with the room:\n%s", screen)
	}

	replay := newRoom(t, 6*time.Hour)
	before := replay.Snapshot()
	tm := start(t, replay, 120, 40)
	keys(tm, "L")
	screen = finish(t, tm)
	if !strings.Contains(screen, "already with the room") {
		t.Errorf("L in a replay with the room should say so:\n%s", screen)
	}
	if after := replay.Snapshot(); after.Pos != before.Pos || after.Clock != before.Clock {
		t.Error("L in a replay moved it")
	}
}

// TestSourceAlertsOnBorders: each failing source shows on the panes it
// feeds, and only there.
func TestSourceAlertsOnBorders(t *testing.T) {
	r := liveRoom(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		screen := view(t, New(r, Options{Responder: "ic"}).(*app), size[0], size[1])
		bottom := func(title string) string {
			p := paneLines(t, screen, title)
			return p[len(p)-1]
		}
		if b := bottom("2 Delivery backlog"); !strings.Contains(b, "⚠ wms-backlog stale 4m00s") {
			t.Errorf("%v: backlog pane should show the stale source and its data's age: %q", size, b)
		}
		if b := bottom("3 Carrier warnings"); !strings.Contains(b, "✗ ups-status error 47m00s") {
			t.Errorf("%v: carriers pane should show the failing source and its data's age: %q", size, b)
		}
		for _, title := range []string{"1 Hosts", "6 Timeline"} {
			if b := bottom(title); strings.Contains(b, "⚠") || strings.Contains(b, "✗") {
				t.Errorf("%v: %s is fed by healthy sources: %q", size, title, b)
			}
		}
		if size[0] == 120 {
			if b := bottom("3 Carrier warnings"); !strings.Contains(b, "error 47m00s: Get ") {
				t.Errorf("120 columns have room for the error: %q", b)
			}
			if b := bottom("2 Delivery backlog"); !strings.Contains(b, "stale 4m00s: no new sample for 5 scrapes") {
				t.Errorf("a stale source shows its last error too: %q", b)
			}
		}
	}

	// A source that recovers clears its pane; one that never sent data says
	// so; one without known feeds shows on the timeline.
	r.Ingest([]model.Event{
		health("ups-status", model.HealthOK, "", liveNow, model.KindWarning),
		health("seller-forum", model.HealthError, "HTTP 429", -1, model.KindComplaint),
		health("mystery", model.HealthStale, "", liveNow-2*time.Hour),
	})
	screen := view(t, New(r, Options{Responder: "ic"}).(*app), 120, 40)
	last := func(title string) string { p := paneLines(t, screen, title); return p[len(p)-1] }
	if b := last("3 Carrier warnings"); strings.Contains(b, "ups-status") {
		t.Errorf("a recovered source should leave the border: %q", b)
	}
	if b := last("4 Seller complaints"); !strings.Contains(b, "✗ seller-forum error (no data yet): HTTP 429") {
		t.Errorf("complaints pane: %q", b)
	}
	if b := last("6 Timeline"); !strings.Contains(b, "⚠ mystery stale 2h") {
		t.Errorf("a source of unknown feeds shows on the timeline: %q", b)
	}
}

// TestSourcesOverlay: :sources lists every source with its status, feeds,
// data age and error; esc closes it.
func TestSourcesOverlay(t *testing.T) {
	r := liveRoom(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		a := New(r, Options{Responder: "ic"}).(*app)
		screen := view(t, a, size[0], size[1], keyMsgs(":", "sources", "<enter>")...)
		var seen []string
		for range 20 {
			seen = append(seen, paneLines(t, a.View(), "Sources")...)
			a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
		}
		all := strings.Join(seen, "\n")
		for _, want := range []string{
			"✓ 1 ok · ⚠ 1 stale · ✗ 1 error · 12 dropped",
			"✗ error ups-status", "data 47m00s old", "feeds warning→3", "10.2.0.7:443",
			"⚠ stale wms-backlog", "data 4m00s old", "feeds backlog→2", "reason no new sample for 5 scrapes",
			"dropped 12 (9 before T+0, 3 bad entry)",
			"✓ ok    prometheus", "data <1m old", "feeds hosts→1",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("%v: sources overlay should show %q:\n%s", size, want, all)
			}
		}
		if strings.Contains(screen, "\x1b") {
			t.Errorf("escape in a monochrome screen")
		}
		a.Update(tea.KeyMsg{Type: tea.KeyEsc})
		if v := a.View(); strings.Contains(v, "Sources") {
			t.Errorf("%v: esc should close the overlay:\n%s", size, v)
		}
	}

	// A replay has no sources, and says so.
	a := New(newRoom(t, 0), Options{Responder: "ic"}).(*app)
	if v := view(t, a, 120, 40, keyMsgs(":", "sources", "<enter>")...); !strings.Contains(v, "No live sources: this is a replay") {
		t.Errorf("replay :sources:\n%s", v)
	}
}

// TestLiveIngestWhileRunning: sources keep feeding the room while the
// console runs and keys are pressed; the console keeps up with both.
func TestLiveIngestWhileRunning(t *testing.T) {
	r := liveRoom(t)
	before := r.Snapshot().State.Complaints.Total
	tm := start(t, r, 120, 40)
	const batches = 300
	var sent atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range batches {
			r.Ingest([]model.Event{
				{At: liveNow, Source: "seller-forum", Body: model.SellerComplaint{Seller: "Seller " + itoa(i), Topic: "labels-failing", Text: "post " + itoa(i)}},
				{At: liveNow, Source: "wms-backlog", Body: model.BacklogObservation{Waiting: int64(1_000_000 + i)}},
			})
			sent.Add(1)
			time.Sleep(time.Millisecond)
		}
	}()
	keys(tm, "4", ":")
	typeText(tm, "note typed while data pours in")
	keys(tm, "<enter>", "3")
	<-done
	want := "Seller complaints " + itoa(before+batches) + " "
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), want) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	screen := finish(t, tm)
	checkFrame(t, screen, 120, 40)
	if !strings.Contains(screen, "╭▶ 3 Carrier warnings") || !strings.Contains(screen, "note (ic): typed while data pours in") {
		t.Errorf("keys pressed during ingestion should all have acted:\n%s", screen)
	}
	if !strings.Contains(screen, "LIVE ● following") || !strings.Contains(screen, "post "+itoa(batches-1)) {
		t.Errorf("the console should show the newest data:\n%s", screen)
	}
}

// TestLiveIdleWritesNothing: a live room with nothing arriving sends the
// terminal nothing; the console runs no timer of its own.
func TestLiveIdleWritesNothing(t *testing.T) {
	tm := start(t, liveRoom(t), 120, 40)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "● following") },
		teatest.WithDuration(3*time.Second))
	time.Sleep(200 * time.Millisecond)
	_, _ = io.ReadAll(tm.Output())
	time.Sleep(700 * time.Millisecond)
	if idle, _ := io.ReadAll(tm.Output()); len(idle) != 0 {
		t.Errorf("idle live console wrote %d bytes", len(idle))
	}
	finish(t, tm)
}

func TestDataAge(t *testing.T) {
	s := time.Second
	clock := 100 * time.Hour
	cases := []struct {
		status model.HealthStatus
		age    time.Duration // -1: no data
		want   string
	}{
		{model.HealthOK, 0, "<1m"},
		{model.HealthOK, 59 * s, "<1m"},
		{model.HealthOK, 80 * s, "1m"},
		{model.HealthOK, 3 * time.Hour, "3h"},
		{model.HealthStale, 0, "0s"},
		{model.HealthStale, 45 * s, "45s"},
		{model.HealthStale, 80 * s, "1m20s"},
		{model.HealthStale, 12*time.Minute + 5*s, "12m05s"},
		{model.HealthError, 59*time.Minute + 59*s + 999*time.Millisecond, "59m59s"},
		{model.HealthError, time.Hour, "1h"},
		{model.HealthStale, 2*time.Hour + 30*time.Minute, "2h"},
		{model.HealthError, 50 * time.Hour, "2d"},
		{model.HealthError, -1, "no data yet"},
		{model.HealthStale, -3 * s, "0s"}, // data stamped after the clock
	}
	for _, c := range cases {
		src := model.SourceStatus{Status: c.status, LastData: clock - c.age}
		if c.age == -1 {
			src.LastData = -1
		}
		if got := dataAge(src, clock); got != c.want {
			t.Errorf("%s data %v old: %q, want %q", c.status, c.age, got, c.want)
		}
	}
}

// TestHealthTick: the health views key on the second only while a source
// in trouble shows an age under an hour.
func TestHealthTick(t *testing.T) {
	at := func(c time.Duration, srcs ...model.SourceStatus) int64 { return healthTick(srcs, c) }
	ok := model.SourceStatus{Status: model.HealthOK, LastData: 0}
	stale := model.SourceStatus{Status: model.HealthStale, LastData: 0}
	never := model.SourceStatus{Status: model.HealthError, LastData: -1}
	for _, c := range []struct {
		name    string
		srcs    []model.SourceStatus
		a, b    time.Duration
		differs bool
	}{
		{"ok sources: by the minute", []model.SourceStatus{ok}, 10 * time.Second, 11 * time.Second, false},
		{"ok sources: a new minute", []model.SourceStatus{ok}, 59 * time.Second, 61 * time.Second, true},
		{"a stale source: by the second", []model.SourceStatus{ok, stale}, 10 * time.Second, 11 * time.Second, true},
		{"stale over an hour: by the minute", []model.SourceStatus{stale}, time.Hour + time.Second, time.Hour + 2*time.Second, false},
		{"failing without data: by the minute", []model.SourceStatus{never}, time.Second, 2 * time.Second, false},
	} {
		if got := at(c.a, c.srcs...) != at(c.b, c.srcs...); got != c.differs {
			t.Errorf("%s: ticks differ %v, want %v", c.name, got, c.differs)
		}
	}
}

// TestStaleAgesKeepMoving: on a live room with a real clock, the age of a
// stale source's data goes on counting on screen, second by second, with
// nothing arriving.
func TestStaleAgesKeepMoving(t *testing.T) {
	sc := defaultScenario(t)
	sc.Events = nil
	sc.Meta.Start = time.Now().Add(-time.Hour)
	r := room.NewLive(sc)
	t.Cleanup(r.Close)
	now := time.Since(sc.Meta.Start)
	r.Ingest([]model.Event{{At: now, Source: "fleet", Body: model.SourceHealth{Source: "fleet", Status: model.HealthStale,
		Error: "connection refused", LastData: now - 80*time.Second, Feeds: []model.Kind{model.KindHostStatus}}}})
	tm := start(t, r, 120, 40)
	seen := map[string]bool{}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range []string{"1m20s", "1m21s", "1m22s", "1m23s"} {
			if strings.Contains(string(b), "fleet stale "+s) {
				seen[s] = true
			}
		}
		return len(seen) >= 3
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	finish(t, tm)
}
