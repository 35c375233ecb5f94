package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Alerts are evaluated at every whole minute of incident time (T+0, T+1m,
// …), each with the state of the events at or before it: the moments they
// fire and clear depend only on the events and how far the clock went,
// never on how often a view looked or how playback stepped.
//
// Apply evaluates the minutes before each event's time, before the event
// is folded in, and AdvanceTo the minutes up to the clock. Rules on what a
// state keeps only as it stands now (carrier warnings, sources' health)
// must be evaluated as the events come. Rules on history (the backlog's
// points, seller posts, host reports) read lists that a cursor sets aside
// while it folds (see appendOnly); while they are aside Apply leaves those
// rules, and the cursor evaluates them once the fold ends, at every minute
// since they last were, from the history as it was at each minute: the
// same result however late they are looked at.

// maxAlertSteps bounds the minutes evaluated in one go (a live room whose
// T+0 lies weeks back): older minutes are skipped, the rules looked at as
// they stand now.
const maxAlertSteps = 100_000

// AdvanceTo moves the state's clock to t (the cursor's time) and evaluates
// the alert rules up to it. The state's lists must be its own (not set
// aside by a fold).
func (s *State) AdvanceTo(t time.Duration) {
	s.Now = t
	s.EvaluateAlerts(t)
}

// EvaluateAlerts evaluates every rule at the minutes up to t that it has
// not been evaluated at; see AdvanceTo.
func (s *State) EvaluateAlerts(t time.Duration) {
	if len(s.Alerts) > 0 {
		evaluateAlerts(s, t, true, true)
	}
}

// evaluateAlertsBefore is EvaluateAlerts for the minutes before t.
func (s *State) evaluateAlertsBefore(t time.Duration) { evaluateAlerts(s, t, false, true) }

// alertsEvaluatedAt reports whether a rule has been evaluated at a minute
// at or after t: a minute that an event stamped t belongs to.
func (s *State) alertsEvaluatedAt(t time.Duration) bool {
	for i := range s.Alerts {
		if next := s.Alerts[i].next; next > 0 && next-alertEvaluationPeriod >= t {
			return true
		}
	}
	return false
}

// historyRule reports whether a rule reads the state's history lists.
func historyRule(r *AlertRule) bool { return r.CarrierWarning == nil && r.SourceStale == nil }

// evaluateAlerts evaluates each rule (with history, those on history too)
// at every minute from its next one due up to t (t itself when
// inclusive).
func evaluateAlerts(s *State, t time.Duration, inclusive, history bool) {
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if !history && historyRule(&a.Rule) {
			continue
		}
		g := a.next
		if t-g > maxAlertSteps*alertEvaluationPeriod {
			g = (t/alertEvaluationPeriod - maxAlertSteps) * alertEvaluationPeriod
		}
		for ; g < t || inclusive && g == t; g += alertEvaluationPeriod {
			evaluateAlertAt(s, a, g)
		}
		a.next = max(a.next, g)
	}
}

// evaluateAlertAt records whether a rule starts or stops firing at g.
func evaluateAlertAt(s *State, a *Alert, g time.Duration) {
	{
		on, _ := alertCondition(s, &a.Rule, g, false)
		switch {
		case on && !a.Active:
			_, detail := alertCondition(s, &a.Rule, g, true)
			a.Active = true
			f := AlertFiring{FiredAt: g, Detail: detail}
			a.ackFiring(&f)
			a.Firings = append(a.Firings, f)
			if len(a.Firings) > MaxAlertFirings {
				a.Firings = append(a.Firings[:0:0], a.Firings[len(a.Firings)-MaxAlertFirings:]...)
			}
			s.Rev.Alerts++
		case !on && a.Active:
			a.Active = false
			f := &a.Firings[len(a.Firings)-1]
			f.Cleared, f.ClearedAt = true, g
			s.Rev.Alerts++
		}
	}
}

// alertCondition reports whether r's condition holds at g, and with
// explain what makes it hold (written only when a rule starts firing).
func alertCondition(s *State, r *AlertRule, g time.Duration, explain bool) (bool, string) {
	switch {
	case r.BacklogGrowing != nil:
		return backlogGrowing(s.Backlog.Points, g, r.BacklogGrowing.For, explain)
	case r.ETASlip != nil:
		return etaSlipped(s.Backlog, g, r.ETASlip, explain)
	case r.CarrierWarning != nil:
		return warningOpen(s.Warnings, r.CarrierWarning, explain)
	case r.ComplaintSpike != nil:
		return complaintSpike(s.Complaints.Posts, g, r.ComplaintSpike, explain)
	case r.SourceStale != nil:
		return sourceStale(s.Sources, g, r.SourceStale, explain)
	case r.HostsStalled != nil:
		return hostsStalled(s.Hosts, g, r.HostsStalled, explain)
	}
	return false, ""
}

// observedBy is how many points are at or before t.
func observedBy(points []BacklogPoint, t time.Duration) int {
	return sort.Search(len(points), func(i int) bool { return points[i].At > t })
}

// backlogGrowing: the latest observation at or before g is higher than the
// last one at least d before it, and no observation in between fell. It
// walks back over the observations of the last d only.
func backlogGrowing(points []BacklogPoint, g, d time.Duration, explain bool) (bool, string) {
	n := observedBy(points, g)
	if n < 2 {
		return false, ""
	}
	last := points[n-1]
	for j := n - 2; j >= 0; j-- {
		p := points[j]
		if p.Waiting > points[j+1].Waiting {
			return false, ""
		}
		if p.At <= last.At-d {
			if last.Waiting <= p.Waiting || !explain {
				return last.Waiting > p.Waiting, ""
			}
			return true, fmt.Sprintf("%s waiting, up from %s at %s", Compact(last.Waiting), Compact(p.Waiting), FormatOffset(p.At))
		}
	}
	return false, ""
}

// etaSlipped: the ETA forecast at g is later by more than r.By than the
// one forecast r.Window before g, or the backlog drained then and does not
// now. Without an ETA then there is nothing to slip from; a backlog already
// back to normal slips no more.
func etaSlipped(b Backlog, g time.Duration, r *SlipRule, explain bool) (bool, string) {
	w := r.Window
	if w <= 0 {
		w = DefaultETASlipWindow
	}
	opt := ForecastOptions{Target: b.Baseline()}
	then := ForecastBacklog(b.Points, g-w, opt)
	if !then.OK || !then.Draining {
		return false, ""
	}
	now := ForecastBacklog(b.Points, g, opt)
	switch {
	case !now.OK || now.Cleared:
		return false, ""
	case !explain:
		return !now.Draining || now.ETA-then.ETA > r.By, ""
	case !now.Draining:
		return true, fmt.Sprintf("no longer draining (ETA was %s %s ago)", FormatOffset(then.ETA), FormatSpan(w))
	case now.ETA-then.ETA > r.By:
		return true, fmt.Sprintf("ETA %s, was %s %s ago (+%s)", FormatOffset(now.ETA), FormatOffset(then.ETA), FormatSpan(w), FormatSpan(now.ETA-then.ETA))
	}
	return false, ""
}

// warningOpen: a warning of the severity or worse is open.
func warningOpen(ws []Warning, r *CarrierWarningRule, explain bool) (bool, string) {
	var hit []string
	for _, w := range ws {
		if w.Resolved || w.Severity.Rank() < r.Severity.Rank() || r.Carrier != "" && w.Carrier != r.Carrier {
			continue
		}
		if !explain {
			return true, ""
		}
		hit = append(hit, w.CarrierName+" "+strings.ToUpper(string(w.Severity)))
	}
	if len(hit) == 0 {
		return false, ""
	}
	return true, strings.Join(hit, ", ")
}

// complaintSpike: at least MinPosts posts in (g-Window, g], at a rate of at
// least Factor times the rate in the Baseline before it. A baseline that
// reaches back before T+0 is cut at T+0; with nothing left of it (early in
// the incident) any MinPosts posts fire it.
func complaintSpike(posts []Complaint, g time.Duration, r *ComplaintSpikeRule, explain bool) (bool, string) {
	w, base, least := r.Window, r.Baseline, r.MinPosts
	if w <= 0 {
		w = DefaultSpikeWindow
	}
	if base <= 0 {
		base = DefaultSpikeBaseline
	}
	if least <= 0 {
		least = DefaultSpikeMinPosts
	}
	// The windows are (from, mid] and (mid, g]; cut at T+0, they start
	// just before it, so that a post at T+0 counts.
	from, mid := max(g-w-base, -1), max(g-w, -1)
	recent := countPosts(posts, mid, g, r.Topic)
	if recent < least {
		return false, ""
	}
	baseLen := mid - from
	before := countPosts(posts, from, mid, r.Topic)
	// recent/w >= Factor × before/baseLen, without dividing by a zero length.
	if baseLen > 0 && float64(recent)*baseLen.Hours() < r.Factor*float64(before)*w.Hours() {
		return false, ""
	}
	if !explain {
		return true, ""
	}
	perHour := float64(recent) / w.Hours()
	if baseLen <= 0 {
		return true, fmt.Sprintf("%d posts in %s (%.0f/h)", recent, FormatSpan(w), perHour)
	}
	return true, fmt.Sprintf("%d posts in %s (%.0f/h, baseline %.1f/h)", recent, FormatSpan(w), perHour, float64(before)/baseLen.Hours())
}

// countPosts counts the posts in (from, to], of one topic or all.
func countPosts(posts []Complaint, from, to time.Duration, topic string) int {
	lo := sort.Search(len(posts), func(i int) bool { return posts[i].At > from })
	hi := sort.Search(len(posts), func(i int) bool { return posts[i].At > to })
	if topic == "" || hi <= lo {
		return max(hi-lo, 0)
	}
	n := 0
	for _, p := range posts[lo:hi] {
		if p.Topic == topic {
			n++
		}
	}
	return n
}

// sourceStale: a source's last fresh data is r.For old or older at g; a
// source with none yet counts from T+0.
func sourceStale(ss []SourceStatus, g time.Duration, r *SourceStaleRule, explain bool) (bool, string) {
	var hit []string
	for _, st := range ss {
		if r.Source != "" && st.Name != r.Source {
			continue
		}
		last := st.LastData
		if last < 0 { // none yet: stale from when it first reported
			last = st.FirstAt
		}
		if g-last < r.For {
			continue
		}
		if !explain {
			return true, ""
		}
		if st.LastData < 0 {
			hit = append(hit, st.Name+" no data yet")
			continue
		}
		hit = append(hit, fmt.Sprintf("%s no data since %s", st.Name, FormatOffset(st.LastData)))
	}
	if len(hit) == 0 {
		return false, ""
	}
	return true, strings.Join(hit, ", ")
}

// hostsStalled: a group with hosts still down reported in the last r.For,
// and its latest report at or before g has no more hosts back than its
// last report at or before g-r.For. A group that has not reported for
// r.For yet is not stalled, nor one with no report in the last r.For (its
// recovery is unknown, not stalled: reports hours apart late in an
// incident are no stall).
func hostsStalled(groups []HostGroup, g time.Duration, r *HostsStalledRule, explain bool) (bool, string) {
	var hit []string
	for i := range groups {
		grp := &groups[i]
		if r.Group != "" && grp.ID != r.Group || !grp.Seen {
			continue
		}
		h := grp.History
		n := len(h) // at the present (the usual case) no search
		if n > 0 && h[n-1].At > g {
			n = reportsBy(h, g)
		}
		if n == 0 {
			continue
		}
		cur := h[n-1]
		if grp.Total <= 0 || cur.Recovered >= grp.Total || cur.At <= g-r.For {
			continue
		}
		m := reportsBy(h[:n], g-r.For)
		if m == 0 || cur.Recovered > h[m-1].Recovered {
			continue
		}
		if !explain {
			return true, ""
		}
		hit = append(hit, fmt.Sprintf("%s %d/%d, none back in %s", grp.ID, cur.Recovered, grp.Total, FormatSpan(r.For)))
	}
	if len(hit) == 0 {
		return false, ""
	}
	return true, strings.Join(hit, "; ")
}

// reportsBy is how many reports are at or before t.
func reportsBy(h []HostPoint, t time.Duration) int {
	lo, hi := 0, len(h)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if h[mid].At <= t {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
