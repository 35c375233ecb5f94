package tui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/report"
	"github.com/warroom/warroom/room"
)

// drafts is the built-in drafts.
func drafts(tb testing.TB) *report.Templates {
	tb.Helper()
	ts, err := report.LoadTemplates(fixtures.Templates(), fixtures.TemplatesDir, "")
	if err != nil {
		tb.Fatal(err)
	}
	return ts
}

// sellerDraft is the seller draft as filled at the room's moment.
func sellerDraft(tb testing.TB, r *room.Room, sender string) string {
	tb.Helper()
	return filledDraft(tb, r, "seller", sender)
}

// filledDraft is a draft as filled at the room's moment.
func filledDraft(tb testing.TB, r *room.Room, name, sender string) string {
	tb.Helper()
	s := r.Snapshot()
	tm, _ := drafts(tb).Get(name)
	text, err := tm.Render(report.BuildFigures(s.Scenario, &s.State, sender))
	if err != nil {
		tb.Fatal(err)
	}
	return text
}

// TestDraftsGolden: c opens the drafts over the panes at T+12h; 2 picks
// the seller notice; a burst typed in the editor lands at the cursor.
func TestDraftsGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, edited := range []bool{false, true} {
			name := fmt.Sprintf("%dx%d_seller", size[0], size[1])
			if edited {
				name += "_edited"
			}
			t.Run(name, func(t *testing.T) {
				tm := teatest.NewTestModel(t, New(newRoom(t, 12*time.Hour), Options{Responder: "ic", Drafts: drafts(t)}),
					teatest.WithInitialTermSize(size[0], size[1]))
				keys(tm, "c", "2")
				if edited {
					keys(tm, "<enter>")
					typeText(tm, "UPDATE 3, sent by ic. ")
					keys(tm, "<esc>")
				}
				screen := finish(t, tm)
				checkFrame(t, screen, size[0], size[1])
				for _, want := range []string{"Drafts — Seller notice", "[2 seller]", "to Seller Fulfilled Prime sellers", "WHAT IS LATE"} {
					if !strings.Contains(screen, want) && !(size[0] == 80 && want == "WHAT IS LATE") {
						t.Errorf("screen lacks %q:\n%s", want, screen)
					}
				}
				if edited != strings.Contains(screen, "UPDATE 3, sent by ic. Subject: Seller Fulfilled Prime") {
					t.Errorf("edited %v, screen:\n%s", edited, screen)
				}
				teatest.RequireEqualOutput(t, []byte(screen))
			})
		}
	}
}

// TestDraftsBurstIsText: keys that act elsewhere (s sends, y copies, q
// quits, r refills, esc inside a paste) typed fast or pasted into the
// editor are text, whole, and acting on nothing.
func TestDraftsBurstIsText(t *testing.T) {
	r := newRoom(t, 12*time.Hour)
	a := New(r, Options{Responder: "ic", Drafts: drafts(t)}).(*app)
	view(t, a, 120, 40, keyMsgs("c", "<enter>")...)
	burst := "quick: yes, resend soon; "
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(burst)})
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("pasted\r\nline \x1b]0;title\x07two\n"), Paste: true})
	got := a.drafts.area.Value()
	if !strings.HasPrefix(got, burst+"pasted\nline two\n") {
		t.Errorf("the editor holds %q", got[:min(len(got), 80)])
	}
	if a.overlay != overlayDrafts || !a.drafts.editing || len(r.Snapshot().State.Sent) != 0 {
		t.Errorf("a key of the burst acted: overlay %v editing %v sent %d", a.overlay, a.drafts.editing, len(r.Snapshot().State.Sent))
	}
	// esc ends editing; the edit (of the first draft, customer) is kept
	// across drafts and a room that moves.
	view(t, a, 120, 40, keyMsgs("<esc>", "3", "1")...)
	r.Seek(13 * time.Hour)
	deliver(a)
	if v := a.drafts.area.Value(); v != got {
		t.Errorf("the edit was lost: %q", v[:min(len(v), 80)])
	}
	// r fills it again, with the figures at the new moment.
	screen := view(t, a, 120, 40, keyMsgs("r")...)
	if a.drafts.area.Value() != filledDraft(t, r, "customer", "ic") || !strings.Contains(screen, "figures at T+13:00") {
		t.Errorf("r did not fill the draft again:\n%s", screen)
	}
}

// TestDraftSentJournaled: s records the draft, with its full text and who
// sent it, in the timeline and the journal; an observer is refused.
func TestDraftSentJournaled(t *testing.T) {
	sc := defaultScenario(t)
	codec := model.NewJournalCodec(sc.Meta.Start)
	path := filepath.Join(t.TempDir(), "incident.db")
	j, err := journal.Open(path, codec, room.JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	r, err := room.Open(sc, j)
	if err != nil {
		t.Fatal(err)
	}
	r.Seek(12 * time.Hour)
	bo := r.Join(room.Member{Name: "bo", Role: room.RoleResponder}, "s1")
	cy := r.Join(room.Member{Name: "cy", Role: room.RoleObserver}, "s2")
	ts := drafts(t)
	watcher := New(r, Options{Seat: cy, Drafts: ts}).(*app)
	screen := view(t, watcher, 120, 40, keyMsgs("c", "2", "s")...)
	if !strings.Contains(lastLine(screen, 2), "observer") || len(r.Snapshot().State.Sent) != 0 {
		t.Errorf("an observer's s: %q, %d sent", lastLine(screen, 2), len(r.Snapshot().State.Sent))
	}
	sender := New(r, Options{Seat: bo, Drafts: ts}).(*app)
	want := sellerDraft(t, r, "bo")
	screen = view(t, sender, 120, 40, keyMsgs("c", "2", "s")...)
	if !strings.Contains(screen, "sent T+12:00 by bo") {
		t.Errorf("the drafts should say the seller notice was sent:\n%s", screen)
	}
	r.Close()
	j.Close()

	j2, err := journal.Open(path, codec, room.JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	var sent []model.Event
	if err := j2.Entries(func(e journal.Entry) error {
		if _, ok := e.Event.Body.(model.CommsSent); ok && e.Kind == journal.KindAction {
			sent = append(sent, e.Event)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || sent[0].Source != "responder:bo" || sent[0].Body.(model.CommsSent).Text != want ||
		sent[0].Body.(model.CommsSent).Template != "seller" {
		t.Fatalf("journal holds %+v", sent)
	}
	r2, err := room.Open(sc, j2)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	st := r2.Snapshot().State
	line := ""
	for _, e := range st.Timeline {
		if e.Kind == model.KindCommsSent {
			line = e.Text
		}
	}
	if !strings.HasPrefix(line, "update sent (seller to Seller Fulfilled Prime sellers) by bo: Subject: Seller Fulfilled Prime") ||
		!strings.Contains(line, "| WHAT HAPPENS TO YOUR METRICS |") {
		t.Errorf("timeline line %q", line)
	}
}

// osc52 finds the OSC 52 sequences in a terminal's output: the payload of
// each, decoded.
var osc52Seq = regexp.MustCompile(`\x1b\]52;c;([A-Za-z0-9+/=]*)\x07`)

// TestDraftCopyOSC52: y writes one OSC 52 sequence carrying the draft to
// the console's own output, between frames, wrapped for screen, and for
// tmux both plain and wrapped (tmux takes one or the other as it is set
// up), when the terminal's environment says so; the draft travels base64
// and nothing of a hostile paste reaches the terminal.
func TestDraftCopyOSC52(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		prefix, end string
		plainToo    bool // a plain sequence comes first, then the wrapped one
	}{
		{"plain", map[string]string{"TERM": "xterm-256color"}, "\x1b]52;c;", "\x07", false},
		{"tmux", map[string]string{"TERM": "screen-256color", "TMUX": "/tmp/tmux-1000/default,1,0"}, "\x1bPtmux;\x1b\x1b]52;c;", "\x07\x1b\\", true},
		{"tmux TERM over SSH", map[string]string{"TERM": "tmux-256color"}, "\x1bPtmux;\x1b\x1b]52;c;", "\x07\x1b\\", true},
		{"screen", map[string]string{"TERM": "screen"}, "\x1bP\x1b]52;c;", "\x07\x1b\\", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRoom(t, 12*time.Hour)
			var out bytes.Buffer
			a := New(r, Options{Responder: "ic", Drafts: drafts(t), Getenv: func(k string) string { return tt.env[k] }}).(*app)
			term := newTerminal(a, strings.NewReader(""), &out, 120, 40)
			o := &onChange{inner: term.console, screen: term.screen}
			step := func(msgs ...tea.Msg) {
				for _, m := range msgs {
					o.Update(m)
					o.View()
				}
			}
			step(tea.WindowSizeMsg{Width: 120, Height: 40})
			step(keyMsgs("c", "2", "<enter>")...)
			step(tea.KeyMsg{Type: tea.KeyRunes, Paste: true, Runes: []rune("Hi \x1b]52;c;ZXZpbA==\x07\x1b[2J")})
			step(keyMsgs("<esc>")...)
			out.Reset()
			step(keyMsgs("y")...)

			got := out.String()
			want := "Hi " + sellerDraft(t, r, "ic")
			if tt.plainToo {
				plain := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(want)) + "\x07"
				i := strings.Index(got, plain)
				if i < 0 || i >= strings.Index(got, tt.prefix) {
					t.Fatalf("want a plain sequence before the wrapped one in %q", got[:min(len(got), 200)])
				}
				got = got[:i] + got[i+len(plain):]
			}
			start := strings.Index(got, tt.prefix)
			if start < 0 || strings.Count(got, "]52;") != 1 {
				t.Fatalf("want one sequence starting %q in %q", tt.prefix, got[:min(len(got), 200)])
			}
			seq := got[start:]
			end := strings.Index(seq, tt.end)
			if end < 0 {
				t.Fatalf("sequence not ended with %q", tt.end)
			}
			// tmux doubles the inner ESC; screen's DCS carries the payload
			// in chunks joined by ST and a new DCS.
			inner := strings.ReplaceAll(seq[:end+len(tt.end)], "\x1b\x1b", "\x1b")
			inner = strings.ReplaceAll(inner, "\x1b\\\x1bP", "")
			m := osc52Seq.FindStringSubmatch(inner)
			if m == nil {
				t.Fatalf("no OSC 52 in %q", seq[:min(len(seq), 80)])
			}
			text, err := base64.StdEncoding.DecodeString(m[1])
			if err != nil {
				t.Fatal(err)
			}
			if string(text) != want {
				t.Errorf("the clipboard gets %q…, want %q…", text[:min(len(text), 60)], want[:60])
			}
			rest := got[:start] + got[start+end+len(tt.end):]
			if strings.Contains(rest, "ZXZpbA") || strings.Contains(rest, "\x1b[2J") || strings.Contains(rest, "\x1b]") {
				t.Errorf("something else reached the terminal: %q", rest)
			}
			if !strings.Contains(rest, "copied Seller notice") {
				t.Errorf("the status line should say it copied: %q", rest)
			}
		})
	}
}

// TestDraftsScroll: a draft longer than the box scrolls with the list
// keys; picking another starts at its top.
func TestDraftsScroll(t *testing.T) {
	a := New(newRoom(t, 12*time.Hour), Options{Responder: "ic", Drafts: drafts(t)}).(*app)
	screen := view(t, a, 80, 24, keyMsgs("c", "2")...)
	if strings.Contains(screen, "We will send the next notice") || !strings.Contains(screen, "top j/k") {
		t.Fatalf("the seller draft should not fit at 80x24:\n%s", screen)
	}
	screen = view(t, a, 80, 24, keyMsgs("G")...)
	if !strings.Contains(screen, "We will send the next notice") || !strings.Contains(screen, "end j/k") || strings.Contains(screen, "Subject:") {
		t.Errorf("G should show the draft's end:\n%s", screen)
	}
	screen = view(t, a, 80, 24, keyMsgs("3")...)
	if !strings.Contains(screen, "Subject: [SEV1]") {
		t.Errorf("another draft should start at its top:\n%s", screen)
	}
}

// TestDraftsScrollBurst: j held down over SSH arrives as one message of
// several runes; it scrolls as the keys pressed one by one would, while a
// burst holding any other key (text typed before enter) does nothing.
func TestDraftsScrollBurst(t *testing.T) {
	a := New(newRoom(t, 12*time.Hour), Options{Responder: "ic", Drafts: drafts(t)}).(*app)
	view(t, a, 80, 24, keyMsgs("c", "2")...)
	screen := view(t, a, 80, 24, keyMsgs("jjjj")...)
	if a.drafts.pg.top != 4 || strings.Contains(screen, "Subject:") {
		t.Errorf("jjjj should scroll four lines, at %d:\n%s", a.drafts.pg.top, screen)
	}
	view(t, a, 80, 24, keyMsgs("k")...)
	screen = view(t, a, 80, 24, keyMsgs("js")...)
	if a.drafts.pg.top != 3 || len(a.r.Snapshot().State.Sent) != 0 || !strings.Contains(screen, "press enter to edit") {
		t.Errorf("a burst with s should neither scroll nor send: at %d, sent %d:\n%s", a.drafts.pg.top, len(a.r.Snapshot().State.Sent), screen)
	}
}

// TestDraftsEscAndKeyTogether: esc and a key read as one (alt+key, over a
// laggy link) end editing and then act, while alt+b stays the editor's
// word move.
func TestDraftsEscAndKeyTogether(t *testing.T) {
	r := newRoom(t, 12*time.Hour)
	a := New(r, Options{Responder: "ic", Drafts: drafts(t)}).(*app)
	view(t, a, 120, 40, keyMsgs("c", "<enter>", "ab")...)
	view(t, a, 120, 40, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("b"), Alt: true}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("X")})
	if v := a.drafts.area.Value(); !strings.HasPrefix(v, "Xab") || !a.drafts.editing {
		t.Fatalf("alt+b should move a word back in the editor: %q", v[:min(len(v), 20)])
	}
	view(t, a, 120, 40, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s"), Alt: true})
	if a.drafts.editing || len(r.Snapshot().State.Sent) != 1 || r.Snapshot().State.Sent[0].Text[:3] != "Xab" {
		t.Errorf("esc+s should end editing and send: editing %v, sent %+v", a.drafts.editing, r.Snapshot().State.Sent)
	}
	view(t, a, 120, 40, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3"), Alt: true})
	if a.overlay != overlayNone || a.focus != paneCarriers {
		t.Errorf("esc+3 should close the drafts and focus pane 3: overlay %v focus %v", a.overlay, a.focus)
	}
}

// TestDraftCopyNeedsScreen: with bubbletea's renderer (--fps) there is no
// place between frames to write the sequence: y says so.
func TestDraftCopyNeedsScreen(t *testing.T) {
	a := New(newRoom(t, 12*time.Hour), Options{Responder: "ic", Drafts: drafts(t)}).(*app)
	screen := view(t, a, 80, 24, keyMsgs("c", "y")...)
	if a.takeClipboard() != "" || !strings.Contains(screen, "copy needs the console's own screen") {
		t.Errorf("y without a screen:\n%s", screen)
	}
}

// TestDraftsNone: a console started without templates says so on c.
func TestDraftsNone(t *testing.T) {
	a := New(newRoom(t, 0), Options{Responder: "ic"}).(*app)
	screen := view(t, a, 80, 24, keyMsgs("c")...)
	if a.overlay != overlayNone || !strings.Contains(screen, "no status-update drafts") {
		t.Errorf("c without templates:\n%s", screen)
	}
}
