package feed_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/sim"
)

// TestPrometheusIntegration runs a real Prometheus that scrapes the
// simulator, reads it with the Prometheus source, feeds a live room, and
// checks that the room shows the scenario's hosts and backlog at the
// simulated moment Prometheus scraped. The simulator's clock is the test's:
// it stands still at T+6h, then jumps to T+12h, so every scrape of a phase
// sees one moment and the comparison is exact. Everything listens on
// 127.0.0.1 only.
func TestPrometheusIntegration(t *testing.T) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		msg := "prometheus not installed: apt-get install prometheus"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (.ci/run installs it; CI is set, so the test may not skip)")
		}
		t.Skip(msg)
	}
	began := time.Now()
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}

	// The simulator, at 600× but on a clock that moves only when the test
	// says.
	clk := &stepClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	simulator := sim.New(sc, 600, 6*time.Hour, clk.now)
	simLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	simSrv := &http.Server{Handler: simulator.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = simSrv.Serve(simLn) }()
	t.Cleanup(func() { _ = simSrv.Close() })

	promURL := startPrometheus(t, bin, simLn.Addr().String())
	t.Logf("prometheus ready after %s", time.Since(began).Round(time.Millisecond))
	client := &http.Client{Timeout: 5 * time.Second}

	// A live room that declares what the scenario declares, but none of its
	// events: everything it knows comes from Prometheus.
	live := *sc
	live.Events = nil
	rm := room.NewLive(&live)
	t.Cleanup(rm.Close)

	clock := feed.Clock{Origin: sc.Meta.Start, Now: time.Now}
	src, err := feed.NewPrometheus("prometheus", feed.PrometheusConfig{
		URL: promURL,
		Hosts: &feed.PromHosts{Recovered: "warroom_hosts_recovered", Total: "warroom_hosts_total",
			Failed: "warroom_hosts_failed", Label: "group", Steps: "warroom_hosts_at_step"},
		Backlog: &feed.PromBacklog{Waiting: "warroom_backlog_waiting", Inflow: "warroom_backlog_inflow_per_hour",
			Shipped: "warroom_backlog_shipped_per_hour", Late: "warroom_backlog_late",
			ByPromise: &feed.PromPromise{Waiting: "warroom_backlog_promise_waiting", Late: "warroom_backlog_promise_late"},
			Backfill:  time.Minute, Step: time.Second},
	}, clock, client)
	if err != nil {
		t.Fatal(err)
	}

	for i, phase := range []time.Duration{6 * time.Hour, 12 * time.Hour} {
		if i > 0 {
			clk.advance(time.Duration(float64(phase-simulator.Offset()) / 600))
		}
		if simulator.Offset() != phase {
			t.Fatalf("simulator at %s, want %s", model.FormatOffset(simulator.Offset()), model.FormatOffset(phase))
		}
		// Wait until Prometheus's latest scrape saw this moment (and, the
		// first time, a few scrapes, so the backfill has a history).
		minScrapes := 1
		if i == 0 {
			minScrapes = 3
		}
		waitForScrape(t, client, promURL, phase, minScrapes)
		t.Logf("%s scraped after %s", model.FormatOffset(phase), time.Since(began).Round(time.Millisecond))

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		events, err := src.Poll(ctx)
		cancel()
		if err != nil {
			t.Fatalf("%s: Poll: %v", model.FormatOffset(phase), err)
		}
		rm.Ingest(events)
		snap := rm.Snapshot()

		want := stateAt(sc, phase)
		checkHosts(t, phase, snap.State, want)
		checkBacklog(t, phase, snap.State, want)
		if i == 0 {
			if n := len(snap.State.Backlog.Points); n < 3 {
				t.Errorf("after the backfill the room has %d backlog points, want the scrapes' history (3 or more)", n)
			}
		}
	}
	t.Logf("real Prometheus test took %s", time.Since(began).Round(time.Millisecond))
}

// stateAt is what a replay of the scenario to at gives.
func stateAt(sc *model.Scenario, at time.Duration) model.State {
	c := model.NewCursor(model.NewState(sc), sc.Events)
	c.Seek(at)
	return c.State().Clone()
}

func checkHosts(t *testing.T, at time.Duration, got, want model.State) {
	t.Helper()
	seen := 0
	for _, w := range want.Hosts {
		var g *model.HostGroup
		for i := range got.Hosts {
			if got.Hosts[i].ID == w.ID {
				g = &got.Hosts[i]
			}
		}
		switch {
		case g == nil:
			t.Errorf("%s: the room has no group %s", model.FormatOffset(at), w.ID)
		case g.Seen != w.Seen:
			t.Errorf("%s: group %s seen %v in the room, %v in the replay", model.FormatOffset(at), w.ID, g.Seen, w.Seen)
		case w.Seen && (g.Recovered != w.Recovered || g.Total != w.Total || g.Failed != w.Failed):
			t.Errorf("%s: group %s is %d/%d (%d failing) in the room, %d/%d (%d failing) in the replay",
				model.FormatOffset(at), w.ID, g.Recovered, g.Total, g.Failed, w.Recovered, w.Total, w.Failed)
		case w.Seen && g.Steps != w.Steps:
			t.Errorf("%s: group %s steps %+v in the room, %+v in the replay", model.FormatOffset(at), w.ID, g.Steps, w.Steps)
		}
		if w.Seen {
			seen++
		}
	}
	if seen == 0 {
		t.Errorf("%s: no host group reported in the replay: the test checks nothing", model.FormatOffset(at))
	}
	if len(got.Hosts) != len(want.Hosts) {
		t.Errorf("%s: the room has %d groups, the scenario %d", model.FormatOffset(at), len(got.Hosts), len(want.Hosts))
	}
}

func checkBacklog(t *testing.T, at time.Duration, got, want model.State) {
	t.Helper()
	w, ok := want.Backlog.Latest()
	if !ok {
		t.Fatalf("%s: the replay has no backlog", model.FormatOffset(at))
	}
	g, ok := got.Backlog.Latest()
	if !ok {
		t.Errorf("%s: the room has no backlog", model.FormatOffset(at))
		return
	}
	if g.Waiting != w.Waiting || g.HasInflow != w.HasInflow || g.Inflow != w.Inflow ||
		g.HasShipped != w.HasShipped || g.Shipped != w.Shipped {
		t.Errorf("%s: backlog in the room %+v, in the replay %+v", model.FormatOffset(at), g, w)
	}
	// The split by promise, in the source's order (by class id).
	split := map[string]model.PromiseCount{}
	for _, c := range w.Promise() {
		split[c.Class] = c
	}
	if g.HasLate != w.HasLate || g.Late != w.Late || len(g.Promise()) != len(split) || len(split) == 0 {
		t.Errorf("%s: late %d (%v), split %+v in the room; late %d (%v), split %+v in the replay",
			model.FormatOffset(at), g.Late, g.HasLate, g.Promise(), w.Late, w.HasLate, w.Promise())
	}
	for _, c := range g.Promise() {
		if split[c.Class] != c {
			t.Errorf("%s: class %+v in the room, %+v in the replay", model.FormatOffset(at), c, split[c.Class])
		}
	}
}

// stepClock is a clock the test moves.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer collects a process's output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startPrometheus runs Prometheus on a free loopback port with its own
// config and storage, scraping target every second, and returns its URL once
// it is ready. It is killed when the test ends; its log is shown if the test
// failed.
func startPrometheus(t *testing.T, bin, target string) string {
	t.Helper()
	dir := t.TempDir()
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: warroom-sim
    static_configs:
      - targets: [%q]
`, target)
	cfgFile := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgFile, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	for attempt := 1; ; attempt++ {
		addr := freeLoopbackAddr(t)
		cmd := exec.Command(bin,
			"--config.file="+cfgFile,
			"--storage.tsdb.path="+filepath.Join(dir, fmt.Sprintf("data%d", attempt)),
			"--web.listen-address="+addr,
		)
		cmd.Stdout, cmd.Stderr = &log, &log
		if err := cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", bin, err)
		}
		exited := make(chan struct{})
		var waitErr error
		go func() { waitErr = cmd.Wait(); close(exited) }()
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			<-exited
			if t.Failed() {
				t.Logf("prometheus log:\n%s", log.String())
			}
		})
		u := "http://" + addr
		err := waitReady(u, exited, &waitErr)
		if err == nil {
			return u
		}
		// Another process may have taken the port between our probe and
		// Prometheus binding it: try once more on another.
		if attempt == 2 {
			t.Fatalf("prometheus did not become ready: %v\nlog:\n%s", err, log.String())
		}
		_ = cmd.Process.Kill()
	}
}

// waitReady polls /-/ready until it answers 200, the process exits or 20 s
// pass.
func waitReady(base string, exited <-chan struct{}, waitErr *error) error {
	deadline := time.Now().Add(20 * time.Second)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("prometheus exited: %v", *waitErr)
		default:
		}
		resp, err := client.Get(base + "/-/ready")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("not ready after 20s")
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// waitForScrape waits until Prometheus's latest sample of
// warroom_sim_offset_seconds is at (in seconds) and it has at least
// minScrapes samples of it in the last minute.
func waitForScrape(t *testing.T, client *http.Client, base string, at time.Duration, minScrapes int) {
	t.Helper()
	q := fmt.Sprintf("warroom_sim_offset_seconds == %d and on() count_over_time(warroom_sim_offset_seconds[1m]) >= %d",
		int64(at.Seconds()), minScrapes)
	deadline := time.Now().Add(15 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		n, body, err := instantCount(client, base, q)
		if err == nil && n > 0 {
			return
		}
		last = fmt.Sprintf("%d results, %v: %s", n, err, body)
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("Prometheus has not scraped %s (%d scrapes) after 15s: last answer %s",
		model.FormatOffset(at), minScrapes, last)
}

// instantCount runs an instant query and counts its result's series.
func instantCount(client *http.Client, base, query string) (int, string, error) {
	resp, err := client.Get(base + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, "", err
	}
	var doc struct {
		Status string
		Data   struct {
			Result []json.RawMessage
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Status != "success" {
		return 0, string(body), fmt.Errorf("status %s: %v", strconv.Quote(doc.Status), err)
	}
	return len(doc.Data.Result), string(body), nil
}
