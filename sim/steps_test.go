package sim_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/sim"
)

// TestStepMetricsMatchReplay: warroom_hosts_at_step has each group's hosts
// by recovery step, labelled group and step, every step of a group that
// reports steps, and matches a replay to the same moment.
func TestStepMetricsMatchReplay(t *testing.T) {
	sc := defaultScenario(t)
	for _, off := range []time.Duration{0, 12 * time.Hour, 48 * time.Hour} {
		t.Run(model.FormatOffset(off), func(t *testing.T) {
			srv := httptest.NewServer(sim.New(sc, 600, off, frozen()).Handler())
			defer srv.Close()
			st, _ := stateAt(sc, off)
			got := map[string]model.HostSteps{}
			series := 0
			if f := metrics(t, srv.URL)["warroom_hosts_at_step"]; f != nil {
				for _, m := range f.Metric {
					var group, step string
					for _, l := range m.Label {
						switch l.GetName() {
						case "group":
							group = l.GetValue()
						case "step":
							step = l.GetValue()
						}
					}
					s, n := got[group], int(m.GetGauge().GetValue())
					switch step {
					case "crashed":
						s.Crashed = n
					case "rebooting":
						s.Rebooting = n
					case "rescue":
						s.Rescue = n
					case "manual":
						s.Manual = n
					case "bitlocker":
						s.BitLocker = n
					case "instance_store":
						s.InstanceStore = n
					default:
						t.Errorf("series of unknown step %q", step)
					}
					got[group] = s
					series++
				}
			}
			reporting := 0
			for _, g := range st.Hosts {
				if g.Seen && g.Steps.Reported() {
					reporting++
				}
				if got[g.ID] != g.Steps {
					t.Errorf("group %s: metrics %+v, replay %+v", g.ID, got[g.ID], g.Steps)
				}
			}
			if series != 6*reporting {
				t.Errorf("%d series, want 6 for each of the %d groups that report steps", series, reporting)
			}
			if off == 12*time.Hour && reporting == 0 {
				t.Error("no group reports steps at T+12h: the test checks nothing")
			}
		})
	}
}
