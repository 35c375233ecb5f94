package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/warroom/warroom/model"
)

// Atlassian Statuspage v2 documents, as much of them as a reader needs and
// in the field order real pages use.
type spPage struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	TimeZone  string `json:"time_zone"`
	UpdatedAt string `json:"updated_at"`
}

type spStatus struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type spComponent struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Status      string  `json:"status"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
	Position    int     `json:"position"`
	Description *string `json:"description"`
	Showcase    bool    `json:"showcase"`
	GroupID     *string `json:"group_id"`
	PageID      string  `json:"page_id"`
	Group       bool    `json:"group"`
	OnlyIfDown  bool    `json:"only_show_if_degraded"`
}

type spIncident struct {
	ID                 string          `json:"id"`
	Name               string          `json:"name"`
	Status             string          `json:"status"`
	CreatedAt          string          `json:"created_at"`
	UpdatedAt          string          `json:"updated_at"`
	MonitoringAt       *string         `json:"monitoring_at"`
	ResolvedAt         *string         `json:"resolved_at"`
	Impact             string          `json:"impact"`
	Shortlink          string          `json:"shortlink"`
	StartedAt          string          `json:"started_at"`
	PageID             string          `json:"page_id"`
	IncidentUpdates    []spUpdate      `json:"incident_updates"`
	Components         []spComponent   `json:"components"`
	AffectedComponents json.RawMessage `json:"affected_components"` // null, as real pages often send
}

type spUpdate struct {
	ID                   string          `json:"id"`
	Status               string          `json:"status"`
	Body                 string          `json:"body"`
	IncidentID           string          `json:"incident_id"`
	CreatedAt            string          `json:"created_at"`
	UpdatedAt            string          `json:"updated_at"`
	DisplayAt            string          `json:"display_at"`
	AffectedComponents   json.RawMessage `json:"affected_components"`
	DeliverNotifications bool            `json:"deliver_notifications"`
	CustomTweet          *string         `json:"custom_tweet"`
	TweetID              *string         `json:"tweet_id"`
}

type spSummary struct {
	Page                  spPage        `json:"page"`
	Components            []spComponent `json:"components"`
	Incidents             []spIncident  `json:"incidents"`
	ScheduledMaintenances []spIncident  `json:"scheduled_maintenances"`
	Status                spStatus      `json:"status"`
}

type spIncidents struct {
	Page      spPage       `json:"page"`
	Incidents []spIncident `json:"incidents"`
}

// spTime is how Statuspage writes times.
func spTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// spImpact maps a warning's severity to an incident's impact.
func spImpact(s model.Severity) string {
	switch s {
	case model.SeverityInfo:
		return "none"
	case model.SeverityMinor, model.SeverityMajor, model.SeverityCritical:
		return string(s)
	}
	return "minor"
}

// spIndicator is a page's status for its worst open impact.
func spIndicator(impact string) spStatus {
	switch impact {
	case "minor":
		return spStatus{"minor", "Partially Degraded Service"}
	case "major":
		return spStatus{"major", "Partial System Outage"}
	case "critical":
		return spStatus{"critical", "Major System Outage"}
	}
	return spStatus{"none", "All Systems Operational"}
}

// spComponentStatus is a component's status under an incident of impact.
func spComponentStatus(impact string) string {
	switch impact {
	case "minor":
		return "degraded_performance"
	case "major":
		return "partial_outage"
	case "critical":
		return "major_outage"
	}
	return "operational"
}

func impactRank(impact string) int {
	return map[string]int{"none": 1, "minor": 2, "major": 3, "critical": 4}[impact]
}

// pageComponents are the few components every simulated carrier page has.
var pageComponents = []string{"Pickups", "Tracking", "Shipping labels and manifests", "Delivery network"}

// serveStatuspage serves a carrier's summary.json (summary: unresolved
// incidents, components and the page's status) or incidents.json (every
// incident so far). Each of the carrier's warnings is an incident with the
// warning's id; each of its notices (issue, updates, resolution) an incident
// update, newest first: issued → investigating, updated → identified (or
// monitoring when the update lowers the severity), resolved → resolved. The
// incident's status is its latest update's; its impact the warning's current
// severity (info → none). The warning's region is the incident's one
// component.
func (s *Simulator) serveStatuspage(summary bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		carrier := r.PathValue("carrier")
		v := s.view()
		name, known := "", false
		for _, c := range s.sc.Carriers {
			if c.ID == carrier {
				name, known = c.Name, true
			}
		}
		var warnings []model.Warning
		for _, wa := range v.state.Warnings {
			if wa.Carrier == carrier {
				warnings = append(warnings, wa)
				known = true
				if name == "" {
					name = wa.CarrierName
				}
			}
		}
		if !known {
			http.Error(w, fmt.Sprintf("no carrier %q in scenario %s", carrier, s.sc.Name), http.StatusNotFound)
			return
		}
		base := "http://" + r.Host + "/statuspage/" + carrier
		page := spPage{ID: carrier, Name: name, URL: base, TimeZone: "Etc/UTC", UpdatedAt: spTime(s.wall(0))}
		updated := time.Duration(0)
		for _, wa := range warnings {
			updated = max(updated, wa.UpdatedAt)
		}
		page.UpdatedAt = spTime(s.wall(updated))

		ids := map[string]bool{}
		for _, wa := range warnings {
			ids[wa.ID] = true
		}
		notices := warningNotices(v.events, ids)
		incidents := make([]spIncident, 0, len(warnings))
		worst := "none"
		for _, wa := range warnings {
			inc := s.incident(wa, notices[wa.ID], base)
			if !wa.Resolved && impactRank(inc.Impact) > impactRank(worst) {
				worst = inc.Impact
			}
			if summary && wa.Resolved {
				continue
			}
			incidents = append(incidents, inc)
		}
		// Newest first, as pages list them.
		slices.SortStableFunc(incidents, func(a, b spIncident) int {
			switch {
			case a.CreatedAt > b.CreatedAt:
				return -1
			case a.CreatedAt < b.CreatedAt:
				return 1
			}
			return 0
		})

		var doc any
		if summary {
			comps := make([]spComponent, len(pageComponents))
			for i, n := range pageComponents {
				comps[i] = spComponent{ID: fmt.Sprintf("%s-c%d", carrier, i+1), Name: n, Status: spComponentStatus(worst),
					CreatedAt: spTime(s.wall(0)), UpdatedAt: page.UpdatedAt, Position: i + 1, PageID: carrier}
			}
			doc = spSummary{Page: page, Components: comps, Incidents: incidents,
				ScheduledMaintenances: []spIncident{}, Status: spIndicator(worst)}
		} else {
			doc = spIncidents{Page: page, Incidents: incidents}
		}
		writeJSON(w, doc)
	}
}

// notice is one CarrierWarning event as applied: its time and phase, and
// the warning's severity and body as they stood after it.
type notice struct {
	at       time.Duration
	phase    model.WarningPhase
	severity model.Severity
	body     string
	lowered  bool // the notice lowered the severity
}

// warningNotices collects the notices of the warnings in ids, in order,
// with the fields an update leaves empty carried forward as Apply does.
func warningNotices(events []model.Event, ids map[string]bool) map[string][]notice {
	out := map[string][]notice{}
	for _, e := range events {
		cw, ok := e.Body.(model.CarrierWarning)
		if !ok || !ids[cw.ID] {
			continue
		}
		prev := out[cw.ID]
		if len(prev) == 0 && cw.Phase == model.WarningResolved {
			continue // a resolution of a notice never issued changes nothing
		}
		n := notice{at: e.At, phase: cw.Phase, severity: cw.Severity, body: cw.Body}
		if n.phase == "" {
			n.phase = model.WarningIssued
		}
		if len(prev) > 0 {
			last := prev[len(prev)-1]
			if n.severity == "" {
				n.severity = last.severity
			}
			n.lowered = n.severity.Rank() < last.severity.Rank()
			if n.body == "" {
				n.body = last.body
			}
		}
		out[cw.ID] = append(prev, n)
	}
	return out
}

// incident is one warning as a Statuspage incident.
func (s *Simulator) incident(wa model.Warning, notices []notice, base string) spIncident {
	inc := spIncident{
		ID:                 wa.ID,
		Name:               wa.Headline,
		Status:             "investigating",
		CreatedAt:          spTime(s.wall(wa.IssuedAt)),
		UpdatedAt:          spTime(s.wall(wa.UpdatedAt)),
		Impact:             spImpact(wa.Severity),
		Shortlink:          base + "/incidents/" + wa.ID,
		StartedAt:          spTime(s.wall(wa.IssuedAt)),
		PageID:             wa.Carrier,
		IncidentUpdates:    []spUpdate{},
		Components:         []spComponent{},
		AffectedComponents: json.RawMessage("null"),
	}
	if wa.Resolved {
		t := spTime(s.wall(wa.ResolvedAt))
		inc.ResolvedAt = &t
	}
	if wa.Region != "" {
		status := spComponentStatus(inc.Impact)
		if wa.Resolved {
			status = "operational"
		}
		inc.Components = append(inc.Components, spComponent{ID: wa.ID + "-region", Name: wa.Region, Status: status,
			CreatedAt: inc.CreatedAt, UpdatedAt: inc.UpdatedAt, PageID: wa.Carrier})
	}
	if len(notices) == 0 {
		// Cannot happen for a warning in the state, but keep the incident
		// readable: one update with its body.
		notices = []notice{{at: wa.IssuedAt, phase: model.WarningIssued, severity: wa.Severity, body: wa.Body}}
	}
	for i := len(notices) - 1; i >= 0; i-- {
		n := notices[i]
		status := "identified"
		switch {
		case n.phase == model.WarningIssued:
			status = "investigating"
		case n.phase == model.WarningResolved:
			status = "resolved"
		case n.lowered:
			status = "monitoring"
		}
		if i == len(notices)-1 {
			inc.Status = status
		}
		if status == "monitoring" { // newest first: the last one set is the first
			t := spTime(s.wall(n.at))
			inc.MonitoringAt = &t
		}
		body := n.body
		if body == "" {
			body = wa.Headline
		}
		t := spTime(s.wall(n.at))
		inc.IncidentUpdates = append(inc.IncidentUpdates, spUpdate{
			ID: fmt.Sprintf("%s-u%d", wa.ID, i+1), Status: status, Body: body, IncidentID: wa.ID,
			CreatedAt: t, UpdatedAt: t, DisplayAt: t, AffectedComponents: json.RawMessage("null"),
			DeliverNotifications: true,
		})
	}
	return inc
}

func writeJSON(w http.ResponseWriter, doc any) {
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(append(data, '\n'))
}
