package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/room"
)

// need finds a program a test drives, skipping the test when it is missing,
// or failing it when CI is set (.ci/run installs it).
func need(t *testing.T, program, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is needed and CI is set: %v", program, err)
		}
		t.Skipf("%s not installed (apt-get install %s): skipping the test with the real client", program, pkg)
	}
	return path
}

// TestOpenSSHClient: the real OpenSSH client, in a real terminal (tmux),
// logs in with a key file, checking the server's host key against a
// known_hosts line; a note typed in one burst there shows on another
// member's screen and on its own; q ends the session and the pane.
func TestOpenSSHClient(t *testing.T) {
	sshPath := need(t, "ssh", "openssh-client")
	tmux := need(t, "tmux", "tmux")
	dir := t.TempDir()

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "ana@test")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	ana := testMember{name: "ana", role: room.RoleCommander, key: signer}
	bo := newMember(t, "bo", room.RoleResponder)
	r := defaultRoom(t, 3*time.Hour+40*time.Minute)
	srv := startServer(t, r, teamOf(t, ana, bo))
	host, port, _ := net.SplitHostPort(srv.Addr())
	knownHosts := filepath.Join(dir, "known_hosts")
	line := fmt.Sprintf("[%s]:%s %s", host, port, authorizedLine(srv.signer))
	if err := os.WriteFile(knownHosts, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	boc := connect(t, srv, bo, clientOpts{})
	boc.waitText("you are bo")

	socket := fmt.Sprintf("wt-serve-openssh-%d", os.Getpid())
	tm := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-L", socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	t.Cleanup(func() { _ = exec.Command(tmux, "-L", socket, "kill-server").Run() })
	sshCmd := strings.Join([]string{sshPath, "-F", "/dev/null", "-i", keyFile, "-p", port,
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
		"-o", "UserKnownHostsFile=" + knownHosts, "ana@" + host}, " ")
	// The shell around ssh keeps its exit status: tmux 3.3 does not
	// always report a dead pane's.
	status := filepath.Join(dir, "status")
	tm("new-session", "-d", "-s", "ana", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8",
		sshCmd+"; echo $? > "+status)
	tm("set-option", "-t", "ana", "remain-on-exit", "on")
	screen := func() string { return tm("capture-pane", "-p", "-t", "ana") }
	waitScreen := func(what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !ok(screen()) {
			if time.Now().After(deadline) {
				t.Fatalf("tmux: timed out waiting for %s; the screen:\n%s", what, screen())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitScreen("ana's console", func(s string) bool { return strings.Contains(s, "you are ana (commander)") })

	tm("send-keys", "-t", "ana", "-l", ":note typed in OpenSSH, shown to all")
	tm("send-keys", "-t", "ana", "Enter")
	boc.waitText("typed in OpenSSH, shown to all")
	waitScreen("the note on ana's own screen", func(s string) bool {
		return strings.Contains(s, "note (ana): typed in OpenSSH, shown to all")
	})

	tm("send-keys", "-t", "ana", "q")
	waitScreen("the pane's end", func(string) bool {
		return strings.TrimSpace(tm("display-message", "-p", "-t", "ana", "#{pane_dead}")) == "1"
	})
	if got, err := os.ReadFile(status); err != nil || strings.TrimSpace(string(got)) != "0" {
		t.Errorf("ssh exited with status %q (%v) after q, want 0:\n%s", got, err, screen())
	}
	waitPresence(t, r, func(ps []room.Presence) bool { return len(ps) == 1 && ps[0].Name == "bo" })
}
