package serve

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/room"
)

// TestZonePerSession: each console shows times in the TZ its client sends
// (ssh -o SetEnv=TZ=...), else in the server's zone; a TZ that cannot be
// read leaves the server's zone, and the console says so. At T+06:00 the
// wall clock is 2024-07-19 10:09 UTC (T+0 is 04:09 UTC), 12:09 in Berlin
// (CEST, UTC+2) and 06:09 in New York (EDT, UTC−4).
func TestZonePerSession(t *testing.T) {
	ana := newMember(t, "ana", room.RoleCommander)
	bo := newMember(t, "bo", room.RoleResponder)
	cy := newMember(t, "cy", room.RoleObserver)
	srv := startServer(t, defaultRoom(t, 6*time.Hour), teamOf(t, ana, bo, cy))
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo on this machine:", err)
	}
	srv.zone = ny

	berlin := connect(t, srv, ana, clientOpts{env: map[string]string{"TZ": "Europe/Berlin"}})
	plain := connect(t, srv, bo, clientOpts{})
	bad := connect(t, srv, cy, clientOpts{env: map[string]string{"TZ": "Mars/Olympus"}})
	header := func(c *client, want string) {
		t.Helper()
		rows := c.waitFor(want, func(rows []string) bool { return len(rows) > 0 && strings.Contains(rows[0], want) })
		for _, other := range []string{"UTC", "CEST", "EDT"} {
			if other != want[len(want)-len(other):] && strings.Contains(rows[0], other) {
				t.Errorf("%s: header names %s too: %q", c.name, other, rows[0])
			}
		}
	}
	header(berlin, "2024-07-19 12:09 CEST")
	header(plain, "2024-07-19 06:09 EDT")
	header(bad, "2024-07-19 06:09 EDT")
	bad.waitText(`your TZ "Mars/Olympus": unknown time zone`)

	// A client's TZ is a zone's name, never a path the server would read:
	// not /dev/zero (an endless read), not a file whose existence the
	// message would give away.
	for _, path := range []string{"/dev/zero", "/etc/passwd", ":/etc/hostname", "../../etc/passwd"} {
		c := connect(t, srv, cy, clientOpts{env: map[string]string{"TZ": path}})
		header(c, "2024-07-19 06:09 EDT")
		rows := c.waitText("unknown time zone: want a name such as Europe/Berlin")
		if screen := strings.Join(rows, "\n"); strings.Contains(screen, "no such file") || strings.Contains(screen, "zoneinfo") {
			t.Errorf("TZ=%s: the message tells about the server's files:\n%s", path, screen)
		}
		c.close()
	}
}
