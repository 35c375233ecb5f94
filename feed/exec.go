package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/warroom/warroom/model"
)

// Exec polls by running a command that prints events in the wire format (a
// JSON array or NDJSON) on its standard output: a script that asks an
// internal tool, queries a database, or curls an API warroom has no source
// for. The command runs without a shell, argv as given, unless Shell is set.
// It runs in a process group of its own, which is killed whole when Poll's
// context ends, so that a hung pipeline leaves nothing behind. Like HTTP it
// returns only events not returned before.
type Exec struct {
	name  string
	argv  []string
	clock Clock

	// Shell runs argv[0] as a shell script, sh -c argv[0], with the source's
	// name as $0 and the rest of argv as $1, $2, ...
	Shell bool
	// Dir is the working directory; empty: warroom's.
	Dir string
	// Env is added to warroom's environment.
	Env []string
	// MaxOutput caps standard output; default 8 MiB. A command that writes
	// more is killed.
	MaxOutput int64
	// OnError, when set, is told about bad entries in output whose other
	// entries are good (and returned). Output with no good entry at all is
	// Poll's error instead.
	OnError func(error)

	mu    sync.Mutex // one run at a time
	seen  *seenSet
	drops entryDrops
}

// Limits of an exec source.
const (
	stderrTail    = 2 << 10         // bytes of standard error kept for the error
	execWaitDelay = 2 * time.Second // after a kill, how long to wait for the output pipes
)

// NewExec runs argv on each poll. Events without a source get name.
func NewExec(name string, argv []string, clock Clock) *Exec {
	return &Exec{name: name, argv: argv, clock: clock, seen: newSeenSet(defaultSeen)}
}

// Name is the source's name.
func (x *Exec) Name() string { return x.name }

// Poll runs the command once and returns the events it printed that were
// not returned before. A non-zero exit is an error with the end of its
// standard error; so is running past ctx's deadline, which kills the
// command's process group.
func (x *Exec) Poll(ctx context.Context) ([]model.Event, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.argv) == 0 || x.argv[0] == "" {
		return nil, errors.New("exec: no command")
	}
	args := x.argv
	if x.Shell {
		args = append([]string{"sh", "-c", x.argv[0], x.name}, x.argv[1:]...)
	}
	what := commandText(x.argv, x.Shell)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(runCtx, args[0], args[1:]...)
	cmd.Dir = x.Dir
	if len(x.Env) > 0 {
		cmd.Env = append(os.Environ(), x.Env...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// The group's id is the leader's pid: kill the command and
		// everything it started.
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			return err
		}
		return nil
	}
	cmd.WaitDelay = execWaitDelay
	limit := x.MaxOutput
	if limit <= 0 {
		limit = defaultMaxBody
	}
	stdout := &cappedBuffer{limit: limit, full: cancel}
	stderr := &tailBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr

	start := time.Now()
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%s: stopped after %s, process group killed: %w",
			what, time.Since(start).Round(time.Millisecond), ctx.Err())
	case stdout.over:
		return nil, fmt.Errorf("%s: output larger than the limit of %s: killed", what, sizeText(limit))
	case err != nil:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = errors.New(exit.ProcessState.String()) // "exit status 2", "signal: killed"
		}
		if tail := stderr.text(); tail != "" {
			return nil, fmt.Errorf("%s: %v: %s", what, err, tail)
		}
		return nil, fmt.Errorf("%s: %v", what, err)
	}
	res := decodeFresh(stdout.buf.Bytes(), x.name, x.clock, x.seen)
	events, err := res.report(x.name, x.OnError, &x.drops)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return events, nil
}

// commandText is the command for messages, shortened.
func commandText(argv []string, shell bool) string {
	s := strings.Join(argv, " ")
	if shell {
		s = "sh -c " + argv[0]
	}
	return model.Sanitize(strings.Join(strings.Fields(s), " "), 80)
}

// cappedBuffer keeps up to limit bytes; past that it calls full (once) and
// fails the write, so that the command is stopped rather than blocked.
type cappedBuffer struct {
	buf   bytes.Buffer
	limit int64
	over  bool
	full  func()
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.over || int64(b.buf.Len())+int64(len(p)) > b.limit {
		if !b.over {
			b.over = true
			b.full()
		}
		return 0, errors.New("output limit reached")
	}
	return b.buf.Write(p)
}

// tailBuffer keeps the last stderrTail bytes written to it.
type tailBuffer struct {
	buf []byte
	cut bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - stderrTail; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.cut = true
	}
	return len(p), nil
}

// text is the tail, sanitised, on one line.
func (t *tailBuffer) text() string {
	b := t.buf
	if t.cut { // do not start in the middle of a character
		for len(b) > 0 && b[0]&0xc0 == 0x80 {
			b = b[1:]
		}
	}
	lines := strings.FieldsFunc(model.Sanitize(string(b), 0), func(r rune) bool { return r == '\n' })
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	s := strings.Join(slicesDeleteEmpty(lines), " | ")
	if t.cut && s != "" {
		s = "…" + s
	}
	return s
}

func slicesDeleteEmpty(l []string) []string {
	out := l[:0]
	for _, s := range l {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Dropped counts, by reason, the entries of good output that were not
// events; an entry the command keeps printing counts once.
func (x *Exec) Dropped() []model.DropCount { return x.drops.counts.counts() }
