package room

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/journal/natstest"
	"github.com/warroom/warroom/model"
)

// natsBase is where this package's test cluster listens (14230–14235).
const natsBase = 14230

func startCluster(t testing.TB) *natstest.Cluster {
	t.Helper()
	return natstest.StartOrSkip(t, natsBase)
}

// openShared opens the room of sc on the cluster's stream as server
// origin.
func openShared(t testing.TB, c *natstest.Cluster, sc *model.Scenario, origin string, opts ...Option) (*Room, *journal.Stream) {
	t.Helper()
	s, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "exercise", Origin: origin},
		model.NewJournalCodec(sc.Meta.Start), JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(sc, s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); s.Close() })
	return r, s
}

func waitRoom(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 10s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func notes(s Snapshot) []string {
	var out []string
	for _, e := range s.State.Timeline {
		if e.Kind == model.KindNote {
			out = append(out, e.Text)
		}
	}
	return out
}

// TestSharedRoomsAgree: two servers' rooms on one stream, responders on
// both acting at once while the commander on one moves the shared clock:
// both rooms end the same, and a third opened afterwards from the stream
// alone is the same room too.
func TestSharedRoomsAgree(t *testing.T) {
	c := startCluster(t)
	sc := scenario()
	a, _ := openShared(t, c, sc, "a")
	b, _ := openShared(t, c, sc, "b")
	if a.Snapshot().Len != len(sc.Events) || b.Snapshot().Len != len(sc.Events) {
		t.Fatalf("the scenario's events: %d and %d, want %d once each", a.Snapshot().Len, b.Snapshot().Len, len(sc.Events))
	}
	ana := a.Join(Member{Name: "ana", Role: RoleCommander}, "s1")
	bo := a.Join(Member{Name: "bo", Role: RoleResponder}, "s2")
	cy := b.Join(Member{Name: "cy", Role: RoleResponder}, "s3")
	must := mustAct(t)
	must(ana.Seek(90 * time.Minute))
	waitRoom(t, "B's clock moved by A's commander", func() bool { return b.Snapshot().Clock == 90*time.Minute })
	var wg sync.WaitGroup
	for _, seat := range []*Seat{bo, cy} {
		wg.Go(func() {
			for i := range 8 {
				must(seat.Act(model.Note{Author: seat.Member().Name, Text: fmt.Sprintf("%s %d", seat.Member().Name, i)}, ""))
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	must(ana.Act(model.Acknowledgement{Warning: "w", By: "ana"}, ""))
	wg.Wait()
	waitRoom(t, "both rooms with every note", func() bool {
		return len(notes(a.Snapshot())) == 16 && len(notes(b.Snapshot())) == 16
	})
	same(t, "B against A", b.Snapshot(), a.Snapshot())
	if fmt.Sprint(notes(a.Snapshot())) != fmt.Sprint(notes(b.Snapshot())) {
		t.Errorf("notes in another order:\nA %q\nB %q", notes(a.Snapshot()), notes(b.Snapshot()))
	}
	third, _ := openShared(t, c, sc, "c")
	same(t, "a room opened from the stream afterwards", third.Snapshot(), a.Snapshot())
}

// TestSharedActionFromAOnB: an action taken on one server is applied on
// the other's room, which its consoles see, before Act returns on the
// first.
func TestSharedActionFromAOnB(t *testing.T) {
	c := startCluster(t)
	sc := scenario()
	a, _ := openShared(t, c, sc, "a")
	b, _ := openShared(t, c, sc, "b")
	snaps, stop := b.Subscribe()
	defer stop()
	bo := a.Join(Member{Name: "bo", Role: RoleResponder}, "s1")
	s, err := bo.Act(model.Note{Author: "bo", Text: "from a"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := notes(s); len(got) != 1 || got[0] != "note (bo): from a" {
		t.Fatalf("Act returned a room without its own note: %q", got)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case s := <-snaps:
			if n := notes(s); len(n) == 1 && n[0] == "note (bo): from a" {
				return
			}
		case <-deadline:
			t.Fatalf("B's consoles never got A's note: %q", notes(b.Snapshot()))
		}
	}
}

// downStream is a shared journal that can be cut off: Publish fails while
// it is down, as a stream out of reach does.
type downStream struct {
	journal.Shared
	mu   sync.Mutex
	down bool
	sent int
}

func (d *downStream) Publish(entries []journal.Entry, id string, durable bool) (uint64, error) {
	d.mu.Lock()
	down := d.down
	d.mu.Unlock()
	if down && durable {
		return 0, errors.New("nats: timeout")
	}
	d.mu.Lock()
	d.sent++
	d.mu.Unlock()
	return d.Shared.Publish(entries, id, durable)
}

func (d *downStream) setDown(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.down = on
}

// TestSharedRoomKeepsActionsOffline: while the stream cannot take an
// action, it is refused with what happens to it, counted as kept, and the
// room says it is offline; later ones wait behind it; once the stream
// takes them again they are sent in order and applied once.
func TestSharedRoomKeepsActionsOffline(t *testing.T) {
	c := startCluster(t)
	sc := scenario()
	s, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "exercise", Origin: "a"},
		model.NewJournalCodec(sc.Meta.Start), JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := &downStream{Shared: s}
	r, err := Open(sc, d)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s1")
	ana := r.Join(Member{Name: "ana", Role: RoleCommander}, "s2")
	mustAct(t)(ana.Seek(90 * time.Minute)) // the warning is out
	d.setDown(true)
	snap, err := bo.Act(model.Note{Author: "bo", Text: "kept 1"}, "")
	if !errors.Is(err, ErrOffline) || err.Error() != "room offline: your note is kept and sent when it returns" {
		t.Fatalf("offline note: %v", err)
	}
	if !snap.Offline || snap.Kept != 1 {
		t.Errorf("the room should say it is offline with 1 kept: offline %v kept %d", snap.Offline, snap.Kept)
	}
	d.setDown(false) // back, but a later action still waits behind the first
	_, err = bo.Act(model.Acknowledgement{Warning: "w", By: "bo"}, "")
	if !errors.Is(err, ErrOffline) || err.Error() != "room offline: your action is kept and sent when it returns" {
		t.Fatalf("an action after a kept one: %v", err)
	}
	waitRoom(t, "the kept actions sent and applied", func() bool {
		s := r.Snapshot()
		return !s.Offline && s.Kept == 0 && len(notes(s)) == 1 && s.State.Warnings[0].Acked
	})
	other, _ := openShared(t, c, sc, "b")
	if got := notes(other.Snapshot()); len(got) != 1 || got[0] != "note (bo): kept 1" {
		t.Errorf("the kept note in the stream: %q, want once", got)
	}
}

// TestSharedRoomOutboxOutlivesTheServer: a server killed while its room is
// offline has told its responder the note is kept; started again on the
// same outbox, it sends the note, once, and the outbox is empty after.
func TestSharedRoomOutboxOutlivesTheServer(t *testing.T) {
	c := startCluster(t)
	sc := scenario()
	path := filepath.Join(t.TempDir(), "outbox.ndjson")
	codec := model.NewJournalCodec(sc.Meta.Start)
	// open starts the server's room; kept is what its outbox held when it
	// was read, before the room's sender could drop anything from it (the
	// outbox is the room's, used under its lock, once the room is open).
	open := func() (r *Room, s *journal.Stream, kept int, d *downStream) {
		s, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "exercise", Origin: "a"}, codec, JournalHeader(sc, false))
		if err != nil {
			t.Fatal(err)
		}
		ob, err := journal.OpenOutbox(path, codec)
		if err != nil {
			t.Fatal(err)
		}
		kept = len(ob.Kept())
		d = &downStream{Shared: s}
		r, err = Open(sc, d, WithOutbox(ob))
		if err != nil {
			t.Fatal(err)
		}
		return r, s, kept, d
	}
	r, s, _, d := open()
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s1")
	d.setDown(true)
	if _, err := bo.Act(model.Note{Author: "bo", Text: "kept across a kill"}, ""); !errors.Is(err, ErrOffline) {
		t.Fatalf("offline note: %v", err)
	}
	// The server dies with the note unsent: nothing more of it runs.
	r.Close()
	s.Close()

	r2, s2, n, _ := open()
	defer s2.Close()
	defer r2.Close()
	if n != 1 {
		t.Fatalf("the outbox read again holds %d actions, want 1", n)
	}
	waitRoom(t, "the kept note sent by the server started again", func() bool {
		s := r2.Snapshot()
		return s.Kept == 0 && len(notes(s)) == 1
	})
	other, _ := openShared(t, c, sc, "b")
	if got := notes(other.Snapshot()); len(got) != 1 || got[0] != "note (bo): kept across a kill" {
		t.Errorf("the kept note in the stream: %q, want once", got)
	}
	again, err := journal.OpenOutbox(path, codec)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(again.Kept()); n != 0 {
		t.Errorf("the outbox after sending holds %d actions, want none", n)
	}
}

// pickyStream is a shared journal that refuses durable appends of the
// notes whose text refuse picks, as a stream out of reach does.
type pickyStream struct {
	journal.Shared
	mu     sync.Mutex
	refuse func(text string) bool
}

func (p *pickyStream) Publish(entries []journal.Entry, id string, durable bool) (uint64, error) {
	p.mu.Lock()
	refuse := p.refuse
	p.mu.Unlock()
	if n, ok := entries[0].Event.Body.(model.Note); ok && durable && refuse(n.Text) {
		return 0, errors.New("nats: timeout")
	}
	return p.Shared.Publish(entries, id, durable)
}

func (p *pickyStream) setRefuse(fn func(string) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = fn
}

// TestSharedRoomOutboxAfterADiskError: an action the outbox file could not
// take is kept in memory only; once it is sent, the file still holds the
// action kept after it, not yet sent, for a server started again.
func TestSharedRoomOutboxAfterADiskError(t *testing.T) {
	c := natstest.StartOrSkip(t, 15310)
	sc := scenario()
	codec := model.NewJournalCodec(sc.Meta.Start)
	path := filepath.Join(t.TempDir(), "outbox.ndjson")
	s, err := journal.OpenStream(journal.StreamConfig{URL: c.URL(), Room: "exercise", Origin: "a"}, codec, JournalHeader(sc, false))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ob, err := journal.OpenOutbox(path, codec)
	if err != nil {
		t.Fatal(err)
	}
	p := &pickyStream{Shared: s, refuse: func(string) bool { return true }}
	r, err := Open(sc, p, WithOutbox(ob))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	bo := r.Join(Member{Name: "bo", Role: RoleResponder}, "s1")
	if err := os.Mkdir(path, 0o700); err != nil { // the file cannot be written
		t.Fatal(err)
	}
	if _, err := bo.Act(model.Note{Author: "bo", Text: "in memory"}, ""); !errors.Is(err, ErrOffline) {
		t.Fatalf("offline note: %v", err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := bo.Act(model.Note{Author: "bo", Text: "on disk"}, ""); !errors.Is(err, ErrOffline) {
		t.Fatalf("second offline note: %v", err)
	}
	p.setRefuse(func(text string) bool { return text == "on disk" })
	waitRoom(t, "the note kept in memory sent", func() bool { return r.Snapshot().Kept == 1 })
	again, err := journal.OpenOutbox(path, codec)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, k := range again.Kept() {
		kept = append(kept, k.Entry.Event.Body.(model.Note).Text)
	}
	if len(kept) != 1 || kept[0] != "on disk" {
		t.Errorf("the outbox file holds %q, want the unsent note", kept)
	}
}
