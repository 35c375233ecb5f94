package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Sitrep is the incident at one moment, for scripts, chat updates and tests.
// Its JSON form is the stable one; Text and Markdown are for people.
type Sitrep struct {
	Title      string          `json:"title"`
	Severity   string          `json:"severity"`
	Offset     string          `json:"offset"` // T+hh:mm
	Time       time.Time       `json:"time"`
	Hosts      SitrepHosts     `json:"hosts"`
	Backlog    SitrepBacklog   `json:"backlog"`
	Warnings   []SitrepWarning `json:"warnings"`
	Unacked    int             `json:"unacked_warnings"`
	Complaints SitrepComplaint `json:"complaints"`
	Runbook    []SitrepStep    `json:"runbook"`
	Recent     []SitrepEntry   `json:"recent"`
}

// SitrepHosts sums host recovery.
type SitrepHosts struct {
	Recovered   int           `json:"recovered"`
	Total       int           `json:"total"`
	Failed      int           `json:"failed"`
	PercentBack int           `json:"percent_back"` // rounded down
	RatePerHour float64       `json:"rate_per_hour"`
	Groups      []SitrepGroup `json:"groups"`
}

// SitrepGroup is one host group's counts.
type SitrepGroup struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Recovered   int     `json:"recovered"`
	Total       int     `json:"total"`
	Failed      int     `json:"failed"`
	State       string  `json:"state"`
	RatePerHour float64 `json:"rate_per_hour"`
	Reported    bool    `json:"reported"` // false: declared, no report yet
}

// SitrepBacklog is the backlog and its forecast.
type SitrepBacklog struct {
	Waiting     int64      `json:"waiting"`
	Peak        int64      `json:"peak"`
	PeakAt      string     `json:"peak_at"`
	RatePerHour float64    `json:"rate_per_hour"`
	Draining    bool       `json:"draining"`
	ETA         *time.Time `json:"eta,omitempty"`
	ETAEarly    *time.Time `json:"eta_early,omitempty"`
	ETALate     *time.Time `json:"eta_late,omitempty"` // absent when unbounded
	Summary     string     `json:"summary"`
}

// SitrepWarning is an open carrier warning.
type SitrepWarning struct {
	Carrier  string `json:"carrier"`
	Severity string `json:"severity"`
	Region   string `json:"region"`
	Headline string `json:"headline"`
	Updated  string `json:"updated"`
	Acked    bool   `json:"acked"`
}

// SitrepComplaint counts seller complaints.
type SitrepComplaint struct {
	Total    int           `json:"total"`
	LastHour int           `json:"last_hour"`
	ByTopic  []SitrepTopic `json:"by_topic"`
}

// SitrepTopic is one complaint topic's count.
type SitrepTopic struct {
	Topic string `json:"topic"`
	Count int    `json:"count"`
}

// SitrepStep is a runbook step's state.
type SitrepStep struct {
	Title string `json:"title"`
	State string `json:"state"`
}

// SitrepEntry is a timeline line.
type SitrepEntry struct {
	Offset string `json:"offset"`
	Text   string `json:"text"`
}

// sitrepRecent is how many timeline lines a sitrep carries.
const sitrepRecent = 8

// BuildSitrep summarises a state at its Now.
// Headline is the figures at the top of a sitrep, read without building
// the rest of it: the briefing view reads them every minute of a large
// incident, where copying and sorting every warning would cost a frame.
type Headline struct {
	Recovered, Total, Failed, PercentBack int
	HostRate                              float64 // hosts back per hour, every group
	OpenWarnings, Unacked                 int     // carrier warnings not resolved; not acknowledged
}

// Headline is the state's headline figures.
func (s *State) Headline() Headline {
	var h Headline
	h.Recovered, h.Total, h.Failed = s.HostTotals()
	h.PercentBack = PercentBack(h.Recovered, h.Total)
	for _, g := range s.Hosts {
		h.HostRate += g.Rate(s.Now)
	}
	for _, w := range s.Warnings {
		if !w.Resolved {
			h.OpenWarnings++
		}
	}
	h.Unacked = s.UnackedWarnings()
	return h
}

func BuildSitrep(sc *Scenario, s *State) Sitrep {
	head := s.Headline()
	r := Sitrep{
		Title:    sc.Meta.Title,
		Severity: sc.Meta.Severity,
		Offset:   FormatOffset(s.Now),
		Time:     sc.WallTime(s.Now),
		Unacked:  head.Unacked,
		Warnings: []SitrepWarning{},
		Runbook:  []SitrepStep{},
		Recent:   []SitrepEntry{},
	}
	for _, g := range s.Hosts {
		r.Hosts.Groups = append(r.Hosts.Groups, SitrepGroup{
			ID: g.ID, Name: g.Name, Recovered: g.Recovered, Total: g.Total,
			Failed: g.Failed, State: string(g.State), RatePerHour: g.Rate(s.Now), Reported: g.Seen,
		})
	}
	r.Hosts.Recovered, r.Hosts.Total, r.Hosts.Failed = head.Recovered, head.Total, head.Failed
	r.Hosts.PercentBack, r.Hosts.RatePerHour = head.PercentBack, head.HostRate

	f := s.BacklogForecast()
	r.Backlog = SitrepBacklog{
		Waiting: f.Waiting, Peak: s.Backlog.Peak, PeakAt: FormatOffset(s.Backlog.PeakAt),
		RatePerHour: f.Rate, Draining: f.Draining, Summary: f.String(),
	}
	if f.Draining {
		wall := func(d time.Duration) *time.Time { t := sc.WallTime(d); return &t }
		r.Backlog.ETA, r.Backlog.ETAEarly = wall(f.ETA), wall(f.Early)
		if f.Late >= 0 {
			r.Backlog.ETALate = wall(f.Late)
		}
	}

	open := slices.Clone(s.Warnings)
	open = slices.DeleteFunc(open, func(w Warning) bool { return w.Resolved })
	slices.SortStableFunc(open, func(a, b Warning) int { return b.Severity.Rank() - a.Severity.Rank() })
	for _, w := range open {
		r.Warnings = append(r.Warnings, SitrepWarning{
			Carrier: w.CarrierName, Severity: string(w.Severity), Region: w.Region,
			Headline: w.Headline, Updated: FormatOffset(w.UpdatedAt), Acked: w.Acked,
		})
	}

	r.Complaints.Total = s.Complaints.Total
	r.Complaints.ByTopic = []SitrepTopic{}
	for _, t := range s.Complaints.Topics {
		r.Complaints.ByTopic = append(r.Complaints.ByTopic, SitrepTopic{Topic: t.Name, Count: t.Count})
	}
	for i := len(s.Complaints.Posts) - 1; i >= 0 && s.Complaints.Posts[i].At > s.Now-time.Hour; i-- {
		r.Complaints.LastHour++
	}
	for _, st := range s.Runbook {
		r.Runbook = append(r.Runbook, SitrepStep{Title: st.Title, State: string(st.State)})
	}
	for _, e := range s.Timeline[max(0, len(s.Timeline)-sitrepRecent):] {
		r.Recent = append(r.Recent, SitrepEntry{Offset: FormatOffset(e.At), Text: e.Text})
	}
	return r
}

// Text renders the sitrep as plain text for a terminal or a chat message.
// Text from the scenario or a source is put on one line each, and the whole
// is sanitised once more on the way out.
func (r Sitrep) Text() string {
	r = r.oneLine()
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s  %s  %s\n\n", r.Title, r.Severity, r.Offset, r.Time.Format("2006-01-02 15:04 UTC"))
	if r.Hosts.Total == 0 {
		b.WriteString("Hosts     no host reports yet\n")
	} else {
		fmt.Fprintf(&b, "Hosts     %d%% back (%d/%d), %d failing, %s hosts/h\n", r.Hosts.PercentBack, r.Hosts.Recovered, r.Hosts.Total, r.Hosts.Failed, Signed(r.Hosts.RatePerHour))
	}
	nameW := 0
	for _, g := range r.Hosts.Groups {
		nameW = max(nameW, utf8.RuneCountInString(g.Name))
	}
	for _, g := range r.Hosts.Groups {
		switch {
		case !g.Reported:
			fmt.Fprintf(&b, "  %-*s no report yet (%s)\n", nameW, g.Name, Plural(g.Total, "host"))
		case g.Recovered >= g.Total:
			fmt.Fprintf(&b, "  %-*s %6d/%-6d all back\n", nameW, g.Name, g.Recovered, g.Total)
		default:
			fmt.Fprintf(&b, "  %-*s %6d/%-6d %5d failing  %s/h\n", nameW, g.Name, g.Recovered, g.Total, g.Failed, Signed(g.RatePerHour))
		}
	}
	fmt.Fprintf(&b, "Backlog   %s waiting, peak %s at %s; %s\n", Compact(r.Backlog.Waiting), Compact(r.Backlog.Peak), r.Backlog.PeakAt, r.Backlog.Summary)
	if r.Backlog.ETA != nil {
		fmt.Fprintf(&b, "          ETA back to normal %s (%s)\n", r.Backlog.ETA.Format("Jan 02 15:04 UTC"), r.etaRange())
	}
	fmt.Fprintf(&b, "Carriers  %s, %d unacknowledged\n", Plural(len(r.Warnings), "open warning"), r.Unacked)
	carrierW, regionW := 0, 0
	for _, w := range r.Warnings {
		carrierW = max(carrierW, utf8.RuneCountInString(w.Carrier))
		regionW = max(regionW, utf8.RuneCountInString(w.Region))
	}
	for _, w := range r.Warnings {
		mark := "!"
		if w.Acked {
			mark = "✓"
		}
		fmt.Fprintf(&b, "  %s %-*s %-8s %-*s %s (updated %s)\n", mark, carrierW, w.Carrier, strings.ToUpper(w.Severity), regionW, w.Region, w.Headline, w.Updated)
	}
	fmt.Fprintf(&b, "Sellers   %s, %d in the last hour\n", Plural(r.Complaints.Total, "complaint"), r.Complaints.LastHour)
	topicW := 0
	for _, t := range r.Complaints.ByTopic {
		topicW = max(topicW, utf8.RuneCountInString(t.Topic))
	}
	for _, t := range r.Complaints.ByTopic {
		fmt.Fprintf(&b, "  %-*s %5d\n", topicW, t.Topic, t.Count)
	}
	b.WriteString("Runbook\n")
	for _, s := range r.Runbook {
		fmt.Fprintf(&b, "  %s %s\n", stepMark(s.State), s.Title)
	}
	b.WriteString("Recent\n")
	for _, e := range r.Recent {
		fmt.Fprintf(&b, "  %s %s\n", e.Offset, e.Text)
	}
	return Sanitize(b.String(), 0)
}

// Markdown renders the sitrep for a chat or a ticket. Text from the scenario
// or a source is escaped to read as text (see mdText), and the whole is
// sanitised once more on the way out.
func (r Sitrep) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Sitrep %s — %s\n\n", r.Offset, mdText(r.Title))
	fmt.Fprintf(&b, "**%s** · %s\n\n", mdText(r.Severity), r.Time.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- **Hosts:** %d%% back (%d/%d), %d failing, %s hosts/h\n", r.Hosts.PercentBack, r.Hosts.Recovered, r.Hosts.Total, r.Hosts.Failed, Signed(r.Hosts.RatePerHour))
	fmt.Fprintf(&b, "- **Backlog:** %s waiting (peak %s at %s); %s\n", Compact(r.Backlog.Waiting), Compact(r.Backlog.Peak), r.Backlog.PeakAt, r.Backlog.Summary)
	if r.Backlog.ETA != nil {
		fmt.Fprintf(&b, "- **ETA back to normal:** %s (%s)\n", r.Backlog.ETA.Format("Jan 02 15:04 UTC"), r.etaRange())
	}
	fmt.Fprintf(&b, "- **Carrier warnings:** %d open, %d unacknowledged\n", len(r.Warnings), r.Unacked)
	fmt.Fprintf(&b, "- **Seller complaints:** %d, %d in the last hour\n\n", r.Complaints.Total, r.Complaints.LastHour)
	b.WriteString("| group | recovered | total | failing | per hour |\n|---|---:|---:|---:|---:|\n")
	for _, g := range r.Hosts.Groups {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s |\n", mdText(g.Name), g.Recovered, g.Total, g.Failed, Signed(g.RatePerHour))
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n| carrier | severity | region | headline | updated | ack |\n|---|---|---|---|---|---|\n")
		for _, w := range r.Warnings {
			ack := "no"
			if w.Acked {
				ack = "yes"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdText(w.Carrier), mdText(strings.ToUpper(w.Severity)), mdText(w.Region), mdText(w.Headline), w.Updated, ack)
		}
	}
	b.WriteString("\n**Runbook**\n\n")
	for _, s := range r.Runbook {
		box := " "
		if s.State == string(StepDone) {
			box = "x"
		}
		fmt.Fprintf(&b, "- [%s] %s (%s)\n", box, mdText(s.Title), s.State)
	}
	b.WriteString("\n**Recent**\n\n")
	for _, e := range r.Recent {
		fmt.Fprintf(&b, "- `%s` %s\n", e.Offset, mdText(e.Text))
	}
	return Sanitize(b.String(), 0)
}

// oneLine is the sitrep with every text from the scenario or a source
// sanitised onto one line, for Text.
func (r Sitrep) oneLine() Sitrep {
	l := func(s string) string { return OneLine(Sanitize(s, 0)) }
	r.Title, r.Severity = l(r.Title), l(r.Severity)
	r.Hosts.Groups = slices.Clone(r.Hosts.Groups)
	for i := range r.Hosts.Groups {
		g := &r.Hosts.Groups[i]
		g.Name = l(g.Name)
	}
	r.Warnings = slices.Clone(r.Warnings)
	for i := range r.Warnings {
		w := &r.Warnings[i]
		w.Carrier, w.Severity, w.Region, w.Headline = l(w.Carrier), l(w.Severity), l(w.Region), l(w.Headline)
	}
	r.Complaints.ByTopic = slices.Clone(r.Complaints.ByTopic)
	for i := range r.Complaints.ByTopic {
		r.Complaints.ByTopic[i].Topic = l(r.Complaints.ByTopic[i].Topic)
	}
	r.Runbook = slices.Clone(r.Runbook)
	for i := range r.Runbook {
		r.Runbook[i].Title = l(r.Runbook[i].Title)
	}
	r.Recent = slices.Clone(r.Recent)
	for i := range r.Recent {
		r.Recent[i].Text = l(r.Recent[i].Text)
	}
	return r
}

func (r Sitrep) etaRange() string {
	early := r.Backlog.ETAEarly.Format("Jan 02 15:04")
	if r.Backlog.ETALate == nil {
		return "earliest " + early + ", no upper bound yet"
	}
	return early + " – " + r.Backlog.ETALate.Format("Jan 02 15:04")
}

func stepMark(state string) string {
	switch StepState(state) {
	case StepDone:
		return "✓"
	case StepActive:
		return "▸"
	case StepBlocked:
		return "✗"
	case StepSkipped:
		return "–"
	}
	return "·"
}
