package feed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
	nethtml "golang.org/x/net/html"

	"github.com/warroom/warroom/model"
)

// rssMaxBody caps a feed document.
const rssMaxBody = 4 << 20

// rssRemember is how many item keys an RSS source remembers to never return
// an item twice; past it the oldest are forgotten.
const rssRemember = 10000

// rssMaxID is the longest GUID or link used as it is in a warning's id.
const rssMaxID = 160

// TopicRule files a complaint under Topic when any of Keywords appears
// (case-insensitively) in the item's title or description.
type TopicRule struct {
	Topic    string
	Keywords []string
}

// RSSMapping says what a feed's items become.
type RSSMapping struct {
	As string // "complaints" (the default) or "warnings"

	// For warnings.
	Carrier  string         // the carrier id; warning ids are "<carrier>:<guid>"
	Severity model.Severity // default minor

	// For complaints.
	Channel      string      // default "rss"
	Topics       []TopicRule // the first rule that matches wins
	DefaultTopic string      // when no rule matches; default "other"
}

// RSS polls an RSS 2.0 or Atom feed (a seller forum, a carrier's notices) and
// turns each new item into a SellerComplaint or a CarrierWarning. It never
// returns an item twice (it remembers the last 10,000 items' keys: GUID, else
// link, else title and date), and it uses conditional GET (ETag,
// Last-Modified) so an unchanged feed costs a 304. Items published before
// the incident's T+0 are history and return nothing.
type RSS struct {
	name, url string
	as        RSSMapping
	clock     Clock
	client    *http.Client

	mu    sync.Mutex
	valid httpValidators
	seen  rssKeys
	drops dropCounter
}

// Dropped counts, by reason, the items never returned: dated before T+0, or
// a second item with the key of one in the same document. An item returned
// before and listed again is not counted.
func (r *RSS) Dropped() []model.DropCount { return r.drops.counts() }

// NewRSS reads the feed at url and maps its items as the mapping says. A nil
// client means http.DefaultClient; put the poll timeout on Poll's ctx.
func NewRSS(name, url string, as RSSMapping, clock Clock, client *http.Client) *RSS {
	if client == nil {
		client = http.DefaultClient
	}
	if as.As == "" {
		as.As = "complaints"
	}
	if as.Channel == "" {
		as.Channel = "rss"
	}
	if as.DefaultTopic == "" {
		as.DefaultTopic = "other"
	}
	if as.Severity == "" {
		as.Severity = model.SeverityMinor
	}
	return &RSS{name: name, url: url, as: as, clock: clock, client: client}
}

// Name is the source's name from the config.
func (r *RSS) Name() string { return r.name }

// Poll fetches the feed once and returns its new items as events, oldest
// first. An unchanged feed (304) returns nothing.
func (r *RSS) Poll(ctx context.Context) ([]model.Event, error) {
	if r.as.As != "complaints" && r.as.As != "warnings" {
		return nil, fmt.Errorf("rss %s: as %q: expected complaints or warnings", r.name, r.as.As)
	}
	r.mu.Lock()
	valid := r.valid
	r.mu.Unlock()
	body, notModified, err := httpPollGet(ctx, r.client, r.url,
		"application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
		rssMaxBody, &valid)
	if err != nil {
		return nil, fmt.Errorf("rss %s: %w", r.name, err)
	}
	if notModified {
		return nil, nil
	}
	events, err := r.decode(body)
	if err != nil {
		return nil, fmt.Errorf("rss %s: %s: %w", r.name, r.url, err)
	}
	r.mu.Lock()
	r.valid = valid // only once the body proved good
	r.mu.Unlock()
	return events, nil
}

// decode parses a feed document and maps its new items. It is the whole of
// Poll but the fetching, and what the fuzz test drives.
func (r *RSS) decode(data []byte) ([]model.Event, error) {
	// One bad character must not lose every item: see xmlLegalChars.
	f, err := gofeed.NewParser().Parse(bytes.NewReader(xmlLegalChars(data)))
	if err != nil {
		return nil, fmt.Errorf("not an RSS or Atom feed: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.mapItems(f), nil
}

// mapItems turns the items not seen before into events. The caller holds
// r.mu.
func (r *RSS) mapItems(f *gofeed.Feed) []model.Event {
	var events []model.Event
	added := map[[16]byte]bool{} // keys first seen in this document
	// Feeds list the newest first: walk them oldest first, so that items
	// without dates keep their order once sorted by time.
	for i := len(f.Items) - 1; i >= 0; i-- {
		it := f.Items[i]
		if it == nil {
			continue
		}
		key := rssItemKey(it)
		if !r.seen.add(key) {
			if added[key.sum] {
				r.drops.add(DropDuplicate, 1) // twice in one document: the other one is returned
			}
			continue
		}
		added[key.sum] = true
		t, dated := rssItemTime(it)
		if dated && !r.clock.Origin.IsZero() && t.Before(r.clock.Origin) {
			r.drops.add(DropBeforeStart, 1) // not part of this incident; once, as the key is remembered
			continue
		}
		at := r.clock.Since()
		if dated {
			at = r.clock.Offset(t)
		}
		title := strings.TrimSpace(rssPlainText(it.Title))
		desc := it.Description
		if strings.TrimSpace(desc) == "" {
			desc = it.Content
		}
		desc = rssPlainText(desc)
		var body model.Body
		switch r.as.As {
		case "warnings":
			body = model.CarrierWarning{
				ID:       r.as.Carrier + ":" + key.id,
				Carrier:  r.as.Carrier,
				Phase:    model.WarningIssued,
				Severity: r.as.Severity,
				Headline: title,
				Body:     desc,
			}
		default:
			text := title
			switch {
			case text == "":
				text = desc
			case desc != "":
				text += ": " + desc
			}
			body = model.SellerComplaint{
				Seller:  rssSeller(it, f),
				Channel: r.as.Channel,
				Topic:   r.topic(title + "\n" + desc),
				Text:    text,
			}
		}
		events = append(events, model.Event{At: at, Source: r.name, Body: body})
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].At < events[j].At })
	for i := range events {
		events[i] = model.SanitizeEvent(events[i])
	}
	return events
}

// topic is the first rule's topic whose keyword appears in text.
func (r *RSS) topic(text string) string {
	text = strings.ToLower(text)
	for _, rule := range r.as.Topics {
		for _, k := range rule.Keywords {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" && strings.Contains(text, k) {
				return rule.Topic
			}
		}
	}
	return r.as.DefaultTopic
}

// rssSeller is who posted the item: its author's name, else the feed's title.
func rssSeller(it *gofeed.Item, f *gofeed.Feed) string {
	for _, p := range append([]*gofeed.Person{it.Author}, it.Authors...) {
		if p == nil {
			continue
		}
		if n := strings.TrimSpace(p.Name); n != "" {
			return n
		}
		if e := strings.TrimSpace(p.Email); e != "" {
			return e
		}
	}
	return strings.TrimSpace(f.Title)
}

// rssItemTime is when the item was published, else updated.
func rssItemTime(it *gofeed.Item) (time.Time, bool) {
	switch {
	case it.PublishedParsed != nil:
		return *it.PublishedParsed, true
	case it.UpdatedParsed != nil:
		return *it.UpdatedParsed, true
	}
	return time.Time{}, false
}

// rssKey names an item: id is what a warning's id is made of (the GUID, else
// the link, else a hash of title and date; a hash too for a GUID or link too
// long to show), sum what is remembered.
type rssKey struct {
	id  string
	sum [16]byte
}

func rssItemKey(it *gofeed.Item) rssKey {
	var id, full string
	switch {
	case strings.TrimSpace(it.GUID) != "":
		id = strings.TrimSpace(it.GUID)
		full = "guid\x00" + id
	case strings.TrimSpace(it.Link) != "":
		id = strings.TrimSpace(it.Link)
		full = "link\x00" + id
	default:
		full = "title\x00" + it.Title + "\x00" + it.Published + "\x00" + it.Updated
	}
	h := sha256.Sum256([]byte(full))
	if id == "" || len(id) > rssMaxID {
		id = hex.EncodeToString(h[:8])
	}
	k := rssKey{id: id}
	copy(k.sum[:], h[:])
	return k
}

// rssKeys remembers the last rssRemember keys.
type rssKeys struct {
	set  map[[16]byte]struct{}
	ring [][16]byte
	next int
}

// add remembers key and says whether it was new.
func (s *rssKeys) add(k rssKey) bool {
	if s.set == nil {
		s.set = make(map[[16]byte]struct{})
	}
	if _, ok := s.set[k.sum]; ok {
		return false
	}
	if len(s.ring) < rssRemember {
		s.ring = append(s.ring, k.sum)
	} else {
		delete(s.set, s.ring[s.next])
		s.ring[s.next] = k.sum
		s.next = (s.next + 1) % rssRemember
	}
	s.set[k.sum] = struct{}{}
	return true
}

// rssPlainText strips HTML from a title or description: tags go, the text of
// script and style goes with them, entities are decoded, block elements and
// line breaks become spaces, and runs of white space become one (after
// terminal controls are removed, so none is left around where one was).
func rssPlainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(model.Sanitize(s, 0)), " ")
	}
	z := nethtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0 // inside script or style
	for {
		tt := z.Next()
		switch tt {
		case nethtml.ErrorToken:
			return strings.Join(strings.Fields(model.Sanitize(b.String(), 0)), " ")
		case nethtml.TextToken:
			if skip == 0 {
				b.Write(z.Text()) // entities decoded
			}
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken, nethtml.EndTagToken:
			name, _ := z.TagName()
			switch tag := string(name); {
			case tag == "script" || tag == "style":
				if tt == nethtml.StartTagToken {
					skip++
				} else if tt == nethtml.EndTagToken && skip > 0 {
					skip--
				}
			case !rssInline[tag]:
				b.WriteByte(' ')
			}
		}
	}
}

// rssInline are the elements that do not break words apart.
var rssInline = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"data": true, "dfn": true, "em": true, "font": true, "i": true, "kbd": true, "mark": true,
	"q": true, "s": true, "samp": true, "small": true, "span": true, "strong": true, "sub": true,
	"sup": true, "time": true, "u": true, "var": true,
}
