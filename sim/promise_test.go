package sim_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/sim"
)

// byLabel is a metric family's values by the value of one label.
func byLabel(f *dto.MetricFamily, name string) map[string]float64 {
	out := map[string]float64{}
	if f == nil {
		return out
	}
	for _, m := range f.Metric {
		for _, l := range m.Label {
			if l.GetName() == name {
				out[l.GetValue()] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

// The backlog's late orders and its split by promise are served as the
// replay has them, the class in the label the Prometheus source reads by
// default.
func TestMetricsPromiseMatchReplay(t *testing.T) {
	sc := defaultScenario(t)
	checked := 0
	for _, off := range offsets {
		t.Run(model.FormatOffset(off), func(t *testing.T) {
			srv := httptest.NewServer(sim.New(sc, 600, off, frozen()).Handler())
			defer srv.Close()
			st, _ := stateAt(sc, min(off, sc.End()))
			fams := metrics(t, srv.URL)
			p, ok := st.Backlog.Latest()
			late, hasLate := single(fams["warroom_backlog_late"])
			if hasLate != (ok && p.HasLate) || int64(late) != p.Late {
				t.Errorf("late = %v (%v), replay %d (%v)", late, hasLate, p.Late, p.HasLate)
			}
			waiting, lateBy := byLabel(fams["warroom_backlog_promise_waiting"], "promise"), byLabel(fams["warroom_backlog_promise_late"], "promise")
			if len(waiting) != len(p.Promise()) || len(lateBy) != len(p.Promise()) {
				t.Errorf("classes served %v / %v, replay %+v", waiting, lateBy, p.Promise())
			}
			for _, c := range p.Promise() {
				if int64(waiting[c.Class]) != c.Waiting || int64(lateBy[c.Class]) != c.Late {
					t.Errorf("class %s: %v waiting, %v late; replay %+v", c.Class, waiting[c.Class], lateBy[c.Class], c)
				}
				checked++
			}
		})
	}
	if checked == 0 {
		t.Error("no split at any offset: the test checks nothing")
	}
	// The index names the gauges.
	srv := httptest.NewServer(sim.New(sc, 600, 0, frozen()).Handler())
	defer srv.Close()
	if idx := string(get(t, srv.URL+"/")); !strings.Contains(idx, "warroom_backlog_*") {
		t.Errorf("index: %s", idx)
	}
	if feed.DefaultPromiseLabel != "promise" {
		t.Errorf("the Prometheus source's default label %q is not the simulator's", feed.DefaultPromiseLabel)
	}
}
