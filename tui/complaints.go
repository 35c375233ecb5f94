package tui

import (
	"slices"
	"sort"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// complaintsPane shows seller complaints per topic with a trend (twelve
// hours, or the span of a shorter incident), then
// the latest posts, newest first, optionally filtered by a substring.
// The filter is the pane's search (smart-case, as / elsewhere): the posts
// listed are its matches, marked, and the first listed is the current one.
type complaintsPane struct {
	filter string
	top    int // posts scrolled past, newest first

	// matches holds the indices of posts that match the filter, oldest
	// first. Posts are append-only within an epoch, so a new post is
	// matched on its own instead of re-scanning 20k.
	mFilter  string
	mEpoch   int
	mScanned int
	mOK      bool
	matches  []int

	names map[string]string // topic id → display name

	memo memo[complaintsKey]
}

type complaintsKey struct {
	rev, epoch      int
	minute          int64 // the last hour's rate and the sparkline's hours
	w, h, top       int
	focused, zoomed bool
	filter          string
	alert           string // the failing sources, as text
}

// match brings the filtered list up to date and returns it.
func (p *complaintsPane) match(s *room.Snapshot) []int {
	posts := s.State.Complaints.Posts
	if !p.mOK || p.mFilter != p.filter || p.mEpoch != s.State.Epoch || len(posts) < p.mScanned {
		p.mOK, p.mFilter, p.mEpoch, p.mScanned = true, p.filter, s.State.Epoch, 0
		p.matches = p.matches[:0]
	}
	if p.filter != "" {
		m := newMatcher(p.filter)
		names := p.topicNames(s)
		for i := p.mScanned; i < len(posts); i++ {
			c := &posts[i]
			if m.contains(clean(c.Seller)) || m.contains(clean(c.Topic)) || m.contains(names[c.Topic]) ||
				m.contains(clean(c.Text)) {
				p.matches = append(p.matches, i)
			}
		}
	}
	p.mScanned = len(posts)
	return p.matches
}

// topicNames maps topic ids to their display names. Topics are only ever
// added, each with its name, so the map is rebuilt only when one was.
func (p *complaintsPane) topicNames(s *room.Snapshot) map[string]string {
	ts := s.State.Complaints.Topics
	if p.names == nil || len(p.names) != len(ts) {
		p.names = make(map[string]string, len(ts))
		for _, t := range ts {
			p.names[t.ID] = topicName(t)
		}
	}
	return p.names
}

// topicOf is a post's topic as the list shows it: its name.
func (p *complaintsPane) topicOf(s *room.Snapshot, id string) string {
	if n, ok := p.topicNames(s)[id]; ok {
		return n
	}
	return clean(id)
}

// count is how many posts the pane lists.
func (p *complaintsPane) count(s *room.Snapshot) int {
	if p.filter == "" {
		return len(s.State.Complaints.Posts)
	}
	return len(p.match(s))
}

// post returns the i-th listed post, newest first.
func (p *complaintsPane) post(s *room.Snapshot, i int) *model.Complaint {
	posts := s.State.Complaints.Posts
	if p.filter == "" {
		return &posts[len(posts)-1-i]
	}
	m := p.match(s)
	return &posts[m[len(m)-1-i]]
}

func (p *complaintsPane) scroll(s *room.Snapshot, d int) {
	p.top = min(max(p.top+d, 0), max(p.count(s)-1, 0))
}

func (p *complaintsPane) setFilter(f string) {
	p.filter, p.top = f, 0
}

func (p *complaintsPane) view(f frame) []string {
	s := f.snap
	k := complaintsKey{s.State.Rev.Complaints, s.State.Epoch, minute(s.Clock), f.w, f.h, p.top, f.focused, f.zoomed, p.filter, f.alert.key}
	return p.memo.get(k, func() []string { return p.render(f) })
}

// lastHour counts posts in the hour before the clock.
func lastHour(posts []model.Complaint, clock time.Duration) int {
	from := sort.Search(len(posts), func(i int) bool { return posts[i].At > clock-time.Hour })
	to := sort.Search(len(posts), func(i int) bool { return posts[i].At > clock })
	return max(to-from, 0)
}

func (p *complaintsPane) render(f frame) []string {
	st, s := f.st, f.snap
	cw, ch := f.inner()
	c := &s.State.Complaints
	extra := itoa(c.Total) + " · +" + itoa(lastHour(c.Posts, s.Clock)) + "/h"
	n := p.count(s)
	if p.filter != "" {
		extra = withTag(searchTag(p.filter, min(p.top, max(n-1, 0))+1, n), extra)
	}

	// Topics, most complained about first; a third of the pane at most
	// unless zoomed (half). When not all fit, the last of those lines says
	// how many more there are.
	topics := slices.Clone(c.Topics)
	slices.SortStableFunc(topics, func(a, b model.TopicStat) int { return b.Count - a.Count })
	maxTopics := max(ch/3, 1)
	if f.zoomed {
		maxTopics = max(ch/2, 1)
	}
	// The line under the topics says how many more there are and the
	// trend's scale; a pane too short for it shows the count in the
	// topics' last line.
	hidden := 0
	sepLine := len(topics) > 0 && ch-min(len(topics), maxTopics) > 2
	if len(topics) > maxTopics {
		shown := maxTopics
		if !sepLine {
			shown--
		}
		hidden = len(topics) - shown
		topics = topics[:shown]
	}
	body := make([]string, 0, ch)
	nameW, cntW := 4, 1
	for _, t := range topics {
		nameW = max(nameW, width(topicName(t)))
		cntW = max(cntW, len(itoa(t.Count)))
	}
	nameW = min(nameW, max(cw-cntW-14, 8))
	// One scale for every trend shown, so that topics compare: the
	// busiest bucket of any of them is a full bar.
	tw := newTrendWindow(s)
	buckets := tw.buckets(s, topics)
	last := int(s.Clock / tw.bucket)
	var scale int32
	for _, b := range buckets {
		scale = max(scale, sparkMax(b, last, tw.n))
	}
	for i, t := range topics {
		line := fit(topicName(t), nameW) + " " + padLeft(itoa(t.Count), cntW) + " " +
			st.Spark.on(sparkline(buckets[i], last, tw.n, scale))
		body = append(body, line)
	}
	more := ""
	if hidden > 0 {
		more = "+" + plural(hidden, "more topic")
		if len(topics) == 0 {
			more = plural(hidden, "topic")
		}
		if !f.zoomed {
			more += " (z)"
		}
	}
	switch {
	case sepLine:
		body = append(body, st.Dim.on(topicsRule(more, hidden, scale, tw, f.zoomed, cw)))
	case more != "":
		body = append(body, st.Dim.on(trunc(more, cw)))
	}

	// Posts, newest first, from the scrolled position: only what fits.
	if n == 0 {
		msg := "no posts yet"
		if p.filter != "" {
			msg = "no posts match /" + clean(p.filter)
		}
		body = append(body, st.Dim.on(msg))
	}
	top := min(p.top, max(n-1, 0))
	m := newMatcher(p.filter) // the filter's matches are marked
	for i := top; i < n && len(body) < ch; i++ {
		c := p.post(s, i)
		how := markEvery
		if i == top {
			how = markCurrent
		}
		head := model.FormatOffset(c.At) + " "
		who := clean(c.Seller)
		topic := p.topicOf(s, c.Topic)
		text := clean(c.Text)
		if !f.zoomed {
			// Narrow, names shorten and then the topic goes: the text
			// says more.
			whoW, topicW := 16, 18
			switch {
			case cw < 50:
				whoW, topicW = 12, 0
			case cw < 90:
				whoW, topicW = 14, 12
			}
			line := st.Dim.on(head) + trunc(m.mark(st, who, st.Bold, how), whoW) + " "
			if topicW > 0 {
				line += trunc(m.mark(st, topic, st.Info, how), topicW) + " "
			}
			line += m.mark(st, text, paint{}, how)
			body = append(body, line)
			continue
		}
		body = append(body, st.Dim.on(head)+m.mark(st, who, st.Bold, how)+" · "+m.mark(st, topic, st.Info, how))
		for _, l := range wrap(text, cw-2) {
			if len(body) >= ch {
				break
			}
			body = append(body, "  "+m.mark(st, l, paint{}, how))
		}
	}
	return st.box(boxSpec{
		digit: int(paneComplaints), name: "Seller complaints", extra: extra, focused: f.focused,
		corner: postsCorner(top, n), alert: f.alert,
	}, body, f.w, f.h)
}

// topicsRule is the line under the topics: how many more there are and
// the trends' shared scale, in the longest form that fits w cells:
// "┄ +3 more topics (z) · 12h trend, one scale: █ = 7 posts/h ┄┄".
func topicsRule(more string, hidden int, scale int32, tw trendWindow, zoomed bool, w int) string {
	short := ""
	if hidden > 0 {
		short = "+" + itoa(hidden) + " more"
		if !zoomed {
			short += " (z)"
		}
	}
	span, per := fmtSpan(time.Duration(tw.n)*tw.bucket), "/"+fmtSpan(tw.bucket)
	if tw.bucket == time.Hour {
		per = "/h"
	}
	trend := [3]string{span + " trend: no posts", span + ": no posts", "no posts"}
	if scale > 0 {
		trend = [3]string{
			span + " trend, one scale: █ = " + plural(int(scale), "post") + per,
			span + ", one scale: █ = " + itoa(int(scale)) + per,
			"█ = " + itoa(int(scale)) + per,
		}
	}
	join := func(a, b string) string {
		if a == "" {
			return "┄ " + b + " "
		}
		return "┄ " + a + " · " + b + " "
	}
	cands := []string{join(more, trend[0]), join(more, trend[1]), join(short, trend[1]), join(short, trend[2])}
	for _, c := range cands {
		if width(c) <= w {
			return c + repeat("┄", w-width(c))
		}
	}
	return trunc(cands[len(cands)-1], w)
}

func postsCorner(top, n int) string {
	if top == 0 {
		return ""
	}
	return "↓" + itoa(top) + " newer"
}

func topicName(t model.TopicStat) string {
	if t.Name != "" {
		return clean(t.Name)
	}
	return clean(t.ID)
}

// sparkRunes are the bars of a sparkline, lowest first; zero is ▁ too, so a
// quiet hour still shows as an hour.
const sparkRunes = "▁▂▃▄▅▆▇█"

// sparkBars is how many buckets a topic's trend shows at most.
const sparkBars = 12

// trendWindow is the buckets a topic's trend shows: twelve hours by the
// hour for an incident that long, and for a shorter one (a 30-minute drill)
// buckets that make its span fill the trend: 5 minutes for 30 minutes.
type trendWindow struct {
	bucket time.Duration
	n      int
}

// trendBuckets are the bucket sizes a trend uses, the longest last.
var trendBuckets = [...]time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute,
	10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour}

func newTrendWindow(s *room.Snapshot) trendWindow {
	span := max(s.End, s.Clock)
	for _, b := range trendBuckets {
		if time.Duration(sparkBars)*b >= span {
			return trendWindow{bucket: b, n: min(sparkBars, max(int((span+b-1)/b), 1))}
		}
	}
	return trendWindow{bucket: time.Hour, n: sparkBars}
}

// buckets counts each topic's posts per bucket since T+0, up to the clock:
// by the hour from the topics' exact hourly counts, in shorter buckets from
// the posts kept (a short incident has few; past the cap on posts kept, the
// oldest buckets of a short window would count low).
func (tw trendWindow) buckets(s *room.Snapshot, topics []model.TopicStat) [][]int32 {
	out := make([][]int32, len(topics))
	if tw.bucket == time.Hour {
		for i, t := range topics {
			out[i] = t.Hourly
		}
		return out
	}
	index := make(map[string]int, len(topics))
	for i, t := range topics {
		index[t.ID] = i
	}
	last := int(s.Clock / tw.bucket)
	posts := s.State.Complaints.Posts
	from := sort.Search(len(posts), func(i int) bool { return posts[i].At >= time.Duration(last-tw.n+1)*tw.bucket })
	for _, c := range posts[from:] {
		b := int(c.At / tw.bucket)
		i, ok := index[c.Topic]
		if !ok || c.At > s.Clock || b < 0 {
			continue
		}
		if out[i] == nil {
			out[i] = make([]int32, last+1)
		}
		out[i][b]++
	}
	return out
}

// sparkMax is the busiest of the n hours up to and including hour.
func sparkMax(hourly []int32, hour, n int) int32 {
	var top int32
	for h := max(hour-n+1, 0); h <= hour && h < len(hourly); h++ {
		top = max(top, hourly[h])
	}
	return top
}

// sparkline draws the n hours up to and including hour on a scale whose
// full bar is top (values above it are full bars too).
func sparkline(hourly []int32, hour, n int, top int32) string {
	vals := make([]int32, n)
	for i := range n {
		h := hour - n + 1 + i
		if h >= 0 && h < len(hourly) {
			vals[i] = min(hourly[h], top)
		}
	}
	sparkLevels := []rune(sparkRunes)
	out := make([]rune, n)
	for i, v := range vals {
		lvl := 0
		switch {
		case v <= 0:
		case top == 1:
			lvl = len(sparkLevels) - 1
		default: // 1..top onto levels 1..7, rounded
			span := 2 * int(top-1)
			lvl = 1 + (int(v-1)*(len(sparkLevels)-2)*2+span/2)/span
		}
		out[i] = sparkLevels[min(lvl, len(sparkLevels)-1)]
	}
	return string(out)
}
