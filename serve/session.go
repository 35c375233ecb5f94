package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/tui"
)

// session is one SSH session in the room: a member at a console. It lives
// from the session's start to its end, whichever way it ends (q, the
// client gone, the server ending it); its console may be rebuilt within it
// when the member's role changes what the console shows.
type session struct {
	srv    *Server
	ssh    ssh.Session
	id     string
	key    gossh.PublicKey
	seat   *room.Seat
	pty    ssh.Pty
	getenv func(string) string // the client's TERM and environment

	// ctx ends with the session: ended by the server, the client's input
	// closed, or the connection gone.
	ctx    context.Context
	cancel context.CancelFunc
	keys   chan []byte // what the client types, for the console running now

	mu      sync.Mutex
	size    ssh.Window  // the terminal's size now
	run     *consoleRun // the console running now
	restart bool        // the console ends to start again for a new role
	why     string      // why the server ended the session, shown last
}

// sessionMiddleware seats the member of each session and runs its console
// (through the middleware after it, bubbletea's), then leaves the seat.
func (s *Server) sessionMiddleware(next ssh.Handler) ssh.Handler {
	return func(sh ssh.Session) {
		m, ok := sh.Context().Value(memberKey{}).(Member)
		if !ok { // public-key auth always leaves one
			wish.Fatalln(sh, "warroom: this session has no member")
			return
		}
		if cmd := sh.RawCommand(); cmd != "" {
			wish.Fatalf(sh, "warroom: this server runs no commands (%q): connect without one for the console\n", cmd)
			return
		}
		sess, err := s.open(sh, m)
		if err != nil {
			wish.Fatalf(sh, "warroom: %v\n", err)
			return
		}
		defer s.closeSession(sess)
		sess.serve(next)
	}
}

// open registers a session and seats its member, as the team says now (it
// may have been reloaded since the login).
func (s *Server) open(sh ssh.Session, m Member) (*session, error) {
	key := sh.PublicKey()
	pty, winch, _ := sh.Pty()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, errors.New("the server is shutting down")
	}
	cur, ok := s.team.Lookup(key)
	if !ok || cur.Name != m.Name {
		return nil, fmt.Errorf("the key you logged in with is no longer %s's in %s", m.Name, s.team.source())
	}
	sess := &session{srv: s, ssh: sh, key: key, pty: pty, size: pty.Window, getenv: clientEnv(sh, pty),
		keys: make(chan []byte)}
	sess.id = sessionID(sh.Context(), s.seq.Add(1))
	sess.ctx, sess.cancel = context.WithCancel(sh.Context())
	sess.seat = s.room.Join(room.Member{Name: cur.Name, Role: cur.Role}, sess.id)
	s.sessions[sess] = struct{}{}
	s.running.Add(1)
	go sess.readKeys()
	go sess.watchWindow(winch)
	s.log.Info("session started", "member", cur.Name, "role", cur.Role, "session", sess.id,
		"remote", sh.RemoteAddr().String(), "term", pty.Term, "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height))
	return sess, nil
}

// closeSession is the end of a session: the member leaves the room.
func (s *Server) closeSession(sess *session) {
	sess.seat.Leave()
	sess.cancel()
	s.mu.Lock()
	delete(s.sessions, sess)
	s.mu.Unlock()
	s.running.Done()
	s.log.Info("session ended", "member", sess.seat.Member().Name, "session", sess.id, "why", sess.reason())
}

// sessionID is unique per session: the start of the connection's session
// hash and a number the server counts.
func sessionID(ctx ssh.Context, n uint64) string {
	h := ctx.SessionID()
	return fmt.Sprintf("%.12s-%d", h, n)
}

// clientEnv looks variables up as the client's terminal has them: TERM from
// the pty request, the rest from what the client sent (OpenSSH sends only
// what SendEnv or SetEnv names, e.g. -o SetEnv=NO_COLOR=1).
func clientEnv(sh ssh.Session, pty ssh.Pty) func(string) string {
	env := map[string]string{}
	for _, kv := range sh.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	if pty.Term != "" {
		env["TERM"] = pty.Term
	}
	return func(k string) string { return env[k] }
}

// serve runs the member's console until the session ends, rebuilding it
// when a new role changes what it shows, then shows why the server ended
// it, if it did.
func (sess *session) serve(next ssh.Handler) {
	for {
		run := sess.startRun()
		next(run.view)
		run.finish()
		sess.mu.Lock()
		again := sess.restart && sess.ctx.Err() == nil
		sess.mu.Unlock()
		if !again {
			break
		}
	}
	if why := sess.reason(); why != "" {
		fmt.Fprintf(sess.ssh, "warroom: %s\n", why)
		_ = sess.ssh.Exit(1)
	}
}

// end ends the session from outside (a team reload, a shutdown), saying
// why.
func (sess *session) end(why string) {
	sess.mu.Lock()
	if sess.why == "" {
		sess.why = why
	}
	sess.mu.Unlock()
	sess.cancel()
}

func (sess *session) reason() string {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	return sess.why
}

func (sess *session) member() room.Member { return sess.seat.Member() }

// setRole gives the member a new role at once: the room enforces it from
// now on and the footer says it; a commander's console shows the
// facilitator's part of an exercise and no one else's does, so a change to
// or from commander rebuilds the console.
func (sess *session) setRole(role room.Role) {
	old := sess.seat.Member().Role
	sess.seat.SetRole(role)
	if consoleRole(old) == consoleRole(role) {
		return
	}
	sess.mu.Lock()
	sess.restart = true
	run := sess.run
	sess.mu.Unlock()
	if run != nil {
		run.cancel()
	}
	sess.srv.log.Info("console rebuilt for a new role", "member", sess.member().Name, "session", sess.id, "role", role)
}

// consoleRole is the console a role gets: a commander's is the facilitator's.
func consoleRole(r room.Role) tui.Role {
	if r == room.RoleCommander {
		return tui.RoleFacilitator
	}
	return tui.RolePlayer
}

// readKeys reads what the client types for whichever console runs. It is
// the session's one reader: a console that ended must not hold a read that
// would swallow the next console's first key. An end of input alone (ssh
// -tt < /dev/null) leaves a console that only shows; the channel's close
// ends the session (watchWindow).
func (sess *session) readKeys() {
	for {
		buf := make([]byte, 256)
		n, err := sess.ssh.Read(buf)
		if n > 0 {
			select {
			case sess.keys <- buf[:n]:
			case <-sess.ctx.Done():
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// watchWindow keeps the terminal's size and hands each change to the
// console running now. gliderlabs closes the channel of sizes when the
// session's requests end, which is when the client closed the session's
// channel or the connection went: the session ends there. (Bubbletea's
// middleware reading that closed channel itself would send the console a
// stream of zero sizes until the connection closed.)
func (sess *session) watchWindow(winch <-chan ssh.Window) {
	for {
		var w ssh.Window
		var ok bool
		select {
		case <-sess.ctx.Done():
			return
		case w, ok = <-winch:
			if !ok {
				sess.cancel()
				return
			}
		}
		sess.mu.Lock()
		same := w.Width == sess.size.Width && w.Height == sess.size.Height
		sess.size = w
		run := sess.run
		sess.mu.Unlock()
		if !same && run != nil {
			run.resize(w)
		}
	}
}

// consoleRun is one console in a session, from its start to its end.
type consoleRun struct {
	term   *tui.Terminal
	ctx    context.Context
	cancel context.CancelFunc
	winch  chan ssh.Window // the latest size not yet taken (bubbletea's middleware takes it)
	view   *runSession
	input  *runInput
}

// startRun builds the member's console at the terminal's size, with the
// client's colours, and takes the terminal over.
func (sess *session) startRun() *consoleRun {
	ctx, cancel := context.WithCancel(sess.ctx)
	run := &consoleRun{ctx: ctx, cancel: cancel, winch: make(chan ssh.Window, 1)}
	run.view = &runSession{Session: sess.ssh, run: run, pty: sess.pty, ctx: runContext{Context: sess.ssh.Context(), run: ctx}}
	run.input = &runInput{keys: sess.keys, done: ctx.Done()}

	renderer := lipgloss.NewRenderer(sess.ssh)
	renderer.SetColorProfile(tui.ColorProfile(sess.getenv))

	sess.mu.Lock()
	sess.restart = false
	role := sess.seat.Member().Role
	size := sess.size
	sess.run = run
	sess.mu.Unlock()

	opts := tui.Options{Seat: sess.seat, Role: consoleRole(role), Renderer: renderer, NoBell: sess.srv.noBell,
		Drafts: sess.srv.drafts, Getenv: sess.getenv}
	opts.Zone, opts.Status = sess.zone()
	var themeStatus string
	opts.Theme, themeStatus = sess.theme()
	opts.Status = joinStatus(opts.Status, themeStatus)
	run.term = tui.NewTerminal(sess.srv.room, opts, run.input, sess.ssh, size.Width, size.Height, tea.WithoutSignalHandler())
	run.winch <- size
	_ = run.term.Enter() // a client already gone ends the console through its input
	return run
}

// resize hands the console the latest size, replacing one it has not
// taken yet.
func (run *consoleRun) resize(w ssh.Window) {
	select {
	case <-run.winch:
	default:
	}
	select {
	case run.winch <- w:
	default:
	}
}

// finish is the end of a console: it stops taking the room's snapshots
// and gives the terminal back.
func (run *consoleRun) finish() {
	run.cancel()
	_ = run.term.Close()
}

// programOf is the program bubbletea's middleware runs for a console.
func programOf(sh ssh.Session) *tea.Program {
	if v, ok := sh.(*runSession); ok {
		return v.run.term.Program
	}
	return nil
}

// runSession is the SSH session as one console run shows it to
// bubbletea's middleware: its context ends with the run, and its window
// changes come one at a time, latest first, never as the stream of zero
// sizes a closed channel gives.
type runSession struct {
	ssh.Session
	run *consoleRun
	pty ssh.Pty // as requested: gliderlabs updates its own copy unlocked
	ctx runContext
}

func (v *runSession) Context() ssh.Context { return v.ctx }

func (v *runSession) Pty() (ssh.Pty, <-chan ssh.Window, bool) { return v.pty, v.run.winch, true }

// runContext is the connection's context (its values and metadata) ending
// with one console run.
type runContext struct {
	ssh.Context
	run context.Context
}

func (c runContext) Done() <-chan struct{}       { return c.run.Done() }
func (c runContext) Err() error                  { return c.run.Err() }
func (c runContext) Deadline() (time.Time, bool) { return c.run.Deadline() }

// runInput is the keys one console run reads: it ends (EOF) when the run
// does, so that no read of a finished console is left waiting.
type runInput struct {
	keys <-chan []byte
	done <-chan struct{}
	rest []byte
}

func (in *runInput) Read(p []byte) (int, error) {
	if len(in.rest) == 0 {
		select {
		case b := <-in.keys:
			in.rest = b
		case <-in.done:
			return 0, io.EOF // bubbletea's reader ends quietly on EOF
		}
	}
	n := copy(p, in.rest)
	in.rest = in.rest[n:]
	return n, nil
}

// zone is the zone the session's console shows times in: the TZ its client
// sent (ssh -o SetEnv=TZ=Europe/Berlin), else the server's. A TZ that
// cannot be read leaves the server's, and the console says so.
func (sess *session) zone() (*time.Location, string) {
	tz := sess.getenv("TZ")
	if tz == "" {
		return sess.srv.zone, ""
	}
	loc, err := tui.LoadClientZone(tz)
	if err != nil {
		if len(tz) > 64 {
			tz = tz[:64] + "…"
		}
		err = &tui.ZoneError{From: "TZ", Value: tz, Err: err}
		sess.srv.log.Info("client TZ not used", "member", sess.member().Name, "session", sess.id, "err", err)
		return sess.srv.zone, "your " + err.Error() + " · times are in the server's zone"
	}
	return loc, ""
}

// theme is the colours the session's console paints with: the
// WARROOM_THEME its client sent (ssh -o SetEnv=WARROOM_THEME=okabe-ito),
// else the server's. A name it does not know leaves the server's, and the
// console says so.
func (sess *session) theme() (tui.Theme, string) {
	name := sess.getenv("WARROOM_THEME")
	if name == "" {
		return sess.srv.theme, ""
	}
	th, err := tui.ParseTheme(name)
	if err != nil {
		sess.srv.log.Info("client WARROOM_THEME not used", "member", sess.member().Name, "session", sess.id, "err", err)
		return sess.srv.theme, "your WARROOM_THEME: " + err.Error() + " · the server's theme is used"
	}
	return th, ""
}

// joinStatus is two opening lines as one; either may be empty.
func joinStatus(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " · " + b
}
