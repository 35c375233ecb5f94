package serve

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// The clients of these benchmarks run in the benchmark's process: their
// decryption and reading compete with the server for the same cores, so
// the figures are what one machine serving and watching itself measures.

// fanOutRound is one event published and the sessions that have shown it.
type fanOutRound struct {
	marker []byte
	start  time.Time
	seen   []time.Duration // per session: from publishing to the bytes on its client
	wg     sync.WaitGroup
}

// benchSession is one member's SSH session at a 120×40 pty whose output is
// read as it comes and searched for the current round's marker.
type benchSession struct {
	i     int
	conn  *gossh.Client
	found *fanOutRound // the last round this session saw
}

// BenchmarkFanOut: N sessions show the room; one action (a note) is
// published; each session's time until its client has received the frame
// with the note. p50/p99/max over every session of every round.
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := defaultRoom(b, 3*time.Hour+40*time.Minute)
			fanOut(b, r, n, func(text string) error {
				_, err := r.Act("bench", model.Note{Author: "bench", Text: text}, "")
				return err
			})
		})
	}
}

// BenchmarkFanOutIngest: the same with the event ingested into a live room
// (a note arriving from a source), which rewrites no history: each console
// redraws only what the event changed, where an action's insertion moves
// the room's epoch and every pane redraws.
func BenchmarkFanOutIngest(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			sc := defaultRoom(b, 0).Scenario()
			live := *sc
			live.Meta.Start = time.Now().Add(-6 * time.Hour)
			live.Events = nil
			r := room.NewLive(&live)
			b.Cleanup(r.Close)
			fanOut(b, r, n, func(text string) error {
				r.Ingest([]model.Event{{At: time.Since(live.Meta.Start), Source: "bench", Body: model.Note{Author: "bench", Text: text}}})
				return nil
			})
		})
	}
}

// fanOut connects n sessions to r and times publish (one event holding a
// marker text) until every client has it.
func fanOut(b *testing.B, r *room.Room, n int, publish func(text string) error) {
	m := newMember(b, "ana", room.RoleResponder)
	srv := startServer(b, r, teamOf(b, m))
	var current atomic.Pointer[fanOutRound]
	ready := &fanOutRound{marker: []byte("you are ana"), start: time.Now(), seen: make([]time.Duration, n)}
	ready.wg.Add(n)
	current.Store(ready)
	for i := range n {
		s := &benchSession{i: i}
		out := openBenchSession(b, srv, m, s)
		go s.read(out, &current)
	}
	ready.wg.Wait()

	var all []time.Duration
	round := 0
	for b.Loop() {
		round++
		f := &fanOutRound{marker: fmt.Appendf(nil, "fan-out round %06d", round), seen: make([]time.Duration, n)}
		f.wg.Add(n)
		current.Store(f)
		f.start = time.Now()
		if err := publish(string(f.marker)); err != nil {
			b.Fatal(err)
		}
		waitRound(b, f)
		all = append(all, f.seen...)
	}
	slices.Sort(all)
	q := func(p float64) float64 {
		return float64(all[min(int(p*float64(len(all))), len(all)-1)]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}

func waitRound(b *testing.B, f *fanOutRound) {
	done := make(chan struct{})
	go func() { f.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		b.Fatal("a round did not reach every session in a minute")
	}
}

// openBenchSession logs m in with a 120×40 pty and returns its output.
func openBenchSession(b *testing.B, srv *Server, m testMember, s *benchSession) io.Reader {
	b.Helper()
	conn, err := dial(srv, m.key)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	s.conn = conn
	sess, err := conn.NewSession()
	if err != nil {
		b.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		b.Fatal(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		b.Fatal(err)
	}
	return out
}

// read takes a session's output as it arrives and notes when the current
// round's marker is in it (a marker cut between two reads included).
func (s *benchSession) read(out io.Reader, current *atomic.Pointer[fanOutRound]) {
	buf := make([]byte, 16<<10)
	var tail []byte
	for {
		n, err := out.Read(buf)
		if n > 0 {
			f := current.Load()
			if f != s.found {
				data := append(tail, buf[:n]...)
				if bytes.Contains(data, f.marker) {
					f.seen[s.i] = time.Since(f.start)
					s.found = f
					f.wg.Done()
				}
			}
			keep := min(n, 32)
			tail = append(tail[:0], buf[n-keep:n]...)
		}
		if err != nil {
			return
		}
	}
}

// BenchmarkSessionMemory: the live heap each connected session adds, its
// console drawn, measured after a full collection with N sessions open. It
// counts both ends of each connection: the clients live in this process.
func BenchmarkSessionMemory(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := newMember(b, "ana", room.RoleResponder)
			r := defaultRoom(b, 3*time.Hour+40*time.Minute)
			srv := startServer(b, r, teamOf(b, m))
			if err := oneSession(srv, m); err != nil { // whatever starts once
				b.Fatal(err)
			}
			var perSession float64
			for b.Loop() {
				before := liveHeap()
				var current atomic.Pointer[fanOutRound]
				ready := &fanOutRound{marker: []byte("you are ana"), seen: make([]time.Duration, n)}
				ready.wg.Add(n)
				current.Store(ready)
				conns := make([]*gossh.Client, n)
				for i := range n {
					s := &benchSession{i: i}
					out := openBenchSession(b, srv, m, s)
					conns[i] = s.conn
					go s.read(out, &current)
				}
				waitRound(b, ready)
				perSession = float64(liveHeap()-before) / float64(n)
				for _, c := range conns {
					c.Close()
				}
				for len(r.Presence()) > 0 {
					time.Sleep(10 * time.Millisecond)
				}
			}
			b.ReportMetric(perSession/(1<<20), "MiB/session")
		})
	}
}
