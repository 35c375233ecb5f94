package feed

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/warroom/warroom/model"
)

// spTestClock puts T+0 at 2024-07-19 04:00 UTC and "now" at 18:00 UTC.
var spTestClock = Clock{
	Origin: time.Date(2024, 7, 19, 4, 0, 0, 0, time.UTC),
	Now:    func() time.Time { return time.Date(2024, 7, 19, 18, 0, 0, 0, time.UTC) },
}

// hm is an offset of h hours, m minutes and s seconds.
func hm(h, m int, s float64) time.Duration {
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s*float64(time.Second))
}

// spTestServer serves the given testdata files, one per request; the last
// one again once they run out. It counts the requests.
type spTestServer struct {
	*httptest.Server
	mu       sync.Mutex
	bodies   [][]byte
	requests int
}

func newSPTestServer(t *testing.T, files ...string) *spTestServer {
	t.Helper()
	s := &spTestServer{}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		s.bodies = append(s.bodies, data)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		i := min(s.requests, len(s.bodies)-1)
		s.requests++
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.bodies[i])
	}))
	t.Cleanup(s.Close)
	return s
}

func spPoll(t *testing.T, sp *Statuspage) []model.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	evs, err := sp.Poll(ctx)
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return evs
}

func spEv(at time.Duration, w model.CarrierWarning) model.Event {
	if w.Carrier == "" {
		w.Carrier = "parcelway"
	}
	return model.Event{At: at, Source: "parcelway-status", Body: w}
}

func spDiff(t *testing.T, label string, got, want []model.Event) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", label, got, want)
	}
}

const (
	ediBody1 = "EDI manifest files are reaching shippers late."
	ediBody2 = "The EDI gateway lost hosts after a vendor update; we are restoring them one by one. Expect manifests up to 3 hours late."
	ediBody3 = "All EDI gateway hosts are back and the manifest backlog has cleared."
)

// A sequence of polls of one incident: first sight issues it, a new update
// with a new impact updates it, the same update polled again is no news, the
// incident's resolution resolves it, and polling that again is no news.
func TestStatuspagePhasesAcrossPolls(t *testing.T) {
	srv := newSPTestServer(t, "statuspage/sequence/1.json", "statuspage/sequence/2.json",
		"statuspage/sequence/3.json", "statuspage/sequence/4.json")
	sp := NewStatuspage("parcelway-status", srv.URL+"/api/v2/incidents.json", "parcelway", spTestClock, srv.Client())
	base := model.CarrierWarning{ID: "parcelway:inc7edi00004", Headline: "EDI manifests delayed"}
	with := func(w model.CarrierWarning, phase model.WarningPhase, sev model.Severity, region, body string) model.CarrierWarning {
		w.Phase, w.Severity, w.Region, w.Body = phase, sev, region, body
		return w
	}
	polls := []struct {
		name string
		want []model.Event
	}{
		{"1 first sight: issued", []model.Event{
			spEv(hm(6, 30, 0), with(base, model.WarningIssued, model.SeverityMinor, "", ediBody1))}},
		{"2 new update, impact minor→major: updated", []model.Event{
			spEv(hm(7, 45, 0), with(base, model.WarningUpdated, model.SeverityMajor, "EDI Gateway", ediBody2))}},
		{"3 same update again (page and component times moved): nothing", nil},
		{"4 incident resolved: resolved", []model.Event{
			spEv(hm(12, 5, 0), with(base, model.WarningResolved, model.SeverityMajor, "EDI Gateway", ediBody3))}},
		{"5 resolved again: nothing", nil},
	}
	for _, p := range polls {
		spDiff(t, p.name, spPoll(t, sp), p.want)
	}
	if srv.requests != len(polls) {
		t.Errorf("%d requests, want %d", srv.requests, len(polls))
	}
}

// summary.json: unresolved incidents, one with affected_components null on
// every update and one with components null, plus old extra fields and a
// maintenance that is only scheduled. An incident that leaves the summary
// was resolved.
func TestStatuspageSummary(t *testing.T) {
	srv := newSPTestServer(t, "statuspage/summary.json", "statuspage/summary.json",
		"statuspage/summary-cleared.json", "statuspage/summary-cleared.json")
	sp := NewStatuspage("parcelway-status", srv.URL+"/api/v2/summary.json", "parcelway", spTestClock, srv.Client())

	labels := model.CarrierWarning{ID: "parcelway:inc7labels01", Severity: model.SeverityMajor,
		Region: "Label API, Tracking", Headline: "Label creation failing for some accounts",
		Body: "A dependency of our label service is down after a vendor update. Labels created through the API time out; manifests already created are not affected."}
	delays := model.CarrierWarning{ID: "parcelway:inc7delays02", Severity: model.SeverityMinor,
		Headline: "Delivery delays in the Northeast", Body: "Packages in the Northeast may arrive a day late."}
	issued := func(w model.CarrierWarning) model.CarrierWarning { w.Phase = model.WarningIssued; return w }
	gone := func(id string) model.CarrierWarning {
		return model.CarrierWarning{ID: id, Phase: model.WarningResolved}
	}
	now := hm(14, 0, 0)
	spDiff(t, "first poll", spPoll(t, sp), []model.Event{
		spEv(hm(6, 12, 41.123), issued(labels)),
		spEv(hm(7, 40, 0), issued(delays)),
	})
	spDiff(t, "same summary again", spPoll(t, sp), nil)
	spDiff(t, "incidents left the summary", spPoll(t, sp), []model.Event{
		spEv(now, gone("parcelway:inc7delays02")),
		spEv(now, gone("parcelway:inc7labels01")),
	})
	spDiff(t, "cleared summary again", spPoll(t, sp), nil)
}

// An in-progress maintenance is a warning (info) until it completes.
func TestStatuspageMaintenance(t *testing.T) {
	doc := func(status string) []byte {
		return []byte(`{"page":{"id":"p"},"status":{"indicator":"maintenance"},"incidents":[],"scheduled_maintenances":[
			{"id":"m1","name":"Hub upgrade","status":"` + status + `","impact":"maintenance",
			"created_at":"2024-07-10T09:00:00Z","scheduled_for":"2024-07-19T08:00:00Z",
			"incident_updates":[{"id":"u-` + status + `","status":"` + status + `","body":"` + status + `","created_at":"2024-07-19T08:00:00Z"}]}]}`)
	}
	sp := NewStatuspage("s", "", "c", spTestClock, nil)
	for _, step := range []struct {
		status string
		want   []model.WarningPhase
	}{
		{"scheduled", nil},
		{"in_progress", []model.WarningPhase{model.WarningIssued}},
		{"verifying", []model.WarningPhase{model.WarningUpdated}},
		{"completed", []model.WarningPhase{model.WarningResolved}},
	} {
		evs, err := sp.decode(doc(step.status))
		if err != nil {
			t.Fatal(err)
		}
		var got []model.WarningPhase
		for _, e := range evs {
			w := e.Body.(model.CarrierWarning)
			got = append(got, w.Phase)
			if w.Severity != model.SeverityInfo {
				t.Errorf("%s: severity %q, want info", step.status, w.Severity)
			}
		}
		if !reflect.DeepEqual(got, step.want) {
			t.Errorf("%s: phases %v, want %v", step.status, got, step.want)
		}
	}
}

func TestStatuspageSummaryResolvesWhatLeft(t *testing.T) {
	srv := newSPTestServer(t, "statuspage/summary.json", "statuspage/summary-cleared.json")
	sp := NewStatuspage("parcelway-status", srv.URL, "parcelway", spTestClock, srv.Client())
	if got := spPoll(t, sp); len(got) != 2 {
		t.Fatalf("first poll: %d events, want 2", len(got))
	}
	got := spPoll(t, sp)
	ids := map[string]bool{}
	for _, e := range got {
		w := e.Body.(model.CarrierWarning)
		if w.Phase != model.WarningResolved || e.At != hm(14, 0, 0) || w.Carrier != "parcelway" {
			t.Errorf("event %+v: want resolved now by parcelway", e)
		}
		ids[w.ID] = true
	}
	if len(got) != 2 || !ids["parcelway:inc7labels01"] || !ids["parcelway:inc7delays02"] {
		t.Errorf("cleared summary: %+v, want both incidents resolved", got)
	}
	if again := spPoll(t, sp); len(again) != 0 {
		t.Errorf("cleared summary again: %+v, want nothing", again)
	}
}

// incidents.json: a resolved incident whose latest update says
// "investigating" (and whose updates are out of order), a monitoring incident
// whose latest update says "resolved", and an incident over long before T+0.
func TestStatuspageIncidents(t *testing.T) {
	srv := newSPTestServer(t, "statuspage/incidents.json")
	portal := model.CarrierWarning{ID: "parcelway:inc7wsaccts9", Severity: model.SeverityCritical,
		Region: "Account Portal", Headline: "Account portal unavailable",
		Body: "This incident is resolved. The account portal is back for all customers."}
	driver := model.CarrierWarning{ID: "parcelway:inc7drvapp05", Phase: model.WarningIssued,
		Severity: model.SeverityInfo, Region: "Driver App", Headline: "Driver app sign-in slow",
		Body: "A fix is in place and we are watching sign-in times."}
	phase := func(w model.CarrierWarning, p model.WarningPhase) model.CarrierWarning { w.Phase = p; return w }

	sp := NewStatuspage("parcelway-status", srv.URL, "parcelway", spTestClock, srv.Client())
	spDiff(t, "first poll", spPoll(t, sp), []model.Event{
		spEv(hm(5, 2, 10), phase(portal, model.WarningIssued)),
		spEv(hm(8, 15, 0), driver),
		spEv(hm(9, 48, 30), phase(portal, model.WarningResolved)),
	})
	spDiff(t, "second poll", spPoll(t, sp), nil)
	wantDrops(t, sp.Dropped(), DropBeforeStart, 1) // the old one, once

	// With T+0 before it, the old incident is part of the story: it comes
	// whole, issued and resolved.
	early := spTestClock
	early.Origin = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	sp = NewStatuspage("parcelway-status", srv.URL, "parcelway", early, srv.Client())
	got := spPoll(t, sp)
	if len(got) != 5 {
		t.Fatalf("no origin: %d events, want 5: %+v", len(got), got)
	}
	if w := got[0].Body.(model.CarrierWarning); w.ID != "parcelway:inc6oldhist1" || w.Phase != model.WarningIssued {
		t.Errorf("no origin: first event %+v, want the old incident issued", w)
	}
}

// The incident's own status decides whether it is resolved, never its latest
// update's status: real pages post updates whose status disagrees with the
// text and with the incident.
func TestStatuspageIncidentStatusDecides(t *testing.T) {
	doc := func(incStatus, resolvedAt, updStatus, updBody string) string {
		return `{"page":{"id":"p"},"incidents":[{"id":"i1","name":"N","impact":"minor",
			"status":"` + incStatus + `","resolved_at":` + resolvedAt + `,
			"created_at":"2024-07-19T05:00:00Z","updated_at":"2024-07-19T06:00:00Z",
			"incident_updates":[{"id":"u1","status":"` + updStatus + `","body":"` + updBody + `",
			"created_at":"2024-07-19T06:00:00Z","affected_components":null}]}]}`
	}
	cases := []struct {
		name         string
		doc          string
		wantResolved bool
	}{
		{"update says resolved, incident monitoring", doc("monitoring", "null", "resolved", "All fixed."), false},
		{"update says investigating, incident resolved", doc("resolved", `"2024-07-19T06:00:00Z"`, "investigating", "This is resolved."), true},
		{"incident postmortem", doc("postmortem", "null", "investigating", "Root cause published."), true},
		{"resolved_at set, status stale", doc("identified", `"2024-07-19T06:00:00Z"`, "identified", "Fixed."), true},
		{"all investigating", doc("investigating", "null", "investigating", "Looking."), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp := NewStatuspage("s", "", "c", spTestClock, nil)
			evs, err := sp.decode([]byte(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			last := evs[len(evs)-1].Body.(model.CarrierWarning)
			if got := last.Phase == model.WarningResolved; got != c.wantResolved {
				t.Errorf("events %+v: resolved %v, want %v", evs, got, c.wantResolved)
			}
		})
	}
}

func TestStatuspageSeverity(t *testing.T) {
	for impact, want := range map[string]model.Severity{
		"none": model.SeverityInfo, "minor": model.SeverityMinor, "major": model.SeverityMajor,
		"critical": model.SeverityCritical, "maintenance": model.SeverityInfo,
		"": model.SeverityMinor, "elevated": model.SeverityMinor, "MAJOR": model.SeverityMinor,
	} {
		if got := spSeverity(impact); got != want {
			t.Errorf("impact %q: %q, want %q", impact, got, want)
		}
	}
}

// A changed name or impact without a new update is news; a region that goes
// null again is not; nor is a new update after the end, but reopening is.
func TestStatuspageChangesWithoutNewUpdate(t *testing.T) {
	doc := func(name, impact, affected string) []byte {
		return []byte(`{"page":{"id":"p"},"incidents":[{"id":"i1","name":"` + name + `","impact":"` + impact + `",
			"status":"identified","created_at":"2024-07-19T05:00:00Z",
			"incident_updates":[{"id":"u1","status":"identified","body":"b","created_at":"2024-07-19T06:00:00Z",
			"affected_components":` + affected + `}]}]}`)
	}
	sp := NewStatuspage("s", "", "c", spTestClock, nil)
	steps := []struct {
		doc   []byte
		phase model.WarningPhase // "" for no event
	}{
		{doc("A", "minor", "null"), model.WarningIssued},
		{doc("A", "minor", "null"), ""},
		{doc("A", "major", "null"), model.WarningUpdated},
		{doc("B", "major", "null"), model.WarningUpdated},
		{doc("B", "major", `[{"code":"x","name":"Hub","old_status":"operational","new_status":"major_outage"}]`), model.WarningUpdated},
		{doc("B", "major", "null"), ""},
		{bytes.Replace(doc("B", "major", "null"), []byte(`"status":"identified","created`), []byte(`"status":"resolved","created`), 1), model.WarningResolved},
		{bytes.Replace(bytes.Replace(doc("B", "major", "null"), []byte(`"status":"identified","created`), []byte(`"status":"postmortem","created`), 1),
			[]byte(`"id":"u1"`), []byte(`"id":"u2"`), 1), ""}, // the postmortem: still resolved, no news
		{bytes.Replace(doc("B", "major", "null"), []byte(`"id":"u1"`), []byte(`"id":"u3"`), 1), model.WarningUpdated}, // reopened
	}
	for i, s := range steps {
		evs, err := sp.decode(s.doc)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case s.phase == "" && len(evs) != 0:
			t.Errorf("step %d: %+v, want nothing", i, evs)
		case s.phase != "" && (len(evs) != 1 || evs[0].Body.(model.CarrierWarning).Phase != s.phase):
			t.Errorf("step %d: %+v, want one %s", i, evs, s.phase)
		}
	}
}

func TestStatuspageUnknownFieldsAndSanitising(t *testing.T) {
	doc := `{"page":{"id":"p","legacy":{"a":[1,2,{"b":null}]}},"layout":"old","incidents":[{
		"id":"i1","name":"Hub \u001b[2Jdown\u0007","impact":"critical","status":"investigating",
		"postmortem_body":{"unexpected":"shape"},"twitter_updated_at":12,"components":[{"name":"Hub \u009b31mEast","extra":true}],
		"incident_updates":[{"id":"u1","body":"Line one\u001b]0;title\u0007 ok","created_at":"not a time","custom":[1]}]}]}`
	sp := NewStatuspage("s", "", "c", spTestClock, nil)
	evs, err := sp.decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Event{{At: hm(14, 0, 0), Source: "s", Body: model.CarrierWarning{
		ID: "c:i1", Carrier: "c", Phase: model.WarningIssued, Severity: model.SeverityCritical,
		Region: "Hub East", Headline: "Hub down", Body: "Line one ok"}}}
	spDiff(t, "sanitised", evs, want)
}

func TestStatuspageRegionCapped(t *testing.T) {
	var comps []string
	for _, n := range []string{"Label API", "Tracking", "Pickup Scheduling", "EDI Gateway", "Driver App", "Returns"} {
		comps = append(comps, `{"name":"`+n+`"}`)
	}
	cases := []struct {
		comps string
		want  string
	}{
		{"[" + strings.Join(comps[:2], ",") + "]", "Label API, Tracking"},
		{"[" + strings.Join(comps, ",") + "]", "Label API, Tracking, Pickup Scheduling +3"},
		{`[{"name":"` + strings.Repeat("Very long component name ", 4) + `"},{"name":"B"}]`, "Very long component name Very long component… +1"},
		{`[{"name":"A"},{"name":"A"},{"name":"  "}]`, "A"},
	}
	for _, c := range cases {
		doc := `{"page":{"id":"p"},"incidents":[{"id":"i","name":"n","status":"investigating","components":` + c.comps + `}]}`
		sp := NewStatuspage("s", "", "c", spTestClock, nil)
		evs, err := sp.decode([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		got := evs[0].Body.(model.CarrierWarning).Region
		if got != c.want || utf8.RuneCountInString(got) > statuspageMaxRegion {
			t.Errorf("region %q, want %q (at most %d runes)", got, c.want, statuspageMaxRegion)
		}
	}
}

func TestStatuspageErrors(t *testing.T) {
	file := func(name string) http.HandlerFunc {
		data, err := os.ReadFile(filepath.Join("testdata", "statuspage", name))
		if err != nil {
			t.Fatal(err)
		}
		return func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(data) }
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc
		timeout time.Duration
		want    []string // substrings of the error
		is      error
	}{
		{"500", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "upstream down", http.StatusInternalServerError)
		}, 0, []string{"statuspage parcelway-status", "HTTP status 500 Internal Server Error"}, nil},
		{"404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, 0,
			[]string{"HTTP status 404"}, nil},
		{"garbage", file("garbage.json"), 0,
			[]string{"body is not JSON", "at byte offset 0 (line 1, column 1)", "invalid character '<'"}, nil},
		{"truncated", file("truncated.json"), 0, []string{"body is not JSON", "ends early, after 165 bytes (line 5, column 1)"}, nil},
		{"bad byte mid-document", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("{\n  \"page\": {\"id\": \"p\"},\n  \"incidents\": [}\n}"))
		}, 0, []string{"at byte offset 41 (line 3, column 17)", "invalid character '}'"}, nil},
		{"wrong type", file("wrongtype.json"), 0,
			[]string{"field incidents.impact", "line 4", "expected string, got JSON number"}, nil},
		{"not a status page", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"ok":true}`)) }, 0,
			[]string{"not a Statuspage v2 document"}, nil},
		{"empty body", func(w http.ResponseWriter, r *http.Request) {}, 0, []string{"body is not JSON"}, nil},
		{"too large", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(bytes.Repeat([]byte(" "), statuspageMaxBody+1))
		}, 0, []string{"body larger than 4 MiB"}, nil},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}, 50 * time.Millisecond, []string{"context deadline exceeded"}, context.DeadlineExceeded},
		{"timeout mid-body", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"page":{"id":"p"},`))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}, 100 * time.Millisecond, []string{"reading body", "context deadline exceeded"}, context.DeadlineExceeded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			sp := NewStatuspage("parcelway-status", srv.URL, "parcelway", spTestClock, srv.Client())
			ctx := context.Background()
			if c.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, c.timeout)
				defer cancel()
			}
			start := time.Now()
			evs, err := sp.Poll(ctx)
			if err == nil {
				t.Fatalf("no error; events %+v", evs)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %v: ctx not honoured", time.Since(start))
			}
		})
	}
}

// An error leaves the memory alone: the poll after it reports what changed
// since the last good one.
func TestStatuspageErrorKeepsState(t *testing.T) {
	fail := true
	var mu sync.Mutex
	seq := [][]byte{}
	for _, f := range []string{"1.json", "2.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "statuspage", "sequence", f))
		if err != nil {
			t.Fatal(err)
		}
		seq = append(seq, data)
	}
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if n == 1 && fail {
			fail = false
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write(seq[min(n, 1)])
		n++
	}))
	defer srv.Close()
	sp := NewStatuspage("s", srv.URL, "c", spTestClock, srv.Client())
	if evs := spPoll(t, sp); len(evs) != 1 {
		t.Fatalf("first: %+v", evs)
	}
	if _, err := sp.Poll(context.Background()); err == nil {
		t.Fatal("want 503 error")
	}
	evs := spPoll(t, sp)
	if len(evs) != 1 || evs[0].Body.(model.CarrierWarning).Phase != model.WarningUpdated {
		t.Errorf("after the error: %+v, want one update", evs)
	}
}

func FuzzStatuspageDecode(f *testing.F) {
	for _, name := range []string{"summary.json", "summary-cleared.json", "incidents.json", "garbage.json",
		"truncated.json", "wrongtype.json", "sequence/1.json", "sequence/4.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "statuspage", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"page":{"id":"p"},"incidents":[{"id":"\u001b[31mx","name":"\u009b2J","impact":"critical","status":"resolved","resolved_at":"2024-07-19T06:00:00Z","components":[{"name":"\u001b]8;;x\u0007"}],"incident_updates":[{"id":"u","body":"\u0000\u0007"}]}]}`))
	f.Add([]byte(`{"status":{},"incidents":null,"scheduled_maintenances":[{"id":"m","status":"in_progress","impact":"maintenance"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sp := NewStatuspage("fuzz", "", "carrier", spTestClock, nil)
		evs, err := sp.decode(data)
		if err != nil {
			if evs != nil {
				t.Fatalf("error %v with events", err)
			}
			return
		}
		spCheckFuzzEvents(t, evs)
		again, err := sp.decode(data)
		if err != nil {
			t.Fatalf("second decode of the same bytes: %v", err)
		}
		if len(again) != 0 {
			t.Fatalf("the same document twice gave %+v the second time", again)
		}
	})
}

func spCheckFuzzEvents(t *testing.T, evs []model.Event) {
	t.Helper()
	for i, e := range evs {
		if !reflect.DeepEqual(model.SanitizeEvent(e), e) {
			t.Fatalf("event %d not sanitised: %+v", i, e)
		}
		if i > 0 && e.At < evs[i-1].At {
			t.Fatalf("events out of order: %v before %v", evs[i-1].At, e.At)
		}
		w, ok := e.Body.(model.CarrierWarning)
		if !ok {
			t.Fatalf("event %d body %T", i, e.Body)
		}
		switch w.Phase {
		case model.WarningIssued, model.WarningUpdated, model.WarningResolved:
		default:
			t.Fatalf("event %d phase %q", i, w.Phase)
		}
		if w.Phase != model.WarningResolved || w.Severity != "" {
			if w.Severity.Rank() == 0 {
				t.Fatalf("event %d severity %q", i, w.Severity)
			}
		}
		if !strings.HasPrefix(w.ID, w.Carrier+":") {
			t.Fatalf("event %d id %q not of carrier %q", i, w.ID, w.Carrier)
		}
	}
}

// Incidents never returned are counted once: without an id, or listed
// twice in one document.
func TestStatuspageDropped(t *testing.T) {
	doc := func(ids ...string) []byte {
		var incs []string
		for _, id := range ids {
			incs = append(incs, `{"id":"`+id+`","name":"Hub outage `+id+`","status":"investigating","impact":"major",`+
				`"created_at":"2024-07-19T06:00:00Z","updated_at":"2024-07-19T06:00:00Z","incident_updates":[]}`)
		}
		return []byte(`{"page":{"id":"p"},"status":{"indicator":"major"},"incidents":[` + strings.Join(incs, ",") + `]}`)
	}
	sp := NewStatuspage("s", "", "ups", spTestClock, nil)
	steps := []struct {
		doc    []byte
		issued int
		drops  []any
	}{
		{doc("a", "", "a", "b"), 2, []any{DropDuplicate, 1, DropNoID, 1}},
		{doc("a", "", "a", "b"), 0, []any{DropDuplicate, 1, DropNoID, 1}}, // the same document: nothing new
		{doc("a", "b", "c", "c"), 1, []any{DropDuplicate, 2, DropNoID, 1}},
	}
	for i, st := range steps {
		evs, err := sp.decode(st.doc)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if len(evs) != st.issued {
			t.Errorf("step %d: %d events, want %d: %+v", i, len(evs), st.issued, evs)
		}
		wantDrops(t, sp.Dropped(), st.drops...)
	}
}
