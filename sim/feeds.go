package sim

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/feed"
)

// rssItems is how many complaints the feed lists, the newest.
const rssItems = 200

// titleWords is how many words of a complaint its item's title quotes.
const titleWords = 8

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Description string  `xml:"description"`
	Author      string  `xml:"author"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Category    string  `xml:"category"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	ID          string `xml:",chardata"`
}

// serveRSS serves the seller complaints so far as RSS 2.0, newest first:
// the title is the topic and the text's first words, the description the
// text, the author "seller@example.invalid (Seller)", the category the topic
// and the GUID "<scenario>-complaint-<n>" for the n-th complaint of the
// scenario, which never changes.
func (s *Simulator) serveRSS(w http.ResponseWriter, r *http.Request) {
	v := s.view()
	c := v.state.Complaints
	doc := rssDoc{Version: "2.0", Channel: rssChannel{
		Title:         "Seller complaints — " + s.sc.Meta.Title,
		Link:          "http://" + r.Host + "/rss/complaints.xml",
		Description:   "Seller posts about the incident, simulated from scenario " + s.sc.Name,
		LastBuildDate: s.wall(v.at).Format(time.RFC1123Z),
	}}
	for i := len(c.Posts) - 1; i >= 0 && len(doc.Channel.Items) < rssItems; i-- {
		p := c.Posts[i]
		n := c.Total - (len(c.Posts) - 1 - i) // ordinal among every complaint, from 1
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title:       p.Topic + ": " + firstWords(p.Text, titleWords),
			Description: p.Text,
			Author:      "seller@example.invalid (" + p.Seller + ")",
			GUID:        rssGUID{IsPermaLink: "false", ID: fmt.Sprintf("%s-complaint-%d", s.sc.Name, n)},
			PubDate:     s.wall(p.At).Format(time.RFC1123Z),
			Category:    p.Topic,
		})
	}
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(append(data, '\n'))
}

// firstWords is the first n words of text, with "…" when there are more.
func firstWords(text string, n int) string {
	words := strings.Fields(text)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.Join(words[:n], " ") + "…"
}

// serveEvents serves every event up to now as NDJSON in warroom's wire
// format, "time" being the scenario's wall-clock time; with ?since=RFC3339,
// only the events after that time. Events of kinds the wire format has no
// form for are left out.
func (s *Simulator) serveEvents(w http.ResponseWriter, r *http.Request) {
	var since time.Time
	if q := r.URL.Query().Get("since"); q != "" {
		t, err := time.Parse(time.RFC3339Nano, q)
		if err != nil {
			http.Error(w, fmt.Sprintf("since: expected an RFC 3339 time such as 2024-07-19T10:51:00Z, got %q", q),
				http.StatusBadRequest)
			return
		}
		since = t
	}
	// ?kind=hosts&kind=backlog keeps only those kinds, so that a console can
	// read warnings and complaints from the status pages and the RSS feed
	// instead and not get them twice.
	kinds := r.URL.Query()["kind"]
	v := s.view()
	// Encode with the event's wall time (which StampRealTime may move).
	origin := s.sc.Meta.Start
	w.Header().Set("Content-Type", "application/x-ndjson")
	bw := bufio.NewWriter(w)
	for _, e := range v.events {
		if len(kinds) > 0 && !slices.Contains(kinds, string(e.Body.Kind())) {
			continue
		}
		if !since.IsZero() && !s.wall(e.At).After(since) {
			continue
		}
		e.At = s.wall(e.At).Sub(origin)
		line, err := feed.EncodeEvent(e, feed.Clock{Origin: origin})
		if err != nil {
			continue
		}
		_, _ = bw.Write(line)
		_ = bw.WriteByte('\n')
	}
	_ = bw.Flush()
}
