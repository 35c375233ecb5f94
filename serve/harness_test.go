package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// A harness for tests with real SSH: a server on a free loopback port, and
// members who connect with golang.org/x/crypto/ssh clients asking for a pty
// as a terminal does, reading what their console draws.

// testMember is someone in a test team, with a key of their own.
type testMember struct {
	name string
	role room.Role
	key  gossh.Signer
}

func newMember(tb testing.TB, name string, role room.Role) testMember {
	tb.Helper()
	return testMember{name: name, role: role, key: newSigner(tb)}
}

// newSigner makes an ed25519 key, as ssh-keygen -t ed25519 does.
func newSigner(tb testing.TB) gossh.Signer {
	tb.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		tb.Fatal(err)
	}
	return signer
}

// authorizedLine is a key as a line of authorized_keys.
func authorizedLine(k gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.PublicKey())))
}

// teamOf writes a team file for members and loads it as the server does.
func teamOf(tb testing.TB, members ...testMember) *Team {
	tb.Helper()
	var b strings.Builder
	b.WriteString("members:\n")
	for _, m := range members {
		fmt.Fprintf(&b, "  - name: %s\n    role: %s\n    keys: [%q]\n", m.name, m.role, authorizedLine(m.key))
	}
	team, err := LoadTeam("team.yaml", []byte(b.String()))
	if err != nil {
		tb.Fatalf("team file:\n%s\n%v", b.String(), err)
	}
	return team
}

// defaultRoom is a room on the default scenario at offset at, closed when
// the test ends.
func defaultRoom(tb testing.TB, at time.Duration) *room.Room {
	tb.Helper()
	data, ok := fixtures.Read(fixtures.Default)
	if !ok {
		tb.Fatal("default scenario not embedded")
	}
	sc, err := model.LoadScenario(fixtures.Default+".yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	r := room.New(sc)
	tb.Cleanup(r.Close)
	if at > 0 {
		r.Seek(at)
	}
	return r
}

// startServer serves r to team on a free loopback port, with a host key
// of its own, until the test ends.
func startServer(tb testing.TB, r *room.Room, team *Team) *Server {
	tb.Helper()
	srv, err := New(Config{Addr: "127.0.0.1:0", HostKeyPath: filepath.Join(tb.TempDir(), "host_ed25519"), Team: team, Room: r})
	if err != nil {
		tb.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		tb.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			tb.Errorf("shutdown: %v", err)
		}
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			tb.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return srv
}

// dial opens an SSH connection with key, checking the server's host key
// against the one it says it has.
func dial(srv *Server, key gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", srv.Addr(), &gossh.ClientConfig{
		User:            "test",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.FixedHostKey(srv.signer.PublicKey()),
		Timeout:         10 * time.Second,
	})
}

// client is a member at an SSH terminal.
type client struct {
	tb    testing.TB
	name  string
	conn  *gossh.Client
	sess  *gossh.Session
	stdin io.WriteCloser
	view  *terminalView
	ended chan struct{} // closed when the session's output ends
}

// clientOpts are how a client's terminal differs from the usual one.
type clientOpts struct {
	term string            // default xterm-256color
	w, h int               // default 120×40
	env  map[string]string // sent before the shell, as SetEnv does
	// stalled clients never read what the server sends.
	stalled bool
}

// connect logs m in and opens a console in a pty.
func connect(tb testing.TB, srv *Server, m testMember, o clientOpts) *client {
	tb.Helper()
	conn, err := dial(srv, m.key)
	if err != nil {
		tb.Fatalf("%s: dial: %v", m.name, err)
	}
	return openConsole(tb, conn, m.name, o)
}

// openConsole opens a console in a pty on a connection already made.
func openConsole(tb testing.TB, conn *gossh.Client, name string, o clientOpts) *client {
	tb.Helper()
	if o.term == "" {
		o.term = "xterm-256color"
	}
	if o.w == 0 {
		o.w, o.h = 120, 40
	}
	c := &client{tb: tb, name: name, conn: conn, view: newTerminalView(o.h), ended: make(chan struct{})}
	tb.Cleanup(c.close)
	var err error
	c.sess, err = conn.NewSession()
	if err != nil {
		tb.Fatalf("%s: session: %v", name, err)
	}
	for k, v := range o.env {
		if err := c.sess.Setenv(k, v); err != nil {
			tb.Fatalf("%s: setenv %s: %v", name, k, err)
		}
	}
	if err := c.sess.RequestPty(o.term, o.h, o.w, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
		tb.Fatalf("%s: pty: %v", name, err)
	}
	if c.stdin, err = c.sess.StdinPipe(); err != nil {
		tb.Fatal(err)
	}
	stdout, err := c.sess.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.sess.Shell(); err != nil {
		tb.Fatalf("%s: shell: %v", name, err)
	}
	if o.stalled {
		return c // nothing reads stdout: the channel's window fills
	}
	go func() {
		defer close(c.ended)
		_, _ = io.Copy(c.view, stdout)
	}()
	return c
}

// press types keys, as a terminal sends them in one write.
func (c *client) press(keys string) {
	c.tb.Helper()
	if _, err := io.WriteString(c.stdin, keys); err != nil {
		c.tb.Fatalf("%s: typing %q: %v", c.name, keys, err)
	}
}

// pressEach types keys one at a time, each once the console has drawn
// what the one before did: keys that arrive together in one read are taken
// as a paste, and one that changes the room (a, x) is then ignored.
func (c *client) pressEach(keys string) {
	c.tb.Helper()
	for _, k := range keys {
		before := c.view.written()
		c.press(string(k))
		if _, ok := c.view.waitBytes(before, 10*time.Second); !ok {
			c.tb.Fatalf("%s: nothing drawn after %q", c.name, k)
		}
	}
}

// waitFor waits until the screen satisfies ok, and fails after a while
// showing the screen.
func (c *client) waitFor(what string, ok func(rows []string) bool) []string {
	c.tb.Helper()
	rows, found := c.view.waitFor(ok, 10*time.Second)
	if !found {
		c.tb.Fatalf("%s: timed out waiting for %s; the screen:\n%s", c.name, what, strings.Join(rows, "\n"))
	}
	return rows
}

// waitText waits until some row shows text.
func (c *client) waitText(text string) []string {
	c.tb.Helper()
	return c.waitFor(fmt.Sprintf("%q", text), func(rows []string) bool { return rowWith(rows, text) >= 0 })
}

// waitSequence waits until what arrived, escape sequences included, matches
// re, and returns the match and its groups. Text written between frames
// (a clipboard sequence) comes after the frame that says it was sent.
func (c *client) waitSequence(what string, re *regexp.Regexp) [][]byte {
	c.tb.Helper()
	m, found := c.view.waitMatch(re, 10*time.Second)
	if !found {
		c.tb.Fatalf("%s: timed out waiting for %s; %d bytes arrived", c.name, what, c.view.written())
	}
	return m
}

// close ends the connection (a client that goes away).
func (c *client) close() { _ = c.conn.Close() }

// rowWith is the first row holding text, or -1.
func rowWith(rows []string, text string) int {
	for i, r := range rows {
		if strings.Contains(r, text) {
			return i
		}
	}
	return -1
}

// terminalView keeps what the console shows: the latest text of each row,
// without styling. It reads what tui.Screen writes — a cursor move to column
// 1 of a row, the row's whole text, an erase to the end of the line or of
// the screen — through the ansi package's parser; it is not a terminal
// emulator and needs none for that. Everything printed is also kept in
// order (raw), for text written outside the console.
type terminalView struct {
	mu      sync.Mutex
	parser  *ansi.Parser
	rows    []strings.Builder
	cur     int
	raw     strings.Builder
	bytes   int
	all     []byte        // every byte as it came
	changed chan struct{} // closed at every write, then replaced
}

func newTerminalView(h int) *terminalView {
	v := &terminalView{rows: make([]strings.Builder, h), changed: make(chan struct{})}
	v.parser = ansi.NewParser()
	v.parser.SetHandler(ansi.Handler{
		Print: func(r rune) {
			if v.cur >= 0 && v.cur < len(v.rows) {
				v.rows[v.cur].WriteRune(r)
			}
			v.raw.WriteRune(r)
		},
		Execute: func(b byte) {
			if b == '\n' {
				v.cur++
				v.raw.WriteByte('\n')
			}
		},
		HandleCsi: func(cmd ansi.Cmd, params ansi.Params) {
			if cmd.Prefix() != 0 {
				return
			}
			switch cmd.Final() {
			case 'H': // the cursor to a row (Screen always goes to column 1)
				row, _, _ := params.Param(0, 1)
				v.cur = row - 1
				if v.cur >= 0 && v.cur < len(v.rows) {
					v.rows[v.cur].Reset()
				}
			case 'J': // erase below (0) or all (2)
				mode, _, _ := params.Param(0, 0)
				from := v.cur + 1
				if mode == 2 {
					from = 0
				}
				for i := max(from, 0); i < len(v.rows); i++ {
					v.rows[i].Reset()
				}
			}
		},
	})
	return v
}

func (v *terminalView) Write(p []byte) (int, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.parser.Parse(p)
	v.bytes += len(p)
	v.all = append(v.all, p...)
	close(v.changed)
	v.changed = make(chan struct{})
	return len(p), nil
}

// snapshot is the rows now, and what was printed so far.
func (v *terminalView) snapshot() (rows []string, raw string, changed <-chan struct{}) {
	v.mu.Lock()
	defer v.mu.Unlock()
	rows = make([]string, len(v.rows))
	for i := range v.rows {
		rows[i] = v.rows[i].String()
	}
	return rows, v.raw.String(), v.changed
}

// received is every byte so far, escape sequences included.
func (v *terminalView) received() []byte {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]byte(nil), v.all...)
}

func (v *terminalView) written() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.bytes
}

// waitBytes waits up to d for more than n bytes to have arrived.
func (v *terminalView) waitBytes(n int, d time.Duration) (int, bool) {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		v.mu.Lock()
		got, changed := v.bytes, v.changed
		v.mu.Unlock()
		if got > n {
			return got, true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return got, false
		}
	}
}

// waitMatch waits up to d for every byte so far to match re.
func (v *terminalView) waitMatch(re *regexp.Regexp, d time.Duration) ([][]byte, bool) {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		v.mu.Lock()
		m, changed := re.FindSubmatch(v.all), v.changed
		v.mu.Unlock()
		if m != nil {
			return m, true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return nil, false
		}
	}
}

// waitFor waits up to d for the rows to satisfy ok.
func (v *terminalView) waitFor(ok func(rows []string) bool, d time.Duration) ([]string, bool) {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		rows, _, changed := v.snapshot()
		if ok(rows) {
			return rows, true
		}
		select {
		case <-changed:
		case <-deadline.C:
			rows, _, _ := v.snapshot()
			return rows, false
		}
	}
}
