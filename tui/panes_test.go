package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// view runs msgs through a fresh app on the room at w×h and returns the
// frame.
func view(t *testing.T, a *app, w, h int, msgs ...tea.Msg) string {
	t.Helper()
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	for _, m := range msgs {
		a.Update(m)
	}
	v := a.View()
	checkFrame(t, v, w, h)
	return v
}

// TestComplaintTopicsNotHidden: topics that do not fit are counted, the
// posts name their topic, and the trends share one scale.
func TestComplaintTopicsNotHidden(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	s := r.Snapshot()
	topics := s.State.Complaints.Topics
	screen := view(t, New(r, Options{Responder: "ic"}).(*app), 120, 40)
	pane := paneLines(t, screen, "4 Seller complaints")
	shown := 0
	for _, tp := range topics {
		if strings.Contains(strings.Join(pane, "\n"), "│ "+tp.Name+" ") {
			shown++
		}
	}
	more := regexp.MustCompile(`\+(\d+) more topics \(z\)`).FindStringSubmatch(strings.Join(pane, "\n"))
	if more == nil || shown == 0 || itoa(len(topics)-shown) != more[1] {
		t.Fatalf("%d topics, %d shown: want \"+%d more topics (z)\":\n%s", len(topics), shown, len(topics)-shown, strings.Join(pane, "\n"))
	}
	// Posts show the topic's name, not its id.
	for _, l := range pane {
		for _, tp := range topics {
			if tp.ID != tp.Name && strings.Contains(l, tp.ID) {
				t.Errorf("post shows the topic id %q instead of %q: %s", tp.ID, tp.Name, l)
			}
		}
	}
	if !strings.Contains(strings.Join(pane, "\n"), "labels fail") {
		t.Errorf("posts should show topic names like \"labels failing\":\n%s", strings.Join(pane, "\n"))
	}

	// Zoomed, every topic fits.
	screen = view(t, New(r, Options{Responder: "ic"}).(*app), 120, 40, keyMsgs("4", "z")...)
	if strings.Contains(screen, "more topics") {
		t.Errorf("zoomed, all %d topics should fit:\n%s", len(topics), screen)
	}
}

func TestSparklineSharedScale(t *testing.T) {
	// Topic a peaks at 10 posts an hour, b at 2: b's bars stay low.
	a := []int32{0, 5, 10}
	b := []int32{2, 2, 1}
	scale := max(sparkMax(a, 2, 3), sparkMax(b, 2, 3))
	if scale != 10 {
		t.Fatalf("scale %d, want 10", scale)
	}
	if got := sparkline(a, 2, 3, scale); got != "▁▅█" {
		t.Errorf("a: %q", got)
	}
	if got := sparkline(b, 2, 3, scale); got != "▃▃▂" {
		t.Errorf("b on the shared scale: %q, want low bars", got)
	}
	hourly := trendWindow{bucket: time.Hour, n: 12}
	if got := topicsRule("+3 more topics (z)", 3, 7, hourly, false, 70); !strings.Contains(got, "+3 more topics (z) · 12h trend, one scale: █ = 7 posts/h") {
		t.Errorf("rule: %q", got)
	}
	if got := topicsRule("", 0, 7, hourly, false, 30); width(got) != 30 || !strings.Contains(got, "█ = 7/h") {
		t.Errorf("narrow rule: %q", got)
	}
}

// TestRunbookScrolls: the runbook says when steps are hidden, and j
// reaches the last one, at both sizes.
func TestRunbookScrolls(t *testing.T) {
	r := newRoom(t, 48*time.Hour)
	n := len(r.Snapshot().State.Runbook)
	last := r.Snapshot().State.Runbook[n-1].Title
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		w, h := size[0], size[1]
		screen := view(t, New(r, Options{Responder: "ic"}).(*app), w, h, keyMsgs("5")...)
		pane := paneLines(t, screen, "5 Runbook")
		corner := regexp.MustCompile(`1-(\d+)/` + itoa(n) + ` ─╯`).FindStringSubmatch(pane[len(pane)-1])
		if corner == nil {
			t.Fatalf("%dx%d: runbook should say 1-N/%d in its corner:\n%s", w, h, n, strings.Join(pane, "\n"))
		}
		var js []tea.Msg
		for range n {
			js = append(js, keyMsgs("j")...)
		}
		screen = view(t, New(r, Options{Responder: "ic"}).(*app), w, h, append(keyMsgs("5"), js...)...)
		pane = paneLines(t, screen, "5 Runbook")
		body := strings.Join(pane, "\n")
		if !strings.Contains(body, "› ") || !strings.Contains(body, itoa(n)+" "+last[:10]) ||
			!strings.Contains(pane[len(pane)-1], "/"+itoa(n)+" ─╯") || strings.Contains(pane[len(pane)-1], "1-") {
			t.Errorf("%dx%d: j should reach step %d and scroll:\n%s", w, h, n, body)
		}
	}
}

// TestHelpFitsAt80x24: no help column is cut; what does not fit scrolls.
func TestHelpFitsAt80x24(t *testing.T) {
	for _, role := range []Role{RolePlayer, RoleFacilitator} {
		a := New(newRoom(t, 6*time.Hour), Options{Responder: "ic", Role: role}).(*app)
		top := view(t, a, 80, 24, keyMsgs("?")...)
		var seen []string
		for range 40 { // enough j to reach the end of the longest help (a facilitator's)
			seen = append(seen, paneLines(t, a.View(), "Help")...)
			a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
		}
		all := strings.Join(seen, "\n")
		for _, l := range seen {
			if strings.Contains(l, "…") {
				t.Errorf("%s: help line cut: %q", role, l)
			}
		}
		for _, want := range []string{"space play", "back to live", "pgdn   page down", "a     ack warning", ":     command",
			"I show inject", ":sources", "(blank) pending", "esc or ? closes this help"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: scrolling the help should show %q:\n%s", role, want, all)
			}
		}
		if !strings.Contains(top, "top · j/k scroll") {
			t.Errorf("%s: the help should say it scrolls:\n%s", role, top)
		}
	}
}

// TestCommandLineWithoutColour: with NO_COLOR (the tests' profile) the
// command line still shows where the cursor is, and its placeholder reads
// as an example, not as typed text.
func TestCommandLineWithoutColour(t *testing.T) {
	a := New(newRoom(t, 6*time.Hour), Options{Responder: "ic"}).(*app)
	screen := view(t, a, 120, 40, keyMsgs(":")...)
	if line := lastLine(screen, 2); !strings.HasPrefix(line, " :▏ e.g. note TEXT") {
		t.Errorf("empty command line: %q", line)
	}
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("note abc")})
	a.Update(tea.KeyMsg{Type: tea.KeyLeft})
	if line := lastLine(a.View(), 2); !strings.HasPrefix(line, " :note ab▏c ") || strings.Contains(line, "e.g.") {
		t.Errorf("typed command line: %q", line)
	}
	// A long line keeps the cursor in view.
	a.Update(tea.KeyMsg{Type: tea.KeyEnd})
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("x", 200) + "END")})
	if line := lastLine(a.View(), 2); !strings.Contains(line, "xEND▏") || width(line) > 120 {
		t.Errorf("long command line: %q", line)
	}
}

// TestCarriersStartOnUnacked: the selection starts on the first warning
// that needs an acknowledgement, not on the first row.
func TestCarriersStartOnUnacked(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	// Both MAJOR warnings acked: they stay first, the MINOR one is the
	// first that needs an acknowledgement.
	r.Act("ic", model.Acknowledgement{Warning: "ups-1", By: "ic"}, "")
	if w, _ := r.Snapshot().State.Warning("fedex-1"); !w.Acked {
		t.Fatal("fixture: FedEx should be acked at T+6h")
	}
	screen := view(t, New(r, Options{Responder: "ic"}).(*app), 120, 40, keyMsgs("3")...)
	pane := paneLines(t, screen, "3 Carrier warnings")
	if !strings.Contains(pane[1], "updated") {
		t.Errorf("the first row should name the columns, the age column 'updated':\n%s", strings.Join(pane, "\n"))
	}
	if !strings.Contains(pane[2], " ✓ ") || strings.Contains(pane[2], "›") {
		t.Fatalf("fixture: want an acked warning first:\n%s", strings.Join(pane, "\n"))
	}
	var sel string
	for _, l := range pane {
		if strings.Contains(l, "›") {
			sel = l
			break
		}
	}
	if !strings.Contains(sel, "›!") {
		t.Errorf("selection should start on the first unacked warning:\n%s", strings.Join(pane, "\n"))
	}
}

// TestRecoveredGroupHasNoRate: a group fully back says done, and adds
// nothing to the total's rate.
func TestRecoveredGroupHasNoRate(t *testing.T) {
	r := newRoom(t, 48*time.Hour)
	s := r.Snapshot()
	screen := view(t, New(r, Options{Responder: "ic"}).(*app), 120, 40)
	pane := strings.Join(paneLines(t, screen, "1 Hosts"), "\n")
	want := 0.0
	for _, g := range s.State.Hosts {
		line := regexp.MustCompile(`│ [› ](` + regexp.QuoteMeta(g.Name) + `|` + regexp.QuoteMeta(g.ID) + `) .*`).FindString(pane)
		if g.Recovered >= g.Total {
			if !strings.Contains(line, " done ") || strings.Contains(line, "/h") {
				t.Errorf("%s is fully back: want done, no rate: %q", g.Name, line)
			}
			continue
		}
		want += model.RecoveryRate(g.History, s.Clock, time.Hour)
	}
	if !strings.Contains(pane, "total 96% back · "+strings.TrimSuffix(fmtRate(want), "/h")+" hosts/h") {
		t.Errorf("total rate should leave out the groups that are done (%s):\n%s", fmtRate(want), pane)
	}
}

func TestPercentRoundsDown(t *testing.T) {
	if got := percent(996, 1000); got != 99 {
		t.Errorf("percent(996, 1000) = %d, want 99", got)
	}
}

// TestTimelineTop: g shows the first entries with the pane full, G the
// newest again.
func TestTimelineTop(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		r := newRoom(t, 48*time.Hour)
		tl := timelineEntries(r)
		tm := start(t, r, size[0], size[1])
		keys(tm, "6", "g")
		screen := finish(t, tm)
		pane := paneLines(t, screen, "6 Timeline")
		body := pane[1 : len(pane)-1]
		for i, l := range body {
			if strings.Trim(l, "│ ") == "" {
				t.Errorf("%dx%d: after g, row %d of %d is blank:\n%s", size[0], size[1], i+1, len(body), strings.Join(pane, "\n"))
				break
			}
		}
		if !strings.Contains(body[0], model.FormatOffset(tl[0].At)) {
			t.Errorf("%dx%d: after g the first row should be the first entry (%s):\n%s", size[0], size[1],
				model.FormatOffset(tl[0].At), strings.Join(pane, "\n"))
		}
		if !strings.Contains(pane[len(pane)-1], "newer") {
			t.Errorf("%dx%d: scrolled to the top, the corner should count the newer entries:\n%s", size[0], size[1], pane[len(pane)-1])
		}

		tm = start(t, r, size[0], size[1])
		keys(tm, "6", "g", "G")
		pane = paneLines(t, finish(t, tm), "6 Timeline")
		if last := pane[len(pane)-2]; !strings.Contains(last, model.FormatOffset(tl[len(tl)-1].At)) {
			t.Errorf("%dx%d: after G the last row should be the newest entry:\n%s", size[0], size[1], strings.Join(pane, "\n"))
		}
	}
}

// TestTimelineFollowsAfterSeek: a timeline scrolled back follows the end
// again once the clock moves through history, so the newest events at the
// new clock show.
func TestTimelineFollowsAfterSeek(t *testing.T) {
	r := newRoom(t, 24*time.Hour)
	tm := start(t, r, 120, 40)
	keys(tm, "6", "g")
	typeText(tm, ":seek")
	keys(tm, "<space>")
	typeText(tm, "T+48h")
	keys(tm, "<enter>", "<esc>") // esc closes the inject the seek delivered
	screen := finish(t, tm)
	tl := timelineEntries(r)
	pane := paneLines(t, screen, "6 Timeline")
	if last := pane[len(pane)-2]; !strings.Contains(last, model.FormatOffset(tl[len(tl)-1].At)) {
		t.Errorf("after :seek the newest entry (%s) should show:\n%s", model.FormatOffset(tl[len(tl)-1].At), strings.Join(pane, "\n"))
	}
	if strings.Contains(pane[len(pane)-1], "newer") {
		t.Errorf("after :seek the timeline should follow the end:\n%s", pane[len(pane)-1])
	}
}

// timelineEntries is what the timeline pane lists: the events' lines and
// the alerts'.
func timelineEntries(r *room.Room) []model.Entry {
	s := r.Snapshot()
	tl := timelineOf(&s)
	out := make([]model.Entry, tl.Len())
	for i := range out {
		out[i] = tl.At(i)
	}
	return out
}
