package journal_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/journal/natstest"
	"github.com/warroom/warroom/model"
)

// natsBase is where this package's test cluster listens (14222–14227).
const natsBase = 14222

// startCluster starts a three-node cluster, or skips (fails under CI)
// when its ports are taken.
func startCluster(t testing.TB) *natstest.Cluster {
	t.Helper()
	return natstest.StartOrSkip(t, natsBase)
}

func openStream(t testing.TB, c *natstest.Cluster, origin string, h journal.Header) *journal.Stream {
	t.Helper()
	s, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "drill", Origin: origin, Replicas: 3}, testCodec(), h)
	if err != nil {
		t.Fatalf("OpenStream %s: %v", origin, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func statusAt(at time.Duration, text string) model.Event {
	return model.Event{At: at, Source: "statuspage", Body: model.StatusUpdate{From: "AWS", Text: text}}
}

// follow collects what a stream's Follow hands over until n entries came.
func follow(t testing.TB, s *journal.Stream, n int) <-chan []journal.Entry {
	t.Helper()
	out := make(chan []journal.Entry, 1)
	if err := s.Entries(func(journal.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	go func() {
		var got []journal.Entry
		_ = s.Follow(ctx, func(_ uint64, entries []journal.Entry, _ uint64) {
			got = append(got, entries...)
			if len(got) >= n {
				out <- got
				cancel()
			}
		})
		if len(got) < n {
			out <- got
		}
	}()
	return out
}

// TestStreamOneOrderForEveryServer: two servers append at once to one R3
// stream; each follows it and a third reads it afterwards: all three see
// the same entries, numbered the same, events placed by their time
// (after every event at or before it), actions among them.
func TestStreamOneOrderForEveryServer(t *testing.T) {
	c := startCluster(t)
	a := openStream(t, c, "bastion-eu", scenarioHeader())
	b := openStream(t, c, "bastion-us", scenarioHeader())
	const each = 40
	gotA, gotB := follow(t, a, 2*each), follow(t, b, 2*each)
	var wg sync.WaitGroup
	for _, s := range []*journal.Stream{a, b} {
		wg.Go(func() {
			for i := range each {
				e := journal.Entry{Kind: journal.KindAction, Event: model.Event{At: time.Duration(each-i) * time.Minute,
					Source: "responder:" + s.Origin(), Body: model.Note{Author: s.Origin(), Text: fmt.Sprintf("note %d", i)}}}
				if _, err := s.Append([]journal.Entry{e}, true); err != nil {
					t.Errorf("%s: %v", s.Origin(), err)
				}
			}
		})
	}
	wg.Wait()
	ea, eb := <-gotA, <-gotB
	if len(ea) != 2*each || len(eb) != 2*each {
		t.Fatalf("followed %d and %d entries, want %d each", len(ea), len(eb), 2*each)
	}
	if !reflect.DeepEqual(ea, eb) {
		t.Fatalf("the two servers saw different journals")
	}
	var after []journal.Entry
	third := openStream(t, c, "bastion-ap", scenarioHeader())
	if err := third.Entries(func(e journal.Entry) error { after = append(after, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, ea) {
		t.Fatalf("read afterwards, the stream differs from what was followed")
	}
	times := []time.Duration{}
	for i, e := range ea {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has Seq %d", i, e.Seq)
		}
		// Replaying the positions must give a list sorted by time.
		k := e.Pos
		if k < 0 || k > len(times) {
			t.Fatalf("entry %d: position %d of %d", i, k, len(times))
		}
		times = append(times[:k], append([]time.Duration{e.Event.At}, times[k:]...)...)
	}
	for i := 1; i < len(times); i++ {
		if times[i] < times[i-1] {
			t.Fatalf("positions put %s before %s", times[i-1], times[i])
		}
	}
}

// TestStreamKeepsSourceEventsOnce: a new leader polling again what the old
// one sent leaves the stream's readers with each source event once; a
// message sent again with its id (a lost reply) is stored once; events
// alike within one message are both kept.
func TestStreamKeepsSourceEventsOnce(t *testing.T) {
	c := startCluster(t)
	a := openStream(t, c, "a", scenarioHeader())
	b := openStream(t, c, "b", scenarioHeader())
	first := []journal.Entry{
		{Kind: journal.KindEvent, Event: statusAt(time.Minute, "investigating")},
		{Kind: journal.KindEvent, Event: statusAt(time.Minute, "investigating")},
		{Kind: journal.KindEvent, Event: statusAt(2*time.Minute, "identified")},
	}
	if _, err := a.Append(first, true); err != nil {
		t.Fatal(err)
	}
	again := []journal.Entry{
		{Kind: journal.KindEvent, Event: statusAt(2*time.Minute, "identified")},
		{Kind: journal.KindEvent, Event: statusAt(3*time.Minute, "monitoring")},
	}
	if _, err := b.Append(again, true); err != nil {
		t.Fatal(err)
	}
	note := []journal.Entry{{Kind: journal.KindAction, Event: model.Event{At: 3 * time.Minute, Source: "responder:ic",
		Body: model.Note{Author: "ic", Text: "once"}}}}
	for range 2 {
		if _, err := b.Publish(note, "b-note-1", true); err != nil {
			t.Fatal(err)
		}
	}
	var texts []string
	if err := a.Entries(func(e journal.Entry) error {
		switch body := e.Event.Body.(type) {
		case model.StatusUpdate:
			texts = append(texts, body.Text)
		case model.Note:
			texts = append(texts, "note "+body.Text)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"investigating", "investigating", "identified", "monitoring", "note once"}
	if !reflect.DeepEqual(texts, want) {
		t.Fatalf("entries %q, want %q", texts, want)
	}
}

// TestStreamRefusesAnotherIncident: a stream is only ever opened for the
// incident that made it.
func TestStreamRefusesAnotherIncident(t *testing.T) {
	c := startCluster(t)
	openStream(t, c, "a", scenarioHeader())
	other := scenarioHeader()
	other.Identity = "0000"
	_, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "drill", Origin: "b"}, testCodec(), other)
	if !errors.Is(err, journal.ErrMismatch) {
		t.Fatalf("OpenStream of another incident: %v, want ErrMismatch", err)
	}
	if _, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "no/such"}, testCodec(), other); err == nil {
		t.Fatal("a room name with a slash was taken")
	}
}

// TestLeaseFailsOver: one of two servers leads; when it can no longer
// reach NATS (its connection closed, as a dead process's is) the other
// leads within a few seconds, and never while the first still does.
func TestLeaseFailsOver(t *testing.T) {
	c := startCluster(t)
	a := openStream(t, c, "a", scenarioHeader())
	b := openStream(t, c, "b", scenarioHeader())
	const ttl = 2 * time.Second
	la, err := a.Lease("sources", ttl)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := b.Lease("sources", ttl)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	leading := map[string]bool{}
	both := false
	run := func(l *journal.Lease, name string) context.CancelFunc {
		ctx, cancel := context.WithCancel(context.Background())
		go l.Run(ctx, func(ctx context.Context) {
			mu.Lock()
			leading[name] = true
			both = both || len(leading) > 1
			mu.Unlock()
			<-ctx.Done()
			mu.Lock()
			delete(leading, name)
			mu.Unlock()
		})
		return cancel
	}
	stopA := run(la, "a")
	defer stopA()
	waitUntil(t, 5*time.Second, "a leads", func() bool { mu.Lock(); defer mu.Unlock(); return leading["a"] })
	stopB := run(lb, "b")
	defer stopB()
	time.Sleep(ttl)
	if !la.Leader() || lb.Leader() {
		t.Fatalf("a leads %v, b leads %v: the lease moved while its holder was alive", la.Leader(), lb.Leader())
	}
	a.Close() // a's connection gone, as when its process is killed
	start := time.Now()
	waitUntil(t, 4*ttl, "b leads", func() bool { return lb.Leader() })
	t.Logf("b took over %s after a lost its connection", time.Since(start).Round(time.Millisecond))
	mu.Lock()
	defer mu.Unlock()
	if both {
		t.Fatal("both led at once")
	}
}

func waitUntil(t testing.TB, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestStreamServersStartTogether: servers started at the same moment on a
// new room all ask for its stream at once; every one of them opens it,
// and they share one header.
func TestStreamServersStartTogether(t *testing.T) {
	c := startCluster(t)
	const servers = 3
	streams := make([]*journal.Stream, servers)
	errs := make([]error, servers)
	var wg sync.WaitGroup
	for i := range servers {
		wg.Go(func() {
			streams[i], errs[i] = journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "together", Origin: fmt.Sprint("s", i), Replicas: 3},
				testCodec(), scenarioHeader())
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("server %d: %v", i, err)
		}
		t.Cleanup(func() { streams[i].Close() })
	}
	for i, s := range streams[1:] {
		if s.Header() != streams[0].Header() {
			t.Errorf("server %d's header %+v, server 0's %+v", i+1, s.Header(), streams[0].Header())
		}
	}
}

// TestLeaseOfAnotherRoomLeavesItsTTL: a room opened on the same cluster
// with a longer lease does not slow this room's failover.
func TestLeaseOfAnotherRoomLeavesItsTTL(t *testing.T) {
	c := startCluster(t)
	a := openStream(t, c, "a", scenarioHeader())
	b := openStream(t, c, "b", scenarioHeader())
	const ttl = time.Second
	la, err := a.Lease("sources", ttl)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := b.Lease("sources", ttl)
	if err != nil {
		t.Fatal(err)
	}
	other, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "other", Origin: "c", Replicas: 3}, testCodec(), scenarioHeader())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Lease("sources", time.Minute); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go la.Run(ctx, func(ctx context.Context) { <-ctx.Done() })
	waitUntil(t, 5*time.Second, "a leads", la.Leader)
	go lb.Run(ctx, func(ctx context.Context) { <-ctx.Done() })
	a.Close() // killed: its lease is not given up, it expires
	waitUntil(t, 6*ttl, "b leads after a died", lb.Leader)
}

// TestStreamEntriesEndsAtAnotherSubject: a message on another of the
// room's subjects last in the stream (a test published by hand, say) does
// not keep a server catching up forever.
func TestStreamEntriesEndsAtAnotherSubject(t *testing.T) {
	c := startCluster(t)
	s := openStream(t, c, "a", scenarioHeader())
	if _, err := s.Publish([]journal.Entry{{Kind: journal.KindEvent, Event: statusAt(time.Minute, "one")}}, s.NewID(), true); err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := js.Publish(ctx, "warroom.drill.test", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	again := openStream(t, c, "b", scenarioHeader())
	done := make(chan error, 1)
	n := 0
	go func() { done <- again.Entries(func(journal.Entry) error { n++; return nil }) }()
	select {
	case err := <-done:
		if err != nil || n != 1 {
			t.Errorf("Entries: %v, %d entries, want 1", err, n)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Entries still reading 15s after the stream's last entry")
	}
}

// TestStreamSendsAgainWhatItCouldNotStore: a batch of source events
// published without waiting while the whole cluster is down is not lost:
// it is sent again, and once the nodes are back the stream holds it, once.
func TestStreamSendsAgainWhatItCouldNotStore(t *testing.T) {
	c := startCluster(t)
	a := openStream(t, c, "a", scenarioHeader())
	c.Stop()
	if _, err := a.Append([]journal.Entry{{Kind: journal.KindEvent, Event: statusAt(time.Minute, "published while the stream had no leader")}}, false); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second) // past the first try's ack timeout
	for i := range natstest.Nodes {
		c.Restart(i)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		b := openStream(t, c, fmt.Sprint("b", time.Now().UnixNano()), scenarioHeader())
		n := 0
		if err := b.Entries(func(e journal.Entry) error {
			if u, ok := e.Event.Body.(model.StatusUpdate); ok && u.Text == "published while the stream had no leader" {
				n++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			return
		}
		if n > 1 || time.Now().After(deadline) {
			t.Fatalf("the stream holds the event %d times, want once", n)
		}
		b.Close()
		time.Sleep(500 * time.Millisecond)
	}
}
