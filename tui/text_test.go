package tui

import (
	"strings"
	"testing"
	"time"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"abc", 5, "abc  "},
		{"abcdef", 4, "abc…"},
		{"T+06:00 ▶ ❚❚ ✓ ✗", 16, "T+06:00 ▶ ❚❚ ✓ ✗"},
		{"日本語テキスト", 5, "日本…"},
		{"", 0, ""},
	} {
		got := fit(tc.in, tc.w)
		if got != tc.want || width(got) != tc.w {
			t.Errorf("fit(%q, %d) = %q (%d cells), want %q", tc.in, tc.w, got, width(got), tc.want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                    "plain text",
		"red \x1b[31malert\x1b[0m":      "red alert",
		"clear\x1b[2Jscreen":            "clearscreen",
		"osc\x1b]52;c;ZXZpbA==\x07 end": "osc end",
		"line\nbreak\ttab\r\ncr":        "line break tab cr",
		"c1 \u009b31m":                  "c1 ",
		"\x9b2J\x9d0;c1pwn\x07ok":       "ok",
		"\u009b2J\u009d0;c1pwn\u009cok": "ok",
		"invoice\u202Egpj.exe":          "invoicegpj.exe",
		"zero\u200Bwidth\u2060\uFEFF":   "zerowidth",
		"\U0001F44D\U0001F3FD thanks":   "\U0001F44D thanks",
		"\U0001F1FA\U0001F1F8 carrier":  "US carrier",
		"para\u2029graph":               "para graph",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanBlock(t *testing.T) {
	in := "first\x1b[2J line  \r\n\tindented\u202E\nlast\x9b31m"
	want := "first line\n    indented\nlast"
	if got := cleanBlock(in); got != want {
		t.Errorf("cleanBlock(%q) = %q, want %q", in, got, want)
	}
}

// TestWidth checks widths against what tmux 3.3a draws (measured by printing
// each string in a tmux pane and reading the cursor column).
func TestWidth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"plain", 5},
		{"\x1b[1;31mred\x1b[0m", 3},
		{"配送遅延", 8},
		{"e\u0301", 1},            // combining acute
		{"\u0915\u093E", 2},       // Devanagari KA + AA: grapheme width 1, drawn 2
		{"\u0915\u094D\u0937", 2}, // KSSA: virama is zero width
		{"\u0E01\u0E33", 2},       // Thai KO KAI + SARA AM
		{"\u1112\u1161\u11AB", 2}, // conjoining Hangul jamo
		{"\U0001F44D", 2},
		{"✓ ▸ ✗ … │ ╭", 11},
		{"\uFFFD", 1},
		{"\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\", 4},
	} {
		if got := width(tc.in); got != tc.want {
			t.Errorf("width(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestTruncKeepsStylesClosed(t *testing.T) {
	s := "\x1b[31mabcdef\x1b[0m tail"
	got := trunc(s, 4)
	if want := "\x1b[31mabc…\x1b[0m"; got != want {
		t.Errorf("trunc(%q, 4) = %q, want %q", s, got, want)
	}
	if got := cutCells("ab配cd", 3, 6); got != " cd" { // 配 straddles the left edge
		t.Errorf("cutCells = %q, want %q", got, " cd")
	}
	if got := cutCells("ab配cd", 1, 3); got != "b " { // and the right one
		t.Errorf("cutCells = %q, want %q", got, "b ")
	}
	if got := cutCells("\x1b[1mabcdef", 2, 4); got != "\x1b[1mcd" {
		t.Errorf("cutCells = %q, want the style and cd", got)
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want []string
	}{
		{"the quick brown fox", 10, []string{"the quick", "brown fox"}},
		{"label-manifest hosts", 8, []string{"label-", "manifest", "hosts"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"two\n\nparas", 10, []string{"two", "", "paras"}},
		{"配送遅延が発生", 5, []string{"配送", "遅延", "が発", "生"}},
		{"\u0915\u093E\u0915\u093E\u0915\u093E", 4, []string{"\u0915\u093E\u0915\u093E", "\u0915\u093E"}},
	} {
		got := wrap(tc.in, tc.w)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}

// FuzzCleanLayout: whatever text arrives, clean leaves nothing a terminal
// acts on, and fit, trunc, wrap and cutCells keep to the cells they are given
// as width counts them.
func FuzzCleanLayout(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[2J\x1b]0;t\x07x", "\x9b2J\x9d0;c1pwn\x07", "配送 e\u0301 \u0915\u093E",
		"\U0001F44D\U0001F3FD\U0001F468\u200D\U0001F469 \U0001F1FA\U0001F1F8 \u2764\uFE0F", "a-b c\td\ne", "\u202Eevil\u2066"} {
		f.Add(s, 12)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		w = 2 + abs(w)%60
		c := clean(s)
		for _, r := range c {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202E' || r == '\u200D' || r == '\uFE0F' {
				t.Fatalf("clean(%q) = %q: contains %U", s, c, r)
			}
		}
		if n := width(fit(c, w)); n != w {
			t.Fatalf("fit(%q, %d) is %d cells", c, w, n)
		}
		if n := width(trunc(c, w)); n > w {
			t.Fatalf("trunc(%q, %d) is %d cells", c, w, n)
		}
		for _, l := range wrap(c, w) {
			if n := width(l); n > w {
				t.Fatalf("wrap(%q, %d): line %q is %d cells", c, w, l, n)
			}
		}
		if n, want := width(cutCells(c, 1, w)), min(width(c), w)-1; n != max(want, 0) {
			t.Fatalf("cutCells(%q, 1, %d) is %d cells, want %d", c, w, n, want)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{fmtCount(1_420_000), "1.42M"},
		{fmtCount(38_000), "38k"},
		{fmtRate(-38_000), "−38k/h"},
		{fmtRate(12_400), "+12k/h"},
		{fmtRate(0.2), "0/h"},
		{fmtAge(30 * time.Second), "now"},
		{fmtAge(45 * time.Minute), "45m"},
		{fmtAge(2*time.Hour + 59*time.Minute), "2h"},
		{fmtAge(72 * time.Hour), "3d"},
		{sparkline([]int32{0, 1, 2, 4, 8}, 4, 6, 8), "▁▁▂▃▅█"},
		{sparkline([]int32{0, 1, 2, 4, 8}, 4, 6, 16), "▁▁▂▂▃▅"},
		{sparkline([]int32{0, 1, 2, 4, 8}, 4, 6, 4), "▁▁▂▄██"},
		{sparkline(nil, 3, 4, 0), "▁▁▁▁"},
		{itoa(int(sparkMax([]int32{9, 1, 2, 4, 3}, 4, 4))), "4"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if v := niceCeil(1_375_000); v != 1_500_000 {
		t.Errorf("niceCeil(1.375M) = %v", v)
	}
}

func TestParseOffset(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"T+12:30": 12*time.Hour + 30*time.Minute,
		"12h30m":  12*time.Hour + 30*time.Minute,
		"T+6h":    6 * time.Hour,
		"90m":     90 * time.Minute,
		"0":       0,
	} {
		got, err := parseOffset(in)
		if err != nil || got != want {
			t.Errorf("parseOffset(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "T-1:00", "12:75"} {
		if _, err := parseOffset(bad); err == nil {
			t.Errorf("parseOffset(%q): want an error", bad)
		}
	}
}

func TestScrollWindow(t *testing.T) {
	for _, tc := range []struct{ top, sel, n, h, want int }{
		{0, 0, 5, 10, 0},
		{0, 12, 20, 10, 3},
		{5, 2, 20, 10, 2},
		{5, 7, 20, 10, 5},
		{15, 19, 20, 10, 10},
	} {
		if got := scrollWindow(tc.top, tc.sel, tc.n, tc.h); got != tc.want {
			t.Errorf("scrollWindow%v = %d, want %d", tc, got, tc.want)
		}
	}
}

// TestHostileText puts terminal escapes in every outside string and checks
// none reaches the screen, in colour too.
func TestHostileText(t *testing.T) {
	evil := "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1b[31mevil"
	sc := &model.Scenario{
		Name:       "hostile",
		Meta:       model.Meta{Title: "title " + evil, Severity: "SEV1" + evil, Start: time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)},
		HostGroups: []model.HostGroupDef{{ID: "g", Name: "group " + evil, Total: 10}},
		Carriers:   []model.CarrierDef{{ID: "ups", Name: "UPS " + evil}},
		Topics:     []model.TopicDef{{ID: "t", Name: "topic " + evil}},
		Runbook:    []model.StepDef{{ID: "s", Title: "step " + evil, Detail: "detail " + evil}},
		Events: []model.Event{
			{At: 0, Text: "timeline " + evil, Body: model.HostStatus{Group: "g", Recovered: 1, Total: 10}},
			{At: time.Minute, Body: model.CarrierWarning{ID: "w", Carrier: "ups", Phase: model.WarningIssued,
				Severity: model.SeverityMajor, Region: "US" + evil, Headline: "headline " + evil, Body: "body\n" + evil}},
			{At: 2 * time.Minute, Body: model.SellerComplaint{Seller: "seller " + evil, Topic: "t", Text: "text " + evil}},
			{At: 3 * time.Minute, Body: model.SourceHealth{Source: "src " + evil, Status: model.HealthError,
				Error: "error " + evil, LastData: time.Minute, Feeds: []model.Kind{model.KindWarning, model.Kind("kind" + evil)}}},
		},
	}
	r := room.New(sc)
	defer r.Close()
	r.Seek(time.Hour)
	plainR := lipgloss.NewRenderer(&strings.Builder{})
	plainR.SetColorProfile(termenv.Ascii)
	colourR := lipgloss.NewRenderer(&strings.Builder{})
	colourR.SetColorProfile(termenv.ANSI256)
	for _, rend := range []*lipgloss.Renderer{plainR, colourR} {
		for _, msgs := range [][]tea.Msg{nil, keyMsgs("3", "<enter>"), keyMsgs("5", "z"), keyMsgs("4", "z"),
			keyMsgs(":", "sources", "<enter>")} {
			a := New(r, Options{Responder: "ic", Renderer: rend}).(*app)
			a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			for _, m := range msgs {
				a.Update(m)
			}
			v := a.View()
			checkFrame(t, v, 120, 40)
			for _, bad := range []string{"\x1b[2J", "\x1b]", "\x07", "ZXZpbA==\x07"} {
				if strings.Contains(v, bad) {
					t.Fatalf("screen contains %q:\n%s", bad, v)
				}
			}
			if rend == plainR && strings.Contains(v, "\x1b") {
				t.Fatalf("monochrome screen contains an escape:\n%q", v)
			}
		}
	}
}

// TestMonochromeReadable: without colour, focus, selection and severity
// still show as symbols and words.
func TestMonochromeReadable(t *testing.T) {
	a := New(newRoom(t, 6*time.Hour), Options{Responder: "ic"}).(*app)
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, m := range keyMsgs("3") {
		a.Update(m)
	}
	v := a.View()
	for _, want := range []string{"╭▶ 3 Carrier warnings", "›! UPS", "MAJOR", "MINOR", "✓ FedEx", "SEV1", "❚❚ paused"} {
		if !strings.Contains(v, want) {
			t.Errorf("monochrome screen lacks %q:\n%s", want, v)
		}
	}
}

// TestCellWidthFastPaths: the fast ranges give what the general rule gives.
func TestCellWidthFastPaths(t *testing.T) {
	for _, rg := range [][2]rune{{0x2010, 0x2027}, {0x2190, 0x21ff}, {0x2500, 0x25fc}, {0x4e00, 0x9fff}, {0xac00, 0xd7a3}} {
		for r := rg[0]; r <= rg[1]; r++ {
			want := 1
			switch {
			case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
				want = 0
			case wcwidth.RuneWidth(r) == 2:
				want = 2
			}
			if got := cellWidth(r); got != want {
				t.Errorf("cellWidth(%U) = %d, want %d", r, got, want)
			}
		}
	}
}
