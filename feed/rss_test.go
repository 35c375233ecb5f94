package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/warroom/warroom/model"
)

// rssTestClock puts T+0 at 2024-07-19 04:00 UTC and "now" at 18:00 UTC.
var rssTestClock = spTestClock

func rssTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "rss", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// rssTestServer serves a feed that the test can change, with an ETag and a
// Last-Modified that change with it, and answers conditional requests with
// 304. It records the conditional headers it got.
type rssTestServer struct {
	*httptest.Server
	mu        sync.Mutex
	body      []byte
	version   int
	validate  bool // send and honour validators
	got304    int
	condHdrs  []string
	requests  int
	mediaType string
}

func newRSSTestServer(t *testing.T, body []byte, validate bool) *rssTestServer {
	s := &rssTestServer{body: body, version: 1, validate: validate, mediaType: "application/rss+xml"}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests++
		etag := fmt.Sprintf(`"v%d"`, s.version)
		modified := time.Date(2024, 7, 19, 8, s.version, 0, 0, time.UTC).Format(http.TimeFormat)
		s.condHdrs = append(s.condHdrs, r.Header.Get("If-None-Match")+"|"+r.Header.Get("If-Modified-Since"))
		if s.validate {
			if r.Header.Get("If-None-Match") == etag || (r.Header.Get("If-None-Match") == "" && r.Header.Get("If-Modified-Since") == modified) {
				s.got304++
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", modified)
		}
		w.Header().Set("Content-Type", s.mediaType)
		_, _ = w.Write(s.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *rssTestServer) set(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body = body
	s.version++
}

func rssPoll(t *testing.T, r *RSS) []model.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	evs, err := r.Poll(ctx)
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return evs
}

var rssTopics = []TopicRule{
	{Topic: "late-shipment", Keywords: []string{"Late", "next-day", "promise"}},
	{Topic: "labels-failing", Keywords: []string{"LABEL"}},
	{Topic: "ignored-empty", Keywords: []string{"", "  "}},
}

func TestRSSComplaints(t *testing.T) {
	srv := newRSSTestServer(t, rssTestdata(t, "forum.rss"), false)
	r := NewRSS("forums", srv.URL, RSSMapping{As: "complaints", Channel: "forums", Topics: rssTopics, DefaultTopic: "other"},
		rssTestClock, srv.Client())
	complaint := func(at time.Duration, seller, topic, text string) model.Event {
		return model.Event{At: at, Source: "forums", Body: model.SellerComplaint{
			Seller: seller, Channel: "forums", Topic: topic, Text: text}}
	}
	want := []model.Event{
		// No guid, no author: the feed's title is the seller; a C1 CSI
		// (U+009B) in the title is gone with its parameters; no rule matches.
		complaint(hm(6, 40, 0), "Example Seller Forums: Shipping and Fulfilment", "other",
			"Carrier pickup did not come: Trucks did not show up at our warehouse today."),
		// HTML in CDATA: tags, script and style gone, entities decoded.
		// "late" and "label" both appear: the first rule wins.
		complaint(hm(7, 12, 0), "NorthBay Outfitters", "late-shipment",
			"Next-day orders will miss the promise: Our next-day orders from the sale cannot get a label, so they will ship late & our metrics will suffer."),
		// Escaped HTML; the author is "email (name)".
		complaint(hm(8, 1, 0), "Kettle & Crumb", "labels-failing",
			"Buy Shipping labels time out since this morning: Every label request spins and then fails. Anyone else?"),
		// The item from Jul 10 is before T+0: history, left out.
	}
	spDiff(t, "first poll", rssPoll(t, r), want)
	spDiff(t, "same feed again", rssPoll(t, r), nil)
	// Dropped, and counted once however often the feed lists it.
	wantDrops(t, r.Dropped(), DropBeforeStart, 1)
}

// wantDrops checks counts of dropped items given as reason, count, ...
func wantDrops(t *testing.T, got []model.DropCount, want ...any) {
	t.Helper()
	var w []model.DropCount
	for i := 0; i+1 < len(want); i += 2 {
		w = append(w, model.DropCount{Reason: want[i].(string), Count: want[i+1].(int)})
	}
	if !reflect.DeepEqual(got, w) {
		t.Errorf("dropped %v, want %v", got, w)
	}
}

// TestRSSBadCharacters: references to characters XML does not allow, raw
// control bytes, non-characters and bytes that are not UTF-8, in RSS and in
// Atom, lose those characters and nothing else: every item is kept.
func TestRSSBadCharacters(t *testing.T) {
	for _, c := range []struct {
		file string
		want []model.Event
	}{
		{"forum-bad-chars.rss", []model.Event{
			// Decimal and hex references, raw U+FFFE/U+FFFF and a
			// surrogate are gone; legal references are decoded.
			rssComplaint(hm(8, 31, 0), "Meadowlark Quilts",
				"Escaped, not a reference: bold text: Tab and ABC are fine. Caf\uFFFD bytes that are not UTF-8 become a replacement character."),
			rssComplaint(hm(8, 50, 0), "Atlas Auto Parts",
				"Form feed in the title: Surrogates , non-characters and are not characters; raw ones neither."),
			// "&#x1b;" in CDATA is text for XML: the HTML reading decodes
			// it and the sanitiser strips the sequence it starts.
			rssComplaint(hm(9, 2, 0), "Harbor & Pine",
				"Next-day promise we can’t keep: In CDATA is text, as HTML it is then stripped; a raw byte goes too. Orders from Aisle 4 ship late."),
			// The item of the issue: the references go, their text stays.
			rssComplaint(hm(9, 15, 0), "Copperleaf Kitchen",
				"Labels still failing [31mURGENT[0m: Pasted from our terminal: [2Jlabel service returns 503"),
			// The item of Jul 10 is before T+0.
		}},
		{"notices-bad-chars.atom", []model.Event{
			rssComplaint(hm(4, 40, 0), "Parcelway service notices", "Label API errors resolved: Requests succeed again. in CDATA is text."),
			rssComplaint(hm(5, 10, 0), "Network Operations", "Hub sort delays ]0;pwned: Parcels sorted at the Louisville hub may miss today’s flights."),
		}},
	} {
		t.Run(c.file, func(t *testing.T) {
			data := rssTestdata(t, c.file)
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(data)); err == nil {
				t.Fatalf("gofeed parses %s as it is: it no longer shows the problem", c.file)
			}
			srv := newRSSTestServer(t, data, false)
			r := NewRSS("forums", srv.URL, RSSMapping{Channel: "forums"}, rssTestClock, srv.Client())
			spDiff(t, "first poll", rssPoll(t, r), c.want)
			spDiff(t, "again", rssPoll(t, r), nil)
			if c.file == "forum-bad-chars.rss" {
				wantDrops(t, r.Dropped(), DropBeforeStart, 1)
			} else {
				wantDrops(t, r.Dropped())
			}
		})
	}
}

func rssComplaint(at time.Duration, seller, text string) model.Event {
	return model.Event{At: at, Source: "forums", Body: model.SellerComplaint{
		Seller: seller, Channel: "forums", Topic: "other", Text: text}}
}

func TestRSSDefaults(t *testing.T) {
	srv := newRSSTestServer(t, rssTestdata(t, "forum.rss"), false)
	r := NewRSS("forums", srv.URL, RSSMapping{}, rssTestClock, srv.Client())
	evs := rssPoll(t, r)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	for _, e := range evs {
		c := e.Body.(model.SellerComplaint)
		if c.Channel != "rss" || c.Topic != "other" {
			t.Errorf("defaults: channel %q topic %q, want rss, other", c.Channel, c.Topic)
		}
	}
}

func TestRSSWarningsFromAtom(t *testing.T) {
	srv := newRSSTestServer(t, rssTestdata(t, "notices.atom"), false)
	r := NewRSS("parcelway-notices", srv.URL, RSSMapping{As: "warnings", Carrier: "parcelway"}, rssTestClock, srv.Client())
	warning := func(at time.Duration, id, headline, body string) model.Event {
		return model.Event{At: at, Source: "parcelway-notices", Body: model.CarrierWarning{
			ID: "parcelway:" + id, Carrier: "parcelway", Phase: model.WarningIssued, Severity: model.SeverityMinor,
			Headline: headline, Body: body}}
	}
	want := []model.Event{
		// No published: updated is its time. Summary with HTML.
		warning(hm(2, 20, 0), "tag:parcelway.example,2024:notice-311", "Label API errors",
			"Some label requests fail intermittently."),
		// published, not updated, is its time; content type="html".
		warning(hm(5, 15, 0), "tag:parcelway.example,2024:notice-312",
			"Weather and network delays possible in the US and Europe",
			"Shipments tendered on July 19 may arrive one day late. US Europe"),
	}
	spDiff(t, "first poll", rssPoll(t, r), want)
	spDiff(t, "again", rssPoll(t, r), nil)

	// Severity from the mapping; complaints from Atom take the entry's author.
	r = NewRSS("n", srv.URL, RSSMapping{As: "warnings", Carrier: "pw", Severity: model.SeverityMajor}, rssTestClock, srv.Client())
	for _, e := range rssPoll(t, r) {
		if s := e.Body.(model.CarrierWarning).Severity; s != model.SeverityMajor {
			t.Errorf("severity %q, want major", s)
		}
	}
	r = NewRSS("n", srv.URL, RSSMapping{}, rssTestClock, srv.Client())
	evs := rssPoll(t, r)
	if len(evs) != 2 || evs[0].Body.(model.SellerComplaint).Seller != "Label Team" {
		t.Errorf("atom complaints: %+v, want the first by Label Team", evs)
	}
}

// Items are keyed by guid, else link, else title and date: a changed feed
// yields only its new items, whatever their key.
func TestRSSDedupAcrossPolls(t *testing.T) {
	item := func(guid, link, title, date string) string {
		s := "<item><title>" + title + "</title>"
		if guid != "" {
			s += `<guid isPermaLink="false">` + guid + "</guid>"
		}
		if link != "" {
			s += "<link>" + link + "</link>"
		}
		if date != "" {
			s += "<pubDate>" + date + "</pubDate>"
		}
		return s + "<description>d</description></item>"
	}
	feed := func(items ...string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>` +
			strings.Join(items, "") + `</channel></rss>`)
	}
	a := item("g-1", "https://x.example/1", "A", "Fri, 19 Jul 2024 06:00:00 -0400")
	b := item("", "https://x.example/2", "B", "Fri, 19 Jul 2024 06:10:00 -0400")
	c := item("", "", "C", "Fri, 19 Jul 2024 06:20:00 -0400")
	d := item("", "", "C", "Fri, 19 Jul 2024 06:30:00 -0400") // same title, later date: another item
	a2 := item("g-1", "https://x.example/1-moved", "A (edited)", "Fri, 19 Jul 2024 06:00:00 -0400")
	e := item("g-5", "", "E", "") // no date: now
	srv := newRSSTestServer(t, feed(a, b), false)
	r := NewRSS("f", srv.URL, RSSMapping{}, rssTestClock, srv.Client())
	titles := func(evs []model.Event) []string {
		var out []string
		for _, e := range evs {
			out = append(out, strings.SplitN(e.Body.(model.SellerComplaint).Text, ":", 2)[0])
		}
		return out
	}
	steps := []struct {
		body []byte
		want []string
		dups int // dropped as duplicates so far
	}{
		{feed(a, b), []string{"A", "B"}, 0},
		{feed(c, b, a), []string{"C"}, 0},
		{feed(d, c, b, a2), []string{"C"}, 0}, // d; a2 has a's guid, and a was returned
		{feed(e, e, d), []string{"E"}, 1},     // twice in one document: once, the other dropped
		{feed(e, d, c, b, a), nil, 1},
		{feed(e, e), nil, 1}, // returned before: not news, not dropped
	}
	for i, s := range steps {
		srv.set(s.body)
		got := titles(rssPoll(t, r))
		if !reflect.DeepEqual(got, s.want) {
			t.Errorf("step %d: %q, want %q", i, got, s.want)
		}
		if s.dups == 0 {
			wantDrops(t, r.Dropped())
		} else {
			wantDrops(t, r.Dropped(), DropDuplicate, s.dups)
		}
	}
}

func TestRSSWarningIDWithoutGUID(t *testing.T) {
	doc := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>
		<item><title>By link</title><link>https://x.example/n/7</link></item>
		<item><title>By title</title><pubDate>Fri, 19 Jul 2024 06:00:00 -0400</pubDate></item>
		<item><title>Long guid</title><guid>https://x.example/` + strings.Repeat("x", 300) + `</guid></item>
		</channel></rss>`)
	r := NewRSS("f", "", RSSMapping{As: "warnings", Carrier: "ups"}, rssTestClock, nil)
	evs, err := r.decode(doc)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, e := range evs {
		ids[e.Body.(model.CarrierWarning).ID] = true
	}
	if !ids["ups:https://x.example/n/7"] || len(ids) != 3 {
		t.Errorf("ids %v, want one by link and two by hash", ids)
	}
	for id := range ids {
		if id != "ups:https://x.example/n/7" && len(id) != len("ups:")+16 {
			t.Errorf("hashed id %q: want 16 hex digits", id)
		}
	}
}

func TestRSSConditionalGet(t *testing.T) {
	srv := newRSSTestServer(t, rssTestdata(t, "forum.rss"), true)
	r := NewRSS("forums", srv.URL, RSSMapping{}, rssTestClock, srv.Client())
	if evs := rssPoll(t, r); len(evs) != 3 {
		t.Fatalf("first poll: %d events, want 3", len(evs))
	}
	if evs := rssPoll(t, r); evs != nil {
		t.Errorf("304: %+v, want nothing", evs)
	}
	if srv.got304 != 1 {
		t.Errorf("%d 304s, want 1", srv.got304)
	}
	wantHdr := `"v1"|` + time.Date(2024, 7, 19, 8, 1, 0, 0, time.UTC).Format(http.TimeFormat)
	if srv.condHdrs[0] != "|" || srv.condHdrs[1] != wantHdr {
		t.Errorf("conditional headers %q, want none then %q", srv.condHdrs, wantHdr)
	}
	// A changed feed: a 200 with the new items only, then 304 again.
	srv.set([]byte(strings.Replace(string(rssTestdata(t, "forum.rss")), "<item>",
		`<item><title>Labels back?</title><guid isPermaLink="false">forum-thread-88130</guid><pubDate>Fri, 19 Jul 2024 09:00:00 -0400</pubDate></item><item>`, 1)))
	evs := rssPoll(t, r)
	if len(evs) != 1 || !strings.HasPrefix(evs[0].Body.(model.SellerComplaint).Text, "Labels back?") {
		t.Errorf("changed feed: %+v, want the new item", evs)
	}
	if evs := rssPoll(t, r); evs != nil || srv.got304 != 2 {
		t.Errorf("unchanged again: %+v, %d 304s", evs, srv.got304)
	}
}

// A bad body does not keep the validators: the next poll asks again in full.
func TestRSSBadBodyForgetsValidators(t *testing.T) {
	srv := newRSSTestServer(t, rssTestdata(t, "malformed.xml"), true)
	r := NewRSS("forums", srv.URL, RSSMapping{}, rssTestClock, srv.Client())
	if _, err := r.Poll(context.Background()); err == nil {
		t.Fatal("malformed feed: no error")
	}
	if _, err := r.Poll(context.Background()); err == nil {
		t.Fatal("malformed feed again: no error (a 304 hid it)")
	}
	if srv.got304 != 0 {
		t.Errorf("%d 304s, want none", srv.got304)
	}
}

func TestRSSErrors(t *testing.T) {
	serve := func(status int, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write(body)
		}
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc
		as      string
		timeout time.Duration
		want    []string
		is      error
	}{
		{"malformed", serve(200, rssTestdata(t, "malformed.xml")), "", 0, []string{"rss forums", "not an RSS or Atom feed"}, nil},
		{"html page", serve(200, []byte("<!DOCTYPE html><html><body>Sign in</body></html>")), "", 0,
			[]string{"not an RSS or Atom feed", "failed to detect feed type"}, nil},
		{"empty", serve(200, nil), "", 0, []string{"not an RSS or Atom feed"}, nil},
		{"500", serve(500, []byte("oops")), "", 0, []string{"HTTP status 500 Internal Server Error"}, nil},
		{"304 without asking", serve(304, nil), "", 0, []string{"HTTP status 304"}, nil},
		{"bad mapping", serve(200, rssTestdata(t, "forum.rss")), "alerts", 0,
			[]string{`as "alerts": expected complaints or warnings`}, nil},
		{"too large", serve(200, []byte(strings.Repeat(" ", rssMaxBody+1))), "", 0, []string{"larger than 4 MiB"}, nil},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}, "", 50 * time.Millisecond, []string{"context deadline exceeded"}, context.DeadlineExceeded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			r := NewRSS("forums", srv.URL, RSSMapping{As: c.as}, rssTestClock, srv.Client())
			ctx := context.Background()
			if c.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, c.timeout)
				defer cancel()
			}
			evs, err := r.Poll(ctx)
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
		})
	}
}

func TestRSSPlainText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain  text\n here", "plain text here"},
		{"<p>Hello <b>bold</b> world</p><p>Next</p>", "Hello bold world Next"},
		{"a<br>b<br/>c", "a b c"},
		{"AT&amp;T &lt;b&gt; &#8212; &nbsp;x", "AT&T <b> — x"},
		{"Tom & Jerry", "Tom & Jerry"},
		{"<script>alert(1)</script>ok<style>p{}</style>", "ok"},
		{"<ul><li>US</li><li>EU</li></ul>", "US EU"},
		{"x \x1b[31mred\x1b[0m y", "x red y"},
		{"x &#x1b;[2J y", "x y"},
		{"<p>unclosed <b>tag", "unclosed tag"},
		{"<", "<"},
		{"", ""},
	}
	for _, c := range cases {
		if got := rssPlainText(c.in); got != c.want {
			t.Errorf("rssPlainText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRSSKeysBounded(t *testing.T) {
	var s rssKeys
	key := func(i int) rssKey {
		return rssItemKey(&gofeed.Item{GUID: fmt.Sprint(i)})
	}
	for i := range rssRemember + 5 {
		if !s.add(key(i)) {
			t.Fatalf("key %d not new", i)
		}
	}
	if len(s.set) != rssRemember || len(s.ring) != rssRemember {
		t.Errorf("remembers %d (ring %d), want %d", len(s.set), len(s.ring), rssRemember)
	}
	for i := range 5 {
		if _, ok := s.set[key(i).sum]; ok {
			t.Errorf("key %d still remembered", i)
		}
	}
	if s.add(key(rssRemember + 4)) {
		t.Error("the newest key was forgotten")
	}
}

func FuzzRSSDecode(f *testing.F) {
	for _, name := range []string{"forum.rss", "notices.atom", "malformed.xml", "forum-bad-chars.rss", "notices-bad-chars.atom"} {
		f.Add(rssTestdata(f, name), false)
		f.Add(rssTestdata(f, name), true)
	}
	f.Add([]byte(`<rss version="2.0"><channel><title>&#x9b;2J</title><item><title>&lt;b&gt;x&#x9d;0;t&#x7;</title><author>&#x85;a (b&#x9b;)</author><description><![CDATA[<p>`+"\x1b[2J"+`</p>]]></description></item></channel></rss>`), false)
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>`+"\u009b"+`</id><content type="html">&lt;script&gt;</content></entry></feed>`), true)
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"j","items":[{"id":"1","content_html":"<b>x</b>"}]}`), false)
	f.Fuzz(func(t *testing.T, data []byte, warnings bool) {
		as := RSSMapping{As: "complaints", Topics: rssTopics}
		if warnings {
			as = RSSMapping{As: "warnings", Carrier: "carrier"}
		}
		r := NewRSS("fuzz", "", as, rssTestClock, nil)
		evs, err := r.decode(data)
		if err != nil {
			return
		}
		for i, e := range evs {
			if !reflect.DeepEqual(model.SanitizeEvent(e), e) {
				t.Fatalf("event %d not sanitised: %+v", i, e)
			}
			if i > 0 && e.At < evs[i-1].At {
				t.Fatalf("events out of order")
			}
			switch b := e.Body.(type) {
			case model.CarrierWarning:
				if !warnings || b.Phase != model.WarningIssued || !strings.HasPrefix(b.ID, "carrier:") {
					t.Fatalf("event %d: %+v", i, b)
				}
			case model.SellerComplaint:
				if warnings || b.Topic == "" || b.Channel != "rss" {
					t.Fatalf("event %d: %+v", i, b)
				}
			default:
				t.Fatalf("event %d body %T", i, e.Body)
			}
		}
		if again, err := r.decode(data); err != nil || len(again) != 0 {
			t.Fatalf("the same feed twice: %d events, %v the second time", len(again), err)
		}
	})
}
