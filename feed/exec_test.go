package feed

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExecShell(t *testing.T) {
	x := NewExec("script", []string{`printf '%s\n' "$1" '{"at":"2m","note":{"author":"ic","text":"b"}}'`,
		`{"at":"1m","note":{"author":"ic","text":"a"}}`}, testClock)
	x.Shell = true
	events, err := x.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := noteTexts(events); strings.Join(got, ",") != "a,b" {
		t.Errorf("events %q, want a, b", got)
	}
	if events[0].Source != "script" || events[1].At != 2*time.Minute {
		t.Errorf("events %#v", events)
	}
	// Run again: the same output yields nothing new.
	if events, err := x.Poll(context.Background()); err != nil || len(events) != 0 {
		t.Errorf("second run: %d events, %v; want none", len(events), err)
	}
}

func TestExecArgv(t *testing.T) {
	// No shell: the argument reaches the command as is, quotes and all.
	x := NewExec("echo", []string{"echo", `{"at":"1m","note":{"author":"ic","text":"$HOME; 'quoted'"}}`}, testClock)
	if got := pollTexts(t, x); strings.Join(got, ",") != "$HOME; 'quoted'" {
		t.Errorf("events %q", got)
	}
}

func TestExecEnvAndDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "events.json"), []byte(`[{"at":"1m","note":{"author":"ic","text":"from file"}}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	x := NewExec("env", []string{`cat events.json && printf '{"at":"1m","note":{"author":"ic","text":"%s"}}\n' "$WARROOM_TEST"`}, testClock)
	x.Shell, x.Dir, x.Env = true, dir, []string{"WARROOM_TEST=from env"}
	// A JSON array followed by more output is not one document: only the
	// array is read, the rest is a syntax error after it.
	_, err := x.Poll(context.Background())
	if err != nil && !strings.Contains(err.Error(), "after the list of events") {
		t.Fatalf("Poll: %v", err)
	}
	x2 := NewExec("env", []string{`printf '{"at":"1m","note":{"author":"ic","text":"%s"}}\n' "$WARROOM_TEST"; cat events.json | tr -d '[]'; echo`}, testClock)
	x2.Shell, x2.Dir, x2.Env = true, dir, []string{"WARROOM_TEST=from env"}
	if got := pollTexts(t, x2); strings.Join(got, ",") != "from env,from file" {
		t.Errorf("events %q", got)
	}
}

func TestExecErrors(t *testing.T) {
	tests := []struct {
		name  string
		argv  []string
		shell bool
		want  string
	}{
		{"non-zero exit with stderr", []string{`echo "token expired" >&2; echo 'second line' >&2; exit 3`}, true,
			"exit status 3: token expired | second line"},
		{"stderr is sanitised", []string{`printf 'bad \033]0;pwned\007thing\n' >&2; exit 1`}, true,
			"exit status 1: bad thing"},
		{"non-zero exit, no stderr", []string{"false"}, false, "false: exit status 1"},
		{"no such command", []string{"/nonexistent/warroom-cmd"}, false, "no such file or directory"},
		{"garbage output", []string{`echo 'Usage: tool [options]'`}, true, "script:1:1: invalid JSON: unexpected 'U', expected an event object"},
		{"no command", nil, false, "exec: no command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := NewExec("script", tt.argv, testClock)
			x.Shell = tt.shell
			events, err := x.Poll(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Poll = %d events, %v; want an error containing %q", len(events), err, tt.want)
			}
		})
	}
}

func TestExecStderrTail(t *testing.T) {
	x := NewExec("noisy", []string{`i=0; while [ $i -lt 500 ]; do echo "line $i of noise"; i=$((i+1)); done >&2; exit 1`}, testClock)
	x.Shell = true
	_, err := x.Poll(context.Background())
	if err == nil || !strings.Contains(err.Error(), "line 499 of noise") || strings.Contains(err.Error(), "line 1 of noise") {
		t.Fatalf("Poll = %v, want the end of stderr only", err)
	}
	if len(err.Error()) > 2*stderrTail {
		t.Errorf("error is %d bytes long", len(err.Error()))
	}
}

func TestExecTimeoutKillsGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	// The shell starts a child that would outlive it if only the shell
	// were killed.
	x := NewExec("slow", []string{`sleep 10 & echo $! > ` + pidFile + `; wait`}, testClock)
	x.Shell = true
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := x.Poll(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "process group killed") {
		t.Errorf("Poll = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Poll took %s after a 200ms timeout", d)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid := 0
	for _, c := range strings.TrimSpace(string(data)) {
		pid = pid*10 + int(c-'0')
	}
	deadline := time.Now().Add(2 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("the background sleep (pid %d) survived the timeout", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// alive reports whether a process runs: it exists and is not a zombie
// waiting for a parent (in a container, init may be slow to reap it).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

func TestExecSleepTimeout(t *testing.T) {
	x := NewExec("sleepy", []string{"sleep", "10"}, testClock)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := x.Poll(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Poll = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Poll took %s", d)
	}
}

func TestExecOutputCap(t *testing.T) {
	x := NewExec("firehose", []string{"yes"}, testClock) // never stops on its own
	x.MaxOutput = 64 << 10
	start := time.Now()
	_, err := x.Poll(context.Background())
	if err == nil || !strings.Contains(err.Error(), "output larger than the limit of 64 KiB") {
		t.Errorf("Poll = %v, want the output limit", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Poll took %s", d)
	}
}

func TestExecPartlyBad(t *testing.T) {
	x := NewExec("script", []string{`printf '%s\n' '{"at":"1m","note":{"author":"ic","text":"a"}}' '{"at":"1m","note":{}}'`}, testClock)
	x.Shell = true
	var reported []error
	x.OnError = func(err error) { reported = append(reported, err) }
	if got := pollTexts(t, x); strings.Join(got, ",") != "a" {
		t.Errorf("events %q", got)
	}
	if len(reported) != 1 || !strings.Contains(reported[0].Error(), "script:2:19: note.author: missing required field") {
		t.Errorf("reported %v", reported)
	}
}

func TestExecDropped(t *testing.T) {
	x := NewExec("script", []string{`printf '%s\n' '{"at":"1m","note":{"author":"ic","text":"a"}}' '{"at":"1m","note":{}}' '{"at":"+1h","news":{}}'`}, testClock)
	x.Shell = true
	for range 2 { // the same output twice: counted once
		if _, err := x.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
		wantDrops(t, x.Dropped(), DropBadEntry, 1, DropUnknownKind, 1)
	}
}
