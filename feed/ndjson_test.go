package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// ndjsonNote is an NDJSON line holding a note with text s.
func ndjsonNote(s string) string {
	return fmt.Sprintf(`{"at":"1m","note":{"author":"ic","text":%q}}`+"\n", s)
}

// streamLog gathers what a stream emits and reports.
type streamLog struct {
	mu      sync.Mutex
	texts   []string
	batches []int
	errs    []string
	sources []string
}

func (c *streamLog) emit(batch []model.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.batches = append(c.batches, len(batch))
	for _, e := range batch {
		c.texts = append(c.texts, e.Body.(model.Note).Text)
		c.sources = append(c.sources, e.Source)
	}
}

func (c *streamLog) onError(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errs = append(c.errs, err.Error())
}

func (c *streamLog) got() ([]string, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.texts...), append([]string(nil), c.errs...)
}

// waitTexts waits until the stream has emitted want, in order.
func (c *streamLog) waitTexts(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		texts, errs := c.got()
		if strings.Join(texts, "|") == strings.Join(want, "|") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("emitted %q (errors %q), want %q", texts, errs, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitErr waits until an error containing s has been reported.
func (c *streamLog) waitErr(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, errs := c.got()
		for _, e := range errs {
			if strings.Contains(e, s) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("errors %q, want one containing %q", errs, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// followFile streams the file at path until the test ends.
func followFile(t *testing.T, path string) (*streamLog, *NDJSON) {
	t.Helper()
	c := &streamLog{}
	src := NewNDJSON("tail", path, testClock)
	src.Poll = 10 * time.Millisecond
	src.OnError = c.onError
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- src.Stream(ctx, c.emit) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Stream returned %v after its context ended, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Stream did not return after its context ended")
		}
	})
	return c, src
}

func appendToFile(t *testing.T, path, data string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestNDJSONFollowAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.ndjson")
	appendToFile(t, path, ndjsonNote("a")+ndjsonNote("b"))
	c, _ := followFile(t, path)
	c.waitTexts(t, "a", "b") // the file is read from its start
	appendToFile(t, path, ndjsonNote("c"))
	c.waitTexts(t, "a", "b", "c")
	// A line written in two parts is read once it is complete.
	line := ndjsonNote("d")
	appendToFile(t, path, line[:10])
	time.Sleep(50 * time.Millisecond)
	appendToFile(t, path, line[10:])
	c.waitTexts(t, "a", "b", "c", "d")
	if _, errs := c.got(); len(errs) != 0 {
		t.Errorf("errors %q", errs)
	}
	if c.sources[0] != "tail" {
		t.Errorf("source %q, want the stream's name", c.sources[0])
	}
}

func TestNDJSONFollowRotate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events.ndjson")
	appendToFile(t, path, ndjsonNote("old-1"))
	c, _ := followFile(t, path)
	c.waitTexts(t, "old-1")
	// Rotation: the file is renamed, a last line still goes to the old file
	// (its writer has it open), and a new file appears under the name.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendToFile(t, path+".1", ndjsonNote("old-2")+`{"at":"1m","note":{"author":"ic","text":"old-3"}}`) // no final newline
	appendToFile(t, path, ndjsonNote("new-1"))
	c.waitTexts(t, "old-1", "old-2", "old-3", "new-1")
	appendToFile(t, path, ndjsonNote("new-2"))
	c.waitTexts(t, "old-1", "old-2", "old-3", "new-1", "new-2")

	// Removed and recreated, with a gap in between.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	appendToFile(t, path, ndjsonNote("newer-1"))
	c.waitTexts(t, "old-1", "old-2", "old-3", "new-1", "new-2", "newer-1")
}

func TestNDJSONFollowTruncate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.ndjson")
	appendToFile(t, path, ndjsonNote("a")+ndjsonNote("b"))
	c, _ := followFile(t, path)
	c.waitTexts(t, "a", "b")
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	appendToFile(t, path, ndjsonNote("c"))
	c.waitTexts(t, "a", "b", "c")
	// Truncated and rewritten (shorter) between two looks: still seen.
	if err := os.WriteFile(path, []byte(ndjsonNote("d")), 0o644); err != nil {
		t.Fatal(err)
	}
	c.waitTexts(t, "a", "b", "c", "d")
}

func TestNDJSONFollowMissingAtStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "later.ndjson")
	c, _ := followFile(t, path)
	c.waitErr(t, "later.ndjson: no such file yet: waiting for it")
	time.Sleep(50 * time.Millisecond)
	if _, errs := c.got(); len(errs) != 1 {
		t.Errorf("errors %q: want the missing file reported once", errs)
	}
	appendToFile(t, path, ndjsonNote("a"))
	c.waitTexts(t, "a")
}

func TestNDJSONBadLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.ndjson")
	appendToFile(t, path, ndjsonNote("a")+`{"at":"1m","note":{"author":"ic"}}`+"\n"+"not json\n"+ndjsonNote("b"))
	c, _ := followFile(t, path)
	c.waitTexts(t, "a", "b")
	appendToFile(t, path, `{"at":"1m","note":{"author":"ic","text":"c","mood":"sad"}}`+"\n"+ndjsonNote("d"))
	c.waitTexts(t, "a", "b", "d")
	_, errs := c.got()
	want := []string{
		path + ":2:19: note.text: missing required field: expected a string",
		path + ":3:1: invalid JSON: unexpected 'n', expected an event object",
		path + `:5:45: note.mood: unknown field "mood": expected one of author, text`,
	}
	if strings.Join(errs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(want, "\n"))
	}
}

func TestNDJSONLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.ndjson")
	long := `{"at":"1m","note":{"author":"ic","text":"` + strings.Repeat("x", model.MaxWireLine) + `"}}` + "\n"
	appendToFile(t, path, ndjsonNote("a")+long+ndjsonNote("b"))
	c, _ := followFile(t, path)
	c.waitTexts(t, "a", "b")
	c.waitErr(t, path+":2:1: line longer than the limit of 1 MiB: skipped")
}

func TestNDJSONRestartResumes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.ndjson")
	appendToFile(t, path, ndjsonNote("a"))
	c := &streamLog{}
	src := NewNDJSON("tail", path, testClock)
	src.Poll = 10 * time.Millisecond
	for i, want := range [][]string{{"a"}, {"a", "b"}} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- src.Stream(ctx, c.emit) }()
		c.waitTexts(t, want...)
		time.Sleep(30 * time.Millisecond)
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			appendToFile(t, path, ndjsonNote("b"))
		}
	}
	c.waitTexts(t, "a", "b") // a was not read twice
}

func TestNDJSONStdin(t *testing.T) {
	c := &streamLog{}
	src := NewNDJSON("pipe", "-", testClock)
	src.Input = strings.NewReader(ndjsonNote("a") + "\n" + "{bad\n" + ndjsonNote("b") + strings.TrimSuffix(ndjsonNote("c"), "\n"))
	src.OnError = c.onError
	err := src.Stream(context.Background(), c.emit)
	if !errors.Is(err, ErrEndOfInput) {
		t.Errorf("Stream = %v, want ErrEndOfInput", err)
	}
	c.waitTexts(t, "a", "b", "c")
	if _, errs := c.got(); len(errs) != 1 || !strings.HasPrefix(errs[0], "stdin:3:2: ") {
		t.Errorf("errors %q, want one naming stdin:3:2", errs)
	}
}

func TestNDJSONStdinReadError(t *testing.T) {
	c := &streamLog{}
	src := NewNDJSON("pipe", "-", testClock)
	src.Input = &failingReader{data: ndjsonNote("a")}
	err := src.Stream(context.Background(), c.emit)
	if !errors.Is(err, ErrEndOfInput) || !strings.Contains(err.Error(), "boom") {
		t.Errorf("Stream = %v, want ErrEndOfInput with the read error", err)
	}
	c.waitTexts(t, "a")
}

func TestNDJSONBatches(t *testing.T) {
	c := &streamLog{}
	src := NewNDJSON("pipe", "-", testClock)
	var lines strings.Builder
	var want []string
	for i := range 10 {
		lines.WriteString(ndjsonNote(fmt.Sprint(i)))
		want = append(want, fmt.Sprint(i))
	}
	src.Input = strings.NewReader(lines.String())
	src.BatchSize = 3
	src.Stream(context.Background(), c.emit)
	c.waitTexts(t, want...)
	for _, n := range c.batches {
		if n > 3 {
			t.Errorf("batches %v: want at most 3 events each", c.batches)
		}
	}
}

// TestNDJSONBatchDelay checks that a slow trickle of events is not held
// back waiting for a full batch.
func TestNDJSONBatchDelay(t *testing.T) {
	pr, pw := io.Pipe()
	c := &streamLog{}
	src := NewNDJSON("pipe", "-", testClock)
	src.Input = pr
	src.BatchDelay = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- src.Stream(ctx, c.emit) }()
	io.WriteString(pw, ndjsonNote("a"))
	c.waitTexts(t, "a")
	io.WriteString(pw, ndjsonNote("b"))
	c.waitTexts(t, "a", "b")
	pw.Close()
	if err := <-done; !errors.Is(err, ErrEndOfInput) {
		t.Errorf("Stream = %v, want ErrEndOfInput", err)
	}
}

func TestNDJSONStopsWithContext(t *testing.T) {
	pr, pw := io.Pipe() // never written: a read that blocks
	defer pw.Close()
	src := NewNDJSON("pipe", "-", testClock)
	src.Input = pr
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := src.Stream(ctx, func([]model.Event) {}); err != nil {
		t.Errorf("Stream = %v, want nil when the context ends", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Stream took %s to stop", d)
	}
}

// A followed file read again from its start — truncated and written again,
// or replaced — repeats what was delivered: none of it is delivered twice,
// a bad line is counted once, and only what is new gets through.
func TestNDJSONReadAgainDeliversNothingTwice(t *testing.T) {
	const (
		timed   = `{"at":"1m","note":{"author":"ic","text":"timed"}}` + "\n"
		undated = `{"note":{"author":"ic","text":"undated"}}` + "\n"
		hosts   = `{"at":"2m","hosts":{"group":"wms","recovered":244,"total":1240}}` + "\n"
		bad     = "{bad\n"
		v1      = timed + undated + bad + hosts
		v2      = v1 + `{"at":"3m","note":{"author":"ic","text":"timed later"}}` + "\n" +
			`{"note":{"author":"ic","text":"undated later"}}` + "\n" +
			`{"at":"1m30s","hosts":{"group":"wms","recovered":198,"total":1240}}` + "\n" + // older than 2m
			"{worse\n"
	)
	rewrite := map[string]func(t *testing.T, path string){
		"truncated, then written again": func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
			time.Sleep(60 * time.Millisecond) // the follower sees it empty
			appendToFile(t, path, v2)
		},
		"replaced by a new file": func(t *testing.T, path string) {
			if err := os.WriteFile(path+".tmp", []byte(v2), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(path+".tmp", path); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, rw := range rewrite {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "events.ndjson")
			appendToFile(t, path, v1)
			// A clock that moves: an undated line read again has a new time.
			began := time.Now()
			clock := Clock{Origin: testClock.Origin, Now: func() time.Time { return testClock.Now().Add(time.Since(began)) }}
			src := NewNDJSON("tail", path, clock)
			src.Poll = 10 * time.Millisecond
			var c collector
			r := NewRunner(clock, c.sink)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { r.Stream(ctx, src, Schedule{Interval: time.Hour}); close(done) }()
			defer func() { cancel(); <-done }()
			delivered := func() []string {
				c.mu.Lock()
				defer c.mu.Unlock()
				var out []string
				for _, e := range c.events {
					switch b := e.Body.(type) {
					case model.Note:
						out = append(out, b.Text)
					case model.HostStatus:
						out = append(out, fmt.Sprint("hosts ", b.Recovered))
					}
				}
				return out
			}
			waitFor(t, "the first version", func() bool { return len(delivered()) == 3 })
			rw(t, path)
			want := []string{"timed", "undated", "hosts 244", "timed later", "undated later"}
			waitFor(t, "the second version", func() bool { return len(delivered()) >= len(want) })
			time.Sleep(50 * time.Millisecond) // anything more would come now
			if got := delivered(); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("delivered %q, want %q", got, want)
			}
			// "{bad" read again is the old one; "{worse" is new. The older
			// hosts report is the runner's to count.
			wantDrops(t, src.Dropped(), DropBadEntry, 2)
		})
	}
}
