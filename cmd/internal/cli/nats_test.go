package cli

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/journal/natstest"
	"github.com/warroom/warroom/sim"
)

// natsBase is where this package's test cluster listens (14250–14255).
const natsBase = 14250

func startCluster(t *testing.T) *natstest.Cluster {
	t.Helper()
	return natstest.StartOrSkip(t, natsBase)
}

// startClusterProcesses is a cluster whose nodes are processes of their
// own, this test binary run again (see TestMain): a node can be killed
// with SIGKILL.
func startClusterProcesses(t *testing.T) *natstest.Cluster {
	t.Helper()
	return natstest.StartProcessesOrSkip(t, natsBase)
}

// teamMember is a member of a test team with a key file for OpenSSH.
type teamMember struct {
	name, role string
	signer     gossh.Signer
	keyFile    string
}

func newTeamMember(t *testing.T, dir, name, role string) teamMember {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, name+"@test")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "id_"+name)
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return teamMember{name: name, role: role, signer: s, keyFile: keyFile}
}

// writeTeam writes the team file into every dir.
func writeTeam(t *testing.T, members []teamMember, dirs ...string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("members:\n")
	for _, m := range members {
		line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(m.signer.PublicKey())))
		fmt.Fprintf(&b, "  - name: %s\n    role: %s\n    keys: [%q]\n", m.name, m.role, line)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, "team.yaml"), []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// openSSH runs the real OpenSSH client in a tmux session of its own, as a
// responder at a bastion would.
func openSSH(t *testing.T, label, addr string, m teamMember, w, h int) *tmuxSession {
	t.Helper()
	tm := needTmux(t)
	sshPath, err := exec.LookPath("ssh")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("ssh is needed and CI is set: %v", err)
		}
		t.Skipf("ssh not installed (apt-get install openssh-client): %v", err)
	}
	host, port, _ := strings.Cut(addr, ":")
	conf := filepath.Join(t.TempDir(), "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g status off\nset -g escape-time 0\nset -g remain-on-exit on\nset -g default-terminal tmux-256color\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &tmuxSession{t: t, tmux: tm, socket: fmt.Sprintf("warroom-nats-test-%s-%d", label, os.Getpid()), w: w, h: h}
	s.run("-f", conf, "new-session", "-d", "-s", "test", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h),
		"-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", "--", sshPath, "-tt", "-i", m.keyFile, "-p", port,
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
		"-o", "IdentitiesOnly=yes", m.name+"@"+host)
	t.Cleanup(func() { _ = exec.Command(tm, "-L", s.socket, "kill-server").Run() })
	return s
}

// noteLines are the timeline's note lines on a screen, in order.
func noteLines(screen []string) []string {
	var out []string
	for _, row := range screen {
		if i := strings.Index(row, "note ("); i >= 0 {
			line := row[i:]
			if j := strings.IndexAny(line, "│┃|"); j >= 0 {
				line = line[:j]
			}
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

func screenHas(text string) func([]string) bool {
	return func(sc []string) bool { return strings.Contains(strings.Join(sc, "\n"), text) }
}

// TestSharedRoomSurvivesKills is the drill: two warroom servers
// share one room through an R3 stream on a three-node NATS cluster; a
// responder on each sends notes, one after another. An action on server A
// is on server B's screens (a real ssh client's). In the middle of the
// stream server A is killed with SIGKILL and, a little later, a NATS node
// dies too; both start again and A catches up from the stream before it
// lets anyone in. The NATS nodes are processes of their own, and the one
// most connections are on is killed with SIGKILL. Then every acknowledged note is in the room once (none
// lost, none doubled), and the screens of both servers show the same
// notes in the same order.
func TestSharedRoomSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the shared-room drill starts a NATS cluster and two servers")
	}
	cluster := startClusterProcesses(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	keys := t.TempDir()
	bo, cy := newTeamMember(t, keys, "bo", "responder"), newTeamMember(t, keys, "cy", "responder")
	ed, fay := newTeamMember(t, keys, "ed", "observer"), newTeamMember(t, keys, "fay", "observer")
	writeTeam(t, []teamMember{bo, cy, ed, fay}, dirA, dirB)
	args := func(name string) []string {
		return []string{"--team", "team.yaml", "--nats", cluster.URL(), "--room", "drill", "--name", name,
			"--scenario", "oncall-training-30m"}
	}
	a := startServer(t, dirA, args("bastion-a")...)
	b := startServer(t, dirB, args("bastion-b")...)

	boA := connect(t, a.addr, "bo", bo.signer)
	cyB := connect(t, b.addr, "cy", cy.signer)
	if !boA.waitFor(t, "you are bo (responder)") || !cyB.waitFor(t, "you are cy (responder)") {
		t.Fatalf("no consoles:\nA:\n%s\nB:\n%s", a.out, b.out)
	}
	edB := openSSH(t, "ed", b.addr, ed, 120, 40)
	edB.waitFor("ed's console on B", screenHas("you are ed"))

	// An action on A reaches B's screens.
	start := time.Now()
	fmt.Fprintf(boA.in, ":note hello from bastion a\r")
	edB.waitFor("A's note on B's ssh client", screenHas("note (bo): hello from bastion a"))
	if !cyB.waitFor(t, "note (bo): hello from bastion a") {
		t.Fatal("A's note never reached cy on B")
	}
	t.Logf("A's note on B's screens after %s", time.Since(start).Round(time.Millisecond))

	// A stream of notes from both sides, with a kill -9 and a node's death
	// in it.
	n, _ := rand.Int(rand.Reader, big.NewInt(6))
	killA, killNode, back := 6+int(n.Int64()), 14, 22
	acked := []string{"hello from bastion a"}
	send := func(m *sshMember, who, text string) bool {
		fmt.Fprintf(m.in, ":note %s\r", text)
		// A stream whose leader's node died elects another within ten
		// seconds or so; a note sent meanwhile is kept and sent then.
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if strings.Contains(m.out.String(), "note ("+who+"): "+text) {
				return true
			}
			time.Sleep(5 * time.Millisecond)
		}
		return false
	}
	var unsure []string // sent as A was killed: in the room once, or not at all
	node, clients := -1, 0
	for i := 1; i <= 30; i++ {
		switch i {
		case killA:
			text := fmt.Sprintf("a-%03d in flight", i)
			fmt.Fprintf(boA.in, ":note %s\r", text)
			if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = a.cmd.Wait()
			unsure = append(unsure, text)
			boA = nil
		case killNode:
			// The node most of the servers' connections are on.
			node, clients = cluster.Busiest()
			if clients == 0 {
				t.Fatal("no server is connected to the NATS cluster")
			}
			cluster.Kill(node)
		case back:
			cluster.Restart(node)
			a = startServer(t, dirA, args("bastion-a")...)
			// Said on standard error before it listens; the test reads
			// standard error on a goroutine of its own.
			waitFor(t, 5*time.Second, "A saying how far behind it is", func() bool {
				return strings.Contains(a.out.String(), "catching up from WARROOM_drill: message")
			})
			if !strings.Contains(a.out.String(), "behind") {
				t.Errorf("A should say how far behind it is as it catches up:\n%s", a.out)
			}
			boA = connect(t, a.addr, "bo", bo.signer)
			if !boA.waitFor(t, "you are bo (responder)") {
				t.Fatalf("no console on A after its restart:\n%s", a.out)
			}
		}
		text := fmt.Sprintf("b-%03d", i)
		if !send(cyB, "cy", text) {
			t.Fatalf("cy's note %q on B was never shown (acknowledged); offline said %v; B:\n%s", text,
				strings.Contains(cyB.out.String(), "room offline"), b.out)
		}
		acked = append(acked, text)
		if boA != nil && i != killA {
			text := fmt.Sprintf("a-%03d", i)
			if !send(boA, "bo", text) {
				t.Fatalf("bo's note %q on A was never shown:\n%s", text, a.out)
			}
			acked = append(acked, text)
		}
		time.Sleep(120 * time.Millisecond) // a person's pace: the room limits a seat to 5 a second
	}
	final := "the last word"
	if !send(boA, "bo", final) {
		t.Fatal("the last note never showed on A")
	}
	acked = append(acked, final)

	// Nothing acknowledged lost, nothing doubled.
	exported, stderr, err := runCLI(t, "journal", "export", "--nats", cluster.URL(), "--room", "drill")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	for _, text := range acked {
		if got := strings.Count(exported, `"`+text+`"`); got != 1 {
			t.Errorf("acknowledged note %q is in the room %d times, want once", text, got)
		}
	}
	for _, text := range unsure {
		if got := strings.Count(exported, `"`+text+`"`); got > 1 {
			t.Errorf("note %q, sent as its server was killed, is in the room %d times", text, got)
		}
	}

	// All screens agree: a fresh ssh client on each server shows the same
	// notes in the same order, the last one among them.
	fayA := openSSH(t, "fay", a.addr, fay, 120, 40)
	scA := fayA.waitFor("the last note on A", screenHas("note (bo): "+final))
	scB := edB.waitFor("the last note on B", screenHas("note (bo): "+final))
	la, lb := noteLines(scA), noteLines(scB)
	if strings.Join(la, "\n") != strings.Join(lb, "\n") || len(la) == 0 {
		t.Errorf("the servers' screens differ:\nA:\n%s\nB:\n%s", strings.Join(scA, "\n"), strings.Join(scB, "\n"))
	}
	t.Logf("A killed at note %d, NATS node %d (%d clients) killed at %d, both back at %d; %d acknowledged notes, each once; screens agree on %d note lines",
		killA, node+1, clients, killNode, back, len(acked), len(la))
}

// TestSharedRoomOffline: the whole NATS cluster goes away under two
// servers. Their consoles stay up with their screens; the header says the
// room is offline; a note is refused with the message that it is kept,
// and when the cluster is back it is sent, once, and shows on both
// servers' screens.
func TestSharedRoomOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the offline drill starts a NATS cluster and two servers")
	}
	cluster := startCluster(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	keys := t.TempDir()
	bo, ed := newTeamMember(t, keys, "bo", "responder"), newTeamMember(t, keys, "ed", "observer")
	writeTeam(t, []teamMember{bo, ed}, dirA, dirB)
	args := func(name string) []string {
		return []string{"--team", "team.yaml", "--nats", cluster.URL(), "--room", "offline", "--name", name,
			"--scenario", "oncall-training-30m"}
	}
	a := startServer(t, dirA, args("bastion-a")...)
	b := startServer(t, dirB, args("bastion-b")...)
	boA := openSSH(t, "bo-offline", a.addr, bo, 120, 40)
	boA.waitFor("bo's console", screenHas("you are bo"))
	edB := openSSH(t, "ed-offline", b.addr, ed, 120, 40)
	edB.waitFor("ed's console", screenHas("you are ed"))

	for i := range natstest.Nodes {
		cluster.Kill(i)
	}
	boA.waitFor("the header saying the room is offline", screenHas("room offline"))
	edB.waitFor("the header saying the room is offline on B", screenHas("room offline"))
	boA.typeBurst(":note written while the room was offline")
	boA.keys("Enter")
	sc := boA.waitFor("the note refused with why", screenHas("room offline: your note is kept and sent when it returns"))
	if !strings.Contains(strings.Join(sc, "\n"), "1 kept") {
		t.Errorf("the header should count the note kept:\n%s", strings.Join(sc, "\n"))
	}
	if !strings.Contains(strings.Join(sc, "\n"), "Timeline") {
		t.Errorf("the console should keep its screen while offline:\n%s", strings.Join(sc, "\n"))
	}
	t.Logf("offline, at 120x40:\n%s", strings.Join(sc[:3], "\n"))

	for i := range natstest.Nodes {
		cluster.Restart(i)
	}
	edB.waitFor("the kept note on B once the room is back", screenHas("note (bo): written while the room was offline"))
	sc = boA.waitFor("the header back to normal", func(sc []string) bool {
		s := strings.Join(sc, "\n")
		return strings.Contains(s, "note (bo): written while the room was offline") && !strings.Contains(s, "room offline ✗")
	})
	exported, stderr, err := runCLI(t, "journal", "export", "--nats", cluster.URL(), "--room", "offline")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	if got := strings.Count(exported, `"written while the room was offline"`); got != 1 {
		t.Errorf("the kept note is in the room %d times, want once", got)
	}
	_ = sc
}

// TestLiveSourcesFailOver: two servers on one live room, fed by the
// simulator over HTTP, a status page and RSS. One of them polls (it holds
// the lease); it is killed with SIGKILL; the other takes the sources over
// within a few seconds and polls them from the start again. The room's
// timeline holds every line once.
func TestLiveSourcesFailOver(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the failover drill starts a NATS cluster and two servers")
	}
	cluster := startCluster(t)
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	s := sim.New(sc, 1200, 0, nil) // twenty minutes of the incident a second
	s.StampRealTime()
	web := httptest.NewServer(s.Handler())
	defer web.Close()
	config := fmt.Sprintf(`incident:
  title: "failover drill"
  severity: SEV1
  scenario: %s
sources:
  - {name: fleet, kind: http, url: "%s/events.ndjson?kind=hosts&kind=backlog&kind=update&kind=step", interval: 200ms, timeout: 2s}
  - {name: ups-status, kind: statuspage, url: "%s/statuspage/ups/api/v2/summary.json", carrier: ups, interval: 200ms, timeout: 2s}
  - {name: seller-forum, kind: rss, url: "%s/rss/complaints.xml", as: complaints, channel: forums, interval: 200ms, timeout: 2s, default_topic: no-information}
`, fixtures.Default, web.URL, web.URL, web.URL)
	dirs := [2]string{t.TempDir(), t.TempDir()}
	keys := t.TempDir()
	ed := newTeamMember(t, keys, "ed", "observer")
	writeTeam(t, []teamMember{ed}, dirs[0], dirs[1])
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, "live.yaml"), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var servers [2]*serverProcess
	for i, name := range []string{"bastion-a", "bastion-b"} {
		servers[i] = startServer(t, dirs[i], "--team", "team.yaml", "--config", "live.yaml", "--nats", cluster.URL(),
			"--room", "live", "--name", name, "--lease", "1s")
	}
	leader := func(p *serverProcess, name string) bool {
		return strings.Count(p.out.String(), name+" polls the live sources") > strings.Count(p.out.String(), name+" no longer polls")
	}
	names := [2]string{"bastion-a", "bastion-b"}
	first := -1
	waitFor(t, 10*time.Second, "one server polling the sources", func() bool {
		for i := range servers {
			if leader(servers[i], names[i]) {
				first = i
				return true
			}
		}
		return false
	})
	other := 1 - first
	if leader(servers[other], names[other]) {
		t.Fatalf("both servers poll the sources:\n%s\n%s", servers[0].out, servers[1].out)
	}
	countLines := func() (lines map[string]int, total int) {
		exported, stderr, err := runCLI(t, "journal", "export", "--nats", cluster.URL(), "--room", "live")
		if err != nil {
			t.Fatalf("export: %v\n%s", err, stderr)
		}
		lines = map[string]int{}
		for _, l := range strings.Split(strings.TrimSpace(exported), "\n") {
			if l == "" || strings.Contains(l, `"source_health"`) || strings.Contains(l, `"health"`) {
				continue
			}
			lines[l]++
			total++
		}
		return lines, total
	}
	waitFor(t, 15*time.Second, "the leader's events in the room", func() bool { _, n := countLines(); return n > 20 })
	_, before := countLines()

	if err := servers[first].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = servers[first].cmd.Wait()
	killed := time.Now()
	waitFor(t, 10*time.Second, "the other server taking the sources over", func() bool { return leader(servers[other], names[other]) })
	took := time.Since(killed)
	waitFor(t, 15*time.Second, "new events from the new leader", func() bool { _, n := countLines(); return n > before+10 })

	lines, total := countLines()
	for l, n := range lines {
		if n > 1 {
			t.Errorf("the timeline holds a line %d times: %s", n, l)
		}
	}
	if took > 5*time.Second {
		t.Errorf("the sources were taken over %s after the leader died, want within a few seconds", took)
	}
	edB := openSSH(t, "ed-live", servers[other].addr, ed, 120, 40)
	edB.waitFor("the live room on the survivor", screenHas("LIVE"))
	t.Logf("%s died after %d events; %s polled within %s; %d timeline events, each once", names[first], before, names[other],
		took.Round(time.Millisecond), total)
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
