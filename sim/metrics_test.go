package sim

import (
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	prommodel "github.com/prometheus/common/model"
)

// The exposition written by hand reads back through client_golang's own
// parser, labels with the characters the format escapes included.
func TestAppendGaugeReadsBack(t *testing.T) {
	groups := []string{"wms", `back\slash`, `quo"te`, "line\nfeed", "ünï"}
	var samples []gaugeSample
	for i, g := range groups {
		samples = append(samples, gaugeSample{g, float64(i) + 0.5})
	}
	var b []byte
	b = appendGauge(b, gaugeDesc{"warroom_test", "A help text with a \\ and a\nline feed."}, samples)
	b = appendGauge(b, gaugeDesc{"warroom_none", "Left out."}, nil)
	b = appendGauge(b, gaugeDesc{"warroom_single", "No labels."}, []gaugeSample{{value: 1e15}})
	parser := expfmt.NewTextParser(prommodel.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if _, ok := fams["warroom_none"]; ok {
		t.Error("a gauge without samples was written")
	}
	f := fams["warroom_test"]
	if f.GetHelp() != "A help text with a \\ and a\nline feed." || f.GetType().String() != "GAUGE" {
		t.Errorf("help %q type %v", f.GetHelp(), f.GetType())
	}
	got := map[string]float64{}
	for _, m := range f.Metric {
		got[m.Label[0].GetValue()] = m.GetGauge().GetValue()
	}
	for i, g := range groups {
		if got[g] != float64(i)+0.5 {
			t.Errorf("group %q = %v, want %v (all: %v)", g, got[g], float64(i)+0.5, got)
		}
	}
	if v := fams["warroom_single"].Metric[0].GetGauge().GetValue(); v != 1e15 {
		t.Errorf("warroom_single = %v", v)
	}
}
