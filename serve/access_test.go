package serve

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/room"
)

// TestUnknownKeyRefused: a key that is not in the team file is refused at
// authentication: the client's Dial fails and not a byte of a screen is
// sent; so is a password, which the server never offers.
func TestUnknownKeyRefused(t *testing.T) {
	ana := newMember(t, "ana", room.RoleCommander)
	r := defaultRoom(t, 0)
	srv := startServer(t, r, teamOf(t, ana))

	stranger := newSigner(t)
	conn, err := dial(srv, stranger)
	if err == nil {
		conn.Close()
		t.Fatal("a key that is not in the team was let in")
	}
	if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("dial: %v, want an authentication failure", err)
	}

	conn, err = gossh.Dial("tcp", srv.Addr(), &gossh.ClientConfig{
		User: "ana", Auth: []gossh.AuthMethod{gossh.Password("ana"), gossh.KeyboardInteractive(
			func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		HostKeyCallback: gossh.FixedHostKey(srv.signer.PublicKey()), Timeout: 5 * time.Second,
	})
	if err == nil {
		conn.Close()
		t.Fatal("a password was let in")
	}
	if !strings.Contains(err.Error(), "attempted methods [none]") {
		t.Errorf("dial with a password: %v, want the server to offer no method but public keys", err)
	}
	if got := r.Snapshot().Members(); got != 0 {
		t.Errorf("%d members in the room after refused logins", got)
	}
}

// TestUnknownKeySeesNoScreen: at the byte level, a refused client receives
// the SSH handshake and nothing else, in particular none of the console's
// escape sequences or text.
func TestUnknownKeySeesNoScreen(t *testing.T) {
	ana := newMember(t, "ana", room.RoleCommander)
	srv := startServer(t, defaultRoom(t, 0), teamOf(t, ana))
	raw, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingConn{Conn: raw}
	_, _, _, err = gossh.NewClientConn(rec, srv.Addr(), &gossh.ClientConfig{
		User: "ana", Auth: []gossh.AuthMethod{gossh.PublicKeys(newSigner(t))},
		HostKeyCallback: gossh.FixedHostKey(srv.signer.PublicKey()),
	})
	if err == nil {
		t.Fatal("a stranger's key was let in")
	}
	raw.Close()
	// Everything after the version line is encrypted: its size is all a
	// test can judge. A handshake and a refusal take about 2.5 kB; the
	// console's first frame at 120×40 alone is about 9 kB.
	if n := rec.n.Load(); n > 4096 {
		t.Errorf("a refused client received %d bytes", n)
	}
}

type recordingConn struct {
	net.Conn
	n atomic.Int64
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// TestSessionWithoutTerminal: a session without a pty (ssh host, piped;
// ssh -T) gets one line saying what is needed, and ends; so does a command.
func TestSessionWithoutTerminal(t *testing.T) {
	ana := newMember(t, "ana", room.RoleCommander)
	r := defaultRoom(t, 0)
	srv := startServer(t, r, teamOf(t, ana))
	conn, err := dial(srv, ana.key)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("")
	if err == nil {
		t.Error("a session without a terminal ended as a success")
	}
	if got := strings.TrimSpace(string(out)); got != "Requires an active PTY" {
		t.Errorf("without a pty: %q, want one line saying a pty is needed", out)
	}

	sess, err = conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	stdout, _ := sess.StdoutPipe()
	stderr, _ := sess.StderrPipe()
	if err := sess.Start("uptime"); err != nil {
		t.Fatal(err)
	}
	o, _ := io.ReadAll(stdout)
	e, _ := io.ReadAll(stderr)
	if err := sess.Wait(); err == nil {
		t.Error("a command ended as a success")
	}
	if got := string(o) + string(e); !strings.Contains(got, "runs no commands") || strings.Contains(got, "\x1b[") {
		t.Errorf("a command: %q, want one line saying there are no commands, and no screen", got)
	}
	if got := r.Snapshot().Members(); got != 0 {
		t.Errorf("%d members in the room after sessions without a console", got)
	}
}

// TestHostKey: the host key is created on first start as an ed25519 key
// only its owner can read, kept across restarts, and its fingerprint is the
// one ssh-keygen prints; a key file others can read is refused.
func TestHostKey(t *testing.T) {
	team := teamOf(t, newMember(t, "ana", room.RoleCommander))
	r := defaultRoom(t, 0)
	path := filepath.Join(t.TempDir(), "warroom", "host_ed25519")

	first, err := New(Config{HostKeyPath: path, Team: team, Room: r})
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no host key written: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("host key permissions %04o, want 0600", perm)
	}
	if first.signer.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key is %s, want ssh-ed25519", first.signer.PublicKey().Type())
	}
	if !strings.HasPrefix(first.Fingerprint(), "SHA256:") {
		t.Errorf("fingerprint %q does not read as ssh-keygen -l prints it", first.Fingerprint())
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatalf("no public half beside the key: %v", err)
	}
	if k, _, _, _, err := gossh.ParseAuthorizedKey(pub); err != nil || gossh.FingerprintSHA256(k) != first.Fingerprint() {
		t.Errorf("the .pub file (%v) does not match the key", err)
	}
	if keygen, err := exec.LookPath("ssh-keygen"); err == nil {
		out, err := exec.Command(keygen, "-l", "-f", path+".pub").Output()
		if err != nil || !strings.Contains(string(out), first.Fingerprint()) {
			t.Errorf("ssh-keygen -l says %q (%v), the server %s", out, err, first.Fingerprint())
		}
	}

	again, err := New(Config{HostKeyPath: path, Team: team, Room: r})
	if err != nil {
		t.Fatal(err)
	}
	if again.Fingerprint() != first.Fingerprint() {
		t.Errorf("restarted with host key %s, was %s", again.Fingerprint(), first.Fingerprint())
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{HostKeyPath: path, Team: team, Room: r}); err == nil || !strings.Contains(err.Error(), "too open") {
		t.Errorf("a host key others can read: %v, want it refused", err)
	}
}

func TestDefaultHostKeyPath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data")
	if p, err := DefaultHostKeyPath(); err != nil || p != "/data/warroom/host_ed25519" {
		t.Errorf("with XDG_DATA_HOME: %q, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ana")
	if p, err := DefaultHostKeyPath(); err != nil || p != "/home/ana/.local/share/warroom/host_ed25519" {
		t.Errorf("without XDG_DATA_HOME: %q, %v", p, err)
	}
}
