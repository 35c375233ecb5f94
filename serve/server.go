package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/activeterm"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/tui"
)

// ErrServerClosed is what Serve returns after Shutdown.
var ErrServerClosed = ssh.ErrServerClosed

// Config is what a server serves, where, and to whom.
type Config struct {
	// Addr is the address to listen on, e.g. 127.0.0.1:2222; port 0 picks
	// a free one (Addr reports it).
	Addr string
	// HostKeyPath is the server's private host key, created on first start
	// (DefaultHostKeyPath is the usual place).
	HostKeyPath string
	// Team is who may enter and as what; SetTeam replaces it.
	Team *Team
	// Room is the one room every session sits in. Its caller opened it and
	// closes it after Shutdown.
	Room *room.Room
	// Logger gets a line for every session and refused key; nil discards.
	Logger *slog.Logger
	// NoBell keeps every session's terminal bell quiet when an alert fires.
	NoBell bool
	// Zone is the zone a console shows wall-clock times in when its client
	// sends no TZ of its own (ssh -o SetEnv=TZ=Europe/Berlin); nil is UTC.
	Zone *time.Location
	// Drafts is the status-update drafts every console offers (c); nil
	// offers none.
	Drafts *tui.Drafts
	// Theme is the consoles' colours when a client sends no WARROOM_THEME
	// of its own (ssh -o SetEnv=WARROOM_THEME=high-contrast); the zero
	// Theme is the default one.
	Theme tui.Theme
}

// Server serves one room over SSH: each session a console of its own over
// the shared room, members known by their public keys.
type Server struct {
	room   *room.Room
	log    *slog.Logger
	addr   string
	signer gossh.Signer
	ssh    *ssh.Server
	seq    atomic.Uint64  // numbers sessions, for their ids
	noBell bool           // sessions' consoles ring no bell
	zone   *time.Location // the consoles' zone, unless a client sends its TZ
	drafts *tui.Drafts
	theme  tui.Theme // the consoles' colours, unless a client sends its WARROOM_THEME

	mu       sync.Mutex
	team     *Team
	ln       net.Listener
	sessions map[*session]struct{}
	closing  bool
	running  sync.WaitGroup // session handlers still running
}

// New builds a server: it loads the host key, or creates it on first start.
// It does not listen yet (Listen, then Serve).
func New(cfg Config) (*Server, error) {
	if cfg.Room == nil {
		return nil, errors.New("serve: no room to serve")
	}
	if cfg.Team == nil || len(cfg.Team.Members) == 0 {
		return nil, errors.New("serve: no team: nobody could enter")
	}
	signer, err := hostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{room: cfg.Room, log: log, addr: cfg.Addr, signer: signer, team: cfg.Team, zone: cfg.Zone, theme: cfg.Theme,
		sessions: map[*session]struct{}{}, noBell: cfg.NoBell, drafts: cfg.Drafts}
	s.ssh, err = wish.NewServer(
		wish.WithVersion("warroom"),
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		// Public keys only: with no password or keyboard-interactive
		// handler the server offers neither.
		wish.WithPublicKeyAuth(s.authorize),
		// Middlewares run last to first: activeterm turns a session
		// without a terminal away, then the session takes its seat and
		// console, which bubbletea's middleware runs.
		wish.WithMiddleware(
			// Sessions never draw with lipgloss's default renderer (each
			// has its own); whatever would, comes out without colour
			// rather than in some other client's.
			bm.MiddlewareWithProgramHandler(programOf, termenv.Ascii),
			s.sessionMiddleware,
			activeterm.Middleware(),
		),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return s, nil
}

// Fingerprint is the host key's SHA256 fingerprint, as ssh-keygen -l and
// ssh's first-connection prompt print it, for responders to check.
func (s *Server) Fingerprint() string { return gossh.FingerprintSHA256(s.signer.PublicKey()) }

// Listen opens the listening socket; Addr is its address from then on.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("serve: listen: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		ln.Close()
		return ErrServerClosed
	}
	s.ln = ln
	return nil
}

// Addr is the address the server listens on (the real port when Config.Addr
// asked for port 0), or the configured one before Listen.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return s.ln.Addr().String()
	}
	return s.addr
}

// Serve accepts connections on the socket Listen opened until Shutdown;
// it then returns ErrServerClosed.
func (s *Server) Serve() error {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		return errors.New("serve: Serve before Listen")
	}
	s.log.Info("serving the room over SSH", "addr", ln.Addr().String(), "host_key", s.Fingerprint())
	err := s.ssh.Serve(ln)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return ErrServerClosed // Shutdown closed the listener under it
	}
	return err
}

// Shutdown stops taking connections, ends every session (each console
// quits, leaves its seat and tells its member why) and waits for them until
// ctx is done; whatever is left then (a client that stopped reading) is cut
// off. The room stays open: it is its caller's.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	if s.ln != nil {
		s.ln.Close() // no new connections while the sessions end
	}
	sessions := s.sessionsLocked()
	s.mu.Unlock()
	for _, sess := range sessions {
		sess.end("the server is shutting down")
	}
	done := make(chan struct{})
	go func() {
		s.running.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("serve: shutdown: sessions still open, cut off: %w", ctx.Err())
	}
	// Close cuts every connection: those whose sessions ended (a client
	// may keep its connection open), and any session still writing to a
	// client that stopped reading, which then ends.
	if cerr := s.ssh.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) {
		err = errors.Join(err, fmt.Errorf("serve: close: %w", cerr))
	}
	return err
}

// Team is the team the server lets in now.
func (s *Server) Team() *Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.team
}

// SetTeam replaces the team (the file was re-read): new logins use it at
// once; a member whose role changed has it at once in every open session;
// a member no longer in the team, or whose key was taken out, is
// disconnected with a line saying why; everyone else keeps their session.
func (s *Server) SetTeam(t *Team) {
	if t == nil {
		t = &Team{} // nobody may enter
	}
	s.mu.Lock()
	s.team = t
	sessions := s.sessionsLocked()
	s.mu.Unlock()
	for _, sess := range sessions {
		m, ok := t.Lookup(sess.key)
		switch {
		case !ok && hasMember(t, sess.member().Name):
			sess.end(fmt.Sprintf("the key this session used (%s) was taken out of %s's entry in %s",
				gossh.FingerprintSHA256(sess.key), sess.member().Name, t.source()))
		case !ok:
			sess.end(fmt.Sprintf("%s is no longer in %s", sess.member().Name, t.source()))
		case m.Name != sess.member().Name:
			sess.end(fmt.Sprintf("the key this session used (%s) is now %s's in %s, not %s's",
				gossh.FingerprintSHA256(sess.key), m.Name, t.source(), sess.member().Name))
		case m.Role != sess.member().Role:
			sess.setRole(m.Role)
		}
	}
	s.log.Info("team reloaded", "members", len(t.Members), "file", t.File)
}

func hasMember(t *Team, name string) bool {
	_, ok := t.Member(name)
	return ok
}

// authorize lets a key in when it is a member's, and remembers whose for
// the session; any other key is refused before a screen is drawn.
func (s *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	m, ok := s.Team().Lookup(key)
	if !ok {
		s.log.Warn("refused a key that is not in the team", "key", gossh.FingerprintSHA256(key),
			"user", ctx.User(), "remote", ctx.RemoteAddr().String())
		return false
	}
	ctx.SetValue(memberKey{}, m)
	return true
}

// memberKey is where authorize leaves the member in a connection's context.
type memberKey struct{}

func (s *Server) sessionsLocked() []*session {
	out := make([]*session, 0, len(s.sessions))
	for sess := range s.sessions {
		out = append(out, sess)
	}
	return out
}
