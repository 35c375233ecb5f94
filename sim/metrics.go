package sim

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/warroom/warroom/model"
)

// The metrics /metrics exposes. Host groups appear once the scenario has
// reported on them (a group nobody reported on is unknown, not down); the
// backlog once it has been observed, each rate only while the latest
// observation has it.
var (
	metricRecovered = gaugeDesc{"warroom_hosts_recovered", "Hosts of the group back in service."}
	metricTotal     = gaugeDesc{"warroom_hosts_total", "Hosts in the group."}
	metricFailed    = gaugeDesc{"warroom_hosts_failed", "Hosts of the group known to be failing (boot loop, crashed)."}
	metricAtStep    = gaugeDesc{"warroom_hosts_at_step", "Hosts of the group not back yet at a recovery step (label step: crashed, rebooting, rescue, manual, bitlocker, instance_store)."}
	metricWaiting   = gaugeDesc{"warroom_backlog_waiting", "Orders waiting to ship."}
	metricInflow    = gaugeDesc{"warroom_backlog_inflow_per_hour", "New orders per hour."}
	metricShipped   = gaugeDesc{"warroom_backlog_shipped_per_hour", "Orders shipped per hour."}
	metricLate      = gaugeDesc{"warroom_backlog_late", "Orders waiting past their promised delivery date."}
	// By promise class, the class in the label promise.
	metricPromiseWaiting = gaugeDesc{"warroom_backlog_promise_waiting", "Orders waiting to ship, by delivery promise."}
	metricPromiseLate    = gaugeDesc{"warroom_backlog_promise_late", "Orders waiting past their promised delivery date, by delivery promise."}
	metricOffset         = gaugeDesc{"warroom_sim_offset_seconds", "The simulated time of this scrape, in seconds after the scenario's T+0."}
)

// gaugeDesc names a gauge and says what it measures.
type gaugeDesc struct{ name, help string }

// gaugeSample is one value of a gauge, with its labels if it has any: a
// group, a group and a recovery step, or a promise class (in group, under
// the label appendGaugeBy names).
type gaugeSample struct {
	group, step string
	value       float64
}

// stepLabel names a host step in warroom_hosts_at_step: the Prometheus
// source's default step label.
const stepLabel = "step"

// stepSamples are a group's hosts by recovery step, every step once the
// group reports steps (a step at 0 is news), none while it does not.
func stepSamples(g model.HostGroup) []gaugeSample {
	st := g.Steps
	if !st.Reported() {
		return nil
	}
	out := make([]gaugeSample, 0, 6)
	for _, c := range []struct {
		name string
		n    int
	}{{"crashed", st.Crashed}, {"rebooting", st.Rebooting}, {"rescue", st.Rescue}, {"manual", st.Manual},
		{"bitlocker", st.BitLocker}, {"instance_store", st.InstanceStore}} {
		out = append(out, gaugeSample{group: g.ID, step: c.name, value: float64(c.n)})
	}
	return out
}

// serveMetrics writes the simulator's state at scrape time in Prometheus's
// text exposition format: nothing runs between scrapes.
//
// The format is written here rather than by client_golang's registry and
// promhttp: importing that package runs its init in every warroom process
// (the console too), registering Go and process collectors and protobuf
// descriptors, which costs 3.4 MB of binary and 2.7 MB of resident memory
// (measured on a program importing tui, serve, journal, gofeed and cobra:
// RSS 7.7 MB without it, 10.4 MB with it). A scrape here is a handful of
// gauges; sim's tests read it back with client_golang's own text parser.
func (s *Simulator) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	v := s.view()
	var recovered, total, failed, steps []gaugeSample
	for _, g := range v.state.Hosts {
		if !g.Seen {
			continue
		}
		recovered = append(recovered, gaugeSample{group: g.ID, value: float64(g.Recovered)})
		total = append(total, gaugeSample{group: g.ID, value: float64(g.Total)})
		failed = append(failed, gaugeSample{group: g.ID, value: float64(g.Failed)})
		steps = append(steps, stepSamples(g)...)
	}
	var b []byte
	b = appendGauge(b, metricRecovered, recovered)
	b = appendGauge(b, metricTotal, total)
	b = appendGauge(b, metricFailed, failed)
	b = appendGauge(b, metricAtStep, steps)
	if p, ok := v.state.Backlog.Latest(); ok {
		b = appendGauge(b, metricWaiting, []gaugeSample{{value: float64(p.Waiting)}})
		if p.HasInflow {
			b = appendGauge(b, metricInflow, []gaugeSample{{value: p.Inflow}})
		}
		if p.HasShipped {
			b = appendGauge(b, metricShipped, []gaugeSample{{value: p.Shipped}})
		}
		if p.HasLate {
			b = appendGauge(b, metricLate, []gaugeSample{{value: float64(p.Late)}})
		}
		if split := p.Promise(); len(split) > 0 {
			waiting, late := make([]gaugeSample, len(split)), make([]gaugeSample, len(split))
			for i, c := range split {
				waiting[i] = gaugeSample{group: c.Class, value: float64(c.Waiting)}
				late[i] = gaugeSample{group: c.Class, value: float64(c.Late)}
			}
			b = appendGaugeBy(b, metricPromiseWaiting, "promise", waiting)
			b = appendGaugeBy(b, metricPromiseLate, "promise", late)
		}
	}
	b = appendGauge(b, metricOffset, []gaugeSample{{value: v.at.Seconds()}})
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = w.Write(b)
}

// appendGauge writes a gauge's HELP and TYPE lines and its samples; a gauge
// without samples is left out, as client_golang leaves it.
func appendGauge(b []byte, d gaugeDesc, samples []gaugeSample) []byte {
	return appendGaugeBy(b, d, "group", samples)
}

// appendGaugeBy is appendGauge with the samples' label named label.
func appendGaugeBy(b []byte, d gaugeDesc, label string, samples []gaugeSample) []byte {
	if len(samples) == 0 {
		return b
	}
	b = fmt.Appendf(b, "# HELP %s %s\n# TYPE %s gauge\n", d.name, escapeHelp(d.help), d.name)
	for _, s := range samples {
		b = append(b, d.name...)
		if s.group != "" {
			b = append(b, '{')
			b = append(b, label...)
			b = append(b, `="`...)
			b = append(b, escapeLabel(s.group)...)
			if s.step != "" {
				b = append(b, `",`+stepLabel+`="`...)
				b = append(b, escapeLabel(s.step)...)
			}
			b = append(b, `"}`...)
		}
		b = append(b, ' ')
		b = strconv.AppendFloat(b, s.value, 'g', -1, 64)
		b = append(b, '\n')
	}
	return b
}

// The text format's escapes: a label value escapes backslash, double quote
// and line feed; a HELP text backslash and line feed.
var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }

// serveIndex lists the endpoints.
func (s *Simulator) serveIndex(w http.ResponseWriter, r *http.Request) {
	at := s.Offset()
	var b strings.Builder
	fmt.Fprintf(&b, "warroom simulator: %s\n", s.sc.Meta.Title)
	fmt.Fprintf(&b, "scenario %s at %s (%s UTC), speed ×%g\n\n", s.sc.Name, model.FormatOffset(at),
		s.wall(at).Format("2006-01-02 15:04"), s.speed)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "GET /metrics\tPrometheus metrics: warroom_hosts_*, warroom_backlog_*, warroom_sim_offset_seconds")
	for _, c := range s.sc.Carriers {
		fmt.Fprintf(tw, "GET /statuspage/%s/api/v2/summary.json\t%s: Statuspage v2, unresolved incidents\n", c.ID, c.Name)
		fmt.Fprintf(tw, "GET /statuspage/%s/api/v2/incidents.json\t%s: Statuspage v2, every incident\n", c.ID, c.Name)
	}
	fmt.Fprintln(tw, "GET /rss/complaints.xml\tRSS 2.0: the latest 200 seller complaints")
	fmt.Fprintln(tw, "GET /events.ndjson[?since=RFC3339]\tevery event so far, one JSON object a line")
	_ = tw.Flush()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, b.String())
}
