package natstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Environment variables that make a test binary run one node of a cluster
// instead of its tests (see RunNodeIfAsked).
const (
	envNode = "WARROOM_NATSTEST_NODE"
	envBase = "WARROOM_NATSTEST_BASE"
	envDir  = "WARROOM_NATSTEST_DIR"
)

// RunNodeIfAsked runs one node and never returns when the test binary was
// started as one by StartProcesses; otherwise it does nothing. A
// package's TestMain calls it first.
func RunNodeIfAsked() {
	node := os.Getenv(envNode)
	if node == "" {
		return
	}
	i, _ := strconv.Atoi(node)
	base, _ := strconv.Atoi(os.Getenv(envBase))
	c := &Cluster{base: base, dir: os.Getenv(envDir)}
	opts := c.options(i)
	opts.HTTPHost, opts.HTTPPort = "127.0.0.1", c.monitorPort(i)
	s, err := server.NewServer(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nats node:", err)
		os.Exit(2)
	}
	s.Start()
	s.WaitForShutdown()
	os.Exit(0)
}

// monitorPort is where node i answers /healthz: base+6 on.
func (c *Cluster) monitorPort(i int) int { return c.base + 2*Nodes + i }

// StartProcesses starts a cluster whose nodes are processes of their own
// (this test binary run again, as RunNodeIfAsked), so that Kill is a
// SIGKILL, as a machine's crash is. Its nodes also listen on base+6 to
// base+8 for monitoring.
func StartProcesses(tb testing.TB, base int) *Cluster {
	tb.Helper()
	c := &Cluster{tb: tb, base: base, dir: tb.TempDir(), procs: true}
	for i := range Nodes {
		c.startProcess(i)
	}
	tb.Cleanup(c.Stop)
	c.waitHealthy()
	return c
}

func (c *Cluster) startProcess(i int) {
	c.tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		c.tb.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), envNode+"="+strconv.Itoa(i), envBase+"="+strconv.Itoa(c.base), envDir+"="+c.dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		c.tb.Fatalf("nats node %d: %v", i+1, err)
	}
	c.cmds[i] = cmd
}

// waitHealthy waits until every node running says JetStream is healthy,
// or, with most nodes down, that it listens.
func (c *Cluster) waitHealthy() {
	c.tb.Helper()
	client := http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		healthy := 0
		for i, cmd := range c.cmds {
			if cmd == nil {
				continue
			}
			url := fmt.Sprintf("http://127.0.0.1:%d/healthz", c.monitorPort(i))
			if Nodes-c.down() < Nodes/2+1 {
				url += "?js-server-only=true"
			}
			if resp, err := client.Get(url); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					healthy++
				}
			}
		}
		if healthy == Nodes-c.down() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.tb.Fatalf("the nats cluster on %d did not become healthy within 30s", c.base)
}

// busiestProcess asks each node's monitoring port how many clients it has.
func (c *Cluster) busiestProcess() (node, clients int) {
	node = -1
	client := http.Client{Timeout: time.Second}
	for i, cmd := range c.cmds {
		if cmd == nil {
			continue
		}
		resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/varz", c.monitorPort(i)))
		if err != nil {
			continue
		}
		var v struct {
			Connections int `json:"connections"`
		}
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if err == nil && (node < 0 || v.Connections > clients) {
			node, clients = i, v.Connections
		}
	}
	return node, clients
}
