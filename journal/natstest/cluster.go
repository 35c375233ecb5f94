// Package natstest starts a NATS cluster with JetStream inside a test: three
// nodes on loopback, routed to each other, each with its own store, so that
// streams can be replicated three times and a node can be stopped and started
// again on its store as a crashed machine would be.
package natstest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Nodes is how many servers a cluster has: the fewest that keep a
// replicated stream writable with one of them down.
const Nodes = 3

// Cluster is a running cluster.
type Cluster struct {
	tb      testing.TB
	base    int
	dir     string
	servers [Nodes]*server.Server
	procs   bool // nodes are processes (StartProcesses)
	cmds    [Nodes]*exec.Cmd
}

// Start starts a cluster whose nodes listen for clients on base, base+1,
// base+2 and for each other on base+3 to base+5, all on 127.0.0.1, and
// stops it when the test ends. It waits until JetStream has a leader.
func Start(tb testing.TB, base int) *Cluster {
	tb.Helper()
	c := &Cluster{tb: tb, base: base, dir: tb.TempDir()}
	for i := range Nodes {
		c.start(i)
	}
	tb.Cleanup(c.Stop)
	c.waitReady()
	return c
}

// URL is every node's client address, comma-separated, as --nats takes it.
func (c *Cluster) URL() string {
	urls := make([]string, Nodes)
	for i := range Nodes {
		urls[i] = fmt.Sprintf("nats://127.0.0.1:%d", c.base+i)
	}
	return strings.Join(urls, ",")
}

func (c *Cluster) options(i int) *server.Options {
	routes := make([]string, 0, Nodes)
	for k := range Nodes {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", c.base+Nodes+k))
	}
	return &server.Options{
		ServerName: fmt.Sprintf("n%d", i+1),
		Host:       "127.0.0.1",
		Port:       c.base + i,
		NoSigs:     true,
		NoLog:      true,
		JetStream:  true,
		StoreDir:   filepath.Join(c.dir, fmt.Sprintf("n%d", i+1)),
		Cluster: server.ClusterOpts{
			Name: "warroom-test",
			Host: "127.0.0.1",
			Port: c.base + Nodes + i,
		},
		Routes: server.RoutesFromStr(strings.Join(routes, ",")),
	}
}

func (c *Cluster) start(i int) {
	c.tb.Helper()
	s, err := server.NewServer(c.options(i))
	if err != nil {
		c.tb.Fatalf("nats node %d: %v", i+1, err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		c.tb.Fatalf("nats node %d did not start listening on %d", i+1, c.base+i)
	}
	c.servers[i] = s
}

// waitReady waits until every node is routed to the others and JetStream
// has a meta leader, so that streams can be created.
func (c *Cluster) waitReady() {
	c.tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ready := true
		leader := false
		for _, s := range c.servers {
			if s == nil {
				continue
			}
			if s.NumRoutes() < Nodes-1-c.down() {
				ready = false
			}
			// The meta leader must know every node up as online: a stream
			// of three replicas is placed on them.
			if s.JetStreamIsLeader() && len(s.JetStreamClusterPeers()) >= Nodes-c.down() {
				leader = true
			}
		}
		// With most nodes down no leader can be elected: the others wait.
		if ready && (leader || Nodes-c.down() < Nodes/2+1) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.tb.Fatalf("the nats cluster on %d did not form within 30s", c.base)
}

func (c *Cluster) down() int {
	n := 0
	for i := range Nodes {
		if c.servers[i] == nil && c.cmds[i] == nil {
			n++
		}
	}
	return n
}

// Kill stops node i at once, as a crash would: its clients lose their
// connection, its store stays as it was.
func (c *Cluster) Kill(i int) {
	if cmd := c.cmds[i]; cmd != nil {
		c.cmds[i] = nil
		_ = cmd.Process.Kill() // SIGKILL
		_ = cmd.Wait()
		return
	}
	s := c.servers[i]
	if s == nil {
		return
	}
	c.servers[i] = nil
	s.Shutdown()
	s.WaitForShutdown()
}

// Restart starts node i again on its store and waits for the cluster.
func (c *Cluster) Restart(i int) {
	c.tb.Helper()
	if c.servers[i] != nil || c.cmds[i] != nil {
		return
	}
	if c.procs {
		c.startProcess(i)
		c.waitHealthy()
		return
	}
	c.start(i)
	c.waitReady()
}

// Stop stops every node.
func (c *Cluster) Stop() {
	for i := range Nodes {
		c.Kill(i)
	}
}

// Free says whether the cluster's ports can be listened on, so that a test
// can say so instead of failing inside the server.
func Free(base int) error {
	return free(base, 2*Nodes)
}

// FreeProcesses says whether a cluster of processes (StartProcesses) can
// listen on its ports, monitoring included.
func FreeProcesses(base int) error { return free(base, 3*Nodes) }

// StartOrSkip starts a cluster (Start), or skips the test when its ports
// are taken (another run of the tests, say); under CI it fails instead.
func StartOrSkip(tb testing.TB, base int) *Cluster {
	tb.Helper()
	need(tb, Free(base))
	return Start(tb, base)
}

// StartProcessesOrSkip is StartOrSkip for a cluster of processes.
func StartProcessesOrSkip(tb testing.TB, base int) *Cluster {
	tb.Helper()
	need(tb, FreeProcesses(base))
	return StartProcesses(tb, base)
}

func need(tb testing.TB, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("nats test cluster: %v", err)
	}
	tb.Skipf("nats test cluster: %v", err)
}

func free(base, n int) error {
	for p := base; p < base+n; p++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			return fmt.Errorf("port %d is taken: %w", p, err)
		}
		ln.Close()
	}
	return nil
}

// Busiest is the running node with the most client connections: the one
// whose death the clients feel.
func (c *Cluster) Busiest() (node, clients int) {
	if c.procs {
		return c.busiestProcess()
	}
	node = -1
	for i, s := range c.servers {
		if s != nil && (node < 0 || s.NumClients() > clients) {
			node, clients = i, s.NumClients()
		}
	}
	return node, clients
}
