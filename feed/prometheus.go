package feed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/warroom/warroom/model"
)

// PrometheusConfig says which Prometheus server to ask and which PromQL
// queries give the host groups and the backlog. At least one of Hosts and
// Backlog is needed.
type PrometheusConfig struct {
	URL     string // the server's base URL, e.g. http://prometheus:9090
	Hosts   *PromHosts
	Backlog *PromBacklog
	Headers map[string]string // sent with every request, e.g. Authorization
}

// PromHosts are the queries for host groups. Each returns one series per
// group, the group named by Label; several series of one group (say, one per
// region) are summed.
type PromHosts struct {
	Recovered string // required: hosts back in service
	Total     string // optional: hosts in the group (else the scenario's count stands)
	Failed    string // optional: hosts known to be failing
	Label     string // the label naming the group; default "group"
	// Steps is optional: the hosts at each recovery step, one series per
	// group and step, the step named by StepLabel (default "step") with the
	// names of model.HostSteps's fields in the wire format (crashed,
	// rebooting, rescue, manual, bitlocker, instance_store); other steps
	// are left out.
	Steps     string
	StepLabel string
}

// PromBacklog are the queries for the delivery backlog. Each returns one
// series (several are summed) or a scalar.
type PromBacklog struct {
	Waiting string // required: orders waiting to ship
	Inflow  string // optional: new orders per hour
	Shipped string // optional: orders shipped per hour
	Late    string // optional: orders past their promised delivery date
	// ByPromise splits the backlog by delivery promise; optional.
	ByPromise *PromPromise
	// Backfill > 0 makes the first poll also read the backlog's history over
	// [now−Backfill, now], every Step (default 1m), so that the chart and
	// the forecast have a past from the start.
	Backfill time.Duration
	Step     time.Duration
}

// PromPromise are the queries for the backlog by promise class. Each
// returns one series per class, the class named by Label; several series
// of one class (say, one per site) are summed.
type PromPromise struct {
	Waiting string // required: orders of the class waiting to ship
	Late    string // optional: of those, orders past their promised date
	Label   string // the label naming the class; default "promise"
}

// DefaultPromiseLabel names the class in the by-promise queries' series
// when the config does not say.
const DefaultPromiseLabel = "promise"

// DefaultPromStep is the resolution of the backfill when Step is not set.
const DefaultPromStep = time.Minute

// maxBackfillPoints bounds the points one backfill asks for; Prometheus
// itself refuses more than 11,000.
const maxBackfillPoints = 11000

// Prometheus polls a Prometheus server's HTTP API. Each poll runs the
// instant queries, all at the same evaluation time, and returns one
// HostStatus per group and one BacklogObservation, stamped with the time of
// the samples. A group's state follows its counts the way the scenarios
// write it:
//
//   - all hosts back: healthy;
//   - 95% or more back: degraded (the tail);
//   - hosts failing and fewer than 10% back: down;
//   - hosts failing: recovering;
//   - none failing, yet fewer than 95% back: degraded.
//
// Without a failed query, every host not back counts as failing for the
// state (Failed is reported as 0); without a total, failing hosts mean down
// when none is back and recovering otherwise, and with none failing the
// state is left as it was.
//
// A query whose result has no samples yields no event and no error (a group
// without data is unknown, not down); a query Prometheus rejects is an error
// that names the query.
type Prometheus struct {
	name  string
	cfg   PrometheusConfig
	clock Clock
	api   promAPI

	mu         sync.Mutex // Poll may be called from more than one goroutine
	backfilled bool
	noGroupAt  time.Time // the sample time of the last report without a group, counted
	drops      dropCounter
}

// Dropped counts, by reason, the reports never returned: host series
// without the group label (once a sample).
func (p *Prometheus) Dropped() []model.DropCount { return p.drops.counts() }

// NewPrometheus checks cfg and makes the source. A nil client means
// http.DefaultClient's settings; put the poll timeout on Poll's ctx.
func NewPrometheus(name string, cfg PrometheusConfig, clock Clock, client *http.Client) (*Prometheus, error) {
	if cfg.URL == "" {
		return nil, fmt.Errorf("prometheus %s: url: missing: expected the server's URL, e.g. http://localhost:9090", name)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("prometheus %s: url: expected an http or https URL, got %q", name, cfg.URL)
	}
	if cfg.Hosts == nil && cfg.Backlog == nil {
		return nil, fmt.Errorf("prometheus %s: nothing to query: expected hosts or backlog queries", name)
	}
	if cfg.Hosts != nil {
		h := *cfg.Hosts
		if h.Recovered == "" {
			return nil, fmt.Errorf("prometheus %s: hosts.recovered: missing: expected a PromQL query", name)
		}
		if h.Label == "" {
			h.Label = "group"
		}
		if h.StepLabel == "" {
			h.StepLabel = "step"
		}
		cfg.Hosts = &h
	}
	if cfg.Backlog != nil {
		b := *cfg.Backlog
		if b.Waiting == "" {
			return nil, fmt.Errorf("prometheus %s: backlog.waiting: missing: expected a PromQL query", name)
		}
		if b.Backfill < 0 || b.Step < 0 {
			return nil, fmt.Errorf("prometheus %s: backlog: backfill and step must not be negative", name)
		}
		if b.Step == 0 {
			b.Step = DefaultPromStep
		}
		if bp := b.ByPromise; bp != nil {
			if bp.Waiting == "" {
				return nil, fmt.Errorf("prometheus %s: backlog.by_promise.waiting: missing: expected a PromQL query", name)
			}
			c := *bp
			if c.Label == "" {
				c.Label = DefaultPromiseLabel
			}
			b.ByPromise = &c
		}
		if b.Backfill/b.Step > maxBackfillPoints {
			return nil, fmt.Errorf("prometheus %s: backlog: a backfill of %s at a step of %s is %d points; at most %d: raise the step",
				name, b.Backfill, b.Step, b.Backfill/b.Step, maxBackfillPoints)
		}
		cfg.Backlog = &b
	}

	hc := http.Client{}
	if client != nil {
		hc = *client
	}
	if len(cfg.Headers) > 0 {
		base := hc.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		hc.Transport = headerTransport{base: base, headers: cfg.Headers}
	}
	return &Prometheus{name: name, cfg: cfg, clock: clock, api: promAPI{base: u, client: &hc}}, nil
}

// headerTransport adds fixed headers to every request.
type headerTransport struct {
	base    http.RoundTripper
	headers map[string]string
}

func (t headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range t.headers {
		r.Header.Set(k, v)
	}
	return t.base.RoundTrip(r)
}

// Name is the source's name from the config.
func (p *Prometheus) Name() string { return p.name }

// Poll runs the queries once. The first poll with a backfill also returns
// the backlog's history, oldest first; a failed backfill is tried again on
// the next poll.
func (p *Prometheus) Poll(ctx context.Context) ([]model.Event, error) {
	now := p.clock.now()
	var events []model.Event
	if p.cfg.Hosts != nil {
		ev, err := p.pollHosts(ctx, now)
		if err != nil {
			return nil, err
		}
		events = append(events, ev...)
	}
	if b := p.cfg.Backlog; b != nil {
		p.mu.Lock()
		backfill := b.Backfill > 0 && !p.backfilled
		p.mu.Unlock()
		if backfill {
			ev, err := p.backfill(ctx, now)
			if err != nil {
				return nil, err
			}
			events = append(events, ev...)
		}
		ev, err := p.pollBacklog(ctx, now)
		if err != nil {
			return nil, err
		}
		events = append(events, ev...)
		if backfill {
			p.mu.Lock()
			p.backfilled = true
			p.mu.Unlock()
		}
	}
	for i := range events {
		events[i] = model.SanitizeEvent(events[i])
	}
	return events, nil
}

// sample is a query's value at one time.
type sample struct {
	at    time.Time
	value float64
}

// query runs an instant query and returns its samples keyed by the value of
// label ("" for a query without one, or a scalar), summing series that share
// a key. NaN and infinite samples (stale markers, divisions by zero) are left
// out.
func (p *Prometheus) query(ctx context.Context, q string, at time.Time, label string) (map[string]sample, error) {
	res, err := p.api.query(ctx, q, at)
	if err != nil {
		return nil, p.queryError(ctx, q, err)
	}
	out := map[string]sample{}
	add := func(key string, t time.Time, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		s, ok := out[key]
		if !ok || t.After(s.at) {
			s.at = t
		}
		s.value += x
		out[key] = s
	}
	switch res.ResultType {
	case "vector":
		var series []promSeries
		if err := json.Unmarshal(res.Result, &series); err != nil {
			return nil, p.queryError(ctx, q, fmt.Errorf("reading the vector: %w", err))
		}
		for _, s := range series {
			key := ""
			if label != "" {
				key = s.Metric[label]
			}
			add(key, s.Value.At, s.Value.Value)
		}
	case "scalar":
		if label != "" {
			return nil, fmt.Errorf("prometheus %s: query %q: got a scalar, expected a vector with a %q label", p.name, q, label)
		}
		var pt promPoint
		if err := json.Unmarshal(res.Result, &pt); err != nil {
			return nil, p.queryError(ctx, q, fmt.Errorf("reading the scalar: %w", err))
		}
		add("", pt.At, pt.Value)
	default:
		return nil, fmt.Errorf("prometheus %s: query %q: got a %s, expected a vector", p.name, q, res.ResultType)
	}
	return out, nil
}

// queryError names the query in err, and keeps a cancelled context's error
// recognisable.
func (p *Prometheus) queryError(ctx context.Context, q string, err error) error {
	if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w: %v", ctx.Err(), err)
	}
	return fmt.Errorf("prometheus %s: query %q: %w", p.name, q, err)
}

// pollHosts returns a HostStatus for each group the recovered query has.
func (p *Prometheus) pollHosts(ctx context.Context, now time.Time) ([]model.Event, error) {
	h := p.cfg.Hosts
	recovered, err := p.query(ctx, h.Recovered, now, h.Label)
	if err != nil {
		return nil, err
	}
	if len(recovered) == 0 {
		return nil, nil
	}
	var total, failed map[string]sample
	if h.Total != "" {
		if total, err = p.query(ctx, h.Total, now, h.Label); err != nil {
			return nil, err
		}
	}
	if h.Failed != "" {
		if failed, err = p.query(ctx, h.Failed, now, h.Label); err != nil {
			return nil, err
		}
	}
	var steps map[string]model.HostSteps
	if h.Steps != "" {
		if steps, err = p.querySteps(ctx, h.Steps, now, h.Label, h.StepLabel); err != nil {
			return nil, err
		}
	}
	groups := make([]string, 0, len(recovered))
	for g, smp := range recovered {
		if g != "" {
			groups = append(groups, g)
			continue
		}
		// A series without the label names no group: its report is
		// dropped, counted once a sample (a poll between two scrapes
		// reads the same one).
		p.mu.Lock()
		if smp.at.After(p.noGroupAt) {
			p.noGroupAt = smp.at
			p.drops.add(DropNoGroup, 1)
		}
		p.mu.Unlock()
	}
	sort.Strings(groups)
	events := make([]model.Event, 0, len(groups))
	for _, g := range groups {
		r := recovered[g]
		st := model.HostStatus{Group: g, Recovered: count(r.value), Total: count(total[g].value),
			Failed: count(failed[g].value), Steps: steps[g]}
		failing := st.Failed
		if h.Failed == "" {
			failing = max(st.Total-st.Recovered, 0)
		}
		st.State = hostState(st.Recovered, st.Total, failing)
		events = append(events, model.Event{At: p.clock.Offset(r.at), Source: p.name, Body: st})
	}
	return events, nil
}

// count turns a sample into a count of hosts or orders.
func count(x float64) int {
	switch {
	case x <= 0 || math.IsNaN(x):
		return 0
	case x >= math.MaxInt32:
		return math.MaxInt32
	}
	return int(math.Round(x))
}

// hostState derives a group's state from its counts; see Prometheus.
func hostState(recovered, total, failing int) model.HostState {
	switch {
	case total > 0 && recovered >= total:
		return model.HostsHealthy
	case total > 0 && recovered*20 >= total*19:
		return model.HostsDegraded
	case total > 0 && failing > 0 && recovered*10 < total:
		return model.HostsDown
	case total > 0 && failing > 0:
		return model.HostsRecovering
	case total > 0:
		return model.HostsDegraded
	case failing > 0 && recovered == 0:
		return model.HostsDown
	case failing > 0:
		return model.HostsRecovering
	}
	return ""
}

// pollBacklog returns the backlog now, if the waiting query has a value.
func (p *Prometheus) pollBacklog(ctx context.Context, now time.Time) ([]model.Event, error) {
	b := p.cfg.Backlog
	waiting, err := p.query(ctx, b.Waiting, now, "")
	if err != nil {
		return nil, err
	}
	w, ok := waiting[""]
	if !ok {
		return nil, nil
	}
	obs := model.BacklogObservation{Waiting: orders(w.value)}
	for _, r := range []struct {
		q   string
		dst **float64
	}{{b.Inflow, &obs.Inflow}, {b.Shipped, &obs.Shipped}} {
		if r.q == "" {
			continue
		}
		res, err := p.query(ctx, r.q, now, "")
		if err != nil {
			return nil, err
		}
		if s, ok := res[""]; ok {
			x := max(s.value, 0)
			*r.dst = &x
		}
	}
	if b.Late != "" {
		res, err := p.query(ctx, b.Late, now, "")
		if err != nil {
			return nil, err
		}
		if s, ok := res[""]; ok {
			n := min(orders(s.value), obs.Waiting)
			obs.Late = &n
		}
	}
	if bp := b.ByPromise; bp != nil {
		if obs.Promise, err = p.promiseSplit(ctx, bp, now, obs.Waiting); err != nil {
			return nil, err
		}
	}
	return []model.Event{{At: p.clock.Offset(w.at), Source: p.name, Body: obs}}, nil
}

// promiseSplit is the backlog by promise class now: the by_promise
// queries' series by class, sorted by class id, each class's late at most
// its waiting. Classes whose waiting adds up to less than the whole backlog
// leave the rest to the class "other", so that the split adds up as the format
// requires; a split adding up to more than the backlog (its queries read
// other series than waiting's) is dropped and counted.
func (p *Prometheus) promiseSplit(ctx context.Context, bp *PromPromise, now time.Time, waiting int64) ([]model.PromiseCount, error) {
	byClass, err := p.query(ctx, bp.Waiting, now, bp.Label)
	if err != nil {
		return nil, err
	}
	var late map[string]sample
	if bp.Late != "" {
		if late, err = p.query(ctx, bp.Late, now, bp.Label); err != nil {
			return nil, err
		}
	}
	return fitSplit(byClass, late, waiting, &p.drops), nil
}

// DropSplitTooLarge is why a split by promise class is not delivered.
const DropSplitTooLarge = "promise split above waiting"

// OtherPromise is the class of the orders a split by promise leaves out.
const OtherPromise = "other"

// fitSplit makes a split by class from its series, as promiseSplit says.
func fitSplit(byClass, late map[string]sample, waiting int64, drops *dropCounter) []model.PromiseCount {
	if len(byClass) == 0 {
		return nil
	}
	ids := make([]string, 0, len(byClass))
	for id := range byClass {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	split := make([]model.PromiseCount, 0, len(ids)+1)
	var sum int64
	for _, id := range ids {
		if id == "" {
			continue // a series without the label names no class
		}
		n := orders(byClass[id].value)
		pc := model.PromiseCount{Class: id, Waiting: n}
		if s, ok := late[id]; ok {
			pc.Late = min(orders(s.value), n)
		}
		split = append(split, pc)
		sum += n
	}
	switch {
	case len(split) == 0:
		return nil
	case sum > waiting:
		drops.add(DropSplitTooLarge, 1)
		return nil
	case sum < waiting:
		i := slices.IndexFunc(split, func(pc model.PromiseCount) bool { return pc.Class == OtherPromise })
		if i < 0 {
			split = append(split, model.PromiseCount{Class: OtherPromise})
			i = len(split) - 1
		}
		split[i].Waiting += waiting - sum
	}
	return split
}

func orders(x float64) int64 {
	switch {
	case x <= 0 || math.IsNaN(x):
		return 0
	case x >= math.MaxInt64/2:
		return math.MaxInt64 / 2
	}
	return int64(math.Round(x))
}

// backfill reads the backlog over [now−Backfill, now) every Step: one
// BacklogObservation per step at which waiting has a value, with the rates
// at the same step when they have one. The point at now is the instant
// query's.
func (p *Prometheus) backfill(ctx context.Context, now time.Time) ([]model.Event, error) {
	b := p.cfg.Backlog
	r := promRange{start: now.Add(-b.Backfill), end: now, step: b.Step}
	waiting, err := p.queryRange(ctx, b.Waiting, r)
	if err != nil {
		return nil, err
	}
	var inflow, shipped map[time.Time]float64
	if b.Inflow != "" {
		if inflow, err = p.queryRange(ctx, b.Inflow, r); err != nil {
			return nil, err
		}
	}
	if b.Shipped != "" {
		if shipped, err = p.queryRange(ctx, b.Shipped, r); err != nil {
			return nil, err
		}
	}
	var late map[time.Time]float64
	if b.Late != "" {
		if late, err = p.queryRange(ctx, b.Late, r); err != nil {
			return nil, err
		}
	}
	var byClass, lateByClass map[time.Time]map[string]sample
	if bp := b.ByPromise; bp != nil {
		if byClass, err = p.queryRangeBy(ctx, bp.Waiting, r, bp.Label); err != nil {
			return nil, err
		}
		if bp.Late != "" {
			if lateByClass, err = p.queryRangeBy(ctx, bp.Late, r, bp.Label); err != nil {
				return nil, err
			}
		}
	}
	times := make([]time.Time, 0, len(waiting))
	for t := range waiting {
		if t.Before(now) {
			times = append(times, t)
		}
	}
	slices.SortFunc(times, time.Time.Compare)
	events := make([]model.Event, 0, len(times))
	for _, t := range times {
		obs := model.BacklogObservation{Waiting: orders(waiting[t])}
		if x, ok := inflow[t]; ok {
			x = max(x, 0)
			obs.Inflow = &x
		}
		if x, ok := shipped[t]; ok {
			x = max(x, 0)
			obs.Shipped = &x
		}
		if x, ok := late[t]; ok {
			n := min(orders(x), obs.Waiting)
			obs.Late = &n
		}
		if split, ok := byClass[t]; ok {
			obs.Promise = fitSplit(split, lateByClass[t], obs.Waiting, &p.drops)
		}
		events = append(events, model.Event{At: p.clock.Offset(t), Source: p.name, Body: obs})
	}
	return events, nil
}

// promRange is a range query's span and resolution.
type promRange struct {
	start, end time.Time
	step       time.Duration
}

// queryRangeBy runs a range query and returns its values by time and by
// the value of label, summing the series that share one.
func (p *Prometheus) queryRangeBy(ctx context.Context, q string, r promRange, label string) (map[time.Time]map[string]sample, error) {
	series, err := p.matrix(ctx, q, r)
	if err != nil {
		return nil, err
	}
	out := map[time.Time]map[string]sample{}
	for _, s := range series {
		key := s.Metric[label]
		for _, pt := range s.Values {
			if math.IsNaN(pt.Value) || math.IsInf(pt.Value, 0) {
				continue
			}
			if out[pt.At] == nil {
				out[pt.At] = map[string]sample{}
			}
			v := out[pt.At][key]
			v.at, v.value = pt.At, v.value+pt.Value
			out[pt.At][key] = v
		}
	}
	return out, nil
}

// matrix runs a range query and returns its series.
func (p *Prometheus) matrix(ctx context.Context, q string, r promRange) ([]promSeries, error) {
	res, err := p.api.queryRange(ctx, q, r.start, r.end, r.step)
	if err != nil {
		return nil, p.queryError(ctx, q, err)
	}
	if res.ResultType != "matrix" {
		return nil, fmt.Errorf("prometheus %s: range query %q: got a %s, expected a matrix", p.name, q, res.ResultType)
	}
	var series []promSeries
	if err := json.Unmarshal(res.Result, &series); err != nil {
		return nil, p.queryError(ctx, q, fmt.Errorf("reading the matrix: %w", err))
	}
	return series, nil
}

// queryRange runs a range query and returns its values by time, summing the
// series.
func (p *Prometheus) queryRange(ctx context.Context, q string, r promRange) (map[time.Time]float64, error) {
	series, err := p.matrix(ctx, q, r)
	if err != nil {
		return nil, err
	}
	out := map[time.Time]float64{}
	for _, s := range series {
		for _, pt := range s.Values {
			if math.IsNaN(pt.Value) || math.IsInf(pt.Value, 0) {
				continue
			}
			out[pt.At] += pt.Value
		}
	}
	return out, nil
}
