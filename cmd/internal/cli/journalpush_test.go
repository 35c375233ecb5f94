package cli

import (
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// TestJournalPushMovesARoomIntoAStream: a room run on a SQLite journal is
// pushed into a stream; exported from either, it is the same list of
// events; opened from the stream by a server, it is the same room; and a
// second push into the same room is refused.
func TestJournalPushMovesARoomIntoAStream(t *testing.T) {
	cluster := startCluster(t)
	path := filepath.Join(t.TempDir(), "drill.db")
	sc, err := feed.OpenScenario("oncall-training-30m")
	if err != nil {
		t.Fatal(err)
	}
	r, err := openRoom(sc, false, path)
	if err != nil {
		t.Fatal(err)
	}
	ana := r.Join(room.Member{Name: "ana", Role: room.RoleCommander}, "s1")
	if _, err := ana.Seek(10 * time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"reboot loop on site-wms", "BitLocker keys requested"} {
		if _, err := ana.Act(model.Note{Author: "ana", Text: text}, ""); err != nil {
			t.Fatal(err)
		}
	}
	before := r.Snapshot()
	ana.Leave()
	r.Close()

	out, stderr, err := runCLI(t, "journal", "push", path, "--nats", cluster.URL(), "--room", "moved")
	if err != nil || !strings.Contains(out, "into WARROOM_moved") {
		t.Fatalf("push: %v\n%s%s", err, out, stderr)
	}
	fromFile, _, err := runCLI(t, "journal", "export", path)
	if err != nil {
		t.Fatal(err)
	}
	fromStream, stderr, err := runCLI(t, "journal", "export", "--nats", cluster.URL(), "--room", "moved")
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	if fromFile != fromStream || !strings.Contains(fromStream, "BitLocker keys requested") {
		t.Fatalf("the stream's events differ from the file's:\nfile:\n%s\nstream:\n%s", fromFile, fromStream)
	}
	moved, err := openStreamRoom(io.Discard, sc, false, streamFlags{url: cluster.URL(), room: "moved", name: "a", replicas: 3, dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer moved.Close()
	got := moved.Snapshot()
	if !reflect.DeepEqual(got.State.Timeline, before.State.Timeline) || got.Clock != before.Clock {
		t.Errorf("the room opened from the stream differs: clock %s, want %s\n got %+v\nwant %+v",
			got.Clock, before.Clock, got.State.Timeline, before.State.Timeline)
	}
	if _, stderr, err := runCLI(t, "journal", "push", path, "--nats", cluster.URL(), "--room", "moved"); err == nil ||
		!strings.Contains(err.Error()+stderr, "holds") {
		t.Errorf("a second push into the same room: %v %s", err, stderr)
	}
}
