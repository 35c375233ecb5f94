package journal_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// TestOutbox: kept actions are on disk once Add returns, read back in
// order by the next server on the file, and dropped one by one as sent; a
// last line cut short by a crash is not an action, a damaged one before it
// is an error naming the file and line.
func TestOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "warroom", "outbox.ndjson")
	o, err := journal.OpenOutbox(path, testCodec())
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Date(2024, 7, 19, 6, 0, 0, 0, time.UTC)
	for i, text := range []string{"first", "second", "third"} {
		k := journal.Kept{ID: "id-" + text, Entry: journal.Entry{Kind: journal.KindAction, Pos: i, Wall: wall,
			Event: model.Event{At: time.Duration(i) * time.Minute, Source: "responder:bo", Body: model.Note{Author: "bo", Text: text}}}}
		if err := o.Add(k); err != nil {
			t.Fatal(err)
		}
	}
	texts := func(o *journal.Outbox) string {
		var out []string
		for _, k := range o.Kept() {
			out = append(out, k.ID+"="+k.Entry.Event.Body.(model.Note).Text)
		}
		return strings.Join(out, " ")
	}
	again, err := journal.OpenOutbox(path, testCodec())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := texts(again), "id-first=first id-second=second id-third=third"; got != want {
		t.Fatalf("read back: %s, want %s", got, want)
	}
	if k := again.Kept()[1]; k.Entry.Pos != 1 || !k.Entry.Wall.Equal(wall) || k.Entry.Event.At != time.Minute || k.Entry.Kind != journal.KindAction {
		t.Errorf("second kept: %+v", k.Entry)
	}
	if err := again.Sent(); err != nil {
		t.Fatal(err)
	}
	third, err := journal.OpenOutbox(path, testCodec())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := texts(third), "id-second=second id-third=third"; got != want {
		t.Errorf("after one sent: %s, want %s", got, want)
	}

	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append(data, []byte(`{"id":"cut","pos":`)...), 0o600); err != nil {
		t.Fatal(err)
	}
	cut, err := journal.OpenOutbox(path, testCodec())
	if err != nil || len(cut.Kept()) != 2 {
		t.Errorf("a last line cut short: %v, %d kept, want 2", err, len(cut.Kept()))
	}
	if err := os.WriteFile(path, append([]byte("{not json}\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := journal.OpenOutbox(path, testCodec()); err == nil || !strings.Contains(err.Error(), path+":1:") {
		t.Errorf("a damaged first line: %v, want an error at %s:1", err, path)
	}
}

// TestOutboxAddAfterCutLine: a server started again after a crash cut its
// outbox's last line short keeps what it is given next on a line of its
// own, so that the server after it reads every action back.
func TestOutboxAddAfterCutLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.ndjson")
	o, err := journal.OpenOutbox(path, testCodec())
	if err != nil {
		t.Fatal(err)
	}
	note := func(id, text string) journal.Kept {
		return journal.Kept{ID: id, Entry: journal.Entry{Kind: journal.KindAction, Wall: time.Date(2024, 7, 19, 6, 0, 0, 0, time.UTC),
			Event: model.Event{Source: "responder:bo", Body: model.Note{Author: "bo", Text: text}}}}
	}
	if err := o.Add(note("id-1", "first")); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"id":"cut","pos":`); err != nil { // killed while writing
		t.Fatal(err)
	}
	f.Close()
	restarted, err := journal.OpenOutbox(path, testCodec())
	if err != nil {
		t.Fatal(err)
	}
	if err := restarted.Add(note("id-2", "second")); err != nil {
		t.Fatal(err)
	}
	again, err := journal.OpenOutbox(path, testCodec())
	if err != nil {
		t.Fatalf("read after a cut line and an action kept since: %v", err)
	}
	var ids []string
	for _, k := range again.Kept() {
		ids = append(ids, k.ID)
	}
	if got, want := strings.Join(ids, " "), "id-1 id-2"; got != want {
		t.Errorf("kept %q, want %q", got, want)
	}
}
