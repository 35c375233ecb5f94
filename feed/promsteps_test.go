package feed

import (
	"context"
	"strings"
	"testing"

	"github.com/warroom/warroom/model"
)

// TestPrometheusSteps: a steps query's series by group and step become the
// reports' step counts; two series of one group and step (two regions) are
// summed, and series of no group, of a step no field counts or without a
// number are left out. A group with no step series reports none.
func TestPrometheusSteps(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("rec", vector("group", map[string]string{"wms": "600", "edi": "90"}))
	f.set("steps", `{"resultType":"vector","result":[
		{"metric":{"group":"wms","phase":"rebooting","region":"us"},"value":[%T,"100"]},
		{"metric":{"group":"wms","phase":"rebooting","region":"eu"},"value":[%T,"24"]},
		{"metric":{"group":"wms","phase":"manual"},"value":[%T,"87"]},
		{"metric":{"group":"wms","phase":"instance_store"},"value":[%T,"3"]},
		{"metric":{"group":"wms","phase":"teleport"},"value":[%T,"5"]},
		{"metric":{"group":"wms","phase":"rescue"},"value":[%T,"NaN"]},
		{"metric":{"phase":"crashed"},"value":[%T,"7"]}
	]}`)
	p, err := NewPrometheus("prom", PrometheusConfig{
		URL:   srv.URL,
		Hosts: &PromHosts{Recovered: "rec", Steps: "steps", StepLabel: "phase"},
	}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]model.HostSteps{
		"edi": {},
		"wms": {Rebooting: 124, Manual: 87, InstanceStore: 3},
	}
	if len(events) != 2 {
		t.Fatalf("got %d events, want 2: %+v", len(events), events)
	}
	for _, e := range events {
		h := e.Body.(model.HostStatus)
		if h.Steps != want[h.Group] {
			t.Errorf("%s steps %+v, want %+v", h.Group, h.Steps, want[h.Group])
		}
	}
}

// TestPrometheusStepsDefaultLabel: without step_label the step is named by
// "step"; a steps query Prometheus rejects is an error naming it.
func TestPrometheusStepsDefaultLabel(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("rec", vector("group", map[string]string{"wms": "600"}))
	f.set("steps", `{"resultType":"vector","result":[{"metric":{"group":"wms","step":"bitlocker"},"value":[%T,"34"]}]}`)
	p, err := NewPrometheus("prom", PrometheusConfig{URL: srv.URL, Hosts: &PromHosts{Recovered: "rec", Steps: "steps"}}, promClock, nil)
	if err != nil {
		t.Fatal(err)
	}
	events, err := p.Poll(context.Background())
	if err != nil || len(events) != 1 || events[0].Body.(model.HostStatus).Steps != (model.HostSteps{BitLocker: 34}) {
		t.Fatalf("events %+v, %v: want wms with 34 waiting for a BitLocker key", events, err)
	}
	f.mu.Lock()
	f.errors["steps"] = "parse error"
	f.mu.Unlock()
	if _, err := p.Poll(context.Background()); err == nil || !strings.Contains(err.Error(), `query "steps"`) {
		t.Errorf("error %v, want it to name the steps query", err)
	}
}

// TestConfigSteps: a config's hosts.steps and hosts.step_label reach the
// Prometheus source.
func TestConfigSteps(t *testing.T) {
	f, srv := newFakeProm(t)
	f.set("rec", vector("group", map[string]string{"wms": "600"}))
	f.set("tot", vector("group", map[string]string{"wms": "1240"}))
	f.set("at_step", `{"resultType":"vector","result":[{"metric":{"group":"wms","phase":"rescue"},"value":[%T,"157"]}]}`)
	yaml := "sources:\n  - name: p\n    kind: prometheus\n    url: " + srv.URL +
		"\n    hosts: {recovered: rec, total: tot, steps: at_step, step_label: phase}\n"
	c, err := LoadConfig("w.yaml", []byte(yaml), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	run, err := c.Build(promClock, env(nil), NewRunner(promClock, func([]model.Event) {}))
	if err != nil {
		t.Fatal(err)
	}
	events, err := run[0].Source.(Poller).Poll(context.Background())
	if err != nil || len(events) != 1 || events[0].Body.(model.HostStatus).Steps != (model.HostSteps{Rescue: 157}) {
		t.Fatalf("events %+v, %v: want wms with 157 in the SSM rescue", events, err)
	}
}
