package feed

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/warroom/warroom/model"
)

// stepField is where each step a steps query names is counted: the names
// are HostSteps's in the wire format.
var stepField = map[string]func(*model.HostSteps) *int{
	"crashed":        func(s *model.HostSteps) *int { return &s.Crashed },
	"rebooting":      func(s *model.HostSteps) *int { return &s.Rebooting },
	"rescue":         func(s *model.HostSteps) *int { return &s.Rescue },
	"manual":         func(s *model.HostSteps) *int { return &s.Manual },
	"bitlocker":      func(s *model.HostSteps) *int { return &s.BitLocker },
	"instance_store": func(s *model.HostSteps) *int { return &s.InstanceStore },
}

// querySteps runs the steps query and returns each group's hosts by step.
// Series are keyed by the group label and the step label, several series of
// one group and step summed (say, one per region), as query sums them.
// Series without a group, of a step no field counts, or with a NaN or
// infinite value are left out.
func (p *Prometheus) querySteps(ctx context.Context, q string, at time.Time, groupLabel, stepLabel string) (map[string]model.HostSteps, error) {
	res, err := p.api.query(ctx, q, at)
	if err != nil {
		return nil, p.queryError(ctx, q, err)
	}
	if res.ResultType != "vector" {
		return nil, fmt.Errorf("prometheus %s: query %q: got a %s, expected a vector with %q and %q labels", p.name, q, res.ResultType, groupLabel, stepLabel)
	}
	var series []promSeries
	if err := json.Unmarshal(res.Result, &series); err != nil {
		return nil, p.queryError(ctx, q, fmt.Errorf("reading the vector: %w", err))
	}
	sums := map[[2]string]float64{}
	for _, s := range series {
		g, step, x := s.Metric[groupLabel], s.Metric[stepLabel], s.Value.Value
		if g == "" || stepField[step] == nil || math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		sums[[2]string{g, step}] += x
	}
	out := map[string]model.HostSteps{}
	for k, x := range sums {
		st := out[k[0]]
		*stepField[k[1]](&st) = count(x)
		out[k[0]] = st
	}
	return out, nil
}
