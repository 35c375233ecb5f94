package sim

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

func TestStampRealTime(t *testing.T) {
	sc := &model.Scenario{Meta: model.Meta{Start: time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)},
		Events: []model.Event{{At: 8 * time.Hour, Body: model.Note{Author: "a", Text: "b"}}}}
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s := New(sc, 60, 6*time.Hour, func() time.Time { return t0 })
	if got := s.wall(7 * time.Hour); !got.Equal(sc.Meta.Start.Add(7 * time.Hour)) {
		t.Fatalf("by default documents carry the scenario's dates, got %v", got)
	}
	s.StampRealTime()
	// At 60x, an hour of scenario after the start offset passes in a minute.
	if got, want := s.wall(7*time.Hour), t0.Add(time.Minute); !got.Equal(want) {
		t.Fatalf("real-time stamp of T+7h started at T+6h: %v, want %v", got, want)
	}
}

func TestEventsKindFilter(t *testing.T) {
	sc := &model.Scenario{Meta: model.Meta{Start: time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)},
		HostGroups: []model.HostGroupDef{{ID: "g", Name: "g", Total: 2}},
		Events: []model.Event{
			{At: 0, Body: model.HostStatus{Group: "g", Recovered: 1, Total: 2}},
			{At: 0, Body: model.Note{Author: "a", Text: "b"}},
		}}
	s := New(sc, 0, time.Hour, nil)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/events.ndjson?kind=hosts", nil))
	body := rec.Body.String()
	if !strings.Contains(body, `"hosts"`) || strings.Contains(body, `"note"`) {
		t.Fatalf("kind filter: %s", body)
	}
}
