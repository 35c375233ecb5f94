package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/warroom/warroom/model"
)

// NDJSON streams events in the wire format, one per line, from standard
// input or from a file it follows like tail -F: the file is read from the
// start, then followed as it grows; when it is renamed or removed and
// recreated (log rotation) the rest of the old file is read and the new one
// is followed from its start; when it shrinks (truncation) it is read again
// from the start; when it does not exist yet it is waited for. Following
// polls the file (no inotify), so it works on any file system.
//
// A bad line is reported to OnError, skipped and counted (Dropped); the
// stream goes on. A file read again from its start (truncated and written
// again, or replaced) may repeat what was read before. An event with a time
// is delivered once anyway (the runner sees to that); among as many first
// lines as the old version had, a line the old version had too is taken for
// that one, so that an event without a time is not delivered twice, nor a
// bad line counted twice.
type NDJSON struct {
	name, path string
	clock      Clock

	// Input is read instead of standard input when the path is "-".
	Input io.Reader
	// Poll is how often a followed file is checked when there is nothing
	// new to read; default 250ms.
	Poll time.Duration
	// BatchSize is the most events handed to emit at once; default 512.
	BatchSize int
	// BatchDelay is the longest an event waits for a fuller batch; default
	// 50ms.
	BatchDelay time.Duration
	// OnError, when set, is told about bad lines and trouble with the file
	// (missing, unreadable). It is called on Stream's goroutine, like emit.
	OnError func(error)

	mu      sync.Mutex
	mark    fileMark    // where a followed file was left, for a restarted Stream
	version fileVersion // the version of the file being followed

	drops    dropCounter
	seenVer  int        // the version Stream read last
	badLines *rereadSet // of a followed file's version and the one before
	undated  *rereadSet // events without a time, likewise
}

// fileVersion numbers the contents a followed path has had: each
// truncation or replacement starts a new one. prevLines counts the complete
// lines read of the one before: the part of the new one that may repeat it.
type fileVersion struct {
	n, prevLines int
}

// Dropped counts, by reason, the lines that were not events.
func (n *NDJSON) Dropped() []model.DropCount { return n.drops.counts() }

// Defaults of an NDJSON stream.
const (
	defaultFilePoll   = 250 * time.Millisecond
	defaultBatchSize  = 512
	defaultBatchDelay = 50 * time.Millisecond
	ndjsonReadSize    = 256 << 10
)

// NewNDJSON reads path, or standard input when path is "-". Events without
// a source get name.
func NewNDJSON(name, path string, clock Clock) *NDJSON {
	return &NDJSON{name: name, path: path, clock: clock}
}

// Name is the source's name.
func (n *NDJSON) Name() string { return n.name }

// ErrEndOfInput is the error Stream returns when standard input (or Input)
// ends: there will be no more events from it.
var ErrEndOfInput = errors.New("end of input")

// ndjsonChunk is what the reading goroutine hands Stream: complete lines, a
// problem, or the end of the input.
type ndjsonChunk struct {
	data []byte      // complete lines, newline-terminated; owned by the receiver
	line int         // the number of data's first line
	err  error       // a problem reading, reported to OnError
	end  error       // non-nil: the input ended, with this error
	ver  fileVersion // of a followed file: lines up to ver.prevLines may be read again
}

// Stream reads until ctx ends; for standard input, until it ends too, when
// it returns an error wrapping ErrEndOfInput (after emitting every event).
// A followed file never ends the stream: trouble with it is reported to
// OnError and retried.
func (n *NDJSON) Stream(ctx context.Context, emit func([]model.Event)) error {
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan ndjsonChunk, 8)
	var wg sync.WaitGroup
	errName := n.path
	if n.path == "-" {
		errName = "stdin"
		in := n.Input
		if in == nil {
			in = os.Stdin
		}
		// A read from a pipe cannot be interrupted: the reader is not
		// waited for, and ends when the input does.
		go n.read(ctx, in, ch)
	} else {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.follow(ctx, ch)
		}()
	}
	defer wg.Wait()
	defer cancel()

	size, delay := n.BatchSize, n.BatchDelay
	if size <= 0 {
		size = defaultBatchSize
	}
	if delay <= 0 {
		delay = defaultBatchDelay
	}
	dec := newWireDecoder(errName, n.clock)
	var batch []model.Event
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	armed := false
	flush := func() {
		if len(batch) > 0 {
			emit(batch)
			batch = nil
		}
		if armed {
			timer.Stop()
			armed = false
		}
	}
	onError := func(err error) {
		if n.OnError != nil {
			n.OnError(err)
		}
	}
	follow := n.path != "-"
	if n.badLines == nil {
		n.badLines, n.undated = newRereadSet(), newRereadSet()
	}
	reread := false // the lines being decoded may repeat the file's last version
	var key []byte
	keyEncoder := model.NewWireEncoder(time.Time{})
	dec.Dropped = func(raw []byte, reason string) {
		if follow && n.badLines.repeat(raw, reread) {
			return
		}
		n.drops.add(reason, 1)
	}
	add := func(e model.Event, timed bool) {
		if follow && !timed {
			var err error
			if key, err = keyEncoder.Append(key[:0], e, false); err == nil && n.undated.repeat(key, reread) {
				return
			}
		}
		if e.Source == "" {
			e.Source = n.name
		}
		if batch == nil {
			batch = make([]model.Event, 0, min(size, 64))
		}
		batch = append(batch, e)
		if len(batch) >= size {
			emit(batch)
			batch = nil
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
			armed = false
			flush()
		case c := <-ch:
			if c.err != nil {
				onError(c.err)
			}
			if len(c.data) > 0 {
				if c.ver.n != n.seenVer {
					n.seenVer = c.ver.n
					n.badLines.next()
					n.undated.next()
				}
				again, rest := splitLines(c.data, c.ver.prevLines-c.line+1)
				reread = true
				dec.Lines(again, c.line, add, onError)
				reread = false
				dec.Lines(rest, c.line+bytes.Count(again, []byte{'\n'}), add, onError)
			}
			if c.end != nil {
				flush()
				return c.end
			}
			if len(batch) > 0 && !armed {
				timer.Reset(delay)
				armed = true
			}
		}
	}
}

// splitLines cuts data after its first k lines (none when k <= 0).
func splitLines(data []byte, k int) (first, rest []byte) {
	i := 0
	for ; k > 0 && i < len(data); k-- {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return data, nil
		}
		i += j + 1
	}
	return data[:i], data[i:]
}

// lineSplitter cuts a byte stream into complete lines, numbering them, and
// keeps overlong lines from growing without bound.
type lineSplitter struct {
	name       string // for errors
	partial    []byte // the start of a line not yet complete
	line       int    // the number of the next complete line
	discarding bool   // dropping the rest of an overlong line
}

func newLineSplitter(name string) lineSplitter { return lineSplitter{name: name, line: 1} }

// feed takes more input and returns the lines it completes (a fresh slice),
// the first one's number, and an error when a line is too long.
func (s *lineSplitter) feed(b []byte) (out []byte, first int, err error) {
	if s.discarding {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return nil, 0, nil
		}
		s.discarding = false
		s.line++
		b = b[i+1:]
	}
	last := bytes.LastIndexByte(b, '\n')
	if last >= 0 {
		out = make([]byte, 0, len(s.partial)+last+1)
		out = append(append(out, s.partial...), b[:last+1]...)
		first = s.line
		s.line += bytes.Count(b[:last+1], []byte{'\n'})
		s.partial = s.partial[:0]
		b = b[last+1:]
	}
	if len(s.partial)+len(b) > model.MaxWireLine {
		err = &DecodeError{Problem: model.Problem{File: s.name, Line: s.line, Col: 1, Message: longLine}}
		s.partial, s.discarding = nil, true
		return out, first, err
	}
	s.partial = append(s.partial, b...)
	return out, first, nil
}

// finish returns the last line when it has no newline.
func (s *lineSplitter) finish() (out []byte, first int) {
	if len(s.partial) == 0 || s.discarding {
		return nil, 0
	}
	out = append(append([]byte(nil), s.partial...), '\n')
	first = s.line
	s.line++
	s.partial = s.partial[:0]
	return out, first
}

// sendChunk hands c to Stream; false when ctx ended.
func sendChunk(ctx context.Context, ch chan<- ndjsonChunk, c ndjsonChunk) bool {
	select {
	case ch <- c:
		return true
	case <-ctx.Done():
		return false
	}
}

// read reads a stream (standard input) to its end.
func (n *NDJSON) read(ctx context.Context, r io.Reader, ch chan<- ndjsonChunk) {
	s := newLineSplitter("stdin")
	buf := make([]byte, ndjsonReadSize)
	for {
		nr, err := r.Read(buf)
		if nr > 0 {
			out, first, lerr := s.feed(buf[:nr])
			if (out != nil || lerr != nil) && !sendChunk(ctx, ch, ndjsonChunk{data: out, line: first, err: lerr}) {
				return
			}
		}
		if err != nil {
			out, first := s.finish()
			end := fmt.Errorf("stdin: %w", ErrEndOfInput)
			if err != io.EOF {
				end = fmt.Errorf("stdin: %w: %w", ErrEndOfInput, err)
			}
			sendChunk(ctx, ch, ndjsonChunk{data: out, line: first, end: end})
			return
		}
	}
}

// fileMark is how far a followed file was read.
type fileMark struct {
	info     os.FileInfo
	off      int64
	head     []byte
	splitter lineSplitter
}

// followHeadLen is how much of the start of a followed file is kept to notice
// that it was rewritten: truncated and written again past where it was
// read, between two looks.
const followHeadLen = 256

// follow reads the file at n.path and follows it until ctx ends.
func (n *NDJSON) follow(ctx context.Context, ch chan<- ndjsonChunk) {
	poll := n.Poll
	if poll <= 0 {
		poll = defaultFilePoll
	}
	var (
		f        *os.File
		info     os.FileInfo // of f
		off      int64       // read so far
		s        lineSplitter
		problem  string // the last problem reported, so that it is reported once
		buf      = make([]byte, ndjsonReadSize)
		rotated  bool   // a new file is at the path: finish f, then switch
		head     []byte // the first followHeadLen bytes of f, as read
		check    = make([]byte, followHeadLen)
		timer    = time.NewTimer(poll)
		waitPoll = func() bool {
			timer.Reset(poll)
			select {
			case <-timer.C:
				return true
			case <-ctx.Done():
				return false
			}
		}
		report = func(err error) bool {
			if err.Error() == problem {
				return true
			}
			problem = err.Error()
			return sendChunk(ctx, ch, ndjsonChunk{err: err})
		}
	)
	timer.Stop()
	n.mu.Lock()
	ver := n.version
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		n.version = ver
		if f != nil {
			n.mark = fileMark{info: info, off: off, head: head, splitter: s}
			f.Close()
		}
		n.mu.Unlock()
	}()
	for ctx.Err() == nil {
		if f == nil {
			var err error
			if f, err = os.Open(n.path); err != nil {
				f = nil
				if errors.Is(err, os.ErrNotExist) {
					err = fmt.Errorf("%s: no such file yet: waiting for it", n.path)
				}
				if !report(err) || !waitPoll() {
					return
				}
				continue
			}
			if info, err = f.Stat(); err != nil {
				f.Close()
				f = nil
				if !report(err) || !waitPoll() {
					return
				}
				continue
			}
			n.mu.Lock()
			m := n.mark
			n.mark = fileMark{}
			n.mu.Unlock()
			before := s // of the file read before, if any
			if m.info != nil {
				before = m.splitter
			}
			problem, off, s, rotated, head = "", 0, newLineSplitter(n.path), false, nil
			resumed := false
			if m.info != nil && os.SameFile(m.info, info) && info.Size() >= m.off {
				if _, err := f.Seek(m.off, io.SeekStart); err == nil {
					off, s, head = m.off, m.splitter, m.head // a restarted stream goes on where it was
					resumed = true
				}
			}
			if !resumed && before.line > 0 {
				ver = fileVersion{n: ver.n + 1, prevLines: before.line - 1} // a new file at the path
			}
		}
		nr, err := f.Read(buf)
		if nr > 0 {
			if off < followHeadLen {
				head = append(head, buf[:min(nr, followHeadLen-int(off))]...)
			}
			off += int64(nr)
			out, first, lerr := s.feed(buf[:nr])
			if (out != nil || lerr != nil) && !sendChunk(ctx, ch, ndjsonChunk{data: out, line: first, err: lerr, ver: ver}) {
				return
			}
			continue
		}
		if err != nil && err != io.EOF {
			report(fmt.Errorf("%s: %w", n.path, err))
			f.Close()
			f = nil
			if !waitPoll() {
				return
			}
			continue
		}
		// At the end of f.
		if rotated {
			out, first := s.finish()
			if out != nil && !sendChunk(ctx, ch, ndjsonChunk{data: out, line: first, ver: ver}) {
				return
			}
			f.Close()
			f = nil
			continue
		}
		if !waitPoll() {
			return
		}
		now, err := os.Stat(n.path)
		switch {
		case err != nil:
			// Gone, perhaps being rotated: keep reading the old file until
			// a new one appears.
		case !os.SameFile(now, info):
			rotated = true // read what is left of the old file first
		case now.Size() < off || !sameHead(f, head, check):
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				report(fmt.Errorf("%s: truncated, and cannot go back to its start: %w", n.path, err))
				f.Close()
				f = nil
				continue
			}
			ver = fileVersion{n: ver.n + 1, prevLines: s.line - 1}
			off, s, head = 0, newLineSplitter(n.path), head[:0]
		}
	}
}

// sameHead reports whether f still starts with head.
func sameHead(f *os.File, head, buf []byte) bool {
	if len(head) == 0 {
		return true
	}
	n, _ := f.ReadAt(buf[:len(head)], 0)
	return bytes.Equal(buf[:n], head)
}
