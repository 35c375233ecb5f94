package sim

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/warroom/warroom/model"
)

// The metrics /metrics exposes. Host groups appear once the scenario has
// reported on them (a group nobody reported on is unknown, not down); the
// backlog once it has been observed, each rate only while the latest
// observation has it.
var (
	descRecovered = prometheus.NewDesc("warroom_hosts_recovered",
		"Hosts of the group back in service.", []string{"group"}, nil)
	descTotal = prometheus.NewDesc("warroom_hosts_total",
		"Hosts in the group.", []string{"group"}, nil)
	descFailed = prometheus.NewDesc("warroom_hosts_failed",
		"Hosts of the group known to be failing (boot loop, crashed).", []string{"group"}, nil)
	descWaiting = prometheus.NewDesc("warroom_backlog_waiting",
		"Orders waiting to ship.", nil, nil)
	descInflow = prometheus.NewDesc("warroom_backlog_inflow_per_hour",
		"New orders per hour.", nil, nil)
	descShipped = prometheus.NewDesc("warroom_backlog_shipped_per_hour",
		"Orders shipped per hour.", nil, nil)
	descOffset = prometheus.NewDesc("warroom_sim_offset_seconds",
		"The simulated time of this scrape, in seconds after the scenario's T+0.", nil, nil)
)

// collector reads the simulator's state at scrape time: nothing runs between
// scrapes.
type collector struct{ s *Simulator }

func (collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descRecovered, descTotal, descFailed, descWaiting, descInflow, descShipped, descOffset} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	v := c.s.view()
	gauge := func(d *prometheus.Desc, x float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, x, labels...)
	}
	for _, g := range v.state.Hosts {
		if !g.Seen {
			continue
		}
		gauge(descRecovered, float64(g.Recovered), g.ID)
		gauge(descTotal, float64(g.Total), g.ID)
		gauge(descFailed, float64(g.Failed), g.ID)
	}
	if p, ok := v.state.Backlog.Latest(); ok {
		gauge(descWaiting, float64(p.Waiting))
		if p.HasInflow {
			gauge(descInflow, p.Inflow)
		}
		if p.HasShipped {
			gauge(descShipped, p.Shipped)
		}
	}
	gauge(descOffset, v.at.Seconds())
}

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
