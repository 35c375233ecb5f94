package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/warroom/warroom/model"
)

// statuspageMaxBody caps a status page document; a real summary.json is tens
// of KiB, incidents.json a few hundred.
const statuspageMaxBody = 4 << 20

// statuspageMaxRegion caps the Region built from affected component names.
const statuspageMaxRegion = 48

// Statuspage polls an Atlassian Statuspage (v2 API) of a carrier and turns its
// incidents into CarrierWarnings. The URL is the page's
// .../api/v2/summary.json (unresolved incidents and in-progress maintenance)
// or .../api/v2/incidents.json (recent incidents, resolved ones included).
//
// Each incident becomes a warning with ID "<carrier>:<incident id>". The
// first sight of an incident issues it; a new incident update, a changed
// impact, name or set of affected components updates it; the incident's own
// status resolves it. Polling the same document twice returns nothing the
// second time. An incident already resolved before the incident's T+0 when
// first seen is history and returns nothing; one resolved since is issued and
// resolved at once, so the room sees it whole. An incident that disappears
// from summary.json (which lists only unresolved incidents) was resolved.
type Statuspage struct {
	name, url, carrier string
	clock              Clock
	client             *http.Client

	mu    sync.Mutex // Poll may be called from more than one goroutine
	seen  map[string]spSeen
	noID  *rereadSet // the incidents without an id of the last document
	drops dropCounter
}

// Dropped counts, by reason, the incidents never returned: resolved before
// T+0, without an id, or listed twice in one document (counted once).
func (s *Statuspage) Dropped() []model.DropCount { return s.drops.counts() }

// spSeen is what the last poll saw of one incident: a change to any of it is
// news.
type spSeen struct {
	update   string // latest incident update's id
	impact   string
	name     string
	region   string
	resolved bool
}

// NewStatuspage reads the Statuspage v2 document at url for carrier. A nil
// client means http.DefaultClient; put the poll timeout on Poll's ctx.
func NewStatuspage(name, url, carrier string, clock Clock, client *http.Client) *Statuspage {
	if client == nil {
		client = http.DefaultClient
	}
	return &Statuspage{name: name, url: url, carrier: carrier, clock: clock, client: client,
		seen: map[string]spSeen{}, noID: newRereadSet()}
}

// Name is the source's name from the config.
func (s *Statuspage) Name() string { return s.name }

// Poll fetches the page once and returns the warnings that changed since the
// last poll, oldest first.
func (s *Statuspage) Poll(ctx context.Context) ([]model.Event, error) {
	body, _, err := httpPollGet(ctx, s.client, s.url, "application/json", statuspageMaxBody, nil)
	if err != nil {
		return nil, fmt.Errorf("statuspage %s: %w", s.name, err)
	}
	events, err := s.decode(body)
	if err != nil {
		return nil, fmt.Errorf("statuspage %s: %s: %w", s.name, s.url, err)
	}
	return events, nil
}

// decode parses one document and turns what changed into events. It is the
// whole of Poll but the fetching, and what the fuzz test drives.
func (s *Statuspage) decode(data []byte) ([]model.Event, error) {
	doc, err := decodeStatuspage(data)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.diff(doc), nil
}

// spDocument is the part of summary.json and incidents.json warroom reads.
// Every other field (and there are many, old ones among them) is ignored.
type spDocument struct {
	Page struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"page"`
	// Status is only in summary.json: its presence says the incidents list
	// holds the unresolved incidents only.
	Status *struct {
		Indicator   string `json:"indicator"`
		Description string `json:"description"`
	} `json:"status"`
	Incidents             []spIncident `json:"incidents"`
	ScheduledMaintenances []spIncident `json:"scheduled_maintenances"`
}

type spIncident struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	Status          string        `json:"status"`
	Impact          string        `json:"impact"`
	CreatedAt       string        `json:"created_at"`
	UpdatedAt       string        `json:"updated_at"`
	ResolvedAt      *string       `json:"resolved_at"`
	Components      []spComponent `json:"components"`          // may be null or absent
	Affected        []spComponent `json:"affected_components"` // may be null or absent
	IncidentUpdates []spUpdate    `json:"incident_updates"`
}

type spUpdate struct {
	ID        string        `json:"id"`
	Status    string        `json:"status"`
	Body      string        `json:"body"`
	CreatedAt string        `json:"created_at"`
	UpdatedAt string        `json:"updated_at"`
	DisplayAt string        `json:"display_at"`
	Affected  []spComponent `json:"affected_components"` // real pages send null
}

// spComponent is a component in an incident's components list or an
// update's affected_components (which has a name too, and a code instead of
// an id).
type spComponent struct {
	Name string `json:"name"`
}

// decodeStatuspage parses a summary.json or incidents.json document. Its
// errors say where the document went wrong: the byte offset, line and column,
// and for a wrong type the field and what was expected.
func decodeStatuspage(data []byte) (*spDocument, error) {
	var doc spDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, spJSONError(data, err)
	}
	if doc.Incidents == nil && doc.ScheduledMaintenances == nil && doc.Page.ID == "" && doc.Status == nil {
		return nil, errors.New(`not a Statuspage v2 document: no "page" and no "incidents"`)
	}
	return &doc, nil
}

// spJSONError turns an encoding/json error into one that names the
// position (and the field, for a type mismatch).
func spJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the bad one included.
		if syn.Offset >= int64(len(data)) && strings.Contains(syn.Error(), "unexpected end") {
			line, col := spLineCol(data, int64(len(data)))
			return fmt.Errorf("body is not JSON: it ends early, after %d bytes (line %d, column %d)", len(data), line, col)
		}
		off := max(syn.Offset-1, 0)
		line, col := spLineCol(data, off)
		return fmt.Errorf("body is not JSON: at byte offset %d (line %d, column %d): %v", off, line, col, syn)
	case errors.As(err, &typ):
		line, col := spLineCol(data, typ.Offset)
		field := typ.Field
		if field == "" {
			field = "(document)"
		}
		return fmt.Errorf("field %s, near byte offset %d (line %d, column %d): expected %s, got JSON %s",
			field, typ.Offset, line, col, typ.Type, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := spLineCol(data, int64(len(data)))
		return fmt.Errorf("body is not JSON: it ends early at byte %d (line %d, column %d)", len(data), line, col)
	}
	return fmt.Errorf("body is not JSON: %w", err)
}

// spLineCol is the 1-based line and column of a byte offset.
func spLineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// diff compares the document with what the last poll saw and returns the
// events for what changed. The caller holds s.mu.
func (s *Statuspage) diff(doc *spDocument) []model.Event {
	var events []model.Event
	listed := map[string]bool{}
	incidents := doc.Incidents
	for _, m := range doc.ScheduledMaintenances {
		// Planned work matters once it is under way (or done, after it was).
		switch m.Status {
		case "in_progress", "verifying", "completed":
			incidents = append(incidents, m)
		}
	}
	fresh := map[string]bool{} // ids first seen in this document
	s.noID.next()
	for i := range incidents {
		inc := &incidents[i]
		switch {
		case inc.ID == "":
			if !s.noID.repeat([]byte(inc.Name+"\x00"+inc.CreatedAt), true) {
				s.drops.add(DropNoID, 1)
			}
			continue
		case listed[inc.ID]:
			if fresh[inc.ID] {
				s.drops.add(DropDuplicate, 1)
			}
			continue
		}
		listed[inc.ID] = true
		if _, known := s.seen[inc.ID]; !known {
			fresh[inc.ID] = true
		}
		events = append(events, s.incidentEvents(inc)...)
	}
	if doc.Status != nil {
		// summary.json lists unresolved incidents only: one that left the
		// list was resolved (or deleted, which ends it just the same).
		var gone []string
		for id, seen := range s.seen {
			if !listed[id] {
				if !seen.resolved {
					gone = append(gone, id)
				}
				delete(s.seen, id)
			}
		}
		sort.Strings(gone)
		now := s.clock.Since()
		for _, id := range gone {
			events = append(events, model.Event{At: now, Source: s.name, Body: model.CarrierWarning{
				ID: s.carrier + ":" + id, Carrier: s.carrier, Phase: model.WarningResolved}})
		}
	} else {
		// incidents.json lists the recent incidents: forget resolved ones
		// that fell off it, so memory stays bounded by the page's window.
		for id, seen := range s.seen {
			if !listed[id] && seen.resolved {
				delete(s.seen, id)
			}
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].At < events[j].At })
	for i := range events {
		events[i] = model.SanitizeEvent(events[i])
	}
	return events
}

// incidentEvents returns the events for one incident's change since the last
// poll and records what it saw.
func (s *Statuspage) incidentEvents(inc *spIncident) []model.Event {
	latest := spLatestUpdate(inc.IncidentUpdates)
	now := spSeen{
		impact: inc.Impact,
		name:   inc.Name,
		region: spRegion(inc, latest),
		// The incident's own status decides whether it is over, never the
		// latest update's: real pages post updates whose status field says
		// "investigating" while the text (and the incident) says resolved,
		// and the other way round.
		resolved: inc.Status == "resolved" || inc.Status == "postmortem" || inc.Status == "completed" ||
			(inc.ResolvedAt != nil && *inc.ResolvedAt != ""),
	}
	var body string
	if latest != nil {
		now.update = latest.ID
		body = latest.Body
	}
	w := model.CarrierWarning{
		ID:       s.carrier + ":" + inc.ID,
		Carrier:  s.carrier,
		Severity: spSeverity(inc.Impact),
		Region:   now.region,
		Headline: inc.Name,
		Body:     body,
	}
	updateAt := s.at(spUpdateTime(latest), inc.UpdatedAt)
	resolvedAt := s.at(spDeref(inc.ResolvedAt), spUpdateTime(latest), inc.UpdatedAt)

	before, known := s.seen[inc.ID]
	if known && now.region == "" {
		now.region = before.region // a null affected_components says nothing new
	}
	s.seen[inc.ID] = now
	if !known {
		if now.resolved && !s.clock.Origin.IsZero() {
			if t, ok := parseSPTime(spDeref(inc.ResolvedAt), spUpdateTime(latest), inc.UpdatedAt); ok && t.Before(s.clock.Origin) {
				s.drops.add(DropBeforeStart, 1) // once: it is known from now on
				return nil                      // over before T+0: history, not part of this incident
			}
		}
		issued := w
		issued.Phase = model.WarningIssued
		ev := []model.Event{{At: s.at(inc.CreatedAt, spFirstTime(inc.IncidentUpdates), inc.UpdatedAt), Source: s.name, Body: issued}}
		if now.resolved {
			resolved := w
			resolved.Phase = model.WarningResolved
			ev = append(ev, model.Event{At: max(resolvedAt, ev[0].At), Source: s.name, Body: resolved})
		}
		return ev
	}
	switch {
	case now.resolved && !before.resolved:
		w.Phase = model.WarningResolved
		return []model.Event{{At: resolvedAt, Source: s.name, Body: w}}
	case now == before:
		return nil
	case now.resolved && before.resolved:
		// Edits after the end (a late update, the postmortem) are not
		// news, and an update would reopen the warning.
		return nil
	default:
		// A new update, a changed impact, name or region, or a resolved
		// incident reopened.
		w.Phase = model.WarningUpdated
		return []model.Event{{At: updateAt, Source: s.name, Body: w}}
	}
}

// spLatestUpdate is the newest incident update. Pages list them newest first,
// but the order is not promised: sort by time to be safe.
func spLatestUpdate(ups []spUpdate) *spUpdate {
	var best *spUpdate
	var bestT time.Time
	for i := range ups {
		u := &ups[i]
		t, ok := parseSPTime(u.DisplayAt, u.CreatedAt, u.UpdatedAt)
		switch {
		case best == nil:
			best, bestT = u, t
		case ok && t.After(bestT):
			best, bestT = u, t
		}
	}
	return best
}

// spUpdateTime is when an update was posted, as the page shows it.
func spUpdateTime(u *spUpdate) string {
	if u == nil {
		return ""
	}
	for _, s := range []string{u.CreatedAt, u.DisplayAt, u.UpdatedAt} {
		if _, ok := parseSPTime(s); ok {
			return s
		}
	}
	return ""
}

// spFirstTime is when the oldest update was posted.
func spFirstTime(ups []spUpdate) string {
	var first string
	var firstT time.Time
	for _, u := range ups {
		if t, ok := parseSPTime(u.CreatedAt); ok && (first == "" || t.Before(firstT)) {
			first, firstT = u.CreatedAt, t
		}
	}
	return first
}

func spDeref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// at is the first of the times that parses, as an offset from T+0; now when
// none does.
func (s *Statuspage) at(times ...string) time.Duration {
	if t, ok := parseSPTime(times...); ok {
		return s.clock.Offset(t)
	}
	return s.clock.Since()
}

// parseSPTime parses the first of the times that is a valid RFC 3339 time
// (Statuspage writes "2024-07-19T06:12:41.123-04:00").
func parseSPTime(times ...string) (time.Time, bool) {
	for _, s := range times {
		if s == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// spSeverity maps an incident's impact to a warning's severity.
func spSeverity(impact string) model.Severity {
	switch impact {
	case "none", "maintenance":
		return model.SeverityInfo
	case "minor":
		return model.SeverityMinor
	case "major":
		return model.SeverityMajor
	case "critical":
		return model.SeverityCritical
	}
	return model.SeverityMinor
}

// spRegion joins the names of the components an incident affects, from the
// incident's components and the latest update's affected_components (either
// may be null), capped to fit a pane: "Label API, Tracking +3".
func spRegion(inc *spIncident, latest *spUpdate) string {
	var names []string
	have := map[string]bool{}
	add := func(cs []spComponent) {
		for _, c := range cs {
			n := strings.TrimSpace(c.Name)
			if n != "" && !have[n] {
				have[n] = true
				names = append(names, n)
			}
		}
	}
	add(inc.Components)
	add(inc.Affected)
	if latest != nil {
		add(latest.Affected)
	}
	joined := strings.Join(names, ", ")
	if utf8.RuneCountInString(joined) <= statuspageMaxRegion {
		return joined
	}
	// Whole names while they fit with a " +N" for the rest after them.
	var b strings.Builder
	width := 0
	for i, n := range names {
		sep := ", "
		if i == 0 {
			sep = ""
		}
		w := utf8.RuneCountInString(n)
		after := fmt.Sprintf(" +%d", len(names)-i-1)
		if width+len(sep)+w+len(after) <= statuspageMaxRegion {
			b.WriteString(sep + n)
			width += len(sep) + w
			continue
		}
		if i == 0 { // even the first name is too long: cut it
			r := []rune(n)[:max(1, statuspageMaxRegion-len(after)-1)]
			b.WriteString(string(r) + "…")
			i++
		}
		if rest := len(names) - i; rest > 0 {
			fmt.Fprintf(&b, " +%d", rest)
		}
		break
	}
	return b.String()
}

// httpPollGet fetches url with ctx, capping the body at limit bytes. With
// cond, it sends If-None-Match / If-Modified-Since from it, reports a 304 as
// notModified (and no body), and stores the validators of a 200 in it for the
// caller to keep once the body proved good.
func httpPollGet(ctx context.Context, client *http.Client, url, accept string, limit int64, cond *httpValidators) (body []byte, notModified bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, false, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "warroom")
	if cond != nil {
		if cond.ETag != "" {
			req.Header.Set("If-None-Match", cond.ETag)
		}
		if cond.LastModified != "" {
			req.Header.Set("If-Modified-Since", cond.LastModified)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, false, fmt.Errorf("GET %s: %w", url, ctxErr)
		}
		return nil, false, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	if cond != nil && (cond.ETag != "" || cond.LastModified != "") && resp.StatusCode == http.StatusNotModified {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, true, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, false, fmt.Errorf("GET %s: HTTP status %s", url, resp.Status)
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, false, fmt.Errorf("GET %s: reading body: %w", url, ctxErr)
		}
		return nil, false, fmt.Errorf("GET %s: reading body: %w", url, err)
	}
	if int64(len(body)) > limit {
		return nil, false, fmt.Errorf("GET %s: body larger than %d MiB", url, limit>>20)
	}
	if cond != nil {
		cond.ETag = resp.Header.Get("ETag")
		cond.LastModified = resp.Header.Get("Last-Modified")
	}
	return body, false, nil
}

// httpValidators are a response's validators for a conditional GET.
type httpValidators struct {
	ETag         string
	LastModified string
}
