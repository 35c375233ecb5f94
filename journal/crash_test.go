package journal_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// crashChild names the journal a child process appends to until it is
// killed.
const crashChild = "WARROOM_JOURNAL_CRASH_CHILD"

// TestCrashKeepsEveryAcknowledgedAppend runs a room's appends in a child
// process (this test binary again) and kills it with SIGKILL in the middle
// of them: every Append that returned before the kill is in the journal
// afterwards, the journal reopens, and Verify finds nothing wrong.
func TestCrashKeepsEveryAcknowledgedAppend(t *testing.T) {
	if path := os.Getenv(crashChild); path != "" {
		appendUntilKilled(path)
		return
	}
	path := filepath.Join(t.TempDir(), "incident.db")
	child := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsEveryAcknowledgedAppend$")
	child.Env = append(os.Environ(), crashChild+"="+path)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill after some hundreds of acknowledged entries and a moment more,
	// so that the kill lands anywhere in an append.
	killAfter := 500 + rand.IntN(1000)
	pause := time.Duration(rand.IntN(2000)) * time.Microsecond
	acked := map[int64]bool{}
	lines := bufio.NewScanner(out)
	killed := false
	for lines.Scan() {
		seq, err := strconv.ParseInt(lines.Text(), 10, 64)
		if err != nil {
			t.Fatalf("the child said %q, not an acknowledged Seq", lines.Text())
		}
		acked[seq] = true
		if len(acked) >= killAfter && !killed {
			time.Sleep(pause)
			if err := child.Process.Kill(); err != nil { // SIGKILL: no chance to clean up
				t.Fatal(err)
			}
			killed = true
		}
	}
	// Lines the child wrote before it died are read to the end above.
	err = child.Wait()
	if !killed {
		t.Fatalf("the child stopped by itself after %d acknowledged entries: %v", len(acked), err)
	}
	if wal, err := os.Stat(path + "-wal"); err != nil || wal.Size() == 0 {
		t.Fatalf("after the kill there is no write-ahead log to recover: %v", err)
	}

	// Someone verifies the journal the crash left, before the room restarts.
	r, err := journal.OpenExisting(path, testCodec())
	if err != nil {
		t.Fatalf("opening after the kill to verify: %v", err)
	}
	rep := r.Verify()
	kept := map[int64]bool{}
	var maxSeq int64
	for _, e := range all(t, r) {
		kept[e.Seq] = true
		maxSeq = max(maxSeq, e.Seq)
		if n, ok := e.Event.Body.(model.Note); ok && n.Text != strconv.FormatInt(e.Seq, 10) {
			t.Errorf("entry %d holds the note %q", e.Seq, n.Text)
		}
	}
	r.Close()
	if len(rep.Problems) > 0 || int64(rep.Entries) != maxSeq {
		t.Errorf("Verify after the kill: %d entries (want %d), problems %v", rep.Entries, maxSeq, rep.Problems)
	}
	for seq := range acked {
		if !kept[seq] {
			t.Errorf("entry %d was acknowledged before the kill and is gone", seq)
		}
	}

	// The room restarts on its journal and goes on.
	j, err := journal.Open(path, testCodec(), scenarioHeader())
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	if n := all(t, j); int64(len(n)) != maxSeq {
		t.Errorf("the room reads %d entries, verify read %d", len(n), maxSeq)
	}
	if got, err := j.Append([]journal.Entry{note(0, "after the crash")}, true); err != nil || got[0].Seq != maxSeq+1 {
		t.Errorf("appending after the crash: %v, %v", got, err)
	}
	j.Close()
	if r, err = journal.OpenExisting(path, testCodec()); err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if rep := r.Verify(); len(rep.Problems) > 0 || int64(rep.Entries) != maxSeq+1 {
		t.Errorf("Verify after the restart: %d entries (want %d), problems %v", rep.Entries, maxSeq+1, rep.Problems)
	}
	t.Logf("killed %v after the %dth acknowledged entry: %d acknowledged, %d in the journal", pause, killAfter, len(acked), maxSeq)
}

// appendUntilKilled is the child: a responder's action appended durably,
// then a batch of source events, again and again, each acknowledged Seq
// printed as soon as its Append returns. It gives up after a minute.
func appendUntilKilled(path string) {
	j, err := journal.Open(path, testCodec(), scenarioHeader())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		next := j.Next()
		action := note(0, strconv.FormatInt(next, 10))
		batch := make([]journal.Entry, 20)
		for i := range batch {
			batch[i] = journal.Entry{Kind: journal.KindEvent, Pos: int(next) + i,
				Event: model.Event{At: time.Duration(next) * time.Second, Source: "prometheus", Body: model.BacklogObservation{Waiting: next}}}
		}
		for _, a := range []struct {
			entries []journal.Entry
			durable bool
		}{{[]journal.Entry{action}, true}, {batch, false}} {
			got, err := j.Append(a.entries, a.durable)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			for _, e := range got {
				fmt.Println(e.Seq)
			}
		}
	}
	os.Exit(3)
}
