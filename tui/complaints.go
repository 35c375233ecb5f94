package tui

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// complaintsPane shows seller complaints per topic with a 12-hour trend, then
// the latest posts, newest first, optionally filtered by a substring.
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

	memo memo[complaintsKey]
}

type complaintsKey struct {
	rev, epoch      int
	minute          int64 // the last hour's rate and the sparkline's hours
	w, h, top       int
	focused, zoomed bool
	filter          string
}

// match brings the filtered list up to date and returns it.
func (p *complaintsPane) match(s *room.Snapshot) []int {
	posts := s.State.Complaints.Posts
	if !p.mOK || p.mFilter != p.filter || p.mEpoch != s.State.Epoch || len(posts) < p.mScanned {
		p.mOK, p.mFilter, p.mEpoch, p.mScanned = true, p.filter, s.State.Epoch, 0
		p.matches = p.matches[:0]
	}
	if p.filter != "" {
		f := strings.ToLower(p.filter)
		for i := p.mScanned; i < len(posts); i++ {
			c := &posts[i]
			if containsFold(c.Seller, f) || containsFold(c.Topic, f) || containsFold(c.Text, f) {
				p.matches = append(p.matches, i)
			}
		}
	}
	p.mScanned = len(posts)
	return p.matches
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
	k := complaintsKey{s.State.Rev.Complaints, s.State.Epoch, minute(s.Clock), f.w, f.h, p.top, f.focused, f.zoomed, p.filter}
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
		extra += " · /" + clean(p.filter) + " " + itoa(n) + " match"
	}

	// Topics, most complained about first; a third of the pane at most
	// unless zoomed.
	topics := slices.Clone(c.Topics)
	slices.SortStableFunc(topics, func(a, b model.TopicStat) int { return b.Count - a.Count })
	maxTopics := max(ch/3, 1)
	if f.zoomed {
		maxTopics = ch / 2
	}
	topics = topics[:min(len(topics), maxTopics)]
	body := make([]string, 0, ch)
	nameW, cntW := 4, 1
	for _, t := range topics {
		nameW = max(nameW, width(topicName(t)))
		cntW = max(cntW, len(itoa(t.Count)))
	}
	nameW = min(nameW, max(cw-cntW-14, 8))
	hour := int(s.Clock / time.Hour)
	for _, t := range topics {
		line := fit(topicName(t), nameW) + " " + padLeft(itoa(t.Count), cntW) + " " +
			st.Spark.on(sparkline(t.Hourly, hour, 12))
		body = append(body, line)
	}
	if len(topics) > 0 && ch-len(body) > 2 {
		body = append(body, st.Dim.on(repeat("┄", cw)))
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
	for i := top; i < n && len(body) < ch; i++ {
		c := p.post(s, i)
		head := model.FormatOffset(c.At) + " "
		who := clean(c.Seller)
		topic := clean(c.Topic)
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
			line := st.Dim.on(head) + st.Bold.on(trunc(who, whoW)) + " "
			if topicW > 0 {
				line += st.Info.on(trunc(topic, topicW)) + " "
			}
			line += text
			body = append(body, line)
			continue
		}
		body = append(body, st.Dim.on(head)+st.Bold.on(who)+" · "+st.Info.on(topic))
		for _, l := range wrap(text, cw-2) {
			if len(body) >= ch {
				break
			}
			body = append(body, "  "+l)
		}
	}
	return st.box(boxSpec{
		digit: int(paneComplaints), name: "Seller complaints", extra: extra, focused: f.focused,
		corner: postsCorner(top, n),
	}, body, f.w, f.h)
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

// sparkline draws the n hours up to and including hour, scaled to their max.
func sparkline(hourly []int32, hour, n int) string {
	vals := make([]int32, n)
	var top int32
	for i := range n {
		h := hour - n + 1 + i
		if h >= 0 && h < len(hourly) {
			vals[i] = hourly[h]
			top = max(top, vals[i])
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

// containsFold reports whether s contains lower (already lower-case),
// ignoring case, without allocating for ASCII text.
func containsFold(s, lower string) bool {
	if lower == "" {
		return true
	}
	n := len(lower)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], lower) {
			return true
		}
	}
	return false
}
