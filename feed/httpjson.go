package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/warroom/warroom/model"
)

// HTTP polls a URL that serves events in the wire format, as a JSON array
// or NDJSON. It asks with If-None-Match and If-Modified-Since, so that an
// unchanged document costs a 304 and no parsing, and it returns only events
// it has not returned before, so that a document listing the last hour of
// events can be polled every few seconds.
type HTTP struct {
	name, url string
	clock     Clock
	headers   map[string]string

	// Client makes the requests; nil: http.DefaultClient. Poll's context
	// bounds each request.
	Client *http.Client
	// MaxBody is the largest body read; default 8 MiB.
	MaxBody int64
	// OnError, when set, is told about bad entries in a response whose
	// other entries are good (and returned). A response with no good entry
	// at all is Poll's error instead.
	OnError func(error)

	mu           sync.Mutex // one poll at a time
	etag, lastMo string     // validators of the last good response
	seen         *seenSet
	drops        entryDrops
}

// defaultMaxBody caps what an HTTP or exec source reads per poll.
const defaultMaxBody = 8 << 20

// NewHTTP polls rawURL, sending headers with every request (the caller
// builds them, e.g. Authorization from an environment variable; they never
// appear in errors). Events without a source get name.
func NewHTTP(name, rawURL string, headers map[string]string, clock Clock) *HTTP {
	return &HTTP{name: name, url: rawURL, clock: clock, headers: headers, seen: newSeenSet(defaultSeen)}
}

// Name is the source's name.
func (h *HTTP) Name() string { return h.name }

// Poll fetches the URL once and returns the events not returned before.
// A 304 Not Modified returns no events; any other status but 2xx is an
// error naming it.
func (h *HTTP) Poll(ctx context.Context) ([]model.Event, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	where := redactURL(h.url)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", where, err)
	}
	req.Header.Set("Accept", "application/x-ndjson, application/json;q=0.9, */*;q=0.1")
	for k, v := range h.headers {
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	if h.etag != "" {
		req.Header.Set("If-None-Match", h.etag)
	}
	if h.lastMo != "" {
		req.Header.Set("If-Modified-Since", h.lastMo)
	}
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // its message repeats the URL, unredacted
		}
		return nil, fmt.Errorf("GET %s: %w", where, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		msg := strings.Join(strings.Fields(model.Sanitize(string(snippet), 200)), " ")
		if msg != "" {
			msg = ": " + msg
		}
		return nil, fmt.Errorf("GET %s: %s%s", where, resp.Status, msg)
	}
	limit := h.MaxBody
	if limit <= 0 {
		limit = defaultMaxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading the body: %w", where, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("GET %s: body larger than the limit of %s", where, sizeText(limit))
	}
	res := decodeFresh(body, h.name, h.clock, h.seen)
	events, err := res.report(h.name, h.OnError, &h.drops)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", where, err)
	}
	h.etag, h.lastMo = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	return events, nil
}

// redactURL hides a URL's password and query (which may carry a token).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(bad URL)"
	}
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	return u.Redacted()
}

// sizeText writes a byte count for messages: 8 MiB, 512 KiB, 100 bytes.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Dropped counts, by reason, the entries of good responses that were not
// events; an entry a document keeps listing counts once.
func (h *HTTP) Dropped() []model.DropCount { return h.drops.counts.counts() }
