package serve

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// TestStalledClientDelaysNobody: a client that never reads its channel
// fills the SSH window until the server's writes to it block; the room and
// the other sessions go on at their pace, and the stalled session is
// cleaned up once its connection goes.
func TestStalledClientDelaysNobody(t *testing.T) {
	mA := newMember(t, "ana", room.RoleCommander)
	mB := newMember(t, "bo", room.RoleResponder)
	mC := newMember(t, "cy", room.RoleObserver)
	mD := newMember(t, "dy", room.RoleResponder)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv := startServer(t, r, teamOf(t, mA, mB, mC, mD))
	ana, bo, cy := connect(t, srv, mA, clientOpts{}), connect(t, srv, mB, clientOpts{}), connect(t, srv, mC, clientOpts{})
	for _, c := range []*client{ana, bo, cy} {
		c.waitText("you are " + c.name)
	}

	dy := connect(t, srv, mD, clientOpts{stalled: true})
	waitPresence(t, r, func(ps []room.Presence) bool { return len(ps) == 4 })
	blocked := blockedWriters()
	stall(t, dy)

	// An action reaches the two who read, at once.
	start := time.Now()
	bo.press(":note heard despite a stalled client\r")
	for _, c := range []*client{ana, cy} {
		c.waitText("heard despite a stalled client")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("a note took %v to reach the others with one client stalled", d)
	}

	// The room plays at its pace: at ×600 a second of play is ten minutes.
	// Its clock is read while it plays, from when ana's space has started
	// it to before her second stops it, however late each key is taken.
	ana.press(":speed 600\r")
	ana.waitText("×600")
	ana.press(" ")
	waitPlaying(t, r, true)
	from, before := time.Now(), r.Snapshot().Clock
	time.Sleep(time.Second)
	played, moved := time.Since(from), r.Snapshot().Clock-before
	ana.press(" ")
	waitPlaying(t, r, false)
	if want := 600 * played; moved < want*8/10 {
		t.Errorf("%v of play at ×600 moved the room %v with a client stalled, want about %v", played, moved, want)
	}
	at := model.FormatOffset(r.Snapshot().Clock)
	for _, c := range []*client{ana, bo, cy} {
		c.waitFor("the clock at "+at, func(rows []string) bool { return strings.Contains(rows[0], at) })
	}

	dy.close()
	waitPresence(t, r, func(ps []room.Presence) bool { return len(ps) == 3 })
	deadline := time.Now().Add(10 * time.Second)
	for blockedWriters() >= blocked+1 {
		if time.Now().After(deadline) {
			t.Fatal("a write to the dropped client is still blocked")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitPlaying waits for the room to play (on) or to be paused.
func waitPlaying(t *testing.T, r *room.Room, on bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for r.Snapshot().Playing != on {
		if time.Now().After(deadline) {
			t.Fatalf("the room never became playing=%v", on)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// blockedWriters counts the goroutines waiting for room in an SSH
// channel's window: a server writing to a client that does not read. The
// clients in this process never write that much.
func blockedWriters() int {
	buf := make([]byte, 1<<22)
	stacks := string(buf[:runtime.Stack(buf, true)])
	return strings.Count(stacks, "golang.org/x/crypto/ssh.(*window).reserve")
}

// stall resizes c's terminal (each a full repaint, about 9 kB) until one
// more of the server's writes than before blocks, and stays blocked: c
// never reads, and its window (2 MiB) is full. A write that waits a moment
// for the window and then goes on is not a stall.
func stall(t *testing.T, c *client) {
	t.Helper()
	base := blockedWriters()
	deadline := time.Now().Add(15 * time.Second)
	stalled := func() bool {
		for range 5 {
			if blockedWriters() <= base {
				return false
			}
			time.Sleep(20 * time.Millisecond)
		}
		return true
	}
	for i := 0; !stalled(); i++ {
		if time.Now().After(deadline) {
			t.Fatal("the server never blocked writing to the client that does not read")
		}
		// A size at a time, so that each is drawn rather than replaced
		// by the next before the console took it.
		if err := c.sess.WindowChange(40, 100+i%2); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestShutdownWithStalledClient: a session stuck writing to a client that
// stopped reading cannot hold Shutdown past its deadline; once cut off, it
// ends and its member leaves the room.
func TestShutdownWithStalledClient(t *testing.T) {
	mA := newMember(t, "ana", room.RoleResponder)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv := startServer(t, r, teamOf(t, mA))
	stuck := connect(t, srv, mA, clientOpts{stalled: true})
	waitPresence(t, r, func(ps []room.Presence) bool { return len(ps) == 1 })
	stall(t, stuck)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := srv.Shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("shutdown with a session stuck writing: %v, want the deadline's error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %v with a 500ms deadline", d)
	}
	waitPresence(t, r, func(ps []room.Presence) bool { return len(ps) == 0 })
}
