package serve

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/room"
)

// TestConnectDisconnectLeavesNothing: a thousand sessions, each a real
// login with a pty that draws its first frame and then drops, leave no
// goroutine and no memory behind.
func TestConnectDisconnectLeavesNothing(t *testing.T) {
	cycles := 1000
	if testing.Short() || raceEnabled {
		cycles = 150
	}
	m := newMember(t, "ana", room.RoleResponder)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv := startServer(t, r, teamOf(t, m))

	// A first round starts whatever the runtime and the packages start once.
	for i := 0; i < 20; i++ {
		if err := oneSession(srv, m); err != nil {
			t.Fatal(err)
		}
	}
	settle(t, r, -1)
	goroutines, heap := runtime.NumGoroutine(), liveHeap()

	start := time.Now()
	for i := 0; i < cycles; i++ {
		if err := oneSession(srv, m); err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
	}
	t.Logf("%d sessions in %v (%v each)", cycles, time.Since(start).Round(time.Millisecond),
		(time.Since(start) / time.Duration(cycles)).Round(10*time.Microsecond))
	after := settle(t, r, goroutines+3)
	grown := liveHeap() - heap
	t.Logf("goroutines %d before, %d after; live heap %+d bytes", goroutines, after, grown)
	// A session holds well over 100 kB while it is open (its console,
	// pane caches, the SSH channel's buffers): 1000 of them left behind
	// would be 100 MB; a kilobyte each would still be a megabyte.
	if grown > 512<<10 {
		t.Errorf("the live heap grew %d bytes over %d sessions", grown, cycles)
	}
}

// oneSession logs in, opens a console in a pty, waits for its first frame
// and drops the connection, keeping nothing.
func oneSession(srv *Server, m testMember) error {
	conn, err := dial(srv, m.key)
	if err != nil {
		return err
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		return err
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		return err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return err
	}
	if err := sess.Shell(); err != nil {
		return err
	}
	want := []byte("you are " + m.name)
	var got []byte
	buf := make([]byte, 32<<10)
	for !bytes.Contains(got, want) {
		n, err := out.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			return fmt.Errorf("the first frame never came (%d bytes): %w", len(got), err)
		}
	}
	return nil
}

// settle waits until the room is empty and, when want ≥ 0, the goroutines
// are down to want; it returns their number.
func settle(t *testing.T, r *room.Room, want int) int {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if len(r.Presence()) == 0 && (want < 0 || n <= want) {
			if want < 0 { // let the last sessions' goroutines end
				time.Sleep(100 * time.Millisecond)
				n = runtime.NumGoroutine()
			}
			return n
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, want at most %d; %d still in the room; goroutines:\n%s",
				n, want, len(r.Presence()), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// TestSessionEnds: however a session ends — the member quits with q, the
// client closes the session's channel but keeps its connection — the seat
// is left, the terminal is given back, and nothing of it keeps running.
func TestSessionEnds(t *testing.T) {
	m := newMember(t, "ana", room.RoleResponder)
	r := defaultRoom(t, 0)
	srv := startServer(t, r, teamOf(t, m))
	if err := oneSession(srv, m); err != nil { // whatever starts once
		t.Fatal(err)
	}
	base := settle(t, r, -1)

	quits := connect(t, srv, m, clientOpts{})
	quits.waitText("you are ana")
	quits.press("q")
	waitEnded(t, quits)
	if err := quits.sess.Wait(); err != nil {
		t.Errorf("q: the session ended with %v, want status 0", err)
	}
	if got := quits.view.received(); !bytes.HasSuffix(got, []byte("\x1b[?1049l")) {
		t.Errorf("q: the terminal was not given back (alternate screen left); it ends %q", tail(string(got), 40))
	}
	quits.close()
	settle(t, r, base)

	// The connection stays open: its own goroutines (the client's and the
	// server's) stay; the session's go.
	conn, err := dial(srv, m.key)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	connected := settle(t, r, -1)
	closes := openConsole(t, conn, m.name, clientOpts{})
	closes.waitText("you are ana")
	if err := closes.sess.Close(); err != nil {
		t.Fatal(err)
	}
	waitPresence(t, r, func(ps []room.Presence) bool { return len(ps) == 0 })
	settle(t, r, connected)
}
