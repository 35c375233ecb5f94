package tui

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
)

// berlin is Europe/Berlin, or the test is skipped on a machine without
// zoneinfo.
func berlin(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		tb.Skip("no zoneinfo:", err)
	}
	return loc
}

func TestLoadZone(t *testing.T) {
	berlin(t)
	cases := []struct {
		in, want string // want: the zone's name, or "" for an error
	}{
		{"", "UTC"},
		{"UTC", "UTC"},
		{"Europe/Berlin", "Europe/Berlin"},
		{":Europe/Berlin", "Europe/Berlin"}, // TZ's POSIX form
		{" America/New_York ", "America/New_York"},
		{"Mars/Olympus", ""},
		{"Local", ""}, // the machine's zone is not a choice a shared room can make for a client
		{"../../etc/passwd", ""},
		{"/nonexistent/zoneinfo/file", ""},
	}
	if _, err := os.Stat("/usr/share/zoneinfo/Asia/Tokyo"); err == nil {
		cases = append(cases, struct{ in, want string }{"/usr/share/zoneinfo/Asia/Tokyo", "/usr/share/zoneinfo/Asia/Tokyo"})
	}
	for _, c := range cases {
		loc, err := LoadZone(c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("LoadZone(%q) = %v, want an error", c.in, loc)
		case c.want != "" && err != nil:
			t.Errorf("LoadZone(%q): %v", c.in, err)
		case c.want != "" && loc.String() != c.want:
			t.Errorf("LoadZone(%q) = %v, want %s", c.in, loc, c.want)
		}
	}
}

// TestChooseZone: --tz wins over TZ, TZ over UTC; an error names where the
// value came from and the value.
// TestLoadClientZone: a zone another machine sent is a name only; a path
// given to --tz is read only when it is a regular file of a zoneinfo's size.
func TestLoadClientZone(t *testing.T) {
	for _, ok := range []string{"UTC", ":UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5"} {
		if _, err := LoadClientZone(ok); err != nil && !strings.Contains(ok, "/") {
			t.Errorf("%q: %v", ok, err)
		} else if err != nil {
			t.Logf("%q: %v (no zoneinfo on this machine?)", ok, err)
		}
	}
	for _, bad := range []string{"/dev/zero", "/etc/passwd", ":/etc/hostname", "../../etc/passwd", "Europe/../../etc/passwd",
		"Europe/Berlin\x1b[31m", strings.Repeat("A", 65)} {
		if _, err := LoadClientZone(bad); err == nil {
			t.Errorf("%q: taken as a zone", bad)
		} else if strings.Contains(err.Error(), "no such file") || strings.Contains(err.Error(), "zoneinfo") {
			t.Errorf("%q: the error tells about files: %v", bad, err)
		}
	}
	// A path is for --tz on one's own machine; a device is no zone file.
	if _, err := LoadZone("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a zoneinfo file") {
		t.Errorf("/dev/zero: %v", err)
	}
}

func TestChooseZone(t *testing.T) {
	berlin(t)
	env := func(tz string) func(string) string {
		return func(k string) string {
			if k == "TZ" {
				return tz
			}
			return ""
		}
	}
	cases := []struct {
		flag      string
		flagGiven bool
		tz        string
		want      string // a zone, or the start of the error
	}{
		{"", false, "", "UTC"},
		{"", false, "Europe/Berlin", "Europe/Berlin"},
		{"America/New_York", true, "Europe/Berlin", "America/New_York"},
		{"UTC", true, "Europe/Berlin", "UTC"},
		{"", true, "Europe/Berlin", "UTC"}, // --tz "" asks for UTC
		{"Mars/Olympus", true, "Europe/Berlin", `--tz "Mars/Olympus": unknown time zone`},
		{"", false, "Mars/Olympus", `TZ "Mars/Olympus": unknown time zone`},
		{"UTC", true, "Mars/Olympus", "UTC"}, // a bad TZ does not matter when --tz is given
	}
	for _, c := range cases {
		loc, err := ChooseZone(c.flag, c.flagGiven, env(c.tz))
		var ze *ZoneError
		switch {
		case err != nil && !errors.As(err, &ze):
			t.Errorf("%+v: error %v is not a ZoneError", c, err)
		case err != nil && !strings.HasPrefix(err.Error(), c.want):
			t.Errorf("%+v: error %q, want it to start %q", c, err, c.want)
		case err == nil && loc.String() != c.want:
			t.Errorf("%+v: %v, want %s", c, loc, c.want)
		}
	}
}

// TestWallTimes: the header's long and short forms and the panes' times in
// UTC and in other zones. 10:09 UTC on 19 July is 12:09 in Berlin (CEST,
// UTC+2, summer time); 10:09 UTC on 15 January is 11:09 (CET, UTC+1).
func TestWallTimes(t *testing.T) {
	be := berlin(t)
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip(err)
	}
	summer := time.Date(2024, 7, 19, 10, 9, 0, 0, time.UTC)
	winter := time.Date(2024, 1, 15, 10, 9, 0, 0, time.UTC)
	cases := []struct {
		zone                     *time.Location
		at                       time.Time
		long, short, pane, stamp string
	}{
		{nil, summer, "2024-07-19 10:09 UTC", "Jul 19 10:09Z", "Jul 19 10:09", "Jul 19 10:09 UTC"},
		{time.UTC, summer, "2024-07-19 10:09 UTC", "Jul 19 10:09Z", "Jul 19 10:09", "Jul 19 10:09 UTC"},
		{be, summer, "2024-07-19 12:09 CEST", "Jul 19 12:09 CEST", "Jul 19 12:09", "Jul 19 12:09 CEST"},
		{be, winter, "2024-01-15 11:09 CET", "Jan 15 11:09 CET", "Jan 15 11:09", "Jan 15 11:09 CET"},
		// No letters for São Paulo's zone: the offset, UTC−3, names it.
		{sp, summer, "2024-07-19 07:09 -03", "Jul 19 07:09 -03", "Jul 19 07:09", "Jul 19 07:09 -03"},
	}
	for _, c := range cases {
		st := NewStyles(nil)
		st.Zone = c.zone
		long, short := st.headerWall(c.at)
		if long != c.long || short != c.short || st.wallShort(c.at) != c.pane || st.wallStamp(c.at) != c.stamp {
			t.Errorf("%v at %v: %q %q %q %q, want %q %q %q %q", c.zone, c.at, long, short, st.wallShort(c.at),
				st.wallStamp(c.at), c.long, c.short, c.pane, c.stamp)
		}
	}
}

// TestGoldenZone: the whole screen in Europe/Berlin at both sizes — the
// header names the zone and fits, and the ETAs in the backlog pane and the
// summary strip are Berlin's — and the header in UTC, as every other
// golden screen has it. At T+48h the clock is 2024-07-21 04:09 UTC, 06:09
// CEST.
func TestGoldenZone(t *testing.T) {
	be := berlin(t)
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, z := range []struct {
			name   string
			zone   *time.Location
			header string
			short  string // when the header is short of room (alerts in it at 80 columns)
		}{{"UTC", nil, "2024-07-21 04:09 UTC", "Jul 21 04:09Z"}, {"Berlin", be, "2024-07-21 06:09 CEST", "Jul 21 06:09 CEST"}} {
			t.Run(fmt.Sprintf("%s_%dx%d", z.name, size[0], size[1]), func(t *testing.T) {
				r := newRoom(t, 48*time.Hour)
				tm := teatest.NewTestModel(t, New(r, Options{Responder: "ic", Zone: z.zone}),
					teatest.WithInitialTermSize(size[0], size[1]))
				screen := finish(t, tm)
				checkFrame(t, screen, size[0], size[1])
				head := strings.Split(screen, "\n")[0]
				if !(strings.Contains(head, z.header) || size[0] < 120 && strings.Contains(head, z.short)) || !strings.Contains(head, "T+48:00") {
					t.Errorf("header should show %s and T+48:00: %q", z.header, head)
				}
				// The ETA the backlog pane shows is the forecast's, in the zone.
				s := r.Snapshot()
				st := NewStyles(nil)
				st.Zone = z.zone
				fc := s.State.BacklogForecast()
				if fc.OK && fc.Draining {
					if eta := "ETA " + st.wallShort(s.Scenario.WallTime(fc.ETA)); !strings.Contains(screen, eta) {
						t.Errorf("the screen should show %q:\n%s", eta, screen)
					}
				}
				if z.zone != nil {
					teatest.RequireEqualOutput(t, []byte(screen))
				}
			})
		}
	}
}

// TestNoticeSaysZone: a carrier notice's times name the zone they are in.
func TestNoticeSaysZone(t *testing.T) {
	be := berlin(t)
	r := newRoom(t, 6*time.Hour)
	tm := teatest.NewTestModel(t, New(r, Options{Responder: "ic", Zone: be}), teatest.WithInitialTermSize(120, 40))
	keys(tm, "3", "<enter>")
	screen := finish(t, tm)
	if !strings.Contains(screen, "CEST)") || strings.Contains(screen, "UTC)") {
		t.Errorf("the notice's times should be in CEST:\n%s", screen)
	}
}

// TestDebriefFileStaysUTC: the --out debrief is a file read elsewhere and
// later: it keeps UTC, and says so, whatever zone the console showed.
func TestDebriefFileStaysUTC(t *testing.T) {
	r := newRoom(t, 6*time.Hour)
	path := t.TempDir() + "/debrief.md"
	if err := afterRun(r, Options{DebriefOut: path, Zone: berlin(t)}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// T+06:00 is 10:09 UTC, 12:09 CEST.
	if !strings.Contains(string(md), "10:09 UTC") || strings.Contains(string(md), "CEST") {
		t.Errorf("the debrief file should be in UTC and say so:\n%s", md)
	}
}
