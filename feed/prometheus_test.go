package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// fakeProm speaks enough of the Prometheus HTTP API for the source: canned
// results per query, stamped with the evaluation time asked for.
type fakeProm struct {
	t       *testing.T
	mu      sync.Mutex
	instant map[string]string // query → the result's JSON, "%T" standing for the evaluation time
	ranged  map[string]string // query → a matrix's JSON, built by the test
	errors  map[string]string // query → a PromQL error
	seen    []url.Values
	headers http.Header
}

func newFakeProm(t *testing.T) (*fakeProm, *httptest.Server) {
	f := &fakeProm{t: t, instant: map[string]string{}, ranged: map[string]string{}, errors: map[string]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeProm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.seen = append(f.seen, r.Form)
	f.headers = r.Header.Clone()
	q := r.Form.Get("query")
	instant, ranged, msg := f.instant[q], f.ranged[q], f.errors[q]
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if msg != "" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"status":"error","errorType":"bad_data","error":%q}`, msg)
		return
	}
	switch r.URL.Path {
	case "/api/v1/query":
		if instant == "" {
			instant = `{"resultType":"vector","result":[]}`
		}
		fmt.Fprintf(w, `{"status":"success","data":%s}`, strings.ReplaceAll(instant, "%T", r.Form.Get("time")))
	case "/api/v1/query_range":
		if ranged == "" {
			ranged = `{"resultType":"matrix","result":[]}`
		}
		fmt.Fprintf(w, `{"status":"success","data":%s}`, ranged)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeProm) set(query, result string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.instant[query] = result
}

func (f *fakeProm) requests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.seen...)
}

// vector is an instant vector result: one sample per group value.
func vector(label string, values map[string]string) string {
	var parts []string
	for g, v := range values {
		metric := `{}`
		if label != "" {
			metric = fmt.Sprintf(`{"__name__":"m",%q:%q}`, label, g)
		}
		parts = append(parts, fmt.Sprintf(`{"metric":%s,"value":[%%T,%q]}`, metric, v))
	}
	return `{"resultType":"vector","result":[` + strings.Join(parts, ",") + `]}`
}

var (
	promOrigin = time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
	promNow    = promOrigin.Add(6*time.Hour + 30*time.Second)
	promClock  = Clock{Origin: promOrigin, Now: func() time.Time { return promNow }}
)

func TestPrometheusPoll(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("rec", vector("group", map[string]string{"wms": "600", "edi": "96", "ws": "100"}))
	f.set("tot", vector("group", map[string]string{"wms": "1240", "edi": "96", "ws": "4800"}))
	f.set("fail", vector("group", map[string]string{"wms": "500", "ws": "4000"}))
	f.set("wait", vector("", map[string]string{"": "1500000"}))
	f.set("in", `{"resultType":"scalar","result":[%T,"230000.5"]}`)
	// "ship" has no samples: the rate is unknown.
	p, err := NewPrometheus("prom", PrometheusConfig{
		URL:     srv.URL,
		Hosts:   &PromHosts{Recovered: "rec", Total: "tot", Failed: "fail"},
		Backlog: &PromBacklog{Waiting: "wait", Inflow: "in", Shipped: "ship"},
		Headers: map[string]string{"Authorization": "Bearer s3cret"},
	}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	at := 6*time.Hour + 30*time.Second
	inflow := 230000.5
	want := []model.Event{
		{At: at, Source: "prom", Body: model.HostStatus{Group: "edi", Recovered: 96, Total: 96, State: model.HostsHealthy}},
		{At: at, Source: "prom", Body: model.HostStatus{Group: "wms", Recovered: 600, Total: 1240, Failed: 500, State: model.HostsRecovering}},
		{At: at, Source: "prom", Body: model.HostStatus{Group: "ws", Recovered: 100, Total: 4800, Failed: 4000, State: model.HostsDown}},
		{At: at, Source: "prom", Body: model.BacklogObservation{Waiting: 1500000, Inflow: &inflow}},
	}
	if len(events) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(events), len(want), events)
	}
	for i := range want {
		got, w := events[i], want[i]
		if b, ok := got.Body.(model.BacklogObservation); ok {
			if b.Shipped != nil || b.Inflow == nil || *b.Inflow != inflow || b.Waiting != 1500000 || got.At != at {
				t.Errorf("backlog event = %+v (inflow %v, shipped %v)", got, b.Inflow, b.Shipped)
			}
			continue
		}
		if got.At != w.At || got.Source != w.Source || got.Body != w.Body {
			t.Errorf("event %d = %+v, want %+v", i, got, w)
		}
	}
	// Every query was evaluated at the poll's one time, with the headers.
	wantTime := strconv.FormatFloat(float64(promNow.Unix()), 'f', -1, 64)
	for _, r := range f.requests() {
		if r.Get("time") != wantTime {
			t.Errorf("query %q at time %q, want %q", r.Get("query"), r.Get("time"), wantTime)
		}
	}
	if got := f.headers.Get("Authorization"); got != "Bearer s3cret" {
		t.Errorf("Authorization header = %q", got)
	}
}

func TestPrometheusSumsSeriesAndSkipsBadSamples(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("rec", `{"resultType":"vector","result":[
		{"metric":{"group":"wms","region":"us"},"value":[%T,"10"]},
		{"metric":{"group":"wms","region":"eu"},"value":[%T,"5"]},
		{"metric":{"group":"edi"},"value":[%T,"NaN"]},
		{"metric":{"region":"eu"},"value":[%T,"3"]}]}`)
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL, Hosts: &PromHosts{Recovered: "rec"}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("got %d events, want 1 (wms): %+v", len(events), events)
	}
	if h := events[0].Body.(model.HostStatus); h != (model.HostStatus{Group: "wms", Recovered: 15}) {
		t.Errorf("host status = %+v, want wms 15 recovered, total and state unknown", h)
	}
	// The series without a group is a dropped report, counted once a
	// sample: polled again before a new scrape, it is the same one.
	wantDrops(t, p.Dropped(), DropNoGroup, 1)
	if _, err := p.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantDrops(t, p.Dropped(), DropNoGroup, 1)
	f.set("rec", `{"resultType":"vector","result":[{"metric":{"region":"eu"},"value":[4102444800,"4"]}]}`)
	if _, err := p.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantDrops(t, p.Dropped(), DropNoGroup, 2)
}

// Without a failed query, the hosts not back count as failing for the state.
func TestPrometheusStateWithoutFailedQuery(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("rec", vector("group", map[string]string{"wms": "600", "edi": "5"}))
	f.set("tot", vector("group", map[string]string{"wms": "1240", "edi": "96"}))
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL, Hosts: &PromHosts{Recovered: "rec", Total: "tot"}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []model.HostStatus{
		{Group: "edi", Recovered: 5, Total: 96, State: model.HostsDown},
		{Group: "wms", Recovered: 600, Total: 1240, State: model.HostsRecovering},
	}
	if len(events) != len(want) {
		t.Fatalf("got %+v", events)
	}
	for i, e := range events {
		if e.Body != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, e.Body, want[i])
		}
	}
}

func TestPrometheusNoSamplesNoEvents(t *testing.T) {
	_, srv := newFakeProm(t) // every query answers an empty vector
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL,
		Hosts:   &PromHosts{Recovered: "rec", Total: "tot", Failed: "fail"},
		Backlog: &PromBacklog{Waiting: "wait", Inflow: "in", Backfill: time.Hour}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil || len(events) != 0 {
		t.Fatalf("Poll = %+v, %v; want no events and no error", events, err)
	}
}

func TestPrometheusQueryError(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("rec", vector("group", map[string]string{"wms": "1"}))
	f.mu.Lock()
	f.errors["sum(broken"] = `1:11: parse error: unclosed left parenthesis`
	f.mu.Unlock()
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL,
		Hosts: &PromHosts{Recovered: "rec", Total: "sum(broken"}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Poll(context.Background())
	if err == nil {
		t.Fatal("Poll succeeded on a bad query")
	}
	for _, want := range []string{"prom", `"sum(broken"`, "unclosed left parenthesis"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestPrometheusBackfill(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("wait", vector("", map[string]string{"": "900"}))
	f.set("ship", vector("", map[string]string{"": "50"}))
	start := promNow.Add(-3 * time.Minute)
	ts := func(d time.Duration) string { return strconv.FormatInt(start.Add(d).Unix(), 10) }
	f.mu.Lock()
	// Two series of waiting, summed; shipped has no value at the second step;
	// the step at now is left to the instant query.
	f.ranged["wait"] = fmt.Sprintf(`{"resultType":"matrix","result":[
		{"metric":{"dc":"a"},"values":[[%[1]s,"100"],[%[2]s,"200"],[%[3]s,"300"],[%[4]s,"999"]]},
		{"metric":{"dc":"b"},"values":[[%[1]s,"1"],[%[2]s,"2"],[%[3]s,"3"]]}]}`,
		ts(0), ts(time.Minute), ts(2*time.Minute), ts(3*time.Minute))
	f.ranged["ship"] = fmt.Sprintf(`{"resultType":"matrix","result":[
		{"metric":{},"values":[[%[1]s,"10"],[%[2]s,"30"]]}]}`, ts(0), ts(2*time.Minute))
	f.mu.Unlock()
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL,
		Backlog: &PromBacklog{Waiting: "wait", Shipped: "ship", Backfill: 3 * time.Minute}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	type point struct {
		at      time.Duration
		waiting int64
		shipped float64 // -1: none
	}
	base := promNow.Sub(promOrigin) - 3*time.Minute
	want := []point{{base, 101, 10}, {base + time.Minute, 202, -1}, {base + 2*time.Minute, 303, 30}, {base + 3*time.Minute, 900, 50}}
	var got []point
	for _, e := range events {
		b := e.Body.(model.BacklogObservation)
		pt := point{e.At, b.Waiting, -1}
		if b.Shipped != nil {
			pt.shipped = *b.Shipped
		}
		if b.Inflow != nil {
			t.Errorf("inflow reported without a query: %+v", e)
		}
		got = append(got, pt)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("backfill points = %v, want %v", got, want)
	}
	var ranges []url.Values
	for _, r := range f.requests() {
		if r.Has("step") {
			ranges = append(ranges, r)
		}
	}
	if len(ranges) != 2 || ranges[0].Get("step") != "60" ||
		ranges[0].Get("start") != strconv.FormatInt(start.Unix(), 10) || ranges[0].Get("end") != strconv.FormatInt(promNow.Unix(), 10) {
		t.Errorf("range queries = %v; want waiting and shipped over the last 3m at step 60", ranges)
	}

	// The backfill happens once.
	events, err = p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Errorf("second poll returned %d events, want the instant point only", len(events))
	}
}

func TestPrometheusHonoursContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL, Hosts: &PromHosts{Recovered: "up"}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err = p.Poll(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Poll error = %v, want a deadline exceeded", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("Poll took %s after its deadline", d)
	}
}

func TestNewPrometheusChecksConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  PrometheusConfig
		want string
	}{
		{PrometheusConfig{Hosts: &PromHosts{Recovered: "up"}}, "url: missing"},
		{PrometheusConfig{URL: "localhost:9090", Hosts: &PromHosts{Recovered: "up"}}, "http or https URL"},
		{PrometheusConfig{URL: "http://p:9090"}, "nothing to query"},
		{PrometheusConfig{URL: "http://p:9090", Hosts: &PromHosts{Total: "t"}}, "hosts.recovered: missing"},
		{PrometheusConfig{URL: "http://p:9090", Backlog: &PromBacklog{Inflow: "i"}}, "backlog.waiting: missing"},
		{PrometheusConfig{URL: "http://p:9090", Backlog: &PromBacklog{Waiting: "w", Backfill: 30 * 24 * time.Hour, Step: time.Second}}, "raise the step"},
	} {
		_, err := NewPrometheus("prom", tc.cfg, promClock, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewPrometheus(%+v) error = %v, want one with %q", tc.cfg, err, tc.want)
		}
	}
	p, err := NewPrometheus("prom", PrometheusConfig{URL: "https://p.example:9090/prom/",
		Hosts: &PromHosts{Recovered: "r"}, Backlog: &PromBacklog{Waiting: "w"}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name() != "prom" || p.cfg.Hosts.Label != "group" || p.cfg.Backlog.Step != DefaultPromStep {
		t.Errorf("defaults not applied: %+v %+v", p.cfg.Hosts, p.cfg.Backlog)
	}
}

func TestHostState(t *testing.T) {
	for _, tc := range []struct {
		recovered, total, failed int
		want                     model.HostState
	}{
		{1240, 1240, 0, model.HostsHealthy},
		{1300, 1240, 0, model.HostsHealthy},
		{18, 1240, 1222, model.HostsDown},
		{123, 1240, 1000, model.HostsDown},
		{124, 1240, 1000, model.HostsRecovering},
		{1177, 1240, 40, model.HostsRecovering},
		{1178, 1240, 40, model.HostsDegraded},
		{1200, 1240, 0, model.HostsDegraded},
		{600, 1240, 0, model.HostsDegraded},
		{0, 0, 5, model.HostsDown},
		{3, 0, 5, model.HostsRecovering},
		{3, 0, 0, ""},
	} {
		if got := hostState(tc.recovered, tc.total, tc.failed); got != tc.want {
			t.Errorf("hostState(%d, %d, %d) = %q, want %q", tc.recovered, tc.total, tc.failed, got, tc.want)
		}
	}
}
