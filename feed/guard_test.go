package feed

import (
	"reflect"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

func TestDeliveryGuard(t *testing.T) {
	m := time.Minute
	hosts := func(at time.Duration, group string, recovered int) model.Event {
		return model.Event{At: at, Source: "fleet", Body: model.HostStatus{Group: group, Recovered: recovered, Total: 1240}}
	}
	backlog := func(at time.Duration, waiting int64) model.Event {
		return model.Event{At: at, Source: "fleet", Body: model.BacklogObservation{Waiting: waiting}}
	}
	step := func(at time.Duration, state model.StepState) model.Event {
		return model.Event{At: at, Source: "fleet", Body: model.RunbookStepChange{Step: "reboot", State: state}}
	}
	type batch struct {
		in    []model.Event
		want  []model.Event
		older int // dropped so far
	}
	cases := []struct {
		name    string
		batches []batch
	}{
		{"a restarted source sending everything again changes nothing", []batch{
			{[]model.Event{hosts(m, "wms", 198), step(m, model.StepActive), hosts(2*m, "wms", 244), backlog(2*m, 9e5)},
				[]model.Event{hosts(m, "wms", 198), step(m, model.StepActive), hosts(2*m, "wms", 244), backlog(2*m, 9e5)}, 0},
			{[]model.Event{hosts(m, "wms", 198), step(m, model.StepActive), hosts(2*m, "wms", 244), backlog(2*m, 9e5), hosts(3*m, "wms", 300)},
				[]model.Event{hosts(3*m, "wms", 300)}, 0},
		}},
		{"a report older than the newest delivered is dropped and counted once", []batch{
			{[]model.Event{hosts(5*m, "wms", 244)}, []model.Event{hosts(5*m, "wms", 244)}, 0},
			{[]model.Event{hosts(3*m, "wms", 198), backlog(3*m, 1e6)}, []model.Event{backlog(3*m, 1e6)}, 1},
			{[]model.Event{hosts(3*m, "wms", 198)}, nil, 1}, // sent again: already counted
			{[]model.Event{backlog(2*m, 9e5), backlog(4*m, 8e5)}, []model.Event{backlog(4*m, 8e5)}, 2},
		}},
		{"each group has its own newest", []batch{
			{[]model.Event{hosts(5*m, "wms", 244)}, []model.Event{hosts(5*m, "wms", 244)}, 0},
			{[]model.Event{hosts(3*m, "labels", 50)}, []model.Event{hosts(3*m, "labels", 50)}, 0},
		}},
		{"a batch listing the newest first is read whole", []batch{
			{[]model.Event{hosts(3*m, "wms", 300), hosts(2*m, "wms", 244), hosts(m, "wms", 198)},
				[]model.Event{hosts(3*m, "wms", 300), hosts(2*m, "wms", 244), hosts(m, "wms", 198)}, 0},
			{[]model.Event{hosts(2*m+30*time.Second, "wms", 250)}, nil, 1},
		}},
		{"the same time with other counts is news; other events may repeat their time", []batch{
			{[]model.Event{hosts(m, "wms", 198), step(m, model.StepActive)}, []model.Event{hosts(m, "wms", 198), step(m, model.StepActive)}, 0},
			{[]model.Event{hosts(m, "wms", 199), step(m, model.StepDone), step(0, model.StepBlocked)},
				[]model.Event{hosts(m, "wms", 199), step(m, model.StepDone), step(0, model.StepBlocked)}, 0},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := newDeliveryGuard()
			for i, b := range c.batches {
				got := g.filter(append([]model.Event(nil), b.in...))
				if len(got) == 0 {
					got = nil
				}
				if !reflect.DeepEqual(got, b.want) {
					t.Errorf("batch %d: delivered %+v\nwant %+v", i, got, b.want)
				}
				var older int
				for _, d := range g.drops.counts() {
					if d.Reason == DropOlder {
						older = d.Count
					}
				}
				if older != b.older {
					t.Errorf("batch %d: %d dropped as older, want %d", i, older, b.older)
				}
			}
		})
	}
}
