package feed

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// The backlog's late orders and its split by promise class come from their
// own queries; the split is sorted by class, each class's late kept within
// its waiting, and what the classes leave out of the whole goes to "other".
func TestPrometheusPromise(t *testing.T) {
	tests := []struct {
		name      string
		byPromise map[string]string
		lateBy    map[string]string
		want      []model.PromiseCount
		dropped   int
	}{
		// 400 + 500 = 900 of 1000: 100 to other. standard's late 600 is
		// more than its 500 waiting: 500.
		{name: "short of the whole", byPromise: map[string]string{"standard": "500", "next-day": "400"},
			lateBy: map[string]string{"next-day": "250", "standard": "600"},
			want:   []model.PromiseCount{{Class: "next-day", Waiting: 400, Late: 250}, {Class: "standard", Waiting: 500, Late: 500}, {Class: "other", Waiting: 100}}},
		// A class the source calls other takes the rest itself.
		{name: "its own other", byPromise: map[string]string{"other": "100", "next-day": "800"},
			want: []model.PromiseCount{{Class: "next-day", Waiting: 800}, {Class: "other", Waiting: 200}}},
		{name: "the whole", byPromise: map[string]string{"same-day": "1000"},
			want: []model.PromiseCount{{Class: "same-day", Waiting: 1000}}},
		// 700 + 600 > 1000: the split is not what waiting counts; dropped.
		{name: "more than the whole", byPromise: map[string]string{"a": "700", "b": "600"}, dropped: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFakeProm(t)
			f.set("wait", vector("", map[string]string{"": "1000"}))
			f.set("late", vector("", map[string]string{"": "300"}))
			f.set("pw", vector("promise", tt.byPromise))
			if tt.lateBy != nil {
				f.set("pl", vector("promise", tt.lateBy))
			}
			p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL,
				Backlog: &PromBacklog{Waiting: "wait", Late: "late", ByPromise: &PromPromise{Waiting: "pw", Late: "pl"}}}, promClock, nil)
			if err != nil {
				t.Fatal(err)
			}
			events, err := p.Poll(context.Background())
			if err != nil || len(events) != 1 {
				t.Fatalf("%d events, %v", len(events), err)
			}
			b := events[0].Body.(model.BacklogObservation)
			if b.Late == nil || *b.Late != 300 {
				t.Errorf("late %v, want 300", b.Late)
			}
			if !reflect.DeepEqual(b.Promise, tt.want) {
				t.Errorf("split %+v, want %+v", b.Promise, tt.want)
			}
			if got := model.DroppedTotal(p.Dropped()); got != tt.dropped {
				t.Errorf("dropped %v, want %d", p.Dropped(), tt.dropped)
			}
		})
	}
}

// The split is checked as the wire format checks it: what the source
// delivers would pass a live room's own checks.
func TestPrometheusPromiseAddsUp(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("wait", vector("", map[string]string{"": "1000"}))
	f.set("pw", vector("class", map[string]string{"a": "300", "b": "600"}))
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL,
		Backlog: &PromBacklog{Waiting: "wait", ByPromise: &PromPromise{Waiting: "pw", Label: "class"}}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	line, err := model.EncodeEvent(events[0], promOrigin)
	if err != nil {
		t.Fatal(err)
	}
	var bad error
	model.NewWireDecoder("check", promOrigin, nil).Decode(append(line, '\n'), func(model.Event, bool) {}, func(err error) { bad = err })
	if bad != nil || !strings.Contains(string(line), `"class":"other","waiting":100`) {
		t.Errorf("%s: %v", line, bad)
	}
}

func TestPrometheusPromiseBackfill(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("wait", vector("", map[string]string{"": "900"}))
	start := promNow.Add(-2 * time.Minute)
	ts := func(d time.Duration) string { return strconv.FormatInt(start.Add(d).Unix(), 10) }
	f.mu.Lock()
	f.ranged["wait"] = fmt.Sprintf(`{"resultType":"matrix","result":[{"metric":{},"values":[[%[1]s,"100"],[%[2]s,"200"]]}]}`, ts(0), ts(time.Minute))
	f.ranged["late"] = fmt.Sprintf(`{"resultType":"matrix","result":[{"metric":{},"values":[[%[1]s,"7"]]}]}`, ts(time.Minute))
	// Two sites' series of next-day, summed; no split at the first step.
	f.ranged["pw"] = fmt.Sprintf(`{"resultType":"matrix","result":[
		{"metric":{"promise":"next-day","site":"a"},"values":[[%[1]s,"50"]]},
		{"metric":{"promise":"next-day","site":"b"},"values":[[%[1]s,"30"]]},
		{"metric":{"promise":"standard"},"values":[[%[1]s,"120"]]}]}`, ts(time.Minute))
	f.mu.Unlock()
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL,
		Backlog: &PromBacklog{Waiting: "wait", Late: "late", ByPromise: &PromPromise{Waiting: "pw"}, Backfill: 2 * time.Minute}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 {
		t.Fatalf("%d events: %+v", len(events), events)
	}
	first, second := events[0].Body.(model.BacklogObservation), events[1].Body.(model.BacklogObservation)
	if first.Late != nil || first.Promise != nil {
		t.Errorf("the first step has neither late nor a split: %+v", first)
	}
	want := []model.PromiseCount{{Class: "next-day", Waiting: 80}, {Class: "standard", Waiting: 120}}
	if second.Late == nil || *second.Late != 7 || !reflect.DeepEqual(second.Promise, want) {
		t.Errorf("second step %+v, split %+v; want late 7 and %+v", second, second.Promise, want)
	}
}

func TestNewPrometheusChecksPromise(t *testing.T) {
	_, err := NewPrometheus("prom", PrometheusConfig{URL: "http://p:9090",
		Backlog: &PromBacklog{Waiting: "w", ByPromise: &PromPromise{Late: "l"}}}, promClock, nil)
	if err == nil || !strings.Contains(err.Error(), "backlog.by_promise.waiting: missing") {
		t.Errorf("err %v", err)
	}
	p, err := NewPrometheus("prom", PrometheusConfig{URL: "http://p:9090",
		Backlog: &PromBacklog{Waiting: "w", ByPromise: &PromPromise{Waiting: "pw"}}}, promClock, nil)
	if err != nil || p.cfg.Backlog.ByPromise.Label != "promise" {
		t.Errorf("default label: %v, %+v", err, p.cfg.Backlog.ByPromise)
	}
}
