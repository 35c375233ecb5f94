package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// goldenHostsAt is a moment of the default scenario where wms-fulfilment's
// funnel has four steps in use and label-manifest's instance-store hosts
// are on their own path.
const goldenHostsAt = 12 * time.Hour

// TestGoldenHosts: the Hosts pane with rates and ETAs and the footer's
// all-hosts ETA; zoomed on the first group (z), and on the second (j, then
// enter): its chart and its funnel.
func TestGoldenHosts(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, c := range []struct {
			name string
			keys []string
		}{
			{"pane", nil},
			{"zoom_wms", []string{"z"}},
			{"zoom_labels", []string{"j", "<enter>"}},
		} {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, size[0], size[1]), func(t *testing.T) {
				tm := start(t, newRoom(t, goldenHostsAt), size[0], size[1])
				keys(tm, c.keys...)
				screen := finish(t, tm)
				checkFrame(t, screen, size[0], size[1])
				teatest.RequireEqualOutput(t, []byte(screen))
			})
		}
	}
}

// TestHostsZoomKeys: j/k move the cursor over the groups, enter and z zoom
// on the one under it, j/k in the zoom move to the next group, esc goes
// back to the six panes with the cursor where it was.
func TestHostsZoomKeys(t *testing.T) {
	r := newRoom(t, goldenHostsAt)
	a := New(r, Options{Responder: "ic"}).(*app)
	screen := view(t, a, 120, 40, keyMsgs("j", "j", "k")...)
	if !strings.Contains(screen, "│  wms-fulfilment") || !strings.Contains(screen, "│ ›label-manifest") {
		t.Fatalf("j j k: the cursor should be on the second group:\n%s", screen)
	}
	screen = view(t, a, 120, 40, keyMsgs("<enter>")...)
	if !strings.Contains(screen, "╭▶ 1 Hosts › Label and manifest servers (instance store) group 2/6") ||
		!strings.Contains(screen, "recovery steps") || !strings.Contains(screen, "instance store") ||
		strings.Contains(screen, "2 Delivery backlog") {
		t.Fatalf("enter: want the zoom on label-manifest alone:\n%s", screen)
	}
	screen = view(t, a, 120, 40, keyMsgs("j")...)
	if !strings.Contains(screen, "Hosts › Carrier EDI gateways group 3/6") {
		t.Errorf("j in the zoom: want the third group:\n%s", screen)
	}
	screen = view(t, a, 120, 40, keyMsgs("<esc>")...)
	if !strings.Contains(screen, "2 Delivery backlog") || !strings.Contains(screen, "│ ›carrier-edi") {
		t.Errorf("esc: want the six panes, the cursor on the third group:\n%s", screen)
	}
	screen = view(t, a, 120, 40, keyMsgs("z", "z")...)
	if !strings.Contains(screen, "2 Delivery backlog") {
		t.Errorf("z twice: want the zoom closed again:\n%s", screen)
	}
	// Zoom on another pane is as before: the whole pane.
	screen = view(t, a, 120, 40, keyMsgs("2", "z")...)
	if !strings.Contains(screen, "╭▶ 2 Delivery backlog") || strings.Contains(screen, "1 Hosts") {
		t.Errorf("2 z: want the backlog zoomed:\n%s", screen)
	}
}

// outlookScenario has one group in each condition the pane tells apart,
// reported hourly from T+0 to T+3h: recovering steadily (10/h of 100),
// stalled (20 back by T+1h, then none), without progress (never more than
// its first 5), fully back, and with too few reports (two).
func outlookScenario() *model.Scenario {
	sc := &model.Scenario{
		Name: "outlooks",
		Meta: model.Meta{Title: "Outlooks", Severity: "SEV2", Start: time.Date(2024, 7, 19, 4, 0, 0, 0, time.UTC)},
	}
	series := map[string][]int{
		"steady":   {0, 10, 20, 30},
		"stalled":  {0, 20, 20, 20},
		"flat":     {5, 5, 5, 5},
		"done":     {40, 80, 100, 100},
		"two-only": {0, 10},
	}
	for _, id := range []string{"steady", "stalled", "flat", "done", "two-only"} {
		sc.HostGroups = append(sc.HostGroups, model.HostGroupDef{ID: id, Name: id, Total: 100})
	}
	for h := range 4 {
		for _, g := range sc.HostGroups {
			if v := series[g.ID]; h < len(v) {
				sc.Events = append(sc.Events, model.Event{At: time.Duration(h) * time.Hour, Source: "scenario",
					Body: model.HostStatus{Group: g.ID, Recovered: v[h], Failed: 100 - v[h]}})
			}
		}
	}
	return sc
}

// TestHostsOutlooks: each group's row says where it stands, and the footer
// says why there is no ETA for all hosts.
func TestHostsOutlooks(t *testing.T) {
	r := room.New(outlookScenario())
	t.Cleanup(r.Close)
	r.Seek(3 * time.Hour)
	screen := view(t, New(r, Options{Responder: "ic"}).(*app), 120, 40)
	pane := paneLines(t, screen, "1 Hosts")
	row := func(id string) string {
		for _, l := range pane {
			if strings.Contains(l, " "+id+" ") || strings.Contains(l, "›"+id+" ") {
				return l
			}
		}
		t.Fatalf("no row for %s:\n%s", id, strings.Join(pane, "\n"))
		return ""
	}
	// steady: 10/h from T+1h to T+3h with no error, 70 to go: 7h, range 7–7h.
	for id, want := range map[string]string{
		"steady": "+10/h 7h (7–7h)", "stalled": "stalled", "flat": "no gain", "done": "done ✓", "two-only": "–",
	} {
		if l := row(id); !strings.Contains(l, want) {
			t.Errorf("%s: want %q in %q", id, want, l)
		}
	}
	if !strings.Contains(screen, "all hosts: no ETA, 2 groups stalled") {
		t.Errorf("footer: want no ETA with the two stalled groups:\n%s", screen)
	}
}

func TestGroupETA(t *testing.T) {
	now := 10 * time.Hour
	h := func(n float64) time.Duration { return now + time.Duration(n*float64(time.Hour)) }
	rec := func(eta, early, late time.Duration) model.HostForecast {
		return model.HostForecast{Outlook: model.OutlookRecovering, ETA: eta, Early: early, Late: late}
	}
	tests := []struct {
		name       string
		f          model.HostForecast
		short, rng string
	}{
		// 11h, from 9h12 (down to 9h) to 15h30 (up to 16h).
		{"hours", rec(h(11), h(9.2), h(15.5)), "11h", "11h (9–16h)"},
		// 40m from 35m to 1h20: the ends in their own units, up to 2h.
		{"mixed units", rec(h(2.0/3), h(35.0/60), h(4.0/3)), "40m", "40m (35m–2h)"},
		{"no upper bound", rec(h(8), h(6.5), -1), "8h", "8h (6h+)"},
		// 52h is still hours; days from 100h on: 5d, 4.2 days down to 4d, 7.5 up to 8d.
		{"two days", rec(h(52), h(50), h(55.5)), "52h", "52h (50–56h)"},
		{"days", rec(h(120), h(100.8), h(180)), "5d", "5d (4–8d)"},
		{"due", rec(h(-0.5), h(-1), h(1)), "due", "due"},
		{"done", model.HostForecast{Outlook: model.OutlookDone}, "✓", "✓"},
		{"stalled", model.HostForecast{Outlook: model.OutlookStalled}, "stalled", "stalled"},
		{"no progress", model.HostForecast{Outlook: model.OutlookNoProgress}, "no gain", "no gain"},
		{"unknown", model.HostForecast{Outlook: model.OutlookUnknown}, "–", "–"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groupETA(tt.f, now, false); got != tt.short {
				t.Errorf("short %q, want %q", got, tt.short)
			}
			if got := groupETA(tt.f, now, true); got != tt.rng {
				t.Errorf("with range %q, want %q", got, tt.rng)
			}
		})
	}
}

// TestFunnel checks the funnel's counts, bars and changes against a hand
// count.
func TestFunnel(t *testing.T) {
	g := model.HostGroup{ID: "wms", Total: 100}
	steps := model.HostSteps{Crashed: 10, Rebooting: 20, Rescue: 5, Manual: 4, BitLocker: 1, InstanceStore: 8}
	pts := []model.HostPoint{
		{At: 0, Recovered: 0, Failed: 100, Steps: model.HostSteps{Crashed: 92, InstanceStore: 8}},
		{At: 30 * time.Minute, Recovered: 10, Failed: 90, Steps: model.HostSteps{Crashed: 50, Rebooting: 40}},
		{At: 2 * time.Hour, Recovered: 40, Failed: 48, Steps: steps},
	}
	// w 40: labels 14 ("instance store"), counts 2, changes 3 ("−82"):
	// bar = 40 - 14 - 2 - 2 = 22, less 3 + 1 for the change: 18 cells for
	// 100 hosts. crashed 10 → 10*18/100 = 1 cell; rebooting 20 → 3;
	// rescue 5 → 0, shown as 1; recovered 40 → 7; instance store 8 → 1.
	// Not reported: 100 - 40 - 48 = 12 → 2 cells. Changes against the
	// report at T+0:30, the last at least an hour before T+2h: crashed
	// 10 - 50 = −40, rebooting 20 - 40 = −20, recovered 40 - 10 = +30,
	// instance store +8, not reported 12 - (100 - 10 - 90) = +12.
	lines := drawFunnel(NewStyles(nil), g, pts, 40, 20)
	want := []string{
		"recovery steps                        1h",
		"crashed        █················· 10 −40",
		"rebooting      ███··············· 20 −20",
		"SSM rescue     █·················  5  +5",
		"manual repair  █·················  4  +4",
		"BitLocker key  █·················  1  +1",
		"recovered      ███████··········· 40 +30",
		"┄ never stopped: own path ┄┄┄┄┄┄┄┄┄┄┄┄┄┄",
		"instance store █·················  8  +8",
		"not reported   ██················ 12 +12",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("funnel:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	// Against a report without steps, only the recovered count changes.
	pts[1].Steps = model.HostSteps{}
	lines = drawFunnel(NewStyles(nil), g, pts, 40, 20)
	if !strings.HasSuffix(lines[1], " 10    ") || !strings.HasSuffix(lines[6], " 40 +30") {
		t.Errorf("against a report without steps:\n%s", strings.Join(lines, "\n"))
	}

	// A group all back shows every step empty, whether or not its source
	// counts steps.
	lines = drawFunnel(NewStyles(nil), g, []model.HostPoint{{At: 0, Recovered: 100}}, 40, 20)
	if !strings.HasPrefix(lines[0], "recovery steps") || !strings.Contains(lines[6], "recovered") ||
		!strings.Contains(lines[6], " 100") || !strings.HasSuffix(lines[1], "  0") {
		t.Errorf("all back:\n%s", strings.Join(lines, "\n"))
	}

	// A group that reports no steps: failing, recovered, and the rest.
	old := []model.HostPoint{{At: 0, Recovered: 10, Failed: 80}}
	lines = drawFunnel(NewStyles(nil), g, old, 40, 20)
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "no step counts reported") ||
		!strings.Contains(lines[1], "failing") || !strings.HasSuffix(lines[1], " 80") ||
		!strings.Contains(lines[3], "not reported") || !strings.HasSuffix(lines[3], " 10") {
		t.Errorf("without steps:\n%s", strings.Join(lines, "\n"))
	}
}

// TestHostsColumnsNarrow: at 80×24 the rows keep the counts, the rate and
// the ETA without its range; at 120×40 the range shows.
func TestHostsColumnsNarrow(t *testing.T) {
	r := newRoom(t, goldenHostsAt)
	s := r.Snapshot()
	fc := s.State.Hosts[0].Forecast(s.Clock)
	short, long := groupETA(fc, s.Clock, false), groupETA(fc, s.Clock, true)
	for _, c := range []struct {
		w, h int
		want string
		not  string
	}{{80, 24, short + " ", long}, {120, 40, long, ""}} {
		pane := paneLines(t, view(t, New(r, Options{Responder: "ic"}).(*app), c.w, c.h), "1 Hosts")
		first := pane[1]
		if !strings.Contains(first, "675/1240") || !strings.Contains(first, "/h "+c.want) ||
			(c.not != "" && strings.Contains(first, c.not)) {
			t.Errorf("%d×%d: want counts, rate and %q: %q", c.w, c.h, c.want, first)
		}
	}
}

// TestAllHostsText: the footer's total in each case, the ETA as wall time.
func TestAllHostsText(t *testing.T) {
	r := newRoom(t, 0)
	s := r.Snapshot() // T+0 is 2024-07-19 04:09 UTC
	s.Clock = 10 * time.Hour
	h := func(n float64) time.Duration { return time.Duration(n * float64(time.Hour)) }
	tests := []struct {
		name string
		a    model.AllHostsForecast
		want string
	}{
		{"nothing reported", model.AllHostsForecast{}, ""},
		{"all back", model.AllHostsForecast{Groups: 2, Done: 2}, "all hosts back"},
		{"stalled", model.AllHostsForecast{Groups: 3, Recovering: 1, Stalled: 2}, "all hosts: no ETA, 2 groups stalled"},
		{"too few", model.AllHostsForecast{Groups: 2, Recovering: 1, Unknown: 1}, "all hosts: no ETA yet, 1 group with too few reports"},
		// T+20h = Jul 20 00:09, early T+18h = Jul 19 22:09, late T+23h30 = Jul 20 03:39.
		{"ETA", model.AllHostsForecast{Groups: 2, Recovering: 2, OK: true, ETA: h(20), Early: h(18), Late: h(23.5)},
			"all hosts back ETA Jul 20 00:09 (Jul 19 22:09–Jul 20 03:39)"},
		{"no upper bound", model.AllHostsForecast{Groups: 1, Recovering: 1, OK: true, ETA: h(20), Early: h(18), Late: -1},
			"all hosts back ETA Jul 20 00:09 (Jul 19 22:09–no upper bound)"},
		{"due", model.AllHostsForecast{Groups: 1, Recovering: 1, OK: true, ETA: h(9), Early: h(8), Late: h(11)},
			"all hosts due back: ETA Jul 19 13:09 passed, not reported yet"},
	}
	for _, tt := range tests {
		if got := allHostsText(NewStyles(nil), &s, tt.a, etaFull); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// Compact: the range relative to the ETA.
	a := model.AllHostsForecast{Groups: 1, Recovering: 1, OK: true, ETA: h(20), Early: h(18), Late: h(23.5)}
	if got, want := allHostsText(NewStyles(nil), &s, a, etaCompact), "all hosts back ETA Jul 20 00:09 (−2h…+4h)"; got != want {
		t.Errorf("compact: %q, want %q", got, want)
	}
}

// TestHostsZoomSizes: the zoom fits every size from the minimum up, the
// funnel below the chart when narrow, beside it when wide.
func TestHostsZoomSizes(t *testing.T) {
	r := newRoom(t, goldenHostsAt)
	for _, size := range [][2]int{{60, 16}, {64, 20}, {100, 30}, {200, 50}} {
		a := New(r, Options{Responder: "ic"}).(*app)
		screen := view(t, a, size[0], size[1], keyMsgs("z")...)
		if !strings.Contains(screen, "Hosts › ") || !strings.Contains(screen, "recovery steps") {
			t.Errorf("%d×%d: want the zoomed group and its funnel:\n%s", size[0], size[1], screen)
		}
	}
}

// TestFollowHostZoom: a console following a commander zooms on the group
// the commander zoomed on, and goes with the commander to the next.
func TestFollowHostZoom(t *testing.T) {
	r := newRoom(t, goldenHostsAt)
	ana := console(t, r, "ana", room.RoleCommander)
	bo := console(t, r, "bo", room.RoleResponder)
	view(t, bo, 120, 40)
	view(t, ana, 120, 40, keyMsgs("j", "z")...)
	deliver(bo)
	screen := view(t, bo, 120, 40, keyMsgs("f")...)
	if !strings.Contains(screen, "Hosts › Label and manifest servers (instance store) group 2/6") {
		t.Fatalf("bo should follow ana's zoom on label-manifest:\n%s", screen)
	}
	view(t, ana, 120, 40, keyMsgs("j")...)
	deliver(bo)
	if screen = view(t, bo, 120, 40); !strings.Contains(screen, "Hosts › Carrier EDI gateways group 3/6") {
		t.Errorf("bo should go with ana to carrier-edi:\n%s", screen)
	}
}
