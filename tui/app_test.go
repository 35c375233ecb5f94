package tui

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// paneLines returns the lines of the box whose top border contains title,
// from the screen, cut to that box's columns.
func paneLines(t *testing.T, screen, title string) []string {
	t.Helper()
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		col := strings.Index(l, title)
		if col < 0 || !strings.Contains(l, "╭") {
			continue
		}
		// The box starts at the last ╭ before the title.
		startByte := strings.LastIndex(l[:col], "╭")
		startCell := width(l[:startByte])
		endCell := startCell + width(l[startByte:strings.Index(l[startByte:], "╮")+startByte]) + 1
		var out []string
		for _, b := range lines[i:] {
			runes := []rune(b)
			if endCell > len(runes) {
				break
			}
			cut := string(runes[startCell:endCell])
			out = append(out, cut)
			if strings.HasPrefix(cut, "╰") {
				break
			}
		}
		return out
	}
	t.Fatalf("no pane %q on screen:\n%s", title, screen)
	return nil
}

func TestFocusKeys(t *testing.T) {
	tm := start(t, newRoom(t, 6*time.Hour), 120, 40)
	keys(tm, "<tab>", "<tab>", "<tab>", "<s-tab>", "5", "1", "4")
	screen := finish(t, tm)
	if !strings.Contains(screen, "╭▶ 4 Seller complaints") {
		t.Fatalf("focus should be on pane 4:\n%s", screen)
	}
	if strings.Count(screen, "▶ ") != 1 {
		t.Errorf("exactly one pane should be marked focused:\n%s", screen)
	}
}

func TestZoom(t *testing.T) {
	tm := start(t, newRoom(t, 6*time.Hour), 120, 40)
	keys(tm, "2", "z")
	screen := finish(t, tm)
	checkFrame(t, screen, 120, 40)
	if !strings.Contains(screen, "╭▶ 2 Delivery backlog") || strings.Contains(screen, "1 Hosts") {
		t.Fatalf("z should show only the backlog:\n%s", screen)
	}
	if n := strings.Count(screen, "╭─ ") + strings.Count(screen, "╭▶ "); n != 1 {
		t.Errorf("zoomed screen should have one box:\n%s", screen)
	}

	tm = start(t, newRoom(t, 6*time.Hour), 120, 40)
	keys(tm, "2", "z", "<esc>")
	if screen := finish(t, tm); !strings.Contains(screen, "1 Hosts") {
		t.Fatalf("esc should unzoom:\n%s", screen)
	}
}

func TestAckReducesUnacked(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	before := r.Snapshot().State.UnackedWarnings()
	if before == 0 {
		t.Fatal("fixture has no unacked warning at T+6h")
	}
	tm := start(t, r, 120, 40)
	keys(tm, "3", "a")
	screen := finish(t, tm)
	want := "(" + itoa(before-1) + " unacked)"
	if !strings.Contains(screen, want) {
		t.Fatalf("after a, want %q:\n%s", want, screen)
	}
	if !strings.Contains(screen, "ic acknowledged") {
		t.Errorf("timeline should record the acknowledgement:\n%s", screen)
	}
	if got := r.Snapshot().State.UnackedWarnings(); got != before-1 {
		t.Errorf("room has %d unacked, want %d", got, before-1)
	}
}

func TestTickStep(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	steps := r.Snapshot().State.Runbook
	if steps[2].State != "pending" {
		t.Fatalf("fixture: step 3 is %s at T+6h, want pending", steps[2].State)
	}
	tm := start(t, r, 120, 40)
	keys(tm, "5", "j", "j", "x")
	screen := finish(t, tm)
	rb := strings.Join(paneLines(t, screen, "5 Runbook"), "\n")
	if !strings.Contains(rb, "› ✓  3 SSM automation") {
		t.Fatalf("step 3 should be ticked and selected:\n%s", rb)
	}
	if got := r.Snapshot().State.Runbook[2]; got.State != "done" || got.By != "ic" {
		t.Errorf("step 3 in the room: %s by %q, want done by ic", got.State, got.By)
	}

	// x again reopens it.
	tm = start(t, r, 120, 40)
	keys(tm, "5", "j", "j", "x")
	finish(t, tm)
	if got := r.Snapshot().State.Runbook[2].State; got != "active" {
		t.Errorf("x on a done step: %s, want active", got)
	}
}

func TestNoteCommandWithMultiRuneKey(t *testing.T) {
	tm := start(t, newRoom(t, 6*time.Hour), 120, 40)
	keys(tm, ":")
	typeText(tm, "note label hosts need the manual path") // one KeyMsg, many runes
	keys(tm, "<enter>")
	screen := finish(t, tm)
	tl := strings.Join(paneLines(t, screen, "6 Timeline"), "\n")
	if !strings.Contains(tl, "T+06:00 note (ic): label hosts need the manual path") {
		t.Fatalf("timeline should end with the note:\n%s", tl)
	}
}

// TestBurstOfKeys: keys that arrive together act one by one when each only
// changes what this console shows ("6z" typed fast over SSH focuses and
// zooms); a burst with a key that changes the room or quits could be
// pasted text, and none of it acts.
func TestBurstOfKeys(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	before := r.Snapshot().State.UnackedWarnings()
	tm := start(t, r, 120, 40)
	typeText(tm, "qz") // q would quit
	typeText(tm, "3a") // a would acknowledge
	screen := finish(t, tm)
	if !strings.Contains(screen, "╭▶ 1 Hosts") || !strings.Contains(screen, "2 Delivery backlog") {
		t.Fatalf("a burst with q or a must not act:\n%s", screen)
	}
	if got := r.Snapshot().State.UnackedWarnings(); got != before {
		t.Errorf("\"3a\" acknowledged a warning: %d unacked, want %d", got, before)
	}
	if !strings.Contains(screen, "ignored") {
		t.Errorf("an ignored burst should say so:\n%s", screen)
	}

	tm = start(t, newRoom(t, 6*time.Hour), 120, 40)
	typeText(tm, "6z")
	screen = finish(t, tm)
	if !strings.Contains(screen, "╭▶ 6 Timeline") || strings.Contains(screen, "1 Hosts") {
		t.Errorf("\"6z\" should focus the timeline and zoom it:\n%s", screen)
	}

	r = newRoom(t, 6*time.Hour)
	pos := r.Snapshot().Pos
	tm = start(t, r, 120, 40)
	typeText(tm, "n:note")
	screen = finish(t, tm)
	if got := r.Snapshot().Pos; got != pos+1 {
		t.Errorf("\"n:note\" should step once: at event %d, want %d", got, pos+1)
	}
	if !strings.HasPrefix(lastLine(screen, 2), " :note") {
		t.Errorf("\"n:note\" should open the command line with \"note\" typed:\n%s", screen)
	}
}

// TestFastTypedCommand: ":seek T+20h" typed fast (or sent by tmux
// send-keys in one read) arrives as one message; it opens the command line
// with the rest as its text, and the Enter after it runs the command.
func TestFastTypedCommand(t *testing.T) {
	tm := start(t, newRoom(t, 0), 120, 40)
	typeText(tm, ":seek T+20h")
	keys(tm, "<enter>")
	screen := finish(t, tm)
	if !strings.Contains(strings.Split(screen, "\n")[0], "T+20:00") {
		t.Errorf("header should show T+20:00:\n%s", screen)
	}

	// As bubbletea splits it from a terminal: ":seek", space, "T+20h", enter.
	tm = start(t, newRoom(t, 0), 120, 40)
	typeText(tm, ":seek")
	keys(tm, "<space>")
	typeText(tm, "T+20h")
	keys(tm, "<enter>")
	if screen := finish(t, tm); !strings.Contains(strings.Split(screen, "\n")[0], "T+20:00") {
		t.Errorf("split the way a terminal read splits it: header should show T+20:00:\n%s", screen)
	}

	// "/label" opens the filter with "label" in it.
	tm = start(t, newRoom(t, 48*time.Hour), 120, 40)
	typeText(tm, "/label")
	screen = finish(t, tm)
	pane := paneLines(t, screen, "4 Seller complaints")
	if !strings.Contains(pane[0], "/label ") || !strings.Contains(lastLine(screen, 2), "/label") {
		t.Errorf("\"/label\" should open the filter with label typed:\n%s", screen)
	}
}

// TestPasteCommand: a bracketed paste that starts with ':' fills the command
// line; it runs only on Enter. Any other paste is not taken as keys.
func TestPasteCommand(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	tm := start(t, r, 120, 40)
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":note pasted\nfrom the wiki"), Paste: true})
	keys(tm, "<enter>")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("qz"), Paste: true})
	screen := finish(t, tm)
	tl := strings.Join(paneLines(t, screen, "6 Timeline"), "\n")
	if !strings.Contains(tl, "note (ic): pasted from the wiki") {
		t.Errorf("the pasted note should be in the timeline:\n%s", tl)
	}
	if !strings.Contains(screen, "paste ignored") || !strings.Contains(screen, "╭▶ 1 Hosts") {
		t.Errorf("a paste not starting with : or / should be ignored, and say so:\n%s", screen)
	}
}

// TestHeldMovementKey: a held j over SSH arrives as "jjj" and moves three
// rows.
func TestHeldMovementKey(t *testing.T) {
	tm := start(t, newRoom(t, 6*time.Hour), 120, 40)
	keys(tm, "5")
	typeText(tm, "jjj")
	screen := finish(t, tm)
	if !strings.Contains(screen, "›    4 WARNING") && !strings.Contains(screen, "› ✓  4 WARNING") {
		t.Fatalf("jjj should select step 4:\n%s", strings.Join(paneLines(t, screen, "5 Runbook"), "\n"))
	}
}

func TestFilterNarrowsPosts(t *testing.T) {
	r := newRoom(t, 48*time.Hour)
	// What the filter should find, newest first.
	var want []string
	posts := r.Snapshot().State.Complaints.Posts
	for i := len(posts) - 1; i >= 0; i-- {
		c := posts[i]
		if strings.Contains(strings.ToLower(c.Seller+"\x00"+c.Topic+"\x00"+c.Text), "label") {
			want = append(want, model.FormatOffset(c.At)+" "+string([]rune(c.Seller)[:8]))
		}
	}
	if len(want) == 0 || len(want) == len(posts) {
		t.Fatalf("fixture: %d of %d posts mention labels; the test needs some, not all", len(want), len(posts))
	}

	// Typed in lower case, the filter ignores case (smart-case: "label"
	// finds "Labels" too).
	tm := start(t, r, 120, 40)
	keys(tm, "/")
	typeText(tm, "label")
	screen := finish(t, tm)
	pane := paneLines(t, screen, "4 Seller complaints")
	if !strings.Contains(pane[0], "/label match 1/"+itoa(len(want))) {
		t.Fatalf("title should show the filter and %d matches: %q", len(want), pane[0])
	}
	var got []string
	for _, l := range pane {
		if m := regexp.MustCompile(`^│ (T\+\d\d:\d\d .*)`).FindStringSubmatch(l); m != nil {
			got = append(got, m[1])
		}
	}
	if len(got) == 0 {
		t.Fatalf("no posts shown:\n%s", strings.Join(pane, "\n"))
	}
	for i, g := range got {
		if i >= len(want) || !strings.HasPrefix(g, want[i]) {
			t.Errorf("post %d: %q, want it to start %q", i, g, want[min(i, len(want)-1)])
		}
	}

	// esc clears it.
	tm = start(t, newRoom(t, 48*time.Hour), 120, 40)
	keys(tm, "/")
	typeText(tm, "label")
	keys(tm, "<esc>")
	if screen := finish(t, tm); strings.Contains(screen, "/label") {
		t.Fatalf("esc should clear the filter:\n%s", screen)
	}
}

func TestSeekAndUnknownCommand(t *testing.T) {
	tm := start(t, newRoom(t, 0), 120, 40)
	keys(tm, ":")
	typeText(tm, "seek T+12:30")
	keys(tm, "<enter>", ":")
	typeText(tm, "frobnicate now")
	keys(tm, "<enter>")
	screen := finish(t, tm)
	if !strings.Contains(strings.Split(screen, "\n")[0], "T+12:30") {
		t.Errorf("header should show T+12:30:\n%s", screen)
	}
	if !strings.Contains(screen, `✗ unknown command "frobnicate"`) {
		t.Errorf("status line should name the unknown command:\n%s", screen)
	}
}

func TestStepAndSpeedKeys(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	pos := r.Snapshot().Pos
	tm := start(t, r, 120, 40)
	keys(tm, "n", "n", "p", "]")
	screen := finish(t, tm)
	if got := r.Snapshot().Pos; got != pos+1 {
		t.Errorf("n n p: at event %d, want %d", got, pos+1)
	}
	if !strings.Contains(screen, "×120") {
		t.Errorf("] should speed up to ×120:\n%s", strings.Split(screen, "\n")[0])
	}
}

func TestNoticeOverlay(t *testing.T) {
	tm := start(t, newRoom(t, 6*time.Hour), 120, 40)
	keys(tm, "3", "<enter>")
	screen := finish(t, tm)
	checkFrame(t, screen, 120, 40)
	for _, want := range []string{"Carrier notice", "Severity", "MAJOR", "Issued", "esc close"} {
		if !strings.Contains(screen, want) {
			t.Errorf("notice should show %q:\n%s", want, screen)
		}
	}
	tm = start(t, newRoom(t, 6*time.Hour), 120, 40)
	keys(tm, "3", "<enter>", "<esc>")
	if screen := finish(t, tm); strings.Contains(screen, "Carrier notice") {
		t.Errorf("esc should close the notice:\n%s", screen)
	}
}

func TestTinyTerminal(t *testing.T) {
	tm := start(t, newRoom(t, 0), 50, 12)
	screen := finish(t, tm)
	checkFrame(t, screen, 50, 12)
	if !strings.Contains(screen, "warroom needs at least 60×16 (now 50×12)") {
		t.Fatalf("want the size message:\n%s", screen)
	}
}

// TestPlayMovesTheClock plays at full speed and waits for the header to
// move: snapshots arrive through the subscription, with no tick of our own.
func TestPlayMovesTheClock(t *testing.T) {
	tm := start(t, newRoom(t, 0), 120, 40)
	keys(tm, ":")
	typeText(tm, "speed 3600")
	keys(tm, "<enter>", "<space>")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return regexp.MustCompile(`T\+0[1-9]:\d\d`).Match(b)
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	finish(t, tm)
}

// TestIdleWritesNothing checks the design's rule: paused, the console sends
// the terminal no bytes at all.
func TestIdleWritesNothing(t *testing.T) {
	tm := start(t, newRoom(t, 6*time.Hour), 120, 40)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("1 Hosts")) },
		teatest.WithDuration(3*time.Second))
	time.Sleep(200 * time.Millisecond)
	_, _ = io.ReadAll(tm.Output())
	time.Sleep(700 * time.Millisecond)
	idle, _ := io.ReadAll(tm.Output())
	if len(idle) != 0 {
		t.Errorf("paused console wrote %d bytes: %q", len(idle), idle)
	}
	finish(t, tm)
}

// TestFrameSizes renders many UI states at several sizes, in colour and
// without, and checks every frame is exactly the terminal's height with no
// line wider than it.
func TestFrameSizes(t *testing.T) {
	// Three rooms: mid-incident, with a what-if set, and paused on an
	// inject (its overlay opens by itself).
	whatIf := newRoom(t, 30*time.Hour)
	whatIf.Act("ic", model.WhatIf{Factor: 0.8, From: 8 * time.Hour, By: "ic"}, "")
	rooms := []*room.Room{newRoom(t, 30*time.Hour), whatIf, atFirstInject(t), liveRoom(t)}
	sizes := [][2]int{{80, 24}, {120, 40}, {200, 50}, {61, 17}, {60, 16}, {99, 29}, {100, 30}, {59, 40}, {300, 15}}
	states := [][]tea.Msg{
		nil,
		keyMsgs("2", "z"), keyMsgs("3", "z"), keyMsgs("4", "z"), keyMsgs("5", "z"), keyMsgs("6", "z"), keyMsgs("1", "z"),
		keyMsgs("3", "<enter>"), keyMsgs("?"), keyMsgs(":"), keyMsgs("/", "label"), keyMsgs("5", "6"),
		keyMsgs(":", "bogus", "<enter>"),
		keyMsgs("I"), keyMsgs("I", "G"), keyMsgs("I", ":"), keyMsgs("D"), keyMsgs("D", "G"), keyMsgs("H"),
		keyMsgs("?", "G"), keyMsgs(":", "sources", "<enter>"), keyMsgs(":", "sources", "<enter>", "G"),
		keyMsgs("p", "L", " "), keyMsgs("p"), keyMsgs("4", "z"),
	}
	for _, r := range rooms {
		for _, role := range []Role{RolePlayer, RoleFacilitator} {
			for _, size := range sizes {
				for _, msgs := range states {
					a := New(r, Options{Responder: "ic", Role: role}).(*app)
					a.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
					for _, m := range msgs {
						a.Update(m)
					}
					checkFrame(t, a.View(), size[0], size[1])
				}
			}
		}
	}
}

// keyMsgs turns key names (see keys) into messages for Update.
func keyMsgs(ks ...string) []tea.Msg {
	named := map[string]tea.KeyType{"<enter>": tea.KeyEnter, "<esc>": tea.KeyEsc, "<tab>": tea.KeyTab}
	var out []tea.Msg
	for _, k := range ks {
		if t, ok := named[k]; ok {
			out = append(out, tea.KeyMsg{Type: t})
			continue
		}
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
	}
	return out
}

// lastLine is the n-th line from the bottom of a screen (1 is the last).
func lastLine(screen string, n int) string {
	lines := strings.Split(screen, "\n")
	return lines[len(lines)-n]
}
