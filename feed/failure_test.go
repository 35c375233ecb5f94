package feed_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// TestFailingSourcesNeverStopTheRoom runs a live room on five HTTP sources:
// one healthy, one answering 500, one hanging past its timeout, one sending
// garbage and one that dies mid-run. The healthy one keeps flowing, and each
// broken one is marked with its own error.
func TestFailingSourcesNeverStopTheRoom(t *testing.T) {
	origin := time.Now().Add(-time.Hour)
	var n atomic.Int64
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"time":%q,"note":{"author":"bot","text":"tick %d"}}`+"\n", time.Now().UTC().Format(time.RFC3339Nano), n.Add(1))
	}))
	defer healthy.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "upstream exploded", http.StatusInternalServerError)
	}))
	defer failing.Close()
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hanging.Close()
	defer close(release)
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "<html>\x1b]0;pwned\x07 not events</html>")
	}))
	defer garbage.Close()
	dying := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"time":%q,"backlog":{"waiting":1000}}`+"\n", time.Now().UTC().Format(time.RFC3339Nano))
	}))

	sc := &model.Scenario{Meta: model.Meta{Title: "failures", Start: origin}}
	r := room.NewLive(sc)
	defer r.Close()
	clock := feed.Clock{Origin: origin}
	runner := feed.NewRunner(clock, r.Ingest)
	ctx, cancel := context.WithCancel(context.Background())
	sch := feed.Schedule{Interval: 40 * time.Millisecond, Timeout: 100 * time.Millisecond}
	wait := feed.Start(ctx, runner, []feed.Running{
		{Source: feed.NewHTTP("healthy", healthy.URL, nil, clock), Schedule: sch},
		{Source: feed.NewHTTP("failing", failing.URL, nil, clock), Schedule: sch},
		{Source: feed.NewHTTP("hanging", hanging.URL, nil, clock), Schedule: sch},
		{Source: feed.NewHTTP("garbage", garbage.URL, nil, clock), Schedule: sch},
		{Source: feed.NewHTTP("dying", dying.URL, nil, clock), Schedule: sch},
	})
	defer func() { cancel(); wait() }()

	status := func(name string) model.SourceStatus {
		for _, s := range r.Snapshot().State.Sources {
			if s.Name == name {
				return s
			}
		}
		return model.SourceStatus{}
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; sources: %+v", what, r.Snapshot().State.Sources)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("the dying source's first data", func() bool { return status("dying").Status == model.HealthOK })
	dying.CloseClientConnections()
	dying.Close()

	waitFor("every failure marked", func() bool {
		return status("failing").Status == model.HealthError && status("hanging").Status == model.HealthError &&
			status("garbage").Status == model.HealthError && status("dying").Status == model.HealthError
	})
	for name, want := range map[string]string{"failing": "500", "hanging": "timed out", "garbage": "", "dying": ""} {
		if got := status(name).Error; !strings.Contains(got, want) || strings.Contains(got, "\x1b") {
			t.Errorf("%s: error %q, want it to mention %q and carry no escape codes", name, got, want)
		}
	}
	// The healthy source kept flowing through all of it, and the room still
	// answers at once.
	before := n.Load()
	waitFor("more data from the healthy source", func() bool { return n.Load() > before+3 })
	if s := status("healthy"); s.Status != model.HealthOK || s.LastData < 0 || !slices.Contains(s.Feeds, model.KindNote) {
		t.Errorf("healthy source: %+v", s)
	}
	// The dead source is known to feed the backlog, so that pane shows it.
	if s := status("dying"); !slices.Contains(s.Feeds, model.KindBacklog) {
		t.Errorf("dying source feeds %v, want backlog", s.Feeds)
	}
	start := time.Now()
	r.Prev()
	r.ReturnLive()
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("the room took %v to answer while sources fail", took)
	}
}
