package tui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/warroom/warroom/room"
)

// TestGoldenAlerts: the default scenario at T+01:10, when two of its rules
// fire (label hosts stalled since T+01:08, the backlog growing since
// T+00:45): the panes concerned are marked, the header says so; and the
// :alerts list.
func TestGoldenAlerts(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, screen := range []struct {
			name string
			keys []string
		}{
			{"fired", nil},
			{"list", []string{":", "alerts", "<enter>"}},
		} {
			t.Run(fmt.Sprintf("%dx%d_%s", size[0], size[1], screen.name), func(t *testing.T) {
				tm := start(t, newRoom(t, 70*time.Minute), size[0], size[1])
				keys(tm, screen.keys...)
				out := finish(t, tm)
				checkFrame(t, out, size[0], size[1])
				for _, want := range []string{"⚑ ALERT", "⚑"} {
					if !strings.Contains(out, want) {
						t.Errorf("no %q on the screen:\n%s", want, out)
					}
				}
				// At T+1:10 the backlog-growing rule and the stalled rule on
				// label-manifest fire: the figures they watch are marked in
				// the panes, and the group named by the rule in its row.
				if screen.name == "fired" {
					for _, want := range []string{"⚑ 355k waiting", "⚑label-manifest"} {
						if !strings.Contains(out, want) {
							t.Errorf("the figure %q should be marked:\n%s", want, out)
						}
					}
					if size[0] == 120 && !strings.Contains(out, "⚑ total 3% back") {
						t.Errorf("the hosts' total should be marked:\n%s", out)
					}
				}
				teatest.RequireEqualOutput(t, []byte(out))
			})
		}
	}
}

// bellConsole is an app on a screen writing to a buffer, as a terminal runs it.
func bellConsole(t *testing.T, r *room.Room, opts Options) (*onChange, *app, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	a := New(r, opts).(*app)
	o := &onChange{inner: a, screen: NewScreen(&out, 120, 40)}
	o.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	return o, a, &out
}

func TestBellRingsOncePerFiring(t *testing.T) {
	r := newRoom(t, 0)
	o, _, out := bellConsole(t, r, Options{Responder: "ic"})
	bells := func() int { return bytes.Count(out.Bytes(), []byte("\a")) }
	show := func(s room.Snapshot) {
		o.Update(snapshotMsg{snap: s})
		o.View()
	}
	o.View()
	steps := []struct {
		what  string
		move  func() room.Snapshot
		bells int
	}{
		{"T+0: nothing fires", func() room.Snapshot { return r.Snapshot() }, 0},
		{"T+00:50: the backlog has grown since T+00:45", func() room.Snapshot { return r.Seek(50 * time.Minute) }, 1},
		{"a redraw", func() room.Snapshot { return r.Snapshot() }, 1},
		{"T+01:00: still the same firing", func() room.Snapshot { return r.Seek(time.Hour) }, 1},
		{"T+01:10: label hosts stalled since T+01:08", func() room.Snapshot { return r.Seek(70 * time.Minute) }, 2},
		{"back to T+0 and forward again: the same firings", func() room.Snapshot {
			show(r.Seek(0))
			return r.Seek(70 * time.Minute)
		}, 2},
	}
	for _, st := range steps {
		show(st.move())
		o.View()
		if got := bells(); got != st.bells {
			t.Errorf("%s: %d bells in all, want %d", st.what, got, st.bells)
		}
	}

	quiet := newRoom(t, 70*time.Minute)
	oq, _, outq := bellConsole(t, quiet, Options{Responder: "ic", NoBell: true})
	oq.View()
	if n := bytes.Count(outq.Bytes(), []byte("\a")); n != 0 {
		t.Errorf("--no-bell: %d bells", n)
	}
}

func TestAlertsListAcknowledges(t *testing.T) {
	r := newRoom(t, 70*time.Minute)
	_, a, _ := bellConsole(t, r, Options{Responder: "ic"})
	if got := len(a.snap.State.UnackedAlerts()); got != 2 {
		t.Fatalf("unacked at T+01:10: %d, want 2", got)
	}
	a.runCommand("alerts")
	if a.overlay != overlayAlerts {
		t.Fatal(":alerts opened no list")
	}
	a.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'a'}}) // the first row: the latest firing
	if got := len(r.Snapshot().State.UnackedAlerts()); got != 1 {
		t.Errorf("after a: %d unacked in the room, want 1 (status %q)", got, a.status)
	}
	al, _ := r.Snapshot().State.Alert("labels-stalled")
	if f, _ := al.Latest(); !f.Acked || f.AckedBy != "ic" {
		t.Errorf("labels-stalled after a: %+v", f)
	}

	// An observer sees the list and cannot acknowledge.
	seat := r.Join(room.Member{Name: "obs", Role: room.RoleObserver}, "console")
	t.Cleanup(seat.Leave)
	_, ob, _ := bellConsole(t, r, Options{Seat: seat})
	ob.runCommand("alerts")
	ob.handleKey(tea.KeyMsg{Type: tea.KeyDown})
	ob.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'a'}})
	if got := len(r.Snapshot().State.UnackedAlerts()); got != 1 || !ob.statusErr || !strings.Contains(ob.status, "observer") {
		t.Errorf("an observer's a: %d unacked, status %q", got, ob.status)
	}
}

func TestTimelineHasAlertLines(t *testing.T) {
	r := newRoom(t, 2*time.Hour)
	s := r.Snapshot()
	tl := timelineOf(&s)
	if tl.Len() != len(s.State.Timeline)+len(s.State.AlertLines()) {
		t.Fatalf("%d entries, want %d + %d", tl.Len(), len(s.State.Timeline), len(s.State.AlertLines()))
	}
	var lines []string
	for i := range tl.Len() {
		e := tl.At(i)
		if i > 0 && e.At < tl.At(i-1).At {
			t.Errorf("entry %d at %v before entry %d", i, e.At, i-1)
		}
		if strings.Contains(e.Text, "ALERT") || strings.Contains(e.Text, "alert cleared") {
			lines = append(lines, e.Text)
		}
	}
	// T+00:45 the backlog grows; T+01:08 label hosts stall; T+01:54 12 are back.
	want := []string{"⚑ ALERT Delivery backlog still growing: ", "⚑ ALERT Label hosts not recovering: label-manifest 6/380",
		"✓ alert cleared: Label hosts not recovering"}
	ok := len(lines) == len(want)
	for i := range lines {
		ok = ok && i < len(want) && strings.HasPrefix(lines[i], want[i])
	}
	if !ok {
		t.Errorf("alert lines:\n%q\nwant them to start:\n%q", lines, want)
	}
}
