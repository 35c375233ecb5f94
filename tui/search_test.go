package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

func TestMatcherSmartCase(t *testing.T) {
	type span struct{ at, n int }
	cases := []struct {
		query, text string
		want        []span // byte offsets and lengths in text
	}{
		{"ups", "UPS: Ups and ups", []span{{0, 3}, {5, 3}, {13, 3}}}, // lower case ignores case
		{"UPS", "UPS: Ups and ups", []span{{0, 3}}},                  // an upper-case letter matches case
		{"Ups", "UPS: Ups and ups", []span{{5, 3}}},
		{"fedex", "FedEx, FEDEX", []span{{0, 5}, {7, 5}}},
		{"ü", "Über über", []span{{0, 2}, {6, 2}}}, // two-byte runes fold too
		{"é", "CAFÉ", []span{{3, 2}}},
		{"aa", "aaaa", []span{{0, 2}, {2, 2}}}, // matches do not overlap
		{"x", "", nil},
		{"long query", "long", nil},
	}
	for _, c := range cases {
		m := newMatcher(c.query)
		var got []span
		for from := 0; ; {
			i, n := m.index(c.text, from)
			if i < 0 {
				break
			}
			got = append(got, span{i, n})
			from = i + n
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q in %q: %v, want %v", c.query, c.text, got, c.want)
		}
		if m.contains(c.text) != (len(c.want) > 0) {
			t.Errorf("%q in %q: contains %v", c.query, c.text, m.contains(c.text))
		}
	}
}

func TestMatcherMarks(t *testing.T) {
	hl, base := paint{pre: "<", post: ">"}, paint{pre: "(", post: ")"}
	cases := []struct{ query, text, want string }{
		{"ups", "UPS and ups", "<UPS>( and )<ups>"},
		{"ups", "no match here", "(no match here)"},
		{"", "nothing to find", "(nothing to find)"},
		{"a", "a", "<a>"},
	}
	for _, c := range cases {
		if got := newMatcher(c.query).paint(c.text, base, hl); got != c.want {
			t.Errorf("%q in %q: %q, want %q", c.query, c.text, got, c.want)
		}
	}
}

func TestHitNavigation(t *testing.T) {
	hits := []int{2, 5, 9}
	cases := []struct {
		item, dir   int
		want        int
		wantWrapped bool
	}{
		{0, 1, 2, false},
		{2, 1, 5, false},
		{5, 1, 9, false},
		{9, 1, 2, true}, // round the end to the first
		{9, -1, 5, false},
		{2, -1, 9, true}, // round the start to the last
		{6, -1, 5, false},
		{6, 1, 9, false},
	}
	for _, c := range cases {
		got, wrapped := hitAfter(hits, c.item, c.dir)
		if got != c.want || wrapped != c.wantWrapped {
			t.Errorf("hitAfter(%d, %d) = %d, %v; want %d, %v", c.item, c.dir, got, wrapped, c.want, c.wantWrapped)
		}
	}
	for item, want := range map[int]int{0: 2, 2: 2, 3: 5, 9: 9, 10: 9} {
		if got := hitNear(hits, item); got != want {
			t.Errorf("hitNear(%d) = %d, want %d", item, got, want)
		}
	}
	for item, want := range map[int]int{2: 1, 5: 2, 9: 3, 4: 0} {
		if got := hitPos(hits, item); got != want {
			t.Errorf("hitPos(%d) = %d, want %d", item, got, want)
		}
	}
	if got, _ := hitAfter(nil, 0, 1); got != -1 {
		t.Errorf("no hits: %d, want -1", got)
	}
	for _, c := range []struct {
		pos, n int
		want   string
	}{{3, 17, "/ups match 3/17"}, {0, 17, "/ups 17 matches"}, {0, 1, "/ups 1 match"}, {0, 0, "/ups no match"}} {
		if got := searchTag("ups", c.pos, c.n); got != c.want {
			t.Errorf("searchTag(%d, %d) = %q, want %q", c.pos, c.n, got, c.want)
		}
	}
}

// searchConsole is the real app driven message by message, for tests that look
// at the screen between keys.
type searchConsole struct {
	t *testing.T
	a *app
}

func newSearchConsole(t *testing.T, r *room.Room, w, h int) *searchConsole {
	t.Helper()
	a := New(r, Options{Responder: "ic"}).(*app)
	t.Cleanup(a.close)
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return &searchConsole{t: t, a: a}
}

// press sends keys as helpers_test.go's keys does: runes one by one, named
// keys in angle brackets.
func (c *searchConsole) press(ks ...string) {
	named := map[string]tea.KeyType{"<enter>": tea.KeyEnter, "<esc>": tea.KeyEsc, "<right>": tea.KeyRight,
		"<left>": tea.KeyLeft, "<backspace>": tea.KeyBackspace}
	for _, k := range ks {
		if kt, ok := named[k]; ok {
			c.a.Update(tea.KeyMsg{Type: kt})
			c.a.View() // as bubbletea draws after every message
			continue
		}
		for _, r := range k {
			c.a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			c.a.View()
		}
	}
}

// burst sends text as one message, as fast typing over SSH arrives.
func (c *searchConsole) burst(s string) {
	c.a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
	c.a.View()
}

func (c *searchConsole) screen() string { return c.a.View() }

// title is the top line of the pane whose title holds name.
func (c *searchConsole) title(name string) string {
	c.t.Helper()
	return paneLines(c.t, c.screen(), name)[0]
}

// timelineHits are the entries a player sees whose text holds q, any case:
// what the search should find, worked out apart from it.
func timelineHits(s room.Snapshot, q string) []model.Entry {
	var out []model.Entry
	tl := timelineOf(&s) // with the alert lines
	for i := range tl.Len() {
		if e := tl.At(i); !e.Facilitator && strings.Contains(strings.ToLower(clean(e.Text)), q) {
			out = append(out, e)
		}
	}
	return out
}

// TestSearchTimeline: / in the timeline finds the entries that mention
// the query, marks them, counts them in the title, and n and N go between
// them, round the end; esc ends the search and n steps the replay again.
func TestSearchTimeline(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	want := timelineHits(r.Snapshot(), "ups")
	if len(want) < 3 {
		t.Fatalf("fixture: %d timeline entries mention UPS by T+6h; the test needs 3 or more", len(want))
	}
	n := len(want)
	for _, typing := range []string{"key by key", "burst"} {
		t.Run(typing, func(t *testing.T) {
			c := newSearchConsole(t, newRoom(t, 6*time.Hour), 120, 40)
			c.press("6")
			if typing == "burst" {
				c.burst("/ups")
			} else {
				c.press("/", "u", "p", "s")
			}
			if c.a.mode != inputSearch || c.a.input.Value() != "ups" {
				t.Fatalf("the prompt should hold %q, has %q (mode %d)", "ups", c.a.input.Value(), c.a.mode)
			}
			// Typed at the end of the timeline, the search shows the
			// first match at or after the top of the view.
			title := c.title("6 Timeline")
			if !strings.Contains(title, "/ups match ") || !strings.Contains(title, fmt.Sprintf("/%d", n)) {
				t.Fatalf("title should count %d matches: %q", n, title)
			}
			if !strings.Contains(c.screen(), " in the timeline") {
				t.Errorf("the prompt should say where the search stands:\n%s", c.screen())
			}
			c.press("<enter>")
			// Every match on screen is marked: [ups] without colour, the
			// current one »ups«.
			pane := strings.Join(paneLines(t, c.screen(), "6 Timeline"), "\n")
			if strings.Count(pane, "»") != 1 {
				t.Errorf("one current match should be marked »…«:\n%s", pane)
			}
			if !strings.Contains(pane, "[UPS]") {
				t.Errorf("the other matches should be marked [UPS]:\n%s", pane)
			}

			// N to the first match, then n through all of them and round.
			for range n {
				c.press("N")
			}
			cur := c.a.timeline.at
			pos := hitPos(c.a.timeline.hits(&c.a.snap, false), cur)
			c.press("g") // nothing: g is for lists; the search stays where it is
			for i := 1; i <= n+1; i++ {
				c.press("n")
				wantPos := (pos+i-1)%n + 1
				if round := strings.Contains(c.screen(), "went round the end"); round != (wantPos == 1) {
					t.Errorf("n #%d to match %d/%d: the status says it went round the end: %v", i, wantPos, n, round)
				}
				if title := c.title("6 Timeline"); !strings.Contains(title, fmt.Sprintf("match %d/%d", wantPos, n)) {
					t.Fatalf("n #%d: want match %d/%d: %q", i, wantPos, n, title)
				}
				// The entry is on screen with its match marked, even when
				// the match lies past the width of the pane.
				e := timelineOf(&c.a.snap).At(c.a.timeline.at)
				text := clean(e.Text)
				at := strings.Index(strings.ToLower(text), "ups")
				pane := strings.Join(paneLines(t, c.screen(), "6 Timeline"), "\n")
				if !strings.Contains(pane, model.FormatOffset(e.At)+" ") || !strings.Contains(pane, "»"+text[at:at+3]+"«") {
					t.Fatalf("n #%d: the entry at %s should be on screen, its match marked:\n%s", i, model.FormatOffset(e.At), pane)
				}
			}

			// While searching, n does not step; → does.
			clock := c.a.snap.Clock
			c.press("n")
			if c.a.snap.Clock != clock {
				t.Fatalf("n stepped the replay while a search was on")
			}
			c.press("<right>")
			if c.a.snap.Clock <= clock {
				t.Fatalf("→ should step while a search is on")
			}
			// esc ends the search: no marks, and n steps again.
			c.press("<esc>")
			if s := c.screen(); strings.Contains(s, "/ups") || strings.Contains(s, "»") {
				t.Fatalf("esc should end the search:\n%s", s)
			}
			clock = c.a.snap.Clock
			c.press("n")
			if c.a.snap.Clock <= clock {
				t.Fatalf("after esc, n should step the replay")
			}
		})
	}
}

// TestSearchSmartCaseAndNoMatch: an upper-case letter makes the search
// match case; a query that finds nothing says "no match", in the title and
// the status line.
func TestSearchSmartCaseAndNoMatch(t *testing.T) {
	c := newSearchConsole(t, newRoom(t, 6*time.Hour), 120, 40)
	lower := len(timelineHits(c.a.snap, "fedex"))
	exact := 0
	for _, e := range timelineHits(c.a.snap, "fedex") {
		if strings.Contains(clean(e.Text), "FedEx") {
			exact++
		}
	}
	c.press("6", "/")
	c.burst("fedex")
	c.press("<enter>")
	if got := c.title("6 Timeline"); !strings.Contains(got, fmt.Sprintf("/%d", lower)) {
		t.Errorf("fedex should find %d entries: %q", lower, got)
	}
	c.press("/")
	c.burst("FEDEX")
	c.press("<enter>")
	caseHits := len(c.a.timeline.hits(&c.a.snap, false))
	if caseHits != 0 && exact == lower {
		t.Errorf("FEDEX should match case only: %d hits", caseHits)
	}
	c.press("/")
	c.burst("zzqx")
	c.press("<enter>")
	if got := c.title("6 Timeline"); !strings.Contains(got, "/zzqx no match") {
		t.Errorf("title should say no match: %q", got)
	}
	if !strings.Contains(c.screen(), "/zzqx no match in the timeline") {
		t.Errorf("status should say no match:\n%s", c.screen())
	}
	// esc in the prompt puts back what was there before it opened.
	c.press("/")
	c.burst("ups")
	c.press("<esc>")
	if got := c.title("6 Timeline"); !strings.Contains(got, "/zzqx no match") {
		t.Errorf("esc in the prompt should bring back the search before it: %q", got)
	}
}

// TestSearchRunbookSelects: a match in the runbook is the selection, so x
// ticks the step found.
func TestSearchRunbookSelects(t *testing.T) {
	c := newSearchConsole(t, newRoom(t, 6*time.Hour), 120, 40)
	steps := c.a.snap.State.Runbook
	// The first step whose title mentions BitLocker; not zoomed, the
	// details do not show and are not searched. (The fixture's step 1
	// mentions BitLocker in its detail only.)
	want := slices.IndexFunc(steps, func(s model.Step) bool { return strings.Contains(s.Title, "BitLocker") })
	inDetail := slices.IndexFunc(steps, func(s model.Step) bool { return strings.Contains(s.Detail, "BitLocker") })
	if want < 0 || inDetail < 0 || inDetail >= want {
		t.Fatalf("fixture: want a step with BitLocker in its detail (%d) before one with it in its title (%d)", inDetail, want)
	}
	c.press("5", "/")
	c.burst("bitlocker")
	c.press("<enter>")
	if c.a.runbook.sel != want {
		t.Fatalf("the search should select step %d, selected %d", want+1, c.a.runbook.sel+1)
	}
	pane := strings.Join(paneLines(t, c.screen(), "5 Runbook"), "\n")
	if !strings.Contains(pane, "»BitLocker«") {
		t.Fatalf("the selected step should show its match:\n%s", pane)
	}
	// Zoomed, every step's detail shows and is searched too: the detail's
	// match comes first, marked where it is.
	c.press("z", "g")
	if c.a.runbook.sel != inDetail || !strings.Contains(c.title("5 Runbook"), "/bitlocker match 1/") {
		t.Fatalf("zoomed, the first step should be the first match: %q", c.title("5 Runbook"))
	}
	pane = strings.Join(paneLines(t, c.screen(), "5 Runbook"), "\n")
	if !strings.Contains(pane, "[BitLocker]") {
		t.Fatalf("zoomed, the details' matches should be marked:\n%s", pane)
	}
	c.press("<esc>", "g", "n") // unzoomed again, from the top: the title's match
	if c.a.runbook.sel != want {
		t.Fatalf("unzoomed, n from the top should select step %d, selected %d", want+1, c.a.runbook.sel+1)
	}
	before := c.a.snap.State.Runbook[want].State
	c.press("x")
	if got := c.a.snap.State.Runbook[want].State; got != nextStepState(before) {
		t.Errorf("x should tick the step found: %s, want %s", got, nextStepState(before))
	}
}

// TestSearchCarriersSelects: a match in the carrier warnings is the
// selection, so a acknowledges the warning found.
func TestSearchCarriersSelects(t *testing.T) {
	c := newSearchConsole(t, newRoom(t, 6*time.Hour), 120, 40)
	c.press("3", "/")
	c.burst("air")
	c.press("<enter>")
	w, ok := c.a.carriers.selected(&c.a.snap)
	if !ok || !strings.Contains(strings.ToLower(w.CarrierName+w.Headline), "air") {
		t.Fatalf("the search should select the air-cargo warning, selected %+v", w)
	}
	if title := c.title("3 Carrier warnings"); !strings.Contains(title, "/air match 1/1") {
		t.Errorf("title: %q", title)
	}
	c.press("a")
	if w, _ := c.a.snap.State.Warning(w.ID); !w.Acked {
		t.Errorf("a should acknowledge the warning found")
	}
}

// TestSearchCarriersResolved: a resolved warning shows "resolved" where its
// severity was, and the search finds what the pane shows: at T+48h UPS is
// resolved, FedEx and the air-cargo forwarder are still MAJOR.
func TestSearchCarriersResolved(t *testing.T) {
	c := newSearchConsole(t, newRoom(t, 48*time.Hour), 120, 40)
	c.press("3", "/")
	c.burst("resolved")
	c.press("<enter>")
	if w, ok := c.a.carriers.selected(&c.a.snap); !ok || !w.Resolved || w.CarrierName != "UPS" {
		t.Errorf("/resolved should select the resolved UPS warning, selected %+v", w)
	}
	if title := c.title("3 Carrier warnings"); !strings.Contains(title, "/resolved match 1/1") {
		t.Errorf("title: %q", title)
	}
	c.press("<esc>", "/")
	c.burst("major")
	c.press("<enter>")
	if title := c.title("3 Carrier warnings"); !strings.Contains(title, "/major match 1/2") && !strings.Contains(title, "/major match 2/2") {
		t.Errorf("/major should count the two warnings still MAJOR, not the resolved one: %q", title)
	}
}

// TestSearchPostsIsTheFilter: in the seller posts / is their filter; n and
// N go from post to post and the title counts them.
func TestSearchPostsIsTheFilter(t *testing.T) {
	c := newSearchConsole(t, newRoom(t, 48*time.Hour), 120, 40)
	c.press("4", "/")
	c.burst("label")
	c.press("<enter>")
	n := c.a.complaints.count(&c.a.snap)
	if n < 2 {
		t.Fatalf("fixture: %d posts mention labels, want 2 or more", n)
	}
	if got := c.title("4 Seller complaints"); !strings.Contains(got, fmt.Sprintf("/label match 1/%d", n)) {
		t.Fatalf("title: %q", got)
	}
	c.press("n")
	if got := c.title("4 Seller complaints"); !strings.Contains(got, fmt.Sprintf("/label match 2/%d", n)) {
		t.Fatalf("after n: %q", got)
	}
	c.press("N")
	if got := c.title("4 Seller complaints"); !strings.Contains(got, fmt.Sprintf("/label match 1/%d", n)) {
		t.Fatalf("after N: %q", got)
	}
	c.press("N") // round the start to the oldest
	if got := c.title("4 Seller complaints"); !strings.Contains(got, fmt.Sprintf("/label match %d/%d", n, n)) ||
		!strings.Contains(c.screen(), "went round the end") {
		t.Fatalf("N from the first should go round to the last, and say so: %q", got)
	}
}

// TestNWithoutSearch: N means nothing without a search, and says so; n
// steps.
func TestNWithoutSearch(t *testing.T) {
	c := newSearchConsole(t, newRoom(t, 6*time.Hour), 120, 40)
	c.press("6", "N")
	if !strings.Contains(c.screen(), "N goes to the previous match") {
		t.Errorf("N without a search should say what it is for:\n%s", c.screen())
	}
}

// TestSearchBurstInRawInput: "/ups" typed fast arrives as one read of raw
// bytes, which bubbletea turns into one message of several runes: it lands
// in the search prompt whole.
func TestSearchBurstInRawInput(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	tm := start(t, r, 120, 40)
	keys(tm, "6")
	typeText(tm, "/ups")
	keys(tm, "<enter>")
	screen := finish(t, tm)
	if got := paneLines(t, screen, "6 Timeline")[0]; !strings.Contains(got, "/ups match") {
		t.Fatalf("the burst should have searched for ups: %q", got)
	}
}

// TestGoldenSearch: a search with its matches marked, in the timeline and
// in the runbook, at both sizes.
func TestGoldenSearch(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, pane := range []struct {
			name, focus, query string
		}{{"timeline", "6", "ups"}, {"runbook", "5", "reboot"}} {
			t.Run(fmt.Sprintf("%s_%dx%d", pane.name, size[0], size[1]), func(t *testing.T) {
				tm := start(t, newRoom(t, 6*time.Hour), size[0], size[1])
				keys(tm, pane.focus, "/")
				typeText(tm, pane.query)
				keys(tm, "<enter>", "n")
				screen := finish(t, tm)
				checkFrame(t, screen, size[0], size[1])
				if !strings.Contains(screen, "»") || !strings.Contains(screen, "/"+pane.query+" match ") {
					t.Errorf("the search should show, marked:\n%s", screen)
				}
				teatest.RequireEqualOutput(t, []byte(screen))
			})
		}
	}
}

// TestTimelineHitsFollowTheReplay: the timeline's matches, found again only
// for the entries that arrived, are always those a scan of every entry
// finds, forward, back, and across a history cut to its newer half.
func TestTimelineHitsFollowTheReplay(t *testing.T) {
	r := newRoom(t, 0)
	c := newSearchConsole(t, r, 120, 40)
	c.press("6", "/")
	c.burst("e")
	c.press("<enter>")
	full := func() []int {
		var out []int
		m := newMatcher("e")
		tl := timelineOf(&c.a.snap)
		for i := range tl.Len() {
			if e := tl.At(i); !e.Facilitator && m.contains(clean(e.Text)) {
				out = append(out, i)
			}
		}
		return out
	}
	moves := []string{"n", "n", "n", "<right>", "<right>", "<left>", "<right>"}
	for range 40 {
		moves = append(moves, "<right>")
	}
	for i := range 10 {
		moves = append(moves, "<left>")
		if i%3 == 0 {
			moves = append(moves, "<right>")
		}
	}
	for i, k := range moves {
		c.press(k)
		got := c.a.timeline.hits(&c.a.snap, false)
		if want := full(); !slices.Equal(got, want) {
			t.Fatalf("after move %d (%s), at %s: hits %v, want %v", i, k, model.FormatOffset(c.a.snap.Clock), got, want)
		}
	}
	// A history past its cap keeps its newer half: the first entry changes
	// and the matches are found again from the start.
	p := &timelinePane{at: -1, top: -1}
	p.search.set("x")
	mk := func(texts ...string) *room.Snapshot {
		s := &room.Snapshot{}
		for _, tx := range texts {
			s.State.Timeline = append(s.State.Timeline, model.Entry{Text: tx})
		}
		s.State.Rev.Timeline = len(texts)
		return s
	}
	if got := p.hits(mk("x1", "a", "x2", "b"), false); !slices.Equal(got, []int{0, 2}) {
		t.Fatalf("hits %v, want [0 2]", got)
	}
	if got := p.hits(mk("x2", "b", "x3", "c", "x4"), false); !slices.Equal(got, []int{0, 2, 4}) {
		t.Fatalf("after the cut: hits %v, want [0 2 4]", got)
	}
}

// TestSearchRawBurst: "5/bitlocker" typed fast arrives as one read of raw
// bytes; bubbletea's parser makes it one message of several runes: 5
// focuses the runbook and the rest lands in its search whole, so enter and
// x tick the step found (the room's state shows it).
func TestSearchRawBurst(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	steps := r.Snapshot().State.Runbook
	want := slices.IndexFunc(steps, func(s model.Step) bool { return strings.Contains(s.Title, "BitLocker") })
	if want < 0 || steps[want].State == model.StepDone {
		t.Fatalf("fixture: want an open step with BitLocker in its title (%d)", want)
	}
	c := startRaw(t, r, Options{})
	c.write(t, "5/bitlocker")
	time.Sleep(50 * time.Millisecond) // enter on its own, as a person presses it
	c.write(t, "\r")
	time.Sleep(50 * time.Millisecond)
	c.write(t, "x")
	deadline := time.Now().Add(5 * time.Second)
	for r.Snapshot().State.Runbook[want].State != model.StepDone {
		if time.Now().After(deadline) {
			t.Fatalf("step %d was not ticked: the burst did not search the runbook", want+1)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
