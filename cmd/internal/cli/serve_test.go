package cli

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// serverProcess is `warroom serve` running as a process of its own, so
// that a test can kill it as an operator's kill -9 or a crash would.
type serverProcess struct {
	cmd  *exec.Cmd
	addr string
	out  *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer starts `warroom serve` on a free port with args and waits
// until it says where it listens.
func startServer(t *testing.T, dir string, args ...string) *serverProcess {
	t.Helper()
	bin, err := warroomBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(dir, "host_ed25519")}, args...)...)
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{cmd: cmd, out: &lockedBuffer{}}
	cmd.Stderr = p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		l := lines.Text()
		p.out.Write([]byte(l + "\n"))
		if _, rest, ok := strings.Cut(l, ") on "); ok && strings.HasPrefix(l, "warroom: serving") {
			p.addr, _, _ = strings.Cut(rest, " ")
			go io.Copy(p.out, stdout) //nolint:errcheck // the rest is for failure messages
			return p
		}
	}
	t.Fatalf("the server never said where it listens:\n%s", p.out)
	return nil
}

// sshMember is a member connected with a pty, reading what their console
// draws.
type sshMember struct {
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	out    *lockedBuffer
}

func connect(t *testing.T, addr, name string, key gossh.Signer) *sshMember {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: name, Auth: []gossh.AuthMethod{gossh.PublicKeys(key)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("%s: dial: %v", name, err)
	}
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	m := &sshMember{client: client, sess: sess, out: &lockedBuffer{}}
	sess.Stdout = m.out
	if m.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return m
}

// waitFor waits until the member's screen output holds s.
func (m *sshMember) waitFor(t *testing.T, s string) bool {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(m.out.String(), s) {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

func signer(t *testing.T) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

// TestKillNineLosesNoAcknowledgedAction: a responder sends notes one after
// another over SSH, each acknowledged when it shows on their own screen
// (the room shows nothing it has not journaled). The server is killed with
// SIGKILL in the middle of the stream and started again on its journal:
// every acknowledged note is in the restored room, and a member who
// connects again sees the last of them.
func TestKillNineLosesNoAcknowledgedAction(t *testing.T) {
	dir := t.TempDir()
	key, line := signer(t)
	team := fmt.Sprintf("members:\n  - name: bo\n    role: responder\n    keys: [%q]\n", line)
	if err := os.WriteFile(filepath.Join(dir, "team.yaml"), []byte(team), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--team", "team.yaml", "--journal", "incident.db", "--scenario", "oncall-training-30m"}
	srv := startServer(t, dir, args...)
	bo := connect(t, srv.addr, "bo", key)
	if !bo.waitFor(t, "you are bo (responder)") {
		t.Fatalf("no console:\n%s", srv.out)
	}
	n, _ := rand.Int(rand.Reader, big.NewInt(20))
	killAt := 10 + int(n.Int64())
	var acked []string
	for i := 1; ; i++ {
		text := fmt.Sprintf("stream note %03d", i)
		fmt.Fprintf(bo.in, ":note %s\r", text)
		if i == killAt {
			// Killed while this note is on its way: it may or may not be
			// in the journal; every note before it was acknowledged.
			if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = srv.cmd.Wait()
			break
		}
		// The timeline's line, not the command line's echo of what was typed.
		if !bo.waitFor(t, "note (bo): "+text) {
			t.Fatalf("note %d never showed", i)
		}
		acked = append(acked, text)
		// A person's pace, not a flood: the room refuses a seat's actions
		// past a burst of 20 and 5 a second.
		time.Sleep(100 * time.Millisecond)
	}

	srv = startServer(t, dir, args...)
	if !strings.Contains(srv.out.String(), "(restored at") {
		t.Errorf("the server should say it restored the room:\n%s", srv.out)
	}
	exported, stderr, err := runCLI(t, "journal", "export", filepath.Join(dir, "incident.db"))
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	for _, text := range acked {
		if !strings.Contains(exported, `"`+text+`"`) {
			t.Errorf("acknowledged %q is missing from the restored journal", text)
		}
	}
	if _, stderr, err := runCLI(t, "journal", "verify", filepath.Join(dir, "incident.db")); err != nil {
		t.Errorf("verify after the kill: %v\n%s", err, stderr)
	}
	again := connect(t, srv.addr, "bo", key)
	if last := acked[len(acked)-1]; !again.waitFor(t, "note (bo): "+last) {
		t.Errorf("a member connecting again should see %q", last)
	}
	t.Logf("killed at note %d; %d acknowledged notes restored", killAt, len(acked))
}

// TestServeRefusesABadTeam: every problem of the team file is reported
// with file:line:col before the server listens.
func TestServeRefusesABadTeam(t *testing.T) {
	dir := t.TempDir()
	bad := "members:\n  - name: ana\n    role: admin\n    keys: [\"not a key\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "team.yaml"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runCLI(t, "serve", "--team", filepath.Join(dir, "team.yaml"), "--journal", filepath.Join(dir, "j.db"))
	if err == nil {
		t.Fatal("serve started with a bad team file")
	}
	for _, want := range []string{"team.yaml:3:11: members[0].role: admin: want commander, responder or observer",
		"team.yaml:4:12: members[0].keys[0]: not a public key"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestServeReloadsTheTeamOnSIGHUP: SIGHUP re-reads the team file without
// dropping anyone: a role change reaches the open session; a file with
// problems is refused whole and the team stays.
func TestServeReloadsTheTeamOnSIGHUP(t *testing.T) {
	dir := t.TempDir()
	key, line := signer(t)
	teamFile := filepath.Join(dir, "team.yaml")
	write := func(role string) {
		team := fmt.Sprintf("members:\n  - name: bo\n    role: %s\n    keys: [%q]\n", role, line)
		if err := os.WriteFile(teamFile, []byte(team), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("observer")
	srv := startServer(t, dir, "--team", "team.yaml", "--journal", "incident.db", "--scenario", "oncall-training-30m")
	bo := connect(t, srv.addr, "bo", key)
	if !bo.waitFor(t, "you are bo (observer)") {
		t.Fatal("no console")
	}
	write("responder")
	if err := srv.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if !bo.waitFor(t, "you are bo (responder)") {
		t.Errorf("the open session should have the new role:\n%s", srv.out)
	}
	if err := os.WriteFile(teamFile, []byte("members: [oops"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(srv.out.String(), "the team file was not reloaded") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if out := srv.out.String(); !strings.Contains(out, "team.yaml:1:") || !strings.Contains(out, "not reloaded") {
		t.Errorf("a bad file should be refused with its problems:\n%s", out)
	}
	fmt.Fprint(bo.in, ":note still here\r")
	if !bo.waitFor(t, "note (bo): still here") {
		t.Error("bo should still be in, as a responder")
	}
}
