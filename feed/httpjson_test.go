package feed

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// eventServer serves body (under lock, so a test can change it) and records
// the requests.
type eventServer struct {
	mu       sync.Mutex
	body     string
	status   int
	etag     string
	modified string
	delay    time.Duration
	requests []*http.Request
}

func (s *eventServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Clone(context.Background()))
	body, status, etag, modified, delay := s.body, s.status, s.etag, s.modified, s.delay
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if etag != "" {
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if modified != "" {
		w.Header().Set("Last-Modified", modified)
		if r.Header.Get("If-Modified-Since") == modified {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	if status != 0 {
		w.WriteHeader(status)
	}
	w.Write([]byte(body))
}

func (s *eventServer) set(f func(s *eventServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *eventServer) last() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[len(s.requests)-1]
}

func newEventServer(t *testing.T, body string) (*eventServer, *httptest.Server) {
	s := &eventServer{body: body}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func noteTexts(events []model.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Body.(model.Note).Text)
	}
	return out
}

func pollTexts(t *testing.T, p Poller) []string {
	t.Helper()
	events, err := p.Poll(context.Background())
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	return noteTexts(events)
}

func TestHTTPPoll(t *testing.T) {
	s, srv := newEventServer(t, ndjsonNote("a")+ndjsonNote("b"))
	h := NewHTTP("ops-api", srv.URL+"/events", map[string]string{"Authorization": "Bearer s3cret"}, testClock)
	events, err := h.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := noteTexts(events); strings.Join(got, ",") != "a,b" {
		t.Errorf("events %q, want a, b", got)
	}
	if events[0].Source != "ops-api" {
		t.Errorf("source %q, want the source's name", events[0].Source)
	}
	r := s.last()
	if r.Header.Get("Authorization") != "Bearer s3cret" || !strings.Contains(r.Header.Get("Accept"), "application/x-ndjson") {
		t.Errorf("request headers %v", r.Header)
	}

	// A JSON array works as well.
	s.set(func(s *eventServer) {
		s.body = `[` + strings.TrimSpace(ndjsonNote("c")) + `,` + strings.TrimSpace(ndjsonNote("d")) + `]`
	})
	if got := pollTexts(t, h); strings.Join(got, ",") != "c,d" {
		t.Errorf("array: events %q, want c, d", got)
	}
}

func TestHTTPNotModified(t *testing.T) {
	s, srv := newEventServer(t, ndjsonNote("a"))
	s.etag = `"v1"`
	h := NewHTTP("api", srv.URL, nil, testClock)
	if got := pollTexts(t, h); len(got) != 1 {
		t.Fatalf("first poll: %q", got)
	}
	if got := pollTexts(t, h); len(got) != 0 {
		t.Errorf("second poll: %q, want nothing (304)", got)
	}
	if r := s.last(); r.Header.Get("If-None-Match") != `"v1"` {
		t.Errorf("If-None-Match %q, want the ETag", r.Header.Get("If-None-Match"))
	}
	// A new version is fetched, and only its new event returned.
	s.set(func(s *eventServer) { s.etag, s.body = `"v2"`, ndjsonNote("a")+ndjsonNote("b") })
	if got := pollTexts(t, h); strings.Join(got, ",") != "b" {
		t.Errorf("third poll: %q, want b", got)
	}

	// Last-Modified works alike.
	s2, srv2 := newEventServer(t, ndjsonNote("x"))
	s2.modified = "Fri, 19 Jul 2024 10:51:00 GMT"
	h2 := NewHTTP("api2", srv2.URL, nil, testClock)
	pollTexts(t, h2)
	if got := pollTexts(t, h2); len(got) != 0 {
		t.Errorf("Last-Modified: second poll %q, want nothing", got)
	}
	if r := s2.last(); r.Header.Get("If-Modified-Since") != s2.modified {
		t.Errorf("If-Modified-Since %q", r.Header.Get("If-Modified-Since"))
	}
}

func TestHTTPDuplicates(t *testing.T) {
	timed := `{"time":"2024-07-19T10:51:00Z","note":{"author":"ic","text":"timed"}}` + "\n"
	s, srv := newEventServer(t, timed+`{"note":{"author":"ic","text":"untimed"}}`+"\n")
	h := NewHTTP("api", srv.URL, nil, testClock)
	if got := pollTexts(t, h); strings.Join(got, ",") != "timed,untimed" {
		t.Fatalf("first poll: %q", got)
	}
	if got := pollTexts(t, h); len(got) != 0 {
		t.Errorf("second poll of the same document: %q, want nothing", got)
	}
	s.set(func(s *eventServer) {
		s.body = timed + ndjsonNote("new") + ndjsonNote("new") + `{"note":{"author":"ic","text":"untimed"}}` + "\n"
	})
	if got := pollTexts(t, h); strings.Join(got, ",") != "new" {
		t.Errorf("third poll: %q, want only the new event, once", got)
	}
}

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *eventServer, h *HTTP)
		want  string
	}{
		{"server error", func(s *eventServer, h *HTTP) {
			s.status, s.body = 500, "database \x1b[2Jdown\n"
		}, "500 Internal Server Error: database down"},
		{"not found", func(s *eventServer, h *HTTP) { s.status = 404 }, "404 Not Found"},
		{"garbage body", func(s *eventServer, h *HTTP) {
			s.body = "<html>\n<body>Sign in</body>\n"
		}, "api:1:1: invalid JSON: unexpected '<', expected an event object"},
		{"body too large", func(s *eventServer, h *HTTP) {
			h.MaxBody = 100
			s.body = strings.Repeat(ndjsonNote("a"), 10)
		}, "body larger than the limit of 100 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newEventServer(t, "")
			h := NewHTTP("api", srv.URL+"/events?token=s3cret", nil, testClock)
			tt.setup(s, h)
			events, err := h.Poll(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Poll = %d events, %v; want an error containing %q", len(events), err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the URL's query", err)
			}
		})
	}
}

func TestHTTPPartlyBad(t *testing.T) {
	_, srv := newEventServer(t, ndjsonNote("a")+"{bad\n"+ndjsonNote("b"))
	h := NewHTTP("api", srv.URL, nil, testClock)
	var reported []error
	h.OnError = func(err error) { reported = append(reported, err) }
	if got := pollTexts(t, h); strings.Join(got, ",") != "a,b" {
		t.Errorf("events %q, want a and b", got)
	}
	if len(reported) != 1 || !strings.Contains(reported[0].Error(), "api:2:2:") {
		t.Errorf("reported %v, want the bad line", reported)
	}
}

func TestHTTPTimeout(t *testing.T) {
	s, srv := newEventServer(t, ndjsonNote("a"))
	s.delay = 10 * time.Second
	h := NewHTTP("api", srv.URL, nil, testClock)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := h.Poll(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Poll = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Poll took %s", d)
	}
}

func TestHTTPCredentialsNotShown(t *testing.T) {
	h := NewHTTP("api", "http://user:pa55word@127.0.0.1:1/events?key=abc", nil, testClock)
	_, err := h.Poll(context.Background())
	if err == nil || strings.Contains(err.Error(), "pa55word") || strings.Contains(err.Error(), "abc") {
		t.Errorf("Poll = %v: want an error without the credentials", err)
	}
}

// Entries of a good document that are not events are counted by reason,
// each once however many polls list it; a document with no good entry is
// the poll's error, not a count.
func TestHTTPDropped(t *testing.T) {
	const (
		badJSON = "{bad\n"
		badTime = `{"time":"yesterday","note":{"author":"ic","text":"t"}}` + "\n"
		kind    = `{"at":"1m","incident":{"id":"x"}}` + "\n"
		noKind  = `{"at":"1m"}` + "\n"
		array   = `[{"at":"1m","note":{"author":"ic","text":"a"}},{"at":"1m","note":{}},{"at":"bad","note":{"author":"ic","text":"b"}}]`
	)
	steps := []struct {
		body  string
		want  []any
		error bool
	}{
		{ndjsonNote("a") + badJSON + badTime + kind + noKind, []any{DropBadEntry, 2, DropBadTime, 1, DropUnknownKind, 1}, false},
		{ndjsonNote("a") + badJSON + badTime + kind + noKind, []any{DropBadEntry, 2, DropBadTime, 1, DropUnknownKind, 1}, false},
		{ndjsonNote("b") + badJSON + badJSON + kind, []any{DropBadEntry, 3, DropBadTime, 1, DropUnknownKind, 1}, false},
		{badJSON + "<html>\n", []any{DropBadEntry, 3, DropBadTime, 1, DropUnknownKind, 1}, true},
		{array, []any{DropBadEntry, 4, DropBadTime, 2, DropUnknownKind, 1}, false},
		{array, []any{DropBadEntry, 4, DropBadTime, 2, DropUnknownKind, 1}, false},
	}
	s, srv := newEventServer(t, "")
	h := NewHTTP("api", srv.URL, nil, testClock)
	for i, st := range steps {
		s.set(func(s *eventServer) { s.body = st.body })
		_, err := h.Poll(context.Background())
		if (err != nil) != st.error {
			t.Fatalf("step %d: error %v, want one: %v", i, err, st.error)
		}
		wantDrops(t, h.Dropped(), st.want...)
	}
}
