package tui

import (
	"strings"
	"testing"
	"time"

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
		"line\nbreak\ttab\rcr":          "line break tab cr",
		"c1 \u009b31m":                  "c1  31m",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
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
