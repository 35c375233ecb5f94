package sim_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	prommodel "github.com/prometheus/common/model"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/sim"
)

func defaultScenario(t testing.TB) *model.Scenario {
	t.Helper()
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// frozen is a clock that stands still: the simulator stays at its start.
func frozen() func() time.Time {
	t := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return func() time.Time { return t }
}

// stateAt is what a replay of the scenario to at gives.
func stateAt(sc *model.Scenario, at time.Duration) (model.State, int) {
	c := model.NewCursor(model.NewState(sc), sc.Events)
	c.Seek(at)
	return c.State().Clone(), c.Pos()
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, body)
	}
	return body
}

func metrics(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(prommodel.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(get(t, url+"/metrics"))))
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// byGroup is a metric family's values by their group label.
func byGroup(f *dto.MetricFamily) map[string]float64 {
	out := map[string]float64{}
	if f == nil {
		return out
	}
	for _, m := range f.Metric {
		for _, l := range m.Label {
			if l.GetName() == "group" {
				out[l.GetValue()] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

func single(f *dto.MetricFamily) (float64, bool) {
	if f == nil || len(f.Metric) != 1 {
		return 0, false
	}
	return f.Metric[0].GetGauge().GetValue(), true
}

var offsets = []time.Duration{0, 30 * time.Minute, 6 * time.Hour, 12*time.Hour + 17*time.Minute, 48 * time.Hour, 1000 * time.Hour}

func TestMetricsMatchReplay(t *testing.T) {
	sc := defaultScenario(t)
	for _, off := range offsets {
		t.Run(model.FormatOffset(off), func(t *testing.T) {
			srv := httptest.NewServer(sim.New(sc, 600, off, frozen()).Handler())
			defer srv.Close()
			at := min(off, sc.End())
			st, _ := stateAt(sc, at)
			fams := metrics(t, srv.URL)

			rec, tot, fail := byGroup(fams["warroom_hosts_recovered"]), byGroup(fams["warroom_hosts_total"]), byGroup(fams["warroom_hosts_failed"])
			seen := 0
			for _, g := range st.Hosts {
				r, ok := rec[g.ID]
				if ok != g.Seen {
					t.Errorf("group %s: exported %v, seen in the replay %v", g.ID, ok, g.Seen)
					continue
				}
				if !g.Seen {
					continue
				}
				seen++
				if int(r) != g.Recovered || int(tot[g.ID]) != g.Total || int(fail[g.ID]) != g.Failed {
					t.Errorf("group %s: metrics %v/%v failed %v, replay %d/%d failed %d",
						g.ID, r, tot[g.ID], fail[g.ID], g.Recovered, g.Total, g.Failed)
				}
			}
			if len(rec) != seen || len(tot) != seen || len(fail) != seen {
				t.Errorf("exported %d/%d/%d groups, replay has %d seen", len(rec), len(tot), len(fail), seen)
			}

			p, ok := st.Backlog.Latest()
			w, has := single(fams["warroom_backlog_waiting"])
			if has != ok || int64(w) != p.Waiting {
				t.Errorf("backlog waiting = %v (%v), replay %d (%v)", w, has, p.Waiting, ok)
			}
			in, hasIn := single(fams["warroom_backlog_inflow_per_hour"])
			if hasIn != p.HasInflow || in != p.Inflow {
				t.Errorf("inflow = %v (%v), replay %v (%v)", in, hasIn, p.Inflow, p.HasInflow)
			}
			sh, hasSh := single(fams["warroom_backlog_shipped_per_hour"])
			if hasSh != p.HasShipped || sh != p.Shipped {
				t.Errorf("shipped = %v (%v), replay %v (%v)", sh, hasSh, p.Shipped, p.HasShipped)
			}
			if o, _ := single(fams["warroom_sim_offset_seconds"]); o != at.Seconds() {
				t.Errorf("warroom_sim_offset_seconds = %v, want %v", o, at.Seconds())
			}
			if off == 6*time.Hour && seen == 0 {
				t.Error("no host group reported by T+6h: the test checks nothing")
			}
		})
	}
}

// The parts of a Statuspage document the test reads.
type spDoc struct {
	Page struct {
		ID, Name, URL string
		UpdatedAt     string `json:"updated_at"`
	}
	Status     *struct{ Indicator, Description string }
	Components []struct{ Name, Status string }
	Incidents  []struct {
		ID, Name, Status, Impact, Shortlink string
		CreatedAt                           string          `json:"created_at"`
		UpdatedAt                           string          `json:"updated_at"`
		ResolvedAt                          *string         `json:"resolved_at"`
		Affected                            json.RawMessage `json:"affected_components"`
		Updates                             []struct {
			ID, Status, Body string
			CreatedAt        string `json:"created_at"`
			DisplayAt        string `json:"display_at"`
		} `json:"incident_updates"`
	}
}

func TestStatuspageMatchesReplay(t *testing.T) {
	sc := defaultScenario(t)
	impact := map[model.Severity]string{model.SeverityInfo: "none", model.SeverityMinor: "minor",
		model.SeverityMajor: "major", model.SeverityCritical: "critical"}
	checked := 0
	for _, off := range offsets {
		t.Run(model.FormatOffset(off), func(t *testing.T) {
			srv := httptest.NewServer(sim.New(sc, 1, off, frozen()).Handler())
			defer srv.Close()
			st, _ := stateAt(sc, min(off, sc.End()))
			for _, c := range sc.Carriers {
				var all, summary spDoc
				base := srv.URL + "/statuspage/" + c.ID + "/api/v2/"
				if err := json.Unmarshal(get(t, base+"incidents.json"), &all); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(get(t, base+"summary.json"), &summary); err != nil {
					t.Fatal(err)
				}
				if all.Page.ID != c.ID || all.Page.Name != c.Name || all.Status != nil || summary.Status == nil {
					t.Errorf("%s: page %+v, status %v / %v", c.ID, all.Page, all.Status, summary.Status)
				}
				incidents := map[string]int{}
				for i, inc := range all.Incidents {
					incidents[inc.ID] = i
				}
				open := 0
				for _, w := range st.Warnings {
					if w.Carrier != c.ID {
						continue
					}
					checked++
					i, ok := incidents[w.ID]
					if !ok {
						t.Errorf("%s: warning %s has no incident", c.ID, w.ID)
						continue
					}
					delete(incidents, w.ID)
					inc := all.Incidents[i]
					wantStatus := inc.Status != "resolved"
					if inc.Name != w.Headline || inc.Impact != impact[w.Severity] || wantStatus == w.Resolved ||
						(inc.ResolvedAt != nil) != w.Resolved || string(inc.Affected) != "null" {
						t.Errorf("%s: incident %+v does not match warning %+v", c.ID, inc, w)
					}
					if want := sc.WallTime(w.IssuedAt).UTC().Format("2006-01-02T15:04:05.000Z"); inc.CreatedAt != want {
						t.Errorf("%s: created_at %s, want %s", w.ID, inc.CreatedAt, want)
					}
					if len(inc.Updates) != w.Updates+1+map[bool]int{true: 1}[w.Resolved] {
						t.Errorf("%s: %d incident updates, warning has %d updates (resolved %v)", w.ID, len(inc.Updates), w.Updates, w.Resolved)
					} else if inc.Updates[0].Body != w.Body && w.Body != "" {
						t.Errorf("%s: latest update body %q, warning body %q", w.ID, inc.Updates[0].Body, w.Body)
					}
					for j := 1; j < len(inc.Updates); j++ {
						if inc.Updates[j].CreatedAt > inc.Updates[j-1].CreatedAt {
							t.Errorf("%s: updates not newest first", w.ID)
						}
					}
					if !w.Resolved {
						open++
					}
				}
				if len(incidents) != 0 {
					t.Errorf("%s: incidents without a warning: %v", c.ID, incidents)
				}
				if len(summary.Incidents) != open {
					t.Errorf("%s: summary.json lists %d incidents, %d are open", c.ID, len(summary.Incidents), open)
				}
				for _, inc := range summary.Incidents {
					if inc.Status == "resolved" {
						t.Errorf("%s: summary.json lists resolved incident %s", c.ID, inc.ID)
					}
				}
				if (open == 0) != (summary.Status.Indicator == "none") {
					t.Errorf("%s: %d open incidents, indicator %q", c.ID, open, summary.Status.Indicator)
				}
			}
		})
	}
	if checked == 0 {
		t.Error("no warning checked")
	}
}

// The page the simulator serves reads back, through warroom's own
// Statuspage source, as the warnings the replay has.
func TestStatuspageReadsBack(t *testing.T) {
	sc := defaultScenario(t)
	off := 20 * time.Hour
	srv := httptest.NewServer(sim.New(sc, 1, off, frozen()).Handler())
	defer srv.Close()
	st, _ := stateAt(sc, off)
	clock := feed.Clock{Origin: sc.Meta.Start, Now: func() time.Time { return sc.WallTime(off) }}
	got := model.NewState(sc)
	for _, c := range sc.Carriers {
		src := feed.NewStatuspage(c.ID, srv.URL+"/statuspage/"+c.ID+"/api/v2/incidents.json", c.ID, clock, nil)
		events, err := src.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			model.Apply(&got, e)
		}
	}
	n := 0
	for _, w := range st.Warnings {
		g, ok := got.Warning(w.Carrier + ":" + w.ID)
		if !ok {
			t.Errorf("warning %s not read back", w.ID)
			continue
		}
		n++
		if g.Severity != w.Severity || g.Headline != w.Headline || g.Body != w.Body || g.Region != w.Region ||
			g.Resolved != w.Resolved || g.IssuedAt != w.IssuedAt || (w.Resolved && g.ResolvedAt != w.ResolvedAt) {
			t.Errorf("read back %+v\nreplay has %+v", g, w)
		}
	}
	if n == 0 || len(got.Warnings) != len(st.Warnings) {
		t.Errorf("read back %d warnings, replay has %d", len(got.Warnings), len(st.Warnings))
	}
}

type rss struct {
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
			Author      string `xml:"author"`
			GUID        struct {
				IsPermaLink string `xml:"isPermaLink,attr"`
				ID          string `xml:",chardata"`
			} `xml:"guid"`
			PubDate  string `xml:"pubDate"`
			Category string `xml:"category"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestRSSMatchesReplay(t *testing.T) {
	sc := defaultScenario(t)
	for _, off := range offsets {
		t.Run(model.FormatOffset(off), func(t *testing.T) {
			srv := httptest.NewServer(sim.New(sc, 60, off, frozen()).Handler())
			defer srv.Close()
			st, _ := stateAt(sc, min(off, sc.End()))
			var doc rss
			if err := xml.Unmarshal(get(t, srv.URL+"/rss/complaints.xml"), &doc); err != nil {
				t.Fatal(err)
			}
			items := doc.Channel.Items
			if want := min(st.Complaints.Total, 200); len(items) != want {
				t.Fatalf("%d items, want %d", len(items), want)
			}
			posts := st.Complaints.Posts
			for i, it := range items {
				p := posts[len(posts)-1-i]
				wantGUID := fmt.Sprintf("%s-complaint-%d", sc.Name, st.Complaints.Total-i)
				pub, err := time.Parse(time.RFC1123Z, it.PubDate)
				if it.GUID.ID != wantGUID || it.GUID.IsPermaLink != "false" || it.Description != p.Text ||
					it.Category != p.Topic || !strings.HasPrefix(it.Title, p.Topic+": ") ||
					it.Author != "seller@example.invalid ("+p.Seller+")" || err != nil || !pub.Equal(sc.WallTime(p.At)) {
					t.Errorf("item %d = %+v, want post %+v as %s", i, it, p, wantGUID)
				}
			}
		})
	}
}

func TestEventsMatchReplay(t *testing.T) {
	sc := defaultScenario(t)
	clock := feed.Clock{Origin: sc.Meta.Start}
	for _, off := range offsets {
		t.Run(model.FormatOffset(off), func(t *testing.T) {
			srv := httptest.NewServer(sim.New(sc, 60, off, frozen()).Handler())
			defer srv.Close()
			at := min(off, sc.End())
			_, pos := stateAt(sc, at)
			body := get(t, srv.URL+"/events.ndjson")
			events, errs := decodeNDJSON(body, "events.ndjson", clock)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if len(events) != pos {
				t.Fatalf("%d events, replay applied %d", len(events), pos)
			}
			for i, e := range events {
				want := sc.Events[i]
				if e.At != want.At || e.Body.Kind() != want.Body.Kind() || e.Source != want.Source {
					t.Errorf("event %d = %s %s %s, want %s %s %s", i, model.FormatOffset(e.At), e.Source, e.Body.Kind(),
						model.FormatOffset(want.At), want.Source, want.Body.Kind())
				}
			}
			if pos == 0 {
				return
			}
			// since: only the events after a time.
			mid := sc.Events[pos/2].At
			since := sc.WallTime(mid).Format(time.RFC3339)
			later, errs := decodeNDJSON(get(t, srv.URL+"/events.ndjson?since="+since), "since", clock)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			want := 0
			for _, e := range sc.Events[:pos] {
				if e.At > mid {
					want++
				}
			}
			if len(later) != want {
				t.Errorf("since %s: %d events, want %d", since, len(later), want)
			}
		})
	}
}

func TestErrorsAndIndex(t *testing.T) {
	sc := defaultScenario(t)
	srv := httptest.NewServer(sim.New(sc, 60, time.Hour, frozen()).Handler())
	defer srv.Close()
	for path, code := range map[string]int{
		"/statuspage/nobody/api/v2/summary.json": http.StatusNotFound,
		"/events.ndjson?since=yesterday":         http.StatusBadRequest,
		"/nothing":                               http.StatusNotFound,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != code {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, code)
		}
	}
	index := string(get(t, srv.URL+"/"))
	for _, want := range []string{"/metrics", "/statuspage/ups/api/v2/summary.json", "/rss/complaints.xml", "/events.ndjson", "T+01:00"} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q:\n%s", want, index)
		}
	}
}

// A clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestClockMovesAtSpeed(t *testing.T) {
	sc := defaultScenario(t)
	clk := &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s := sim.New(sc, 600, 6*time.Hour, clk.now)
	if s.Offset() != 6*time.Hour {
		t.Fatalf("offset %s at start", s.Offset())
	}
	clk.advance(time.Minute) // ten simulated hours
	if s.Offset() != 16*time.Hour {
		t.Errorf("offset %s after a minute at ×600, want T+16h", s.Offset())
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	if o, _ := single(metrics(t, srv.URL)["warroom_sim_offset_seconds"]); o != (16 * time.Hour).Seconds() {
		t.Errorf("scraped offset %v", o)
	}
	clk.advance(24 * time.Hour)
	if s.Offset() != sc.End() {
		t.Errorf("offset %s long after the end, want the end %s", s.Offset(), sc.End())
	}
}

// Requests from many goroutines while the clock moves, for the race
// detector: the cursor is shared.
func TestConcurrentRequests(t *testing.T) {
	sc := defaultScenario(t)
	clk := &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	srv := httptest.NewServer(sim.New(sc, 3600, 0, clk.now).Handler())
	defer srv.Close()
	paths := []string{"/metrics", "/statuspage/ups/api/v2/summary.json", "/rss/complaints.xml", "/events.ndjson"}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 10 {
				clk.advance(time.Minute)
				resp, err := http.Get(srv.URL + paths[(i+j)%len(paths)])
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %s", paths[(i+j)%len(paths)], resp.Status)
				}
			}
		})
	}
	wg.Wait()
}

// decodeNDJSON reads the simulator's NDJSON as a live source would.
func decodeNDJSON(data []byte, name string, clock feed.Clock) (events []model.Event, errs []error) {
	model.NewWireDecoder(name, clock.Origin, clock.Since).Decode(data,
		func(e model.Event, _ bool) { events = append(events, e) }, func(err error) { errs = append(errs, err) })
	return events, errs
}
