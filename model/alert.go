package model

import (
	"reflect"
	"strconv"
	"time"
)

// AlertRule is a condition worth a responder's attention now, declared once
// for both a scenario file (its top-level alerts) and a live config (its
// alerts). It has exactly one kind, and the kind's fields are its own type's
// (as an Item has one event kind). The checks and the schema come from the
// tags, as for every type of the formats.
type AlertRule struct {
	ID   string    `json:"id" check:"required,id=alert" doc:"Unique id: lower-case letters, digits and '-'. Acknowledgements name it."`
	Name string    `json:"name,omitzero" doc:"What the console calls it, e.g. \"Backlog still growing\"; defaults to one made from the kind."`
	Pane AlertPane `json:"pane,omitzero" doc:"The pane it concerns, highlighted while it fires; defaults to the kind's (backlog for backlog_growing and eta_slip, carriers, complaints, hosts for hosts_stalled and source_stale)."`

	BacklogGrowing *BacklogGrowingRule `json:"backlog_growing,omitzero" kind:"backlog_growing" doc:"The backlog has risen, never falling, for at least a while."`
	ETASlip        *SlipRule           `json:"eta_slip,omitzero" kind:"eta_slip" doc:"The backlog's ETA is later than it was a while ago, by more than a margin."`
	CarrierWarning *CarrierWarningRule `json:"carrier_warning,omitzero" kind:"carrier_warning" doc:"An open carrier warning of a severity or worse."`
	ComplaintSpike *ComplaintSpikeRule `json:"complaint_spike,omitzero" kind:"complaint_spike" doc:"Seller complaints arrive much faster than before."`
	SourceStale    *SourceStaleRule    `json:"source_stale,omitzero" kind:"source_stale" doc:"A data source has brought no fresh data for a while (live rooms)."`
	HostsStalled   *HostsStalledRule   `json:"hosts_stalled,omitzero" kind:"hosts_stalled" doc:"A host group that still has hosts down reports no recovery progress for a while (its reports in that while show none back)."`
}

// BacklogGrowingRule fires when the latest backlog observation is higher
// than one at least For earlier, and no observation in between fell.
type BacklogGrowingRule struct {
	For time.Duration `json:"for" check:"required" doc:"How long the backlog must have grown, e.g. 30m (at least 1m)."`
}

// SlipRule (the backlog's ETA slipping) fires when the backlog's ETA (the forecast the backlog pane
// shows) is later by more than By than the ETA forecast Window earlier, or
// when there was an ETA then and the backlog no longer drains now.
type SlipRule struct {
	By     time.Duration `json:"by" check:"required" doc:"The slip that fires it, e.g. 2h (at least 1m)."`
	Window time.Duration `json:"window,omitzero" doc:"Compared with the ETA this long ago; default 1h (at least 1m)."`
}

// CarrierWarningRule fires while a carrier warning of Severity or worse is
// open (issued and not resolved), acknowledged or not.
type CarrierWarningRule struct {
	Severity Severity `json:"severity" check:"required" doc:"The least severity that fires it."`
	Carrier  string   `json:"carrier,omitzero" check:"ref=carriers" doc:"Only this carrier's warnings; default any carrier's."`
}

// ComplaintSpikeRule fires when at least MinPosts posts came in the last
// Window and their rate is at least Factor times the rate of the Baseline
// before that window.
type ComplaintSpikeRule struct {
	Factor   float64       `json:"factor" check:"present,min=1" doc:"How many times the baseline rate fires it (>= 1), e.g. 3."`
	Window   time.Duration `json:"window,omitzero" doc:"The recent window; default 1h (at least 1m)."`
	Baseline time.Duration `json:"baseline,omitzero" doc:"The window before it whose rate is the baseline; default 6h (at least 1m)."`
	MinPosts int           `json:"min_posts,omitzero" check:"min=1" doc:"The fewest posts in the recent window that fire it; default 5."`
	Topic    string        `json:"topic,omitzero" check:"ref=topics" doc:"Only this topic's posts; default every topic's."`
}

// SourceStaleRule fires when a source's last fresh data is For old or
// older (or it has reported for For with none yet).
type SourceStaleRule struct {
	For    time.Duration `json:"for" check:"required" doc:"How long without fresh data, e.g. 5m (at least 1m)."`
	Source string        `json:"source,omitzero" doc:"Only this source (its name in the config); default any source."`
}

// HostsStalledRule fires when a group that still has hosts down has
// reported in the last For, and recovered no more hosts in it than it had
// recovered For ago.
type HostsStalledRule struct {
	For   time.Duration `json:"for" check:"required" doc:"How long without progress, e.g. 45m (at least 1m)."`
	Group string        `json:"group,omitzero" check:"ref=host_groups" doc:"Only this host group; default any group."`
}

// AlertPane is the pane an alert concerns.
type AlertPane string

const (
	AlertPaneHosts      AlertPane = "hosts"
	AlertPaneBacklog    AlertPane = "backlog"
	AlertPaneCarriers   AlertPane = "carriers"
	AlertPaneComplaints AlertPane = "complaints"
	AlertPaneRunbook    AlertPane = "runbook"
	AlertPaneTimeline   AlertPane = "timeline"
)

// Values are the panes.
func (AlertPane) Values() []string {
	return []string{string(AlertPaneHosts), string(AlertPaneBacklog), string(AlertPaneCarriers),
		string(AlertPaneComplaints), string(AlertPaneRunbook), string(AlertPaneTimeline)}
}

// AlertFigure is the figure in its pane an alert concerns, for the pane to
// mark.
type AlertFigure string

const (
	FigureWaiting   AlertFigure = "waiting"   // the backlog's orders waiting
	FigureETA       AlertFigure = "eta"       // the backlog's ETA
	FigureWarnings  AlertFigure = "warnings"  // the open warnings count
	FigureRate      AlertFigure = "rate"      // complaints per hour
	FigureRecovered AlertFigure = "recovered" // hosts back
	FigureSource    AlertFigure = "source"    // a source's health
)

// Default windows of the rules.
const (
	DefaultETASlipWindow  = time.Hour
	DefaultSpikeWindow    = time.Hour
	DefaultSpikeBaseline  = 6 * time.Hour
	DefaultSpikeMinPosts  = 5
	minAlertDuration      = time.Minute
	alertEvaluationPeriod = time.Minute
)

// Kind is the rule's kind: the name of its one kind field, "" without one.
func (r *AlertRule) Kind() string {
	v := reflect.ValueOf(r).Elem()
	for _, f := range infoOf(reflect.TypeFor[AlertRule]()).fields {
		if f.kind != "" && !f.value(v).IsNil() {
			return string(f.kind)
		}
	}
	return ""
}

// Target is the pane and the figure the rule concerns.
func (r *AlertRule) Target() (AlertPane, AlertFigure) {
	pane, fig := AlertPaneTimeline, AlertFigure("")
	switch {
	case r.BacklogGrowing != nil:
		pane, fig = AlertPaneBacklog, FigureWaiting
	case r.ETASlip != nil:
		pane, fig = AlertPaneBacklog, FigureETA
	case r.CarrierWarning != nil:
		pane, fig = AlertPaneCarriers, FigureWarnings
	case r.ComplaintSpike != nil:
		pane, fig = AlertPaneComplaints, FigureRate
	case r.HostsStalled != nil:
		pane, fig = AlertPaneHosts, FigureRecovered
	case r.SourceStale != nil:
		pane, fig = AlertPaneHosts, FigureSource
	}
	if r.Pane != "" {
		pane = r.Pane
	}
	return pane, fig
}

// Title is the rule's name, or one made from its kind.
func (r *AlertRule) Title() string {
	if r.Name != "" {
		return r.Name
	}
	switch {
	case r.BacklogGrowing != nil:
		return "backlog growing for " + FormatSpan(r.BacklogGrowing.For)
	case r.ETASlip != nil:
		return "ETA slipped by more than " + FormatSpan(r.ETASlip.By)
	case r.CarrierWarning != nil:
		who := "a carrier"
		if r.CarrierWarning.Carrier != "" {
			who = r.CarrierWarning.Carrier
		}
		return who + " warning " + string(r.CarrierWarning.Severity) + " or worse"
	case r.ComplaintSpike != nil:
		return "complaints spike ×" + strconv.FormatFloat(r.ComplaintSpike.Factor, 'g', -1, 64)
	case r.SourceStale != nil:
		who := "a source"
		if r.SourceStale.Source != "" {
			who = r.SourceStale.Source
		}
		return who + " stale for " + FormatSpan(r.SourceStale.For)
	case r.HostsStalled != nil:
		who := "a host group"
		if r.HostsStalled.Group != "" {
			who = r.HostsStalled.Group
		}
		return who + " stalled for " + FormatSpan(r.HostsStalled.For)
	}
	return r.ID
}
